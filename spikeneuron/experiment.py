"""The harness every experiment runs in: options, output folder, figures, data, summary.

An experiment module in ``experiments/`` defines ``NAME``, ``TITLE``, ``DESCRIPTION`` and
``run(context) -> dict`` (its key numbers, plus a ``parameters`` entry). The harness gives it
an :class:`ExperimentContext`, times it and writes ``summary.json``; everything is written
atomically.
"""

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ._io import plain, save_npz_atomic, savefig_atomic, write_json_atomic, write_text_atomic

__all__ = ["ExperimentContext", "run_experiment", "script_main"]


@dataclass
class ExperimentContext:
    """Where an experiment writes, with which seed, and at which size.

    Attributes
    ----------
    name : str
    out_dir : Path
        ``DIR/NAME``, created on demand.
    seed : int
    quick : bool
        Run a reduced version (shorter simulations, fewer points) for tests and smoke runs.
    """

    name: str
    out_dir: Path
    seed: int
    quick: bool
    figures: list = field(default_factory=list)

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


def run_experiment(module, out, *, seed=0, quick=False):
    """Run one experiment module into ``out/NAME`` and return its summary (also saved as JSON)."""
    context = ExperimentContext(module.NAME, Path(out) / module.NAME, seed, quick)
    context.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    numbers = module.run(context)
    # An experiment may report its own "wall_s" (e.g. the simulation alone); otherwise it is
    # the time of the whole experiment.
    summary = plain({"experiment": module.NAME, "title": module.TITLE,
                     "description": module.DESCRIPTION, "seed": seed, "quick": quick,
                     "wall_s": round(time.perf_counter() - started, 3), **numbers,
                     "figures": context.figures})
    write_json_atomic(context.out_dir / "summary.json", summary)
    return summary


def script_main(module, argv=None):
    """Command line of one experiment file: ``python experiments/NAME.py [--out DIR] [--seed N] [--quick]``."""
    from .cli import report_errors, seed_value  # the CLI imports this module: import on use

    parser = argparse.ArgumentParser(prog=f"{module.NAME}", description=module.DESCRIPTION)
    parser.add_argument("--out", default="results", help="results folder (default: results)")
    parser.add_argument("--seed", type=seed_value, default=0, help="random seed, >= 0 (default: 0)")
    parser.add_argument("--quick", action="store_true", help="a reduced, fast run")
    options = parser.parse_args(argv)

    started = time.perf_counter()
    with report_errors():
        run_experiment(module, options.out, seed=options.seed, quick=options.quick)
    print(f"{module.NAME}: wrote {Path(options.out) / module.NAME} in "
          f"{time.perf_counter() - started:.1f} s")
    return 0
