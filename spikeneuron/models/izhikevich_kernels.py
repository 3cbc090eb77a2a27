"""The Izhikevich vector field and its stiffness, written once for arrays and for single
neurons (see :mod:`.adex_kernels`, which this mirrors). Nothing here imports numba."""

import numpy as np

# Rows of the parameter array after the generic ones (see located_reset.N_GENERIC).
A = 14  # 1/ms
B = 15  # dimensionless (u in mV/ms, like the current)
N_PARAMETERS = 16


def vector_field(v, u, current, p):
    """(dv/dt, du/dt) at v (mV), u and the total input current, in the paper's units::

        dv/dt = 0.04 v² + 5 v + 140 − u + I,    du/dt = a (b v − u)
    """
    dv = (0.04 * v + 5.0) * v + 140.0 - u + current
    du = p[A] * (p[B] * v - u)
    return dv, du


def stiffness(v, p):
    """An upper bound of the rates at which the state changes at v (1/ms): |∂(dv/dt)/∂v| =
    |0.08 v + 5|, plus |a| and a floor of 0.1/ms where the first vanishes."""
    return np.abs(0.08 * v + 5.0) + np.abs(p[A]) + 0.1
