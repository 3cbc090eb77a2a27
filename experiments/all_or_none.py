"""All or none: a Hodgkin–Huxley axon answers a pulse with nothing much or with a full spike.

Part 1: current pulses of increasing amplitude (0.5, 1 and 2 ms long) from rest. Below a
threshold the response is a small, passive-looking depolarisation; above it a spike whose peak
hardly depends on the stimulus. Even within ±0.01 % of threshold the peak still jumps between
neighbouring stimuli (the responses just below grow a little, the spikes just above are
smaller): the Hodgkin–Huxley threshold is extremely steep, graded only on a scale finer than
this grid (FitzHugh's "quasi-threshold"), though not a true discontinuity. The leaky integrate-and-fire
neuron (current in nA) is shown for contrast: its response grows linearly with the stimulus up
to an exact threshold, where a spike is declared and V reset.

Part 2: the strength–duration curve, the threshold amplitude against pulse duration. Rheobase
is measured as the threshold of the longest pulse (50 ms; the curve is flat there) and
chronaxie as the duration whose threshold is twice the rheobase (log-log interpolation). Two
classic laws are fitted for comparison: Weiss, I_th = rheobase (1 + chronaxie / d), i.e. a
threshold charge growing linearly with d, and Lapicque, I_th = rheobase / (1 - e^{-d/tau})
with chronaxie = tau ln 2.

Part 3: refractoriness. After a spike evoked by a first pulse, the threshold of a second 1-ms
pulse against the time from the first spike to the second pulse: infinite (no spike up to ten
times the resting threshold) during the absolute refractory period, raised during the relative
refractory period, back to (even slightly below) its resting value afterwards.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np
from matplotlib.patches import Rectangle
from scipy.optimize import curve_fit

from spikeneuron import LIF, simulate
from spikeneuron.lab import KeyNumber, Parameter, hh_parameters
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure

NAME = "all-or-none"
TITLE = "All-or-none spikes, strength–duration curve and refractoriness of the HH axon"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The top-right panel is the all-or-none law: below threshold the peak depolarisation
is a few mV, above it a full spike of about 100 mV whatever the stimulus (spike_amplitude_cv is
its spread). The inset zooms to ±0.01 % of threshold: the jump is still there, so the HH
threshold is steep beyond the resolution shown (threshold_jump_mv). The LIF below has the same
law by construction: linear up to v_th, then a declared spike. The second figure shows the
classic laws of excitability: shorter pulses need more current (rheobase and chronaxie), and
right after a spike no pulse works (refractory_ms) and then only a larger one does."""

ONSET = 5.0  # ms, onset of the (first) pulse
MAIN_DURATION = 1.0  # ms: the pulse of the amplitude sweep and of the paired pulses
SWEEP_DURATIONS = (0.5, 1.0, 2.0)  # ms
AFTER = 20.0  # ms simulated after the last pulse ends
MAX_FACTOR = 10.0  # a second pulse of this many resting thresholds that fails: absolute refractory
DURATION_COLORS = {0.5: "#e59866", 1.0: EXCITATORY, 2.0: "#78281f"}

PARAMETERS = (
    *hh_parameters(),
    Parameter("max_stimulus", 40.0, "µA/cm²", "largest pulse amplitude of the sweep (LIF: nA)",
              positive=True),
    Parameter("n_stimuli", 201, "", "pulse amplitudes in the sweep", minimum=3, quick=81),
    Parameter("n_zoom", 81, "", "amplitudes within ±0.01 % of threshold (the inset)", minimum=3,
              quick=41),
    Parameter("bisection_steps", 24, "", "halvings of the bracket when a threshold is searched "
              "(strength–duration and refractoriness use fewer)", minimum=12, quick=18),
    Parameter("longest_pulse", 50.0, "ms", "longest pulse of the strength–duration curve "
              "(its threshold is the rheobase)", positive=True, quick=20.0),
    Parameter("n_durations", 17, "", "pulse durations of the strength–duration curve", minimum=3,
              quick=9),
    Parameter("n_intervals", 99, "", "intervals between the first spike and a second pulse",
              minimum=3, quick=50),
)
KEY_NUMBERS = (
    KeyNumber("threshold_stimulus", "µA/cm²", "smallest 1-ms pulse that fires a spike"),
    KeyNumber("spike_amplitude_cv", "", "std/mean of the spike peaks above threshold: all or none"),
    KeyNumber("rheobase", "µA/cm²", "threshold of the longest pulse"),
    KeyNumber("chronaxie_ms", "ms", "pulse duration whose threshold is twice the rheobase"),
    KeyNumber("refractory_ms", "ms", "absolute refractory period after a spike"),
    KeyNumber("threshold_jump_mv", "mV", "largest rise of the peak between neighbouring stimuli "
              "within ±0.01 % of threshold (the inset)"),
    KeyNumber("threshold_zoom_step", "", "relative step between neighbouring stimuli of the inset"),
    KeyNumber("stimulus", "µA/cm²", "pulse amplitudes of the sweep"),
    KeyNumber("amplitudes_mv", "mV", "largest V − v_rest for each 1-ms pulse of the sweep"),
)


def grid_times(duration, dt):
    return np.arange(int(round(duration / dt))) * dt


def pulses(t, onsets, lengths, amplitudes):
    """Rectangular pulses on the grid, µA/cm² (or nA), shape (steps, n): pulse i starts at
    onsets[i] (ms), lasts lengths[i] (ms) with amplitude amplitudes[i]."""
    onsets, lengths, amplitudes = np.broadcast_arrays(np.atleast_1d(onsets),
                                                      np.atleast_1d(lengths),
                                                      np.atleast_1d(amplitudes))
    on = (t[:, None] >= onsets - 1e-9) & (t[:, None] < onsets + lengths - 1e-9)
    return on * amplitudes


def bisect_threshold(fires, low, high, iterations):
    """Smallest amplitude at which ``fires(amplitudes) -> bool array`` is true, for a batch at
    once: low must not fire, high must fire (entries where high does not fire give inf)."""
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    reachable = fires(high)
    for _ in range(iterations):
        middle = 0.5 * (low + high)
        fired = fires(middle)
        high = np.where(fired, middle, high)
        low = np.where(fired, low, middle)
    return np.where(reachable, high, np.inf)


def peak_depolarisation(result, v_rest):
    """Largest V - v_rest of each neuron over the run, mV."""
    return result.v.max(axis=0) - v_rest


def run(context):
    p = context.parameters
    dt, steps = p.dt, p.bisection_steps
    neuron = context.hh()
    v_rest = neuron.v_rest

    # --- part 1: amplitude sweep, three durations -----------------------------------------
    stimulus = np.linspace(0.0, p.max_stimulus, p.n_stimuli)  # µA/cm²
    durations = np.repeat(SWEEP_DURATIONS, stimulus.size)
    amplitudes = np.tile(stimulus, len(SWEEP_DURATIONS))
    t = grid_times(ONSET + max(SWEEP_DURATIONS) + AFTER, dt)
    sweep = simulate(neuron, duration=t.size * dt, dt=dt,
                     current=pulses(t, ONSET, durations, amplitudes))
    peaks = peak_depolarisation(sweep, v_rest).reshape(len(SWEEP_DURATIONS), stimulus.size)
    spiked = (sweep.spike_counts > 0).reshape(peaks.shape)
    main = SWEEP_DURATIONS.index(MAIN_DURATION)
    amplitudes_mv = peaks[main]

    t_single = grid_times(ONSET + MAIN_DURATION + AFTER, dt)

    def single_fires(amplitude):
        result = simulate(neuron, duration=t_single.size * dt, dt=dt, record_v=False,
                          current=pulses(t_single, ONSET, MAIN_DURATION, amplitude))
        return result.spike_counts > 0

    threshold = float(bisect_threshold(single_fires, [0.0], [stimulus[-1]], steps)[0])
    above = stimulus > threshold
    cv = float(amplitudes_mv[above].std() / amplitudes_mv[above].mean())
    context.say(f"threshold of a {MAIN_DURATION:g}-ms pulse: {threshold:.4f} µA/cm²; spike "
                f"amplitude CV above it {cv:.4f}")
    # zoom on the threshold: graded, but over a tiny range of stimuli
    zoom = threshold * (1.0 + np.linspace(-1e-4, 1e-4, p.n_zoom))
    zoom_result = simulate(neuron, duration=t_single.size * dt, dt=dt,
                           current=pulses(t_single, ONSET, MAIN_DURATION, zoom))
    zoom_peaks = peak_depolarisation(zoom_result, v_rest)
    jump_mv = float(np.max(np.diff(zoom_peaks)))
    zoom_step = float(zoom[1] / zoom[0] - 1.0)

    # the LIF for contrast: exact threshold, linear below it, reset above it
    lif = LIF()
    lif_stimulus = np.linspace(0.0, p.max_stimulus, p.n_stimuli)  # nA
    lif_result = simulate(lif, duration=t_single.size * dt, dt=dt,
                          current=pulses(t_single, ONSET, MAIN_DURATION, lif_stimulus))
    lif_spiked = lif_result.spike_counts > 0
    lif_peaks = peak_depolarisation(lif_result, lif.v_rest)
    lif_threshold = (lif.v_th - lif.v_rest) / (lif.r_m * -np.expm1(-MAIN_DURATION / lif.tau_m))

    # --- part 2: strength–duration ------------------------------------------------------------
    sd_durations = np.geomspace(0.05, p.longest_pulse, p.n_durations)  # ms
    t_sd = grid_times(ONSET + sd_durations.max() + AFTER, dt)

    def sd_fires(amplitudes):
        result = simulate(neuron, duration=t_sd.size * dt, dt=dt, record_v=False,
                          current=pulses(t_sd, ONSET, sd_durations, amplitudes))
        return result.spike_counts > 0

    high = 2.0 * threshold * (1.0 + MAIN_DURATION / sd_durations)  # generous upper bounds
    sd_threshold = bisect_threshold(sd_fires, np.zeros_like(sd_durations), high,
                                    steps - 8)

    rheobase = float(sd_threshold[-1])
    # first duration whose threshold falls below twice the rheobase, interpolated in log-log
    k = int(np.argmax(sd_threshold <= 2.0 * rheobase))
    chronaxie = float(np.exp(np.interp(np.log(2.0 * rheobase), np.log(sd_threshold[[k, k - 1]]),
                                       np.log(sd_durations[[k, k - 1]]))))

    def weiss(duration, rheobase, chronaxie):
        return np.log(rheobase * (1.0 + chronaxie / duration))

    def lapicque(duration, rheobase, tau):
        return np.log(rheobase / -np.expm1(-duration / tau))

    fits = {}
    for name, law in (("weiss", weiss), ("lapicque", lapicque)):
        values, _ = curve_fit(law, sd_durations, np.log(sd_threshold), p0=(rheobase, chronaxie))
        rms = float(np.sqrt(np.mean((law(sd_durations, *values) - np.log(sd_threshold)) ** 2)))
        chronaxie_fit = values[1] * (np.log(2.0) if name == "lapicque" else 1.0)
        fits[name] = {"rheobase": float(values[0]), "chronaxie_ms": float(chronaxie_fit),
                      "rms_log_error": rms, "values": values}
    context.say(f"rheobase {rheobase:.3f} µA/cm², chronaxie {chronaxie:.3f} ms; Weiss fit "
                f"{fits['weiss']['rheobase']:.3f}, {fits['weiss']['chronaxie_ms']:.3f} ms; "
                f"Lapicque fit {fits['lapicque']['rheobase']:.3f}, "
                f"{fits['lapicque']['chronaxie_ms']:.3f} ms")

    # --- part 3: paired pulses ------------------------------------------------------------
    first_amplitude = 2.0 * threshold
    t_first = grid_times(ONSET + MAIN_DURATION + AFTER, dt)
    first = simulate(neuron, duration=t_first.size * dt, dt=dt,
                     current=pulses(t_first, ONSET, MAIN_DURATION, first_amplitude))
    first_spike = float(first.spike_times[0][0])
    intervals = np.linspace(0.5, 25.0, p.n_intervals)  # ms from the first spike
    t_pair = grid_times(first_spike + intervals.max() + MAIN_DURATION + AFTER, dt)
    conditioning = pulses(t_pair, ONSET, MAIN_DURATION, first_amplitude)

    def second_fires(amplitudes, delays=intervals):
        test = pulses(t_pair, first_spike + delays, MAIN_DURATION, amplitudes)
        result = simulate(neuron, duration=t_pair.size * dt, dt=dt, record_v=False,
                          current=conditioning + test)
        return result.spike_counts >= 2

    max_amplitude = MAX_FACTOR * threshold
    pair_threshold = bisect_threshold(second_fires, np.zeros_like(intervals),
                                      np.full(intervals.size, max_amplitude), steps - 10)
    # the absolute refractory period: where a pulse of max_amplitude starts to succeed
    possible = np.isfinite(pair_threshold)
    k = int(np.argmax(possible))
    low, high = intervals[k - 1], intervals[k]
    for _ in range(max(8, steps - 12)):
        middle = 0.5 * (low + high)
        works = second_fires(np.array([max_amplitude]), np.array([middle]))[0]
        low, high = (low, middle) if works else (middle, high)
    refractory = 0.5 * (low + high)
    context.say(f"absolute refractory period {refractory:.3f} ms after the first spike")

    # example traces of paired pulses
    examples = np.array([refractory - 1.0, refractory + 1.0, 9.5, 15.0])
    example_amplitude = np.array([max_amplitude, max_amplitude, 2.0 * threshold, 2.0 * threshold])
    example_run = simulate(neuron, duration=t_pair.size * dt, dt=dt,
                           current=conditioning + pulses(t_pair, first_spike + examples,
                                                         MAIN_DURATION, example_amplitude))

    # --- figures --------------------------------------------------------------------------
    figure, axes = new_figure(2, 2, width=12.0, height=4.0)
    ax_hh_v, ax_hh_peak, ax_lif_v, ax_lif_peak = axes
    shown = threshold * np.array([0.5, 0.9, 0.99, 1.01, 1.5, 4.0])
    shown_run = simulate(neuron, duration=t_single.size * dt, dt=dt,
                         current=pulses(t_single, ONSET, MAIN_DURATION, shown))
    colors = [INHIBITORY, "#5d8ac7", "#9bb8e0", "#f1948a", "#cb4335", "#78281f"]
    for i, (amplitude, color) in enumerate(zip(shown, colors)):
        ax_hh_v.plot(t_single, shown_run.v[:-1, i], color=color, lw=1.3,
                     label=f"{amplitude / threshold:.2f} × threshold")
    ax_hh_v.axvspan(ONSET, ONSET + MAIN_DURATION, color=NEUTRAL, alpha=0.15, lw=0, label="pulse")
    ax_hh_v.set_xlim(ONSET - 2.0, ONSET + 16.0)
    ax_hh_v.set_xlabel("time (ms)")
    ax_hh_v.set_ylabel("membrane potential (mV)")
    ax_hh_v.set_title(f"Hodgkin–Huxley: {MAIN_DURATION:g}-ms pulses (threshold "
                      f"{threshold:.2f} µA/cm²)")
    ax_hh_v.legend(loc="upper right", fontsize=8)

    for row, duration in enumerate(SWEEP_DURATIONS):
        ax_hh_peak.plot(stimulus, peaks[row], "o-", ms=2.5, lw=0.8,
                        color=DURATION_COLORS[duration], label=f"{duration:g}-ms pulse")
    ax_hh_peak.axvline(threshold, color=NEUTRAL, ls="--", lw=1.0,
                       label=f"threshold ({MAIN_DURATION:g} ms): {threshold:.2f} µA/cm²")
    ax_hh_peak.set_xlabel("stimulus amplitude (µA/cm²)")
    ax_hh_peak.set_ylabel("peak depolarisation above rest (mV)")
    ax_hh_peak.set_title(f"Spike size hardly depends on the stimulus (CV {cv:.3f})")
    ax_hh_peak.legend(loc="lower right", fontsize=8)
    inset = ax_hh_peak.inset_axes([0.45, 0.42, 0.5, 0.33])
    inset.plot((zoom / threshold - 1.0) * 1e4, zoom_peaks, ".-", ms=3, lw=0.8, color=EXCITATORY)
    inset.set_xlabel("(stimulus / threshold − 1) × 10⁴", fontsize=7)
    inset.set_ylabel("peak above rest (mV)", fontsize=7)
    inset.tick_params(labelsize=7)
    inset.set_xticks([-1.0, -0.5, 0.0, 0.5, 1.0])
    inset.set_title(f"within ±0.01 % of threshold: still a jump of {jump_mv:.0f} mV",
                    fontsize=7)

    lif_shown = lif_threshold * np.array([0.5, 0.9, 0.99, 1.01, 1.5, 4.0])
    lif_run = simulate(lif, duration=t_single.size * dt, dt=dt,
                       current=pulses(t_single, ONSET, MAIN_DURATION, lif_shown))
    for i, (amplitude, color) in enumerate(zip(lif_shown, colors)):
        v = lif_run.v[:-1, i].copy()
        ax_lif_v.plot(t_single, v, color=color, lw=1.3,
                      label=f"{amplitude / lif_threshold:.2f} × threshold")
        for spike in lif_run.spike_times[i]:
            ax_lif_v.vlines(spike, lif.v_reset, -30.0, color=color, lw=1.3)
    ax_lif_v.axvspan(ONSET, ONSET + MAIN_DURATION, color=NEUTRAL, alpha=0.15, lw=0)
    ax_lif_v.axhline(lif.v_th, color=NEUTRAL, ls="--", lw=1.0, label=f"v_th = {lif.v_th:g} mV")
    ax_lif_v.set_xlim(ONSET - 2.0, ONSET + 16.0)
    ax_lif_v.set_xlabel("time (ms)")
    ax_lif_v.set_ylabel("membrane potential (mV)")
    ax_lif_v.set_title(f"LIF: the same pulses in nA (threshold {lif_threshold:.2f} nA); spikes "
                       "drawn as strokes")
    ax_lif_v.legend(loc="upper right", fontsize=8)

    # the closed form holds only below threshold: above it V is reset at v_th
    below = lif_stimulus <= lif_threshold
    passive = lif.r_m * lif_stimulus[below] * -np.expm1(-MAIN_DURATION / lif.tau_m)
    ax_lif_peak.plot(lif_stimulus[~lif_spiked], lif_peaks[~lif_spiked], "o", ms=2.5,
                     color=INHIBITORY, label="no spike: peak depolarisation")
    ax_lif_peak.plot(lif_stimulus[below], passive, "-", color=NEUTRAL, lw=1.0,
                     label=r"closed form below threshold, $r_m I\,(1 - e^{-d/\tau_m})$")
    # a LIF spike has no height (V is reset at v_th): mark it in a strip above the mV scale
    ax_lif_peak.plot(lif_stimulus[lif_spiked], np.full(lif_spiked.sum(), 0.93), "^", ms=4,
                     color=EXCITATORY, transform=ax_lif_peak.get_xaxis_transform(),
                     label="fired a spike (marked at the top: no peak, V is reset)")
    ax_lif_peak.axhline(lif.v_th - lif.v_rest, color=NEUTRAL, ls="--", lw=1.0,
                        label=f"v_th − v_rest = {lif.v_th - lif.v_rest:g} mV")
    ax_lif_peak.axvline(lif_threshold, color=NEUTRAL, ls=":", lw=1.0,
                        label=f"threshold {lif_threshold:.2f} nA")
    ax_lif_peak.set_ylim(-1.0, 1.35 * (lif.v_th - lif.v_rest))
    ax_lif_peak.set_yticks(np.arange(0.0, lif.v_th - lif.v_rest + 0.1, 2.5))
    ax_lif_peak.add_patch(Rectangle((0.0, 0.87), 1.0, 0.13, transform=ax_lif_peak.transAxes,
                                    color=EXCITATORY, alpha=0.07, lw=0))
    ax_lif_peak.text(0.02, 0.935, "spikes\n(no mV scale)", transform=ax_lif_peak.transAxes,
                     va="center", fontsize=7.5, color=EXCITATORY)
    ax_lif_peak.set_xlabel("stimulus amplitude (nA)")
    ax_lif_peak.set_ylabel("peak depolarisation above rest (mV)")
    ax_lif_peak.set_title("LIF: linear below an exact threshold, a declared spike above")
    ax_lif_peak.legend(loc="center right", fontsize=8)
    context.save_figure(figure, "all_or_none.png",
                        "Top: the Hodgkin–Huxley axon under current pulses of increasing "
                        "amplitude (left: traces at multiples of the 1-ms threshold; right: peak "
                        "depolarisation above rest for 0.5, 1 and 2-ms pulses), which jumps at "
                        "threshold from a few mV to a full spike. Inset: stimuli within ±0.01 % "
                        f"of the 1-ms threshold, {zoom_step:.1e} apart; the peak still jumps by "
                        f"{jump_mv:.0f} mV between neighbours, so any graded part is narrower "
                        "still. Bottom: the LIF neuron under the same pulses in nA; its "
                        "response is linear up to an exact threshold, above which a spike is "
                        "declared (triangles) and V is reset.")

    figure, axes = new_figure(2, 2, width=12.0, height=4.0)
    ax_sd, ax_charge, ax_ref, ax_pairs = axes
    fine = np.geomspace(sd_durations.min(), sd_durations.max(), 200)
    ax_sd.loglog(sd_durations, sd_threshold, "o", color=EXCITATORY, ms=5,
                 label="simulated threshold")
    for name, law, color in (("weiss", weiss, "#2e86c1"), ("lapicque", lapicque, "#7d3c98")):
        fit = fits[name]
        ax_sd.loglog(fine, np.exp(law(fine, *fit["values"])), "-", color=color, lw=1.2,
                     label=f"{name.capitalize()} fit: rheobase {fit['rheobase']:.2f}, "
                           f"chronaxie {fit['chronaxie_ms']:.2f} ms")
    ax_sd.axhline(rheobase, color=NEUTRAL, ls="--", lw=1.0,
                  label=f"rheobase {rheobase:.2f} µA/cm²")
    ax_sd.axhline(2 * rheobase, color=NEUTRAL, ls=":", lw=1.0,
                  label=f"2 × rheobase {2 * rheobase:.2f} µA/cm²")
    ax_sd.axvline(chronaxie, color=NEUTRAL, ls=":", lw=1.0,
                  label=f"chronaxie {chronaxie:.2f} ms (2 × rheobase)")
    ax_sd.set_xlabel("pulse duration d (ms)")
    ax_sd.set_ylabel("threshold amplitude (µA/cm²)")
    ax_sd.set_title("Strength–duration curve")
    ax_sd.legend(loc="upper right", fontsize=8)

    ax_charge.plot(sd_durations, sd_threshold * sd_durations, "o", color=EXCITATORY, ms=5,
                   label="simulated threshold charge")
    weiss_rheobase, weiss_chronaxie = fits["weiss"]["values"]
    ax_charge.plot(fine, weiss_rheobase * (fine + weiss_chronaxie), "-", color="#2e86c1",
                   label="Weiss fit: rheobase · (d + chronaxie)")
    ax_charge.plot(fine, rheobase * fine, "--", color=NEUTRAL, lw=1.0,
                   label="rheobase · d (long-pulse limit)")
    ax_charge.set_xlabel("pulse duration d (ms)")
    ax_charge.set_ylabel("threshold charge (nC/cm²)")
    ax_charge.set_title("Threshold charge: Weiss's linear law holds only roughly")
    ax_charge.legend(loc="upper left", fontsize=8)

    finite = np.isfinite(pair_threshold)
    ax_ref.axvspan(0.0, refractory, color=INHIBITORY, alpha=0.15, lw=0,
                   label=f"absolute refractory ({refractory:.2f} ms)")
    relative_end = intervals[finite][np.argmax(pair_threshold[finite] <= 1.05 * threshold)]
    ax_ref.axvspan(refractory, relative_end, color=EXCITATORY, alpha=0.1, lw=0,
                   label="relative refractory (threshold > 1.05 ×)")
    ax_ref.plot(intervals[finite], pair_threshold[finite] / threshold, "o-", ms=3, lw=0.8,
                color="black", label="threshold of the second pulse")
    ax_ref.axhline(1.0, color=NEUTRAL, ls="--", lw=1.0, label="threshold at rest")
    ax_ref.set_ylim(0.0, MAX_FACTOR * 1.05)
    ax_ref.set_xlim(0.0, intervals.max())
    ax_ref.set_xlabel("time from the first spike to the second pulse (ms)")
    ax_ref.set_ylabel("second-pulse threshold / resting threshold")
    ax_ref.set_title(f"Refractoriness ({MAIN_DURATION:g}-ms pulses; at most {MAX_FACTOR:g} × "
                     "threshold)")
    ax_ref.legend(loc="upper right", fontsize=8)

    example_colors = [INHIBITORY, "#cb4335", "#e59866", "#1e8449"]
    for i, (delay, amplitude, color) in enumerate(zip(examples, example_amplitude, example_colors)):
        fired = example_run.spike_counts[i] >= 2
        ax_pairs.plot(t_pair, example_run.v[:-1, i], color=color, lw=1.2,
                      label=f"2nd pulse {delay:.1f} ms after the spike, {amplitude / threshold:.0f}"
                            f" × threshold: {'spike' if fired else 'no spike'}")
        ax_pairs.axvspan(first_spike + delay, first_spike + delay + MAIN_DURATION, color=color,
                         alpha=0.2, lw=0)
    ax_pairs.set_xlim(ONSET - 1.0, first_spike + examples.max() + 12.0)
    ax_pairs.set_ylim(-85.0, 105.0)  # room for the legend above the spikes
    ax_pairs.set_xlabel("time (ms)")
    ax_pairs.set_ylabel("membrane potential (mV)")
    ax_pairs.set_title("Paired pulses (shaded: the second pulse)")
    ax_pairs.legend(loc="upper right", fontsize=7.5)
    context.save_figure(figure, "strength_duration_refractory.png",
                        "Top left: threshold amplitude of the HH axon against pulse duration "
                        "(log-log) with fitted Weiss and Lapicque laws; dashed: rheobase, "
                        "dotted: twice the rheobase and the chronaxie where the curve crosses "
                        "it. Top right: the same thresholds as charge (amplitude × duration) "
                        "against Weiss's straight line. Bottom left: the threshold of a second "
                        "1-ms pulse against the time since the first spike, relative to the "
                        "resting threshold (absolute refractory: no spike up to "
                        f"{MAX_FACTOR:g} × threshold; relative: above 1.05 ×). Bottom right: "
                        "four paired-pulse traces (shaded: the second pulse).")

    context.save_data("all_or_none.npz", stimulus=stimulus, durations=np.array(SWEEP_DURATIONS),
                      peaks_mv=peaks, spiked=spiked, zoom_stimulus=zoom, zoom_peaks_mv=zoom_peaks,
                      lif_stimulus_na=lif_stimulus, lif_peaks_mv=lif_peaks, lif_spiked=lif_spiked,
                      sd_durations_ms=sd_durations, sd_threshold=sd_threshold,
                      pair_intervals_ms=intervals, pair_threshold=pair_threshold)
    return {
        "stimulus": stimulus,
        "amplitudes_mv": amplitudes_mv,
        "threshold_stimulus": threshold,
        "spike_amplitude_cv": cv,
        "rheobase": float(rheobase),
        "chronaxie_ms": float(chronaxie),
        "refractory_ms": refractory,
        "threshold_jump_mv": jump_mv,
        "threshold_zoom_step": zoom_step,
        "details": {
            "pulse_onset_ms": ONSET, "pulse_duration_ms": MAIN_DURATION,
            "stimulus_unit": "µA/cm²", "sweep_durations_ms": list(SWEEP_DURATIONS),
            "amplitudes_definition": "largest V - v_rest over the run, mV, for the 1-ms pulses",
            "threshold_definition": "smallest 1-ms pulse amplitude giving a crossing of 0 mV "
                                    f"(bisection to 2^-{steps} of 0–{p.max_stimulus:g} µA/cm²)",
            "cv_definition": "std/mean of amplitudes_mv over stimuli above threshold",
            "rheobase_definition": "threshold of the longest pulse, µA/cm²",
            "chronaxie_definition": "duration whose threshold is 2 × rheobase, log-log "
                                    "interpolation",
            "strength_duration_fits": {name: {key: value for key, value in fit.items()
                                              if key != "values"} for name, fit in fits.items()},
            "sd_durations_ms": sd_durations, "sd_threshold": sd_threshold,
            "refractory_definition": f"time from the first spike to the onset of a second "
                                     f"1-ms pulse below which {MAX_FACTOR:g} × threshold "
                                     f"fails to evoke a second spike",
            "first_pulse_amplitude": first_amplitude,
            "lif": {"tau_m_ms": lif.tau_m, "r_m_mohm": lif.r_m, "v_rest_mv": lif.v_rest,
                    "v_th_mv": lif.v_th, "threshold_na": lif_threshold},
        },
    }

