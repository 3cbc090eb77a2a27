"""A spiking neuron that decides by its spike count, built from a logistic neuron's weights.

Each feature x_j drives a push-pull pair of Poisson sources with rates r0 ± g·x_j onto delta
synapses of weights ±c·w_j (mV): the pair adds 2·tau_m·c·g·w_j·x_j to the mean of the free
membrane potential and a noise that does not depend on x; the bias enters as a constant
current. The free mean is then mu = mu0 + k·z (k = ``gain``, mV per unit of z = w·x + b) at a
fixed standard deviation sigma, and the output rate, increasing in mu, is a monotonic function
of z: the neuron says "1" when its count exceeds the count expected at z = 0 (Siegert rate,
the diffusion approximation; Brunel 2000).
"""

import math

import numpy as np
import scipy.sparse

from .. import _validation as check
from ..analysis import siegert_rate
from ..engine import simulate
from ..inputs import poisson_inputs
from ..logistic import LogisticNeuron
from ..models.lif import LIF

__all__ = ["SpikingClassifier"]

_OWNER = "SpikingClassifier"
#: Most grid steps (warm-up and counting window) one prediction may take.
_MAX_STEPS = 1e9


class SpikingClassifier:
    """LIF neurons, one per sample, that classify by spike count with a logistic neuron's weights.

    Parameters
    ----------
    weights : array-like, shape (n_features,)
        Weights per unit of each feature (as ``LogisticNeuron.coef_``); not all zero.
    bias : float
        Bias (as ``LogisticNeuron.intercept_``).
    model : LIF or None
        The neuron (default ``LIF()``), with delta synapses.
    window : float
        Counting time, ms, after ``warm_up``.
    warm_up : float
        Time before counting starts, ms (the neurons start at rest).
    mu0 : float
        Free mean potential at z = 0, mV (default: the model's v_th, where the rate is steepest).
    gain : float
        mV of free mean potential per unit of z (> 0).
    synapse_mv : float
        Largest synaptic weight c·``|w_j|``, mV (> 0; small keeps the diffusion regime).
    x_max : float
        Feature value (in its units) up to which the input rates stay positive (> 0).
    dt : float
        Time step, ms.
    seed : int, numpy.random.Generator or None
        Seeds the Poisson inputs and the simulation; calls with the same seed repeat exactly.

    Attributes
    ----------
    count_threshold_ : float
        Spike count expected at z = 0 in the counting window: the decision level.
    sigma_ : float
        Standard deviation of the free potential, mV (Campbell's theorem).

    Examples
    --------
    >>> from spikeneuron import LogisticNeuron, SpikingClassifier
    >>> logistic = LogisticNeuron(weights=[2.0, -1.0], bias=0.0)
    >>> spiking = SpikingClassifier.from_logistic(logistic, window=500.0, seed=0)
    >>> spiking.predict([[2.0, -1.0], [-2.0, 1.0]]).tolist()
    [1, 0]
    """

    def __init__(self, weights, bias=0.0, *, model=None, window=1000.0, warm_up=50.0, mu0=None,
                 gain=1.0, synapse_mv=0.2, x_max=4.0, dt=0.1, seed=None):
        self.weights = check.finite_array("weights", _OWNER, weights)
        if self.weights.ndim != 1 or not np.any(self.weights):
            check.fail("weights", _OWNER, "a 1-D array with at least one non-zero weight",
                       self.weights.tolist())
        self.bias = check.real("bias", _OWNER, bias)
        self.model = LIF() if model is None else model
        if not isinstance(self.model, LIF):
            check.wrong_type("model", _OWNER, "an LIF or None", self.model)
        self.window = check.positive("window", _OWNER, window)
        self.warm_up = check.non_negative("warm_up", _OWNER, warm_up)
        self.mu0 = self.model.v_th if mu0 is None else check.real("mu0", _OWNER, mu0)
        self.gain = check.positive("gain", _OWNER, gain)
        self.synapse_mv = check.positive("synapse_mv", _OWNER, synapse_mv)
        self.x_max = check.positive("x_max", _OWNER, x_max)
        self.dt = check.positive("dt", _OWNER, dt)
        self.seed = check.seed(_OWNER, seed)
        if self.dt > self.window:
            check.fail("dt", _OWNER, f"at most the counting window, {self.window:g} ms", self.dt)
        if (self.warm_up + self.window) / self.dt > _MAX_STEPS:
            check.fail("window", _OWNER, f"with warm_up at most {_MAX_STEPS:.0e} steps of dt = "
                       f"{self.dt:g} ms", self.window)
        model = self.model
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked below
            self.synapse_scale_ = self.synapse_mv / np.abs(self.weights).max()  # c, mV per weight
            self.rate_gain_ = self.gain / (2.0 * model.tau_m * self.synapse_scale_)  # g, 1/ms per unit
            self.baseline_rate_ = self.rate_gain_ * self.x_max  # r0, 1/ms
            # Campbell: the pair of feature j adds (tau_m/2)·2 r0·(c w_j)² to the variance.
            self.sigma_ = float(np.sqrt(model.tau_m * self.baseline_rate_
                                        * np.sum((self.synapse_scale_ * self.weights) ** 2)))
        if not all(np.isfinite([self.synapse_scale_, self.rate_gain_, self.baseline_rate_,
                                self.sigma_])) or self.baseline_rate_ == 0.0:
            # name the setting farthest from its default: the one that broke the mapping
            defaults = {"gain": 1.0, "x_max": 4.0, "synapse_mv": 0.2}
            name = max(defaults, key=lambda k: abs(math.log(getattr(self, k) / defaults[k])))
            check.fail(name, _OWNER, "a value for which the input rates gain·x_max/(2·tau_m·c), "
                       "c = synapse_mv/max|w|, and the noise they make are finite and non-zero",
                       getattr(self, name))
        self.count_threshold_ = float(siegert_rate(self.mu0, self.sigma_, model)
                                      * self.window / 1000.0)
        # The bias and the offset mu0 − v_rest as one constant current (nA); the r0 parts of
        # each pair cancel in the mean, so the free mean is mu0 + k z.
        self.current_ = (self.mu0 - model.v_rest + self.gain * self.bias) / model.r_m

    @classmethod
    def from_logistic(cls, logistic_neuron, *, model=None, window=1000.0, seed=None, **options):
        """The spiking classifier with a (fitted or hand-picked) logistic neuron's weights.

        Parameters
        ----------
        logistic_neuron : LogisticNeuron
            Its fitted ``coef_``/``intercept_``, else its hand-picked ``weights``/``bias``.
        model, window, seed, **options
            As for the constructor.
        """
        if not isinstance(logistic_neuron, LogisticNeuron):
            check.wrong_type("logistic_neuron", f"{_OWNER}.from_logistic", "a LogisticNeuron",
                             logistic_neuron)
        weights, bias = logistic_neuron._parameters()
        return cls(weights, bias, model=model, window=window, seed=seed, **options)

    def spike_counts(self, X):
        """Spike count of each sample's neuron in the counting window, shape (n_samples,).

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Samples, in the units the weights are for.
        """
        X = check.finite_array("X", _OWNER, X)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.weights.size:
            check.shape_mismatch("X", _OWNER, f"(n_samples, {self.weights.size})", X.shape)
        n, n_features = X.shape
        c, g, r0 = self.synapse_scale_, self.rate_gain_, self.baseline_rate_
        # Sources ordered (sample, feature, +/-): rates in Hz; weights a sparse (sources, n).
        plus, minus = r0 + g * X, r0 - g * X
        rates_hz = 1000.0 * np.clip(np.stack([plus, minus], axis=-1), 0.0, None).ravel()
        source_weights = np.tile(np.stack([c * self.weights, -c * self.weights], axis=-1).ravel(), n)
        columns = np.repeat(np.arange(n), 2 * n_features)
        matrix = scipy.sparse.csr_matrix((source_weights, (np.arange(rates_hz.size), columns)),
                                         shape=(rates_hz.size, n))
        duration = self.warm_up + self.window
        # One seed for the inputs and the run, as the logistic-vs-spiking experiment had it.
        trains = poisson_inputs(rates_hz, duration, seed=self.seed, dt=self.dt)
        result = simulate(self.model, duration=duration, dt=self.dt, inputs=trains,
                          weights=matrix, current=np.full(n, self.current_), record_v=False,
                          seed=self.seed)
        self.input_spikes_ = trains.n_spikes
        self.clipped_rates_ = int(np.count_nonzero(np.r_[plus.ravel(), minus.ravel()] < 0))
        return np.array([np.count_nonzero(times >= self.warm_up) for times in result.spike_times])

    def predict_proba(self, X):
        """Estimated P(class 1) of each sample from its spike count, shape (n_samples,).

        The count is compared with the threshold count: P = Φ((count − threshold)/√threshold),
        the chance that a Poisson-like count with the threshold's mean would fall below the
        observed one (0.5 at the threshold, towards 1 for counts well above it)."""
        counts = self.spike_counts(X)
        spread = np.sqrt(max(self.count_threshold_, 1.0))
        from scipy.special import ndtr  # the normal CDF; scipy.stats alone takes 0.4 s to import

        return ndtr((counts - self.count_threshold_) / spread)

    def predict(self, X):
        """Class 1 where the spike count exceeds ``count_threshold_``, shape (n_samples,)."""
        return (self.spike_counts(X) > self.count_threshold_).astype(int)

    def score(self, X, y):
        """Accuracy of :meth:`predict` on samples X with labels y (0 or 1)."""
        y = check.finite_array("y", f"{_OWNER}.score", y)
        predicted = self.predict(X)
        if y.shape != predicted.shape:
            check.shape_mismatch("y", f"{_OWNER}.score", predicted.shape, y.shape)
        return float(np.mean(predicted == y))
