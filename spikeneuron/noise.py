"""Two noise models that turn the hard threshold into a probability.

* :class:`MembraneNoise`: a noisy input current that makes the free membrane potential (the
  potential without threshold) fluctuate with standard deviation ``sigma`` (mV), set
  directly. The current is white (``tau = 0``; the free potential is then an
  Ornstein–Uhlenbeck process with time constant tau_m) or itself an Ornstein–Uhlenbeck process
  with correlation time ``tau`` (ms). Both are updated exactly: the Gaussian increments over a
  step have the variance of the continuous process, so the statistics do not depend on dt.
* :class:`EscapeNoise` (a stochastic threshold): the neuron fires with hazard
  ρ(V) = exp((V − v_th)/Δu) / τ_esc (per ms), i.e. with probability 1 − exp(−ρ·dt) in a step.
  Δu → 0 gives back the deterministic threshold (Gerstner et al., Neuronal Dynamics, ch. 9).
"""

import math
from dataclasses import dataclass

import numpy as np

from . import _validation as check
from .synapses import exp_current_to_voltage  # the same kernel as exp synapses

__all__ = ["MembraneNoise", "EscapeNoise"]


@dataclass(frozen=True)
class MembraneNoise:
    """Noisy input current, parametrised by the fluctuations it causes in the free potential.

    Parameters
    ----------
    sigma : float
        Standard deviation of the free membrane potential, mV (>= 0; 0 is no noise).
    tau : float
        Correlation time of the noise current, ms (>= 0; 0 is white noise).
    """

    sigma: float
    tau: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "sigma", check.non_negative("sigma", "MembraneNoise", self.sigma))
        object.__setattr__(self, "tau", check.non_negative("tau", "MembraneNoise", self.tau))
        check.plausible_unit("sigma", "MembraneNoise", self.sigma, "amplitude")
        check.plausible_unit("tau", "MembraneNoise", self.tau, "time constant")

    def propagator(self, tau_m, r_m, dt):
        """Exact one-step statistics of the noise for an LIF with tau_m (ms) and r_m (MΩ).

        Returns ``(current_decay, current_to_v, cholesky)``: the noise current (nA) decays by
        ``current_decay`` per step and moves V by ``current_to_v`` mV per nA over the step; the
        fresh Gaussian increments (ΔV in mV, ΔI in nA) are ``cholesky @ standard_normal(2)``.
        For white noise only ΔV exists: ``cholesky`` is then the 1×1 standard deviation.
        """
        tau_m, r_m = _membrane("MembraneNoise.propagator", tau_m, r_m)
        dt = check.positive("dt", "MembraneNoise.propagator", dt)
        if self.tau == 0.0:
            # V − mean is an OU process with time constant tau_m and stationary std sigma.
            return 0.0, 0.0, np.array([[self.sigma * math.sqrt(-math.expm1(-2 * dt / tau_m))]])

        tau = self.tau
        # dI = −I/tau dt + q dW with stationary std sigma_i; V feels r_m·I through tau_m. The
        # free V then has variance r_m² sigma_i² tau/(tau + tau_m), which must equal sigma², so
        # sigma_i = sigma/r_m · sqrt((tau + tau_m)/tau) and q² = 2 sigma_i²/tau. Everything is
        # computed for sigma = 1 and r_m = 1 (the current in mV) and scaled afterwards, and
        # q² = 2 (1 + tau_m/tau)/tau is split between factor and integrand so that no
        # intermediate overflows or underflows where the result does not (a tau of 1e-200 ms
        # or 1e300 ms, a sigma or r_m of 1e±300).
        kernel = lambda u: exp_current_to_voltage(1.0, tau_m, tau, u) if u > 0 else 0.0  # noqa: E731
        from scipy.integrate import (
            quad,  # imported on use: scipy.integrate is slow to import and most runs never need it
        )

        def integral(f):
            return quad(f, 0.0, dt, epsabs=0, epsrel=1e-13)[0]

        if tau >= 1.0:
            var_v = 2.0 * (1.0 + tau_m / tau) * integral(lambda u: kernel(u) ** 2 / tau)
        else:  # the kernel is of order tau: its square could underflow, its ratio to tau not
            var_v = 2.0 * (tau + tau_m) * integral(lambda u: (kernel(u) / tau) ** 2)
        cov = 2.0 * (1.0 + tau_m / tau) * integral(lambda u: kernel(u) / tau * math.exp(-u / tau))
        var_i = (1.0 + tau_m / tau) * -math.expm1(-2 * dt / tau)
        # The Cholesky factor of [[var_v, cov], [cov, var_i]] in closed form, through the
        # correlation (a factorisation routine fails where the determinant underflows).
        std_v, std_i = math.sqrt(var_v), math.sqrt(var_i)
        rho = min(1.0, max(-1.0, cov / std_v / std_i)) if std_v > 0 and std_i > 0 else 0.0
        to_current = self.sigma / r_m  # nA of noise current per mV of its effect, times sigma
        cholesky = np.array([[self.sigma * std_v, 0.0],
                             [to_current * std_i * rho, to_current * std_i * math.sqrt(1.0 - rho * rho)]])
        return (math.exp(-dt / tau), exp_current_to_voltage(r_m, tau_m, tau, dt), cholesky)

    def stationary_current_std(self, tau_m, r_m):
        """Standard deviation of the noise current, nA (0 for white noise)."""
        tau_m, r_m = _membrane("MembraneNoise.stationary_current_std", tau_m, r_m)
        return 0.0 if self.tau == 0.0 else self.sigma / r_m * math.sqrt(1.0 + tau_m / self.tau)

    def current_limits(self, tau_m, r_m):
        """Why this noise cannot drive an LIF with tau_m (ms) and r_m (MΩ), in words, or None.

        The noise current needs tau >= 1e-300·tau_m (its rate of decay relative to the
        membrane's must be a number) and a standard deviation of at most 1e300 nA.
        """
        tau_m, r_m = _membrane("MembraneNoise.current_limits", tau_m, r_m)
        if self.tau == 0.0 or self.sigma == 0.0:
            return None
        ratio = 1.0 + tau_m / self.tau
        current_std = self.sigma / r_m * math.sqrt(ratio) if math.isfinite(ratio) else math.inf
        if ratio <= 1e300 and current_std <= 1e300:
            return None
        return (f"a noise whose tau is at least 1e-300·tau_m and whose current, of standard "
                f"deviation sigma/r_m·sqrt(1 + tau_m/tau) = {current_std:.3g} nA with tau_m = "
                f"{tau_m:g} ms and r_m = {r_m:g} MΩ, is at most 1e300 nA (a larger r_m, a longer "
                f"tau or a smaller sigma)")


def _membrane(owner, tau_m, r_m):
    """The membrane time constant (ms) and resistance (MΩ) a noise is computed for, checked."""
    return check.positive("tau_m", owner, tau_m), check.positive("r_m", owner, r_m)


@dataclass(frozen=True)
class EscapeNoise:
    """Stochastic threshold: firing hazard ρ(V) = exp((V − v_th)/delta_u) / tau_esc.

    Parameters
    ----------
    delta_u : float
        Softness of the threshold, mV (> 0); the smaller, the closer to a hard threshold.
    tau_esc : float
        Time constant of the hazard at V = v_th, ms (> 0).
    """

    delta_u: float = 1.0
    tau_esc: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "delta_u", check.positive("delta_u", "EscapeNoise", self.delta_u))
        object.__setattr__(self, "tau_esc", check.positive("tau_esc", "EscapeNoise", self.tau_esc))
        check.plausible_unit("delta_u", "EscapeNoise", self.delta_u, "amplitude")
        check.plausible_unit("tau_esc", "EscapeNoise", self.tau_esc, "short time")

    def spike_probability(self, v, v_th, dt):
        """Probability of firing within a step of dt (ms) at potential v (mV)."""
        with np.errstate(over="ignore"):
            hazard = np.exp((np.asarray(v, dtype=float) - v_th) / self.delta_u) / self.tau_esc
        return -np.expm1(-hazard * dt)
