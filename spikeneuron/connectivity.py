"""Connection rules between two populations: who connects to whom, with which weight and delay.

A rule is a small immutable value (:func:`all_to_all`, :func:`one_to_one`,
:func:`fixed_probability`, :func:`fixed_indegree`, :func:`from_arrays`) that a
:class:`~spikeneuron.network.Network` turns into synapses when it runs, with the run's random
generator, so that one seed fixes the whole network. ``rule.build(n_pre, n_post, rng=...)``
draws the synapses on its own, e.g. to inspect them.

Synapses are held as a (presynaptic × postsynaptic) ``scipy.sparse`` CSR matrix of signed
weights: row i lists the targets of neuron i, which is what a spike of neuron i needs.
Weights are in mV (delta synapses) or nA (exponential synapses); positive excites, negative
inhibits. Indices are int32 (int64 beyond 2³¹), weights float64, or float32 with
``build(..., dtype=numpy.float32)`` (``Network.run(..., weight_dtype='float32')``): 12 or 8
bytes a synapse. A rule of one weight (all but :func:`from_arrays` with an array of weights)
stores that weight once: ``weights.data`` is then a read-only view of one value, and a
synapse costs its 4-byte target alone (``weights.copy()`` gives a matrix to modify). Rules
draw their rows in order, in pieces, without holding a second copy of the synapses.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse

from . import _validation as check
from .exceptions import ValidationError

__all__ = ["Connections", "all_to_all", "one_to_one", "fixed_probability", "fixed_indegree",
           "from_arrays"]

#: Random keys drawn at once by fixed_indegree (bounds its memory, 32 MiB).
_KEYS_PER_BLOCK = 2**22


@dataclass(frozen=True, eq=False)
class Connections:
    """Synapses drawn by a rule.

    Attributes
    ----------
    weights : scipy.sparse.csr_matrix, shape (n_pre, n_post)
        Signed weights, mV or nA. Several synapses between one pair (from :func:`from_arrays`)
        are kept as separate entries of a row.
    delays : ndarray, shape (nnz,), or None
        Delay of each stored synapse, ms, in the order of ``weights.data``; None when the
        delay is set for the whole projection (``Network.connect(..., delay=...)``).
    """

    weights: scipy.sparse.csr_matrix
    delays: np.ndarray | None = None


def _weight(weight, owner):
    return check.real("weight", owner, weight)


def _index_dtype(count):
    """int32 for synapse counts and neuron indices that fit (half the memory of int64)."""
    return np.int32 if count < 2**31 else np.int64


def _weights_array(dtype):
    """The storage type of weights: float64 (default, exact) or float32 (Network.run checks)."""
    return np.dtype(np.float64 if dtype is None else dtype)


def _matrix(data, indices, indptr, n_pre, n_post):
    """A CSR matrix that keeps the arrays given (scipy copies indices of unequal types)."""
    index = _index_dtype(max(n_pre, n_post, indices.size))
    matrix = scipy.sparse.csr_matrix((n_pre, n_post), dtype=data.dtype)
    matrix.data, matrix.indices, matrix.indptr = data, indices.astype(index, copy=False), \
        indptr.astype(index, copy=False)
    return matrix


def _csr(pre, post, weights, n_pre, n_post, delays=None, dtype=None):
    """CSR matrix from synapse lists, rows ordered by (pre, post), duplicates kept."""
    order = np.lexsort((post, pre))
    if np.ndim(weights) == 0:
        data = _one_weight(weights, order.size, dtype)
    else:
        data = np.asarray(weights, dtype=_weights_array(dtype))[order]
    indptr = np.zeros(n_pre + 1, dtype=np.int64)
    np.cumsum(np.bincount(pre, minlength=n_pre), out=indptr[1:])
    indices = post[order].astype(_index_dtype(n_post))
    return Connections(_matrix(data, indices, indptr, n_pre, n_post),
                       None if delays is None else np.asarray(delays, dtype=float)[order])


def _one_weight(weight, count, dtype):
    """``count`` synapses of one weight: a read-only view of one stored value (no memory per
    synapse; the network delivers it without reading an array)."""
    return np.broadcast_to(np.asarray(weight, dtype=_weights_array(dtype)), (count,))


def _rows(indptr, indices, weight, n_pre, n_post, dtype):
    """Connections of one weight from CSR rows."""
    return Connections(_matrix(_one_weight(weight, indices.size, dtype), indices, indptr,
                               n_pre, n_post))


#: Geometric gaps drawn at once by fixed_probability (bounds its scratch memory to a few MiB).
_GAPS_PER_PIECE = 2**18


def _bernoulli_rows(n_rows, columns, p, rng, skip_self):
    """The successes among n_rows × columns independent Bernoulli(p) trials, as CSR rows:
    (indptr, column indices), rows in order and columns sorted within each row. With
    ``skip_self``, row i's candidate columns skip column i (there are ``columns`` of them).

    The gaps between successes are geometric, so drawing them costs O(p·size), not O(size);
    they are drawn in pieces and turned into indices as they come, so that nothing of the
    size of the result is held but the result itself (4 bytes a synapse). The gaps are those
    of one draw of blocks of ``block`` gaps (the original algorithm, which drew whole blocks
    until they passed the end): the same synapses for a seed, and the generator left in the
    same state for the rules drawn after.
    """
    size = n_rows * columns
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    if p == 0.0 or size == 0:
        return indptr, np.empty(0, dtype=_index_dtype(columns))
    if p == 1.0:
        indptr[1:] = np.arange(1, n_rows + 1) * columns
        indices = np.tile(np.arange(columns, dtype=_index_dtype(columns + 1)), n_rows)
        if skip_self:
            indices += indices >= np.repeat(np.arange(n_rows), columns)
        return indptr, indices
    expected = size * p
    block = int(expected + 6.0 * np.sqrt(expected) + 16)
    indices = np.empty(block, dtype=_index_dtype(columns + 1))
    counts = indptr[1:]  # synapses per row, summed into indptr at the end
    found, drawn, last = 0, 0, -1
    while last < size:
        piece = min(_GAPS_PER_PIECE, block - drawn % block)
        positions = np.cumsum(rng.geometric(p, piece))
        positions += last
        drawn += piece
        last = int(positions[-1])
        if positions[0] >= size:
            continue
        if last >= size:
            positions = positions[:np.searchsorted(positions, size)]
        rows, cols = np.divmod(positions, columns)
        if skip_self:
            cols += cols >= rows
        first_row = int(rows[0])
        per_row = np.bincount(rows - first_row)
        counts[first_row:first_row + per_row.size] += per_row
        if found + cols.size > indices.size:  # beyond six standard deviations: grow
            indices = np.resize(indices, max(found + cols.size, 2 * indices.size))
        indices[found:found + cols.size] = cols
        found += cols.size
    # the rest of the last block, as the original algorithm drew it (its gaps unused)
    rest = -drawn % block
    while rest:
        piece = min(rest, _GAPS_PER_PIECE)
        rng.geometric(p, piece)
        rest -= piece
    np.cumsum(indptr, out=indptr)
    indices.resize(found, refcheck=False)
    return indptr, indices


@dataclass(frozen=True)
class _AllToAll:
    weight: float
    autapses: bool

    def build(self, n_pre, n_post, *, rng=None, same_population=False, dtype=None):
        skip_self = same_population and not self.autapses
        indptr, indices = _bernoulli_rows(n_pre, n_post - 1 if skip_self else n_post, 1.0,
                                          None, skip_self)
        return _rows(indptr, indices, self.weight, n_pre, n_post, dtype)


def all_to_all(weight, *, autapses=True):
    """Every presynaptic neuron connects to every postsynaptic one with the same weight.

    Parameters
    ----------
    weight : float
        Signed weight of every synapse, mV (delta synapses) or nA (exponential synapses).
    autapses : bool
        Whether a neuron connects to itself when a population projects onto itself.
    """
    return _AllToAll(_weight(weight, "all_to_all"), check.flag("autapses", "all_to_all", autapses))


@dataclass(frozen=True)
class _OneToOne:
    weight: float

    def build(self, n_pre, n_post, *, rng=None, same_population=False, dtype=None):
        if n_pre != n_post:
            raise ValidationError(f"The 'connection' parameter one_to_one needs populations of equal "
                                  f"size. Got {n_pre} presynaptic and {n_post} postsynaptic "
                                  f"neurons instead.")
        neurons = np.arange(n_pre)
        return _csr(neurons, neurons, self.weight, n_pre, n_post, dtype=dtype)


def one_to_one(weight):
    """Neuron i of one population connects to neuron i of another of the same size.

    Parameters
    ----------
    weight : float
        Signed weight of every synapse, mV or nA.
    """
    return _OneToOne(_weight(weight, "one_to_one"))


@dataclass(frozen=True)
class _FixedProbability:
    p: float
    weight: float
    autapses: bool

    def build(self, n_pre, n_post, *, rng, same_population=False, dtype=None):
        rng = np.random.default_rng(rng)
        skip_self = same_population and not self.autapses
        # the candidate list of neuron i skips i itself
        indptr, indices = _bernoulli_rows(n_pre, n_post - 1 if skip_self else n_post, self.p,
                                          rng, skip_self)
        return _rows(indptr, indices, self.weight, n_pre, n_post, dtype)


def fixed_probability(p, weight, *, autapses=True):
    """Each (pre, post) pair is connected independently with probability ``p``.

    The in-degree of a neuron is then binomial, Binomial(n_pre, p) (n_pre − 1 candidates
    without autapses), as in NEST's ``pairwise_bernoulli`` and PyNN's
    ``FixedProbabilityConnector``.

    Parameters
    ----------
    p : float
        Connection probability, in [0, 1].
    weight : float
        Signed weight of every synapse, mV or nA.
    autapses : bool
        Whether a neuron may connect to itself when a population projects onto itself.

    Examples
    --------
    >>> rule = fixed_probability(0.1, 0.5)
    >>> rule.build(100, 100, rng=0).weights.shape
    (100, 100)
    """
    owner = "fixed_probability"
    return _FixedProbability(check.real("p", owner, p, low=0.0, high=1.0), _weight(weight, owner),
                             check.flag("autapses", owner, autapses))


@dataclass(frozen=True)
class _FixedIndegree:
    k: int
    weight: float
    autapses: bool

    def build(self, n_pre, n_post, *, rng, same_population=False, dtype=None):
        rng = np.random.default_rng(rng)
        skip_self = same_population and not self.autapses
        candidates = n_pre - 1 if skip_self else n_pre
        k = self.k
        if k > candidates:
            check.fail("k", "fixed_indegree",
                       f"at most the {candidates} candidate presynaptic neurons", k)
        # Sources column by column (synapse e targets e // k), 4 bytes a synapse.
        pre = np.empty(n_post * k, dtype=_index_dtype(n_pre))
        if k:
            block = max(1, _KEYS_PER_BLOCK // max(candidates, 1))
            for first in range(0, n_post, block):
                targets = np.arange(first, min(first + block, n_post))
                # The k smallest of independent uniform keys are a uniform k-subset.
                keys = rng.random((targets.size, candidates))
                chosen = np.argpartition(keys, k - 1, axis=1)[:, :k]
                if skip_self:
                    chosen += chosen >= targets[:, None]
                pre[first * k:(first + targets.size) * k] = chosen.ravel()
        # Rows by a stable sort on the source alone: targets stay ascending within a row, as
        # a sort on (pre, post) would leave them, without a second array of synapses.
        order = np.argsort(pre, kind="stable")
        indptr = np.zeros(n_pre + 1, dtype=np.int64)
        np.cumsum(np.bincount(pre, minlength=n_pre), out=indptr[1:])
        del pre
        order //= max(k, 1)
        indices = order.astype(_index_dtype(n_post))
        del order
        return _rows(indptr, indices, self.weight, n_pre, n_post, dtype)


def fixed_indegree(k, weight, *, autapses=True):
    """Each postsynaptic neuron receives exactly ``k`` synapses from distinct presynaptic ones.

    The k sources of each neuron are a uniformly random subset, drawn independently for
    every postsynaptic neuron (NEST's ``fixed_indegree`` without multapses).

    Parameters
    ----------
    k : int
        In-degree, >= 0 and at most the number of candidate sources.
    weight : float
        Signed weight of every synapse, mV or nA.
    autapses : bool
        Whether a neuron may connect to itself when a population projects onto itself.
    """
    owner = "fixed_indegree"
    k = check.integer("k", owner, k, low=0, what="synapses per neuron")
    return _FixedIndegree(k, _weight(weight, owner), check.flag("autapses", owner, autapses))


@dataclass(frozen=True, eq=False)
class _FromArrays:
    pre: np.ndarray
    post: np.ndarray
    weights: np.ndarray
    delays: np.ndarray | None

    def build(self, n_pre, n_post, *, rng=None, same_population=False, dtype=None):
        for name, indices, size in (("pre", self.pre, n_pre), ("post", self.post, n_post)):
            if indices.size and indices.max() >= size:
                check.fail(name, "from_arrays", f"neuron indices in [0, {size})",
                           f"index {int(indices.max())}")
        return _csr(self.pre, self.post, self.weights, n_pre, n_post, self.delays, dtype)


def from_arrays(pre, post, weights, delays=None):
    """Synapses listed one by one: synapse j goes from ``pre[j]`` to ``post[j]``.

    A pair may appear more than once (several synapses between two neurons).

    Parameters
    ----------
    pre, post : array-like of int, shape (n_synapses,)
        Presynaptic and postsynaptic neuron of each synapse (indices within the populations).
    weights : float or array-like, shape (n_synapses,)
        Signed weight of each synapse, mV or nA.
    delays : None, float or array-like, shape (n_synapses,)
        Delay of each synapse, ms (> 0; at least one time step when the network runs). None
        leaves the delay to ``Network.connect``.

    Examples
    --------
    >>> chain = from_arrays([0, 1, 2], [1, 2, 3], 20.0)   # 0 → 1 → 2 → 3
    >>> chain.build(4, 4).weights.nnz
    3
    """
    owner = "from_arrays"
    indices = {}
    for name, values in (("pre", pre), ("post", post)):
        array = np.atleast_1d(check.finite_array(name, owner, values))
        if array.ndim != 1 or np.any(array < 0) or np.any(array != np.round(array)):
            check.fail(name, owner, "a 1-D array of non-negative neuron indices", values)
        indices[name] = array.astype(np.int64)
    if indices["pre"].size != indices["post"].size:
        check.shape_mismatch("post", owner, f"({indices['pre'].size},) like 'pre'",
                             indices["post"].shape)
    size = indices["pre"].size
    weights = check.finite_array("weights", owner, weights)
    if weights.shape not in ((), (size,)):
        check.shape_mismatch("weights", owner, f"() or ({size},)", weights.shape)
    if delays is not None:
        delays = check.finite_array("delays", owner, delays)
        if delays.shape not in ((), (size,)):
            check.shape_mismatch("delays", owner, f"() or ({size},)", delays.shape)
        if delays.size and delays.min() <= 0:
            check.fail("delays", owner, "positive (ms)", f"a delay of {delays.min():g} ms")
        delays = np.broadcast_to(delays, (size,)).copy()
    return _FromArrays(indices["pre"], indices["post"], np.broadcast_to(weights, (size,)).copy(),
                       delays)


#: The rule types a Network accepts in ``connect``.
RULES = (_AllToAll, _OneToOne, _FixedProbability, _FixedIndegree, _FromArrays)
