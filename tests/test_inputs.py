"""Input spike trains: grid binning, Poisson statistics and limits, regular trains."""

import numpy as np
import pytest

from spikeneuron import ValidationError, poisson_inputs, regular_inputs, spike_trains
from spikeneuron.inputs import grid_steps


def test_grid_steps_move_off_grid_times_up_and_keep_grid_times():
    np.testing.assert_array_equal(grid_steps([0.0, 0.1 * 3, 0.7, 0.71, 0.79, 1.0], 0.1),
                                  [0, 3, 7, 8, 8, 10])


def test_spike_trains_are_stored_sorted_per_source():
    trains = spike_trains([[3.0, 1.0], [], [2.0]])
    assert trains.n_sources == 3 and trains.n_spikes == 3 and len(trains) == 3
    np.testing.assert_array_equal(trains[0], [1.0, 3.0])
    assert trains[1].size == 0
    np.testing.assert_array_equal(trains[-1], [2.0])
    assert [t.tolist() for t in trains] == [[1.0, 3.0], [], [2.0]]


def test_poisson_same_seed_same_spikes_other_seed_other_spikes():
    a = poisson_inputs([20.0] * 5, 500.0, seed=7)
    b = poisson_inputs([20.0] * 5, 500.0, seed=7)
    c = poisson_inputs([20.0] * 5, 500.0, seed=8)
    np.testing.assert_array_equal(a.times, b.times)
    assert a.times.shape != c.times.shape or not np.array_equal(a.times, c.times)


def test_poisson_rate_zero_gives_no_spikes():
    assert poisson_inputs([0.0, 0.0], 1000.0, seed=1).n_spikes == 0


def test_poisson_counts_have_the_poisson_mean_and_variance():
    """1000 sources at 25 Hz for 2 s: mean count 50. The sample mean over 1000 sources has
    standard error sqrt(50/1000) ≈ 0.22, so 1.0 is a > 4-sigma band; the Fano factor of a
    Poisson count is 1, with standard error ≈ sqrt(2/999) ≈ 0.045, so 0.2 is a 4-sigma band."""
    trains = poisson_inputs(np.full(1000, 25.0), 2000.0, seed=11)
    counts = np.array([t.size for t in trains])
    assert abs(counts.mean() - 50.0) < 1.0
    assert abs(counts.var(ddof=1) / counts.mean() - 1.0) < 0.2
    assert trains.times.min() >= 0.0 and trains.times.max() < 2000.0


def test_poisson_time_varying_rates_follow_the_profile():
    """Rate 0 Hz in the first half, 200 Hz in the second: no spike before 250 ms, and
    about 200 sources × 0.2 × 50 = 10 000 after (4 sigma = 400)."""
    rates = np.zeros((5000, 200))
    rates[2500:] = 200.0
    trains = poisson_inputs(rates, 500.0, seed=3, dt=0.1)
    assert trains.times.min() >= 250.0
    assert abs(trains.n_spikes - 10_000) < 400
    by_function = poisson_inputs(lambda t: np.where(t >= 250.0, 200.0, 0.0), 500.0, seed=3)
    assert by_function.n_sources == 1 and by_function[0].min() >= 250.0


def test_poisson_rejects_bad_rates():
    with pytest.raises(ValidationError, match=r"'rates_hz' parameter of poisson_inputs must be non-negative"):
        poisson_inputs([10.0, -1.0], 100.0, seed=0)
    with pytest.raises(ValidationError, match="'rates_hz' .* finite"):
        poisson_inputs([np.nan], 100.0, seed=0)
    with pytest.raises(ValidationError, match="'duration'"):
        poisson_inputs([10.0], 0.0, seed=0)
    with pytest.raises(TypeError):
        poisson_inputs([10.0], 100.0, 1)  # seed is keyword-only


def test_regular_trains_are_regular():
    trains = regular_inputs([100.0, 0.0, 50.0], 50.0)
    np.testing.assert_allclose(trains[0], np.arange(10.0, 51.0, 10.0))
    assert trains[1].size == 0
    np.testing.assert_allclose(trains[2], [20.0, 40.0])
    np.testing.assert_allclose(regular_inputs(200.0, 20.0, start=1.0)[0], [1.0, 6.0, 11.0, 16.0])


def test_poisson_time_varying_rates_need_one_row_per_bin():
    with pytest.raises(ValidationError, match=r"'rates_hz' .* \(10000, sources\)"):
        poisson_inputs(np.full((1, 1000), 10.0), 1000.0, seed=1)
    constant = poisson_inputs(lambda t: 40.0, 1000.0, seed=1)  # a constant function broadcasts
    assert constant.n_sources == 1 and 20 < constant.n_spikes < 60


def test_inputs_given_as_a_mapping_are_refused():
    with pytest.raises(TypeError, match="'inputs' parameter of spike_trains must be a list"):
        spike_trains({0: [5.0]})


def test_regular_train_keeps_a_spike_that_lands_on_the_end():
    np.testing.assert_allclose(regular_inputs([30.0], 100.0)[0], [100 / 3, 200 / 3, 100.0])


@pytest.mark.parametrize("kwargs", [
    dict(current="2.0"), dict(current=True), dict(current=[1.0 + 2.0j]), dict(current=[[1.0], [1.0, 2.0]]),
    dict(current=[]), dict(v_init=True), dict(inputs=[["1.0"]], weights=[1.0]), dict(inputs=[[True]], weights=[1.0]),
    dict(inputs=[[1.0]], weights=[True]), dict(inputs=[[1.0]], weights=[1j]),
])
def test_strings_booleans_complex_ragged_and_empty_input_is_refused_naming_the_parameter(kwargs):
    from spikeneuron import LIF, simulate

    with pytest.raises((TypeError, ValueError), match=r"The '(current|v_init|inputs|weights)' parameter of simulate"):
        simulate(LIF(), duration=5.0, **kwargs)


def test_poisson_rates_must_be_numbers():
    with pytest.raises(TypeError, match="'rates_hz' parameter of poisson_inputs"):
        poisson_inputs("10", 100.0, seed=1)


@pytest.mark.parametrize("times, sources, n_sources", [
    ([1.0, float("nan")], [0, 0], 1), ([-1.0], [0], 1), ([1.0], [1], 1), ([1.0], [0.5], 1),
    (["1"], [0], 1), ([1.0, 2.0], [0], 1),
])
def test_hand_built_spike_trains_are_checked_like_any_other(times, sources, n_sources):
    from spikeneuron import SpikeTrains

    with pytest.raises((TypeError, ValueError), match="parameter of SpikeTrains"):
        SpikeTrains(times=np.asarray(times), sources=np.asarray(sources), n_sources=n_sources)
