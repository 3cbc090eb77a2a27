"""COBA: a balanced network of 4000 LIF neurons with conductance-based synapses.

Benchmark 1 of Brette et al. (2007), the network of Vogels & Abbott (2005): 3200 excitatory
and 800 inhibitory LIF neurons, each ordered pair connected with probability 2 %, synapses
that open a conductance decaying exponentially (5 ms excitatory, reversing at 0 mV; 10 ms
inhibitory, reversing at -80 mV). A spike adds 6 nS (excitatory) or 67 nS (inhibitory) to
its target's conductance: 0.6 and 6.7 times the leak conductance g_L = 1/r_m = 10 nS. A
constant drive of 20 mV (r_m·I with I = 0.2 nA, as BrainPy's COBA benchmark) keeps the
activity going from initial potentials drawn from N(-55, 5) mV. Unlike a current, an
inhibitory conductance pulls V towards -80 mV and shunts: the closer V is to a reversal
potential, the weaker that synapse's effect.

Integration: the conductance synapse's fourth-order scheme (a 200-ms trace within 1e-8 mV of
a tight solve_ivp at dt = 0.1 ms; Brian2's forward Euler is some 0.3 mV off). Delay: one
time step (0.1 ms), the shortest a grid simulator delivers (as NEST); Brian2's script applies
a spike to g in the same step, one step earlier than here, and allows autapses, as here.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import time

import numpy as np

from spikeneuron import LIF, CondExpSynapse, Network, cv_isi, fano_factor, fixed_probability, synchrony
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import (
    EXCITATORY,
    INHIBITORY,
    new_figure,
    plot_network_raster,
    plot_population_rate,
    plot_trace,
)

NAME = "coba"
TITLE = "COBA: 4000 LIF neurons with conductance synapses (Vogels & Abbott 2005, Brette et al. 2007)"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The same kind of random network as CUBA, but each synapse opens a conductance: the
input's effect depends on how far V is from the synapse's reversal potential. The raster shows
asynchronous irregular firing (synchrony near 1/√N), the population rate fluctuates around
mean_rate_hz, the ISIs are irregular (mean_cv_isi) and the spike counts vary about as much as
a Poisson process's (fano_factor). One neuron's trace shows its excitatory and inhibitory
conductances, several times the leak's 10 nS: a high-conductance state, in which the membrane
is faster than its resting time constant."""

DT = 0.1  # ms
N_EXC, N_INH = 3200, 800
P_CONNECT = 0.02
W_EXC_NS, W_INH_NS = 6.0, -67.0  # nS (0.6 and 6.7 g_L)
DRIVE_MV = 20.0  # r_m·I
V_INIT_MEAN, V_INIT_STD = -55.0, 5.0  # mV
NEURON = LIF(tau_m=20.0, v_rest=-60.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0, r_m=100.0,
             synapse=CondExpSynapse(tau_ex=5.0, tau_in=10.0, e_ex=0.0, e_in=-80.0))

PARAMETERS = (
    *lif_parameters(tau_m=NEURON.tau_m, v_rest=NEURON.v_rest, v_reset=NEURON.v_reset,
                    v_th=NEURON.v_th, t_ref=NEURON.t_ref, r_m=NEURON.r_m,
                    dt=Parameter("dt", DT, "ms", "time step (also the synaptic delay)", positive=True)),
    Parameter("tau_ex", NEURON.synapse.tau_ex, "ms", "decay of the excitatory conductance",
              positive=True),
    Parameter("tau_in", NEURON.synapse.tau_in, "ms", "decay of the inhibitory conductance",
              positive=True),
    Parameter("e_ex", NEURON.synapse.e_ex, "mV", "reversal potential of the excitatory conductance"),
    Parameter("e_in", NEURON.synapse.e_in, "mV", "reversal potential of the inhibitory conductance"),
    Parameter("duration", 1000.0, "ms", "simulated network time", positive=True, quick=300.0),
    Parameter("n_exc", N_EXC, "", "excitatory neurons", minimum=1, quick=800),
    Parameter("n_inh", N_INH, "", "inhibitory neurons", minimum=1, quick=200),
    Parameter("p_connect", P_CONNECT, "", "connection probability of every ordered pair "
              "(quick: 0.08, the same in-degree for a quarter of the neurons)", minimum=0.0,
              maximum=1.0, quick=0.08),
    Parameter("w_exc_ns", W_EXC_NS, "nS", "excitatory weight: jump of g_ex", minimum=0.0),
    Parameter("w_inh_ns", W_INH_NS, "nS", "inhibitory weight (negative: |w| onto g_in)",
              maximum=0.0),
    Parameter("drive_mv", DRIVE_MV, "mV", "constant drive r_m·I of every neuron"),
)
KEY_NUMBERS = (
    KeyNumber("mean_rate_hz", "Hz", "mean firing rate over all neurons"),
    KeyNumber("mean_cv_isi", "", "mean CV of the ISIs of neurons with ≥ 3 spikes (Poisson: 1)"),
    KeyNumber("fano_factor", "", "mean Fano factor of the spike counts in 100-ms windows "
              "after the first 100 ms (Poisson: 1)"),
    KeyNumber("synchrony", "", "synchrony χ of the population (5-ms bins; 1: all together, "
              "≈ 1/√N: independent)"),
    KeyNumber("rate_exc_hz", "Hz", "mean rate of the excitatory neurons"),
    KeyNumber("rate_inh_hz", "Hz", "mean rate of the inhibitory neurons"),
    KeyNumber("mean_g_ex_ns", "nS", "time-averaged excitatory conductance of the traced neurons"),
    KeyNumber("mean_g_in_ns", "nS", "time-averaged inhibitory conductance of the traced neurons"),
    KeyNumber("n_spikes", "", "spikes of all neurons"),
    KeyNumber("n_synapses", "", "synapses drawn"),
    KeyNumber("synaptic_events", "", "spikes delivered through synapses"),
    KeyNumber("wall_s", "s", "time of the network simulation alone"),
)
#: Neurons whose V, g_ex and g_in are recorded (of the excitatory population).
TRACED = (0, 1, 2, 3, 4)


def build_network(seed, *, neuron=NEURON, n_exc=N_EXC, n_inh=N_INH, p_connect=P_CONNECT,
                  w_exc_ns=W_EXC_NS, w_inh_ns=W_INH_NS, drive_mv=DRIVE_MV, traced=TRACED):
    """The COBA network (also the benchmark's workload W7), its initial potentials drawn from
    N(-55, 5) mV with ``seed``; ``traced`` excitatory neurons record V, g_ex and g_in."""
    if not isinstance(neuron.synapse, CondExpSynapse):
        raise TypeError(f"The 'neuron' parameter of coba.build_network must be an LIF with a "
                        f"CondExpSynapse: its weights are conductances in nS. Got synapse "
                        f"{neuron.synapse!r} instead.")
    initial = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    current = drive_mv / neuron.r_m  # nA
    record = dict(record_v=list(traced), record_vars=["g_ex", "g_in"]) if traced else {}
    net = Network()
    net.add_population("exc", neuron, n_exc, current=current,
                       v_init=initial.normal(V_INIT_MEAN, V_INIT_STD, n_exc), **record)
    net.add_population("inh", neuron, n_inh, current=current,
                       v_init=initial.normal(V_INIT_MEAN, V_INIT_STD, n_inh))
    for post in ("exc", "inh"):
        net.connect("exc", post, fixed_probability(p_connect, w_exc_ns))
        net.connect("inh", post, fixed_probability(p_connect, w_inh_ns))
    return net


def run(context):
    p = context.parameters
    duration = p.duration
    neuron = context.lif(synapse=CondExpSynapse(tau_ex=p.tau_ex, tau_in=p.tau_in, e_ex=p.e_ex,
                                                e_in=p.e_in))
    net = build_network(context.seed, neuron=neuron, n_exc=p.n_exc, n_inh=p.n_inh,
                        p_connect=p.p_connect, w_exc_ns=p.w_exc_ns, w_inh_ns=p.w_inh_ns,
                        drive_mv=p.drive_mv, traced=TRACED[:min(len(TRACED), p.n_exc)])
    started = time.perf_counter()
    result = net.run(duration, dt=p.dt, seed=context.seed)
    wall_s = time.perf_counter() - started

    exc, inh = result["exc"], result["inh"]
    spike_times = exc.spike_times + inh.spike_times
    rates_hz = np.concatenate([exc.rates, inh.rates])
    cvs = np.array([cv_isi(times) for times in spike_times])
    settled = 100.0 if duration >= 300.0 else 0.0  # the Fano factor leaves the transient out
    fano = fano_factor([times[times >= settled] - settled for times in spike_times],
                       duration - settled, window_ms=100.0 if duration - settled >= 200.0
                       else (duration - settled) / 2)
    chi = synchrony(spike_times, duration, bin_ms=5.0)
    n_spikes = int(sum(times.size for times in spike_times))
    n_synapses = sum(projection.weights.nnz for projection in result.projections)
    g_ex, g_in = exc.traces["g_ex"], exc.traces["g_in"]
    context.say(f"{rates_hz.mean():.2f} Hz, CV {np.nanmean(cvs):.2f}, Fano {fano:.2f}, "
                f"χ {chi:.3f}, {n_spikes} spikes, {wall_s:.2f} s for {duration:g} ms")

    shown_exc, shown_inh = min(400, p.n_exc), min(100, p.n_inh)
    figure, _ = new_figure(1, 1, width=12, height=8.4)
    figure.clear()
    grid = figure.add_gridspec(3, 2, height_ratios=[1.3, 1.0, 1.0])
    ax_raster = figure.add_subplot(grid[0, 0])
    ax_rate = figure.add_subplot(grid[0, 1])
    ax_v = figure.add_subplot(grid[1, 0])
    ax_g = figure.add_subplot(grid[2, 0], sharex=ax_v)
    ax_rates = figure.add_subplot(grid[1:, 1])
    plot_network_raster(ax_raster, result, populations=["inh", "exc"],
                        max_neurons={"exc": shown_exc, "inh": shown_inh}, marker_size=2.0)
    ax_raster.set_title(f"Spikes of {shown_exc + shown_inh} of the {p.n_exc + p.n_inh} neurons")
    ax_raster.set_ylabel("")
    plot_population_rate(ax_rate, result, bin_ms=2.0, label="all neurons, 2 ms bins")
    ax_rate.axhline(rates_hz.mean(), color="#7f7f7f", ls="--", lw=1.0,
                    label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rate.legend(loc="upper right", fontsize="small", ncols=2)
    ax_rate.set_title(f"Population rate: asynchronous (synchrony χ = {chi:.3f})")
    traced = int(np.argmax(exc.spike_counts[:len(TRACED)])) if exc.recorded.size else 0
    plot_trace(ax_v, exc, neuron=traced, spike_height_mv=-40.0, conductance_ax=ax_g)
    ax_v.set_xlabel("")
    ax_v.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize="small", ncols=3,
                frameon=False, title=f"Excitatory neuron {traced}: membrane potential ...",
                title_fontsize="medium", alignment="left")
    ax_g.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize="small", ncols=2,
                frameon=False, title="... and its synaptic conductances",
                title_fontsize="medium", alignment="left")
    quantum = 1000.0 / result.duration  # rates over the run are multiples of it
    width = quantum * max(1, int(np.ceil(rates_hz.max() / quantum / 40)))
    bins = np.arange(0.0, rates_hz.max() + width, width)
    ax_rates.hist([exc.rates, inh.rates], bins=bins, stacked=True,
                  color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_rates.axvline(rates_hz.mean(), color="black", ls="--", lw=1.0,
                     label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rates.set_xlabel("firing rate over the run (Hz)")
    ax_rates.set_ylabel("number of neurons")
    ax_rates.legend(loc="upper right", fontsize="small")
    ax_rates.set_title(f"Firing rates (stacked); CV of ISIs {np.nanmean(cvs):.2f}, "
                       f"Fano factor {fano:.2f}", fontsize="medium")
    context.save_figure(
        figure, "coba.png",
        f"COBA benchmark, {p.n_exc + p.n_inh} neurons, {duration:g} ms at dt = {p.dt:g} ms, "
        f"from potentials drawn from N({V_INIT_MEAN:g}, {V_INIT_STD:g}) mV. Top: spikes of "
        f"{shown_exc} excitatory (red) and {shown_inh} inhibitory (blue) neurons, and the rate "
        f"of the whole population in 2-ms bins. Left: one excitatory neuron's potential "
        f"(spikes drawn as strokes) and its excitatory (red) and inhibitory (blue) "
        f"conductances, in nS; the dotted line is the leak conductance 1/r_m. Right: each "
        f"neuron's firing rate over the run, excitatory and inhibitory stacked.")
    t_rate, population_rate_hz = result.population_rate(bin_ms=2.0)
    context.save_data("coba.npz", rates_hz=rates_hz, cv_isi=cvs, t_rate_ms=t_rate,
                      population_rate_hz=population_rate_hz, t_ms=exc.t, v_traced=exc.v,
                      g_ex_traced=g_ex, g_in_traced=g_in,
                      spike_steps_exc=exc.spike_steps, spike_neurons_exc=exc.spike_neurons,
                      spike_steps_inh=inh.spike_steps, spike_neurons_inh=inh.spike_neurons)
    return {
        "mean_rate_hz": float(rates_hz.mean()),
        "mean_cv_isi": float(np.nanmean(cvs)),
        "fano_factor": fano,
        "synchrony": chi,
        "rate_exc_hz": float(exc.rates.mean()),
        "rate_inh_hz": float(inh.rates.mean()),
        "mean_g_ex_ns": float(g_ex.mean()),
        "mean_g_in_ns": float(g_in.mean()),
        "n_spikes": n_spikes,
        "n_synapses": int(n_synapses),
        "synaptic_events": result.synaptic_events,
        "wall_s": wall_s,
    }
