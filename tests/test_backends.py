"""The compiled backend (numba, extra 'fast') against the numpy reference, spike for spike on
the same seeds; and the threaded noise blocks against one thread."""

import numpy as np
import pytest

from spikeneuron import LIF, MembraneNoise, simulate
from spikeneuron import _kernels, _parallel
from spikeneuron.cli import experiments

needs_numba = pytest.mark.skipif(not _kernels.available, reason="numba (extra 'fast') not installed")


def _same_spikes(a, b):
    assert np.array_equal(a.spike_steps, b.spike_steps)
    assert np.array_equal(a.spike_neurons, b.spike_neurons)


@needs_numba
@pytest.mark.parametrize("synapse", ["delta", "exp"])
@pytest.mark.parametrize("sigma", [0.0, 3.0])
def test_lif_numba_equals_numpy(synapse, sigma):
    from spikeneuron import poisson_inputs

    neuron = LIF(synapse=synapse, membrane_noise=MembraneNoise(sigma=sigma) if sigma else None)
    inputs = poisson_inputs(np.full(50, 40.0), 300.0, seed=3)
    rng = np.random.default_rng(4)
    weights = rng.normal(0.3 if synapse == "exp" else 2.0, 1.0, size=(50, 30))
    current = np.linspace(0.0, 2.0, 30)
    runs = [simulate(neuron, duration=300.0, inputs=inputs, weights=weights, current=current,
                     seed=9, record_v=True, backend=backend) for backend in ("numpy", "numba")]
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0
    # Same operations in the same order; the numpy path sums the two synaptic currents in a
    # matrix product, which may round differently in the last bit.
    np.testing.assert_allclose(runs[1].v, runs[0].v, rtol=0, atol=1e-9)


@needs_numba
def test_network_numba_equals_numpy():
    cuba = experiments()["cuba"]
    runs = [cuba.build_network(seed=2).run(150.0, dt=0.1, seed=2, backend=backend)
            for backend in ("numpy", "numba")]
    for name in ("exc", "inh"):
        _same_spikes(runs[0][name], runs[1][name])
    assert runs[0].synaptic_events == runs[1].synaptic_events > 0


@pytest.mark.parametrize("backend", ["numpy", pytest.param("numba", marks=needs_numba)])
def test_noise_blocks_do_not_depend_on_threads(backend, monkeypatch):
    neuron = LIF(membrane_noise=MembraneNoise(sigma=4.0), v_th=-60.0)
    n = 2 * _parallel.BLOCK + 5  # three blocks, the last one short
    runs = []
    for threads in (1, 2):
        monkeypatch.setattr(_parallel, "threads", threads)
        runs.append(simulate(neuron, duration=5.0, n=n, seed=11, record_v=False, backend=backend))
    _same_spikes(*runs)
    assert runs[0].spike_counts.sum() > 0


def test_backend_is_checked():
    with pytest.raises(ValueError, match="backend"):
        simulate(LIF(), duration=1.0, backend="fortran")
    if not _kernels.available:
        with pytest.raises(ImportError, match="spikeneuron\\[fast\\]"):
            simulate(LIF(), duration=1.0, backend="numba")
