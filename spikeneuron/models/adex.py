"""Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005; Naud et al. 2008).

Equations (units ms, mV, pF, nS, nA; pF·mV/ms = pA = nS·mV, currents in nA as for the LIF)::

    c_m dV/dt = −g_l (V − e_l) + g_l Δ_T e^{(V − v_t)/Δ_T} − w + I + I_syn
    τ_w dw/dt = a (V − e_l) − w
    at V = v_peak:  V → v_reset,  w → w + b     (then V held at v_reset for t_ref)

The exponential term is the spike's upswing: past v_t, V runs away to infinity in finite time,
and v_peak only marks where the run is cut. The adaptation current w, driven below threshold
by a (nS) and by each spike by b (nA), decides when the next spike comes: with a and b at zero
the model is the exponential integrate-and-fire neuron, and every firing pattern of Naud et al.
(tonic, adapting, bursting, delayed, transient, irregular) comes from a, b, τ_w and v_reset.

Integrated by :mod:`.located_reset`: RK4 on the grid, sub-steps on the upswing, the crossing
of v_peak located inside the step and the reset integrated from there; spike times are the
located crossings.
"""

from dataclasses import dataclass, field

import numpy as np

from .. import _validation as check
from ..synapses import CondExpSynapse, DeltaSynapse, ExpSynapse, as_synapse
from . import adex_kernels as k
from . import located_reset
from .reset_integrator import ResetIntegrator

__all__ = ["AdEx"]


@dataclass(frozen=True)
class AdEx:
    """Adaptive exponential integrate-and-fire neuron; the defaults are Naud et al. (2008)'s
    tonic-spiking cell (it fires regularly under 0.5 nA).

    Parameters
    ----------
    c_m : float
        Membrane capacitance, pF (> 0).
    g_l : float
        Leak conductance, nS (> 0); the membrane time constant is c_m/g_l (ms).
    e_l : float
        Leak reversal potential, mV (where every run starts unless ``v_init`` says otherwise).
    v_t : float
        Threshold of the exponential (the rheobase potential), mV.
    delta_t : float
        Slope factor Δ_T, mV (> 0): how sharp the upswing is.
    a : float
        Sub-threshold adaptation, nS (negative values couple w the other way).
    tau_w : float
        Adaptation time constant, ms (> 0).
    b : float
        Spike-triggered adaptation: the jump of w at each spike, nA.
    v_reset : float
        Potential after a spike, mV (< v_peak).
    v_peak : float
        Where the upswing is cut and a spike counted, mV (> v_t).
    t_ref : float
        Refractory period, ms (>= 0): V is held at v_reset while w relaxes.
    synapse : DeltaSynapse, ExpSynapse, CondExpSynapse, 'delta', 'exp' or 'cond_exp'
        How input spikes act: a jump of V by the weight in mV (delta, default), a jump of an
        exponentially decaying current by the weight in nA (exp), or a jump of an exponentially
        decaying conductance by ``|weight|`` in nS (cond_exp: positive weights excite through
        e_ex, negative ones inhibit through e_in; recordable g_ex, g_in).

    Notes
    -----
    w starts at 0 nA. With :func:`spikeneuron.simulate`, ``current`` is in nA and
    ``record_vars=["w"]`` records the adaptation current (nA).

    Examples
    --------
    >>> from spikeneuron import AdEx, simulate
    >>> result = simulate(AdEx(), duration=600.0, current=0.5)
    >>> int(result.spike_counts[0])
    62
    """

    c_m: float = 200.0
    g_l: float = 10.0
    e_l: float = -70.0
    v_t: float = -50.0
    delta_t: float = 2.0
    a: float = 2.0
    tau_w: float = 30.0
    b: float = 0.0
    v_reset: float = -58.0
    v_peak: float = 0.0
    t_ref: float = 0.0
    synapse: DeltaSynapse | ExpSynapse | CondExpSynapse | str = field(default_factory=DeltaSynapse)

    def __post_init__(self):
        owner = "AdEx"
        set_ = object.__setattr__  # frozen: parameters are converted once, here
        for name in ("c_m", "g_l", "delta_t", "tau_w"):
            set_(self, name, check.positive(name, owner, getattr(self, name)))
        set_(self, "t_ref", check.non_negative("t_ref", owner, self.t_ref))
        # Potentials within ±1000 mV, far outside physiology, keep every difference of them and
        # the exponent (V − v_t)/Δ_T meaningful in floating point.
        for name in ("e_l", "v_t", "v_reset", "v_peak"):
            set_(self, name, check.real(name, owner, getattr(self, name), low=-1000.0, high=1000.0))
        for name in ("a", "b"):
            set_(self, name, check.real(name, owner, getattr(self, name)))
        for name, value in (("c_m", self.g_l / self.c_m), ("c_m", 1000.0 / self.c_m),
                            ("tau_w", 1.0 / self.tau_w), ("a", self.a / 1000.0 * (self.v_peak - self.e_l))):
            if not np.isfinite(value):
                check.fail(name, owner, "a value whose rates (g_l/c_m, 1000/c_m, 1/tau_w, "
                           "a·(v_peak − e_l)) are finite", getattr(self, name))
        if self.v_peak <= self.v_t:
            check.fail("v_peak", owner, f"above v_t = {self.v_t:g} mV (the spike is cut on its "
                       f"upswing)", self.v_peak)
        if self.v_reset >= self.v_peak:
            check.fail("v_reset", owner, f"below v_peak = {self.v_peak:g} mV", self.v_reset)
        set_(self, "synapse", as_synapse(self.synapse, owner,
                                         kinds=(DeltaSynapse, ExpSynapse, CondExpSynapse)))

    def with_(self, **changes):
        """A copy of this model with some parameters changed (the model itself is immutable)."""
        from dataclasses import replace

        return replace(self, **changes)

    @property
    def tau_m(self):
        """Membrane time constant c_m/g_l, ms."""
        return self.c_m / self.g_l

    @property
    def v_rest(self):
        """Where a run starts by default: e_l, mV."""
        return self.e_l

    @property
    def time_constants(self):
        """The time constants that judge dt, by name, ms: the synaptic ones only. The membrane's
        and the adaptation's do not limit dt: the integrator sub-steps wherever dt is long for
        the local dynamics (``spikeneuron.models.located_reset``), so dt only sets the grid on which inputs
        arrive and currents change."""
        if isinstance(self.synapse, (ExpSynapse, CondExpSynapse)):
            return {"tau_ex": self.synapse.tau_ex, "tau_in": self.synapse.tau_in}
        return {}

    def v_nullcline(self, v, current=0.0):
        """w (nA) on the V-nullcline dV/dt = 0 at potentials v (mV) under a constant current
        (nA): w = −g_l(V − e_l)/1000 + g_l Δ_T e^{(V − v_t)/Δ_T}/1000 + I."""
        v = np.asarray(v, dtype=float)
        return self.g_l * (self.delta_t * np.exp((v - self.v_t) / self.delta_t) - (v - self.e_l)) / 1000.0 + current

    def w_nullcline(self, v):
        """w (nA) on the w-nullcline dw/dt = 0 at potentials v (mV): w = a (V − e_l)/1000."""
        return self.a * (np.asarray(v, dtype=float) - self.e_l) / 1000.0

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default e_l) and w = 0. The model is deterministic, so ``rng`` is unused."""
        dt, n, v_init = check.integrator_arguments("AdEx.integrator", dt, n, v_init)
        p = located_reset.generic_parameters(
            self, located_reset.ADEX, w_jump=self.b, w_hold=self.a * (self.v_reset - self.e_l) / 1000.0,
            hold_rate=1.0 / self.tau_w, t_ref=self.t_ref)
        p[k.G_OVER_C], p[k.E_L], p[k.V_T] = self.g_l / self.c_m, self.e_l, self.v_t
        p[k.DELTA_T], p[k.CURRENT_GAIN] = self.delta_t, 1000.0 / self.c_m
        p[k.A_NA], p[k.INV_TAU_W] = self.a / 1000.0, 1.0 / self.tau_w
        p[k.SLOW_RATE] = 1.0 / self.tau_w + (abs(self.a) / (self.c_m * self.tau_w)) ** 0.5
        return ResetIntegrator(self, dt, n, self.e_l if v_init is None else v_init,
                                             0.0, p, "w")


#: Naud et al. (2008), Table 1: the eight firing patterns as (AdEx parameters, step current in
#: nA) with v_peak = 0 mV; each starts at V = e_l, w = 0 with the current on from t = 0.
FIRING_PATTERNS = {
    "tonic": (dict(c_m=200.0, g_l=10.0, e_l=-70.0, v_t=-50.0, delta_t=2.0, a=2.0, tau_w=30.0,
                   b=0.0, v_reset=-58.0), 0.5),
    "adaptation": (dict(c_m=200.0, g_l=12.0, e_l=-70.0, v_t=-50.0, delta_t=2.0, a=2.0,
                        tau_w=300.0, b=0.06, v_reset=-58.0), 0.5),
    "initial burst": (dict(c_m=130.0, g_l=18.0, e_l=-58.0, v_t=-50.0, delta_t=2.0, a=4.0,
                           tau_w=150.0, b=0.12, v_reset=-50.0), 0.4),
    "regular bursting": (dict(c_m=200.0, g_l=10.0, e_l=-58.0, v_t=-50.0, delta_t=2.0, a=2.0,
                              tau_w=120.0, b=0.1, v_reset=-46.0), 0.21),
    "delayed accelerating": (dict(c_m=200.0, g_l=12.0, e_l=-70.0, v_t=-50.0, delta_t=2.0,
                                  a=-10.0, tau_w=300.0, b=0.0, v_reset=-58.0), 0.3),
    "delayed regular bursting": (dict(c_m=100.0, g_l=10.0, e_l=-65.0, v_t=-50.0, delta_t=2.0,
                                      a=-10.0, tau_w=90.0, b=0.03, v_reset=-47.0), 0.11),
    "transient": (dict(c_m=100.0, g_l=10.0, e_l=-65.0, v_t=-50.0, delta_t=2.0, a=10.0,
                       tau_w=90.0, b=0.1, v_reset=-47.0), 0.18),
    "irregular": (dict(c_m=100.0, g_l=12.0, e_l=-60.0, v_t=-50.0, delta_t=2.0, a=-11.0,
                       tau_w=130.0, b=0.03, v_reset=-48.0), 0.16),
}
