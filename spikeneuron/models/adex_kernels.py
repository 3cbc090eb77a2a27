"""The AdEx vector field and its stiffness, written once for arrays and for single neurons.

Plain numpy operations that numba also compiles (``register_jitable``, in
:mod:`.located_reset`): the numpy backend calls them on whole batches and on the neurons whose
step needs sub-steps, the compiled backend on one neuron at a time, so both perform the same
floating-point operations in the same order. Nothing here imports numba.

The parameters arrive as one float array, laid out as in :mod:`.located_reset` (the generic
rows) followed by the rows below.
"""

import numpy as np

# Rows of the parameter array after the generic ones (see located_reset.N_GENERIC).
G_OVER_C = 14  # g_l / c_m, 1/ms
E_L = 15  # mV
V_T = 16  # mV
DELTA_T = 17  # mV
CURRENT_GAIN = 18  # 1000 / c_m: mV/ms per nA
A_NA = 19  # a / 1000: nA per mV
INV_TAU_W = 20  # 1/ms
SLOW_RATE = 21  # 1/τ_w + √(|a|/(c_m τ_w)): the adaptation's rates, 1/ms
N_PARAMETERS = 22

#: The exponent is capped here, far above any v_peak (e^700 ≈ 1e304 is still finite): an
#: overshooting Runge–Kutta stage gives a huge, finite slope instead of an overflow warning.
MAX_EXPONENT = 700.0


def vector_field(v, w, current, p):
    """(dV/dt in mV/ms, dw/dt in nA/ms) at V (mV), w (nA) and total input current (nA)::

        dV/dt = (g_l/c_m)(−(V − e_l) + Δ_T e^{(V − v_t)/Δ_T}) + (1000/c_m)(I − w)
        dw/dt = (a (V − e_l)/1000 − w) / τ_w
    """
    spike = np.exp(np.minimum((v - p[V_T]) / p[DELTA_T], MAX_EXPONENT))
    dv = p[G_OVER_C] * (p[DELTA_T] * spike - (v - p[E_L])) + p[CURRENT_GAIN] * (current - w)
    dw = (p[A_NA] * (v - p[E_L]) - w) * p[INV_TAU_W]
    return dv, dw


def stiffness(v, p):
    """An upper bound of the rates at which the state changes at V (1/ms): the leak, the
    exponential's own rate (g_l/c_m) e^{(V − v_t)/Δ_T}, and the adaptation's 1/τ_w and
    coupling √(|a|/(c_m τ_w))."""
    spike = np.exp(np.minimum((v - p[V_T]) / p[DELTA_T], MAX_EXPONENT))
    return p[G_OVER_C] * (1.0 + spike) + p[SLOW_RATE]
