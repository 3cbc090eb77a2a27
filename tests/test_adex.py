"""AdEx against a tight event-located integration (solve_ivp, rtol 1e-10, each reset at the
exact crossing of v_peak) on Naud et al. (2008)'s firing patterns, the order of the scheme,
and its rules: inputs, refractoriness, what is recorded."""

import numpy as np
import pytest

from spikeneuron import AdEx, ExpSynapse, _kernels, simulate
from spikeneuron.models.adex import FIRING_PATTERNS
from spikeneuron.models.reference import forward_euler_spike_times, reference_run

#: A fast backend for the long accuracy runs (the backends are tested against each other in
#: test_backends.py); without numba, only dt = 0.1 ms runs, on numpy.
FAST = "numba" if _kernels.available else "numpy"
DURATION = 600.0
REGULAR = [name for name in FIRING_PATTERNS if name != "irregular"]


@pytest.fixture(scope="module")
def references():
    return {name: reference_run(AdEx(**parameters), current, DURATION)
            for name, (parameters, current) in FIRING_PATTERNS.items()}


def _ours(name, dt, **changes):
    parameters, current = FIRING_PATTERNS[name]
    return simulate(AdEx(**parameters).with_(**changes), duration=DURATION, dt=dt,
                    current=current, record_v=False, backend=FAST).spike_times[0]


def first_ten_error(spikes, reference):
    return float(np.max(np.abs(spikes[:10] - reference[:10])))


@pytest.mark.slow
@pytest.mark.parametrize("dt, target", [(0.1, 0.5), pytest.param(
    0.01, 0.05, marks=pytest.mark.skipif(FAST == "numpy", reason="numba not installed"))])
@pytest.mark.parametrize("name", REGULAR)
def test_regular_patterns_match_the_reference(references, name, dt, target):
    """The issue's targets (same count; first ten spikes within 0.5 ms at dt 0.1 ms, 0.05 ms
    at 0.01 ms), and the method's own accuracy: the error is about KAPPA³·h (see
    located_reset), measured at most 6e-6 ms at dt 0.1 ms, so 1e-4 ms leaves room for the
    reference's own error without letting a real fault pass."""
    reference = references[name]
    spikes = _ours(name, dt)
    assert spikes.size == reference.size > 0
    error = first_ten_error(spikes, reference)
    assert error <= target
    assert error <= 1e-4


@pytest.mark.slow
def test_the_irregular_pattern_keeps_its_count(references):
    """Chaotic: nearby trajectories part, so only the count is compared (within 15 %)."""
    reference = references["irregular"]
    spikes = _ours("irregular", 0.1)
    assert abs(spikes.size - reference.size) <= 0.15 * reference.size


def test_forward_euler_misses_the_targets():
    """The comparison is a real one: forward Euler with the threshold on the grid is
    milliseconds off on the first ten spikes at dt 0.1 ms (Brian2's default)."""
    parameters, current = FIRING_PATTERNS["tonic"]
    model = AdEx(**parameters)
    reference = reference_run(model, current, 150.0)
    euler = forward_euler_spike_times(model, current, 150.0, 0.1)
    assert first_ten_error(euler, reference) > 0.5


def test_spike_time_error_is_first_order_with_a_small_constant():
    """The derivation (located_reset): RK4's own O(h⁴) on the grid is negligible; the error is
    made on the sub-stepped upswing, whose duration is ~h/KAPPA, at KAPPA⁴ relative: E ≈ C·h.
    Fit log E against log h: the slope is 1 (within 0.3), and E stays below 1e-4·h/ms."""
    parameters, current = FIRING_PATTERNS["tonic"]
    model = AdEx(**parameters)
    reference = reference_run(model, current, 100.0, rtol=1e-12, atol=1e-12)
    steps = np.array([1.0, 0.5, 0.25, 0.125])
    errors = np.array([first_ten_error(simulate(model, duration=100.0, dt=dt, current=current,
                                                record_v=False, backend=FAST).spike_times[0],
                                       reference) for dt in steps])
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - 1.0) < 0.3, (slope, errors)
    assert np.all(errors <= 1e-4 * steps), errors


def test_sub_threshold_trace_matches_the_reference():
    """Below rheobase there is no reset: the trace is RK4's on the grid, O(h⁴)."""
    model = AdEx()
    _, t, v, w = reference_run(model, 0.15, 200.0, dense_dt=0.1)
    result = simulate(model, duration=200.0, dt=0.1, current=0.15, record_vars=["w"])
    assert result.spike_counts[0] == 0
    np.testing.assert_allclose(result.v[:, 0], v, atol=1e-7)
    np.testing.assert_allclose(result.traces["w"][:, 0], w, atol=1e-9)


def test_refractory_period_holds_v_and_matches_the_reference():
    parameters, current = FIRING_PATTERNS["adaptation"]
    model = AdEx(**parameters, t_ref=2.0)
    reference = reference_run(model, current, 200.0)
    result = simulate(model, duration=200.0, dt=0.1, current=current, record_vars=["w"])
    spikes = result.spike_times[0]
    assert spikes.size == reference.size > 3
    assert first_ten_error(spikes, reference) <= 1e-4
    first = spikes[0]
    held = (result.t > first + 1e-9) & (result.t <= first + 2.0 - 1e-9)
    np.testing.assert_array_equal(result.v[held, 0], model.v_reset)


def test_spike_times_are_the_located_crossings_not_the_grid():
    result = simulate(AdEx(), duration=100.0, dt=0.1, current=0.5, record_v=False)
    times = result.spike_times[0]
    off_grid = np.abs(times / 0.1 - np.round(times / 0.1))
    assert times.size > 3 and np.all(off_grid > 1e-6)
    assert np.all(result.spike_lags >= 0.0) and np.all(result.spike_lags < 0.1)


def test_a_delta_input_over_v_peak_is_a_spike_at_its_grid_time():
    model = AdEx()
    result = simulate(model, duration=20.0, dt=0.1, inputs=[[5.0]], weights=[80.0],
                      record_vars=["w"])
    np.testing.assert_allclose(result.spike_times[0], [5.0])
    step = 50
    assert result.v[step, 0] == model.v_reset


def test_an_input_below_v_peak_is_a_jump_of_v():
    model = AdEx()
    result = simulate(model, duration=20.0, dt=0.1, inputs=[[5.0]], weights=[4.0])
    assert result.v[50, 0] - result.v[49, 0] == pytest.approx(4.0, abs=1e-3)
    assert result.spike_counts[0] == 0


def test_exponential_synapse_current_decays_exactly_within_the_step():
    """One input of w nA into an exp synapse against the same current injected as a fine
    piecewise-constant step function: they converge to the same trace."""
    model = AdEx(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))
    by_synapse = simulate(model, duration=30.0, dt=0.1, inputs=[[0.0]], weights=[0.3])
    fine = 0.001
    times = np.arange(int(round(30.0 / fine))) * fine
    injected = simulate(AdEx(), duration=30.0, dt=fine, current=0.3 * np.exp(-(times + fine / 2) / 5.0),
                        record_v=True)
    np.testing.assert_allclose(by_synapse.v[:, 0], injected.v[::100, 0], atol=2e-4)


def test_w_is_recordable_and_jumps_by_b():
    parameters, current = FIRING_PATTERNS["adaptation"]
    model = AdEx(**parameters)
    result = simulate(model, duration=100.0, dt=0.1, current=current, record_vars=["w"])
    w = result.traces["w"][:, 0]
    assert w[0] == 0.0
    jumps = np.diff(w)[result.spike_steps - 1]
    np.testing.assert_allclose(jumps, model.b, atol=2e-3)


def test_nullclines_meet_at_the_fixed_point():
    model = AdEx()
    v = np.linspace(-80.0, -45.0, 3501)
    gap = model.v_nullcline(v) - model.w_nullcline(v)
    crossing = v[np.argmin(np.abs(gap))]
    result = simulate(model, duration=2000.0, dt=0.5, record_v=True)
    assert result.v[-1, 0] == pytest.approx(crossing, abs=0.02)


def test_conductance_synapses_match_a_tight_integration():
    """One excitatory (4 nS) and one inhibitory (15 nS) conductance input, sub-threshold:
    the RK4 step sees each conductance decay exactly and the driving force at every stage,
    so the trace is within 1e-7 mV of solve_ivp's (integrated piecewise between the inputs)."""
    import math

    from scipy.integrate import solve_ivp

    from spikeneuron import CondExpSynapse

    model = AdEx(synapse=CondExpSynapse(tau_ex=5.0, tau_in=10.0))
    w_ex, w_in = 4.0, 15.0
    result = simulate(model, duration=60.0, dt=0.1, inputs=[[10.0], [30.0]],
                      weights=[w_ex, -w_in], current=0.1, record_vars=["g_ex", "g_in"])

    def f(t, y):
        v, w = y
        g_ex = w_ex * math.exp(-(t - 10.0) / 5.0) if t >= 10.0 else 0.0
        g_in = w_in * math.exp(-(t - 30.0) / 10.0) if t >= 30.0 else 0.0
        synaptic = g_ex * (0.0 - v) + g_in * (-80.0 - v)  # pA
        dv = (-model.g_l * (v - model.e_l) + model.g_l * model.delta_t
              * math.exp((v - model.v_t) / model.delta_t) - 1000.0 * w + 100.0 + synaptic) / model.c_m
        return [dv, (model.a * (v - model.e_l) / 1000.0 - w) / model.tau_w]

    grid = np.arange(601) * 0.1
    state, pieces = [model.e_l, 0.0], []
    for start, stop in ((0.0, 10.0), (10.0, 30.0), (30.0, 60.0)):
        inside = grid[(grid >= start - 1e-9) & (grid <= stop + 1e-9)]
        solution = solve_ivp(f, (start, stop), state, method="DOP853", rtol=1e-11, atol=1e-11,
                             t_eval=inside)
        pieces.append(solution.y[0] if start == 0.0 else solution.y[0][1:])
        state = solution.y[:, -1]
    assert result.spike_counts[0] == 0
    np.testing.assert_allclose(result.v[:, 0], np.concatenate(pieces), atol=1e-7)
    assert result.traces["g_in"][305, 0] == pytest.approx(w_in * math.exp(-0.05))
    assert result.traces["g_ex"][99, 0] == 0.0
