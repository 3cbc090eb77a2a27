"""Noise models: free-membrane statistics independent of dt, escape-noise hazard and limits."""

import math

import numpy as np
import pytest

from spikeneuron import (
    LIF,
    CoarseTimeStepWarning,
    EscapeNoise,
    MembraneNoise,
    ValidationError,
    poisson_inputs,
    simulate,
)

TAU_M = 10.0


def free_membrane(noise, dt, n=1000, duration=300.0, seed=0):
    """Potentials of n neurons whose threshold is out of reach, after a 50 ms burn-in (5 tau_m)."""
    neuron = LIF(tau_m=TAU_M, v_th=1e6, membrane_noise=noise)
    result = simulate(neuron, duration=duration, dt=dt, n=n, seed=seed)
    start = int(round(50.0 / dt))
    return result.v[start:] - neuron.v_rest, dt


def lagged_correlation(v, dt, lag_ms):
    k = int(round(lag_ms / dt))
    a, b = v[:-k:k].ravel(), v[k::k].ravel()
    return float(np.corrcoef(a, b)[0, 1])


@pytest.mark.parametrize("dt", [0.1, 0.02])
@pytest.mark.parametrize("tau_noise", [0.0, 5.0])
def test_free_membrane_has_the_set_std_and_autocorrelation_at_any_dt(dt, tau_noise):
    """The std is estimated from ~12 000 samples taken 20 ms apart (correlation ≤ e^-2, so at
    least ~8 000 effectively independent): its relative standard error is ≈ 1/sqrt(2·8000) =
    0.8 %, and 4 % is a 5-sigma band. The correlation at one lag is estimated from as many
    pairs, standard error ≈ (1 − ρ²)/sqrt(8000) ≈ 0.01, so 0.05 is a 5-sigma band."""
    sigma = 2.0
    v, dt = free_membrane(MembraneNoise(sigma=sigma, tau=tau_noise), dt)
    samples = v[:: int(round(20.0 / dt))]
    assert abs(samples.mean()) < 0.05 * sigma
    assert samples.std() == pytest.approx(sigma, rel=0.04)
    lag = 10.0
    if tau_noise == 0.0:
        expected = math.exp(-lag / TAU_M)  # OU with time constant tau_m
    else:  # low-pass filtered OU current: two exponentials
        expected = (TAU_M * math.exp(-lag / TAU_M) - tau_noise * math.exp(-lag / tau_noise)) / (TAU_M - tau_noise)
    assert lagged_correlation(v, dt, lag) == pytest.approx(expected, abs=0.05)


def test_zero_noise_equals_the_deterministic_run():
    trains = poisson_inputs(np.full(100, 20.0), 200.0, seed=2)
    weights = np.linspace(-1.0, 2.0, 100)
    quiet = simulate(LIF(membrane_noise=MembraneNoise(sigma=0.0)), duration=200.0, inputs=trains,
                     weights=weights, current=1.0, seed=5)
    plain = simulate(LIF(), duration=200.0, inputs=trains, weights=weights, current=1.0)
    np.testing.assert_allclose(quiet.v, plain.v, atol=1e-12)
    coloured = simulate(LIF(membrane_noise=MembraneNoise(sigma=0.0, tau=3.0)), duration=200.0,
                        inputs=trains, weights=weights, current=1.0, seed=5)
    np.testing.assert_allclose(coloured.v, plain.v, atol=1e-12)


def test_same_seed_same_noise_other_seed_other_noise():
    neuron = LIF(membrane_noise=MembraneNoise(sigma=3.0, tau=2.0), escape_noise=EscapeNoise())
    a = simulate(neuron, duration=200.0, current=1.4, n=20, seed=9)
    b = simulate(neuron, duration=200.0, current=1.4, n=20, seed=9)
    c = simulate(neuron, duration=200.0, current=1.4, n=20, seed=10)
    np.testing.assert_array_equal(a.v, b.v)
    np.testing.assert_array_equal(a.spike_steps, b.spike_steps)
    assert not np.array_equal(a.v, c.v)


def test_escape_noise_with_tiny_delta_u_reproduces_the_deterministic_spike_train():
    trains = poisson_inputs(np.full(200, 20.0), 500.0, seed=4)
    weights = np.r_[np.full(160, 0.6), np.full(40, -1.0)]
    hard = simulate(LIF(), duration=500.0, inputs=trains, weights=weights, current=0.5)
    soft = simulate(LIF(escape_noise=EscapeNoise(delta_u=1e-9, tau_esc=1.0)), duration=500.0,
                    inputs=trains, weights=weights, current=0.5, seed=1)
    assert hard.spike_counts[0] > 20
    np.testing.assert_array_equal(soft.spike_times[0], hard.spike_times[0])


def test_escape_noise_fires_at_the_hazard_rate():
    """V pinned 2 mV below threshold (v_rest = v_reset, no input, no refractoriness): spikes
    are Bernoulli per step with p = 1 − exp(−ρ dt), ρ = e^{−2}/τ_esc. Expected ≈ 13 500 spikes
    over 1000 neuron-seconds; Poisson standard error ≈ 116, so 4 % is a 4.6-sigma band."""
    escape = EscapeNoise(delta_u=1.0, tau_esc=10.0)
    neuron = LIF(v_rest=-57.0, v_reset=-57.0, v_th=-55.0, t_ref=0.0, escape_noise=escape)
    result = simulate(neuron, duration=1000.0, dt=0.1, n=1000, record_v=False, seed=3)
    p = -math.expm1(-math.exp(-2.0) / 10.0 * 0.1)
    assert result.spike_counts.sum() == pytest.approx(1000 * 10_000 * p, rel=0.04)
    assert escape.spike_probability(-55.0, -55.0, 0.1) == pytest.approx(-math.expm1(-0.01))


def test_escape_noise_respects_the_refractory_period():
    neuron = LIF(t_ref=5.0, escape_noise=EscapeNoise(delta_u=1.0, tau_esc=0.01), v_rest=-50.0)
    result = simulate(neuron, duration=200.0, n=50, record_v=False, seed=0)
    intervals = np.concatenate([np.diff(times) for times in result.spike_times])
    assert intervals.size > 100 and intervals.min() >= 5.1 - 1e-9


@pytest.mark.parametrize("make, error, message", [
    (lambda: MembraneNoise(sigma=-1.0), ValidationError, "'sigma' parameter of MembraneNoise"),
    (lambda: MembraneNoise(sigma=1.0, tau=-2.0), ValidationError, "'tau' parameter of MembraneNoise"),
    (lambda: EscapeNoise(delta_u=0.0), ValidationError, "'delta_u' parameter of EscapeNoise"),
    (lambda: EscapeNoise(tau_esc=math.nan), ValidationError, "'tau_esc' parameter of EscapeNoise"),
    (lambda: LIF(membrane_noise=2.0), TypeError, "'membrane_noise' parameter of LIF must be a MembraneNoise"),
    (lambda: LIF(escape_noise="soft"), TypeError, "'escape_noise' parameter of LIF must be an EscapeNoise"),
])
def test_bad_noise_parameters(make, error, message):
    with pytest.raises(error, match=message):
        make()


# Coloured noise whose exact propagator cannot be computed is refused at construction (the
# limits do not depend on dt); the rest, however extreme, gives finite runs with the set std.

@pytest.mark.parametrize("changes", [
    dict(membrane_noise=MembraneNoise(sigma=1.0, tau=1e-300)),  # once: NaN at run time
    dict(r_m=1e-300, membrane_noise=MembraneNoise(sigma=1.0, tau=5.0)),  # once: OverflowError
    dict(membrane_noise=MembraneNoise(sigma=1.7e308, tau=5.0)),  # once: OverflowError
    dict(tau_m=1.7e308, membrane_noise=MembraneNoise(sigma=1.0, tau=5.0)),  # once: LinAlgError
])
def test_coloured_noise_beyond_floating_point_is_refused_at_construction(changes):
    with pytest.raises(ValidationError, match=r"'membrane_noise' parameter of LIF must be a noise "
                                              r"whose tau is at least 1e-300·tau_m and whose current, "
                                              r".* is at most 1e300 nA .*Got MembraneNoise\("):
        LIF(**changes)


def test_a_tau_m_too_short_for_the_noise_propagator_at_this_dt_is_refused_before_running():
    neuron = LIF(tau_m=1e-5, membrane_noise=MembraneNoise(sigma=1.0, tau=5.0))
    with pytest.raises(ValidationError, match=r"'tau_m' parameter of LIF must be at least "
                                              r"0\.000143 ms with membrane noise with tau = 5 ms"):
        simulate(neuron, duration=1.0, seed=0)


@pytest.mark.parametrize("changes", [
    dict(membrane_noise=MembraneNoise(sigma=1e-300, tau=5.0)),  # once: LinAlgError
    dict(membrane_noise=MembraneNoise(sigma=1e300, tau=5.0), v_th=1e306),  # once: OverflowError
    dict(r_m=1e300, membrane_noise=MembraneNoise(sigma=1.0, tau=5.0)),  # once: OverflowError
    dict(tau_m=1e300, membrane_noise=MembraneNoise(sigma=1.0, tau=5.0)),  # once: LinAlgError
    dict(membrane_noise=MembraneNoise(sigma=1.0, tau=1e-200)),
    dict(membrane_noise=MembraneNoise(sigma=1.0, tau=1.7e308)),  # once: NaN at run time
    dict(membrane_noise=MembraneNoise(sigma=1e300), v_th=1e306),
])
def test_the_most_extreme_accepted_noise_runs_finite(changes):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        warnings.simplefilter("ignore", CoarseTimeStepWarning)
        result = simulate(LIF(**changes), duration=20.0, n=20, seed=2, record_vars=["i_noise"])
    assert np.all(np.isfinite(result.v)) and np.all(np.isfinite(result.traces["i_noise"]))


@pytest.mark.parametrize("tau_noise", [1e-100, 1e100])
def test_free_membrane_keeps_its_std_at_extreme_noise_time_constants(tau_noise):
    """A tau of 1e-100 ms is white noise, one of 1e100 ms a frozen current with the stationary
    std: either way the free potential's std is sigma. 4000 independent neurons at one time:
    relative standard error 1/sqrt(2·4000) = 1.1 %, so 6 % is a 5-sigma band."""
    sigma = 2.0
    result = simulate(LIF(v_th=1e6, membrane_noise=MembraneNoise(sigma=sigma, tau=tau_noise)),
                      duration=100.0, n=4000, seed=1)
    assert result.v[-1].std() == pytest.approx(sigma, rel=0.06)
