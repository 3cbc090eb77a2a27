"""Propagation: an action potential travels down a chain of neurons, and inhibition can stop it.

Each neuron of a chain excites the next through one synapse with a delay; a single input spike
to the first neuron starts a wave that crosses every link with the same latency: the synaptic
delay plus the time the postsynaptic potential takes to reach threshold, which the closed form
of the exponential-synapse PSP predicts. A second, identical chain has a side branch: a neuron
of the chain also excites an inhibitory interneuron whose shorter delay makes its inhibition
arrive at a later link just before the excitation does (feed-forward inhibition). That link
fails, and the wave stops there.
"""

import sys

import numpy as np
from matplotlib.figure import Figure
from scipy.optimize import brentq

from spikeneuron import LIF, ExpSynapse, Network, from_arrays
from spikeneuron.experiment import script_main
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, plot_stacked_traces

NAME = "propagation"
TITLE = "An action potential propagates along a chain; feed-forward inhibition vetoes one link"
DESCRIPTION = __doc__.strip().splitlines()[0]

N_CHAIN = 8
WEIGHT_NA = 20.0  # nA, each link (exponential synapse: the PSP peaks about 27 mV above rest)
DELAY_MS = 1.5  # ms, each link of the chains
VETOED_LINK = 5  # neuron of the second chain whose input is vetoed
VETO_WEIGHT_NA = -10.0  # nA (-8 nA already suffices: V then peaks 10 mV below threshold)
VETO_LEAD_MS = 1.0  # the inhibition arrives this long before the excitation
TRIGGER_MS = 5.0  # ms, the input spike that starts both waves
OFFSET_MV = 40.0  # mV between stacked traces


def psp_latency(model, weight_na):
    """Time from a synaptic input to the threshold crossing it causes, from rest, ms (closed form)."""
    tau_s, tau_m = model.synapse.tau_ex, model.tau_m
    def above_threshold(s):
        psp = model.r_m * weight_na * tau_s / (tau_s - tau_m) * (np.exp(-s / tau_s) - np.exp(-s / tau_m))
        return psp - (model.v_th - model.v_rest)
    peak = tau_s * tau_m / (tau_m - tau_s) * np.log(tau_m / tau_s)
    return brentq(above_threshold, 1e-9, peak)


def run(context):
    dt = 0.01 if not context.quick else 0.05  # ms
    duration = 45.0  # ms
    neuron = LIF(tau_m=10.0, v_rest=-70.0, v_reset=-75.0, v_th=-55.0, t_ref=2.0, r_m=10.0,
                 synapse=ExpSynapse(tau_ex=2.0, tau_in=10.0))
    links = from_arrays(np.arange(N_CHAIN - 1), np.arange(1, N_CHAIN), WEIGHT_NA)

    net = Network()
    net.add_population("chain", neuron, N_CHAIN, record_v=True)
    net.add_population("vetoed", neuron, N_CHAIN, record_v=True)
    net.add_population("veto", neuron, 1, record_v=True)
    net.connect("chain", "chain", links, delay=DELAY_MS)
    net.connect("vetoed", "vetoed", links, delay=DELAY_MS)
    # The interneuron fires one link latency after neuron VETOED_LINK - 2, like neuron
    # VETOED_LINK - 1 does; its shorter delay brings the inhibition in first.
    net.connect("vetoed", "veto", from_arrays([VETOED_LINK - 2], [0], WEIGHT_NA), delay=DELAY_MS)
    net.connect("veto", "vetoed", from_arrays([0], [VETOED_LINK], VETO_WEIGHT_NA),
                delay=DELAY_MS - VETO_LEAD_MS)
    trigger = np.zeros((1, N_CHAIN))
    trigger[0, 0] = WEIGHT_NA
    for chain in ("chain", "vetoed"):
        net.add_input(chain, [[TRIGGER_MS]], trigger)
    result = net.run(duration, dt=dt, seed=context.seed)

    intact, vetoed, veto = result["chain"], result["vetoed"], result["veto"]
    first_spikes = np.array([times[0] if times.size else np.nan for times in intact.spike_times])
    latency = np.diff(first_spikes)
    predicted = DELAY_MS + psp_latency(neuron, WEIGHT_NA)
    fired = np.array([times.size > 0 for times in vetoed.spike_times])
    stopped_at = int(np.argmin(fired)) if not fired.all() else None
    veto_spike = float(veto.spike_times[0][0]) if veto.spike_counts[0] else None
    inhibition_arrives = None if veto_spike is None else veto_spike + DELAY_MS - VETO_LEAD_MS
    excitation_arrives = float(vetoed.spike_times[VETOED_LINK - 1][0]) + DELAY_MS \
        if fired[VETOED_LINK - 1] else None
    context.say(f"latency per link {latency.mean():.3f} ms (closed form {predicted:.3f} ms); "
                f"vetoed chain stops at neuron {stopped_at}")

    figure = Figure(figsize=(12, 7.5), layout="constrained")
    axes = figure.subplot_mosaic([["chain", "veto"], ["chain", "vetoed"]],
                                 height_ratios=[1, N_CHAIN], sharex=True)
    labels = [f"neuron {i}" for i in range(N_CHAIN)]
    plot_stacked_traces(axes["chain"], intact, neuron, labels=labels,
                        colors=[EXCITATORY] * N_CHAIN, offset_mv=OFFSET_MV)
    for i in range(1, N_CHAIN):
        shift = OFFSET_MV * (N_CHAIN - 1 - i)
        axes["chain"].text(first_spikes[i] - predicted + DELAY_MS - 0.4, neuron.v_rest + shift + 4,
                           f"+{latency[i - 1]:.2f} ms", fontsize="small", ha="right", va="bottom")
    axes["chain"].axvline(TRIGGER_MS, color=NEUTRAL, lw=0.8, ls="--")
    axes["chain"].set_title(f"Intact chain: one link = {DELAY_MS:g} ms delay + "
                            f"{predicted - DELAY_MS:.2f} ms to threshold")

    colors = [EXCITATORY if spiking else NEUTRAL for spiking in fired]
    plot_stacked_traces(axes["vetoed"], vetoed, neuron, labels=labels, colors=colors,
                        offset_mv=OFFSET_MV)
    axes["vetoed"].axvline(TRIGGER_MS, color=NEUTRAL, lw=0.8, ls="--")
    shift = OFFSET_MV * (N_CHAIN - 1 - VETOED_LINK)
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
    axes["vetoed"].set_title(f"Second chain: the link into neuron {VETOED_LINK} is vetoed"
                             if stopped_at is not None else "Second chain: the veto failed")
    plot_stacked_traces(axes["veto"], veto, neuron, labels=["inhibitory\ninterneuron"],
                        colors=[INHIBITORY], scale_bar_mv=0)
    axes["veto"].set_xlabel("")
    axes["veto"].set_ylabel("")
    axes["veto"].set_title(f"Interneuron: excited by neuron {VETOED_LINK - 2}, inhibits neuron "
                           f"{VETOED_LINK}", fontsize="medium")
    context.save_figure(
        figure, "propagation.png",
        f"Membrane potentials along two chains of {N_CHAIN} LIF neurons (exponential synapses, "
        f"{WEIGHT_NA:g} nA, {DELAY_MS:g} ms delay), traces stacked {OFFSET_MV:g} mV apart; the dashed line "
        f"is the input spike that starts both waves. Left: the spike crosses every link with "
        f"the same latency (labels: time since the previous neuron fired). Right: an "
        f"interneuron excited by neuron {VETOED_LINK - 2} inhibits "
        f"neuron {VETOED_LINK} ({VETO_WEIGHT_NA:g} nA, {DELAY_MS - VETO_LEAD_MS:g} ms delay) "
        f"{VETO_LEAD_MS:g} ms before its excitation arrives, and the wave "
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
        "parameters": {"dt_ms": dt, "duration_ms": duration, "n_chain": N_CHAIN,
                       "link_weight_na": WEIGHT_NA, "link_delay_ms": DELAY_MS,
                       "veto_weight_na": VETO_WEIGHT_NA,
                       "veto_delay_ms": DELAY_MS - VETO_LEAD_MS, "vetoed_neuron": VETOED_LINK,
                       "tau_m_ms": neuron.tau_m, "tau_ex_ms": neuron.synapse.tau_ex,
                       "tau_in_ms": neuron.synapse.tau_in, "v_rest_mv": neuron.v_rest,
                       "v_th_mv": neuron.v_th, "v_reset_mv": neuron.v_reset,
                       "r_m_mohm": neuron.r_m, "trigger_ms": TRIGGER_MS},
    }


if __name__ == "__main__":
    sys.exit(script_main(sys.modules[__name__]))
