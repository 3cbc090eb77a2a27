"""The ``spikeneuron`` command line: list, show, run and sweep experiments; rebuild the report.

    spikeneuron list
    spikeneuron show NAME|FILE
    spikeneuron run NAME|FILE|all [--set KEY=VALUE ...] [--config FILE] [--out DIR] [--seed N] [--quick]
    spikeneuron sweep NAME|FILE --grid KEY=V1,V2,... [--grid ...] [--repeats R] [--workers N]
                      [--dask [ADDRESS]] [--plot KEY] --out DIR
    spikeneuron report DIR
    spikeneuron bench [--quick] [--only W1,W2,...] [--backend numpy|numba]

Bad input (an unknown experiment or key, a bad value or option) ends with exit code 2 and one
line on stderr, never a traceback.
"""

import argparse
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

from ..exceptions import MissingExtraError, ValidationError

__all__ = ["main", "experiments", "report_errors"]


def experiments():
    """The bundled experiment modules by name, in name order."""
    from .experiment import bundled_experiments

    return bundled_experiments()


def seed_value(text):
    """argparse type of --seed: a non-negative integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: a non-negative integer is needed") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid seed {value}: a non-negative integer is needed")
    return value


def _count(name, low):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low:
            raise argparse.ArgumentTypeError(f"invalid {name} {text!r}: an integer >= {low} is needed")
        return value
    return parse


def _assignment(text):
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"invalid assignment {text!r}: KEY=VALUE is needed")
    return key.strip(), value


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        _usage_error(message)


def _usage_error(message):
    try:
        names = ", ".join(experiments())
    except Exception:  # the message must come out even if an experiment file is broken
        names = "see 'spikeneuron list'"
    sys.stderr.write(f"spikeneuron: error: {message} (experiments: {names})\n")
    raise SystemExit(2)


@contextmanager
def report_errors():
    """Turn a bad parameter (ValueError, TypeError) into one line on stderr and exit code 2."""
    try:
        yield
    except (ValueError, TypeError, MissingExtraError) as error:
        sys.stderr.write(f"spikeneuron: error: {error}\n")
        raise SystemExit(2) from None
    except OSError as error:  # e.g. an --out that is a file or cannot be created
        sys.stderr.write(f"spikeneuron: error: cannot write results: {error}\n")
        raise SystemExit(2) from None
    except (MemoryError, OverflowError) as error:  # a size or duration beyond the machine
        sys.stderr.write(f"spikeneuron: error: {type(error).__name__}: {error}; choose smaller "
                         f"sizes or durations\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("spikeneuron: interrupted\n")
        raise SystemExit(130) from None


def _version():
    from .._version import __version__

    return __version__


def _add_parameter_options(parser):
    parser.add_argument("--set", dest="assignments", metavar="KEY=VALUE", action="append",
                        type=_assignment, default=[],
                        help="set a declared parameter (repeatable; lists comma-separated)")
    parser.add_argument("--config", metavar="FILE",
                        help="parameters from a TOML file ([NAME] tables) or a summary.json")
    parser.add_argument("--quick", action="store_true",
                        help="reduced sizes, except for parameters you set")
    parser.add_argument("-h", "--help", action="store_true",
                        help="show this help and the experiment's parameters")


def _parser(prog):
    parser = _Parser(prog=prog, description="A neuron is a logistic regression that spikes.")
    parser.add_argument("--version", action="version", version=f"spikeneuron {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("list", help="list the bundled experiments")
    show = commands.add_parser("show", help="describe an experiment and its parameters")
    show.add_argument("name", help="experiment name or .py file")
    run = commands.add_parser("run", add_help=False,
                              help="run one experiment (a name or your own .py file), or all")
    run.add_argument("name", nargs="?", help="experiment name, a .py file, or 'all'")
    run.add_argument("--out", default="results", help="results folder (default: results)")
    run.add_argument("--seed", type=seed_value, default=None,
                     help="random seed, >= 0 (default: a summary config's seed, else 0)")
    _add_parameter_options(run)
    sweep = commands.add_parser("sweep", add_help=False,
                                help="run an experiment over a grid of parameter values")
    sweep.add_argument("name", nargs="?", help="experiment name or .py file")
    sweep.add_argument("--grid", metavar="KEY=V1,V2,...", action="append", type=_assignment,
                       default=[], help="values of one swept parameter (repeatable; the grid is "
                                        "their product; for a list-valued parameter separate "
                                        "values with ';')")
    sweep.add_argument("--repeats", type=_count("repeats", 1), default=1,
                       help="runs per grid point, each with its own seed (default: 1)")
    sweep.add_argument("--seed", type=seed_value, default=0, help="root seed, >= 0 (default: 0)")
    sweep.add_argument("--workers", type=_count("workers", 1), default=None,
                       help="parallel processes (default: the machine's cores)")
    sweep.add_argument("--dask", nargs="?", const="local", metavar="ADDRESS",
                       help="run on Dask: a local cluster, or the scheduler at ADDRESS")
    sweep.add_argument("--plot", metavar="KEY", help="key number for sweep.png "
                                                     "(default: the first scalar key number)")
    sweep.add_argument("--out", required=False, help="sweep folder (required)")
    sweep.add_argument("--max-runs", type=_count("max-runs", 1), default=None,
                       help="allow a sweep of more runs than the default limit (1000)")
    _add_parameter_options(sweep)
    report = commands.add_parser("report", help="rebuild report.md and report.html from a results folder")
    report.add_argument("folder", help="results folder")
    bench = commands.add_parser("bench", help="run the benchmark suite (each workload in its own process)")
    bench.add_argument("--quick", action="store_true", help="each workload at a tenth of its size")
    bench.add_argument("--only", help="comma-separated workloads (default: all)")
    bench.add_argument("--backend", choices=("numpy", "numba"),
                       help="force a backend (default: numba when installed, else numpy)")
    return parser, {"run": run, "sweep": sweep}


def _usable_matplotlib_backend():
    """An MPLBACKEND that matplotlib cannot use is replaced by Agg (figures need no display)."""
    import os

    backend = os.environ.get("MPLBACKEND")
    if not backend:
        return
    try:
        import matplotlib  # reads and checks MPLBACKEND as it is imported

        matplotlib.rcsetup.validate_backend(backend)
    except (ValueError, ImportError):
        # A failed import leaves half a matplotlib behind: forget it, then import it anew.
        for name in [name for name in sys.modules if name.split(".")[0] == "matplotlib"]:
            del sys.modules[name]
        os.environ["MPLBACKEND"] = "Agg"
        sys.stderr.write(f"spikeneuron: note: MPLBACKEND={backend!r} is not a usable matplotlib "
                         f"backend; using Agg\n")


def main(argv=None, prog="spikeneuron"):
    """Entry point of the ``spikeneuron`` command; returns the exit code."""
    try:
        return _main(argv, prog)
    except BrokenPipeError:
        # A reader that stopped early (``spikeneuron list | head -1``): end quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("spikeneuron: interrupted\n")
        return 130


def _main(argv, prog):
    argv = list(sys.argv[1:] if argv is None else argv)
    _usable_matplotlib_backend()
    parser, subparsers = _parser(prog)
    options = parser.parse_args(argv)
    if options.command == "bench":
        from .benchmark import WORKLOADS
        from .benchmark import main as bench

        if options.only is not None and any(name.strip() not in WORKLOADS for name in options.only.split(",")):
            _usage_error(f"unknown workload in --only {options.only!r} (workloads: {', '.join(WORKLOADS)})")
        return bench((["--quick"] if options.quick else []) + (["--only", options.only] if options.only else [])
                     + (["--backend", options.backend] if options.backend else []))
    if options.command == "list":
        for name, module in experiments().items():
            print(f"{name:24s} {module.TITLE}")
        return 0
    with report_errors():
        if options.command == "show":
            from .experiment import describe

            print(describe(options.name), end="")
            return 0
        if options.command == "report":
            path, unreadable = _report(options.folder)
            print(f"report: {path} and {path.with_suffix('.html')}")
            return 1 if unreadable else 0
        if options.help:
            subparsers[options.command].print_help()
            if options.name and options.name != "all":
                from .experiment import describe

                print("\n" + describe(options.name), end="")
            return 0
        if not options.name:
            _usage_error(f"{options.command}: an experiment name or file is needed")
        _refuse_repeated_keys(options)
        if options.command == "sweep":
            return _sweep(options)
        return _run(options, argv)


def _refuse_repeated_keys(options):
    """A key given twice (``--set tau_m=5 --set tau_m=10``) is refused: which one was meant?"""
    for option, pairs in (("--set", options.assignments), ("--grid", getattr(options, "grid", []))):
        keys = [key for key, _ in pairs]
        for key in dict.fromkeys(keys):
            if keys.count(key) > 1:
                given = " ".join(f"{option} {k}={v}" for k, v in pairs if k == key)
                raise ValidationError(f"{option} {key} is given {keys.count(key)} times ({given}); "
                                      f"give each key once" + (" (list its values with commas)"
                                                               if option == "--grid" else ""))


def _run(options, argv):
    from .._io import folder_lock
    from .experiment import _run as run_one
    from .experiment import command_line, load_config, load_experiment
    from .parameters import unknown_name

    if options.out == "":
        raise ValidationError("--out must name a folder; got ''")
    overrides = dict(options.assignments)
    if options.name == "all":
        chosen = experiments()
        if options.config:
            tables, _ = load_config(options.config)
            for table in tables:
                if table not in chosen:
                    raise unknown_name("experiment", table, list(chosen), f"config {options.config!r}")
        # A key applies to every experiment that declares it; one no experiment declares is an error.
        declared = {p.name for module in chosen.values() for p in module.PARAMETERS}
        for key in overrides:
            if key not in declared:
                raise unknown_name("parameter", key, sorted(declared), "any experiment")
        # A bad value is refused before anything runs, not by each experiment in turn.
        for name, module in chosen.items():
            for p in module.PARAMETERS:
                if p.name in overrides:
                    p.parse(overrides[p.name], f"experiment {name!r}")
    else:
        module = load_experiment(options.name)
        chosen = {module.NAME: module}
    out = Path(options.out)
    try:  # an unusable --out fails here, at once, naming the path
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise OSError(f"{error.strerror or error}: {str(out)!r}") from None
    with folder_lock(out):
        failed, skipped = _run_each(chosen, overrides, options, command_line(argv), run_one)
        path, unreadable = _report(options.out, failed=failed, skipped=skipped)
    if options.name != "all":
        name = next(iter(chosen))
        print(f"{name}: results in {Path(options.out) / name}")
    print(f"report: {path} and {path.with_suffix('.html')}")
    return 1 if failed or unreadable else 0


def _report(folder, failed=(), skipped=()):
    """write_report, with each file it could not read said on stderr: (path, unreadable)."""
    from .report import UnreadableResultWarning, write_report

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UnreadableResultWarning)
        path = write_report(folder, failed=failed, skipped=skipped)
    unreadable = [w for w in caught if issubclass(w.category, UnreadableResultWarning)]
    for w in caught:
        if w in unreadable:
            sys.stderr.write(f"spikeneuron: warning: {w.message}\n")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return path, unreadable


def _run_each(chosen, overrides, options, command, run_one):
    """Run each chosen experiment: (names that failed, (name, reason) of those skipped).

    Of several, one that raises is a failure that does not stop the others; one that needs an
    optional extra that is not installed (MissingExtraError) is skipped, said on stderr and in
    the report, and is not a failure: ``run all`` works on the core install. Run alone, either
    error propagates (the command line exits 2 naming the extra)."""
    failed, skipped = [], []
    for index, (name, module) in enumerate(chosen.items(), 1):
        keys = {p.name for p in module.PARAMETERS}
        mine = {k: v for k, v in overrides.items() if k in keys or len(chosen) == 1}
        if len(chosen) > 1:
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} ...\n")
        started = time.perf_counter()
        try:
            run_one(module, options.out, seed=options.seed, quick=options.quick,
                    config=options.config, overrides=mine, command=command,
                    config_table_required=len(chosen) == 1)
        except KeyboardInterrupt:
            raise
        except MissingExtraError as error:
            if len(chosen) == 1:
                raise
            skipped.append((name, str(error)))
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} skipped: {error}\n")
            continue
        except Exception as error:  # one broken experiment must not hide the others
            if len(chosen) == 1:
                raise
            failed.append(name)
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} FAILED: {error!r}\n")
            continue
        if len(chosen) > 1:
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} done in "
                             f"{time.perf_counter() - started:.1f} s\n")
    return failed, skipped


def _sweep(options):
    from .sweep import sweep

    if not options.out:
        _usage_error("sweep: --out DIR is required")
    if not options.grid:
        _usage_error("sweep: at least one --grid KEY=V1,V2,... is needed")
    from .experiment import load_experiment

    module = load_experiment(options.name)
    declared = {p.name: p for p in module.PARAMETERS}
    grid = {}
    for key, text in options.grid:
        parameter = declared.get(key)
        if parameter is None:  # sweep() names the closest keys
            grid[key] = [text]
            continue
        separator = ";" if parameter.is_list else ","
        grid[key] = [parameter.parse(item, f"experiment {module.NAME!r}")
                     for item in text.split(separator)]
    client = None
    if options.dask:
        from .sweep import dask_client

        client = dask_client(None if options.dask == "local" else options.dask, options.workers)
    from .sweep import MAX_RUNS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # failures are reported below instead
            rows = sweep(module.SOURCE, grid=grid, repeats=options.repeats, seed=options.seed,
                         out=options.out, workers=options.workers, client=client,
                         quick=options.quick, config=options.config, plot=options.plot,
                         max_runs=options.max_runs or MAX_RUNS, **dict(options.assignments))
    finally:
        if client is not None:
            client.close()
            cluster = getattr(client, "_spikeneuron_cluster", None)
            if cluster is not None:
                cluster.close()
    failed = [row["folder"] for row in rows if row["status"] == "failed"]
    out = Path(options.out)
    written = ", ".join(name for name in ("sweep.csv", "sweep.json", "sweep.png")
                        if (out / name).exists())
    print(f"sweep: {len(rows) - len(failed)} of {len(rows)} runs done; wrote {written} in {out}")
    if not (out / "sweep.png").exists():
        sys.stderr.write("spikeneuron: no sweep.png: " + (
            "no run succeeded" if len(failed) == len(rows) else
            f"no finished run has a number {options.plot!r}" if options.plot else
            "no finished run has a scalar key number") + "\n")
    if failed:
        sys.stderr.write(f"spikeneuron: {len(failed)} runs failed: {', '.join(failed)} "
                         f"(errors in {out / 'sweep.json'})\n")
        return 1
    return 0

