"""Compiled event-pair sum of ``SpikeTrainFit``'s Hessian (numba, the extra ``spikeneuron[fast]``).

The same sum as the numpy reference ``_Events.pair_sum``, Σ over event pairs e <= f in one
inter-spike segment of decay^{m_f − m_e} g_f into row j_f, column j_e, done pair by pair
instead of through (sources × block) dense products: the work is the number of such pairs
(events × the events within reach in a segment), not events × sources, and no block is held.
Imported only when a fit asks for the 'numba' backend; ``cache=True`` keeps the machine code
on disk.

Rounding: the decay of a pair comes from a table of e^{−lag·dt/tau_m} by lag (one rounding;
the numpy path's products within a block carry up to k·eps over k events); pairs whose decay
falls below eps² (≈ 72 tau_m apart) are left out: all terms
are non-negative, so the omission is below eps² × (events within one tau_m) relative to the
diagonal of the same rows.
"""

import numba

_jit = numba.njit(cache=True, nogil=True)


@_jit
def pair_rows(steps, sources, first, weights, decays, order, lo, hi, out):
    """Add, for events f = order[lo:hi], Σ_{first_f <= e <= f, m_f − m_e < decays.size}
    decays[m_f − m_e] · weights[f] into out[sources[f], sources[e]] (in place).

    ``order`` lists the events by source, so one output row is filled at a time and stays
    in cache while the walk back over each event's predecessors reads the event arrays in
    sequence (by time, the rows written would be scattered over the whole matrix). The
    decays come from a table by lag, so the pairs do not wait on one another."""
    max_lag = decays.size - 1
    for number in range(lo, hi):
        f = order[number]
        row = out[sources[f]]
        g = weights[f]
        if g == 0.0:
            continue
        step = steps[f]
        for e in range(f, first[f] - 1, -1):
            lag = step - steps[e]
            if lag > max_lag:
                break
            row[sources[e]] += g * decays[lag]
