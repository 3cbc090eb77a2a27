"""CUBA: a balanced network of 4000 LIF neurons with exponential synaptic currents.

Benchmark 2 of Brette et al. (2007), the current-based version of the network of Vogels &
Abbott (2005): 3200 excitatory and 800 inhibitory LIF neurons, each pair connected with
probability 2 % (no autapses), exponential synaptic currents (5 ms excitatory, 10 ms
inhibitory). The leak reversal (-49 mV) lies above threshold (-50 mV), so every neuron would
fire regularly on its own; recurrent inhibition balances the excitation and the network
settles into irregular, asynchronous firing at a few Hz, with no external input.

Weights: the benchmark adds 1.62 mV (excitatory) and -9 mV (inhibitory) to synaptic variables
g that enter as tau_m dV/dt = -(V - E_l) + g_e + g_i. Here tau_m dV/dt = -(V - v_rest) +
r_m I_syn, so r_m I_syn plays the part of g and the weights are w_mV / r_m nA. Delay: one time
step (0.1 ms), the shortest a grid simulator can deliver (as NEST); Brian's script of the
benchmark applies a spike to g in the same step, which moves V from the next step on, one step
earlier than here; PyNN's version uses 0.2 ms.
"""

import sys
import time

import numpy as np

from spikeneuron import LIF, ExpSynapse, Network, cv_isi, fixed_probability
from spikeneuron.experiment import script_main
from spikeneuron.plotting import (EXCITATORY, INHIBITORY, new_figure, plot_network_raster,
                                  plot_population_rate)

NAME = "cuba"
TITLE = "CUBA: a balanced network of 4000 LIF neurons (Vogels & Abbott 2005, Brette et al. 2007)"
DESCRIPTION = __doc__.strip().splitlines()[0]

DT = 0.1  # ms
N_EXC, N_INH = 3200, 800
P_CONNECT = 0.02
W_EXC_MV, W_INH_MV = 1.62, -9.0  # mV, jumps of g = r_m I_syn
NEURON = LIF(tau_m=20.0, v_rest=-49.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0, r_m=10.0,
             synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))


def build_network(seed):
    """The CUBA network (also the benchmark's workload W3), its initial potentials drawn with seed."""
    neuron = NEURON
    w_exc, w_inh = W_EXC_MV / neuron.r_m, W_INH_MV / neuron.r_m  # nA
    initial = np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])
    net = Network()
    net.add_population("exc", neuron, N_EXC, v_init=initial.uniform(neuron.v_reset, neuron.v_th, N_EXC))
    net.add_population("inh", neuron, N_INH, v_init=initial.uniform(neuron.v_reset, neuron.v_th, N_INH))
    for post in ("exc", "inh"):
        net.connect("exc", post, fixed_probability(P_CONNECT, w_exc, autapses=False))
        net.connect("inh", post, fixed_probability(P_CONNECT, w_inh, autapses=False))
    return net


def run(context):
    duration = 400.0 if context.quick else 1000.0  # ms
    neuron = NEURON
    w_exc, w_inh = W_EXC_MV / neuron.r_m, W_INH_MV / neuron.r_m  # nA
    net = build_network(context.seed)
    started = time.perf_counter()
    result = net.run(duration, dt=DT, seed=context.seed)
    wall_s = time.perf_counter() - started

    spike_times = result["exc"].spike_times + result["inh"].spike_times
    rates_hz = np.concatenate([result["exc"].rates, result["inh"].rates])
    cvs = np.array([cv_isi(times) for times in spike_times])
    n_spikes = int(sum(times.size for times in spike_times))
    n_synapses = sum(projection.weights.nnz for projection in result.projections)
    context.say(f"{rates_hz.mean():.2f} Hz, CV {np.nanmean(cvs):.2f}, {n_spikes} spikes, "
                f"{wall_s:.2f} s for {duration:g} ms")

    figure, axes = new_figure(2, 2, width=12, height=3.6, height_ratios=[1.3, 1])
    ax_raster, ax_rate, ax_rates, ax_cv = axes
    plot_network_raster(ax_raster, result, populations=["inh", "exc"],
                        max_neurons={"exc": 400, "inh": 100}, marker_size=2.0)
    ax_raster.set_title(f"Spikes of 500 of the {N_EXC + N_INH} neurons")
    ax_raster.set_ylabel("")
    plot_population_rate(ax_rate, result, bin_ms=2.0, label="all neurons, 2 ms bins")
    ax_rate.axhline(rates_hz.mean(), color="#7f7f7f", ls="--", lw=1.0,
                    label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rate.legend(loc="upper right", fontsize="small", ncols=2)
    ax_rate.set_title("Population rate: asynchronous, irregular activity")
    # Rates over the run are multiples of 1000/duration Hz: bins aligned on that quantum.
    quantum = 1000.0 / result.duration
    width = quantum * max(1, int(np.ceil(rates_hz.max() / quantum / 40)))
    bins = np.arange(-width / 2, rates_hz.max() + width, width)
    ax_rates.hist([result["exc"].rates, result["inh"].rates], bins=bins, stacked=True,
                  color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_rates.axvline(rates_hz.mean(), color="black", ls="--", lw=1.0,
                     label=f"mean {rates_hz.mean():.2f} Hz")
    ax_rates.set_xlabel("firing rate over the run (Hz)")
    ax_rates.set_ylabel("number of neurons")
    ax_rates.legend(loc="upper right", fontsize="small")
    ax_rates.set_title("Distribution of firing rates")
    finite = np.isfinite(cvs)
    ax_cv.hist([cvs[:N_EXC][finite[:N_EXC]], cvs[N_EXC:][finite[N_EXC:]]],
               bins=np.linspace(0.0, max(1.5, np.nanmax(cvs) * 1.02), 40), stacked=True,
               color=[EXCITATORY, INHIBITORY], label=["excitatory", "inhibitory"])
    ax_cv.axvline(np.nanmean(cvs), color="black", ls="--", lw=1.0,
                  label=f"mean {np.nanmean(cvs):.2f}")
    ax_cv.axvline(1.0, color="#7f7f7f", ls=":", lw=1.0, label="Poisson (CV = 1)")
    ax_cv.set_xlabel("CV of the inter-spike intervals")
    ax_cv.set_ylabel("number of neurons")
    ax_cv.legend(loc="upper right", fontsize="small")
    ax_cv.set_title(f"Irregularity ({int(finite.sum())} neurons with at least 3 spikes)")
    context.save_figure(
        figure, "cuba.png",
        f"CUBA benchmark, {duration:g} ms at dt = {DT:g} ms. Top: raster of 400 excitatory (red) "
        f"and 100 inhibitory (blue) neurons, and the population rate. Bottom: firing rates and "
        f"coefficients of variation of the inter-spike intervals of all neurons.")
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
        "wall_s": wall_s,  # the network simulation alone
        "rate_exc_hz": float(result["exc"].rates.mean()),
        "rate_inh_hz": float(result["inh"].rates.mean()),
        "n_synapses": int(n_synapses),
        "synaptic_events": result.synaptic_events,
        "parameters": {"dt_ms": DT, "duration_ms": duration, "n_exc": N_EXC, "n_inh": N_INH,
                       "p_connect": P_CONNECT, "autapses": False, "delay_ms": DT,
                       "w_exc_mv": W_EXC_MV, "w_inh_mv": W_INH_MV, "w_exc_na": w_exc,
                       "w_inh_na": w_inh, "tau_m_ms": neuron.tau_m,
                       "tau_ex_ms": neuron.synapse.tau_ex, "tau_in_ms": neuron.synapse.tau_in,
                       "v_rest_mv": neuron.v_rest, "v_th_mv": neuron.v_th,
                       "v_reset_mv": neuron.v_reset, "t_ref_ms": neuron.t_ref,
                       "r_m_mohm": neuron.r_m,
                       "v_init": "uniform between v_reset and v_th",
                       "cv_definition": "std/mean of the ISIs of neurons with >= 3 spikes"},
    }


if __name__ == "__main__":
    sys.exit(script_main(sys.modules[__name__]))
