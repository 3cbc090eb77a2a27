"""Dendritic summation: signed inputs add up in the membrane potential until the neuron fires.

Part 1: one LIF neuron and five dendritic inputs (delta synapses, weights in mV). A single
excitatory input raises the potential by exactly its weight, which then decays with tau_m; an
inhibitory one lowers it; inputs close in time (temporal summation) or arriving together
(spatial summation) add; an excitatory and an inhibitory input of opposite weights cancel;
enough excitation together crosses the threshold and the neuron fires one all-or-none spike;
the same excitation with a strong inhibitory input at the same time stays below threshold.

Part 2: the same neuron under Poisson inputs (by default 1000: 800 excitatory, 200 inhibitory).
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import cv_isi, poisson_inputs, simulate, spike_trains
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import new_figure, plot_raster, plot_trace

NAME = "dendritic-summation"
TITLE = "Signed dendritic inputs sum into the membrane potential until it fires"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """Start here: this is the "weighted sum" of the logistic neuron, done by a membrane. In
the first figure each input moves V by exactly its signed weight (single_epsp_mv,
single_ipsp_mv), inputs close in time or together add, +4 and −4 mV cancel, and only when
the sum reaches threshold does the neuron fire, all or none; a strong inhibitory input arriving
with the same excitation vetoes the spike. In the second, 1000 Poisson inputs make V fluctuate
around a free mean above threshold, and the neuron fires irregularly (poisson_cv_isi)."""

PARAMETERS = (
    *lif_parameters(),
    Parameter("duration", 2000.0, "ms", "length of the Poisson run (part 2)", positive=True,
              quick=300.0),
    Parameter("n_exc", 800, "", "excitatory Poisson inputs (part 2)", minimum=0),
    Parameter("n_inh", 200, "", "inhibitory Poisson inputs (part 2)", minimum=0),
    Parameter("rate_hz", 10.0, "Hz", "rate of every Poisson input (part 2)", minimum=0.0),
    Parameter("w_exc", 0.5, "mV", "weight of each excitatory Poisson input (part 2)", minimum=0.0),
    Parameter("w_inh", -1.0, "mV", "weight of each inhibitory Poisson input (part 2)", maximum=0.0),
)
KEY_NUMBERS = (
    KeyNumber("single_epsp_mv", "mV", "jump of V at a single excitatory input (its weight, 4 mV)"),
    KeyNumber("single_ipsp_mv", "mV", "jump of V at a single inhibitory input (its weight, −4 mV)"),
    KeyNumber("epsp_decay_tau_ms", "ms", "decay time constant fitted to the single EPSP (tau_m)"),
    KeyNumber("temporal_sum_peak_mv", "mV", "peak of V above rest after three +3 mV inputs 2 ms "
              "apart: less than 9 mV, since each decays before the next"),
    KeyNumber("spatial_sum_mv", "mV", "jump of V when two inputs arrive together (4 + 3 mV)"),
    KeyNumber("cancelled_mv", "mV", "jump of V when +4 mV and −4 mV arrive together"),
    KeyNumber("output_spike_times_ms", "ms", "spikes of the hand-made episodes"),
    KeyNumber("poisson_rate_hz", "Hz", "output rate under the Poisson inputs"),
    KeyNumber("poisson_cv_isi", "", "coefficient of variation of the output ISIs (Poisson: 1)"),
    KeyNumber("poisson_input_spikes", "", "input spikes delivered in the Poisson run"),
    KeyNumber("free_mean_mv", "mV", "mean free potential without threshold (Campbell)"),
    KeyNumber("free_std_mv", "mV", "standard deviation of the free potential (Campbell)"),
)
# Five inputs onto one neuron: (label, weight in mV).
INPUTS = [("E1", 4.0), ("E2", 3.0), ("E3", 5.0), ("I1", -4.0), ("I2", -6.0)]
PART_1_MS = 350.0  # length of the hand-made episodes
# When each input fires (ms), episode by episode.
EPISODES = [
    ("single EPSP", 20.0, {"E1": [20.0]}),
    ("single IPSP", 60.0, {"I1": [60.0]}),
    ("temporal summation", 100.0, {"E2": [100.0, 102.0, 104.0]}),
    ("spatial summation", 150.0, {"E1": [150.0], "E2": [150.0]}),
    ("E and I cancel", 200.0, {"E1": [200.0], "I1": [200.0]}),
    ("threshold crossed", 250.0, {"E1": [250.0], "E2": [250.0], "E3": [250.0, 251.0]}),
    ("inhibition vetoes", 300.0, {"E1": [300.0], "E2": [300.0], "E3": [300.0, 301.0],
                                  "I2": [300.0]}),
]


def hand_made_inputs():
    """Spike times per input (ms) for all episodes, and the weight vector (mV)."""
    times = {label: [] for label, _ in INPUTS}
    for _, _, spikes in EPISODES:
        for label, when in spikes.items():
            times[label] += when
    return spike_trains([times[label] for label, _ in INPUTS]), np.array([w for _, w in INPUTS])


def run(context):
    p = context.parameters
    dt = p.dt
    neuron = context.lif()  # by default tau_m 10 ms, rest/reset -70 mV, threshold -55 mV, t_ref 2 ms
    # Part 1: the episodes, one neuron, hand-made inputs.
    trains, weights = hand_made_inputs()
    result = simulate(neuron, duration=PART_1_MS, dt=dt, inputs=trains, weights=weights)
    v = result.v[:, 0]
    step = {name: int(round(onset / dt)) for name, onset, _ in EPISODES}
    decay = np.exp(-dt / neuron.tau_m)

    def jump(k):
        """Change of V at grid step k beyond the free relaxation from step k-1 (mV)."""
        return float(v[k] - neuron.v_rest - (v[k - 1] - neuron.v_rest) * decay)

    tau_steps = int(round(neuron.tau_m / dt))
    epsp = jump(step["single EPSP"])
    decayed = float(v[step["single EPSP"] + tau_steps] - neuron.v_rest)
    temporal_peak = float(v[step["temporal summation"]:step["spatial summation"]].max() - neuron.v_rest)
    numbers = {
        "single_epsp_mv": epsp,
        "single_ipsp_mv": jump(step["single IPSP"]),
        "epsp_decay_tau_ms": float(-neuron.tau_m / np.log(decayed / epsp)),
        "temporal_sum_peak_mv": temporal_peak,
        "spatial_sum_mv": jump(step["spatial summation"]),
        "cancelled_mv": jump(step["E and I cancel"]),
        "output_spike_times_ms": result.spike_times[0],
    }
    context.say(f"single EPSP {epsp:.3f} mV (weight 4 mV), spikes at {result.spike_times[0]} ms")

    figure, (ax_v, ax_in) = new_figure(2, 1, width=10, height=2.8, sharex=True, height_ratios=[3, 1.2])
    plot_trace(ax_v, result, neuron, spike_height_mv=-44.0)
    for name, onset, _ in EPISODES:  # above the stylised spike, so no stroke crosses a label
        ax_v.text(onset + 6, -39.5, "\n".join(name.rsplit(" ", 1)), ha="center", va="center",
                  fontsize=8)
    ax_v.set_ylim(-76, -36)
    ax_v.set_xlabel("")
    ax_v.set_title("One LIF neuron: each input moves V by its signed weight (delta synapses)")
    ax_v.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    plot_raster(ax_in, trains, weights, marker_size=10, strength="width", weight_labels=False)
    ax_in.set_yticks(range(len(INPUTS)), [f"{label} ({w:+g} mV)" for label, w in INPUTS], fontsize=8)
    context.save_figure(figure, "psp_summation.png",
                        "One LIF neuron (top: membrane potential, dashed: threshold) and its five "
                        "inputs (bottom: input spikes, red excitatory and blue inhibitory, stroke "
                        "width proportional to |weight|). A single input moves V by its weight "
                        "and decays with tau_m; temporal and spatial summation add; +4 and −4 mV "
                        "together cancel; 4 + 3 + 5 + 5 mV crosses threshold and the neuron fires "
                        "(the vertical stroke is a drawn spike: the simulated V is reset at once); "
                        "the same excitation with a −6 mV input at once stays below threshold.")

    # Part 2: Poisson inputs (by default 800 excitatory at +0.5 mV, 200 inhibitory at -1.0 mV, 10 Hz).
    duration, n_exc, n_inh, rate_hz = p.duration, p.n_exc, p.n_inh, p.rate_hz
    weights = np.r_[np.full(n_exc, p.w_exc), np.full(n_inh, p.w_inh)]
    poisson = poisson_inputs(np.full(n_exc + n_inh, rate_hz), duration, seed=context.seed)
    result = simulate(neuron, duration=duration, dt=dt, inputs=poisson, weights=weights)
    # Campbell's theorem for shot noise: mean and standard deviation of the free potential.
    drift = neuron.tau_m * (rate_hz / 1000.0) * weights.sum()
    spread = np.sqrt(neuron.tau_m / 2 * (rate_hz / 1000.0) * (weights**2).sum())
    spikes = result.spike_times[0]
    numbers.update({
        "poisson_rate_hz": float(result.rates[0]),
        "poisson_cv_isi": cv_isi(spikes),
        "poisson_input_spikes": poisson.n_spikes,
        "free_mean_mv": neuron.v_rest + drift,
        "free_std_mv": float(spread),
    })
    context.say(f"{n_exc + n_inh} Poisson inputs: output {result.rates[0]:.1f} Hz, CV {numbers['poisson_cv_isi']:.2f}")

    window = 300.0
    figure, (ax_in, ax_v) = new_figure(2, 1, width=10, height=2.8, sharex=True, height_ratios=[2, 2])
    plot_raster(ax_in, poisson, weights, marker_size=1.5, t_max=window)
    ax_in.set_title(f"{n_exc} excitatory ({p.w_exc:+g} mV) and {n_inh} inhibitory ({p.w_inh:+g} mV) "
                    f"Poisson inputs at "
                    f"{rate_hz:g} Hz")
    plot_trace(ax_v, result, neuron, spike_height_mv=-40.0, t_max=window)
    ax_v.axhline(numbers["free_mean_mv"], color="#2a9d8f", lw=1, ls=":",
                 label=f"free mean {numbers['free_mean_mv']:.0f} mV (no threshold)")
    ax_v.set_ylim(-74, -37)
    ax_v.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize="small")
    ax_in.set_xlabel("")
    context.save_figure(figure, "poisson_drive.png",
                        f"The neuron under {n_exc + n_inh} Poisson inputs, the first "
                        f"{window:g} ms of a {duration:g}-ms run (top: input spikes, one row per "
                        "input; bottom: membrane potential, spikes drawn as strokes, the legend "
                        f"counts those shown). Over the whole run it fires at "
                        f"{result.rates[0]:.1f} Hz with an ISI CV of "
                        f"{numbers['poisson_cv_isi']:.2f}; the dotted line is the mean the "
                        "potential would have without a threshold (Campbell's theorem).")
    context.save_data("traces.npz", t=result.t, v=result.v[:, 0], output_spikes=spikes,
                      input_times=poisson.times, input_sources=poisson.sources, weights=weights)

    return numbers

