"""Hodgkin–Huxley neuron: the squid giant axon, with sodium, potassium and leak currents.

Equations (Hodgkin & Huxley 1952, with the resting potential shifted to about -65 mV as in
Dayan & Abbott 2001 and Gerstner et al. 2014); units ms, mV, µA/cm², mS/cm², µF/cm², so that
mS/cm² · mV = µA/cm² and (µA/cm²) / (µF/cm²) = mV/ms::

    c_m dV/dt = I(t) + I_syn(t) - i_na - i_k - i_l
    i_na = g_na m³ h (V - e_na),   i_k = g_k n⁴ (V - e_k),   i_l = g_l (V - e_l)
    dx/dt = alpha_x(V) (1 - x) - beta_x(V) x      for the gates x = m, h, n

Ionic currents are positive outward (the membrane-current convention): the sodium current of a
spike is negative (inward), the potassium current that repolarises it positive (outward).

The integration is in :mod:`.hh_stepping`, the compiled kernel in :mod:`.hh_kernels`, the rate
functions in :mod:`.hh_rates`.
"""

import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning
from ..synapses import CondExpSynapse, DeltaSynapse, ExpSynapse, as_synapse
from .hh_kernels import _shared_rates  # noqa: F401  (the kernel's rates, tested beside these)
from .hh_rates import alpha_h, alpha_m, alpha_n, beta_h, beta_m, beta_n
from .hh_stepping import HHIntegrator

__all__ = ["HodgkinHuxley", "HHState", "GatedMembrane", "alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n",
           "beta_n"]

#: Above this step (ms) a warning is given: at 0.05 ms each inter-spike interval of repetitive
#: firing is already off by about 0.02 ms (0.13 %), and the error grows as dt².
COARSE_DT = 0.05


class HHState(NamedTuple):
    """A state of the Hodgkin–Huxley membrane: potential (mV) and gates m, h, n (in [0, 1])."""

    v: float
    m: float
    h: float
    n: float


class GatedMembrane:
    """What the Hodgkin–Huxley models share: validation, the steady state and the resting state,
    built on each model's own ``steady_state_gates`` and ionic currents (its units in
    ``_UNITS``: capacitance, conductance, current)."""

    _UNITS = {"c": "µF/cm²", "g": "mS/cm²", "i": "µA/cm²"}
    _SYNAPSES = (DeltaSynapse, ExpSynapse, CondExpSynapse)
    #: The unit kind of each parameter (spikeneuron._validation.UNIT_RANGES), for the
    #: wrong-unit warning; the ranges of capacitance and conductance are per cm².
    _UNIT_KINDS = {"c_m": "capacitance", "g_na": "conductance", "g_k": "conductance",
                   "g_l": "conductance", "e_na": "potential", "e_k": "potential",
                   "e_l": "potential", "v_detect": "potential"}

    def _check_parameters(self, owner):
        set_ = object.__setattr__  # frozen: parameters are converted once, here
        set_(self, "c_m", check.positive("c_m", owner, self.c_m))
        # Bounds far outside physiology that keep the exact propagators finite: the gates'
        # rate functions overflow below about −7000 mV, and conductance × driving force
        # (reversal potentials at most 2000 mV apart) stays below 1e299 (current unit).
        max_conductance, max_reversal = 1e295, 1000.0  # conductance unit, |mV|
        set_(self, "g_l", check.real("g_l", owner, self.g_l, low=0.0, low_open=True,
                                     high=max_conductance))
        for name in ("g_na", "g_k"):
            set_(self, name, check.real(name, owner, getattr(self, name), low=0.0,
                                        high=max_conductance))
        for name in ("e_na", "e_k", "e_l"):
            set_(self, name, check.real(name, owner, getattr(self, name), low=-max_reversal,
                                        high=max_reversal))
        set_(self, "v_detect", check.real("v_detect", owner, self.v_detect))
        for name, kind in self._UNIT_KINDS.items():
            check.plausible_unit(name, owner, getattr(self, name), kind)
        set_(self, "synapse", as_synapse(self.synapse, owner, kinds=self._SYNAPSES))

    def _check_rest(self, owner):
        object.__setattr__(self, "_rest", self._find_resting_state())
        if self.v_detect <= self._rest.v:
            check.fail("v_detect", owner,
                       f"above the resting potential v_rest = {self._rest.v:.3f} mV", self.v_detect)

    def with_(self, **changes):
        """A copy of this model with some parameters changed (the model itself is immutable)."""
        from dataclasses import replace

        return replace(self, **changes)

    def i_syn(self, v, g_ex, g_in):
        """Synaptic current into the neuron through conductance synapses (current unit of the
        model), positive inward: g_ex (e_ex − V) + g_in (e_in − V)."""
        syn, v = self.synapse, np.asarray(v)
        return (g_ex * (syn.e_ex - v) + g_in * (syn.e_in - v)) / self._CURRENT_SCALE

    _CURRENT_SCALE = 1.0

    def steady_state_current(self, v):
        """Total ionic current (the model's current unit, outward) with every gate at its steady state for v (mV).

        Its zeros are the potentials at which a constant injected current of 0 holds the
        membrane still; its slope is the steady-state (chord) conductance.
        """
        m, h, n = self.steady_state_gates(v)
        return self.i_na(v, m, h) + self.i_k(v, n) + self.i_l(v)

    def _find_resting_state(self):
        # The steady-state current is <= 0 at the lowest reversal potential and >= 0 at the
        # highest, so it has an upward zero crossing between them: take the lowest one (a
        # stable rest when the slope conductance is positive) and refine it with brentq.
        low = min(self.e_na, self.e_k, self.e_l)
        high = max(self.e_na, self.e_k, self.e_l)
        if high - low < 1e-9:
            v = low
        else:
            grid = np.linspace(low, high, int((high - low) / 0.05) + 2)
            current = self.steady_state_current(grid)
            upward = np.flatnonzero((current[:-1] < 0.0) & (current[1:] >= 0.0))
            k = int(upward[0]) if upward.size else 0
            if current[k + 1] == 0.0:
                v = float(grid[k + 1])
            else:
                from scipy.optimize import brentq  # imported on use: scipy.optimize is slow to import

                v = brentq(self.steady_state_current, grid[k], grid[k + 1], xtol=1e-13,
                           rtol=4 * np.finfo(float).eps)
        return HHState(float(v), *(float(x) for x in self.steady_state_gates(v)))

    def resting_state(self):
        """The resting state: potential (mV) and gates m, h, n at zero injected current.

        Returns
        -------
        HHState
            Named tuple (v, m, h, n); for the default parameters v ≈ -65.0 mV,
            m ≈ 0.053, h ≈ 0.596, n ≈ 0.318.
        """
        return self._rest

    @property
    def v_rest(self):
        """Resting potential, mV (the potential of :meth:`resting_state`)."""
        return self._rest.v

    @property
    def time_constants(self):
        """Synaptic time constants by name, ms; the membrane's own are checked by the integrator.

        The gates' time constants depend on V (the sodium activation falls to about 0.1 ms),
        so the integrator judges dt against the accuracy it measured instead (``COARSE_DT``).
        """
        if isinstance(self.synapse, (ExpSynapse, CondExpSynapse)):
            return {"tau_ex": self.synapse.tau_ex, "tau_in": self.synapse.tau_in}
        return {}

    def _check_integrator(self, owner, dt, n, v_init):
        dt, n, v_init = check.integrator_arguments(f"{owner}.integrator", dt, n, v_init)
        total = self.g_na + self.g_k + self.g_l
        units = self._UNITS
        if total * (dt / self.c_m) > 1e308:
            check.fail("c_m", owner, f"at least {total * dt / 1e308:.3g} {units['c']} with "
                       f"g_na + g_k + g_l = {total:g} {units['g']} at dt = {dt:g} ms (smaller, "
                       f"the exponent g·dt/c_m of the exact membrane propagator overflows)",
                       self.c_m)
        return dt, n, v_init


@dataclass(frozen=True)
class HodgkinHuxley(GatedMembrane):
    """Hodgkin–Huxley neuron (squid giant axon): sodium, potassium and leak conductances.

    Units: ms, mV, µA/cm², mS/cm², µF/cm². With this model, :func:`spikeneuron.simulate` reads
    the injected ``current`` in µA/cm² (not nA) and exponential-synapse weights in µA/cm².

    Parameters
    ----------
    c_m : float
        Membrane capacitance, µF/cm² (> 0).
    g_na, g_k : float
        Maximal sodium and potassium conductances, mS/cm² (>= 0).
    g_l : float
        Leak conductance, mS/cm² (> 0).
    e_na, e_k, e_l : float
        Reversal potentials of the sodium, potassium and leak currents, mV.
    v_detect : float
        Spike detection level, mV: a spike is an upward crossing of it (above the resting
        potential).
    synapse : DeltaSynapse, ExpSynapse, CondExpSynapse, 'delta', 'exp' or 'cond_exp'
        How input spikes act: a jump of V by the weight in mV (delta, default), a jump of an
        exponentially decaying synaptic current by the weight in µA/cm² (exp), or a jump of an
        exponentially decaying conductance by ``|weight|`` in mS/cm² (cond_exp: positive weights
        excitatory, reversing at ``e_ex``, negative ones inhibitory, at ``e_in``).

    Raises
    ------
    ValueError
        (ValidationError) for a non-positive c_m or g_l, a negative g_na or g_k, a non-finite
        value, or a v_detect at or below the resting potential.

    Notes
    -----
    The resting state (the lowest stable zero of the steady-state current–voltage relation) is
    found once, on construction; it is where every simulation starts unless ``v_init`` says
    otherwise (the gates then start at their steady state for that potential).

    Examples
    --------
    >>> neuron = HodgkinHuxley()
    >>> round(neuron.v_rest, 2)
    -65.0
    >>> neuron.with_(g_k=30.0).g_k
    30.0
    """

    c_m: float = 1.0
    g_na: float = 120.0
    g_k: float = 36.0
    g_l: float = 0.3
    e_na: float = 50.0
    e_k: float = -77.0
    e_l: float = -54.387
    v_detect: float = 0.0
    synapse: DeltaSynapse | ExpSynapse | CondExpSynapse | str = field(
        default_factory=DeltaSynapse)

    def __post_init__(self):
        owner = "HodgkinHuxley"
        self._check_parameters(owner)
        self._check_rest(owner)

    # --- the membrane ---------------------------------------------------------------------

    @staticmethod
    def steady_state_gates(v):
        """Steady-state gates m∞, h∞, n∞ at potential v (mV): x∞ = alpha / (alpha + beta)."""
        rates = ((alpha_m(v), beta_m(v)), (alpha_h(v), beta_h(v)), (alpha_n(v), beta_n(v)))
        return tuple(a / (a + b) for a, b in rates)

    def i_na(self, v, m, h):
        """Sodium current density, µA/cm², positive outward: g_na m³ h (V - e_na)."""
        return self.g_na * m**3 * h * (np.asarray(v) - self.e_na)

    def i_k(self, v, n):
        """Potassium current density, µA/cm², positive outward: g_k n⁴ (V - e_k)."""
        return self.g_k * n**4 * (np.asarray(v) - self.e_k)

    def i_l(self, v):
        """Leak current density, µA/cm², positive outward: g_l (V - e_l)."""
        return self.g_l * (np.asarray(v) - self.e_l)

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default the resting state, gates at their steady state for v_init otherwise). The model
        is deterministic, so ``rng`` is unused.

        Raises a ValidationError, before anything runs, for a c_m so small that the exponent
        of the exact membrane propagator, g·dt/c_m, overflows at this dt."""
        dt, n, v_init = self._check_integrator("HodgkinHuxley", dt, n, v_init)
        if dt > COARSE_DT:
            warnings.warn(
                f"dt = {dt:g} ms is coarse for the Hodgkin–Huxley model (sodium activation is "
                f"as fast as 0.1 ms): each inter-spike interval may be off by "
                f"{8 * dt**2:.2g} ms or more; use dt <= {COARSE_DT:g} ms (0.01–0.025 ms is "
                f"typical).",
                CoarseTimeStepWarning, stacklevel=3,
            )
        return HHIntegrator(self, dt, n, v_init)

