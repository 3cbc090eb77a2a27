"""SpikeTrainFit recovers the weights that generated simulate's own spikes.

Tolerances: at the maximum-likelihood estimate, (fitted − true)/standard error is close to
N(0, 1) for long recordings, so P(|z| > 4) ≈ 6e-5 per weight; with at most ~40 z-scores per
test the chance of a false failure stays below 0.3 %. The seeds are fixed, so the tests are
deterministic; the bound says they are not tuned to pass.
"""

import numpy as np
import pytest
import scipy.stats

from spikeneuron import (LIF, EscapeNoise, ExpSynapse, SpikeTrainFit, ValidationError,
                         poisson_inputs, simulate)
from spikeneuron.learning import spike_train_fit

MODEL = LIF(escape_noise=EscapeNoise(delta_u=2.0, tau_esc=10.0))
WEIGHTS = np.array([4.0, 3.0, 2.0, 1.0, 0.5, 0.0, -0.5, -1.0, -2.0, -4.0])  # mV
DURATION = 10_000.0  # ms
Z_LIMIT = 4.0


def recording(seed, *, weights=WEIGHTS, current=1.0, model=MODEL, duration=DURATION, rate=20.0):
    inputs = poisson_inputs([rate] * weights.size, duration, seed=seed)
    result = simulate(model, duration=duration, inputs=inputs, weights=weights, current=current,
                      seed=seed + 1000, record_v=False)
    return inputs, result.spike_times[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weights_recovered_within_standard_errors(seed):
    inputs, spikes = recording(seed)
    fit = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=DURATION)
    z = (fit.weights_ - WEIGHTS) / fit.weight_errors_
    assert np.all(np.abs(z) < Z_LIMIT), z
    # the constant drive is r_m·I = 10 MΩ · 1 nA = 10 mV
    assert abs(fit.bias_ - 10.0) < Z_LIMIT * fit.bias_error_
    # time-rescaling: KS distance below the 1 % critical value 1.63/sqrt(n)
    assert fit.ks_statistic_ < 1.63 / np.sqrt(fit.n_spikes_)
    assert fit.n_spikes_ > 100 and fit.n_iter_ >= 1 and np.isfinite(fit.log_likelihood_)


def test_known_current_is_not_fitted_again():
    inputs, spikes = recording(4)
    fit = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=DURATION, current=1.0)
    assert abs(fit.bias_) < Z_LIMIT * fit.bias_error_
    assert np.all(np.abs(fit.weights_ - WEIGHTS) < Z_LIMIT * fit.weight_errors_)


def test_time_varying_current_and_strong_inhibition():
    weights = np.array([6.0, 2.0, -8.0, -12.0, 0.0])
    steps = int(DURATION / 0.1)
    current = 1.2 + 0.5 * np.sin(np.arange(steps) * 0.1 / 200.0 * 2 * np.pi)  # nA per step
    model = MODEL.with_(v_reset=-65.0, t_ref=3.0)  # reset away from rest, longer refractoriness
    inputs, spikes = recording(5, weights=weights, current=current, model=model)
    fit = SpikeTrainFit(model).fit(inputs, spikes, duration=DURATION, current=current)
    assert np.all(np.abs(fit.weights_ - weights) < Z_LIMIT * fit.weight_errors_)
    assert abs(fit.bias_) < Z_LIMIT * fit.bias_error_


@pytest.mark.slow
def test_standard_errors_match_the_spread_over_recordings():
    """Over 8 recordings the z-scores of 10 weights should look N(0, 1): their variance
    (80 values) within chi-square bounds at the 0.1 % level."""
    z = []
    for seed in range(10, 18):
        inputs, spikes = recording(seed, duration=4000.0, rate=30.0)
        fit = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=4000.0)
        z.append((fit.weights_ - WEIGHTS) / fit.weight_errors_)
    z = np.ravel(z)
    low, high = scipy.stats.chi2.ppf([0.0005, 0.9995], z.size) / z.size
    assert low < np.mean(z**2) < high


def test_logistic_link_agrees_in_sign_and_ranking():
    inputs, spikes = recording(6)
    escape = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=DURATION)
    logistic = SpikeTrainFit(MODEL, link="logistic").fit(inputs, spikes, duration=DURATION)
    strong = np.abs(WEIGHTS) >= 1.0
    assert np.all(np.sign(logistic.weights_[strong]) == np.sign(WEIGHTS[strong]))
    assert scipy.stats.spearmanr(logistic.weights_, escape.weights_).statistic > 0.95
    # per-step probabilities are ~1e-3: the links differ by far less than a standard error
    assert np.all(np.abs(logistic.weights_ - escape.weights_) < 0.2 * escape.weight_errors_)


def test_chunked_design_gives_the_same_fit(monkeypatch):
    """The design rebuilt in small chunks (bounded memory) equals the one held whole."""
    inputs, spikes = recording(7, duration=3000.0)
    whole = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=3000.0)
    monkeypatch.setattr(spike_train_fit, "_MAX_DESIGN_ELEMENTS", 0)
    monkeypatch.setattr(spike_train_fit, "_CHUNK_ELEMENTS", 997)
    chunked = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=3000.0)
    np.testing.assert_allclose(chunked.weights_, whole.weights_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(chunked.log_likelihood_, whole.log_likelihood_, rtol=1e-10)


def test_l2_shrinks_the_weights():
    inputs, spikes = recording(8, duration=3000.0)
    plain = SpikeTrainFit(MODEL).fit(inputs, spikes, duration=3000.0)
    shrunk = SpikeTrainFit(MODEL, l2=100.0).fit(inputs, spikes, duration=3000.0)
    assert np.sum(shrunk.weights_**2) < np.sum(plain.weights_**2)


class TestBadInput:
    def setup_method(self):
        self.inputs = [[1.0, 5.0], [2.0]]

    def fit(self, spikes, model=MODEL, **kwargs):
        options = {"duration": 100.0, **kwargs}
        return SpikeTrainFit(model).fit(self.inputs, spikes, **options)

    def test_spike_inside_refractory_period(self):
        with pytest.raises(ValidationError, match="spike_times.*refractory"):
            self.fit([10.0, 11.0])  # t_ref = 2 ms

    def test_spike_off_the_grid(self):
        with pytest.raises(ValidationError, match="spike_times.*grid"):
            self.fit([10.05])

    def test_spike_beyond_duration(self):
        with pytest.raises(ValidationError, match="spike_times.*duration"):
            self.fit([150.0])

    def test_nan_spike(self):
        with pytest.raises(ValidationError, match="spike_times"):
            self.fit([np.nan])

    def test_negative_spike(self):
        with pytest.raises(ValidationError, match="spike_times"):
            self.fit([-1.0])

    def test_spike_times_not_1d(self):
        with pytest.raises(ValidationError, match="spike_times.*shape"):
            self.fit([[10.0, 20.0]])

    def test_model_without_escape_noise(self):
        with pytest.raises(ValidationError, match="model.*escape_noise"):
            self.fit([10.0], model=LIF())

    def test_model_with_exp_synapses(self):
        with pytest.raises(ValidationError, match="model.*delta"):
            self.fit([10.0], model=MODEL.with_(synapse=ExpSynapse()))

    def test_current_of_wrong_shape(self):
        with pytest.raises(ValidationError, match="current.*shape"):
            self.fit([10.0], current=np.ones(7))

    def test_nan_input_times(self):
        with pytest.raises(ValidationError):
            SpikeTrainFit(MODEL).fit([[np.nan]], [10.0], duration=100.0)

    def test_bad_link(self):
        with pytest.raises(ValidationError, match="link"):
            SpikeTrainFit(MODEL, link="probit").fit(self.inputs, [10.0], duration=100.0)

    def test_negative_l2(self):
        with pytest.raises(ValidationError, match="l2"):
            SpikeTrainFit(MODEL, l2=-1.0).fit(self.inputs, [10.0], duration=100.0)
