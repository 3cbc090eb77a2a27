"""Networks: delayed delivery of spikes, connection rules, Dale's law, seeds, bad input."""

import doctest
import math
import warnings

import numpy as np
import pytest
import scipy.sparse

import spikeneuron.connectivity
import spikeneuron.network
from spikeneuron import (
    LIF,
    CoarseTimeStepWarning,
    ExpSynapse,
    HodgkinHuxley,
    MembraneNoise,
    ValidationError,
    poisson_inputs,
    simulate,
)
from spikeneuron.connectivity import all_to_all, fixed_indegree, fixed_probability, from_arrays, one_to_one
from spikeneuron.network import Network

DT = 0.1  # ms


def _trigger(net, name, time_ms, weight=20.0):
    """Make neuron 0 of a delta-synapse LIF population fire at ``time_ms`` (one input spike)."""
    net.add_input(name, [[time_ms]], np.eye(1, net.populations[name].n) * weight)


# --- one presynaptic spike, one postsynaptic potential -----------------------------------

def test_delta_synapse_jumps_by_exactly_the_weight_after_the_delay():
    net = Network()
    net.add_population("pre", LIF(), 1)
    net.add_population("post", LIF(), 2, record_v=True)
    net.connect("pre", "post", [[3.0, 2.0]], delay=1.5)
    _trigger(net, "pre", 5.0)
    result = net.run(20.0, dt=DT)
    np.testing.assert_array_equal(result["pre"].spike_steps, [50])
    v, rest = result["post"].v, LIF().v_rest
    arrival = 50 + 15
    np.testing.assert_array_equal(v[:arrival], rest)  # nothing before the delay has passed
    assert v[arrival, 0] == rest + 3.0 and v[arrival, 1] == rest + 2.0
    decay = math.exp(-DT / LIF().tau_m)
    steps = np.arange(v.shape[0] - arrival)
    np.testing.assert_allclose(v[arrival:, 0] - rest, 3.0 * decay**steps, rtol=0, atol=1e-12)


def test_exponential_synapse_gives_the_closed_form_psp():
    """tau_m dV/dt = -(V - v_rest) + r_m I, I = w e^{-s/tau_s}: the difference of exponentials
    V - v_rest = r_m w tau_s/(tau_s - tau_m) (e^{-s/tau_s} - e^{-s/tau_m}), exact on the grid."""
    post_model = LIF(tau_m=10.0, r_m=10.0, synapse=ExpSynapse(tau_ex=3.0, tau_in=8.0))
    weight, delay = 0.4, 2.0  # nA, ms
    net = Network()
    net.add_population("pre", LIF(), 1)
    net.add_population("post", post_model, 1, record_v=True)
    net.connect("pre", "post", [[weight]], delay=delay)
    _trigger(net, "pre", 5.0)
    result = net.run(60.0, dt=DT)
    arrival = 50 + 20
    s = (np.arange(result["post"].t.size) - arrival) * DT
    tau_s, tau_m = 3.0, 10.0
    psp = post_model.r_m * weight * tau_s / (tau_s - tau_m) * (np.exp(-s / tau_s) - np.exp(-s / tau_m))
    expected = post_model.v_rest + np.where(s >= 0, psp, 0.0)
    np.testing.assert_allclose(result["post"].v[:, 0], expected, rtol=0, atol=1e-12)


def test_inhibition_uses_the_inhibitory_time_constant():
    post_model = LIF(synapse=ExpSynapse(tau_ex=2.0, tau_in=8.0))
    net = Network()
    net.add_population("pre", LIF(), 1)
    net.add_population("post", post_model, 1, record_v=True)
    net.connect("pre", "post", [[-0.4]], delay=1.0)
    _trigger(net, "pre", 1.0)
    v = net.run(40.0, dt=DT)["post"].v[:, 0]
    s = (np.arange(v.size) - 20) * DT
    psp = post_model.r_m * -0.4 * 8.0 / (8.0 - 10.0) * (np.exp(-s / 8.0) - np.exp(-s / 10.0))
    np.testing.assert_allclose(v, post_model.v_rest + np.where(s >= 0, psp, 0.0), atol=1e-12)


def test_per_synapse_delays_deliver_each_at_its_own_time():
    net = Network()
    net.add_population("pre", LIF(), 1)
    net.add_population("post", LIF(), 3, record_v=True)
    net.connect("pre", "post", from_arrays([0, 0, 0], [0, 1, 2], [1.0, 2.0, 3.0],
                                           delays=[0.1, 2.0, 7.3]))
    _trigger(net, "pre", 1.0)
    result = net.run(15.0, dt=DT)
    jumps = np.diff(result["post"].v, axis=0)
    arrivals = [int(np.flatnonzero(jumps[:, j] > 0.5)[0]) + 1 for j in range(3)]
    assert arrivals == [10 + 1, 10 + 20, 10 + 73]
    assert result.projections[0].delay_steps.tolist() == [1, 20, 73]


def test_an_action_potential_travels_down_a_chain():
    """Each spike makes the next neuron fire exactly one delay later (delta synapses)."""
    n, delay = 6, 1.2
    net = Network()
    net.add_population("chain", LIF(), n)
    net.connect("chain", "chain", from_arrays(np.arange(n - 1), np.arange(1, n), 20.0), delay=delay)
    _trigger(net, "chain", 2.0)
    times = net.run(20.0, dt=DT)["chain"].spike_times
    np.testing.assert_allclose([t[0] for t in times], 2.0 + delay * np.arange(n), atol=1e-9)
    assert all(t.size == 1 for t in times)


def test_populations_with_different_models_exchange_spikes():
    """A Hodgkin–Huxley neuron drives an LIF one; the LIF fires one delay after the HH spike."""
    dt = 0.025
    hh = HodgkinHuxley()
    net = Network()
    net.add_population("hh", hh, 1, current=lambda t: np.where((t >= 5.0) & (t < 6.0), 20.0, 0.0))
    net.add_population("lif", LIF(), 1)
    net.connect("hh", "lif", [[20.0]], delay=1.0)
    result = net.run(20.0, dt=dt)
    hh_steps, lif_steps = result["hh"].spike_steps, result["lif"].spike_steps
    assert hh_steps.size == 1 and result["hh"].spike_lags is not None
    np.testing.assert_array_equal(lif_steps, hh_steps + 40)


# --- equivalence with simulate -----------------------------------------------------------

def test_one_population_equals_simulate(any_model):
    dt = 0.025 if isinstance(any_model, HodgkinHuxley) else DT
    duration = 100.0
    rng = np.random.default_rng(5)
    trains = poisson_inputs(np.full(30, 40.0), duration, seed=5)
    weights = rng.normal(0.5, 1.5, (30, 4)) * (0.2 if any_model.synapse.channels == 2 else 1.0)
    currents = np.linspace(0.5, 1.8, 4) * (8.0 if isinstance(any_model, HodgkinHuxley) else 1.0)
    reference = simulate(any_model, duration=duration, dt=dt, inputs=trains, weights=weights,
                         current=currents, record_v=True)
    net = Network()
    net.add_population("p", any_model, 4, current=currents, record_v=True)
    net.add_input("p", trains, weights)
    result = net.run(duration, dt=dt)["p"]
    np.testing.assert_array_equal(result.spike_steps, reference.spike_steps)
    np.testing.assert_array_equal(result.spike_neurons, reference.spike_neurons)
    np.testing.assert_allclose(result.v, reference.v, rtol=0, atol=1e-12)
    if reference.spike_lags is not None:
        np.testing.assert_allclose(result.spike_lags, reference.spike_lags, atol=1e-12)


@pytest.mark.parametrize("current", [2.0, np.full(500, 2.0), lambda t: 1.5 + 0.01 * t])
def test_one_noisy_population_draws_the_same_noise_as_simulate(current):
    model = LIF(membrane_noise=MembraneNoise(sigma=3.0, tau=5.0))
    reference = simulate(model, duration=50.0, current=current, n=3, seed=11)
    net = Network()
    net.add_population("p", model, 3, current=current, record_v=True)
    result = net.run(50.0, seed=11)["p"]
    np.testing.assert_allclose(result.v, reference.v, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(result.spike_steps, reference.spike_steps)


def test_populations_of_one_model_batch_like_separate_ones():
    """Two populations sharing a model are batched; splitting a population changes nothing."""
    model = LIF(synapse="exp")
    v_init = np.random.default_rng(1).uniform(-70, -56, 60)

    def build(split):
        net = Network()
        names = ("a", "b") if split else ("all",)
        sizes = (20, 40) if split else (60,)
        starts = np.cumsum((0,) + sizes[:-1])
        for name, size, start in zip(names, sizes, starts):
            net.add_population(name, model, size, v_init=v_init[start:start + size],
                               current=1.4 + 0.01 * np.arange(start, start + size))
        weights = np.random.default_rng(2).uniform(0.0, 0.3, (60, 60))
        for pre, pre_start, pre_size in zip(names, starts, sizes):
            for post, post_start, post_size in zip(names, starts, sizes):
                net.connect(pre, post, weights[pre_start:pre_start + pre_size,
                                               post_start:post_start + post_size], delay=0.5)
        result = net.run(200.0, seed=3)
        return np.concatenate([np.concatenate(result[name].spike_times) if result[name].spike_counts.sum()
                               else np.empty(0) for name in names])

    np.testing.assert_array_equal(np.sort(build(True)), np.sort(build(False)))


# --- seeds -------------------------------------------------------------------------------

def _random_network():
    net = Network()
    model = LIF(synapse="exp", membrane_noise=MembraneNoise(sigma=2.0))
    net.add_population("exc", model, 80)
    net.add_population("inh", LIF(synapse="exp"), 20)
    net.connect("exc", "exc", fixed_probability(0.1, 0.3, autapses=False), delay=1.0)
    net.connect("exc", "inh", fixed_indegree(8, 0.3), delay=1.0)
    net.connect("inh", "exc", fixed_probability(0.2, -0.6), delay=0.5)
    net.add_input("exc", poisson_inputs(np.full(80, 900.0), 150.0, seed=4), one_to_one(0.35))
    return net


def test_same_seed_gives_the_same_network_and_spikes():
    net = _random_network()
    a, b, c = net.run(150.0, seed=9), net.run(150.0, seed=9), net.run(150.0, seed=10)
    for name in ("exc", "inh"):
        np.testing.assert_array_equal(a[name].spike_steps, b[name].spike_steps)
        np.testing.assert_array_equal(a[name].spike_neurons, b[name].spike_neurons)
    assert (a.projections[0].weights != b.projections[0].weights).nnz == 0
    assert (a.projections[0].weights != c.projections[0].weights).nnz > 0
    assert a["exc"].spike_counts.sum() > 0


def test_an_unseeded_run_can_be_repeated_from_its_recorded_seed():
    net = _random_network()
    first = net.run(100.0)
    again = net.run(100.0, seed=first.seed)
    np.testing.assert_array_equal(first["exc"].spike_steps, again["exc"].spike_steps)


# --- cost: only the rows of neurons that fired are read ----------------------------------

def test_synaptic_work_is_the_spikes_times_their_out_degree():
    net = _random_network()
    result = net.run(150.0, seed=2)
    expected = sum(int(result[p.pre].spike_counts @ np.diff(p.weights.indptr))
                   for p in result.projections)
    assert result.synaptic_events == expected > 0


def test_a_silent_network_does_no_synaptic_work():
    net = Network()
    net.add_population("a", LIF(), 500)
    net.connect("a", "a", fixed_probability(0.5, 1.0))
    result = net.run(50.0, seed=1)
    assert result.synaptic_events == 0 and result["a"].spike_counts.sum() == 0


# --- connection rules --------------------------------------------------------------------

def test_fixed_probability_in_degrees_are_binomial():
    """In-degrees are independent Binomial(m, p), m = n_pre - 1 candidates without autapses.

    Over N neurons the sample mean has standard error sqrt(m p (1 - p) / N), and the sample
    variance s² has standard error about sqrt((2 σ⁴ + σ²) / N) (the fourth moment of a
    near-Poisson count is 3σ⁴ + σ²); five standard errors keep false alarms below 1e-6.
    """
    n, p = 2000, 0.05
    weights = fixed_probability(p, 1.0, autapses=False).build(n, n, rng=1, same_population=True).weights
    assert weights.diagonal().sum() == 0
    in_degree = np.diff(weights.tocsc().indptr)
    m = n - 1
    mean, variance = m * p, m * p * (1 - p)
    assert abs(in_degree.mean() - mean) < 5 * math.sqrt(variance / n)
    assert abs(in_degree.var(ddof=1) - variance) < 5 * math.sqrt((2 * variance**2 + variance) / n)
    np.testing.assert_array_equal(weights.data, 1.0)
    assert weights.has_canonical_format


def test_fixed_probability_limits():
    assert fixed_probability(0.0, 1.0).build(30, 40, rng=0).weights.nnz == 0
    assert fixed_probability(1.0, 1.0).build(30, 40, rng=0).weights.nnz == 1200
    assert fixed_probability(1.0, 1.0, autapses=False).build(
        30, 30, rng=0, same_population=True).weights.nnz == 30 * 29


def test_fixed_indegree_gives_exactly_k_distinct_sources():
    """Each neuron gets k distinct sources, each chosen with probability q = k/m: the
    out-degree of a source is Binomial(n_post - 1, q) (its own column excluded); the tolerance
    on the variance is as in the test above."""
    n, k = 1500, 30
    weights = fixed_indegree(k, -2.0, autapses=False).build(n, n, rng=3, same_population=True).weights
    columns = weights.tocsc()
    assert np.all(np.diff(columns.indptr) == k)
    assert weights.has_canonical_format  # no pair twice
    assert weights.diagonal().sum() == 0
    out_degree = np.diff(weights.indptr)
    q = k / (n - 1)
    assert out_degree.mean() == pytest.approx(k)  # exactly k n / n
    variance = (n - 1) * q * (1 - q)
    assert abs(out_degree.var(ddof=1) - variance) < 5 * math.sqrt((2 * variance**2 + variance) / n)


def test_fixed_indegree_between_populations_and_its_limit():
    weights = fixed_indegree(10, 1.0).build(10, 7, rng=0).weights
    assert weights.nnz == 70 and np.all(weights.toarray() == 1.0)
    with pytest.raises(ValidationError, match=r"'k' parameter of fixed_indegree .* at most the 9"):
        fixed_indegree(10, 1.0, autapses=False).build(10, 10, rng=0, same_population=True)


def test_all_to_all_one_to_one_and_from_arrays():
    assert all_to_all(0.5).build(3, 4).weights.toarray().tolist() == [[0.5] * 4] * 3
    np.testing.assert_array_equal(all_to_all(1.0, autapses=False).build(
        3, 3, same_population=True).weights.toarray(), 1 - np.eye(3))
    np.testing.assert_array_equal(one_to_one(2.0).build(4, 4).weights.toarray(), 2 * np.eye(4))
    built = from_arrays([2, 0, 2], [1, 1, 1], [1.0, 2.0, 3.0], delays=[1.0, 2.0, 3.0]).build(3, 2)
    assert built.weights.indptr.tolist() == [0, 1, 1, 3]  # a pair may repeat (two synapses)
    assert built.weights.toarray()[2, 1] == 4.0
    np.testing.assert_array_equal(built.delays, [2.0, 1.0, 3.0])  # in the order of the CSR data


# --- Dale's law --------------------------------------------------------------------------

def test_dales_law_within_one_projection():
    net = Network()
    net.add_population("a", LIF(), 2)
    with pytest.raises(ValidationError, match=r"one sign \(Dale's law.*1 positive and 1 negative"):
        net.connect("a", "a", [[1.0, -1.0], [0.0, 0.0]])
    with pytest.raises(ValidationError, match="Dale"):
        net.connect("a", "a", from_arrays([0, 1], [1, 0], [0.5, -0.5]))


def test_dales_law_across_projections_of_one_population():
    net = Network()
    net.add_population("exc", LIF(), 5)
    net.add_population("other", LIF(), 5)
    net.connect("exc", "other", fixed_probability(0.5, 1.0))
    net.connect("exc", "exc", fixed_probability(0.5, 0.0))  # zero weights have no sign
    with pytest.raises(ValidationError, match=r"excitatory .* population 'exc' \(Dale's law\)"):
        net.connect("exc", "exc", fixed_probability(0.5, -1.0))
    net.connect("other", "exc", all_to_all(-1.0))  # another population may inhibit
    result = net.run(1.0)
    assert result.signs == {"exc": 1, "other": -1}


# --- population rate ---------------------------------------------------------------------

def test_population_rate_counts_spikes_per_neuron_per_second():
    net = Network()
    net.add_population("a", LIF(), 4)
    net.add_input("a", [[1.0, 3.5], [2.5]], np.array([[20.0, 20.0, 0, 0], [0, 0, 20.0, 0]]))
    result = net.run(4.0)
    t, rate = result.population_rate(bin_ms=2.0)
    np.testing.assert_allclose(t, [1.0, 3.0])
    # bin [0, 2): neurons 0, 1 at 1 ms; bin [2, 4): neurons 0, 1 at 3.5 ms, neuron 2 at 2.5 ms
    np.testing.assert_allclose(rate, [2 / (4 * 0.002), 3 / (4 * 0.002)])


# --- bad input ---------------------------------------------------------------------------

def _two_populations():
    net = Network()
    net.add_population("a", LIF(), 3)
    net.add_population("b", LIF(), 2)
    return net


@pytest.mark.parametrize("call, message", [
    (lambda net: net.connect("a", "c", all_to_all(1.0)),
     r"'post' parameter of Network.connect must be the name of a population .*\('a', 'b'\)\. Got 'c'"),
    (lambda net: net.connect("x", "a", all_to_all(1.0)), r"'pre' parameter .* Got 'x'"),
    (lambda net: net.add_input("z", [[1.0]], [1.0]), r"'post' parameter of Network.add_input"),
    (lambda net: net.connect("a", "b", np.ones((2, 3))),
     r"'connection' parameter of Network.connect must have shape \(3, 2\)"),
    (lambda net: net.connect("a", "b", [[1.0, math.nan]] * 3), r"'connection' .* finite"),
    (lambda net: net.connect("a", "b", scipy.sparse.csr_matrix(np.full((3, 2), math.nan))), r"finite"),
    (lambda net: net.connect("a", "b", all_to_all(1.0), delay=0.0), r"'delay' parameter of Network.connect"),
    (lambda net: net.connect("a", "b", all_to_all(1.0), delay=-1.0), r"'delay'"),
    (lambda net: net.connect("a", "b", from_arrays([0], [0], 1.0, delays=2.0), delay=1.0),
     r"'delay' parameter .* must be None when the connection carries its own delays"),
    (lambda net: net.connect("a", "b", from_arrays([0], [5], 1.0)) or net.run(1.0),
     r"'post' parameter of from_arrays must be neuron indices in \[0, 2\)"),
    (lambda net: net.add_input("a", [[1.0], [2.0]], [1.0]),
     r"'weights' parameter of Network.add_input must have shape \(2, 3\)"),
    (lambda net: net.add_input("a", [[1.0]], [math.nan]), r"'weights' .* finite"),
    (lambda net: net.add_input("a", [[1.0]], None), r"'weights' .* required"),
    (lambda net: net.add_population("a", LIF(), 2), r"'name' parameter .* a new name"),
    (lambda net: net.add_population("c", LIF(), 0), r"'n' parameter of Network.add_population"),
    (lambda net: net.add_population("c", LIF(), 2, v_init=[1.0, 2.0, 3.0]), r"'v_init' .* shape \(\) or \(2,\)"),
    (lambda net: net.add_population("c", LIF(), 2, current=[math.nan, 1.0]), r"'current' .* finite"),
    (lambda net: net.add_population("c", LIF(), 2, record_v=[2]), r"'record_v' .* indices in \[0, 2\)"),
    (lambda net: net.add_population("c", LIF(), 2, current=np.ones(7)) or net.run(1.0),
     r"'current' parameter of Network.add_population \('c'\) must have shape .* for 10 steps"),
    (lambda net: net.run(0.05), r"'duration' parameter of Network.run must be at least dt"),
    (lambda net: net.run(1.0, dt=0.0), r"'dt' parameter of Network.run"),
    (lambda net: fixed_probability(1.5, 1.0), r"'p' parameter of fixed_probability .* \[0, 1\]"),
    (lambda net: fixed_indegree(-1, 1.0), r"'k' parameter of fixed_indegree"),
    (lambda net: from_arrays([0, 1], [0], 1.0), r"'post' parameter of from_arrays must have shape \(2,\)"),
    (lambda net: from_arrays([0], [0], 1.0, delays=[0.0]), r"'delays' parameter of from_arrays must be positive"),
    (lambda net: from_arrays([0.5], [0], 1.0), r"'pre' parameter of from_arrays"),
])
def test_bad_input_is_named_with_its_value(call, message):
    with pytest.raises(ValidationError, match=message):
        call(_two_populations())


def test_a_delay_shorter_than_one_step_is_refused_when_the_network_runs():
    net = _two_populations()
    net.connect("a", "b", all_to_all(1.0), delay=0.04)
    with pytest.raises(ValidationError, match=r"'delay' parameter of Network.connect must be at "
                                               r"least one time step, dt = 0.1 ms \(projection 'a' → 'b'\)\. Got 0.04"):
        net.run(10.0, dt=0.1)
    net.run(10.0, dt=0.04)  # fine on a finer grid


def test_a_delay_off_the_grid_is_rounded_with_a_warning():
    net = _two_populations()
    net.connect("a", "b", all_to_all(1.0), delay=0.25)
    with pytest.warns(CoarseTimeStepWarning, match="rounded to whole steps"):
        result = net.run(2.0, dt=0.1)
    assert result.projections[0].delay_steps == 2


def test_type_errors_and_empty_network():
    net = _two_populations()
    with pytest.raises(TypeError, match="'model' parameter of Network.add_population"):
        net.add_population("c", "LIF", 3)
    with pytest.raises(TypeError, match="'connection' parameter of Network.connect must be a connection rule"):
        net.connect("a", "b", "all")
    with pytest.raises(TypeError):
        net.run(10.0, 0.1)  # dt is keyword-only
    with pytest.raises(ValidationError, match="no populations"):
        Network().run(10.0)
    with pytest.raises(KeyError, match="no population 'c'"):
        net.run(1.0)["c"]


def test_nothing_is_recorded_unless_asked():
    net = _two_populations()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = net.run(5.0)
    assert result["a"].v is None and result["a"].recorded.size == 0


# --- documentation -----------------------------------------------------------------------

@pytest.mark.parametrize("module", [spikeneuron.network, spikeneuron.connectivity])
def test_docstring_examples(module):
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_a_delay_longer_than_the_run_costs_no_memory_and_never_arrives():
    """The ring buffer holds at most n_steps + 2 slots: a delay of 10⁹ ms in a 20 ms run must
    not allocate 10¹⁰ slots, and its spikes are never delivered (counted as events all the same)."""
    net = Network()
    net.add_population("pre", LIF(), 1)
    net.add_population("post", LIF(), 1, record_v=True)
    net.connect("pre", "post", [[30.0]], delay=1e9)
    _trigger(net, "pre", 5.0)
    result = net.run(20.0, dt=DT)
    assert result["pre"].spike_counts.tolist() == [1] and result.synaptic_events == 1
    np.testing.assert_array_equal(result["post"].v, LIF().v_rest)
    assert result.projections[0].delay_steps == 10**10  # what was asked, as built


def test_mixed_sign_projection_equals_an_excitatory_and_an_inhibitory_one():
    # dale=False: each synapse acts through the current of its own sign, exactly as two
    # one-signed projections from identical twins of the presynaptic population do
    neuron = LIF(synapse=ExpSynapse(tau_ex=3.0, tau_in=9.0))
    weights = np.array([[0.8, -0.6, 0.0], [-0.4, 0.5, 0.7]])

    def run(split):
        net = Network()
        names = ("pre+", "pre-") if split else ("pre",)
        for name in names:
            net.add_population(name, neuron, 2, current=[2.0, 2.5])
        net.add_population("post", neuron, 3, record_v=True)
        if split:
            net.connect("pre+", "post", np.clip(weights, 0, None))
            net.connect("pre-", "post", np.clip(weights, None, 0))
        else:
            net.connect("pre", "post", weights, dale=False)
        return net.run(100.0, dt=0.1, seed=0)

    mixed, split = run(False), run(True)
    assert len(mixed["pre"].spike_steps) > 5
    np.testing.assert_allclose(mixed["post"].v, split["post"].v, rtol=0, atol=1e-12)
    with pytest.raises(ValidationError, match="Dale's law"):
        net = Network()
        net.add_population("a", neuron, 2)
        net.connect("a", "a", weights[:, :2])


def test_add_population_init_and_record_vars_equal_simulate():
    """A one-population network with init= and record_vars= is simulate with them."""
    neuron = LIF(synapse="exp")
    init = {"i_syn_ex": np.linspace(0.0, 2.0, 4)}
    alone = simulate(neuron, duration=50.0, n=4, init=init, record_vars=["i_syn_ex"],
                     current=1.0, seed=3)
    net = Network()
    net.add_population("p", neuron, 4, current=1.0, init=init, record_v=True,
                       record_vars=["i_syn_ex"])
    result = net.run(50.0, seed=3)["p"]
    np.testing.assert_array_equal(result.v, alone.v)
    np.testing.assert_array_equal(result.traces["i_syn_ex"], alone.traces["i_syn_ex"])
    _same_spikes_as(result, alone)


def test_populations_batched_together_keep_their_own_init_and_records():
    neuron = LIF(synapse="exp")
    net = Network()
    net.add_population("a", neuron, 3, init={"i_syn_ex": [0.1, 0.2, 0.3]}, record_v=[2],
                       record_vars=["i_syn_ex"])
    net.add_population("b", neuron, 2, init={"i_syn_ex": 1.0}, record_v=True,
                       record_vars=["i_syn_in"])
    result = net.run(10.0)
    assert result["a"].traces["i_syn_ex"][0].tolist() == [0.3]
    assert set(result["b"].traces) == {"i_syn_in"}
    assert result["b"].v[1].tolist() != [neuron.v_rest] * 2  # the current of 1 nA acted


def _same_spikes_as(a, b):
    np.testing.assert_array_equal(a.spike_steps, b.spike_steps)
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
