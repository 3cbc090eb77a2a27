"""Checks at the boundary of the library, each with one message template.

Every message reads "The 'name' parameter of owner must be <allowed>. Got <value> instead.",
so a user sees which parameter was wrong, what it was, and what would have been accepted.
"""

import math
import warnings
from numbers import Real

import numpy as np

from .exceptions import UnitWarning, ValidationError


def fail(name, owner, allowed, value):
    """Raise a ValidationError with the library's message template."""
    raise ValidationError(
        f"The {name!r} parameter of {owner} must be {allowed}. Got {value!r} instead."
    )


def real(name, owner, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a finite float within [low, high] (ends optionally open)."""
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    left = "(" if low is None or low_open else "["
    right = ")" if high is None or high_open else "]"
    allowed = f"a finite number in the range {left}{lo}, {hi}{right}"
    if isinstance(value, bool) or not isinstance(value, (Real, np.floating, np.integer)):
        raise TypeError(
            f"The {name!r} parameter of {owner} must be a number. "
            f"Got {value!r} of type {type(value).__name__} instead."
        )
    value = float(value)
    if not math.isfinite(value):
        fail(name, owner, allowed, value)
    if low is not None and (value < low or (low_open and value == low)):
        fail(name, owner, allowed, value)
    if high is not None and (value > high or (high_open and value == high)):
        fail(name, owner, allowed, value)
    return value


def positive(name, owner, value):
    """A finite number > 0 (time constants, dt, durations, resistances)."""
    return real(name, owner, value, low=0.0, low_open=True)


def non_negative(name, owner, value):
    """A finite number >= 0 (refractory periods, delays)."""
    return real(name, owner, value, low=0.0)


def finite_array(name, owner, value, *, dtype=float, allow_bool=False, sparse=False,
                 returned=False, finite=True):
    """Convert to a numpy array of real numbers and reject NaN or infinite entries.

    The one check every array of the library goes through, whether a user passed it or one of
    the user's functions returned it (``returned=True``: the message says the function returned
    it). Strings, booleans (unless ``allow_bool``, for class labels), complex numbers, objects
    and ragged nested lists are refused with a TypeError naming the parameter, rather than read
    as numbers (numpy would turn '2.0' into 2.0, True into 1.0, and drop imaginary parts with
    only a ComplexWarning). With ``sparse=True`` a ``scipy.sparse`` matrix passes the same
    checks and comes back as a CSR matrix of floats; otherwise it is refused. ``finite=False``
    leaves the NaN/infinity check to the caller (who can say where the value came from).
    """
    if returned:
        described = (f"The {name!r} parameter of {owner} is a function, which must return "
                     f"array-like of real numbers")
    else:
        described = f"The {name!r} parameter of {owner} must be array-like of real numbers"
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{described}. Got the string {value!r} instead.")
    if _is_sparse(value):
        return _sparse_matrix(name, owner, value, described, sparse, allow_bool, finite)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists, objects numpy cannot read
        raise TypeError(f"{described} (a regular, not ragged, nesting). "
                        f"Got {type(value).__name__} instead.") from None
    kind = raw.dtype.kind
    if kind == "b" and not allow_bool:
        raise TypeError(f"{described}, not booleans. Got {_shown(value, raw)} instead.")
    if kind == "c":
        raise TypeError(f"{described}, not complex numbers. Got {_shown(value, raw)} instead.")
    if kind not in "biuf" and raw.size:
        if kind == "O" and raw.ndim == 0:
            shown = type(value).__name__
        else:
            shown = _shown(value, raw)
        raise TypeError(f"{described}. Got {shown} instead.")
    try:
        array = raw.astype(dtype, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{described}. Got {type(value).__name__} instead.") from None
    if finite and array.size and not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].ravel()[0]
        fail(name, owner, "finite everywhere (no NaN or infinity)" + (" (returned by the function)"
             if returned else ""), f"an array containing {bad}")
    return array


def _shown(value, raw):
    return repr(value) if raw.size <= 10 else f"an array of {raw.size} {raw.dtype} values"


def _is_sparse(value):
    # scipy.sparse is imported by whoever made the matrix; no need to import it to recognise one.
    import sys

    module = sys.modules.get("scipy.sparse")
    return module is not None and module.issparse(value)


def _sparse_matrix(name, owner, value, described, allowed, allow_bool, finite):
    """A scipy.sparse matrix through the same checks as a dense array: a CSR matrix of floats."""
    if not allowed:
        raise TypeError(f"{described} (dense; this parameter takes no scipy.sparse matrix). "
                        f"Got a {type(value).__name__} instead.")
    kind = value.dtype.kind
    shown = f"a sparse {value.shape[0]}x{value.shape[1]} matrix of {value.dtype}"
    if kind == "b" and not allow_bool:
        raise TypeError(f"{described}, not booleans. Got {shown} instead.")
    if kind == "c":
        raise TypeError(f"{described}, not complex numbers. Got {shown} instead.")
    if kind not in "biuf":
        raise TypeError(f"{described}. Got {shown} instead.")
    import scipy.sparse

    matrix = scipy.sparse.csr_matrix(value, dtype=float, copy=True)
    if finite and matrix.nnz and not np.all(np.isfinite(matrix.data)):
        bad = matrix.data[~np.isfinite(matrix.data)][0]
        fail(name, owner, "finite everywhere (no NaN or infinity)", f"{shown} containing {bad}")
    return matrix


def shape_mismatch(name, owner, expected, got):
    """Raise a ValidationError for an array whose shape does not fit the run."""
    raise ValidationError(
        f"The {name!r} parameter of {owner} must have shape {expected}. Got shape {got} instead."
    )


def wrong_type(name, owner, allowed, value):
    """Raise a TypeError with the library's message template (a value of the wrong kind)."""
    raise TypeError(f"The {name!r} parameter of {owner} must be {allowed}. "
                    f"Got {value!r} of type {type(value).__name__} instead.")


def integer(name, owner, value, *, low=None, what=""):
    """Return ``value`` as an int >= low. Booleans, floats (even 3.0) and strings are the
    wrong type (TypeError); a whole number out of range is a wrong value (ValidationError)."""
    allowed = "an integer" + (f" >= {low}" if low is not None else "") + (f" ({what})" if what else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        wrong_type(name, owner, allowed, value)
    if low is not None and value < low:
        fail(name, owner, allowed, value)
    return int(value)


def flag(name, owner, value):
    """A True/False option: anything else (1, 'no', None) is the wrong type."""
    if not isinstance(value, (bool, np.bool_)):
        wrong_type(name, owner, "True or False", value)
    return bool(value)


def path(name, owner, value):
    """A file or folder path: a non-empty str or os.PathLike (TypeError for other types)."""
    import os
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)) or not isinstance(os.fspath(value), str):
        wrong_type(name, owner, "a path (str or pathlib.Path)", value)
    if os.fspath(value) == "":  # Path('') would quietly mean the current folder
        fail(name, owner, "a path to a file or folder, not ''", value)
    return Path(value)


def seed(owner, value):
    """A seed as every seeded function takes it: None, a non-negative integer, a
    ``numpy.random.SeedSequence`` or a ``numpy.random.Generator`` (one rule, one message):
    another type (a boolean, a float, a string) is a TypeError, a negative integer a
    ValidationError."""
    if value is None or isinstance(value, (np.random.Generator, np.random.SeedSequence)):
        return value
    allowed = "None, a non-negative integer, a numpy SeedSequence or a numpy Generator"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        wrong_type("seed", owner, allowed, value)
    if value < 0:
        fail("seed", owner, allowed, value)
    return int(value)


def integrator_arguments(owner, dt, n, v_init):
    """A model's ``integrator(dt, n, v_init)`` arguments, checked (simulate and Network check
    them first; this is for direct callers)."""
    dt = positive("dt", owner, dt)
    n = integer("n", owner, n, low=1, what="number of neurons")
    if v_init is not None:
        v_init = finite_array("v_init", owner, v_init)
        if v_init.shape not in ((), (n,)):
            shape_mismatch("v_init", owner, f"() or ({n},)", v_init.shape)
    return dt, n, v_init


#: For each kind of model parameter: its unit, the magnitudes a value may have in that unit
#: without comment, the magnitudes a physiological value typically has, and the units a value
#: typed by mistake would be in (with the factor that converts it to ours). A value is
#: questioned only when it is outside the first range AND converting it from another unit lands
#: inside the second: -0.055 "mV" is -55 mV typed in volts, while v_th = 1e6 mV (a threshold
#: never reached, on purpose) stays silent. The ranges are wide: a warning must never fire on a
#: real model, nor on the scaled models of textbooks and tests.
UNIT_RANGES = {
    "potential": ("mV", (1.0, 2000.0), (1.0, 200.0), (("V", 1e3), ("µV", 1e-3))),
    "amplitude": ("mV", (1e-2, 2000.0), (1e-2, 200.0), (("V", 1e3), ("µV", 1e-3))),
    "time constant": ("ms", (0.1, 1e6), (0.1, 1e4), (("s", 1e3),)),
    "short time": ("ms", (5e-3, 1e6), (0.1, 1e4), (("s", 1e3),)),
    "resistance": ("MΩ", (1e-2, 1e5), (1.0, 1e4), (("Ω", 1e-6),)),
    "conductance": ("mS/cm²", (1e-2, 1e4), (1e-2, 1e3), (("S/cm²", 1e3),)),
    "capacitance": ("µF/cm²", (1e-2, 1e3), (0.1, 10.0), (("F/cm²", 1e6),)),
}


def plausible_unit(name, owner, value, kind):
    """Warn (:class:`UnitWarning`) when ``value`` (a finite number) looks typed in the wrong unit.

    ``kind`` is a key of :data:`UNIT_RANGES`. Zero and values inside the range pass silently.
    The warning points at the user's line (the first frame outside spikeneuron and dataclasses).
    """
    unit, (low, high), (typical_low, typical_high), others = UNIT_RANGES[kind]
    size = abs(value)
    if size == 0 or low <= size <= high:
        return value
    for other, factor in others:
        if typical_low <= size * factor <= typical_high:
            warnings.warn(
                f"{name} = {value:g} {unit} given to {owner} is far outside physiology "
                f"({low:g} to {high:g} {unit} in size); it looks like a value in {other} "
                f"({value:g} {other} = {value * factor:g} {unit}). spikeneuron takes {unit}.",
                UnitWarning, stacklevel=_user_stacklevel())
            break
    return value


def _user_stacklevel():
    import os
    import sys

    package = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(1), 1
    while frame is not None:
        filename = frame.f_code.co_filename
        generated = filename == "<string>" and frame.f_code.co_name == "__init__"  # a dataclass'
        if not (filename.startswith(package) or generated or filename.endswith("dataclasses.py")):
            return level
        frame, level = frame.f_back, level + 1
    return 1
