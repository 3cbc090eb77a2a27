"""Analysis: the closed-form f–I curve, ISIs and CV."""

import math

import numpy as np
import pytest

from spikeneuron import LIF, cv_isi, isi, lif_period, lif_rate, mean_isi_rate, poisson_inputs, simulate


def test_lif_rate_closed_form_by_hand():
    neuron = LIF()  # r_m I = 20 mV: from -70 towards -50, threshold at -55
    period = neuron.t_ref + neuron.tau_m * math.log(20.0 / 5.0)
    assert lif_rate(2.0, neuron) == pytest.approx(1000.0 / period, rel=1e-12)
    assert lif_rate(1.5, neuron) == 0.0  # exactly at rheobase: never reaches threshold
    np.testing.assert_array_equal(lif_rate([0.0, -1.0], neuron), [0.0, 0.0])


def test_lif_rate_tends_to_one_over_t_ref_for_large_currents():
    assert lif_rate(1e6, LIF(t_ref=2.0)) == pytest.approx(500.0, rel=1e-3)


def test_grid_rate_equals_the_simulated_rate_exactly():
    neuron, dt = LIF(), 0.1
    currents = np.linspace(1.55, 5.0, 30)
    result = simulate(neuron, duration=2000.0, dt=dt, current=currents, record_v=False)
    for i, current in enumerate(currents):
        intervals = np.diff(result.spike_times[i])
        np.testing.assert_allclose(intervals, lif_period(current, neuron, dt=dt), atol=1e-9)
    np.testing.assert_allclose(mean_isi_rate(result.spike_times), lif_rate(currents, neuron, dt=dt),
                               rtol=1e-9)


def test_isi_and_cv():
    np.testing.assert_allclose(isi([1.0, 3.0, 7.0]), [2.0, 4.0])
    assert cv_isi([0.0, 10.0, 20.0, 30.0]) == 0.0
    assert math.isnan(cv_isi([1.0, 2.0]))
    # exponential intervals have CV 1; 20 000 intervals: standard error ≈ 1/sqrt(20000) ≈ 0.007
    times = np.cumsum(np.random.default_rng(0).exponential(10.0, 20_000))
    assert cv_isi(times) == pytest.approx(1.0, abs=0.03)
    np.testing.assert_array_equal(mean_isi_rate([np.array([]), np.array([5.0]), np.array([0.0, 10.0])]),
                                  [0.0, 0.0, 100.0])


@pytest.mark.parametrize("function", [isi, cv_isi])
@pytest.mark.parametrize("bad, error", [
    ("1,2", TypeError), ([3.0, 1.0], ValueError), ([[1.0, 2.0], [3.0]], TypeError),
    ([1.0, float("nan")], ValueError), ([True, False], TypeError), ([[1.0, 2.0]], ValueError),
    (["1", "2"], TypeError), ([1 + 2j], TypeError),
])
def test_spike_train_helpers_refuse_what_is_not_a_spike_train(function, bad, error):
    with pytest.raises(error, match="'spike_times' parameter of"):
        function(bad)


def test_mean_isi_rate_names_the_bad_train():
    with pytest.raises(ValueError, match=r"'spike_times_list\[1\]'"):
        mean_isi_rate([[1.0, 2.0], [5.0, 4.0]])
    assert mean_isi_rate([[], [3.0], [4.0, 4.0], [0.0, 10.0]]).tolist() == [0.0, 0.0, 0.0, 100.0]


def test_lif_period_at_extreme_currents_tends_to_the_refractory_period():
    model = LIF()
    # r_m I overflows at 1e308 nA: both must give t_ref (+ one step on the grid), not NaN
    assert lif_period([1e306, 1e308], model).tolist() == [model.t_ref, model.t_ref]
    assert lif_period([1e306, 1e308], model, dt=0.1) == pytest.approx([model.t_ref + 0.1] * 2)
    assert lif_rate(1e308, model) == pytest.approx(1000.0 / model.t_ref)
    for bad in ("2.0", True, [1 + 1j], [[1.0], [1.0, 2.0]]):
        with pytest.raises(TypeError, match="'current' parameter of lif_period"):
            lif_period(bad, model)


@pytest.mark.parametrize("synapse", ["delta", "exp"])
def test_free_potential_moments_match_a_long_simulation(synapse):
    """Campbell's mean and standard deviation against the simulated free potential (the
    threshold out of reach: 0 mV, > 20 standard deviations above the mean). Over T = 20 s the
    sample mean of a process with correlation time ~tau_m + tau_s has standard error about
    sigma·√(2(tau_m + tau_s)/T); the variance's relative error is about the same; 4 of each
    bound the test, plus 2 % for the grid (inputs moved to steps of dt = 0.1 ms)."""
    from spikeneuron import free_potential_moments

    rng = np.random.default_rng(0)
    rates = rng.uniform(5.0, 40.0, 300)  # Hz
    weights = rng.normal(0.05, 0.4, 300) * (0.1 if synapse == "exp" else 1.0)  # mV or nA
    model = LIF(v_th=0.0, synapse=synapse)
    duration = 20_000.0
    inputs = poisson_inputs(rates, duration, seed=1)
    run = simulate(model, duration=duration, inputs=inputs, weights=weights, current=0.5, seed=2)
    assert run.spike_steps.size == 0
    v = run.v[int(100.0 / 0.1):, 0]
    mean, std = free_potential_moments(rates, weights, model, current=0.5)
    tau = model.tau_m + (10.0 if synapse == "exp" else 0.0)
    relative = np.sqrt(2 * tau / duration)
    assert abs(v.mean() - mean) < 4 * std * relative + 0.02 * abs(mean - model.v_rest)
    assert abs(v.var() / std**2 - 1) < 4 * relative + 0.02


def test_free_potential_moments_shapes_and_refusals():
    import scipy.sparse

    from spikeneuron import ValidationError, free_potential_moments

    weights = np.array([[0.5, 1.0], [-1.0, 0.0]])
    mean, std = free_potential_moments([1000.0, 500.0], weights, LIF(), current=[0.0, 1.0])
    sparse = free_potential_moments([1000.0, 500.0], scipy.sparse.csr_matrix(weights), LIF(),
                                    current=[0.0, 1.0])
    np.testing.assert_allclose(sparse, (mean, std))
    # closed forms: column 0: -70 + 10·(0.5 − 0.5), √(5·(0.25 + 0.5)); column 1: -70 + 10 + 10·1
    np.testing.assert_allclose(mean, [-70.0, -50.0])
    np.testing.assert_allclose(std, [np.sqrt(5 * 0.75), np.sqrt(5.0)])
    with pytest.raises(ValidationError, match="'rates_hz' parameter of free_potential_moments"):
        free_potential_moments([-1.0], [1.0], LIF())
    with pytest.raises(ValidationError, match="'weights' parameter of free_potential_moments"):
        free_potential_moments([1.0, 2.0], [1.0], LIF())
    with pytest.raises(TypeError, match="'model' parameter of free_potential_moments"):
        free_potential_moments([1.0], [1.0], "LIF")


# --- Fano factor and synchrony ------------------------------------------------------------

def test_fano_factor_of_poisson_trains_is_one_and_of_a_clock_zero():
    """200 Poisson trains at 20 Hz, 100 windows of 100 ms: each neuron's variance-to-mean
    ratio has a standard error of about sqrt(2/99) (chi-squared with 99 degrees of freedom),
    the mean over 200 neurons sqrt(2/99/200) = 0.01: within 0.05 of 1."""
    from spikeneuron import fano_factor, poisson_inputs

    trains = poisson_inputs(np.full(200, 20.0), 10_000.0, seed=1).to_list()
    assert abs(fano_factor(trains, 10_000.0, window_ms=100.0) - 1.0) < 0.05
    clock = [np.arange(5.0, 1000.0, 10.0)] * 3  # 10 spikes in every 100-ms window
    assert fano_factor(clock, 1000.0, window_ms=100.0) == 0.0
    assert np.isnan(fano_factor([[], []], 1000.0))


def test_synchrony_is_one_for_identical_trains_and_about_one_over_root_n_for_independent():
    from spikeneuron import poisson_inputs, synchrony

    trains = poisson_inputs(np.full(400, 20.0), 5_000.0, seed=2).to_list()
    assert synchrony([trains[0]] * 50, 5_000.0) == pytest.approx(1.0)
    # independent neurons: chi^2 = 1/N up to sampling error (1000 bins: a few per cent)
    assert synchrony(trains, 5_000.0) == pytest.approx(1.0 / np.sqrt(400), rel=0.1)
