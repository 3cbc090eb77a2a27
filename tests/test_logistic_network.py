"""LogisticNetwork against scikit-learn's MLPClassifier, finite differences and LogisticNeuron."""

import numpy as np
import pytest

from spikeneuron import LogisticNetwork, LogisticNeuron
from spikeneuron.logistic_network import backward, glorot_uniform, loss


def digits_split():
    """The issue's split: digits standardised on the training part, 70/30 stratified."""
    pytest.importorskip("sklearn")
    from spikeneuron import digits_split

    return digits_split()


def random_problem(n_out, seed=0, n=30, n_features=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_features))
    labels = rng.integers(0, max(n_out, 2), n)
    Y = labels[:, None].astype(float) if n_out == 1 else np.eye(n_out)[labels]
    return rng, X, labels, Y


@pytest.mark.parametrize("n_out", [1, 4])
@pytest.mark.parametrize("sizes", [(), (3,), (4, 3)])
def test_gradient_equals_central_finite_differences(n_out, sizes):
    # central differences of step h err by O(h²)·J''' ≈ 1e-12 and by rounding ≈ 1e-16/h =
    # 1e-10: agreement to 1e-7 would fail for any wrong term of the gradient (they are ~1e-2)
    rng, X, _, Y = random_problem(n_out)
    coefs, intercepts = glorot_uniform((5, *sizes, n_out), rng)
    coefs = [3 * w for w in coefs]  # away from the linear regime of the sigmoids
    _, grad_coefs, grad_intercepts = backward(coefs, intercepts, X, Y, 0.1)
    h = 1e-6
    for params, grads in ((coefs, grad_coefs), (intercepts, grad_intercepts)):
        for layer, (values, grad) in enumerate(zip(params, grads)):
            for index in np.ndindex(values.shape):
                saved = values[index]
                values[index] = saved + h
                up = loss(coefs, intercepts, X, Y, 0.1)[0]
                values[index] = saved - h
                down = loss(coefs, intercepts, X, Y, 0.1)[0]
                values[index] = saved
                assert abs((up - down) / (2 * h) - grad[index]) < 1e-7, (layer, index)


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_predict_proba_equals_scikit_learn_with_the_same_weights(n_classes):
    neural_network = pytest.importorskip("sklearn.neural_network")
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(60, 6))
    y = rng.integers(0, n_classes, 60)
    y[:n_classes] = np.arange(n_classes)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a few iterations only: not converged, on purpose
        reference = neural_network.MLPClassifier((7, 5), activation="logistic", max_iter=5,
                                                 random_state=0).fit(X, y)
    net = LogisticNetwork(weights=reference.coefs_, biases=reference.intercepts_)
    assert np.max(np.abs(net.predict_proba(X) - reference.predict_proba(X))) < 1e-10
    assert np.array_equal(net.classes_[net.predict(X).astype(int)], reference.predict(X))


def test_loss_follows_scikit_learns_alpha_as_l2_times_n():
    neural_network = pytest.importorskip("sklearn.neural_network")
    rng, X, labels, _ = random_problem(3, n=40)
    alpha = 0.7
    reference = neural_network.MLPClassifier((4,), activation="logistic", alpha=alpha,
                                             max_iter=1, random_state=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference.fit(X, labels)
    # sklearn's objective (MLPClassifier._backprop): its mean log-loss + alpha/(2n)·Σ||W||²
    # over the weights only; ours with l2 = alpha/n must be the same number
    from sklearn.metrics import log_loss

    expected = (log_loss(labels, reference.predict_proba(X))
                + alpha / (2 * X.shape[0]) * sum(np.sum(w**2) for w in reference.coefs_))
    net = LogisticNetwork(weights=reference.coefs_, biases=reference.intercepts_,
                          l2=alpha / X.shape[0])
    assert net.loss(X, labels) == pytest.approx(expected, rel=1e-12)


def test_no_hidden_layer_fits_the_logistic_neuron():
    # the same convex objective: both L-BFGS runs reach its unique minimum
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 4))
    y = (X @ [1.5, -2.0, 0.5, 0.0] + 0.3 + rng.logistic(size=200) > 0).astype(int)
    neuron = LogisticNeuron().fit(X, y, l2=0.01)
    net = LogisticNetwork(hidden=(), l2=0.01, seed=0).fit(X, y)
    assert len(net.coefs_) == 1 and net.coefs_[0].shape == (4, 1)
    assert np.allclose(net.coefs_[0][:, 0], neuron.coef_, atol=1e-5)
    assert net.intercepts_[0][0] == pytest.approx(neuron.intercept_, abs=1e-5)
    assert net.loss(X, y) == pytest.approx(neuron.loss(X, y), rel=1e-10)
    assert np.allclose(net.predict_proba(X)[:, 1], neuron.predict_proba(X), atol=1e-6)


def test_same_seed_same_network_and_the_loss_falls():
    rng, X, _, _ = random_problem(3, n=60)
    labels = np.digitize(X[:, 0] - X[:, 1], [-0.5, 0.5])  # three classes a network can learn
    first = LogisticNetwork((6,), seed=5).fit(X, labels)
    second = LogisticNetwork((6,), seed=5).fit(X, labels)
    other = LogisticNetwork((6,), seed=6).fit(X, labels)
    assert all(np.array_equal(a, b) for a, b in zip(first.coefs_, second.coefs_))
    assert not np.array_equal(first.initial_coefs_[0], other.initial_coefs_[0])
    curve = first.loss_curve_
    assert curve.size == first.n_iter_ + 1 and curve[-1] < 0.5 * curve[0]
    assert np.all(np.diff(curve) <= 1e-12)  # L-BFGS accepts only steps that lower J


def test_glorot_bounds_are_scikit_learns():
    coefs, intercepts = glorot_uniform((64, 24, 10), np.random.default_rng(0))
    assert np.abs(coefs[0]).max() <= np.sqrt(2 / 88) and np.abs(coefs[0]).max() > 0.9 * np.sqrt(2 / 88)
    assert np.abs(intercepts[1]).max() <= np.sqrt(2 / 34)


def test_activations_and_classes_convention():
    net = LogisticNetwork(weights=[np.eye(2), [[2.0], [-2.0]]], biases=[[0.0, 0.0], [0.0]])
    X = np.array([[3.0, -3.0], [-3.0, 3.0]])
    hidden, output = net.activations(X)
    assert np.allclose(hidden, 1 / (1 + np.exp(-X)))
    assert np.allclose(output[:, 0], 1 / (1 + np.exp(-(2 * hidden[:, 0] - 2 * hidden[:, 1]))))
    assert net.classes_.tolist() == [0, 1]
    rng, X, labels, _ = random_problem(3, n=60)
    fitted = LogisticNetwork((4,), seed=0).fit(X, np.array([10, 20, 30])[labels])
    assert fitted.classes_.tolist() == [10, 20, 30]
    assert set(fitted.predict(X)) <= {10, 20, 30}
    assert fitted.predict_proba(X).shape == (60, 3)
    assert np.allclose(fitted.predict_proba(X).sum(axis=1), 1.0)


@pytest.mark.slow
def test_digits_targets_of_the_issue():
    neural_network = pytest.importorskip("sklearn.neural_network")
    X_train, X_test, y_train, y_test = digits_split()
    net = LogisticNetwork((24,), seed=0).fit(X_train, y_train)
    # the stronger of scikit-learn's two solvers here (its default, Adam, reaches 0.969)
    reference = neural_network.MLPClassifier((24,), activation="logistic", solver="lbfgs",
                                             alpha=net.l2 * X_train.shape[0], max_iter=1000,
                                             random_state=0).fit(X_train, y_train)
    accuracy = net.score(X_test, y_test)
    assert accuracy >= 0.95
    assert accuracy >= reference.score(X_test, y_test) - 0.01
