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

    def propagator(self, tau_m, r_m, dt):
        """Exact one-step statistics of the noise for an LIF with tau_m (ms) and r_m (MΩ).

        Returns ``(current_decay, current_to_v, cholesky)``: the noise current (nA) decays by
        ``current_decay`` per step and moves V by ``current_to_v`` mV per nA over the step; the
        fresh Gaussian increments (ΔV in mV, ΔI in nA) are ``cholesky @ standard_normal(2)``.
        For white noise only ΔV exists: ``cholesky`` is then the 1×1 standard deviation.
        """
        if self.tau == 0.0:
            # V − mean is an OU process with time constant tau_m and stationary std sigma.
            return 0.0, 0.0, np.array([[self.sigma * math.sqrt(-math.expm1(-2 * dt / tau_m))]])
        from .models.lif import exp_current_to_voltage  # the same kernel as exp synapses

        # dI = −I/tau dt + q dW with stationary std sigma_i; V feels r_m·I through tau_m. The
        # free V then has variance r_m² sigma_i² tau/(tau + tau_m), which must equal sigma².
        sigma_i = self.sigma / r_m * math.sqrt((self.tau + tau_m) / self.tau)
        q2 = 2.0 * sigma_i**2 / self.tau
        kernel = lambda u: exp_current_to_voltage(r_m, tau_m, self.tau, u) if u > 0 else 0.0  # noqa: E731
        from scipy.integrate import quad  # imported on use: scipy.integrate is slow to import and most runs never need it

        var_v = q2 * quad(lambda u: kernel(u) ** 2, 0.0, dt, epsabs=0, epsrel=1e-13)[0]
        cov = q2 * quad(lambda u: kernel(u) * math.exp(-u / self.tau), 0.0, dt, epsabs=0, epsrel=1e-13)[0]
        var_i = sigma_i**2 * -math.expm1(-2 * dt / self.tau)
        covariance = np.array([[var_v, cov], [cov, var_i]])
        cholesky = np.linalg.cholesky(covariance) if self.sigma > 0 else np.zeros((2, 2))
        return (math.exp(-dt / self.tau), exp_current_to_voltage(r_m, tau_m, self.tau, dt), cholesky)

    def stationary_current_std(self, tau_m, r_m):
        """Standard deviation of the noise current, nA (0 for white noise)."""
        return 0.0 if self.tau == 0.0 else self.sigma / r_m * math.sqrt((self.tau + tau_m) / self.tau)


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

    def spike_probability(self, v, v_th, dt):
        """Probability of firing within a step of dt (ms) at potential v (mV)."""
        with np.errstate(over="ignore"):
            hazard = np.exp((np.asarray(v, dtype=float) - v_th) / self.delta_u) / self.tau_esc
        return -np.expm1(-hazard * dt)
