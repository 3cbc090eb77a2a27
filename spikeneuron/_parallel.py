"""Work split over threads in fixed blocks of neurons, so that results never depend on how
many threads ran it.

numpy releases the GIL inside its array loops and its random fills, so blocks of one step run
truly in parallel. The blocks, and the random stream of each block, are fixed by the batch
size alone; the number of threads only decides who computes which block.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

#: Neurons per block: large enough that a block's work (~100 µs) dwarfs the hand-over.
BLOCK = 1 << 15
#: Threads used; None means min(2, cores). Tests set it to compare 1 thread with several.
threads = None

_pool = None


def _workers():
    return threads if threads is not None else min(2, os.cpu_count() or 1)


def blocks(n):
    """The fixed blocks of a batch of n neurons, as slices: one block when n <= BLOCK, else a
    multiple of four blocks of (nearly) equal size, at most BLOCK each, so that one, two or
    four threads share the work evenly (four blocks of 25 000 for 10⁵ neurons, where blocks of
    BLOCK would leave one of two threads idle half the time)."""
    if n <= BLOCK:
        return [slice(0, n)]
    count = 4 * -(-n // (4 * BLOCK))
    edges = [n * i // count for i in range(count + 1)]
    return [slice(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])]


def block_generators(rng, count):
    """``count`` independent generators seeded from one draw of ``rng`` (a numpy Generator)."""
    root = np.random.SeedSequence(rng.integers(0, 2**63, size=2).tolist())
    return [np.random.default_rng(child) for child in root.spawn(count)]


def run_blocks(function, count):
    """Call ``function(i)`` for i in range(count), over threads when there are several."""
    global _pool
    workers = _workers()
    if workers <= 1 or count <= 1:
        for i in range(count):
            function(i)
        return
    if _pool is None or _pool._max_workers != workers:
        _pool = ThreadPoolExecutor(workers, thread_name_prefix="spikeneuron")
    for _ in _pool.map(function, range(count)):
        pass
