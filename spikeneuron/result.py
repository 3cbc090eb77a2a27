"""What a run returns: grid times, recorded potentials, spikes and rates; saved and loaded."""

from dataclasses import dataclass
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
        Every spike of the run as (neuron, grid step), in time order.
    n : int
        Number of neurons simulated.
    dt, duration : float
        Time step and simulated time, ms.
    """

    t: np.ndarray
    v: np.ndarray | None
    recorded: np.ndarray
    spike_neurons: np.ndarray
    spike_steps: np.ndarray
    n: int
    dt: float
    duration: float

    @cached_property
    def spike_times(self):
        """Spike times of each neuron, ms: a list of n sorted arrays."""
        order = np.argsort(self.spike_neurons, kind="stable")
        times = self.spike_steps[order] * self.dt
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
        """Write the result to a .npz file, atomically (ms, mV)."""
        save_npz_atomic(Path(path), t=self.t, v=np.empty((0, 0)) if self.v is None else self.v,
                        has_v=self.v is not None, recorded=self.recorded,
                        spike_neurons=self.spike_neurons, spike_steps=self.spike_steps,
                        n=self.n, dt=self.dt, duration=self.duration)


def load_result(path):
    """Read a result written by :meth:`SimulationResult.save`."""
    with np.load(Path(path)) as data:
        return SimulationResult(
            t=data["t"], v=data["v"] if bool(data["has_v"]) else None,
            recorded=data["recorded"], spike_neurons=data["spike_neurons"],
            spike_steps=data["spike_steps"], n=int(data["n"]), dt=float(data["dt"]),
            duration=float(data["duration"]),
        )
