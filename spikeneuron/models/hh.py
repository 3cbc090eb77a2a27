"""Hodgkin–Huxley neuron: the squid giant axon, with sodium, potassium and leak currents.

Equations (Hodgkin & Huxley 1952, with the resting potential shifted to about -65 mV as in
Dayan & Abbott 2001 and Gerstner et al. 2014); units ms, mV, µA/cm², mS/cm², µF/cm², so that
mS/cm² · mV = µA/cm² and (µA/cm²) / (µF/cm²) = mV/ms::

    c_m dV/dt = I(t) + I_syn(t) - i_na - i_k - i_l
    i_na = g_na m³ h (V - e_na),   i_k = g_k n⁴ (V - e_k),   i_l = g_l (V - e_l)
    dx/dt = alpha_x(V) (1 - x) - beta_x(V) x      for the gates x = m, h, n

Ionic currents are positive outward (the membrane-current convention): the sodium current of a
spike is negative (inward), the potassium current that repolarises it positive (outward).

Integration: a Strang splitting of the vector field into the voltage equation (gates frozen)
and the gate equations (V frozen), each solved exactly over its sub-step, because each is
linear in its own variable:

* gates, V frozen: x ← x∞ + (x - x∞) e^{-h (alpha + beta)} (exponential Euler, exact);
* V, conductances frozen: V ← V∞ + (V - V∞) e^{-h g_tot / c_m}, with
  g_tot = g_na m³h + g_k n⁴ + g_l and V∞ = (Σ g_i e_i + I) / g_tot (exact).

Half a gate step, a full V step, half a gate step: the symmetric composition is second order
(the error of one step is O(h³), so errors over a fixed time are O(h²)), and the two half gate
steps of consecutive time steps, taken at the same V, merge into one. So each step costs one
evaluation of the rate functions, as in the staggered scheme of NEURON (Hines 1984), where the
gates live half a step after V; the integer-time gates are read half a step back. Both sub-flows
are exponentials, so the scheme is stable for any step (no explicit-Euler blow-up at the fast
sodium activation) and keeps every gate in [0, 1]. Measured against solve_ivp (DOP853, rtol
1e-10; tests/test_hh.py): under 10 µA/cm² the first spike time is off by 2.5e-4 ms at
h = 0.01 ms, and the seventh, after 100 ms of repetitive firing, by 4.7e-3 ms (2.9e-2 ms at
h = 0.025 ms), i.e. about 47 ms⁻¹ · h²; the fitted order is 2.00.

A delta-synapse input is an event at its grid time: the gates reach the grid time at the
potential before the jump and leave it at the potential after (the splitting with the event
between its two halves, one more rate evaluation on steps with such inputs), so inputs cost no
order of accuracy. Exponential synaptic currents are exact between inputs, and their mean over
each step drives V.

Spikes are upward crossings of ``v_detect``, located by linear interpolation of V between grid
points (an O(h²) error, the same order as the integration). A neuron fires again only after V
has fallen back below ``v_detect``. There is no reset: the spike, its refractoriness and its
after-hyperpolarisation come from the channels.

Backends. The numpy step is the reference. With the backend 'numba' a compiled kernel advances
whole chunks of steps of a population that no projection reaches
(:meth:`HHIntegrator.advance`, blocks of neurons over threads), and single steps of small
batches; it performs the same operations, but takes the six rates from two shared
exponentials instead of six (see the notes above ``_E_SHIFT``).
"""

import math
import warnings
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from .. import _kernels, _parallel
from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning
from ..synapses import DeltaSynapse, ExpSynapse, as_synapse
from .stepping import advance_by_steps

__all__ = ["HodgkinHuxley", "HHState", "alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n",
           "beta_n"]

#: Above this step (ms) a warning is given: at 0.05 ms each inter-spike interval of repetitive
#: firing is already off by about 0.02 ms (0.13 %), and the error grows as dt².
COARSE_DT = 0.05


# --- rate functions (1/ms) of the classic model, V in mV --------------------------------

def _x_over_one_minus_exp(x):
    """x / (1 - e^{-x}), with its limit 1 at x = 0 (expm1 keeps it exact near 0)."""
    x = np.asarray(x, dtype=float)
    zero = x == 0.0
    ratio = np.divide(x, -np.expm1(-x), out=np.ones_like(x), where=~zero)
    return ratio if ratio.ndim else float(ratio)


def alpha_m(v):
    """Sodium activation opening rate, 1/ms: 0.1 (V+40) / (1 - e^{-(V+40)/10}); 1 at V = -40 mV."""
    return _x_over_one_minus_exp((np.asarray(v, dtype=float) + 40.0) / 10.0)


def beta_m(v):
    """Sodium activation closing rate, 1/ms: 4 e^{-(V+65)/18}."""
    return 4.0 * np.exp(-(np.asarray(v, dtype=float) + 65.0) / 18.0)


def alpha_h(v):
    """Sodium inactivation recovery rate, 1/ms: 0.07 e^{-(V+65)/20}."""
    return 0.07 * np.exp(-(np.asarray(v, dtype=float) + 65.0) / 20.0)


def beta_h(v):
    """Sodium inactivation rate, 1/ms: 1 / (1 + e^{-(V+35)/10})."""
    return 1.0 / (1.0 + np.exp(-(np.asarray(v, dtype=float) + 35.0) / 10.0))


def alpha_n(v):
    """Potassium activation opening rate, 1/ms: 0.01 (V+55) / (1 - e^{-(V+55)/10}); 0.1 at -55 mV."""
    return 0.1 * _x_over_one_minus_exp((np.asarray(v, dtype=float) + 55.0) / 10.0)


def beta_n(v):
    """Potassium activation closing rate, 1/ms: 0.125 e^{-(V+65)/80}."""
    return 0.125 * np.exp(-(np.asarray(v, dtype=float) + 65.0) / 80.0)


class HHState(NamedTuple):
    """A state of the Hodgkin–Huxley membrane: potential (mV) and gates m, h, n (in [0, 1])."""

    v: float
    m: float
    h: float
    n: float


#: The unit of each parameter (spikeneuron._validation.UNIT_RANGES), for the wrong-unit warning.
_UNIT_KINDS = {"c_m": "capacitance", "g_na": "conductance", "g_k": "conductance",
               "g_l": "conductance", "e_na": "potential", "e_k": "potential", "e_l": "potential",
               "v_detect": "potential"}


@dataclass(frozen=True)
class HodgkinHuxley:
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
    synapse : DeltaSynapse, ExpSynapse, 'delta' or 'exp'
        How input spikes act: a jump of V by the weight in mV (delta, default) or a jump of an
        exponentially decaying synaptic current by the weight in µA/cm² (exp).

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
    synapse: DeltaSynapse | ExpSynapse | str = field(default_factory=DeltaSynapse)

    def __post_init__(self):
        owner = "HodgkinHuxley"
        set_ = object.__setattr__  # frozen: parameters are converted once, here
        set_(self, "c_m", check.positive("c_m", owner, self.c_m))
        # Bounds far outside physiology that keep the exact propagators finite: the gates'
        # rate functions overflow below about −7000 mV, and conductance × driving force
        # (reversal potentials at most 2000 mV apart) stays below 1e299 µA/cm².
        max_conductance, max_reversal = 1e295, 1000.0  # mS/cm², |mV|
        set_(self, "g_l", check.real("g_l", owner, self.g_l, low=0.0, low_open=True,
                                     high=max_conductance))
        for name in ("g_na", "g_k"):
            set_(self, name, check.real(name, owner, getattr(self, name), low=0.0,
                                        high=max_conductance))
        for name in ("e_na", "e_k", "e_l"):
            set_(self, name, check.real(name, owner, getattr(self, name), low=-max_reversal,
                                        high=max_reversal))
        set_(self, "v_detect", check.real("v_detect", owner, self.v_detect))
        for name, kind in _UNIT_KINDS.items():
            check.plausible_unit(name, owner, getattr(self, name), kind)
        set_(self, "synapse", as_synapse(self.synapse, owner))
        set_(self, "_rest", self._find_resting_state())
        if self.v_detect <= self._rest.v:
            check.fail("v_detect", owner,
                       f"above the resting potential v_rest = {self._rest.v:.3f} mV", self.v_detect)

    def with_(self, **changes):
        """A copy of this model with some parameters changed (the model itself is immutable)."""
        from dataclasses import replace

        return replace(self, **changes)

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

    def steady_state_current(self, v):
        """Total ionic current (µA/cm², outward) with every gate at its steady state for v (mV).

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
        if isinstance(self.synapse, ExpSynapse):
            return {"tau_ex": self.synapse.tau_ex, "tau_in": self.synapse.tau_in}
        return {}

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default the resting state, gates at their steady state for v_init otherwise). The model
        is deterministic, so ``rng`` is unused.

        Raises a ValidationError, before anything runs, for a c_m so small that the exponent
        of the exact membrane propagator, g·dt/c_m, overflows at this dt."""
        dt, n, v_init = check.integrator_arguments("HodgkinHuxley.integrator", dt, n, v_init)
        total = self.g_na + self.g_k + self.g_l
        if total * (dt / self.c_m) > 1e308:
            check.fail("c_m", "HodgkinHuxley", f"at least {total * dt / 1e308:.3g} µF/cm² with "
                       f"g_na + g_k + g_l = {total:g} mS/cm² at dt = {dt:g} ms (smaller, the "
                       f"exponent g·dt/c_m of the exact membrane propagator overflows)", self.c_m)
        if dt > COARSE_DT:
            warnings.warn(
                f"dt = {dt:g} ms is coarse for the Hodgkin–Huxley model (sodium activation is "
                f"as fast as 0.1 ms): each inter-spike interval may be off by "
                f"{8 * dt**2:.2g} ms or more; use dt <= {COARSE_DT:g} ms (0.01–0.025 ms is "
                f"typical).",
                CoarseTimeStepWarning, stacklevel=3,
            )
        return HHIntegrator(self, dt, n, v_init)


# --- the compiled kernel (backend 'numba'): the same step, one neuron at a time -------------
#
# The numpy step is bound by its ~45 array calls, not by its ten exponentials per neuron
# (numpy's vectorised exp costs ~1.2 ns a number; measured at n = 1000: 20 of the 50 µs of a
# step are the rates, of which 7 µs the six exponentials). A compiled loop calls the scalar
# exp of the C library instead, ~4.3 ns each, so there the exponentials dominate, and the
# kernel computes the six rates from two of them, shared as follows.
#
# With E = e^{-(V+65)/80}: beta_n = 0.125 E and alpha_h = 0.07 E⁴; E⁸ = e^{-(V+65)/10} gives
# the three exponentials of slope 1/10 mV: e^{-(V+40)/10} = e^{2.5} E⁸ in alpha_m,
# e^{-(V+55)/10} = e E⁸ in alpha_n and e^{-(V+35)/10} = e³ E⁸ in beta_h; beta_m =
# 4 e^{-(V+65)/18} takes the second exponential. With alpha_n's factor 0.1 moved into its
# denominator every denominator reads c - w E⁸: alpha_n = x / (10 - 10 e E⁸).
#
# Accuracy. E⁸ carries eight times the rounding of E (an ulp from exp and its argument) and
# three squarings: e^{2.5} E⁸ is off by a few ulp of 1 (measured: at most 1.6e-15 for V within
# 10 mV of -40 and -55). 1 - e^{2.5} E⁸ is then exact (Sterbenz), but relative to
# 1 - e^{-x} ≈ x that is an error of 1.6e-15 / |x|, unbounded as x -> 0 (x = (V+40)/10 and
# (V+55)/10; at x = 0 the form is 0/0). So below |x| = 0.1 the ratio is summed from its series
# x / (1 - e^{-x}) = 1 + x/2 + x²/12 - x⁴/720 + x⁶/30240 - x⁸/1209600 + ... (Bernoulli
# numbers; the even part alternates with falling terms for |x| < 2π, so the truncation error
# is below the first omitted term), to x⁶: an error below 0.1⁸/1209600 = 8.3e-15 there, and
# below 1.6e-15 / 0.1 = 1.6e-14 for the exponential form beyond. The two errors meet near
# 1e-14 whatever the threshold (1e-15 on both sides would need the series to about x¹⁴ and a
# threshold of 1.6); the tests hold the kernel's rates to 1e-13 of the per-formula functions
# above over V in [-200, 200] mV, -40 and -55 mV included.
#
# Range. Away from |x| < 0.1 the denominators are at least 0.095 in magnitude; E⁸ overflows
# where e^{-(V+65)/10} itself does (V < -7160 mV), and then the rates go to 0 or infinity as
# the per-formula functions do, never to NaN.
_E_SHIFT, _E_SCALE = 65.0, -1.0 / 80.0  # mV, 1/mV: E = e^{(V + 65)·(-1/80)}
# 4 e^{-(V+65)/18} = e^{-(V + 65 - 18 ln 4)/18}
_BETA_M_SHIFT, _BETA_M_SCALE = 65.0 - 18.0 * math.log(4.0), -1.0 / 18.0
_X_M_SHIFT, _X_N_SHIFT, _X_SCALE = 40.0, 55.0, 0.1  # x = (V + shift)·0.1
_W_M, _W_N, _W_H = math.exp(2.5), 10.0 * math.e, math.exp(3.0)
_SERIES_BELOW = 0.1  # |x| under which x / (1 - e^{-x}) is summed from its series
_SERIES_X2, _SERIES_X4, _SERIES_X6 = 1.0 / 12.0, -1.0 / 720.0, 1.0 / 30240.0

# Gate updates, as in HHIntegrator._update_gates.
_FULL, _TO_GRID, _FROM_GRID = 0, 1, 2
# What a kernel can record: v, the grid-time gates m, n, h (internal rows 0-2), i_syn rows.
_TRACE_CODES = {"v": 0, "m": 1, "n": 2, "h": 3, "i_syn_ex": 4, "i_syn_in": 5}


def _x_over_one_minus_exp_series(x):
    """x / (1 - e^{-x}) for |x| < _SERIES_BELOW, from its series to x⁶, small terms first."""
    squared = x * x
    return ((_SERIES_X6 * squared + _SERIES_X4) * squared + _SERIES_X2) * squared + 0.5 * x + 1.0


def _shared_rates(v):
    """(alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h), 1/ms, at v (mV) from two
    exponentials (see the notes above). Plain Python on floats; compiled into the kernels."""
    power = math.exp((v + _E_SHIFT) * _E_SCALE)  # E
    beta_m = math.exp((v + _BETA_M_SHIFT) * _BETA_M_SCALE)
    power4 = power * power
    power4 *= power4
    power8 = power4 * power4
    x_m = (v + _X_M_SHIFT) * _X_SCALE
    if abs(x_m) < _SERIES_BELOW:
        alpha_m = _x_over_one_minus_exp_series(x_m)
    else:
        alpha_m = x_m / (1.0 - _W_M * power8)
    x_n = (v + _X_N_SHIFT) * _X_SCALE
    if abs(x_n) < _SERIES_BELOW:
        alpha_n = 0.1 * _x_over_one_minus_exp_series(x_n)
    else:
        alpha_n = x_n / (10.0 - _W_N * power8)
    beta_h = 1.0 / (1.0 + _W_H * power8)
    return alpha_m, alpha_n, 0.07 * power4, beta_m, 0.125 * power, beta_h


def _relax_gate(gate, alpha, beta, half_dt, mode):
    """One gate with V frozen (see HHIntegrator._update_gates, whose operations these are):
    returns the new gate, x∞ and the half-step offset that read() adds to x∞."""
    rate = beta + alpha
    gate_inf = alpha / rate
    factor = math.exp(rate * half_dt)
    half = gate - gate_inf
    if mode != _FROM_GRID:
        half *= factor
    if mode == _TO_GRID:
        return gate_inf + half, gate_inf, half
    return half * factor + gate_inf, gate_inf, half


def _advance(has_input, currents, synaptic, delta_input, v, gates, i_syn, spike_lag, previous,
             gate_inf, half, constants, record_columns, record_codes, traces, row, spike_rows,
             spike_neurons, spike_lags, count):
    """Steps row.. of has_input for a block of neurons (HHIntegrator.step, operation for
    operation, but with the rates of _shared_rates); returns (the next row, the spike count).

    Steps outside, neurons inside: measured 20-30 % faster than each neuron through all its
    steps, whose every step waits on the exponentials of the one before. It stops early,
    between two steps, when the spike buffers could overflow within the next step. ``currents`` is (1 or steps, 1 or n); ``synaptic`` (steps, channels, n), read on
    rows with input; ``i_syn`` has 0 rows (delta synapses) or 2. ``record_columns`` gives each
    neuron's column in ``traces`` (codes × steps × columns), or -1.
    """
    dt, half_dt, g_na, g_k, e_na, e_k = (constants[0], constants[1], constants[2], constants[3],
                                         constants[4], constants[5])
    g_l, leak_drive, v_decay_per_g, level = constants[6], constants[7], constants[8], constants[9]
    syn_mean_ex, syn_mean_in = constants[10], constants[11]
    syn_decay_ex, syn_decay_in = constants[12], constants[13]
    n = v.size
    exp_synapse = i_syn.shape[0] == 2
    current_row_step = 1 if currents.shape[0] > 1 else 0
    current_column_step = 1 if currents.shape[1] > 1 else 0
    while row < has_input.size:
        if count + n > spike_rows.size:
            break
        inputs = has_input[row]
        for i in range(n):
            x = v[i]
            before = x
            previous[i] = x
            # V with the conductances of the mid-step gates frozen (HHIntegrator._update_v)
            m, g_n, h = gates[0, i], gates[1, i], gates[2, i]
            g_sodium = m * m * (m * h) * g_na
            g_potassium = g_n * g_n * (g_n * g_n) * g_k
            g_tot = g_sodium + g_potassium
            drive = g_sodium * e_na + g_potassium * e_k
            g_tot += g_l
            drive += leak_drive + currents[row * current_row_step, i * current_column_step]
            if exp_synapse:
                current_ex, current_in = i_syn[0, i], i_syn[1, i]
                drive += syn_mean_ex * current_ex
                drive += syn_mean_in * current_in
                current_ex *= syn_decay_ex
                current_in *= syn_decay_in
                if inputs:
                    current_ex += synaptic[row, 0, i]
                    current_in += synaptic[row, 1, i]
                i_syn[0, i], i_syn[1, i] = current_ex, current_in
            drive /= g_tot  # V∞
            x = (x - drive) * math.exp(g_tot * v_decay_per_g) + drive
            fired = before < level and x >= level
            if fired:
                spike_lag[i] = dt * (x - level) / (x - before)
            # The gates: a full step, or (a jump at the grid time) to it and on from it.
            split = inputs and delta_input
            for part in range(2 if split else 1):
                mode = (_TO_GRID if part == 0 else _FROM_GRID) if split else _FULL
                alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _shared_rates(x)
                gates[0, i], gate_inf[0, i], half[0, i] = _relax_gate(
                    gates[0, i], alpha_m, beta_m, half_dt, mode)
                gates[1, i], gate_inf[1, i], half[1, i] = _relax_gate(
                    gates[1, i], alpha_n, beta_n, half_dt, mode)
                gates[2, i], gate_inf[2, i], half[2, i] = _relax_gate(
                    gates[2, i], alpha_h, beta_h, half_dt, mode)
                if mode == _TO_GRID:
                    before = x
                    x += synaptic[row, 0, i]
                    if before < level and x >= level:  # lifted over the level by the jump
                        fired = True
                        spike_lag[i] = 0.0
            v[i] = x
            if fired:
                spike_rows[count], spike_neurons[count] = row, i
                spike_lags[count] = spike_lag[i]
                count += 1
            column = record_columns[i]
            if column >= 0:
                for j in range(record_codes.size):
                    code = record_codes[j]
                    if code == 0:
                        traces[j, row, column] = x
                    elif code <= 3:
                        traces[j, row, column] = gate_inf[code - 1, i] + half[code - 1, i]
                    else:
                        traces[j, row, column] = i_syn[code - 4, i]
        row += 1
    return row, count


def _rates_of(v, alpha, beta):
    """Rows m, h, n of the rates at each potential of v, from :func:`_shared_rates`."""
    for i in range(v.size):
        alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _shared_rates(v[i])
        alpha[0, i], alpha[1, i], alpha[2, i] = alpha_m, alpha_h, alpha_n
        beta[0, i], beta[1, i], beta[2, i] = beta_m, beta_h, beta_n


#: Neurons per block of a compiled advance. A block's share of a chunk of steps is many
#: milliseconds of work even at this size (128 neurons × 1000 steps ≈ 5 ms), so the hand-over
#: to a thread is negligible, and a thousand neurons still make blocks for both cores. The
#: neurons are independent, so the result does not depend on the blocks (nor on the threads).
#: A smaller ``_parallel.BLOCK`` (as tests set it) makes smaller blocks.
ADVANCE_BLOCK = 128
#: Batches smaller than this take the kernel for a single :meth:`HHIntegrator.step` (what a
#: network calls per grid step) with backend 'numba'; larger ones take numpy. numpy's step
#: costs ~45 array calls whatever n, then less per neuron than the kernel's scalar libm exp
#: (numpy's exp is vectorised); measured per step, kernel against numpy: 8.6 against 23 µs at
#: n = 100, 19 against 29 at 300, 35 against 38 at 600, 55 against 48 at 1000, 110 against 80
#: at 2000. Threads do not help a single step: their hand-over costs more than it saves (132 µs
#: a step at n = 1000 in two blocks).
KERNEL_STEP_BELOW = 600
#: Spikes per neuron a block's buffers hold at first (at least 1: a step needs one per
#: neuron); they double when full.
_SPIKES_PER_NEURON = 16
_registered = []


def _compiled(kernel):
    """``kernel`` compiled by numba (or loaded from its cache), with the scalar helpers it
    calls compiled into it."""
    if not _registered:
        from numba.extending import register_jitable

        for helper in (_x_over_one_minus_exp_series, _shared_rates, _relax_gate):
            register_jitable(helper)
        _registered.append(True)
    return _kernels.compiled(kernel)


def _advance_kernel():
    return _compiled(_advance)


def _rates_kernel():
    return _compiled(_rates_of)


class HHIntegrator:
    """State and one-step update of a batch of Hodgkin–Huxley neurons (arrays of shape (n,)).

    The gates are held half a step ahead of V (see the module docstring); :meth:`read` returns
    them at the grid time.

    Attributes
    ----------
    v : ndarray, shape (n,)
        Membrane potentials, mV.
    spike_lag : ndarray, shape (n,)
        For the neurons that fired at the last step: how long before the grid time the upward
        crossing of ``v_detect`` happened, ms (in [0, dt)).
    backend : str
        'numpy' (the reference) or 'numba' (see :meth:`use_backend`).
    """

    # Gate rows: m, n, h. The first two have opening rates of the form c x / (1 - e^{-x}).
    _GATES = {"m": 0, "n": 1, "h": 2}

    def __init__(self, model, dt, n, v_init):
        self.model, self.dt, self.n = model, dt, n
        self.exp_synapse = isinstance(model.synapse, ExpSynapse)
        self.recordable = ("v", "m", "h", "n", "i_na", "i_k", "i_l") + (
            ("i_syn_ex", "i_syn_in") if self.exp_synapse else ())
        if v_init is None:
            rest = model.resting_state()
            self.v = np.full(n, rest.v)
            gates = np.array([[rest.m], [rest.n], [rest.h]])
        else:
            self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
            m, h, n_gate = model.steady_state_gates(self.v)
            gates = np.array([m, n_gate, h])
        self.gates = np.array(np.broadcast_to(gates, (3, n)))  # half a step ahead of v
        self.spike_lag = np.zeros(n)
        self._previous = np.empty(n)  # V at the last grid time, after its inputs
        # Work arrays, reused every step. Constants that multiply whole rows are stored as
        # full (rows, n) arrays: numpy broadcasts a column (k, 1) against a row several times
        # slower than it combines two contiguous arrays.
        self._arguments = np.empty((6, n))
        self._rates = np.empty((6, n))  # alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h; 1/ms
        self._gate_inf, self._half = np.empty((3, n)), np.empty((3, n))
        self._factor = np.empty((3, n))
        self._squares, self._other = np.empty((2, n)), np.empty((2, n))
        self._conductance = np.empty((2, n))
        self._totals = np.empty((2, n))
        # The leak conductance (mS/cm²) and the leak's drive plus the injected current (µA/cm²)
        # for the current last seen: an array passed again (the same object) is taken to be
        # unchanged, so that a constant current costs no call per step.
        self._leak, self._leak_of = np.empty((2, n)), None
        self._leak[0] = model.g_l
        # Everything that depends only on parameters and dt, computed once per run.
        # Rows 0-1 hold -x of alpha_m = x/(1-e^{-x}), x = (V+40)/10, and of
        # alpha_n = 0.1 x/(1-e^{-x}), x = (V+55)/10; rows 2-5 the exponents of alpha_h, beta_m,
        # beta_n and of e^{-(V+35)/10} in beta_h, with the prefactors 0.07, 4 and 0.125 moved
        # into the exponent (c e^{a} = e^{a + ln c}).
        slopes = np.array([-0.1, -0.1, -1 / 20, -1 / 18, -1 / 80, -0.1])
        offsets = np.array([-4.0, -5.5, -65 / 20 + np.log(0.07), -65 / 18 + np.log(4.0),
                            -65 / 80 + np.log(0.125), -3.5])
        self._slopes = np.repeat(slopes[:, None], n, axis=1)
        self._offsets = np.repeat(offsets[:, None], n, axis=1)
        self._half_dt = -0.5 * dt
        self._max_conductances = np.repeat([[model.g_na], [model.g_k]], n, axis=1)
        self._reversals = np.repeat([[model.e_na], [model.e_k]], n, axis=1)
        self._leak_drive = model.g_l * model.e_l  # µA/cm²
        self._v_decay_per_g = -dt / model.c_m  # times g_tot: the exponent of the V update
        if self.exp_synapse:
            syn = model.synapse
            self.i_syn = np.zeros((2, n))  # excitatory, inhibitory synaptic currents, µA/cm²
            taus = np.array([[syn.tau_ex], [syn.tau_in]])
            self._syn_decay = np.exp(-dt / taus)
            self._syn_mean = -np.expm1(-dt / taus) * taus / dt  # step mean of a unit decay
        self._integer_gates = self.gates.copy()  # until the first step: the initial gates
        self._started = False  # the gates are put half a step ahead at the first step
        self.backend = "numpy"

    def use_backend(self, backend):
        """Advance with 'numpy' (the reference) or 'numba' (compiled kernels, numba must be
        installed: :meth:`advance` always, :meth:`step` for batches under
        ``KERNEL_STEP_BELOW`` neurons).

        The kernel repeats the numpy step operation for operation, except that it computes the
        six rates from two exponentials instead of six (see the notes above ``_E_SHIFT``; they
        agree to 1.4e-14 relative), and that its exp is the C library's, which may differ from
        numpy's in the last bit: the two backends give the same spikes, with potentials and
        spike lags equal to about 1e-12 (tests/test_hh_kernel.py).
        """
        if backend not in _kernels.BACKENDS:
            check.fail("backend", "HHIntegrator.use_backend", "'numpy' or 'numba'", backend)
        self.backend = backend
        if backend == "numba":
            n = self.n
            self._spiked = np.empty(n, dtype=bool)
            self._one_step = (np.zeros(1, dtype=bool), np.ones(1, dtype=bool))
            self._no_synaptic = np.empty((0, 2 if self.exp_synapse else 1, n))
            self._i_syn_kernel = self.i_syn if self.exp_synapse else np.empty((0, n))
            self._step_buffers = (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64),
                                  np.empty(n))
            self._not_recorded = self._kernel_record(None, 1)
            self._constants = self._kernel_constants()
            self._scalar_current = (None, None)

    # --- reading --------------------------------------------------------------------------

    def read(self, name):
        """Current values of a recordable variable, shape (n,): v (mV), gates m, h, n at the
        grid time, ionic currents i_na, i_k, i_l (µA/cm², positive outward), or the synaptic
        currents i_syn_ex, i_syn_in (µA/cm²)."""
        if name == "v":
            return self.v
        if name in ("i_syn_ex", "i_syn_in"):
            return self.i_syn[0 if name == "i_syn_ex" else 1]
        if self._integer_gates is None:
            # half a step back from the stored gates: x∞ + (x - x∞) e^{-(alpha+beta) h/2}
            self._integer_gates = self._gate_inf + self._half
        m, n, h = self._integer_gates
        if name in self._GATES:
            return self._integer_gates[self._GATES[name]]
        if name == "i_na":
            return self.model.i_na(self.v, m, h)
        if name == "i_k":
            return self.model.i_k(self.v, n)
        return self.model.i_l(self.v)

    # --- stepping -------------------------------------------------------------------------

    def step(self, current, synaptic, *, propagate=True):
        """Advance all neurons by one step and return the boolean mask of neurons that fired.

        Parameters
        ----------
        current : float or ndarray, shape (n,) or (1,)
            Injected current over the step that ends now, µA/cm². An array passed again (the
            same object) must hold the same values: its sum with the leak is kept.
        synaptic : ndarray, shape (channels, n), or None
            Summed weights of the input spikes acting at this grid time: one row (mV jumps)
            for delta synapses, two rows (excitatory, inhibitory; µA/cm²) for exponential ones.
        propagate : bool
            False only for the grid time t = 0, where inputs act on the initial state.
        """
        v, level, previous = self.v, self.model.v_detect, self._previous
        jumps = None if synaptic is None or self.exp_synapse else synaptic[0]
        if not propagate:  # t = 0: the gates sit at the grid time, V may jump
            before = v.copy()
            if jumps is not None:
                v += jumps
            elif synaptic is not None:
                self.i_syn += synaptic
            self._update_gates("from_grid")
            self._started = True
            spiked = (before < level) & (v >= level)
            self.spike_lag[spiked] = 0.0
            return spiked
        if not self._started:  # no step at t = 0 was taken: put the gates half a step ahead
            self._update_gates("from_grid")
            self._started = True
        if self.backend == "numba" and self.n < KERNEL_STEP_BELOW:
            return self._step_compiled(current, synaptic)
        previous[...] = v
        self._update_v(current)
        if synaptic is not None and self.exp_synapse:
            self.i_syn += synaptic  # acts from this grid time on
        spiked = (previous < level) & (v >= level)
        if spiked.any():
            self._interpolate_crossing(spiked, previous)
        if jumps is None:
            self._update_gates("full")
            return spiked
        # A jump of V is an event at the grid time: the gates reach it at the potential before
        # the jump and leave it at the potential after (the Strang splitting with the event
        # between its halves, so inputs do not cost an order of accuracy).
        self._update_gates("to_grid")
        before = v.copy()
        v += jumps
        jumped = (before < level) & (v >= level)  # lifted over the level by the jump: lag 0
        self.spike_lag[jumped] = 0.0
        self._update_gates("from_grid")
        return spiked | jumped

    # --- advancing many steps -------------------------------------------------------------

    def advance(self, first_step, currents, synaptic, has_input, record=None):
        """Advance by the grid steps k = first_step ... first_step + m - 1 (m = has_input.size),
        as m calls of :meth:`step` would, and return the spikes.

        Parameters
        ----------
        first_step : int
            The grid step reached first (>= 1; grid point 0 is ``step(..., propagate=False)``).
        currents : float or ndarray, shape (n,), (m, n) or (m, 1)
            Injected current, µA/cm²: the same for every step (a float or one per neuron), or
            row i for step first_step + i, as :meth:`step` receives it.
        synaptic : ndarray, shape (m, channels, n), or None
            Row i is what :meth:`step` receives at step first_step + i where ``has_input[i]``;
            other rows are not read.
        has_input : ndarray of bool, shape (m,)
            Which steps have synaptic input.
        record : (indices, traces) or None
            ``indices`` (int64, the recorded neurons) and ``traces``, a dict from names among
            ``recordable`` to arrays of shape (m, len(indices)) to fill: row i with
            ``read(name)[indices]`` after step first_step + i.

        Returns
        -------
        steps, neurons : ndarray of int64
            Grid step and neuron of each spike, ordered by step, then neuron.
        lags : ndarray
            ``spike_lag`` of each spike, ms.

        Notes
        -----
        With the 'numba' backend one compiled call advances each block of neurons over all m
        steps (the neurons are independent, since no projection reaches them), the blocks
        shared among threads; recording too runs in the kernel (the ionic currents are then
        computed from the recorded potentials and gates, as :meth:`read` does).
        """
        has_input = np.asarray(has_input, dtype=bool)
        if self.backend == "numba":
            return self._advance_compiled(first_step, currents, synaptic, has_input, record)
        return advance_by_steps(self, first_step, currents, synaptic, has_input, record)

    def _advance_compiled(self, first_step, currents, synaptic, has_input, record):
        """:meth:`advance` by the compiled kernel, block by block of neurons over threads."""
        if not self._started:
            self._update_gates("from_grid")
            self._started = True
        n, steps = self.n, has_input.size
        kernel = _advance_kernel()
        currents = np.asarray(currents, dtype=float)
        currents = np.ascontiguousarray(currents if currents.ndim == 2 else currents.reshape(1, -1))
        channels = 2 if self.exp_synapse else 1
        if synaptic is None:
            synaptic, has_input = np.empty((0, channels, n)), np.zeros(steps, dtype=bool)
        synaptic = np.asarray(synaptic, dtype=float)
        i_syn = self.i_syn if self.exp_synapse else np.empty((0, n))
        columns, codes, kernel_traces = self._kernel_record(record, steps)
        constants = self._kernel_constants()
        size = min(ADVANCE_BLOCK, _parallel.BLOCK)
        blocks = [slice(start, min(start + size, n)) for start in range(0, n, size)]
        found = [None] * len(blocks)

        def one_block(b):
            where = blocks[b]
            capacity = _SPIKES_PER_NEURON * (where.stop - where.start)
            buffers = (np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
                       np.empty(capacity))
            row = count = 0
            while True:
                row, count = kernel(
                    has_input, currents if currents.shape[1] == 1 else currents[:, where],
                    synaptic[:, :, where], not self.exp_synapse, self.v[where],
                    self.gates[:, where], i_syn[:, where], self.spike_lag[where],
                    self._previous[where], self._gate_inf[:, where], self._half[:, where],
                    constants, columns[where], codes, kernel_traces, row, *buffers, count)
                if row == steps:
                    break
                buffers = tuple(np.resize(buffer, 2 * buffer.size) for buffer in buffers)
            rows, neurons, lags = (buffer[:count] for buffer in buffers)
            found[b] = (rows, neurons + where.start, lags)

        _parallel.run_blocks(one_block, len(blocks))
        self._integer_gates = None
        if record is not None:
            self._fill_traces(record, codes, kernel_traces)
        rows, neurons, lags = (np.concatenate(parts) for parts in zip(*found))
        order = np.argsort(rows, kind="stable")  # blocks are in neuron order
        return first_step + rows[order], neurons[order], lags[order]

    def _step_compiled(self, current, synaptic):
        """:meth:`step` by the kernel, all neurons in one call on this thread (see
        ``KERNEL_STEP_BELOW``)."""
        if isinstance(current, (float, int)):
            if self._scalar_current[0] != current:
                self._scalar_current = (current, np.full((1, 1), float(current)))
            current = self._scalar_current[1]
        else:
            current = np.asarray(current, dtype=float).reshape(1, -1)
        if synaptic is None:
            has_input, synaptic = self._one_step[0], self._no_synaptic
        else:
            has_input, synaptic = self._one_step[1], np.asarray(synaptic, dtype=float)[None]
        columns, codes, traces = self._not_recorded
        steps, neurons, lags = self._step_buffers
        _, count = _advance_kernel()(
            has_input, current, synaptic, not self.exp_synapse, self.v, self.gates,
            self._i_syn_kernel, self.spike_lag, self._previous, self._gate_inf, self._half,
            self._constants, columns, codes, traces, 0, steps, neurons, lags, 0)
        self._integer_gates = None
        spiked = self._spiked
        spiked[:] = False
        spiked[neurons[:count]] = True
        return spiked

    def _kernel_constants(self):
        model = self.model
        return np.array([
            self.dt, self._half_dt, model.g_na, model.g_k, model.e_na, model.e_k, model.g_l,
            self._leak_drive, self._v_decay_per_g, model.v_detect,
            *(self._syn_mean[:, 0] if self.exp_synapse else (0.0, 0.0)),
            *(self._syn_decay[:, 0] if self.exp_synapse else (1.0, 1.0))])

    def _kernel_record(self, record, steps):
        """Column of each neuron in the kernel's traces (-1: not recorded), the codes of the
        variables the kernel records, and its traces (codes × steps × recorded)."""
        columns = np.full(self.n, -1, dtype=np.int64)
        if record is None:
            return columns, np.empty(0, dtype=np.int64), np.empty((0, 0, 0))
        indices, traces = record
        columns[indices] = np.arange(len(indices))
        needs = {"i_na": ("v", "m", "h"), "i_k": ("v", "n"), "i_l": ("v",)}
        names = set()
        for name in traces:  # the ionic currents are computed from V and the gates afterwards
            names.update(needs.get(name, (name,)))
        codes = np.array(sorted(_TRACE_CODES[name] for name in names), dtype=np.int64)
        return columns, codes, np.empty((codes.size, steps, len(indices)))

    def _fill_traces(self, record, codes, kernel_traces):
        recorded = {name: kernel_traces[j] for name, code in _TRACE_CODES.items()
                    for j in np.flatnonzero(codes == code)}
        model = self.model
        for name, trace in record[1].items():
            if name == "i_na":
                trace[...] = model.i_na(recorded["v"], recorded["m"], recorded["h"])
            elif name == "i_k":
                trace[...] = model.i_k(recorded["v"], recorded["n"])
            elif name == "i_l":
                trace[...] = model.i_l(recorded["v"])
            else:
                trace[...] = recorded[name]

    def _interpolate_crossing(self, spiked, previous, after=None):
        after = self.v if after is None else after
        v_prev, v_now = previous[spiked], after[spiked]
        self.spike_lag[spiked] = self.dt * (v_now - self.model.v_detect) / (v_now - v_prev)

    def _update_v(self, current):
        """V over one step with the conductances of the mid-step gates frozen (exact)."""
        gates, squares, other = self.gates, self._squares, self._other
        np.multiply(gates[:2], gates[:2], out=squares)  # m², n²
        np.multiply(gates[0], gates[2], out=other[0])  # m h
        other[1] = squares[1]
        np.multiply(squares, other, out=self._conductance)  # m³h, n⁴
        conductance = self._conductance
        conductance *= self._max_conductances  # g_na m³h, g_k n⁴; mS/cm²
        totals = self._totals
        g_tot, drive = totals
        np.add(conductance[0], conductance[1], out=g_tot)
        conductance *= self._reversals  # µA/cm²
        np.add(conductance[0], conductance[1], out=drive)
        if current is not self._leak_of:  # the engine passes a constant current as one object
            np.add(self._leak_drive, current, out=self._leak[1])
            self._leak_of = current
        totals += self._leak  # g_l; g_l e_l + I
        if self.exp_synapse:
            drive += self._syn_mean[0, 0] * self.i_syn[0]
            drive += self._syn_mean[1, 0] * self.i_syn[1]
            self.i_syn *= self._syn_decay
        drive /= g_tot  # V∞, mV
        g_tot *= self._v_decay_per_g
        np.exp(g_tot, out=g_tot)
        v = self.v
        v -= drive
        v *= g_tot
        v += drive

    def rates(self):
        """Opening and closing rates of the gates at the present potentials, 1/ms.

        Returns
        -------
        alpha, beta : ndarray, shape (3, n)
            Rows m, h, n: the same numbers as :func:`alpha_m` ... :func:`beta_n` (to 1.4e-14
            relative with the 'numba' backend), computed as every step of the backend does.
        """
        if self.backend == "numba":
            alpha, beta = np.empty((3, self.n)), np.empty((3, self.n))
            _rates_kernel()(self.v, alpha, beta)
            return alpha, beta
        self._compute_rates()
        order = [0, 2, 1]  # internal rows are m, n, h
        return self._rates[:3][order], self._rates[3:][order]

    def _compute_rates(self):
        arguments, rates = self._arguments, self._rates
        np.multiply(self._slopes, self.v, out=arguments)
        arguments += self._offsets
        # x / (1 - e^{-x}) = (-x) / expm1(-x); adding 1e-300 turns x = 0 into a number whose
        # ratio is exactly the limit 1, and changes no other x (near 0 they are multiples of
        # the spacing of doubles near 4, about 9e-16).
        arguments[:2] += 1e-300
        np.expm1(arguments[:2], out=rates[:2])
        np.divide(arguments[:2], rates[:2], out=rates[:2])
        rates[1] *= 0.1
        np.exp(arguments[2:], out=rates[2:])
        rates[5] += 1.0
        np.divide(1.0, rates[5], out=rates[5])
        return rates

    def _update_gates(self, mode):
        """Gates with V frozen at its present value, exactly: over a whole step ('full', from
        half a step before the grid time to half a step after), or over the half step that
        reaches the grid time ('to_grid') or leaves it ('from_grid')."""
        rates = self._compute_rates()
        alpha, rate = rates[:3], rates[3:]
        rate += alpha  # alpha + beta = 1 / tau_x, 1/ms
        gate_inf, factor, half = self._gate_inf, self._factor, self._half
        np.divide(alpha, rate, out=gate_inf)
        np.multiply(rate, self._half_dt, out=factor)
        np.exp(factor, out=factor)  # e^{-(alpha+beta) dt/2}
        gates = self.gates
        np.subtract(gates, gate_inf, out=half)
        if mode != "from_grid":
            half *= factor  # now the grid-time gates are x∞ + half (what read() returns)
        if mode == "to_grid":
            np.add(gate_inf, half, out=gates)
        else:
            np.multiply(half, factor, out=gates)
            gates += gate_inf
        self._integer_gates = None
