"""Results are saved and loaded whole; files are written atomically."""

import numpy as np
import pytest

from spikeneuron import LIF, load_result, simulate
from spikeneuron._io import write_text_atomic


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
