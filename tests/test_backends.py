"""The compiled backend (numba, extra 'fast') against the numpy reference, spike for spike on
the same seeds, over every path the engine can take; and the threaded blocks against one thread.

The kernels do the floating-point operations of the numpy step in the same order, so the
potentials agree to the last bit, not only the spikes; the tests say so (array_equal).
"""

import numpy as np
import pytest

from spikeneuron import (LIF, EscapeNoise, ExpSynapse, HodgkinHuxley, MembraneNoise, Network,
                         fixed_probability, from_arrays, one_to_one, poisson_inputs, simulate)
from spikeneuron import _kernels, _parallel
from spikeneuron.lab.cli import experiments

needs_numba = pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")


def _same_spikes(a, b):
    np.testing.assert_array_equal(a.spike_steps, b.spike_steps)
    np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)


def _both(run):
    """``run(backend)`` on numpy and on numba."""
    return run("numpy"), run("numba")


# --- simulate: one group, advanced a chunk at a time -------------------------------------

CURRENTS = {
    "none": None,
    "scalar": 1.6,
    "per-neuron": np.linspace(0.0, 2.5, 30),
    "per-step": np.random.default_rng(5).uniform(0.0, 3.0, size=(3000, 30)),
    "per-step-shared": np.random.default_rng(6).uniform(0.0, 3.0, size=3000),
    "callable": lambda t: 1.5 + np.sin(t / 20.0),
}


@needs_numba
@pytest.mark.parametrize("synapse", ["delta", "exp"])
@pytest.mark.parametrize("sigma", [0.0, 3.0])
@pytest.mark.parametrize("current", list(CURRENTS))
def test_simulate_numba_equals_numpy(synapse, sigma, current):
    neuron = LIF(synapse=synapse, membrane_noise=MembraneNoise(sigma=sigma) if sigma else None)
    inputs = poisson_inputs(np.full(50, 40.0), 300.0, seed=3)
    rng = np.random.default_rng(4)
    weights = rng.normal(0.3 if synapse == "exp" else 2.0, 1.0, size=(50, 30))
    runs = _both(lambda backend: simulate(
        neuron, duration=300.0, inputs=inputs, weights=weights, current=CURRENTS[current], n=30,
        v_init=np.linspace(-75.0, -50.0, 30), seed=9, record_v=True, backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0
    np.testing.assert_array_equal(runs[1].v, runs[0].v)


@needs_numba
@pytest.mark.parametrize("record_v", [False, [3, 0, 17]])
def test_simulate_records_and_spikes_only_agree(record_v):
    neuron = LIF(synapse="exp", membrane_noise=MembraneNoise(sigma=2.0))
    runs = _both(lambda backend: simulate(neuron, duration=200.0, current=np.linspace(1, 2.5, 20),
                                          seed=1, record_v=record_v, backend=backend))
    _same_spikes(*runs)
    if record_v:
        np.testing.assert_array_equal(runs[1].v, runs[0].v)


@needs_numba
def test_record_vars_other_than_v_fall_back_and_agree():
    neuron = LIF(synapse="exp")
    inputs = poisson_inputs(np.full(20, 50.0), 100.0, seed=2)
    runs = _both(lambda backend: simulate(neuron, duration=100.0, inputs=inputs,
                                          weights=np.full((20, 4), 0.4), current=1.0,
                                          record_vars=["i_syn_ex"], backend=backend))
    _same_spikes(*runs)
    np.testing.assert_array_equal(runs[1].traces["i_syn_ex"], runs[0].traces["i_syn_ex"])


@needs_numba
def test_more_spikes_than_the_kernels_spike_arrays_hold():
    """Every neuron fires at every step (t_ref 0, 1000 nA): the kernels fill their spike
    arrays, return early and resume; nothing may be lost."""
    neuron = LIF(t_ref=0.0)
    runs = _both(lambda backend: simulate(neuron, duration=500.0, current=1000.0, n=10,
                                          inputs=[[1.0]], weights=[0.0], backend=backend,
                                          record_v=False))
    _same_spikes(*runs)
    assert runs[1].spike_counts.tolist() == [5000] * 10  # steps 1..5000; t = 0 has no current


@needs_numba
def test_uncovered_models_run_on_numpy_with_either_backend():
    """Escape noise and coloured noise have no kernel: 'numba' must give numpy's spikes."""
    for model in (LIF(escape_noise=EscapeNoise(delta_u=2.0)),
                  LIF(membrane_noise=MembraneNoise(sigma=3.0, tau=5.0))):
        runs = _both(lambda backend: simulate(model, duration=100.0, current=1.4, n=20, seed=3,
                                              record_v=False, backend=backend))
        _same_spikes(*runs)
        assert runs[0].spike_counts.sum() > 0


@pytest.mark.parametrize("backend", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_noise_blocks_do_not_depend_on_threads(backend, monkeypatch):
    neuron = LIF(membrane_noise=MembraneNoise(sigma=4.0), v_th=-60.0)
    n = 2 * _parallel.BLOCK + 5  # four blocks of about 16 000
    runs = []
    for threads in (1, 2):
        monkeypatch.setattr(_parallel, "threads", threads)
        runs.append(simulate(neuron, duration=5.0, n=n, seed=11, record_v=False, backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0


@needs_numba
@pytest.mark.parametrize("record_v", [False, [0, 150, 299]])
def test_noise_blocks_numba_equals_numpy(monkeypatch, record_v):
    """The kernel draws white noise itself, block by block, from the blocks' streams: the
    same numbers as numpy's step draws (numba runs numpy's algorithm on the bit generator)."""
    monkeypatch.setattr(_parallel, "BLOCK", 64)  # 300 neurons: four blocks of 75
    neuron = LIF(membrane_noise=MembraneNoise(sigma=4.0), synapse="exp")
    runs = _both(lambda backend: simulate(neuron, duration=50.0, n=300, current=1.3, seed=4,
                                          record_v=record_v, backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0
    if record_v:
        np.testing.assert_array_equal(runs[1].v, runs[0].v)


def test_blocks_are_even_and_cover_the_batch():
    for n in (1, _parallel.BLOCK, _parallel.BLOCK + 1, 100_000, 1_000_003):
        blocks = _parallel.blocks(n)
        sizes = [block.stop - block.start for block in blocks]
        assert blocks[0].start == 0 and blocks[-1].stop == n
        assert all(a.stop == b.start for a, b in zip(blocks, blocks[1:]))
        assert max(sizes) <= _parallel.BLOCK and max(sizes) - min(sizes) <= 1
        assert len(blocks) == 1 or len(blocks) % 4 == 0


# --- networks: the compiled network kernel, and the step-by-step path ----------------------

@needs_numba
def test_cuba_numba_equals_numpy():
    cuba = experiments()["cuba"]
    runs = _both(lambda backend: cuba.build_network(seed=2).run(150.0, dt=0.1, seed=2,
                                                                backend=backend))
    for name in ("exc", "inh"):
        _same_spikes(runs[0][name], runs[1][name])
    assert runs[0].synaptic_events == runs[1].synaptic_events > 0


def _mixed_network(second_model):
    """Two groups (two models), external inputs, noise, per-synapse delays, records."""
    net = Network()
    net.add_population("a", LIF(synapse="exp", membrane_noise=MembraneNoise(sigma=1.5)), 60,
                       current=np.linspace(1.0, 1.8, 60), record_v=[0, 5, 59])
    net.add_population("b", second_model, 40, record_v=True,
                       v_init=np.linspace(-70.0, -56.0, 40) if isinstance(second_model, LIF) else None)
    net.add_input("a", poisson_inputs(np.full(60, 30.0), 200.0, seed=5), one_to_one(0.5))
    net.add_input("b", poisson_inputs(np.full(10, 80.0), 200.0, seed=6),
                  np.random.default_rng(7).uniform(0.0, 3.0, size=(10, 40)))
    net.connect("a", "a", fixed_probability(0.1, 0.2, autapses=False), delay=1.0)
    net.connect("a", "b", fixed_probability(0.2, 2.0), delay=0.5)
    rng = np.random.default_rng(8)
    pre, post = rng.integers(0, 40, 300), rng.integers(0, 60, 300)
    net.connect("b", "a", from_arrays(pre, post, -0.3, delays=rng.choice([0.1, 0.7, 2.3], 300)))
    return net


@needs_numba
@pytest.mark.parametrize("second", ["lif-delta", "hh"])
def test_network_of_two_groups_numba_equals_numpy(second):
    """All LIF: the compiled network kernel; with a Hodgkin–Huxley group: step by step."""
    model = LIF(t_ref=1.0) if second == "lif-delta" else HodgkinHuxley()
    dt = 0.1 if second == "lif-delta" else 0.01
    runs = _both(lambda backend: _mixed_network(model).run(200.0, dt=dt, seed=3, backend=backend))
    for name in ("a", "b"):
        _same_spikes(runs[0][name], runs[1][name])
    np.testing.assert_array_equal(runs[1]["a"].v, runs[0]["a"].v)
    # The HH kernel's exponentials come from libm, numpy's from its own SIMD code: they may
    # differ in the last bit, so its potentials agree to rounding, not to the bit.
    np.testing.assert_allclose(runs[1]["b"].v, runs[0]["b"].v, rtol=0,
                               atol=0 if second == "lif-delta" else 1e-9)
    assert runs[0]["a"].spike_counts.sum() > 0 and runs[0]["b"].spike_counts.sum() > 0
    assert runs[0].synaptic_events == runs[1].synaptic_events > 0


@needs_numba
def test_network_kernel_resumes_when_spike_arrays_fill():
    net_runs = []
    for backend in ("numpy", "numba"):
        net = Network()
        net.add_population("a", LIF(t_ref=0.0), 300, current=1000.0)
        net.connect("a", "a", fixed_probability(0.05, 0.1), delay=0.2)
        net_runs.append(net.run(30.0, seed=1, backend=backend))
    _same_spikes(net_runs[0]["a"], net_runs[1]["a"])
    assert net_runs[0]["a"].spike_counts.tolist() == [300] * 300  # every step from 1 to 300


def test_backend_is_checked():
    with pytest.raises(ValueError, match="backend"):
        simulate(LIF(), duration=1.0, backend="fortran")
    if not _kernels.available:
        with pytest.raises(ImportError, match="spikeneuron\\[fast\\]"):
            simulate(LIF(), duration=1.0, backend="numba")


def test_the_default_backend_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("SPIKENEURON_BACKEND", "numpy")
    assert _kernels.resolve_backend(None, "simulate") == "numpy"
    assert _kernels.resolve_backend("numpy", "simulate") == "numpy"  # an explicit choice wins
    monkeypatch.setenv("SPIKENEURON_BACKEND", "fortran")
    with pytest.raises(ValueError, match="SPIKENEURON_BACKEND must be 'numpy' or 'numba'. Got 'fortran'"):
        simulate(LIF(), duration=1.0)
    if not _kernels.available:
        monkeypatch.setenv("SPIKENEURON_BACKEND", "numba")
        with pytest.raises(ImportError, match="spikeneuron\\[fast\\]"):
            simulate(LIF(), duration=1.0)


def test_one_loop_serves_both_entry_points(monkeypatch):
    """simulate and Network.run both go through engine.run, the one time loop."""
    from spikeneuron import engine

    calls = []
    loop = engine.run
    monkeypatch.setattr(engine, "run", lambda *args, **kwargs: calls.append(1) or loop(*args, **kwargs))
    simulate(LIF(), duration=5.0, current=2.0)
    net = Network()
    net.add_population("a", LIF(), 2)
    net.run(5.0)
    assert len(calls) == 2
