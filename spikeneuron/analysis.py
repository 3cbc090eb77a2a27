"""Analysis of spike trains and closed-form rates: ISIs, CV, the LIF f–I curve."""

import numpy as np

from . import _validation as check

__all__ = ["isi", "cv_isi", "mean_isi_rate", "lif_period", "lif_rate"]


def isi(spike_times):
    """Inter-spike intervals of one train, ms (empty for fewer than two spikes)."""
    return np.diff(np.asarray(spike_times, dtype=float))


def cv_isi(spike_times):
    """Coefficient of variation of the inter-spike intervals (std/mean); NaN below three spikes."""
    intervals = isi(spike_times)
    if intervals.size < 2:
        return float("nan")
    return float(intervals.std() / intervals.mean())


def mean_isi_rate(spike_times_list):
    """Rate of each train from its mean inter-spike interval, Hz (0 for fewer than two spikes).

    Unlike a spike count over the run, this rate does not depend on where the run happens to
    stop within an interval.
    """
    rates = np.zeros(len(spike_times_list))
    for i, times in enumerate(spike_times_list):
        if len(times) >= 2:
            rates[i] = 1000.0 * (len(times) - 1) / (times[-1] - times[0])
    return rates


def lif_period(current, model, *, dt=None):
    """Inter-spike interval of the deterministic LIF under a constant current, ms.

    T = t_ref + tau_m ln((r_m I + v_rest - v_reset) / (r_m I + v_rest - v_th)) when the steady
    state v_rest + r_m I lies above v_th; infinite otherwise. With ``dt`` (ms), the period of
    the time-stepped neuron instead: refractory steps plus the whole steps needed to reach v_th.

    Parameters
    ----------
    current : float or array-like
        Constant injected current, nA.
    model : LIF
    dt : float, optional
        Time step, ms.
    """
    current = check.finite_array("current", "lif_period", current)
    drive = model.r_m * current + model.v_rest  # steady-state potential, mV
    above = drive > model.v_th
    safe = np.where(above, drive, model.v_th + 1.0)
    free_time = model.tau_m * np.log((safe - model.v_reset) / (safe - model.v_th))
    if dt is None:
        period = model.t_ref + free_time
    else:
        dt = check.positive("dt", "lif_period", dt)
        steps = np.ceil(free_time / dt - 1e-9)
        period = (model.refractory_steps(dt) + steps) * dt
    return np.where(above, period, np.inf)


def lif_rate(current, model, *, dt=None):
    """Closed-form f–I curve of the deterministic LIF neuron, Hz.

    The firing rate 1000 / T(I) under a constant current I (nA), where T is the period of
    :func:`lif_period`; zero at or below the rheobase current (v_th - v_rest) / r_m.

    Parameters
    ----------
    current : float or array-like
        Constant injected current, nA.
    model : LIF
    dt : float, optional
        Time step, ms: gives the rate of the neuron simulated on that grid, whose period is
        rounded up to whole steps.

    Examples
    --------
    >>> from spikeneuron import LIF, lif_rate
    >>> round(float(lif_rate(2.0, LIF())), 2)   # 20 mV drive, threshold 15 mV above rest: T = 2 + 10 ln 4 ms
    63.04
    """
    period = lif_period(current, model, dt=dt)
    rate = np.where(np.isfinite(period), 1000.0 / np.where(np.isfinite(period), period, 1.0), 0.0)
    return rate if rate.ndim else float(rate)
