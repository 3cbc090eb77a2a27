"""The logistic neuron: a weighted sum of inputs passed through a sigmoid.

A neuron with weights w (one per input) and a bias b computes the activation
z = w·x + b and fires with probability sigmoid(z) = 1 / (1 + e^{-z}). A positive weight
excites (raises z), a negative one inhibits; the size of a weight, for inputs on a common
scale, says how much that input matters. Trained by maximum likelihood, this is logistic
regression: :class:`LogisticNeuron` behaves like a scikit-learn estimator. Layers of such
neurons form a :class:`~spikeneuron.LogisticNetwork`; a single logistic neuron is its case with
no hidden layer (the same loss and the same ``l2``).
"""

import math
import warnings

import numpy as np
from scipy.special import expit

from . import _validation as check
from .exceptions import NotFittedError, SimulationError, ValidationError

__all__ = ["LogisticNeuron"]

_OWNER = "LogisticNeuron"
_METHODS = ("lbfgs", "gradient")


class LogisticNeuron:
    """A neuron that computes sigmoid(w·x + b): logistic regression as a binary classifier.

    It is the zero-hidden-layer case of :class:`~spikeneuron.LogisticNetwork`:
    ``LogisticNetwork(hidden=(), l2=l2).fit(X, y)`` minimises the same objective and finds the
    same weights (tested).

    The constructor only stores its arguments. ``fit`` learns the weights and the bias from
    labelled samples by maximum likelihood (optionally with an L2 penalty on the weights);
    given ``weights`` and no ``fit``, the neuron runs its forward pass with those hand-picked
    values.

    Parameters
    ----------
    weights : array-like, shape (n_features,), optional
        Hand-picked weights (per unit of each feature): used by the forward pass until ``fit``
        is called, and as the starting point of ``fit``. Positive weights excite, negative
        weights inhibit.
    bias : float
        Hand-picked bias (the activation when all inputs are zero), used with ``weights``.

    Attributes
    ----------
    coef_ : ndarray, shape (n_features,)
        Fitted weights.
    intercept_ : float
        Fitted bias.
    n_features_in_ : int
        Number of features seen by ``fit``.
    n_iter_ : int
        Iterations (L-BFGS) or epochs (gradient descent) run by ``fit``.
    loss_curve_ : ndarray, shape (``n_iter_``,)
        Objective (penalised mean log-loss, see :meth:`fit`) after each iteration or epoch:
        the learning curve.
    l2_ : float
        The L2 penalty strength used by ``fit``.

    Notes
    -----
    ``X`` is either one sample, a 1-D array of shape (n_features,), or a matrix of shape
    (n_samples, n_features). A single feature measured on many samples must therefore be
    passed as a column, shape (n_samples, 1).

    Examples
    --------
    >>> neuron = LogisticNeuron(weights=[-3.0, 0.1], bias=8.0)  # height (ft), weight (kg)
    >>> round(neuron.activation([4.0, 80.0]), 6)                 # -3·4 + 0.1·80 + 8
    4.0
    >>> round(neuron.predict_proba([4.0, 80.0]), 4), neuron.predict([4.0, 80.0])
    (0.982, 1)
    """

    def __init__(self, weights=None, bias=0.0):
        self.weights = weights
        self.bias = bias

    def __repr__(self):
        if hasattr(self, "coef_"):
            return (f"{_OWNER}(fitted: {self.coef_.size} weights, intercept_={self.intercept_:.4g}, "
                    f"{self.n_iter_} iterations, l2_={self.l2_:g})")
        if self.weights is None:
            return f"{_OWNER}(not fitted)"
        size = np.size(self.weights) if not isinstance(self.weights, str) else "?"
        return f"{_OWNER}(hand-picked: {size} weights, bias={self.bias!r})"

    # -- forward pass ------------------------------------------------------------------------

    def activation(self, X):
        """Activation z = X·w + b of each sample (the logit of class 1).

        Parameters
        ----------
        X : array-like, shape (n_features,) or (n_samples, n_features)
            One sample or a matrix of samples, in the units of the weights.

        Returns
        -------
        float or ndarray, shape (n_samples,)
            A float for a single 1-D sample.

        Raises
        ------
        NotFittedError
            When the neuron was neither fitted nor given ``weights``.
        ValueError
            (ValidationError) for NaN/infinite entries, a wrong number of dimensions or a
            number of features that differs from the weights'.
        """
        weights, bias = self._parameters()
        X, single = self._check_X(X, weights.size)
        with np.errstate(over="ignore", invalid="ignore"):
            z = X @ weights + bias
        if np.isnan(z).any():
            sample = int(np.flatnonzero(np.isnan(z))[0])
            raise ValidationError(
                f"The activation z = X·w + b of {_OWNER} is undefined for sample {sample}: its "
                f"terms overflow to +inf and -inf (features and weights up to "
                f"{np.abs(X).max():g} and {np.abs(weights).max():g}); rescale the features")
        return float(z[0]) if single else z

    def predict_proba(self, X):
        """Probability of class 1, sigmoid(z) = 1 / (1 + e^{-z}), of each sample.

        Unlike scikit-learn's ``predict_proba``, which returns both columns (P(class 0),
        P(class 1)), this returns the probability of class 1 only: shape (n_samples,), or a
        float for a single 1-D sample. P(class 0) is one minus it. Exactly 0 or 1 when
        ``|z|`` is large (beyond about 37 for 1, 745 for 0), never NaN.

        Parameters
        ----------
        X : array-like, shape (n_features,) or (n_samples, n_features)

        Returns
        -------
        float or ndarray, shape (n_samples,)
        """
        z = self.activation(X)
        probability = expit(z)  # evaluated without overflow for any finite z
        return float(probability) if np.ndim(probability) == 0 else probability

    def predict(self, X):
        """Predicted class, 1 where sigmoid(z) >= 0.5 (that is, z >= 0), else 0.

        Returns
        -------
        int or ndarray of int, shape (n_samples,)
        """
        z = self.activation(X)
        decision = (np.asarray(z) >= 0.0).astype(np.int64)
        return int(decision) if decision.ndim == 0 else decision

    # -- objective ---------------------------------------------------------------------------

    def score(self, X, y):
        """Accuracy: the fraction of samples X whose :meth:`predict` equals the label y (0/1)."""
        X, y = self._check_X_y(X, y, n_features=None, owner=f"{_OWNER}.score",
                               require_both_classes=False)
        return float(np.mean(self.predict(X) == y))

    def loss(self, X, y, *, l2=None):
        """Objective at the current weights: mean log-loss plus (l2/2)·||w||² (see :meth:`fit`).

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
        y : array-like of 0/1, shape (n_samples,)
        l2 : float, optional
            Penalty strength (>= 0). Default: the one used by ``fit`` (0 before ``fit``).

        Returns
        -------
        float
        """
        weights, bias = self._parameters()
        X, y = self._check_X_y(X, y, n_features=weights.size, owner=f"{_OWNER}.loss",
                               require_both_classes=False)
        l2 = self._l2(l2, f"{_OWNER}.loss")
        return _objective(np.r_[weights, bias], X, y, l2)[0]

    def gradient(self, X, y, *, l2=None):
        """Gradient of :meth:`loss` with respect to the weights and the bias.

        Returns
        -------
        grad_weights : ndarray, shape (n_features,)
            (1/n)·Xᵀ(sigmoid(z) − y) + l2·w.
        grad_bias : float
            mean(sigmoid(z) − y) (the bias is not penalised).
        """
        weights, bias = self._parameters()
        X, y = self._check_X_y(X, y, n_features=weights.size, owner=f"{_OWNER}.gradient",
                               require_both_classes=False)
        l2 = self._l2(l2, f"{_OWNER}.gradient")
        grad = _objective(np.r_[weights, bias], X, y, l2)[1]
        return grad[:-1], float(grad[-1])

    # -- training ----------------------------------------------------------------------------

    def fit(self, X, y, *, method="lbfgs", l2=0.0, learning_rate=0.1, epochs=1000, seed=None):
        """Learn the weights and the bias by (penalised) maximum likelihood.

        The objective minimised is the mean log-loss plus an L2 penalty on the weights (the
        bias is not penalised)::

            J(w, b) = (1/n) Σ_i [log(1 + e^{z_i}) − y_i z_i] + (l2/2) ||w||²,  z_i = x_i·w + b

        which is −(1/n) log-likelihood + penalty. scikit-learn's ``LogisticRegression(C=C)``
        minimises C Σ_i [...] + ||w||²/2; dividing by C·n shows that it has the same
        minimiser as ``l2 = 1 / (C · n_samples)``.

        Parameters
        ----------
        X : array-like, shape (n_samples, n_features)
            Training samples.
        y : array-like, shape (n_samples,)
            Class labels, 0 or 1 (bool accepted); both classes must occur.
        method : {'lbfgs', 'gradient'}
            'lbfgs': the exact minimiser, by ``scipy.optimize.minimize(method='L-BFGS-B')``
            with the analytic gradient. 'gradient': plain full-batch gradient descent with a
            fixed step for ``epochs`` epochs (one step per pass over the data), which shows
            how learning proceeds; on features of very different scales it converges slowly,
            so standardise them first.
        l2 : float
            Penalty strength, >= 0 (0: plain maximum likelihood).
        learning_rate : float
            Step size of gradient descent, > 0. The loss decreases at every epoch when it is
            below 2 / L, with L = λ_max(XᵀX/n)/4 + l2 (X with a column of ones for the bias).
        epochs : int
            Number of gradient-descent epochs (>= 1); for 'lbfgs', the iteration limit.
        seed : int, numpy.random.Generator or None
            Seeds the random initial weights of gradient descent, drawn from N(0, 0.1²) (bias
            0), unless the neuron was given ``weights``, which are then the starting point.

        Returns
        -------
        LogisticNeuron
            ``self``, fitted.

        Raises
        ------
        ValueError
            (ValidationError) for NaN/infinite entries in X or y, X not 2-D, y not 1-D or
            of another length, labels other than 0 and 1, a single class in y, a bad
            ``method``, ``l2``, ``learning_rate`` or ``epochs``.
        """
        owner = f"{_OWNER}.fit"
        if not isinstance(method, str):
            check.wrong_type("method", owner, "'lbfgs' or 'gradient'", method)
        if method not in _METHODS:
            check.fail("method", owner, "'lbfgs' or 'gradient'", method)
        l2 = check.non_negative("l2", owner, l2)
        learning_rate = check.positive("learning_rate", owner, learning_rate)
        epochs = check.integer("epochs", owner, epochs, low=1)
        seed = check.seed(owner, seed)
        X, y = self._check_X_y(X, y, n_features=None, owner=owner, require_both_classes=True)
        n_features = X.shape[1]
        largest = float(np.abs(X).max())
        if largest > 1e150:  # the curvature X·Xᵀ of the log-loss would overflow
            raise SimulationError(
                f"{owner} cannot fit features up to {largest:g}: the log-loss's curvature "
                f"overflows beyond 1e150; standardise the features (subtract the mean, divide "
                f"by the standard deviation) and fit again")
        start = self._starting_point(n_features, method, seed)

        with np.errstate(over="ignore", invalid="ignore"):  # overflow is checked just below
            if method == "lbfgs":
                params, losses, n_iter = _fit_lbfgs(start, X, y, l2, epochs)
            else:
                params, losses, n_iter = _fit_gradient_descent(start, X, y, l2, learning_rate,
                                                               epochs)
            final_loss, final_gradient = _objective(params, X, y, l2)
        if not (np.all(np.isfinite(params)) and np.all(np.isfinite(losses))
                and np.isfinite(final_loss) and np.all(np.isfinite(final_gradient))):
            raise SimulationError(
                f"{owner} overflowed: with features up to {np.abs(X).max():g}, l2 = {l2:g} and "
                f"learning_rate = {learning_rate:g} the log-loss or its gradient is not finite; "
                f"standardise the features (subtract the mean, divide by the standard "
                f"deviation), lower l2 or learning_rate, and fit again")

        self.coef_ = params[:-1].copy()
        self.intercept_ = float(params[-1])
        self.n_features_in_ = n_features
        self.n_iter_ = n_iter
        self.loss_curve_ = np.asarray(losses, dtype=float)
        self.l2_ = l2
        return self

    # -- helpers -----------------------------------------------------------------------------

    def _parameters(self):
        """The weights and the bias in use: fitted ones, else hand-picked ones."""
        if hasattr(self, "coef_"):
            return self.coef_, self.intercept_
        if self.weights is None:
            raise NotFittedError(
                f"This {_OWNER} instance is not fitted yet. Call 'fit' with appropriate "
                "arguments before using this estimator."
            )
        return self._hand_picked()

    def _hand_picked(self):
        weights = check.finite_array("weights", _OWNER, self.weights)
        if weights.ndim != 1 or weights.size == 0:
            check.shape_mismatch("weights", _OWNER, "(n_features,) with n_features >= 1",
                                 weights.shape)
        return weights, check.real("bias", _OWNER, self.bias)

    def _starting_point(self, n_features, method, seed):
        if self.weights is not None:
            weights, bias = self._hand_picked()
            if weights.size != n_features:
                check.shape_mismatch("weights", _OWNER, f"({n_features},) to match X",
                                     weights.shape)
            return np.r_[weights, bias]
        if method == "lbfgs":
            return np.zeros(n_features + 1)
        rng = np.random.default_rng(seed)
        return np.r_[rng.normal(0.0, 0.1, n_features), 0.0]

    def _l2(self, l2, owner):
        if l2 is None:
            return getattr(self, "l2_", 0.0)
        return check.non_negative("l2", owner, l2)

    def _check_X(self, X, n_features, owner=_OWNER):
        X = check.finite_array("X", owner, X)
        single = X.ndim == 1
        if single:
            X = X[np.newaxis, :]
        if X.ndim != 2:
            check.shape_mismatch("X", owner, "(n_features,) or (n_samples, n_features)", X.shape)
        if n_features is not None and X.shape[1] != n_features:
            check.fail("X", owner, f"samples of {n_features} features, one per weight",
                       f"{X.shape[1]} features")
        return X, single

    def _check_X_y(self, X, y, *, n_features, owner, require_both_classes):
        X = check.finite_array("X", owner, X)
        if X.ndim != 2:
            check.shape_mismatch(
                "X", owner, "(n_samples, n_features); reshape a single feature to (-1, 1)",
                X.shape)
        X, _ = self._check_X(X, n_features, owner)
        if X.shape[0] == 0 or X.shape[1] == 0:
            check.shape_mismatch("X", owner, "(n_samples, n_features) with both >= 1", X.shape)
        y = check.binary_labels("y", owner, y, X.shape[0], expected=f"({X.shape[0]},) to match X")
        labels = np.unique(y)
        if require_both_classes and labels.size < 2:
            raise ValidationError(
                f"The 'y' parameter of {owner} must contain both classes, 0 and 1. Got only "
                f"class {int(labels[0])} ({y.size} samples) instead."
            )
        return X, y


def _objective(params, X, y, l2):
    """Penalised mean log-loss and its gradient at params = (w..., b)."""
    weights, bias = params[:-1], params[-1]
    z = X @ weights + bias
    # log(1 + e^z) − y z, written as softplus(−z) for y = 1 and softplus(z) for y = 0 so that
    # it neither overflows nor cancels for large |z| (np.logaddexp(0, t) = log(1 + e^t)).
    losses = y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)
    loss = losses.mean() + 0.5 * l2 * (weights @ weights)
    error = expit(z) - y
    gradient = np.empty_like(params)
    gradient[:-1] = X.T @ error / y.size + l2 * weights
    gradient[-1] = error.mean()
    return float(loss), gradient


def _fit_lbfgs(start, X, y, l2, max_iter):
    losses = []
    import scipy.optimize  # imported on use: scipy.optimize is slow to import and most runs never need it

    solution = scipy.optimize.minimize(
        _objective, start, args=(X, y, l2), jac=True, method="L-BFGS-B",
        callback=lambda params: losses.append(_objective(params, X, y, l2)[0]),
        options={"maxiter": max_iter, "gtol": 1e-10, "ftol": 1e-15, "maxcor": 20},
    )
    if not solution.success and solution.nit >= max_iter:
        warnings.warn(
            f"L-BFGS-B stopped after {solution.nit} iterations without converging "
            f"({solution.message}); raise 'epochs' or standardise the features.",
            UserWarning, stacklevel=3,
        )
    return solution.x, losses, int(solution.nit)


def _fit_gradient_descent(start, X, y, l2, learning_rate, epochs):
    params = start.copy()
    initial_loss, gradient = _objective(params, X, y, l2)
    losses = np.empty(epochs)
    for epoch in range(epochs):
        params -= learning_rate * gradient
        losses[epoch], gradient = _objective(params, X, y, l2)
    if not math.isfinite(losses[-1]) or losses[-1] > initial_loss:
        warnings.warn(
            f"Gradient descent diverged (loss {losses[-1]:g} after {epochs} epochs); lower "
            f"'learning_rate' (got {learning_rate:g}) or standardise the features.",
            UserWarning, stacklevel=3,
        )
    return params, losses, epochs
