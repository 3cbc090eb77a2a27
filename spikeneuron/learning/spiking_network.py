"""The spiking twin of a layered logistic network: one escape-noise neuron per logistic neuron.

Why the rate is the sigmoid. A neuron with an absolute dead time t_d after each spike and,
outside it, a constant firing hazard ρ fires at the rate 1/(t_d + 1/ρ) (its interval is the
dead time plus an exponential wait). In units of the maximum rate 1/t_d this is
ρt_d/(1 + ρt_d) = sigmoid(log ρt_d). The escape-noise hazard of :class:`~spikeneuron.EscapeNoise`
is ρ = exp((V − v_th)/Δu)/τ_esc, so with τ_esc = t_d and the potential held at
V = v_th + Δu·z the rate is exactly sigmoid(z)·(1/t_d): the logistic neuron's activation, in
units of the maximum rate. On the grid (step dt, refractory for R = t_ref/dt steps, so
t_d = (R + 1)·dt and a spike in a free step with probability 1 − e^{−ρ dt}) the stationary
rate is, exactly, sigmoid(log(A(e^{e^z/A} − 1)))/t_d with A = R + 1: sigmoid(z) plus about
σ(z)²/(2A) (0.019 at most for the default A = 20), see :meth:`SpikingNetwork.rate_function`.

How V is held at v_th + Δu·z. The membrane time constant is made far shorter than the step
(tau_m = dt/20: e^{−20} of the previous potential is left after a step), so that V follows
its input at once and the reset leaves no trace: V = v_rest + r_m·(I + I_syn). The first
layer receives its summed input as a constant current, I = (v_th − v_rest + Δu·(xW₁ + b₁))/r_m
per neuron (the features are currents, not neurons). Every later layer receives the spikes of
the layer before through exponential synapses (time constant ``tau_syn``, the trained weight
W_jk as a signed synaptic weight scaled so that a presynaptic neuron firing at s_j times the
maximum rate adds Δu·W_jk·s_j to the mean of V), and its bias as a constant current.

Where it departs. The first hidden layer computes sigmoid(z) in expectation exactly (up to the
grid's σ²/(2A)). A later layer's V fluctuates around its mean v_th + Δu·z, because its input
is spikes, and E[sigmoid(z + ξ)] is not sigmoid(z) for a fluctuation ξ of variance
Σ_j W_jk² Var(filtered train_j) (the mean of a sigmoid is flatter than the sigmoid of the
mean, by about 1/sqrt(1 + π Var ξ/8) in slope). The fluctuation shrinks as ``tau_syn``
grows; the counting noise of a rate shrinks as ``window`` grows.
"""

import math
import warnings

import numpy as np
import scipy.sparse
from scipy.special import expit

from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning, NotFittedError, UnitWarning
from ..logistic_network import LogisticNetwork, check_layers
from ..models.lif import LIF
from ..network import Network
from ..noise import EscapeNoise
from ..synapses import ExpSynapse, exp_current_to_voltage

__all__ = ["SpikingNetwork"]

_OWNER = "SpikingNetwork"
#: The membrane time constant as a fraction of the step: V keeps e^{−20} of its past.
_TAU_M_PER_STEP = 1.0 / 20.0
#: Most neurons × steps one run may take (about 10 GB of state-steps; a guard, not a target).
_MAX_WORK = 5e10


class SpikingNetwork:
    """A layered logistic network computed by spiking neurons: one LIF neuron with escape noise
    per logistic neuron, the trained weights as signed synaptic weights, run by
    :class:`~spikeneuron.Network` (the simulator's own time loop).

    Each neuron's firing rate, in units of its maximum rate 1/(t_ref + dt), is the sigmoid of
    its summed input (see the module's derivation), so that the twin computes the logistic
    network in expectation; a class is the output neuron with the most spikes in ``window``.

    Parameters
    ----------
    weights, biases : list of array-like
        One matrix (n_in, n_out) and one bias (n_out,) per layer, as
        ``LogisticNetwork.coefs_``/``intercepts_`` (use :meth:`from_logistic`).
    classes : array-like, optional
        The class labels (default 0..n_out − 1; 0 and 1 for one output unit).
    window : float
        Counting window, ms, after ``warm_up`` (> 0).
    warm_up : float
        Time before counting starts, ms (>= 0): the synaptic currents settle in a few tau_syn.
    tau_syn : float
        Time constant of the synaptic currents between layers, ms (> 0).
    t_ref : float
        Refractory period, ms (>= 0, a multiple of dt): the dead time is t_ref + dt.
    delta_u : float
        Softness of the escape-noise threshold, mV per unit of summed input z (> 0).
    dt : float
        Time step, ms (> 0).
    seed : int, numpy.random.Generator or None
        Seeds the escape noise; with an int, every call repeats spike for spike.
    backend : None, 'numpy' or 'numba'
        As for :meth:`Network.run` (escape noise runs on numpy whatever is chosen).

    Attributes
    ----------
    model_ : LIF
        The neuron every layer uses.
    max_rate_hz_ : float
        1000/(t_ref + dt): the rate of an activation of 1.
    last_run_ : dict
        Of the latest run: ``spikes`` (all layers), ``samples``, ``seconds`` (wall time).

    Examples
    --------
    >>> from spikeneuron import LogisticNetwork, SpikingNetwork
    >>> net = LogisticNetwork(weights=[[[4.0]], [[6.0]]], biases=[[-2.0], [-3.0]])
    >>> twin = SpikingNetwork.from_logistic(net, window=500.0, seed=0)
    >>> twin.predict([[2.0], [-2.0]]).tolist()
    [1, 0]
    """

    def __init__(self, weights, biases, *, classes=None, window=200.0, warm_up=50.0,
                 tau_syn=10.0, t_ref=1.9, delta_u=1.0, dt=0.1, seed=None, backend=None):
        self.coefs_, self.intercepts_ = check_layers(weights, biases, _OWNER)
        n_out = self.coefs_[-1].shape[1]
        if classes is None:
            self.classes_ = np.arange(max(n_out, 2))
        else:
            self.classes_ = np.asarray(classes)
            if self.classes_.shape != (max(n_out, 2),):
                check.shape_mismatch("classes", _OWNER, f"({max(n_out, 2)},), one label per "
                                     f"class", self.classes_.shape)
        self.window = check.positive("window", _OWNER, window)
        self.warm_up = check.non_negative("warm_up", _OWNER, warm_up)
        self.tau_syn = check.positive("tau_syn", _OWNER, tau_syn)
        self.t_ref = check.non_negative("t_ref", _OWNER, t_ref)
        self.delta_u = check.positive("delta_u", _OWNER, delta_u)
        self.dt = check.positive("dt", _OWNER, dt)
        self.seed = check.seed(_OWNER, seed)
        if backend not in (None, "numpy", "numba"):
            check.fail("backend", _OWNER, "None, 'numpy' or 'numba'", backend)
        self.backend = backend
        if self.window < self.dt:
            check.fail("window", _OWNER, f"at least one step, dt = {self.dt:g} ms", self.window)
        refractory = self.t_ref / self.dt
        if abs(refractory - round(refractory)) > 1e-9 * max(1.0, refractory):
            check.fail("t_ref", _OWNER, f"a whole number of steps of dt = {self.dt:g} ms",
                       self.t_ref)
        self.dead_steps_ = int(round(refractory)) + 1  # A: refractory steps plus the spike's
        dead_time = self.dead_steps_ * self.dt
        self.max_rate_hz_ = 1000.0 / dead_time
        with warnings.catch_warnings():
            # a membrane far faster than any cell's is the design (V follows its input within
            # a step), not a value typed in seconds
            warnings.filterwarnings("ignore", category=UnitWarning, message=r"tau_m = ")
            self.model_ = LIF(tau_m=self.dt * _TAU_M_PER_STEP, t_ref=self.t_ref,
                              synapse=ExpSynapse(self.tau_syn, self.tau_syn),
                              escape_noise=EscapeNoise(self.delta_u, tau_esc=dead_time))
        model = self.model_
        decay = math.exp(-self.dt / model.tau_m)
        to_v = exp_current_to_voltage(model.r_m, model.tau_m, self.tau_syn, self.dt)
        # nA of synaptic weight per unit of trained weight: a train at s/A spikes per step
        # holds a mean current q·(s/A)/(1 − e^{−dt/τ_syn}), which moves the mean of V by
        # to_v/(1 − decay) mV per nA; this makes that Δu·W·s.
        self.synapse_na_ = (self.delta_u * self.dead_steps_ * -math.expm1(-self.dt / self.tau_syn)
                            * (1.0 - decay) / to_v)
        self.last_run_ = {}

    @classmethod
    def from_logistic(cls, network, *, window=200.0, seed=None, **options):
        """The spiking twin of a (fitted or given) :class:`~spikeneuron.LogisticNetwork`.

        Parameters
        ----------
        network : LogisticNetwork
            Its ``coefs_``, ``intercepts_`` and ``classes_`` are carried over.
        window, seed, **options
            As for the constructor.
        """
        if not isinstance(network, LogisticNetwork):
            check.wrong_type("network", f"{_OWNER}.from_logistic", "a LogisticNetwork", network)
        try:
            coefs, intercepts = network.coefs_, network.intercepts_
        except NotFittedError as error:
            raise NotFittedError(f"{_OWNER}.from_logistic needs a fitted LogisticNetwork (or one "
                                 f"given weights): {error}") from None
        return cls(coefs, intercepts, classes=network.classes_, window=window, seed=seed,
                   **options)

    # -- the rate law ------------------------------------------------------------------------

    def rate_function(self, z):
        """Exact stationary rate, in units of the maximum, of a neuron whose summed input is
        held at z: sigmoid(log(A·(e^{e^z/A} − 1))), A = t_ref/dt + 1 (→ sigmoid(z) as dt → 0).

        Parameters
        ----------
        z : array-like
            Summed input (logit) of the neuron.

        Returns
        -------
        ndarray
        """
        z = check.finite_array("z", f"{_OWNER}.rate_function", z)
        a = self.dead_steps_
        with np.errstate(over="ignore"):
            # per free step the spike probability is p = 1 − exp(−e^z/A); the interval is A − 1
            # dead steps plus a geometric wait of mean 1/p, so rate·A·dt = A/(A − 1 + 1/p)
            p = -np.expm1(-np.exp(z) / a)
            # where e^z/A underflows p is 0 and the rate is e^z to rounding: the sigmoid's tail
            return np.where(p > 0, a * p / (a * p + 1.0 - p), expit(z))

    # -- the network -------------------------------------------------------------------------

    def build(self, X):
        """The :class:`~spikeneuron.Network` computing samples X side by side: one population per
        layer ('layer1', ..., 'layerL'), n_samples × n_units neurons (sample-major: neuron
        s·n_units + j is unit j on sample s), linked by block-diagonal projections."""
        X = self._check_X(X, f"{_OWNER}.build")
        n = X.shape[0]
        model, r_m = self.model_, self.model_.r_m
        offset = model.v_th - model.v_rest  # mV from rest to the midpoint of the sigmoid
        network = Network()
        for i, (weights, bias) in enumerate(zip(self.coefs_, self.intercepts_)):
            z = X @ weights + bias if i == 0 else np.broadcast_to(bias, (n, bias.size))
            current = (offset + self.delta_u * z.ravel()) / r_m
            network.add_population(f"layer{i + 1}", model, z.size, current=current)
            if i:
                blocks = scipy.sparse.kron(scipy.sparse.identity(n, format="csr"),
                                           scipy.sparse.csr_matrix(weights * self.synapse_na_),
                                           format="csr")
                network.connect(f"layer{i}", f"layer{i + 1}", blocks, dale=False)
        return network

    def run(self, X):
        """Simulate samples X; returns the :class:`~spikeneuron.NetworkResult` of :meth:`build`."""
        import time

        network = self.build(X)
        n_neurons = sum(pop.n for pop in network.populations.values())
        duration = self.warm_up + self.window
        if n_neurons * duration / self.dt > _MAX_WORK:
            check.fail("X", _OWNER, f"few enough samples that neurons × steps stay below "
                       f"{_MAX_WORK:.0e} (run them in parts)", f"{len(X)} samples")
        start = time.perf_counter()
        with warnings.catch_warnings():
            # tau_m far below dt is the design (V follows its input within a step), not a
            # coarse grid: the exact integrator is exact for it
            warnings.filterwarnings("ignore", category=CoarseTimeStepWarning,
                                    message=r".*tenth of tau_m")
            result = network.run(duration, dt=self.dt, seed=self.seed, backend=self.backend)
        self.last_run_ = {"spikes": int(sum(len(r.spike_steps) for r in result.populations.values())),
                          "samples": int(np.shape(X)[0]),
                          "seconds": time.perf_counter() - start}
        return result

    def spike_counts(self, X, *, windows=None):
        """Spikes of every neuron in the counting window, per layer.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
        windows : array-like of float, optional
            Counting windows, ms (each in (0, window]): counts over the first w ms after
            ``warm_up`` for each, from the one run. Default: ``[window]``.

        Returns
        -------
        list of ndarray
            Per layer, shape (n_samples, n_units), or (n_windows, n_samples, n_units) when
            ``windows`` is given.
        """
        wanted = self._windows(windows)
        result = self.run(X)
        n = np.shape(X)[0]
        first = int(round(self.warm_up / self.dt))
        counts = []
        for i, weights in enumerate(self.coefs_):
            layer = result[f"layer{i + 1}"]
            steps, neurons = layer.spike_steps, layer.spike_neurons
            per_window = []
            for w in wanted:
                last = first + int(round(w / self.dt))
                chosen = (steps > first) & (steps <= last)
                per_window.append(np.bincount(neurons[chosen], minlength=layer.n)
                                  .reshape(n, weights.shape[1]))
            counts.append(np.stack(per_window))
        return [c[0] for c in counts] if windows is None else counts

    def layer_rates(self, X):
        """Each layer's rates in units of the maximum rate (the units of the logistic
        activations): spike count × (t_ref + dt)/window, shapes as ``activations(X)``'s.

        The hidden layers estimate sigmoid(z) (:meth:`LogisticNetwork.activations`); every
        output neuron estimates the sigmoid of its own logit, sigmoid(z_k), whose largest is
        the softmax's largest (the output of ``activations`` for several classes is the
        softmax)."""
        scale = self.dead_steps_ * self.dt / self.window
        return [counts * scale for counts in self.spike_counts(X)]

    def predict(self, X):
        """The class of the output neuron with the most spikes in ``window`` (ties: the first
        class); with one output neuron, class 1 where its count reaches the count expected at
        z = 0."""
        return self._decide(self.spike_counts(X)[-1][None], [self.window])[0]

    def score(self, X, y):
        """Accuracy of :meth:`predict` on samples X with labels y."""
        return float(self.accuracy_by_window(X, y, [self.window])[0])

    def accuracy_by_window(self, X, y, windows):
        """Accuracy for each counting window (ms, each in (0, window]), from one run.

        Returns
        -------
        ndarray, shape (n_windows,)
        """
        X = self._check_X(X, f"{_OWNER}.score")
        y = check.finite_array("y", f"{_OWNER}.score", y, allow_bool=True)
        if y.shape != (X.shape[0],):
            check.shape_mismatch("y", f"{_OWNER}.score", f"({X.shape[0]},) to match X", y.shape)
        wanted = self._windows(windows)
        counts = self.spike_counts(X, windows=wanted)[-1]
        predicted = self._decide(counts, wanted)
        return np.mean(predicted == y[None, :], axis=1)

    # -- helpers -----------------------------------------------------------------------------

    def _decide(self, counts, windows):
        """Classes from output counts of shape (n_windows, n_samples, n_out)."""
        if counts.shape[2] == 1:
            threshold = (float(self.rate_function(0.0)) * np.asarray(windows)
                         / (self.dead_steps_ * self.dt))
            return self.classes_[(counts[:, :, 0] >= threshold[:, None]).astype(int)]
        return self.classes_[np.argmax(counts, axis=2)]

    def _windows(self, windows):
        if windows is None:
            return np.array([self.window])
        wanted = check.finite_array("windows", _OWNER, windows)
        if wanted.ndim != 1 or wanted.size == 0:
            check.shape_mismatch("windows", _OWNER, "(n_windows,) with n_windows >= 1",
                                 wanted.shape)
        if np.any(wanted <= 0) or np.any(wanted > self.window * (1 + 1e-12)):
            check.fail("windows", _OWNER, f"windows in (0, {self.window:g}] ms (the run's "
                       f"counting window)", wanted.tolist())
        return wanted

    def _check_X(self, X, owner):
        X = check.finite_array("X", owner, X)
        n_features = self.coefs_[0].shape[0]
        if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] != n_features:
            check.shape_mismatch("X", owner, f"(n_samples, {n_features}) with n_samples >= 1",
                                 X.shape)
        return X
