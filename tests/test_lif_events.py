"""Event-driven fast paths against the step-by-step reference path, spike for spike.

Recording the potential forces the step-by-step path; spikes only (record_v=False) lets the
engine take a fast path where one applies. Both must give the same spikes. (The compiled
backend is tested against the same reference in test_backends.py.)
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikeneuron import LIF, ExpSynapse, lif_rate, poisson_inputs, simulate


def both_paths(model, **kwargs):
    # The reference records (step by step, numpy); the event-driven paths are numpy's way of
    # advancing without a record (with numba installed, the default backend compiles instead).
    reference = simulate(model, record_v=True, backend="numpy", **kwargs)
    fast = simulate(model, record_v=False, backend="numpy", **kwargs)
    return reference, fast


def assert_same_spikes(reference, fast):
    assert len(reference.spike_times) == len(fast.spike_times)
    for a, b in zip(reference.spike_times, fast.spike_times):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("model", [LIF(), LIF(t_ref=0.0), LIF(t_ref=5.0, v_reset=-75.0),
                                   LIF(synapse=ExpSynapse())], ids=["default", "no-ref", "ref5", "exp"])
def test_constant_current_sweep(model):
    currents = np.linspace(0.0, 6.0, 301)  # through rheobase, many at the edge
    reference, fast = both_paths(model, duration=400.0, current=currents)
    assert_same_spikes(reference, fast)
    np.testing.assert_array_equal(reference.spike_counts, fast.spike_counts)


def test_constant_current_from_varied_initial_potentials_including_above_threshold():
    v_init = np.linspace(-80.0, -50.0, 61)
    reference, fast = both_paths(LIF(), duration=300.0, current=1.7, v_init=v_init)
    assert fast.spike_counts.max() > 0 and fast.spike_steps.min() == 0
    assert_same_spikes(reference, fast)


def test_constant_current_rates_match_the_grid_closed_form():
    currents = np.linspace(1.6, 4.0, 50)
    fast = simulate(LIF(), duration=5000.0, current=currents, record_v=False)
    # a count over 5 s holds every whole period, give or take one spike: 0.2 Hz
    np.testing.assert_allclose(fast.rates, lif_rate(currents, LIF(), dt=0.1), atol=0.2 + 1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), rate=st.floats(1.0, 40.0), t_ref=st.sampled_from([0.0, 0.1, 2.0, 7.3]),
       current=st.floats(-1.0, 2.0), duration=st.floats(100.0, 1200.0))
def test_one_neuron_under_poisson_input(seed, rate, t_ref, current, duration):
    """Durations up to 1.2 s cross the engine's chunks of 4096 steps, with refractory periods
    that run over a chunk boundary."""
    trains = poisson_inputs(np.full(300, rate), duration, seed=seed)
    weights = np.random.default_rng(seed).normal(0.3, 1.2, 300)
    reference, fast = both_paths(LIF(t_ref=t_ref), duration=duration, inputs=trains,
                                 weights=weights, current=current)
    assert_same_spikes(reference, fast)


def test_block_path_with_a_time_varying_current_and_refractory_at_chunk_edges():
    t = np.arange(20_000) * 0.1
    current = 2.0 + 1.5 * np.sin(2 * np.pi * t / 50.0)
    trains = poisson_inputs(np.full(100, 20.0), 2000.0, seed=8)
    weights = np.linspace(-2.0, 2.0, 100)
    reference, fast = both_paths(LIF(t_ref=3.0), duration=2000.0, current=current,
                                 inputs=trains, weights=weights, n=1)
    assert reference.spike_counts[0] > 50
    assert_same_spikes(reference, fast)


def test_w1_like_workload_agrees():
    trains = poisson_inputs(np.full(1000, 10.0), 3000.0, seed=1)
    weights = np.r_[np.full(800, 0.5), np.full(200, -1.0)]
    reference, fast = both_paths(LIF(), duration=3000.0, inputs=trains, weights=weights)
    assert reference.spike_counts[0] > 100
    assert_same_spikes(reference, fast)
