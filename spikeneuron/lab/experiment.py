"""The harness every experiment runs in: finding it, its parameters, its folder, its summary.

An experiment is a Python module (one of the bundled files in ``experiments/`` or a user's own
file) with this small contract:

- ``run(context) -> dict`` (required): set up, run, measure, plot; returns the key numbers.
- ``NAME``, ``TITLE``, ``DESCRIPTION`` (optional: the file's stem, the name, the module
  docstring's first line).
- ``PARAMETERS`` (optional): a tuple of :class:`Parameter` a user may change; the run reads
  their values from ``context.parameters``. ``KEY_NUMBERS`` (optional): a tuple of
  :class:`KeyNumber` giving units and meanings of the returned numbers.

The harness resolves the parameters (defaults < ``--quick`` sizes < config file < ``--set``),
gives the module an :class:`ExperimentContext`, times the run and writes ``summary.json`` with
the complete parameter set, the seed, the versions and the command line, so that
``--config DIR/NAME/summary.json`` repeats the run exactly. Everything is written atomically.
"""

import importlib.util
import json
import platform
import shlex
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import _validation as check
from .._io import folder_lock, plain, save_npz_atomic, savefig_atomic, write_json_atomic, write_text_atomic
from ..exceptions import ValidationError
from .parameters import (
    KeyNumber,
    Parameter,
    Parameters,
    hh_parameters,
    lif_parameters,
    resolve_parameters,
    unknown_name,
)

__all__ = ["ExperimentContext", "Parameter", "KeyNumber", "lif_parameters", "hh_parameters",
           "run_experiment", "load_experiment", "bundled_experiments", "load_config",
           "describe"]

# run_experiment's own keywords; an experiment may not declare parameters with these names.
_RESERVED = {"experiment", "out", "seed", "quick", "config"}


@dataclass
class ExperimentContext:
    """Where an experiment writes, with which seed, and with which parameter values.

    Attributes
    ----------
    name : str
    out_dir : Path
        ``DIR/NAME``, created on demand.
    seed : int
    quick : bool
        Whether ``--quick`` was given (its sizes are already in ``parameters``).
    parameters : Parameters
        The resolved values of the declared parameters, by key or attribute.
    """

    name: str
    out_dir: Path
    seed: int
    quick: bool
    parameters: Parameters = field(default_factory=lambda: Parameters({}))
    figures: list = field(default_factory=list)

    def lif(self, **extra):
        """An :class:`~spikeneuron.LIF` from the declared LIF parameters; ``extra`` is passed on."""
        from ..models import LIF
        from .parameters import _LIF_UNITS

        return LIF(**{k: self.parameters[k] for k in _LIF_UNITS if k in self.parameters}, **extra)

    def adex(self, **extra):
        """An :class:`~spikeneuron.AdEx` from the declared AdEx parameters (see
        :func:`adex_parameters`) and ``extra`` keyword arguments (e.g. ``synapse``)."""
        from ..models import AdEx
        from .parameters import _ADEX_UNITS

        return AdEx(**{k: self.parameters[k] for k in _ADEX_UNITS if k in self.parameters}, **extra)

    def izhikevich(self, **extra):
        """An :class:`~spikeneuron.Izhikevich` from the declared Izhikevich parameters."""
        from ..models import Izhikevich
        from .parameters import _IZHIKEVICH_UNITS

        return Izhikevich(**{k: self.parameters[k] for k in _IZHIKEVICH_UNITS if k in self.parameters},
                          **extra)

    def hh(self, **extra):
        """A :class:`~spikeneuron.HodgkinHuxley` from the declared HH parameters."""
        from ..models import HodgkinHuxley
        from .parameters import _HH_UNITS

        return HodgkinHuxley(**{k: self.parameters[k] for k in _HH_UNITS if k in self.parameters},
                             **extra)

    def traub(self, **extra):
        """A :class:`~spikeneuron.TraubMiles` from the declared Traub–Miles parameters."""
        from ..models import TraubMiles
        from .parameters import _TRAUB_UNITS

        return TraubMiles(**{k: self.parameters[k] for k in _TRAUB_UNITS if k in self.parameters},
                          **extra)

    def save_figure(self, figure, filename, caption):
        """Save a matplotlib figure as PNG (150 dpi) and list it, with its caption, in the report."""
        savefig_atomic(figure, self.out_dir / filename, dpi=150)
        self.figures.append({"file": filename, "caption": caption})

    def save_data(self, filename, **arrays):
        """Save named arrays to ``out_dir/filename`` (.npz)."""
        save_npz_atomic(self.out_dir / filename, **arrays)

    def save_text(self, filename, text):
        """Save a text file (e.g. CSV) to ``out_dir/filename``."""
        write_text_atomic(self.out_dir / filename, text)

    def say(self, message):
        """A progress line on stderr (experiments do not print to stdout)."""
        print(f"  {self.name}: {message}", file=sys.stderr, flush=True)


# -- finding experiments ---------------------------------------------------------------------

def _experiments_dir():
    # Installed: the scripts are packaged as spikeneuron/lab/experiments. From a source tree
    # that was not installed: the repository's experiments/ folder beside the package.
    lab = Path(__file__).resolve().parent
    for candidate in (lab / "experiments", lab.parent.parent / "experiments"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cannot find the experiments folder next to the spikeneuron package")


def _load_file(path):
    path = Path(path).resolve()
    if not path.is_file():
        raise ValidationError(f"experiment file {str(path)!r} does not exist")
    spec = importlib.util.spec_from_file_location(f"_spikeneuron_experiment_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValidationError(f"experiment file {str(path)!r} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's file is broken: say where, in one line
        raise ValidationError(f"experiment file {str(path)!r} cannot be loaded: "
                              f"{type(error).__name__}: {error}{_where(error, path)}") from None
    return _checked(module, path)


def _where(error, path):
    """`` (line N)`` of the user's file where loading it failed, when it is known."""
    if isinstance(error, SyntaxError) and error.lineno and "line" not in str(error):
        return f" (line {error.lineno})"
    import traceback

    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if Path(frame.filename) == path]
    return f" (line {lines[-1]})" if lines else ""


def _checked(module, path):
    if not callable(getattr(module, "run", None)):
        raise ValidationError(f"experiment file {str(path)!r} must define run(context); it does not")
    module.NAME = str(getattr(module, "NAME", path.stem.replace("_", "-")))
    module.TITLE = str(getattr(module, "TITLE", module.NAME))
    doc = (module.__doc__ or "").strip()
    module.DESCRIPTION = str(getattr(module, "DESCRIPTION", doc.splitlines()[0] if doc else ""))
    declared = tuple(getattr(module, "PARAMETERS", ()))
    for item in declared:
        if not isinstance(item, Parameter):
            raise ValidationError(f"PARAMETERS of {str(path)!r} must hold Parameter(...) "
                                  f"declarations; got {item!r}")
    names = [p.name for p in declared]
    clash = sorted((set(names) & _RESERVED) | {n for n in names if names.count(n) > 1})
    if clash:
        raise ValidationError(f"PARAMETERS of {str(path)!r}: {clash[0]!r} is declared twice or "
                              f"is reserved ({', '.join(sorted(_RESERVED))})")
    module.PARAMETERS = declared
    module.KEY_NUMBERS = tuple(getattr(module, "KEY_NUMBERS", ()))
    module.SOURCE = str(path)
    return module


def bundled_experiments():
    """The bundled experiment modules by ``NAME``, in name order."""
    found = {}
    for path in sorted(_experiments_dir().glob("[!_]*.py")):
        module = _load_file(path)
        found[module.NAME] = module
    return dict(sorted(found.items()))


def load_experiment(experiment):
    """The experiment module for a bundled name (``fi-curve`` or ``fi_curve``) or a file path.

    A module object that follows the contract is returned as it is (checked).
    """
    if hasattr(experiment, "run") and not isinstance(experiment, (str, Path)):
        return _checked(experiment, Path(getattr(experiment, "__file__", "<module>")))
    if not isinstance(experiment, (str, Path)):
        raise TypeError(f"The 'experiment' parameter must be an experiment name or a path to a "
                        f".py file. Got {experiment!r} of type {type(experiment).__name__} instead.")
    text = str(experiment)
    if text.endswith(".py") or "/" in text or Path(text).is_file():
        return _load_file(text)
    available = bundled_experiments()
    for module in available.values():
        if text in (module.NAME, Path(module.SOURCE).stem):
            return module
    raise unknown_name("experiment", text, list(available), "spikeneuron")


# -- parameters from files -------------------------------------------------------------------

def load_config(path, name=None, *, table_required=True):
    """Parameter values from a TOML file (a ``[NAME]`` table) or a ``summary.json``.

    Returns ``(values, seed)``: for a summary, its ``parameters`` and its seed (to repeat the
    run exactly); for TOML, the ``[name]`` table (all tables if ``name`` is None) and None.
    A file that holds no table at all is refused, and so is one without a ``[name]`` table
    (unless ``table_required`` is False: ``run all`` applies each table to its experiment):
    a config that changes nothing is a mistake to say, not to run on defaults.
    """
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"cannot read config file {str(path)!r}: {error.strerror}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise ValidationError(f"config file {str(path)!r} is not valid JSON: {error}") from None
        if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
            raise ValidationError(f"config file {str(path)!r} has no 'parameters' table "
                                  f"(a summary.json written by spikeneuron has one)")
        if name is not None and data.get("experiment", name) != name:
            raise ValidationError(f"config file {str(path)!r} is the summary of experiment "
                                  f"{data['experiment']!r}, not {name!r}")
        seed = data.get("seed")
        return dict(data["parameters"]), seed if isinstance(seed, int) and seed >= 0 else None
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValidationError(f"config file {str(path)!r} is not valid TOML: {error}") from None
    loose = [key for key, value in data.items() if not isinstance(value, dict)]
    if loose:
        raise ValidationError(f"config file {str(path)!r}: key {loose[0]!r} must sit in an "
                              f"experiment's table, e.g. [fi-curve]")
    if not data:
        raise ValidationError(f"config file {str(path)!r} holds no experiment table (write e.g. "
                              f"[fi-curve] then KEY = VALUE lines)")
    if name is None:
        return data, None
    if name not in data and table_required:
        raise ValidationError(f"config file {str(path)!r} has no [{name}] table, so nothing in it "
                              f"applies to experiment {name!r} (its tables: "
                              f"{', '.join(f'[{table}]' for table in data)})")
    return dict(data.get(name, {})), None


# -- running ---------------------------------------------------------------------------------

def _versions():
    import numpy
    import scipy

    from .._version import __version__

    return {"spikeneuron": __version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
            "python": platform.python_version()}


def run_experiment(experiment, out="results", *, seed=None, quick=False, config=None,
                   **parameters):
    """Run one experiment into ``out/NAME`` and return its summary (also saved as JSON).

    Parameters
    ----------
    experiment : str, path or module
        A bundled experiment's name (``"fi-curve"``, or its file's name ``"fi_curve"``), or the
        path of a user's experiment file.
    out : str or Path
        Results folder; the experiment writes into ``out/NAME``.
    seed : int, optional
        Random seed, >= 0 (default: the seed of a ``summary.json`` config, else 0).
    quick : bool
        Use the experiment's reduced sizes, except for parameters set explicitly.
    config : str or Path, optional
        A TOML file with a ``[NAME]`` table, or a ``summary.json`` (its parameters and seed).
    **parameters
        Values of declared parameters; they win over ``config``.

    Returns
    -------
    dict
        The summary: experiment, title, description, seed, quick, the full ``parameters``,
        the key numbers, figures, versions, command and ``wall_s``.
    """
    return _run(experiment, out, seed=seed, quick=quick, config=config, overrides=parameters,
                command=None)


def _key_numbers(returned, owner):
    """What ``run(context)`` returned, as the dict of key numbers it must be (None: none)."""
    from collections.abc import Mapping

    if returned is None:
        return {}
    if not isinstance(returned, Mapping):
        raise ValidationError(f"{owner}: run(context) must return a dict of key numbers "
                              f"({{name: value}}) or None; it returned a {type(returned).__name__}")
    keys = [key for key in returned if not isinstance(key, str)]
    if keys:
        raise ValidationError(f"{owner}: run(context) must return a dict whose keys are names "
                              f"(strings); it returned the key {keys[0]!r}")
    return dict(returned)


def _seed(seed, owner):
    """A run's seed: a non-negative integer (it is written into summary.json)."""
    return check.integer("seed", owner, seed, low=0)


def _run(experiment, out, *, seed, quick, config, overrides, command, config_table_required=True):
    module = load_experiment(experiment)
    owner = f"experiment {module.NAME!r}"
    out = check.path("out", owner, out)
    if config is not None:
        check.path("config", owner, config)
    config_values, config_seed = (load_config(config, module.NAME, table_required=config_table_required)
                                  if config is not None else ({}, None))
    seed = _seed(seed if seed is not None else (config_seed if config_seed is not None else 0), owner)
    check.flag("quick", owner, quick)
    values = resolve_parameters(module.PARAMETERS, owner, quick=quick, config=config_values,
                                overrides=overrides)
    with folder_lock(out):
        context = ExperimentContext(module.NAME, Path(out) / module.NAME, seed, quick, values)
        context.out_dir.mkdir(parents=True, exist_ok=True)
        # The folder's previous summary goes first: if this run fails, the report must not
        # show the old numbers beside this run's figures.
        (context.out_dir / "summary.json").unlink(missing_ok=True)
        started = time.perf_counter()
        try:
            numbers = module.run(context)
        except (MemoryError, OverflowError) as error:  # sizes or durations beyond the machine
            changed = [f"{p.name} = {p.format(values[p.name])}" for p in module.PARAMETERS
                       if values[p.name] != (p.quick if quick and p.quick is not None else p.default)]
            raise ValidationError(
                f"{owner} cannot run with {', '.join(changed) or 'its default parameters'}: "
                f"{type(error).__name__}: {error}; choose smaller sizes or durations") from None
        numbers = _key_numbers(numbers, owner)
        if "parameters" in numbers:
            raise ValidationError(f"{owner} returned a 'parameters' entry; the harness writes the "
                                  f"resolved parameters itself (return other details under another key)")
        # An experiment may report its own "wall_s" (e.g. the simulation alone); otherwise it is
        # the time of the whole experiment.
        wall_s = numbers.pop("wall_s", round(time.perf_counter() - started, 3))
        if command is None:
            arguments = [repr(str(experiment) if isinstance(experiment, Path) else
                              getattr(experiment, "NAME", experiment))]
            arguments += [f"out={str(out)!r}", f"seed={seed}", f"quick={quick}"]
            arguments += [f"{k}={v!r}" for k, v in overrides.items()]
            command = f"spikeneuron.run_experiment({', '.join(arguments)})"
        summary = plain({"experiment": module.NAME, "title": module.TITLE,
                         "description": module.DESCRIPTION, "seed": seed, "quick": quick,
                         "parameters": values.as_dict(), **numbers, "figures": context.figures,
                         "units": {k.name: k.unit for k in module.KEY_NUMBERS},
                         "source": module.SOURCE, "versions": _versions(), "command": command,
                         "wall_s": wall_s})
        write_json_atomic(context.out_dir / "summary.json", summary)
    return summary


# -- describing ------------------------------------------------------------------------------

def describe(module):
    """The experiment's description and a table of its parameters, as plain text."""
    module = load_experiment(module)
    lines = [f"{module.NAME}: {module.TITLE}", "", module.DESCRIPTION, ""]
    if not module.PARAMETERS:
        return "\n".join(lines + ["This experiment declares no parameters.", ""])
    rows = [("name", "default", "unit", "description")]
    for p in module.PARAMETERS:
        default = p.format(p.default) + (f" (quick: {p.format(p.quick)})" if p.quick is not None else "")
        text = p.description + (f"; {p.allowed()}" if p.choices or p.minimum is not None
                                or p.maximum is not None or p.positive else "")
        rows.append((p.name, default, p.unit or "-", text))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines.append("parameters (--set NAME=VALUE; lists comma-separated):")
    for row in rows:
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
                     + "  " + row[3])
    return "\n".join(lines + [""])


def command_line(argv):
    """The command line as a user would retype it (for ``summary.json``)."""
    return shlex.join(["spikeneuron", *argv])
