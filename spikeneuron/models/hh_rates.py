"""Rate functions of the classic Hodgkin–Huxley gates (1/ms, V in mV), from Hodgkin & Huxley
1952 with the resting potential shifted to about -65 mV (Dayan & Abbott 2001)."""

import numpy as np

__all__ = ["alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n"]


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
