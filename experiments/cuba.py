"""CUBA: a balanced network of 4000 LIF neurons with exponential synaptic currents.

Benchmark 2 of Brette et al. (2007), the current-based version of the network of Vogels &
Abbott (2005): 3200 excitatory and 800 inhibitory LIF neurons, each pair connected with
probability 2 % (no autapses), exponential synaptic currents (5 ms excitatory, 10 ms
inhibitory). The leak reversal (-49 mV) lies above threshold (-50 mV), so every neuron would
fire regularly on its own; recurrent inhibition balances the excitation and the network
settles into asynchronous firing at a few Hz, with no external input. The firing is irregular
but not Poisson: the coefficients of variation of the inter-spike intervals spread around 0.5
(Poisson firing has CV 1, a clock 0), so each neuron is more regular than a Poisson process
(and a run of one second, counting only neurons with at least 3 spikes, biases the CV of the
slowest neurons down).

Weights: the benchmark adds 1.62 mV (excitatory) and -9 mV (inhibitory) to synaptic variables
g that enter as tau_m dV/dt = -(V - E_l) + g_e + g_i. Here tau_m dV/dt = -(V - v_rest) +
r_m I_syn, so r_m I_syn plays the part of g and the weights are w_mV / r_m nA. Delay: one time
step (0.1 ms), the shortest a grid simulator can deliver (as NEST); Brian's script of the
benchmark applies a spike to g in the same step, which moves V from the next step on, one step
earlier than here; PyNN's version uses 0.2 ms.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import time

import numpy as np

from spikeneuron import LIF, ExpSynapse, Network, cv_isi, fixed_probability
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import EXCITATORY, INHIBITORY, new_figure, plot_network_raster, plot_population_rate

NAME = "cuba"
TITLE = "CUBA: a balanced network of 4000 LIF neurons (Vogels & Abbott 2005, Brette et al. 2007)"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """Many neurons like the ones above, wired at random with signed weights, and no input:
the raster shows no synchronous waves, the population rate fluctuates around a few Hz
(mean_rate_hz, published about 5.6 Hz), and the firing rates spread widely, many neurons
nearly silent (n_silent). The CV histogram says how irregular the firing is: around
mean_cv_isi ≈ 0.5, irregular but more regular than Poisson firing (CV 1)."""

DT = 0.1  # ms
N_EXC, N_INH = 3200, 800
P_CONNECT = 0.02
W_EXC_MV, W_INH_MV = 1.62, -9.0  # mV, jumps of g = r_m I_syn
NEURON = LIF(tau_m=20.0, v_rest=-49.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0, r_m=10.0,
             synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))

PARAMETERS = (
    *lif_parameters(tau_m=NEURON.tau_m, v_rest=NEURON.v_rest, v_reset=NEURON.v_reset,
                    v_th=NEURON.v_th, t_ref=NEURON.t_ref, r_m=NEURON.r_m,
                    dt=Parameter("dt", DT, "ms", "time step (also the synaptic delay)", positive=True)),
    Parameter("tau_ex", NEURON.synapse.tau_ex, "ms", "decay of the excitatory synaptic current",
              positive=True),
    Parameter("tau_in", NEURON.synapse.tau_in, "ms", "decay of the inhibitory synaptic current",
              positive=True),
    Parameter("duration", 1000.0, "ms", "simulated network time", positive=True, quick=400.0),
    Parameter("n_exc", N_EXC, "", "excitatory neurons", minimum=1),
    Parameter("n_inh", N_INH, "", "inhibitory neurons", minimum=1),
    Parameter("p_connect", P_CONNECT, "", "connection probability of every ordered pair",
              minimum=0.0, maximum=1.0),
    Parameter("w_exc_mv", W_EXC_MV, "mV", "excitatory weight as a jump of r_m·I_syn", minimum=0.0),
    Parameter("w_inh_mv", W_INH_MV, "mV", "inhibitory weight as a jump of r_m·I_syn", maximum=0.0),
)
KEY_NUMBERS = (
    KeyNumber("mean_rate_hz", "Hz", "mean firing rate over all neurons (published ≈ 5.6 Hz)"),
    KeyNumber("mean_cv_isi", "", "mean CV of the ISIs of neurons with ≥ 3 spikes (Poisson: 1)"),
    KeyNumber("rate_exc_hz", "Hz", "mean rate of the excitatory neurons"),
    KeyNumber("rate_inh_hz", "Hz", "mean rate of the inhibitory neurons"),
    KeyNumber("n_spikes", "", "spikes of all neurons"),
    KeyNumber("n_silent", "", "neurons that never fired"),
    KeyNumber("n_synapses", "", "synapses drawn"),
    KeyNumber("synaptic_events", "", "spikes delivered through synapses"),
    KeyNumber("wall_s", "s", "time of the network simulation alone"),
)


def build_network(seed, *, neuron=NEURON, n_exc=N_EXC, n_inh=N_INH, p_connect=P_CONNECT,
                  w_exc_mv=W_EXC_MV, w_inh_mv=W_INH_MV):
    """The CUBA network (also the benchmark's workload W3), its initial potentials drawn with seed."""
    w_exc, w_inh = w_exc_mv / neuron.r_m, w_inh_mv / neuron.r_m  # nA
    initial = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    net = Network()
    net.add_population("exc", neuron, n_exc, v_init=initial.uniform(neuron.v_reset, neuron.v_th, n_exc))
    net.add_population("inh", neuron, n_inh, v_init=initial.uniform(neuron.v_reset, neuron.v_th, n_inh))
    for post in ("exc", "inh"):
        net.connect("exc", post, fixed_probability(p_connect, w_exc, autapses=False))
        net.connect("inh", post, fixed_probability(p_connect, w_inh, autapses=False))
    return net


def run(context):
    p = context.parameters
    duration, n_exc = p.duration, p.n_exc
    neuron = context.lif(synapse=ExpSynapse(tau_ex=p.tau_ex, tau_in=p.tau_in))
    net = build_network(context.seed, neuron=neuron, n_exc=p.n_exc, n_inh=p.n_inh,
                        p_connect=p.p_connect, w_exc_mv=p.w_exc_mv, w_inh_mv=p.w_inh_mv)
    started = time.perf_counter()
    result = net.run(duration, dt=p.dt, seed=context.seed)
    wall_s = time.perf_counter() - started

    spike_times = result["exc"].spike_times + result["inh"].spike_times
    rates_hz = np.concatenate([result["exc"].rates, result["inh"].rates])
    cvs = np.array([cv_isi(times) for times in spike_times])
    n_spikes = int(sum(times.size for times in spike_times))
    n_synapses = sum(projection.weights.nnz for projection in result.projections)
    context.say(f"{rates_hz.mean():.2f} Hz, CV {np.nanmean(cvs):.2f}, {n_spikes} spikes, "
                f"{wall_s:.2f} s for {duration:g} ms")

    shown_exc, shown_inh = min(400, p.n_exc), min(100, p.n_inh)
    figure, axes = new_figure(2, 2, width=12, height=3.6, height_ratios=[1.3, 1])
    ax_raster, ax_rate, ax_rates, ax_cv = axes
    plot_network_raster(ax_raster, result, populations=["inh", "exc"],
                        max_neurons={"exc": shown_exc, "inh": shown_inh}, marker_size=2.0)
    ax_raster.set_title(f"Spikes of {shown_exc + shown_inh} of the {p.n_exc + p.n_inh} neurons")
    ax_raster.set_ylabel("")
    plot_population_rate(ax_rate, result, bin_ms=2.0, label="all neurons, 2 ms bins")
    ax_rate.axhline(rates_hz.mean(), color="#7f7f7f", ls="--", lw=1.0,
                    label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rate.legend(loc="upper right", fontsize="small", ncols=2)
    ax_rate.set_title("Population rate: asynchronous (no synchronous waves)")
    # Rates over the run are multiples of 1000/duration Hz: bins aligned on that quantum.
    quantum = 1000.0 / result.duration
    width = quantum * max(1, int(np.ceil(rates_hz.max() / quantum / 40)))
    bins = np.arange(0.0, rates_hz.max() + width, width)  # the first bar holds the silent neurons
    n_silent = int(np.sum(rates_hz == 0))
    ax_rates.hist([result["exc"].rates, result["inh"].rates], bins=bins, stacked=True,
                  color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_rates.axvline(rates_hz.mean(), color="black", ls="--", lw=1.0,
                     label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rates.set_xlabel("firing rate over the run (Hz)")
    ax_rates.set_ylabel("number of neurons")
    ax_rates.legend(loc="upper right", fontsize="small")
    ax_rates.set_title(f"Firing rates (stacked: inhibitory on top); {n_silent} neurons silent")
    finite = np.isfinite(cvs)
    ax_cv.hist([cvs[:n_exc][finite[:n_exc]], cvs[n_exc:][finite[n_exc:]]],
               bins=np.linspace(0.0, max(1.5, np.nanmax(cvs) * 1.02), 40), stacked=True,
               color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_cv.axvline(np.nanmean(cvs), color="black", ls="--", lw=1.0,
                  label=f"mean {np.nanmean(cvs):.2f}")
    ax_cv.axvline(1.0, color="#7f7f7f", ls=":", lw=1.0, label="Poisson (CV = 1)")
    ax_cv.set_xlabel("CV of the inter-spike intervals")
    ax_cv.set_ylabel("number of neurons")
    ax_cv.legend(loc="upper right", fontsize="small")
    ax_cv.set_title(f"ISI CV of the {int(finite.sum())} neurons with ≥ 3 spikes (stacked): "
                    f"below Poisson", fontsize="medium")
    context.save_figure(
        figure, "cuba.png",
        f"CUBA benchmark, {duration:g} ms at dt = {p.dt:g} ms, from random initial "
        f"potentials (the first tens of ms are the transient). Top: spikes of {shown_exc} "
        f"excitatory (red) and {shown_inh} inhibitory (blue) neurons, and the rate of the whole "
        f"population in 2-ms bins. Bottom: histograms, excitatory and inhibitory stacked, of "
        f"each neuron's firing rate over the run (the first bar, from 0 Hz, includes the "
        f"{n_silent} silent neurons) and of the coefficient of variation of its inter-spike "
        f"intervals: mean {np.nanmean(cvs):.2f}, irregular firing but more regular than "
        f"Poisson (CV = 1, dotted).")
    t_rate, population_rate_hz = result.population_rate(bin_ms=2.0)
    context.save_data("cuba.npz", rates_hz=rates_hz, cv_isi=cvs, t_rate_ms=t_rate,
                      population_rate_hz=population_rate_hz,
                      spike_steps_exc=result["exc"].spike_steps,
                      spike_neurons_exc=result["exc"].spike_neurons,
                      spike_steps_inh=result["inh"].spike_steps,
                      spike_neurons_inh=result["inh"].spike_neurons)
    return {
        "mean_rate_hz": float(rates_hz.mean()),
        "mean_cv_isi": float(np.nanmean(cvs)),
        "n_spikes": n_spikes,
        "n_silent": n_silent,
        "wall_s": wall_s,  # the network simulation alone
        "rate_exc_hz": float(result["exc"].rates.mean()),
        "rate_inh_hz": float(result["inh"].rates.mean()),
        "n_synapses": int(n_synapses),
        "synaptic_events": result.synaptic_events,
    }

