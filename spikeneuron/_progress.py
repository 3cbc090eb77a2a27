"""A minimal progress bar on stderr, shown only when stderr is a terminal (quiet in CI)."""

import os
import sys
import time

import numpy as np


def progress_wanted(progress, work, owner=None):
    """Decide whether to show progress: True/False force it; None shows it for long runs
    (over ``work`` = 2·10⁷ neuron-steps) when stderr is a terminal and CI is not set."""
    if progress is not None:
        if not isinstance(progress, (bool, np.bool_)):
            of = f" of {owner}" if owner else ""
            raise TypeError(f"The 'progress' parameter{of} must be True, False or None. "
                            f"Got {progress!r} of type {type(progress).__name__} instead.")
        return bool(progress)
    return work > 2e7 and sys.stderr.isatty() and not os.environ.get("CI")


class ProgressBar:
    """Redraws one line on stderr at most ten times a second; ``close`` ends the line."""

    def __init__(self, total, label, enabled):
        self.total, self.label, self.enabled = max(total, 1), label, enabled
        self.started = self.drawn = time.monotonic()

    def update(self, done):
        now = time.monotonic()
        if not self.enabled or (now - self.drawn < 0.1 and done < self.total):
            return
        self.drawn = now
        fraction = min(done / self.total, 1.0)
        bar = "#" * int(30 * fraction)
        sys.stderr.write(f"\r{self.label} [{bar:<30}] {100 * fraction:5.1f}% {now - self.started:6.1f} s")
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            self.update(self.total)
            sys.stderr.write("\n")
            sys.stderr.flush()
