"""Neuron models: one module per model, each with validated parameters and a batch integrator."""

from .adex import AdEx
from .hh import HodgkinHuxley
from .izhikevich import Izhikevich
from .lif import LIF

__all__ = ["LIF", "HodgkinHuxley", "AdEx", "Izhikevich"]
