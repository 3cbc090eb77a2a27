"""The compiled backend (numba, extra 'fast') against the numpy reference, spike for spike on
the same seeds, over every path the engine can take; and the threaded blocks against one thread.

The kernels do the floating-point operations of the numpy step in the same order, so the
potentials agree to the last bit, not only the spikes; the tests say so (array_equal).
"""

import numpy as np
import pytest

from spikeneuron import (
    LIF,
    AdEx,
    EscapeNoise,
    HodgkinHuxley,
    Izhikevich,
    MembraneNoise,
    Network,
    _kernels,
    _parallel,
    fixed_probability,
    from_arrays,
    one_to_one,
    poisson_inputs,
    simulate,
)
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
@pytest.mark.parametrize("synapse", ["delta", "exp", "alpha", "cond_exp"])
@pytest.mark.parametrize("sigma", [0.0, 3.0])
@pytest.mark.parametrize("current", list(CURRENTS))
def test_simulate_numba_equals_numpy(synapse, sigma, current):
    neuron = LIF(synapse=synapse, membrane_noise=MembraneNoise(sigma=sigma) if sigma else None,
                 r_m=100.0 if synapse == "cond_exp" else 10.0)
    inputs = poisson_inputs(np.full(50, 40.0), 300.0, seed=3)
    rng = np.random.default_rng(4)
    # mV (delta), nA (exp, alpha), nS (cond_exp, of a 10-nS leak)
    mean = {"delta": 2.0, "exp": 0.3, "alpha": 0.3, "cond_exp": 1.0}[synapse]
    weights = rng.normal(mean, 1.0, size=(50, 30))
    runs = _both(lambda backend: simulate(
        neuron, duration=300.0, inputs=inputs, weights=weights, current=CURRENTS[current], n=30,
        v_init=np.linspace(-75.0, -50.0, 30), seed=9, record_v=True, backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0
    np.testing.assert_array_equal(runs[1].v, runs[0].v)


@needs_numba
@pytest.mark.parametrize("synapse", ["delta", "exp", "alpha", "cond_exp"])
@pytest.mark.parametrize("current", [1.7, lambda t: 1.5 + 0.6 * np.sin(t / 7.0)],
                         ids=["constant", "in-time"])
def test_one_current_for_all_neurons_agrees(synapse, current):
    """The same current for every neuron, constant or changing in time: the kernel reads one
    drive per step for all (delta and exp synapses) instead of one per neuron, in a network
    (fused kernel) and alone (advance, with noise), to the same V as numpy's."""
    neuron = LIF(tau_m=20.0, r_m=10.0, synapse=synapse, membrane_noise=MembraneNoise(sigma=1.0))
    weight = 6.0 if synapse == "cond_exp" else 0.3

    def network(backend):
        net = Network()
        net.add_population("a", neuron, 120, current=current, record_v=[0, 119],
                           v_init=np.linspace(-70.0, -55.0, 120))
        net.connect("a", "a", fixed_probability(0.1, weight), delay=0.2)
        return net.run(100.0, seed=4, backend=backend)["a"]

    for run in (network, lambda backend: simulate(neuron, duration=100.0, n=30, current=current,
                                                  seed=4, backend=backend)):
        runs = _both(run)
        _same_spikes(*runs)
        np.testing.assert_array_equal(runs[1].v, runs[0].v)
        assert runs[0].spike_counts.sum() > 0


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
@pytest.mark.parametrize("synapse", ["exp", "alpha", "cond_exp"])
def test_record_vars_other_than_v_fall_back_and_agree(synapse):
    neuron = LIF(synapse=synapse)
    inputs = poisson_inputs(np.full(20, 50.0), 100.0, seed=2)
    names = ["g_ex", "g_in", "i_syn_ex"] if synapse == "cond_exp" else ["i_syn_ex"]
    weights = np.where(np.arange(20)[:, None] < 15, 0.4, -0.4) * np.ones((20, 4))
    runs = _both(lambda backend: simulate(neuron, duration=100.0, inputs=inputs,
                                          weights=weights, current=1.0,
                                          record_vars=names, backend=backend))
    _same_spikes(*runs)
    for name in names:
        np.testing.assert_array_equal(runs[1].traces[name], runs[0].traces[name])
        assert np.any(runs[0].traces[name])


@needs_numba
@pytest.mark.parametrize("record_vars", [(), ("g_ex",)])
def test_conductances_from_small_to_enormous_numba_equals_numpy(record_vars):
    """1 to 10⁶ nS (exponents of the conductance step from 2.5e-4 to 250, weights down to
    e^{-250}): the backends agree to the bit."""
    neuron = LIF(tau_m=20.0, r_m=100.0, v_rest=-60.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0,
                 synapse="cond_exp")
    g = np.geomspace(1.0, 1e6, 40)
    runs = _both(lambda backend: simulate(neuron, duration=50.0, init={"g_ex": g, "g_in": g[::-1]},
                                          current=0.1, record_vars=record_vars, backend=backend))
    _same_spikes(*runs)
    np.testing.assert_array_equal(runs[1].v, runs[0].v)
    assert np.all(np.isfinite(runs[0].v)) and runs[0].spike_counts.sum() > 0


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
        runs = _both(lambda backend, model=model: simulate(model, duration=100.0, current=1.4, n=20, seed=3,
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
def test_listed_slot_entries_give_the_dense_result():
    """The network kernel adds to the exponential currents only the entries a slot lists, and
    reads a slot densely once a step wrote more than its list holds (an eighth of the slot,
    here 100): a few spikes a step (listed), a step where all 400 neurons fire (8000
    entries), and weights of one stored value and per synapse, agree with numpy to the bit."""
    n, steps = 400, 2000
    current = np.zeros((steps, n))
    current[:, :8] = np.linspace(2.2, 3.0, 8)  # eight pacemakers
    current[1000:1010] = 50.0  # a pulse that makes every neuron fire in one step
    runs = []
    for backend in ("numpy", "numba"):
        rng = np.random.default_rng(4)
        net = Network()
        net.add_population("a", LIF(synapse="exp"), n, current=current, record_v=True)
        net.connect("a", "a", fixed_probability(0.05, 0.3), delay=0.2)
        net.add_population("i", LIF(synapse="exp"), 50, current=1.5)
        net.connect("i", "a", from_arrays(rng.integers(0, 50, 500), rng.integers(0, n, 500),
                                          -rng.uniform(0.1, 0.5, 500)), delay=0.1)
        runs.append(net.run(steps * 0.1, seed=2, backend=backend))
    _same_spikes(runs[0]["a"], runs[1]["a"])
    np.testing.assert_array_equal(runs[0]["a"].v, runs[1]["a"].v)
    fired_at_pulse = np.unique(runs[0]["a"].spike_neurons[
        (runs[0]["a"].spike_steps > 1000) & (runs[0]["a"].spike_steps <= 1012)])
    assert fired_at_pulse.size > n // 2  # (those not refractory): the lists overflowed


@needs_numba
def test_a_network_with_empty_projections_runs_on_the_kernel():
    """COBA's builder at p = 1e-7 leaves most projections without a synapse: their empty
    weight and target arrays must share one type with the others (a read-only one among
    writable ones made numba refuse the tuple), and the run equals numpy's."""
    coba = experiments()["coba"]
    runs = _both(lambda backend: coba.build_network(seed=12345, traced=(), p_connect=1e-7)
                 .run(5.0, seed=3, backend=backend))  # the seed draws the synapses
    assert sum(1 for p in runs[0].projections if p.weights.nnz == 0) >= 2
    for name in ("exc", "inh"):
        _same_spikes(runs[0][name], runs[1][name])


@needs_numba
@pytest.mark.parametrize("synapse, record_vars, fused", [
    ("exp", ("i_syn_in",), True), ("alpha", (), True), ("alpha", ("i_syn_ex", "i_syn_in"), True),
    ("cond_exp", (), True), ("cond_exp", ("g_ex", "g_in"), True),
    ("cond_exp", ("g_in", "i_syn_ex"), False)])
def test_networks_of_the_new_synapses_numba_equals_numpy(synapse, record_vars, fused,
                                                         monkeypatch):
    """E–I networks with alpha or conductance synapses: the fused network kernel (records of
    V and of the synaptic state as stored), or the per-group kernel step by step (a
    conductance synapse's current, computed from V), against numpy."""
    from spikeneuron.models import lif_kernels

    if fused:  # the step-by-step kernel must not be reached
        monkeypatch.setattr(lif_kernels, "step", None)
    def build():
        model = LIF(tau_m=20.0, r_m=100.0, v_rest=-60.0, v_reset=-60.0, v_th=-50.0, t_ref=5.0,
                    synapse=synapse)
        rng = np.random.default_rng(0)
        w_ex, w_in = (6.0, -67.0) if synapse == "cond_exp" else (0.05, -0.4)
        net = Network()
        net.add_population("e", model, 160, current=0.2, v_init=rng.normal(-55.0, 5.0, 160),
                           record_v=[0, 7], record_vars=record_vars)
        net.add_population("i", model, 40, current=0.2, v_init=rng.normal(-55.0, 5.0, 40))
        for pre, w in (("e", w_ex), ("i", w_in)):
            for post in ("e", "i"):
                net.connect(pre, post, fixed_probability(0.1, w), delay=0.2)
        return net

    runs = _both(lambda backend: build().run(200.0, seed=1, backend=backend))
    for name in ("e", "i"):
        _same_spikes(runs[0][name], runs[1][name])
    np.testing.assert_array_equal(runs[1]["e"].v, runs[0]["e"].v)
    for name in record_vars:
        np.testing.assert_array_equal(runs[1]["e"].traces[name], runs[0]["e"].traces[name])
    assert runs[0]["e"].spike_counts.sum() > 0 and runs[0].synaptic_events > 0


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


_COMPILE_AND_RUN = """
import hashlib, numpy as np
from spikeneuron import HodgkinHuxley, LIF, Network, fixed_probability, simulate
net = Network()
net.add_population("a", LIF(synapse="exp"), 200, current=np.linspace(1.4, 2.2, 200))
net.connect("a", "a", fixed_probability(0.1, 0.2), delay=0.5)
runs = [net.run(100.0, seed=1, backend="numba")["a"],
        simulate(LIF(), duration=100.0, current=[1.6, 2.0], backend="numba"),
        simulate(HodgkinHuxley(), duration=20.0, dt=0.01, current=[8.0, 12.0], backend="numba")]
print(hashlib.sha1(b"".join(r.spike_steps.tobytes() + r.spike_neurons.tobytes()
                            for r in runs)).hexdigest())
"""


@needs_numba
@pytest.mark.slow
def test_two_processes_compiling_into_one_fresh_cache_at_once(tmp_path):
    """The kernels are cached on disk (numba's cache=True, one file per kernel written whole
    and renamed into place): two processes compiling into an empty cache at the same time
    both succeed with the same spikes, and a third loads what they left."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-c", _COMPILE_AND_RUN]
    both = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=600) for process in both]
    assert [process.returncode for process in both] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] != ""
    cached = sorted(path.name for path in (tmp_path / "cache").rglob("*.nbi"))
    assert len(cached) >= 3  # index files of the network, LIF and HH kernels
    written = {path: path.stat().st_mtime_ns for path in (tmp_path / "cache").rglob("*.nb*")}
    third = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert third.returncode == 0 and third.stdout == outputs[0][0]
    # nothing compiled again: the cache files are those the two left, untouched
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "cache").rglob("*.nb*")} == written


_ONE_SPECIALISATION = """
import numpy as np
from spikeneuron import LIF, HodgkinHuxley, Network, fixed_probability, simulate
from spikeneuron.models import hh_kernels, lif_kernels
net = Network()  # one LIF group: the fused network kernel
net.add_population("a", LIF(synapse="exp"), 50, current=np.linspace(1.4, 2.2, 50))
net.connect("a", "a", fixed_probability(0.2, 0.2), delay=0.5)
net.run(30.0, seed=1, backend="numba")
mixed = Network()  # LIF and HH: step by step (LIF's step kernel, HH's advance on whole arrays)
mixed.add_population("a", LIF(), 20, current=np.linspace(1.5, 2.5, 20))
mixed.add_population("h", HodgkinHuxley(), 3, current=5.0)
mixed.connect("a", "h", fixed_probability(0.5, 0.5))
mixed.run(10.0, dt=0.01, seed=1, backend="numba")
simulate(LIF(), duration=30.0, current=[1.6, 2.0], backend="numba")  # LIF's advance
simulate(HodgkinHuxley(), duration=5.0, dt=0.01, current=np.linspace(5.0, 15.0, 300),
         backend="numba")  # HH's advance on blocks of columns (strided)
print(len(lif_kernels._neurons.signatures), len(hh_kernels._advance_kernel().signatures))
"""


@needs_numba
@pytest.mark.slow
def test_every_path_shares_one_specialisation_of_each_kernel(tmp_path):
    """Compiled into an empty cache, the neuron loop of the LIF kernels has one specialisation
    per caller (the step, the chunk and the network kernel: each passes literal zeros, which
    make the loop up to four times faster than zeros unknown at compile time, so three and not
    one), and the HH kernel serves whole arrays and strided blocks with one: each
    specialisation is seconds of compilation on the first run."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", _ONE_SPECIALISATION], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["3", "1"]


_STALE_KERNEL = """
from numba.extending import register_jitable

from spikeneuron import _kernels

from .helper import OFFSET, scaled

register_jitable(scaled)


@_kernels.jit
def kernel(x):
    return scaled(x) + OFFSET
"""

_STALE_HELPER = """
OFFSET = {offset}


def scaled(x):
    return {scale} * x
"""

_STALE_RUN = """
from stalepkg.kernel import kernel
value = kernel(1.0)
print(value, sum(kernel.stats.cache_hits.values()), sum(kernel.stats.cache_misses.values()))
"""


@needs_numba
@pytest.mark.slow
def test_a_changed_helper_in_another_file_compiles_the_kernel_afresh(tmp_path):
    """numba's own cache keys a kernel on its own file only: after a change to a helper it
    compiles into the kernel from another file (register_jitable), or to a constant imported
    from there, it would load the old machine code. The key of ``_kernels.jit`` covers the
    sources of the modules the kernel imports: each change gives the new value (a cache
    miss), an unchanged source loads from the cache (a hit)."""
    import os
    import subprocess
    import sys

    package = tmp_path / "stalepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "kernel.py").write_text(_STALE_KERNEL)
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))

    def run(scale, offset):
        (package / "helper.py").write_text(_STALE_HELPER.format(scale=scale, offset=offset))
        done = subprocess.run([sys.executable, "-c", _STALE_RUN], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        value, hits, misses = done.stdout.split()
        return float(value), int(hits), int(misses)

    assert run("2.0", "0.5") == (2.5, 0, 1)  # compiled
    assert run("2.0", "0.5") == (2.5, 1, 0)  # loaded
    assert run("3.0", "0.5") == (3.5, 0, 1)  # the helper changed: compiled again
    assert run("3.0", "0.25") == (3.25, 0, 1)  # the imported constant changed
    assert run("3.0", "0.25") == (3.25, 1, 0)


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


# --- AdEx and Izhikevich: the located-reset kernel against its numpy reference -------------

RESET_MODELS = {
    "adex-delta": AdEx(b=0.06, a=4.0),
    "adex-exp-refractory": AdEx(synapse="exp", t_ref=1.5, b=0.03),
    "adex-cond": AdEx(synapse="cond_exp", b=0.03),
    "izhikevich-delta": Izhikevich(c=-55.0, d=4.0),
    "izhikevich-exp": Izhikevich(synapse="exp"),
}


@needs_numba
@pytest.mark.parametrize("name", list(RESET_MODELS))
def test_reset_models_numba_equals_numpy(name):
    """Spikes (steps and lags), potentials and the adaptation variable, with inputs that jump
    V over v_peak, per-neuron currents and records. The kernel's exp is the C library's, numpy's
    its own: the potentials agree to rounding, the spikes exactly."""
    model = RESET_MODELS[name]
    izhikevich = isinstance(model, Izhikevich)
    n = 12
    inputs = poisson_inputs(np.full(40, 40.0), 200.0, seed=3)
    rng = np.random.default_rng(4)
    scale = (2.0 if izhikevich else 0.05) if model.synapse.channels == 2 else (3.0 if izhikevich else 4.0)
    if type(model.synapse).__name__ == "CondExpSynapse":
        scale = 3.0  # nS
    weights = rng.normal(0.3 * scale, scale, size=(40, n))
    current = np.linspace(3.0, 12.0, n) if izhikevich else np.linspace(0.1, 0.7, n)
    adaptation = "u" if izhikevich else "w"
    runs = _both(lambda backend: simulate(model, duration=200.0, dt=0.1, inputs=inputs,
                                          weights=weights, current=current, n=n,
                                          record_vars=[adaptation], backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 20
    np.testing.assert_allclose(runs[1].spike_lags, runs[0].spike_lags, rtol=0, atol=1e-9)
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=1e-8)
    np.testing.assert_allclose(runs[1].traces[adaptation], runs[0].traces[adaptation], rtol=0,
                               atol=1e-8)


@needs_numba
def test_reset_models_spikes_only_and_threaded_blocks_agree(monkeypatch):
    monkeypatch.setattr(_parallel, "BLOCK", 16)  # 70 neurons: several blocks over threads
    model = AdEx(b=0.06)
    runs = _both(lambda backend: simulate(model, duration=150.0, dt=0.1,
                                          current=np.linspace(0.2, 1.0, 70), record_v=False,
                                          backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 100


@needs_numba
@pytest.mark.parametrize("second", ["adex", "izhikevich"])
def test_network_of_lif_and_a_reset_model_numba_equals_numpy(second):
    """A reset model next to LIF neurons: the network advances step by step, the reset model
    through its compiled single step."""
    model = AdEx(b=0.03) if second == "adex" else Izhikevich()
    net_runs = []
    for backend in ("numpy", "numba"):
        net = Network()
        net.add_population("lif", LIF(), 30, current=np.linspace(1.4, 2.0, 30))
        net.add_population("other", model, 20, record_v=True,
                           current=0.3 if second == "adex" else 4.0)
        net.connect("lif", "other", fixed_probability(0.3, 3.0), delay=1.0)
        net.connect("other", "lif", fixed_probability(0.3, 1.0), delay=0.5)
        net_runs.append(net.run(200.0, dt=0.1, seed=2, backend=backend))
    for name in ("lif", "other"):
        _same_spikes(net_runs[0][name], net_runs[1][name])
    assert net_runs[0]["other"].spike_counts.sum() > 10
    np.testing.assert_allclose(net_runs[1]["other"].v, net_runs[0]["other"].v, rtol=0, atol=1e-8)
