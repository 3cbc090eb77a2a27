"""Results are saved and loaded whole (with their model), exported to CSV and neo; files are
written atomically."""

import csv
import json

import numpy as np
import pytest

from spikeneuron import (
    LIF,
    AdEx,
    ExpSynapse,
    HodgkinHuxley,
    Izhikevich,
    MembraneNoise,
    Network,
    fixed_probability,
    load_network_result,
    load_result,
    simulate,
)
from spikeneuron._io import plain, write_json_atomic, write_text_atomic
from spikeneuron.exceptions import ValidationError
from spikeneuron.result import model_from_json, model_to_json


def test_save_and_load_round_trip(tmp_path):
    result = simulate(LIF(), duration=50.0, current=[1.0, 2.5], record_v=[1])
    result.save(tmp_path / "run.npz")
    loaded = load_result(tmp_path / "run.npz")
    np.testing.assert_array_equal(loaded.v, result.v)
    np.testing.assert_array_equal(loaded.recorded, [1])
    for a, b in zip(loaded.spike_times, result.spike_times):
        np.testing.assert_array_equal(a, b)
    assert (loaded.dt, loaded.duration, loaded.n) == (result.dt, result.duration, result.n)


def test_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "summary.json"
    write_text_atomic(target, "old")

    def broken_write(self, text, encoding=None):
        raise KeyboardInterrupt

    monkeypatch.setattr("pathlib.Path.write_text", broken_write)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_save_and_load_keep_traces_and_sub_step_spike_lags(tmp_path):
    from dataclasses import replace

    result = simulate(LIF(synapse="exp"), duration=20.0, inputs=[[5.0]], weights=[30.0],
                      record_vars=["i_syn_ex"])
    with_lags = replace(result, spike_lags=np.full(result.spike_steps.size, 0.03))
    with_lags.save(tmp_path / "run.npz")
    loaded = load_result(tmp_path / "run.npz")
    np.testing.assert_array_equal(loaded.traces["i_syn_ex"], result.traces["i_syn_ex"])
    np.testing.assert_allclose(loaded.spike_times[0], result.spike_times[0] - 0.03)


# -- a result remembers its model; results travel (CSV, networks, neo) -------------------------


@pytest.mark.parametrize("model", [
    LIF(), LIF(tau_m=12.5, synapse=ExpSynapse(tau_ex=3.0), membrane_noise=MembraneNoise(2.0, 5.0)),
    HodgkinHuxley(g_na=100.0, synapse="exp"),
    AdEx(a=-10.0, tau_w=300.0, t_ref=1.0, synapse="exp"), Izhikevich(c=-50.0, d=2.0),
])
def test_models_round_trip_through_json(model):
    assert model_from_json(model_to_json(model)) == model


def test_a_saved_result_keeps_its_model_and_can_be_replotted(tmp_path):
    from spikeneuron.plotting import new_figure, plot_trace

    model = LIF(v_th=-52.0, synapse="exp")
    result = simulate(model, duration=30.0, current=2.0)
    assert result.model is model
    result.save(tmp_path / "run.npz")
    loaded = load_result(tmp_path / "run.npz")
    assert loaded.model == model
    figure, ax = new_figure()
    plot_trace(ax, loaded)  # the model comes from the result
    assert "threshold -52 mV" in ax.get_legend_handles_labels()[1]


def test_a_saved_model_of_unknown_type_is_refused_not_executed():
    text = json.dumps({"type": "os.system", "parameters": {"command": "true"}})
    with pytest.raises(ValidationError, match="os.system"):
        model_from_json(text)


def test_csv_export_holds_every_spike_and_every_recorded_sample(tmp_path):
    result = simulate(LIF(synapse="exp"), duration=40.0, current=[2.0, 3.0], record_v=[1],
                      record_vars=["i_syn_ex"])
    spikes_path, traces_path = result.to_csv(tmp_path)
    rows = list(csv.DictReader(spikes_path.open()))
    assert len(rows) == result.spike_neurons.size
    times = [float(r["time_ms"]) for r in rows]
    assert times == sorted(times)
    for neuron in (0, 1):
        np.testing.assert_array_equal([float(r["time_ms"]) for r in rows if r["neuron"] == str(neuron)],
                                      result.spike_times[neuron])
    table = np.loadtxt(traces_path, delimiter=",", skiprows=1)
    header = traces_path.open().readline().strip().split(",")
    assert header == ["time_ms", "v_mV[1]", "i_syn_ex[1]"]
    np.testing.assert_array_equal(table[:, 0], result.t)
    np.testing.assert_array_equal(table[:, 1], result.v[:, 0])  # repr() keeps every digit


def _small_network(seed=4):
    net = Network()
    net.add_population("exc", LIF(), 20, current=1.8, record_v=[0, 3])
    net.add_population("inh", LIF(tau_m=8.0), 5, current=1.7)
    net.connect("exc", "inh", fixed_probability(0.3, 0.5), delay=1.5)
    net.connect("inh", "exc", fixed_probability(0.5, -1.0))
    return net.run(duration=60.0, seed=seed)


def test_network_result_saves_and_loads_whole(tmp_path):
    result = _small_network()
    result.save(tmp_path / "net.npz")
    loaded = load_network_result(tmp_path / "net.npz")
    assert list(loaded.populations) == ["exc", "inh"]
    assert (loaded.signs, loaded.dt, loaded.duration, loaded.synaptic_events) == \
        (result.signs, result.dt, result.duration, result.synaptic_events)
    for name in result.populations:
        a, b = result[name], loaded[name]
        np.testing.assert_array_equal(a.spike_neurons, b.spike_neurons)
        np.testing.assert_array_equal(a.spike_steps, b.spike_steps)
        assert b.model == a.model
    np.testing.assert_array_equal(loaded["exc"].v, result["exc"].v)
    for p, q in zip(result.projections, loaded.projections):
        assert (p.pre, p.post) == (q.pre, q.post)
        assert (p.weights != q.weights).nnz == 0
        np.testing.assert_array_equal(p.delay_steps, q.delay_steps)
    with pytest.raises(ValidationError, match="load_result"):
        load_network_result(_saved_single(tmp_path))
    paths = result.to_csv(tmp_path / "csv")
    assert sorted(p.name for p in paths) == ["exc_spikes.csv", "exc_traces.csv", "inh_spikes.csv"]


def _saved_single(tmp_path):
    path = tmp_path / "single.npz"
    simulate(LIF(), duration=5.0, current=1.0).save(path)
    return path


def test_summaries_round_float_noise_but_keep_measured_digits(tmp_path):
    write_json_atomic(tmp_path / "s.json", {"a": 0.1 + 0.2, "b": np.float64(1 / 3), "c": [8.8e-16]})
    data = json.loads((tmp_path / "s.json").read_text())
    assert data["a"] == 0.3 and data["c"] == [8.8e-16]
    assert abs(data["b"] - 1 / 3) < 1e-12
    assert plain({"x": np.arange(2) * 0.1 + 0.2}) == {"x": [0.2, 0.3]}


def test_neo_round_trip_keeps_spike_times_and_potentials_with_units():
    neo = pytest.importorskip("neo")
    import quantities as pq

    model = HodgkinHuxley()
    result = simulate(model, duration=30.0, dt=0.01, current=[10.0, 0.0], record_v=True,
                      record_vars=["m", "i_na"])
    block = result.to_neo()
    assert isinstance(block, neo.Block)
    segment = block.segments[0]
    assert len(segment.spiketrains) == 2
    for neuron, train in enumerate(segment.spiketrains):
        np.testing.assert_allclose(train.rescale(pq.s).magnitude * 1000.0, result.spike_times[neuron])
        assert train.t_stop.rescale(pq.ms).magnitude == pytest.approx(result.duration)
    signals = {s.name: s for s in segment.analogsignals}
    v = signals["v"]
    np.testing.assert_allclose(v.rescale(pq.V).magnitude * 1000.0, result.v)
    assert v.sampling_period.rescale(pq.ms).magnitude == pytest.approx(0.01)
    assert signals["m"].units == pq.dimensionless
    assert signals["i_na"].units == pq.Quantity(1.0, "uA/cm**2").units
    assert model_from_json(block.annotations["model"]) == model
    net_block = _small_network().to_neo()
    assert {t.annotations["population"] for t in net_block.segments[0].spiketrains} == {"exc", "inh"}


def _saved(tmp_path):
    from spikeneuron import LIF, simulate

    path = tmp_path / "run.npz"
    simulate(LIF(), duration=20.0, current=2.0, n=2, record_v=True).save(path)
    return path


def test_load_result_answers_foreign_truncated_and_inconsistent_files_in_our_words(tmp_path):
    from spikeneuron import ValidationError, load_result

    path = _saved(tmp_path)
    assert load_result(path).spike_counts.tolist()[0] > 0
    (tmp_path / "text.npz").write_text("not a zip")
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    np.savez(tmp_path / "foreign.npz", x=np.arange(3))
    np.savez(tmp_path / "pickled.npz", t=np.array([object()], dtype=object))
    with np.load(path) as data:
        arrays = dict(data)
    bad_index = dict(arrays, spike_neurons=arrays["spike_neurons"] + 5)
    np.savez(tmp_path / "bad_index.npz", **bad_index)
    bad_shape = dict(arrays, v=arrays["v"][:-3])
    np.savez(tmp_path / "bad_shape.npz", **bad_shape)
    bad_dt = dict(arrays, dt=np.array(-0.1))
    np.savez(tmp_path / "bad_dt.npz", **bad_dt)
    for name, message in [("missing.npz", "does not exist"), ("text.npz", "cannot be read"),
                          ("truncated.npz", "cannot be read|damaged"), ("foreign.npz", "has no"),
                          ("pickled.npz", "cannot be read|damaged|has no"),
                          ("bad_index.npz", "neuron indices outside"), ("bad_shape.npz", "v has shape"),
                          ("bad_dt.npz", "dt = -0.1")]:
        with pytest.raises(ValidationError, match=message) as caught:
            load_result(tmp_path / name)
        assert name in str(caught.value)


def test_a_reset_model_result_keeps_its_model_lags_and_adaptation(tmp_path):
    result = simulate(Izhikevich(c=-55.0, d=4.0), duration=100.0, current=10.0, record_vars=["u"])
    result.save(tmp_path / "izhikevich.npz")
    loaded = load_result(tmp_path / "izhikevich.npz")
    assert loaded.model == result.model
    np.testing.assert_array_equal(loaded.spike_times[0], result.spike_times[0])
    np.testing.assert_array_equal(loaded.traces["u"], result.traces["u"])


def test_reprs_are_one_short_line_whatever_the_size():
    """repr says what a run is (model, size, what was recorded, spikes) without its arrays."""
    from spikeneuron import LIF, Network, simulate

    big = simulate(LIF(), duration=200.0, current=np.linspace(1.0, 3.0, 500), seed=4)
    text = repr(big)
    assert "\n" not in text and len(text) < 200
    assert "LIF" in text and "n=500" in text and "duration=200 ms" in text
    assert f"{big.spike_steps.size} spikes" in text and "v of 500 neuron(s) × 2001 steps" in text
    net = Network()
    net.add_population("a", LIF(), 3)
    net.add_population("b", LIF(), 2)
    net.connect("a", "b", np.ones((3, 2)))
    text = repr(net.run(10.0, seed=1))
    assert text.startswith("NetworkResult(a=3 LIF") and "6 synapses" in text and "\n" not in text
