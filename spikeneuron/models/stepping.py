"""The advance every integrator can fall back to: one call of its ``step`` per grid step.

An integrator's ``advance(first_step, currents, synaptic, has_input, record=None)`` moves a
batch that nothing inside the run reaches through a whole chunk of steps; models with a
compiled or event-driven way to do that use it, and fall back to this loop otherwise. The
loop is the definition: any faster ``advance`` must give the same spikes.
"""

import numpy as np


def advance_by_steps(integrator, first_step, currents, synaptic, has_input, record=None):
    """Advance grid steps first_step .. first_step + m − 1 (m = ``has_input.size``) by
    calling ``integrator.step`` once per step.

    Parameters
    ----------
    integrator : a model's batch integrator
        Anything with ``step(current, synaptic, propagate=True)`` returning a boolean mask,
        ``read(name)`` and, for models that locate spikes between grid points, ``spike_lag``.
    first_step : int
        Grid index of the first step (>= 1; grid point 0 is a ``step(..., propagate=False)``).
    currents : float or ndarray, shape (n,), (m, n) or (m, 1)
        The injected current: one value or vector for every step, or one row per step.
    synaptic : ndarray, shape (m, channels, n), or None
        Summed weights of the inputs acting at each step; row i is used where ``has_input[i]``.
    has_input : ndarray of bool, shape (m,)
    record : None or (indices, traces)
        Neurons (int array) and a dict of variable name -> array (m, len(indices)) to fill
        with the variable after each step.

    Returns
    -------
    steps, neurons : ndarray of int64
        The spikes, in order of step then neuron.
    lags : ndarray or None
        How long before its grid time each spike happened, ms (models without ``spike_lag``:
        None).
    """
    per_step = not (isinstance(currents, float) or np.ndim(currents) <= 1)
    lag = getattr(integrator, "spike_lag", None)
    steps, neurons, lags = [], [], []
    for i in range(has_input.size):
        spiked = integrator.step(currents[i] if per_step else currents,
                                 synaptic[i] if synaptic is not None and has_input[i] else None)
        if spiked.any():
            fired = np.flatnonzero(spiked)
            steps.append(np.full(fired.size, first_step + i, dtype=np.int64))
            neurons.append(fired)
            if lag is not None:
                lags.append(lag[fired])
        if record is not None:
            indices, traces = record
            for name, trace in traces.items():
                np.take(integrator.read(name), indices, out=trace[i])
    if not steps:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), None if lag is None else np.empty(0)
    return (np.concatenate(steps), np.concatenate(neurons).astype(np.int64),
            None if lag is None else np.concatenate(lags))
