"""The engine: input forms, batches, recording, and clear errors for bad input."""

import math

import numpy as np
import pytest
import scipy.sparse
from hypothesis import given, settings
from hypothesis import strategies as st

from spikeneuron import (
    LIF,
    ExpSynapse,
    HodgkinHuxley,
    MembraneNoise,
    ValidationError,
    poisson_inputs,
    simulate,
    spike_trains,
)

EXACT_MV = 1e-9


# --- injected current in its four forms --------------------------------------------------

def test_current_forms_agree():
    """Scalar, per-neuron vector, per-step array and callable describe the same drive."""
    neuron, duration = LIF(), 50.0
    steps = 500  # duration / dt at the default dt = 0.1 ms
    runs = [
        simulate(neuron, duration=duration, current=2.0, n=3),
        simulate(neuron, duration=duration, current=[2.0, 2.0, 2.0]),
        simulate(neuron, duration=duration, current=np.full((steps, 3), 2.0)),
        simulate(neuron, duration=duration, current=np.full(steps, 2.0), n=3),
        simulate(neuron, duration=duration, current=lambda t: np.full_like(t, 2.0), n=3),
        simulate(neuron, duration=duration, current=lambda t: 2.0, n=3),
    ]
    for run in runs[1:]:
        np.testing.assert_array_equal(run.v, runs[0].v)


def test_scalar_callable_and_array_of_time_agree():
    neuron = LIF()
    ramp = lambda t: 0.05 * t  # noqa: E731 - nA, rising
    stepwise = lambda t: 1.0 if t > 20.0 else 0.0  # noqa: E731 - written for one time at a time
    t = np.arange(1000) * 0.1
    a = simulate(neuron, duration=100.0, current=ramp)
    b = simulate(neuron, duration=100.0, current=0.05 * t)
    np.testing.assert_allclose(a.v, b.v, atol=EXACT_MV)
    c = simulate(neuron, duration=100.0, current=stepwise)
    d = simulate(neuron, duration=100.0, current=np.where(t > 20.0, 1.0, 0.0))
    np.testing.assert_allclose(c.v, d.v, atol=EXACT_MV)


def test_per_neuron_currents_make_an_fi_sweep_in_one_call():
    currents = np.array([0.0, 1.0, 2.0, 3.0])
    batch = simulate(LIF(), duration=200.0, current=currents, record_v=False)
    assert batch.n == 4
    for i, current in enumerate(currents):
        single = simulate(LIF(), duration=200.0, current=current, record_v=False)
        np.testing.assert_array_equal(batch.spike_times[i], single.spike_times[0])


# --- weights: vectors, matrices, sparse --------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(n_sources=st.integers(1, 30), n=st.integers(1, 6), density=st.floats(0.05, 1.0),
       seed=st.integers(0, 2**16), exp=st.booleans())
def test_sparse_and_dense_weights_give_identical_runs(n_sources, n, density, seed, exp):
    rng = np.random.default_rng(seed)
    dense = rng.normal(0.0, 3.0, (n_sources, n)) * (rng.random((n_sources, n)) < density)
    trains = poisson_inputs(np.full(n_sources, 50.0), 100.0, seed=seed)
    neuron = LIF(synapse="exp" if exp else "delta")
    a = simulate(neuron, duration=100.0, inputs=trains, weights=dense)
    b = simulate(neuron, duration=100.0, inputs=trains, weights=scipy.sparse.csr_matrix(dense))
    c = simulate(neuron, duration=100.0, inputs=trains, weights=scipy.sparse.coo_array(dense))
    np.testing.assert_allclose(a.v, b.v, atol=1e-12)
    np.testing.assert_allclose(a.v, c.v, atol=1e-12)
    np.testing.assert_array_equal(a.spike_steps, b.spike_steps)


@settings(max_examples=20, deadline=None)
@given(weights=st.lists(st.floats(-3.0, 3.0), min_size=2, max_size=6),
       times=st.lists(st.floats(0.0, 40.0), min_size=2, max_size=6))
def test_subthreshold_summation_is_linear(weights, times):
    """Below threshold, the response to all inputs is the sum of the responses to each."""
    k = min(len(weights), len(times))
    neuron = LIF(v_th=1000.0, v_reset=-70.0)  # threshold out of reach: purely linear
    together = simulate(neuron, duration=50.0, inputs=[[t] for t in times[:k]], weights=weights[:k])
    alone = [simulate(neuron, duration=50.0, inputs=[[times[i]]], weights=[weights[i]])
             for i in range(k)]
    summed = neuron.v_rest + sum(run.v[:, 0] - neuron.v_rest for run in alone)
    np.testing.assert_allclose(together.v[:, 0], summed, atol=1e-9)


def test_batch_equals_its_neurons_run_one_by_one(any_model):
    rng = np.random.default_rng(3)
    trains = poisson_inputs(np.full(40, 20.0), 200.0, seed=3)
    weights = rng.normal(0.5, 1.5, (40, 5))
    currents = np.linspace(0.5, 1.8, 5)
    batch = simulate(any_model, duration=200.0, dt=0.05, inputs=trains, weights=weights,
                     current=currents)
    for i in range(5):
        one = simulate(any_model, duration=200.0, dt=0.05, inputs=trains, weights=weights[:, i],
                       current=currents[i])
        np.testing.assert_array_equal(batch.spike_times[i], one.spike_times[0])
        np.testing.assert_allclose(batch.v[:, i], one.v[:, 0], atol=1e-12)


def test_vector_weights_reach_every_neuron_of_a_batch():
    result = simulate(LIF(), duration=20.0, inputs=[[5.0]], weights=[2.0], n=3)
    np.testing.assert_allclose(result.v[50], LIF().v_rest + 2.0)


def test_inputs_accept_lists_arrays_and_spike_trains():
    as_list = simulate(LIF(), duration=30.0, inputs=[[5.0, 12.0], np.array([8.0])], weights=[3.0, -2.0])
    as_trains = simulate(LIF(), duration=30.0, inputs=spike_trains([[12.0, 5.0], [8.0]]),
                         weights=[3.0, -2.0])
    np.testing.assert_array_equal(as_list.v, as_trains.v)


def test_spikes_after_the_end_are_not_delivered_and_say_so():
    with pytest.warns(UserWarning, match=r"1 input spike\(s\) fall after the end of the run \(10 ms\)"):
        result = simulate(LIF(), duration=10.0, inputs=[[5.0, 50.0]], weights=[20.0])
    np.testing.assert_array_equal(result.spike_times[0], [5.0])


# --- result shapes and recording ---------------------------------------------------------

def test_result_shapes_and_rates():
    result = simulate(LIF(), duration=100.0, dt=0.1, current=[0.0, 2.0])
    assert result.t.shape == (1001,) and result.t[-1] == pytest.approx(100.0)
    assert result.v.shape == (1001, 2)
    assert len(result.spike_times) == 2 and result.spike_counts.shape == (2,)
    np.testing.assert_allclose(result.rates, result.spike_counts * 10.0)  # per 100 ms → Hz


def test_record_selected_neurons_or_none():
    full = simulate(LIF(), duration=30.0, current=[1.0, 2.0, 3.0])
    some = simulate(LIF(), duration=30.0, current=[1.0, 2.0, 3.0], record_v=[2, 0])
    none = simulate(LIF(), duration=30.0, current=[1.0, 2.0, 3.0], record_v=False)
    np.testing.assert_array_equal(some.recorded, [2, 0])
    np.testing.assert_array_equal(some.v, full.v[:, [2, 0]])
    assert none.v is None
    for run in (some, none):
        for a, b in zip(run.spike_times, full.spike_times):
            np.testing.assert_array_equal(a, b)


def test_duration_not_a_multiple_of_dt_stops_at_the_last_whole_step():
    with pytest.warns(UserWarning, match="not a whole number of steps"):
        result = simulate(LIF(), duration=1.05, dt=0.1)
    assert result.t.size == 11 and result.duration == pytest.approx(1.0)


# --- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(dt=0.0), r"'dt' parameter of simulate must be a finite number in the range \(0, inf\)\. Got 0\.0"),
    (dict(dt=-0.1), r"'dt' .* Got -0\.1"),
    (dict(dt=math.nan), r"'dt' .* Got nan"),
    (dict(dt=math.inf), r"'dt' .* Got inf"),
    (dict(duration=0.05), r"'duration' parameter of simulate must be at least dt = 0\.1 ms\. Got 0\.05"),
    (dict(duration=-1.0), r"'duration'"),
    (dict(current=math.nan), r"'current' .* finite"),
    (dict(current=[1.0, math.inf]), r"'current' .* finite"),
    (dict(current=lambda t: np.where(t > 5, np.nan, 1.0)), r"'current' .* t = 5\.1 ms"),
    (dict(inputs=[[1.0]], weights=[math.nan]), r"'weights' .* finite"),
    (dict(inputs=[[math.nan]], weights=[1.0]), r"'inputs' .* finite"),
    (dict(inputs=[[-1.0]], weights=[1.0]), r"'inputs' .* spike times >= 0 ms"),
    (dict(inputs=[[1.0], [2.0]], weights=[1.0]), r"'weights' .* shape \(2, 1\)"),
    (dict(inputs=[[1.0]], weights=np.ones((1, 3)), n=2), r"inconsistent .* n says 2, weights says 3"),
    (dict(current=np.ones((5, 2))), r"'current' .* shape"),
    (dict(current=[1.0, 2.0], n=3), r"'current' .* shape"),
    (dict(inputs=[[1.0]]), r"'weights' .* required"),
    (dict(weights=[1.0]), r"'weights' .* without 'inputs'"),
    (dict(inputs=np.array([1.0, 2.0]), weights=[1.0]), r"'inputs' .* wrap it in a list"),
    (dict(n=0), r"'n' parameter of simulate must be an integer >= 1"),
    (dict(v_init=[1.0, 2.0], n=3), r"n says 3, v_init says 2"),
    (dict(record_v=[5]), r"'record_v' .* indices in \[0, 1\)"),
    (dict(record_v=[0.5]), r"'record_v'"),
])
def test_bad_input_is_named_with_its_value(kwargs, message):
    arguments = dict(duration=10.0) | kwargs
    with pytest.raises(ValidationError, match=message):
        simulate(LIF(), **arguments)


def test_type_errors():
    with pytest.raises(TypeError, match="'model' parameter of simulate must be a spikeneuron"):
        simulate("LIF", duration=10.0)
    with pytest.raises(TypeError):
        simulate(LIF(), duration=10.0, tau_m=3.0)  # unknown keyword
    with pytest.raises(TypeError):
        simulate(LIF(), 10.0)  # duration is keyword-only
    with pytest.raises(TypeError, match="'dt' parameter of simulate must be a number"):
        simulate(LIF(), duration=10.0, dt="0.1")


def test_recording_too_much_is_refused_with_advice():
    with pytest.raises(ValidationError, match="record_v=False"):
        simulate(LIF(), duration=1e5, dt=0.1, n=10_000, record_v=True)


def test_exp_synapse_weights_split_by_sign_into_two_time_constants():
    neuron = LIF(synapse=ExpSynapse(tau_ex=2.0, tau_in=20.0))
    result = simulate(neuron, duration=100.0, inputs=[[10.0], [10.0]], weights=[1.0, -1.0])
    # equal and opposite currents, but inhibition lasts longer: net hyperpolarisation later
    assert result.v[600, 0] < neuron.v_rest - 0.5


def test_record_vars_records_synaptic_currents_of_the_selected_neurons():
    neuron = LIF(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))
    result = simulate(neuron, duration=30.0, inputs=[[10.0]], weights=np.array([[0.2, -0.3]]),
                      record_v=[1], record_vars=["i_syn_ex", "i_syn_in"])
    assert set(result.traces) == {"i_syn_ex", "i_syn_in"}
    assert result.traces["i_syn_in"].shape == (301, 1)
    assert result.traces["i_syn_in"][100, 0] == pytest.approx(-0.3)
    assert result.traces["i_syn_in"][200, 0] == pytest.approx(-0.3 * np.exp(-1.0))
    np.testing.assert_array_equal(result.traces["i_syn_ex"], 0.0)


def test_record_vars_errors():
    with pytest.raises(ValidationError, match=r"'record_vars' .* names among \(\)\. Got 'm'"):
        simulate(LIF(), duration=10.0, record_vars=["m"])
    with pytest.raises(ValidationError, match="record_v"):
        simulate(LIF(synapse="exp"), duration=10.0, record_v=False, record_vars=["i_syn_ex"])


def test_model_class_and_bad_seeds_are_named():
    with pytest.raises(TypeError, match="'model' parameter of simulate"):
        simulate(LIF, duration=10.0)
    for seed, error in (("x", TypeError), (-1, ValidationError), (1.5, TypeError)):
        with pytest.raises(error, match="'seed' parameter of simulate"):
            simulate(LIF(), duration=10.0, seed=seed)
    assert simulate(LIF(), duration=10.0, seed=7).seed == 7


def test_numpy_booleans_select_recording():
    assert simulate(LIF(), duration=5.0, record_v=np.False_).v is None
    assert simulate(LIF(), duration=5.0, record_v=np.True_).v.shape == (51, 1)


@pytest.mark.parametrize("bad", [True, False, -1, 1.5, "3", np.bool_(True)])
def test_every_seeded_function_checks_seeds_with_one_rule(bad):
    from spikeneuron import LIF, LogisticNeuron, Network, poisson_inputs, simulate

    message = "The 'seed' parameter of {} must be None, a non-negative integer"
    net = Network()
    net.add_population("p", LIF(), 2)
    calls = {
        "simulate": lambda: simulate(LIF(), duration=1.0, seed=bad),
        "poisson_inputs": lambda: poisson_inputs([1.0], 10.0, seed=bad),
        "Network.run": lambda: net.run(1.0, seed=bad),
        "LogisticNeuron.fit": lambda: LogisticNeuron().fit([[0.0], [1.0]], [0, 1], method="gradient",
                                                           epochs=1, seed=bad),
    }
    for owner, call in calls.items():  # a wrong value is a ValueError, a wrong type a TypeError
        with pytest.raises(ValueError if bad == -1 else TypeError) as caught:
            call()
        assert message.format(owner) in str(caught.value), (owner, str(caught.value))


@pytest.mark.parametrize("t_ref, dt, steps", [(2.05, 0.1, 21), (0.15, 0.1, 2), (0.25, 0.1, 3),
                                              (2.0, 0.1, 20), (2.04, 0.1, 20), (2.06, 0.1, 21),
                                              (0.0, 0.1, 0), (1.0, 0.25, 4), (0.125, 0.25, 1)])
def test_refractory_steps_round_halves_up(t_ref, dt, steps):
    import warnings

    from spikeneuron import LIF

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert LIF(t_ref=t_ref).refractory_steps(dt) == steps


def test_time_grid_float32_dt_and_durations_off_the_grid():
    import warnings

    from spikeneuron import LIF, simulate

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # float32 dt must neither lose a step nor warn
        result = simulate(LIF(), duration=1000.0, dt=np.float32(0.1), record_v=False)
    assert result.duration == pytest.approx(1000.0)
    with pytest.warns(UserWarning, match=r"duration = 10.05 ms is not a whole number of steps of "
                                         r"dt = 0.1 ms; simulating 100 steps \(10 ms\)"):
        assert simulate(LIF(), duration=10.05, dt=0.1).duration == pytest.approx(10.0)


@pytest.mark.parametrize("record_v, message", [
    (0, "0 and 1 are ambiguous"), (1, "0 and 1 are ambiguous"), ([0, 0], "without repeats"),
    ([-1], r"indices in \[0, 3\)"), ([3], r"indices in \[0, 3\)"), ([0.5], "1-D array of neuron indices"),
    ([[0], [1]], "1-D array of neuron indices"), ("0", "1-D array of neuron indices"),
])
def test_record_v_refuses_what_it_cannot_read_unambiguously(record_v, message):
    from spikeneuron import LIF, simulate

    with pytest.raises(ValueError, match=message):
        simulate(LIF(), duration=2.0, n=3, record_v=record_v)


def test_an_empty_record_v_records_nobody_and_the_guard_counts_every_recorded_array():
    from spikeneuron import LIF, HodgkinHuxley, simulate

    assert simulate(LIF(), duration=2.0, n=3, record_v=[]).v is None
    # 2000 neurons × 100 001 points: v alone 1.5 GiB passes the 4 GiB guard, v + 3 gates do not
    with pytest.raises(ValueError, match=r"Recording 4 variable\(s\) of 2000 neurons"):
        simulate(HodgkinHuxley(), duration=1000.0, dt=0.01, n=2000, record_vars=["m", "h", "n"])


@pytest.mark.parametrize("make, variable", [
    (lambda: simulate(HodgkinHuxley(), duration=2.0, dt=0.01, current=-1e10), "v"),
    (lambda: simulate(LIF(synapse="exp"), duration=5.0, inputs=[[1.0], [1.0]], weights=[1e308, 1e308]),
     "i_syn_ex"),
    # noise of a legal but absurd size: some of 100 potentials overflow within 50 steps
    (lambda: simulate(LIF(v_th=1.7e308, membrane_noise=MembraneNoise(sigma=1.5e308)), duration=5.0,
                      n=100, record_v=False, seed=1), "v"),
])
def test_a_run_whose_state_overflows_stops_naming_the_variable_time_and_drive(make, variable):
    import warnings

    from spikeneuron import SimulationError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(SimulationError, match=rf"the state became non-finite \({variable} = "
                                                  r".* between steps \d+ and \d+ \(t = .* ms\); check"):
            make()


def test_a_network_whose_state_overflows_names_the_population():
    import warnings

    from spikeneuron import Network, SimulationError

    net = Network()
    net.add_population("axons", HodgkinHuxley(), 2, current=-1e10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(SimulationError, match=r"Network.run \(population axons\)"):
            net.run(2.0, dt=0.01)


# --- initial values of state variables (init=) -------------------------------------------

def test_init_sets_the_synaptic_currents_at_t0_and_they_decay_exactly():
    """i_syn(t) = i0 e^{-t/tau_ex} without inputs; V follows the exp-synapse closed form."""
    neuron = LIF(synapse=ExpSynapse(tau_ex=4.0, tau_in=10.0), tau_m=10.0, r_m=10.0)
    i0 = np.array([0.5, 1.0])
    result = simulate(neuron, duration=30.0, init={"i_syn_ex": i0}, record_vars=["i_syn_ex"])
    t = result.t[:, None]
    np.testing.assert_allclose(result.traces["i_syn_ex"], i0 * np.exp(-t / 4.0), rtol=1e-12)
    # V − v_rest = r_m i0 tau_s/(tau_m − tau_s) (e^{-t/tau_m} − e^{-t/tau_s})
    psp = 10.0 * i0 * 4.0 / (10.0 - 4.0) * (np.exp(-t / 10.0) - np.exp(-t / 4.0))
    np.testing.assert_allclose(result.v - neuron.v_rest, psp, atol=1e-9)


def test_init_infers_n_and_a_scalar_reaches_every_neuron():
    neuron = LIF(synapse="exp")
    per_neuron = simulate(neuron, duration=5.0, init={"i_syn_in": [-0.1, -0.2, -0.3]},
                          record_vars=["i_syn_in"])
    assert per_neuron.n == 3
    scalar = simulate(neuron, duration=5.0, n=3, init={"i_syn_in": -0.2},
                      record_vars=["i_syn_in"])
    np.testing.assert_array_equal(scalar.traces["i_syn_in"][0], [-0.2] * 3)
    np.testing.assert_array_equal(per_neuron.traces["i_syn_in"][:, 1], scalar.traces["i_syn_in"][:, 1])
