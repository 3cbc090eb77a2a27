"""Sweeps: the grid and its seeds, executors that agree bit for bit, resume, failures."""

import csv
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import spikeneuron
from spikeneuron import ValidationError
from spikeneuron.lab.parameters import UnknownNameError
from spikeneuron.lab.sweep import run_seed

# Fast, seeded, and able to fail or to kill its own process on request.
STUDY = '''"""Study: random draws whose mean depends on the parameters and the seed."""
import os
import numpy as np
from spikeneuron.lab.experiment import KeyNumber, Parameter

PARAMETERS = (Parameter("offset", 0.0, "mV", "added to every draw"),
              Parameter("scale", 1.0, "mV", "standard deviation of the draws", positive=True),
              Parameter("n_draws", 200, "", "draws", minimum=1))
KEY_NUMBERS = (KeyNumber("mean_mv", "mV", "mean of the draws"),)

def run(context):
    p = context.parameters
    if p.offset == 13.0:
        raise RuntimeError("thirteen is unlucky")
    if p.offset == 2.0 and os.path.exists(os.environ.get("SPIKENEURON_TEST_KILL", "/nonexistent")):
        os._exit(9)  # as if the process were killed in the middle of the sweep
    draws = p.offset + np.random.default_rng(context.seed).normal(0.0, p.scale, p.n_draws)
    return {"mean_mv": float(draws.mean()), "first_draw_mv": float(draws[0])}
'''
GRID = {"offset": [0.0, 1.0, 2.0], "scale": [0.5, 2.0]}


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.py"
    path.write_text(STUDY)
    return path


def numbers(rows):
    """What must not depend on the executor: everything but the wall time."""
    return sorted((row["point"], row["repeat"], row["seed"], row["offset"], row["scale"],
                   row["mean_mv"], row["first_draw_mv"]) for row in rows)


def test_grid_is_the_product_and_each_run_has_its_own_seed(study, tmp_path):
    rows = spikeneuron.sweep(study, grid=GRID, repeats=2, seed=11, out=tmp_path / "s", workers=1,
                             progress=False)
    assert len(rows) == 3 * 2 * 2
    assert [(r["offset"], r["scale"]) for r in rows[::2]] == [(o, s) for o in GRID["offset"] for s in GRID["scale"]]
    seeds = [row["seed"] for row in rows]
    assert len(set(seeds)) == len(seeds)
    for row in rows:
        assert row["seed"] == run_seed(11, row["point"], row["repeat"])
        expected = row["offset"] + np.random.default_rng(row["seed"]).normal(0.0, row["scale"], 200)
        assert row["mean_mv"] == pytest.approx(expected.mean(), rel=1e-11)  # summaries keep 12 digits
        summary = json.loads((tmp_path / "s" / row["folder"] / "study" / "summary.json").read_text())
        assert summary["seed"] == row["seed"] and summary["parameters"]["offset"] == row["offset"]
    # the seeds are a function of (root seed, point, repeat) alone
    assert run_seed(11, 0, 1) == run_seed(11, 0, 1) != run_seed(12, 0, 1)


def test_tables_and_figure(study, tmp_path):
    out = tmp_path / "s"
    rows = spikeneuron.sweep(study, grid=GRID, repeats=2, out=out, workers=1, progress=False, n_draws=50)
    with open(out / "sweep.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == len(rows)
    assert list(table[0])[:6] == ["point", "repeat", "seed", "offset", "scale", "status"]
    assert float(table[3]["mean_mv"]) == rows[3]["mean_mv"]  # repr round-trips floats exactly
    state = json.loads((out / "sweep.json").read_text())
    assert state["status"] == {"done": 12, "failed": 0, "pending": 0}
    assert state["grid"] == GRID and state["fixed"] == {"n_draws": 50}
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"


def test_process_pool_one_worker_and_dask_agree_bit_for_bit(study, tmp_path):
    serial = spikeneuron.sweep(study, grid=GRID, repeats=2, out=tmp_path / "one", workers=1, progress=False)
    pool = spikeneuron.sweep(study, grid=GRID, repeats=2, out=tmp_path / "two", workers=2, progress=False)
    assert numbers(pool) == numbers(serial)
    distributed = pytest.importorskip("dask.distributed", reason="the 'distributed' extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        on_dask = spikeneuron.sweep(study, grid=GRID, repeats=2, out=tmp_path / "dask",
                                    client=client, progress=False)
    assert numbers(on_dask) == numbers(serial)


def test_a_failing_point_is_recorded_and_the_others_run(study, tmp_path):
    with pytest.warns(UserWarning, match="1 of 4 runs failed: runs/p0002-r000"):
        rows = spikeneuron.sweep(study, grid={"offset": [0.0, 1.0, 13.0, 3.0]}, out=tmp_path / "s",
                                 workers=1, progress=False)
    assert [row["status"] for row in rows] == ["done", "done", "failed", "done"]
    assert "RuntimeError: thirteen is unlucky" in rows[2]["error"]
    state = json.loads((tmp_path / "s" / "sweep.json").read_text())
    assert state["status"]["failed"] == 1


def test_the_command_line_exits_1_naming_the_failed_points(study, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "spikeneuron", "sweep", str(study), "--grid", "offset=0,13",
         "--workers", "1", "--out", str(tmp_path / "s")],
        capture_output=True, text=True, env=dict(os.environ, MPLBACKEND="Agg"), timeout=300)
    assert completed.returncode == 1
    assert "1 runs failed: runs/p0001-r000" in completed.stderr and "Traceback" not in completed.stderr


def test_a_killed_sweep_resumes_where_it_stopped(study, tmp_path):
    out, marker = tmp_path / "s", tmp_path / "kill-now"
    marker.write_text("")
    command = [sys.executable, "-m", "spikeneuron", "sweep", str(study), "--grid", "offset=0,1,2,3",
               "--workers", "1", "--out", str(out)]
    env = dict(os.environ, MPLBACKEND="Agg", SPIKENEURON_TEST_KILL=str(marker))
    killed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert killed.returncode == 9
    state = json.loads((out / "sweep.json").read_text())
    assert state["status"] == {"done": 2, "failed": 0, "pending": 2}
    before = {row["folder"]: row["mean_mv"] for row in state["rows"] if row["status"] == "done"}
    marker.unlink()
    resumed = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "2 of 4 runs already done; running the other 2" in resumed.stderr
    rows = json.loads((out / "sweep.json").read_text())["rows"]
    assert all(row["status"] == "done" for row in rows)
    assert {row["folder"]: row["mean_mv"] for row in rows[:2]} == before
    leftovers = [p for p in out.rglob(".*") if p.is_file()]
    assert not leftovers  # no temporary files left, nor lock files


SLOW_STUDY = '''"""Slow study: each run sleeps while a marker file exists."""
import os, time
from spikeneuron.lab import KeyNumber, Parameter

PARAMETERS = (Parameter("offset", 0.0, "mV", "a value"),)
KEY_NUMBERS = (KeyNumber("value_mv", "mV", "the offset"),)

def run(context):
    while os.path.exists(os.environ["SPIKENEURON_TEST_SLOW"]):
        time.sleep(0.1)
    return {"value_mv": context.parameters.offset}
'''


def _session(sid):
    """Processes of session ``sid`` that are still running (not zombies), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":  # fields: state, ppid, pgrp, session
                found.append(int(entry))
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads the process table in /proc")
def test_kill_9_on_a_parallel_sweep_takes_its_workers_with_it_and_frees_the_pipes(tmp_path):
    import select
    import signal
    import time

    study, out, marker = tmp_path / "slow.py", tmp_path / "s", tmp_path / "slow-now"
    study.write_text(SLOW_STUDY)
    marker.write_text("")
    command = [sys.executable, "-m", "spikeneuron", "sweep", str(study), "--grid", "offset=1,2,3,4",
               "--workers", "2", "--out", str(out)]
    env = dict(os.environ, MPLBACKEND="Agg", SPIKENEURON_TEST_SLOW=str(marker))
    sweep = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             start_new_session=True)  # its session holds it and all it starts
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("runs/*/slow"))) < 2:  # both workers are inside a run
            assert time.monotonic() < deadline and sweep.poll() is None, sweep.stderr.read()
            time.sleep(0.2)
        assert len(_session(sweep.pid)) >= 3  # the sweep, two workers (and the resource tracker)
        os.kill(sweep.pid, signal.SIGKILL)
        ended = time.monotonic()
        for pipe in (sweep.stdout, sweep.stderr):  # EOF: no process holds the pipe any more
            while True:
                ready, _, _ = select.select([pipe], [], [], max(0.0, ended + 5 - time.monotonic()))
                assert ready, "a process still holds the caller's pipe 5 s after kill -9"
                if not os.read(pipe.fileno(), 65536):
                    break
        sweep.wait(timeout=5)
        while _session(sweep.pid) and time.monotonic() < ended + 5:
            time.sleep(0.1)
        assert not _session(sweep.pid), "workers outlived the sweep"
    finally:
        for pid in _session(sweep.pid):
            os.kill(pid, signal.SIGKILL)
    # What a kill mid-write leaves (an empty temporary, lock files) is gone after the rerun.
    stale = next(out.glob("runs/*/slow")) / ".summary.json.abcd1234.tmp"
    stale.write_text("")
    assert list(out.rglob(".spikeneuron.lock"))
    marker.unlink()
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert not [p for p in out.rglob(".*") if p.is_file()]


def test_ctrl_c_on_a_parallel_sweep_ends_it_at_once_and_leaves_no_lock_files(tmp_path):
    import signal
    import time

    study, out, marker = tmp_path / "slow.py", tmp_path / "s", tmp_path / "slow-now"
    study.write_text(SLOW_STUDY)
    marker.write_text("")
    env = dict(os.environ, MPLBACKEND="Agg", SPIKENEURON_TEST_SLOW=str(marker))
    sweep = subprocess.Popen([sys.executable, "-m", "spikeneuron", "sweep", str(study), "--grid",
                              "offset=1,2,3", "--workers", "2", "--out", str(out)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("runs/*/slow"))) < 2:  # both workers inside a run, one queued
            assert time.monotonic() < deadline and sweep.poll() is None
            time.sleep(0.2)
        time.sleep(1.0)
        os.killpg(sweep.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _, err = sweep.communicate(timeout=10)  # not after the queued run has been run too
    finally:
        if sweep.poll() is None:
            os.killpg(sweep.pid, signal.SIGKILL)
        marker.unlink()
    assert sweep.returncode == 130 and "spikeneuron: interrupted" in err.decode()
    assert not [p for p in out.rglob(".*") if p.is_file()]


def test_a_changed_parameter_is_not_taken_for_a_finished_run(study, tmp_path):
    first = spikeneuron.sweep(study, grid={"offset": [0.0]}, out=tmp_path, workers=1, progress=False)
    again = spikeneuron.sweep(study, grid={"offset": [0.0]}, out=tmp_path, workers=1, progress=False,
                              n_draws=10)
    assert again[0]["mean_mv"] != first[0]["mean_mv"]


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(grid={}), ValidationError, "non-empty dict"),
    (dict(grid={"ofset": [1.0]}), UnknownNameError, "did you mean 'offset'"),
    (dict(grid={"offset": []}), ValidationError, "non-empty list"),
    (dict(grid={"offset": "1,2"}), ValidationError, "non-empty list"),
    (dict(grid={"scale": [1.0, -1.0]}), ValidationError, "'scale' parameter"),
    (dict(grid={"offset": [1.0]}, offset=2.0), ValidationError, "both swept and fixed"),
    (dict(grid={"offset": [1.0]}, repeats=0), ValidationError, "'repeats'"),
    (dict(grid={"offset": [1.0]}, workers=0), ValidationError, "'workers'"),
    (dict(grid={"offset": [1.0]}, seed=-3), ValidationError, "'seed'"),
])
def test_bad_sweeps_are_refused_before_anything_runs(study, tmp_path, kwargs, error, message):
    with pytest.raises(error, match=message):
        spikeneuron.sweep(study, out=tmp_path / "s", progress=False, **kwargs)
    assert not (tmp_path / "s").exists()


def test_dask_without_the_extra_is_one_line_naming_it(study, tmp_path):
    code = ("import sys, builtins\n"
            "real = builtins.__import__\n"
            "def fake(name, *args, **kwargs):\n"
            "    if name.startswith('dask'):\n"
            "        raise ImportError(name)\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = fake\n"
            "from spikeneuron.lab.cli import main\n"
            f"sys.exit(main(['sweep', {str(study)!r}, '--grid', 'offset=0', '--dask', '--out', {str(tmp_path)!r}]))\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 2
    assert completed.stderr.strip() == ("spikeneuron: error: --dask needs Dask: "
                                        "pip install 'spikeneuron[distributed]'")


ADEX_STUDY = '''"""An AdEx cell's spike count against its adaptation."""
from spikeneuron import simulate
from spikeneuron.lab import KeyNumber, Parameter, adex_parameters, izhikevich_parameters

PARAMETERS = (*adex_parameters(), Parameter("current", 0.5, "nA", "step current"))
KEY_NUMBERS = (KeyNumber("spike_count", "", "spikes in 200 ms"),)

def run(context):
    result = simulate(context.adex(), duration=200.0, current=context.parameters.current,
                      record_v=False, backend="numpy")
    return {"spike_count": int(result.spike_counts[0])}
'''


def test_a_sweep_over_adex_parameters_runs_the_model_it_declares(tmp_path):
    """adex_parameters() declares the model's own names; a larger b (spike-triggered
    adaptation) can only lengthen the intervals, so the count falls."""
    path = tmp_path / "adex_study.py"
    path.write_text(ADEX_STUDY)
    rows = spikeneuron.sweep(str(path), grid={"b": [0.0, 0.05, 0.2]}, out=tmp_path / "sweep",
                             workers=1, progress=False)
    counts = [row["spike_count"] for row in sorted(rows, key=lambda row: row["b"])]
    assert counts[0] > counts[1] > counts[2] > 0
