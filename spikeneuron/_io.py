"""Atomic file writing: write to a temporary file beside the target, then rename over it.

An interrupted run therefore leaves either the previous file or the new one, never half a file.
"""

import json
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from .exceptions import ValidationError


def _default_file_mode():
    # mkstemp creates files readable by their owner only; results should get the permissions
    # any other new file would get (0666 less the umask).
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _default_file_mode()


@contextmanager
def _atomic_path(path, suffix):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(handle)
    try:
        yield temporary
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path, text):
    """Write a text file atomically (UTF-8)."""
    with _atomic_path(path, ".tmp") as temporary:
        Path(temporary).write_text(text, encoding="utf-8")


#: Significant digits kept in written summaries: enough for any measured number, and it turns
#: float noise such as 0.30000000000000004 into 0.3 (a value below 1e-12 times the largest
#: number it is compared with is not rounded to zero here: only its own digits are trimmed).
SIGNIFICANT_DIGITS = 12


#: Key of the note :func:`write_json_atomic` adds when it wrote ``null`` for a number that was
#: not finite: ``{"where": "inf" | "-inf" | "nan"}``, where is the key path ("a.b[2]").
NOT_FINITE_NOTE = "not_finite"


def write_json_atomic(path, data):
    """Write JSON atomically; numpy numbers and arrays become plain, rounded numbers and lists.

    JSON has no NaN or infinity (Python's ``NaN``/``Infinity`` are not JSON and other readers
    refuse them), so a number that is not finite is written as ``null``, and a dictionary gets a
    note under :data:`NOT_FINITE_NOTE` saying which entries were what (``{"rate_hz": "inf"}``).
    A list or a number at the top level, which has no room for a note, is refused instead.
    """
    data, found = json_safe(plain(data))
    if found:
        if not isinstance(data, dict):
            raise ValidationError(f"cannot write {path}: JSON has no NaN or infinity, and a "
                                  f"{type(data).__name__} has no room for a note saying where "
                                  f"({', '.join(f'{k} = {v}' for k, v in found.items())})")
        data = {**data, NOT_FINITE_NOTE: {**data.get(NOT_FINITE_NOTE, {}), **found}}
    write_text_atomic(path, json.dumps(data, indent=2, allow_nan=False) + "\n")


def json_safe(data, where=""):
    """``(data with each non-finite float replaced by None, {key path: "inf"/"-inf"/"nan"})``."""
    found = {}
    if isinstance(data, float) and not np.isfinite(data):
        return None, {where or "value": str(data)}
    if isinstance(data, list):
        items = []
        for index, item in enumerate(data):
            item, more = json_safe(item, f"{where}[{index}]")
            items.append(item)
            found.update(more)
        return items, found
    if isinstance(data, dict):
        items = {}
        for key, value in data.items():
            items[key], more = json_safe(value, f"{where}.{key}" if where else str(key))
            found.update(more)
        return items, found
    return data, found


def plain(data):
    """The same data with numpy numbers and arrays turned into Python numbers and lists.

    Floats are rounded to :data:`SIGNIFICANT_DIGITS` significant digits.
    """
    return _rounded(json.loads(json.dumps(data, default=_to_json)))


def _rounded(data):
    if isinstance(data, float):
        return float(f"{data:.{SIGNIFICANT_DIGITS}g}") if np.isfinite(data) else data
    if isinstance(data, list):
        return [_rounded(item) for item in data]
    if isinstance(data, dict):
        return {key: _rounded(value) for key, value in data.items()}
    return data


def _to_json(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def save_npz_atomic(path, **arrays):
    """Save arrays to a .npz file atomically."""
    with _atomic_path(path, ".npz") as temporary:
        np.savez_compressed(temporary, **arrays)


def savefig_atomic(figure, path, **kwargs):
    """Save a matplotlib figure atomically (format from the target's suffix)."""
    path = Path(path)
    with _atomic_path(path, path.suffix) as temporary:
        figure.savefig(temporary, format=path.suffix.lstrip(".") or "png", **kwargs)


# -- one run per results folder ----------------------------------------------------------------

_HELD = {}  # folder -> open lock file, for folders this process has locked (re-entrant)
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.[A-Za-z0-9]+$")  # what _atomic_path leaves


_LOCK_NAME = ".spikeneuron.lock"


@contextmanager
def folder_lock(folder):
    """Hold ``folder/.spikeneuron.lock`` for the duration: a second run into the same folder is
    refused with a clear message. Re-entrant within a process; a no-op where ``fcntl`` is
    missing (Windows). The lock file is removed when the run ends (normally, by an error or by
    Ctrl-C); one left by a killed process holds no lock and is removed by the next run, with
    the half-written temporary files it left in the folder's tree."""
    folder = Path(folder).resolve()
    if folder in _HELD:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    path = folder / _LOCK_NAME
    handle = _acquire(path, fcntl)
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        _HELD[folder] = handle
        remove_stale_temporaries(folder)
        yield
    finally:
        _HELD.pop(folder, None)
        # Removed while still locked, so no other process can be holding it; a process that
        # opened it just before sees that it was removed and tries again (see _acquire).
        path.unlink(missing_ok=True)
        handle.close()


def _acquire(path, fcntl):
    """The lock file at ``path``, opened and locked; a ValidationError when another run holds it."""
    while True:
        handle = open(path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = handle.read().strip() or "another process"
            handle.close()
            raise ValidationError(f"results folder {str(path.parent)!r} is in use by another "
                                  f"spikeneuron run ({owner}); wait for it to finish or choose "
                                  f"another --out") from None
        try:
            same = os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()  # the run that held it removed it in the meantime: lock the new one


def remove_stale_temporaries(folder):
    """Delete what killed processes left in ``folder``'s tree: half-written temporary files
    (only names of the form :func:`_atomic_path` creates) and lock files no process holds.
    A sub-folder locked by a live run is left alone, with everything below it."""
    import fcntl

    for directory, subfolders, files in os.walk(folder):
        here = Path(directory)
        if here != Path(folder) and _LOCK_NAME in files:
            try:
                with open(here / _LOCK_NAME, "a+") as handle:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    (here / _LOCK_NAME).unlink(missing_ok=True)  # stale: its process is gone
            except BlockingIOError:
                subfolders.clear()  # a live run writes there
                continue
            except OSError:
                pass
        for name in files:
            if _TEMPORARY.match(name):
                (here / name).unlink(missing_ok=True)
