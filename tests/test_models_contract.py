"""Checks every neuron model must pass (the list is MODELS in conftest.py); those that need
exact integration and a closed-form rate run on the LIF variants only."""

import numpy as np
import pytest

from spikeneuron import lif_rate, poisson_inputs, simulate


def test_shapes(any_model):
    result = simulate(any_model, duration=20.0, dt=0.05, current=[0.5, 3.0])
    assert result.t.shape == (401,) and result.v.shape == (401, 2)
    assert len(result.spike_times) == 2 and result.rates.shape == (2,)


def test_same_input_same_spikes(any_model):
    trains = poisson_inputs(np.full(50, 30.0), 300.0, seed=5)
    weights = np.linspace(-1.0, 3.0, 50)
    a = simulate(any_model, duration=300.0, dt=0.05, inputs=trains, weights=weights, seed=1)
    b = simulate(any_model, duration=300.0, dt=0.05, inputs=trains, weights=weights, seed=1)
    np.testing.assert_array_equal(a.spike_steps, b.spike_steps)
    np.testing.assert_array_equal(a.v, b.v)


def test_no_input_stays_at_rest(exact_model):
    result = simulate(exact_model, duration=50.0)
    np.testing.assert_array_equal(result.v[:, 0], exact_model.v_rest)
    assert result.spike_counts[0] == 0


@pytest.mark.parametrize("current", [1.8, 3.0])
def test_rate_under_constant_current_matches_the_closed_form(exact_model, current):
    """Count over 1 s against 1000/T: the grid adds < dt per period and the count can miss
    the last partial period, so the rate lies within rate·dt/T + 1 Hz of the closed form."""
    result = simulate(exact_model, duration=1000.0, current=current, record_v=False)
    expected = lif_rate(current, exact_model)
    assert abs(result.rates[0] - expected) <= expected * 0.1 * expected / 1000.0 + 1.0 + 1e-9


def test_a_batch_equals_its_neurons_one_by_one(any_model):
    """Neurons of a batch do not interact: each one's spikes are those it has alone."""
    currents = [0.3, 0.6, 12.0] if type(any_model).__name__ == "Izhikevich" else [0.3, 0.6, 2.5]
    batch = simulate(any_model, duration=100.0, dt=0.05, current=currents, record_v=False)
    for neuron, current in enumerate(currents):
        alone = simulate(any_model, duration=100.0, dt=0.05, current=current, record_v=False)
        np.testing.assert_allclose(batch.spike_times[neuron], alone.spike_times[0], rtol=0, atol=1e-9)
    assert batch.spike_counts.sum() > 0
