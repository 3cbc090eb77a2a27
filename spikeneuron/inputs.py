"""Inputs to the dendrites: spike trains (explicit, Poisson, regular) and injected currents.

Grid convention (as in NEST): the simulation grid is t_k = k·dt. An input spike at time t is
moved up to the next grid point, t_k with k = ceil(t/dt) (a time within 1e-6 of a step from a
grid point counts as on it, so that 0.1·3 ms lands on step 3 at dt = 0.1 ms), and acts at
that grid time. An injected current is piecewise constant: its value at t_k acts over the step
[t_k, t_k+1).
"""

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import _validation as check
from .exceptions import ValidationError

__all__ = [
    "SpikeTrains",
    "spike_trains",
    "poisson_inputs",
    "regular_inputs",
    "grid_steps",
]

#: Tolerance, in steps, within which a spike time counts as lying on a grid point.
_ON_GRID_STEPS = 1e-6


def grid_steps(times, dt):
    """Grid step index of each time (ms): the next grid point at or after it."""
    steps = np.asarray(times, dtype=float) / dt
    return np.ceil(steps - _ON_GRID_STEPS).astype(np.int64)


@dataclass(frozen=True, eq=False)
class SpikeTrains:
    """Spike times of a set of input sources, in ms.

    Stored flat: ``times`` sorted by source, then by time, with ``sources`` giving the source
    index of each spike. Index it (``trains[i]``) for one source's times, or iterate.

    Attributes
    ----------
    times : ndarray, shape (n_spikes,)
        Spike times, ms.
    sources : ndarray of int, shape (n_spikes,)
        Source index of each spike.
    n_sources : int
        Number of sources (some may never fire).
    """

    times: np.ndarray
    sources: np.ndarray
    n_sources: int

    def __post_init__(self):
        # Built by hand, a SpikeTrains must hold what spike_trains() would have accepted.
        owner = "SpikeTrains"
        times = check.finite_array("times", owner, self.times)
        if times.ndim != 1:
            check.shape_mismatch("times", owner, "(n_spikes,)", times.shape)
        if times.size and times.min() < 0:
            check.fail("times", owner, "non-negative spike times (ms)", f"a time of {times.min():g}")
        sources = np.asarray(self.sources)
        if sources.shape != times.shape or (sources.size and sources.dtype.kind not in "iu"):
            check.fail("sources", owner, f"integer source indices, shape {times.shape}", self.sources)
        if isinstance(self.n_sources, bool) or not isinstance(self.n_sources, (int, np.integer)) \
                or self.n_sources < 0 or (sources.size and (sources.min() < 0 or sources.max() >= self.n_sources)):
            check.fail("n_sources", owner, "an integer above every source index", self.n_sources)
        object.__setattr__(self, "times", times)

    def __len__(self):
        return self.n_sources

    def __getitem__(self, source):
        if isinstance(source, (bool, np.bool_)) or not isinstance(source, (int, np.integer)):
            check.wrong_type("source", "SpikeTrains[source]", "an integer index", source)
        if not -self.n_sources <= source < self.n_sources:
            raise IndexError(f"source {source} out of range for {self.n_sources} sources")
        source %= self.n_sources
        lo, hi = np.searchsorted(self.sources, [source, source + 1])
        return self.times[lo:hi]

    def __iter__(self):
        bounds = np.searchsorted(self.sources, np.arange(self.n_sources + 1))
        return (self.times[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:]))

    @property
    def n_spikes(self):
        """Total number of spikes over all sources."""
        return self.times.size

    def to_list(self):
        """The spike times as a list of one array per source (ms)."""
        return list(self)

    def binned(self, dt, n_steps):
        """Grid steps and sources of the spikes that fall in steps 0..n_steps, ordered by step.

        Returns
        -------
        steps, sources : ndarray of int
            The grid step at which each spike acts, and its source.
        """
        dt = check.positive("dt", "SpikeTrains.binned", dt)
        n_steps = check.integer("n_steps", "SpikeTrains.binned", n_steps, low=0)
        steps = grid_steps(self.times, dt)
        keep = steps <= n_steps
        if not keep.all():
            dropped = int(np.count_nonzero(~keep))
            warnings.warn(f"{dropped} input spike(s) fall after the end of the run "
                          f"({n_steps * dt:g} ms) and are not delivered", UserWarning, stacklevel=4)
        steps, sources = steps[keep], self.sources[keep]
        order = np.argsort(steps, kind="stable")
        return steps[order], sources[order]


def _from_flat(times, sources, n_sources):
    order = np.lexsort((times, sources))
    return SpikeTrains(times=times[order], sources=sources[order].astype(np.int64),
                       n_sources=int(n_sources))


def spike_trains(times_per_source, owner="spike_trains"):
    """Make :class:`SpikeTrains` from explicit spike times, one array-like per source (ms).

    Times must be finite and non-negative; they need not be sorted.

    Examples
    --------
    >>> trains = spike_trains([[10.0, 20.0], [], [15.0]])
    >>> trains.n_sources, trains.n_spikes
    (3, 3)
    """
    if isinstance(times_per_source, SpikeTrains):
        return times_per_source
    if isinstance(times_per_source, (Mapping, str, bytes)) or np.isscalar(times_per_source):
        raise TypeError(
            f"The 'inputs' parameter of {owner} must be a list of spike-time arrays (ms), one per "
            f"source, or SpikeTrains. Got {type(times_per_source).__name__} instead.")
    if isinstance(times_per_source, np.ndarray) and times_per_source.ndim == 1 \
            and times_per_source.dtype != object:
        raise ValidationError(
            f"The 'inputs' parameter of {owner} must be a list with one array of spike times "
            f"per source (e.g. [times]) or SpikeTrains. Got a flat array of "
            f"{times_per_source.size} numbers instead; wrap it in a list for a single source."
        )
    try:
        per_source = [np.atleast_1d(check.finite_array("inputs", owner, t)) for t in times_per_source]
    except TypeError:
        raise TypeError(
            f"The 'inputs' parameter of {owner} must be a list of spike-time arrays (ms) or "
            f"SpikeTrains. Got {type(times_per_source).__name__} instead."
        ) from None
    for source, times in enumerate(per_source):
        if times.ndim != 1:
            raise ValidationError(
                f"The 'inputs' parameter of {owner} must hold one 1-D array of spike times per "
                f"source. Source {source} has shape {times.shape} instead."
            )
        if times.size and times.min() < 0:
            check.fail("inputs", owner, "spike times >= 0 ms",
                       f"a spike at {times.min():g} ms in source {source}")
    counts = [t.size for t in per_source]
    times = np.concatenate(per_source) if per_source else np.empty(0)
    sources = np.repeat(np.arange(len(per_source)), counts)
    return _from_flat(times, sources, len(per_source))


def _rates_vector(rates_hz, owner):
    rates = check.finite_array("rates_hz", owner, rates_hz)
    if rates.size and rates.min() < 0:
        check.fail("rates_hz", owner, "non-negative (Hz)", f"a rate of {rates.min():g} Hz")
    return rates


#: Most spikes a generator makes in one call: 2**28 spikes take 4 GiB with their sources and
#: sorting. More is refused before anything is drawn or allocated.
MAX_SPIKES = 2**28


def _check_spike_count(expected, duration, owner):
    """Refuse trains whose (expected) number of spikes cannot fit in memory."""
    if not expected <= MAX_SPIKES:  # also NaN-safe
        check.fail("rates_hz", owner, f"rates giving at most {MAX_SPIKES} spikes in all over "
                   f"{duration:g} ms (4 GiB; fewer or slower sources, or a shorter duration)",
                   f"rates giving {expected:.3g} spikes")


def _bins(duration, dt, owner):
    """Number of bins of width dt in duration, refused when it cannot be allocated."""
    bins = math.ceil(duration / dt - 1e-9) if duration / dt < MAX_SPIKES else math.inf
    if bins > MAX_SPIKES:
        check.fail("dt", owner, f"at least duration/{MAX_SPIKES} = {duration / MAX_SPIKES:.3g} ms "
                   f"(one rate per bin of dt; more bins do not fit in memory)", dt)
    return bins


def poisson_inputs(rates_hz, duration, *, seed, dt=0.1):
    """Independent Poisson spike trains, one per source.

    Parameters
    ----------
    rates_hz : float, array-like or callable
        Firing rate of each source, Hz. A scalar or a vector of shape (sources,) gives
        constant rates; an array of shape (bins, sources) gives rates that are constant over
        consecutive bins of width ``dt``; a callable maps an array of times (ms, shape
        (bins,)) to rates of shape (bins, sources) or (bins,) and is sampled every ``dt``.
    duration : float
        Length of the trains, ms; spikes fall in [0, duration).
    seed : int, numpy.random.Generator or None
        Seed of the random numbers (keyword only, so that a run is reproducible on purpose).
    dt : float
        Bin width of time-varying rates, ms (unused for constant rates).

    Returns
    -------
    SpikeTrains

    Examples
    --------
    >>> trains = poisson_inputs([10.0] * 800, 1000.0, seed=1)   # 800 sources at 10 Hz, 1 s
    """
    owner = "poisson_inputs"
    duration = check.positive("duration", owner, duration)
    dt = check.positive("dt", owner, dt)
    rng = np.random.default_rng(check.seed(owner, seed))
    if callable(rates_hz):
        bin_starts = np.arange(_bins(duration, dt, owner)) * dt
        try:
            returned = rates_hz(bin_starts)
        except (TypeError, ValueError):
            raise TypeError(f"The 'rates_hz' function given to {owner} must map an array of "
                            f"times (ms) to numbers (Hz).") from None
        rates = check.finite_array("rates_hz", owner, returned, returned=True)
        if rates.ndim == 0:  # a constant
            rates = np.full((bin_starts.size, 1), float(rates))
        if rates.shape[0] != bin_starts.size:
            check.shape_mismatch("rates_hz", owner, f"({bin_starts.size},) or ({bin_starts.size}, "
                                 f"sources) for {bin_starts.size} times", rates.shape)
        rates = _rates_vector(rates.reshape(bin_starts.size, -1), owner)
    else:
        rates = _rates_vector(rates_hz, owner)
    if rates.ndim <= 1:
        rates = np.atleast_1d(rates)
        _check_spike_count(float(np.sum(rates)) * duration / 1000.0, duration, owner)
        counts = rng.poisson(rates * duration / 1000.0)
        times = rng.uniform(0.0, duration, counts.sum())
        sources = np.repeat(np.arange(rates.size), counts)
        return _from_flat(times, sources, rates.size)
    if rates.ndim != 2:
        check.shape_mismatch("rates_hz", owner, "(sources,) or (bins, sources)", rates.shape)
    # Piecewise-constant rates: a Poisson count per bin, spikes uniform within the bin. This
    # is exact for rates that are constant over each bin.
    n_bins, n_sources = rates.shape
    needed = _bins(duration, dt, owner)
    if n_bins != needed:
        check.shape_mismatch("rates_hz", owner,
                             f"({needed}, sources): one row per bin of dt = {dt:g} ms over "
                             f"{duration:g} ms (a vector gives constant rates)", rates.shape)
    bin_starts = np.arange(n_bins) * dt
    widths = np.clip(duration - bin_starts, 0.0, dt)
    _check_spike_count(float(widths @ rates.sum(axis=1)) / 1000.0, duration, owner)
    counts = rng.poisson(rates * widths[:, None] / 1000.0)
    bins, sources = np.nonzero(counts)
    repeats = counts[bins, sources]
    bins, sources = np.repeat(bins, repeats), np.repeat(sources, repeats)
    times = bin_starts[bins] + rng.uniform(0.0, 1.0, bins.size) * widths[bins]
    return _from_flat(times, sources, n_sources)


def regular_inputs(rates_hz, duration, *, start=None):
    """Perfectly regular spike trains, one per source.

    Parameters
    ----------
    rates_hz : float or array-like, shape (sources,)
        Firing rate of each source, Hz (0 gives an empty train).
    duration : float
        Length of the trains, ms; spikes fall in [0, duration].
    start : float or array-like, optional
        Time of the first spike of each source, ms. Default: one interval (1000/rate ms).

    Returns
    -------
    SpikeTrains
    """
    owner = "regular_inputs"
    duration = check.positive("duration", owner, duration)
    rates = np.atleast_1d(_rates_vector(rates_hz, owner))
    if rates.ndim != 1:
        check.shape_mismatch("rates_hz", owner, "(sources,)", rates.shape)
    intervals = np.divide(1000.0, rates, out=np.full(rates.shape, np.inf), where=rates > 0)
    if start is None:
        first = intervals
    else:
        first = check.finite_array("start", owner, start)
        if first.shape not in ((), rates.shape):
            check.shape_mismatch("start", owner, f"() or {rates.shape} (one per source)", first.shape)
        first = np.broadcast_to(first, rates.shape)
        if first.min(initial=0.0) < 0:
            check.fail("start", owner, "non-negative (ms)", float(first.min()))
    # a spike that lands on ``duration`` up to rounding belongs to the train ([0, duration])
    spans = (duration - first) / np.where(rates > 0, intervals, 1.0)
    counts = np.where(rates > 0, np.floor(spans + 1e-9) + 1, 0)
    counts = np.clip(counts, 0, None)
    _check_spike_count(float(np.sum(counts)), duration, owner)
    counts = counts.astype(np.int64)
    sources = np.repeat(np.arange(rates.size), counts)
    index_in_train = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    times = first[sources] + index_in_train * intervals[sources]
    return _from_flat(times, sources, rates.size)
