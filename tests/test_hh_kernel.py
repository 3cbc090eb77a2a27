"""HHIntegrator.advance (many steps in one call) against the step-by-step reference, and the
compiled kernel (backend 'numba') against numpy, spike for spike.

The numpy ``advance`` loops over ``step``, so it must agree with a hand-written loop exactly.
The kernel repeats the numpy step operation for operation except for two things: it computes
the rates from two shared exponentials (within 1.4e-14 of numpy's, see hh.py), and its exp is
its own (``hh_kernels._exp``, within two ulp), which differs from numpy's vectorised exp in the
last bit for some arguments. Those differences start at ~1e-14 relative and grow through the spikes' upstrokes
(measured: at most 4e-11 mV after 2000 steps of 1000 neurons at up to 20 µA/cm²), so the
backends must give the same spike steps and neurons, with potentials and lags within 1e-9
(mV, ms) over runs of a few thousand steps.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spikeneuron import ExpSynapse, HodgkinHuxley, _kernels, _parallel, simulate
from spikeneuron.models import hh, hh_compiled, hh_stepping

needs_numba = pytest.mark.skipif(not _kernels.available,
                                 reason="numba (extra 'fast') not installed")
TOLERANCE = 1e-9  # mV and ms: see the module docstring
DT = 0.01


def scenario(name, n=30, steps=3000, seed=0):
    """(model, v_init, first inputs, currents, synaptic, has_input) for a named case."""
    rng = np.random.default_rng(seed)
    model, v_init, at_zero = HodgkinHuxley(), None, None
    currents, synaptic, has_input = np.linspace(0.0, 20.0, n), None, np.zeros(steps, bool)
    if name == "constant currents":  # one per neuron, as in W4
        pass
    elif name == "float current":
        currents = 9.0
    elif name == "per-step currents":
        currents = rng.uniform(0.0, 25.0, size=(steps, n))
    elif name == "per-step column":
        currents = np.where(np.arange(steps) % 1000 < 300, 15.0, 0.0)[:, None]
    elif name == "delta inputs":
        # Poisson-like input: on 5 % of the steps, jumps of a few mV, some lifting V over 0
        currents = 5.0
        has_input = rng.random(steps) < 0.05
        synaptic = np.where(rng.random((steps, 1, n)) < 0.5,
                            rng.normal(4.0, 8.0, (steps, 1, n)), 0.0)
        at_zero = rng.normal(0.0, 5.0, (1, n))
    elif name == "exp inputs":
        model = HodgkinHuxley(synapse=ExpSynapse(tau_ex=2.0, tau_in=5.0))
        currents = np.linspace(0.0, 5.0, n)
        has_input = rng.random(steps) < 0.05
        synaptic = np.stack([rng.exponential(8.0, (steps, n)), -rng.exponential(4.0, (steps, n))],
                            axis=1)
        at_zero = np.stack([np.full(n, 3.0), np.zeros(n)])
    elif name == "v_init above the level":
        v_init = np.linspace(-80.0, 30.0, n)
    else:
        raise ValueError(name)
    return model, v_init, at_zero, currents, synaptic, has_input


SCENARIOS = ["constant currents", "float current", "per-step currents", "per-step column",
             "delta inputs", "exp inputs", "v_init above the level"]


def started(model, n, v_init, at_zero, backend):
    integrator = model.integrator(DT, n, v_init)
    integrator.use_backend(backend)
    integrator.step(0.0, at_zero, propagate=False)
    return integrator


def step_loop(integrator, first_step, currents, synaptic, has_input, names, indices):
    """The reference: one step() per grid step, spikes collected as the engine does."""
    steps, neurons, lags = [], [], []
    traces = {name: [] for name in names}
    for i in range(has_input.size):
        current = currents[i] if np.ndim(currents) == 2 else currents
        spiked = integrator.step(current, synaptic[i] if has_input[i] else None)
        fired = np.flatnonzero(spiked)
        steps += [first_step + i] * fired.size
        neurons += list(fired)
        lags += list(integrator.spike_lag[fired])
        for name in names:
            traces[name].append(integrator.read(name)[indices].copy())
    return (np.array(steps, dtype=np.int64), np.array(neurons, dtype=np.int64), np.array(lags),
            {name: np.array(rows) for name, rows in traces.items()})


def advanced(integrator, first_step, currents, synaptic, has_input, names, indices):
    traces = {name: np.full((has_input.size, len(indices)), np.nan) for name in names}
    steps, neurons, lags = integrator.advance(first_step, currents, synaptic, has_input,
                                              record=(indices, traces) if names else None)
    return steps, neurons, lags, traces


def state(integrator):
    return {name: integrator.read(name).copy() for name in integrator.recordable} | {
        "spike_lag": integrator.spike_lag.copy()}


def assert_same_run(expected, got, tolerance):
    (steps, neurons, lags, traces), expected_state = expected
    (got_steps, got_neurons, got_lags, got_traces), got_state = got
    np.testing.assert_array_equal(got_steps, steps)
    np.testing.assert_array_equal(got_neurons, neurons)
    np.testing.assert_allclose(got_lags, lags, rtol=0, atol=tolerance)
    assert got_steps.dtype == got_neurons.dtype == np.int64
    for name, trace in traces.items():
        # the ionic currents are conductances (up to 120 mS/cm²) times potentials: their
        # error is about g · |V - E| times the relative error of the gates
        scale = 1e3 if name.startswith("i_") and not name.startswith("i_syn") else 1.0
        np.testing.assert_allclose(got_traces[name], trace, rtol=0, atol=scale * tolerance,
                                   err_msg=name)
    for name, values in expected_state.items():
        scale = 1e3 if name in ("i_na", "i_k", "i_l") else 1.0
        np.testing.assert_allclose(got_state[name], values, rtol=0, atol=scale * tolerance,
                                   err_msg=name)


def run_both(name, backend, n=30, steps=3000, names=(), indices=(), chunks=(1000, 2000)):
    """The step loop on numpy, and advance on ``backend`` in chunks, from the same start."""
    model, v_init, at_zero, currents, synaptic, has_input = scenario(name, n, steps)
    indices = np.asarray(indices, dtype=np.int64)
    runs = []
    for runner, which in ((step_loop, "numpy"), (advanced, backend)):
        integrator = started(model, n, v_init, at_zero, which)
        parts = []
        for start, stop in zip((0, *chunks), (*chunks, steps)):
            rows = slice(start, stop)
            parts.append(runner(integrator, 1 + start,
                                currents[rows] if np.ndim(currents) == 2 else currents,
                                None if synaptic is None else synaptic[rows], has_input[rows],
                                names, indices))
        steps_, neurons, lags = (np.concatenate([part[j] for part in parts]) for j in range(3))
        traces = {key: np.concatenate([part[3][key] for part in parts]) for key in names}
        runs.append(((steps_, neurons, lags, traces), state(integrator)))
    assert runs[0][0][0].size > 0, "the scenario should make spikes"
    return runs


# --- numpy: advance is the step loop ------------------------------------------------------

@pytest.mark.parametrize("name", SCENARIOS)
def test_numpy_advance_equals_the_step_loop(name):
    names = ("v", "m", "i_na") + (("i_syn_ex",) if name == "exp inputs" else ())
    expected, got = run_both(name, "numpy", n=12, steps=1500, names=names, indices=[0, 5, 11],
                             chunks=(700,))
    assert_same_run(expected, got, tolerance=0.0)


def test_numpy_advance_without_spikes_returns_empty_int_arrays():
    integrator = started(HodgkinHuxley(), 3, None, None, "numpy")
    steps, neurons, lags = integrator.advance(1, 0.0, None, np.zeros(50, bool))
    assert steps.size == neurons.size == lags.size == 0
    assert steps.dtype == neurons.dtype == np.int64


# --- numba: the kernel against numpy --------------------------------------------------------

@needs_numba
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", SCENARIOS)
def test_kernel_advance_equals_numpy_steps(name, threads, monkeypatch):
    monkeypatch.setattr(_parallel, "threads", threads)
    monkeypatch.setattr(_parallel, "BLOCK", 7)  # 30 neurons: blocks of 7, 7, 7, 7, 2
    expected, got = run_both(name, "numba")
    assert_same_run(expected, got, TOLERANCE)


@needs_numba
def test_kernel_records_what_read_returns(monkeypatch):
    monkeypatch.setattr(_parallel, "BLOCK", 4)
    recordable = HodgkinHuxley(synapse="exp").integrator(DT, 1, None).recordable
    expected, got = run_both("exp inputs", "numba", n=10, steps=1500, names=recordable,
                             indices=[9, 0, 4, 5], chunks=(600,))
    assert_same_run(expected, got, TOLERANCE)


@needs_numba
def test_kernel_results_do_not_depend_on_threads_or_blocks(monkeypatch):
    runs = []
    for threads, block in ((1, 1 << 15), (2, 5), (2, 1 << 15)):
        monkeypatch.setattr(_parallel, "threads", threads)
        monkeypatch.setattr(_parallel, "BLOCK", block)
        runs.append(run_both("delta inputs", "numba", n=23, steps=1200, chunks=())[1])
    for (result, final), (first_result, first_final) in zip(runs[1:], [runs[0]] * 2):
        for a, b in zip(result[:3], first_result[:3]):
            np.testing.assert_array_equal(a, b)
        for key in final:
            np.testing.assert_array_equal(final[key], first_final[key])


@needs_numba
def test_spike_buffers_grow_when_full(monkeypatch):
    monkeypatch.setattr(hh_compiled, "_SPIKES_PER_NEURON", 1)  # room for one step's spikes at first
    monkeypatch.setattr(_parallel, "BLOCK", 4)
    expected, got = run_both("constant currents", "numba", n=10, steps=6000, chunks=())
    assert expected[0][0].size > 3 * 4 * 2  # blocks of 4 neurons start with room for 4
    assert_same_run(expected, got, TOLERANCE)


@needs_numba
@pytest.mark.parametrize("kernel_below", [hh_stepping.KERNEL_STEP_BELOW, 10])
@pytest.mark.parametrize("name", ["delta inputs", "exp inputs"])
def test_kernel_step_equals_numpy_step(name, kernel_below, monkeypatch):
    """step() with backend 'numba' (what networks call once per grid step): the kernel for
    small batches, numpy (then exactly) for larger ones."""
    monkeypatch.setattr(hh_stepping, "KERNEL_STEP_BELOW", kernel_below)
    model, v_init, at_zero, currents, synaptic, has_input = scenario(name, n=20, steps=2000)
    runs = [step_loop(started(model, 20, v_init, at_zero, backend), 1, currents, synaptic,
                      has_input, ("v",), np.arange(20)) for backend in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[1][0], runs[0][0])
    np.testing.assert_array_equal(runs[1][1], runs[0][1])
    assert runs[0][0].size > 0
    tolerance = TOLERANCE if 20 < kernel_below else 0.0
    np.testing.assert_allclose(runs[1][2], runs[0][2], rtol=0, atol=tolerance)
    np.testing.assert_allclose(runs[1][3]["v"], runs[0][3]["v"], rtol=0, atol=tolerance)


@needs_numba
def test_simulate_gives_the_same_spikes_on_both_backends():
    runs = [simulate(HodgkinHuxley(), duration=50.0, dt=DT, current=np.linspace(0.0, 20.0, 40),
                     record_v=[0, 39], backend=backend) for backend in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[1].spike_steps, runs[0].spike_steps)
    np.testing.assert_array_equal(runs[1].spike_neurons, runs[0].spike_neurons)
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=TOLERANCE)


@needs_numba
@settings(max_examples=15, deadline=None)
@given(v_init=st.floats(-90.0, 40.0), current=st.floats(0.0, 40.0),
       jump=st.floats(-30.0, 60.0), at=st.integers(0, 599))
def test_kernel_equals_numpy_for_any_start_current_and_jump(v_init, current, jump, at):
    has_input = np.zeros(600, bool)
    has_input[at] = True
    synaptic = np.full((600, 1, 1), jump)
    runs = []
    for backend in ("numpy", "numba"):
        integrator = started(HodgkinHuxley(), 1, v_init, None, backend)
        runs.append((integrator.advance(1, current, synaptic, has_input), state(integrator)))
    (steps, neurons, lags), final = runs[0]
    (got_steps, got_neurons, got_lags), got_final = runs[1]
    np.testing.assert_array_equal(got_steps, steps)
    np.testing.assert_array_equal(got_neurons, neurons)
    np.testing.assert_allclose(got_lags, lags, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(got_final["v"], final["v"], rtol=0, atol=TOLERANCE)


# --- the kernel's rates ---------------------------------------------------------------------

def dense_potentials():
    """[-200, 200] mV every 1e-3 mV, and around the removable singularities at -40 and -55 mV
    down to the spacing of doubles."""
    offsets = np.concatenate([-np.logspace(-14, 0.5, 300), [0.0], np.logspace(-14, 0.5, 300)])
    return np.concatenate([np.linspace(-200.0, 200.0, 400001), -40.0 + offsets, -55.0 + offsets,
                           [np.nextafter(-40.0, 0.0), np.nextafter(-55.0, -np.inf)]])


@needs_numba
def test_kernel_rates_equal_the_rate_functions():
    """Shared exponentials plus the series below |x| = 0.1 (hh.py derives 1.6e-14 at worst)
    against the per-formula functions, which use expm1 near the singularities."""
    v = dense_potentials()
    integrator = HodgkinHuxley().integrator(DT, v.size, v)
    integrator.use_backend("numba")
    alpha, beta = integrator.rates()
    assert np.all(np.isfinite(alpha)) and np.all(np.isfinite(beta))
    for row, (a, b) in enumerate([(hh.alpha_m, hh.beta_m), (hh.alpha_h, hh.beta_h),
                                  (hh.alpha_n, hh.beta_n)]):
        np.testing.assert_allclose(alpha[row], a(v), rtol=1e-13, atol=0)
        np.testing.assert_allclose(beta[row], b(v), rtol=1e-13, atol=0)
    assert alpha[0][v == -40.0][0] == 1.0 and alpha[2][v == -55.0][0] == 0.1


@needs_numba
def test_kernel_traub_miles_rates_equal_numpys():
    """The kernel's Traub–Miles rates (two shared exponentials; x / (e^x − 1) from its series
    below |x| = 0.5, whose first omitted term is 5.2e-18, and from P⁸ or P¹⁰ beyond) against
    the numpy step's (six exponentials, expm1) over V in [-200, 200] mV and densely around the
    removable singularities u = 13, 15 and 40 mV. Bound: P¹⁰ carries ten times exp's 2 ulp
    and ten roundings (5.5e-15), which e^x − 1 amplifies by e^x / |e^x − 1| <= 2.54 where
    |x| >= 0.5 (1.4e-14), plus the last roundings: tolerance 2e-14; measured 1.1e-14."""
    from spikeneuron import TraubMiles

    v_t = -63.0
    near = np.concatenate([-np.logspace(-14, 1, 300), [0.0], np.logspace(-14, 1, 300)])
    v = np.concatenate([np.linspace(-200.0, 200.0, 400001)]
                       + [v_t + u + near for u in (13.0, 15.0, 40.0)]
                       + [[np.nextafter(v_t + u, 0.0), np.nextafter(v_t + u, -np.inf)]
                          for u in (13.0, 15.0, 40.0)])
    reference, kernel = (TraubMiles(v_t=v_t).integrator(DT, v.size, v) for _ in range(2))
    kernel.use_backend("numba")
    for got, expected in zip(kernel.rates(), reference.rates()):
        assert np.all(np.isfinite(got))
        np.testing.assert_allclose(got, expected, rtol=2e-14, atol=0)


def test_shared_rates_in_plain_python_at_the_singular_points():
    """The kernel's rate function is plain Python too: it runs (slowly) without numba."""
    for v in (-40.0, -55.0, -40.0 + 1e-13, -55.0 - 1e-9, -65.0, -200.0, 200.0):
        alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h = hh._shared_rates(v)
        expected = (hh.alpha_m(v), hh.alpha_n(v), hh.alpha_h(v), hh.beta_m(v), hh.beta_n(v),
                    hh.beta_h(v))
        np.testing.assert_allclose((alpha_m, alpha_n, alpha_h, beta_m, beta_n, beta_h),
                                   expected, rtol=1e-13, atol=0)


def test_backend_is_checked():
    integrator = HodgkinHuxley().integrator(DT, 2, None)
    with pytest.raises(ValueError, match="backend"):
        integrator.use_backend("fortran")


# --- the kernel's exponential and its vectorised passes -----------------------------------

@needs_numba
@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(float).eps,
                    reason="needs an extended-precision long double as the reference")
def test_kernel_exp_is_within_two_units_in_the_last_place():
    """hh_kernels._exp (basic operations and a table, so that the kernel's loops vectorise)
    against exp in extended precision (64-bit mantissa: 2e-19 relative, 1/1000 of an ulp
    of a double), compiled and in plain Python alike; 0, infinity and NaN at the edges."""
    import numba

    from spikeneuron.models import hh_kernels

    hh_kernels._advance_kernel()  # registers the kernel's helpers with numba

    @numba.njit
    def each(x, out):
        for i in range(x.size):
            out[i] = hh_kernels._exp(x[i])

    rng = np.random.default_rng(4)
    x = np.concatenate([rng.uniform(-10.0, 10.0, 100_000), rng.uniform(-708.0, 709.7, 100_000),
                        [0.0, 1e-300, -1e-300, 5e-324]])
    got = np.empty_like(x)
    each(x, got)
    exact = np.exp(x.astype(np.longdouble))
    assert np.all(np.abs(got - exact) <= 2 * np.spacing(exact.astype(float)))
    assert got[-4] == 1.0
    python = np.array([hh_kernels._exp(value) for value in x[::997]])
    np.testing.assert_array_equal(python, got[::997])
    edges = np.array([-720.0, -746.0, -800.0, -np.inf, 709.9, 710.0, 1e300, np.inf, np.nan])
    got = np.empty_like(edges)
    each(edges, got)
    assert np.all((got[:4] >= 0.0) & (got[:4] < 2.3e-308))  # below the smallest normal
    np.testing.assert_array_equal(got[4:8], np.inf)
    assert np.isnan(got[8])


@needs_numba
def test_w4_sized_batch_spikes_alike_on_both_backends():
    """W4's batch (1000 neurons, constant currents 0..20 µA/cm², dt 0.01 ms) for 100 ms:
    the kernel's vectorised passes (blocks of neurons over threads) against the numpy step,
    spike for spike, potentials within the module's tolerance."""
    runs = [simulate(HodgkinHuxley(), duration=100.0, dt=DT, current=np.linspace(0.0, 20.0, 1000),
                     record_v=[0, 400, 999], backend=backend) for backend in ("numpy", "numba")]
    assert runs[0].spike_steps.size > 1000
    np.testing.assert_array_equal(runs[1].spike_steps, runs[0].spike_steps)
    np.testing.assert_array_equal(runs[1].spike_neurons, runs[0].spike_neurons)
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=TOLERANCE)
