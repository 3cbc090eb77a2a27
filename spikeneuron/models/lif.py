"""Leaky integrate-and-fire neuron, integrated exactly on the time grid.

Sub-threshold dynamics (units: ms, mV, nA, MΩ, so that MΩ·nA = mV)::

    tau_m dV/dt = -(V - v_rest) + r_m (I(t) + I_syn(t))

With I piecewise constant over a step of length h, the solution over the step is exact
(Rotter & Diesmann 1999; NEST's ``iaf_psc_delta`` and ``iaf_psc_exp``)::

    V(t + h) = v_rest + (V(t) - v_rest) e^{-h/tau_m} + r_m I (1 - e^{-h/tau_m}) [+ synaptic terms]

so a sub-threshold trajectory equals the analytic solution at every grid point.

Grid conventions, as in NEST so that runs can be compared spike for spike:

* an input spike acting at grid time t_k is added (delta synapse: to V; exponential synapse:
  to the synaptic current) at t_k, and the threshold is checked after it;
* when V(t_k) >= v_th, a spike is recorded at t_k and V is reset to v_reset;
* the neuron is then refractory for the next round(t_ref/dt) steps, i.e. over (t_k, t_k + t_ref]:
  V is held at v_reset, and delta-synapse inputs arriving then are discarded (exponential
  synaptic currents keep decaying and keep receiving input, as in ``iaf_psc_exp``);
* the injected current's value at t_k acts over [t_k, t_k+1).
"""

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import _kernels, _parallel
from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning
from ..noise import EscapeNoise, MembraneNoise
from . import lif_events
from ..synapses import DeltaSynapse, ExpSynapse, as_synapse

__all__ = ["LIF"]


@dataclass(frozen=True)
class LIF:
    """Leaky integrate-and-fire neuron with exact sub-threshold integration.

    Parameters
    ----------
    tau_m : float
        Membrane time constant, ms (> 0).
    v_rest : float
        Resting potential (leak reversal), mV.
    v_reset : float
        Potential after a spike, mV (< v_th).
    v_th : float
        Firing threshold, mV.
    t_ref : float
        Absolute refractory period, ms (>= 0); rounded to whole time steps.
    r_m : float
        Membrane resistance, MΩ (> 0): a current of I nA moves the steady state by r_m·I mV.
    synapse : DeltaSynapse, ExpSynapse, 'delta' or 'exp'
        How input spikes act: a jump of V by the weight in mV (delta, default) or a jump of an
        exponentially decaying current by the weight in nA (exp).
    membrane_noise : MembraneNoise or None
        A noisy input current giving the free potential a standard deviation ``sigma`` (mV).
    escape_noise : EscapeNoise or None
        A stochastic threshold replacing the hard one: hazard exp((V − v_th)/Δu)/τ_esc.

    Examples
    --------
    >>> neuron = LIF(tau_m=20.0, v_th=-50.0)
    >>> neuron.with_(t_ref=5.0).t_ref
    5.0
    """

    tau_m: float = 10.0
    v_rest: float = -70.0
    v_reset: float = -70.0
    v_th: float = -55.0
    t_ref: float = 2.0
    r_m: float = 10.0
    synapse: DeltaSynapse | ExpSynapse | str = field(default_factory=DeltaSynapse)
    membrane_noise: MembraneNoise | None = None
    escape_noise: EscapeNoise | None = None

    def __post_init__(self):
        owner = "LIF"
        set_ = object.__setattr__  # frozen: parameters are converted once, here
        set_(self, "tau_m", check.positive("tau_m", owner, self.tau_m))
        set_(self, "t_ref", check.non_negative("t_ref", owner, self.t_ref))
        set_(self, "r_m", check.positive("r_m", owner, self.r_m))
        for name in ("v_rest", "v_reset", "v_th"):
            set_(self, name, check.real(name, owner, getattr(self, name)))
        if self.v_reset >= self.v_th:
            check.fail("v_reset", owner, f"below v_th = {self.v_th:g} mV", self.v_reset)
        for name, other in (("v_th", "v_rest"), ("v_reset", "v_rest"), ("v_th", "v_reset")):
            if not math.isfinite(getattr(self, name) - getattr(self, other)):  # the integrator works on V − v_rest
                check.fail(name, owner, f"a finite distance (in floating point) from {other} = "
                           f"{getattr(self, other):g} mV", getattr(self, name))
        set_(self, "synapse", as_synapse(self.synapse, owner))
        if not isinstance(self.membrane_noise, (MembraneNoise, type(None))):
            check.wrong_type("membrane_noise", owner, "a MembraneNoise or None", self.membrane_noise)
        if not isinstance(self.escape_noise, (EscapeNoise, type(None))):
            check.wrong_type("escape_noise", owner, "an EscapeNoise or None", self.escape_noise)
        if self.membrane_noise is not None:
            limits = self.membrane_noise.current_limits(self.tau_m, self.r_m)
            if limits is not None:
                check.fail("membrane_noise", owner, limits, self.membrane_noise)

    def with_(self, **changes):
        """A copy of this model with some parameters changed (the model itself is immutable)."""
        from dataclasses import replace

        return replace(self, **changes)

    @property
    def time_constants(self):
        """The model's time constants by name, ms (used to judge the time step)."""
        constants = {"tau_m": self.tau_m}
        if isinstance(self.synapse, ExpSynapse):
            constants.update(tau_ex=self.synapse.tau_ex, tau_in=self.synapse.tau_in)
        if self.membrane_noise is not None and self.membrane_noise.tau > 0:
            constants["membrane_noise.tau"] = self.membrane_noise.tau
        return constants

    def refractory_steps(self, dt):
        """Number of whole steps of length dt (ms) that the refractory period lasts."""
        # Halves round up, not to even; the ratio is nudged by 1e-9 of a step because
        # 2.05 / 0.1 is 20.499999999999996 in binary floating point (and 0.15 / 0.1 is
        # 1.4999999999999998): a t_ref that is a half step in decimal counts as one.
        steps = math.floor(self.t_ref / dt + 0.5 + 1e-9)
        if not math.isclose(steps * dt, self.t_ref, rel_tol=1e-9, abs_tol=1e-12):
            warnings.warn(
                f"t_ref = {self.t_ref:g} ms is not a multiple of dt = {dt:g} ms; the neuron is "
                f"refractory for {steps} steps ({steps * dt:g} ms).",
                CoarseTimeStepWarning, stacklevel=4,
            )
        return steps

    def integrator(self, dt, n, v_init=None, rng=None):
        """A batch integrator for n neurons at time step dt (ms), starting from v_init (mV;
        default v_rest); ``rng`` (numpy Generator) drives the noise models, if any.

        Raises a ValidationError, before anything runs, where the exact propagators at this dt
        cannot be computed (a tau_m thousands of times shorter than dt with exponential
        synapses or coloured noise)."""
        dt, n, v_init = check.integrator_arguments("LIF.integrator", dt, n, v_init)
        _check_propagators(self, dt)
        return LIFIntegrator(self, dt, n, self.v_rest if v_init is None else v_init,
                             rng if rng is not None else np.random.default_rng())


#: Largest exponent a propagator may compute: e^700 ≈ 1e304 (math.exp overflows above 709.78).
_MAX_EXPONENT = 700.0
#: Refractory periods are counted in steps by a 32-bit integer.
_MAX_REFRACTORY_STEPS = 2**31 - 1


def _check_propagators(model, dt):
    """Refuse a tau_m for which an exact propagator of a current at step dt (ms) overflows,
    and a t_ref longer than the refractory counter can count.

    The voltage kernel of a current decaying with time constant tau (exponential synapses, a
    coloured membrane noise) is computed through e^{dt (1/tau_m − 1/tau)}: it overflows when
    tau_m is shorter than dt/(700 + dt/tau), i.e. some 0.00014 ms at dt = 0.1 ms.
    """
    if model.t_ref / dt >= _MAX_REFRACTORY_STEPS:
        check.fail("t_ref", "LIF", f"at most {_MAX_REFRACTORY_STEPS - 1:d} steps of dt = {dt:g} ms "
                   f"({(_MAX_REFRACTORY_STEPS - 1) * dt:.4g} ms; the refractory counter is a "
                   f"32-bit integer)", model.t_ref)
    currents = []
    if isinstance(model.synapse, ExpSynapse):
        currents += [(f"exponential synapses with tau_ex = {model.synapse.tau_ex:g} ms",
                      model.synapse.tau_ex),
                     (f"exponential synapses with tau_in = {model.synapse.tau_in:g} ms",
                      model.synapse.tau_in)]
    noise = model.membrane_noise
    if noise is not None and noise.tau > 0.0:
        currents.append((f"membrane noise with tau = {noise.tau:g} ms", noise.tau))
    for what, tau in currents:
        if dt / model.tau_m - dt / tau > _MAX_EXPONENT:
            bound = dt / (_MAX_EXPONENT + dt / tau)
            check.fail("tau_m", "LIF", f"at least {bound:.3g} ms with {what} at dt = {dt:g} ms "
                       f"(shorter, the exact propagator of that current overflows)", model.tau_m)


def exp_current_to_voltage(r_m, tau_m, tau_syn, dt):
    """Exact contribution to V after one step of a unit exponential current (mV per nA).

    The integral r_m/tau_m ∫_0^h e^{-(h-s)/tau_m} e^{-s/tau_syn} ds, written as
    r_m (h/tau_m) e^{-h/tau_m} · expm1(a)/a with a = h (1/tau_m - 1/tau_syn), which stays
    accurate when tau_syn approaches tau_m (the classic formula divides by tau_syn - tau_m).
    """
    a = dt * (1.0 / tau_m - 1.0 / tau_syn)
    ratio = math.expm1(a) / a if abs(a) > 1e-12 else 1.0 + a / 2.0
    return r_m * (dt / tau_m) * math.exp(-dt / tau_m) * ratio


class LIFIntegrator:
    """State and exact one-step update of a batch of LIF neurons (arrays of shape (n,)).

    Attributes
    ----------
    v : ndarray, shape (n,)
        Membrane potentials, mV.
    refractory : ndarray of int, shape (n,)
        Steps of refractoriness left.
    """

    def __init__(self, model, dt, n, v_init, rng):
        self.model, self.dt, self.rng = model, dt, rng
        self.recordable = ("v", "i_syn_ex", "i_syn_in") if isinstance(model.synapse, ExpSynapse) else ("v",)
        self.n = n
        self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
        self.refractory = np.zeros(n, dtype=np.int32)
        self.refractory_steps = model.refractory_steps(dt)
        self._work = np.empty(n)  # scratch space of the step, reused
        # Propagators depend only on parameters and dt: computed once per run.
        self.decay = math.exp(-dt / model.tau_m)
        self.current_gain = -model.r_m * math.expm1(-dt / model.tau_m)  # mV per nA
        self.exp_synapse = isinstance(model.synapse, ExpSynapse)
        if self.exp_synapse:
            syn = model.synapse
            self.i_syn = np.zeros((2, n))  # excitatory, inhibitory synaptic currents, nA
            self.syn_decay = np.array([[math.exp(-dt / syn.tau_ex)], [math.exp(-dt / syn.tau_in)]])
            self.syn_to_v = np.array([
                [exp_current_to_voltage(model.r_m, model.tau_m, syn.tau_ex, dt)],
                [exp_current_to_voltage(model.r_m, model.tau_m, syn.tau_in, dt)],
            ])
        self.noise = model.membrane_noise
        if self.noise is not None:
            self.noise_decay, self.noise_to_v, self.noise_cholesky = self.noise.propagator(
                model.tau_m, model.r_m, dt)
            # The noise current starts in its stationary distribution.
            self.i_noise = rng.normal(0.0, self.noise.stationary_current_std(model.tau_m, model.r_m), n)
            self.recordable += ("i_noise",)
            self._fresh = np.empty((1 if self.noise.tau == 0.0 else 2, n))
            # Large white-noise batches draw block by block over threads, each block from its
            # own stream (fixed by n alone, so the spikes do not depend on the thread count).
            self._noise_blocks = _parallel.blocks(n)
            self._noise_streams = (_parallel.block_generators(rng, len(self._noise_blocks))
                                   if len(self._noise_blocks) > 1 and self.noise.tau == 0.0 else None)
        self._drive_of, self._drive = None, None  # the constant drive of the last current seen
        self.backend = "numpy"

    def use_backend(self, backend):
        """Advance with 'numpy' (the reference) or 'numba' (one compiled pass per step) where
        the kernel covers the model (hard threshold; no noise or white noise); else numpy."""
        covered = self.model.escape_noise is None and (self.noise is None or self.noise.tau == 0.0)
        self.backend = backend if covered else "numpy"
        if self.backend == "numba":
            n = self.n
            self._spiked = np.empty(n, dtype=bool)
            self._no_input = np.empty((0, n))
            self._no_noise = np.empty(0)
            self._i_syn_kernel = self.i_syn if self.exp_synapse else np.empty((0, n))
            self._syn_decay_kernel = self.syn_decay[:, 0].copy() if self.exp_synapse else np.ones(2)
            self._syn_to_v_kernel = self.syn_to_v[:, 0].copy() if self.exp_synapse else np.zeros(2)
            self._scalar_drive = (None, None)

    @property
    def deterministic(self):
        """True without membrane or escape noise."""
        return self.noise is None and self.model.escape_noise is None

    def run_constant_current(self, current, n_steps):
        """Event-driven run of grid steps 1..n_steps under a constant current (nA) and no
        synaptic input; returns (spike steps, spike neurons), or None where it does not apply
        (noise, or synaptic current still flowing). See :mod:`.lif_events`."""
        if not self.deterministic or (self.exp_synapse and np.any(self.i_syn)):
            return None
        return lif_events.run_constant_current(self, current, n_steps)

    @property
    def advances_blocks(self):
        """True when :meth:`advance_block` applies: one deterministic neuron, delta synapses."""
        return self.n == 1 and self.deterministic and not self.exp_synapse

    def advance_block(self, currents, synaptic, has_input):
        """Event-driven advance over a block of steps (same inputs as :meth:`step`, stacked
        along a first axis of steps); returns the offsets of the steps with a spike."""
        increments = np.zeros(has_input.size)
        if np.any(currents):
            increments += self.current_gain * np.broadcast_to(currents, (has_input.size, 1))[:, 0]
        if synaptic is not None:
            increments += synaptic[:, 0, 0]
        return lif_events.advance_block(self, increments)

    def read(self, name):
        """Current values of a recordable state variable, shape (n,) (mV or nA)."""
        if name == "v":
            return self.v
        if name == "i_noise":
            return self.i_noise
        return self.i_syn[0 if name == "i_syn_ex" else 1]

    def step(self, current, synaptic, *, propagate=True):
        """Advance all neurons by one step and return the boolean mask of neurons that fired.

        Parameters
        ----------
        current : float or ndarray, shape (n,)
            Injected current over the step that ends now, nA.
        synaptic : ndarray, shape (channels, n), or None
            Summed weights of the input spikes acting at this grid time: one row (mV jumps)
            for delta synapses, two rows (excitatory, inhibitory; nA) for exponential ones.
        propagate : bool
            False only for the grid time t = 0, where inputs act on the initial state.
        """
        if self.backend == "numba" and propagate:
            return self._kernel_step(current, synaptic)
        model, v, work = self.model, self.v, self._work
        if propagate:
            v -= model.v_rest
            v *= self.decay
            if isinstance(current, float):  # a constant: skip the no-current case cheaply
                v += model.v_rest + self.current_gain * current
            elif current is self._drive_of and self._drive is not None:
                v += self._drive  # the engine passes a constant current as the same array
            else:
                np.multiply(current, self.current_gain, out=work)
                work += model.v_rest
                v += work
                if current is self._drive_of:  # seen twice running: keep its drive
                    self._drive = work.copy()
                else:
                    self._drive_of, self._drive = current, None
            if self.exp_synapse:
                # both currents' exact effect on V in one product: (2,) @ (2, n) -> (n,)
                np.matmul(self.syn_to_v[:, 0], self.i_syn, out=work)
                v += work
                self.i_syn *= self.syn_decay
            if self.noise is not None:
                self._add_noise(v)
        if synaptic is not None:
            if self.exp_synapse:
                self.i_syn += synaptic
            else:
                v += synaptic[0]
        held = None
        if self.refractory_steps:
            held = self.refractory > 0
            if held.any():
                np.copyto(v, model.v_reset, where=held)
                self.refractory -= held
        if model.escape_noise is None:
            spiked = v >= model.v_th
        else:
            chance = model.escape_noise.spike_probability(v, model.v_th, self.dt)
            spiked = self.rng.random(self.n) < chance
            if held is not None:
                spiked &= ~held
        if spiked.any():
            np.copyto(v, model.v_reset, where=spiked)
            np.copyto(self.refractory, self.refractory_steps, where=spiked)
        return spiked

    def _kernel_step(self, current, synaptic):
        """:meth:`step` through the compiled kernel: the same operations in the same order."""
        model = self.model
        if isinstance(current, float):
            if self._scalar_drive[0] != current:
                self._scalar_drive = (current, np.full(self.n, model.v_rest + self.current_gain * current))
            drive = self._scalar_drive[1]
        elif current is self._drive_of and self._drive is not None:
            drive = self._drive
        else:
            drive = self._work
            np.multiply(current, self.current_gain, out=drive)
            drive += model.v_rest
            if current is self._drive_of:
                self._drive = drive.copy()
            else:
                self._drive_of, self._drive = current, None
        noise, noise_std = self._no_noise, 0.0
        if self.noise is not None:
            noise, noise_std = self._draw_white_noise(), self.noise_cholesky[0, 0]
        _kernels.lif_step()(self.v, self.refractory, self._i_syn_kernel, self._syn_decay_kernel,
                          self._syn_to_v_kernel, self.decay, model.v_rest, drive, noise,
                          noise_std, self._no_input if synaptic is None else synaptic,
                          not self.exp_synapse, model.v_reset, model.v_th,
                          self.refractory_steps, self._spiked)
        return self._spiked

    def _draw_white_noise(self):
        """Standard normal numbers of this step, from the same streams as the numpy path."""
        fresh = self._fresh[0]
        if self._noise_streams is None:
            self.rng.standard_normal(out=fresh)
        else:
            def one_block(i):
                self._noise_streams[i].standard_normal(out=fresh[self._noise_blocks[i]])

            _parallel.run_blocks(one_block, len(self._noise_blocks))
        return fresh

    def _add_noise(self, v):
        """Exact update of the noise: its drive on V over the step plus fresh increments."""
        fresh = self._fresh
        if self.noise.tau == 0.0:
            std = self.noise_cholesky[0, 0]
            if self._noise_streams is None:
                self.rng.standard_normal(out=fresh[0])
                fresh[0] *= std
                v += fresh[0]
                return

            def one_block(i):
                where = self._noise_blocks[i]
                block = fresh[0, where]
                self._noise_streams[i].standard_normal(out=block)
                block *= std
                v[where] += block

            _parallel.run_blocks(one_block, len(self._noise_blocks))
            return
        self.rng.standard_normal(out=fresh)
        fresh = self.noise_cholesky @ fresh
        v += self.noise_to_v * self.i_noise + fresh[0]
        self.i_noise *= self.noise_decay
        self.i_noise += fresh[1]
