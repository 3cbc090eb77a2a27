"""Driving the compiled Hodgkin–Huxley kernels of :mod:`.hh_kernels` from Python: the compiled
paths of :class:`~.hh_stepping.HHIntegrator` (chunks of steps over threads, single steps of
small batches, the kernel's constants and traces) and the fused runner of networks of
Hodgkin–Huxley batches."""

import numpy as np

from .. import _parallel
from .hh_kernels import _TRACE_CODES, _advance_kernel, _network_kernel

__all__ = []


#: Neurons per block of a compiled advance. A block's share of a chunk of steps is many
#: milliseconds of work even at this size (128 neurons × 1000 steps ≈ 5 ms), so the hand-over
#: to a thread is negligible, and a thousand neurons still make blocks for both cores. The
#: neurons are independent, so the result does not depend on the blocks (nor on the threads).
#: A smaller ``_parallel.BLOCK`` (as tests set it) makes smaller blocks.
ADVANCE_BLOCK = 128
#: Spikes per neuron a block's buffers hold at first (at least 1: a step needs one per
#: neuron); they double when full.
_SPIKES_PER_NEURON = 16


class CompiledStepping:
    """The compiled paths of :class:`~.hh_stepping.HHIntegrator` (its base): advancing chunks
    of steps block by block of neurons over threads, single steps of small batches, and the
    kernel's constants and traces."""

    def _advance_compiled(self, first_step, currents, synaptic, has_input, record):
        """:meth:`advance` by the compiled kernel, block by block of neurons over threads."""
        if not self._started:
            self._update_gates("from_grid")
            self._started = True
        n, steps = self.n, has_input.size
        kernel = _advance_kernel()
        currents = np.asarray(currents, dtype=float)
        currents = np.ascontiguousarray(currents if currents.ndim == 2 else currents.reshape(1, -1))
        if not currents.flags.writeable:  # (a read-only array is a specialisation of its own)
            currents = currents.copy()
        channels = 2 if self.exp_synapse else 1
        if synaptic is None:
            synaptic, has_input = np.empty((0, channels, n)), np.zeros(steps, dtype=bool)
        synaptic = np.asarray(synaptic, dtype=float)
        i_syn = self.i_syn if self.exp_synapse else np.empty((0, n))
        columns, codes, kernel_traces = self._kernel_record(record, steps)
        constants = self._kernel_constants()
        size = min(ADVANCE_BLOCK, _parallel.BLOCK)
        blocks = [slice(start, min(start + size, n)) for start in range(0, n, size)]
        found = [None] * len(blocks)

        def one_block(b):
            where = blocks[b]
            capacity = _SPIKES_PER_NEURON * (where.stop - where.start)
            buffers = (np.empty(capacity, dtype=np.int64), np.empty(capacity, dtype=np.int64),
                       np.empty(capacity))
            row = count = 0
            # the block's rows of the (rows, n) state as contiguous arrays, copied back after:
            # the kernel's loops vectorise only over contiguous rows (5x faster)
            blocked = tuple(np.ascontiguousarray(state[:, where])
                            for state in (self.gates, i_syn, self._gate_inf, self._half))
            gates, block_i_syn, gate_inf, half = blocked
            # the inputs too: every array contiguous, one specialisation of the kernel serves
            # every block, one or many (numba compiles one per layout, seconds each)
            block_currents = currents if currents.shape[1] == 1 else \
                np.ascontiguousarray(currents[:, where])
            block_synaptic = np.ascontiguousarray(synaptic[:, :, where])
            while True:
                row, count = kernel(
                    has_input, block_currents, block_synaptic, not self.exp_synapse,
                    self.v[where], gates, block_i_syn, self.spike_lag[where],
                    self._previous[where], gate_inf, half, constants, columns[where], codes,
                    kernel_traces, row, *buffers, count)
                if row == steps:
                    break
                buffers = tuple(np.resize(buffer, 2 * buffer.size) for buffer in buffers)
            for state, block in zip((self.gates, i_syn, self._gate_inf, self._half), blocked):
                state[:, where] = block
            rows, neurons, lags = (buffer[:count] for buffer in buffers)
            found[b] = (rows, neurons + where.start, lags)

        _parallel.run_blocks(one_block, len(blocks))
        self._integer_gates = None
        if record is not None:
            self._fill_traces(record, codes, kernel_traces)
        rows, neurons, lags = (np.concatenate(parts) for parts in zip(*found))
        order = np.argsort(rows, kind="stable")  # blocks are in neuron order
        return first_step + rows[order], neurons[order], lags[order]

    def _step_compiled(self, current, synaptic):
        """:meth:`step` by the kernel, all neurons in one call on this thread (see
        ``KERNEL_STEP_BELOW``)."""
        if isinstance(current, (float, int)):
            if self._scalar_current[0] != current:
                self._scalar_current = (current, np.full((1, 1), float(current)))
            current = self._scalar_current[1]
        else:
            current = np.asarray(current, dtype=float).reshape(1, -1)
            if not current.flags.writeable:
                current = current.copy()
        if synaptic is None:
            has_input, synaptic = self._one_step[0], self._no_synaptic
        else:
            has_input, synaptic = self._one_step[1], np.asarray(synaptic, dtype=float)[None]
        columns, codes, traces = self._not_recorded
        steps, neurons, lags = self._step_buffers
        _, count = _advance_kernel()(
            has_input, current, synaptic, not self.exp_synapse, self.v, self.gates,
            self._i_syn_kernel, self.spike_lag, self._previous, self._gate_inf, self._half,
            self._constants, columns, codes, traces, 0, steps, neurons, lags, 0)
        self._integer_gates = None
        spiked = self._spiked
        spiked[:] = False
        spiked[neurons[:count]] = True
        return spiked

    def _kernel_constants(self):
        model = self.model
        return np.array([
            self.dt, self._half_dt, model.g_na, model.g_k, model.e_na, model.e_k, model.g_l,
            self._leak_drive, self._v_decay_per_g, model.v_detect,
            *(self._syn_mean[:, 0] if self.exp_synapse else (0.0, 0.0)),
            *(self._syn_decay[:, 0] if self.exp_synapse else (1.0, 1.0)),
            float(self.conductance), *(self._reversals_syn if self.conductance else (0.0, 0.0)),
            self._CURRENT_SCALE, float(self._KERNEL_RATES), *self._kernel_rate_constants(),
            *self._kernel_substep_constants()])

    def _kernel_substep_constants(self):
        """Rows 25-34: the level and count of the sub-steps (hh_kernels._substep_pass), the
        sub-step means and decays of the synaptic rows, the gate and V exponents, h."""
        k = self._SUBSTEPS
        if k == 1:
            return (np.inf, 1.0) + (0.0,) * 8
        if self._KERNEL_RATES != 1:  # the kernel's sub-step passes have Traub–Miles rates only
            raise NotImplementedError(f"{type(self).__name__}: the compiled kernel sub-steps "
                                      "Traub–Miles neurons only; use backend='numpy'.")
        syn = (*self._sub_syn_mean[:, 0], *self._sub_syn_decay[:, 0]) if self.exp_synapse \
            else (0.0, 0.0, 1.0, 1.0)
        return (self._SUBSTEP_ABOVE, float(k), *syn, *self._sub_exponents, self.dt / k)

    def _kernel_rate_constants(self):
        """Constants the kernel's rate functions read (none for the classic model)."""
        return np.zeros(6)

    @property
    def _reversals_syn(self):
        return (self.model.synapse.e_ex, self.model.synapse.e_in)

    def _kernel_record(self, record, steps):
        """Column of each neuron in the kernel's traces (-1: not recorded), the codes of the
        variables the kernel records, and its traces (codes × steps × recorded)."""
        columns = np.full(self.n, -1, dtype=np.int64)
        if record is None:
            return columns, np.empty(0, dtype=np.int64), np.empty((0, 0, 0))
        indices, traces = record
        columns[indices] = np.arange(len(indices))
        needs = {"i_na": ("v", "m", "h"), "i_k": ("v", "n"), "i_l": ("v",),
                 "i_syn": ("v", "g_ex", "g_in")}
        names = set()
        for name in traces:  # the ionic currents are computed from V and the gates afterwards
            names.update(needs.get(name, (name,)))
        codes = np.array(sorted(_TRACE_CODES[name] for name in names), dtype=np.int64)
        return columns, codes, np.empty((codes.size, steps, len(indices)))

    def _fill_traces(self, record, codes, kernel_traces):
        recorded = {name: kernel_traces[j] for name, code in _TRACE_CODES.items()
                    for j in np.flatnonzero(codes == code)}
        model = self.model
        for name, trace in record[1].items():
            if name == "i_na":
                trace[...] = model.i_na(recorded["v"], recorded["m"], recorded["h"])
            elif name == "i_k":
                trace[...] = model.i_k(recorded["v"], recorded["n"])
            elif name == "i_l":
                trace[...] = model.i_l(recorded["v"])
            elif name == "i_syn":
                trace[...] = model.i_syn(recorded["v"], recorded["g_ex"], recorded["g_in"])
            else:
                trace[...] = recorded[name]


class NetworkRunner:
    """Runs chunks of a network of Hodgkin–Huxley batches (classic or Traub–Miles, any of their
    synapses) through :func:`_network`, the state arrays, ring buffers and synapses handed to
    the kernel as they are; recorded variables go through the kernel's traces, chunk by chunk.
    """

    def __init__(self, groups, pathways):
        self.groups = groups
        index = {id(group): g for g, group in enumerate(groups)}
        integrators = [group.integrator for group in groups]
        for integrator in integrators:
            integrator.start()
        self.integrators = integrators
        self.constants = np.stack([integrator._kernel_constants() for integrator in integrators])
        self.delta = tuple(not integrator.exp_synapse for integrator in integrators)
        self.i_syn = tuple(integrator.i_syn if integrator.exp_synapse else
                           np.empty((0, integrator.n)) for integrator in integrators)
        self.pathway_pre = np.array([index[id(p.pre)] for p in pathways], dtype=np.int64)
        self.pathway_post = np.array([index[id(p.post)] for p in pathways], dtype=np.int64)
        self.pathway_delay = np.array([0 if p.delay is None else p.delay for p in pathways],
                                      dtype=np.int64)
        no_delays = np.empty(0, dtype=np.int64)
        # each projection's rows as a CSR over its whole presynaptic group, offsets added
        rows = [p.group_rows() for p in pathways]
        self.indptr = tuple(r[0] for r in rows)
        self.targets = tuple(r[1] for r in rows)
        self.weights = tuple(r[2] for r in rows)
        self.delays = tuple(no_delays if r[3] is None else r[3] for r in rows)

    def _currents(self, group):
        currents = np.asarray(group.currents, dtype=float)
        if currents.ndim < 2:
            return np.ascontiguousarray(np.broadcast_to(currents, (1, group.n)))
        return np.ascontiguousarray(np.broadcast_to(currents, (currents.shape[0], group.n)))

    def advance(self, start, stop):
        """Advance the loaded chunk start..stop-1; returns the synaptic events delivered."""
        groups, steps = self.groups, stop - start
        currents = tuple(self._currents(group) for group in groups)
        external = tuple(np.empty((0, group.channels, group.n)) if group.external is None
                         else np.ascontiguousarray(group.external, dtype=float)
                         for group in groups)
        records = []
        for group, integrator in zip(groups, self.integrators):
            record = None
            if group.traces:
                record = (group.record_index,
                          {name: trace[start:stop] for name, trace in group.traces.items()})
            records.append((record, *integrator._kernel_record(record, steps)))
        events, done = 0, 0
        while done < steps:
            for group in groups:
                group.spikes.reserve(group.n)
            counts = np.array([group.spikes.size for group in groups] * 2, dtype=np.int64)
            done, delivered = _network_kernel()(
                start, done, steps, currents, self.delta,
                tuple(i.v for i in self.integrators), tuple(i.gates for i in self.integrators),
                self.i_syn, tuple(i.spike_lag for i in self.integrators),
                tuple(i._previous for i in self.integrators),
                tuple(i._gate_inf for i in self.integrators),
                tuple(i._half for i in self.integrators), self.constants,
                tuple(r[1] for r in records), tuple(r[2] for r in records),
                tuple(r[3] for r in records),
                tuple(group.buffer for group in groups), tuple(group.pending for group in groups),
                external, tuple(group.has_external for group in groups),
                tuple(group.spikes.steps for group in groups),
                tuple(group.spikes.neurons for group in groups),
                tuple(group.spikes.lags for group in groups), counts,
                len(self.indptr), self.pathway_pre, self.pathway_post, self.pathway_delay,
                self.indptr, self.targets, self.weights, self.delays)
            for g, group in enumerate(groups):
                group.spikes.size = int(counts[g])
            events += delivered
        for integrator, (record, _, codes, traces) in zip(self.integrators, records):
            integrator._integer_gates = None
            if record is not None:
                integrator._fill_traces(record, codes, traces)
        return events
