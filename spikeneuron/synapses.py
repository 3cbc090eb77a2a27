"""Synapses on the dendrites: how an input spike, scaled by its signed weight, acts on a neuron.

Four kinds, as in NEST's ``iaf_psc_delta``, ``iaf_psc_exp``, ``iaf_psc_alpha`` and
``iaf_cond_exp``:

* :class:`DeltaSynapse` (default): the weight is an instantaneous jump of the membrane
  potential, in mV. An input spike at grid time t_k adds its weight to V(t_k).
* :class:`ExpSynapse`: the weight is a jump of a synaptic current, in nA, that then decays
  exponentially; positive weights feed the excitatory current (time constant ``tau_ex``),
  negative weights the inhibitory one (``tau_in``). The sign of the weight selects the kind.
* :class:`AlphaSynapse`: the weight is the peak of an alpha-shaped current, in nA: a spike of
  weight w at t = 0 gives w·(t/τ)·e^(1 − t/τ), peaking at w at t = τ (τ = ``tau_ex`` for
  positive weights, ``tau_in`` for negative ones).
* :class:`CondExpSynapse`: the weight is a jump of a synaptic conductance, in nS, that then
  decays exponentially; the current it drives, g·(E − V), depends on the distance of V from the
  reversal potential E (``e_ex`` for positive weights, ``e_in`` for negative ones, which add
  their magnitude |w| to the inhibitory conductance).

Positive weights excite, negative weights inhibit, whatever the kind. Weights are held as a
(sources × neurons) matrix, dense or ``scipy.sparse``.
"""

import math
from dataclasses import dataclass

import numpy as np
import scipy.sparse

from . import _validation as check
from .exceptions import ValidationError

__all__ = ["DeltaSynapse", "ExpSynapse", "AlphaSynapse", "CondExpSynapse", "as_synapse",
           "as_weight_matrix", "exp_current_to_voltage"]


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


@dataclass(frozen=True)
class AlphaSynapse:
    """Alpha-shaped current synapse: a spike of weight w (nA) gives the current
    w·(t/τ)·e^(1 − t/τ), which rises from 0, peaks at w at t = τ and decays (NEST
    ``iaf_psc_alpha``).

    Parameters
    ----------
    tau_ex : float
        Rise time (time to peak) of the excitatory current (positive weights), in ms (> 0).
    tau_in : float
        Rise time of the inhibitory current (negative weights), in ms (> 0).

    Examples
    --------
    >>> from spikeneuron import LIF
    >>> LIF(synapse=AlphaSynapse(tau_ex=1.0)).synapse.tau_ex
    1.0
    """

    tau_ex: float = 2.0
    tau_in: float = 2.0

    #: Two channels: excitatory (sum of positive weights) and inhibitory (negative weights).
    channels = 2
    weight_unit = "nA"

    def __post_init__(self):
        object.__setattr__(self, "tau_ex", check.positive("tau_ex", "AlphaSynapse", self.tau_ex))
        object.__setattr__(self, "tau_in", check.positive("tau_in", "AlphaSynapse", self.tau_in))


@dataclass(frozen=True)
class CondExpSynapse:
    """Exponentially decaying conductance synapse (NEST ``iaf_cond_exp``).

    A spike of weight w > 0 adds w (nS) to the excitatory conductance g_ex, one of weight w < 0
    adds ``|w|`` to the inhibitory conductance g_in; each decays with its time constant, and the
    synaptic current into the neuron is g_ex·(e_ex − V) + g_in·(e_in − V) (nS·mV = pA).

    Parameters
    ----------
    tau_ex : float
        Decay time constant of the excitatory conductance, in ms (> 0).
    tau_in : float
        Decay time constant of the inhibitory conductance, in ms (> 0).
    e_ex : float
        Reversal potential of the excitatory conductance, in mV (above ``e_in``).
    e_in : float
        Reversal potential of the inhibitory conductance, in mV.

    Raises
    ------
    ValueError
        (ValidationError) for a non-positive or non-finite time constant, a non-finite reversal
        potential, or ``e_ex`` at or below ``e_in``.

    Examples
    --------
    >>> from spikeneuron import LIF
    >>> LIF(r_m=100.0, synapse="cond_exp").synapse.e_in
    -80.0
    """

    tau_ex: float = 5.0
    tau_in: float = 10.0
    e_ex: float = 0.0
    e_in: float = -80.0

    #: Two channels: excitatory (sum of positive weights) and inhibitory (sum of ``|negative|``).
    channels = 2
    weight_unit = "nS"

    def __post_init__(self):
        owner, set_ = "CondExpSynapse", object.__setattr__
        set_(self, "tau_ex", check.positive("tau_ex", owner, self.tau_ex))
        set_(self, "tau_in", check.positive("tau_in", owner, self.tau_in))
        # far outside physiology, but keeps g·(E − V) and E − V finite in floating point
        set_(self, "e_ex", check.real("e_ex", owner, self.e_ex, low=-1e6, high=1e6))
        set_(self, "e_in", check.real("e_in", owner, self.e_in, low=-1e6, high=1e6))
        if self.e_ex <= self.e_in:
            check.fail("e_ex", owner, f"above e_in = {self.e_in:g} mV (excitation reverses "
                       f"above inhibition)", self.e_ex)


#: The synapse kinds by the names a model's ``synapse`` parameter accepts.
SYNAPSE_NAMES = {"delta": DeltaSynapse, "exp": ExpSynapse, "alpha": AlphaSynapse,
                 "cond_exp": CondExpSynapse}


def as_synapse(synapse, owner, kinds=(DeltaSynapse, ExpSynapse)):
    """Accept a synapse object of one of ``kinds`` or its name ('delta', 'exp', 'alpha',
    'cond_exp'); a model passes the kinds its integrator implements."""
    if isinstance(synapse, kinds):
        return synapse
    names = {name: kind for name, kind in SYNAPSE_NAMES.items() if kind in kinds}
    if isinstance(synapse, str) and synapse in names:
        return names[synapse]()
    options = [repr(name) for name in names] + [
        ("an " if kind.__name__[0] in "AEIOU" else "a ") + kind.__name__ for kind in kinds]
    allowed = ", ".join(options[:-1]) + " or " + options[-1]
    if not isinstance(synapse, (str, DeltaSynapse, ExpSynapse, AlphaSynapse, CondExpSynapse)):
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
