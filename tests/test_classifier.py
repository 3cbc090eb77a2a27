"""SpikingClassifier: a spiking neuron deciding by spike count with a logistic neuron's weights."""

import numpy as np
import pytest

from spikeneuron import LIF, LogisticNeuron, SpikingClassifier, ValidationError


def test_decides_like_the_logistic_neuron_far_from_the_boundary():
    logistic = LogisticNeuron(weights=[2.0, -1.0], bias=0.5)
    X = np.random.default_rng(0).normal(size=(40, 2))
    far = np.abs(logistic.activation(X)) > 1.5
    spiking = SpikingClassifier.from_logistic(logistic, window=1000.0, seed=1)
    assert np.array_equal(spiking.predict(X[far]), logistic.predict(X[far]))
    probabilities = spiking.predict_proba(X)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    # P(class 1) grows with z: rank correlation clearly positive
    assert np.corrcoef(np.argsort(np.argsort(probabilities)),
                       np.argsort(np.argsort(logistic.activation(X))))[0, 1] > 0.8


def test_score_and_seeded_repeat():
    logistic = LogisticNeuron(weights=[1.0], bias=0.0)
    X = np.array([[-3.0], [3.0]])
    first = SpikingClassifier.from_logistic(logistic, window=500.0, seed=2)
    assert first.score(X, [0, 1]) == 1.0
    again = SpikingClassifier.from_logistic(logistic, window=500.0, seed=2)
    np.testing.assert_array_equal(first.spike_counts(X), again.spike_counts(X))


def test_logistic_neuron_score_is_accuracy():
    logistic = LogisticNeuron(weights=[1.0], bias=0.0)
    assert logistic.score([[-1.0], [1.0], [2.0]], [0, 1, 0]) == pytest.approx(2 / 3)


def test_bad_input_is_named():
    with pytest.raises(ValidationError, match="weights"):
        SpikingClassifier([0.0, 0.0])
    with pytest.raises(TypeError, match="logistic_neuron"):
        SpikingClassifier.from_logistic("not a neuron")
    with pytest.raises(ValidationError, match="window"):
        SpikingClassifier([1.0], window=-5.0)
    with pytest.raises(TypeError, match="model"):
        SpikingClassifier([1.0], model="LIF")
    with pytest.raises(ValidationError, match="X.*shape"):
        SpikingClassifier([1.0, 2.0], model=LIF()).predict([[1.0, 2.0, 3.0]])


# --- the decision level (issue 25) -------------------------------------------------------------
import warnings  # noqa: E402

from scipy.special import ndtr  # noqa: E402


def test_level_is_the_mean_count_at_z_zero():
    """The calibrated level equals the mean count of 200 fresh neurons at z = 0: the
    difference has standard error spread·√(1/calibration + 1/200); 4 of them bound it. The
    Siegert count (diffusion approximation) lies clearly above it: the bias the calibration
    removes."""
    spiking = SpikingClassifier([1.0], 0.0, window=2000.0, seed=11)
    fresh = spiking.spike_counts(np.zeros((200, 1)))
    standard_error = fresh.std(ddof=1) * np.sqrt(1 / spiking.calibration + 1 / 200)
    # the level is the median's k − ½: within ½ + 4 standard errors of the mean count
    assert abs(spiking.count_threshold_ - fresh.mean()) < 4 * standard_error + 0.5
    assert spiking.siegert_count_ - fresh.mean() > 4 * standard_error
    # a count is an integer: P(count > level) at z = 0 is 1/2 within the binomial error of
    # 200 samples plus the lattice's 0.2/spread (φ(0)·½ over the spread, normal counts)
    classed_one = np.mean(fresh > spiking.count_threshold_)
    assert abs(classed_one - 0.5) < 4 * 0.5 / np.sqrt(200) + 0.2 / spiking.count_spread_
    assert "count_threshold_" in repr(spiking) and len(repr(spiking)) < 200


def test_agreement_with_the_logistic_neuron_rises_towards_one_with_the_window():
    """Samples on both sides of the boundary, z in [-0.5, 0.5]. With z = 0 the boundary, the
    only disagreements are count noise: sample i is decided right with probability
    Φ(|z_i|·slope/spread), slope and spread the counts' growth with z and their noise, both
    measured; the agreement must match that within 4 binomial errors, rise with the window
    (the ratio slope/spread grows like √window) and the errors fall on both sides alike
    (a biased level puts them all on one side)."""
    z = np.linspace(-0.5, 0.5, 200)
    agreement, predicted = [], []
    for window in (250.0, 4000.0):
        spiking = SpikingClassifier([1.0], 0.0, window=window, seed=7)
        counts = spiking.spike_counts(z[:, None])
        right = (counts > spiking.count_threshold_) == (z >= 0)
        agreement.append(right.mean())
        slope = np.polyfit(z, counts, 1)[0]
        predicted.append(np.mean(ndtr(np.abs(z) * slope / spiking.count_spread_)))
        binomial = np.sqrt(predicted[-1] * (1 - predicted[-1]) / z.size)
        assert abs(agreement[-1] - predicted[-1]) < 4 * binomial + 0.2 / spiking.count_spread_
    rise_error = np.sqrt(sum(a * (1 - a) for a in agreement) / z.size)
    assert agreement[1] - agreement[0] > 4 * rise_error
    assert predicted[1] > 0.93 and agreement[1] > 0.9
    wrong_above, wrong_below = np.sum(~right & (z >= 0)), np.sum(~right & (z < 0))
    total = wrong_above + wrong_below
    assert abs(wrong_above - total / 2) <= 4 * np.sqrt(total) / 2 + 1


@pytest.mark.slow
def test_breast_cancer_agreement_rises_with_the_window():
    """The case of issue 25 on scikit-learn's breast-cancer data (standardised), on the 80
    samples nearest the logistic boundary, where disagreements happen. At each window the
    agreement is what count noise alone allows, mean Φ(|z|·slope/spread) (slope and spread
    measured), within 4 binomial errors plus the lattice's 0.2/spread: no bias is left, so
    it rises with the window (the ratio slope/spread grows like √window)."""
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_breast_cancer(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    logistic = LogisticNeuron().fit(X, y, l2=0.01)
    near = np.argsort(np.abs(logistic.activation(X)))[:80]
    z = logistic.activation(X[near])
    agreement, predicted = [], []
    for window in (100.0, 1600.0):
        spiking = SpikingClassifier.from_logistic(logistic, window=window, seed=3, x_max=6.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # a few values beyond x_max = 6
            counts = spiking.spike_counts(X[near])
        agreement.append(np.mean((counts > spiking.count_threshold_) == (z >= 0)))
        slope = np.polyfit(z, counts, 1)[0]
        predicted.append(np.mean(ndtr(np.abs(z) * slope / spiking.count_spread_)))
        binomial = np.sqrt(predicted[-1] * (1 - predicted[-1]) / near.size)
        assert abs(agreement[-1] - predicted[-1]) < 4 * binomial + 0.2 / spiking.count_spread_
    assert agreement[1] > agreement[0] and predicted[1] > predicted[0] + 0.1


def test_features_beyond_x_max_warn_and_are_clipped():
    spiking = SpikingClassifier([1.0, -1.0], 0.0, window=50.0, seed=0)
    with pytest.warns(UserWarning, match="x_max = 4.*clipped"):
        huge = spiking.spike_counts([[1e6, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        at_edge = spiking.spike_counts([[4.0, 0.0]])
    np.testing.assert_array_equal(huge, at_edge)  # same seed, same rates: the same run


def test_score_refuses_labels_the_model_never_saw():
    spiking = SpikingClassifier([1.0], 0.0, window=50.0, seed=0)
    for bad in ([2], [0.5], [-1]):
        with pytest.raises(ValidationError, match="'y' parameter of SpikingClassifier.score"):
            spiking.score([[1.0]], bad)
    with pytest.raises(ValidationError, match="'y'.*shape"):
        spiking.score([[1.0], [2.0]], [1])


def test_the_boundary_is_z_zero_with_a_bias():
    """With a bias b, z = 0 lies at w·x = −b: there, too, half the neurons say 1 (within 4
    binomial errors of 200 samples plus the lattice's 0.2/spread). The calibration runs at
    z = 0, not at x = 0 (which is z = b)."""
    spiking = SpikingClassifier([1.0], 0.7, window=1000.0, seed=12)
    classed_one = np.mean(spiking.predict(np.full((200, 1), -0.7)))
    assert abs(classed_one - 0.5) < 4 * 0.5 / np.sqrt(200) + 0.2 / spiking.count_spread_
