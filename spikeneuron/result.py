"""What a run returns: grid times, recorded potentials, spikes and rates; saved, loaded, exported.

A result remembers the model it was run with, and :meth:`SimulationResult.save` stores it with
the data as JSON text (its type and parameters, never a pickle), so a loaded result can be
re-plotted. Results export to CSV (:meth:`SimulationResult.to_csv`) and, with the optional
``spikeneuron[neo]`` extra, to a ``neo.Block`` (:meth:`SimulationResult.to_neo`) for the
established electrophysiology tools (elephant, ...). :func:`save_network_result` and
:func:`load_network_result` do the same for a whole network run.
"""

import csv
import dataclasses
import io
import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse

from . import _validation as check
from ._io import save_npz_atomic, write_text_atomic
from .exceptions import ValidationError

__all__ = ["SimulationResult", "load_result", "model_to_json", "model_from_json",
           "save_network_result", "load_network_result", "to_neo", "NetworkResult", "Projection"]


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The outcome of :func:`spikeneuron.simulate` (time runs along the first axis).

    Attributes
    ----------
    t : ndarray, shape (T,)
        Grid times t_k = k·dt, ms, from 0 to the end of the run; computed from ``dt`` and
        ``duration`` when first asked for, so a run that records nothing holds no time grid.
    v : ndarray, shape (T, n_recorded), or None
        Membrane potentials at the grid times, mV (after any reset), for the neurons in
        ``recorded``; None when nothing was recorded.
    recorded : ndarray of int, shape (n_recorded,)
        Indices of the neurons whose potentials are in ``v``.
    spike_neurons, spike_steps : ndarray of int, shape (n_spikes,)
        Every spike of the run as (neuron, grid step at which it was detected): in time order
        from the step-by-step path, grouped by neuron from event-driven fast paths.
    n : int
        Number of neurons simulated.
    dt, duration : float
        Time step and simulated time, ms.
    spike_lags : ndarray, shape (n_spikes,), or None
        For models that locate spikes between grid points: how long before its grid time
        each spike happened, ms. None for models whose spikes sit on the grid (LIF).
    traces : dict of str to ndarray, shape (T, n_recorded)
        Further recorded state variables (``record_vars``), for the neurons in ``recorded``.
    seed : int or None
        The seed of the run's random numbers (None when none was given, or a Generator).
    model : LIF, HodgkinHuxley or None
        The model the run used (None when it is not known, e.g. a file saved before models
        were stored).
    """

    v: np.ndarray | None
    recorded: np.ndarray
    spike_neurons: np.ndarray
    spike_steps: np.ndarray
    n: int
    dt: float
    duration: float
    spike_lags: np.ndarray | None = None
    traces: dict = field(default_factory=dict)
    seed: int | None = None
    model: object = None

    def __repr__(self):
        """One line: the model, the size of the run, what was recorded, the spikes."""
        model = type(self.model).__name__ if self.model is not None else "unknown model"
        recorded = ("no potentials" if self.v is None else
                    f"v of {self.v.shape[1]} neuron(s) × {self.v.shape[0]} steps")
        if self.traces:
            recorded += " and " + ", ".join(sorted(self.traces))
        spikes = self.spike_steps.size
        rate = spikes / self.n * 1000.0 / self.duration if self.n and self.duration > 0 else 0.0
        return (f"SimulationResult({model}, n={self.n}, duration={self.duration:g} ms, "
                f"dt={self.dt:g} ms, {recorded}, {spikes} spikes ({rate:.3g} Hz per neuron), "
                f"seed={self.seed!r})")

    @cached_property
    def t(self):
        """Grid times t_k = k·dt, ms, shape (T,) (computed on first access)."""
        return np.arange(int(round(self.duration / self.dt)) + 1) * self.dt

    @property
    def spike_t(self):
        """Time of every spike, ms, in the order of ``spike_neurons``."""
        times = self.spike_steps * self.dt
        return times if self.spike_lags is None else times - self.spike_lags

    @cached_property
    def spike_times(self):
        """Spike times of each neuron, ms: a list of n sorted arrays."""
        order = np.argsort(self.spike_neurons, kind="stable")
        times = self.spike_t[order]
        bounds = np.searchsorted(self.spike_neurons[order], np.arange(self.n + 1))
        return [times[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]

    @cached_property
    def spike_counts(self):
        """Number of spikes of each neuron, shape (n,)."""
        return np.bincount(self.spike_neurons, minlength=self.n)

    @property
    def rates(self):
        """Mean firing rate of each neuron over the run, Hz, shape (n,)."""
        return self.spike_counts * (1000.0 / self.duration)

    def save(self, path):
        """Write the result and its model to a .npz file at exactly ``path`` (no suffix added).

        The file is written atomically; the model is stored as JSON text (type and parameters).
        """
        save_npz_atomic(check.path("path", "SimulationResult.save", path), **_result_arrays(self))

    def to_csv(self, directory, *, prefix=""):
        """Write the spikes and the recorded traces as CSV files in ``directory``.

        ``PREFIXspikes.csv`` has one row per spike: ``neuron,time_ms`` in time order.
        ``PREFIXtraces.csv`` (only when something was recorded) has one row per grid time:
        ``time_ms``, then ``v_mV[i]`` for each recorded neuron i and one column per further
        recorded variable (``NAME[i]``, in the unit of the model).

        Returns
        -------
        list of Path
            The files written.
        """
        return _write_csv(self, check.path("directory", "SimulationResult.to_csv", directory), prefix)

    def to_neo(self):
        """The result as a ``neo.Block`` (needs the ``spikeneuron[neo]`` extra); see :func:`to_neo`."""
        return to_neo(self)


def _result_arrays(result, prefix=""):
    arrays = dict(v=np.empty((0, 0)) if result.v is None else result.v,
                  has_v=result.v is not None, recorded=result.recorded,
                  spike_neurons=result.spike_neurons, spike_steps=result.spike_steps,
                  spike_lags=np.empty(0) if result.spike_lags is None else result.spike_lags,
                  has_lags=result.spike_lags is not None, n=result.n, dt=result.dt,
                  duration=result.duration, trace_names=np.array(list(result.traces), dtype=str),
                  seed=-1 if result.seed is None else result.seed,
                  model=np.array("" if result.model is None else model_to_json(result.model)),
                  **{f"trace_{name}": values for name, values in result.traces.items()})
    return {prefix + key: value for key, value in arrays.items()}


def _result_from(data, prefix=""):
    get = lambda key: data[prefix + key]
    has = lambda key: prefix + key in data
    model_text = str(get("model")) if has("model") else ""
    return SimulationResult(
        v=get("v") if bool(get("has_v")) else None,
        recorded=get("recorded"), spike_neurons=get("spike_neurons"),
        spike_steps=get("spike_steps"), n=int(get("n")), dt=float(get("dt")),
        duration=float(get("duration")),
        spike_lags=get("spike_lags") if bool(get("has_lags")) else None,
        traces={str(name): get(f"trace_{name}") for name in get("trace_names")},
        seed=None if not has("seed") or int(get("seed")) < 0 else int(get("seed")),
        model=model_from_json(model_text) if model_text else None,
    )


def _checked(result, path, where=""):
    """Refuse a loaded result whose arrays disagree with each other (a foreign or damaged file)."""
    def bad(what):
        raise ValidationError(f"result file {str(path)!r}{where} is not a consistent spikeneuron "
                              f"result: {what}")
    if result.n < 1:
        bad(f"n = {result.n} neurons")
    if not (np.isfinite(result.dt) and result.dt > 0) or not np.isfinite(result.duration):
        bad(f"dt = {result.dt!r} ms, duration = {result.duration!r} ms")
    n_steps = int(round(result.duration / result.dt))
    neurons, steps = np.asarray(result.spike_neurons), np.asarray(result.spike_steps)
    if neurons.ndim != 1 or neurons.shape != steps.shape:
        bad(f"spike_neurons {neurons.shape} and spike_steps {steps.shape} differ")
    for name, array in (("spike_neurons", neurons), ("spike_steps", steps),
                        ("recorded", np.asarray(result.recorded))):
        if array.size and array.dtype.kind not in "iu":
            bad(f"{name} holds {array.dtype}, not integers")
    if neurons.size and (neurons.min() < 0 or neurons.max() >= result.n):
        bad(f"neuron indices outside [0, {result.n})")
    if steps.size and (steps.min() < 0 or steps.max() > n_steps):
        bad(f"spike steps outside [0, {n_steps}]")
    recorded = np.asarray(result.recorded)
    if recorded.size and (recorded.min() < 0 or recorded.max() >= result.n):
        bad(f"recorded neuron indices outside [0, {result.n})")
    expected = (n_steps + 1, recorded.size)
    if result.v is not None and np.shape(result.v) != expected:
        bad(f"v has shape {np.shape(result.v)}, expected {expected}")
    for name, trace in result.traces.items():
        if np.shape(trace)[:1] != (n_steps + 1,):
            bad(f"trace {name!r} has shape {np.shape(trace)}")
    return result


def _opened(path, owner):
    """np.load, with a foreign, truncated or pickled file answered in our words."""
    import zipfile

    path = check.path("path", owner, path)
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ValidationError(f"result file {str(path)!r} does not exist") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise ValidationError(f"result file {str(path)!r} cannot be read as a spikeneuron result "
                              f"(.npz): {error}") from None


def load_result(path):
    """Read a result written by :meth:`SimulationResult.save` (with its model, if it was saved).

    Raises
    ------
    ValidationError
        For a missing, truncated, foreign or corrupted file, naming the file and what is wrong.
        The file is never unpickled.
    """
    # allow_pickle=False: a results file is data; loading it must never run code.
    with _opened(path, "load_result") as data:
        try:
            return _checked(_result_from(data), path)
        except KeyError as error:
            raise ValidationError(f"result file {str(path)!r} is not a spikeneuron result: it "
                                  f"has no {error.args[0]!r}") from None
        except (ValueError, TypeError, OSError, EOFError) as error:
            if isinstance(error, ValidationError):
                raise
            raise ValidationError(f"result file {str(path)!r} is damaged: {error}") from None


# -- models as JSON ----------------------------------------------------------------------------

def _model_types():
    from .models import LIF, AdEx, HodgkinHuxley, Izhikevich, TraubMiles
    from .noise import EscapeNoise, MembraneNoise
    from .synapses import AlphaSynapse, CondExpSynapse, DeltaSynapse, ExpSynapse

    return {cls.__name__: cls for cls in (LIF, HodgkinHuxley, TraubMiles, AdEx, Izhikevich,
                                          DeltaSynapse,
                                          ExpSynapse, AlphaSynapse, CondExpSynapse,
                                          MembraneNoise, EscapeNoise)}


def _as_data(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"type": type(value).__name__,
                "parameters": {f.name: _as_data(getattr(value, f.name))
                               for f in dataclasses.fields(value) if f.init}}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (tuple, list)):
        return [_as_data(v) for v in value]
    return value


def model_to_json(model):
    """A model (its type and parameters, nested synapse and noise included) as JSON text.

    Raises
    ------
    ValidationError
        If ``model`` is not one of spikeneuron's models (LIF, HodgkinHuxley, TraubMiles, AdEx,
        Izhikevich).
    """
    if type(model).__name__ not in _model_types() or not dataclasses.is_dataclass(model):
        raise ValidationError(f"The 'model' parameter of model_to_json must be a spikeneuron model "
                              f"(LIF, HodgkinHuxley, TraubMiles, AdEx or Izhikevich). "
                              f"Got {type(model).__name__} instead.")
    return json.dumps(_as_data(model))


def model_from_json(text):
    """The model written by :func:`model_to_json` (only spikeneuron's own types are built)."""
    types = _model_types()

    def build(data):
        if isinstance(data, dict) and set(data) == {"type", "parameters"}:
            if data["type"] not in types:
                raise ValidationError(f"a saved model has type {data['type']!r}; spikeneuron can "
                                      f"rebuild {', '.join(sorted(types))}")
            return types[data["type"]](**{k: build(v) for k, v in data["parameters"].items()})
        return data

    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValidationError(f"a saved model is not valid JSON: {error}") from None
    return build(data)


# -- CSV ---------------------------------------------------------------------------------------

def _csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_csv(result, directory, prefix):
    order = np.lexsort((result.spike_neurons, result.spike_t))
    paths = [directory / f"{prefix}spikes.csv"]
    write_text_atomic(paths[0], _csv_text(
        ("neuron", "time_ms"),
        zip(result.spike_neurons[order].tolist(), (repr(float(t)) for t in result.spike_t[order]))))
    columns, header = [], ["time_ms"]
    if result.v is not None:
        columns.append(result.v)
        header += [f"v_mV[{i}]" for i in result.recorded]
    for name, values in result.traces.items():
        columns.append(values)
        header += [f"{name}[{i}]" for i in result.recorded]
    if columns:
        table = np.column_stack([result.t, *columns])
        paths.append(directory / f"{prefix}traces.csv")
        write_text_atomic(paths[1], _csv_text(header, (map(repr, row) for row in table.tolist())))
    return paths


# -- networks ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Projection:
    """The synapses from one population to another, as built for a run.

    Attributes
    ----------
    pre, post : str
        Names of the presynaptic and postsynaptic populations.
    weights : scipy.sparse.csr_matrix, shape (n_pre, n_post)
        Signed weights, mV (delta synapses) or nA (exponential synapses).
    delay_steps : int or ndarray of int, shape (nnz,)
        Delay in grid steps, for the whole projection or per stored synapse.
    """

    pre: str
    post: str
    weights: scipy.sparse.csr_matrix
    delay_steps: int | np.ndarray


@dataclass(frozen=True, eq=False)
class NetworkResult:
    """The outcome of :meth:`Network.run`.

    Attributes
    ----------
    populations : dict of str to SimulationResult
        One result per population (``t``, ``v`` of the recorded neurons, ``spike_times``,
        ``spike_counts``, ``rates``); also reached as ``result[name]``.
    projections : tuple of Projection
        The synapses the run used, in the order of the ``connect`` calls.
    signs : dict of str to int
        +1 for excitatory populations, -1 for inhibitory ones, 0 for those without outgoing
        synapses (Dale's law).
    dt, duration : float
        Time step and simulated time, ms.
    seed : int or sequence of int
        The entropy the run was seeded with (drawn afresh when ``seed`` was None, and kept here
        so that the run can be repeated).
    synaptic_events : int
        Number of synapse activations delivered: the spikes emitted times their out-degree
        (spikes whose delivery time falls after the end are counted).
    """

    populations: dict
    projections: tuple
    signs: dict
    dt: float
    duration: float
    seed: object
    synaptic_events: int

    def save(self, path):
        """Write the whole run to a .npz file at exactly ``path``; read it with
        :func:`spikeneuron.load_network_result`."""
        save_network_result(self, path)

    def to_csv(self, directory):
        """Write ``NAME_spikes.csv`` and ``NAME_traces.csv`` per population (see
        :meth:`SimulationResult.to_csv`); returns the paths written."""
        return [path for name, run in self.populations.items()
                for path in run.to_csv(directory, prefix=f"{name}_")]

    def to_neo(self):
        """The run as a ``neo.Block`` (needs ``spikeneuron[neo]``); see :meth:`SimulationResult.to_neo`."""
        return to_neo(self)

    def __repr__(self):
        """One line per population: its size and spikes, then the synapses."""
        populations = ", ".join(
            f"{name}={run.n} {type(run.model).__name__ if run.model is not None else 'neurons'} "
            f"({run.spike_steps.size} spikes)" for name, run in self.populations.items())
        synapses = sum(projection.weights.nnz for projection in self.projections)
        return (f"NetworkResult({populations}; {len(self.projections)} projection(s), "
                f"{synapses} synapses; duration={self.duration:g} ms, dt={self.dt:g} ms)")

    def __getitem__(self, name):
        try:
            return self.populations[name]
        except KeyError:
            raise KeyError(f"no population {name!r}; the network has {tuple(self.populations)}") from None

    @property
    def t(self):
        """Grid times t_k = k·dt, ms, shape (T,)."""
        return next(iter(self.populations.values())).t

    def population_rate(self, names=None, *, bin_ms=1.0):
        """Instantaneous rate of a set of populations, spikes per neuron per second, in bins.

        Parameters
        ----------
        names : str, sequence of str or None
            Populations to pool (default: all).
        bin_ms : float
            Bin width, ms.

        Returns
        -------
        t_ms : ndarray, shape (bins,)
            Centres of the bins, ms.
        rate_hz : ndarray, shape (bins,)
            Spikes in each bin divided by the number of neurons and the bin width, Hz.
        """
        bin_ms = check.positive("bin_ms", "NetworkResult.population_rate", bin_ms)
        if names is None:
            names = tuple(self.populations)
        names = (names,) if isinstance(names, str) else tuple(names)
        chosen = [self[name] for name in names]
        edges = np.arange(0.0, self.duration + bin_ms * 0.5, bin_ms)
        if edges[-1] < self.duration - 1e-9 * bin_ms:  # a last, shorter bin up to the end
            edges = np.append(edges, self.duration)
        if edges.size < 2:
            edges = np.array([0.0, self.duration])
        times = np.concatenate([result.spike_t for result in chosen] or [np.empty(0)])
        counts, _ = np.histogram(times, bins=edges)
        n = sum(result.n for result in chosen)
        return 0.5 * (edges[:-1] + edges[1:]), counts * 1000.0 / (n * np.diff(edges))



def save_network_result(result, path):
    """Write a :class:`~spikeneuron.NetworkResult` (every population, its model, the
    projections' weights and delays) to a .npz file at exactly ``path``, atomically."""
    arrays, meta = {}, {"populations": list(result.populations), "signs": result.signs,
                        "dt": result.dt, "duration": result.duration,
                        "seed": _as_data(result.seed), "synaptic_events": result.synaptic_events,
                        "projections": []}
    for i, name in enumerate(result.populations):
        arrays.update(_result_arrays(result.populations[name], prefix=f"p{i}_"))
    for j, projection in enumerate(result.projections):
        weights = projection.weights.tocsr()
        meta["projections"].append({"pre": projection.pre, "post": projection.post,
                                    "shape": list(weights.shape)})
        arrays.update({f"w{j}_data": weights.data, f"w{j}_indices": weights.indices,
                       f"w{j}_indptr": weights.indptr,
                       f"w{j}_delay_steps": np.asarray(projection.delay_steps)})
    save_npz_atomic(check.path("path", "NetworkResult.save", path), network=np.array(json.dumps(meta)),
                    **arrays)


def load_network_result(path):
    """Read a network result written by :meth:`NetworkResult.save`."""
    with _opened(path, "load_network_result") as data:
        if "network" not in data:
            raise ValidationError(f"{str(path)!r} holds no network result (it was not written by "
                                  f"NetworkResult.save; try load_result)")
        meta = json.loads(str(data["network"]))
        populations = {name: _checked(_result_from(data, prefix=f"p{i}_"), path,
                                      f" (population {name!r})")
                       for i, name in enumerate(meta["populations"])}
        projections = []
        for j, item in enumerate(meta["projections"]):
            weights = scipy.sparse.csr_matrix(
                (data[f"w{j}_data"], data[f"w{j}_indices"], data[f"w{j}_indptr"]),
                shape=tuple(item["shape"]))
            delay = data[f"w{j}_delay_steps"]
            projections.append(Projection(item["pre"], item["post"], weights,
                                          int(delay) if delay.ndim == 0 else delay))
    seed = meta["seed"]
    return NetworkResult(populations=populations, projections=tuple(projections),
                         signs=meta["signs"], dt=meta["dt"], duration=meta["duration"],
                         seed=tuple(seed) if isinstance(seed, list) else seed,
                         synaptic_events=meta["synaptic_events"])


# -- neo ---------------------------------------------------------------------------------------

# Units of recorded variables for neo (quantities' spelling); the gates are dimensionless.
_LIF_TRACE_UNITS = {"i_syn_ex": "nA", "i_syn_in": "nA", "i_noise": "nA", "w": "nA",
                    "g_ex": "nS", "g_in": "nS", "i_syn": "nA"}
_IZHIKEVICH_TRACE_UNITS = {"u": "mV/ms", "i_syn_ex": "mV/ms", "i_syn_in": "mV/ms"}
_HH_TRACE_UNITS = {"m": "dimensionless", "h": "dimensionless", "n": "dimensionless",
                   "i_na": "uA/cm**2", "i_k": "uA/cm**2", "i_l": "uA/cm**2",
                   "i_syn_ex": "uA/cm**2", "i_syn_in": "uA/cm**2", "g_ex": "mS/cm**2",
                   "g_in": "mS/cm**2", "i_syn": "uA/cm**2"}
_TRAUB_TRACE_UNITS = {"m": "dimensionless", "h": "dimensionless", "n": "dimensionless",
                      "i_na": "nA", "i_k": "nA", "i_l": "nA", "i_syn_ex": "nA", "i_syn_in": "nA",
                      "g_ex": "nS", "g_in": "nS", "i_syn": "nA"}


def _neo():
    try:
        import neo
        import quantities
    except ImportError:
        raise ImportError("exporting to neo needs the optional neo package: "
                          "pip install 'spikeneuron[neo]'") from None
    return neo, quantities


def _add_to_segment(segment, result, population=None):
    neo, pq = _neo()
    named = lambda text: text if population is None else f"{text} ({population})"
    for neuron, times in enumerate(result.spike_times):
        train = neo.SpikeTrain(np.sort(times), units="ms", t_start=0.0 * pq.ms,
                               t_stop=result.duration * pq.ms, name=named(f"neuron {neuron}"))
        train.annotate(neuron=neuron, **({} if population is None else {"population": population}))
        segment.spiketrains.append(train)
    units = {"HodgkinHuxley": _HH_TRACE_UNITS, "TraubMiles": _TRAUB_TRACE_UNITS,
             "Izhikevich": _IZHIKEVICH_TRACE_UNITS}.get(type(result.model).__name__,
                                                        _LIF_TRACE_UNITS)
    signals = ([("v", result.v, "mV")] if result.v is not None else [])
    signals += [(name, values, units.get(name, "dimensionless"))
                for name, values in result.traces.items()]
    for name, values, unit in signals:
        signal = neo.AnalogSignal(values, units=unit, sampling_period=result.dt * pq.ms,
                                  t_start=0.0 * pq.ms, name=named(name),
                                  array_annotations={"neuron": np.asarray(result.recorded)})
        if population is not None:
            signal.annotate(population=population)
        segment.analogsignals.append(signal)


def to_neo(result):
    """A run as a ``neo.Block`` of one ``Segment`` (needs ``pip install 'spikeneuron[neo]'``).

    Each neuron gives a ``SpikeTrain`` (ms, from 0 to the end of the run, annotated with its
    ``neuron`` index and, for a network, its ``population``); the potentials give an
    ``AnalogSignal`` named ``v`` in mV, one channel per recorded neuron (its index in the
    array annotation ``neuron``), and each further recorded variable one more signal with its
    unit (nA for LIF synaptic currents, µA/cm² for Hodgkin–Huxley currents, dimensionless
    gates).

    Parameters
    ----------
    result : SimulationResult or NetworkResult

    Raises
    ------
    ImportError
        If neo is not installed.
    """
    neo, _ = _neo()
    block = neo.Block(name="spikeneuron run")
    segment = neo.Segment(name="run")
    block.segments.append(segment)
    if hasattr(result, "populations"):
        for name, population in result.populations.items():
            _add_to_segment(segment, population, name)
        block.annotate(dt_ms=result.dt)
    else:
        _add_to_segment(segment, result)
        block.annotate(dt_ms=result.dt, model="" if result.model is None else model_to_json(result.model))
    return block
