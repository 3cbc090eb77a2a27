"""What an experiment lets a user change: declared parameters, their checks, and their values.

An experiment declares its parameters once, as a tuple of :class:`Parameter`; the command line
(``--set``, ``--config``, ``--help``, ``show``), sweeps, ``summary.json`` and the report all read
that one declaration. A parameter that reaches a neuron model keeps the model's own name
(:func:`lif_parameters`, :func:`hh_parameters`).
"""

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np

from ..exceptions import ValidationError

__all__ = ["Parameter", "KeyNumber", "Parameters", "lif_parameters", "hh_parameters",
           "traub_parameters",
           "adex_parameters", "izhikevich_parameters",
           "resolve_parameters", "closest_names", "UnknownNameError", "UnknownParameterError"]

_KINDS = (bool, int, float, str)
#: Largest integer an experiment parameter takes (counts and sizes beyond cannot be allocated).
MAX_INTEGER = 2**31 - 1
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


class UnknownNameError(ValidationError):
    """A parameter or experiment name that is not declared (the message suggests the closest)."""


class UnknownParameterError(UnknownNameError, TypeError):
    """A parameter name the experiment does not declare. Also a TypeError, as an unknown
    keyword argument is (``run_experiment("fi-curve", tau=20.0)``)."""


def closest_names(name, names, limit=3):
    """The declared names closest to ``name`` (for "did you mean" messages)."""
    return difflib.get_close_matches(str(name), list(names), n=limit, cutoff=0.5)


def unknown_name(what, name, names, owner):
    """An :class:`UnknownNameError` naming ``name`` and suggesting the closest of ``names``."""
    near = closest_names(name, names)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    kind = UnknownParameterError if what == "parameter" else UnknownNameError
    return kind(f"unknown {what} {name!r} for {owner}{hint} "
                            f"({what}s: {', '.join(names) or 'none'})")


@dataclass(frozen=True)
class Parameter:
    """One parameter an experiment lets a user change.

    Parameters
    ----------
    name : str
        The key used by ``--set name=value``, config files, sweeps and ``summary.json``.
    default : bool, int, float, str, or tuple of one of these
        The value used when nobody sets it; its type is the parameter's type (a tuple makes the
        parameter list-valued: comma-separated on the command line).
    unit : str
        Unit of the value (``"ms"``, ``"mV"``, ...), ``""`` for a pure number.
    description : str
        One line saying what the parameter changes.
    choices : tuple, optional
        The allowed values (for strings, typically).
    minimum, maximum : float, optional
        Inclusive bounds for numbers (each element of a list).
    positive : bool
        The number (each element) must be > 0.
    quick : optional
        The value used under ``--quick`` unless the user set the parameter explicitly.
    """

    name: str
    default: object
    unit: str = ""
    description: str = ""
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    quick: object = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValidationError(f"a parameter name must be an identifier; got {self.name!r}")
        default = tuple(self.default) if isinstance(self.default, list) else self.default
        object.__setattr__(self, "default", default)
        if isinstance(default, tuple):
            if not default or len({type(v) for v in default}) != 1:
                # Mixed int/float lists are floats; an empty list has no element type.
                if default and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                   for v in default):
                    object.__setattr__(self, "default", tuple(float(v) for v in default))
                else:
                    raise ValidationError(f"the default of list parameter {self.name!r} must be a "
                                          f"non-empty tuple of one type; got {default!r}")
        if self.kind not in _KINDS:
            raise ValidationError(f"parameter {self.name!r}: default {self.default!r} must be a "
                                  f"bool, int, float or str (or a tuple of one of them)")
        if self.choices is not None:
            object.__setattr__(self, "choices", tuple(self.choices))
        # The declaration itself must obey its own rules.
        object.__setattr__(self, "default", self.check(self.default, "experiment's declaration"))
        if self.quick is not None:
            object.__setattr__(self, "quick", self.check(self.quick, "experiment's declaration"))

    @property
    def kind(self):
        """The element type: bool, int, float or str."""
        return type(self.default[0]) if self.is_list else type(self.default)

    @property
    def is_list(self):
        return isinstance(self.default, tuple)

    def allowed(self):
        """What the parameter accepts, in words."""
        if self.choices is not None:
            text = "one of " + ", ".join(repr(c) for c in self.choices)
        else:
            text = {bool: "true or false", int: "an integer", float: "a finite number",
                    str: "a string"}[self.kind]
            if self.positive:
                text += " > 0"
            if self.minimum is not None:
                text += f" >= {self.minimum:g}"
            if self.maximum is not None:
                text += f" <= {self.maximum:g}"
        return f"a comma-separated list of {text}" if self.is_list else text

    def parse(self, text, owner):
        """The value of ``text`` as typed on the command line (``--set``, ``--grid``)."""
        if not isinstance(text, str):
            return self.check(text, owner)
        if self.is_list:
            items = [item.strip() for item in text.split(",")]
            if not text.strip() or any(item == "" for item in items):
                self._fail(owner, text)
            return self.check(tuple(self._parse_one(item, owner, text) for item in items), owner)
        return self.check(self._parse_one(text.strip(), owner, text), owner)

    def _parse_one(self, item, owner, text):
        kind = self.kind
        try:
            if kind is bool:
                if item.lower() in _TRUE:
                    return True
                if item.lower() in _FALSE:
                    return False
                raise ValueError
            if kind is int:
                number = float(item)
                if not number.is_integer():
                    raise ValueError
                return int(number)
            if kind is float:
                return float(item)
        except ValueError:
            self._fail(owner, text)
        return item

    def check(self, value, owner):
        """``value`` (a Python or TOML/JSON value) converted to the parameter's type and checked."""
        if self.is_list:
            if isinstance(value, str):
                return self.parse(value, owner)
            if isinstance(value, bytes) or not hasattr(value, "__iter__"):
                self._fail(owner, value, TypeError)
            items = tuple(value)
            if not items:
                self._fail(owner, value)
            return tuple(self._check_one(item, owner, value) for item in items)
        return self._check_one(value, owner, value)

    def _check_one(self, item, owner, whole):
        kind = self.kind
        if isinstance(item, np.ndarray) and item.ndim:
            self._fail(owner, whole, TypeError)
        if hasattr(item, "item") and not isinstance(item, (str, bytes)):
            item = item.item()  # numpy scalars
        if kind is bool:
            if not isinstance(item, bool):
                self._fail(owner, whole, TypeError)
        elif kind is str:
            if not isinstance(item, str):
                self._fail(owner, whole, TypeError)
        else:
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                self._fail(owner, whole, TypeError)
            if kind is int:
                if isinstance(item, float) and not item.is_integer():
                    self._fail(owner, whole)
                item = int(item)
                if abs(item) > MAX_INTEGER:  # no count or size of an experiment gets near it
                    raise ValidationError(f"The {self.name!r} parameter of {owner} must be "
                                          f"{self.allowed()}, at most {MAX_INTEGER}. Got "
                                          f"{whole!r} instead.")
            else:
                item = float(item)
                if not math.isfinite(item):
                    self._fail(owner, whole)
            if ((self.positive and item <= 0)
                    or (self.minimum is not None and item < self.minimum)
                    or (self.maximum is not None and item > self.maximum)):
                self._fail(owner, whole)
        if self.choices is not None and item not in self.choices:
            self._fail(owner, whole)
        return item

    def _fail(self, owner, value, error=ValidationError):
        raise error(f"The {self.name!r} parameter of {owner} must be {self.allowed()}. "
                    f"Got {value!r} instead.")

    def format(self, value):
        """``value`` as one would type it after ``--set name=``."""
        if isinstance(value, tuple):
            return ",".join(self.format(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return f"{value:g}" if float(f"{value:g}") == value else repr(value)
        return str(value)


@dataclass(frozen=True)
class KeyNumber:
    """A number an experiment reports in its summary: its key, unit and one-line meaning."""

    name: str
    unit: str = ""
    description: str = ""


class Parameters(Mapping):
    """The resolved values of an experiment's parameters: read-only, by key or attribute."""

    def __init__(self, values, declared=()):
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_declared", {p.name: p for p in declared})

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r} is declared "
                                 f"(parameters: {', '.join(self._values)})") from None

    def __setattr__(self, name, value):
        raise AttributeError("experiment parameters are read-only; set them with --set or run_experiment(...)")

    def __repr__(self):
        return f"Parameters({self._values!r})"

    def as_dict(self):
        """A plain dict (lists as lists), as written to ``summary.json``."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._values.items()}


def _model_parameters(model_class, units, descriptions, overrides):
    names = [f.name for f in fields(model_class) if f.name in units]
    unknown = set(overrides) - set(names)
    if unknown:
        raise ValidationError(f"no {model_class.__name__} parameter named {sorted(unknown)[0]!r} "
                              f"(parameters: {', '.join(names)})")
    defaults = {f.name: f.default for f in fields(model_class)}
    out = []
    for name in names:
        value = overrides.get(name, defaults[name])
        if isinstance(defaults[name], int) and not isinstance(defaults[name], bool):
            # a count (TraubMiles' substeps): an integer parameter, at least 1
            out.append(Parameter(name, int(value), units[name], descriptions[name], minimum=1))
        else:
            out.append(Parameter(name, float(value), units[name], descriptions[name]))
    return tuple(out)


_LIF_UNITS = {"tau_m": "ms", "v_rest": "mV", "v_reset": "mV", "v_th": "mV", "t_ref": "ms",
              "r_m": "MΩ"}
_LIF_TEXT = {"tau_m": "membrane time constant", "v_rest": "resting potential",
             "v_reset": "potential after a spike", "v_th": "firing threshold",
             "t_ref": "refractory period", "r_m": "membrane resistance (r_m·I is in mV)"}
_HH_UNITS = {"c_m": "µF/cm²", "g_na": "mS/cm²", "g_k": "mS/cm²", "g_l": "mS/cm²",
             "e_na": "mV", "e_k": "mV", "e_l": "mV", "v_detect": "mV"}
_HH_TEXT = {"c_m": "membrane capacitance", "g_na": "peak sodium conductance",
            "g_k": "peak potassium conductance", "g_l": "leak conductance",
            "e_na": "sodium reversal potential", "e_k": "potassium reversal potential",
            "e_l": "leak reversal potential", "v_detect": "upward crossing that counts as a spike"}


_ADEX_UNITS = {"c_m": "pF", "g_l": "nS", "e_l": "mV", "v_t": "mV", "delta_t": "mV", "a": "nS",
               "tau_w": "ms", "b": "nA", "v_reset": "mV", "v_peak": "mV", "t_ref": "ms"}
_ADEX_TEXT = {"c_m": "membrane capacitance", "g_l": "leak conductance",
              "e_l": "leak reversal potential", "v_t": "threshold of the exponential",
              "delta_t": "slope factor of the upswing", "a": "sub-threshold adaptation",
              "tau_w": "adaptation time constant", "b": "jump of w at each spike",
              "v_reset": "potential after a spike", "v_peak": "spike cut-off",
              "t_ref": "refractory period"}
_IZHIKEVICH_UNITS = {"a": "1/ms", "b": "", "c": "mV", "d": "mV/ms", "v_peak": "mV"}
_IZHIKEVICH_TEXT = {"a": "rate of the recovery variable u", "b": "sensitivity of u to v",
                    "c": "potential after a spike", "d": "jump of u at each spike",
                    "v_peak": "spike cut-off"}


def adex_parameters(*, dt=0.1, **defaults):
    """The AdEx's own parameters (``c_m``, ``g_l``, ..., ``t_ref``) and the time step ``dt``;
    keyword arguments replace the model's defaults (checked by :class:`~spikeneuron.AdEx` when
    the neuron is built); ``dt`` as for :func:`lif_parameters`."""
    from ..models import AdEx

    return _model_parameters(AdEx, _ADEX_UNITS, _ADEX_TEXT, defaults) + _time_step(dt)


def izhikevich_parameters(*, dt=0.1, **defaults):
    """Izhikevich's own parameters (``a``, ``b``, ``c``, ``d``, ``v_peak``) and the time step
    ``dt`` (as for :func:`lif_parameters`)."""
    from ..models import Izhikevich

    return _model_parameters(Izhikevich, _IZHIKEVICH_UNITS, _IZHIKEVICH_TEXT, defaults) + _time_step(dt)


def lif_parameters(*, dt=0.1, **defaults):
    """The LIF's own parameters (``tau_m``, ``v_rest``, ``v_reset``, ``v_th``, ``t_ref``, ``r_m``)
    and the time step ``dt``.

    Keyword arguments replace the model's defaults, e.g. ``lif_parameters(t_ref=5.0)``; the
    values are checked by :class:`~spikeneuron.LIF` itself when the experiment builds its neuron.
    ``dt`` (ms) is the time step's default (0.1 ms); a :class:`Parameter` named ``dt`` declares
    it another way (its own description, a ``--quick`` value); None leaves it out.
    """
    from ..models import LIF

    return _model_parameters(LIF, _LIF_UNITS, _LIF_TEXT, defaults) + _time_step(dt)


def hh_parameters(*, dt=0.01, **defaults):
    """The Hodgkin–Huxley model's own parameters (``c_m``, ``g_na``, ..., ``v_detect``) and the
    time step ``dt`` (default 0.01 ms; a :class:`Parameter` or None as for :func:`lif_parameters`)."""
    from ..models import HodgkinHuxley

    return _model_parameters(HodgkinHuxley, _HH_UNITS, _HH_TEXT, defaults) + _time_step(dt)


def _time_step(dt):
    if dt is None:
        return ()
    if isinstance(dt, Parameter):
        if dt.name != "dt":
            raise ValidationError(f"the time step Parameter must be named 'dt'; got {dt.name!r}")
        return (dt,)
    return (Parameter("dt", dt, "ms", "time step", positive=True),)


_TRAUB_UNITS = {"c_m": "pF", "g_na": "nS", "g_k": "nS", "g_l": "nS", "e_na": "mV", "e_k": "mV",
                "e_l": "mV", "v_t": "mV", "v_detect": "mV", "substeps": "",
                "substep_above": "mV"}
_TRAUB_TEXT = {**_HH_TEXT, "v_t": "threshold parameter V_T of the rate functions",
               "substeps": "sub-steps per step near threshold (1: the plain step, faster and "
                           "less accurate at dt 0.1 ms)",
               "substep_above": "potential above which a neuron takes the sub-steps"}


def traub_parameters(*, dt=0.1, **defaults):
    """The Traub–Miles model's own parameters (``c_m`` in pF, ``g_na`` ... in nS, ``v_t``, ...)
    and the time step ``dt`` (as for :func:`lif_parameters`)."""
    from ..models import TraubMiles

    return _model_parameters(TraubMiles, _TRAUB_UNITS, _TRAUB_TEXT, defaults) + _time_step(dt)


def resolve_parameters(declared, owner, *, quick=False, config=None, overrides=None):
    """The full parameter set: defaults < quick sizes < ``config`` < ``overrides``.

    ``config`` holds typed values (from TOML or JSON); ``overrides`` typed values or strings
    from the command line. A value the user set (in either) wins over ``--quick``. Unknown keys
    raise :class:`UnknownNameError` with the closest declared names.
    """
    by_name = {p.name: p for p in declared}
    values = {p.name: (p.quick if quick and p.quick is not None else p.default) for p in declared}
    for source in (config or {}), (overrides or {}):
        for key, value in source.items():
            if key not in by_name:
                raise unknown_name("parameter", key, list(by_name), owner)
            values[key] = by_name[key].parse(value, owner)
    return Parameters(values, declared)
