"""Networks: populations of neurons whose action potentials reach other neurons after a delay.

A :class:`Network` is a description: populations (any neuron model of the library, each with
its own injected current and initial potentials), projections between them (signed weights in
a presynaptic × postsynaptic sparse matrix, or a rule from :mod:`spikeneuron.connectivity`,
and a delay), and external inputs (spike trains with weights, as in
:func:`~spikeneuron.simulate`). :meth:`Network.run` builds it with one seed and advances all
populations together on the grid t_k = k·dt.

Grid conventions, as in NEST and as in :func:`~spikeneuron.simulate`: a spike detected at t_k
is delivered at t_{k+d}, with d = round(delay/dt) >= 1 steps, where it acts like an input spike
(added before the threshold check: a jump of V by the weight in mV for delta synapses, a jump
of the synaptic current by the weight in nA for exponential ones, of the alpha current's rise
for alpha ones, of a conductance in nS for conductance ones). Since every delay is at
least one step, the populations of one step do not depend on each other's spikes.

Dale's law: all synapses leaving a population have one sign; a population is excitatory or
inhibitory, whatever it targets. (External inputs may mix signs, as in ``simulate``.)

Cost: a spike costs work proportional to its out-degree. Each projection keeps its synapses
as CSR rows; at each step only the rows of the neurons that fired are read, and their
weights are added into a ring buffer of the target population, in the slot of the step at
which they act (shape (max delay + 1, channels, n)). Populations that share a model (equal
parameters) are advanced as one batch.

Examples
--------
A small excitatory–inhibitory network with exponential synapses, driven by one Poisson
source per excitatory neuron:

>>> import numpy as np
>>> from spikeneuron import LIF, Network, fixed_probability, one_to_one, poisson_inputs
>>> neuron = LIF(synapse="exp")               # weights in nA: 5 ms excitation, 10 ms inhibition
>>> net = Network()
>>> net.add_population("exc", neuron, 400, record_v=[0])
>>> net.add_population("inh", neuron, 100)
>>> net.connect("exc", "exc", fixed_probability(0.1, 0.2, autapses=False), delay=1.5)
>>> net.connect("exc", "inh", fixed_probability(0.1, 0.2), delay=1.5)
>>> net.connect("inh", "exc", fixed_probability(0.1, -0.8), delay=0.8)
>>> drive = poisson_inputs(np.full(400, 800.0), 200.0, seed=1)
>>> net.add_input("exc", drive, one_to_one(0.3))
>>> result = net.run(200.0, dt=0.1, seed=7)
>>> result["exc"].v.shape, len(result["inh"].spike_times)
((2001, 1), 100)
>>> round(float(result["exc"].rates.mean()), 1)   # Hz
23.2
"""

import types
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse

from . import _kernels, engine
from . import _validation as check
from ._progress import ProgressBar, progress_wanted
from .connectivity import RULES, Connections
from .engine import _CurrentDrive, _recorded_neurons, _time_grid, _warn_if_coarse
from .exceptions import CoarseTimeStepWarning, ValidationError
from .inputs import spike_trains
from .result import NetworkResult, Projection, SimulationResult
from .synapses import as_weight_matrix

__all__ = ["Network", "NetworkResult", "Population", "Projection"]


@dataclass(frozen=True, eq=False)
class Population:
    """A population of a network, as added by :meth:`Network.add_population` (validated)."""

    name: str
    model: object
    n: int
    current: object = None
    v_init: np.ndarray | None = None
    record_v: object = False
    init: dict = None
    record_vars: tuple = ()


class Network:
    """Populations of neurons connected by delayed, signed synapses.

    Build it with :meth:`add_population`, :meth:`connect` and :meth:`add_input`, then
    :meth:`run` it. The network itself holds no state of a run, so it can be run again (with
    another seed, duration or time step).

    See the module :mod:`spikeneuron.network` for an example.
    """

    def __init__(self):
        self._populations = {}
        self._projections = []  # (pre, post, rule or Connections, delay in ms or None)
        self._inputs = []  # (post, SpikeTrains, weight matrix or rule)
        self._signs = {}  # population name -> +1 / -1, once it has non-zero outgoing weights

    @property
    def populations(self):
        """The populations by name (read-only mapping of ``Population``)."""
        return types.MappingProxyType(self._populations)

    def __repr__(self):
        sizes = ", ".join(f"{name}: {pop.n}" for name, pop in self._populations.items())
        return (f"Network({{{sizes}}}, {len(self._projections)} projections, "
                f"{len(self._inputs)} inputs)")

    # --- building ------------------------------------------------------------------------

    def add_population(self, name, model, n, *, current=None, v_init=None, init=None,
                       record_v=False, record_vars=()):
        """Add n neurons of one model.

        Parameters
        ----------
        name : str
            Name of the population, unique in the network.
        model : LIF, HodgkinHuxley or another spikeneuron model
            The neuron model; all neurons of the population share it.
        n : int
            Number of neurons (>= 1).
        current : None, float, array-like or callable
            Injected current, nA (µA/cm² for Hodgkin–Huxley), in any form that
            :func:`~spikeneuron.simulate` accepts: a scalar, one value per neuron (n,), one per
            step (steps,) or (steps, n), or a callable of the times (ms).
        v_init : float or array-like, shape (n,), optional
            Initial potentials, mV (default: the model's resting state).
        init : dict of str to float or array-like, shape (n,), optional
            Initial values of other state variables by their recordable names, as in
            :func:`~spikeneuron.simulate` (e.g. ``{"g_ex": 40.0, "g_in": 200.0}``, nS); the
            names are checked against the model when the network runs.
        record_v : bool or array-like of int
            True records the potential of every neuron, False (default) of none, an index array
            of those neurons only. Spikes are always recorded.
        record_vars : sequence of str
            Further state variables to record for the neurons of ``record_v`` (the model's
            recordable names, e.g. 'g_ex', 'g_in'); in ``result[name].traces``.
        """
        owner = "Network.add_population"
        if not isinstance(name, str):
            check.wrong_type("name", owner, "a non-empty string", name)
        if not name:
            check.fail("name", owner, "a non-empty string", name)
        if name in self._populations:
            check.fail("name", owner, f"a new name (the network has {tuple(self._populations)})", name)
        if not hasattr(model, "integrator"):
            raise TypeError(f"The 'model' parameter of {owner} must be a spikeneuron neuron model "
                            f"such as LIF(). Got {type(model).__name__} instead.")
        n = check.integer("n", owner, n, low=1, what="number of neurons")
        engine.check_fits(n, "n", owner)
        if current is not None and not callable(current):
            current = check.finite_array("current", owner, current)
            if current.ndim > 2 or (current.ndim == 2 and current.shape[1] not in (1, n)):
                check.shape_mismatch("current", owner, f"(), ({n},), (steps,) or (steps, {n})",
                                     current.shape)
        if v_init is not None:
            v_init = check.finite_array("v_init", owner, v_init)
            if v_init.shape not in ((), (n,)):
                check.shape_mismatch("v_init", owner, f"() or ({n},)", v_init.shape)
        init = engine.check_init(init, owner)
        engine.check_init_shapes(init, n, owner)
        record_vars = engine._record_var_names(record_vars, owner)
        record_v = _check_record_v(record_v, n, owner)
        if record_vars and (record_v is False or np.size(record_v) == 0):
            check.fail("record_vars", owner, "empty while record_v records no neuron (it records "
                       "the neurons of record_v: pass record_v=True or indices)", list(record_vars))
        self._populations[name] = Population(name, model, n, current, v_init, record_v,
                                             init, record_vars)

    def connect(self, pre, post, connection, *, delay=None, dale=True):
        """Connect two populations (or a population to itself) with signed, delayed synapses.

        Parameters
        ----------
        pre, post : str
            Names of the presynaptic and postsynaptic populations.
        connection : connection rule, scipy.sparse matrix or array-like
            A rule of :mod:`spikeneuron.connectivity` (drawn when the network runs, with the
            run's seed), or the weights themselves, shape (n_pre, n_post): mV for delta
            synapses, nA for exponential and alpha ones, nS for conductance ones. All non-zero weights must have one sign, the
            sign of every other projection from ``pre`` (Dale's law).
        delay : float or None
            Synaptic delay, ms: rounded to whole steps when the network runs, and at least one
            step. None (default) gives the shortest, one step, unless the rule carries delays
            of its own (:func:`~spikeneuron.from_arrays`).
        dale : bool
            True (default) enforces Dale's law. False lets this projection carry weights of
            both signs, as a trained artificial network's do (:class:`~spikeneuron.SpikingNetwork`):
            with exponential synapses its positive weights then act through the excitatory
            current and its negative ones through the inhibitory current, and the projection
            neither sets nor is checked against the sign of ``pre``.

        Raises
        ------
        ValueError
            (ValidationError) for an unknown population, a shape that does not fit, non-finite
            weights, mixed signs, or a delay that is not a positive number of milliseconds.
        """  # noqa: E501
        owner = "Network.connect"
        pre_population = self._population("pre", owner, pre)
        post_population = self._population("post", owner, post)
        if isinstance(connection, RULES):
            values = getattr(connection, "weights", None)
            values = np.atleast_1d(connection.weight if values is None else values)
            if getattr(connection, "delays", None) is not None and delay is not None:
                raise ValidationError(
                    f"The 'delay' parameter of {owner} must be None when the connection carries "
                    f"its own delays (from_arrays(..., delays=...)). Got {delay!r} instead.")
        elif scipy.sparse.issparse(connection) or isinstance(connection, (np.ndarray, list, tuple)):
            connection = Connections(_weight_matrix(connection, pre_population.n,
                                                    post_population.n, owner))
            values = connection.weights.data
        else:
            raise TypeError(f"The 'connection' parameter of {owner} must be a connection rule "
                            f"(e.g. fixed_probability(p, weight)) or a weight matrix. Got "
                            f"{type(connection).__name__} instead.")
        if delay is not None:
            delay = check.positive("delay", owner, delay)
        dale = check.flag("dale", owner, dale)
        if not dale:
            _sign_of(values[values != 0] if values.size else values, owner, mixed=True)
            self._projections.append((pre, post, connection, delay, False))
            return
        sign = _sign_of(values, owner)
        known = self._signs.get(pre)
        if sign and known and sign != known:
            kinds = {1: "excitatory (weights >= 0)", -1: "inhibitory (weights <= 0)"}
            check.fail("connection", owner,
                       f"{kinds[known]}, like the other projections from population {pre!r} "
                       f"(Dale's law)", "weights of the opposite sign")
        if sign:
            self._signs[pre] = sign
        self._projections.append((pre, post, connection, delay, True))

    def add_input(self, post, inputs, weights):
        """Feed external spike trains to a population, as ``inputs`` and ``weights`` of simulate.

        Parameters
        ----------
        post : str
            Name of the receiving population.
        inputs : list of array-like, or SpikeTrains
            One array of spike times (ms) per source, or the result of
            :func:`~spikeneuron.poisson_inputs` / :func:`~spikeneuron.regular_inputs`.
        weights : array-like, scipy.sparse matrix or connection rule
            Signed weights, shape (sources,) (every neuron alike) or (sources, n_post), mV or
            nA; or a rule of :mod:`spikeneuron.connectivity` drawn over sources × neurons (e.g.
            ``one_to_one(w)`` for one private source per neuron). Signs may be mixed.
        """
        owner = "Network.add_input"
        population = self._population("post", owner, post)
        trains = spike_trains(inputs, owner=owner)
        if weights is None:
            raise ValidationError(f"The 'weights' parameter of {owner} is required: one signed "
                                  f"weight per source ({trains.n_sources} sources).")
        if not isinstance(weights, RULES):
            weights = as_weight_matrix(weights, trains.n_sources, population.n, owner=owner)
        self._inputs.append((post, trains, weights))

    def _population(self, name, owner, value):
        if isinstance(value, Population):
            value = value.name
        if not isinstance(value, str) or value not in self._populations:
            check.fail(name, owner, f"the name of a population of the network "
                       f"{tuple(self._populations)}", value)
        return self._populations[value]

    # --- running -------------------------------------------------------------------------

    def run(self, duration, *, dt=0.1, seed=None, progress=None, backend=None,
            weight_dtype="float64"):
        """Simulate the network on the grid t_k = k·dt from 0 to floor(duration/dt)·dt.

        Parameters
        ----------
        duration : float
            Simulated time, ms (at least ``dt``).
        dt : float
            Time step, ms.
        seed : int or None
            Seed of everything random in the run, split into independent streams: one for the
            connection rules, one per batch of populations for the noise of stochastic models.
            With the same seed a run repeats spike for spike (None draws a fresh seed, kept in
            the result). The first population (and those sharing its model) draws its noise
            exactly as ``simulate(..., seed=seed)`` would.
        progress : bool or None
            Show a progress bar on stderr; None (default) shows it for long runs on a terminal.
        backend : None, 'numpy' or 'numba'
            How the neurons are advanced, as in :func:`~spikeneuron.simulate` (None: numba when
            the extra ``spikeneuron[fast]`` is installed, else numpy; the same spikes).
        weight_dtype : 'float64' or 'float32'
            How the synaptic weights are stored: 'float64' (default: the weights as given) or
            'float32' (8 bytes a synapse with its int32 target instead of 12; each weight
            rounded to float32, a relative change of at most 6·10⁻⁸, while the state and the
            summed inputs stay float64). The projections of the result hold the weights so
            stored.

        Returns
        -------
        NetworkResult
            Per-population :class:`~spikeneuron.SimulationResult` objects, the projections as
            built, and the seed.

        Raises
        ------
        ValueError
            (ValidationError) for a non-positive ``dt``, a ``duration`` shorter than ``dt``, a
            delay shorter than one step, currents whose shape does not fit the grid, or a
            network without populations.
        """
        owner = "Network.run"
        if not self._populations:
            raise ValidationError(f"The network has no populations; add one with "
                                  f"add_population before calling {owner}.")
        dt, n_steps = _time_grid(dt, duration, owner)
        progress_wanted(progress, 0, owner)  # checked before anything is built
        for model in {id(pop.model): pop.model for pop in self._populations.values()}.values():
            _warn_if_coarse(model, dt)

        backend = _kernels.resolve_backend(backend, owner)
        weight_dtype = _check_weight_dtype(weight_dtype, owner)
        seed = check.seed(owner, seed)
        if isinstance(seed, np.random.Generator):  # a generator seeds the run with its next draw
            seed = int(seed.integers(2**63))
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        groups, where, wiring_rng = self._make_groups(dt, n_steps, root)
        projections, pathways = self._build_projections(dt, n_steps, groups, where, wiring_rng,
                                                        weight_dtype)
        self._attach_inputs(dt, n_steps, groups, where, wiring_rng)

        total_n = sum(group.n for group in groups)
        bar = ProgressBar(n_steps, "network", progress_wanted(progress, total_n * n_steps))
        events = engine.run(groups, pathways, dt=dt, n_steps=n_steps, backend=backend, progress=bar)

        results = {}
        for group in groups:
            results.update(_population_results(group, dt, n_steps))
        return NetworkResult(
            populations={name: results[name] for name in self._populations},
            projections=tuple(projections),
            signs={name: self._signs.get(name, 0) for name in self._populations},
            dt=dt, duration=n_steps * dt, seed=root.entropy, synaptic_events=int(events))

    def _make_groups(self, dt, n_steps, root):
        """Batch the populations that share a model; ``where`` maps a name to (group, offset);
        also the generator of the connection rules."""
        members = {}
        for population in self._populations.values():
            try:
                key = (population.model, population.v_init is None, tuple(sorted(population.init)))
                hash(key)
            except TypeError:  # a model that cannot be compared is batched on its own
                key = (id(population.model), population.v_init is None,
                       tuple(sorted(population.init)))
            members.setdefault(key, []).append(population)
        # Spawned children are independent of the root's own stream, which the first batch
        # uses, so that a one-population network draws exactly what simulate(seed=...) does.
        wiring, *children = root.spawn(len(members))
        seeds = [root, *children]
        groups, where = [], {}
        for seed_sequence, populations in zip(seeds, members.values()):
            group = _make_group(populations, dt, n_steps, np.random.default_rng(seed_sequence))
            for population, offset in zip(populations, group.offsets):
                where[population.name] = (group, offset)
            groups.append(group)
        return groups, where, np.random.default_rng(wiring)

    def _build_projections(self, dt, n_steps, groups, where, rng, weight_dtype):
        owner = "Network.connect"
        projections, pathways = [], []
        for pre, post, connection, delay, dale in self._projections:
            n_pre, n_post = self._populations[pre].n, self._populations[post].n
            if isinstance(connection, Connections):
                built = connection
                if built.weights.dtype != weight_dtype:
                    built = Connections(built.weights.astype(weight_dtype), built.delays)
            else:
                built = connection.build(n_pre, n_post, rng=rng, same_population=pre == post,
                                         dtype=weight_dtype)
            delays = built.delays if built.delays is not None else (dt if delay is None else delay)
            steps = np.rint(np.asarray(delays, dtype=float) / dt)
            if steps.size and steps.max() > engine._MAX_STEPS:
                check.fail("delay", owner, f"at most {engine._MAX_STEPS:.3g} steps of dt = {dt:g} ms "
                           f"(projection {pre!r} → {post!r})", float(np.max(delays)))
            steps = steps.astype(np.int64)
            if steps.size and steps.min() < 1:
                shortest = float(np.min(delays))
                check.fail("delay", owner, f"at least one time step, dt = {dt:g} ms (projection "
                           f"{pre!r} → {post!r})", shortest)
            if not np.allclose(steps * dt, delays, rtol=1e-9, atol=1e-12):
                warnings.warn(f"Delays of the projection {pre!r} → {post!r} are not multiples of "
                              f"dt = {dt:g} ms; they are rounded to whole steps.",
                              CoarseTimeStepWarning, stacklevel=3)
            projections.append(Projection(pre, post, built.weights, _one_or_each(steps)[1]))

            # A spike delayed beyond the end of the run is never read: the ring buffer needs
            # no more than n_steps + 2 slots, however long the delay.
            steps = np.minimum(steps, n_steps + 1)
            uniform, delay_steps = _one_or_each(steps)
            (pre_group, pre_offset), (post_group, post_offset) = where[pre], where[post]
            if post_group.channels == 1:
                parts = [(0, built.weights, None)]
            elif dale:
                parts = [(0 if self._signs.get(pre, 1) > 0 else 1, built.weights, None)]
            else:  # mixed signs: each synapse on the current of its own sign
                parts = [(channel, *_with_sign(built.weights, sign))
                         for channel, sign in ((0, 1), (1, -1))]
            for channel, matrix, kept in parts:
                pathways.append(engine.Pathway(
                    pre_group, post_group, matrix, pre_offset=pre_offset,
                    target_offset=channel * post_group.n + post_offset,
                    delay=delay_steps if uniform else None,
                    delays=None if uniform else (steps if kept is None else steps[kept])))
            post_group.max_delay = max(post_group.max_delay, int(np.max(steps, initial=1)))
        return projections, pathways

    def _attach_inputs(self, dt, n_steps, groups, where, rng):
        for post, trains, weights in self._inputs:
            group, offset = where[post]
            n = self._populations[post].n
            if isinstance(weights, RULES):
                weights = weights.build(trains.n_sources, n, rng=rng).weights
            source = engine.SourceProjection(trains, weights, n, dt, n_steps, group.channels,
                                             owner="Network.add_input")
            group.sources.append((slice(offset, offset + n), source))


def _with_sign(matrix, sign):
    """The synapses of ``matrix`` of one sign, as a CSR matrix of the same shape (a copy: only
    for projections that mix signs), and which stored synapses they are."""
    kept = np.flatnonzero(np.sign(matrix.data) == sign) if sign > 0 else \
        np.flatnonzero(matrix.data < 0)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))[kept]
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=matrix.shape[0]), out=indptr[1:])
    part = scipy.sparse.csr_matrix((np.asarray(matrix.data)[kept], matrix.indices[kept], indptr),
                                   shape=matrix.shape)
    return part, kept


def _check_weight_dtype(weight_dtype, owner):
    """The storage type of synaptic weights, as a numpy dtype: float64 or float32."""
    allowed = "'float64' or 'float32' (or numpy.float64, numpy.float32)"
    try:
        dtype = np.dtype(weight_dtype)
    except TypeError:
        if isinstance(weight_dtype, str):
            check.fail("weight_dtype", owner, allowed, weight_dtype)
        check.wrong_type("weight_dtype", owner, allowed, weight_dtype)
    if weight_dtype is None or dtype not in (np.float64, np.float32):
        check.fail("weight_dtype", owner, allowed, weight_dtype)
    return dtype


def _one_or_each(steps):
    """(uniform, delay): one delay in steps (an int) when all synapses share it, else the
    array of per-synapse delays."""
    uniform = bool(steps.ndim == 0 or (steps.size and np.all(steps == steps.flat[0])))
    return uniform, int(steps.flat[0]) if uniform and steps.size else steps


def _check_record_v(record_v, n, owner):
    if record_v is None or isinstance(record_v, (bool, np.bool_)):
        return bool(record_v)
    try:
        recorded = np.atleast_1d(np.asarray(record_v))
    except ValueError:  # ragged nesting
        recorded = np.asarray([[]])
    if recorded.ndim != 1 or not (recorded.size == 0 or np.issubdtype(recorded.dtype, np.integer)):
        check.fail("record_v", owner, "True, False or a 1-D array of neuron indices", record_v)
    if recorded.size and (recorded.min() < -n or recorded.max() >= n):
        check.fail("record_v", owner, f"indices in [0, {n})", record_v)
    return recorded % n


def _weight_matrix(weights, n_pre, n_post, owner):
    """A copy of explicit weights as a (n_pre, n_post) CSR matrix of finite floats."""
    matrix = check.finite_array("connection", owner, weights, sparse=True)
    if not scipy.sparse.issparse(matrix):
        dense = matrix
        if dense.ndim != 2:
            check.shape_mismatch("connection", owner, f"({n_pre}, {n_post}) = (pre, post)", dense.shape)
        matrix = scipy.sparse.csr_matrix(dense)
    if matrix.shape != (n_pre, n_post):
        check.shape_mismatch("connection", owner, f"({n_pre}, {n_post}) = (pre, post)", matrix.shape)
    return matrix


def _sign_of(weights, owner, mixed=False):
    """+1, -1 or 0 for weights of one sign; a ValidationError for mixed signs (unless
    ``mixed``) or non-finite ones."""
    weights = np.asarray(weights, dtype=float)
    if weights.size and not np.all(np.isfinite(weights)):
        check.fail("connection", owner, "finite weights (no NaN or infinity)",
                   f"a weight of {weights[~np.isfinite(weights)][0]}")
    if mixed:
        return 0
    positive, negative = int(np.count_nonzero(weights > 0)), int(np.count_nonzero(weights < 0))
    if positive and negative:
        check.fail("connection", owner, "weights of one sign (Dale's law: a population is "
                   "excitatory or inhibitory)", f"{positive} positive and {negative} negative weights")
    return 1 if positive else -1 if negative else 0


def _make_group(populations, dt, n_steps, rng):
    """One engine group for populations that share a model: their neurons side by side, with
    ``offsets`` (where each population starts) and ``populations`` kept on the group."""
    sizes = [population.n for population in populations]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int).tolist()
    n = int(sum(sizes))
    model = populations[0].model
    v_init = None
    if populations[0].v_init is not None:
        v_init = np.concatenate([np.broadcast_to(p.v_init, (p.n,)) for p in populations])
    parts = []
    for population, offset in zip(populations, offsets):
        _check_current_shape(population, n_steps)
        parts.append((slice(offset, offset + population.n),
                      _CurrentDrive(population.current, population.n, n_steps, dt, owner="Network")))
    names = ", ".join(population.name for population in populations)
    integrator = model.integrator(dt, n, v_init, rng=rng)
    init = {name: np.concatenate([np.broadcast_to(p.init[name], (p.n,)) for p in populations])
            for name in populations[0].init}  # populations batch together with the same names
    for population in populations:  # names are checked once the model's integrator is known
        engine._check_record_vars(population.record_vars, integrator, True,
                                  owner=f"Network.add_population ({population.name!r})")
    engine.set_initial_state(integrator, init, n, f"Network.add_population ({names})")
    group = engine.Group(
        model, integrator, n, engine.GroupCurrent(parts, n),
        owner=f"Network.run (population {names})",
        drivers=lambda: "check the currents, weights and inputs of that population and of those "
                        "projecting to it")
    group.populations, group.offsets = populations, offsets
    indices, group.columns = [], {}
    for population, offset in zip(populations, offsets):
        recorded = _recorded_neurons(population.record_v, population.n, n_steps, owner="Network")
        if recorded is not None:
            group.columns[population.name] = (recorded, slice(sum(map(len, indices)),
                                                              sum(map(len, indices)) + recorded.size))
            indices.append(offset + recorded)
    if indices:
        record_vars = dict.fromkeys(name for p in populations for name in p.record_vars)
        group.record(np.concatenate(indices), ("v", *record_vars), n_steps)
    return group


def _population_results(group, dt, n_steps):
    """One SimulationResult per population of an engine group."""
    steps, neurons, lags = group.spikes.arrays()
    results = {}
    for population, offset in zip(group.populations, group.offsets):
        mine = (neurons >= offset) & (neurons < offset + population.n)
        recorded, v, traces = np.arange(0), None, {}
        if population.name in group.columns:
            recorded, columns = group.columns[population.name]
            whole = columns == slice(0, group.traces["v"].shape[1])
            for name in ("v", *population.record_vars):
                trace = group.traces[name]
                traces[name] = trace if whole else np.ascontiguousarray(trace[:, columns])
            v = traces.pop("v")
        results[population.name] = SimulationResult(
            v=v, recorded=recorded, spike_neurons=neurons[mine] - offset,
            spike_steps=steps[mine], n=population.n, dt=dt, duration=n_steps * dt,
            spike_lags=None if lags is None else lags[mine], model=population.model,
            traces=traces)
    return results


def _check_current_shape(population, n_steps):
    current, n = population.current, population.n
    if current is None or callable(current) or current.ndim == 0:
        return
    rows = current.shape[0]
    if (current.ndim == 1 and rows == n) or rows in (n_steps, n_steps + 1):
        return
    check.shape_mismatch("current", f"Network.add_population ({population.name!r})",
                         f"(), ({n},), ({n_steps},) or ({n_steps}, {n}) for {n_steps} steps",
                         current.shape)
