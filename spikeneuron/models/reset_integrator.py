"""The batch integrator of the models of :mod:`.located_reset` (AdEx, Izhikevich): their state
as arrays of shape (n,), the numpy step (the resolved steps of the whole batch in array
operations, the others one neuron at a time by ``located_reset._step_neuron``) and the
compiled backend (the same functions, compiled, neuron by neuron over chunks of steps)."""

import math
import warnings

import numpy as np

from .. import _parallel
from ..exceptions import CoarseTimeStepWarning
from ..synapses import CondExpSynapse, ExpSynapse
from .located_reset import (
    _TRACE_CODES,
    ACCEPT,
    HOLD_RATE,
    KAPPA,
    T_REF,
    TAU_EX,
    TAU_IN,
    V_PEAK,
    V_RESET,
    W_HOLD,
    W_JUMP,
    _advance_kernel,
    _rk4,
    _step_neuron,
    _stiffness,
)
from .stepping import advance_by_steps

__all__ = []


class ResetIntegrator:
    """State and step of a batch of neurons of the two-variable form of this module (arrays of
    shape (n,)); built by a model's ``integrator`` with its parameter array.

    Attributes
    ----------
    v : ndarray, shape (n,)
        Membrane potentials, mV.
    w : ndarray, shape (n,)
        The adaptation variable (AdEx: w, nA; Izhikevich: u), readable under the model's name
        for it.
    spike_lag : ndarray, shape (n,)
        For the neurons that fired at the last step: how long before the grid time they
        crossed v_peak, ms (in [0, dt)).
    extra_spikes : int
        Crossings of v_peak beyond the first within one step (applied, not reported).
    """

    def __init__(self, model, dt, n, v_init, w_init, parameters, adaptation_name):
        self.model, self.dt, self.n = model, dt, n
        self.parameters = parameters
        self.adaptation_name = adaptation_name
        self.cond_synapse = isinstance(model.synapse, CondExpSynapse)
        self.exp_synapse = isinstance(model.synapse, ExpSynapse) or self.cond_synapse
        self._synaptic_names = ("g_ex", "g_in") if self.cond_synapse else ("i_syn_ex", "i_syn_in")
        self.recordable = ("v", adaptation_name) + (self._synaptic_names if self.exp_synapse else ())
        self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
        self.w = np.array(np.broadcast_to(w_init, (n,)), dtype=float)
        self.i_syn = np.zeros((2, n)) if self.exp_synapse else np.zeros((0, n))
        self.left = np.zeros(n)  # refractory time left, ms
        self.spike_lag = np.zeros(n)
        self.extra_spikes = 0
        self._warned = False
        p = parameters
        # Constants of a whole step, computed as _step_neuron computes them for s = h.
        if self.exp_synapse:
            taus = (p[TAU_EX], p[TAU_IN])
            self.decay = np.array([math.exp(-dt / tau) for tau in taus])
            self._half = [math.exp(-(0.0 + 0.5 * dt) / tau) for tau in taus]
            self._end = [math.exp(-(0.0 + dt) / tau) for tau in taus]
        else:
            self.decay = np.ones(2)
        self._hold = math.exp(-dt * p[HOLD_RATE])
        self.backend = "numpy"

    # --- backends -------------------------------------------------------------------------

    #: The compiled kernel covers every configuration of these models.
    kernel_covered = True

    def use_backend(self, backend):
        """Advance with 'numpy' (the reference) or 'numba' (the same functions, compiled)."""
        self.backend = backend
        if backend == "numba":
            self._one_step = (np.zeros(1, dtype=bool), np.ones(1, dtype=bool))
            self._no_synaptic = np.empty((0, self.model.synapse.channels, self.n))
            self._not_recorded = (np.full(self.n, -1, dtype=np.int64), np.empty(0, dtype=np.int64),
                                  np.empty((0, 0, 0)))
            self._step_buffers = (np.empty(self.n, dtype=np.int64), np.empty(self.n, dtype=np.int64),
                                  np.empty(self.n))
            self._spiked = np.empty(self.n, dtype=bool)

    def read(self, name):
        """Current values of a recordable variable, shape (n,): v (mV), the adaptation variable,
        or the synaptic currents i_syn_ex, i_syn_in."""
        if name == "v":
            return self.v
        if name == self.adaptation_name:
            return self.w
        return self.i_syn[self._synaptic_names.index(name)]

    @property
    def initializable(self):
        """Variables ``simulate(init=...)`` may set: the adaptation variable and the synaptic
        currents or conductances."""
        return (self.adaptation_name,) + (self._synaptic_names if self.exp_synapse else ())

    def set_state(self, name, values):
        """Set an initializable variable to ``values`` (shape (n,)) before the run."""
        if self.cond_synapse and name in self._synaptic_names and np.any(values < 0.0):
            from .. import _validation as check

            check.fail(f"init[{name!r}]", type(self.model).__name__, "conductances >= 0 nS",
                       float(np.min(values)))
        self.read(name)[...] = values

    # --- stepping -------------------------------------------------------------------------

    def step(self, current, synaptic, *, propagate=True):
        """Advance all neurons by one step and return the boolean mask of neurons that fired.

        Parameters
        ----------
        current : float or ndarray, shape (n,)
            Injected current over the step that ends now (the model's current unit).
        synaptic : ndarray, shape (channels, n), or None
            Summed weights of the input spikes acting at this grid time: one row (mV jumps)
            for delta synapses, two rows (excitatory, inhibitory) for exponential ones.
        propagate : bool
            False only for the grid time t = 0, where inputs act on the initial state.
        """
        if propagate and self.backend == "numba":
            return self._step_compiled(current, synaptic)
        spiked = np.zeros(self.n, dtype=bool)
        if propagate:
            crossings = self._propagate(current)
            spiked = crossings > 0
            self.extra_spikes += int(np.maximum(crossings - 1, 0).sum())
        if synaptic is not None:
            if self.cond_synapse:
                self.i_syn[0] += synaptic[0]
                self.i_syn[1] -= synaptic[1]  # negative weights: |w| onto g_in
            elif self.exp_synapse:
                self.i_syn += synaptic
            else:
                self._jumps(synaptic[0], spiked)
        self._warn_extra()
        return spiked

    def _propagate(self, current):
        """The numpy step: RK4 on the grid for the neurons it resolves, ``_step_neuron`` for
        the others; returns each neuron's number of crossings."""
        p, h, v, w = self.parameters, self.dt, self.v, self.w
        crossings = np.zeros(self.n, dtype=np.int64)
        held = self.left >= h  # refractory over the whole step: V held, w relaxes exactly
        zero = (0.0, 0.0)
        g_start = g_half = g_end = zero
        if self.cond_synapse:
            g_ex, g_in = self.i_syn
            start = half = end = current
            g_start = (g_ex * 1.0, g_in * 1.0)
            g_half = (g_ex * self._half[0], g_in * self._half[1])
            g_end = (g_ex * self._end[0], g_in * self._end[1])
        elif self.exp_synapse:
            i_ex, i_in = self.i_syn
            start = current + i_ex * 1.0 + i_in * 1.0
            half = current + i_ex * self._half[0] + i_in * self._half[1]
            end = current + i_ex * self._end[0] + i_in * self._end[1]
        else:
            start = half = end = current
        with np.errstate(over="ignore", invalid="ignore"):
            rate = _stiffness(v, p)
            v1, w1, _, _ = _rk4(v, w, start, half, end, *g_start, *g_half, *g_end, h, p)
            resolved = (h * rate <= KAPPA) & (self.left <= 0.0) & (v1 < p[V_PEAK])
            resolved &= h * _stiffness(v1, p) <= ACCEPT
        others = np.flatnonzero(~(resolved | held))
        if held.any():
            w[held] = p[W_HOLD] + (w[held] - p[W_HOLD]) * self._hold
            v[held] = p[V_RESET]
            self.left[held] -= h
        np.copyto(v, v1, where=resolved)
        np.copyto(w, w1, where=resolved)
        scalar = isinstance(current, float) or np.ndim(current) == 0
        for i in others:
            crossings[i] = _step_neuron(i, v, w, self.i_syn, self.left, self.spike_lag,
                                        float(current) if scalar else float(current[i]), h, p)
        if self.exp_synapse:
            self.i_syn *= self.decay[:, None]
        return crossings

    def _jumps(self, jumps, spiked):
        p = self.parameters
        free = self.left <= 0.0
        self.v[free] += jumps[free]
        crossed = free & (self.v >= p[V_PEAK])
        if crossed.any():
            again = crossed & spiked
            self.extra_spikes += int(again.sum())
            self.spike_lag[crossed & ~spiked] = 0.0
            spiked |= crossed
            self.v[crossed] = p[V_RESET]
            self.w[crossed] += p[W_JUMP]
            self.left[crossed] = p[T_REF]

    def _warn_extra(self):
        if self.extra_spikes and not self._warned:
            self._warned = True
            warnings.warn(
                f"{type(self.model).__name__}: a neuron reached v_peak more than once within one "
                f"step of dt = {self.dt:g} ms; the resets were applied, but only the first "
                f"spike of each step is reported. Use a smaller dt.",
                CoarseTimeStepWarning, stacklevel=4)

    # --- advancing many steps -------------------------------------------------------------

    def advance(self, first_step, currents, synaptic, has_input, record=None):
        """Advance grid steps first_step .. first_step + m − 1 of a batch that nothing inside
        the run reaches (see :func:`.stepping.advance_by_steps` for the arguments and the
        result); with the backend 'numba' in one compiled call per block of neurons."""
        has_input = np.asarray(has_input, dtype=bool)
        if self.backend != "numba":
            return advance_by_steps(self, first_step, currents, synaptic, has_input, record)
        return self._advance_compiled(first_step, currents, synaptic, has_input, record)

    def _kernel_record(self, record, steps):
        columns = np.full(self.n, -1, dtype=np.int64)
        if record is None:
            return columns, np.empty(0, dtype=np.int64), np.empty((0, 0, 0))
        indices, traces = record
        columns[indices] = np.arange(len(indices))
        codes = np.array([_TRACE_CODES[name] for name in traces], dtype=np.int64)
        return columns, codes, np.empty((codes.size, steps, len(indices)))

    def _advance_compiled(self, first_step, currents, synaptic, has_input, record):
        n, steps = self.n, has_input.size
        kernel = _advance_kernel()
        currents = np.asarray(currents, dtype=float)
        currents = np.ascontiguousarray(currents if currents.ndim == 2 else currents.reshape(1, -1))
        if synaptic is None:
            synaptic = np.empty((0, self.model.synapse.channels, n))
            has_input = np.zeros(steps, dtype=bool)
        synaptic = np.asarray(synaptic, dtype=float)
        columns, codes, kernel_traces = self._kernel_record(record, steps)
        blocks = [slice(0, n)] if record is not None else _parallel.blocks(n)
        found = [None] * len(blocks)
        extras = [0] * len(blocks)

        def one_block(b):
            where = blocks[b]
            size = where.stop - where.start
            capacity = max(4 * size, 1024)
            buffers = (np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
                       np.empty(capacity))
            row = count = extra = 0
            while True:
                row, count, extra = kernel(
                    currents if currents.shape[1] == 1 else currents[:, where],
                    synaptic[:, :, where], has_input, not self.exp_synapse, self.v[where],
                    self.w[where], self.i_syn[:, where], self.left[where],
                    self.spike_lag[where], self.decay, self.parameters, self.dt, columns[where],
                    codes, kernel_traces, row, *buffers, count, extra)
                if row == steps:
                    break
                buffers = tuple(np.resize(buffer, 2 * buffer.size) for buffer in buffers)
            rows, neurons, lags = (buffer[:count] for buffer in buffers)
            found[b] = (rows, neurons + where.start, lags)
            extras[b] = extra

        _parallel.run_blocks(one_block, len(blocks))
        self.extra_spikes += sum(extras)
        self._warn_extra()
        if record is not None:
            for j, trace in enumerate(record[1].values()):
                trace[...] = kernel_traces[j]
        rows, neurons, lags = (np.concatenate(parts) for parts in zip(*found))
        order = np.argsort(rows, kind="stable")
        return first_step + rows[order], neurons[order], lags[order]

    def _step_compiled(self, current, synaptic):
        """:meth:`step` by the kernel (one step of all neurons), as a network calls it."""
        current = np.asarray(current, dtype=float).reshape(1, -1)
        if synaptic is None:
            has_input, synaptic = self._one_step[0], self._no_synaptic
        else:
            has_input, synaptic = self._one_step[1], np.asarray(synaptic, dtype=float)[None]
        columns, codes, traces = self._not_recorded
        steps, neurons, lags = self._step_buffers
        _, count, extra = _advance_kernel()(
            current, synaptic, has_input, not self.exp_synapse, self.v, self.w, self.i_syn,
            self.left, self.spike_lag, self.decay, self.parameters, self.dt, columns, codes,
            traces, 0, steps, neurons, lags, 0, 0)
        self.extra_spikes += extra
        self._warn_extra()
        spiked = self._spiked
        spiked[:] = False
        spiked[neurons[:count]] = True
        return spiked
