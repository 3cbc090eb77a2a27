"""Sweeps: one experiment over a grid of parameter values × repeats, locally or on Dask.

Each point × repeat is one ordinary experiment run into its own folder ``DIR/runs/pPPPP-rRRR``,
with its own seed drawn from ``numpy.random.SeedSequence(seed, spawn_key=(point, repeat))``,
so the numbers depend neither on the executor, nor on the number of workers, nor on the order in
which runs finish. A run whose summary is already in its folder (same parameters, same seed) is
not run again, so an interrupted sweep resumed with the same command does only the rest. A run
that fails is recorded with its error and does not stop the others. ``DIR/sweep.csv`` and
``DIR/sweep.json`` are rewritten (atomically) after every run; ``DIR/sweep.png`` at the end.
"""

import csv
import io
import itertools
import json
import os
import sys
import threading
import time
import traceback
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from .. import _validation as check
from .._io import folder_lock, plain, remove_stale_temporaries, savefig_atomic, write_json_atomic, write_text_atomic
from ..exceptions import MissingExtraError, ValidationError
from .experiment import _seed, load_config, load_experiment, run_experiment
from .parameters import resolve_parameters, unknown_name

__all__ = ["sweep", "run_seed", "dask_client"]

_NOT_NUMBERS = {"seed", "quick"}


def run_seed(seed, point, repeat):
    """The seed of one run of a sweep: a function of the root seed, the point and the repeat."""
    state = np.random.SeedSequence(seed, spawn_key=(point, repeat)).generate_state(1)
    return int(state[0])


def dask_client(address=None, workers=None):
    """A ``dask.distributed.Client``: on a new local cluster (loopback), or at ``address``."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise MissingExtraError("--dask needs Dask: pip install 'spikeneuron[distributed]'") from None
    if address is not None:
        return Client(address)
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                           processes=True, host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    client._spikeneuron_cluster = cluster  # closed with the client by the command line
    return client


def _run_point(task):
    """Run one point × repeat (in a worker); never raises: failures come back as text."""
    started = time.perf_counter()
    try:
        summary = run_experiment(task["source"], out=task["folder"], seed=task["seed"],
                                 quick=task["quick"], config=task["config"], **task["values"])
        return {"status": "done", "summary": summary, "seconds": time.perf_counter() - started}
    except BaseException as error:  # noqa: BLE001 - recorded, the sweep goes on
        if isinstance(error, KeyboardInterrupt):
            raise
        last = traceback.extract_tb(error.__traceback__)[-1:] or [None]
        where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last[0] else ""
        return {"status": "failed", "error": f"{type(error).__name__}: {error}{where}",
                "seconds": time.perf_counter() - started}


def _scalars(summary):
    """The summary's scalar key numbers; a list of one number counts as that number (so that
    a list-valued parameter swept one value at a time gives a column)."""
    found = {}
    for key, value in summary.items():
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if key not in _NOT_NUMBERS and isinstance(value, (int, float)):
            found[key] = value
    return found


def _done_before(task, expected):
    path = Path(task["folder"]) / task["name"] / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if summary.get("seed") == task["seed"] and summary.get("parameters") == expected:
        return summary
    return None


#: Most runs a sweep makes unless ``max_runs`` (``--max-runs``) allows more: a grid whose
#: product is larger is almost always a typo, and would run for days without a word.
MAX_RUNS = 1000


def sweep(experiment, grid, *, repeats=1, seed=0, out, workers=None, client=None, quick=False,
          config=None, plot=None, progress=True, max_runs=MAX_RUNS, **parameters):
    """Run ``experiment`` over the product of ``grid`` × ``repeats``; return the rows.

    Parameters
    ----------
    experiment : str or path
        A bundled experiment's name or the path of an experiment file.
    grid : dict
        ``{KEY: [values, ...]}`` for declared parameters; the grid is the product, the first key
        varying slowest.
    repeats : int
        Runs per point, each with its own seed.
    seed : int
        Root seed (see ``spikeneuron.sweep.run_seed``).
    out : str or Path
        The sweep folder (``runs/``, ``sweep.csv``, ``sweep.json``, ``sweep.png``).
    workers : int, optional
        Processes of the local pool (default: the machine's cores; 1 runs in this process).
    client : dask.distributed.Client, optional
        Run on this Dask client instead of the local pool.
    quick, config, **parameters
        As for :func:`~spikeneuron.run_experiment`, applied to every run.
    plot : str, optional
        Key number drawn in ``sweep.png`` (default: the experiment's first scalar key number);
        checked against the experiment's ``KEY_NUMBERS`` before anything runs.
    progress : bool
        One line per finished run on stderr.
    max_runs : int
        Most runs (points × repeats) allowed; a larger sweep is refused before anything runs,
        saying how many runs it would make (default ``MAX_RUNS``).

    Returns
    -------
    list of dict
        One row per point × repeat: ``point``, ``repeat``, ``seed``, the swept values,
        ``status`` ("done" or "failed"), ``error``, the scalar key numbers and ``folder``.
    """
    module = load_experiment(experiment)
    owner = f"sweep of {module.NAME!r}"
    declared = {p.name: p for p in module.PARAMETERS}
    if not isinstance(grid, dict):
        check.wrong_type("grid", owner, "a non-empty dict {KEY: [values]}", grid)
    if not grid:
        check.fail("grid", owner, "a non-empty dict {KEY: [values]}", grid)
    for key in parameters:
        if key not in declared:
            raise unknown_name("parameter", key, list(declared), f"experiment {module.NAME!r}")
    parameters = {key: declared[key].parse(value, f"experiment {module.NAME!r}")
                  for key, value in parameters.items()}
    values = {}
    for key, items in grid.items():
        if key not in declared:
            raise unknown_name("parameter", key, list(declared), f"experiment {module.NAME!r}")
        if key in parameters:
            raise ValidationError(f"{key!r} is both swept and fixed in {owner}")
        if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__") or not list(items):
            raise ValidationError(f"The grid of {key!r} in {owner} must be a non-empty list of "
                                  f"values. Got {items!r} instead.")
        values[key] = [declared[key].parse(item, f"experiment {module.NAME!r}") for item in items]
    repeats = check.integer("repeats", owner, repeats, low=1)
    max_runs = check.integer("max_runs", owner, max_runs, low=1)
    runs = repeats * int(np.prod([len(items) for items in values.values()], dtype=object))
    if runs > max_runs:
        shape = " × ".join(f"{len(items)} {key}" for key, items in values.items())
        raise ValidationError(
            f"The 'max_runs' parameter of {owner} must be at least the number of runs to make, "
            f"{runs} ({shape} × {repeats} repeat(s)). Got {max_runs} instead: pass "
            f"max_runs={runs} (--max-runs {runs}) to run them all, or a smaller grid.")
    if plot is not None:
        if not isinstance(plot, str):
            check.wrong_type("plot", owner, "the name of a key number", plot)
        names = [k.name for k in module.KEY_NUMBERS]
        if names and plot not in names:
            raise unknown_name("key number", plot, names, f"--plot of {owner}")
    if workers is not None:
        workers = check.integer("workers", owner, workers, low=1, what="or None")
    seed = _seed(seed, owner)
    out = check.path("out", owner, out)
    check.flag("quick", owner, quick)
    config_values = load_config(config, module.NAME)[0] if config is not None else {}

    tasks = []
    for point, combination in enumerate(itertools.product(*values.values())):
        swept = dict(zip(values, combination))
        # Resolving here checks every value before anything runs, and gives the parameter set
        # a finished run must have recorded to count as done.
        expected = resolve_parameters(module.PARAMETERS, owner, quick=quick, config=config_values,
                                      overrides={**parameters, **swept}).as_dict()
        for repeat in range(repeats):
            tasks.append({"index": len(tasks), "source": module.SOURCE, "name": module.NAME, "point": point,
                          "repeat": repeat, "seed": run_seed(seed, point, repeat),
                          "folder": str(out / "runs" / f"p{point:04d}-r{repeat:03d}"),
                          "quick": quick, "config": None if config is None else str(config),
                          "values": {**parameters, **swept}, "swept": swept,
                          "expected": expected})
    out.mkdir(parents=True, exist_ok=True)
    with folder_lock(out):
        return _sweep(module, tasks, values, declared, out, repeats, seed, quick, parameters,
                      workers, client, plot, progress)


def _sweep(module, tasks, values, declared, out, repeats, seed, quick, parameters, workers,
           client, plot, progress):
    rows, pending = [], []
    for task in tasks:
        row = {"point": task["point"], "repeat": task["repeat"], "seed": task["seed"],
               **task["swept"], "status": "pending", "error": "",
               "folder": str(Path(task["folder"]).relative_to(out))}
        summary = _done_before(task, task["expected"])
        if summary is not None:
            row.update(status="done", **_scalars(summary))
        else:
            pending.append(task)
        rows.append(row)
    state = {"experiment": module.NAME, "source": module.SOURCE, "grid": values,
             "repeats": repeats, "seed": seed, "quick": quick, "fixed": parameters}
    _write_tables(out, rows, state)
    say = (lambda text: print(text, file=sys.stderr, flush=True)) if progress else (lambda text: None)
    say(f"[sweep] {len(tasks)} runs ({len(tasks) // repeats} points × {repeats} repeat(s)) "
        f"into {out}")
    if len(pending) < len(tasks):
        say(f"[sweep] {len(tasks) - len(pending)} of {len(tasks)} runs already done; "
            f"running the other {len(pending)}")

    finished = len(tasks) - len(pending)
    results = _execute(pending, workers, client)
    try:
        for task, result in results:
            row = rows[task["index"]]
            if result["status"] == "done":
                row.update(status="done", error="", **_scalars(result["summary"]))
            else:
                row.update(status="failed", error=result["error"])
            finished += 1
            label = ", ".join(f"{k}={declared[k].format(v)}" for k, v in task["swept"].items())
            say(f"[sweep {finished}/{len(tasks)}] {row['folder']} ({label}) {row['status']} "
                f"in {result['seconds']:.1f} s" + (f": {row['error']}" if row["error"] else ""))
            _write_tables(out, rows, state)
    except KeyboardInterrupt:
        # Ctrl-C: the workers are ended mid-run (closing the generator ends them even when
        # the interrupt came here rather than while it waited); their lock files and
        # half-written files go.
        results.close()
        remove_stale_temporaries(out)
        raise

    key = plot or _default_key(module, rows)
    drawn = key is not None and _plot(out / "sweep.png", rows, list(values), key, module, declared)
    if not drawn:
        (out / "sweep.png").unlink(missing_ok=True)  # an old figure would show other runs
        warnings.warn("no sweep.png: " + (f"no finished run has a number {key!r}" if key else
                      "no finished run has a scalar key number"), stacklevel=3)
    failed = [row["folder"] for row in rows if row["status"] == "failed"]
    if failed:
        warnings.warn(f"{len(failed)} of {len(rows)} runs failed: {', '.join(failed)} "
                      f"(errors in {out / 'sweep.json'})", stacklevel=3)
    return rows


def _execute(tasks, workers, client):
    """Yield (task, result) as runs finish, on Dask, a process pool, or in this process."""
    if not tasks:
        return
    if client is not None:
        from dask.distributed import as_completed as dask_completed

        futures = {client.submit(_run_point, task, pure=False): task for task in tasks}
        for future in dask_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # a lost worker (KilledWorker) or a cancelled run
                result = {"status": "failed", "error": f"{type(error).__name__}: {error}",
                          "seconds": 0.0}
            yield futures[future], result
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) == 1:
        for task in tasks:
            yield task, _run_point(task)
        return
    import multiprocessing

    # spawn: a fresh interpreter per worker, safe whatever threads this process has started.
    # Each worker ends with this process, however it ends (kill -9 included): a worker left
    # behind would keep running and hold the caller's stdout and stderr open.
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                             mp_context=multiprocessing.get_context("spawn"),
                             initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
        futures = {pool.submit(_run_point, task): task for task in tasks}
        try:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as error:  # a worker process that died (BrokenProcessPool)
                    result = {"status": "failed", "error": f"{type(error).__name__}: {error}",
                              "seconds": 0.0}
                yield futures[future], result
        except (KeyboardInterrupt, GeneratorExit):
            # Ctrl-C: stop now. Without this, the runs already queued to the workers would be
            # started and waited for.
            for future in futures:
                future.cancel()
            _stop_workers(pool)
            raise


def _stop_workers(pool):
    """End a process pool's workers at once (their runs are abandoned, to be redone)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)


def _die_with_parent(parent):
    """Worker start-up: end this worker as soon as the process that started it is gone.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``); on
    every system a watchdog thread checks twice a second whether the worker has been handed to
    another parent (``os.getppid()`` changes when the parent dies) and ends it. The resource
    tracker that multiprocessing starts then sees its last client go and ends too.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # no libc prctl: the watchdog alone
            pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="spikeneuron-watch-parent").start()


def _watch_parent(parent):
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _cell(value):
    if isinstance(value, (tuple, list)):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_tables(out, rows, state):
    swept = list(state["grid"])
    first = ["point", "repeat", "seed", *swept, "status"]
    numbers = []
    for row in rows:
        numbers += [k for k in row if k not in first and k not in ("error", "folder") and k not in numbers]
    columns = first + numbers + ["error", "folder"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column, "")) for column in columns])
    write_text_atomic(out / "sweep.csv", buffer.getvalue())
    counts = {status: sum(row["status"] == status for row in rows) for status in ("done", "failed", "pending")}
    write_json_atomic(out / "sweep.json", plain({**state, "status": counts, "rows": rows}))


def _default_key(module, rows):
    declared = {p.name for p in module.PARAMETERS}
    done = [row for row in rows if row["status"] == "done"]
    if not done:
        return None
    numeric = [k for k, v in done[0].items()
               if isinstance(v, (int, float)) and not isinstance(v, bool)
               and k not in ("point", "repeat", "seed", "wall_s") and k not in declared]
    for key_number in module.KEY_NUMBERS:
        if key_number.name in numeric:
            return key_number.name
    return numeric[0] if numeric else None


def _plot(path, rows, swept, key, module, declared):
    from ..plotting import new_figure

    done = [row for row in rows if row["status"] == "done" and isinstance(row.get(key), (int, float))]
    if not done:
        return False
    x_key, rest = swept[0], swept[1:]
    # A list-valued parameter swept one value at a time is drawn as that value.
    unwrap = lambda value: value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    rows = [{**row, x_key: unwrap(row[x_key])} for row in rows]
    done = [{**row, x_key: unwrap(row[x_key])} for row in done]
    x_values = list(dict.fromkeys(row[x_key] for row in rows))
    numeric_x = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in x_values)
    positions = x_values if numeric_x else list(range(len(x_values)))
    figure, ax = new_figure(1, 1, width=6.5, height=4.2)
    groups = list(dict.fromkeys(tuple(row[k] for k in rest) for row in rows))
    for group in groups:
        means, stds, xs = [], [], []
        for x_value, position in zip(x_values, positions):
            samples = [row[key] for row in done if row[x_key] == x_value
                       and tuple(row[k] for k in rest) == group]
            if samples:
                xs.append(position)
                means.append(float(np.mean(samples)))
                stds.append(float(np.std(samples)) if len(samples) > 1 else 0.0)
        label = ", ".join(f"{k} = {declared[k].format(v)} {declared[k].unit}".rstrip()
                          for k, v in zip(rest, group)) or None
        ax.errorbar(xs, means, yerr=stds, marker="o", capsize=3, label=label)
    unit = next((k.unit for k in module.KEY_NUMBERS if k.name == key), "")
    x_unit = declared[x_key].unit
    ax.set_xlabel(f"{x_key} ({x_unit})" if x_unit else x_key)
    ax.set_ylabel(f"{key} ({unit})" if unit else key)
    if not numeric_x:
        ax.set_xticks(positions, [declared[x_key].format(v) for v in x_values])
    repeats = max(row["repeat"] for row in rows) + 1
    ax.set_title(f"{module.NAME}: {key} against {x_key}"
                 + (f"\nmean ± standard deviation over {repeats} repeats" if repeats > 1 else ""),
                 fontsize=10)
    if len(groups) > 1:
        ax.legend(fontsize=8)
    savefig_atomic(figure, path, dpi=120)
    return True
