"""Connection rules at size: the same synapses as the reference algorithms, drawn in pieces,
stored once (int32 indices; float32 weights on request), and what float32 weights change."""

import numpy as np
import pytest
import scipy.sparse

import spikeneuron.connectivity as connectivity
import spikeneuron.engine as engine
from spikeneuron import LIF, Network, fixed_indegree, fixed_probability
from spikeneuron.connectivity import all_to_all, from_arrays


def _reference_fixed_probability(n_pre, n_post, p, rng, skip_self):
    """The original algorithm: all geometric gaps in whole blocks, then a sort by (pre, post)."""
    columns = n_post - 1 if skip_self else n_post
    size = n_pre * columns
    if p == 0.0 or size == 0:
        positions = np.empty(0, dtype=np.int64)
    elif p == 1.0:
        positions = np.arange(size)
    else:
        expected = size * p
        block = int(expected + 6.0 * np.sqrt(expected) + 16)
        positions = np.cumsum(rng.geometric(p, block)) - 1
        while positions[-1] < size:
            positions = np.concatenate([positions, positions[-1] + np.cumsum(rng.geometric(p, block))])
        positions = positions[positions < size]
    pre, post = np.divmod(positions, max(columns, 1))
    if skip_self:
        post += post >= pre
    return scipy.sparse.csr_matrix((np.ones(pre.size), (pre, post)), shape=(n_pre, n_post))


def _reference_fixed_indegree(n_pre, n_post, k, rng, skip_self):
    """The original algorithm: k smallest uniform keys per target, then a lexsort."""
    candidates = n_pre - 1 if skip_self else n_pre
    block = max(1, connectivity._KEYS_PER_BLOCK // max(candidates, 1))
    pre, post = [], []
    for first in range(0, n_post, block):
        targets = np.arange(first, min(first + block, n_post))
        keys = rng.random((targets.size, candidates))
        chosen = np.argpartition(keys, k - 1, axis=1)[:, :k]
        if skip_self:
            chosen += chosen >= targets[:, None]
        pre.append(chosen.ravel())
        post.append(np.repeat(targets, k))
    pre, post = np.concatenate(pre), np.concatenate(post)
    order = np.lexsort((post, pre))
    return pre[order], post[order]


@pytest.mark.parametrize("piece", [3, 1000, connectivity._GAPS_PER_PIECE])
@pytest.mark.parametrize("n_pre, n_post, p, skip_self", [
    (100, 100, 0.1, True), (700, 300, 0.01, False), (3, 5, 0.9, True), (40, 40, 1.0, True),
    (500, 400, 0.3, False), (7, 1, 0.5, True), (20, 30, 0.0, False)])
def test_fixed_probability_draws_what_the_reference_draws(monkeypatch, piece, n_pre, n_post, p,
                                                          skip_self):
    """Drawn in pieces of any size, the same synapses for a seed as the original whole-block
    algorithm, and the generator left in the same state (the next rule draws the same)."""
    monkeypatch.setattr(connectivity, "_GAPS_PER_PIECE", piece)
    for seed in range(3):
        ours, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
        built = fixed_probability(p, 1.0, autapses=not skip_self).build(
            n_pre, n_post, rng=ours, same_population=True).weights
        expected = _reference_fixed_probability(n_pre, n_post, p, theirs, skip_self)
        np.testing.assert_array_equal(built.indptr, expected.indptr)
        np.testing.assert_array_equal(built.indices, expected.indices)
        assert built.has_sorted_indices
        assert ours.random() == theirs.random()


@pytest.mark.parametrize("n_pre, n_post, k, skip_self", [(50, 40, 7, True), (30, 200, 30, False),
                                                         (5000, 3, 1, False)])
def test_fixed_indegree_draws_what_the_reference_draws(n_pre, n_post, k, skip_self):
    ours, theirs = np.random.default_rng(5), np.random.default_rng(5)
    built = fixed_indegree(k, 1.0, autapses=not skip_self).build(
        n_pre, n_post, rng=ours, same_population=True).weights
    pre, post = _reference_fixed_indegree(n_pre, n_post, k, theirs, skip_self)
    np.testing.assert_array_equal(np.repeat(np.arange(n_pre), np.diff(built.indptr)), pre)
    np.testing.assert_array_equal(built.indices, post)
    assert ours.random() == theirs.random()


@pytest.mark.parametrize("rule", [fixed_probability(0.2, 0.5), fixed_indegree(4, 0.5),
                                  all_to_all(0.5), from_arrays([0, 3], [1, 2], 0.5)])
def test_rules_store_int32_indices_and_the_weight_type_asked_for(rule):
    for dtype, size in ((None, 8), (np.float32, 4)):
        weights = rule.build(10, 12, rng=1, dtype=dtype).weights
        assert weights.indices.dtype == np.int32 and weights.indptr.dtype == np.int32
        assert weights.data.dtype.itemsize == size
        np.testing.assert_array_equal(weights.data, 0.5)


def _feed_forward(delta_weight):
    """Population 'a' fires on its own (constant currents); 'b' only receives, below
    threshold, through a random projection with many different weights."""
    net = Network()
    net.add_population("a", LIF(), 50, current=np.linspace(1.6, 3.0, 50))
    net.add_population("b", LIF(v_th=100.0), 40, record_v=True)
    rng = np.random.default_rng(2)
    pre, post = np.nonzero(rng.random((50, 40)) < 0.3)
    net.connect("a", "b", from_arrays(pre, post, delta_weight * rng.uniform(0.5, 1.5, pre.size)),
                delay=1.0)
    return net


def test_float32_weights_change_the_potential_by_their_rounding_alone():
    """With delta synapses V is the sum of the decayed jumps it received, so storing each
    weight w as float32 moves V by at most Σ |w − fl32(w)| over the jumps received (each at
    most |w|·2⁻²⁴), plus float64 rounding. The spikes of 'a' cannot change (nothing reaches
    it); the bound must hold and the difference must not be zero (float32 was used)."""
    net = _feed_forward(0.37)
    exact = net.run(300.0, seed=0, backend="numpy")
    rounded = net.run(300.0, seed=0, backend="numpy", weight_dtype="float32")
    np.testing.assert_array_equal(exact["a"].spike_steps, rounded["a"].spike_steps)
    weights = exact.projections[0].weights
    error_per_spike = np.abs(weights.data - weights.data.astype(np.float32).astype(float))
    per_source = np.asarray(scipy.sparse.csr_matrix(
        (error_per_spike, weights.indices, weights.indptr), shape=weights.shape).sum(axis=1)).ravel()
    bound = float(exact["a"].spike_counts @ per_source) + 1e-12
    difference = np.abs(exact["b"].v - rounded["b"].v).max()
    assert 0.0 < difference <= bound
    assert rounded.projections[0].weights.data.dtype == np.float32


@pytest.mark.skipif(not engine._kernels.available, reason="numba (extra 'fast') not installed")
def test_float32_weights_give_the_same_spikes_on_both_backends():
    neuron = LIF(tau_m=20.0, v_rest=-49.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0,
                 synapse="exp")  # CUBA's
    net = Network()
    v_init = np.random.default_rng(3).uniform(-60.0, -50.0, 1000)
    net.add_population("exc", neuron, 800, v_init=v_init[:800])
    net.add_population("inh", neuron, 200, v_init=v_init[800:])
    for post in ("exc", "inh"):
        net.connect("exc", post, fixed_probability(0.08, 0.162, autapses=False))
        net.connect("inh", post, fixed_probability(0.08, -0.9, autapses=False))
    runs = [net.run(200.0, seed=4, backend=backend, weight_dtype="float32")
            for backend in ("numpy", "numba")]
    for name in ("exc", "inh"):
        np.testing.assert_array_equal(runs[0][name].spike_steps, runs[1][name].spike_steps)
        np.testing.assert_array_equal(runs[0][name].spike_neurons, runs[1][name].spike_neurons)
    assert runs[0]["exc"].spike_counts.sum() > 100


def test_the_run_delivers_from_the_projections_own_arrays(monkeypatch):
    """The network never holds two copies of its synapses: the pathways the loop reads are
    the arrays of the projections in the result."""
    seen = []
    loop = engine.run

    def keep(groups, pathways, **kwargs):
        seen.extend(pathways)
        return loop(groups, pathways, **kwargs)

    monkeypatch.setattr(engine, "run", keep)
    net = _feed_forward(0.5)
    net.connect("b", "a", fixed_probability(0.2, -0.1))
    result = net.run(20.0, seed=0, weight_dtype="float32")
    for pathway, projection in zip(seen, result.projections):
        assert pathway.targets is projection.weights.indices
        assert pathway.weights is projection.weights.data
