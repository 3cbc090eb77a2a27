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
