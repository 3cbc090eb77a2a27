"""explore(): one neuron beside its logistic twin; explorer(): the ipywidgets app around it."""

import math
import sys

import numpy as np
import pytest
from scipy.stats import norm

from spikeneuron import (
    LIF,
    AdEx,
    AlphaSynapse,
    CondExpSynapse,
    ExpSynapse,
    MembraneNoise,
    MissingExtraError,
    TraubMiles,
    ValidationError,
    explore,
    simulate,
)
from spikeneuron.explore import LOGISTIC_SCALE_PER_SIGMA, exploration_figure, unit_responses

DT = 0.1


def deterministic_spikes(weights, input_times, v_th, duration=40.0):
    """Whether a noiseless LIF with these inputs fires: a run of simulate, independent of explore."""
    run = simulate(LIF(v_th=v_th), duration=duration, dt=DT, inputs=input_times, weights=weights)
    return bool(run.spike_counts[0])


@pytest.mark.parametrize("case", range(20))
def test_zero_noise_probability_is_the_deterministic_all_or_none_outcome(case):
    rng = np.random.default_rng(case)
    n_inputs = int(rng.integers(1, 6))
    weights = rng.uniform(-15.0, 15.0, n_inputs)
    input_times = [[t] for t in rng.uniform(5.0, 25.0, n_inputs)]
    seen = explore(weights, input_times=input_times, noise_mv=0.0, n_trials=5)
    assert seen.p_spike in (0.0, 1.0)
    assert seen.p_spike == float(seen.fires_without_noise)
    assert seen.fires_without_noise == deterministic_spikes(weights, input_times, -55.0)
    assert seen.p_spike_se == 0.0
    if abs(seen.z - seen.theta) > 1e-9:  # exactly at threshold is a matter of rounding
        assert seen.fires_without_noise == (seen.z >= seen.theta)
        assert seen.sigmoid == float(seen.z >= seen.theta)


def test_a_volley_sums_the_weights():
    weights = [12.0, 4.0, -10.0]
    seen = explore(weights, noise_mv=0.0)
    np.testing.assert_array_equal(seen.x, [1.0, 1.0, 1.0])
    assert seen.z == pytest.approx(6.0, abs=1e-12)
    assert seen.t_peak == pytest.approx(10.0)
    assert (seen.theta, seen.bias) == (15.0, -15.0)
    assert not seen.fires_without_noise and seen.p_spike == 0.0
    assert explore([12.0, 4.0, 0.0], noise_mv=0.0).fires_without_noise  # 16 mV >= 15 mV


def test_landing_exactly_on_threshold_fires_in_trials_and_without_noise_alike():
    seen = explore([12.0, 13.0, -10.0], noise_mv=0.0, n_trials=3)  # -70 + 15 = -55 mV = v_th
    assert seen.fires_without_noise and seen.p_spike == 1.0


def test_summed_input_is_the_weighted_sum_of_decayed_inputs():
    tau_m = 10.0
    weights = np.array([8.0, 8.0, -5.0])
    times = [[10.0], [12.0, 30.0], [11.0]]
    seen = explore(weights, input_times=times, noise_mv=0.0)
    assert seen.z == pytest.approx(float(weights @ seen.x), rel=1e-12)
    # By hand: at the peak (12 ms) input 1 has decayed for 2 ms, input 3 for 1 ms.
    assert seen.t_peak == pytest.approx(12.0)
    np.testing.assert_allclose(seen.x, [math.exp(-2 / tau_m), 1.0, math.exp(-1 / tau_m)], rtol=1e-12)
    assert seen.z == pytest.approx(8 * math.exp(-0.2) + 8 - 5 * math.exp(-0.1), rel=1e-12)


def test_free_potential_and_zero_noise_trace_equal_the_simulated_potential():
    weights = [6.0, 5.0, -4.0, 3.0]
    times = [[5.0, 20.0], [7.3], [9.0], [21.05]]
    seen = explore(weights, input_times=times, noise_mv=0.0)
    # The closed form v_rest + Σ w x(t) against the engine's step-by-step integration.
    no_threshold = simulate(LIF(v_th=100.0), duration=40.0, dt=DT, inputs=times, weights=weights)
    np.testing.assert_allclose(seen.v_free, no_threshold.v[:, 0], rtol=0, atol=1e-10)
    with_threshold = simulate(LIF(), duration=40.0, dt=DT, inputs=times, weights=weights)
    np.testing.assert_array_equal(seen.v, with_threshold.v[:, 0])
    np.testing.assert_array_equal(seen.spike_times, with_threshold.spike_times[0])


CURRENT_SYNAPSES = {"exp": ExpSynapse(tau_ex=5.0, tau_in=10.0), "alpha": AlphaSynapse(tau_ex=2.0, tau_in=3.0)}


@pytest.mark.parametrize("kind", CURRENT_SYNAPSES)
def test_current_synapses_keep_the_potential_the_weighted_sum_of_their_kernels(kind):
    """With exp and alpha synapses the weights are nA; v_free = v_rest + Σ w x(t) must be the
    engine's potential without threshold, and z its peak."""
    neuron = LIF(synapse=CURRENT_SYNAPSES[kind])
    weights = [1.5, 1.0, -1.2, 0.8]
    times = [[5.0, 20.0], [7.3], [9.0], [21.05]]
    seen = explore(weights, input_times=times, noise_mv=0.0, neuron=neuron)
    no_threshold = simulate(neuron.with_(v_th=100.0), duration=40.0, dt=DT, inputs=times, weights=weights)
    np.testing.assert_allclose(seen.v_free, no_threshold.v[:, 0], rtol=0, atol=1e-10)
    assert seen.z == pytest.approx(no_threshold.v[:, 0].max() - neuron.v_rest, abs=1e-10)
    with_threshold = simulate(neuron, duration=40.0, dt=DT, inputs=times, weights=weights)
    np.testing.assert_array_equal(seen.v, with_threshold.v[:, 0])


def test_the_exponential_kernel_is_its_closed_form():
    """PSP of 1 nA through an exponential current: r_m τ_s/(τ_s − τ_m) (e^{−t/τ_s} − e^{−t/τ_m});
    for τ_s = τ_m, r_m (t/τ_m) e^{−t/τ_m} (mV/nA)."""
    neuron = LIF(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))
    kernels = unit_responses(neuron, 400, DT)
    t = np.arange(401) * DT
    excitatory = neuron.r_m * 5.0 / (5.0 - 10.0) * (np.exp(-t / 5.0) - np.exp(-t / 10.0))
    inhibitory = neuron.r_m * (t / 10.0) * np.exp(-t / 10.0)
    np.testing.assert_allclose(kernels[0], excitatory, rtol=0, atol=1e-12)
    np.testing.assert_allclose(kernels[1], inhibitory, rtol=0, atol=1e-12)


@pytest.mark.parametrize("case", range(12))
def test_with_current_synapses_the_noiseless_neuron_fires_when_z_reaches_theta(case):
    rng = np.random.default_rng(100 + case)
    kind = list(CURRENT_SYNAPSES)[case % 2]
    neuron = LIF(synapse=CURRENT_SYNAPSES[kind])
    n_inputs = int(rng.integers(1, 6))
    weights = rng.uniform(-4.0, 4.0, n_inputs)
    input_times = [[t] for t in rng.uniform(5.0, 25.0, n_inputs)]
    seen = explore(weights, input_times=input_times, noise_mv=0.0, n_trials=3, neuron=neuron)
    fires = bool(simulate(neuron, duration=40.0, dt=DT, inputs=input_times, weights=weights).spike_counts[0])
    assert seen.fires_without_noise == fires == (seen.p_spike == 1.0)
    if abs(seen.z - seen.theta) > 1e-9:
        assert fires == (seen.z >= seen.theta)


def reference_probability(z, sigma, n_trials, seed):
    """P(spike) of a volley of strength z (mV) at 10 ms onto noisy neurons, computed without
    explore: stationary start (v_rest + σ·N(0, 1)), white membrane noise, 40 ms."""
    rng = np.random.default_rng(seed)
    neuron = LIF(membrane_noise=MembraneNoise(sigma=sigma))
    run = simulate(neuron, duration=40.0, dt=DT, inputs=[[10.0]], weights=[z], n=n_trials,
                   v_init=neuron.v_rest + sigma * rng.standard_normal(n_trials), seed=seed + 1,
                   record_v=False)
    return float(np.mean(run.spike_counts > 0))


@pytest.mark.parametrize("z", [12.0, 15.0, 17.0])
def test_spike_probability_agrees_with_an_independent_estimate_within_its_standard_errors(z):
    sigma, n, n_ref = 2.0, 1000, 4000
    seen = explore([z], noise_mv=sigma, n_trials=n, seed=3)
    p_ref = reference_probability(z, sigma, n_ref, seed=11)
    assert seen.p_spike_se == pytest.approx(math.sqrt(seen.p_spike * (1 - seen.p_spike) / n))
    # Two independent binomial estimates of one probability: their difference has standard
    # deviation sqrt(p(1-p)(1/n + 1/n_ref)); 4 of those fail by chance with probability 6e-5.
    p = (seen.p_spike * n + p_ref * n_ref) / (n + n_ref)
    assert abs(seen.p_spike - p_ref) <= 4 * math.sqrt(p * (1 - p) * (1 / n + 1 / n_ref))


def test_probability_goes_from_zero_to_one_across_the_threshold():
    sigma, n = 1.0, 400
    far_below = explore([15.0 - 8 * sigma], noise_mv=sigma, n_trials=n)
    far_above = explore([15.0 + 8 * sigma], noise_mv=sigma, n_trials=n)
    # 8 σ away the potential at the peak is on the other side of threshold with probability
    # Φ(−8) ≈ 6e-16; over a 40 ms run the chance of a spontaneous crossing is as negligible.
    assert far_below.p_spike == 0.0 and far_above.p_spike == 1.0


def test_sigmoid_is_the_logistic_of_the_gaussian_threshold_crossing():
    sigma = 2.0
    for z in np.linspace(5.0, 25.0, 9):
        seen = explore([z], noise_mv=sigma, n_trials=1)
        assert seen.scale == pytest.approx(sigma * math.sqrt(3) / math.pi)
        assert seen.sigmoid == pytest.approx(1 / (1 + math.exp(-(z - 15.0) / seen.scale)))
        # The logistic of equal variance is within 0.0227 of the normal CDF everywhere.
        assert abs(seen.sigmoid - norm.cdf((z - 15.0) / sigma)) <= 0.0227
        twin = seen.logistic_neuron()
        assert twin.predict_proba(seen.x) == pytest.approx(seen.sigmoid, rel=1e-12)
    assert LOGISTIC_SCALE_PER_SIGMA == pytest.approx(0.5513, abs=1e-4)


def test_threshold_is_the_bias():
    for v_th in (-60.0, -55.0, -50.0):
        seen = explore([10.0], v_th=v_th, noise_mv=1.0, n_trials=1)
        assert seen.theta == pytest.approx(v_th + 70.0) and seen.bias == -seen.theta
        assert seen.neuron.v_th == v_th and seen.neuron.membrane_noise.sigma == 1.0


def test_same_seed_same_result_other_seed_other_noise():
    one, again = explore([10.0, 3.0], seed=5), explore([10.0, 3.0], seed=5)
    np.testing.assert_array_equal(one.v, again.v)
    assert one.p_spike == again.p_spike
    assert not np.array_equal(one.v, explore([10.0, 3.0], seed=6).v)


def test_twin_without_noise_is_refused():
    with pytest.raises(ValidationError, match="noise_mv"):
        explore([1.0], noise_mv=0.0).logistic_neuron()


@pytest.mark.parametrize("kwargs, error, name", [
    (dict(weights=[]), ValidationError, "weights"),
    (dict(weights=[[1.0, 2.0]]), ValidationError, "weights"),
    (dict(weights=[1.0, np.nan]), ValidationError, "weights"),
    (dict(weights=[1.0], noise_mv=-1.0), ValidationError, "noise_mv"),
    (dict(weights=[1.0], duration=0.0), ValidationError, "duration"),
    (dict(weights=[1.0], n_trials=0), ValidationError, "n_trials"),
    (dict(weights=[1.0], seed=-1), ValidationError, "seed"),
    (dict(weights=[1.0], v_th=-75.0), ValidationError, "'v_th' parameter of explore must be above the neuron's v_reset = -70 mV"),  # noqa: E501
    (dict(weights=[1.0, 2.0], input_times=[[1.0]]), ValidationError, "input_times"),
    (dict(weights=[1.0], input_times=50.0), ValidationError, "input_times"),
    (dict(weights=[1.0], input_times=-1.0), ValidationError, "input_times"),
    (dict(weights=[1.0], neuron=LIF(synapse=CondExpSynapse())), ValidationError, "'neuron' parameter of explore must be an LIF with delta, exponential or alpha synapses"),  # noqa: E501
    (dict(weights=[1.0], neuron=TraubMiles()), TypeError, "conductance synapses, HodgkinHuxley, TraubMiles, AdEx and Izhikevich have no logistic twin"),  # noqa: E501
    (dict(weights=[1.0], neuron=AdEx()), TypeError, "'neuron' parameter of explore"),
    (dict(weights=[1.0], neuron=LIF(membrane_noise=MembraneNoise(1.0))), ValidationError, "neuron"),
    (dict(weights=[1.0], threshold=-50.0), TypeError, "threshold"),
])
def test_bad_input_names_the_parameter(kwargs, error, name):
    weights = kwargs.pop("weights")
    with pytest.raises(error, match=name):
        explore(weights, **kwargs)


def test_figure_draws_both_panels():
    seen = explore([12.0, 4.0, -10.0])
    figure = exploration_figure(seen)
    trace, sigmoid = figure.axes
    assert trace.get_xlabel() == "time (ms)" and "mV" in trace.get_ylabel()
    assert sigmoid.get_xlabel() == "summed input z (mV)"
    assert exploration_figure(seen, figure=figure) is figure and len(figure.axes) == 2


# -- the ipywidgets app -------------------------------------------------------------------------

def test_explorer_without_ipywidgets_names_the_extra(monkeypatch):
    from spikeneuron import explorer

    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes `import ipywidgets` fail
    with pytest.raises(MissingExtraError, match=r"pip install 'spikeneuron\[notebooks\]'"):
        explorer()


def test_explorer_sliders_update_what_it_shows():
    pytest.importorskip("ipywidgets", reason="the explorer needs the notebooks extra: "
                        "pip install 'spikeneuron[notebooks]'")
    from spikeneuron import explorer

    app = explorer()
    assert list(app.sliders) == ["w1", "w2", "w3", "v_th", "noise_mv"]
    assert [app.sliders[f"w{i}"].value for i in (1, 2, 3)] == [12.0, 4.0, -10.0]
    assert app.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert app.result.z == pytest.approx(6.0) and "stays silent" in app.numbers.value
    first_image = app.image.value

    app.sliders["w3"].value = 0.0  # drop the inhibition: 12 + 4 = 16 mV >= 15 mV
    assert app.result.z == pytest.approx(16.0) and app.result.fires_without_noise
    assert "fires" in app.numbers.value and "z = +16.00 mV" in app.numbers.value
    assert app.image.value != first_image
    # Generous against a loaded machine; the README quotes the measured time (about 0.2 s).
    assert app.last_update_s < 2.0

    app.sliders["noise_mv"].value = 0.0
    assert app.result.p_spike == 1.0 and app.result.sigmoid == 1.0
    app.sliders["v_th"].value = -50.0  # θ = 20 mV > 16 mV: silent again
    assert app.result.theta == 20.0 and app.result.p_spike == 0.0
    assert "application/vnd.jupyter.widget-view+json" in app._repr_mimebundle_()


def test_the_synapse_menu_converts_the_weights_so_each_peak_potential_stays():
    pytest.importorskip("ipywidgets", reason="the explorer needs the notebooks extra: "
                        "pip install 'spikeneuron[notebooks]'")
    from spikeneuron import explorer

    app = explorer(n_trials=20)
    assert app.synapse.value == "delta" and app.synapse.options == ("delta", "exp", "alpha")
    app.synapse.value = "exp"
    assert app.result.neuron.synapse == ExpSynapse() and app.sliders["w1"].description == "w1 (nA)"
    assert "exp synapses (weights in nA)" in app.numbers.value
    # each input's peak potential is its delta weight: 12, 4 and −10 mV
    peaks = unit_responses(LIF(synapse=ExpSynapse()), 400, 0.1).max(axis=1)
    weights = [app.sliders[f"w{i}"].value for i in (1, 2, 3)]
    np.testing.assert_allclose(np.array(weights) * peaks[[0, 0, 1]], [12.0, 4.0, -10.0], rtol=1e-12)
    # one volley of exp synapses: z is the peak of the summed kernels, not the sum of the peaks
    assert app.result.z == pytest.approx(explore(weights, neuron=LIF(synapse=ExpSynapse()), n_trials=20).z)
    assert app.result.z != pytest.approx(6.0)
    app.sliders["w3"].value = 0.0  # the app still reruns on a slider
    assert app.result.weights[2] == 0.0
    app.synapse.value = "alpha"
    assert app.result.neuron.synapse == AlphaSynapse()
    app.synapse.value = "delta"
    assert [app.sliders[f"w{i}"].value for i in (1, 2, 3)] == pytest.approx([12.0, 4.0, 0.0], rel=1e-12)
    assert (app.sliders["w1"].min, app.sliders["w1"].max) == pytest.approx((-20.0, 20.0))
    assert app.sliders["w1"].description == "w1 (mV)" and app.result.neuron.synapse == LIF().synapse


def test_the_explorer_starts_from_the_neurons_synapse():
    pytest.importorskip("ipywidgets", reason="the explorer needs the notebooks extra: "
                        "pip install 'spikeneuron[notebooks]'")
    from spikeneuron import explorer

    app = explorer([2.0, -1.0], neuron=LIF(synapse=AlphaSynapse()), n_trials=10, weight_range_mv=5.0)
    assert app.synapse.value == "alpha" and app.sliders["w1"].description == "w1 (nA)"
    assert app.sliders["w1"].max == pytest.approx(5.0)
    with pytest.raises(TypeError, match="'neuron' parameter of explore"):
        explorer(neuron=TraubMiles())



def test_explorer_checks_its_weights():
    pytest.importorskip("ipywidgets", reason="the explorer needs the notebooks extra")
    from spikeneuron import explorer

    five = explorer([5.0, 4.0, 3.0, -2.0, -1.0], input_times=[[10.0], [11.0], [12.0], [13.0], [14.0]])
    assert list(five.sliders)[:5] == ["w1", "w2", "w3", "w4", "w5"]
    assert five.result.z == pytest.approx(float(five.result.weights @ five.result.x))
    with pytest.raises(ValidationError, match="weights"):
        explorer([1.0] * 6)
    with pytest.raises(ValidationError, match="noise_mv"):
        explorer(noise_mv=-1.0)
