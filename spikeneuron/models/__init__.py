"""Neuron models: one module per model, each with validated parameters and a batch integrator."""

from .hh import HodgkinHuxley
from .lif import LIF
from .traub_miles import TraubMiles

__all__ = ["LIF", "HodgkinHuxley", "TraubMiles"]
