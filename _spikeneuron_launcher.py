"""Start spikeneuron's command line so that Ctrl-C at any moment ends it with one line.

The console script ``spikeneuron``, ``python -m spikeneuron`` and every experiment file run
as a script come here. It sits outside the ``spikeneuron`` package and imports only the
standard library and :mod:`_spikeneuron_guard` until the guard is in place; then it imports
the command line (:mod:`spikeneuron.lab.cli`, the slow part) and hands over to it.
"""

import os
import signal
import sys

from _spikeneuron_guard import INTERRUPTED, INTERRUPTED_EXIT_CODE, guard_start_up, is_guarded

__all__ = ["main", "run_file"]


def main(argv=None, prog="spikeneuron"):
    """The ``spikeneuron`` command (its console script, and ``python -m spikeneuron``).

    Returns the exit code: the command's own, or 130 after Ctrl-C. For a process's entry point
    only: it takes SIGINT over for the rest of the process (in-process callers use
    :func:`spikeneuron.lab.cli.main`).
    """
    guard_start_up()
    guarded = is_guarded()
    try:
        from spikeneuron.lab.cli import main as command  # numpy, scipy, ...: the slow part

        if guarded:  # the command answers Ctrl-C itself, after releasing its folder lock
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return command(argv, prog)
    except KeyboardInterrupt:  # unguarded, or just before the command's own handler
        sys.stderr.write(INTERRUPTED)
        return INTERRUPTED_EXIT_CODE
    finally:
        if guarded:
            # The command is over and its exit code stands: Python's shutdown (tearing down
            # numpy, scipy, matplotlib) would otherwise die of a late Ctrl-C without a word.
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_file(path, argv=None):
    """``python path/to/experiment.py [options]``: the file run by ``spikeneuron run FILE``.

    An experiment file calls this first thing, before its own imports::

        if __name__ == "__main__":
            from _spikeneuron_launcher import run_file
            raise SystemExit(run_file(__file__))
    """
    path = os.path.abspath(path)
    arguments = sys.argv[1:] if argv is None else list(argv)
    return main(["run", path, *arguments], prog=f"python {os.path.basename(path)}")
