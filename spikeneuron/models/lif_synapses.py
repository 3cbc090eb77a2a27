"""The LIF's alpha and conductance synapses: their propagators at a time step, and the
step of the conductance synapse (the numpy reference that the compiled kernels repeat).

**Alpha currents** (NEST ``iaf_psc_alpha``). Each kind (excitatory, inhibitory) has two state
variables, y1 (nA/ms) and y2 = I (nA)::

    dy1/dt = −y1/τ,   dI/dt = y1 − I/τ,   a spike of weight w adds w·e/τ to y1

so that I(t) = w (t/τ) e^{1 − t/τ} after one spike. The system with the membrane,
τ_m dV/dt = −(V − v_rest) + r_m I, is linear with constant coefficients: it is integrated
exactly by a 3×3 propagator (Rotter & Diesmann 1999), whose entries are closed forms:
y1 ← e^{−h/τ} y1, I ← h e^{−h/τ} y1 + e^{−h/τ} I, and V gains P31 y1 + P32 I with
P32 = (r_m/τ_m) ∫_0^h e^{−(h−s)/τ_m} e^{−s/τ} ds (:func:`~spikeneuron.synapses.exp_current_to_voltage`)
and P31 = (r_m/τ_m) ∫_0^h e^{−(h−s)/τ_m} s e^{−s/τ} ds = (r_m/τ_m) e^{−h/τ_m} h² φ(βh),
β = 1/τ − 1/τ_m, φ(x) = (1 − e^{−x}(1 + x))/x² (a series near x = 0, where it tends to 1/2).

**Conductances** (NEST ``iaf_cond_exp``). With u = V − v_rest, the leak conductance
g_L = 1/r_m and C = τ_m/r_m, and g_ex, g_in in nS (1 nS = 10⁻³ µS = 10⁻³/MΩ)::

    du/dt = −a(t) u + b(t),   a = 1/τ_m + ρ (g_ex + g_in),
    b = (r_m/τ_m) I + ρ (g_ex (e_ex − v_rest) + g_in (e_in − v_rest)),   ρ = r_m / (1000 τ_m)

Between grid points each conductance decays exactly, g(s) = G e^{−s/τ}, so the linear ODE has
the exact solution (variation of constants) over a step of length h::

    u(h) = e^{−A(h)} u(0) + ∫_0^h e^{−(A(h) − A(s))} b(s) ds,
    A(s) = s/τ_m + ρ (G_ex τ_ex (1 − e^{−s/τ_ex}) + G_in τ_in (1 − e^{−s/τ_in}))

in which every exponential is closed form. Only the integral is approximated: its part
without synaptic conductance, ∫ e^{−(h−s)/τ_m} (r_m/τ_m) I ds = r_m I (1 − e^{−h/τ_m}), is
taken exactly, and the rest, F(s) = e^{−(A(h)−A(s))} b(s) − e^{−(h−s)/τ_m} (r_m/τ_m) I, by
Simpson's rule on the nodes 0, h/2, h. F is smooth within a step (inputs act at grid
points), so the local error is h⁵ F⁗(ξ)/2880 and the scheme is of **order 4**; F vanishes
without conductance, where the step is exactly the LIF's. Each step costs two exponentials
per neuron, e^{−(A(h) − A(h/2))} and e^{−A(h/2)} (less their leak parts, which are constants).

Those exponentials are computed by :func:`exp_neg` (range reduction by eighth powers of two
and a Taylor polynomial of degree 8, within two units in the last place), written with the basic operations only,
so that the compiled kernel (:mod:`.lif_kernels`), doing the same operations in the same order,
reproduces the numpy step to the last bit (numpy's and the C library's ``exp`` differ in the
last bit for some 5 % of arguments).
"""

import math

import numpy as np

from ..synapses import exp_current_to_voltage

__all__ = ["exp_neg", "alpha_propagator", "CondExpConstants", "cond_exp_step"]

# Cody–Waite reduction x = (n/8) ln 2 + r, |r| <= ln2/16: ln 2 split so that n·LN2_HI is
# exact (fdlibm's constants; LN2_HI has 21 trailing zero bits, n stays below 2^14).
LN2_HI = 6.93147180369123816490e-01 / 8
LN2_LO = 1.90821492927058770002e-10 / 8
INV_LN2 = 8 * 1.44269504088896338700e+00
#: Largest reduced exponent: e^{-746} underflows to zero.
EXP_NEG_MAX = 746.0
#: 2^{-k/8} for k = 0..8616 (the last ones subnormal or zero): one table, shared by both backends.
POWERS_OF_HALF = np.exp2(-np.arange(8617) / 8.0)
#: Taylor coefficients of e^{-r}, highest first: (−1)^k/k!, k = 8..0 (|r| <= ln2/16: the
#: first term left out, r^9/9!, is below 2e-18).
EXP_NEG_TAYLOR = tuple((-1.0) ** k / math.factorial(k) for k in range(8, -1, -1))


def exp_neg(x):
    """e^{−x} for an array x >= 0, to about one unit in the last place, using only operations
    that round alike in numpy and in compiled code (see :func:`.lif_kernels.exp_neg`)."""
    x = np.minimum(x, EXP_NEG_MAX)
    n = np.floor(x * INV_LN2 + 0.5)
    r = x - n * LN2_HI
    r -= n * LN2_LO
    p = np.full_like(r, EXP_NEG_TAYLOR[0])
    for c in EXP_NEG_TAYLOR[1:]:
        p *= r
        p += c
    return p * POWERS_OF_HALF[n.astype(np.int64)]


def _phi(x):
    """(1 − e^{−x}(1 + x))/x², accurately also near x = 0 (where it is 1/2 − x/3 + x²/8 …)."""
    if abs(x) < 1e-2:
        return 0.5 + x * (-1.0 / 3 + x * (1.0 / 8 + x * (-1.0 / 30 + x * (1.0 / 144 + x * (
            -1.0 / 840 + x / 5760)))))
    return (-math.expm1(-x) - x * math.exp(-x)) / (x * x)


def alpha_propagator(r_m, tau_m, tau_syn, dt):
    """The alpha current's propagators at step dt (ms): (y1 decay = I decay e^{−h/τ},
    y1 → I (h e^{−h/τ}), y1 → V (mV per nA/ms), I → V (mV per nA), jump of y1 per nA of
    weight e/τ)."""
    decay = math.exp(-dt / tau_syn)
    beta = 1.0 / tau_syn - 1.0 / tau_m
    to_v_from_y1 = r_m / tau_m * math.exp(-dt / tau_m) * dt * dt * _phi(beta * dt)
    return (decay, dt * decay, to_v_from_y1, exp_current_to_voltage(r_m, tau_m, tau_syn, dt),
            math.e / tau_syn)


class CondExpConstants:
    """What the conductance step needs at a time step dt (ms), computed once per run (see the
    module docstring for the scheme; names as there)."""

    def __init__(self, model, dt):
        syn, tau_m = model.synapse, model.tau_m
        rho = model.r_m / (1000.0 * tau_m)  # per ms per nS
        self.half_decay = math.exp(-dt / (2.0 * tau_m))  # e^{-h/2τm}
        self.decay = math.exp(-dt / tau_m)
        self.current_to_b = 1.0 / (tau_m * -math.expm1(-dt / tau_m))  # (r_m I (1−e^{-h/τm})) → r_m I/τm
        self.sixth = dt / 6.0
        rows = []
        for tau, reversal in ((syn.tau_ex, syn.e_ex), (syn.tau_in, syn.e_in)):
            half, full = math.exp(-dt / (2.0 * tau)), math.exp(-dt / tau)
            first_half = rho * tau * -math.expm1(-dt / (2.0 * tau))  # ∫_0^{h/2} ρ e^{-s/τ} ds
            drive = rho * (reversal - model.v_rest)
            rows.append((first_half, half * first_half, drive, drive * half, drive * full, full))
        # one column per kind: exponent of the first half, of the second half, b at 0, h/2, h, decay
        (self.a1_ex, self.a2_ex, self.b0_ex, self.bm_ex, self.bh_ex, self.decay_ex), \
            (self.a1_in, self.a2_in, self.b0_in, self.bm_in, self.bh_in, self.decay_in) = rows

    def as_row(self):
        """The constants in the order the kernel reads them."""
        return (self.half_decay, self.current_to_b, self.sixth, self.a1_ex, self.a2_ex,
                self.b0_ex, self.bm_ex, self.bh_ex, self.decay_ex, self.a1_in, self.a2_in,
                self.b0_in, self.bm_in, self.bh_in, self.decay_in)


def cond_exp_step(c, u, drive_minus_rest, g):
    """The membrane part of a conductance step: u(h) from u(0) = V − v_rest (mV, shape (n,)),
    the exact current part r_m I (1 − e^{−h/τ_m}) (mV) and the conductances at the start of
    the step (g[0] = g_ex, g[1] = g_in, nS, >= 0); returns u(h) − (current part), which the
    caller adds to the current part. Conductances are not changed here."""
    g_ex, g_in = g[0], g[1]
    second_half = exp_neg(c.a2_ex * g_ex + c.a2_in * g_in)  # e^{-(A(h)-A(h/2))} / e^{-h/2τm}
    first_half = exp_neg(c.a1_ex * g_ex + c.a1_in * g_in)
    weight_mid = c.half_decay * second_half
    weight_0 = c.decay * (second_half * first_half)
    b_current = drive_minus_rest * c.current_to_b
    f_0 = weight_0 * (b_current + (c.b0_ex * g_ex + c.b0_in * g_in)) - c.decay * b_current
    f_mid = weight_mid * (b_current + (c.bm_ex * g_ex + c.bm_in * g_in)) - c.half_decay * b_current
    f_h = c.bh_ex * g_ex + c.bh_in * g_in
    return u * weight_0 + c.sixth * (f_0 + 4.0 * f_mid + f_h)

