"""Compiled step kernels (numba), used when the optional extra ``spikeneuron[fast]`` is
installed; the numpy code of each model stays the reference and the fallback.

A kernel does in one pass over the neurons what the numpy step does in a dozen array calls,
in the same order of floating-point operations, so both backends give the same spikes.
Random numbers are never drawn here: the numpy Generator draws them and passes them in, so a
seed means the same noise on both backends. ``cache=True`` keeps the compiled code on disk:
only the first process on a machine compiles.

Hodgkin–Huxley has no kernel: its step is ten exponentials per neuron, which numpy's
vectorised exp computes as fast as a compiled scalar loop (measured: 92 against 81 µs a
step for 1000 neurons), so it stays on numpy whatever the backend.
"""

import importlib.util

from . import _validation as check

__all__ = []

#: Whether the extra is installed. numba itself is imported at the first compiled step, so
#: runs that never step (the event-driven paths) pay neither its import time nor its memory.
available = importlib.util.find_spec("numba") is not None

BACKENDS = ("numpy", "numba")
_compiled = {}


def resolve_backend(backend, owner):
    """The backend to use: 'numba' when available and not refused, else 'numpy'."""
    if backend is None:
        return "numba" if available else "numpy"
    if backend not in BACKENDS:
        check.fail("backend", owner, "None, 'numpy' or 'numba'", backend)
    if backend == "numba" and not available:
        raise ImportError(f"The 'backend' parameter of {owner} asks for 'numba', which is not "
                          "installed; install it with pip install 'spikeneuron[fast]', or pass "
                          "backend='numpy'.")
    return backend


def compiled(function):
    """``function`` compiled by numba (or loaded from numba's on-disk cache) on first use.

    Kernels are plain Python functions written in the subset numba compiles, kept beside the
    numpy code they mirror; ``nogil`` lets threads run them on separate blocks of neurons.
    No ``fastmath``: the kernels must round exactly as the numpy reference does.
    """
    key = (function.__module__, function.__qualname__)
    if key not in _compiled:
        import numba

        _compiled[key] = numba.njit(cache=True, nogil=True)(function)
    return _compiled[key]


def lif_step():
    """The compiled LIF step (compiled, or loaded from numba's cache, on first use)."""
    return compiled(_lif_step)

def _lif_step(v, refractory, i_syn, syn_decay, syn_to_v, decay, v_rest, drive, noise,
              noise_std, synaptic, delta_input, v_reset, v_th, refractory_steps, spiked):
    """One exact LIF step of every neuron (see LIFIntegrator.step); returns the spikes' count.

    ``i_syn`` has 0 rows for delta synapses, 2 for exponential ones; ``noise`` is empty
    without white noise; ``synaptic`` is (channels, n) or (0, n) without input. Written
    without branches inside the loop (selects instead), which lets the compiler vectorise it.
    """
    n = v.size
    exp_synapse = i_syn.shape[0] == 2
    has_noise = noise.size > 0
    has_input = synaptic.shape[0] > 0
    to_v_ex, to_v_in, decay_ex, decay_in = syn_to_v[0], syn_to_v[1], syn_decay[0], syn_decay[1]
    count = 0
    for i in range(n):
        x = (v[i] - v_rest) * decay
        x += drive[i]
        if exp_synapse:
            current_ex, current_in = i_syn[0, i], i_syn[1, i]
            x += to_v_ex * current_ex + to_v_in * current_in
            current_ex *= decay_ex
            current_in *= decay_in
            if has_input and not delta_input:
                current_ex += synaptic[0, i]
                current_in += synaptic[1, i]
            i_syn[0, i], i_syn[1, i] = current_ex, current_in
        if has_noise:
            x += noise_std * noise[i]
        if has_input and delta_input:
            x += synaptic[0, i]
        left = refractory[i]
        held = left > 0
        x = v_reset if held else x
        left = left - 1 if held else left
        fired = x >= v_th
        x = v_reset if fired else x
        refractory[i] = refractory_steps if fired else left
        spiked[i] = fired
        count += fired
        v[i] = x
    return count


def prepare():
    """Load (or compile) the kernels now, so that a timed run measures stepping alone (as
    Brian2's run time leaves out its code generation and compilation). Does nothing without
    numba."""
    if not available:
        return
    import numpy as np

    for exp_synapse in (False, True):
        n = 1
        lif_step()(np.zeros(n), np.zeros(n, np.int32), np.zeros((2 if exp_synapse else 0, n)),
                   np.ones(2), np.ones(2), 1.0, 0.0, np.zeros(n), np.empty(0), 0.0,
                   np.empty((0, n)), not exp_synapse, -1.0, 1.0, 0, np.empty(n, bool))
