"""Compiled step kernels (numba), used when the optional extra ``spikeneuron[fast]`` is
installed; the numpy code of each model stays the reference and the fallback.

A kernel does in one pass over the neurons, and over many steps, what the numpy step does in
a dozen array calls per step, in the same order of floating-point operations, so both
backends give the same spikes.
Random numbers are never drawn here: the numpy Generator draws them and passes them in, so a
seed means the same noise on both backends.

Each model keeps its kernels beside its numpy code (``models/lif_kernels.py``, ...), compiled
through :func:`jit` (as a decorator in a module imported only when needed, or through
:func:`compiled` on first use).

The on-disk cache. numba keeps each kernel's machine code in its cache (``__pycache__`` beside
the module, or ``$NUMBA_CACHE_DIR``), so only the first process on a machine compiles. numba
keys an entry on the kernel's own source file and bytecode, not on the helpers it compiles
into it from other files (``register_jitable``) nor on constants imported from them: after a
change to such a file (an upgrade, a ``git pull``) it would load the old machine code. The key
here also holds a hash of the source of every module of the package that the kernel's module
imports, transitively (:func:`_sources_digest`), so any such change compiles afresh. Two
processes may compile the same kernel at once: numba writes every file under a temporary
name and renames it into place, and here an entry's index and data file are also written and
read under a lock on the kernel (numba gives data files numbers from the index it read, so
two processes saving different signatures of one kernel could otherwise each write file 1
and leave the index pointing at the other's code).
"""

import ast
import contextlib
import functools
import hashlib
import importlib.util
import os
import sys

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
        _compiled[key] = jit(function)
    return _compiled[key]


def jit(function):
    """``function`` as a numba dispatcher (``nogil``; compiled at its first call), cached on
    disk under a key that also covers the sources of the modules it imports (see the module
    docstring). No ``fastmath``: the kernels must round exactly as the numpy reference does."""
    import numba

    dispatcher = numba.njit(nogil=True)(function)
    dispatcher._cache = _kernel_cache_class()(function)  # what cache=True would set, widened
    return dispatcher


@functools.cache
def _kernel_cache_class():
    from numba.core.caching import FunctionCache

    class KernelCache(FunctionCache):
        """numba's cache of one kernel, its key widened by the sources' digest, its entries
        saved and loaded under a lock on the kernel."""

        def __init__(self, py_func):
            super().__init__(py_func)
            self._sources = _sources_digest(py_func.__module__)
            self._lock_path = os.path.join(self._cache_path, self._impl.filename_base + ".lock")

        def _index_key(self, sig, codegen):
            return super()._index_key(sig, codegen) + (self._sources,)

        def load_overload(self, sig, target_context):
            if not os.path.isdir(self._cache_path):
                return None  # nothing cached yet
            with _locked(self._lock_path):
                return super().load_overload(sig, target_context)

        def save_overload(self, sig, data):
            self._impl.locator.ensure_cache_path()
            with _locked(self._lock_path):
                super().save_overload(sig, data)

    return KernelCache


@contextlib.contextmanager
def _locked(path):
    """Hold an exclusive lock on the file ``path`` (made if missing) where the system offers
    ``flock``; elsewhere, and where the file cannot be opened, go on unlocked (numba's own
    behaviour)."""
    try:
        import fcntl

        handle = open(path, "ab")  # noqa: SIM115 (closed below, after the unlock)
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@functools.cache
def _sources_digest(module_name):
    """sha256 (hex) of the package's version and the source of ``module_name`` and of every
    module of its top-level package that it imports, transitively (read from the files, the
    imports found by parsing them, inside functions too); "" for a module without a file."""
    package = module_name.partition(".")[0]
    version = getattr(sys.modules.get(package), "__version__", "")
    digest = hashlib.sha256(version.encode())
    seen, todo = set(), [module_name]
    while todo:
        name = todo.pop()
        path = getattr(sys.modules.get(name), "__file__", None)
        if name in seen or path is None:
            continue
        seen.add(name)
        with open(path, "rb") as file:
            source = file.read()
        digest.update(name.encode() + b"\0" + hashlib.sha256(source).digest())
        parent = name if os.path.basename(path) == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                todo.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""),
                                                   parent) if node.level else node.module
                # `from .x import y`: the module x.y if y is one, else x (y is in it)
                for alias in node.names:
                    todo.append(base + "." + alias.name if base + "." + alias.name in sys.modules
                                else base)
        todo[:] = [n for n in todo if n == package or n.startswith(package + ".")]
    if not seen:
        return ""
    return digest.hexdigest()
