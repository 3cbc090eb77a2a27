"""Yardsticks for the models with a reset (AdEx, Izhikevich): a tight event-located integration,
and forward Euler with the threshold checked on the grid (Brian2's default, Izhikevich's code).

Both write the vector field from the published equations in the model's own parameters,
independently of the integrators they judge. The reference is ``scipy.integrate.solve_ivp``
(DOP853, rtol and atol 1e-10 by default) run from reset to reset, with V = v_peak as a
terminal event located on the solver's dense output: each reset happens at the exact
crossing. Under a constant current only (the accuracy tests and the firing-patterns
experiment are step currents from t = 0).
"""

import math

import numpy as np

__all__ = ["reference_run", "forward_euler_spike_times"]

_MAX_EXPONENT = 700.0


def _equations(model, current):
    """(f(t, y) with y = (V, w), reset (V, w) -> (V, w), v_peak, initial w of a V) for a model."""
    name = type(model).__name__
    if name == "AdEx":
        m = model

        def f(t, y):
            v, w = y
            spike = math.exp(min((v - m.v_t) / m.delta_t, _MAX_EXPONENT))
            # c_m dV/dt in pA: nS·mV, and the currents in nA times 1000
            dv = (-m.g_l * (v - m.e_l) + m.g_l * m.delta_t * spike - 1000.0 * w + 1000.0 * current) / m.c_m
            dw = (m.a * (v - m.e_l) / 1000.0 - w) / m.tau_w
            return [dv, dw]

        return f, (lambda v, w: (m.v_reset, w + m.b)), m.v_peak, (lambda v: 0.0), m.t_ref, \
            (lambda w, s: m.a * (m.v_reset - m.e_l) / 1000.0 + (w - m.a * (m.v_reset - m.e_l) / 1000.0) * math.exp(-s / m.tau_w))  # noqa: E501
    if name == "Izhikevich":
        m = model

        def f(t, y):
            v, u = y
            return [0.04 * v * v + 5.0 * v + 140.0 - u + current, m.a * (m.b * v - u)]

        return f, (lambda v, u: (m.c, u + m.d)), m.v_peak, (lambda v: m.b * v), 0.0, None
    raise TypeError(f"no reference equations for {name}; AdEx and Izhikevich have them")


def reference_run(model, current, duration, *, v_init=None, rtol=1e-10, atol=1e-10,
                  dense_dt=None, max_spikes=None):
    """Spike times (ms) of one neuron under a constant current, integrated tightly with each
    reset at the exact crossing of v_peak.

    Parameters
    ----------
    model : AdEx or Izhikevich
    current : float
        Constant injected current from t = 0 (nA for AdEx, the paper's units for Izhikevich).
    duration : float
        ms.
    v_init : float, optional
        Initial potential, mV (default: the model's ``v_rest``); w starts at 0 (AdEx) or
        b·v_init (Izhikevich), as in the integrators.
    rtol, atol : float
        Tolerances of ``solve_ivp``.
    dense_dt : float, optional
        Also return (t, v, w) sampled every dense_dt ms (V after a reset at a sample).
    max_spikes : int, optional
        Stop after this many spikes (the rest of a dense trace is then NaN).

    Returns
    -------
    spikes : ndarray
        Spike times, ms; with ``dense_dt``, the tuple (spikes, t, v, w).
    """
    from scipy.integrate import solve_ivp

    f, reset, v_peak, w_start, t_ref, hold = _equations(model, float(current))
    v0 = model.v_rest if v_init is None else float(v_init)
    y = [v0, w_start(v0)]
    t, spikes = 0.0, []
    samples = None if dense_dt is None else np.arange(0.0, duration + 1e-9, dense_dt)
    values = None if samples is None else np.full((samples.size, 2), np.nan)

    def event(t, y):
        return y[0] - v_peak

    event.terminal, event.direction = True, 1
    while t < duration:
        solution = solve_ivp(f, (t, duration), y, method="DOP853", rtol=rtol, atol=atol,
                             events=event, dense_output=True)
        end = solution.t[-1]
        if samples is not None:
            inside = (samples >= t) & (samples <= end)
            values[inside] = solution.sol(samples[inside]).T
        if solution.status != 1:  # reached the end of the run
            break
        t_spike = float(solution.t_events[0][0])
        spikes.append(t_spike)
        if max_spikes is not None and len(spikes) >= max_spikes:
            break
        y = list(reset(*solution.y_events[0][0]))
        t = t_spike
        if t_ref > 0.0:
            stop = min(t + t_ref, duration)
            if samples is not None:
                inside = (samples > t) & (samples <= stop)
                values[inside, 0] = y[0]
                values[inside, 1] = [hold(y[1], s - t) for s in samples[inside]]
            y[1] = hold(y[1], stop - t)
            t = stop
    spikes = np.array(spikes)
    if samples is None:
        return spikes
    return spikes, samples, values[:, 0], values[:, 1]


def forward_euler_spike_times(model, current, duration, dt, *, v_init=None):
    """Spike times (ms, on the grid) of one neuron under a constant current by forward Euler
    with V ≥ v_peak checked after each step (Brian2's default method, Izhikevich's code)."""
    f, reset, v_peak, w_start, t_ref, hold = _equations(model, float(current))
    v = model.v_rest if v_init is None else float(v_init)
    w = w_start(v)
    steps = int(round(duration / dt))
    spikes, held = [], 0
    refractory_steps = int(round(t_ref / dt))
    for k in range(1, steps + 1):
        if held:
            held -= 1
            w = hold(w, dt)
            continue
        dv, dw = f(0.0, (v, w))
        v, w = v + dt * dv, w + dt * dw
        if v >= v_peak or not math.isfinite(v):
            spikes.append(k * dt)
            v, w = reset(v, w)
            held = refractory_steps
    return np.array(spikes)
