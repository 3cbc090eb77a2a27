"""The tempotron: a spiking neuron that learns to classify the timing of its input spikes.

After Gütig & Sompolinsky (2006), Nat Neurosci 9:420–428. The potential is a weighted sum of
post-synaptic potentials, V(t) = Σ_i w_i Σ_f K(t − t_i^f), with the double-exponential kernel
K(t) = V0 (e^{−t/τ} − e^{−t/τ_s}) for t >= 0, V0 chosen so that its peak is 1. The neuron says
"1" when V reaches the threshold within the pattern. On an error, the weights move by
±λ Σ_f K(t_max − t_i^f), evaluated at the time t_max of the maximum of V: up for a missed
"1", down for a false one (gradient descent on the cost v_th − V(t_max)).
"""

import math

import numpy as np

from .. import _validation as check

__all__ = ["Tempotron"]

_OWNER = "Tempotron"
#: Grid steps per tau_s on which V is evaluated to find its maximum.
_STEPS_PER_TAU_S = 4


class Tempotron:
    """Gütig & Sompolinsky's tempotron, a binary classifier of spatio-temporal spike patterns.

    Parameters
    ----------
    n_inputs : int
        Number of input synapses (>= 1).
    tau : float
        Membrane time constant of the kernel, ms (> tau_s).
    tau_s : float
        Synaptic time constant of the kernel, ms (> 0).
    v_th : float
        Firing threshold, in units of the kernel's peak (> 0); the resting potential is 0.
    learning_rate : float
        Step λ of the learning rule (> 0), per unit of kernel.
    seed : int, numpy.random.Generator or None
        Seeds the initial weights, N(0, (0.1 v_th)²/n_inputs), and the order of the patterns
        in each epoch.

    Attributes
    ----------
    weights_ : ndarray, shape (n_inputs,)
        Synaptic weights (units of v_th per kernel peak); signed.
    errors_per_epoch_ : ndarray of int, shape (epochs,)
        Misclassified training patterns in each epoch (counted as they were presented).
    n_iter_ : int
        Epochs run (training stops early after an epoch without error).

    Notes
    -----
    A pattern is a list of ``n_inputs`` arrays of spike times (ms), one per input. V is
    evaluated on a grid of step tau_s/4 from 0 to the last input spike of the pattern plus the
    kernel's time to peak, at the grid points within ``horizon`` (tau·ln(1e16·v0), about
    0.57 s by default) after some spike, through a kernel matrix (points × inputs) per
    pattern: memory grows with the number of spikes (at most horizon/(tau_s/4) rows each),
    never with how late they fall.

    Examples
    --------
    >>> import numpy as np
    >>> from spikeneuron import Tempotron
    >>> rng = np.random.default_rng(0)
    >>> patterns = [[np.array([t]) for t in rng.uniform(0, 500, 50)] for _ in range(20)]
    >>> labels = np.arange(20) % 2
    >>> tempotron = Tempotron(50, learning_rate=0.01, seed=1).fit(patterns, labels, epochs=300)
    >>> tempotron.score(patterns, labels)
    1.0
    """

    def __init__(self, n_inputs, *, tau=15.0, tau_s=3.75, v_th=1.0, learning_rate=1e-3, seed=None):
        self.n_inputs = check.integer("n_inputs", _OWNER, n_inputs, low=1)
        self.tau = check.positive("tau", _OWNER, tau)
        self.tau_s = check.positive("tau_s", _OWNER, tau_s)
        if self.tau_s >= self.tau:
            check.fail("tau_s", _OWNER, f"below tau = {self.tau:g} ms", self.tau_s)
        self.v_th = check.positive("v_th", _OWNER, v_th)
        self.learning_rate = check.positive("learning_rate", _OWNER, learning_rate)
        self.seed = check.seed(_OWNER, seed)
        # t_peak = ln(tau/tau_s) / (1/tau_s − 1/tau), written so that no product of the two
        # time constants can overflow or underflow
        ratio = self.tau / self.tau_s
        height = 0.0
        if math.isfinite(ratio):
            self.peak_time = math.log(ratio) / (1.0 / self.tau_s - 1.0 / self.tau)
            height = math.exp(-self.peak_time / self.tau) - math.exp(-self.peak_time / self.tau_s)
        if not (height > 0.0 and math.isfinite(1.0 / height)):
            check.fail("tau", _OWNER, f"such that tau/tau_s is a finite number, with tau_s = "
                       f"{self.tau_s:g} ms (the kernel's peak cannot be computed otherwise)", self.tau)
        self.v0 = 1.0 / height
        # K(t) < 1e-16 for t beyond this (the slower exponential, times v0, has decayed)
        self.horizon = self.tau * math.log(max(self.v0, 1.0) * 1e16)
        self._rng = np.random.default_rng(self.seed)
        self.weights_ = self._rng.normal(0.0, 0.1 * self.v_th / math.sqrt(self.n_inputs), self.n_inputs)

    def __repr__(self):
        trained = (f", trained {self.n_iter_} epoch(s), {self.errors_per_epoch_[-1]} error(s) in "
                   "the last" if hasattr(self, "n_iter_") else ", untrained")
        return (f"{_OWNER}(n_inputs={self.n_inputs}, tau={self.tau:g} ms, tau_s={self.tau_s:g} ms, "
                f"v_th={self.v_th:g}, learning_rate={self.learning_rate:g}{trained})")

    def kernel(self, t):
        """The normalised PSP kernel K(t), peak 1 at ``peak_time``; 0 for t < 0 (t in ms)."""
        t = np.asarray(t, dtype=float)
        with np.errstate(over="ignore"):
            values = self.v0 * (np.exp(-t / self.tau) - np.exp(-t / self.tau_s))
        return np.where(t >= 0, values, 0.0)

    def potential(self, pattern, t):
        """V(t) of one pattern at times t (ms), exact sum over its input spikes.

        Parameters
        ----------
        pattern : list of array-like
            One array of spike times (ms) per input.
        t : float or array-like
            Times, ms.

        Returns
        -------
        float or ndarray
            The potential, in the units of v_th (shape of t).
        """
        times, sources = self._flat([pattern], "pattern")[0]
        t_array = check.finite_array("t", f"{_OWNER}.potential", t)
        values = self.kernel(t_array[..., None] - times) @ self.weights_[sources]
        return float(values) if t_array.ndim == 0 else values

    def fit(self, patterns, labels, *, epochs=100):
        """Learn the weights with the tempotron rule, one pattern at a time.

        Parameters
        ----------
        patterns : list of patterns
            One per sample; each a list of ``n_inputs`` arrays of spike times (ms).
        labels : array-like of int, shape (samples,)
            0 (stay silent) or 1 (fire).
        epochs : int
            Passes over the patterns (>= 1), in a new random order each; stops after an
            epoch without error.

        Returns
        -------
        Tempotron
            ``self``, fitted.
        """
        owner = f"{_OWNER}.fit"
        epochs = check.integer("epochs", owner, epochs, low=1)
        traces = self._traces(patterns, "patterns")
        if not traces:
            check.fail("patterns", owner, "a non-empty list of patterns to learn from", patterns)
        labels = self._labels(labels, len(traces), owner)
        errors = []
        for _ in range(int(epochs)):
            wrong = 0
            for index in self._rng.permutation(len(traces)):
                trace = traces[index]
                v = trace @ self.weights_
                t_max = int(np.argmax(v))
                fired = v[t_max] >= self.v_th
                if fired != labels[index]:
                    wrong += 1
                    sign = 1.0 if labels[index] else -1.0
                    self.weights_ += sign * self.learning_rate * trace[t_max]
            errors.append(wrong)
            if wrong == 0:
                break
        self.errors_per_epoch_ = np.array(errors, dtype=int)
        self.n_iter_ = len(errors)
        return self

    def max_potential(self, patterns):
        """The largest V of each pattern on the grid, shape (samples,)."""
        return np.array([np.max(trace @ self.weights_) for trace in self._traces(patterns, "patterns")])

    def predict(self, patterns):
        """1 where V reaches v_th within the pattern, else 0; shape (samples,)."""
        return (self.max_potential(patterns) >= self.v_th).astype(int)

    def score(self, patterns, labels):
        """Fraction of patterns classified as labelled (labels 0 or 1, one per pattern)."""
        n = len(self._flat(patterns, "patterns"))
        labels = self._labels(labels, n, f"{_OWNER}.score")  # refused before any work
        return float(np.mean(self.predict(patterns) == labels))

    # -- helpers -----------------------------------------------------------------------------

    def _flat(self, patterns, name):
        """(times, sources) of every pattern, after checking it has one train per input."""
        owner = _OWNER
        if not isinstance(patterns, (list, tuple)):
            check.wrong_type(name, owner, "a list of patterns, each a list of spike-time arrays",
                             patterns)
        flat = []
        for index, pattern in enumerate(patterns):
            if not isinstance(pattern, (list, tuple)) or len(pattern) != self.n_inputs:
                size = len(pattern) if hasattr(pattern, "__len__") else type(pattern).__name__
                check.fail(name, owner, f"patterns of {self.n_inputs} spike-time arrays "
                           f"(one per input)", f"pattern {index} with {size}")
            trains = [check.finite_array(name, owner, train).ravel() for train in pattern]
            times = np.concatenate(trains) if trains else np.empty(0)
            if times.size and times.min() < 0:
                check.fail(name, owner, "spike times >= 0 ms", float(times.min()))
            sources = np.repeat(np.arange(self.n_inputs), [train.size for train in trains])
            flat.append((times, sources))
        return flat

    def _traces(self, patterns, name):
        """Per pattern, the kernel matrix Φ (rows, n_inputs), Φ[k, i] = Σ_f K(t_k − t_i^f), on
        the grid points t_k = k·tau_s/4 up to the last spike plus the kernel's time to peak
        where some spike still acts: within ``horizon`` after it, beyond which K < 1e-16 of
        its peak. One more row of zeros stands for the points no spike reaches (V = 0 there,
        as before the first spike). So memory grows with the number of spikes, never with
        how late they are."""
        flat = self._flat(patterns, name)
        step = self.tau_s / _STEPS_PER_TAU_S
        reach = int(math.ceil(self.horizon / step))
        traces = []
        for times, sources in flat:
            end = (times.max() if times.size else 0.0) + self.peak_time
            last = int(math.floor(end / step + 1e-9))  # the last grid point, as arange had it
            first = np.ceil(times / step - 1e-9).astype(np.int64)  # first point at or after
            counts = np.clip(np.minimum(first + reach, last) - first + 1, 0, None)
            owner = np.repeat(np.arange(times.size), counts)
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            points = first[owner] + offsets
            rows, row_of = np.unique(points, return_inverse=True)
            covered = rows.size == last + 1
            trace = np.zeros((rows.size + (0 if covered else 1), self.n_inputs))
            np.add.at(trace, (row_of, sources[owner]), self.kernel(points * step - times[owner]))
            traces.append(trace)
        return traces

    def _labels(self, labels, n, owner):
        return check.binary_labels("labels", owner, labels, n,
                                   expected=f"({n},) (one per pattern)").astype(bool)
