"""f–I curve: firing rate against injected current, simulated on a batch and in closed form.

A batch of LIF neurons, one constant current each, runs in a single call. The simulated
inter-spike interval is compared with the analytic period
T = t_ref + tau_m ln((r_m I + v_rest - v_reset) / (r_m I + v_rest - v_th)); on the time grid a
spike falls on the first step at or after the analytic crossing, so the error must stay below dt.
"""

import sys

import numpy as np

from spikeneuron import LIF, lif_period, lif_rate, mean_isi_rate, simulate
from spikeneuron.experiment import script_main
from spikeneuron.plotting import EXCITATORY, new_figure, plot_fi_curve

NAME = "fi-curve"
TITLE = "Firing rate against injected current: simulation and closed form"
DESCRIPTION = __doc__.strip().splitlines()[0]

DT = 0.1  # ms


def run(context):
    neuron = LIF()
    current_na = np.linspace(0.0, 4.0, 41 if context.quick else 161)
    duration = 500.0 if context.quick else 3000.0
    result = simulate(neuron, duration=duration, dt=DT, current=current_na, record_v=False)

    rate_hz = mean_isi_rate(result.spike_times)
    analytic_rate_hz = lif_rate(current_na, neuron)
    period = lif_period(current_na, neuron)
    grid_period = lif_period(current_na, neuron, dt=DT)
    periodic = np.array([len(times) >= 2 for times in result.spike_times])
    mean_isi = np.array([np.diff(times).mean() if len(times) >= 2 else np.nan
                         for times in result.spike_times])
    isi_error = np.abs(mean_isi - period)
    max_isi_error = float(np.nanmax(isi_error[periodic]))
    context.say(f"largest ISI error {max_isi_error:.5f} ms (dt = {DT} ms)")

    figure, (ax_rate, ax_error) = new_figure(1, 2, width=11, height=4)
    plot_fi_curve(ax_rate, current_na, rate_hz, analytic_rate_hz=analytic_rate_hz,
                  label=f"simulated (dt = {DT} ms)")
    rheobase = (neuron.v_th - neuron.v_rest) / neuron.r_m
    ax_rate.axvline(rheobase, color="#7f7f7f", ls=":", lw=1, label=f"rheobase {rheobase:g} nA")
    ax_rate.legend(loc="upper left")
    ax_rate.set_title("LIF f–I curve")
    ax_error.plot(current_na[periodic], isi_error[periodic], "o", color=EXCITATORY, ms=3.5,
                  label="|simulated ISI − analytic period|")
    ax_error.axhline(DT, color="#7f7f7f", ls="--", lw=1, label=f"one time step ({DT} ms)")
    ax_error.set_xlabel("injected current (nA)")
    ax_error.set_ylabel("ISI error (ms)")
    ax_error.set_ylim(0, 1.3 * DT)
    ax_error.legend(loc="upper right")
    ax_error.set_title("Spikes sit on the grid: error below one step")
    context.save_figure(figure, "fi_curve.png",
                        "Left: simulated firing rate (points) against the closed-form f–I curve. "
                        "Right: the ISI error stays below one time step.")
    context.save_data("fi_curve.npz", current_na=current_na, rate_hz=rate_hz,
                      analytic_rate_hz=analytic_rate_hz, spike_counts=result.spike_counts)
    return {
        "current_na": current_na,
        "rate_hz": rate_hz,
        "analytic_rate_hz": analytic_rate_hz,
        "max_abs_isi_error_ms": max_isi_error,
        "max_abs_isi_error_vs_grid_period_ms": float(np.nanmax(np.abs(mean_isi - grid_period)[periodic])),
        "rheobase_na": rheobase,
        "parameters": {"dt_ms": DT, "duration_ms": duration, "n_neurons": current_na.size,
                       "tau_m_ms": neuron.tau_m, "v_rest_mv": neuron.v_rest,
                       "v_reset_mv": neuron.v_reset, "v_th_mv": neuron.v_th,
                       "t_ref_ms": neuron.t_ref, "r_m_mohm": neuron.r_m,
                       "rate_definition": "1000 / mean inter-spike interval (0 below two spikes)"},
    }


if __name__ == "__main__":
    sys.exit(script_main(sys.modules[__name__]))
