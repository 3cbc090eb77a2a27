"""The LIF model against mathematics: closed-form trajectories, PSPs, periods, reset.

Exact integration is exact at grid points: the only error left is floating-point rounding,
about 1e-16 relative per step, so after a few thousand steps at |V| ~ 70 mV it stays far below
the 1e-9 mV required here.
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from spikeneuron import LIF, CoarseTimeStepWarning, ExpSynapse, ValidationError, lif_period, simulate

EXACT_MV = 1e-9


# --- parameters -------------------------------------------------------------------------

@pytest.mark.parametrize("name, value, allowed", [
    ("tau_m", 0.0, r"range \(0, inf\)"),
    ("tau_m", -5.0, r"range \(0, inf\)"),
    ("tau_m", math.inf, "finite"),
    ("t_ref", -1.0, r"range \[0, inf\)"),
    ("r_m", 0.0, r"range \(0, inf\)"),
    ("v_th", math.nan, "finite"),
])
def test_bad_parameters_are_named_with_value_and_allowed_range(name, value, allowed):
    with pytest.raises(ValidationError, match=rf"'{name}' parameter of LIF must be .*{allowed}"):
        LIF(**{name: value})


def test_reset_must_lie_below_threshold():
    with pytest.raises(ValidationError, match=r"'v_reset' parameter of LIF must be below v_th = -55 mV\. Got -50\.0"):
        LIF(v_reset=-50.0)
    with pytest.raises(ValidationError, match="v_reset"):
        LIF(v_reset=-55.0)


# Parameters whose exact propagators would overflow are refused before anything runs (at
# construction when it does not depend on dt, else when the integrator is made); what passes,
# however extreme, runs finite, on the step path and on the event-driven ones.

def test_potentials_must_lie_a_finite_distance_apart():
    with pytest.raises(ValidationError, match=r"'v_th' parameter of LIF must be a finite distance "
                                              r"\(in floating point\) from v_rest = -1e\+308 mV\. Got 1e\+308"):
        LIF(v_rest=-1e308, v_reset=-1e308, v_th=1e308)
    with pytest.raises(ValidationError, match="'v_th' parameter of LIF .* from v_reset"):
        LIF(v_rest=0.0, v_reset=-1.7e308, v_th=1.7e308)
    assert LIF(v_rest=-1e307, v_reset=-1e307, v_th=1e307).v_th == 1e307


def test_exponential_synapses_need_a_tau_m_the_time_step_can_propagate():
    """The synaptic propagator goes through e^{dt/tau_m}: at dt = 0.1 ms a tau_m under
    0.1/(700 + 0.1/5) = 0.000143 ms overflows. That depends on dt, so it is refused when the
    integrator is made (before any step), and the same neuron runs at a finer step."""
    fast = LIF(tau_m=1e-5, synapse="exp")
    with pytest.raises(ValidationError, match=r"'tau_m' parameter of LIF must be at least "
                                              r"0\.000143 ms with exponential synapses with tau_ex = "
                                              r"5 ms at dt = 0\.1 ms .* Got 1e-05 instead\."):
        fast.integrator(0.1, 1)
    with pytest.raises(ValidationError, match="'tau_m' parameter of LIF"):
        simulate(fast, duration=1.0, inputs=[[0.5]], weights=[1.0])
    with pytest.warns(CoarseTimeStepWarning):
        result = simulate(fast, duration=0.1, dt=0.001, inputs=[[0.05]], weights=[1.0])
    assert np.all(np.isfinite(result.v))


@pytest.mark.parametrize("changes", [
    dict(tau_m=1e-300), dict(tau_m=1e300), dict(tau_m=1.7e308, synapse="exp"), dict(r_m=1e-300),
    dict(r_m=1e300), dict(r_m=1e300, synapse="exp"), dict(synapse=ExpSynapse(1e-300, 1e300)),
    dict(v_rest=-1e307, v_reset=-1e307, v_th=1e307), dict(t_ref=2e8),
    dict(tau_m=0.5, r_m=500.0, v_th=-40.0, v_reset=-80.0),  # unusual but physiological
])
@pytest.mark.parametrize("record_v", [True, False], ids=["steps", "events"])
def test_the_most_extreme_accepted_parameters_run_finite(changes, record_v):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        warnings.simplefilter("ignore", CoarseTimeStepWarning)
        result = simulate(LIF(**changes), duration=20.0, current=1.0, inputs=[[5.0], [9.0]],
                          weights=[3.0, -2.0], record_v=record_v, backend="numpy")
        constant = simulate(LIF(**changes), duration=20.0, current=1.0, record_v=record_v)
    assert result.v is None or np.all(np.isfinite(result.v))
    assert constant.v is None or np.all(np.isfinite(constant.v))


def test_a_refractory_period_longer_than_its_counter_is_refused_at_the_integrator():
    with pytest.raises(ValidationError, match=r"'t_ref' parameter of LIF must be at most "
                                              r"2147483646 steps of dt = 0\.1 ms"):
        LIF(t_ref=1e300).integrator(0.1, 1)
    LIF(t_ref=1e300).integrator(1e295, 1)  # dt-dependent: at a long enough step it is fine


def test_parameters_of_wrong_type_raise_type_error():
    with pytest.raises(TypeError, match="'tau_m' parameter of LIF must be a number"):
        LIF(tau_m="10")
    with pytest.raises(ValidationError, match="'synapse' parameter of LIF"):
        LIF(synapse="nmda")
    with pytest.raises(TypeError):
        LIF(tau=10.0)  # unknown keyword


def test_model_is_immutable_and_copied_with_changes():
    neuron = LIF()
    with pytest.raises(dataclasses.FrozenInstanceError):
        neuron.tau_m = 20.0
    changed = neuron.with_(tau_m=20.0)
    assert (neuron.tau_m, changed.tau_m) == (10.0, 20.0)
    with pytest.raises(ValidationError):
        neuron.with_(tau_m=-1.0)


# --- sub-threshold dynamics -------------------------------------------------------------

@pytest.mark.parametrize("dt", [0.1, 0.25, 1.0])
def test_subthreshold_relaxation_equals_closed_form_at_every_grid_point(dt):
    neuron = LIF(tau_m=10.0, v_rest=-70.0, v_th=-40.0, r_m=10.0)
    current, v0 = 1.2, -75.0  # steady state -58 mV, below threshold
    with pytest.warns(CoarseTimeStepWarning) if dt > 1.0 else _no_warning():
        result = simulate(neuron, duration=200.0, dt=dt, current=current, v_init=v0)
    v_inf = neuron.v_rest + neuron.r_m * current
    expected = v_inf + (v0 - v_inf) * np.exp(-result.t / neuron.tau_m)
    assert result.spike_counts[0] == 0
    np.testing.assert_allclose(result.v[:, 0], expected, rtol=0, atol=EXACT_MV)


def test_piecewise_constant_current_is_integrated_exactly():
    """A current step at 30 ms: the value at t_k acts over [t_k, t_k+1)."""
    neuron, dt = LIF(v_th=0.0), 0.1
    t = np.arange(1000) * dt
    current = np.where(t >= 30.0, 1.0, 0.0)
    result = simulate(neuron, duration=100.0, dt=dt, current=current)
    after = np.clip(result.t - 30.0, 0.0, None)
    expected = neuron.v_rest + neuron.r_m * 1.0 * -np.expm1(-after / neuron.tau_m)
    np.testing.assert_allclose(result.v[:, 0], expected, atol=EXACT_MV)


def test_single_psp_jumps_by_its_weight_and_decays_with_tau_m():
    neuron, dt, weight = LIF(), 0.1, 3.5
    result = simulate(neuron, duration=80.0, dt=dt, inputs=[[20.0]], weights=[weight])
    v = result.v[:, 0] - neuron.v_rest
    k = 200  # the input acts at grid time 20 ms
    assert v[k - 1] == 0.0
    assert v[k] == pytest.approx(weight, abs=EXACT_MV)
    after = result.t[k:] - 20.0
    np.testing.assert_allclose(v[k:], weight * np.exp(-after / neuron.tau_m), atol=EXACT_MV)


def test_inhibition_lowers_the_potential_and_cancels_equal_excitation():
    neuron = LIF()
    result = simulate(neuron, duration=50.0, inputs=[[10.0], [30.0], [30.0]],
                      weights=[-4.0, 4.0, -4.0])
    v = result.v[:, 0]
    assert v[100] == pytest.approx(neuron.v_rest - 4.0, abs=EXACT_MV)
    # excitation and inhibition at the same time: the sum of signed weights, 0
    expected_at_30 = neuron.v_rest - 4.0 * math.exp(-20.0 / neuron.tau_m)
    assert v[300] == pytest.approx(expected_at_30, abs=EXACT_MV)


def test_off_grid_input_is_moved_up_to_the_next_grid_point():
    neuron = LIF()
    late = simulate(neuron, duration=10.0, dt=0.1, inputs=[[2.03]], weights=[1.0])
    v = late.v[:, 0] - neuron.v_rest
    assert v[20] == 0.0 and v[21] == pytest.approx(1.0, abs=EXACT_MV)
    # 0.1*7 = 0.7000000000000001 lies on grid step 7 (within 1e-6 step), not on step 8
    on_grid = simulate(neuron, duration=10.0, dt=0.1, inputs=[[0.1 * 7]], weights=[1.0])
    v = on_grid.v[:, 0] - neuron.v_rest
    assert v[6] == 0.0 and v[7] == pytest.approx(1.0, abs=EXACT_MV)


def test_input_at_time_zero_acts_on_the_initial_state():
    result = simulate(LIF(), duration=1.0, inputs=[[0.0]], weights=[2.0])
    assert result.v[0, 0] == pytest.approx(LIF().v_rest + 2.0, abs=EXACT_MV)


def test_exponential_synapse_psp_matches_closed_form():
    """V(t) = r_m w tau_s/(tau_s - tau_m) (e^{-t/tau_s} - e^{-t/tau_m}) after a spike at 0."""
    tau_ex, tau_in = 5.0, 10.0
    neuron = LIF(tau_m=20.0, synapse=ExpSynapse(tau_ex=tau_ex, tau_in=tau_in))
    result = simulate(neuron, duration=100.0, dt=0.1, inputs=[[10.0], [50.0]], weights=[0.3, -0.2])
    t = result.t

    def kernel(s, weight, tau_s):
        s = np.clip(s, 0.0, None)
        return neuron.r_m * weight * tau_s / (tau_s - neuron.tau_m) * (np.exp(-s / tau_s) - np.exp(-s / neuron.tau_m))

    expected = neuron.v_rest + kernel(t - 10.0, 0.3, tau_ex) + kernel(t - 50.0, -0.2, tau_in)
    np.testing.assert_allclose(result.v[:, 0], expected, atol=EXACT_MV)


def test_exponential_synapse_with_tau_equal_to_tau_m_against_solve_ivp():
    """The degenerate case tau_syn = tau_m (where the textbook formula divides by zero),
    against an independent integration with rtol 1e-10: agreement to 1e-7 mV."""
    neuron = LIF(tau_m=10.0, synapse=ExpSynapse(tau_ex=10.0, tau_in=10.0))
    result = simulate(neuron, duration=60.0, dt=0.1, inputs=[[5.0]], weights=[0.5], current=0.3)

    def rhs(t, y):
        v, i_syn = y
        drive = 0.3 + (i_syn if t >= 5.0 else 0.0)
        return [(-(v - neuron.v_rest) + neuron.r_m * drive) / neuron.tau_m,
                -i_syn / neuron.synapse.tau_ex if t >= 5.0 else 0.0]

    reference = solve_ivp(rhs, (0.0, 5.0), [neuron.v_rest, 0.0], rtol=1e-12, atol=1e-12)
    after = solve_ivp(rhs, (5.0, 60.0), [reference.y[0, -1], 0.5], rtol=1e-12, atol=1e-12,
                      t_eval=result.t[50:])
    np.testing.assert_allclose(result.v[50:, 0], after.y[0], atol=1e-7)


# --- spikes, reset and refractoriness ----------------------------------------------------

@pytest.mark.parametrize("current", [1.6, 2.0, 3.3, 7.0])
@pytest.mark.parametrize("dt", [0.1, 0.05])
def test_interspike_interval_within_one_step_of_the_analytic_period(current, dt):
    neuron = LIF()
    result = simulate(neuron, duration=500.0, dt=dt, current=current, record_v=False)
    intervals = np.diff(result.spike_times[0])
    period = float(lif_period(current, neuron))
    assert intervals.size > 5
    # the grid delays each crossing to the next step: period <= ISI < period + dt
    assert np.all(intervals >= period - 1e-9)
    assert np.all(intervals < period + dt)
    np.testing.assert_allclose(intervals, float(lif_period(current, neuron, dt=dt)), atol=1e-9)


def test_spike_resets_and_holds_for_the_refractory_period():
    neuron, dt = LIF(t_ref=2.0), 0.1
    # one strong input at 10 ms fires the neuron; a second one at 11 ms falls in the
    # refractory period and is discarded; a third at 12.1 ms acts again
    result = simulate(neuron, duration=20.0, dt=dt, inputs=[[10.0], [11.0], [12.1]],
                      weights=[20.0, 5.0, 5.0])
    v = result.v[:, 0]
    np.testing.assert_array_equal(result.spike_times[0], [10.0])
    np.testing.assert_array_equal(v[100:121], neuron.v_reset)  # t = 10.0 .. 12.0 ms held
    assert v[121] == pytest.approx(neuron.v_reset + 5.0, abs=EXACT_MV)


def test_input_at_the_last_refractory_step_is_discarded():
    """NEST convention: refractory over (t_spike, t_spike + t_ref]; an input at exactly
    t_spike + t_ref is lost, one step later it counts."""
    neuron = LIF(t_ref=2.0)
    result = simulate(neuron, duration=20.0, inputs=[[10.0], [12.0], [12.1]], weights=[20.0, 3.0, 1.0])
    assert result.v[121, 0] == pytest.approx(neuron.v_reset + 1.0, abs=EXACT_MV)


def test_all_or_none_spike_whatever_the_input_strength():
    weights = np.array([[15.0, 30.0, 300.0]])
    result = simulate(LIF(), duration=5.0, inputs=[[1.0]], weights=weights)
    np.testing.assert_array_equal(result.spike_counts, [1, 1, 1])
    np.testing.assert_array_equal(result.v[10], LIF().v_reset)  # same reset, same event


def test_threshold_is_checked_after_the_input_at_the_same_grid_time():
    result = simulate(LIF(), duration=5.0, inputs=[[1.0]], weights=[15.0])  # exactly to v_th
    np.testing.assert_array_equal(result.spike_times[0], [1.0])


def test_zero_refractory_period_allows_consecutive_spikes():
    result = simulate(LIF(t_ref=0.0), duration=2.0, dt=0.1, current=100.0, record_v=False)
    assert result.spike_counts[0] >= 10


def test_exp_synapse_keeps_receiving_input_during_refractoriness():
    """iaf_psc_exp convention: V is clamped, but synaptic currents still take input."""
    neuron = LIF(t_ref=5.0, synapse=ExpSynapse(tau_ex=2.0, tau_in=10.0))
    alone = simulate(neuron, duration=30.0, inputs=[[5.0]], weights=[100.0])
    t_spike = alone.spike_times[0][0]
    both = simulate(neuron, duration=30.0, inputs=[[5.0], [t_spike + 1.0]], weights=[100.0, -5.0])
    k_spike = int(round(t_spike / 0.1))
    refractory = slice(k_spike, k_spike + 51)
    np.testing.assert_array_equal(both.v[refractory, 0], neuron.v_reset)
    # after the refractory period the inhibition that arrived during it still acts on V
    assert both.v[k_spike + 53, 0] < alone.v[k_spike + 53, 0] - 0.1


def test_refractory_period_not_a_multiple_of_dt_warns():
    with pytest.warns(CoarseTimeStepWarning, match="not a multiple of dt"):
        simulate(LIF(t_ref=2.05), duration=10.0, dt=0.1)


def test_coarse_time_step_warns():
    with pytest.warns(CoarseTimeStepWarning, match="tau_m"):
        simulate(LIF(tau_m=5.0), duration=10.0, dt=1.0)


class _no_warning:
    def __enter__(self):
        import warnings
        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("error", CoarseTimeStepWarning)

    def __exit__(self, *exc):
        return self._catch.__exit__(*exc)
