"""COBAHH: a network of 4000 Traub–Miles neurons with exponential synaptic conductances.

Benchmark 3 of Brette et al. (2007), as Brian2's COBAHH example builds it: 3200 excitatory and
800 inhibitory Hodgkin–Huxley neurons of Traub & Miles (1991) type (membrane of 20 000 µm²,
200 pF, V_T = -63 mV), each ordered pair connected with probability 2 %, conductance jumps of
6 nS (excitatory, reversing at 0 mV, 5 ms) and 67 nS (inhibitory, -80 mV, 10 ms). Potentials
start at E_L + N(-5, 5) mV with the gates at their steady state, the conductances at
N(40, 15) nS and N(200, 120) nS (Brian2's initial values); there is no external input: the
network's own activity, and the neurons' spontaneous firing (they have no stable rest), keep
it going. Spikes are upward crossings of -20 mV; the delay is one step (0.1 ms).
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import time

import numpy as np

from spikeneuron import CondExpSynapse, Network, TraubMiles, cv_isi, fano_factor, fixed_probability, synchrony
from spikeneuron.lab import KeyNumber, Parameter, traub_parameters
from spikeneuron.plotting import (
    EXCITATORY,
    INHIBITORY,
    new_figure,
    plot_network_raster,
    plot_population_rate,
    plot_trace,
)

NAME = "cobahh"
TITLE = "COBAHH: 4000 Traub–Miles neurons with conductance synapses (Brette et al. 2007)"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The same random wiring as CUBA, but each neuron is a Hodgkin–Huxley membrane and each
synapse a conductance: the raster and the population rate show irregular, asynchronous
activity (mean_rate_hz; synchrony χ about 1/√N for independent neurons, 1 lock-step), the rates
spread over a wide range, and the trace shows how the excitatory and inhibitory conductances
(tens and hundreds of nS against a leak of 10 nS) pull V towards their reversal potentials."""

DT = 0.1  # ms
N_EXC, N_INH = 3200, 800
P_CONNECT = 0.02
W_EXC_NS, W_INH_NS = 6.0, -67.0  # nS; negative: |w| onto g_in, as in coba
NEURON = TraubMiles(synapse=CondExpSynapse(tau_ex=5.0, tau_in=10.0, e_ex=0.0, e_in=-80.0))

PARAMETERS = (
    *traub_parameters(dt=Parameter("dt", DT, "ms", "time step (also the synaptic delay)",
                                   positive=True)),
    Parameter("duration", 1000.0, "ms", "simulated network time", positive=True, quick=200.0),
    Parameter("n_exc", N_EXC, "", "excitatory neurons", minimum=1, quick=800),
    Parameter("n_inh", N_INH, "", "inhibitory neurons", minimum=1, quick=200),
    Parameter("p_connect", P_CONNECT, "", "connection probability of every ordered pair (quick: "
              "0.08, keeping the in-degree of 80 at a quarter of the neurons)", minimum=0.0,
              maximum=1.0, quick=0.08),
    Parameter("w_exc_ns", W_EXC_NS, "nS", "excitatory conductance jump", minimum=0.0),
    Parameter("w_inh_ns", W_INH_NS, "nS", "inhibitory weight (negative: |w| onto g_in)", maximum=0.0),
    Parameter("tau_ex", NEURON.synapse.tau_ex, "ms", "decay of the excitatory conductance",
              positive=True),
    Parameter("tau_in", NEURON.synapse.tau_in, "ms", "decay of the inhibitory conductance",
              positive=True),
)
KEY_NUMBERS = (
    KeyNumber("mean_rate_hz", "Hz", "mean firing rate over all neurons"),
    KeyNumber("mean_cv_isi", "", "mean CV of the ISIs of neurons with ≥ 3 spikes (Poisson: 1)"),
    KeyNumber("fano_factor", "", "mean Fano factor of the spike counts in 100-ms windows "
              "(half the run if it is shorter than 200 ms)"),
    KeyNumber("synchrony", "", "synchrony χ of the spike counts in 5-ms bins (Golomb 2007: "
              "1 lock-step, about 1/√N for independent neurons)"),
    KeyNumber("rate_exc_hz", "Hz", "mean rate of the excitatory neurons"),
    KeyNumber("rate_inh_hz", "Hz", "mean rate of the inhibitory neurons"),
    KeyNumber("n_spikes", "", "spikes of all neurons"),
    KeyNumber("n_synapses", "", "synapses drawn"),
    KeyNumber("wall_s", "s", "time of the network simulation alone"),
)


def build_network(seed, *, neuron=NEURON, n_exc=N_EXC, n_inh=N_INH, p_connect=P_CONNECT,
                  w_exc_ns=W_EXC_NS, w_inh_ns=W_INH_NS, record=None):
    """The COBAHH network (also the benchmark's workload W8), its initial state drawn with
    seed; ``record`` (a neuron index of the excitatory population) records its V and g."""
    initial = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    net = Network()
    for name, n in (("exc", n_exc), ("inh", n_inh)):
        init = {"g_ex": np.maximum(initial.normal(40.0, 15.0, n), 0.0),
                "g_in": np.maximum(initial.normal(200.0, 120.0, n), 0.0)}
        recorded = name == "exc" and record is not None
        net.add_population(name, neuron, n, v_init=neuron.e_l + initial.normal(-5.0, 5.0, n),
                           init=init, record_v=[record] if recorded else False,
                           record_vars=("g_ex", "g_in") if recorded else ())
    for post in ("exc", "inh"):
        net.connect("exc", post, fixed_probability(p_connect, w_exc_ns))
        net.connect("inh", post, fixed_probability(p_connect, w_inh_ns))
    return net


def run(context):
    p = context.parameters
    neuron = context.traub(synapse=CondExpSynapse(tau_ex=p.tau_ex, tau_in=p.tau_in))
    net = build_network(context.seed, neuron=neuron, n_exc=p.n_exc, n_inh=p.n_inh,
                        p_connect=p.p_connect, w_exc_ns=p.w_exc_ns, w_inh_ns=p.w_inh_ns,
                        record=0)
    started = time.perf_counter()
    result = net.run(p.duration, dt=p.dt, seed=context.seed)
    wall_s = time.perf_counter() - started

    spike_times = result["exc"].spike_times + result["inh"].spike_times
    rates_hz = np.concatenate([result["exc"].rates, result["inh"].rates])
    cvs = np.array([cv_isi(times) for times in spike_times])
    duration = result["exc"].duration
    fano = fano_factor(spike_times, duration, window_ms=min(100.0, duration / 2))
    sync = synchrony(spike_times, result["exc"].duration)
    n_spikes = int(sum(times.size for times in spike_times))
    n_synapses = sum(projection.weights.nnz for projection in result.projections)
    context.say(f"{rates_hz.mean():.2f} Hz, CV {np.nanmean(cvs):.2f}, Fano {fano:.2f}, "
                f"synchrony {sync:.3f}, {wall_s:.2f} s for {p.duration:g} ms")

    shown_exc, shown_inh = min(400, p.n_exc), min(100, p.n_inh)
    figure, axes = new_figure(3, 2, width=12, height=3.4, height_ratios=[1.3, 1, 1])
    ax_raster, ax_rate, ax_v, ax_g, ax_rates, ax_cv = axes
    plot_network_raster(ax_raster, result, populations=["inh", "exc"],
                        max_neurons={"exc": shown_exc, "inh": shown_inh}, marker_size=2.0)
    ax_raster.set_title(f"Spikes of {shown_exc + shown_inh} of the {p.n_exc + p.n_inh} neurons")
    ax_raster.set_ylabel("")
    plot_population_rate(ax_rate, result, bin_ms=2.0, label="all neurons, 2 ms bins")
    ax_rate.axhline(rates_hz.mean(), color="#7f7f7f", ls="--", lw=1.0,
                    label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rate.legend(loc="upper right", fontsize="small", ncols=2)
    ax_rate.set_title(f"Population rate (synchrony {sync:.3f})")
    exc = result["exc"]
    shown = int(exc.recorded[0])
    plot_trace(ax_v, exc, neuron=shown, label=f"V, excitatory neuron {shown}", conductance_ax=ax_g)
    ax_v.set_ylim(-95.0, 125.0)  # room above the spikes for the legend, below the spike marks
    ax_v.set_yticks(np.arange(-80.0, 41.0, 40.0))
    ax_v.legend(loc="upper center", bbox_to_anchor=(0.5, 0.93), fontsize="x-small", ncols=3)
    ax_v.set_title(f"One neuron: {exc.spike_counts[shown]} spikes")
    ax_g.set_title("Its synaptic conductances")
    quantum = 1000.0 / result["exc"].duration
    width = quantum * max(1, int(np.ceil(rates_hz.max() / quantum / 40)))
    bins = np.arange(0.0, rates_hz.max() + width, width)
    ax_rates.hist([result["exc"].rates, result["inh"].rates], bins=bins, stacked=True,
                  color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_rates.axvline(rates_hz.mean(), color="black", ls="--", lw=1.0,
                     label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rates.set_xlabel("firing rate over the run (Hz)")
    ax_rates.set_ylabel("number of neurons")
    ax_rates.legend(loc="upper right", fontsize="small")
    ax_rates.set_title("Firing rates (stacked: inhibitory on top)")
    finite = np.isfinite(cvs)
    n_exc = p.n_exc
    ax_cv.hist([cvs[:n_exc][finite[:n_exc]], cvs[n_exc:][finite[n_exc:]]],
               bins=np.linspace(0.0, max(1.5, np.nanmax(cvs) * 1.02) if finite.any() else 1.5, 40),
               stacked=True, color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_cv.axvline(1.0, color="#7f7f7f", ls=":", lw=1.0, label="Poisson (CV = 1)")
    ax_cv.set_xlabel("CV of the inter-spike intervals")
    ax_cv.set_ylabel("number of neurons")
    ax_cv.legend(loc="upper right", fontsize="small")
    ax_cv.set_title(f"ISI CV of the {int(finite.sum())} neurons with ≥ 3 spikes "
                    f"(mean {np.nanmean(cvs):.2f})", fontsize="medium")
    context.save_figure(
        figure, "cobahh.png",
        f"COBAHH benchmark, {p.duration:g} ms at dt = {p.dt:g} ms, {p.n_exc} excitatory and "
        f"{p.n_inh} inhibitory Traub–Miles neurons from Brian2's random initial state. Top: "
        f"spikes of {shown_exc} excitatory (red) and {shown_inh} inhibitory (blue) neurons, "
        f"and the rate of the whole population in 2-ms bins. Middle: the potential of one "
        f"excitatory neuron and its excitatory and inhibitory conductances (the leak, 10 nS, "
        f"dotted). Bottom: histograms, stacked, of each neuron's rate over the run and of the "
        f"CV of its inter-spike intervals.")
    t_rate, population_rate_hz = result.population_rate(bin_ms=2.0)
    context.save_data("cobahh.npz", rates_hz=rates_hz, cv_isi=cvs, t_rate_ms=t_rate,
                      population_rate_hz=population_rate_hz)
    return {
        "mean_rate_hz": float(rates_hz.mean()),
        "mean_cv_isi": float(np.nanmean(cvs)) if finite.any() else float("nan"),
        "fano_factor": fano,
        "synchrony": sync,
        "rate_exc_hz": float(result["exc"].rates.mean()),
        "rate_inh_hz": float(result["inh"].rates.mean()),
        "n_spikes": n_spikes,
        "n_synapses": int(n_synapses),
        "wall_s": wall_s,
    }
