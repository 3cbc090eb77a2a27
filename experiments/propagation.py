"""Propagation: a spike is relayed from neuron to neuron along a synaptic chain, and inhibition can stop it.

This is synaptic relay, not axonal conduction: each neuron is a point (no axon, no cable), and
the spike is carried from one to the next by a delayed synapse, the delay standing in for the
axon and the synapse together.

Each neuron of a chain excites the next through one synapse with a delay; a single input spike
to the first neuron starts a wave that crosses every link with the same latency: the synaptic
delay plus the time the postsynaptic potential takes to reach threshold, which the closed form
of the exponential-synapse PSP predicts. A second, identical chain has a side branch: a neuron
of the chain also excites an inhibitory interneuron whose shorter delay makes its inhibition
arrive at a later link just before the excitation does (feed-forward inhibition). That link
fails, and the wave stops there.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.optimize import brentq

from spikeneuron import ExpSynapse, Network, ValidationError, from_arrays
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, plot_stacked_traces

NAME = "propagation"
TITLE = "A spike relayed through synapses along a chain of neurons; feed-forward inhibition vetoes one link"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """A spike is passed on through synapses: each neuron of the chain fires when the
postsynaptic potential from its predecessor reaches threshold, so every link takes the same
time, the synaptic delay plus the rise time of the PSP to threshold, and the measured latency
matches the closed form (max_latency_error_ms). The second chain shows why the sign of a
weight matters: an inhibitory interneuron whose inhibition arrives just before the excitation
keeps one neuron below threshold, and the relay stops there (vetoed_chain_stopped_at_neuron)."""

N_CHAIN = 8
WEIGHT_NA = 20.0  # nA, each link (exponential synapse: the PSP peaks about 27 mV above rest)
DELAY_MS = 1.5  # ms, each link of the chains
VETOED_LINK = 5  # neuron of the second chain whose input is vetoed
VETO_WEIGHT_NA = -10.0  # nA (-8 nA already suffices: V then peaks 10 mV below threshold)
VETO_LEAD_MS = 1.0  # the inhibition arrives this long before the excitation
TRIGGER_MS = 5.0  # ms, the input spike that starts both waves
OFFSET_MV = 40.0  # mV between stacked traces

PARAMETERS = (
    *lif_parameters(v_reset=-75.0, dt=Parameter("dt", 0.01, "ms", "time step", positive=True, quick=0.05)),
    Parameter("tau_ex", 2.0, "ms", "decay of the excitatory synaptic current", positive=True),
    Parameter("tau_in", 10.0, "ms", "decay of the inhibitory synaptic current", positive=True),
    Parameter("duration", 45.0, "ms", "simulated time", positive=True),
    Parameter("n_chain", N_CHAIN, "", "neurons in each chain", minimum=3),
    Parameter("weight_na", WEIGHT_NA, "nA", "weight of each excitatory link", positive=True),
    Parameter("delay_ms", DELAY_MS, "ms", "synaptic delay of each link", positive=True),
    Parameter("vetoed_link", VETOED_LINK, "", "neuron of the second chain whose input is vetoed",
              minimum=2),
    Parameter("veto_weight_na", VETO_WEIGHT_NA, "nA", "weight of the interneuron's inhibition",
              maximum=0.0),
    Parameter("veto_lead_ms", VETO_LEAD_MS, "ms", "how long before the excitation the inhibition "
              "arrives (shorter delay)", minimum=0.0),
    Parameter("trigger_ms", TRIGGER_MS, "ms", "time of the input spike that starts both waves",
              minimum=0.0),
)
KEY_NUMBERS = (
    KeyNumber("latency_per_link_ms", "ms", "time from one neuron's spike to the next one's"),
    KeyNumber("predicted_latency_ms", "ms", "delay + closed-form time of the PSP to threshold"),
    KeyNumber("max_latency_error_ms", "ms", "largest |measured − predicted| latency"),
    KeyNumber("vetoed_chain_stopped", "", "whether the wave stopped in the second chain"),
    KeyNumber("vetoed_chain_stopped_at_neuron", "", "first neuron of the second chain that stayed silent"),
    KeyNumber("inhibition_lead_ms", "ms", "how long before the excitation the inhibition arrived"),
    KeyNumber("spike_times_ms", "ms", "spike times per chain and neuron"),
)


def psp_latency(model, weight_na):
    """Time from a synaptic input to the threshold crossing it causes, from rest, ms (closed form)."""
    tau_s, tau_m = model.synapse.tau_ex, model.tau_m
    def above_threshold(s):
        psp = model.r_m * weight_na * tau_s / (tau_s - tau_m) * (np.exp(-s / tau_s) - np.exp(-s / tau_m))
        return psp - (model.v_th - model.v_rest)
    peak = tau_s * tau_m / (tau_m - tau_s) * np.log(tau_m / tau_s)
    return brentq(above_threshold, 1e-9, peak)


def run(context):
    p = context.parameters
    dt, duration = p.dt, p.duration
    n_chain, weight_na, delay_ms, vetoed_link = p.n_chain, p.weight_na, p.delay_ms, p.vetoed_link
    veto_weight_na, veto_lead_ms, trigger_ms = p.veto_weight_na, p.veto_lead_ms, p.trigger_ms
    if vetoed_link >= n_chain:
        raise ValidationError(f"The 'vetoed_link' parameter of experiment 'propagation' must be "
                              f"below n_chain ({n_chain}). Got {vetoed_link!r} instead.")
    if veto_lead_ms >= delay_ms:
        raise ValidationError(f"The 'veto_lead_ms' parameter of experiment 'propagation' must be "
                              f"below delay_ms ({delay_ms:g}). Got {veto_lead_ms!r} instead.")
    neuron = context.lif(synapse=ExpSynapse(tau_ex=p.tau_ex, tau_in=p.tau_in))
    links = from_arrays(np.arange(n_chain - 1), np.arange(1, n_chain), weight_na)

    net = Network()
    net.add_population("chain", neuron, n_chain, record_v=True)
    net.add_population("vetoed", neuron, n_chain, record_v=True)
    net.add_population("veto", neuron, 1, record_v=True)
    net.connect("chain", "chain", links, delay=delay_ms)
    net.connect("vetoed", "vetoed", links, delay=delay_ms)
    # The interneuron fires one link latency after neuron vetoed_link - 2, like neuron
    # vetoed_link - 1 does; its shorter delay brings the inhibition in first.
    net.connect("vetoed", "veto", from_arrays([vetoed_link - 2], [0], weight_na), delay=delay_ms)
    net.connect("veto", "vetoed", from_arrays([0], [vetoed_link], veto_weight_na),
                delay=delay_ms - veto_lead_ms)
    trigger = np.zeros((1, n_chain))
    trigger[0, 0] = weight_na
    for chain in ("chain", "vetoed"):
        net.add_input(chain, [[trigger_ms]], trigger)
    result = net.run(duration, dt=dt, seed=context.seed)

    intact, vetoed, veto = result["chain"], result["vetoed"], result["veto"]
    first_spikes = np.array([times[0] if times.size else np.nan for times in intact.spike_times])
    latency = np.diff(first_spikes)
    predicted = delay_ms + psp_latency(neuron, weight_na)
    fired = np.array([times.size > 0 for times in vetoed.spike_times])
    stopped_at = int(np.argmin(fired)) if not fired.all() else None
    veto_spike = float(veto.spike_times[0][0]) if veto.spike_counts[0] else None
    inhibition_arrives = None if veto_spike is None else veto_spike + delay_ms - veto_lead_ms
    excitation_arrives = float(vetoed.spike_times[vetoed_link - 1][0]) + delay_ms \
        if fired[vetoed_link - 1] else None
    context.say(f"latency per link {latency.mean():.3f} ms (closed form {predicted:.3f} ms); "
                f"vetoed chain stops at neuron {stopped_at}")

    figure = Figure(figsize=(12, 7.5), layout="constrained")
    axes = figure.subplot_mosaic([["chain", "veto"], ["chain", "vetoed"]],
                                 height_ratios=[1, n_chain], sharex=True)
    labels = [f"neuron {i}" for i in range(n_chain)]
    plot_stacked_traces(axes["chain"], intact, neuron, labels=labels,
                        colors=[EXCITATORY] * n_chain, offset_mv=OFFSET_MV)
    for i in range(1, n_chain):
        shift = OFFSET_MV * (n_chain - 1 - i)
        axes["chain"].text(first_spikes[i] - predicted + delay_ms - 0.4, neuron.v_rest + shift + 4,
                           f"+{latency[i - 1]:.2f} ms", fontsize="small", ha="right", va="bottom")
    axes["chain"].axvline(trigger_ms, color=NEUTRAL, lw=0.8, ls="--")
    axes["chain"].set_title(f"Intact chain: one link = {delay_ms:g} ms delay + "
                            f"{predicted - delay_ms:.2f} ms to threshold")

    colors = [EXCITATORY if spiking else NEUTRAL for spiking in fired]
    plot_stacked_traces(axes["vetoed"], vetoed, neuron, labels=labels, colors=colors,
                        offset_mv=OFFSET_MV)
    axes["vetoed"].axvline(trigger_ms, color=NEUTRAL, lw=0.8, ls="--")
    shift = OFFSET_MV * (n_chain - 1 - vetoed_link)
    if inhibition_arrives is not None:
        axes["vetoed"].annotate("inhibition arrives", (inhibition_arrives, neuron.v_rest + shift - 2),
                                xytext=(inhibition_arrives - 9, neuron.v_rest + shift - 14),
                                color=INHIBITORY, fontsize="small",
                                arrowprops=dict(arrowstyle="->", color=INHIBITORY))
    if excitation_arrives is not None:
        axes["vetoed"].annotate("excitation arrives", (excitation_arrives, neuron.v_rest + shift + 1),
                                xytext=(excitation_arrives + 3, neuron.v_rest + shift + 14),
                                color=EXCITATORY, fontsize="small",
                                arrowprops=dict(arrowstyle="->", color=EXCITATORY))
    axes["vetoed"].set_title(f"Second chain: the link into neuron {vetoed_link} is vetoed"
                             if stopped_at is not None else "Second chain: the veto failed")
    plot_stacked_traces(axes["veto"], veto, neuron, labels=["inhibitory\ninterneuron"],
                        colors=[INHIBITORY], scale_bar_mv=0)
    axes["veto"].set_xlabel("")
    axes["veto"].set_ylabel("")
    axes["veto"].set_title(f"Interneuron: excited by neuron {vetoed_link - 2}, inhibits neuron "
                           f"{vetoed_link}", fontsize="medium")
    figure.legend(handles=[
        Line2D([], [], color=NEUTRAL, ls=":", lw=0.8, label=f"threshold of each neuron ({neuron.v_th:g} mV)"),
        Line2D([], [], color=NEUTRAL, ls="--", lw=0.8, label=f"input spike at {trigger_ms:g} ms"),
        Line2D([], [], color=EXCITATORY, label="fired"), Line2D([], [], color=NEUTRAL, label="did not fire"),
    ], loc="outside lower center", ncols=4, fontsize="small")
    context.save_figure(
        figure, "propagation.png",
        f"Membrane potentials along two chains of {n_chain} point LIF neurons, each exciting "
        f"the next through one synapse (exponential, {weight_na:g} nA, {delay_ms:g} ms delay): "
        f"the spike is relayed through synapses, not conducted along an axon. Traces are "
        f"stacked {OFFSET_MV:g} mV apart; the dotted line beside each trace is its neuron's "
        f"threshold, the vertical strokes are drawn spikes (V is reset at once), and the dashed "
        f"line is the input spike that starts both waves. Left: the spike crosses every link "
        f"with the same latency (labels: time since the previous neuron fired). Right: an "
        f"interneuron excited by neuron {vetoed_link - 2} inhibits "
        f"neuron {vetoed_link} ({veto_weight_na:g} nA, {delay_ms - veto_lead_ms:g} ms delay) "
        f"{veto_lead_ms:g} ms before its excitation arrives, and the wave "
        f"stops there (grey: no spike).")
    context.save_data("propagation.npz", t=intact.t, v_chain=intact.v, v_vetoed=vetoed.v,
                      v_veto=veto.v, first_spike_ms=first_spikes)

    return {
        "spike_times_ms": {"chain": [np.round(t, 9).tolist() for t in intact.spike_times],
                           "vetoed_chain": [np.round(t, 9).tolist() for t in vetoed.spike_times],
                           "veto_interneuron": np.round(veto.spike_times[0], 9).tolist()},
        "latency_per_link_ms": np.round(latency, 9),
        "predicted_latency_ms": predicted,
        "max_latency_error_ms": float(np.max(np.abs(latency - predicted))),
        "vetoed_chain_stopped": stopped_at is not None,
        "vetoed_chain_stopped_at_neuron": stopped_at,
        "inhibition_lead_ms": None if excitation_arrives is None or inhibition_arrives is None
        else round(excitation_arrives - inhibition_arrives, 9),
    }

