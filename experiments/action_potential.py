"""Action potential: one Hodgkin–Huxley spike, its phases, and the channels that make them.

A squid-axon membrane at rest receives one brief supra-threshold current pulse (1 ms,
10 µA/cm²). The potential rises slowly while the pulse charges the membrane, then explodes once
sodium activation (m, fast) outruns everything else: the rising phase, which overshoots 0 mV
towards e_na. Sodium inactivation (h) and potassium activation (n), both slower, then end it:
repolarisation, an after-hyperpolarisation below rest while n is still high and the membrane
sits close to e_k, and a slow return to rest as the gates relax.

Measured: resting potential; threshold, defined as the potential at which dV/dt first exceeds
20 mV/ms (the pulse alone drives at most I/c_m = 10 mV/ms, so the excess is the regenerative
sodium current); peak; width at half amplitude between rest and peak; the most negative
potential after the spike (after-hyperpolarisation).
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import ValidationError, simulate
from spikeneuron.lab import KeyNumber, Parameter, hh_parameters
from spikeneuron.plotting import CURRENT_COLORS, EXCITATORY, GATE_COLORS, new_figure, plot_gates, plot_ionic_currents

NAME = "action-potential"
TITLE = "The Hodgkin–Huxley action potential, phase by phase, with its gates and currents"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """Where the all-or-none spike comes from. A brief pulse charges the membrane until
sodium activation m, the fastest gate, runs away: the rising phase overshoots 0 mV towards
E_Na. The slower gates then end it: h closes the sodium channels and n opens the potassium
ones, so the potential falls below rest towards E_K before it relaxes. Read the key numbers as
the textbook's: threshold_mv, peak_mv, width_ms (at half height) and ahp_mv."""

PARAMETERS = (
    *hh_parameters(),
    Parameter("duration", 40.0, "ms", "simulated time", positive=True),
    Parameter("pulse_onset", 5.0, "ms", "start of the current pulse", positive=True),
    Parameter("pulse_duration", 1.0, "ms", "length of the current pulse", positive=True),
    Parameter("pulse_amplitude", 10.0, "µA/cm²", "amplitude of the current pulse", positive=True),
    Parameter("threshold_slope", 20.0, "mV/ms", "dV/dt above which the spike has begun",
              positive=True),
)
KEY_NUMBERS = (
    KeyNumber("v_rest_mv", "mV", "resting potential of the model"),
    KeyNumber("threshold_mv", "mV", "V where dV/dt first exceeds threshold_slope"),
    KeyNumber("peak_mv", "mV", "peak of the action potential"),
    KeyNumber("width_ms", "ms", "full width at half height, (v_rest + peak)/2"),
    KeyNumber("ahp_mv", "mV", "most negative potential after the peak (after-hyperpolarisation)"),
)
PHASE_COLORS = {"rising phase": "#f5b7b1", "repolarisation": "#aed6f1",
                "after-hyperpolarisation": "#d2b4de", "return to rest": "#d5f5e3"}


def rectangular_pulse(onset, duration, amplitude):
    """The stimulus, µA/cm²: one rectangular pulse (grid times within 1e-9 ms count as on it)."""
    def pulse(t):
        on = (t >= onset - 1e-9) & (t < onset + duration - 1e-9)
        return np.where(on, amplitude, 0.0)
    return pulse


def crossing_time(t, v, level, start, direction):
    """First time at or after index ``start`` at which v crosses ``level`` upwards (+1) or
    downwards (-1), linearly interpolated between grid points, ms."""
    above = v[start:] >= level if direction > 0 else v[start:] <= level
    k = start + int(np.argmax(above))
    return t[k - 1] + (level - v[k - 1]) / (v[k] - v[k - 1]) * (t[k] - t[k - 1])


def run(context):
    p = context.parameters
    neuron = context.hh()
    duration, dt = p.duration, p.dt
    pulse = rectangular_pulse(p.pulse_onset, p.pulse_duration, p.pulse_amplitude)
    result = simulate(neuron, duration=duration, dt=dt, current=pulse,
                      record_vars=["m", "h", "n", "i_na", "i_k", "i_l"])
    t, v = result.t, result.v[:, 0]

    # --- measure -------------------------------------------------------------------------
    v_rest = neuron.v_rest
    slope = np.gradient(v, dt)  # mV/ms, central differences
    if not result.spike_times[0].size or not np.any(slope > p.threshold_slope):
        raise ValidationError(f"experiment 'action-potential': the pulse "
                              f"({p.pulse_amplitude:g} µA/cm² for {p.pulse_duration:g} ms) fires no "
                              f"action potential within {duration:g} ms; use a stronger or longer pulse")
    k_threshold = int(np.argmax(slope > p.threshold_slope))
    t_threshold = crossing_time(t, slope, p.threshold_slope, k_threshold, +1)
    threshold = float(np.interp(t_threshold, t, v))
    k_peak = int(np.argmax(v))
    peak = float(v[k_peak])
    half = 0.5 * (v_rest + peak)
    t_half_up = crossing_time(t, v, half, k_threshold, +1)
    t_half_down = crossing_time(t, v, half, k_peak, -1)
    width = t_half_down - t_half_up
    t_back_at_rest = crossing_time(t, v, v_rest, k_peak, -1)
    k_ahp = k_peak + int(np.argmin(v[k_peak:]))
    ahp = float(v[k_ahp])
    t_ahp_end = crossing_time(t, v, v_rest, k_ahp, +1)
    t_overshoot = (crossing_time(t, v, 0.0, k_threshold, +1), crossing_time(t, v, 0.0, k_peak, -1))
    context.say(f"rest {v_rest:.2f} mV, threshold {threshold:.2f} mV, peak {peak:.2f} mV, "
                f"width {width:.3f} ms, AHP {ahp:.2f} mV")

    # --- plot ----------------------------------------------------------------------------
    figure, (ax_i, ax_v, ax_g, ax_c) = new_figure(4, 1, width=9.0, height=2.2, sharex=True,
                                                  height_ratios=[0.45, 2.2, 1.1, 1.3])
    ax_i.fill_between(t, pulse(t), step="post", color=EXCITATORY, alpha=0.35, lw=0)
    ax_i.plot(t, pulse(t), color=EXCITATORY, lw=1.2, drawstyle="steps-post")
    ax_i.set_ylabel("stimulus\n(µA/cm²)")
    ax_i.set_ylim(-1, p.pulse_amplitude * 1.5)
    ax_i.set_yticks([0, p.pulse_amplitude])
    ax_i.set_title("One brief pulse, one action potential (Hodgkin–Huxley, squid axon)")

    spans = {"rising phase": (t_threshold, t[k_peak]),
             "repolarisation": (t[k_peak], t_back_at_rest),
             "after-hyperpolarisation": (t_back_at_rest, t_ahp_end),
             "return to rest": (t_ahp_end, duration)}
    for name, (start, stop) in spans.items():
        for ax in (ax_v, ax_g, ax_c):
            ax.axvspan(start, stop, color=PHASE_COLORS[name], alpha=0.45, lw=0,
                       label=name if ax is ax_v else None)
    ax_v.plot(t, v, color="black", lw=1.6, label="membrane potential")
    ax_v.fill_between(t, v, 0.0, where=v > 0.0, color=EXCITATORY, alpha=0.5, lw=0,
                      label="overshoot (V > 0 mV)")
    ax_v.axhline(v_rest, color="#555555", ls="--", lw=0.9)
    ax_v.axhline(0.0, color="#555555", ls=":", lw=0.9)
    ax_v.text(0.3, v_rest - 1.5, f"resting potential {v_rest:.1f} mV", fontsize=8.5, va="top")
    ax_v.text(0.3, 1.5, "0 mV", fontsize=8.5, va="bottom", color="#555555")
    for reversal, name in ((neuron.e_na, "$E_{Na}$"), (neuron.e_k, "$E_K$")):
        ax_v.axhline(reversal, color="#999999", ls="-.", lw=0.8)
        below = reversal < v_rest
        ax_v.text(0.3, reversal + (-1.5 if below else 1.5), f"{name} = {reversal:g} mV",
                  fontsize=8.5, va="top" if below else "bottom", color="#555555")
    ax_v.plot([t_threshold], [threshold], "o", color="black", ms=5)
    ax_v.annotate(f"threshold {threshold:.1f} mV\n(dV/dt > {p.threshold_slope:g} mV/ms)",
                  (t_threshold, threshold), xytext=(t_threshold - 5.6, -30.0), fontsize=8.5,
                  arrowprops=dict(arrowstyle="->", lw=0.8))
    ax_v.plot([t[k_peak]], [peak], "o", color="black", ms=5)
    ax_v.annotate(f"peak {peak:.1f} mV", (t[k_peak], peak), xytext=(t[k_peak] + 2.2, 36.0),
                  fontsize=8.5, arrowprops=dict(arrowstyle="->", lw=0.8))
    ax_v.annotate("", (t_half_up, half), xytext=(t_half_down, half),
                  arrowprops=dict(arrowstyle="<->", lw=0.9, shrinkA=0, shrinkB=0))
    ax_v.annotate(f"half width {width:.2f} ms", (t_half_down, half),
                  xytext=(t_half_down + 2.2, half - 4.0), fontsize=8.5,
                  arrowprops=dict(arrowstyle="->", lw=0.8))
    ax_v.plot([t[k_ahp]], [ahp], "o", color="black", ms=5)
    ax_v.annotate(f"after-hyperpolarisation\nminimum {ahp:.1f} mV", (t[k_ahp], ahp),
                  xytext=(t[k_ahp] + 3.0, -52.0), fontsize=8.5,
                  arrowprops=dict(arrowstyle="->", lw=0.8))
    ax_v.annotate("overshoot", (np.mean(t_overshoot), 12.0), xytext=(t[k_peak] - 6.0, 25.0),
                  fontsize=8.5, arrowprops=dict(arrowstyle="->", lw=0.8))
    ax_v.text(0.5 * p.pulse_onset, v_rest + 2.0, "rest", ha="center", va="bottom", fontsize=9)
    ax_v.set_ylabel("membrane potential (mV)")
    ax_v.set_ylim(neuron.e_k - 11.0, neuron.e_na + 8.0)
    ax_v.legend(loc="center right", fontsize=8, ncols=2, framealpha=0.95)

    plot_gates(ax_g, result)
    ax_g.legend(loc="upper right", fontsize=8, ncols=3, framealpha=0.95)  # above the resting gates
    plot_ionic_currents(ax_c, result)
    ax_c.legend(loc="lower right", fontsize=8, framealpha=0.95)
    for ax in (ax_i, ax_v, ax_g):
        ax.set_xlabel("")
    ax_c.set_xlim(0.0, duration)
    context.save_figure(figure, "action_potential.png",
                        f"A {p.pulse_duration:g}-ms pulse of {p.pulse_amplitude:g} µA/cm² "
                        "triggers one spike of the Hodgkin–Huxley membrane. Top: the stimulus. Middle: "
                        "the potential with its phases shaded; dashed, the resting potential; "
                        "dash-dotted, the sodium and potassium reversal potentials. Below: the "
                        "gates m (fast Na⁺ activation), h (slow Na⁺ inactivation), n (slow K⁺ "
                        "activation), and the inward sodium and outward potassium currents "
                        "(µA/cm², outward positive). Shading: the phases of the spike, from the "
                        "threshold crossing (dV/dt > "
                        f"{p.threshold_slope:g} mV/ms) to the return to rest.")

    # --- the same spike in close-up: who does what, when -----------------------------------
    figure, (ax_v, ax_g, ax_c) = new_figure(3, 1, width=6.5, height=2.0, sharex=True)
    window = (t >= p.pulse_onset - 0.5) & (t <= t_back_at_rest + 3.0)
    ax_v.plot(t[window], v[window], color="black", lw=1.6)
    ax_v.set_ylabel("V (mV)")
    ax_v.set_title("Close-up: Na⁺ rises first, K⁺ and inactivation end the spike")
    for name in ("m", "h", "n"):
        ax_g.plot(t[window], result.traces[name][window, 0], color=GATE_COLORS[name], lw=1.4,
                  label=name)
    ax_g.set_ylabel("gate")
    ax_g.legend(loc="upper right", fontsize=8, ncols=3)
    ax_c.axhline(0.0, color="#7f7f7f", lw=0.8)
    for name, label in (("i_na", "$I_{Na}$"), ("i_k", "$I_K$")):
        ax_c.plot(t[window], result.traces[name][window, 0], color=CURRENT_COLORS[name], lw=1.4,
                  label=label)
    ax_c.set_ylabel("current (µA/cm²)")
    for ax in (ax_v, ax_g, ax_c):
        for when in (t_threshold, t[k_peak]):
            ax.axvline(when, color="#7f7f7f", ls=":", lw=0.9)
    ax_v.text(t_threshold, ahp, "threshold ", ha="right", va="bottom", fontsize=8, color="#555555")
    ax_v.text(t[k_peak], ahp, " peak", ha="left", va="bottom", fontsize=8, color="#555555")
    ax_c.set_xlim(t[window][0], t[window][-1])
    ax_c.set_xlabel("time (ms)")
    ax_c.legend(loc="lower right", fontsize=8)
    context.save_figure(figure, "action_potential_closeup.png",
                        "The same spike in close-up, from just before the pulse to the "
                        "after-hyperpolarisation (dotted lines: the threshold crossing and the "
                        "peak): m follows V within a fraction of a millisecond; h and n lag, "
                        "which is why the spike ends and the membrane undershoots the resting "
                        "potential towards E_K.")

    context.save_data("action_potential.npz", t=t, v=v, stimulus=pulse(t),
                      **{name: trace[:, 0] for name, trace in result.traces.items()})
    return {
        "v_rest_mv": v_rest,
        "threshold_mv": threshold,
        "peak_mv": peak,
        "width_ms": width,
        "ahp_mv": ahp,
        "definitions": {
            "threshold_definition": f"V where dV/dt first exceeds {p.threshold_slope:g} mV/ms",
            "width_definition": "full width at (v_rest + peak)/2, linearly interpolated",
            "ahp_definition": "most negative potential after the peak",
        },
    }

