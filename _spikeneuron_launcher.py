"""Start spikeneuron's command line so that Ctrl-C at any moment ends it with one line.

``spikeneuron ...``, ``python -m spikeneuron ...`` and ``python experiments/NAME.py ...`` spend
their first second or two importing numpy, scipy and matplotlib, before the command line's own
handler of Ctrl-C exists; an interrupt there would end in a traceback. This module imports
nothing but the standard library, and sits outside the ``spikeneuron`` package so that importing
it does not import the package (a package's ``__init__`` runs before any of its modules): until
the command takes over, Ctrl-C writes ``spikeneuron: interrupted`` on stderr and ends the
process with exit code 130, as the command does after cleaning up. Nothing has been written yet
at that point, so there is nothing to clean up.

If SIGINT is ignored (a job started in the background), it stays ignored.
"""

import os
import signal
import sys

__all__ = ["main", "run_file", "guard_start_up", "started_as"]

INTERRUPTED = "spikeneuron: interrupted\n"
INTERRUPTED_EXIT_CODE = 130  # 128 + SIGINT, what a shell reports for a process ended by Ctrl-C


def _exit_interrupted(signum, frame):
    try:
        os.write(2, INTERRUPTED.encode())
    except OSError:  # no stderr to write to: the exit code says it
        pass
    os._exit(INTERRUPTED_EXIT_CODE)


def guard_start_up():
    """From now on, until :func:`main` hands over to the command, Ctrl-C ends the process with
    one line and exit code 130. Does nothing where SIGINT is not Python's default handler
    (ignored, or handled by someone else) or outside the main thread."""
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _exit_interrupted)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass


def started_as(*modules):
    """True while Python is locating one of ``modules`` for ``python -m module`` (its parent
    packages are imported then, with ``sys.argv[0] == '-m'``): this process runs that module."""
    if getattr(sys, "argv", [])[:1] != ["-m"]:
        return False
    arguments = getattr(sys, "orig_argv", [])[1:]
    for i, argument in enumerate(arguments):
        if argument == "-m":
            return len(arguments) > i + 1 and arguments[i + 1] in modules
        if argument.startswith("-m"):
            return argument[2:] in modules
    return False


def main(argv=None, prog="spikeneuron"):
    """The ``spikeneuron`` command (its console script, and ``python -m spikeneuron``).

    Returns the exit code: the command's own, or 130 after Ctrl-C. For a process's entry point
    only: it takes SIGINT over for the rest of the process (in-process callers use
    :func:`spikeneuron.cli.main`).
    """
    guard_start_up()
    guarded = signal.getsignal(signal.SIGINT) is _exit_interrupted
    try:
        from spikeneuron.cli import main as command  # numpy, scipy, ...: the slow part

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
