"""Neuron models: one module per model, each with validated parameters and a batch integrator."""

from .adex import AdEx
from .hh import HodgkinHuxley
from .izhikevich import Izhikevich
from .lif import LIF
from .traub_miles import TraubMiles

__all__ = ["LIF", "HodgkinHuxley", "TraubMiles", "AdEx", "Izhikevich"]
