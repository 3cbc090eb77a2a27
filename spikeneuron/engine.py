"""The time loop: one place that advances every neuron model, for every entry point.

A run is a set of **groups** and **pathways**. A group is a batch of neurons sharing one model
(its integrator holds the state as arrays of shape (n,)), with its injected currents, its
**source projections** (external spike trains × signed weights: the feed-forward inputs of
:func:`simulate` and :meth:`Network.add_input`, a projection from a population whose spikes
are given in advance) and what it records. A pathway carries the spikes of one group to
another (or itself) through sparse signed synapses after a delay of at least one step, into a
ring buffer of the target. :func:`simulate` is a network of one group and no pathway;
:meth:`Network.run` builds its groups and pathways and runs the same loop.

The loop, on the grid t_k = k·dt: grid point 0 is the initial state, with the inputs acting
at t = 0; then, chunk by chunk of steps, each group lays out its currents and source inputs in
bulk (spike counts × weights, one sparse product per chunk), and the chunk is advanced

* **without pathways** (every ``simulate`` run): each group on its own through its
  integrator's ``advance`` (compiled, event-driven or step by step, all the same spikes);
  and, where nothing is recorded and the current is constant, the whole run event-driven;
* **with pathways, all groups covered by the compiled LIF kernel** (backend 'numba'): the
  whole network for the chunk in one compiled call (:mod:`.models.lif_kernels`);
* **otherwise** step by step: every group advances one step on its ring-buffer slot, records,
  then every pathway delivers the spikes of the step.

Spikes are always kept (compact growing buffers), potentials and other variables only for
the neurons asked for; memory grows with what is recorded, not with the number of steps.
"""

import functools
import warnings
from collections.abc import Mapping

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
#: The most steps a run may have: step indices are held exactly in floats up to 2**53.
_MAX_STEPS = 2**53
#: Bytes of state per neuron, generously (Hodgkin–Huxley keeps about 30 arrays of n floats
#: between its state, its work arrays and the engine's buffers): a batch whose state would not
#: fit in the machine's memory is refused before anything is allocated.
_BYTES_PER_NEURON = 512


def simulate(model, *, duration, dt=0.1, current=None, inputs=None, weights=None, n=None,
             seed=None, record_v=True, record_vars=(), v_init=None, init=None, progress=None,
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
        (sources, n): mV for delta synapses, nA for exponential and alpha ones, nS for
        conductance ones (positive onto g_ex, negative ``|w|`` onto g_in). Positive excites,
        negative inhibits. Required with ``inputs``.
    n : int, optional
        Number of neurons; inferred from ``weights``, ``current``, ``v_init`` or ``init`` when omitted
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
    init : dict of str to float or array-like, shape (n,), optional
        Initial values of other state variables by their recordable names, a scalar (every
        neuron) or one value per neuron, in the unit the variable is recorded in: e.g.
        ``{"g_ex": 40.0, "g_in": rng.normal(200.0, 120.0, n).clip(0)}`` (nS) for a conductance
        synapse, ``{"i_syn_ex": 0.5}`` (nA) for an exponential one. The potential is set by
        ``v_init``; the model's default for anything not named.
    progress : bool or None
        Show a progress bar on stderr; None (default) shows it for long runs on a terminal.
    backend : None, 'numpy' or 'numba'
        How the steps are computed: 'numpy' (the reference) or 'numba' (compiled kernels, many
        steps per call, from the optional extra ``spikeneuron[fast]``; the same spikes). None
        (default) takes numba when it is installed. What a kernel does not cover (escape
        noise, coloured noise) runs on numpy either way.

    Returns
    -------
    SimulationResult
        ``t`` (ms, shape (T,)), ``v`` (mV, shape (T, n_recorded)), ``spike_times`` (list of n
        arrays, ms), ``spike_counts`` (shape (n,)) and ``rates`` (Hz, shape (n,)).

    Raises
    ------
    ValueError
        (ValidationError) for values that cannot be simulated: non-positive or non-finite
        ``dt``, ``duration`` shorter than ``dt``, NaN/infinite weights, currents, spike times
        or initial values, names in ``init`` that the model has no state variable for, and
        shapes of inputs, weights, currents, initial values and ``n`` that do not agree.
    TypeError
        For a model that is not a spikeneuron model, or arguments of the wrong type.
    SimulationError
        When the state becomes NaN or infinite (checked once per chunk of steps).

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

    progress_wanted(progress, 0, _OWNER)  # checked before anything is built
    trains, weight_matrix_raw = _check_inputs(inputs, weights)
    v_init_array = None if v_init is None else check.finite_array("v_init", _OWNER, v_init)
    if v_init_array is not None and v_init_array.ndim and v_init_array.size == 0:
        check.fail("v_init", _OWNER, "a number or a non-empty array of potentials (mV)", v_init)
    init_values = check_init(init, _OWNER)
    n = _resolve_n(n, weight_matrix_raw, current, v_init_array, n_steps, init_values)
    check_fits(n, "n", _OWNER)
    current_drive = _CurrentDrive(current, n, n_steps, dt)
    if v_init_array is not None and v_init_array.ndim and v_init_array.shape != (n,):
        check.shape_mismatch("v_init", _OWNER, f"() or ({n},)", v_init_array.shape)
    check_init_shapes(init_values, n, _OWNER)
    names = _record_var_names(record_vars)
    recorded = _recorded_neurons(record_v, n, n_steps, n_vars=len(names))

    backend = _kernels.resolve_backend(backend, _OWNER)
    integrator = model.integrator(dt, n, v_init_array, rng=_rng(seed))
    set_initial_state(integrator, init_values, n, _OWNER)
    record_vars = _check_record_vars(record_vars, integrator, recorded)
    group = Group(model, integrator, n, GroupCurrent([(slice(0, n), current_drive)], n),
                  owner=_OWNER, drivers=lambda: _drivers(current, weight_matrix_raw, model))
    if trains is not None:
        group.sources.append((slice(0, n), SourceProjection(trains, weight_matrix_raw, n, dt,
                                                            n_steps, group.channels)))
    if recorded is not None:
        group.record(recorded, ("v", *record_vars), n_steps)
    run([group], [], dt=dt, n_steps=n_steps, backend=backend,
        progress=ProgressBar(n_steps, "simulate", progress_wanted(progress, n * n_steps)))

    spike_steps, spike_neurons, spike_lags = group.spikes.arrays()
    traces = dict(group.traces)
    return SimulationResult(
        v=traces.pop("v", None), recorded=np.arange(0) if recorded is None else recorded,
        spike_neurons=spike_neurons, spike_steps=spike_steps, n=n, dt=dt,
        duration=n_steps * dt, spike_lags=spike_lags, traces=traces,
        seed=seed if seed is None or isinstance(seed, (int, np.integer)) else None,
        model=model,
    )


# --- the loop ------------------------------------------------------------------------------

def run(groups, pathways, *, dt, n_steps, backend, progress):
    """Advance ``groups`` (linked by ``pathways``) over grid steps 0..n_steps; the spikes and
    records end up in the groups. Returns the number of synaptic events delivered.

    ``backend`` is 'numpy' or 'numba' (resolved); ``progress`` a :class:`ProgressBar`.
    """
    for group in groups:
        group.prepare(backend)
    chunk = int(np.clip(_CHUNK_ELEMENTS // max(g.n * g.channels for g in groups), 1,
                        _MAX_CHUNK_STEPS))
    # Grid point 0 is the initial state; inputs acting at t = 0 are applied to it.
    events = _steps(groups, pathways, 0, 1)
    if not pathways and len(groups) == 1 and groups[0].run_event_driven(n_steps):
        progress.close()
        return events
    compiled = _fused_network(groups, pathways) if pathways else None
    if compiled is not None:
        # a network that lays out nothing per step takes long chunks: fewer returns to Python
        chunk = getattr(compiled, "chunk_steps", lambda steps, longest: steps)(
            chunk, _MAX_CHUNK_STEPS)
    for start in range(1, n_steps + 1, chunk):
        stop = min(start + chunk, n_steps + 1)
        for group in groups:
            group.load_chunk(start, stop)
        if not pathways:
            for group in groups:
                group.advance(start, stop)
        elif compiled is not None:
            events += compiled.advance(start, stop)
        else:
            events += _steps(groups, pathways, start, stop, loaded=True)
        for group in groups:
            _check_finite(group.integrator, start, stop, dt, group.owner, group.drivers)
        progress.update(stop - 1)
    progress.close()
    return events


def _fused_network(groups, pathways):
    """A compiled runner that advances all the groups and delivers through the pathways in one
    call per chunk, when every group's integrator offers the same one (``fused_network``, a
    static method: today LIF batches on the numba backend); else None (step by step)."""
    makers = {getattr(type(group.integrator), "fused_network", None) for group in groups}
    if len(makers) != 1 or None in makers or not all(group.fusable for group in groups):
        return None
    return makers.pop()(groups, pathways)


def _steps(groups, pathways, start, stop, loaded=False):
    """Steps start..stop-1 one at a time: every group, then every pathway's deliveries."""
    if not loaded:
        for group in groups:
            group.load_chunk(start, stop)
    events = 0
    for i, k in enumerate(range(start, stop)):
        for group in groups:
            group.step(k, i)
        for pathway in pathways:
            fired = pathway.pre.fired
            if fired is not None:
                events += pathway.deliver(k, fired)
    return events


class Group:
    """Neurons sharing one model, advanced as one batch: the integrator (the state), the
    injected currents, the source projections, the ring buffer that pathways deliver into,
    what is recorded, and the spikes.

    ``owner`` names the group in errors; ``drivers`` says, in words, what may have driven it
    to overflow.
    """

    def __init__(self, model, integrator, n, current, *, owner, drivers):
        self.model, self.integrator, self.n, self.current = model, integrator, n, current
        self.owner, self.drivers = owner, drivers
        self.channels = model.synapse.channels
        self.sources = []  # (slice of the batch, SourceProjection)
        self.max_delay = 0  # longest delay of a pathway into this group, steps
        self.record_index, self.traces = None, {}
        self.fired = None
        self.has_lag = getattr(integrator, "spike_lag", None) is not None
        self.spikes = SpikeBuffer(lags=self.has_lag)

    def record(self, indices, names, n_steps):
        """Record ``names`` of the neurons ``indices`` (of the batch) at every grid point."""
        indices = np.asarray(indices, dtype=np.int64)
        self.record_index = indices
        self.record_all = indices.size == self.n and np.array_equal(indices, np.arange(self.n))
        # one array for all the names (a fused runner writes them in one pass), a view each
        self.trace_stack = np.empty((len(names), n_steps + 1, indices.size))
        self.traces = {name: self.trace_stack[j] for j, name in enumerate(names)}

    @property
    def fusable(self):
        """Whether the integrator's fused network runner can take this group: on the compiled
        backend, its model covered by the kernels, recording only what they record."""
        return getattr(self.integrator, "backend", "numpy") == "numba" and \
            getattr(self.integrator, "kernel_covered", False) and \
            set(self.traces) <= set(getattr(self.integrator, "kernel_recordable", ("v",)))

    def prepare(self, backend):
        """Choose the backend and allocate the ring buffer (slot k mod slots holds the input
        acting at step k; a delay of d steps writes d slots ahead, never into the slot being
        read, since 1 <= d < slots)."""
        if hasattr(self.integrator, "use_backend"):
            self.integrator.use_backend(backend)
        self.slots = self.max_delay + 1
        self.buffer = np.zeros((self.slots, self.channels, self.n))
        self.rows = self.buffer.reshape(self.slots, self.channels * self.n)
        self.flat = self.buffer.reshape(-1)
        self.pending = np.zeros(self.slots, dtype=bool)

    def load_chunk(self, start, stop):
        """Lay out the currents and source inputs of steps start..stop-1."""
        # Grid point k is reached with the current of the step [t_k-1, t_k); t = 0 has none.
        self.currents = 0.0 if start == 0 else self.current.chunk(start - 1, stop - 1)
        self.constant_current = start == 0 or self.current.constant
        self.external, self.has_external = None, np.zeros(stop - start, dtype=bool)
        for where, source in self.sources:
            values, has_input = source.chunk(start, stop)
            if not has_input.any():
                continue
            if len(self.sources) == 1 and where == slice(0, self.n):
                self.external = values
            else:
                if self.external is None:
                    self.external = np.zeros((stop - start, self.channels, self.n))
                self.external[:, :, where] += values
            self.has_external |= has_input

    def step(self, k, i):
        """Advance to grid step k (the i-th of the loaded chunk) and note who fired."""
        slot = k % self.slots
        synaptic = None
        if self.has_external[i]:
            if self.max_delay:
                self.buffer[slot] += self.external[i]
                self.pending[slot] = True
            else:
                synaptic = self.external[i]
        if self.pending[slot]:
            synaptic = self.buffer[slot]
        spiked = self.integrator.step(self.currents if self.constant_current else self.currents[i],
                                      synaptic, propagate=k > 0)
        if self.pending[slot]:
            self.buffer[slot].fill(0.0)
            self.pending[slot] = False
        if spiked.any():
            self.fired = np.flatnonzero(spiked)
            self.spikes.add(k, self.fired,
                            self.integrator.spike_lag[self.fired] if self.has_lag else None)
        else:
            self.fired = None
        for name, trace in self.traces.items():
            values = self.integrator.read(name)
            if self.record_all:
                trace[k] = values
            else:
                np.take(values, self.record_index, out=trace[k])

    def advance(self, start, stop):
        """Advance steps start..stop-1 in one call of the integrator (nothing reaches it)."""
        record = None
        if self.traces:
            record = (self.record_index, {name: trace[start:stop] for name, trace in self.traces.items()})
        advance = getattr(self.integrator, "advance", None)
        if advance is None:  # a model without its own: one step() per grid step
            from .models.stepping import advance_by_steps

            advance = functools.partial(advance_by_steps, self.integrator)
        steps, neurons, lags = advance(start, self.currents, self.external, self.has_external,
                                       record=record)
        self.spikes.add(steps, neurons, lags)

    def run_event_driven(self, n_steps):
        """Advance the whole run event-driven where the model offers it and nothing per step
        is asked for (no record, no source input, a constant current); True if done."""
        if self.traces or self.sources or not self.current.constant or \
                not hasattr(self.integrator, "run_constant_current"):
            return False
        found = self.integrator.run_constant_current(self.current.values, n_steps)
        if found is None:
            return False
        self.spikes.add(*found)
        return True


class Pathway:
    """The synapses of one projection, from a range of the presynaptic group to a range of
    the target group, with one delay (or a delay per synapse).

    The projection's CSR rows are used as they are, not copied: ``indptr`` (rows of the
    presynaptic population, which starts at ``pre_offset`` in its group), ``targets`` (the
    postsynaptic neuron of each synapse, sorted within a row) and ``weights``; a synapse adds
    its weight at ``target_offset + target`` of the target's flattened (channels, n) ring-buffer
    slot. ``delays`` (steps, one per synapse) is None when ``delay`` is set; ``weight`` is the
    weight of every synapse when the projection stores one (else None).
    """

    def __init__(self, pre, post, matrix, *, pre_offset, target_offset, delay, delays=None):
        self.pre, self.post, self.delay, self.delays = pre, post, delay, delays
        self.indptr, self.targets, self.weights = matrix.indptr, matrix.indices, matrix.data
        # a rule of one weight stores it once (a view of stride 0): delivered without reads
        self.weight = float(self.weights[0]) if self.weights.size and \
            self.weights.strides == (0,) else None
        self.pre_offset, self.target_offset = pre_offset, target_offset
        self.rows = matrix.shape[0]

    def group_rows(self):
        """(indptr over the whole presynaptic group, flat int64 targets with the offset added,
        float64 weights, int64 delays or None): copies of the synapses in the form of a CSR over
        the group, for kernels that do not take offsets (the Hodgkin–Huxley network runner)."""
        indptr = np.zeros(self.pre.n + 1, dtype=np.int64)
        counts = np.diff(self.indptr).astype(np.int64)
        indptr[self.pre_offset + 1:self.pre_offset + 1 + self.rows] = counts
        np.cumsum(indptr, out=indptr)
        targets = self.targets.astype(np.int64) + self.target_offset
        weights = np.array(self.weights, dtype=np.float64)
        delays = None if self.delays is None else np.asarray(self.delays, dtype=np.int64)
        return indptr, targets, weights, delays

    def deliver(self, k, fired):
        """Add the weights of the synapses of the neurons that fired at step k (ascending
        indices of the presynaptic group) into the ring buffer of the targets; return the
        number of synapses activated."""
        lo, hi = np.searchsorted(fired, [self.pre_offset, self.pre_offset + self.rows])
        if lo == hi:
            return 0
        rows = fired[lo:hi] - self.pre_offset
        indptr = self.indptr
        if rows.size == 1:
            first, last = indptr[rows[0]], indptr[rows[0] + 1]
            if first == last:
                return 0
            chosen = slice(first, last)
        else:
            starts = indptr.take(rows)
            counts = indptr.take(rows + 1) - starts
            ends = counts.cumsum()
            total = int(ends[-1])
            if total == 0:
                return 0
            # Positions of the fired rows' entries, without a loop over the rows: entry j of
            # row r sits at starts[r] + j, and rows follow one another in the output.
            chosen = np.repeat(starts - ends + counts, counts)
            chosen += np.arange(total, dtype=chosen.dtype)
        targets = self.targets[chosen].astype(np.int64)
        targets += self.target_offset
        weights, post = self.weights[chosen], self.post
        if self.delay is not None:
            slot = (k + self.delay) % post.slots
            np.add.at(post.rows[slot], targets, weights)
            post.pending[slot] = True
        else:
            slots = (k + self.delays[chosen]) % post.slots
            np.add.at(post.flat, slots * (post.channels * post.n) + targets, weights)
            post.pending[slots] = True
        return targets.size


class GroupCurrent:
    """The injected currents of a group: one constant (scalar or (n,)), or rows per chunk;
    ``parts`` are (slice of the group, :class:`_CurrentDrive`)."""

    def __init__(self, parts, n):
        self.parts, self.n = parts, n
        self.constant = all(drive.constant for _, drive in parts)
        if self.constant:
            values = [drive.values for _, drive in parts]
            if all(np.ndim(value) == 0 for value in values) and len(set(values)) == 1:
                self.values = values[0]  # a scalar keeps the model's no-current shortcut
            elif len(parts) == 1:
                self.values = values[0]
            else:
                self.values = np.concatenate([np.broadcast_to(value, (where.stop - where.start,))
                                              for (where, _), value in zip(parts, values)])

    def chunk(self, first, stop):
        if self.constant:
            return self.values
        if len(self.parts) == 1:
            return self.parts[0][1].chunk(first, stop)
        currents = np.empty((stop - first, self.n))
        for where, drive in self.parts:
            currents[:, where] = drive.chunk(first, stop)
        return currents


class SpikeBuffer:
    """Spikes as they are found, in compact arrays that grow by doubling: a few bytes per
    spike, nothing per step (a list of small arrays costs about 100 bytes per step with spikes)."""

    def __init__(self, lags=False):
        self.size = 0
        self.steps = np.empty(1024, dtype=np.int64)
        self.neurons = np.empty(1024, dtype=np.int64)
        self.lags = np.empty(1024) if lags else None

    def reserve(self, count):
        """Make room for ``count`` more spikes."""
        end = self.size + count
        if end > self.steps.size:
            capacity = max(end, 2 * self.steps.size)
            self.steps = np.resize(self.steps, capacity)
            self.neurons = np.resize(self.neurons, capacity)
            if self.lags is not None:
                self.lags = np.resize(self.lags, capacity)

    def add(self, steps, neurons, lags=None):
        """Append spikes: ``steps`` a grid step for all or one per spike, ``neurons`` indices."""
        count = np.size(neurons)
        if count == 0:
            return
        if self.size == 0 and np.ndim(steps) == 1 and count > self.steps.size:
            # one large batch (an event-driven run): keep it as it is, without copying
            self.steps = np.asarray(steps, dtype=np.int64)
            self.neurons = np.asarray(neurons, dtype=np.int64)
            if self.lags is not None:
                self.lags = np.asarray(lags, dtype=float)
            self.size = count
            return
        self.reserve(count)
        end = self.size + count
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
    if duration / dt > _MAX_STEPS:
        check.fail("duration", owner, f"at most {_MAX_STEPS:.3g} steps of dt = {dt:g} ms (a count of "
                   f"steps that can be held exactly)", duration)
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
    return trains, check.finite_array("weights", _OWNER, weights, sparse=True)


def _resolve_n(n, weights, current, v_init, n_steps, init=None):
    """The batch size: given, or read from the shapes of weights, current, v_init and init."""
    if n is not None:
        n = check.integer("n", _OWNER, n, low=1, what="number of neurons")
    if current is not None and not callable(current):
        current = check.finite_array("current", _OWNER, current)
        if current.size == 0:
            check.fail("current", _OWNER, "a number, or a non-empty array (nA)", current.tolist())
    said = {"n": n}
    if weights is not None and weights.ndim == 2:
        said["weights"] = weights.shape[1]
    if v_init is not None and v_init.ndim == 1:
        said["v_init"] = v_init.shape[0]
    for name, value in (init or {}).items():
        if value.ndim == 1:
            said[f"init[{name!r}]"] = value.shape[0]
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


def check_init(init, owner):
    """``init`` as a dict of name -> finite float array (shape () or (k,)), shapes unchecked."""
    if init is None:
        return {}
    if not isinstance(init, Mapping):
        check.wrong_type("init", owner, "a dict of state-variable names to initial values", init)
    values = {}
    for name, value in init.items():
        if not isinstance(name, str):
            check.wrong_type("init", owner, "a dict whose keys are state-variable names (str)", name)
        if name == "v":
            check.fail("init", owner, "a dict without 'v' (the initial potential is v_init)", init)
        array = check.finite_array(f"init[{name!r}]", owner, value)
        if array.ndim > 1 or (array.ndim == 1 and array.size == 0):
            check.fail(f"init[{name!r}]", owner, "a number or a non-empty vector, one value per "
                       "neuron", value)
        values[name] = array
    return values


def check_init_shapes(init, n, owner):
    """Refuse initial values that are neither one number nor one per neuron."""
    for name, value in init.items():
        if value.shape not in ((), (n,)):
            check.shape_mismatch(f"init[{name!r}]", owner, f"() or ({n},)", value.shape)


def set_initial_state(integrator, init, n, owner):
    """Give the state variables named in ``init`` their initial values, through the
    integrator's ``set_state(name, values)`` for the names in its ``initializable`` (a model
    without them takes no ``init``)."""
    if not init:
        return
    allowed = tuple(getattr(integrator, "initializable", ()))
    for name, value in init.items():
        if name not in allowed:
            what = f"among {allowed}" if allowed else \
                "this model has none besides v, which v_init sets"
            check.fail("init", owner, f"a dict whose names are state variables of the model "
                       f"({what})", name)
        integrator.set_state(name, np.array(np.broadcast_to(value, (n,)), dtype=float))


def _record_var_names(record_vars, owner=_OWNER):
    """``record_vars`` as a tuple of names (one name may be given as a string)."""
    if isinstance(record_vars, str):
        return (record_vars,)
    try:
        names = tuple(record_vars)
    except TypeError:
        check.wrong_type("record_vars", owner, "a sequence of variable names", record_vars)
    for name in names:
        if not isinstance(name, str):
            check.wrong_type("record_vars", owner, "a sequence of variable names (str)", name)
    return names


def check_fits(n, name, owner):
    """Refuse a batch of n neurons whose state alone would not fit in the machine's memory."""
    import os

    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not known here: no check
        return
    needed = n * _BYTES_PER_NEURON
    if needed > memory:
        check.fail(name, owner, f"a number of neurons whose state fits in this machine's memory "
                   f"({memory / 2**30:.0f} GiB; {n} neurons need about {needed / 2**30:.3g} GiB)", n)


def _check_record_vars(record_vars, integrator, recorded, owner=_OWNER):
    names = _record_var_names(record_vars, owner)
    allowed = tuple(name for name in integrator.recordable if name != "v")
    for name in names:
        if name not in allowed:
            check.fail("record_vars", owner, f"names among {allowed}", name)
    if names and recorded is None:
        raise ValidationError(f"The 'record_vars' parameter of {owner} records the neurons "
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
            values = np.asarray(self.function(times))
            if values.ndim and values.shape[0] != times.size:
                raise ValueError
        except (TypeError, ValueError):
            # A callable written for one time at a time (e.g. with an ``if``) gets one call per step.
            values = [self.function(float(time)) for time in times]
        values = check.finite_array("current", self.owner, values, returned=True, finite=False)
        values = np.broadcast_to(values.reshape(times.size, -1) if values.ndim else values,
                                 (times.size, 1) if values.ndim <= 1 else values.shape)
        if values.shape[1] not in (1, self.n):
            check.shape_mismatch("current", self.owner, f"(k,) or (k, {self.n}) for k times",
                                 values.shape)
        if not np.all(np.isfinite(values)):
            bad = times[~np.all(np.isfinite(values), axis=1)][0]
            check.fail("current", self.owner, "finite at every time", f"a non-finite value at t = {bad:g} ms")
        return values


class SourceProjection:
    """External spike trains (a population whose spikes are given) projected through signed
    weights: the summed weights acting at each grid step, built in bulk chunk by chunk."""

    def __init__(self, trains, weights, n, dt, n_steps, channels, owner=_OWNER):
        self.channels = channels
        self.matrices = None
        if trains is None:
            return
        matrix = as_weight_matrix(weights, trains.n_sources, n, owner=owner)
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
