"""Izhikevich's simple model of spiking neurons (Izhikevich 2003), in the paper's units.

Equations (time in ms, v in mV; u and the current I in mV/ms, "the paper's units")::

    dv/dt = 0.04 v² + 5 v + 140 − u + I + I_syn
    du/dt = a (b v − u)
    at v = v_peak:  v → c,  u → u + d

The quadratic term is the upswing (v runs away to infinity in finite time past the upper
zero of the quadratic); u is a recovery variable whose time scale 1/a, sensitivity b and jump
d give the cortical firing types: regular spiking (RS: a = 0.02, b = 0.2, c = −65, d = 8),
intrinsically bursting (IB: c = −55, d = 4), chattering (CH: c = −50, d = 2), fast spiking (FS:
a = 0.1, d = 2) and low-threshold spiking (LTS: b = 0.25, d = 2).

Integrated by :mod:`.located_reset` (as :class:`~spikeneuron.AdEx`): RK4 on the grid, sub-steps
on the upswing, the crossing of v_peak located inside the step and the reset integrated from
there, instead of the paper's forward Euler with the threshold checked on the grid.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import _validation as check
from ..synapses import DeltaSynapse, ExpSynapse, as_synapse
from . import izhikevich_kernels as k
from . import located_reset
from .reset_integrator import ResetIntegrator

__all__ = ["Izhikevich"]

#: Where every run starts unless ``v_init`` says otherwise, mV (the paper's code starts at
#: v = −65 mV, u = b·v, whatever c is).
V_START = -65.0


@dataclass(frozen=True)
class Izhikevich:
    """Izhikevich's simple spiking neuron; the defaults are the regular-spiking cell.

    Units are the paper's: time ms, v mV, and u and the current in mV/ms. With this model,
    :func:`spikeneuron.simulate` reads the injected ``current`` in these units (I = 10 drives
    the classic firing types), delta-synapse weights as jumps of v in mV and exponential-synapse
    weights in the units of the current.

    Parameters
    ----------
    a : float
        Rate of the recovery variable u, 1/ms (non-zero; its time constant is ``1/|a|``).
    b : float
        Sensitivity of u to v (dimensionless).
    c : float
        Potential after a spike, mV (< v_peak).
    d : float
        Jump of u at each spike, mV/ms.
    v_peak : float
        Spike cut-off, mV.
    synapse : DeltaSynapse, ExpSynapse, 'delta' or 'exp'
        How input spikes act: a jump of v by the weight in mV (delta, default) or a jump of an
        exponentially decaying current by the weight (exp, in the current's units).

    Notes
    -----
    A run starts at v = −65 mV (``v_init`` overrides it) and u = b·v_init. ``record_vars=["u"]``
    records u.

    Examples
    --------
    >>> from spikeneuron import Izhikevich, simulate
    >>> result = simulate(Izhikevich(), duration=500.0, current=10.0)
    >>> int(result.spike_counts[0])
    12
    """

    a: float = 0.02
    b: float = 0.2
    c: float = -65.0
    d: float = 8.0
    v_peak: float = 30.0
    synapse: DeltaSynapse | ExpSynapse | str = field(default_factory=DeltaSynapse)

    def __post_init__(self):
        owner = "Izhikevich"
        set_ = object.__setattr__  # frozen: parameters are converted once, here
        for name in ("a", "b", "d"):
            set_(self, name, check.real(name, owner, getattr(self, name)))
        for name in ("c", "v_peak"):  # within ±1000 mV: v² stays meaningful
            set_(self, name, check.real(name, owner, getattr(self, name), low=-1000.0, high=1000.0))
        if self.a == 0.0:
            check.fail("a", owner, "a non-zero rate (1/ms)", self.a)
        if self.c >= self.v_peak:
            check.fail("c", owner, f"below v_peak = {self.v_peak:g} mV", self.c)
        set_(self, "synapse", as_synapse(self.synapse, owner))

    def with_(self, **changes):
        """A copy of this model with some parameters changed (the model itself is immutable)."""
        from dataclasses import replace

        return replace(self, **changes)

    @property
    def v_reset(self):
        """Potential after a spike, mV (the parameter c)."""
        return self.c

    @property
    def v_rest(self):
        """Where a run starts by default, mV (−65, as in the paper's code)."""
        return V_START

    @property
    def time_constants(self):
        """The time constants that judge dt, by name, ms: the synaptic ones only. The membrane's
        and the adaptation's do not limit dt: the integrator sub-steps wherever dt is long for
        the local dynamics (``spikeneuron.models.located_reset``), so dt only sets the grid on which inputs
        arrive and currents change."""
        if isinstance(self.synapse, ExpSynapse):
            return {"tau_ex": self.synapse.tau_ex, "tau_in": self.synapse.tau_in}
        return {}

    def v_nullcline(self, v, current=0.0):
        """u on the v-nullcline dv/dt = 0 at potentials v (mV) under a constant current:
        u = 0.04 v² + 5 v + 140 + I."""
        v = np.asarray(v, dtype=float)
        return (0.04 * v + 5.0) * v + 140.0 + current

    def w_nullcline(self, v):
        """u on the u-nullcline du/dt = 0 at potentials v (mV): u = b v."""
        return self.b * np.asarray(v, dtype=float)

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default −65) and u = b·v_init. The model is deterministic, so ``rng`` is unused."""
        dt, n, v_init = check.integrator_arguments("Izhikevich.integrator", dt, n, v_init)
        v_start = V_START if v_init is None else v_init
        p = located_reset.generic_parameters(self, located_reset.IZHIKEVICH, w_jump=self.d,
                                             w_hold=0.0, hold_rate=abs(self.a), t_ref=0.0)
        p[k.A], p[k.B] = self.a, self.b
        return ResetIntegrator(self, dt, n, v_start,
                                             self.b * np.asarray(v_start, dtype=float), p, "u")


#: Izhikevich (2003), Fig. 2: the cortical cell types as Izhikevich parameters (a, b, c, d).
CELL_TYPES = {
    "RS": dict(a=0.02, b=0.2, c=-65.0, d=8.0),
    "IB": dict(a=0.02, b=0.2, c=-55.0, d=4.0),
    "CH": dict(a=0.02, b=0.2, c=-50.0, d=2.0),
    "FS": dict(a=0.1, b=0.2, c=-65.0, d=2.0),
    "LTS": dict(a=0.02, b=0.25, c=-65.0, d=2.0),
}
