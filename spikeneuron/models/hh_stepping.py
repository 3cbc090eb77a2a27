"""Stepping a batch of Hodgkin–Huxley neurons (:class:`HHIntegrator`), numpy reference and the
compiled kernel's driver.

Integration: a Strang splitting of the vector field into the voltage equation (gates frozen)
and the gate equations (V frozen), each solved exactly over its sub-step, because each is
linear in its own variable:

* gates, V frozen: x ← x∞ + (x - x∞) e^{-h (alpha + beta)} (exponential Euler, exact);
* V, conductances frozen: V ← V∞ + (V - V∞) e^{-h g_tot / c_m}, with
  g_tot = g_na m³h + g_k n⁴ + g_l and V∞ = (Σ g_i e_i + I) / g_tot (exact).

Half a gate step, a full V step, half a gate step: the symmetric composition is second order
(the error of one step is O(h³), so errors over a fixed time are O(h²)), and the two half gate
steps of consecutive time steps, taken at the same V, merge into one. So each step costs one
evaluation of the rate functions, as in the staggered scheme of NEURON (Hines 1984), where the
gates live half a step after V; the integer-time gates are read half a step back. Both sub-flows
are exponentials, so the scheme is stable for any step (no explicit-Euler blow-up at the fast
sodium activation) and keeps every gate in [0, 1]. Measured against solve_ivp (DOP853, rtol
1e-10; tests/test_hh.py): under 10 µA/cm² the first spike time is off by 2.5e-4 ms at
h = 0.01 ms, and the seventh, after 100 ms of repetitive firing, by 4.7e-3 ms (2.9e-2 ms at
h = 0.025 ms), i.e. about 47 ms⁻¹ · h²; the fitted order is 2.00.

Sub-steps (``TraubMiles(substeps=k)``; the classic model takes none): a neuron whose V at the
start of a step lies above a level (``substep_above``, −60 mV) takes that step as k Strang
steps of h = dt / k: from the gates read back to the grid time, half a sub-step of
gates, then k times V over h and the gates over h (the last one shortened to h/2, after which
the gates go on over dt/2 with the rates of the main step at the new V, so the staggered state
of the grid is as without sub-steps). The conductances enter each sub-step by their mean over
it, and jump only at grid times, as before. Each sub-step is a Strang step, so the scheme stays
second order in dt, with the local error of the neurons near and above threshold divided by k²:
there the fast sodium activation (1/(alpha_m + beta_m) ≈ 0.1 ms, as long as the
benchmark's step) makes the splitting error decide whether a near-threshold upswing becomes a
spike. The crossing of ``v_detect`` is interpolated inside its sub-step. With the backend
'numba' a batch too large for the kernel's single steps (``KERNEL_STEP_BELOW``) steps on numpy
and hands its sub-stepped neurons to the kernel (on W8's network 3.6 s against 4.9 s for
100 ms with all sub-steps on numpy; 1.1 s without sub-steps); TraubMiles batches step on the
kernel at every size (``TRAUB_KERNEL_STEP_BELOW``), the sub-stepped neurons of each step
gathered into vectorised passes of their own (hh_kernels._substep_pass).

A delta-synapse input is an event at its grid time: the gates reach the grid time at the
potential before the jump and leave it at the potential after (the splitting with the event
between its two halves, one more rate evaluation on steps with such inputs), so inputs cost no
order of accuracy. Exponential synaptic currents are exact between inputs, and their mean over
each step drives V.

Spikes are upward crossings of ``v_detect``, located by linear interpolation of V between grid
points (an O(h²) error, the same order as the integration). A neuron fires again only after V
has fallen back below ``v_detect``. There is no reset: the spike, its refractoriness and its
after-hyperpolarisation come from the channels.

Backends. The numpy step is the reference. With the backend 'numba' a compiled kernel advances
whole chunks of steps of a population that no projection reaches
(:meth:`HHIntegrator.advance`, blocks of neurons over threads), and single steps of small
batches; it performs the same operations, but takes the six rates from two shared
exponentials instead of six (see the notes above ``_E_SHIFT``).
"""

import numpy as np

from .. import _kernels
from .. import _validation as check
from ..synapses import CondExpSynapse, ExpSynapse
from .hh_compiled import CompiledStepping
from .hh_kernels import _advance_kernel, _rates_kernel
from .stepping import advance_by_steps

__all__ = ["HHIntegrator"]


#: Batches smaller than this take the kernel for a single :meth:`HHIntegrator.step` (what a
#: network calls per grid step) with backend 'numba'; larger ones take numpy. numpy's step
#: costs ~45 array calls whatever n, then less per neuron than the kernel's scalar libm exp
#: (numpy's exp is vectorised); measured per step, kernel against numpy: 8.6 against 23 µs at
#: n = 100, 19 against 29 at 300, 35 against 38 at 600, 55 against 48 at 1000, 110 against 80
#: at 2000. Threads do not help a single step: their hand-over costs more than it saves (132 µs
#: a step at n = 1000 in two blocks).
KERNEL_STEP_BELOW = 600
#: TraubMiles batches take the kernel at every size: its vectorised passes (the Traub–Miles
#: rates from the kernel's exp, the sub-stepped neurons gathered into passes of their own)
#: beat numpy's step at every size measured. COBAHH 200 ms at load 2.6, fused kernel against
#: numpy's steps (with the sub-stepped neurons by the kernel): 1000 neurons 0.14 against
#: 1.02 s (8 sub-steps), 0.11 against 0.35 s (plain); 4000 neurons 1.05 against 2.90 s and
#: 0.48 against 0.92 s.
TRAUB_KERNEL_STEP_BELOW = np.inf


class HHIntegrator(CompiledStepping):
    """State and one-step update of a batch of Hodgkin–Huxley neurons (arrays of shape (n,)).

    The gates are held half a step ahead of V (see the module docstring); :meth:`read` returns
    them at the grid time.

    Attributes
    ----------
    v : ndarray, shape (n,)
        Membrane potentials, mV.
    spike_lag : ndarray, shape (n,)
        For the neurons that fired at the last step: how long before the grid time the upward
        crossing of ``v_detect`` happened, ms (in [0, dt)).
    backend : str
        'numpy' (the reference) or 'numba' (see :meth:`use_backend`).
    """

    # Gate rows: m, n, h. The first two have opening rates of the form c x / (1 - e^{-x}).
    _GATES = {"m": 0, "n": 1, "h": 2}

    #: What the rates of the kernel are (0: the classic model's; TraubMiles sets 1).
    _KERNEL_RATES = 0
    #: Injected and synaptic currents (the model's current unit) to the unit of c_m·dV/dt
    #: (conductance × mV): 1 for the per-cm² units of the classic model.
    _CURRENT_SCALE = 1.0
    #: Neurons whose potential at the start of a step lies above this level (mV) take the
    #: step in ``_SUBSTEPS`` Strang sub-steps (see the module docstring and
    #: :meth:`_substep_v`); the classic model never. TraubMilesIntegrator sets them from the
    #: model's ``substep_above`` and ``substeps``.
    _SUBSTEP_ABOVE = np.inf
    _SUBSTEPS = 1
    _SUBSTEP_BY_KERNEL = True

    def __init__(self, model, dt, n, v_init):
        self.model, self.dt, self.n = model, dt, n
        # Two synaptic state rows (excitatory, inhibitory) for exponential currents and for
        # exponential conductances alike; ``conductance`` says which.
        self.conductance = isinstance(model.synapse, CondExpSynapse)
        self.exp_synapse = self.conductance or isinstance(model.synapse, ExpSynapse)
        self.recordable = ("v", "m", "h", "n", "i_na", "i_k", "i_l") + (
            ("g_ex", "g_in", "i_syn") if self.conductance else
            ("i_syn_ex", "i_syn_in") if self.exp_synapse else ())
        if v_init is None:
            rest = model.resting_state()
            self.v = np.full(n, rest.v)
            gates = np.array([[rest.m], [rest.n], [rest.h]])
        else:
            self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
            m, h, n_gate = model.steady_state_gates(self.v)
            gates = np.array([m, n_gate, h])
        self.gates = np.array(np.broadcast_to(gates, (3, n)))  # half a step ahead of v
        self.spike_lag = np.zeros(n)
        self._previous = np.empty(n)  # V at the last grid time, after its inputs
        # Work arrays, reused every step. Constants that multiply whole rows are stored as
        # full (rows, n) arrays: numpy broadcasts a column (k, 1) against a row several times
        # slower than it combines two contiguous arrays.
        self._rates = np.empty((6, n))  # alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h; 1/ms
        self._prepare_rates(n)
        self._gate_inf, self._half = np.empty((3, n)), np.empty((3, n))
        self._factor = np.empty((3, n))
        self._squares, self._other = np.empty((2, n)), np.empty((2, n))
        self._conductance = np.empty((2, n))
        self._totals = np.empty((2, n))
        # The leak conductance (mS/cm²) and the leak's drive plus the injected current (µA/cm²)
        # for the current last seen: an array passed again (the same object) is taken to be
        # unchanged, so that a constant current costs no call per step.
        self._leak, self._leak_of = np.empty((2, n)), None
        self._leak[0] = model.g_l
        self._half_dt = -0.5 * dt
        self._max_conductances = np.repeat([[model.g_na], [model.g_k]], n, axis=1)
        self._reversals = np.repeat([[model.e_na], [model.e_k]], n, axis=1)
        self._leak_drive = model.g_l * model.e_l  # µA/cm²
        self._v_decay_per_g = -dt / model.c_m  # times g_tot: the exponent of the V update
        if self.exp_synapse:
            syn = model.synapse
            # excitatory, inhibitory synaptic currents (the model's current unit) or
            # conductances (its conductance unit)
            self.i_syn = np.zeros((2, n))
            taus = np.array([[syn.tau_ex], [syn.tau_in]])
            self._syn_decay = np.exp(-dt / taus)
            self._syn_mean = -np.expm1(-dt / taus) * taus / dt  # step mean of a unit decay
            if not self.conductance:
                self._syn_mean *= self._CURRENT_SCALE
            self._syn_work = np.empty((2, n))
            # full (2, n) rows: numpy combines contiguous arrays faster than it broadcasts
            self._syn_mean_rows = np.repeat(self._syn_mean, n, axis=1)
            self._syn_decay_rows = np.repeat(self._syn_decay, n, axis=1)
            if self.conductance:
                self._reversal_rows = np.repeat([[syn.e_ex], [syn.e_in]], n, axis=1)
        if self._SUBSTEPS > 1:
            self._prepare_substeps()
        self._integer_gates = self.gates.copy()  # until the first step: the initial gates
        self._started = False  # the gates are put half a step ahead at the first step
        self.backend = "numpy"

    def _prepare_rates(self, n):
        """Constants of the rate functions, computed once per run (see :meth:`_compute_rates`)."""
        # Rows 0-1 hold -x of alpha_m = x/(1-e^{-x}), x = (V+40)/10, and of
        # alpha_n = 0.1 x/(1-e^{-x}), x = (V+55)/10; rows 2-5 the exponents of alpha_h, beta_m,
        # beta_n and of e^{-(V+35)/10} in beta_h, with the prefactors 0.07, 4 and 0.125 moved
        # into the exponent (c e^{a} = e^{a + ln c}).
        slopes = np.array([-0.1, -0.1, -1 / 20, -1 / 18, -1 / 80, -0.1])
        offsets = np.array([-4.0, -5.5, -65 / 20 + np.log(0.07), -65 / 18 + np.log(4.0),
                            -65 / 80 + np.log(0.125), -3.5])
        self._slopes = np.repeat(slopes[:, None], n, axis=1)
        self._offsets = np.repeat(offsets[:, None], n, axis=1)
        self._arguments = np.empty((6, n))

    def use_backend(self, backend):
        """Advance with 'numpy' (the reference) or 'numba' (compiled kernels, numba must be
        installed: :meth:`advance` always, :meth:`step` for batches under
        ``KERNEL_STEP_BELOW`` neurons).

        The kernel repeats the numpy step operation for operation, except that it computes the
        six rates from two exponentials instead of six (see the notes above ``_E_SHIFT``; they
        agree to 1.4e-14 relative), and that its exp is its own (hh_kernels._exp, within two
        units in the last place, so that its loops vectorise), which may differ from
        numpy's in the last bit: the two backends give the same spikes, with potentials and
        spike lags equal to about 1e-12 (tests/test_hh_kernel.py).
        """
        if backend not in _kernels.BACKENDS:
            check.fail("backend", "HHIntegrator.use_backend", "'numpy' or 'numba'", backend)
        self.backend = backend
        if backend == "numba":
            n = self.n
            self._spiked = np.empty(n, dtype=bool)
            self._one_step = (np.zeros(1, dtype=bool), np.ones(1, dtype=bool))
            self._no_synaptic = np.empty((0, 2 if self.exp_synapse else 1, n))
            self._i_syn_kernel = self.i_syn if self.exp_synapse else np.empty((0, n))
            self._step_buffers = (np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64),
                                  np.empty(n))
            self._not_recorded = self._kernel_record(None, 1)
            self._constants = self._kernel_constants()
            self._scalar_current = (None, None)

    # --- reading --------------------------------------------------------------------------

    def read(self, name):
        """Current values of a recordable variable, shape (n,): v (mV), gates m, h, n at the
        grid time, ionic currents i_na, i_k, i_l (the model's current unit, µA/cm² for the
        classic model, positive outward), the synaptic currents i_syn_ex, i_syn_in (the same
        unit), or with conductance synapses g_ex, g_in (the model's conductance unit) and
        i_syn, the synaptic current into the neuron, g_ex (e_ex − V) + g_in (e_in − V)."""
        if name == "v":
            return self.v
        if name in ("i_syn_ex", "i_syn_in", "g_ex", "g_in"):
            return self.i_syn[0 if name in ("i_syn_ex", "g_ex") else 1]
        if name == "i_syn":
            return self.model.i_syn(self.v, self.i_syn[0], self.i_syn[1])
        if self._integer_gates is None:
            # half a step back from the stored gates: x∞ + (x - x∞) e^{-(alpha+beta) h/2}
            self._integer_gates = self._gate_inf + self._half
        m, n, h = self._integer_gates
        if name in self._GATES:
            return self._integer_gates[self._GATES[name]]
        if name == "i_na":
            return self.model.i_na(self.v, m, h)
        if name == "i_k":
            return self.model.i_k(self.v, n)
        return self.model.i_l(self.v)

    # --- the fused network runner (engine.py asks for it) ---------------------------------

    @property
    def kernel_covered(self):
        """Whether a network's fused runner should take this batch: below
        ``KERNEL_STEP_BELOW`` neurons, where the kernel beats numpy's step (any synapse; it
        records everything :meth:`read` reads). Measured on COBAHH (dt 0.1 ms, 200 ms, warm,
        a loaded machine): 500 neurons 0.42-0.52 s fused against 0.68-0.78 s step by step on
        numpy; 4000 neurons 2.1 s fused against 1.4 s on numpy (numpy's exp is vectorised,
        the kernel's was the C library's, one number at a time). TraubMiles batches at every
        size (``TRAUB_KERNEL_STEP_BELOW``)."""
        return self._kernel_steps()

    def _kernel_steps(self):
        """Whether the kernel takes single steps of this batch (see ``KERNEL_STEP_BELOW``)."""
        return self.n < (TRAUB_KERNEL_STEP_BELOW if self._KERNEL_RATES == 1 else
                         KERNEL_STEP_BELOW)

    @property
    def kernel_recordable(self):
        return self.recordable

    @staticmethod
    def fused_network(groups, pathways):
        """The compiled runner of a network of Hodgkin–Huxley batches: every step of a chunk,
        every batch and every delivery in one call (:class:`.hh_compiled.NetworkRunner`)."""
        from .hh_compiled import NetworkRunner

        return NetworkRunner(groups, pathways)

    def start(self):
        """Put the gates half a step ahead of V, if no step has done so yet."""
        if not self._started:
            self._update_gates("from_grid")
            self._started = True

    @property
    def initializable(self):
        """The state variables :meth:`set_state` sets (the potential is ``v_init``'s): the gates
        m, h, n (by default at their steady state for ``v_init``), the synaptic currents of exp
        synapses, the conductances of cond_exp ones."""
        synaptic = ("g_ex", "g_in") if self.conductance else \
            ("i_syn_ex", "i_syn_in") if self.exp_synapse else ()
        return ("m", "h", "n") + synaptic

    def set_state(self, name, values):
        """Set a state variable of every neuron at t = 0, before any step (a gate must lie in
        [0, 1], a conductance must be >= 0)."""
        owner = type(self.model).__name__
        if name in self._GATES:
            if np.any((values < 0.0) | (values > 1.0)):
                bad = values[(values < 0.0) | (values > 1.0)][0]
                check.fail(f"init[{name!r}]", owner, "gate values in [0, 1]", f"a value of {bad:g}")
            self.gates[self._GATES[name]] = values  # at the grid time until the first step
            self._integer_gates = self.gates.copy()
            return
        if self.conductance and np.any(values < 0.0):
            check.fail(f"init[{name!r}]", owner, f"conductances >= 0 {self.model._UNITS['g']}",
                       f"a value of {values[values < 0.0][0]:g}")
        self.i_syn[0 if name in ("i_syn_ex", "g_ex") else 1] = values

    # --- stepping -------------------------------------------------------------------------

    def step(self, current, synaptic, *, propagate=True):
        """Advance all neurons by one step and return the boolean mask of neurons that fired.

        Parameters
        ----------
        current : float or ndarray, shape (n,) or (1,)
            Injected current over the step that ends now, µA/cm². An array passed again (the
            same object) must hold the same values: its sum with the leak is kept.
        synaptic : ndarray, shape (channels, n), or None
            Summed weights of the input spikes acting at this grid time: one row (mV jumps)
            for delta synapses, two rows (excitatory, inhibitory; µA/cm²) for exponential ones.
        propagate : bool
            False only for the grid time t = 0, where inputs act on the initial state.
        """
        v, level, previous = self.v, self.model.v_detect, self._previous
        jumps = None if synaptic is None or self.exp_synapse else synaptic[0]
        if not propagate:  # t = 0: the gates sit at the grid time, V may jump
            before = v.copy()
            if jumps is not None:
                v += jumps
            elif synaptic is not None:
                self._add_synaptic(synaptic)
            self._update_gates("from_grid")
            self._started = True
            spiked = (before < level) & (v >= level)
            self.spike_lag[spiked] = 0.0
            return spiked
        if not self._started:  # no step at t = 0 was taken: put the gates half a step ahead
            self._update_gates("from_grid")
            self._started = True
        if self.backend == "numba" and self._kernel_steps():
            return self._step_compiled(current, synaptic)
        previous[...] = v
        fast = self._fast_neurons()
        compiled = None
        if fast is not None and self.backend == "numba" and jumps is None and \
                self._SUBSTEP_BY_KERNEL:
            # a large batch on numpy, its few sub-stepped neurons by the kernel
            compiled, fast = self._substep_compiled(fast, current, synaptic), None
        if fast is not None:
            start = self._substep_start(fast)
        self._update_v(current)
        if fast is not None:
            sub_v = self._substep_v(fast, start)
        if synaptic is not None and self.exp_synapse:
            self._add_synaptic(synaptic)  # acts from this grid time on
        spiked = (previous < level) & (v >= level)
        if spiked.any():
            self._interpolate_crossing(spiked, previous)
            if fast is not None:
                self._substep_crossing(fast, sub_v, spiked)
        if jumps is None:
            self._update_gates("full")
            if fast is not None:
                self._substep_gates(fast, "full")
            if compiled is not None:
                self._substep_compiled_store(compiled, spiked)
            return spiked
        # A jump of V is an event at the grid time: the gates reach it at the potential before
        # the jump and leave it at the potential after (the Strang splitting with the event
        # between its halves, so inputs do not cost an order of accuracy).
        self._update_gates("to_grid")
        if fast is not None:
            self._substep_gates(fast, "to_grid")
        before = v.copy()
        v += jumps
        jumped = (before < level) & (v >= level)  # lifted over the level by the jump: lag 0
        self.spike_lag[jumped] = 0.0
        self._update_gates("from_grid")
        return spiked | jumped

    def _add_synaptic(self, synaptic):
        """Input jumps of the synaptic state: the inhibitory row of the input holds the sum of
        the negative weights, which adds |w| to an inhibitory conductance."""
        if self.conductance:
            self.i_syn[0] += synaptic[0]
            self.i_syn[1] -= synaptic[1]
        else:
            self.i_syn += synaptic

    # --- advancing many steps -------------------------------------------------------------

    def advance(self, first_step, currents, synaptic, has_input, record=None):
        """Advance by the grid steps k = first_step ... first_step + m - 1 (m = has_input.size),
        as m calls of :meth:`step` would, and return the spikes.

        Parameters
        ----------
        first_step : int
            The grid step reached first (>= 1; grid point 0 is ``step(..., propagate=False)``).
        currents : float or ndarray, shape (n,), (m, n) or (m, 1)
            Injected current, µA/cm²: the same for every step (a float or one per neuron), or
            row i for step first_step + i, as :meth:`step` receives it.
        synaptic : ndarray, shape (m, channels, n), or None
            Row i is what :meth:`step` receives at step first_step + i where ``has_input[i]``;
            other rows are not read.
        has_input : ndarray of bool, shape (m,)
            Which steps have synaptic input.
        record : (indices, traces) or None
            ``indices`` (int64, the recorded neurons) and ``traces``, a dict from names among
            ``recordable`` to arrays of shape (m, len(indices)) to fill: row i with
            ``read(name)[indices]`` after step first_step + i.

        Returns
        -------
        steps, neurons : ndarray of int64
            Grid step and neuron of each spike, ordered by step, then neuron.
        lags : ndarray
            ``spike_lag`` of each spike, ms.

        Notes
        -----
        With the 'numba' backend one compiled call advances each block of neurons over all m
        steps (the neurons are independent, since no projection reaches them), the blocks
        shared among threads; recording too runs in the kernel (the ionic currents are then
        computed from the recorded potentials and gates, as :meth:`read` does).
        """
        has_input = np.asarray(has_input, dtype=bool)
        if self.backend == "numba":
            return self._advance_compiled(first_step, currents, synaptic, has_input, record)
        return advance_by_steps(self, first_step, currents, synaptic, has_input, record)

    # --- sub-steps near and above threshold --------------------------------------------

    def _prepare_substeps(self):
        """Constants of the sub-steps (:meth:`_substep_v`), computed once per run."""
        k = self._SUBSTEPS
        h = self.dt / k
        self._sub_exponents = (-0.5 * h, -h, -h / self.model.c_m)  # gates h/2, gates h, V
        if self.exp_synapse:
            taus = np.array([[self.model.synapse.tau_ex], [self.model.synapse.tau_in]])
            self._sub_syn_decay = np.exp(-h / taus)
            self._sub_syn_mean = -np.expm1(-h / taus) * taus / h
            if not self.conductance:
                self._sub_syn_mean *= self._CURRENT_SCALE

    def _fast_neurons(self):
        """Indices of the neurons to sub-step (V above ``_SUBSTEP_ABOVE`` at the start of the
        step), or None."""
        if self._SUBSTEPS == 1:
            return None
        fast = np.flatnonzero(self._previous > self._SUBSTEP_ABOVE)
        return fast if fast.size else None

    def _substep_start(self, fast):
        """The gates of the fast neurons read back to the grid time and their synaptic rows,
        before the main step moves them."""
        return (self._gate_inf[:, fast] + self._half[:, fast],
                self.i_syn[:, fast] if self.exp_synapse else None)

    def _substep_v(self, fast, start):
        """V of the fast neurons over the step in k Strang sub-steps of h = dt / k: the gates
        from the grid time over h/2 at its V, then k times V over h (gates and conductances
        frozen at their sub-step values) and the gates over h at the new V, the last gate
        update shortened to h/2 (:meth:`_substep_gates` finishes it with the main step's
        rates). Overwrites their V; returns when within the step each first crossed
        ``v_detect`` upwards (ms; NaN if it did not)."""
        k = self._SUBSTEPS
        gates, syn = start
        v = self._previous[fast]
        s = v.size
        half_h, full_h, v_exponent = self._sub_exponents
        arguments, rates = np.empty((6, s)), np.empty((6, s))
        gates = self._relax(gates, self._compute_rates(v, arguments, rates), half_h)
        model = self.model
        leak = self._leak[:, fast]
        if self.exp_synapse:
            syn = syn * self._sub_syn_mean  # the sub-step means of the synaptic rows
        level, h = model.v_detect, self.dt / k
        crossing = np.full(s, np.nan)
        for j in range(k):
            m, n, hh = gates
            g_sodium = model.g_na * (m * m * (m * hh))
            g_potassium = model.g_k * (n * n * (n * n))
            g_tot = g_sodium + g_potassium + leak[0]
            drive = g_sodium * model.e_na + g_potassium * model.e_k + leak[1]
            if self.conductance:
                g_tot += syn[0] + syn[1]
                drive += syn[0] * model.synapse.e_ex + syn[1] * model.synapse.e_in
            elif self.exp_synapse:
                drive += syn[0] + syn[1]
            if self.exp_synapse:
                syn = syn * self._sub_syn_decay
            v_inf = drive / g_tot
            before = v
            v = v_inf + (v - v_inf) * np.exp(g_tot * v_exponent)
            up = np.isnan(crossing) & (before < level) & (v >= level)
            crossing[up] = (j + (level - before[up]) / (v[up] - before[up])) * h
            if j < k - 1:
                gates = self._relax(gates, self._compute_rates(v, arguments, rates), full_h)
        self.v[fast] = v
        self._sub_gates = gates
        return crossing

    def _substep_compiled(self, fast, current, synaptic):
        """The step of the fast neurons of a large batch by the compiled kernel (sub-steps and
        all, as :meth:`_step_compiled` does for small batches), on copies of their state; the
        main numpy step then runs for every neuron, and
        :meth:`_substep_compiled_store` overwrites the fast ones."""
        # contiguous rows (indexing columns by an array gives Fortran order): the kernel's
        # passes vectorise over rows, and one specialisation serves this call and the others
        state = tuple(np.ascontiguousarray(x) for x in (
            self.v[fast], self.gates[:, fast], self.i_syn[:, fast], self.spike_lag[fast],
            self._previous[fast], self._gate_inf[:, fast], self._half[:, fast]))
        current = np.asarray(current, dtype=float)
        current = current.reshape(1, 1) if current.size == 1 else current[fast].reshape(1, -1)
        if synaptic is None:
            has_input, synaptic = self._one_step[0], self._no_synaptic[:, :, :fast.size]
        else:
            has_input, synaptic = self._one_step[1], np.ascontiguousarray(
                np.asarray(synaptic, dtype=float)[None][:, :, fast])
        columns, codes, traces = self._not_recorded
        steps, neurons, lags = self._step_buffers
        _, count = _advance_kernel()(
            has_input, current, synaptic, False, *state, self._constants, columns[:fast.size],
            codes, traces, 0, steps, neurons, lags, 0)
        return fast, state, neurons[:count].copy()

    def _substep_compiled_store(self, compiled, spiked):
        fast, (v, gates, i_syn, spike_lag, _, gate_inf, half), fired = compiled
        self.v[fast], self.gates[:, fast], self.i_syn[:, fast] = v, gates, i_syn
        self._gate_inf[:, fast], self._half[:, fast] = gate_inf, half
        spiked[fast] = False
        spiked[fast[fired]] = True
        self.spike_lag[fast[fired]] = spike_lag[fired]

    @staticmethod
    def _relax(gates, rates, exponent):
        """Gates (rows m, n, h) relaxed with V frozen at the rates given (6, s), for the time
        -exponent (ms)."""
        alpha, total = rates[:3], rates[:3] + rates[3:]
        gate_inf = alpha / total
        return gate_inf + (gates - gate_inf) * np.exp(total * exponent)

    def _substep_crossing(self, fast, crossings, spiked):
        """The spike lag of the fast neurons that fired, interpolated in their sub-step."""
        fired = spiked[fast] & ~np.isnan(crossings)
        self.spike_lag[fast[fired]] = self.dt - crossings[fired]

    def _substep_gates(self, fast, mode):
        """Finish the gates of the fast neurons: from half a sub-step before the grid time to it
        ('to_grid') or on to half a step after ('full'), at the new V, with the rates the main
        gate update has just computed there."""
        gate_inf = self._gate_inf[:, fast]
        total = self._rates[3:, fast]  # alpha + beta after _update_gates
        half = (self._sub_gates - gate_inf) * np.exp(total * self._sub_exponents[0])
        if mode == "to_grid":
            self.gates[:, fast] = gate_inf + half
        else:
            self.gates[:, fast] = gate_inf + half * self._factor[:, fast]
        self._half[:, fast] = half
        self._integer_gates = None

    def _interpolate_crossing(self, spiked, previous, after=None):
        after = self.v if after is None else after
        v_prev, v_now = previous[spiked], after[spiked]
        self.spike_lag[spiked] = self.dt * (v_now - self.model.v_detect) / (v_now - v_prev)

    def _update_v(self, current):
        """V over one step with the conductances of the mid-step gates frozen (exact)."""
        gates, squares, other = self.gates, self._squares, self._other
        np.multiply(gates[:2], gates[:2], out=squares)  # m², n²
        np.multiply(gates[0], gates[2], out=other[0])  # m h
        other[1] = squares[1]
        np.multiply(squares, other, out=self._conductance)  # m³h, n⁴
        conductance = self._conductance
        conductance *= self._max_conductances  # g_na m³h, g_k n⁴; mS/cm²
        totals = self._totals
        g_tot, drive = totals
        np.add(conductance[0], conductance[1], out=g_tot)
        conductance *= self._reversals  # µA/cm²
        np.add(conductance[0], conductance[1], out=drive)
        if current is not self._leak_of:  # the engine passes a constant current as one object
            np.add(self._leak_drive, np.multiply(current, self._CURRENT_SCALE), out=self._leak[1])
            self._leak_of = current
        totals += self._leak  # g_l; g_l e_l + I
        if self.conductance:  # the step mean of each conductance, nS (or mS/cm²)
            mean = self._syn_work
            np.multiply(self._syn_mean_rows, self.i_syn, out=mean)
            g_tot += mean[0]
            g_tot += mean[1]
            mean *= self._reversal_rows
            drive += mean[0]
            drive += mean[1]
            self.i_syn *= self._syn_decay_rows
        elif self.exp_synapse:
            drive += self._syn_mean[0, 0] * self.i_syn[0]
            drive += self._syn_mean[1, 0] * self.i_syn[1]
            self.i_syn *= self._syn_decay
        drive /= g_tot  # V∞, mV
        g_tot *= self._v_decay_per_g
        np.exp(g_tot, out=g_tot)
        v = self.v
        v -= drive
        v *= g_tot
        v += drive

    def rates(self):
        """Opening and closing rates of the gates at the present potentials, 1/ms.

        Returns
        -------
        alpha, beta : ndarray, shape (3, n)
            Rows m, h, n: the same numbers as :func:`alpha_m` ... :func:`beta_n` (to 1.4e-14
            relative with the 'numba' backend), computed as every step of the backend does.
        """
        if self.backend == "numba":
            alpha, beta = np.empty((3, self.n)), np.empty((3, self.n))
            constants = self._kernel_constants()
            _rates_kernel()(self.v, alpha, beta, int(constants[18]), constants[19:25])
            return alpha, beta
        self._compute_rates()
        order = [0, 2, 1]  # internal rows are m, n, h
        return self._rates[:3][order], self._rates[3:][order]

    def _compute_rates(self, v=None, arguments=None, rates=None):
        """The six rates at V (default: the batch's, into the work arrays; else at the
        potentials v (s,) into the arrays given, shape (6, s))."""
        if v is None:
            v, arguments, rates = self.v, self._arguments, self._rates
        s = v.size
        np.multiply(self._slopes[:, :s], v, out=arguments)
        arguments += self._offsets[:, :s]
        # x / (1 - e^{-x}) = (-x) / expm1(-x); adding 1e-300 turns x = 0 into a number whose
        # ratio is exactly the limit 1, and changes no other x (near 0 they are multiples of
        # the spacing of doubles near 4, about 9e-16).
        arguments[:2] += 1e-300
        np.expm1(arguments[:2], out=rates[:2])
        np.divide(arguments[:2], rates[:2], out=rates[:2])
        rates[1] *= 0.1
        np.exp(arguments[2:], out=rates[2:])
        rates[5] += 1.0
        np.divide(1.0, rates[5], out=rates[5])
        return rates

    def _update_gates(self, mode):
        """Gates with V frozen at its present value, exactly: over a whole step ('full', from
        half a step before the grid time to half a step after), or over the half step that
        reaches the grid time ('to_grid') or leaves it ('from_grid')."""
        rates = self._compute_rates()
        alpha, rate = rates[:3], rates[3:]
        rate += alpha  # alpha + beta = 1 / tau_x, 1/ms
        gate_inf, factor, half = self._gate_inf, self._factor, self._half
        np.divide(alpha, rate, out=gate_inf)
        np.multiply(rate, self._half_dt, out=factor)
        np.exp(factor, out=factor)  # e^{-(alpha+beta) dt/2}
        gates = self.gates
        np.subtract(gates, gate_inf, out=half)
        if mode != "from_grid":
            half *= factor  # now the grid-time gates are x∞ + half (what read() returns)
        if mode == "to_grid":
            np.add(gate_inf, half, out=gates)
        else:
            np.multiply(half, factor, out=gates)
            gates += gate_inf
        self._integer_gates = None
