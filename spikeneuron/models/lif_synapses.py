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
taken exactly, and the rest, F(s) = e^{−(A(h)−A(s))} b(s) − e^{−(h−s)/τ_m} (r_m/τ_m) I, by the
trapezoid with its Euler–Maclaurin end correction,
∫_0^h F ≈ h/2 (F(0) + F(h)) + h²/12 (F′(0) − F′(h)), whose derivatives are closed forms
(F′ = F/τ_m + e^{−(A(h)−A(s))} (ρ (g_ex(s) + g_in(s)) b + b′), b′ from g′ = −g/τ). F is smooth within
a step (inputs act at grid points), so the local error is −h⁵ F⁗(ξ)/720 and the scheme is of
**order 4**; F vanishes without conductance, where the step is exactly the LIF's. It needs
the integrand at s = 0 and s = h only: at h the weight e^{0} is one, at 0 it is e^{−A(h)}, the
homogeneous solution's own, so each step costs **one exponential per neuron**, e^{−A(h)}
(its leak part e^{−h/τ_m} a constant). (Simpson's rule on 0, h/2, h, used before, has a
quarter of the error constant but needs a second exponential, at h/2.)

That exponential is computed by :func:`exp_neg` (range reduction by eighth powers of two
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
    """What the conductance step needs at a time step dt (ms), computed once per run (see
    :func:`cond_exp_step` for the scheme; names as there, c = h²/12)."""

    def __init__(self, model, dt):
        syn, tau_m = model.synapse, model.tau_m
        rho = model.r_m / (1000.0 * tau_m)  # per ms per nS
        c = dt * dt / 12.0  # the end correction's h²/12 (ms²)
        self.decay = math.exp(-dt / tau_m)
        self.current_to_b = 1.0 / (tau_m * -math.expm1(-dt / tau_m))  # (r_m I (1−e^{-h/τm})) → r_m I/τm
        self.weight_f0 = dt / 2.0 + c / tau_m  # weights of F(0) and F(h), the F/τm of F′ folded in
        self.weight_fh = dt / 2.0 - c / tau_m
        self.rate_0 = c * rho  # c ρ: times g_ex + g_in at s = 0
        rows = []
        for tau, reversal in ((syn.tau_ex, syn.e_ex), (syn.tau_in, syn.e_in)):
            full = math.exp(-dt / tau)
            exponent = rho * tau * -math.expm1(-dt / tau)  # ∫_0^h ρ e^{-s/τ} ds
            drive = rho * (reversal - model.v_rest)
            rows.append((exponent, drive, c * drive / tau, drive * full, c * drive * full / tau,
                         c * rho * full, full))
        # one column per kind: exponent of A(h); b at 0, −c b′ at 0, b at h, −c b′ at h (per
        # nS of g at the start of the step); c ρ g(h)/g(0); the decay
        (self.a_ex, self.b0_ex, self.db0_ex, self.bh_ex, self.dbh_ex, self.rate_h_ex,
         self.decay_ex), \
            (self.a_in, self.b0_in, self.db0_in, self.bh_in, self.dbh_in, self.rate_h_in,
             self.decay_in) = rows

    def as_row(self):
        """The constants in the order the kernel reads them."""
        return (self.current_to_b, self.weight_f0, self.weight_fh, self.rate_0,
                self.a_ex, self.b0_ex, self.db0_ex, self.bh_ex, self.dbh_ex, self.rate_h_ex,
                self.decay_ex, self.a_in, self.b0_in, self.db0_in, self.bh_in, self.dbh_in,
                self.rate_h_in, self.decay_in)


def cond_exp_step(c, u, drive_minus_rest, g):
    """The membrane part of a conductance step: u(h) from u(0) = V − v_rest (mV, shape (n,)),
    the exact current part r_m I (1 − e^{−h/τ_m}) (mV) and the conductances at the start of
    the step (g[0] = g_ex, g[1] = g_in, nS, >= 0); returns u(h) − (current part), which the
    caller adds to the current part. Conductances are not changed here.

    The scheme (one exponential per neuron). With β = r_m I/τ_m, q = e^{−h/τ} per kind,
    d = ρ (e_rev − v_rest) per kind and g the conductances at s = 0 (sums over the two kinds)::

        E(s) = e^{−(A(h) − A(s))},   E(h) = 1,   E(0) = e^{−A(h)} = e^{−h/τ_m} e^{−Σ ρ τ (1−q) g}
        b(s) = β + Σ d g e^{−s/τ},   b′(s) = −Σ (d/τ) g e^{−s/τ}
        F(s) = E(s) b(s) − e^{−(h−s)/τ_m} β          (the integrand less its exact current part)

    Since E′ = a E with a = 1/τ_m + ρ Σ g e^{−s/τ}, and the subtracted term's derivative is
    its own 1/τ_m times itself,

        F′(s) = F(s)/τ_m + E(s) (ρ Σ g e^{−s/τ} · b(s) + b′(s)).

    The Euler–Maclaurin formula with one correction term, ∫_0^h F = h/2 (F(0) + F(h))
    + h²/12 (F′(0) − F′(h)) − h⁵/720 F⁗(ξ), with c = h²/12 and the F/τ_m parts gathered, is

        ∫_0^h F ≈ (h/2 + c/τ_m) F(0) + (h/2 − c/τ_m) F(h) + S(0) − S(h),
        F(0) = E(0) b(0) − e^{−h/τ_m} β,        F(h) = Σ d q g,
        S(0) = E(0) (c ρ Σ g · b(0) − Σ (c d/τ) g),   S(h) = Σ c ρ q g · b(h) − Σ (c d q/τ) g,

    and u(h) − (current part) = E(0) u(0) + that. Only E(0) needs an exponential, the one the
    homogeneous part needs anyway. Without conductance E(0) is e^{−h/τ_m} exactly
    (:func:`exp_neg` of 0 is 1), F(0) = e^{−h/τ_m} β − e^{−h/τ_m} β = 0 and the rest is a
    multiple of g = 0: the step is the LIF's exact one, to the bit.
    """
    g_ex, g_in = g[0], g[1]
    weight_0 = c.decay * exp_neg(c.a_ex * g_ex + c.a_in * g_in)  # E(0) = e^{-A(h)}
    b_current = drive_minus_rest * c.current_to_b  # β
    b_0 = b_current + (c.b0_ex * g_ex + c.b0_in * g_in)
    f_h = c.bh_ex * g_ex + c.bh_in * g_in  # F(h) = b(h) − β
    f_0 = weight_0 * b_0 - c.decay * b_current
    slope_0 = weight_0 * ((c.rate_0 * (g_ex + g_in)) * b_0 - (c.db0_ex * g_ex + c.db0_in * g_in))
    slope_h = (c.rate_h_ex * g_ex + c.rate_h_in * g_in) * (b_current + f_h) \
        - (c.dbh_ex * g_ex + c.dbh_in * g_in)
    return u * weight_0 + ((c.weight_f0 * f_0 + c.weight_fh * f_h) + (slope_0 - slope_h))
