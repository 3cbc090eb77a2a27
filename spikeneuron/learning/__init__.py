"""Spiking neurons that learn: maximum-likelihood dendritic weights (Paninski 2004), the
tempotron (Gütig & Sompolinsky 2006), a spiking classifier built from a logistic neuron, and the
spiking twin of a layered logistic network."""

from .classifier import SpikingClassifier
from .spike_train_fit import SpikeTrainFit
from .spiking_network import SpikingNetwork
from .tempotron import Tempotron

__all__ = ["SpikeTrainFit", "Tempotron", "SpikingClassifier", "SpikingNetwork"]
