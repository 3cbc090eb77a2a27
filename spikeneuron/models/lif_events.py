"""Event-driven fast paths for the deterministic LIF: a loop over spikes, not over steps.

Between spikes the LIF is linear, so its trajectory over many steps follows in bulk:

* **Constant current, no synaptic input** (f–I sweeps): after a reset every cycle is the same,
  so each neuron fires periodically. The steps from a start to threshold are found by
  iterating the very same floating-point update as the step-by-step path, but only on the
  neurons still below threshold; the spike train then follows from the first spike and the
  period. Identical to the reference path, spike for spike.
* **One neuron under arbitrary input** (e.g. 1000 Poisson inputs): the free trajectory
  u_k = P u_k-1 + x_k (u = V − v_rest, P = e^{-dt/tau_m}, x_k the step's current drive plus
  synaptic jumps) of a whole block of steps has the closed form
  u_k = P^k (P u_-1 + Σ_{j<=k} x_j P^{-j}), one cumulative sum (see :func:`free_trajectory`). A reset at the end of a refractory period at step m only adds a
  correction that decays with tau_m: u_k = F_k − P^{k−m} (F_m − u_reset) for k > m, where F is
  the free trajectory; inputs during the refractory period are discarded because the
  correction pins u to u_reset at m. Each spike costs a search over the steps to the next
  crossing. The trajectory equals the step-by-step one to rounding (~1e-13 mV); where it comes
  within a (generous) tolerance of threshold, which side V is on is decided by replaying the
  step-by-step path's own arithmetic from the last exactly known potential (a reset, or the
  start of the block), so that V landing exactly on v_th fires in both paths.
"""  # noqa: E501

import numpy as np

#: Width (steps) of the first window searched for the next threshold crossing; it doubles.
_FIRST_WINDOW = 64


def free_trajectory(increments, start_u, decay):
    """u_k = decay·u_k-1 + increments_k for every step of a block, from u_-1 = start_u.

    Written as u_k = P^k (P u_-1 + Σ_{j<=k} x_j P^{-j}) on sub-blocks short enough that P^{-j}
    stays far from overflow; each term of the sum then carries a rounding error of order
    eps·|x_j| once scaled back by P^k, so the result matches the recursion to ~1e-13 mV.
    """
    length = increments.size
    with np.errstate(divide="ignore"):  # P = 0 when tau_m ≪ dt: no memory, sub-blocks of 1
        rate = -np.log(decay)  # per step; 0 when tau_m is so long that P rounds to 1
    sub = 1024 if rate == 0.0 else int(min(1024, max(1, 50.0 / rate)))  # P^-sub <= e^50
    exponents = np.arange(sub, dtype=float)
    powers = decay ** exponents
    inverse = 1.0 / powers
    free = np.empty(length)
    u = start_u
    for lo in range(0, length, sub):
        hi = min(lo + sub, length)
        size = hi - lo
        partial = np.cumsum(increments[lo:hi] * inverse[:size])
        partial += decay * u
        free[lo:hi] = partial * powers[:size]
        u = free[hi - 1]
    return free


def steps_to_threshold(integrator, v_start, drive, limit):
    """Steps of free propagation from v_start (mV) until V >= v_th, per neuron (limit + 1 if
    not within ``limit``), with exactly the arithmetic of ``LIFIntegrator.step``:
    V ← (V − v_rest)·P + (v_rest + drive), the bracket rounded first, so that a fixed point
    that the rounded iteration reaches exactly at v_th fires here as it does there."""
    model = integrator.model
    steps = np.full(v_start.size, limit + 1, dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # P = 1: no fixed point
        v_inf = model.v_rest + drive / (1.0 - integrator.decay)
    v_inf[np.isnan(v_inf)] = model.v_rest  # no drive and P = 1: V stays where it is
    # A monotone relaxation that starts and ends below threshold never reaches it.
    margin = 1e-9 * (1.0 + abs(model.v_th))
    active = np.flatnonzero(np.maximum(v_start, v_inf) >= model.v_th - margin)
    v, offset = v_start[active].copy(), model.v_rest + drive[active]
    for step in range(1, limit + 1):
        if active.size == 0:
            break
        v -= model.v_rest
        v *= integrator.decay
        v += offset
        hit = v >= model.v_th
        if hit.any():
            steps[active[hit]] = step
            keep = ~hit
            active, v, offset = active[keep], v[keep], offset[keep]
    return steps


def run_constant_current(integrator, current, n_steps):
    """Grid steps 1..n_steps under a constant current (nA) and no input: (steps, neurons).

    Spikes come grouped by neuron (in time order within each neuron).
    """
    model, n = integrator.model, integrator.n
    current = np.broadcast_to(np.asarray(current, dtype=float), (n,))
    drive = integrator.current_gain * current if np.any(current) else np.zeros(n)
    held = integrator.refractory.copy()  # after grid point 0
    from_reset = steps_to_threshold(integrator, np.full(n, model.v_reset), drive, n_steps)
    if np.all(integrator.v == model.v_reset):  # the usual start: at rest, which is the reset
        from_now = from_reset
    else:
        from_now = steps_to_threshold(integrator, integrator.v, drive, n_steps)
    first = np.where(held > 0, held + from_reset, from_now)
    period = integrator.refractory_steps + from_reset
    fires = np.flatnonzero(first <= n_steps)
    first, period = first[fires], period[fires]
    counts = (n_steps - first) // period + 1
    integrator.v = None  # the state after an event-driven run is not tracked
    return _arithmetic_trains(fires, first, period, counts)


def _arithmetic_trains(neurons, first, period, counts):
    """Spikes at first + j·period, j < count, for each neuron: (steps, neurons), built with one
    repeat and one cumulative sum (the step from one spike to the next is the period, and from
    one neuron's last spike to the next neuron's first it is their difference)."""
    if counts.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    increments = np.repeat(period, counts)
    starts = np.cumsum(counts) - counts
    last = first + (counts - 1) * period
    increments[starts[0]] = first[0]
    increments[starts[1:]] = first[1:] - last[:-1]
    return np.cumsum(increments), np.repeat(neurons, counts)


def advance_block(integrator, increments, *, drive=None, jumps=None):
    """Advance one neuron over a block of steps, given x_k (mV) for each step: spike offsets.

    ``increments`` has shape (steps,): the current's drive over each step plus the synaptic
    jumps acting at its end. Updates the integrator's potential and refractory counter.

    ``drive`` (the step's v_rest + r_m·I·(1 − e^{−dt/τ_m}), mV: a number or shape (steps,)) and
    ``jumps`` (the synaptic jumps, mV, shape (steps,)) are the two parts of ``increments`` as
    the step-by-step path adds them; given, a near tie with v_th is decided bit for bit as that
    path decides it. Without them the parts are taken to be v_rest and ``increments``, which is
    exact when no current flows and within a rounding of V otherwise.
    """
    model, decay = integrator.model, integrator.decay
    u_reset = model.v_reset - model.v_rest
    threshold = model.v_th - model.v_rest
    length = increments.size
    start_u = integrator.v[0] - model.v_rest
    free = free_trajectory(increments, start_u, decay)
    # Bulk and step-by-step trajectories differ by rounding: eps times the potentials and the
    # increments summed over a time constant. Candidates within a million times that of
    # threshold are replayed step by step.
    lingering = np.max(np.abs(increments), initial=0.0) / max(1.0 - decay, np.finfo(float).eps)
    tolerance = 1e-9 * (1.0 + abs(threshold) + abs(u_reset) + lingering
                        + np.max(np.abs(free), initial=abs(start_u)))
    replay = _StepReplay(integrator, increments, drive, jumps)
    # anchor: the last step at which u was pinned to u_reset (-1: none in this block)
    anchor, held = -1, int(integrator.refractory[0])
    correction = 0.0
    start = 0  # where the search for the next crossing goes on
    spikes = []
    while True:
        if held:
            anchor += held
            if anchor >= length:  # the refractory period runs past this block
                integrator.refractory[0] = anchor - (length - 1)
                integrator.v[0] = model.v_reset
                return np.array(spikes, dtype=np.int64)
            correction = free[anchor] - u_reset
            replay.restart(anchor, model.v_reset)
            held, start = 0, anchor + 1
        crossing, value = _first_crossing(free, start, anchor, correction, decay,
                                          threshold - tolerance)
        if crossing < 0:
            break
        start = crossing + 1
        if value < threshold + tolerance and replay.potential(crossing) < model.v_th:
            continue  # a near tie that the step-by-step path leaves below threshold
        spikes.append(crossing)
        anchor, held = crossing, integrator.refractory_steps
        correction = free[anchor] - u_reset
        replay.restart(anchor, model.v_reset)
    last = length - 1
    if replay.step == last:
        integrator.v[0] = replay.v
    else:
        u_end = free[last] - (decay ** (last - anchor)) * correction if anchor >= 0 else free[last]
        integrator.v[0] = model.v_rest + (u_reset if anchor == last else u_end)
    integrator.refractory[0] = 0
    return np.array(spikes, dtype=np.int64)


def _first_crossing(free, start, anchor, correction, decay, level):
    """First step k >= start where u_k = free_k − decay^(k−anchor)·correction >= level, and
    u_k; (-1, None) if there is none."""
    width = _FIRST_WINDOW
    while start < free.size:
        stop = min(start + width, free.size)
        segment = free[start:stop]
        if anchor >= 0 and correction != 0.0:
            segment = segment - correction * decay ** np.arange(start - anchor, stop - anchor)
        hits = np.flatnonzero(segment >= level)
        if hits.size:
            return start + int(hits[0]), float(segment[hits[0]])
        start, width = stop, width * 2
    return -1, None


class _StepReplay:
    """V step by step with the arithmetic of ``LIFIntegrator.step`` for one neuron,
    V ← ((V − v_rest)·P + drive) + jump, from the last exactly known potential on (a cursor
    that only moves forward, so replaying a whole block costs one pass at most)."""

    def __init__(self, integrator, increments, drive, jumps):
        model = integrator.model
        self.v_rest, self.decay = model.v_rest, integrator.decay
        self.drive = model.v_rest if drive is None else drive
        self.jumps = increments if jumps is None else jumps
        self.step, self.v = -1, float(integrator.v[0])

    def restart(self, step, v):
        self.step, self.v = step, float(v)

    def potential(self, k):
        """V at step k (>= the cursor) as the step-by-step path computes it."""
        lo = self.step + 1
        jumps = self.jumps[lo:k + 1].tolist()
        drives = (np.broadcast_to(self.drive, self.jumps.shape)[lo:k + 1].tolist()
                  if np.ndim(self.drive) else [float(self.drive)] * len(jumps))
        v, v_rest, decay = self.v, self.v_rest, self.decay
        for drive, jump in zip(drives, jumps):
            v = (v - v_rest) * decay + drive + jump
        self.step, self.v = k, v
        return v
