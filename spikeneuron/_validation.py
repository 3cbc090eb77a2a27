"""Checks at the boundary of the library, each with one message template.

Every message reads "The 'name' parameter of owner must be <allowed>. Got <value> instead.",
so a user sees which parameter was wrong, what it was, and what would have been accepted.
"""

import math
from numbers import Real

import numpy as np

from .exceptions import ValidationError


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


def finite_array(name, owner, value, *, dtype=float, allow_bool=False):
    """Convert to a numpy array of real numbers and reject NaN or infinite entries.

    Strings, booleans (unless ``allow_bool``, for class labels), complex numbers and ragged
    nested lists are refused with a TypeError naming the parameter, rather than read as numbers
    (numpy would turn '2.0' into 2.0, True into 1.0, and drop imaginary parts with a warning).
    """
    described = f"The {name!r} parameter of {owner} must be array-like of real numbers"
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{described}. Got the string {value!r} instead.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists, objects numpy cannot read
        raise TypeError(f"{described} (a regular, not ragged, nesting). "
                        f"Got {type(value).__name__} instead.") from None
    kind = raw.dtype.kind
    if kind == "b" and not allow_bool:
        raise TypeError(f"{described}, not booleans. Got {value!r} instead.")
    if kind == "c":
        raise TypeError(f"{described}, not complex numbers. Got {value!r} instead.")
    if kind not in "biuf" and raw.size:
        if kind == "O" and raw.ndim == 0:
            shown = type(value).__name__
        else:
            shown = repr(value) if raw.size <= 10 else f"an array of {raw.dtype}"
        raise TypeError(f"{described}. Got {shown} instead.")
    try:
        array = raw.astype(dtype, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{described}. Got {type(value).__name__} instead.") from None
    if array.size and not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].ravel()[0]
        fail(name, owner, "finite everywhere (no NaN or infinity)", f"an array containing {bad}")
    return array


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


def binary_labels(name, owner, value, n, *, expected=None):
    """Class labels for a binary classifier's ``fit`` or ``score``: 0 or 1 (booleans too), one
    per sample, as a float array of shape (n,). The one check every learner uses, so that a
    label the model never saw (2, 0.5, -1) is refused alike everywhere."""
    labels = finite_array(name, owner, value, allow_bool=True)
    if labels.shape != (n,):
        shape_mismatch(name, owner, expected or f"({n},) (one label per sample)", labels.shape)
    bad = np.unique(labels[(labels != 0) & (labels != 1)])
    if bad.size:
        fail(name, owner, "class labels 0 or 1", bad.tolist())
    return labels
