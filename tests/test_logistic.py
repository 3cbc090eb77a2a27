"""The logistic neuron: forward pass, maximum-likelihood fit, gradient descent, bad input."""

import doctest
import warnings

import numpy as np
import pytest
from scipy.special import expit

import spikeneuron.logistic
from spikeneuron import LogisticNeuron, NotFittedError, ValidationError


def logistic_data(n, weights, bias, seed):
    """Samples X ~ N(0, 1) and labels drawn from P(y = 1) = sigmoid(X·w + b)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(weights)))
    y = (rng.uniform(size=n) < expit(X @ np.asarray(weights) + bias)).astype(int)
    return X, y


def test_docstring_examples():
    failures, _ = doctest.testmod(spikeneuron.logistic, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_hand_picked_forward_pass_step_by_step():
    neuron = LogisticNeuron(weights=[-3.0, 0.1], bias=8.0)
    z = -3.0 * 4.0 + 0.1 * 80.0 + 8.0
    assert neuron.activation([4.0, 80.0]) == pytest.approx(z, abs=1e-12)
    assert isinstance(neuron.predict_proba([4.0, 80.0]), float)
    assert neuron.predict_proba([4.0, 80.0]) == pytest.approx(1.0 / (1.0 + np.exp(-z)), rel=1e-12)
    assert neuron.predict([4.0, 80.0]) == 1
    X = np.array([[4.0, 80.0], [6.0, 60.0]])  # z = 4 and z = -4
    np.testing.assert_allclose(neuron.activation(X), [4.0, -4.0], atol=1e-12)
    assert neuron.predict_proba(X).shape == (2,)
    np.testing.assert_array_equal(neuron.predict(X), [1, 0])


def test_predict_is_one_exactly_from_z_equal_zero():
    neuron = LogisticNeuron(weights=[1.0], bias=0.0)
    np.testing.assert_array_equal(neuron.predict([[-1e-9], [0.0], [1e-9]]), [0, 1, 1])
    assert neuron.predict_proba([0.0]) == 0.5


def test_unfitted_without_weights_raises_sklearn_wording():
    message = ("This LogisticNeuron instance is not fitted yet. Call 'fit' with appropriate "
               "arguments before using this estimator.")
    for method in ("activation", "predict_proba", "predict"):
        with pytest.raises(NotFittedError, match=message.replace(".", r"\.")):
            getattr(LogisticNeuron(), method)([1.0, 2.0])
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_fit_recovers_known_weights_within_their_standard_error():
    true_weights, true_bias, n = np.array([1.5, -2.0]), 0.5, 20_000
    X, y = logistic_data(n, true_weights, true_bias, seed=0)
    neuron = LogisticNeuron()
    assert neuron.fit(X, y) is neuron
    # The maximum-likelihood estimate is asymptotically normal with covariance
    # (n·I)^{-1}, I = E[p(1-p) x̃ x̃ᵀ] the Fisher information per sample (x̃ = (x, 1)), here
    # estimated on the sample at the true parameters: standard errors of about 0.03.
    # Four of them bound each of the three errors (chance of a false failure ~2e-4).
    Xt = np.c_[X, np.ones(n)]
    p = expit(Xt @ np.r_[true_weights, true_bias])
    covariance = np.linalg.inv(Xt.T @ (Xt * (p * (1 - p))[:, None]))
    standard_error = np.sqrt(np.diag(covariance))
    assert standard_error.max() < 0.05
    errors = np.r_[neuron.coef_, neuron.intercept_] - np.r_[true_weights, true_bias]
    assert np.all(np.abs(errors) < 4 * standard_error), (errors, standard_error)
    assert neuron.coef_.shape == (2,) and isinstance(neuron.intercept_, float)
    assert neuron.n_features_in_ == 2 and neuron.n_iter_ == neuron.loss_curve_.size >= 1
    # The optimum: the gradient of the objective vanishes there.
    grad_weights, grad_bias = neuron.gradient(X, y)
    assert np.abs(np.r_[grad_weights, grad_bias]).max() < 1e-8


def test_gradient_matches_central_finite_differences():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 3)) * [1.0, 3.0, 0.5]
    y = rng.integers(0, 2, 60)
    weights, bias, l2 = rng.normal(size=3), 0.4, 0.3
    grad_weights, grad_bias = LogisticNeuron(weights=weights, bias=bias).gradient(X, y, l2=l2)
    step = 1e-6
    numeric = []
    for j in range(4):
        shift = np.zeros(4)
        shift[j] = step
        up = np.r_[weights, bias] + shift
        down = np.r_[weights, bias] - shift
        numeric.append((LogisticNeuron(weights=up[:3], bias=up[3]).loss(X, y, l2=l2)
                        - LogisticNeuron(weights=down[:3], bias=down[3]).loss(X, y, l2=l2))
                       / (2 * step))
    # Central differences: truncation error ~step² (1e-12), rounding ~eps/step (1e-10).
    np.testing.assert_allclose(np.r_[grad_weights, grad_bias], numeric, rtol=1e-6, atol=1e-8)


def test_loss_is_mean_log_loss_plus_half_l2_weight_norm():
    X = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -2.0]])
    y = np.array([1, 0, 1])
    weights, bias, l2 = np.array([0.5, -0.25]), 0.1, 0.2
    p = expit(X @ weights + bias)
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + l2 / 2 * weights @ weights
    assert LogisticNeuron(weights, bias).loss(X, y, l2=l2) == pytest.approx(expected, rel=1e-12)


def test_gradient_descent_converges_to_the_exact_solution_with_a_falling_loss():
    X, y = logistic_data(500, [1.0, -0.5, 0.8], -0.3, seed=1)
    exact = LogisticNeuron().fit(X, y, l2=0.01)
    descent = LogisticNeuron().fit(X, y, method="gradient", l2=0.01, learning_rate=1.0,
                                   epochs=3000, seed=0)
    assert descent.n_iter_ == 3000 and descent.loss_curve_.shape == (3000,)
    # Full-batch descent with a step below 2/L decreases the loss at every epoch (up to
    # rounding of the loss itself, ~1e-16).
    assert np.all(np.diff(descent.loss_curve_) <= 1e-14)
    assert descent.loss_curve_[0] > descent.loss_curve_[-1]
    np.testing.assert_allclose(descent.coef_, exact.coef_, atol=1e-6)
    assert descent.intercept_ == pytest.approx(exact.intercept_, abs=1e-6)
    assert descent.loss_curve_[-1] == pytest.approx(exact.loss(X, y), rel=1e-10)


def test_gradient_descent_is_reproducible_by_seed():
    X, y = logistic_data(200, [1.0, -1.0], 0.0, seed=2)
    fit = lambda seed: LogisticNeuron().fit(X, y, method="gradient", epochs=5, seed=seed)
    np.testing.assert_array_equal(fit(7).coef_, fit(7).coef_)
    assert not np.array_equal(fit(7).coef_, fit(8).coef_)


def test_constructor_weights_are_the_starting_point_then_fit_takes_over():
    X, y = logistic_data(300, [2.0], 0.0, seed=4)
    neuron = LogisticNeuron(weights=[5.0], bias=1.0)
    first_loss = LogisticNeuron(weights=[5.0], bias=1.0).loss(X, y)
    neuron.fit(X, y, method="gradient", epochs=1, learning_rate=0.01)
    assert neuron.loss_curve_[0] < first_loss and neuron.loss_curve_[0] > first_loss - 0.05
    assert neuron.activation([1.0]) == pytest.approx(neuron.coef_[0] + neuron.intercept_)
    assert neuron.weights == [5.0]  # the constructor arguments are left as given


def test_huge_activations_give_exact_probabilities_and_finite_loss():
    neuron = LogisticNeuron(weights=[1.0], bias=0.0)
    X = np.array([[1000.0], [-1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(neuron.predict_proba(X), [1.0, 0.0])
        assert neuron.loss(X, [1, 0]) == 0.0
        assert neuron.loss(X, [0, 1]) == pytest.approx(1000.0)
        grad_weights, grad_bias = neuron.gradient(X, [0, 1])
    np.testing.assert_allclose(grad_weights, [1000.0])
    assert grad_bias == 0.0


def test_separated_classes_still_fit_with_a_penalty():
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array([0, 0, 1, 1])
    neuron = LogisticNeuron().fit(X, y, l2=0.1)
    assert np.all(np.isfinite(neuron.coef_)) and neuron.coef_[0] > 0
    np.testing.assert_array_equal(neuron.predict(X), y)


GOOD_X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0]])
GOOD_Y = np.array([0, 1, 1])


@pytest.mark.parametrize("X, y, kwargs, match", [
    ([[0.0, np.nan], [1.0, 0.0], [2.0, 1.0]], GOOD_Y, {}, "'X' parameter.*NaN"),
    ([[0.0, np.inf], [1.0, 0.0], [2.0, 1.0]], GOOD_Y, {}, "'X' parameter.*NaN or infinity"),
    (GOOD_X, [0.0, np.nan, 1.0], {}, "'y' parameter.*NaN"),
    ([1.0, 2.0, 3.0], GOOD_Y, {}, r"'X' parameter.*shape \(n_samples, n_features\)"),
    (np.zeros((3, 2, 1)), GOOD_Y, {}, "'X' parameter.*Got shape"),
    (GOOD_X, [0, 1], {}, r"'y' parameter.*shape \(3,\)"),
    (GOOD_X, [[0, 1, 1]], {}, r"'y' parameter.*shape \(3,\)"),
    (GOOD_X, [0, 2, 1], {}, r"'y' parameter.*class labels 0 or 1\. Got \[2\.0\] instead"),
    (GOOD_X, [-1, 1, 0.5], {}, r"class labels 0 or 1\. Got \[-1\.0, 0\.5\] instead"),
    (GOOD_X, [1, 1, 1], {}, r"both classes, 0 and 1\. Got only class 1 \(3 samples\)"),
    (GOOD_X, GOOD_Y, {"l2": -1.0}, r"'l2' parameter of LogisticNeuron.fit must be a finite "
                                   r"number in the range \[0, inf\)\. Got -1.0 instead"),
    (GOOD_X, GOOD_Y, {"l2": np.nan}, "'l2' parameter"),
    (GOOD_X, GOOD_Y, {"learning_rate": 0.0}, "'learning_rate' parameter.*range \\(0, inf\\)"),
    (GOOD_X, GOOD_Y, {"epochs": 0}, "'epochs' parameter.*integer >= 1"),
    (GOOD_X, GOOD_Y, {"method": "sgd"}, "'method' parameter.*'lbfgs' or 'gradient'.*Got 'sgd' instead"),
])
def test_fit_rejects_bad_input_with_a_clear_message(X, y, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        LogisticNeuron().fit(X, y, **kwargs)


@pytest.mark.parametrize("kwargs, match", [
    ({"epochs": 10.5}, "'epochs' parameter.*an integer >= 1. Got 10.5 of type float"),
    ({"epochs": True}, "'epochs' parameter.*Got True of type bool"),
    ({"method": None}, "'method' parameter.*Got None of type NoneType"),
    ({"method": "gradient", "seed": "1"}, "'seed' parameter.*Got '1' of type str"),
])
def test_fit_refuses_arguments_of_the_wrong_type(kwargs, match):
    with pytest.raises(TypeError, match=match):
        LogisticNeuron().fit(GOOD_X, GOOD_Y, **kwargs)


def test_feature_count_mismatch_names_both_counts():
    fitted = LogisticNeuron().fit(GOOD_X, GOOD_Y, l2=0.1)
    message = (r"The 'X' parameter of LogisticNeuron must be samples of 2 features, one per "
               r"weight\. Got '3 features' instead\.")
    with pytest.raises(ValidationError, match=message):
        fitted.predict(np.ones((4, 3)))
    with pytest.raises(ValidationError, match=message):
        LogisticNeuron(weights=[1.0, 2.0]).predict_proba([1.0, 2.0, 3.0])
    with pytest.raises(ValidationError, match="'weights' parameter.*to match X"):
        LogisticNeuron(weights=[1.0, 2.0, 3.0]).fit(GOOD_X, GOOD_Y)


@pytest.mark.parametrize("weights, bias, match", [
    ([np.nan, 1.0], 0.0, "'weights' parameter.*NaN"),
    ([[1.0, 2.0]], 0.0, "'weights' parameter.*shape"),
    ([1.0, 2.0], np.inf, "'bias' parameter"),
])
def test_bad_hand_picked_weights_are_rejected_when_used(weights, bias, match):
    neuron = LogisticNeuron(weights=weights, bias=bias)  # the constructor only stores
    with pytest.raises(ValidationError, match=match):
        neuron.activation([1.0, 2.0])


def test_forward_pass_rejects_non_finite_samples():
    with pytest.raises(ValidationError, match="'X' parameter.*NaN"):
        LogisticNeuron(weights=[1.0]).predict([[np.nan]])


def test_huge_features_are_refused_and_activations_are_never_nan():
    from spikeneuron import SimulationError

    with pytest.raises(SimulationError, match="cannot fit features up to 1e"):
        LogisticNeuron().fit([[1e308], [-1e308], [1e307], [-1e307]], [1, 0, 1, 0])
    probabilities = LogisticNeuron(weights=[1e308], bias=0.0).predict_proba([[1e308], [-1e308]])
    assert probabilities.tolist() == [1.0, 0.0]
    # terms of opposite infinite sign: an error of ours or a number, never NaN
    try:
        extreme = LogisticNeuron(weights=[1e308, -1e308], bias=0.0).predict_proba(
            [[1e308, 1e308], [1.0, 1.0]])
    except ValueError as error:
        assert "undefined for sample" in str(error)
    else:
        assert not np.isnan(extreme).any()


def test_repr_says_fitted_or_hand_picked():
    assert repr(LogisticNeuron()) == "LogisticNeuron(not fitted)"
    assert repr(LogisticNeuron(weights=[1.0, 2.0])) == "LogisticNeuron(hand-picked: 2 weights, bias=0.0)"
    fitted = LogisticNeuron().fit([[0.0], [1.0], [2.0], [3.0]], [0, 1, 0, 1])
    assert repr(fitted).startswith("LogisticNeuron(fitted: 1 weights") and "l2_=0" in repr(fitted)
