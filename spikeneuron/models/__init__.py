"""Neuron models: one module per model, each with validated parameters and a batch integrator."""

from .lif import LIF

__all__ = ["LIF"]
