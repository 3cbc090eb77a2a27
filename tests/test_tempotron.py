"""The tempotron learns timing-only tasks that a logistic neuron on spike counts cannot."""

import numpy as np
import pytest

from spikeneuron import LogisticNeuron, Tempotron, ValidationError


def timing_patterns(n_patterns, n_inputs, seed, window=500.0):
    """Every input fires exactly once per pattern: the counts are identical across classes."""
    rng = np.random.default_rng(seed)
    patterns = [[np.array([t]) for t in rng.uniform(0.0, window, n_inputs)]
                for _ in range(n_patterns)]
    return patterns, rng.permutation(np.arange(n_patterns) % 2)


def test_kernel_peaks_at_one():
    tempotron = Tempotron(3)
    t = np.linspace(0.0, 60.0, 60001)
    values = tempotron.kernel(t)
    assert values.max() == pytest.approx(1.0, abs=1e-8)
    assert t[np.argmax(values)] == pytest.approx(tempotron.peak_time, abs=2e-3)
    # closed form: t_peak = τ τ_s ln(τ/τ_s)/(τ − τ_s) = 15·3.75·ln 4 / 11.25 ms
    assert tempotron.peak_time == pytest.approx(15 * 3.75 * np.log(4) / 11.25)
    assert tempotron.kernel(-1.0) == 0.0


def test_potential_is_the_weighted_kernel_sum():
    tempotron = Tempotron(2, seed=0)
    pattern = [np.array([10.0, 30.0]), np.array([20.0])]
    t = np.array([5.0, 25.0, 40.0])
    expected = (tempotron.weights_[0] * (tempotron.kernel(t - 10) + tempotron.kernel(t - 30))
                + tempotron.weights_[1] * tempotron.kernel(t - 20))
    np.testing.assert_allclose(tempotron.potential(pattern, t), expected, rtol=1e-12)


def test_learns_timing_that_counts_cannot_tell():
    patterns, labels = timing_patterns(40, 50, seed=0)
    tempotron = Tempotron(50, learning_rate=0.01, seed=1).fit(patterns, labels, epochs=300)
    assert tempotron.score(patterns, labels) == 1.0
    assert tempotron.errors_per_epoch_[-1] == 0 < tempotron.errors_per_epoch_[0]
    counts = np.array([[train.size for train in pattern] for pattern in patterns], dtype=float)
    # all counts are 1: a logistic neuron on them can only predict one class for all
    logistic = LogisticNeuron().fit(counts, labels)
    assert logistic.score(counts, labels) == pytest.approx(0.5)


def test_seeded_runs_repeat():
    patterns, labels = timing_patterns(10, 20, seed=2)
    first = Tempotron(20, seed=3, learning_rate=0.01).fit(patterns, labels, epochs=20)
    second = Tempotron(20, seed=3, learning_rate=0.01).fit(patterns, labels, epochs=20)
    np.testing.assert_array_equal(first.weights_, second.weights_)


@pytest.mark.parametrize("kwargs, name", [
    ({"tau": -1.0}, "tau"), ({"tau_s": 20.0}, "tau_s"), ({"v_th": 0.0}, "v_th"),
    ({"learning_rate": 0.0}, "learning_rate"), ({"seed": -1}, "seed"),
])
def test_bad_parameters_are_named(kwargs, name):
    with pytest.raises((ValidationError, TypeError), match=name):
        Tempotron(4, **kwargs)


def test_bad_patterns_are_named():
    tempotron = Tempotron(2)
    with pytest.raises(ValidationError, match="n_inputs"):
        Tempotron(0)
    with pytest.raises(ValidationError, match="patterns"):
        tempotron.fit([[np.array([1.0])]], [1])  # one train for two inputs
    with pytest.raises(ValidationError, match="patterns"):
        tempotron.fit([[np.array([np.nan]), np.array([1.0])]], [1])
    with pytest.raises(ValidationError, match="labels"):
        tempotron.fit([[np.array([1.0]), np.array([2.0])]], [2])
    with pytest.raises(ValidationError, match="labels.*shape"):
        tempotron.fit([[np.array([1.0]), np.array([2.0])]], [1, 0])
    with pytest.raises(ValidationError, match="epochs"):
        tempotron.fit([[np.array([1.0]), np.array([2.0])]], [1], epochs=0)


def test_maximum_on_spikes_equals_the_full_grid():
    """V's largest value over the grid points near spikes equals its largest value over the
    whole grid from 0 (exact sums by ``potential``), for mixed-sign weights and gaps longer
    than the kernel's reach."""
    rng = np.random.default_rng(4)
    tempotron = Tempotron(6, seed=5)
    tempotron.weights_ = rng.normal(0.0, 1.0, 6)
    step = tempotron.tau_s / 4
    for _ in range(5):
        pattern = [np.sort(rng.choice([rng.uniform(0, 50), rng.uniform(2000, 2100)], size=2))
                   for _ in range(6)]
        end = max(t.max() for t in pattern) + tempotron.peak_time
        grid = np.arange(0.0, end + step, step)
        expected = max(np.max(tempotron.potential(pattern, grid)), 0.0 if grid.size > 1 else -np.inf)
        assert tempotron.max_potential([pattern])[0] == pytest.approx(expected, abs=1e-12)


def test_memory_does_not_grow_with_spike_times():
    """A spike at 1e9 ms costs what a spike at 10 ms costs (issue 25: 15.9 GiB before)."""
    tempotron = Tempotron(2, seed=0)
    late = tempotron._traces([[np.array([1e9]), np.array([5.0])]], "patterns")[0]
    early = tempotron._traces([[np.array([10.0]), np.array([5.0])]], "patterns")[0]
    reach = tempotron.horizon / (tempotron.tau_s / 4)
    assert late.shape[0] <= 2 * reach + 3 and early.shape[0] <= reach + 3
    assert tempotron.predict([[np.array([1e9]), np.array([5.0])]]).tolist() == [0]
    # the late spike alone, seen from its own grid point, has the same kernel values
    np.testing.assert_allclose(np.sort(late[:, 0])[-5:], np.sort(early[:, 0])[-5:], atol=1e-6)


def test_repr_and_score_labels():
    tempotron = Tempotron(2, seed=0)
    assert repr(tempotron).endswith("untrained)")
    patterns = [[np.array([1.0]), np.array([2.0])], [np.array([3.0]), np.array([4.0])]]
    tempotron.fit(patterns, [0, 1], epochs=1)
    assert "trained 1 epoch(s)" in repr(tempotron)
    assert tempotron.score(patterns, [False, True]) == tempotron.score(patterns, [0, 1])
    with pytest.raises(ValidationError, match="'labels' parameter of Tempotron.score.*0 or 1"):
        tempotron.score(patterns, [0, 2])
