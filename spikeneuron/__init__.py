"""spikeneuron: a neuron is a logistic regression that spikes.

Exact leaky integrate-and-fire simulation with signed dendritic inputs, and the analysis that
connects the all-or-none spike to its smooth counterpart. Units: ms, mV, nA, MΩ, Hz.
"""

import sys as _sys

if getattr(_sys, "argv", [])[:1] == ["-m"]:  # `python -m spikeneuron`: Ctrl-C during the
    import _spikeneuron_guard  # imports below gives one line and exit code 130, no traceback

    if _spikeneuron_guard.started_as("spikeneuron"):
        _spikeneuron_guard.guard_start_up()

from .analysis import cv_isi as cv_isi
from .analysis import fano_factor as fano_factor
from .analysis import synchrony as synchrony
from .analysis import isi as isi
from .analysis import lif_period as lif_period
from .analysis import lif_rate as lif_rate
from .analysis import mean_isi_rate as mean_isi_rate
from .analysis import siegert_rate as siegert_rate
from .connectivity import all_to_all as all_to_all
from .connectivity import fixed_indegree as fixed_indegree
from .connectivity import fixed_probability as fixed_probability
from .connectivity import from_arrays as from_arrays
from .connectivity import one_to_one as one_to_one
from .datasets import digits_split as digits_split
from .engine import simulate as simulate
from .explore import explore as explore
from .exceptions import CoarseTimeStepWarning as CoarseTimeStepWarning
from .exceptions import UnitWarning as UnitWarning
from .exceptions import MissingExtraError as MissingExtraError
from .exceptions import SimulationError as SimulationError
from .exceptions import NotFittedError as NotFittedError
from .exceptions import ValidationError as ValidationError
from .inputs import SpikeTrains as SpikeTrains
from .inputs import poisson_inputs as poisson_inputs
from .inputs import regular_inputs as regular_inputs
from .inputs import spike_trains as spike_trains
from .logistic import LogisticNeuron as LogisticNeuron
from .logistic_network import LogisticNetwork as LogisticNetwork
from .learning import SpikeTrainFit as SpikeTrainFit
from .learning import SpikingClassifier as SpikingClassifier
from .learning import SpikingNetwork as SpikingNetwork
from .learning import Tempotron as Tempotron
from .models import HodgkinHuxley as HodgkinHuxley
from .models import AdEx as AdEx
from .models import Izhikevich as Izhikevich
from .models import LIF as LIF
from .models import TraubMiles as TraubMiles
from .network import Network as Network
from .network import NetworkResult as NetworkResult
from .noise import EscapeNoise as EscapeNoise
from .noise import MembraneNoise as MembraneNoise
from .result import SimulationResult as SimulationResult
from .result import load_network_result as load_network_result
from .result import load_result as load_result
from .synapses import AlphaSynapse as AlphaSynapse
from .synapses import CondExpSynapse as CondExpSynapse
from .synapses import DeltaSynapse as DeltaSynapse
from .synapses import ExpSynapse as ExpSynapse
from ._version import __version__ as __version__


def __getattr__(name):
    # The lab's entry points, importable from here as before; loaded on first use so that the
    # library never imports the lab (spikeneuron.lab imports the library, not the reverse).
    if name in _LAB:
        from . import lab

        return getattr(lab, name)
    raise AttributeError(f"module 'spikeneuron' has no attribute {name!r}")

_LAB = ("run_experiment", "sweep", "explorer")


__all__ = [
    "LIF",
    "HodgkinHuxley",
    "TraubMiles",
    "AdEx",
    "Izhikevich",
    "DeltaSynapse",
    "ExpSynapse",
    "AlphaSynapse",
    "CondExpSynapse",
    "MembraneNoise",
    "EscapeNoise",
    "simulate",
    "Network",
    "NetworkResult",
    "all_to_all",
    "one_to_one",
    "fixed_probability",
    "fixed_indegree",
    "from_arrays",
    "SimulationResult",
    "load_result",
    "load_network_result",
    "SpikeTrains",
    "spike_trains",
    "poisson_inputs",
    "regular_inputs",
    "lif_rate",
    "lif_period",
    "isi",
    "cv_isi",
    "fano_factor",
    "synchrony",
    "mean_isi_rate",
    "siegert_rate",
    "LogisticNeuron",
    "LogisticNetwork",
    "digits_split",
    "SpikeTrainFit",
    "Tempotron",
    "SpikingClassifier",
    "SpikingNetwork",
    "ValidationError",
    "NotFittedError",
    "CoarseTimeStepWarning",
    "UnitWarning",
    "MissingExtraError",
    "SimulationError",
    "run_experiment",
    "sweep",
    "explore",
    "explorer",
    "__version__",
]
