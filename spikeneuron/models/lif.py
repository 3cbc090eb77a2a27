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

import functools
import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from .. import _parallel
from .. import _validation as check
from ..exceptions import CoarseTimeStepWarning
from ..noise import EscapeNoise, MembraneNoise
from ..synapses import AlphaSynapse, CondExpSynapse, DeltaSynapse, ExpSynapse, as_synapse, exp_current_to_voltage
from . import lif_events, lif_synapses
from .stepping import advance_by_steps

__all__ = ["LIF"]


#: The unit of each parameter (spikeneuron._validation.UNIT_RANGES), for the wrong-unit warning.
_UNIT_KINDS = {"tau_m": "time constant", "t_ref": "short time", "r_m": "resistance", "v_rest": "potential",
               "v_reset": "potential", "v_th": "potential"}


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
    synapse : DeltaSynapse, ExpSynapse, AlphaSynapse, CondExpSynapse, or 'delta', 'exp', 'alpha', 'cond_exp'
        How input spikes act: a jump of V by the weight in mV (delta, default), a jump of an
        exponentially decaying current by the weight in nA (exp), an alpha-shaped current
        peaking at the weight in nA (alpha), or a jump of an exponentially decaying
        conductance by the weight in nS (cond_exp; the leak conductance is 1/r_m, e.g. 10 nS
        for r_m = 100 MΩ, and the capacitance tau_m/r_m).
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
    synapse: DeltaSynapse | ExpSynapse | AlphaSynapse | CondExpSynapse | str = field(
        default_factory=DeltaSynapse)
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
        set_(self, "synapse", as_synapse(self.synapse, owner, _SYNAPSES))
        if not isinstance(self.membrane_noise, (MembraneNoise, type(None))):
            check.wrong_type("membrane_noise", owner, "a MembraneNoise or None", self.membrane_noise)
        if not isinstance(self.escape_noise, (EscapeNoise, type(None))):
            check.wrong_type("escape_noise", owner, "an EscapeNoise or None", self.escape_noise)
        for name, kind in _UNIT_KINDS.items():
            check.plausible_unit(name, owner, getattr(self, name), kind)
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
        if not isinstance(self.synapse, DeltaSynapse):
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


#: The synapse kinds the LIF integrates.
_SYNAPSES = (DeltaSynapse, ExpSynapse, AlphaSynapse, CondExpSynapse)
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
    if isinstance(model.synapse, (ExpSynapse, AlphaSynapse)):
        kind = "exponential" if isinstance(model.synapse, ExpSynapse) else "alpha"
        currents += [(f"{kind} synapses with tau_ex = {model.synapse.tau_ex:g} ms",
                      model.synapse.tau_ex),
                     (f"{kind} synapses with tau_in = {model.synapse.tau_in:g} ms",
                      model.synapse.tau_in)]
    noise = model.membrane_noise
    if noise is not None and noise.tau > 0.0:
        currents.append((f"membrane noise with tau = {noise.tau:g} ms", noise.tau))
    for what, tau in currents:
        if dt / model.tau_m - dt / tau > _MAX_EXPONENT:
            bound = dt / (_MAX_EXPONENT + dt / tau)
            check.fail("tau_m", "LIF", f"at least {bound:.3g} ms with {what} at dt = {dt:g} ms "
                       f"(shorter, the exact propagator of that current overflows)", model.tau_m)


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
        syn = model.synapse
        self.recordable = {DeltaSynapse: ("v",), ExpSynapse: ("v", "i_syn_ex", "i_syn_in"),
                           AlphaSynapse: ("v", "i_syn_ex", "i_syn_in"),
                           CondExpSynapse: ("v", "g_ex", "g_in", "i_syn_ex", "i_syn_in")}[type(syn)]
        self.n = n
        self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
        self.refractory = np.zeros(n, dtype=np.int32)
        self.refractory_steps = model.refractory_steps(dt)
        self._work = np.empty(n)  # scratch space of the step, reused
        # Propagators depend only on parameters and dt: computed once per run.
        self.decay = math.exp(-dt / model.tau_m)
        self.current_gain = -model.r_m * math.expm1(-dt / model.tau_m)  # mV per nA
        self.exp_synapse = isinstance(syn, ExpSynapse)
        self.alpha_synapse = isinstance(syn, AlphaSynapse)
        self.cond_synapse = isinstance(syn, CondExpSynapse)
        # The synaptic state, one row per variable: exp, the currents (ex, in; nA); alpha, the
        # currents (ex, in; nA) and their rise variables y1 (ex, in; nA/ms); cond_exp, the
        # conductances g_ex, g_in (nS, both >= 0); delta, none (V jumps by the weight).
        self.i_syn = np.zeros(({DeltaSynapse: 0, ExpSynapse: 2, AlphaSynapse: 4,
                                CondExpSynapse: 2}[type(syn)], n))
        if self.exp_synapse:
            self.syn_decay = np.array([[math.exp(-dt / syn.tau_ex)], [math.exp(-dt / syn.tau_in)]])
            self.syn_to_v = np.array([
                [exp_current_to_voltage(model.r_m, model.tau_m, syn.tau_ex, dt)],
                [exp_current_to_voltage(model.r_m, model.tau_m, syn.tau_in, dt)],
            ])
            self._syn_work = np.empty((2, n))
        if self.alpha_synapse:
            # rows (ex, in): y1 and I decay, y1 → I, y1 → V, I → V, jump of y1 per nA
            self.alpha = np.array([lif_synapses.alpha_propagator(model.r_m, model.tau_m, tau, dt)
                                   for tau in (syn.tau_ex, syn.tau_in)])
        if self.cond_synapse:
            self.cond = lif_synapses.CondExpConstants(model, dt)
        self.noise = model.membrane_noise
        self._noise_streams = None
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

    # --- backends -------------------------------------------------------------------------

    @property
    def kernel_covered(self):
        """True when the compiled kernels cover this batch: a hard threshold, and no noise
        or white membrane noise (escape and coloured noise run on numpy)."""
        return self.model.escape_noise is None and (self.noise is None or self.noise.tau == 0.0)

    def use_backend(self, backend):
        """Advance with 'numpy' (the reference) or 'numba' (compiled kernels, many steps per
        call) where the kernels cover the model (:attr:`kernel_covered`); else numpy."""
        self.backend = backend if self.kernel_covered else "numpy"
        if self.backend == "numba":
            self._spiked = np.empty(self.n, dtype=bool)
            self._no_noise = np.empty((1, 0))
            self._no_input = np.zeros((1, 1, 1))  # never read: has_input is all False with it

    @property
    def kernel_recordable(self):
        """What the network kernel records (:data:`.lif_kernels.RECORD_CODES`): V and the
        synaptic state as stored, the currents of exp and alpha synapses or the conductances
        of cond_exp ones."""
        if self.cond_synapse:
            return ("v", "g_ex", "g_in")
        return ("v", "i_syn_ex", "i_syn_in") if self.i_syn.shape[0] else ("v",)

    @staticmethod
    def fused_network(groups, pathways):
        """The compiled runner of a network of LIF batches: every step of a chunk, every
        group and every delivery in one call (see :class:`.lif_kernels.NetworkRunner`)."""
        from . import lif_kernels

        return lif_kernels.NetworkRunner(groups, pathways)

    @property
    def _kernels(self):
        # numba is imported on the first compiled step, so that runs which never step (the
        # event-driven paths) pay neither its import time nor its memory
        from . import lif_kernels

        return lif_kernels

    @functools.cached_property
    def kernel_parameters(self):
        """The batch's constants as the kernels read them: one row of
        ``lif_kernels.N_PARAMETERS`` floats (computed once, on the first compiled step)."""
        k = self._kernels
        row = np.zeros(k.N_PARAMETERS)
        row[k.DECAY], row[k.V_REST] = self.decay, self.model.v_rest
        row[k.V_RESET], row[k.V_TH] = self.model.v_reset, self.model.v_th
        row[k.REFRACTORY_STEPS] = self.refractory_steps
        if self.exp_synapse:
            row[k.EXP_SYNAPSE] = 1.0
            row[k.SYN_DECAY_EX], row[k.SYN_DECAY_IN] = self.syn_decay[:, 0]
            row[k.TO_V_EX], row[k.TO_V_IN] = self.syn_to_v[:, 0]
        if self.alpha_synapse:
            row[k.ALPHA_SYNAPSE] = 1.0
            row[k.ALPHA:k.ALPHA + 10] = self.alpha.ravel()
        if self.cond_synapse:
            row[k.COND_SYNAPSE] = 1.0
            row[k.COND:k.N_PARAMETERS] = self.cond.as_row()
        if self.noise is not None:
            row[k.NOISE_STD] = self.noise_cholesky[0, 0]
        return row

    def kernel_drive(self, currents):
        """The current's part of the step, v_rest + r_m·I·(1 − e^{−dt/τ_m}) (mV), as a 2-D
        array the kernels index by (step, neuron): one row for a constant current, m for one
        row per step; one column where every neuron has the same current and the synapses are
        delta or exponential ones (the kernel then reads one number per step instead of n:
        at 10⁵ neurons, a fifth of a step's memory traffic), else n; rounded exactly as
        :meth:`step` rounds it."""
        # (the loops of alpha and conductance synapses read one drive per neuron)
        one = 1 if not (self.cond_synapse or isinstance(self.model.synapse, AlphaSynapse)) \
            else self.n
        if isinstance(currents, float):
            return np.full((1, one), self.model.v_rest + self.current_gain * currents)
        drive = np.multiply(currents, self.current_gain)
        drive += self.model.v_rest
        if drive.ndim == 1:
            drive = drive[None, :]
        if drive.shape[1] in (one, self.n):
            return np.ascontiguousarray(drive)
        return np.ascontiguousarray(np.broadcast_to(drive, (drive.shape[0], self.n)))

    def kernel_noise(self, steps):
        """Standard normals of ``steps`` steps, shape (steps, n), drawn from the very streams,
        in the very order, that :meth:`step` draws them one step at a time."""
        if self.noise is None:
            return self._no_noise
        if self._noise_streams is None:
            return self.rng.standard_normal((steps, self.n))
        noise = np.empty((steps, self.n))
        for stream, where in zip(self._noise_streams, self._noise_blocks):
            noise[:, where] = stream.standard_normal((steps, where.stop - where.start))
        return noise

    # --- event-driven paths ---------------------------------------------------------------

    @property
    def deterministic(self):
        """True without membrane or escape noise."""
        return self.noise is None and self.model.escape_noise is None

    def run_constant_current(self, current, n_steps):
        """Event-driven run of grid steps 1..n_steps under a constant current (nA) and no
        synaptic input; returns (spike steps, spike neurons), or None where it does not apply
        (noise, or synaptic current still flowing). See :mod:`.lif_events`."""
        if not self.deterministic or np.any(self.i_syn):
            return None
        return lif_events.run_constant_current(self, current, n_steps)

    @property
    def advances_blocks(self):
        """True when :meth:`advance_block` applies: one deterministic neuron, delta synapses."""
        return self.n == 1 and self.deterministic and not self.i_syn.shape[0]

    def advance_block(self, currents, synaptic, has_input):
        """Event-driven advance over a block of steps (same inputs as :meth:`step`, stacked
        along a first axis of steps); returns the offsets of the steps with a spike."""
        steps = has_input.size
        increments = np.zeros(steps)
        current = np.broadcast_to(np.asarray(currents, dtype=float).reshape(-1, 1)
                                  if np.ndim(currents) else currents, (steps, 1))[:, 0]
        if np.any(currents):
            increments += self.current_gain * current
        jumps = np.zeros(steps)
        if synaptic is not None:
            jumps = np.where(has_input, synaptic[:, 0, 0], 0.0)
            increments += jumps
        # the step's own parts (v_rest + r_m·I·(1 − e^{−dt/τ}), and the jumps): with them a
        # near tie with v_th is decided exactly as the step decides it
        drive = current * self.current_gain + self.model.v_rest
        return lif_events.advance_block(self, increments, drive=drive, jumps=jumps)

    # --- the step -------------------------------------------------------------------------

    def read(self, name):
        """Current values of a recordable state variable, shape (n,) (mV or nA)."""
        if name == "v":
            return self.v
        if name == "i_noise":
            return self.i_noise
        if self.cond_synapse:
            syn = self.model.synapse
            if name == "g_ex":
                return self.i_syn[0]
            if name == "g_in":
                return self.i_syn[1]
            # nS · mV = pA: the current into the neuron, nA
            if name == "i_syn_ex":
                return self.i_syn[0] * (syn.e_ex - self.v) / 1000.0
            return self.i_syn[1] * (syn.e_in - self.v) / 1000.0
        return self.i_syn[0 if name == "i_syn_ex" else 1]

    @property
    def initializable(self):
        """The state variables :meth:`set_state` sets (the potential is ``v_init``'s):
        the synaptic currents (nA) of exp and alpha synapses, the conductances (nS) of
        cond_exp ones."""
        if self.cond_synapse:
            return ("g_ex", "g_in")
        return ("i_syn_ex", "i_syn_in") if self.i_syn.shape[0] else ()

    def set_state(self, name, values):
        """Set a state variable of every neuron at t = 0 (an alpha current starts with its
        rise variable at 0; a conductance must be >= 0 nS)."""
        if self.cond_synapse and np.any(values < 0.0):
            check.fail(f"init[{name!r}]", "LIF", "conductances >= 0 nS",
                       f"a value of {values[values < 0.0][0]:g}")
        self.i_syn[0 if name in ("i_syn_ex", "g_ex") else 1] = values

    def advance(self, first_step, currents, synaptic, has_input, record=None):
        """Advance grid steps first_step .. first_step + m − 1 of a batch that nothing inside
        the run reaches (see :func:`.stepping.advance_by_steps` for the arguments and the
        result, whose spikes this reproduces exactly).

        One neuron without noise goes event-driven (:mod:`.lif_events`, whatever the backend:
        as fast as the kernel, without loading numba); with the 'numba' backend, compiled, all
        m steps in one call per block of neurons, the blocks over threads (recording anything
        but V falls back to one compiled call per step).
        """
        if record is None and self.advances_blocks:
            offsets = self.advance_block(currents, synaptic, has_input)
            return first_step + offsets, np.zeros(offsets.size, dtype=np.int64), None
        if self.backend != "numba" or (record is not None and (
                set(record[1]) != {"v"} or self._noise_streams is not None)):
            # records of other variables, or of a batch whose noise comes in several streams
            # (the kernel records from one block): one compiled call per step
            return advance_by_steps(self, first_step, currents, synaptic, has_input, record)
        return self._advance_compiled(first_step, currents, synaptic, has_input, record)

    def _advance_compiled(self, first_step, currents, synaptic, has_input, record):
        steps = has_input.size
        drive = self.kernel_drive(currents)
        parameters = self.kernel_parameters
        per_step_input = synaptic is not None
        if synaptic is None:
            synaptic, has_input = self._no_input, np.zeros(steps, dtype=bool)
        if record is not None:
            indices, traces = record
            trace = traces["v"]
            blocks = [slice(0, self.n)]  # one block: the recorded rows are written in order
        else:
            indices, trace = np.empty(0, dtype=np.int64), np.empty((0, 0))
            blocks = _parallel.blocks(self.n)
        per_step_drive = drive.shape[0] > 1
        found = [None] * len(blocks)

        def one_block(b):
            where = blocks[b]
            size = where.stop - where.start
            generator, noise = self.rng, self._no_noise
            if self.noise is not None:  # white: drawn in the kernel, from the step's streams
                generator = self.rng if self._noise_streams is None else self._noise_streams[b]
                noise = np.empty((1, size))
            capacity = max(4 * size, 4096)
            spike_steps = np.empty(capacity, dtype=np.int64)
            spike_neurons = np.empty(capacity, dtype=np.int64)
            parts, done = [], 0
            while done < steps:
                rest = slice(done, steps)
                did, written = self._kernels.advance(
                    first_step + done, steps - done, where.start, where.stop, self.v,
                    self.refractory, self.i_syn, parameters, drive[rest] if per_step_drive else drive,
                    generator, self.noise is not None, noise,
                    synaptic[rest] if per_step_input else synaptic, has_input[rest],
                    indices, trace[rest] if trace.shape[0] else trace, spike_steps,
                    spike_neurons, self._spiked)
                parts.append((spike_steps[:written].copy(), spike_neurons[:written].copy()))
                done += did
            found[b] = parts

        _parallel.run_blocks(one_block, len(blocks))
        pieces = [part for parts in found for part in parts]
        spike_steps = np.concatenate([part[0] for part in pieces])
        spike_neurons = np.concatenate([part[1] for part in pieces])
        if len(blocks) > 1:  # blocks come one after another: put the spikes in step order
            order = np.argsort(spike_steps, kind="stable")
            spike_steps, spike_neurons = spike_steps[order], spike_neurons[order]
        return spike_steps, spike_neurons, None

    def step(self, current, synaptic, *, propagate=True):
        """Advance all neurons by one step and return the boolean mask of neurons that fired.

        Parameters
        ----------
        current : float or ndarray, shape (n,)
            Injected current over the step that ends now, nA.
        synaptic : ndarray, shape (channels, n), or None
            Summed weights of the input spikes acting at this grid time: one row (mV jumps)
            for delta synapses, two rows (the sums of the positive and of the negative
            weights; nA for exp and alpha synapses, nS for cond_exp) for the others.
        propagate : bool
            False only for the grid time t = 0, where inputs act on the initial state.
        """
        if self.backend == "numba" and propagate:
            return self._kernel_step(current, synaptic)
        model, v = self.model, self.v
        if propagate:
            drive = self._step_drive(current)
            if self.cond_synapse:
                # the fourth-order conductance step (lif_synapses), then the exact decays
                u = v - model.v_rest
                v[...] = lif_synapses.cond_exp_step(self.cond, u, drive - model.v_rest, self.i_syn)
                v += drive
                self.i_syn[0] *= self.cond.decay_ex
                self.i_syn[1] *= self.cond.decay_in
            else:
                v -= model.v_rest
                v *= self.decay
                v += drive
            if self.exp_synapse:
                # each current's exact effect on V, added one after the other (the order the
                # compiled kernels use, so that both round alike)
                syn_work = self._syn_work
                np.multiply(self.syn_to_v, self.i_syn, out=syn_work)
                v += syn_work[0]
                v += syn_work[1]
                self.i_syn *= self.syn_decay
            if self.alpha_synapse:
                self._alpha_propagate(v)
            if self.noise is not None:
                self._add_noise(v)
        if synaptic is not None:
            if self.exp_synapse:
                self.i_syn += synaptic
            elif self.alpha_synapse:
                self.i_syn[2] += self.alpha[0, 4] * synaptic[0]
                self.i_syn[3] += self.alpha[1, 4] * synaptic[1]
            elif self.cond_synapse:
                self.i_syn[0] += synaptic[0]
                self.i_syn[1] -= synaptic[1]  # negative weights: |w| onto g_in
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

    def _step_drive(self, current):
        """v_rest + r_m·I·(1 − e^{−dt/τ_m}) for the step (mV): a number for a constant current,
        else an array (kept when the engine passes the same constant current twice)."""
        model = self.model
        if isinstance(current, float):  # a constant: skip the no-current case cheaply
            return model.v_rest + self.current_gain * current
        if current is self._drive_of and self._drive is not None:
            return self._drive  # the engine passes a constant current as the same array
        work = self._work
        np.multiply(current, self.current_gain, out=work)
        work += model.v_rest
        if current is self._drive_of:  # seen twice running: keep its drive
            self._drive = work.copy()
        else:
            self._drive_of, self._drive = current, None
        return work

    def _alpha_propagate(self, v):
        """The alpha currents' exact effect on V over the step, then their own update (NEST
        iaf_psc_alpha's order: V from the old y1 and I, then I, then y1)."""
        state, p = self.i_syn, self.alpha
        for kind in (0, 1):
            current, rise = state[kind], state[2 + kind]
            v += p[kind, 2] * rise
            v += p[kind, 3] * current
        for kind in (0, 1):
            current, rise = state[kind], state[2 + kind]
            current *= p[kind, 0]
            current += p[kind, 1] * rise
            rise *= p[kind, 0]

    def _kernel_step(self, current, synaptic):
        """:meth:`step` through the compiled kernel: the same operations in the same order."""
        if current is self._drive_of and self._drive is not None:
            drive = self._drive  # a constant current: the engine passes the same object
        else:
            drive = self.kernel_drive(current)
            seen = current is self._drive_of or isinstance(current, float)
            self._drive_of, self._drive = current, drive if seen else None
        self._kernels.step(self.v, self.refractory, self.i_syn, self.kernel_parameters, drive,
                           self.kernel_noise(1), self._no_input[0] if synaptic is None else synaptic,
                           synaptic is not None, self._spiked)
        return self._spiked

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
