"""Compiled LIF kernels (numba, the optional extra ``spikeneuron[fast]``): the same exact step as
:class:`~spikeneuron.models.lif.LIFIntegrator`, many steps per call.

Imported only when a run asks for the 'numba' backend, so numba's import and memory are paid
by those runs alone; numba's on-disk cache (``_kernels.jit``) keeps the machine code, so only
the first process on a machine compiles.

Three entry points, one neuron loop (:func:`_neurons`):

* :func:`step` — one grid step of one batch (networks that mix models go step by step);
* :func:`advance` — many steps of neurons that nothing inside the run reaches (every
  ``simulate`` run): steps outside, neurons inside, over a range of neurons so that threads
  can take separate blocks;
* :func:`network` — many steps of a whole network of LIF batches: each step advances every
  batch, records, and delivers the spikes through the projections into the ring buffers of
  their targets. Python is entered once per chunk of steps instead of several times per step.

Every kernel does the floating-point operations of the numpy step in the same order (the
numpy step is written to allow it), and takes its random numbers from the numpy Generator,
drawn before the call: both backends give the same spikes for the same seed. No
``fastmath``: contracting a multiply-add would change the rounding.
"""

import math

import numpy as np

from .. import _kernels
from .lif_synapses import EXP_NEG_MAX, EXP_NEG_TAYLOR, INV_LN2, LN2_HI, LN2_LO, POWERS_OF_HALF

# Columns of a batch's parameter row (one row per batch in the network kernel).
DECAY, V_REST, V_RESET, V_TH, REFRACTORY_STEPS, SYN_DECAY_EX, SYN_DECAY_IN, TO_V_EX, TO_V_IN, \
    NOISE_STD, EXP_SYNAPSE, ALPHA_SYNAPSE, COND_SYNAPSE = range(13)
#: Alpha synapses, per kind (ex, in): decay, y1 → I, y1 → V, I → V, jump of y1 per nA.
ALPHA = 13
#: Conductance synapses: the constants of ``lif_synapses.CondExpConstants.as_row``.
COND = ALPHA + 10
N_PARAMETERS = COND + 18
#: What :func:`network` records, by code: V, then the first two rows of the synaptic state
#: (the currents of exp and alpha synapses, nA; the conductances of cond_exp ones, nS).
RECORD_CODES = {"v": 0, "i_syn_ex": 1, "g_ex": 1, "i_syn_in": 2, "g_in": 2}

_jit = _kernels.jit
_C8, _C7, _C6, _C5, _C4, _C3, _C2, _C1, _C0 = EXP_NEG_TAYLOR


@_jit
def exp_neg(x):
    """e^{−x} for x >= 0: :func:`.lif_synapses.exp_neg`'s operations, in its order."""
    x = min(x, EXP_NEG_MAX)
    n = math.floor(x * INV_LN2 + 0.5)
    r = x - n * LN2_HI
    r -= n * LN2_LO
    p = _C8 * r + _C7
    p = p * r + _C6
    p = p * r + _C5
    p = p * r + _C4
    p = p * r + _C3
    p = p * r + _C2
    p = p * r + _C1
    p = p * r + _C0
    return p * POWERS_OF_HALF[int(n)]


@_jit
def _neurons(v, refractory, i_syn, parameters, drive, drive_row, noise, noise_row, noise_offset,
             synaptic, use_synaptic, spiked, lo, hi):
    """Advance neurons lo..hi-1 of a batch by one step; mark who fired; return how many.

    ``drive`` is (rows, n): the offset v_rest + r_m·I·(1 − e^{−dt/τ}) of each neuron, row
    ``drive_row``; ``noise`` (rows, neurons) holds standard normals for neurons from
    ``noise_offset`` on, or has no columns; ``synaptic`` (channels, n) is read only when
    ``use_synaptic``. The loop body has no branches but on values fixed for the whole loop
    (which the compiler hoists) and selects, so that it vectorises: indexing with a
    data-dependent choice (a broadcast column, say) made it four times slower. Alpha and
    conductance synapses have loops of their own (one loop for all kinds did not vectorise:
    the conductance step ran eight times slower in it).
    """
    if parameters[COND_SYNAPSE] != 0.0:
        return _neurons_cond(v, refractory, i_syn, parameters, drive, drive_row, noise,
                             noise_row, noise_offset, synaptic, use_synaptic, spiked, lo, hi)
    if parameters[ALPHA_SYNAPSE] != 0.0:
        return _neurons_alpha(v, refractory, i_syn, parameters, drive, drive_row, noise,
                              noise_row, noise_offset, synaptic, use_synaptic, spiked, lo, hi)
    decay, v_rest = parameters[DECAY], parameters[V_REST]
    v_reset, v_th = parameters[V_RESET], parameters[V_TH]
    refractory_steps = np.int32(parameters[REFRACTORY_STEPS])
    exp_synapse = parameters[EXP_SYNAPSE] != 0.0
    decay_ex, decay_in = parameters[SYN_DECAY_EX], parameters[SYN_DECAY_IN]
    to_v_ex, to_v_in = parameters[TO_V_EX], parameters[TO_V_IN]
    noise_std = parameters[NOISE_STD]
    has_noise = noise.shape[1] > 0
    drive_now = drive[drive_row]
    # One drive for all neurons (a (rows, 1) drive, the current the same for all) or one
    # each: a branch on it the compiler hoists (as the ones below), so that a step reads no
    # row of n drives when one number says it (at 10⁵ neurons a fifth of the step's memory
    # traffic: W9 2.2-2.3 s before, 1.85-1.9 s after; written as a conditional expression,
    # the choice was not hoisted and the loop ran slower).
    one_drive = drive.shape[1] == 1
    drive_all = drive_now[0] if one_drive else 0.0
    noise_now = noise[noise_row if has_noise else 0]
    delta_input = use_synaptic and not exp_synapse
    exp_input = use_synaptic and exp_synapse
    count = 0
    for j in range(lo, hi):
        x = (v[j] - v_rest) * decay
        if one_drive:
            x += drive_all
        else:
            x += drive_now[j]
        if exp_synapse:
            current_ex, current_in = i_syn[0, j], i_syn[1, j]
            x += to_v_ex * current_ex
            x += to_v_in * current_in
            current_ex *= decay_ex
            current_in *= decay_in
            if exp_input:
                current_ex += synaptic[0, j]
                current_in += synaptic[1, j]
            i_syn[0, j], i_syn[1, j] = current_ex, current_in
        if has_noise:
            x += noise_std * noise_now[j - noise_offset]
        if delta_input:
            x += synaptic[0, j]
        left = refractory[j]
        held = left > 0
        x = v_reset if held else x
        left = left - 1 if held else left
        fired = x >= v_th
        x = v_reset if fired else x
        refractory[j] = refractory_steps if fired else left
        spiked[j] = fired
        count += fired
        v[j] = x
    return count


@_jit
def _append_spikes(spiked, count, k, written, steps_out, neurons_out):
    """Append the ``count`` neurons marked in ``spiked`` (padded with False to whole 8-byte
    words) as fired at step k; returns the new number of spikes written. The scan skips
    eight neurons at a time where none fired: a step's few spikes in 10⁵ neurons cost a
    pass over 12 500 words, not 100 000 bytes."""
    words = spiked.view(np.uint64)
    end = written + count
    for w in range(words.size):
        if words[w] != 0:
            for j in range(8 * w, 8 * w + 8):
                if spiked[j]:
                    steps_out[written] = k
                    neurons_out[written] = j
                    written += 1
            if written == end:
                break
    return written


@_jit
def _neurons_alpha(v, refractory, i_syn, parameters, drive, drive_row, noise, noise_row,
                   noise_offset, synaptic, use_synaptic, spiked, lo, hi):
    """:func:`_neurons` for alpha synapses (state rows: I_ex, I_in, y1_ex, y1_in)."""
    decay, v_rest = parameters[DECAY], parameters[V_REST]
    v_reset, v_th = parameters[V_RESET], parameters[V_TH]
    refractory_steps = np.int32(parameters[REFRACTORY_STEPS])
    # one index each: unpacking a slice of the row made the loop six times slower
    a_decay_ex, a_rise_ex, a_from_rise_ex = parameters[ALPHA], parameters[ALPHA + 1], parameters[ALPHA + 2]
    a_from_current_ex, a_jump_ex = parameters[ALPHA + 3], parameters[ALPHA + 4]
    a_decay_in, a_rise_in, a_from_rise_in = parameters[ALPHA + 5], parameters[ALPHA + 6], parameters[ALPHA + 7]
    a_from_current_in, a_jump_in = parameters[ALPHA + 8], parameters[ALPHA + 9]
    noise_std = parameters[NOISE_STD]
    has_noise = noise.shape[1] > 0
    drive_now = drive[drive_row]
    noise_now = noise[noise_row if has_noise else 0]
    count = 0
    for j in range(lo, hi):
        x = (v[j] - v_rest) * decay
        x += drive_now[j]
        current_ex, current_in = i_syn[0, j], i_syn[1, j]
        rise_ex, rise_in = i_syn[2, j], i_syn[3, j]
        x += a_from_rise_ex * rise_ex
        x += a_from_current_ex * current_ex
        x += a_from_rise_in * rise_in
        x += a_from_current_in * current_in
        current_ex = current_ex * a_decay_ex + a_rise_ex * rise_ex
        current_in = current_in * a_decay_in + a_rise_in * rise_in
        rise_ex *= a_decay_ex
        rise_in *= a_decay_in
        i_syn[0, j], i_syn[1, j], i_syn[2, j], i_syn[3, j] = current_ex, current_in, rise_ex, rise_in
        if has_noise:
            x += noise_std * noise_now[j - noise_offset]
        left = refractory[j]
        held = left > 0
        x = v_reset if held else x
        left = left - 1 if held else left
        fired = x >= v_th
        x = v_reset if fired else x
        refractory[j] = refractory_steps if fired else left
        spiked[j] = fired
        count += fired
        v[j] = x
    if use_synaptic:  # a separate loop: the input moves V from the next step on, and a
        # branch on it inside the loop above kept that loop from vectorising (five times slower)
        for j in range(lo, hi):
            i_syn[2, j] += a_jump_ex * synaptic[0, j]
            i_syn[3, j] += a_jump_in * synaptic[1, j]
    return count


@_jit
def _neurons_cond(v, refractory, i_syn, parameters, drive, drive_row, noise, noise_row,
                  noise_offset, synaptic, use_synaptic, spiked, lo, hi):
    """:func:`_neurons` for conductance synapses (state rows: g_ex, g_in in nS), doing
    :func:`.lif_synapses.cond_exp_step`'s operations in its order.

    Two passes: the conductance step of every neuron (floating-point operations only, on
    one-dimensional rows, so that it vectorises), then noise, refractoriness and threshold.
    In one loop the compiler vectorised neither.
    """
    decay, v_rest = parameters[DECAY], parameters[V_REST]
    current_to_b, weight_f0 = parameters[COND], parameters[COND + 1]
    weight_fh, rate_0 = parameters[COND + 2], parameters[COND + 3]
    # one index each: unpacking a slice of the row made the loop six times slower
    a_ex, b0_ex, db0_ex = parameters[COND + 4], parameters[COND + 5], parameters[COND + 6]
    bh_ex, dbh_ex, rate_h_ex = parameters[COND + 7], parameters[COND + 8], parameters[COND + 9]
    g_decay_ex = parameters[COND + 10]
    a_in, b0_in, db0_in = parameters[COND + 11], parameters[COND + 12], parameters[COND + 13]
    bh_in, dbh_in, rate_h_in = parameters[COND + 14], parameters[COND + 15], parameters[COND + 16]
    g_decay_in = parameters[COND + 17]
    drive_now = drive[drive_row]
    g_ex_row, g_in_row = i_syn[0], i_syn[1]
    for j in range(lo, hi):
        g_ex, g_in = g_ex_row[j], g_in_row[j]
        d = drive_now[j]
        weight_0 = decay * exp_neg(a_ex * g_ex + a_in * g_in)
        b_current = (d - v_rest) * current_to_b
        b_0 = b_current + (b0_ex * g_ex + b0_in * g_in)
        f_h = bh_ex * g_ex + bh_in * g_in
        f_0 = weight_0 * b_0 - decay * b_current
        slope_0 = weight_0 * ((rate_0 * (g_ex + g_in)) * b_0 - (db0_ex * g_ex + db0_in * g_in))
        slope_h = (rate_h_ex * g_ex + rate_h_in * g_in) * (b_current + f_h) \
            - (dbh_ex * g_ex + dbh_in * g_in)
        x = (v[j] - v_rest) * weight_0 + ((weight_f0 * f_0 + weight_fh * f_h)
                                          + (slope_0 - slope_h))
        v[j] = x + d
        g_ex_row[j] = g_ex * g_decay_ex
        g_in_row[j] = g_in * g_decay_in
    count = _threshold(v, refractory, parameters, noise, noise_row, noise_offset, spiked, lo, hi)
    if use_synaptic:  # a separate loop, as in _neurons_alpha
        synaptic_ex, synaptic_in = synaptic[0], synaptic[1]
        for j in range(lo, hi):
            g_ex_row[j] += synaptic_ex[j]
            g_in_row[j] -= synaptic_in[j]  # negative weights: |w| onto g_in
    return count


@_jit
def _threshold(v, refractory, parameters, noise, noise_row, noise_offset, spiked, lo, hi):
    """The end of a step of neurons lo..hi-1 whose new potentials are in ``v``: noise, the
    refractory hold, threshold and reset; marks who fired and returns how many."""
    v_reset, v_th = parameters[V_RESET], parameters[V_TH]
    refractory_steps = np.int32(parameters[REFRACTORY_STEPS])
    noise_std = parameters[NOISE_STD]
    has_noise = noise.shape[1] > 0
    noise_now = noise[noise_row if has_noise else 0]
    count = 0
    for j in range(lo, hi):
        x = v[j]
        if has_noise:
            x += noise_std * noise_now[j - noise_offset]
        left = refractory[j]
        held = left > 0
        x = v_reset if held else x
        left = left - 1 if held else left
        fired = x >= v_th
        x = v_reset if fired else x
        refractory[j] = refractory_steps if fired else left
        spiked[j] = fired
        count += fired
        v[j] = x
    return count


@_jit
def step(v, refractory, i_syn, parameters, drive, noise, synaptic, use_synaptic, spiked):
    """One step of a whole batch; returns the number of neurons that fired."""
    # Literal zeros, as in the other callers: each caller then compiles its own _neurons
    # (about 1.5 s once per machine), but with the zeros known the neuron loop runs up to four
    # times faster (W7: 1.1 s with np.int64(0), 0.3 s with 0).
    return _neurons(v, refractory, i_syn, parameters, drive, 0, noise, 0, 0, synaptic,
                    use_synaptic, spiked, 0, v.size)


@_jit
def advance(first_step, steps, lo, hi, v, refractory, i_syn, parameters, drive, generator,
            draw_noise, noise, synaptic, has_input, record_index, trace, spike_steps,
            spike_neurons, spiked):
    """Steps first_step .. first_step+steps-1 of neurons lo..hi-1, which nothing in the run
    reaches. With ``draw_noise``, each step first draws hi − lo standard normals from
    ``generator`` (a numpy Generator: numba runs numpy's own algorithm on its bit generator,
    so the numbers are those numpy's ``standard_normal`` gives, in the order the numpy step
    draws them) into ``noise`` (1, hi − lo), which stays in cache: drawing in the kernel saves
    writing and reading 16 bytes per neuron and step. Records V of ``record_index`` into
    rows of ``trace`` (one per step; none when ``trace`` has no rows). ``synaptic`` (rows,
    channels, n) is read at row i where ``has_input[i]`` (it may be a single unused row when
    there is no input). Appends spikes (absolute step, neuron) to the two arrays and stops
    early, before a step that might not fit, when they are nearly full.

    Returns (steps done, spikes written).
    """
    written, capacity = 0, spike_steps.size
    per_step_drive = drive.shape[0] > 1
    record = trace.shape[0] > 0
    row = noise[0]
    for i in range(steps):
        if capacity - written < hi - lo:
            return i, written
        if draw_noise:
            for j in range(hi - lo):
                row[j] = generator.standard_normal()
        use = has_input[i]
        count = _neurons(v, refractory, i_syn, parameters, drive, i if per_step_drive else 0,
                         noise, 0, lo, synaptic[i if use else 0], use, spiked, lo, hi)
        if count:
            for j in range(lo, hi):
                if spiked[j]:
                    spike_steps[written] = first_step + i
                    spike_neurons[written] = j
                    written += 1
        if record:
            for r in range(record_index.size):
                trace[i, r] = v[record_index[r]]
    return steps, written


@_jit
def network(first_step, steps, groups_v, groups_refractory, groups_i_syn, parameters,
            groups_drive, groups_noise, groups_external, groups_has_external, groups_buffer,
            groups_pending, groups_record_index, groups_record_codes, groups_trace,
            groups_spike_steps,
            groups_spike_neurons, groups_spiked, spike_counts, groups_touched,
            groups_touched_count, n_pathways, pathway_pre, pathway_post, pathway_delay,
            pathway_pre_offset, pathway_rows, pathway_target_offset, pathway_weight,
            pathways_indptr, pathways_targets, pathways_weights, pathways_delays):
    """Steps first_step .. first_step+steps-1 of a network of LIF batches (one thread).

    Each step, as the engine's step-by-step loop does: every batch adds its external input
    of the step to the ring-buffer slot of the step, advances on that slot, clears it,
    records, and appends its spikes; then every pathway (one projection: rows
    ``pathway_rows[p]`` of its presynaptic group from ``pathway_pre_offset[p]`` on, targets
    shifted by ``pathway_target_offset[p]`` in the flattened slot) adds the weights of the
    synapses of the neurons that just fired into the slot of their delay, in the order the
    numpy path adds them; a pathway with no weights array (``pathways_weights[p]`` empty)
    gives every synapse ``pathway_weight[p]``. Arrays of the batches and pathways come as
    tuples (one entry each).
    Stops early, before a step that might not fit in a batch's spike arrays.

    A slot is touched by a few thousand synapses a step where it holds 10⁵ entries, so each
    slot keeps the list of entries written into it (``groups_touched[g][slot]``, its length
    in ``groups_touched_count[g][slot]``, −1 once full or after a dense write such as the
    external input): with exponential current or conductance synapses the neurons then decay
    their currents (conductances) in the dense loop and only the listed entries are added to
    them (the same two roundings, current·decay then ± input, as the dense loop's), and only
    they are cleared; delta
    synapses read the slot densely and clear the listed entries. The dense loop and a
    memset of the slot per step cost more than half the update of 10⁵ neurons.

    Returns (steps done, synaptic events delivered).
    """
    events = 0
    n_groups = len(groups_v)
    for i in range(steps):
        k = first_step + i
        for g in range(n_groups):
            if groups_spike_steps[g].size - spike_counts[g] < groups_v[g].size:
                return i, events
        for g in range(n_groups):
            v, buffer, pending = groups_v[g], groups_buffer[g], groups_pending[g]
            external, has_external = groups_external[g], groups_has_external[g]
            drive, noise = groups_drive[g], groups_noise[g]
            slot = k % buffer.shape[0]
            touched_count = groups_touched_count[g]
            if external.shape[0] > 0 and has_external[i]:
                now = buffer[slot]
                now += external[i]  # (buffer[slot] += ... compiles numba's slice-assignment
                # check, whose error message costs seconds of compilation)
                pending[slot] = True
                touched_count[slot] = -1
            use = pending[slot]
            listed = touched_count[slot]
            conductance = parameters[g][COND_SYNAPSE] != 0.0
            sparse = use and listed >= 0 and parameters[g][ALPHA_SYNAPSE] == 0.0 and \
                (parameters[g][EXP_SYNAPSE] != 0.0 or conductance)
            i_syn = groups_i_syn[g]
            count = _neurons(v, groups_refractory[g], i_syn, parameters[g], drive,
                             i if drive.shape[0] > 1 else 0, noise, i, 0, buffer[slot],
                             use and not sparse, groups_spiked[g], 0, v.size)
            if use:
                entries = buffer[slot].reshape(-1)
                if listed < 0:
                    # (clearing inside the neuron loop, as it reads the slot, stopped the
                    # compiler from vectorising it: twice as slow)
                    entries[:] = 0.0
                else:
                    touched = groups_touched[g][slot]
                    if sparse:
                        # (channels, n) flattened like the slot; a listed entry seen twice
                        # adds 0.0 the second time
                        currents = i_syn.reshape(-1)
                        if conductance:  # the inhibitory row takes |w| of negative weights
                            for q in range(listed):
                                e = touched[q]
                                if e < v.size:
                                    currents[e] += entries[e]
                                else:
                                    currents[e] -= entries[e]
                                entries[e] = 0.0
                        else:
                            for q in range(listed):
                                e = touched[q]
                                currents[e] += entries[e]
                                entries[e] = 0.0
                    else:
                        for q in range(listed):
                            entries[touched[q]] = 0.0
                touched_count[slot] = 0
                pending[slot] = False
            if count:
                spike_counts[g] = _append_spikes(groups_spiked[g], count, k, spike_counts[g],
                                                 groups_spike_steps[g], groups_spike_neurons[g])
            record_index, trace = groups_record_index[g], groups_trace[g]
            codes = groups_record_codes[g]
            for c in range(codes.size):
                code = codes[c]
                values = v if code == 0 else i_syn[code - 1]
                for r in range(record_index.size):
                    trace[c, k, r] = values[record_index[r]]
        for p in range(n_pathways):
            pre, post = pathway_pre[p], pathway_post[p]
            fired_from = spike_counts[n_groups + pre]  # the count before this step, set below
            fired_to = spike_counts[pre]
            if fired_to == fired_from:
                continue
            indptr, targets, weights = pathways_indptr[p], pathways_targets[p], pathways_weights[p]
            delays = pathways_delays[p]
            one_weight = weights.size == 0
            weight = pathway_weight[p]
            buffer, pending = groups_buffer[post], groups_pending[post]
            touched, touched_count = groups_touched[post], groups_touched_count[post]
            capacity = touched.shape[1]
            slots = buffer.shape[0]
            flat = buffer.reshape(-1)
            size = buffer.shape[1] * buffer.shape[2]
            uniform = delays.size == 0
            if uniform:
                slot = (k + pathway_delay[p]) % slots
                row = flat[slot * size:(slot + 1) * size]
            neurons = groups_spike_neurons[pre]
            pre_offset, rows, target = pathway_pre_offset[p], pathway_rows[p], \
                pathway_target_offset[p]
            for s in range(fired_from, fired_to):
                j = neurons[s] - pre_offset
                if j < 0:
                    continue
                if j >= rows:
                    break  # the spikes of a step come in ascending order
                first, last = indptr[j], indptr[j + 1]
                if uniform:
                    listed = touched_count[slot]
                    if listed >= 0 and listed + last - first > capacity:
                        listed = -1  # more than the list holds: the slot is read densely
                    if listed >= 0 and one_weight:
                        for e in range(first, last):
                            entry = target + targets[e]
                            row[entry] += weight
                            touched[slot, listed] = entry
                            listed += 1
                    elif listed >= 0:
                        for e in range(first, last):
                            entry = target + targets[e]
                            row[entry] += weights[e]
                            touched[slot, listed] = entry
                            listed += 1
                    elif one_weight:
                        for e in range(first, last):
                            row[target + targets[e]] += weight
                    else:
                        for e in range(first, last):
                            row[target + targets[e]] += weights[e]
                    touched_count[slot] = listed
                    if last > first:
                        pending[slot] = True
                else:
                    for e in range(first, last):
                        slot_e = (k + delays[e]) % slots
                        entry = target + targets[e]
                        flat[slot_e * size + entry] += weight if one_weight else weights[e]
                        pending[slot_e] = True
                        listed = touched_count[slot_e]
                        if listed >= capacity:
                            touched_count[slot_e] = -1
                        elif listed >= 0:
                            touched[slot_e, listed] = entry
                            touched_count[slot_e] = listed + 1
                events += last - first
        for g in range(n_groups):
            spike_counts[n_groups + g] = spike_counts[g]
    return steps, events


class NetworkRunner:
    """Runs chunks of a network of LIF groups through :func:`network`.

    Built once per run from the engine's groups and pathways: the state arrays, ring
    buffers, record arrays and synapses are handed to the kernel as they are (no copies);
    per chunk only the drives, the source inputs and the noise are laid out.
    """

    def __init__(self, groups, pathways):
        self.groups = groups
        index = {id(group): g for g, group in enumerate(groups)}
        integrators = [group.integrator for group in groups]
        self.v = tuple(integrator.v for integrator in integrators)
        self.refractory = tuple(integrator.refractory for integrator in integrators)
        self.i_syn = tuple(integrator.i_syn for integrator in integrators)
        self.parameters = np.stack([integrator.kernel_parameters for integrator in integrators])
        self.buffers = tuple(group.buffer for group in groups)
        self.pending = tuple(group.pending for group in groups)
        # padded to whole 8-byte words (never set beyond n), for _append_spikes
        self.spiked = tuple(np.zeros(-(-group.n // 8) * 8, dtype=bool) for group in groups)
        # Entries written into each ring-buffer slot, up to an eighth of the slot (beyond,
        # reading it densely is as cheap); slots written before this runner (step 0, by the
        # engine's own step) are read densely (−1).
        self.touched = tuple(
            np.empty((group.slots, max(16, group.channels * group.n // 8)), dtype=np.int64)
            for group in groups)
        self.touched_count = tuple(np.where(group.pending, -1, 0).astype(np.int64)
                                   for group in groups)
        # each group's traces as one array (names × steps × recorded neurons), the names
        # by their codes (RECORD_CODES)
        no_record = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64),
                     np.empty((0, 0, 0)))
        records = [(group.record_index,
                    np.array([RECORD_CODES[name] for name in group.traces], dtype=np.int64),
                    group.trace_stack) if group.traces else no_record for group in groups]
        self.record_index = tuple(record[0] for record in records)
        self.record_codes = tuple(record[1] for record in records)
        self.traces = tuple(record[2] for record in records)
        self.pathway_pre = np.array([index[id(p.pre)] for p in pathways], dtype=np.int64)
        self.pathway_post = np.array([index[id(p.post)] for p in pathways], dtype=np.int64)
        self.pathway_delay = np.array([0 if p.delay is None else p.delay for p in pathways],
                                      dtype=np.int64)
        self.pathway_pre_offset = np.array([p.pre_offset for p in pathways], dtype=np.int64)
        self.pathway_rows = np.array([p.rows for p in pathways], dtype=np.int64)
        self.pathway_target_offset = np.array([p.target_offset for p in pathways], dtype=np.int64)
        # numba indexes a tuple by a run-time index only when its arrays share one type: the
        # row pointers (one per presynaptic neuron) are made int64; the synapse arrays are
        # of one type already unless projections store them differently (then widened).
        no_delays = np.empty(0, dtype=np.int64)
        self.indptr = tuple(p.indptr.astype(np.int64, copy=False) for p in pathways)
        self.targets = _one_type(tuple(p.targets for p in pathways), np.int64)
        self.pathway_weight = np.array([np.nan if p.weight is None else p.weight
                                        for p in pathways])
        stored = [p.weights for p in pathways if p.weight is None]
        none = np.empty(0, dtype=stored[0].dtype if stored else np.float64)
        self.weights = _one_type(tuple(none if p.weight is not None else p.weights
                                       for p in pathways), np.float64)
        self.delays = _one_type(tuple(no_delays if p.delays is None else
                                      p.delays.astype(np.int64, copy=False) for p in pathways),
                                np.int64)
        self._no_external = (np.empty((0, 1, 1)), np.empty(0, dtype=bool))
        self._drives = [None] * len(groups)  # (current object, drive) of constant currents

    def chunk_steps(self, steps, longest):
        """Steps per call: ``longest`` when no group lays out anything per step (constant
        currents, no source inputs, no noise), else ``steps`` (the engine's memory bound)."""
        quiet = all(group.current.constant and not group.sources and group.integrator.noise is None
                    for group in self.groups)
        return longest if quiet else steps

    def _drive(self, g, group):
        if group.constant_current:
            seen = self._drives[g]
            if seen is None or seen[0] is not group.currents:
                self._drives[g] = (group.currents, group.integrator.kernel_drive(group.currents))
            return self._drives[g][1]
        return group.integrator.kernel_drive(group.currents)

    def advance(self, start, stop):
        """Advance the loaded chunk start..stop-1; returns the synaptic events delivered."""
        groups, steps = self.groups, stop - start
        drives = tuple(self._drive(g, group) for g, group in enumerate(groups))
        noise = tuple(group.integrator.kernel_noise(steps) for group in groups)
        external = tuple(self._no_external[0] if group.external is None else group.external
                         for group in groups)
        has_external = tuple(group.has_external for group in groups)
        events, done = 0, 0
        while done < steps:
            for group in groups:
                group.spikes.reserve(group.n)
            counts = np.array([group.spikes.size for group in groups] * 2, dtype=np.int64)
            rest = slice(done, steps)
            did, delivered = network(
                start + done, steps - done, self.v, self.refractory, self.i_syn, self.parameters,
                tuple(d[rest] if d.shape[0] > 1 else d for d in drives),
                tuple(x[rest] if x.shape[1] else x for x in noise),
                tuple(x[rest] if x.shape[0] else x for x in external),
                tuple(h[rest] for h in has_external), self.buffers, self.pending,
                self.record_index, self.record_codes, self.traces,
                tuple(group.spikes.steps for group in groups),
                tuple(group.spikes.neurons for group in groups), self.spiked, counts,
                self.touched, self.touched_count,
                len(self.indptr), self.pathway_pre, self.pathway_post, self.pathway_delay,
                self.pathway_pre_offset, self.pathway_rows, self.pathway_target_offset,
                self.pathway_weight, self.indptr, self.targets, self.weights, self.delays)
            for g, group in enumerate(groups):
                group.spikes.size = int(counts[g])
            events += delivered
            done += did
        return events


def _one_type(arrays, wide):
    """The arrays with one numba type, as a tuple indexed at run time needs: their own dtype
    when they share one, else all converted to ``wide``; C-contiguous; and, when some are
    read-only and others not, all as read-only views (no copy: the kernels only read them)."""
    if len({array.dtype for array in arrays}) > 1:
        arrays = tuple(array.astype(wide, copy=False) for array in arrays)
    arrays = tuple(np.ascontiguousarray(array) for array in arrays)
    if len({array.flags.writeable for array in arrays}) > 1:
        views = []
        for array in arrays:
            view = array.view()
            view.flags.writeable = False
            views.append(view)
        arrays = tuple(views)
    return arrays
