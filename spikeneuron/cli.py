"""The ``spikeneuron`` command line: list and run the experiments.

    spikeneuron list
    spikeneuron run NAME|all [--out DIR] [--seed N] [--quick]
    spikeneuron bench [--quick] [--only W1,W2,...]

Bad input (an unknown experiment, a bad option, a parameter an experiment rejects) ends with
exit code 2 and one line on stderr, never a traceback.
"""

import argparse
import importlib.util
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from ._io import write_text_atomic

__all__ = ["main", "experiments", "report_errors"]


def _experiments_dir():
    # Installed: the scripts are packaged as spikeneuron/experiments. From a source tree
    # that was not installed: the repository's experiments/ folder beside the package.
    package = Path(__file__).resolve().parent
    for candidate in (package / "experiments", package.parent / "experiments"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cannot find the experiments folder next to the spikeneuron package")


def experiments():
    """The experiment modules by name (``NAME`` of each file in experiments/), in name order."""
    found = {}
    for path in sorted(_experiments_dir().glob("[!_]*.py")):
        spec = importlib.util.spec_from_file_location(f"_spikeneuron_experiment_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[module.NAME] = module
    return dict(sorted(found.items()))


def seed_value(text):
    """argparse type of --seed: a non-negative integer."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: a non-negative integer is needed") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid seed {value}: a non-negative integer is needed")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        _usage_error(message)


def _usage_error(message):
    names = ", ".join(experiments())
    sys.stderr.write(f"spikeneuron: error: {message} (experiments: {names})\n")
    raise SystemExit(2)


@contextmanager
def report_errors():
    """Turn a bad parameter (ValueError, TypeError) into one line on stderr and exit code 2."""
    try:
        yield
    except (ValueError, TypeError) as error:
        sys.stderr.write(f"spikeneuron: error: {error}\n")
        raise SystemExit(2) from None
    except OSError as error:  # e.g. an --out that is a file or cannot be created
        sys.stderr.write(f"spikeneuron: error: cannot write results: {error}\n")
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        sys.stderr.write("spikeneuron: interrupted\n")
        raise SystemExit(130) from None


def _parser():
    parser = _Parser(prog="spikeneuron", description="A neuron is a logistic regression that spikes.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    commands.add_parser("list", help="list the experiments")
    run = commands.add_parser("run", help="run one experiment, or all of them with a report")
    run.add_argument("name", help="experiment name, or 'all'")
    run.add_argument("--out", default="results", help="results folder (default: results)")
    run.add_argument("--seed", type=seed_value, default=0, help="random seed, >= 0 (default: 0)")
    run.add_argument("--quick", action="store_true", help="reduced, fast runs")
    bench = commands.add_parser("bench", help="run the benchmark suite (each workload in its own process)")
    bench.add_argument("--quick", action="store_true", help="each workload at a tenth of its size")
    bench.add_argument("--only", help="comma-separated workloads (default: all)")
    return parser


def main(argv=None):
    """Entry point of the ``spikeneuron`` command; returns the exit code."""
    options = _parser().parse_args(argv)
    if options.command == "bench":
        from .benchmark import WORKLOADS, main as bench

        if options.only and any(name.strip() not in WORKLOADS for name in options.only.split(",")):
            _usage_error(f"unknown workload in --only {options.only!r} (workloads: {', '.join(WORKLOADS)})")
        return bench((["--quick"] if options.quick else []) + (["--only", options.only] if options.only else []))
    available = experiments()
    if options.command == "list":
        for name, module in available.items():
            print(f"{name:24s} {module.TITLE}")
        return 0
    if options.name != "all" and options.name not in available:
        _usage_error(f"unknown experiment {options.name!r}")
    from .experiment import run_experiment  # plotting stays unimported for `list`

    chosen = list(available) if options.name == "all" else [options.name]
    summaries, failed = {}, []
    with report_errors():
        Path(options.out).mkdir(parents=True, exist_ok=True)  # a bad --out fails here, at once
        for index, name in enumerate(chosen, 1):
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} ...\n")
            started = time.perf_counter()
            try:
                summaries[name] = run_experiment(available[name], options.out,
                                                 seed=options.seed, quick=options.quick)
            except Exception as error:  # one broken experiment must not hide the others
                if len(chosen) == 1:
                    raise
                failed.append(name)
                sys.stderr.write(f"[{index}/{len(chosen)}] {name} FAILED: {error!r}\n")
                continue
            sys.stderr.write(f"[{index}/{len(chosen)}] {name} done in "
                             f"{time.perf_counter() - started:.1f} s\n")
    if options.name == "all":
        path = Path(options.out) / "report.md"
        write_text_atomic(path, _report(summaries, failed, options))
        print(f"report: {path}")
    else:
        print(f"{chosen[0]}: results in {Path(options.out) / chosen[0]}")
    return 1 if failed else 0


def _format_number(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        if len(value) <= 6 and all(not isinstance(v, (list, dict)) for v in value):
            return "[" + ", ".join(_format_number(v) for v in value) + "]"
        return f"{len(value)} values (see summary.json)"
    return str(value)


def _report(summaries, failed, options):
    lines = ["# spikeneuron results", "",
             f"Seed {options.seed}{', quick runs' if options.quick else ''}. "
             f"Each section shows one experiment's figures and key numbers; "
             f"the full numbers are in its `summary.json`.", ""]
    skip = {"experiment", "title", "description", "seed", "quick", "figures", "parameters"}
    for name, summary in summaries.items():
        lines += [f"## {name}: {summary['title']}", "", summary["description"], "",
                  "| key number | value |", "|---|---|"]
        lines += [f"| `{key}` | {_format_number(value)} |"
                  for key, value in summary.items() if key not in skip]
        lines.append("")
        for figure in summary["figures"]:
            lines += [f"![{figure['caption']}]({name}/{figure['file']})", "",
                      f"*{figure['caption']}*", ""]
    if failed:
        lines += ["## Failed", "", *[f"- {name}" for name in failed], ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
