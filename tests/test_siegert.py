"""The Siegert rate: diffusion-approximation firing rate of the LIF neuron."""

import math

import numpy as np
import pytest
import scipy.sparse
from scipy.integrate import quad
from scipy.special import erfc

from spikeneuron import LIF, SpikeTrains, ValidationError, lif_rate, siegert_rate, simulate


def direct_siegert(mu, sigma, model):
    """The textbook formula, integrated as written (fine while e^{u²} stays moderate)."""
    scale = sigma * math.sqrt(2.0)
    integral, _ = quad(lambda u: math.exp(u * u) * erfc(-u),  # erfc(-u) = 1 + erf(u)
                       (model.v_reset - mu) / scale, (model.v_th - mu) / scale,
                       epsabs=0.0, epsrel=1e-12, limit=200)
    return 1000.0 / (model.t_ref + model.tau_m * math.sqrt(math.pi) * integral)


@pytest.mark.parametrize("model", [LIF(), LIF(tau_m=20.0, v_th=-50.0, v_reset=-65.0, t_ref=0.0)],
                         ids=["default", "other"])
def test_matches_direct_integration_for_moderate_bounds(model):
    mu = np.linspace(-62.0, -45.0, 8)
    sigma = np.array([1.0, 2.0, 5.0])[:, None]
    rate = siegert_rate(mu, sigma, model)
    assert rate.shape == (3, 8)
    expected = np.array([[direct_siegert(m, s, model) for m in mu] for s in sigma[:, 0]])
    np.testing.assert_allclose(rate, expected, rtol=1e-8)


def test_scalars_give_a_float_and_arrays_broadcast():
    assert isinstance(siegert_rate(-56.0, 2.0, LIF()), float)
    assert siegert_rate(np.full((2, 3), -56.0), 2.0, LIF()).shape == (2, 3)
    np.testing.assert_allclose(siegert_rate([-56.0, -56.0], [2.0, 2.0], LIF()),
                               siegert_rate(-56.0, 2.0, LIF()), rtol=0)


def test_small_noise_tends_to_the_deterministic_f_i_curve():
    neuron = LIF()
    mu = np.array([-54.0, -50.0, -40.0, -20.0])
    deterministic = lif_rate((mu - neuron.v_rest) / neuron.r_m, neuron)
    # the same closed form written two ways (log of a ratio, log1p): equal to round-off
    np.testing.assert_allclose(siegert_rate(mu, 0.0, neuron), deterministic, rtol=1e-13)
    # The first correction is of order (sigma / (mu - v_th))²: below 1e-3 here.
    np.testing.assert_allclose(siegert_rate(mu, 0.02, neuron), deterministic, rtol=1e-3)
    # Below threshold, firing needs a fluctuation of (v_th - mu)/sigma standard deviations.
    assert siegert_rate(-58.0, 0.0, neuron) == 0.0
    assert 0.0 <= siegert_rate(-58.0, 0.3, neuron) < 1e-10
    assert siegert_rate(-80.0, 0.1, neuron) == 0.0  # below the smallest double: underflows


def test_extreme_bounds_stay_finite_and_accurate():
    neuron = LIF()
    rate = siegert_rate([-75.0, -54.999, 1000.0], [0.7, 1e-3, 1.0], neuron)
    assert np.all(np.isfinite(rate))
    # High-precision values (mpmath, 40 digits) of the same integral.
    np.testing.assert_allclose(rate, [6.212330229e-175, 10.47214114, 467.0324829], rtol=1e-8)


def test_monotonic_in_the_mean_and_bounded_by_the_refractory_period():
    neuron = LIF()
    mu = np.linspace(-70.0, 0.0, 141)
    for sigma in (0.5, 2.0, 6.0):
        rate = siegert_rate(mu, sigma, neuron)
        assert np.all(np.diff(rate) >= 0)
        assert np.all(np.diff(rate[rate > 0]) > 0)  # strictly, once above double underflow
        assert np.all(rate < 1000.0 / neuron.t_ref)
    # Below threshold, more noise means more firing.
    assert np.all(np.diff(siegert_rate(-58.0, [0.5, 1.0, 2.0, 4.0], neuron)) > 0)


@pytest.mark.parametrize("mu, sigma, match", [
    (-55.0, -1.0, "'sigma' parameter of siegert_rate must be non-negative"),
    (np.nan, 1.0, "'mu' parameter.*NaN"),
    (-55.0, np.inf, "'sigma' parameter.*NaN or infinity"),
    ([-55.0, -54.0], [1.0, 2.0, 3.0], "broadcast together"),
])
def test_bad_input_is_rejected(mu, sigma, match):
    with pytest.raises(ValidationError, match=match):
        siegert_rate(mu, sigma, LIF())


@pytest.mark.slow
def test_agrees_with_an_lif_driven_by_many_poisson_inputs():
    """Simulated rates under E/I Poisson bombardment against the diffusion approximation.

    Each neuron gets one excitatory (+w) and one inhibitory (-w) Poisson source, standing for
    the superposition of many independent inputs. Campbell's theorem: the free potential has
    mean v_rest + tau_m (r_e - r_i) w and variance (tau_m/2)(r_e + r_i) w² (rates in 1/ms),
    solved here for the rates that give the wanted (mu, sigma).

    Tolerance 12 %, from three sources of error: (1) the discrete time grid checks the
    threshold only every dt, missing brief excursions above it, which lowers the rate by a
    relative amount of order sqrt(dt / tau_m) = 0.1 for noise-driven firing (a few % here,
    where the mean is close to threshold); (2) finite jumps w = 0.2 mV against sigma >= 1.5
    mV; (3) counting noise: >= 1500 spikes per condition at CV <= 1 give a relative standard
    error <= 2.6 %.
    """
    neuron, dt, w, duration, warm_up, per_condition = LIF(), 0.1, 0.2, 3000.0, 100.0, 25
    conditions = [(-57.0, 2.5), (-55.0, 2.0), (-53.0, 1.5)]  # (mu, sigma), mV
    mu, sigma = np.array(conditions).T
    difference = (mu - neuron.v_rest) / (neuron.tau_m * w)  # r_e - r_i, 1/ms
    total = 2.0 * sigma**2 / (neuron.tau_m * w**2)  # r_e + r_i, 1/ms
    rates = np.repeat(np.r_[(total + difference) / 2, (total - difference) / 2], per_condition)
    n = per_condition * len(conditions)
    # Poisson inputs drawn directly on the grid (count per step ~ Poisson(r dt)), which is
    # what the engine makes of Poisson times anyway, and ~5× faster to build than sorting
    # ~1e7 continuous spike times.
    n_steps = int(round(duration / dt))
    counts = np.random.default_rng(11).poisson(rates[:, None] * dt, (rates.size, n_steps))
    sources, steps = np.nonzero(counts)
    repeats = counts[sources, steps]
    trains = SpikeTrains(times=np.repeat(steps * dt, repeats), sources=np.repeat(sources, repeats),
                         n_sources=rates.size)
    weights = scipy.sparse.vstack([w * scipy.sparse.identity(n), -w * scipy.sparse.identity(n)])
    result = simulate(neuron, duration=duration, dt=dt, inputs=trains, weights=weights,
                      record_v=False)
    spikes = np.array([np.sum(times >= warm_up) for times in result.spike_times])
    spikes = spikes.reshape(len(conditions), per_condition).sum(axis=1)
    simulated = 1000.0 * spikes / (per_condition * (duration - warm_up))
    assert spikes.min() >= 1500
    np.testing.assert_allclose(simulated, siegert_rate(mu, sigma, neuron), rtol=0.12)
