"""Compiled step kernels (numba), used when the optional extra ``spikeneuron[fast]`` is
installed; the numpy code of each model stays the reference and the fallback.

A kernel does in one pass over the neurons, and over many steps, what the numpy step does in
a dozen array calls per step, in the same order of floating-point operations, so both
backends give the same spikes.
Random numbers are never drawn here: the numpy Generator draws them and passes them in, so a
seed means the same noise on both backends. ``cache=True`` keeps the compiled code on disk:
only the first process on a machine compiles.

Each model keeps its kernels beside its numpy code (``models/lif_kernels.py``, ...), compiled
through :func:`compiled` or numba's decorator in a module imported only when needed.
"""

import importlib.util
import os

from . import _validation as check
from .exceptions import ValidationError

__all__ = []

#: Whether the extra is installed. numba itself is imported at the first compiled step, so
#: runs that never step (the event-driven paths) pay neither its import time nor its memory.
available = importlib.util.find_spec("numba") is not None

BACKENDS = ("numpy", "numba")
_compiled = {}


#: Environment variable that sets the default backend (used when ``backend=None``), e.g. to
#: run a whole test suite or program on the numpy reference without changing its code.
ENVIRONMENT = "SPIKENEURON_BACKEND"


def resolve_backend(backend, owner):
    """The backend to use: the one asked for; for None, ``$SPIKENEURON_BACKEND`` if set,
    else 'numba' when installed, else 'numpy'."""
    if backend is None:
        chosen = os.environ.get(ENVIRONMENT, "").strip()
        if not chosen:
            return "numba" if available else "numpy"
        if chosen not in BACKENDS:
            raise ValidationError(f"The environment variable {ENVIRONMENT} must be 'numpy' or 'numba'. "
                             f"Got {chosen!r} instead.")
        backend, owner = chosen, f"{owner} (from {ENVIRONMENT})"
    if not isinstance(backend, str):
        check.wrong_type("backend", owner, "None, 'numpy' or 'numba'", backend)
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
