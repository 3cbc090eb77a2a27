"""Synapses on the dendrites: how an input spike, scaled by its signed weight, acts on a neuron.

Two kinds, as in NEST's ``iaf_psc_delta`` and ``iaf_psc_exp``:

* :class:`DeltaSynapse` (default): the weight is an instantaneous jump of the membrane
  potential, in mV. An input spike at grid time t_k adds its weight to V(t_k).
* :class:`ExpSynapse`: the weight is a jump of a synaptic current, in nA, that then decays
  exponentially; positive weights feed the excitatory current (time constant ``tau_ex``),
  negative weights the inhibitory one (``tau_in``). The sign of the weight selects the kind.

Positive weights excite, negative weights inhibit, whatever the kind. Weights are held as a
(sources × neurons) matrix, dense or ``scipy.sparse``.
"""

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse

from . import _validation as check
from .exceptions import ValidationError

__all__ = ["DeltaSynapse", "ExpSynapse", "as_synapse", "as_weight_matrix", "exp_current_to_voltage"]


@dataclass(frozen=True)
class DeltaSynapse:
    """Delta synapse: an input spike makes the membrane potential jump by its weight (mV)."""

    #: Number of synaptic input channels the integrator receives per step (the summed jump).
    channels = 1
    weight_unit = "mV"


@dataclass(frozen=True)
class ExpSynapse:
    """Exponential current synapse: a spike adds its weight (nA) to a decaying current.

    Parameters
    ----------
    tau_ex : float
        Decay time constant of the excitatory synaptic current (positive weights), in ms.
    tau_in : float
        Decay time constant of the inhibitory synaptic current (negative weights), in ms.
    """

    tau_ex: float = 5.0
    tau_in: float = 10.0

    #: Two channels: excitatory (sum of positive weights) and inhibitory (negative weights).
    channels = 2
    weight_unit = "nA"

    def __post_init__(self):
        object.__setattr__(self, "tau_ex", check.positive("tau_ex", "ExpSynapse", self.tau_ex))
        object.__setattr__(self, "tau_in", check.positive("tau_in", "ExpSynapse", self.tau_in))
        for name in ("tau_ex", "tau_in"):
            check.plausible_unit(name, "ExpSynapse", getattr(self, name), "time constant")


def as_synapse(synapse, owner):
    """Accept a synapse object or its name ('delta' or 'exp')."""
    if isinstance(synapse, (DeltaSynapse, ExpSynapse)):
        return synapse
    if isinstance(synapse, str) and synapse == "delta":
        return DeltaSynapse()
    if isinstance(synapse, str) and synapse == "exp":
        return ExpSynapse()
    allowed = "'delta', 'exp', a DeltaSynapse or an ExpSynapse"
    if not isinstance(synapse, str):
        check.wrong_type("synapse", owner, allowed, synapse)
    check.fail("synapse", owner, allowed, synapse)


def as_weight_matrix(weights, n_sources, n, owner="simulate"):
    """Return weights as a (n_sources, n) float matrix: a numpy array or a CSR matrix.

    A 1-D vector of length ``n_sources`` is the weight column of a single neuron (or of every
    neuron of the batch when ``n`` > 1, all receiving the same inputs).
    """
    matrix = check.finite_array("weights", owner, weights, sparse=True)
    if not scipy.sparse.issparse(matrix):
        if matrix.ndim == 1:
            matrix = np.broadcast_to(matrix[:, None], (matrix.shape[0], n))
        elif matrix.ndim != 2:
            raise ValidationError(
                f"The 'weights' parameter of {owner} must be a vector (one weight per source) or "
                f"a (sources, neurons) matrix. Got an array with {matrix.ndim} dimensions instead."
            )
    if matrix.shape != (n_sources, n):
        check.shape_mismatch("weights", owner, f"({n_sources}, {n}) = (sources, neurons)",
                             matrix.shape)
    return matrix


def split_by_sign(matrix):
    """Split a weight matrix into its excitatory (>= 0) and inhibitory (<= 0) parts."""
    if scipy.sparse.issparse(matrix):
        return matrix.maximum(0.0).tocsr(), matrix.minimum(0.0).tocsr()
    return np.maximum(matrix, 0.0), np.minimum(matrix, 0.0)


def exp_current_to_voltage(r_m, tau_m, tau_syn, dt):
    """Exact contribution to V after one step of a unit exponential current (mV per nA).

    The integral r_m/tau_m ∫_0^h e^{-(h-s)/tau_m} e^{-s/tau_syn} ds, written as
    r_m (h/tau_m) e^{-h/tau_m} · expm1(a)/a with a = h (1/tau_m - 1/tau_syn), which stays
    accurate when tau_syn approaches tau_m (the classic formula divides by tau_syn - tau_m).
    """
    a = dt * (1.0 / tau_m - 1.0 / tau_syn)
    ratio = math.expm1(a) / a if abs(a) > 1e-12 else 1.0 + a / 2.0
    return r_m * (dt / tau_m) * math.exp(-dt / tau_m) * ratio
