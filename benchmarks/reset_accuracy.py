"""Spike-time accuracy of AdEx and Izhikevich: ours against forward Euler against a tight
event-located solve_ivp, on Naud et al. (2008)'s patterns (600 ms) and Izhikevich's cell types
at I = 10 (500 ms). Prints a Markdown table; ``--json FILE`` also writes the numbers.

    python benchmarks/reset_accuracy.py [--dt 0.1 0.01] [--backend numpy]
"""

import argparse
import json

import numpy as np

from spikeneuron import AdEx, Izhikevich, simulate
from spikeneuron.models.adex import FIRING_PATTERNS
from spikeneuron.models.izhikevich import CELL_TYPES
from spikeneuron.models.reference import forward_euler_spike_times, reference_run


def cases():
    for name, (parameters, current) in FIRING_PATTERNS.items():
        yield f"AdEx {name}", AdEx(**parameters), current, 600.0
    for name, parameters in CELL_TYPES.items():
        yield f"Izhikevich {name}", Izhikevich(**parameters), 10.0, 500.0


def first_ten_error(spikes, reference):
    k = min(10, spikes.size, reference.size)
    return float(np.max(np.abs(spikes[:k] - reference[:k]))) if k else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dt", type=float, nargs="+", default=[0.1, 0.01])
    parser.add_argument("--backend", default="numpy")
    parser.add_argument("--json")
    args = parser.parse_args()
    rows = []
    print("| case | dt (ms) | spikes: reference / ours / Euler | first 10, max error (ms): ours / Euler |")
    print("|---|---|---|---|")
    for label, model, current, duration in cases():
        reference = reference_run(model, current, duration)
        for dt in args.dt:
            ours = simulate(model, duration=duration, dt=dt, current=current, record_v=False,
                            backend=args.backend).spike_times[0]
            euler = forward_euler_spike_times(model, current, duration, dt)
            row = dict(case=label, dt=dt, reference=int(reference.size), ours=int(ours.size),
                       euler=int(euler.size), ours_error=first_ten_error(ours, reference),
                       euler_error=first_ten_error(euler, reference))
            rows.append(row)
            print(f"| {label} | {dt:g} | {row['reference']} / {row['ours']} / {row['euler']} | "
                  f"{row['ours_error']:.2g} / {row['euler_error']:.2g} |", flush=True)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    main()
