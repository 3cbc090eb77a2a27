"""The time loop: one place that advances any neuron model on a batch of neurons.

Data flow of a run: the inputs are checked and put on the grid once; then, chunk by chunk
of steps, the feed-forward synaptic drive is computed in bulk (spike counts per step ×
weights, one sparse product per chunk) and the injected current is laid out; the model's
integrator advances all neurons one step at a time on numpy arrays; spikes are always kept,
potentials only for the neurons asked for.
"""

import warnings

import numpy as np
import scipy.sparse

from . import _kernels
from . import _validation as check
from ._progress import ProgressBar, progress_wanted
from .exceptions import CoarseTimeStepWarning, SimulationError, ValidationError
from .inputs import spike_trains
from .result import SimulationResult
from .synapses import as_weight_matrix, split_by_sign

__all__ = ["simulate"]

_OWNER = "simulate"
#: Elements of a chunk's drive arrays (steps × channels × neurons): bounds the memory in use.
_CHUNK_ELEMENTS = 2**21
_MAX_CHUNK_STEPS = 4096
#: Recording more than this many bytes of potentials is refused with advice instead of
#: exhausting the machine's memory.
_MAX_RECORD_BYTES = 4 * 2**30


def simulate(model, *, duration, dt=0.1, current=None, inputs=None, weights=None, n=None,
             seed=None, record_v=True, record_vars=(), v_init=None, progress=None,
             backend=None):
    """Simulate a batch of n neurons of one model on the time grid t_k = k·dt.

    Parameters
    ----------
    model : LIF or another spikeneuron model
        The neuron model (its parameters); every neuron of the batch shares it.
    duration : float
        Simulated time, ms (at least ``dt``). The grid runs from 0 to
        floor(duration/dt)·dt.
    dt : float
        Time step, ms. A warning is given when it exceeds a tenth of a model time constant.
    current : None, float, array-like or callable
        Injected current, nA, piecewise constant (the value at t_k acts over [t_k, t_k+1)):
        a scalar (all neurons, all times); a vector of shape (n,) (one per neuron); an array
        of shape (steps, n) or (steps,) with steps = floor(duration/dt) (one value per step;
        steps + 1 rows are accepted and the last is unused); or a callable mapping an array of
        times (ms, shape (k,)) to currents of shape (k,) or (k, n). A 1-D array whose length
        fits the grid is read as one value per step unless ``n`` says there are that many
        neurons.
    inputs : list of array-like, or SpikeTrains
        Input spike trains on the dendrites, one array of spike times (ms) per source, or the
        result of :func:`poisson_inputs` / :func:`regular_inputs`.
    weights : array-like or scipy.sparse matrix
        Signed synaptic weights, shape (sources,) for one neuron (or for every neuron alike) or
        (sources, n): mV for delta synapses, nA for exponential ones. Positive excites,
        negative inhibits. Required with ``inputs``.
    n : int, optional
        Number of neurons; inferred from ``weights``, ``current`` or ``v_init`` when omitted
        (1 if nothing says otherwise).
    seed : int or None
        Seed of the random numbers used by stochastic models (kept in the result).
    record_v : bool or array-like of int
        True records the potential of all neurons, False of none, an index array those
        neurons only. Spikes are always recorded.
    record_vars : sequence of str
        Further state variables to record for the same neurons as ``record_v`` (the model's
        ``recordable`` names, e.g. 'i_syn_ex' of an LIF with exponential synapses, or gates
        and ionic currents of a Hodgkin–Huxley neuron); returned in ``result.traces``.
    v_init : float or array-like, shape (n,), optional
        Initial potentials, mV (default: the model's resting potential).
    progress : bool or None
        Show a progress bar on stderr; None (default) shows it for long runs on a terminal.
    backend : None, 'numpy' or 'numba'
        How the step-by-step path is computed: 'numpy' (the reference) or 'numba' (compiled
        kernels, from the optional extra ``spikeneuron[fast]``; the same spikes). None
        (default) takes numba when it is installed. Models or options a kernel does not cover
        (Hodgkin–Huxley, escape noise, coloured noise) run on numpy either way.

    Returns
    -------
    SimulationResult
        ``t`` (ms, shape (T,)), ``v`` (mV, shape (T, n_recorded)), ``spike_times`` (list of n
        arrays, ms), ``spike_counts`` (shape (n,)) and ``rates`` (Hz, shape (n,)).

    Raises
    ------
    ValueError
        (ValidationError) for values that cannot be simulated: non-positive or non-finite
        ``dt``, ``duration`` shorter than ``dt``, NaN/infinite weights, currents or spike
        times, and shapes of inputs, weights, currents and ``n`` that do not agree.
    TypeError
        For a model that is not a spikeneuron model, or arguments of the wrong type.

    Examples
    --------
    >>> from spikeneuron import LIF, simulate
    >>> result = simulate(LIF(), duration=100.0, current=2.0)   # 2 nA × 10 MΩ = 20 mV drive
    >>> result.spike_counts
    array([6])
    """
    if isinstance(model, type) or not hasattr(model, "integrator"):
        raise TypeError(f"The 'model' parameter of {_OWNER} must be a spikeneuron neuron model "
                        f"such as LIF(). Got {type(model).__name__} instead.")
    dt, n_steps = _time_grid(dt, duration, _OWNER)
    _warn_if_coarse(model, dt)

    trains, weight_matrix_raw = _check_inputs(inputs, weights)
    v_init_array = None if v_init is None else check.finite_array("v_init", _OWNER, v_init)
    n = _resolve_n(n, weight_matrix_raw, current, v_init_array, n_steps)
    current_drive = _CurrentDrive(current, n, n_steps, dt)
    if v_init_array is not None and v_init_array.ndim and v_init_array.shape != (n,):
        check.shape_mismatch("v_init", _OWNER, f"() or ({n},)", v_init_array.shape)
    names = (record_vars,) if isinstance(record_vars, str) else tuple(record_vars)
    recorded = _recorded_neurons(record_v, n, n_steps, n_vars=len(names))

    backend = _kernels.resolve_backend(backend, _OWNER)
    integrator = model.integrator(dt, n, v_init_array, rng=_rng(seed))
    if hasattr(integrator, "use_backend"):
        integrator.use_backend(backend)
    record_vars = _check_record_vars(record_vars, integrator, recorded)
    synaptic = _SynapticDrive(trains, weight_matrix_raw, n, dt, n_steps,
                              channels=model.synapse.channels)

    traces = {} if recorded is None else {
        name: np.empty((n_steps + 1, recorded.size)) for name in ("v", *record_vars)}
    record_all = recorded is not None and recorded.size == n
    spikes = SpikeBuffer(lags=getattr(integrator, "spike_lag", None) is not None)

    chunk = int(np.clip(_CHUNK_ELEMENTS // (n * synaptic.channels), 1, _MAX_CHUNK_STEPS))
    bar = ProgressBar(n_steps, "simulate", progress_wanted(progress, n * n_steps))

    def advance(k, current_now, synaptic_now):
        spiked = integrator.step(current_now, synaptic_now, propagate=k > 0)
        if spiked.any():
            fired = np.flatnonzero(spiked)
            # Models that locate a spike between grid points say how long before t_k it was.
            lag = getattr(integrator, "spike_lag", None)
            spikes.add(k, fired, None if lag is None else lag[fired])
        for name, trace in traces.items():
            values = integrator.read(name)
            trace[k] = values if record_all else values[recorded]

    # Grid point 0 is the initial state; inputs acting at t = 0 are applied to it.
    syn_chunk, has_input = synaptic.chunk(0, 1)
    advance(0, 0.0, syn_chunk[0] if has_input[0] else None)
    # Event-driven fast paths (a loop over spikes instead of steps) where the model offers one
    # and nothing per step is asked for; they reproduce the step-by-step path spike for spike.
    event_driven = None
    if recorded is None and synaptic.matrices is None and current_drive.constant \
            and hasattr(integrator, "run_constant_current"):
        event_driven = integrator.run_constant_current(current_drive.values, n_steps)
    if event_driven is not None:
        steps, fired = event_driven
        spikes.add(steps, fired)
    else:
        blocks = recorded is None and getattr(integrator, "advances_blocks", False)
        for start in range(1, n_steps + 1, chunk):
            stop = min(start + chunk, n_steps + 1)
            syn_chunk, has_input = synaptic.chunk(start, stop)
            # Grid point k is reached with the current of the step [t_k-1, t_k).
            currents = current_drive.chunk(start - 1, stop - 1)
            if blocks:
                offsets = integrator.advance_block(currents, syn_chunk, has_input)
                spikes.add(start + offsets, np.zeros(offsets.size, dtype=np.int64))
            else:
                for i, k in enumerate(range(start, stop)):
                    advance(k, currents if current_drive.constant else currents[i],
                            syn_chunk[i] if has_input[i] else None)
                _check_finite(integrator, start, stop, dt, _OWNER,
                             lambda: _drivers(current, weight_matrix_raw, model))
            bar.update(stop - 1)
    bar.close()

    spike_steps, spike_neurons, spike_lags = spikes.arrays()
    return SimulationResult(
        v=traces.pop("v", None), recorded=np.arange(0) if recorded is None else recorded,
        spike_neurons=spike_neurons, spike_steps=spike_steps, n=n, dt=dt,
        duration=n_steps * dt, spike_lags=spike_lags, traces=traces,
        seed=seed if seed is None or isinstance(seed, (int, np.integer)) else None,
        model=model,
    )


class SpikeBuffer:
    """Spikes as they are found, in compact arrays that grow by doubling: a few bytes per
    spike, nothing per step (a list of small arrays costs about 100 bytes per step with spikes)."""

    def __init__(self, lags=False):
        self.size = 0
        self.steps = np.empty(1024, dtype=np.int64)
        self.neurons = np.empty(1024, dtype=np.int64)
        self.lags = np.empty(1024) if lags else None

    def add(self, steps, neurons, lags=None):
        """Append spikes: ``steps`` a grid step for all or one per spike, ``neurons`` indices."""
        count = np.size(neurons)
        if self.size == 0 and np.ndim(steps) == 1 and count > self.steps.size:
            # one large batch (an event-driven run): keep it as it is, without copying
            self.steps = np.asarray(steps, dtype=np.int64)
            self.neurons = np.asarray(neurons, dtype=np.int64)
            if self.lags is not None:
                self.lags = np.asarray(lags, dtype=float)
            self.size = count
            return
        end = self.size + count
        if end > self.steps.size:
            capacity = max(end, 2 * self.steps.size)
            self.steps = np.resize(self.steps, capacity)
            self.neurons = np.resize(self.neurons, capacity)
            if self.lags is not None:
                self.lags = np.resize(self.lags, capacity)
        self.steps[self.size:end] = steps
        self.neurons[self.size:end] = neurons
        if self.lags is not None:
            self.lags[self.size:end] = lags
        self.size = end

    def arrays(self):
        """(steps, neurons, lags or None), trimmed (copied only when much capacity is unused)."""
        cut = slice(0, self.size)
        trim = (lambda a: a[cut].copy()) if self.steps.size > 1.5 * self.size + 1024 else \
            (lambda a: a[cut])
        return (trim(self.steps), trim(self.neurons),
                None if self.lags is None else trim(self.lags))


# State variables a model integrates (not those computed from them, such as HH's currents).
_DERIVED = {"i_na", "i_k", "i_l"}


def _check_finite(integrator, start, stop, dt, owner, drivers):
    """Stop a run whose state became NaN or infinite during steps start..stop-1 (once per
    chunk: cheap), naming the variable, the neuron, the time and what drove it."""
    for name in integrator.recordable:
        if name in _DERIVED:
            continue
        values = integrator.read(name)
        bad = ~np.isfinite(values)
        if bad.any():
            neuron = int(np.flatnonzero(bad)[0])
            raise SimulationError(
                f"{owner}: the state became non-finite ({name} = {values[neuron]} in neuron "
                f"{neuron}) between steps {start} and {stop - 1} (t = {start * dt:g} to "
                f"{(stop - 1) * dt:g} ms); {drivers()}")


def _drivers(current, weights, model):
    """What may have driven a run to overflow, in words."""
    said = []
    if current is not None and not callable(current):
        said.append(f"current up to {float(np.max(np.abs(np.asarray(current, dtype=float)))):g}")
    elif callable(current):
        said.append("a current given as a function")
    if weights is not None:
        largest = abs(weights).max() if scipy.sparse.issparse(weights) else np.max(np.abs(weights))
        said.append(f"weights up to {float(largest):g}")
    noise = getattr(model, "membrane_noise", None)
    if noise is not None:
        said.append(f"membrane noise sigma {noise.sigma:g} mV, tau {noise.tau:g} ms")
    return ("check the inputs that drove it: " + ", ".join(said)) if said else \
        "check the model's parameters"


def _time_grid(dt, duration, owner):
    """Checked time step (ms) and number of whole steps in ``duration`` (ms), at least one."""
    if isinstance(dt, np.floating) and np.finfo(dt).bits < 64:
        # float32(0.1) is 0.10000000149...: read it as the decimal the user wrote, or a
        # 1000 ms run would lose its last step.
        dt = float(str(dt))
    dt = check.positive("dt", owner, dt)
    duration = check.positive("duration", owner, duration)
    if duration < dt * (1 - 1e-9):
        check.fail("duration", owner, f"at least dt = {dt:g} ms", duration)
    n_steps = max(int(np.floor(duration / dt + 1e-9)), 1)
    if abs(n_steps * dt - duration) > 1e-9 * max(duration, dt):
        warnings.warn(f"duration = {duration:g} ms is not a whole number of steps of dt = {dt:g} ms; "
                      f"simulating {n_steps} steps ({n_steps * dt:g} ms)", UserWarning, stacklevel=3)
    return dt, n_steps


def _rng(seed):
    """A numpy Generator from a seed: None, a non-negative integer or a Generator."""
    return np.random.default_rng(check.seed(_OWNER, seed))


def _warn_if_coarse(model, dt):
    for name, tau in model.time_constants.items():
        if dt > tau / 10:
            warnings.warn(
                f"dt = {dt:g} ms is more than a tenth of {name} = {tau:g} ms: the dynamics are "
                f"still integrated exactly, but spike times are only known to within dt.",
                CoarseTimeStepWarning, stacklevel=3,
            )


def _check_inputs(inputs, weights):
    if inputs is None:
        if weights is not None:
            raise ValidationError(f"The 'weights' parameter of {_OWNER} was given without "
                                  "'inputs'; pass the input spike trains that they weight.")
        return None, None
    trains = spike_trains(inputs, owner=_OWNER)
    if weights is None:
        raise ValidationError(f"The 'weights' parameter of {_OWNER} is required with 'inputs': "
                              f"one signed weight per source ({trains.n_sources} sources).")
    if not scipy.sparse.issparse(weights):
        weights = check.finite_array("weights", _OWNER, weights)
    return trains, weights


def _resolve_n(n, weights, current, v_init, n_steps):
    """The batch size: given, or read from the shapes of weights, current and v_init."""
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            check.fail("n", _OWNER, "a positive integer (number of neurons)", n)
        n = int(n)
    if current is not None and not callable(current):
        current = check.finite_array("current", _OWNER, current)
        if current.size == 0:
            check.fail("current", _OWNER, "a number, or a non-empty array (nA)", current.tolist())
    said = {"n": n}
    if weights is not None and weights.ndim == 2:
        said["weights"] = weights.shape[1]
    if v_init is not None and v_init.ndim == 1:
        said["v_init"] = v_init.shape[0]
    if np.ndim(current) == 2 and np.shape(current)[1] > 1:
        said["current"] = np.shape(current)[1]
    said = {name: size for name, size in said.items() if size is not None}
    if len(set(said.values())) > 1:
        described = ", ".join(f"{name} says {size}" for name, size in said.items())
        raise ValidationError(f"The number of neurons is inconsistent in {_OWNER}: {described}.")
    if said:
        return said.popitem()[1]
    if np.ndim(current) == 1 and not callable(current):
        # One value per step for one neuron when the length fits the grid; otherwise one
        # value per neuron. Passing n (or a 2-D array) removes any doubt.
        return 1 if len(current) in (n_steps, n_steps + 1) else len(current)
    return 1


def _check_record_vars(record_vars, integrator, recorded):
    names = (record_vars,) if isinstance(record_vars, str) else tuple(record_vars)
    allowed = tuple(name for name in integrator.recordable if name != "v")
    for name in names:
        if name not in allowed:
            check.fail("record_vars", _OWNER, f"names among {allowed}", name)
    if names and recorded is None:
        raise ValidationError(f"The 'record_vars' parameter of {_OWNER} records the neurons "
                              f"chosen by 'record_v', which is False; pass record_v=True or indices.")
    return names


def _recorded_neurons(record_v, n, n_steps, owner=_OWNER, n_vars=0):
    """Indices of the neurons whose potential is recorded, or None for none.

    ``n_vars`` further variables are recorded for the same neurons; the memory guard counts
    them, the potential and the time grid.
    """
    if isinstance(record_v, (bool, np.bool_)):
        recorded = np.arange(n) if record_v else None
    elif record_v is None:
        return None
    else:
        if isinstance(record_v, (int, np.integer)):
            check.fail("record_v", owner, "True, False or a list of neuron indices (0 and 1 are "
                       "ambiguous: write [0] or True)", record_v)
        try:
            recorded = np.asarray(record_v)
        except ValueError:
            recorded = np.asarray([[]])  # ragged: refused below
        if recorded.ndim != 1 or not (recorded.size == 0 or np.issubdtype(recorded.dtype, np.integer)) \
                or recorded.dtype.kind == "b":
            check.fail("record_v", owner, "True, False or a 1-D array of neuron indices", record_v)
        if recorded.size == 0:
            return None  # an empty list records nobody
        if recorded.min() < 0 or recorded.max() >= n:
            check.fail("record_v", owner, f"indices in [0, {n})", record_v)
        if np.unique(recorded).size != recorded.size:
            check.fail("record_v", owner, "indices without repeats", record_v)
    # the time grid is built only when asked for, or to go with recorded traces
    size = 0 if recorded is None else (n_steps + 1) * 8 * (1 + recorded.size * (1 + n_vars))
    if size > _MAX_RECORD_BYTES:
        neurons = 0 if recorded is None else recorded.size
        raise ValidationError(
            f"Recording {1 + n_vars} variable(s) of {neurons} neurons over {n_steps + 1} grid "
            f"points (with the time grid) would take {size / 2**30:.1f} GiB. Pass record_v=False "
            f"(spikes only), the indices of a few neurons, fewer record_vars or a shorter run.")
    return recorded


class _CurrentDrive:
    """The injected current laid out on the grid: constant, or rows of (steps, n) per chunk."""

    def __init__(self, current, n, n_steps, dt, owner=_OWNER):
        self.n, self.dt, self.function, self.owner = n, dt, None, owner
        self.constant = True
        if current is None:
            self.values = 0.0
        elif callable(current):
            self.function, self.constant = current, False
        else:
            values = check.finite_array("current", owner, current)
            per_step_rows = values.ndim >= 1 and values.shape[0] in (n_steps, n_steps + 1)
            if values.ndim == 0:
                self.values = float(values)
            elif values.ndim == 1 and values.shape[0] == n and (n > 1 or not per_step_rows):
                self.values = values  # one current per neuron
            elif per_step_rows and values.ndim == 1:
                self.values, self.constant = values[:, None], False
            elif per_step_rows and values.ndim == 2 and values.shape[1] in (1, n):
                self.values, self.constant = values, False
            else:
                check.shape_mismatch(
                    "current", owner,
                    f"() (one value), ({n},) (per neuron), ({n_steps},) or ({n_steps}, {n}) "
                    f"(per step)", values.shape)

    def chunk(self, first, stop):
        """Currents of steps first..stop-1, shape (steps, n) or (steps, 1); or the constant."""
        if self.constant:
            return self.values
        if self.function is None:
            return self.values[first:stop]
        return self._evaluate(np.arange(first, stop) * self.dt)

    def _evaluate(self, times):
        try:
            values = np.asarray(self.function(times), dtype=float)
            if values.ndim and values.shape[0] != times.size:
                raise ValueError
        except (TypeError, ValueError):
            # A callable written for one time at a time (e.g. with an ``if``) gets one call per step.
            values = np.array([np.asarray(self.function(float(time)), dtype=float) for time in times])
        values = np.broadcast_to(values.reshape(times.size, -1) if values.ndim else values,
                                 (times.size, 1) if values.ndim <= 1 else values.shape)
        if values.shape[1] not in (1, self.n):
            check.shape_mismatch("current", self.owner, f"(k,) or (k, {self.n}) for k times",
                                 values.shape)
        if not np.all(np.isfinite(values)):
            bad = times[~np.all(np.isfinite(values), axis=1)][0]
            check.fail("current", self.owner, "finite at every time", f"a non-finite value at t = {bad:g} ms")
        return values


class _SynapticDrive:
    """Summed synaptic weights acting at each grid step, built in bulk chunk by chunk."""

    def __init__(self, trains, weights, n, dt, n_steps, channels):
        self.channels = channels
        self.matrices = None
        if trains is None:
            return
        matrix = as_weight_matrix(weights, trains.n_sources, n, owner=_OWNER)
        self.matrices = [matrix] if channels == 1 else list(split_by_sign(matrix))
        self.steps, self.sources = trains.binned(dt, n_steps)
        self.n, self.n_sources = n, trains.n_sources

    def chunk(self, start, stop):
        """Drive of steps start..stop-1, shape (steps, channels, n), and which steps have any."""
        length = stop - start
        has_input = np.zeros(length, dtype=bool)
        if self.matrices is None:
            return None, has_input
        lo, hi = np.searchsorted(self.steps, [start, stop])
        if lo == hi:
            return None, has_input
        rows = self.steps[lo:hi] - start
        counts = scipy.sparse.csr_matrix(
            (np.ones(hi - lo), (rows, self.sources[lo:hi])), shape=(length, self.n_sources))
        has_input[rows] = True
        drive = np.empty((length, self.channels, self.n))
        for channel, matrix in enumerate(self.matrices):
            product = counts @ matrix
            drive[:, channel, :] = product.toarray() if scipy.sparse.issparse(product) else product
        return drive, has_input
