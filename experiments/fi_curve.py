"""f–I curve: firing rate against injected current, simulated on a batch and in closed form.

A batch of LIF neurons, one constant current each, runs in a single call. The simulated
inter-spike interval is compared with the analytic period
T = t_ref + tau_m ln((r_m I + v_rest - v_reset) / (r_m I + v_rest - v_th)); on the time grid a
spike falls on the first step at or after the analytic crossing, so the error must stay below dt.

At the rheobase itself the steady state sits exactly on v_th: the exact potential approaches
the threshold for ever and never reaches it, so the closed form says the neuron is silent, and
that is the convention here. In floating point the simulated potential may land on v_th after
some 35 tau_m (it does at tau_m = 6 ms, not at 10 ms), and a current one rounding above the
rheobase has a closed-form period of some 35 tau_m that the rounding of each step decides: a
neuron within round-off of the rheobase is therefore not compared, and one that fires there is
counted apart (n_round_off_firing).
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import lif_period, lif_rate, mean_isi_rate, simulate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import EXCITATORY, new_figure, plot_fi_curve

NAME = "fi-curve"
TITLE = "Firing rate against injected current: simulation and closed form"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The rate of a spiking neuron is a function of its input, and for the LIF it is known
in closed form: zero below the rheobase, then a steep rise that bends over as the refractory
period and the membrane time constant set the pace. The points are simulated, the line is the
formula; the right panel checks the simulator: each simulated inter-spike interval is within
one time step of the exact period (max_abs_isi_error_ms below dt), because spikes are detected
on the grid, and it equals the period on the grid to round-off."""

PARAMETERS = (
    *lif_parameters(),
    Parameter("duration", 3000.0, "ms", "simulated time of each neuron", positive=True, quick=500.0),
    Parameter("max_current", 4.0, "nA", "largest injected current (the sweep starts at 0 nA)",
              positive=True),
    Parameter("n_currents", 161, "", "number of currents, one neuron each", minimum=2, quick=41),
)
KEY_NUMBERS = (
    KeyNumber("max_abs_isi_error_ms", "ms", "largest |simulated mean ISI − closed-form period|; below dt"),
    KeyNumber("max_abs_isi_error_vs_grid_period_ms", "ms",
              "largest |simulated mean ISI − period on the time grid|; round-off only"),
    KeyNumber("rheobase_na", "nA", "smallest current that makes the neuron fire, (v_th − v_rest)/r_m"),
    KeyNumber("n_round_off_firing", "", "neurons at the rheobase (steady state on v_th to round-off) "
              "that fired as round-off decided; not compared"),
    KeyNumber("current_na", "nA", "the injected currents"),
    KeyNumber("rate_hz", "Hz", "simulated rate, 1000 / mean ISI (0 below two spikes)"),
    KeyNumber("analytic_rate_hz", "Hz", "closed-form rate 1000 / T(I)"),
)


def run(context):
    p = context.parameters
    dt = p.dt
    neuron = context.lif()
    current_na = np.linspace(0.0, p.max_current, p.n_currents)
    result = simulate(neuron, duration=p.duration, dt=dt, current=current_na, record_v=False)

    rate_hz = mean_isi_rate(result.spike_times)
    analytic_rate_hz = lif_rate(current_na, neuron)
    period = lif_period(current_na, neuron)
    grid_period = lif_period(current_na, neuron, dt=dt)
    # The closed form decides whether a neuron fires at all (see the module docstring): on the
    # boundary, where the steady state is v_th to within round-off, a simulated spike is the
    # rounding's, not the dynamics'. Anywhere else a disagreement would be a bug.
    fired = np.array([len(times) >= 2 for times in result.spike_times])
    excess = neuron.r_m * current_na + (neuron.v_rest - neuron.v_th)
    scale = np.maximum.reduce([np.abs(neuron.r_m * current_na), np.full_like(current_na, abs(neuron.v_th)),
                               np.full_like(current_na, abs(neuron.v_rest))])
    on_boundary = np.abs(excess) <= 64 * np.finfo(float).eps * scale
    disagree = (fired != np.isfinite(period)) & ~on_boundary
    if np.any(disagree):
        raise RuntimeError(f"simulation and closed form disagree on firing away from the rheobase: "
                           f"currents {current_na[disagree]} nA")
    round_off_firing = fired & on_boundary
    periodic = fired & np.isfinite(period) & ~on_boundary
    mean_isi = np.array([np.diff(times).mean() if len(times) >= 2 else np.nan
                         for times in result.spike_times])
    isi_error = np.abs(mean_isi - period)
    # no neuron fires when every current is below the rheobase: no error to quote (null)
    max_isi_error = float(np.max(isi_error[periodic])) if periodic.any() else float("nan")
    context.say(f"largest ISI error {max_isi_error:.5f} ms (dt = {dt} ms)")

    figure, (ax_rate, ax_error) = new_figure(1, 2, width=11, height=4)
    # the closed form on a fine grid, so that its steep onset at the rheobase is drawn as it is
    fine_na = np.linspace(0.0, p.max_current, 2001)
    ax_rate.plot(fine_na, lif_rate(fine_na, neuron), "-", color="#7f7f7f", lw=2.0,
                 label="closed form 1000/T(I)")
    plot_fi_curve(ax_rate, current_na, rate_hz, label=f"simulated (dt = {dt} ms)")
    rheobase = (neuron.v_th - neuron.v_rest) / neuron.r_m
    ax_rate.axvline(rheobase, color="#7f7f7f", ls=":", lw=1, label=f"rheobase {rheobase:g} nA")
    if round_off_firing.any():
        ax_rate.plot(current_na[round_off_firing], rate_hz[round_off_firing], "x", color="#c25e00",
                     ms=7, label="fired by round-off at the rheobase")
    ax_rate.legend(loc="upper left")
    ax_rate.set_title("LIF f–I curve")
    ax_error.plot(current_na[periodic], isi_error[periodic], "o", color=EXCITATORY, ms=3.5,
                  label="|simulated ISI − analytic period|")
    ax_error.axhline(dt, color="#7f7f7f", ls="--", lw=1, label=f"one time step ({dt} ms)")
    ax_error.set_xlabel("injected current (nA)")
    ax_error.set_ylabel("ISI error (ms)")
    ax_error.set_ylim(0, 1.35 * dt)
    ax_error.legend(loc="upper right")
    ax_error.set_title("Spikes sit on the grid: error below one step")
    context.save_figure(figure, "fi_curve.png",
                        f"Left: firing rate of {p.n_currents} LIF neurons, one constant current "
                        f"each, simulated for {p.duration:g} ms (points), against the closed form "
                        "1000/T(I) (line); dotted: the rheobase, below which the neuron never "
                        "fires (a cross: a neuron exactly at the rheobase that round-off made "
                        "fire, not compared). Right: |mean simulated ISI − exact period| for every "
                        f"neuron that fired at least twice where the closed form fires; dashed: one time step ({dt:g} ms), which bounds "  # noqa: E501
                        "the error since spikes are detected on the grid.")
    context.save_data("fi_curve.npz", current_na=current_na, rate_hz=rate_hz,
                      analytic_rate_hz=analytic_rate_hz, spike_counts=result.spike_counts)
    return {
        "current_na": current_na,
        "rate_hz": rate_hz,
        "analytic_rate_hz": analytic_rate_hz,
        "max_abs_isi_error_ms": max_isi_error,
        "max_abs_isi_error_vs_grid_period_ms": float(np.max(np.abs(mean_isi - grid_period)[periodic]))
        if periodic.any() else float("nan"),
        "rheobase_na": rheobase,
        "n_round_off_firing": int(round_off_firing.sum()),
    }

