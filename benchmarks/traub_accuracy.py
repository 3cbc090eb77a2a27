"""Spike-count and spike-time accuracy of TraubMiles at the benchmark's step, on many inputs:
20 seeds × 2 input mixes (300 / 30 and 200 / 40 Poisson conductance inputs at 10 Hz,
+6 / -67 nS, 500 ms, v from -65 mV), ours (all 40 as one batch) against a DOP853 reference
(rtol = atol = 1e-10, input jumps exactly at the grid) and exponential Euler (Brian2's method),
both from tests/test_traub_miles.py. The references take ~10 s each; they are cached in
``--cache`` (default: a folder under the system's temporary directory).

    python benchmarks/traub_accuracy.py [--substeps 8 1] [--dt 0.1 0.01] [--backend numpy]
                                        [--seeds 0 20]

``--seeds 20 40`` gives 40 further scenarios (seeds 20-39), on which the defaults were not
chosen. The scenarios whose count is wrong are named on stderr.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_traub_miles import exponential_euler_spikes, poisson_scenario, reference_spikes  # noqa: E402

from spikeneuron import TraubMiles, simulate, spike_trains  # noqa: E402

MIXES = [(300, 30), (200, 40)]


def references(cache, seeds):
    """(reference, exponential Euler at 0.1 ms) spike times of every scenario, cached."""
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    n = len(MIXES) * len(seeds)
    for i, (seed, n_ex, n_in) in enumerate((s, *m) for m in MIXES for s in seeds):
        path = cache / f"{n_ex}_{n_in}_{seed}.npz"
        if not path.exists():
            sys.stderr.write(f"reference {i + 1}/{n} (seed {seed}, {n_ex}/{n_in}) ...\n")
            _, _, jumps_ex, jumps_in = poisson_scenario(seed, n_ex, n_in)
            ref = reference_spikes(jumps_ex, jumps_in, -65.0)
            euler = exponential_euler_spikes(jumps_ex, jumps_in, -65.0, 0.1)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, ref=ref, euler=euler)
            os.replace(tmp, path)
        data = np.load(path)
        out.append(((seed, n_ex, n_in), data["ref"], data["euler"]))
    return out


def first_ten_error(spikes, reference):
    k = min(10, spikes.size, reference.size)
    return float(np.max(np.abs(spikes[:k] - reference[:k]))) if k else 0.0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--substeps", type=int, nargs="+", default=[8, 1])
    parser.add_argument("--dt", type=float, nargs="+", default=[0.1, 0.01])
    parser.add_argument("--backend", default="numpy")
    parser.add_argument("--seeds", type=int, nargs=2, default=[0, 20], metavar=("FIRST", "END"),
                        help="the scenarios' seeds, FIRST to END - 1 (default 0 20)")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "spikeneuron_traub_refs"))
    options = parser.parse_args(argv)
    cases = references(Path(options.cache), range(*options.seeds))
    trains, blocks = [], []
    for (seed, n_ex, n_in), _, _ in cases:
        scenario_trains, weights, _, _ = poisson_scenario(seed, n_ex, n_in)
        trains += list(scenario_trains)
        blocks.append(weights)
    weights = np.zeros((len(trains), len(cases)))
    row = 0
    for j, block in enumerate(blocks):
        weights[row:row + block.size, j] = block
        row += block.size
    print("| substeps | dt (ms) | wrong count | first-ten error max / median (ms) | over 0.02 ms "
          "| smallest ratio to exp. Euler | wall (s) |")
    print("|---|---|---|---|---|---|---|")
    for substeps in options.substeps:
        for dt in options.dt:
            started = time.perf_counter()
            result = simulate(TraubMiles(substeps=substeps), duration=500.0, dt=dt,
                              inputs=spike_trains(trains), weights=weights, v_init=-65.0,
                              record_v=False, backend=options.backend)
            wall = time.perf_counter() - started
            wrong, errors, ratios = 0, [], []
            for j, ((seed, n_ex, n_in), ref, euler) in enumerate(cases):
                spikes = result.spike_times[j]
                if spikes.size != ref.size:
                    wrong += 1
                    sys.stderr.write(f"substeps {substeps}, dt {dt:g}: seed {seed} ({n_ex}/{n_in}) "
                                     f"{spikes.size} spikes, the reference {ref.size}\n")
                errors.append(first_ten_error(spikes, ref))
                ratios.append(first_ten_error(euler, ref) / max(errors[-1], 1e-12))
            print(f"| {substeps} | {dt:g} | {wrong} / {len(cases)} | {max(errors):.3g} / "
                  f"{np.median(errors):.2g} | {sum(e > 0.02 for e in errors)} | {min(ratios):.3g} "
                  f"| {wall:.1f} |", flush=True)


if __name__ == "__main__":
    main()
