"""A spiking neuron that decides by its spike count, built from a logistic neuron's weights.

Each feature x_j drives a push-pull pair of Poisson sources with rates r0 ± g·x_j onto delta
synapses of weights ±c·w_j (mV): the pair adds 2·tau_m·c·g·w_j·x_j to the mean of the free
membrane potential and a noise that does not depend on x; the bias enters as a constant
current. The free mean is then mu = mu0 + k·z (k = ``gain``, mV per unit of z = w·x + b) at a
fixed standard deviation sigma, and the output rate, increasing in mu, is a monotonic function
of z: the neuron says "1" when its count exceeds the mean count at z = 0.

That level is calibrated by simulation, not taken from the Siegert rate (the diffusion
approximation; Brunel 2000). The Siegert formula assumes a continuous-time diffusion; the
simulated neuron is checked against v_th only on the grid and driven by jumps, so it crosses
later than the diffusion would. Discrete sampling alone moves the threshold up by
|ζ(1/2)|/√π · sigma · √(dt/tau_m) ≈ 0.82 sigma √(dt/tau_m) to first order (the overshoot of
a random walk with steps of standard deviation sigma √(2 dt/tau_m) over a barrier,
Siegmund's constant |ζ(1/2)|/√(2π); Brunel & Hakim's and Fourcaud & Brunel's shift for
sampled or coloured noise); jumps of synapse_mv = 0.2 mV against sigma ≈ 0.6 mV and the
warm-up from rest add to it. With one feature at the defaults: Siegert 25.0 spikes in 1 s,
with the sampling shift 24.4, simulated 23.7 ± 0.1. In issue 25's breast-cancer case the
Siegert level sat seven standard errors of the simulated mean above it (35.6 against
34.25 ± 0.18): a third of z = 0 inputs were classed 1 and agreement with the logistic neuron
stopped improving near 0.98 for any window. A correction leaves an error that does not
shrink with the window; the simulated mean count at z = 0 (``calibration`` neurons run with
the classifier's own settings, warm-up included) has an error in units of z that falls like
1/√(calibration · window).
"""

import math
import warnings

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
        The calibration draws from a stream of its own, derived from it.
    calibration : int
        Neurons simulated at z = 0 to set the decision level (>= 2); the level's standard
        error is the count's spread over √calibration. The calibration costs as much as
        predicting that many samples, once, on the first prediction.

    Attributes
    ----------
    count_threshold_ : float
        The decision level: k − ½ for the count k that the ``calibration`` neurons at z = 0
        reach in half the cases as nearly as integers allow (their median; near their mean
        count for long windows), so that z = 0 is the boundary (class 1 above it). Computed
        on first use.
    count_spread_ : float
        Standard deviation of those counts (at least 1): the scale of ``predict_proba``.
    siegert_count_ : float
        The count the diffusion approximation (``siegert_rate``) predicts at z = 0; it lies
        above the simulated level (see the module's notes), so it is shown, not used.
    sigma_ : float
        Standard deviation of the free potential, mV (Campbell's theorem).

    Warns
    -----
    UserWarning
        When features lie beyond ±``x_max``: they are clipped there (the input rates
        r0 ± g·x would leave [0, 2 r0]; beyond, the neuron no longer tracks z).

    Notes
    -----
    Cost: each sample (and each calibration neuron) receives 2·n_features Poisson sources
    at about r0 = gain·x_max·max|w|/(2·tau_m·synapse_mv) (1/ms) each, for warm_up + window;
    about 4·10⁵ input spikes per sample and second at the defaults with max|w| = 1.

    Examples
    --------
    >>> from spikeneuron import LogisticNeuron, SpikingClassifier
    >>> logistic = LogisticNeuron(weights=[2.0, -1.0], bias=0.0)
    >>> spiking = SpikingClassifier.from_logistic(logistic, window=500.0, seed=0)
    >>> spiking.predict([[2.0, -1.0], [-2.0, 1.0]]).tolist()
    [1, 0]
    """

    def __init__(self, weights, bias=0.0, *, model=None, window=1000.0, warm_up=50.0, mu0=None,
                 gain=1.0, synapse_mv=0.2, x_max=4.0, dt=0.1, seed=None, calibration=100):
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
        self.calibration = check.integer("calibration", _OWNER, calibration, low=2)
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
        self.siegert_count_ = float(siegert_rate(self.mu0, self.sigma_, model)
                                    * self.window / 1000.0)
        self._level = None
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

    @property
    def count_threshold_(self):
        """The decision level, the median count at z = 0 minus ½ (calibrated on first use)."""
        return self._calibrated()[0]

    @property
    def count_spread_(self):
        """Standard deviation of the counts at z = 0 (at least 1)."""
        return self._calibrated()[1]

    def _calibrated(self):
        if self._level is None:
            # z = 0: features 0 and no bias (the bias is part of the constant current)
            counts = self._counts(np.zeros((self.calibration, self.weights.size)),
                                  _calibration_seed(self.seed),
                                  current=(self.mu0 - self.model.v_rest) / self.model.r_m)
            self.calibration_counts_ = counts
            # Counts are integers: the level is the k − ½ for which "count >= k" holds for the
            # share of z = 0 neurons nearest ½ (the median, as near as the lattice allows; it
            # tends to the mean count as the window grows).
            levels = np.arange(counts.min(), counts.max() + 2)
            above = np.array([np.mean(counts >= k) for k in levels])
            level = float(levels[np.argmin(np.abs(above - 0.5))]) - 0.5
            self._level = (level, max(float(counts.std(ddof=1)), 1.0))
        return self._level

    def spike_counts(self, X):
        """Spike count of each sample's neuron in the counting window, shape (n_samples,).

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Samples, in the units the weights are for; values beyond ±``x_max`` are clipped
            there, with a warning.
        """
        return self._counts(self._checked_X(X), self.seed)

    def _checked_X(self, X, owner=_OWNER):
        X = check.finite_array("X", owner, X)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.weights.size:
            check.shape_mismatch("X", owner, f"(n_samples, {self.weights.size})", X.shape)
        beyond = (np.abs(X) > self.x_max) & (self.weights != 0)
        if beyond.any():
            rows, columns = np.nonzero(beyond)
            warnings.warn(
                f"{owner}: {beyond.sum()} feature value(s) in {np.unique(rows).size} sample(s) lie "
                f"beyond x_max = {self.x_max:g} (the largest, {X[rows, columns][np.argmax(np.abs(X[rows, columns]))]:g}, "  # noqa: E501
                f"in feature {columns[np.argmax(np.abs(X[rows, columns]))]}): clipped to ±x_max, where the input rates "
                "r0 ± g·x reach 0 and 2·r0; raise x_max (more noise, a longer window) or "
                "standardise the features", UserWarning, stacklevel=3)
            X = np.clip(X, -self.x_max, self.x_max)
        return X

    def _counts(self, X, seed, current=None):
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
        if isinstance(seed, np.random.SeedSequence):  # one stream for inputs, one for the run
            input_seed, run_seed = seed.spawn(2)
        else:  # one seed for the inputs and the run, as the logistic-vs-spiking experiment had it
            input_seed = run_seed = seed
        trains = poisson_inputs(rates_hz, duration, seed=input_seed, dt=self.dt)
        result = simulate(self.model, duration=duration, dt=self.dt, inputs=trains,
                          weights=matrix, current=np.full(n, self.current_ if current is None else current),
                          record_v=False,
                          seed=run_seed)
        self.input_spikes_ = trains.n_spikes
        self.clipped_rates_ = int(np.count_nonzero(np.r_[plus.ravel(), minus.ravel()] < 0))
        return np.array([np.count_nonzero(times >= self.warm_up) for times in result.spike_times])

    def predict_proba(self, X):
        """Estimated P(class 1) of each sample from its spike count, shape (n_samples,).

        P = Φ((count − level)/spread), with the level ``count_threshold_`` and the spread
        ``count_spread_`` of the counts at z = 0: the chance that a count at z = 0 falls below
        the observed one (0.5 at the level, towards 1 for counts well above it)."""
        counts = self.spike_counts(X)
        level, spread = self._calibrated()
        from scipy.special import ndtr  # the normal CDF; scipy.stats alone takes 0.4 s to import

        return ndtr((counts - level) / spread)

    def predict(self, X):
        """Class 1 where the spike count exceeds ``count_threshold_``, shape (n_samples,)."""
        counts = self.spike_counts(X)
        return (counts > self.count_threshold_).astype(int)

    def score(self, X, y):
        """Accuracy of :meth:`predict` on samples X with labels y (0 or 1, one per sample)."""
        owner = f"{_OWNER}.score"
        X = self._checked_X(X, owner)
        y = check.binary_labels("y", owner, y, X.shape[0])  # refused before any simulation
        predicted = (self._counts(X, self.seed) > self.count_threshold_).astype(int)
        return float(np.mean(predicted == y))

    def __repr__(self):
        level = "uncalibrated" if self._level is None else f"count_threshold_={self._level[0]:.4g}"
        return (f"{_OWNER}(n_features={self.weights.size}, window={self.window:g} ms, "
                f"gain={self.gain:g} mV, sigma_={self.sigma_:.3g} mV, {level})")


def _calibration_seed(seed):
    """A stream for the calibration apart from the predictions' (None stays None)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return seed.spawn(1)[0]
    return np.random.SeedSequence(seed, spawn_key=(1,))
