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
    kwargs.setdefault("backend", "numpy")
    reference = simulate(model, record_v=True, **kwargs)
    fast = simulate(model, record_v=False, **kwargs)
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


# --- V landing exactly on v_th: the step path fires (V >= v_th), so must the fast paths -------

def test_one_input_that_lifts_v_exactly_to_threshold_fires_in_both_paths():
    """From rest, one input of exactly v_th − v_rest = 15 mV puts V on −55 mV to the bit, and
    the step path fires at the input's step. The bulk trajectory of the event path is rounded
    differently: before near ties were replayed it missed 46 of these 271 times (14.9 ms the
    first); the times cross the engine's chunks of 4096 steps."""
    neuron = LIF(v_rest=-70.0, v_th=-55.0)
    times = np.round(np.arange(0.1, 1000.0, 3.7), 1)
    for time in times[::30]:  # the step path (slow) on a few: it fires at the input's step
        reference = simulate(neuron, duration=1010.0, inputs=[[time]], weights=[15.0],
                             backend="numpy")
        np.testing.assert_array_equal(reference.spike_steps, [round(time / 0.1)])
    for time in times:
        fast = simulate(neuron, duration=1010.0, inputs=[[time]], weights=[15.0], record_v=False)
        np.testing.assert_array_equal(fast.spike_steps, [round(time / 0.1)])


@pytest.mark.parametrize("weights", [[10.0, 5.0], [20.0, -5.0], [7.5, 7.5]])
def test_inputs_summing_exactly_to_threshold_fire_after_every_reset(weights):
    """A volley every 5 ms whose weights sum to exactly 15 mV; V is reset to v_rest, where it
    stays exactly, so every volley lands on v_th after a reset (the replay starts there)."""
    volley = np.arange(1.0, 600.0, 5.0)
    for t_ref in (0.0, 2.0):
        reference, fast = both_paths(LIF(t_ref=t_ref), duration=600.0, inputs=[volley] * 2,
                                     weights=weights, backend="numpy")
        assert reference.spike_counts[0] == volley.size
        assert_same_spikes(reference, fast)


# (tau_m, r_m, v_rest, v_th, dt): LIFs whose constant current r_m I = v_th − v_rest puts the
# fixed point on the threshold, where the step path's rounding decides whether V ever reaches
# v_th. The first four disagreed before the event path rounded its bracket as the step path.
FIXED_POINT_ON_THRESHOLD = [(2.0, 1.0, -71.3, -51.3, 0.05), (2.0, 10.0, -70.0, -55.0, 0.2),
                            (10.0, 5.0, -65.0, -55.0, 0.01), (5.0, 100.0, -71.3, -56.3, 0.2),
                            (10.0, 10.0, -70.0, -55.0, 0.1), (20.0, 3.0, -60.0, -53.0, 0.1)]


@pytest.mark.parametrize("tau_m, r_m, v_rest, v_th, dt", FIXED_POINT_ON_THRESHOLD)
def test_constant_current_with_its_fixed_point_on_threshold(tau_m, r_m, v_rest, v_th, dt):
    model = LIF(tau_m=tau_m, r_m=r_m, v_rest=v_rest, v_reset=v_rest, v_th=v_th, t_ref=dt)
    # the current, and its neighbours a few roundings away on either side
    currents = (v_th - v_rest) / r_m * (1.0 + np.arange(-8, 9) * 2.0**-52)
    reference, fast = both_paths(model, duration=300.0, dt=dt, current=currents, backend="numpy")
    assert_same_spikes(reference, fast)
    for i in range(0, currents.size, 4):  # and one neuron at a time (the same event path)
        single = simulate(model, duration=300.0, dt=dt, current=currents[i], record_v=False)
        np.testing.assert_array_equal(single.spike_times[0], reference.spike_times[i])


def test_block_replay_is_bit_for_bit_when_given_the_parts_of_each_increment():
    """lif_events.advance_block decides near ties by the step path's arithmetic,
    ((V − v_rest)·P + drive) + jump; given drive and jumps apart it matches the step path
    spike for spike, here at a fixed point on threshold nudged by inputs of 1e-13 mV."""
    from spikeneuron.models import lif_events

    rng = np.random.default_rng(1)
    for _ in range(25):
        model = LIF(tau_m=float(rng.choice([5.0, 10.0, 7.3])), r_m=float(rng.choice([1.0, 3.0, 10.0])),
                    t_ref=0.0)
        current = (model.v_th - model.v_rest) / model.r_m * (1 + int(rng.integers(-4, 5)) * 2.0**-52)
        jumps = np.zeros(3000)
        jumps[rng.integers(2000, 3000, 3)] = rng.choice([1e-13, -1e-13, 2e-14, 0.5, -0.5], 3)
        stepper = model.integrator(0.1, 1)
        reference = [k for k in range(jumps.size)
                     if stepper.step(np.array([current]), np.array([[jumps[k]]]) if jumps[k] else None)[0]]
        block = model.integrator(0.1, 1)
        gain = block.current_gain
        offsets = lif_events.advance_block(block, gain * current + jumps,
                                           drive=model.v_rest + gain * current, jumps=jumps)
        assert offsets.tolist() == reference
        assert block.v[0] == pytest.approx(stepper.v[0], abs=1e-9)  # carried on in bulk


def test_current_at_threshold_fixed_point_plus_a_tiny_input_agrees():
    """tau_m 5 ms, r_m 1 MΩ, I = 15 nA: the fixed point is v_th; an input of 1e-13 mV at 300 ms.
    The step path stays below v_th; the block path, which cannot tell the current's rounding
    from the input's, fires at 300 ms."""
    model = LIF(tau_m=5.0, r_m=1.0, t_ref=0.0)
    reference, fast = both_paths(model, duration=400.0, current=15.0, inputs=[[300.0]],
                                 weights=[1e-13], backend="numpy")
    assert_same_spikes(reference, fast)
