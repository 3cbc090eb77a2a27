"""The compiled Hodgkin–Huxley kernel (backend 'numba'): the step of
:class:`~spikeneuron.models.hh_stepping.HHIntegrator`, one neuron at a time, many steps per
call. Plain Python in the subset numba compiles; compiled on first use (``_compiled``), so
importing this module costs nothing without numba."""

import math
import sys

import numpy as np

from .. import _kernels

# The numpy step is bound by its ~45 array calls, not by its ten exponentials per neuron
# (numpy's vectorised exp costs ~1.2 ns a number; measured at n = 1000: 20 of the 50 µs of a
# step are the rates, of which 7 µs the six exponentials). In a compiled loop the
# exponentials dominate (the C library's scalar exp ~4.3 ns each; the kernel's own, below,
# ~1.4 ns in a vectorised loop), and the kernel computes the six rates from two of them,
# shared as follows.
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

# The kernel's exponential. The C library's exp is a call that a compiled loop cannot vectorise
# (numba has no vector library here), so the kernel computes e^x in basic operations and one
# table lookup: x = n ln2/8 + r with |r| <= ln2/16 (Cody-Waite, ln 2 split so that n times
# the high part is exact), e^r from its Taylor polynomial of degree 8 (the first term left
# out, r⁹/9!, is below 2e-18), times 2^{n/8} from a table (each entry a correctly rounded
# 2^{j/8}, j = 0..7, times a power of two). Within two units in the last place
# (tests/test_hh_kernel.py holds it to that against extended precision), as the C library's;
# e^x for x below _EXP_LOWEST (results below the smallest normal number) is 0, beyond
# _EXP_HIGHEST infinity, and NaN stays NaN. Every loop of the kernel then vectorises:
# measured 2.3x faster at n = 1000 (W4).
_LN2_HI_8 = 6.93147180369123816490e-01 / 8
_LN2_LO_8 = 1.90821492927058770002e-10 / 8
_EIGHT_OVER_LN2 = 8 * 1.44269504088896338700e+00
_EXP_LOWEST, _EXP_HIGHEST = -748.0, 709.9
_EXP_TAYLOR = tuple(1.0 / math.factorial(k) for k in range(8, -1, -1))  # 1/k!, k = 8..0
_T8, _T7, _T6, _T5, _T4, _T3, _T2, _T1, _T0 = _EXP_TAYLOR
#: 2^{k/8} at index k + _POWERS_ZERO, for every n the clamped arguments give (the first ones
#: subnormal or zero, the last ones infinite)
_POWERS_ZERO = 8640
_EIGHTHS = np.array([1.0, 1.0905077326652577, 1.189207115002721, 1.2968395546510096,
                     1.4142135623730951, 1.5422108254079407, 1.681792830507429,
                     1.8340080864093424])  # 2^{j/8}, j = 0..7, correctly rounded
_k = np.arange(-_POWERS_ZERO, 8200)
with np.errstate(over="ignore", under="ignore"):
    _POWERS_OF_TWO = np.ldexp(_EIGHTHS[_k & 7], _k >> 3)
del _k


def _divide(a, b):
    """a / b, rounded as ``/``, without the check for b == 0 that compiled code does before
    every ``/`` (a branch that keeps a loop from vectorising): numpy's semantics."""
    return np.true_divide(a, b)


def _exp(x):
    """e^x (see the notes above) in operations a compiled loop vectorises."""
    y = min(max(_EXP_LOWEST, x), _EXP_HIGHEST)  # NaN gives _EXP_LOWEST: a valid index
    n = math.floor(y * _EIGHT_OVER_LN2 + 0.5)
    r = y - n * _LN2_HI_8
    r -= n * _LN2_LO_8
    p = _T8 * r + _T7
    p = p * r + _T6
    p = p * r + _T5
    p = p * r + _T4
    p = p * r + _T3
    p = p * r + _T2
    p = p * r + _T1
    p = p * r + _T0
    e = p * _POWERS_OF_TWO[int(n) + _POWERS_ZERO]
    return e if x == x else x


# Gate updates, as in HHIntegrator._update_gates.
_FULL, _TO_GRID, _FROM_GRID = 0, 1, 2
# What a kernel can record: v, the grid-time gates m, n, h (internal rows 0-2), i_syn rows.
_TRACE_CODES = {"v": 0, "m": 1, "n": 2, "h": 3, "i_syn_ex": 4, "i_syn_in": 5, "g_ex": 4,
                "g_in": 5}


def _x_over_one_minus_exp_series(x):
    """x / (1 - e^{-x}) for |x| < _SERIES_BELOW, from its series to x⁶, small terms first."""
    squared = x * x
    return ((_SERIES_X6 * squared + _SERIES_X4) * squared + _SERIES_X2) * squared + 0.5 * x + 1.0


def _shared_rates(v):
    """(alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h), 1/ms, at v (mV) from two
    exponentials (see the notes above). Plain Python on floats; compiled into the kernels."""
    power = _exp((v + _E_SHIFT) * _E_SCALE)  # E
    beta_m = _exp((v + _BETA_M_SHIFT) * _BETA_M_SCALE)
    power4 = power * power
    power4 *= power4
    power8 = power4 * power4
    # both forms, then a choice: a loop of selects vectorises, one of branches does not
    x_m = (v + _X_M_SHIFT) * _X_SCALE
    series_m = _x_over_one_minus_exp_series(x_m)
    ratio_m = _divide(x_m, 1.0 - _W_M * power8)
    alpha_m = series_m if abs(x_m) < _SERIES_BELOW else ratio_m
    x_n = (v + _X_N_SHIFT) * _X_SCALE
    series_n = 0.1 * _x_over_one_minus_exp_series(x_n)
    ratio_n = _divide(x_n, 10.0 - _W_N * power8)
    alpha_n = series_n if abs(x_n) < _SERIES_BELOW else ratio_n
    beta_h = _divide(1.0, 1.0 + _W_H * power8)
    return alpha_m, alpha_n, 0.07 * power4, beta_m, 0.125 * power, beta_h


#: Slopes (1/mV) of the six exponents of the Traub–Miles rates, in the rows of the rates
#: (alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h), with u = V − V_T: −x of
#: alpha_m = 1.28 x/(1−e^{−x}), x = (u−13)/4, and of alpha_n = 0.16 x/(1−e^{−x}),
#: x = (u−15)/5; the exponent of alpha_h = 0.128 e^{(17−u)/18}; −x of beta_m = 1.4 x/(1−e^{−x}),
#: x = (40−u)/5; the exponents of beta_n = 0.5 e^{(10−u)/40} and of e^{(40−u)/5} in
#: beta_h = 4/(1 + e^{(40−u)/5}). The prefactors 0.128 and 0.5 sit in the offsets
#: (``traub_offsets``), which depend on V_T.
TRAUB_SLOPES = (-0.25, -0.2, -1.0 / 18.0, 0.2, -1.0 / 40.0, -0.2)
TRAUB_PREFACTORS = (1.28, 0.16, 1.4)  # of alpha_m, alpha_n, beta_m


def traub_offsets(v_t):
    """Offsets of the six exponents above for the threshold parameter v_t (mV)."""
    return ((13.0 + v_t) / 4.0, (15.0 + v_t) / 5.0, (17.0 + v_t) / 18.0 + math.log(0.128),
            -(40.0 + v_t) / 5.0, (10.0 + v_t) / 40.0 + math.log(0.5), (40.0 + v_t) / 5.0)


# The Traub–Miles ratios x / (e^x − 1) (alpha_m, alpha_n, beta_m) from the kernel's exp, so
# that the gate loop vectorises. e^x − 1 loses the relative accuracy of e^x as x -> 0 (2 ulp of
# e^x over |e^x − 1|, 1.1e-15 at x = 0.5, unbounded towards the removable singularity at 0),
# so below |x| = 0.5 the ratio is summed from its series 1 − x/2 + Σ B_2k x^{2k}/(2k)!
# (Bernoulli numbers; the even part alternates with falling terms for |x| < 2π) to x¹⁴: the
# first term left out, |B_16/16!| 0.5¹⁶, is 5.2e-18. Both forms then agree with numpy's
# x / expm1(x) to about 1e-15 relative (tests/test_hh_kernel.py holds them to 5e-15).
_EXPM1_SERIES_BELOW = 0.5
#: B_2k / (2k)!, k = 7 … 1: the coefficients of x¹⁴ … x²
_C14, _C12, _C10, _C8, _C6, _C4, _C2 = (1.0 / 74724249600.0, -691.0 / 1307674368000.0,
                                        1.0 / 47900160.0, -1.0 / 1209600.0, 1.0 / 30240.0,
                                        -1.0 / 720.0, 1.0 / 12.0)


def _x_over_expm1_series(x):
    """x / (e^x − 1) for |x| < _EXPM1_SERIES_BELOW, from its series to x¹⁴."""
    squared = x * x
    return (((((((_C14 * squared + _C12) * squared + _C10) * squared + _C8) * squared
               + _C6) * squared + _C4) * squared + _C2) * squared - 0.5 * x) + 1.0


# The Traub–Miles rates share exponentials too (u = V - V_T): with P = e^{(10-u)/40} (from
# beta_n = 0.5 P), P⁸ = e^{(10-u)/5} gives the three exponentials of slope 1/5 mV:
# e^{(15-u)/5} = e P⁸ in alpha_n, e^{(40-u)/5} = e⁶ P⁸ in beta_h and e^{(u-40)/5} = e^{-6} / P⁸
# in beta_m (whose ratio x / (e^x - 1) reads x P⁸ / (e^{-6} - P⁸)), and P¹⁰ = e^{(10-u)/4}
# gives e^{(13-u)/4} = e^{3/4} P¹⁰ in alpha_m; alpha_h = 0.128 e^{(17-u)/18} takes the second
# exponential. Two exponentials instead of six. P¹⁰ carries ten times the error of P (exp's
# 2 ulp) and ten roundings, 5.5e-15, which e^x - 1 amplifies by e^x / |e^x - 1| <= 2.54 where
# |x| >= 0.5 (the series below that is as above): the rates are within 1.5e-14 of numpy's
# six-exponential ones (measured 1.1e-14, tests/test_hh_kernel.py). P's exponent is clamped
# to ±70 (beyond ln 0.5) so that P¹⁰ stays finite and normal: only potentials beyond about
# ±2800 mV from V_T, where every rate is already at its limit of 0 or of a linear function,
# get other rates than numpy's.
_TRAUB_W_M, _TRAUB_W_N, _TRAUB_W_B, _TRAUB_W_H = (math.exp(0.75), math.e, math.exp(-6.0),
                                                  math.exp(6.0))
_TRAUB_P_LOWEST, _TRAUB_P_HIGHEST = math.log(0.5) - 70.0, math.log(0.5) + 70.0


def _traub_rates(v, offsets):
    """(alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h), 1/ms, of the Traub–Miles model at
    v (mV) from two exponentials (see the notes above): the arguments of
    ``TraubMilesIntegrator._compute_rates`` (the 1e-300 as there), the kernel's exp, and
    below |x| = 0.5 the series of x / (e^x − 1) (:func:`_x_over_expm1_series`)."""
    a_m = TRAUB_SLOPES[0] * v + offsets[0] + 1e-300
    a_n = TRAUB_SLOPES[1] * v + offsets[1] + 1e-300
    b_m = TRAUB_SLOPES[3] * v + offsets[3] + 1e-300
    exponent = min(max(TRAUB_SLOPES[4] * v + offsets[4], _TRAUB_P_LOWEST), _TRAUB_P_HIGHEST)
    beta_n = _exp(exponent)
    beta_n = beta_n if v == v else v  # the clamp turned NaN into a number
    power = beta_n + beta_n  # P
    power2 = power * power
    power8 = power2 * power2
    power8 *= power8
    # both forms, then a choice: a loop of selects vectorises, one of branches does not
    series = _x_over_expm1_series(a_m)
    ratio = _divide(a_m, _TRAUB_W_M * (power8 * power2) - 1.0)
    alpha_m = (series if abs(a_m) < _EXPM1_SERIES_BELOW else ratio) * TRAUB_PREFACTORS[0]
    series = _x_over_expm1_series(a_n)
    ratio = _divide(a_n, _TRAUB_W_N * power8 - 1.0)
    alpha_n = (series if abs(a_n) < _EXPM1_SERIES_BELOW else ratio) * TRAUB_PREFACTORS[1]
    series = _x_over_expm1_series(b_m)
    ratio = _divide(b_m * power8, _TRAUB_W_B - power8)
    beta_m = (series if abs(b_m) < _EXPM1_SERIES_BELOW else ratio) * TRAUB_PREFACTORS[2]
    alpha_h = _exp(TRAUB_SLOPES[2] * v + offsets[2])
    beta_h = _divide(4.0, 1.0 + _TRAUB_W_H * power8)
    return alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h


def _rates(v, kind, offsets):
    """The rates of the model ``kind`` (0 classic, 1 Traub–Miles) at v (mV)."""
    if kind == 1:
        return _traub_rates(v, offsets)
    return _shared_rates(v)


def _finish_substep_gate(gate, alpha, beta, half_dt, sub_exponent, mode):
    """A sub-stepped gate from half a sub-step before the grid time to it (_TO_GRID) or on to
    half a step after (_FULL), as HHIntegrator._substep_gates: (gate, x∞, half)."""
    rate = beta + alpha
    gate_inf = alpha / rate
    half = (gate - gate_inf) * math.exp(rate * sub_exponent)
    if mode == _TO_GRID:
        return gate_inf + half, gate_inf, half
    return gate_inf + half * math.exp(rate * half_dt), gate_inf, half


def _relax_substep_gate_pass(gate, alpha, beta, exponent):
    """One gate over a sub-step with V frozen (HHIntegrator._relax), in operations a
    compiled loop vectorises."""
    rate = alpha + beta
    gate_inf = _divide(alpha, rate)
    return gate_inf + (gate - gate_inf) * _exp(rate * exponent)


def _substep_rates_pass(sub, n_fast, exponent, offsets):
    """The gates (rows 1-3 of ``sub``) of the first n_fast columns relaxed at their V (row 0)
    for the time -exponent (ms), between the V updates of :func:`_substep_pass`. Traub–Miles
    rates: only that model takes sub-steps (the classic one's ``_SUBSTEPS`` is 1), so the
    sub-step passes compile one loop, not one per model as _gate_pass."""
    numbers = (offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5])
    sub_v, sub_m, sub_n, sub_h = sub[0], sub[1], sub[2], sub[3]
    for f in range(n_fast):
        alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _traub_rates(sub_v[f], numbers)
        sub_m[f] = _relax_substep_gate_pass(sub_m[f], alpha_m, beta_m, exponent)
        sub_n[f] = _relax_substep_gate_pass(sub_n[f], alpha_n, beta_n, exponent)
        sub_h[f] = _relax_substep_gate_pass(sub_h[f], alpha_h, beta_h, exponent)


def _substep_pass(sub, n_fast, constants, offsets):
    """The step of the first n_fast columns of ``sub`` in k Strang sub-steps
    (HHIntegrator._substep_v, operation for operation; rows: V, the gates m, n, h read back
    to the grid time, the synaptic rows, the leak's drive plus current; V, the gates half a
    sub-step before the next grid time and, in row 7, the time of the first upward crossing
    of the level within the step or -1 are returned in place), each sub-step a loop that
    vectorises."""
    g_na, g_k, e_na, e_k, g_l = constants[2], constants[3], constants[4], constants[5], constants[6]
    level, conductance, e_ex, e_in = constants[9], constants[14] != 0.0, constants[15], constants[16]
    k = int(constants[26])
    mean_ex, mean_in, decay_ex, decay_in = constants[27], constants[28], constants[29], constants[30]
    half_h, full_h, v_exponent, step = constants[31], constants[32], constants[33], constants[34]
    sub_v, sub_m, sub_n, sub_h = sub[0], sub[1], sub[2], sub[3]
    sub_ex, sub_in, sub_leak, crossing = sub[4], sub[5], sub[6], sub[7]
    _substep_rates_pass(sub, n_fast, half_h, offsets)
    for f in range(n_fast):
        sub_ex[f] *= mean_ex
        sub_in[f] *= mean_in
        crossing[f] = -1.0
    for j in range(k):
        for f in range(n_fast):
            m, g_n, h, syn_ex, syn_in = sub_m[f], sub_n[f], sub_h[f], sub_ex[f], sub_in[f]
            g_sodium = g_na * (m * m * (m * h))
            g_potassium = g_k * (g_n * g_n * (g_n * g_n))
            g_tot = g_sodium + g_potassium + g_l
            drive = g_sodium * e_na + g_potassium * e_k + sub_leak[f]
            if conductance:
                g_tot += syn_ex + syn_in
                drive += syn_ex * e_ex + syn_in * e_in
            else:
                drive += syn_ex + syn_in
            sub_ex[f] = syn_ex * decay_ex
            sub_in[f] = syn_in * decay_in
            v_inf = _divide(drive, g_tot)
            before = sub_v[f]
            x = v_inf + (before - v_inf) * _exp(g_tot * v_exponent)
            sub_v[f] = x
            up = (crossing[f] < 0.0) & (before < level) & (x >= level)
            at = (j + _divide(level - before, x - before)) * step
            crossing[f] = at if up else crossing[f]
        if j < k - 1:
            _substep_rates_pass(sub, n_fast, full_h, offsets)


def _relax_gate_pass(gate, alpha, beta, half_dt, into, out_of):
    """One gate with V frozen (HHIntegrator._update_gates, whose operations these are), the
    mode as two flags (1.0 or 0.0): into the grid time (the first half step: every mode but
    _FROM_GRID) and out of it (the second: every mode but _TO_GRID), so that one loop
    vectorises for every mode (a factor of 1.0 is exact). Returns the new gate, x∞ and the
    half-step offset that read() adds to x∞."""
    rate = beta + alpha
    gate_inf = _divide(alpha, rate)
    factor = _exp(rate * half_dt)
    # factor · 1 + 0 is factor and factor · 0 + 1 is 1, exactly (0 <= factor <= 1); a
    # conditional expression here, inlined, trips numba's internal checks
    half = (gate - gate_inf) * (factor * into + (1.0 - into))
    return half * (factor * out_of + (1.0 - out_of)) + gate_inf, gate_inf, half


def _voltage_pass(v, previous, gates, i_syn, extra_drive, synaptic, row, inputs, constants):
    """The V sub-step of :func:`_advance` for every neuron of the block, its operations in its
    order: a loop of arithmetic only on one-dimensional rows, which the compiler vectorises
    (the neuron loop of _advance, with its branches and the C library's exp, it did not)."""
    g_na, g_k, e_na, e_k = constants[2], constants[3], constants[4], constants[5]
    g_l, v_decay_per_g = constants[6], constants[8]
    syn_mean_ex, syn_mean_in = constants[10], constants[11]
    syn_decay_ex, syn_decay_in = constants[12], constants[13]
    conductance = constants[14] != 0.0
    e_ex, e_in = constants[15], constants[16]
    gate_m, gate_n, gate_h = gates[0], gates[1], gates[2]
    if i_syn.shape[0] == 2:
        current_ex_row, current_in_row = i_syn[0], i_syn[1]
        input_ex, input_in = synaptic[row if inputs else 0, 0], synaptic[row if inputs else 0, 1]
        for i in range(v.size):
            x = v[i]
            previous[i] = x
            m, g_n, h = gate_m[i], gate_n[i], gate_h[i]
            g_sodium = m * m * (m * h) * g_na
            g_potassium = g_n * g_n * (g_n * g_n) * g_k
            g_tot = g_sodium + g_potassium
            drive = g_sodium * e_na + g_potassium * e_k
            g_tot += g_l
            drive += extra_drive[i]
            current_ex, current_in = current_ex_row[i], current_in_row[i]
            if conductance:
                mean_ex = syn_mean_ex * current_ex
                mean_in = syn_mean_in * current_in
                g_tot += mean_ex
                g_tot += mean_in
                drive += mean_ex * e_ex
                drive += mean_in * e_in
            else:
                drive += syn_mean_ex * current_ex
                drive += syn_mean_in * current_in
            current_ex *= syn_decay_ex
            current_in *= syn_decay_in
            if inputs:
                current_ex += input_ex[i]
                if conductance:  # the sum of negative weights adds |w| to g_in
                    current_in -= input_in[i]
                else:
                    current_in += input_in[i]
            current_ex_row[i], current_in_row[i] = current_ex, current_in
            drive = _divide(drive, g_tot)  # V∞
            v[i] = (x - drive) * _exp(g_tot * v_decay_per_g) + drive
    else:
        for i in range(v.size):
            x = v[i]
            previous[i] = x
            m, g_n, h = gate_m[i], gate_n[i], gate_h[i]
            g_sodium = m * m * (m * h) * g_na
            g_potassium = g_n * g_n * (g_n * g_n) * g_k
            g_tot = g_sodium + g_potassium
            drive = g_sodium * e_na + g_potassium * e_k
            g_tot += g_l
            drive += extra_drive[i]
            drive = _divide(drive, g_tot)  # V∞
            v[i] = (x - drive) * _exp(g_tot * v_decay_per_g) + drive


def _gate_pass(v, gates, gate_inf, half, half_dt, kind, offsets, mode):
    """A gate step in ``mode`` (_FULL, _TO_GRID or _FROM_GRID) of every neuron of the block at its
    potential, with the rates of the model ``kind``: arithmetic only, vectorised as
    _voltage_pass (one loop per model: a branch inside would stop it)."""
    gate_m, gate_n, gate_h = gates[0], gates[1], gates[2]
    inf_m, inf_n, inf_h = gate_inf[0], gate_inf[1], gate_inf[2]
    half_m, half_n, half_h = half[0], half[1], half[2]
    into = 1.0 if mode != _FROM_GRID else 0.0
    out_of = 1.0 if mode != _TO_GRID else 0.0
    if kind == 1:
        # the offsets as numbers: loads from an array inside the loop, which the stores to the
        # gates might alias, would keep it from vectorising
        numbers = (offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], offsets[5])
        for i in range(v.size):
            alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _traub_rates(v[i], numbers)
            gate_m[i], inf_m[i], half_m[i] = _relax_gate_pass(gate_m[i], alpha_m, beta_m,
                                                              half_dt, into, out_of)
            gate_n[i], inf_n[i], half_n[i] = _relax_gate_pass(gate_n[i], alpha_n, beta_n,
                                                              half_dt, into, out_of)
            gate_h[i], inf_h[i], half_h[i] = _relax_gate_pass(gate_h[i], alpha_h, beta_h,
                                                              half_dt, into, out_of)
        return
    for i in range(v.size):
        alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _shared_rates(v[i])
        gate_m[i], inf_m[i], half_m[i] = _relax_gate_pass(gate_m[i], alpha_m, beta_m, half_dt,
                                                          into, out_of)
        gate_n[i], inf_n[i], half_n[i] = _relax_gate_pass(gate_n[i], alpha_n, beta_n, half_dt,
                                                          into, out_of)
        gate_h[i], inf_h[i], half_h[i] = _relax_gate_pass(gate_h[i], alpha_h, beta_h, half_dt,
                                                          into, out_of)


def _record(traces, row, column, record_codes, x, gate_inf, half, i_syn, i):
    """Neuron i's recorded variables at the end of step ``row`` into its ``column``."""
    for j in range(record_codes.size):
        code = record_codes[j]
        if code == 0:
            traces[j, row, column] = x
        elif code <= 3:
            traces[j, row, column] = gate_inf[code - 1, i] + half[code - 1, i]
        else:
            traces[j, row, column] = i_syn[code - 4, i]


def _advance(has_input, currents, synaptic, delta_input, v, gates, i_syn, spike_lag, previous,
             gate_inf, half, constants, record_columns, record_codes, traces, row, spike_rows,
             spike_neurons, spike_lags, count):
    """Steps row.. of has_input for a block of neurons (HHIntegrator.step, operation for
    operation, but with the kernel's rates and exp); returns (the next row, the spike count).

    Each step is a few passes over the neurons, each of which vectorises (see _voltage_pass):
    the sub-stepped neurons (about 15 % in COBAHH) are gathered and stepped from their start
    state first (_substep_pass), then every neuron's V (_voltage_pass), whose sub-stepped
    ones are overwritten, then the gates (_gate_pass; on a step with jumps of V, delta
    synapses, to the grid time, the jumps, and on from it). It stops early, between two
    steps, when the spike buffers could overflow within the next step. ``currents`` is (1 or
    steps, 1 or n); ``synaptic`` (steps, channels, n), read on rows with input; ``i_syn`` has
    0 rows (delta synapses) or 2. ``record_columns`` gives each neuron's column in ``traces``
    (codes × steps × columns), or -1.
    """
    dt, half_dt, level = constants[0], constants[1], constants[9]
    leak_drive, current_scale = constants[7], constants[17]
    kind, rate_offsets = int(constants[18]), constants[19:25]
    substep_above = constants[25] if constants[26] > 1.0 else math.inf
    n = v.size
    exp_synapse = i_syn.shape[0] == 2
    current_row_step = 1 if currents.shape[0] > 1 else 0
    current_column_step = 1 if currents.shape[1] > 1 else 0
    extra_drive = np.empty(n)  # the leak's drive plus the injected current, per neuron
    before_jump = np.empty(n if delta_input else 0)  # V before a step's jumps
    # the sub-stepped neurons of a step: their indices and state (rows of _substep_pass)
    fast_neurons = np.empty(n if substep_above < math.inf else 0, dtype=np.int64)
    sub = np.empty((8, fast_neurons.size))
    extra_row = -1
    # A count that starts at a literal 0 is typed as that literal at first, and the shared
    # kernels it is passed to would be compiled for it too, then again for int64.
    none_yet = n - n
    from_grid = none_yet + _FROM_GRID  # (a literal would compile _gate_pass a second time)
    while row < has_input.size:
        if count + n > spike_rows.size:
            break
        inputs = has_input[row]
        jumps = inputs and delta_input
        if extra_row != row * current_row_step:
            extra_row = row * current_row_step
            now = currents[extra_row]
            for i in range(n):
                extra_drive[i] = leak_drive + now[i * current_column_step] * current_scale
        n_fast = none_yet  # (not a literal 0: see none_yet)
        if substep_above < math.inf:
            for i in range(n):
                if v[i] > substep_above:
                    sub[0, n_fast] = v[i]
                    sub[1, n_fast] = gate_inf[0, i] + half[0, i]
                    sub[2, n_fast] = gate_inf[1, i] + half[1, i]
                    sub[3, n_fast] = gate_inf[2, i] + half[2, i]
                    if exp_synapse:
                        sub[4, n_fast], sub[5, n_fast] = i_syn[0, i], i_syn[1, i]
                    else:
                        sub[4, n_fast] = sub[5, n_fast] = 0.0
                    sub[6, n_fast] = extra_drive[i]
                    fast_neurons[n_fast] = i
                    n_fast += 1
            _substep_pass(sub, n_fast, constants, rate_offsets)
        _voltage_pass(v, previous, gates, i_syn, extra_drive, synaptic, row, inputs, constants)
        for f in range(n_fast):
            v[fast_neurons[f]] = sub[0, f]
        # the gates: a full step, or (a jump at the grid time) to it, the jump, on from it
        mode = _TO_GRID if jumps else _FULL
        _gate_pass(v, gates, gate_inf, half, half_dt, kind, rate_offsets, mode)
        for f in range(n_fast):  # the sub-stepped gates instead (_substep_gates)
            i = fast_neurons[f]
            alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _rates(v[i], kind, rate_offsets)
            gates[0, i], gate_inf[0, i], half[0, i] = _finish_substep_gate(
                sub[1, f], alpha_m, beta_m, half_dt, constants[31], mode)
            gates[1, i], gate_inf[1, i], half[1, i] = _finish_substep_gate(
                sub[2, f], alpha_n, beta_n, half_dt, constants[31], mode)
            gates[2, i], gate_inf[2, i], half[2, i] = _finish_substep_gate(
                sub[3, f], alpha_h, beta_h, half_dt, constants[31], mode)
        if jumps:
            jump = synaptic[row, 0]
            for i in range(n):
                before_jump[i] = v[i]
                v[i] += jump[i]
            _gate_pass(v, gates, gate_inf, half, half_dt, kind, rate_offsets, from_grid)
        f = 0
        for i in range(n):
            x, before = v[i], previous[i]
            stepped = before_jump[i] if jumps else x  # V at the end of the step, before jumps
            fast = f < n_fast and fast_neurons[f] == i
            fired = False
            if before < level and stepped >= level:
                spike_lag[i] = dt * (stepped - level) / (stepped - before)
                if fast and sub[7, f] >= 0.0:
                    spike_lag[i] = dt - sub[7, f]
                fired = True
            elif jumps and stepped < level and x >= level:  # lifted over the level by the jump
                spike_lag[i] = 0.0
                fired = True
            if fired:
                spike_rows[count], spike_neurons[count] = row, i
                spike_lags[count] = spike_lag[i]
                count += 1
            if fast:
                f += 1
            column = record_columns[i]
            if column >= 0:
                _record(traces, row, column, record_codes, x, gate_inf, half, i_syn, i)
        row += 1
    return row, count


def _rates_of(v, alpha, beta, kind, offsets):
    """Rows m, h, n of the rates at each potential of v, from :func:`_rates`."""
    for i in range(v.size):
        alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = _rates(v[i], kind, offsets)
        alpha[0, i], alpha[1, i], alpha[2, i] = alpha_m, alpha_h, alpha_n
        beta[0, i], beta[1, i], beta[2, i] = beta_m, beta_h, beta_n




_registered = []
#: The kernels the others call, each compiled (and cached) once as a dispatcher of its own for
#: each signature it meets: _network calls _advance, _advance its three passes and (neuron by
#: neuron, for the sub-stepped ones) the rate function. Registered as
#: jitable helpers instead, each was compiled again into every caller: the passes three times
#: in a run that steps a network and single batches, and each pass inlines the rate functions.
_SHARED_KERNELS = ("_rates", "_substep_pass", "_voltage_pass", "_gate_pass", "_advance")


def _compiled(kernel):
    """``kernel`` compiled by numba (or loaded from its cache), with the scalar helpers it
    calls compiled into it and the kernels of ``_SHARED_KERNELS`` called as kernels of their
    own."""
    if not _registered:
        from numba.extending import register_jitable

        # The helpers of the vectorised passes are inlined where they are called: a call
        # stops a loop from vectorising, and the compiler left _shared_rates (six numbers
        # returned) a call. (_exp it inlines itself; inlined by numba, its NaN test made
        # numba warn.)
        for helper in (_divide, _x_over_one_minus_exp_series, _shared_rates, _traub_rates,
                       _relax_gate_pass, _relax_substep_gate_pass):
            register_jitable(inline="always")(helper)
        # (_exp and the series, small functions returning one number, the compiler inlines
        # itself: inlined by numba too, their code would be compiled again at every call)
        for helper in (_exp, _x_over_expm1_series, _finish_substep_gate, _substep_rates_pass,
                       _record):
            register_jitable(helper)
        # from now on the module's names of the shared kernels are their dispatchers, which
        # their callers, compiled later, resolve (the plain functions stay as .py_func)
        module = sys.modules[__name__]
        for name in _SHARED_KERNELS:
            setattr(module, name, _kernels.compiled(getattr(module, name)))
        _registered.append(True)
    return _kernels.compiled(kernel)


def _advance_kernel():
    return _compiled(_advance)


def _rates_kernel():
    return _compiled(_rates_of)


def _network(first_step, done, steps, groups_currents, groups_delta, groups_v, groups_gates,
             groups_i_syn, groups_lag, groups_previous, groups_gate_inf, groups_half, constants,
             groups_columns, groups_codes, groups_traces, groups_buffer, groups_pending,
             groups_external, groups_has_external, groups_spike_steps, groups_spike_neurons,
             groups_spike_lags, spike_counts, n_pathways, pathway_pre, pathway_post,
             pathway_delay, pathways_indptr, pathways_targets, pathways_weights, pathways_delays):
    """Rows done .. steps-1 of a chunk (grid steps first_step + row) of a network of
    Hodgkin–Huxley batches (one thread), as the engine's step-by-step loop does them: every batch adds its external input
    of the step to the ring-buffer slot of the step, advances one step on that slot (the
    operations of :func:`_advance`), clears it, records and appends its spikes; then every
    pathway adds the weights of the synapses of the neurons that just fired into the slot of
    their delay, in the order the numpy path adds them. ``spike_counts`` holds each batch's
    spike count, then (scratch) its count before the step. Stops early, before a step that
    might not fit in a batch's spike arrays. Returns (rows done, synaptic events delivered).
    """  # noqa: E501
    events = 0
    n_groups = len(groups_v)
    first_row = n_groups - n_groups  # 0, not a literal (see _advance's none_yet)
    has_input = np.zeros(1, dtype=np.bool_)
    for i in range(done, steps):
        k = first_step + i
        for g in range(n_groups):
            if groups_spike_steps[g].size - spike_counts[g] < groups_v[g].size:
                return i, events
        for g in range(n_groups):
            buffer, pending = groups_buffer[g], groups_pending[g]
            external, has_external = groups_external[g], groups_has_external[g]
            slot = k % buffer.shape[0]
            if external.shape[0] > 0 and has_external[i]:
                now = buffer[slot]
                now += external[i]  # (not buffer[slot] += ...: see lif_kernels.network)
                pending[slot] = True
            use = pending[slot]
            has_input[0] = use
            currents = groups_currents[g]
            row = i if currents.shape[0] > 1 else 0
            before = spike_counts[g]
            spike_counts[n_groups + g] = before
            trace = groups_traces[g]
            # the step's row of the traces, C-contiguous as in the single-batch calls (a
            # slice of ``trace`` is not, and _advance would be compiled a second time for it)
            step_trace = np.empty((trace.shape[0], 1, trace.shape[2]))
            _, count = _advance(
                has_input, currents[row:row + 1], buffer[slot:slot + 1], groups_delta[g],
                groups_v[g], groups_gates[g], groups_i_syn[g], groups_lag[g],
                groups_previous[g], groups_gate_inf[g], groups_half[g], constants[g],
                groups_columns[g], groups_codes[g], step_trace, first_row, groups_spike_steps[g], groups_spike_neurons[g], groups_spike_lags[g],  # noqa: E501
                before)
            for s in range(before, count):
                groups_spike_steps[g][s] = k
            spike_counts[g] = count
            for r in range(trace.shape[0]):
                for c in range(trace.shape[2]):
                    trace[r, i, c] = step_trace[r, 0, c]
            if use:
                buffer[slot] = 0.0
                pending[slot] = False
        for p in range(n_pathways):
            pre, post = pathway_pre[p], pathway_post[p]
            fired_from, fired_to = spike_counts[n_groups + pre], spike_counts[pre]
            if fired_to == fired_from:
                continue
            indptr, targets, weights = pathways_indptr[p], pathways_targets[p], pathways_weights[p]
            delays = pathways_delays[p]
            buffer, pending = groups_buffer[post], groups_pending[post]
            slots = buffer.shape[0]
            flat = buffer.reshape(-1)
            size = buffer.shape[1] * buffer.shape[2]
            uniform = delays.size == 0
            slot = (k + pathway_delay[p]) % slots
            neurons = groups_spike_neurons[pre]
            for s in range(fired_from, fired_to):
                j = neurons[s]
                first, last = indptr[j], indptr[j + 1]
                for e in range(first, last):
                    slot_e = slot if uniform else (k + delays[e]) % slots
                    flat[slot_e * size + targets[e]] += weights[e]
                    pending[slot_e] = True
                events += last - first
    return steps, events


def _network_kernel():
    return _compiled(_network)
