"""What a run returns: grid times, recorded potentials, spikes and rates; saved and loaded."""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ._io import save_npz_atomic

__all__ = ["SimulationResult", "load_result"]


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """The outcome of :func:`spikeneuron.simulate` (time runs along the first axis).

    Attributes
    ----------
    t : ndarray, shape (T,)
        Grid times t_k = k·dt, ms, from 0 to the end of the run.
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
    """

    t: np.ndarray
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
        """Write the result to a .npz file at exactly ``path`` (no suffix added), atomically."""
        save_npz_atomic(Path(path), t=self.t, v=np.empty((0, 0)) if self.v is None else self.v,
                        has_v=self.v is not None, recorded=self.recorded,
                        spike_neurons=self.spike_neurons, spike_steps=self.spike_steps,
                        spike_lags=np.empty(0) if self.spike_lags is None else self.spike_lags,
                        has_lags=self.spike_lags is not None, n=self.n, dt=self.dt,
                        duration=self.duration, trace_names=np.array(list(self.traces), dtype=str),
                        seed=-1 if self.seed is None else self.seed,
                        **{f"trace_{name}": values for name, values in self.traces.items()})


def load_result(path):
    """Read a result written by :meth:`SimulationResult.save`."""
    with np.load(Path(path)) as data:
        return SimulationResult(
            t=data["t"], v=data["v"] if bool(data["has_v"]) else None,
            recorded=data["recorded"], spike_neurons=data["spike_neurons"],
            spike_steps=data["spike_steps"], n=int(data["n"]), dt=float(data["dt"]),
            duration=float(data["duration"]),
            spike_lags=data["spike_lags"] if bool(data["has_lags"]) else None,
            traces={str(name): data[f"trace_{name}"] for name in data["trace_names"]},
            seed=None if "seed" not in data or int(data["seed"]) < 0 else int(data["seed"]),
        )
