"""f–I curve: firing rate against injected current, simulated on a batch and in closed form.

A batch of LIF neurons, one constant current each, runs in a single call. The simulated
inter-spike interval is compared with the analytic period
T = t_ref + tau_m ln((r_m I + v_rest - v_reset) / (r_m I + v_rest - v_th)); on the time grid a
spike falls on the first step at or after the analytic crossing, so the error must stay below dt.
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
    Parameter("dt", 0.1, "ms", "time step", positive=True),
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
    periodic = np.array([len(times) >= 2 for times in result.spike_times])
    mean_isi = np.array([np.diff(times).mean() if len(times) >= 2 else np.nan
                         for times in result.spike_times])
    isi_error = np.abs(mean_isi - period)
    max_isi_error = float(np.nanmax(isi_error[periodic]))
    context.say(f"largest ISI error {max_isi_error:.5f} ms (dt = {dt} ms)")

    figure, (ax_rate, ax_error) = new_figure(1, 2, width=11, height=4)
    # the closed form on a fine grid, so that its steep onset at the rheobase is drawn as it is
    fine_na = np.linspace(0.0, p.max_current, 2001)
    ax_rate.plot(fine_na, lif_rate(fine_na, neuron), "-", color="#7f7f7f", lw=2.0,
                 label="closed form 1000/T(I)")
    plot_fi_curve(ax_rate, current_na, rate_hz, label=f"simulated (dt = {dt} ms)")
    rheobase = (neuron.v_th - neuron.v_rest) / neuron.r_m
    ax_rate.axvline(rheobase, color="#7f7f7f", ls=":", lw=1, label=f"rheobase {rheobase:g} nA")
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
                        "fires. Right: |mean simulated ISI − exact period| for every neuron that "
                        f"fired at least twice; dashed: one time step ({dt:g} ms), which bounds "
                        "the error since spikes are detected on the grid.")
    context.save_data("fi_curve.npz", current_na=current_na, rate_hz=rate_hz,
                      analytic_rate_hz=analytic_rate_hz, spike_counts=result.spike_counts)
    return {
        "current_na": current_na,
        "rate_hz": rate_hz,
        "analytic_rate_hz": analytic_rate_hz,
        "max_abs_isi_error_ms": max_isi_error,
        "max_abs_isi_error_vs_grid_period_ms": float(np.nanmax(np.abs(mean_isi - grid_period)[periodic])),
        "rheobase_na": rheobase,
    }

