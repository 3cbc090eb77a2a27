"""Deprecated home of the experiment harness: use :mod:`spikeneuron.lab`.

Experiment files written for spikeneuron 0.1 import ``from spikeneuron.experiment import
KeyNumber, Parameter, lif_parameters``; the harness now lives in the lab
(:mod:`spikeneuron.lab.experiment`), and this module only forwards to it, with a
DeprecationWarning, so that those files keep running. Nothing in the library imports it.
"""

import warnings

from .lab.experiment import *  # noqa: F401,F403
from .lab.experiment import __all__  # noqa: F401

warnings.warn("spikeneuron.experiment has moved to spikeneuron.lab: "
              "write 'from spikeneuron.lab import KeyNumber, Parameter, lif_parameters'",
              DeprecationWarning, stacklevel=2)
