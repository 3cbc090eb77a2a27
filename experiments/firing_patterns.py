"""Firing patterns: Naud et al.'s eight AdEx patterns and Izhikevich's five cortical types.

Each neuron gets a step of constant current from t = 0 (Naud et al. 2008, Table 1: 600 ms;
Izhikevich 2003: I = 10 for 500 ms). For each: V(t) with the threshold and the spike cut-off
v_peak, the adaptation variable w (u) against time, and the trajectory in the phase plane
(V, w) over the two nullclines. Key numbers: spike count, first ISI, adaptation index, and
the error of the first ten spike times against a tight event-located integration.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import AdEx, Izhikevich, simulate
from spikeneuron.lab import KeyNumber, Parameter
from spikeneuron.models.adex import FIRING_PATTERNS
from spikeneuron.models.izhikevich import CELL_TYPES
from spikeneuron.models.reference import reference_run
from spikeneuron.plotting import EXCITATORY, NEUTRAL, new_figure, plot_trace

NAME = "firing-patterns"
TITLE = "Firing patterns: adaptation decides when the all-or-none spike comes"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The spike itself never changes: the upswing runs away to v_peak, the reset takes V
back, the event is all-or-none as in the LIF. What differs from cell to cell is when the next
spike comes, and that is the adaptation variable's doing. A spike adds b to w, which then
decays with τ_w, and a couples w to V below threshold. With w small and fast (tonic) every
interval is the same; with a large b and a slow τ_w the intervals lengthen (adaptation); when
v_reset sits above the V-nullcline's minimum the neuron fires again at once until w has
climbed enough, then pauses while w decays (bursting); a negative a makes V's own rise feed
back and delays the first spike. The numbers check the integrator: every spike time against
an event-located solve_ivp at rtol 1e-10."""

PARAMETERS = (
    Parameter("dt", 0.1, "ms", "time step", positive=True),
    Parameter("adex_duration", 600.0, "ms", "step current duration for the AdEx patterns",
              positive=True, quick=300.0),
    Parameter("izhikevich_duration", 500.0, "ms", "step current duration for the Izhikevich types",
              positive=True, quick=250.0),
    Parameter("izhikevich_current", 10.0, "mV/ms", "Izhikevich's I, in the paper's units", positive=True),
)
KEY_NUMBERS = (
    KeyNumber("cells", "", "the cells in the order of the other lists"),
    KeyNumber("spike_count", "", "spikes in the run"),
    KeyNumber("first_isi_ms", "ms", "first inter-spike interval (None below two spikes)"),
    KeyNumber("adaptation_index", "", "mean of (ISI_{k+1} − ISI_k)/(ISI_{k+1} + ISI_k) (Naud et al.): "
              "0 tonic, > 0 adapting, < 0 accelerating; None below three spikes"),
    KeyNumber("max_error_first_ten_ms", "ms", "largest |spike time − reference| over the first ten spikes"),
    KeyNumber("worst_error_ms", "ms", "the largest of those errors over every cell but the chaotic one"),
)


def adaptation_index(spikes):
    intervals = np.diff(spikes)
    if intervals.size < 2:
        return None
    return float(np.mean(np.diff(intervals) / (intervals[1:] + intervals[:-1])))


def cells(p):
    for name, (parameters, current) in FIRING_PATTERNS.items():
        yield f"AdEx {name}", AdEx(**parameters), current, p.adex_duration, "w (nA)"
    for name, parameters in CELL_TYPES.items():
        yield f"Izhikevich {name}", Izhikevich(**parameters), p.izhikevich_current, \
            p.izhikevich_duration, "u (mV/ms)"


def draw(axes, result, model, current, label, unit_label):
    ax_v, ax_w, ax_phase = axes
    plot_trace(ax_v, result)
    ax_v.set_title(label, fontsize="medium", loc="left")
    ax_v.legend(loc="lower right", fontsize="x-small")
    w = result.traces["u" if isinstance(model, Izhikevich) else "w"][:, 0]
    ax_w.plot(result.t, w, color=EXCITATORY, lw=1.0)
    ax_w.set_xlabel("time (ms)")
    ax_w.set_ylabel(unit_label)
    v = result.v[:, 0]
    grid = np.linspace(min(v.min(), model.v_reset) - 5.0, model.v_peak, 400)
    ax_phase.plot(grid, model.v_nullcline(grid, current), color=NEUTRAL, ls="--", lw=1.0,
                  label="V-nullcline")
    ax_phase.plot(grid, model.w_nullcline(grid), color=NEUTRAL, ls=":", lw=1.0,
                  label="w-nullcline")
    ax_phase.plot(v, w, color="black", lw=0.7, label="trajectory")
    span = w.max() - w.min()
    ax_phase.set_ylim(w.min() - 0.3 * span - 1e-3, w.max() + 0.3 * span + 1e-3)
    ax_phase.set_xlabel("membrane potential V (mV)")
    ax_phase.set_ylabel(unit_label)
    ax_phase.legend(loc="upper left", fontsize="x-small")


def run(context):
    p = context.parameters
    names, counts, first_isi, index, errors, all_spikes = [], [], [], [], [], []
    rows = list(cells(p))
    figures = {"AdEx": new_figure(8, 3, width=15, height=2.6), "Izhikevich": new_figure(5, 3, width=15, height=2.6)}
    row_of = {"AdEx": 0, "Izhikevich": 0}
    for label, model, current, duration, unit_label in rows:
        kind = type(model).__name__
        result = simulate(model, duration=duration, dt=p.dt, current=current,
                          record_vars=["u" if kind == "Izhikevich" else "w"])
        spikes = result.spike_times[0]
        reference = reference_run(model, current, duration, max_spikes=10)
        k = min(10, spikes.size, reference.size)
        error = float(np.max(np.abs(spikes[:k] - reference[:k]))) if k else 0.0
        names.append(label)
        counts.append(int(spikes.size))
        first_isi.append(float(spikes[1] - spikes[0]) if spikes.size >= 2 else None)
        index.append(adaptation_index(spikes))
        errors.append(error)
        all_spikes.append(spikes)
        context.say(f"{label}: {spikes.size} spikes, first-ten error {error:.2g} ms")
        figure, axes = figures[kind]
        draw(axes[3 * row_of[kind]: 3 * row_of[kind] + 3], result, model, current, label, unit_label)
        row_of[kind] += 1
    caption = ("Left: V(t) with the threshold v_t (dotted, AdEx) and the cut-off v_peak (dashed), "
               "where the spike is counted and V reset (strokes: the spike, drawn up to v_peak). "
               "Middle: the adaptation variable, which jumps by b (d) at each spike and relaxes "
               "with τ_w (1/a). Right: the trajectory in the phase plane over the V-nullcline "
               "(dashed) and the w-nullcline (dotted) at the step current; its straight "
               "segments are the resets, sampled on the grid. The spike is "
               "all-or-none in every cell; a, b and τ_w (Izhikevich: a, b, d) decide only when "
               "it comes: a reset above the V-nullcline's minimum fires again at once (bursts) "
               "until w has risen past it, a large b with a slow τ_w stretches the intervals "
               "(adaptation), a negative a delays the first spike.")
    context.save_figure(figures["AdEx"][0], "adex_patterns.png",
                        f"Naud et al. (2008)'s eight AdEx patterns, {p.adex_duration:g} ms of step "
                        f"current at dt = {p.dt:g} ms. " + caption)
    context.save_figure(figures["Izhikevich"][0], "izhikevich_types.png",
                        f"Izhikevich (2003)'s cortical types at I = {p.izhikevich_current:g} for "
                        f"{p.izhikevich_duration:g} ms, dt = {p.dt:g} ms. " + caption)
    context.save_data("firing_patterns.npz", cells=np.array(names),
                      spike_times_ms=np.concatenate(all_spikes),
                      cell_of_spike=np.repeat(np.arange(len(names)), [s.size for s in all_spikes]),
                      max_error_first_ten_ms=np.array(errors))
    regular = [e for name, e in zip(names, errors) if "irregular" not in name]
    return {"cells": names, "spike_count": counts, "first_isi_ms": first_isi,
            "adaptation_index": index, "max_error_first_ten_ms": errors,
            "worst_error_ms": max(regular)}
