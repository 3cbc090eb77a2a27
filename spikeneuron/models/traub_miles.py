"""Traub–Miles neuron: the Hodgkin–Huxley model of Brette et al. (2007), benchmark 3.

The cortical neuron of Traub & Miles (1991) as NEST's ``hh_cond_exp_traub`` and Brian2's
COBAHH example write it: sodium, delayed-rectifier potassium and leak, with the rate functions
shifted by a threshold parameter V_T (u = V − V_T, in mV; rates in 1/ms)::

    c_m dV/dt = I(t) + I_syn(t) - i_na - i_k - i_l
    i_na = g_na m³ h (V - e_na),   i_k = g_k n⁴ (V - e_k),   i_l = g_l (V - e_l)
    alpha_m = 0.32 (13 - u) / (e^{(13-u)/4} - 1)      beta_m = 0.28 (u - 40) / (e^{(u-40)/5} - 1)
    alpha_h = 0.128 e^{(17-u)/18}                      beta_h = 4 / (1 + e^{(40-u)/5})
    alpha_n = 0.032 (15 - u) / (e^{(15-u)/5} - 1)      beta_n = 0.5 e^{(10-u)/40}

Units: the parameters are those of the whole neuron, not per cm² (benchmark 3's membrane of
20 000 µm²: 1 µF/cm² is 200 pF, 0.05 mS/cm² is 10 nS): ms, mV, pF, nS, so that nS·mV = pA and
pA/pF = mV/ms. Injected currents (``current=``) and exponential-synapse weights are in nA, as
for the LIF (1 nA moves the membrane at 5 mV/ms), conductance weights in nS, as for the LIF's
``CondExpSynapse``; recorded ionic and synaptic currents are in nA.

Integration: the Strang splitting of the classic model (:mod:`.hh_stepping`: gates and V each
exact over their sub-step, second order), the synaptic conductances decaying exactly and
entering the V step by their mean over it; the neurons above ``substep_above`` (−60 mV) at
the start of a step take it in ``substeps`` Strang sub-steps (8 by default; 1 is the plain
step), still second order. Measured against solve_ivp (DOP853, rtol 1e-10) on 500 ms driven by Poisson conductance
inputs, 20 seeds × 2 input mixes (tests/test_traub_miles.py for five of them): at dt = 0.1 ms
with the default ``substeps=8`` the reference's spike count on all 40, the first ten spike
times off by at most 0.20 ms, 62 to 3000 times closer than exponential Euler's (Brian2's
method); with the plain step (``substeps=1``) the count on 18 of 40 only. At dt = 0.01 ms
within 1.3e-3 ms with the sub-steps, 0.11 ms without (2 of the 40 beyond 0.02 ms). On 40
further scenarios (seeds 20-39), on which the defaults were not chosen, the count is the
reference's on 39 (the plain step: 20): on one a near-threshold upswing to -47.5 mV falls
back, which 32 sub-steps or dt = 0.05 ms resolve; the first ten spikes are within 0.20 ms
on all 80, at least 32 times closer than exponential Euler's.
``benchmarks/traub_accuracy.py`` measures all 40 (``--seeds 0 40``: all 80).
"""

import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning
from ..synapses import CondExpSynapse, DeltaSynapse, ExpSynapse  # noqa: F401  (annotations)
from .hh import GatedMembrane, HHState
from .hh_kernels import TRAUB_PREFACTORS, TRAUB_SLOPES, traub_offsets
from .hh_stepping import HHIntegrator

__all__ = ["TraubMiles", "traub_rates"]

#: Above this step (ms) a warning is given: at 0.1 ms (the benchmark's step) spike times are
#: off by up to 0.2 ms, and the error grows as dt².
COARSE_DT = 0.1
#: The default ``substep_above`` (mV). Chosen on 40 Poisson scenarios at dt 0.1 ms with
#: ``substeps=8``: above −55 mV (even with 16 sub-steps) or with 4 sub-steps above −65 mV a
#: late near-threshold spike was still lost on one or two of them, above −60 or −65 mV with 8
#: on none. In COBAHH about 15 % of the neurons are above −60 mV at a time (33 % above −65).
SUBSTEP_ABOVE = -60.0


def _x_over_one_minus_exp(x):
    """x / (1 - e^{-x}), with its limit 1 at x = 0."""
    x = np.asarray(x, dtype=float)
    zero = x == 0.0
    ratio = np.divide(x, -np.expm1(-x), out=np.ones_like(x), where=~zero)
    return ratio if ratio.ndim else float(ratio)


def traub_rates(v, v_t=-63.0):
    """The six rate functions of the Traub–Miles gates at potential v (mV), 1/ms.

    Parameters
    ----------
    v : float or array-like
        Membrane potential, mV.
    v_t : float
        Threshold parameter V_T, mV (the rates depend on u = V − V_T).

    Returns
    -------
    dict
        'alpha_m', 'beta_m', 'alpha_h', 'beta_h', 'alpha_n', 'beta_n' (1/ms), each of v's
        shape; the removable singularities (u = 13, 40 and 15 mV) take their limits.

    Examples
    --------
    >>> round(traub_rates(-50.0)["alpha_m"], 4)   # u = 13 mV: the limit 0.32 · 4
    1.28
    """
    u = np.asarray(v, dtype=float) - v_t
    return {"alpha_m": 1.28 * _x_over_one_minus_exp((u - 13.0) / 4.0),
            "beta_m": 1.4 * _x_over_one_minus_exp((40.0 - u) / 5.0),
            "alpha_h": 0.128 * np.exp((17.0 - u) / 18.0),
            "beta_h": 4.0 / (1.0 + np.exp((40.0 - u) / 5.0)),
            "alpha_n": 0.16 * _x_over_one_minus_exp((u - 15.0) / 5.0),
            "beta_n": 0.5 * np.exp((10.0 - u) / 40.0)}


@dataclass(frozen=True)
class TraubMiles(GatedMembrane):
    """Traub–Miles neuron (Brette et al. 2007, benchmark 3; NEST ``hh_cond_exp_traub``).

    Units: ms, mV, pF, nS, nA: the parameters are of the whole neuron (benchmark 3's membrane
    of 20 000 µm²). With this model :func:`spikeneuron.simulate` reads the injected
    ``current`` in nA, exponential-synapse weights in nA and conductance weights in nS.

    Parameters
    ----------
    c_m : float
        Membrane capacitance, pF (> 0); 200 pF is 1 µF/cm² over 20 000 µm².
    g_na, g_k : float
        Maximal sodium and potassium conductances, nS (>= 0); 20 µS and 6 µS are 100 and
        30 mS/cm².
    g_l : float
        Leak conductance, nS (> 0).
    e_na, e_k, e_l : float
        Reversal potentials of the sodium, potassium and leak currents, mV.
    v_t : float
        Threshold parameter V_T of the rate functions, mV (-63 mV in benchmark 3).
    v_detect : float
        Spike detection level, mV: a spike is an upward crossing of it (above the resting
        potential); -20 mV as in the benchmark.
    synapse : CondExpSynapse, DeltaSynapse, ExpSynapse, 'cond_exp', 'delta' or 'exp'
        How input spikes act: a jump of an exponentially decaying conductance by ``|weight|`` in
        nS (cond_exp, default: tau 5 / 10 ms, reversal 0 / -80 mV, benchmark 3's), a jump of V
        by the weight in mV (delta) or a jump of an exponentially decaying current by the
        weight in nA (exp).
    substeps : int
        Strang sub-steps per time step (>= 1) for the neurons above ``substep_above`` at the
        start of the step; 8 (default) makes the spike count at dt 0.1 ms robust (see
        Notes), at the cost of about 8 more steps for each neuron near or above threshold;
        1 integrates every neuron with the plain step (about 2.3 times faster in COBAHH, and
        a spike short on about half of the runs at dt 0.1 ms).
    substep_above : float
        Potential above which a neuron is sub-stepped, mV (-60 mV).

    Raises
    ------
    ValueError
        (ValidationError) for a non-positive c_m or g_l, a negative g_na or g_k, a non-finite
        value, or a v_detect at or below the resting potential.

    Notes
    -----
    With benchmark 3's parameters the neuron has no stable resting state: below -33 mV the
    steady-state sodium window current exceeds the leak and potassium currents, so that
    without input the neuron fires by itself (about 14 Hz from e_l). Runs start at
    ``v_init``, by default the leak reversal ``e_l`` (as NEST's), with the gates at their steady
    state for it; ``resting_state()`` and ``v_rest`` name that starting state.

    Accuracy at the benchmark's step (500 ms of Poisson conductance inputs, 20 seeds × 300 / 30
    and 200 / 40 inputs, against solve_ivp at rtol 1e-10): with ``substeps=1`` at dt 0.1 ms
    22 of the 40 runs lose one or two spikes (a near-threshold upswing that the step lets fall
    back: the sodium activation's time constant, about 0.1 ms, is the step's); with
    ``substeps=8`` all 40 have the reference's count and the first ten spikes are at most
    0.20 ms off (62 to 3000 times closer than exponential Euler's, Brian2's method); at
    dt 0.01 ms 1.3e-3 ms (plain: 0.11 ms). Both are second order in dt. The sub-steps cost
    about ``substeps`` steps more for each neuron above ``substep_above``: COBAHH (W8) takes
    about 2.3 times as long with 8 as with 1 (kernel). The default is the accurate one; on
    40 further scenarios it kept the count on 39 (see the module's docstring).

    Examples
    --------
    >>> neuron = TraubMiles()
    >>> neuron.v_rest
    -60.0
    >>> neuron.synapse.e_in
    -80.0
    """

    c_m: float = 200.0
    g_na: float = 20000.0
    g_k: float = 6000.0
    g_l: float = 10.0
    e_na: float = 50.0
    e_k: float = -90.0
    e_l: float = -60.0
    v_t: float = -63.0
    v_detect: float = -20.0
    synapse: CondExpSynapse | DeltaSynapse | ExpSynapse | str = field(
        default_factory=CondExpSynapse)
    substeps: int = 8
    substep_above: float = SUBSTEP_ABOVE

    _UNITS = {"c": "pF", "g": "nS", "i": "nA"}
    # Whole-neuron pF and nS have no range of their own in UNIT_RANGES: potentials only.
    _UNIT_KINDS = {"e_na": "potential", "e_k": "potential", "e_l": "potential",
                   "v_t": "potential", "v_detect": "potential"}
    #: nA to pA: injected and synaptic currents in nA, conductance × mV in pA.
    _CURRENT_SCALE = 1000.0

    def __post_init__(self):
        owner = "TraubMiles"
        self._check_parameters(owner)
        object.__setattr__(self, "v_t", check.real("v_t", owner, self.v_t, low=-1000.0,
                                                   high=1000.0))
        object.__setattr__(self, "substeps", check.integer("substeps", owner, self.substeps,
                                                           low=1))
        object.__setattr__(self, "substep_above", check.real(
            "substep_above", owner, self.substep_above, low=-1000.0, high=1000.0))
        self._check_rest(owner)

    def _find_resting_state(self):
        # no stable rest (see Notes): the state runs start from, e_l with steady-state gates
        return HHState(self.e_l, *(float(x) for x in self.steady_state_gates(self.e_l)))

    def steady_state_gates(self, v):
        """Steady-state gates m∞, h∞, n∞ at potential v (mV): x∞ = alpha / (alpha + beta)."""
        r = traub_rates(v, self.v_t)
        return tuple(r[f"alpha_{x}"] / (r[f"alpha_{x}"] + r[f"beta_{x}"]) for x in "mhn")

    def i_na(self, v, m, h):
        """Sodium current, nA, positive outward: g_na m³ h (V - e_na)."""
        return self.g_na * m**3 * h * (np.asarray(v) - self.e_na) / self._CURRENT_SCALE

    def i_k(self, v, n):
        """Potassium current, nA, positive outward: g_k n⁴ (V - e_k)."""
        return self.g_k * n**4 * (np.asarray(v) - self.e_k) / self._CURRENT_SCALE

    def i_l(self, v):
        """Leak current, nA, positive outward: g_l (V - e_l)."""
        return self.g_l * (np.asarray(v) - self.e_l) / self._CURRENT_SCALE

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default the resting state, gates at their steady state for v_init otherwise). The model
        is deterministic, so ``rng`` is unused."""
        dt, n, v_init = self._check_integrator("TraubMiles", dt, n, v_init)
        if dt > COARSE_DT:
            warnings.warn(
                f"dt = {dt:g} ms is coarse for the Traub–Miles model (sodium activation is as "
                f"fast as 0.04 ms): spike times may be off by {10 * dt**2:.2g} ms or more; use "
                f"dt <= {COARSE_DT:g} ms.",
                CoarseTimeStepWarning, stacklevel=3,
            )
        return TraubMilesIntegrator(self, dt, n, v_init)


class TraubMilesIntegrator(HHIntegrator):
    """A batch of Traub–Miles neurons: :class:`~.hh_stepping.HHIntegrator` with the Traub–Miles
    rates (the same rows, alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h) and currents in
    nA."""

    _KERNEL_RATES = 1
    _CURRENT_SCALE = TraubMiles._CURRENT_SCALE

    def __init__(self, model, dt, n, v_init):
        self._SUBSTEPS, self._SUBSTEP_ABOVE = model.substeps, model.substep_above
        super().__init__(model, dt, n, v_init)

    def _prepare_rates(self, n):
        offsets = traub_offsets(self.model.v_t)
        self._slopes = np.repeat(np.array(TRAUB_SLOPES)[:, None], n, axis=1)
        self._offsets = np.repeat(np.array(offsets)[:, None], n, axis=1)
        self._arguments = np.empty((6, n))
        self._pair_prefactors = np.repeat(np.array(TRAUB_PREFACTORS[:2])[:, None], n, axis=1)

    def _kernel_rate_constants(self):
        return np.array(traub_offsets(self.model.v_t))

    def _compute_rates(self, v=None, arguments=None, rates=None):
        # The operations of hh_kernels._traub_rates, row by row: x / (1 - e^{-x}) as
        # (-x) / expm1(-x) with 1e-300 added (the limit 1 at x = 0, no other x changed).
        if v is None:
            v, arguments, rates = self.v, self._arguments, self._rates
        s = v.size
        np.multiply(self._slopes[:, :s], v, out=arguments)
        arguments += self._offsets[:, :s]
        # rows 0-1 (alpha_m, alpha_n) in one call each, row 3 (beta_m) apart
        for rows in (slice(0, 2), 3):
            arguments[rows] += 1e-300
            np.expm1(arguments[rows], out=rates[rows])
            np.divide(arguments[rows], rates[rows], out=rates[rows])
        rates[:2] *= self._pair_prefactors[:, :s]
        rates[3] *= TRAUB_PREFACTORS[2]
        np.exp(arguments[2], out=rates[2])
        np.exp(arguments[4:], out=rates[4:])
        rates[5] += 1.0
        np.divide(4.0, rates[5], out=rates[5])
        return rates

