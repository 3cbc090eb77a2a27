"""Integrate-and-fire models that blow up: Runge–Kutta on the grid, sub-steps where the upswing
is steep, and the reset taken where V crosses v_peak, inside the step.

The adaptive exponential (:class:`~spikeneuron.AdEx`) and the Izhikevich neuron
(:class:`~spikeneuron.Izhikevich`) share one form: two state variables, V and an adaptation
variable w (Izhikevich's u), a vector field f(V, w, I) in which V runs away to infinity in
finite time once it passes a threshold region, and a reset at V = v_peak: V → v_reset,
w → w + b (then, optionally, V held at v_reset for t_ref while w relaxes).

Why the reset time matters. Every later spike is timed from the reset, and w jumps there, so
an error in the reset time is carried forward by every spike after it. A scheme that checks
V ≥ v_peak on the grid (forward Euler in Brian2's default, Izhikevich's own code) resets up
to a whole step late, and its slope near the blow-up, which grows like e^{V/Δ_T} or V², is
wrong by an unbounded factor: on Naud et al.'s patterns forward Euler misses the first ten
spikes by milliseconds at dt = 0.1 ms.

The scheme, per neuron and grid step of length h (``_step_neuron``):

1. Classic fourth-order Runge–Kutta (RK4) on the whole step where it is resolved: the step s
   is at most ``KAPPA / λ``, with λ(V) an upper bound of the vector field's rates (the model's
   ``stiffness``: for AdEx (g_l/c_m)(1 + e^{(V − v_t)/Δ_T}) + 1/τ_w, for Izhikevich
   |0.08 V + 5| + |a|). A step is accepted when V stays below v_peak and s·λ at its end is at
   most ``ACCEPT``; otherwise it is halved. Below threshold λh ≪ 1 and every step is one RK4
   step on the grid; only the few steps of an upswing are subdivided, by sub-steps each a
   fixed fraction of the time left to the blow-up (for AdEx that time is about 1/λ), so an
   upswing costs some (v_peak − V)/(KAPPA·Δ_T) sub-steps whatever dt is.
2. The crossing of v_peak inside an accepted sub-step is located on its cubic Hermite
   interpolant (the values and slopes at both ends, an O(s⁴) dense output) by bisection, and w
   at the crossing likewise. Where v_peak lies so far up the blow-up that no sub-step can
   resolve it (AdEx with v_peak = 0 mV: λ(v_peak) ≈ 4e9/ms), the step is halved until it is
   shorter than ``MIN_STEP`` and the crossing is taken inside it: the error of the spike time
   is then below ``MIN_STEP``, since V runs from far below to v_peak within that sub-step.
3. The reset is applied at the located time and the rest of the step is integrated from the
   reset state, by the same rules (so a neuron may even fire twice within a step; the engine
   reports one spike a step, and later ones are counted in ``extra_spikes``).

Order. Where RK4 runs on the grid its global error is O(h⁴), which is negligible here. The
error is made on the upswing: its sub-stepped part starts where h·λ = KAPPA, so it lasts about
h/KAPPA (for AdEx the time left to the blow-up is ~1/λ), and each of its sub-steps (s·λ =
KAPPA) errs by about KAPPA⁵ of its own length; summed, the spike-time error is ~KAPPA⁴ of
h/KAPPA, E ≈ C·KAPPA³·h: first order in h, with a tiny constant. Measured against a tight
event-located ``solve_ivp`` (tests/test_adex.py, benchmarks/reset_accuracy.py): on AdEx tonic
spiking the first ten spike times are off by 9e-5 ms at h = 1 ms, 6.8e-6 ms at 0.125 ms and
1.4e-6 ms at 0.03 ms (fitted slope 1.0); halving KAPPA divides the error by 5–8 (KAPPA³ = 8);
on all of Naud's regular patterns and Izhikevich's types at h = 0.1 ms the largest error is
6e-6 ms, against 2.5–5 ms for forward Euler. Spike times are reported as the located crossing
(``spike_lag``: how long before the grid time it happened), not on the grid.

Inputs. The injected current is constant over each step (its value at t_k acts over
[t_k, t_k+1)); exponential synaptic currents decay exactly within the step and enter every
Runge–Kutta stage at its own time; a delta-synapse input is a jump of V by its weight at its
grid time, after the step, and a jump to or beyond v_peak is a spike at the grid time
(lag 0). During the refractory period delta inputs are discarded, V is held at v_reset and w
relaxes exactly (it is linear in w with V fixed).

Backends (:class:`.reset_integrator.ResetIntegrator`). The numpy path takes the resolved steps of the whole batch in array operations and
hands the few others to ``_step_neuron`` one neuron at a time; with the backend 'numba' the
same functions are compiled (the vector fields of :mod:`.adex_kernels` and
:mod:`.izhikevich_kernels` included) and run neuron by neuron over whole chunks of steps. The
operations are the same; only the exponential (numpy's against the C library's) may differ in
the last bit.
"""  # noqa: E501

import math

import numpy as np

from .. import _kernels
from ..synapses import CondExpSynapse, ExpSynapse
from . import adex_kernels, izhikevich_kernels

__all__ = []

# Rows of the parameter array every model of this form fills (the model's own rows follow).
V_PEAK, V_RESET, W_JUMP = 0, 1, 2  # mV, mV, units of w
W_HOLD, HOLD_RATE, T_REF = 3, 4, 5  # w's fixed point with V held at v_reset; 1/ms; ms
KIND = 6  # which vector field: ADEX or IZHIKEVICH
EXP_SYNAPSE, TAU_EX, TAU_IN = 7, 8, 9  # 1.0 with exponential synapses; their time constants, ms
# 1.0 with conductance synapses (CondExpSynapse), their reversal potentials (mV), and the
# model's current per nS·mV (AdEx: 0.001 nA per pA)
COND_SYNAPSE, E_EX, E_IN, COND_GAIN = 10, 11, 12, 13
N_GENERIC = 14
ADEX, IZHIKEVICH = 0.0, 1.0

#: A step may be at most KAPPA / λ long (λ: the model's stiffness at its start).
KAPPA = 0.1
#: ... and is accepted when s·λ at its end is at most ACCEPT (else it is halved).
ACCEPT = 0.2
#: Sub-steps this short (ms) that reach v_peak are taken to contain the crossing: the bound of
#: the spike-time error where v_peak lies beyond what any sub-step resolves.
MIN_STEP = 1e-7
#: Crossings of v_peak one neuron may make within one step before its state is declared
#: non-finite (the engine then stops the run, naming what drove it): a current so large that
#: the neuron fires again the instant it is reset would otherwise never finish the step.
MAX_CROSSINGS = 64
#: Bisection steps on the Hermite interpolant: 2^-50 of a sub-step.
_BISECTIONS = 50
_INF = math.inf


def _field(v, w, current, p):
    """The model's vector field (dV/dt, dw/dt), chosen by the parameter row KIND."""
    if p[KIND] == ADEX:
        return adex_kernels.vector_field(v, w, current, p)
    return izhikevich_kernels.vector_field(v, w, current, p)


def _stiffness(v, p):
    """The model's bound of its rates at V, 1/ms."""
    if p[KIND] == ADEX:
        return adex_kernels.stiffness(v, p)
    return izhikevich_kernels.stiffness(v, p)


def _total(current, g_ex, g_in, v, p):
    """The input current at potential v: the current-like part plus, with conductance
    synapses, g_ex (e_ex − v) + g_in (e_in − v) in the model's current unit."""
    if p[COND_SYNAPSE] == 0.0:
        return current
    return current + p[COND_GAIN] * (g_ex * (p[E_EX] - v) + g_in * (p[E_IN] - v))


def _rk4(v, w, current_0, current_half, current_1, g_ex_0, g_in_0, g_ex_half, g_in_half,
         g_ex_1, g_in_1, s, p):
    """One classic Runge–Kutta step of length s (ms) from (v, w), the input current and the
    synaptic conductances at the step's start, middle and end; returns the new (v, w) and the
    slopes at the start."""
    k1v, k1w = _field(v, w, _total(current_0, g_ex_0, g_in_0, v, p), p)
    half = 0.5 * s
    v2 = v + half * k1v
    k2v, k2w = _field(v2, w + half * k1w, _total(current_half, g_ex_half, g_in_half, v2, p), p)
    v3 = v + half * k2v
    k3v, k3w = _field(v3, w + half * k2w, _total(current_half, g_ex_half, g_in_half, v3, p), p)
    v4 = v + s * k3v
    k4v, k4w = _field(v4, w + s * k3w, _total(current_1, g_ex_1, g_in_1, v4, p), p)
    sixth = s / 6.0
    return (v + sixth * (k1v + 2.0 * k2v + 2.0 * k3v + k4v),
            w + sixth * (k1w + 2.0 * k2w + 2.0 * k3w + k4w), k1v, k1w)


def _input(current, i_ex, i_in, time, p):
    """Total input current at ``time`` (ms) into the step: the injected one plus the exactly
    decaying synaptic currents that were i_ex, i_in at the step's start."""
    if p[EXP_SYNAPSE] == 0.0:
        return current
    return current + i_ex * math.exp(-time / p[TAU_EX]) + i_in * math.exp(-time / p[TAU_IN])


def _conductances(g_ex, g_in, time, p):
    """The synaptic conductances at ``time`` (ms) into the step, from g_ex, g_in at its start
    (zero without conductance synapses)."""
    if p[COND_SYNAPSE] == 0.0:
        return 0.0, 0.0
    return g_ex * math.exp(-time / p[TAU_EX]), g_in * math.exp(-time / p[TAU_IN])


def _hermite(y0, slope0, y1, slope1, s, theta):
    """The cubic Hermite interpolant of a step of length s at the fraction theta of it."""
    theta2 = theta * theta
    theta3 = theta2 * theta
    return ((2.0 * theta3 - 3.0 * theta2 + 1.0) * y0 + (theta3 - 2.0 * theta2 + theta) * s * slope0
            + (3.0 * theta2 - 2.0 * theta3) * y1 + (theta3 - theta2) * s * slope1)


def _crossing(v0, slope0, v1, slope1, s, level):
    """The fraction of a step at which its Hermite interpolant reaches ``level`` (v0 < level
    <= v1), by bisection."""
    low, high = 0.0, 1.0
    for _ in range(_BISECTIONS):
        middle = 0.5 * (low + high)
        if _hermite(v0, slope0, v1, slope1, s, middle) < level:
            low = middle
        else:
            high = middle
    return high


def _step_neuron(i, v, w, i_syn, left, spike_lag, current, h, p):
    """Advance neuron i over one grid step of length h (ms) by the rules of the module
    docstring; returns the number of times it reached v_peak (its first crossing's lag, ms
    before the step's end, goes into spike_lag[i]). The synaptic currents are read as they
    were at the step's start; their decay over the step is the caller's."""
    x, y = v[i], w[i]
    i_ex, i_in, g_ex, g_in = 0.0, 0.0, 0.0, 0.0
    if p[EXP_SYNAPSE] != 0.0:
        i_ex, i_in = i_syn[0, i], i_syn[1, i]
    elif p[COND_SYNAPSE] != 0.0:
        g_ex, g_in = i_syn[0, i], i_syn[1, i]
    refractory = left[i]
    v_peak = p[V_PEAK]
    t = 0.0
    crossings = 0
    while t < h:
        if not (abs(x) < _INF and abs(y) < _INF):
            break  # non-finite: left as it is, for the engine to report
        rest = h - t
        if refractory > 0.0:
            s = min(refractory, rest)
            y = p[W_HOLD] + (y - p[W_HOLD]) * math.exp(-s * p[HOLD_RATE])
            x = p[V_RESET]
            refractory -= s
            t = h if s == rest else t + s
            continue
        s = rest
        rate = _stiffness(x, p)
        if s * rate > KAPPA:
            s = KAPPA / rate
        while True:
            g_ex_0, g_in_0 = _conductances(g_ex, g_in, t, p)
            g_ex_half, g_in_half = _conductances(g_ex, g_in, t + 0.5 * s, p)
            g_ex_1, g_in_1 = _conductances(g_ex, g_in, t + s, p)
            current_1 = _input(current, i_ex, i_in, t + s, p)
            x1, y1, slope_x, slope_y = _rk4(
                x, y, _input(current, i_ex, i_in, t, p),
                _input(current, i_ex, i_in, t + 0.5 * s, p), current_1, g_ex_0, g_in_0,
                g_ex_half, g_in_half, g_ex_1, g_in_1, s, p)
            if x1 < v_peak:
                if s * _stiffness(x1, p) <= ACCEPT:
                    x, y = x1, y1
                    t = h if s == rest else t + s
                    break
                s *= 0.5
                continue
            # The step reaches v_peak (or overflowed): locate the crossing, or shorten it.
            end_x, end_y = _field(x1, y1, _total(current_1, g_ex_1, g_in_1, x1, p), p)
            finite = abs(x1) < _INF and abs(y1) < _INF and abs(end_x) < _INF and abs(end_y) < _INF
            if finite and s * _stiffness(v_peak, p) <= ACCEPT:
                theta = _crossing(x, slope_x, x1, end_x, s, v_peak)
                y_cross = _hermite(y, slope_y, y1, end_y, s, theta)
            elif s <= MIN_STEP:
                theta = (v_peak - x) / (x1 - x) if abs(x1) < _INF else 1.0
                y_cross = y + theta * (y1 - y) if abs(y1) < _INF else y
            else:
                s *= 0.5
                continue
            crossings += 1
            if crossings == 1:
                spike_lag[i] = (1.0 - theta) * s + (rest - s)
            if crossings >= MAX_CROSSINGS:
                x = math.nan
                break
            x, y, refractory = p[V_RESET], y_cross + p[W_JUMP], p[T_REF]
            t = h if (theta == 1.0 and s == rest) else t + theta * s
            break
    v[i], w[i], left[i] = x, y, refractory
    return crossings


def _jump(i, v, w, left, jump, p):
    """A delta-synapse jump of neuron i's V at the grid time (discarded while refractory);
    True when it lifts V to v_peak, which resets the neuron."""
    if left[i] > 0.0:
        return False
    v[i] += jump
    if v[i] >= p[V_PEAK]:
        v[i], w[i], left[i] = p[V_RESET], w[i] + p[W_JUMP], p[T_REF]
        return True
    return False


# Codes of what the kernel can record.
_TRACE_CODES = {"v": 0, "w": 1, "u": 1, "i_syn_ex": 2, "i_syn_in": 3, "g_ex": 2, "g_in": 3}


def _advance(currents, synaptic, has_input, delta_input, v, w, i_syn, left, spike_lag, decay,
             p, h, record_columns, record_codes, traces, row, spike_rows, spike_neurons,
             spike_lags, count, extra):
    """Steps row.. of has_input for a batch (``_step_neuron`` per neuron, then its inputs);
    returns (next row, spike count, extra crossings). Stops early, between steps, when the
    spike buffers could overflow within the next step. ``currents`` is (1 or m, 1 or n);
    ``decay`` the synaptic currents' decay over a step (excitatory, inhibitory)."""
    n = v.size
    exp_synapse = p[EXP_SYNAPSE] != 0.0 or p[COND_SYNAPSE] != 0.0
    inhibition_sign = -1.0 if p[COND_SYNAPSE] != 0.0 else 1.0  # cond: |w| onto g_in
    current_row_step = 1 if currents.shape[0] > 1 else 0
    current_column_step = 1 if currents.shape[1] > 1 else 0
    while row < has_input.size:
        if count + n > spike_rows.size:
            break
        inputs = has_input[row]
        for i in range(n):
            crossings = _step_neuron(i, v, w, i_syn, left, spike_lag,
                                     currents[row * current_row_step, i * current_column_step],
                                     h, p)
            if exp_synapse:
                i_syn[0, i] *= decay[0]
                i_syn[1, i] *= decay[1]
                if inputs:
                    i_syn[0, i] += synaptic[row, 0, i]
                    i_syn[1, i] += inhibition_sign * synaptic[row, 1, i]
            elif inputs and delta_input:
                if _jump(i, v, w, left, synaptic[row, 0, i], p):
                    if crossings == 0:
                        spike_lag[i] = 0.0
                    crossings += 1
            if crossings:
                spike_rows[count], spike_neurons[count] = row, i
                spike_lags[count] = spike_lag[i]
                count += 1
                extra += crossings - 1
            column = record_columns[i]
            if column >= 0:
                for j in range(record_codes.size):
                    code = record_codes[j]
                    if code == 0:
                        traces[j, row, column] = v[i]
                    elif code == 1:
                        traces[j, row, column] = w[i]
                    else:
                        traces[j, row, column] = i_syn[code - 2, i]
        row += 1
    return row, count, extra


_registered = []


def _advance_kernel():
    """``_advance`` compiled by numba, with every helper it calls compiled into it."""
    if not _registered:
        from numba.extending import register_jitable

        for helper in (adex_kernels.vector_field, adex_kernels.stiffness,
                       izhikevich_kernels.vector_field, izhikevich_kernels.stiffness, _field,
                       _stiffness, _total, _rk4, _input, _conductances, _hermite, _crossing, _step_neuron, _jump):
            register_jitable(helper)
        _registered.append(True)
    return _kernels.compiled(_advance)


def generic_parameters(model, kind, w_jump, w_hold, hold_rate, t_ref):
    """The generic rows of a model's parameter array (its own rows are left at zero)."""
    size = adex_kernels.N_PARAMETERS if kind == ADEX else izhikevich_kernels.N_PARAMETERS
    p = np.zeros(size)
    p[V_PEAK], p[V_RESET], p[W_JUMP] = model.v_peak, model.v_reset, w_jump
    p[W_HOLD], p[HOLD_RATE], p[T_REF], p[KIND] = w_hold, hold_rate, t_ref, kind
    if isinstance(model.synapse, (ExpSynapse, CondExpSynapse)):
        p[TAU_EX], p[TAU_IN] = model.synapse.tau_ex, model.synapse.tau_in
        p[COND_SYNAPSE if isinstance(model.synapse, CondExpSynapse) else EXP_SYNAPSE] = 1.0
        if isinstance(model.synapse, CondExpSynapse):
            p[E_EX], p[E_IN], p[COND_GAIN] = model.synapse.e_ex, model.synapse.e_in, 0.001
    else:
        p[TAU_EX] = p[TAU_IN] = 1.0
    return p
