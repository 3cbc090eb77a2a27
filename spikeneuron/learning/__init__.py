"""Spiking neurons that learn: maximum-likelihood dendritic weights (Paninski 2004), the
tempotron (Gütig & Sompolinsky 2006), and a spiking classifier built from a logistic neuron."""

from .classifier import SpikingClassifier
from .spike_train_fit import SpikeTrainFit
from .tempotron import Tempotron

__all__ = ["SpikeTrainFit", "Tempotron", "SpikingClassifier"]
