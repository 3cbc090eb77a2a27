"""The Traub–Miles neuron against an independent integration of benchmark 3's equations.

The reference is written from the published equations (Brette et al. 2007, benchmark 3, as
Brian2's COBAHH example and NEST's hh_cond_exp_traub state them), not from spikeneuron's code,
and integrated by scipy's DOP853 with rtol = atol = 1e-10 between the input times, the
conductance jumps applied exactly at their grid times; its spike times (upward crossings of
-20 mV, located by solve_ivp's event finder) are good to ~1e-8 ms.

Exponential Euler, the method Brian2 uses for this benchmark, is written out below as Brian2
applies it (every variable x' = A + B x advanced by x∞ + (x − x∞) e^{B dt} with A, B taken at
the start of the step), so that the comparison of the accuracy target is with the method, on
the same inputs.

Measured (seed 3 below, 500 ms, 300 excitatory and 30 inhibitory Poisson inputs at 10 Hz,
+6 / -67 nS: 69 spikes): with the default 8 sub-steps the first ten spike times are off by
3.5e-3 ms at dt 0.1 ms; the plain step (``substeps=1``) by 0.213 ms at dt 0.1 ms (exponential
Euler 1.58 ms, and 63 spikes), 0.057 at 0.05, 0.0153 at 0.025, 0.0038 at 0.0125, 0.0024 at
0.01 ms. Over 20 seeds × 2 input mixes (300 / 30 and 200 / 40 inputs;
benchmarks/traub_accuracy.py) the plain step's count at dt 0.1 ms is one or two short on 22 of
the 40 (a near-threshold upswing it lets fall back); with the default ``substeps=8`` it is the
reference's on all 40, the first-ten error at most 0.20 ms, 62 to 3000 times smaller than
exponential Euler's.
"""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from spikeneuron import (
    CoarseTimeStepWarning,
    CondExpSynapse,
    ExpSynapse,
    TraubMiles,
    ValidationError,
    _kernels,
    simulate,
    spike_trains,
)
from spikeneuron.models import traub_miles

BACKENDS = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    not _kernels.available, reason="numba (extra 'fast') not installed"))]

C, G_L, G_NA, G_K, E_L, E_K, E_NA, V_T = 200.0, 10.0, 20000.0, 6000.0, -60.0, -90.0, 50.0, -63.0
TAU_EX, TAU_IN, E_EX, E_IN = 5.0, 10.0, 0.0, -80.0
GRID = 0.1  # ms: the inputs sit on this grid, so on every grid tested here
DURATION = 500.0


def reference_rates(v):
    u = v - V_T
    return (0.32 * (13 - u) / (np.exp((13 - u) / 4) - 1), 0.28 * (u - 40) / (np.exp((u - 40) / 5) - 1),
            0.128 * np.exp((17 - u) / 18), 4 / (1 + np.exp((40 - u) / 5)),
            0.032 * (15 - u) / (np.exp((15 - u) / 5) - 1), 0.5 * np.exp((10 - u) / 40))


def reference_gates(v):
    a_m, b_m, a_h, b_h, a_n, b_n = reference_rates(v)
    return a_m / (a_m + b_m), a_h / (a_h + b_h), a_n / (a_n + b_n)


def reference_rhs(t, y, current_pa):
    v, m, h, n, g_ex, g_in = y
    a_m, b_m, a_h, b_h, a_n, b_n = reference_rates(v)
    ionic = (G_L * (v - E_L) + G_NA * m**3 * h * (v - E_NA) + G_K * n**4 * (v - E_K)
             + g_ex * (v - E_EX) + g_in * (v - E_IN))
    return [(current_pa - ionic) / C, a_m * (1 - m) - b_m * m, a_h * (1 - h) - b_h * h,
            a_n * (1 - n) - b_n * n, -g_ex / TAU_EX, -g_in / TAU_IN]


def reference_spikes(jumps_ex, jumps_in, v0, current_pa=0.0):
    """Spike times (ms) of the reference over DURATION; jumps are nS per GRID step."""
    def crossing(t, y, current_pa):
        return y[0] + 20.0
    crossing.direction = 1
    y = [v0, *reference_gates(v0), 0.0, 0.0]
    events = np.flatnonzero((jumps_ex > 0) | (jumps_in > 0))
    spikes, t0 = [], 0.0
    for k in [*events, round(DURATION / GRID)]:
        t1 = k * GRID
        if t1 > t0:
            solution = solve_ivp(reference_rhs, (t0, t1), y, method="DOP853", rtol=1e-10,
                                 atol=1e-10, events=crossing, args=(current_pa,))
            spikes.extend(solution.t_events[0])
            y = list(solution.y[:, -1])
        if k < jumps_ex.size:
            y[4] += jumps_ex[k]
            y[5] += jumps_in[k]
        t0 = t1
    return np.array(spikes)


def exponential_euler_spikes(jumps_ex, jumps_in, v0, dt):
    """Brian2's exponential Euler on the same equations (spikes by linear interpolation)."""
    per = round(GRID / dt)
    v, (m, h, n), g_ex, g_in = v0, reference_gates(v0), 0.0, 0.0
    trace = [v]
    for k in range(1, round(DURATION / dt) + 1):
        a_m, b_m, a_h, b_h, a_n, b_n = reference_rates(v)
        g_tot = G_L + g_ex + g_in + G_NA * m**3 * h + G_K * n**4
        v_inf = (G_L * E_L + g_ex * E_EX + g_in * E_IN + G_NA * m**3 * h * E_NA
                 + G_K * n**4 * E_K) / g_tot
        v = v_inf + (v - v_inf) * math.exp(-g_tot * dt / C)
        gates = []
        for x, a, b in ((m, a_m, b_m), (h, a_h, b_h), (n, a_n, b_n)):
            gates.append(a / (a + b) + (x - a / (a + b)) * math.exp(-(a + b) * dt))
        m, h, n = gates
        g_ex *= math.exp(-dt / TAU_EX)
        g_in *= math.exp(-dt / TAU_IN)
        if k % per == 0 and k // per < jumps_ex.size:
            g_ex += jumps_ex[k // per]
            g_in += jumps_in[k // per]
        trace.append(v)
    trace = np.array(trace)
    k = np.flatnonzero((trace[:-1] < -20.0) & (trace[1:] >= -20.0))
    return (k + (-20.0 - trace[k]) / (trace[k + 1] - trace[k])) * dt


def poisson_scenario(seed, n_ex=300, n_in=30, rate_hz=10.0):
    """Poisson inputs on the 0.1-ms grid: spike trains for simulate (excitatory sources first,
    weights +6 / -67 nS) and the summed conductance jumps per grid step for the references."""
    rng = np.random.default_rng(seed)
    steps = round(DURATION / GRID)
    trains, weights = [], []
    for count, weight in ((n_ex, 6.0), (n_in, -67.0)):
        for _ in range(count):
            k = np.flatnonzero(rng.random(steps) < rate_hz * GRID / 1000.0) + 1
            trains.append(k * GRID)
            weights.append(weight)
    jumps_ex, jumps_in = np.zeros(steps + 1), np.zeros(steps + 1)
    for times, weight in zip(trains, weights):
        k = np.rint(times / GRID).astype(int)
        np.add.at(jumps_ex if weight > 0 else jumps_in, k, abs(weight))
    return spike_trains(trains), np.array(weights), jumps_ex, jumps_in


@pytest.fixture(scope="module")
def scenario():
    trains, weights, jumps_ex, jumps_in = poisson_scenario(3)
    v0 = -65.0
    return dict(trains=trains, weights=weights, v0=v0,
                reference=reference_spikes(jumps_ex, jumps_in, v0),
                euler=exponential_euler_spikes(jumps_ex, jumps_in, v0, 0.1))


def ours(scenario, dt, backend="numpy", model=None, **kwargs):
    return simulate(model or TraubMiles(), duration=DURATION, dt=dt, inputs=scenario["trains"],
                    weights=scenario["weights"], v_init=scenario["v0"], record_v=False,
                    backend=backend, **kwargs).spike_times[0]


def first_ten_error(spikes, reference):
    assert spikes.size >= 10 and reference.size >= 10
    return np.max(np.abs(spikes[:10] - reference[:10]))


# --- parameters and rate functions ---------------------------------------------------------

def test_defaults_are_those_of_benchmark_3():
    model = TraubMiles()
    assert (model.c_m, model.g_l, model.g_na, model.g_k) == (200.0, 10.0, 20000.0, 6000.0)
    assert (model.e_l, model.e_k, model.e_na, model.v_t, model.v_detect) == (-60, -90, 50, -63, -20)
    assert model.synapse == CondExpSynapse(tau_ex=5.0, tau_in=10.0, e_ex=0.0, e_in=-80.0)
    assert (model.substeps, model.substep_above) == (8, -60.0)  # the accurate step is the default
    state = model.resting_state()
    assert state.v == -60.0
    np.testing.assert_allclose((state.m, state.h, state.n), reference_gates(-60.0), rtol=1e-14)


def test_rate_functions_follow_the_published_formulas():
    v = np.linspace(-100.0, 60.0, 1601) + 0.0123  # off the removable singularities
    got = traub_miles.traub_rates(v)
    names = ("alpha_m", "beta_m", "alpha_h", "beta_h", "alpha_n", "beta_n")
    for name, expected in zip(names, reference_rates(v)):
        np.testing.assert_allclose(got[name], expected, rtol=1e-12, err_msg=name)


@pytest.mark.parametrize("name, v0, limit", [("alpha_m", V_T + 13, 1.28), ("beta_m", V_T + 40, 1.4),
                                             ("alpha_n", V_T + 15, 0.16)])
def test_removable_singularities_take_their_limits(name, v0, limit):
    assert traub_miles.traub_rates(v0)[name] == pytest.approx(limit, rel=1e-15)
    near = traub_miles.traub_rates(np.array([v0 - 1e-6, v0 + 1e-6]))[name]
    np.testing.assert_allclose(near, limit, rtol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_integrator_rates_equal_the_rate_functions(backend):
    v = np.concatenate([np.linspace(-150.0, 100.0, 2001), [V_T + 13, V_T + 40, V_T + 15]])
    integrator = TraubMiles().integrator(0.01, v.size, v_init=v)
    integrator.use_backend(backend)
    alpha, beta = integrator.rates()
    expected = traub_miles.traub_rates(v)
    for row, gate in enumerate("mhn"):
        np.testing.assert_allclose(alpha[row], expected[f"alpha_{gate}"], rtol=1e-13, atol=0)
        np.testing.assert_allclose(beta[row], expected[f"beta_{gate}"], rtol=1e-13, atol=0)


@pytest.mark.parametrize("changes, name", [
    (dict(c_m=0.0), "c_m"), (dict(g_l=-1.0), "g_l"), (dict(g_na=-1.0), "g_na"),
    (dict(v_t=float("nan")), "v_t"), (dict(e_na=float("inf")), "e_na"),
    (dict(v_detect=-70.0), "v_detect"), (dict(synapse="alpha"), "synapse")])
def test_bad_parameters_are_refused_by_name(changes, name):
    with pytest.raises(ValidationError, match=name):
        TraubMiles(**changes)


def test_coarse_step_warns_above_the_benchmark_step(recwarn):
    simulate(TraubMiles(), duration=1.0, dt=0.1)
    assert not [w for w in recwarn if issubclass(w.category, CoarseTimeStepWarning)]
    with pytest.warns(CoarseTimeStepWarning, match="Traub–Miles"):
        simulate(TraubMiles(), duration=1.0, dt=0.2)


# --- accuracy -------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_spike_times_against_the_reference_and_exponential_euler(scenario, backend):
    """The issue's target: at dt 0.1 ms the reference's spike count and the first ten spike
    times at least 4× closer than exponential Euler's; at dt 0.01 ms within 0.02 ms.
    Measured: 0.1 ms → 0.029 ms (exponential Euler 1.58 ms), 0.01 ms → 2.4e-4 ms."""
    reference, euler = scenario["reference"], scenario["euler"]
    coarse, fine = ours(scenario, 0.1, backend), ours(scenario, 0.01, backend)
    assert reference.size >= 10
    assert coarse.size == reference.size
    assert first_ten_error(coarse, reference) * 4 <= first_ten_error(euler, reference)
    assert first_ten_error(fine, reference) <= 0.02


FAST = "numba" if _kernels.available else "numpy"  # where the backends are tested equal


@pytest.mark.parametrize("substeps", [1, 8])
def test_convergence_order_is_two(scenario, substeps):
    """Slope of log(error of the first ten spikes) against log(dt), dt 0.1 → 0.0125 ms; the
    splitting is second order, with or without sub-steps (the first spike alone is too close
    to its input's grid time to show the rate). Measured 1.94 (plain), 1.96 (8 sub-steps: 3.5e-3 ms at dt 0.1 ms)."""
    steps = np.array([0.1, 0.05, 0.025, 0.0125])
    errors = [first_ten_error(ours(scenario, dt, FAST, model=TraubMiles(substeps=substeps)),
                              scenario["reference"]) for dt in steps]
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert 1.8 <= slope <= 2.2, (errors, slope)


@pytest.fixture(scope="module")
def hard_scenarios():
    """Four scenarios as one batch (each neuron driven by its own inputs), their references
    and exponential Euler's spikes (see the test below)."""
    cases = [(7, 300, 30), (8, 300, 30), (0, 200, 40), (11, 200, 40)]
    trains, columns, references, eulers = [], [], [], []
    for column, (seed, n_ex, n_in) in enumerate(cases):
        scenario_trains, weights, jumps_ex, jumps_in = poisson_scenario(seed, n_ex, n_in)
        trains += list(scenario_trains)
        columns += [(column, weight) for weight in weights]
        references.append(reference_spikes(jumps_ex, jumps_in, -65.0))
        eulers.append(exponential_euler_spikes(jumps_ex, jumps_in, -65.0, 0.1))
    matrix = np.zeros((len(trains), len(cases)))
    for row, (column, weight) in enumerate(columns):
        matrix[row, column] = weight
    return cases, spike_trains(trains), matrix, references, eulers


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_sub_steps_give_the_spike_counts_the_plain_step_gets_wrong(hard_scenarios, backend):
    """The count target with ``substeps=8`` on four scenarios, all neurons of one batch (each
    driven by its own inputs): seeds 7 and 8 with 300 / 30 inputs, 0 and 11 with 200 / 40,
    whose count at dt 0.1 ms the plain step misses by a spike (a late, near-threshold upswing
    it lets fall back; measured 60, 56, 7, 20 spikes against the reference's 62, 57, 8, 21,
    and asserted below). With the sub-steps: the reference's counts, and the first ten spikes
    at least 4× closer than exponential Euler's (measured 62-300×)."""
    cases, trains, matrix, references, eulers = hard_scenarios
    runs = [simulate(TraubMiles(substeps=substeps), duration=DURATION, dt=0.1,
                     inputs=trains, weights=matrix, v_init=-65.0, record_v=False,
                     backend=backend).spike_times for substeps in (1, 8)]
    plain, got = runs
    assert all(p.size < r.size for p, r in zip(plain, references))  # the step that is fixed
    for spikes, reference, euler, case in zip(got, references, eulers, cases):
        assert spikes.size == reference.size, case
        first = min(10, reference.size, euler.size)
        ours_error = np.max(np.abs(spikes[:first] - reference[:first]))
        euler_error = np.max(np.abs(euler[:first] - reference[:first]))
        assert ours_error * 4 <= euler_error, case


@pytest.mark.parametrize("backend", BACKENDS)
def test_spontaneous_firing_and_an_injected_current_follow_the_reference(backend):
    """Without input the benchmark's neuron fires by itself (no stable rest); 0.2 nA more
    (200 pA in the reference) shortens its period. The first spike within 50 ms⁻¹ · dt², the
    mean period too: measured per period 0.011 ms (0 nA, 72.2-ms period) and 0.0072 ms
    (0.2 nA, 21.8 ms) at dt 0.02 ms, i.e. 27 and 18 ms⁻¹ · dt²; the phase errors add up over
    the run."""
    no_input = np.zeros(round(DURATION / GRID) + 1)
    dt = 0.02
    for current_na in (0.0, 0.2):
        reference = reference_spikes(no_input, no_input, E_L, current_pa=1000.0 * current_na)
        got = simulate(TraubMiles(), duration=DURATION, dt=dt, current=current_na,
                       record_v=False, backend=backend).spike_times[0]
        assert got.size == reference.size >= 5
        assert abs(got[0] - reference[0]) <= 50.0 * dt**2
        period, reference_period = np.mean(np.diff(got)), np.mean(np.diff(reference))
        assert abs(period - reference_period) <= 50.0 * dt**2


# --- synapses -------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_conductances_jump_by_the_weights_and_decay_exactly(backend):
    """+6 nS at 10 ms into g_ex and −67 nS (as +67 nS) at 20 ms into g_in, decaying with
    5 and 10 ms; i_syn = g_ex (e_ex − V) + g_in (e_in − V) in nA."""
    result = simulate(TraubMiles(), duration=60.0, dt=0.1, inputs=[[10.0], [20.0]],
                      weights=[6.0, -67.0], record_vars=("g_ex", "g_in", "i_syn"),
                      backend=backend)
    t, traces = result.t, result.traces
    expected_ex = np.where(t >= 10.0 - 1e-9, 6.0 * np.exp(-(t - 10.0) / TAU_EX), 0.0)
    expected_in = np.where(t >= 20.0 - 1e-9, 67.0 * np.exp(-(t - 20.0) / TAU_IN), 0.0)
    np.testing.assert_allclose(traces["g_ex"][:, 0], expected_ex, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(traces["g_in"][:, 0], expected_in, rtol=1e-12, atol=1e-15)
    v = result.v[:, 0]
    np.testing.assert_allclose(
        traces["i_syn"][:, 0], (expected_ex * (E_EX - v) + expected_in * (E_IN - v)) / 1000.0,
        rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_exponential_current_synapse_in_nanoamperes(backend):
    """An exp-synapse weight of 1 nA is 1000 pA on 200 pF: against the reference with that
    current (its conductance rows unused), the first spikes within 100 ms⁻¹ · dt²."""
    model = TraubMiles(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))
    dt, t_in, weight = 0.01, 5.0, 0.4

    def rhs(t, y):
        derivative = reference_rhs(t, [*y[:4], 0.0, 0.0], 0.0)[:4]
        derivative[0] += 1000.0 * weight * math.exp(-(t - t_in) / 5.0) / C if t >= t_in else 0.0
        return derivative

    def crossing(t, y):
        return y[0] + 20.0
    crossing.direction = 1
    y0 = [E_L, *reference_gates(E_L)]
    first = solve_ivp(rhs, (0.0, t_in), y0, method="DOP853", rtol=1e-10, atol=1e-10)
    second = solve_ivp(rhs, (t_in, 100.0), first.y[:, -1], method="DOP853", rtol=1e-10,
                       atol=1e-10, events=crossing)
    reference = second.t_events[0]
    got = simulate(model, duration=100.0, dt=dt, inputs=[[t_in]], weights=[weight],
                   record_v=False, backend=backend).spike_times[0]
    assert got.size == reference.size >= 2
    np.testing.assert_allclose(got, reference, atol=100.0 * dt**2)


def test_delta_synapse_jumps_the_potential_by_the_weight():
    result = simulate(TraubMiles(synapse="delta"), duration=5.0, dt=0.1, inputs=[[2.0]],
                      weights=[3.0], backend="numpy")
    k = round(2.0 / 0.1)
    before = simulate(TraubMiles(synapse="delta"), duration=5.0, dt=0.1, backend="numpy").v
    assert result.v[k, 0] - before[k, 0] == pytest.approx(3.0, abs=1e-12)


# --- backends and batches -------------------------------------------------------------------

@pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")
@pytest.mark.parametrize("substeps", [1, 8])
@pytest.mark.parametrize("synapse", ["cond_exp", "exp", "delta"])
def test_both_backends_give_the_same_spikes_and_potentials(synapse, substeps):
    """Same spikes; V and the recorded state equal to rounding (the kernel's exp is its own,
    its rates within 2e-15 of numpy's, test_hh_kernel.py; the upstrokes amplify such
    differences: measured at most 4e-9 mV over 500 ms with the C library's, tolerance 1e-7)."""
    trains, weights, _, _ = poisson_scenario(7, n_ex=40, n_in=10)
    excitatory, inhibitory = {"cond_exp": (6.0, -67.0), "exp": (0.1, -0.3),
                              "delta": (1.0, -2.0)}[synapse]  # nS, nA, mV
    weights = np.where(weights > 0, excitatory, inhibitory)
    names = {"cond_exp": ("g_ex", "g_in", "m", "i_na"), "exp": ("i_syn_ex", "h"),
             "delta": ("n",)}[synapse]
    runs = [simulate(TraubMiles(synapse=synapse, substeps=substeps), duration=DURATION,
                     dt=0.05, inputs=trains,
                     weights=np.outer(weights, [1.0, 0.5, 1.5]), current=[0.0, 0.1, 0.0],
                     record_vars=names, backend=backend) for backend in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].spike_steps, runs[1].spike_steps)
    np.testing.assert_array_equal(runs[0].spike_neurons, runs[1].spike_neurons)
    assert runs[0].spike_steps.size > 10
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=1e-7)
    np.testing.assert_allclose(runs[1].spike_lags, runs[0].spike_lags, rtol=0, atol=1e-9)
    for name in names:
        np.testing.assert_allclose(runs[1].traces[name], runs[0].traces[name], rtol=1e-7,
                                   atol=1e-9, err_msg=name)


@pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")
@pytest.mark.parametrize("synapse", ["cond_exp", "delta"])
def test_a_large_batch_on_numba_substeps_its_fast_neurons_by_the_kernel(monkeypatch, synapse):
    """Batches of TRAUB_KERNEL_STEP_BELOW neurons or more step on numpy with backend 'numba', with
    ``substeps`` the neurons above ``substep_above`` by the kernel (cond_exp and exp synapses; delta ones
    sub-step on numpy): the same spikes as numpy, V to rounding (tolerance as above)."""
    from spikeneuron.models import hh_stepping

    monkeypatch.setattr(hh_stepping, "TRAUB_KERNEL_STEP_BELOW", 0)
    trains, weights, _, _ = poisson_scenario(5, n_ex=40, n_in=10)
    if synapse == "delta":
        weights = np.where(weights > 0, 1.0, -2.0)  # mV
    runs = [simulate(TraubMiles(synapse=synapse, substeps=8), duration=300.0, dt=0.1,
                     inputs=trains,
                     weights=np.outer(weights, [1.0, 0.5, 1.5]), backend=backend)
            for backend in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].spike_steps, runs[1].spike_steps)
    np.testing.assert_array_equal(runs[0].spike_neurons, runs[1].spike_neurons)
    assert runs[0].spike_steps.size > 10
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=1e-7)
    np.testing.assert_allclose(runs[1].spike_lags, runs[0].spike_lags, rtol=0, atol=1e-9)


def test_batch_equals_its_neurons_one_by_one():
    trains, weights, _, _ = poisson_scenario(11, n_ex=30, n_in=8)
    matrix = np.outer(weights, [1.0, 2.0, 0.5])
    batch = simulate(TraubMiles(), duration=200.0, dt=0.1, inputs=trains, weights=matrix,
                     v_init=[-60.0, -65.0, -70.0], backend="numpy")
    for j, v0 in enumerate((-60.0, -65.0, -70.0)):
        alone = simulate(TraubMiles(), duration=200.0, dt=0.1, inputs=trains,
                         weights=matrix[:, j], v_init=v0, backend="numpy")
        np.testing.assert_array_equal(batch.v[:, j], alone.v[:, 0])


def test_docstring_examples():
    import doctest

    failures, _ = doctest.testmod(traub_miles, optionflags=doctest.ELLIPSIS)
    assert failures == 0


@pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")
@pytest.mark.filterwarnings("ignore::spikeneuron.CoarseTimeStepWarning")
def test_a_network_runs_fused_on_the_kernel_with_the_spikes_of_numpy():
    """Two Traub–Miles populations (and a classic HH one with delta synapses) linked by
    excitatory and inhibitory projections with uniform and per-synapse delays: the fused
    compiled runner (every step, batch and delivery in one call) gives numpy's spikes, and
    records g_ex and V to rounding."""
    from spikeneuron import HodgkinHuxley, Network, engine, fixed_probability, from_arrays

    def build():
        rng = np.random.default_rng(2)
        net = Network()
        net.add_population("exc", TraubMiles(), 80, v_init=-65.0 + rng.normal(0, 5, 80),
                           init={"g_ex": rng.uniform(0, 60, 80), "g_in": 50.0},
                           record_v=[0, 5], record_vars=("g_ex", "i_syn"))
        net.add_population("inh", TraubMiles(), 20, v_init=-65.0 + rng.normal(0, 5, 20))
        net.add_population("hh", HodgkinHuxley(), 10, current=8.0)
        net.connect("exc", "exc", fixed_probability(0.1, 6.0), delay=0.2)
        net.connect("exc", "inh", fixed_probability(0.1, 6.0))
        pre, post = rng.integers(0, 20, 300), rng.integers(0, 80, 300)
        net.connect("inh", "exc", from_arrays(pre, post, -67.0, delays=rng.uniform(0.1, 1.0, 300)))
        net.connect("hh", "exc", fixed_probability(0.5, 3.0))
        return net

    runner = {}
    original = engine._fused_network

    def spy(groups, pathways):
        runner["made"] = original(groups, pathways)
        return runner["made"]

    numpy_run = build().run(200.0, dt=0.1, backend="numpy", seed=9)
    engine._fused_network = spy
    try:
        fused = build().run(200.0, dt=0.1, backend="numba", seed=9)
    finally:
        engine._fused_network = original
    assert runner["made"] is not None  # the fused runner did the run
    for name in ("exc", "inh", "hh"):
        np.testing.assert_array_equal(fused[name].spike_steps, numpy_run[name].spike_steps)
        np.testing.assert_array_equal(fused[name].spike_neurons, numpy_run[name].spike_neurons)
    assert numpy_run["exc"].spike_steps.size > 50 and numpy_run["hh"].spike_steps.size > 5
    np.testing.assert_allclose(fused["exc"].v, numpy_run["exc"].v, rtol=0, atol=1e-7)
    for trace in ("g_ex", "i_syn"):
        np.testing.assert_allclose(fused["exc"].traces[trace], numpy_run["exc"].traces[trace],
                                   rtol=1e-9, atol=1e-9)


@pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")
@pytest.mark.parametrize("substeps", [8, 1])
def test_a_cobahh_sized_network_steps_on_the_kernel_with_the_spikes_of_numpy(substeps):
    """W8's network at a quarter of its size (800 + 200 neurons, each population above
    KERNEL_STEP_BELOW): on numba the fused runner steps it, the vectorised passes with the
    sub-stepped neurons gathered into their own; numpy's spikes, V to rounding (1e-7 mV, as
    above)."""
    from spikeneuron import engine
    from spikeneuron.lab import bundled_experiments

    def run(backend):
        network = bundled_experiments()["cobahh"].build_network(
            seed=4, n_exc=800, n_inh=200, neuron=TraubMiles(substeps=substeps), record=7)
        return network.run(50.0, dt=0.1, seed=4, backend=backend)

    runner = {}
    original = engine._fused_network

    def spy(groups, pathways):
        runner["made"] = original(groups, pathways)
        return runner["made"]

    numpy_run = run("numpy")
    engine._fused_network = spy
    try:
        fused = run("numba")
    finally:
        engine._fused_network = original
    assert runner["made"] is not None
    for name in ("exc", "inh"):
        np.testing.assert_array_equal(fused[name].spike_steps, numpy_run[name].spike_steps)
        np.testing.assert_array_equal(fused[name].spike_neurons, numpy_run[name].spike_neurons)
        np.testing.assert_allclose(fused[name].spike_lags, numpy_run[name].spike_lags, rtol=0,
                                   atol=1e-9)
    np.testing.assert_allclose(fused["exc"].v, numpy_run["exc"].v, rtol=0, atol=1e-7)
    np.testing.assert_allclose(fused["exc"].traces["g_ex"], numpy_run["exc"].traces["g_ex"],
                               rtol=1e-9, atol=1e-9)
    assert numpy_run["exc"].spike_steps.size > 500


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_sets_gates_and_conductances_at_time_zero(backend):
    """init= of m, h, n (here 0, as Brian2's COBAHH example leaves them) and of g_ex, g_in:
    the recorded state at t = 0 is what was set, and the (subthreshold) run follows the
    reference started from that state: measured 7.6e-6 mV and 1.7e-7 in h at dt 0.01 ms,
    allowed ten times that."""
    init = {"m": 0.0, "h": 0.0, "n": 0.0, "g_ex": 40.0, "g_in": 200.0}
    result = simulate(TraubMiles(), duration=60.0, dt=0.01, v_init=-65.0, init=init,
                      record_vars=("m", "h", "n", "g_ex", "g_in"), backend=backend)
    for name, value in init.items():
        assert result.traces[name][0, 0] == value
    y0 = [-65.0, 0.0, 0.0, 0.0, 40.0, 200.0]
    reference = solve_ivp(reference_rhs, (0.0, 60.0), y0, method="DOP853", rtol=1e-10,
                          atol=1e-10, t_eval=result.t, args=(0.0,))
    np.testing.assert_allclose(result.v[:, 0], reference.y[0], atol=7.6e-5)
    np.testing.assert_allclose(result.traces["h"][:, 0], reference.y[2], atol=1.7e-6)
