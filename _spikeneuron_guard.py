"""Ctrl-C during start-up: one line and exit code 130, before any heavy import has finished.

``spikeneuron ...``, ``python -m spikeneuron ...`` and ``python experiments/NAME.py ...`` spend
their first second or two importing numpy, scipy and matplotlib, before the command line's own
handler of Ctrl-C exists; an interrupt there would end in a traceback. This module imports
nothing but the standard library, and sits outside the ``spikeneuron`` package so that importing
it does not import the package (a package's ``__init__`` runs before any of its modules): until
the command takes over, Ctrl-C writes ``spikeneuron: interrupted`` on stderr and ends the
process with exit code 130, as the command does after cleaning up. Nothing has been written yet
at that point, so there is nothing to clean up.

It is imported by the package's ``__init__`` (for ``python -m spikeneuron``) and by the
launcher (the console script and experiment files); it imports neither, so no import runs in a
circle. If SIGINT is ignored (a job started in the background), it stays ignored.
"""

import os
import signal
import sys

__all__ = ["guard_start_up", "started_as", "is_guarded", "INTERRUPTED", "INTERRUPTED_EXIT_CODE"]

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


def is_guarded():
    """Whether the start-up guard is the SIGINT handler now."""
    return signal.getsignal(signal.SIGINT) is _exit_interrupted

