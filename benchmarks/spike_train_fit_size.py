"""Time and memory of ``SpikeTrainFit`` by the number of sources (issue 23 §4).

    python benchmarks/spike_train_fit_size.py make SOURCES [--duration MS] [--out FILE]
    python benchmarks/spike_train_fit_size.py fit FILE [--backend numpy|numba]

``make`` simulates one recording (Poisson inputs at 5 Hz, weights drawn so that the summed
input moves V by about 3 mV rms whatever the number of sources, 1 nA of drive, seeded by the
number of sources) and saves inputs, output spikes and true weights to an .npz; ``fit`` fits
it in a fresh process and prints one JSON line: wall and CPU seconds of the fit, peak RSS of the
process (MB), iterations, spikes, events, and the error of the fitted weights against the
true ones (rms in mV, and the rms and largest |z| = |fitted − true|/standard error).
"""

import argparse
import json
import resource
import sys
import time

import numpy as np

from spikeneuron import LIF, EscapeNoise, SpikeTrainFit, poisson_inputs, simulate

MODEL = LIF(escape_noise=EscapeNoise(delta_u=2.0, tau_esc=10.0))
RATE_HZ = 5.0
V_RMS = 3.0  # mV: the summed input's standard deviation, sum w² · rate · tau_m / 2


def make(sources, duration, out):
    rng = np.random.default_rng(sources)
    scale = V_RMS / np.sqrt(sources * RATE_HZ * 1e-3 * MODEL.tau_m / 2)
    weights = rng.normal(0.0, scale, sources)
    inputs = poisson_inputs([RATE_HZ] * sources, duration, seed=sources + 1)
    result = simulate(MODEL, duration=duration, inputs=inputs, weights=weights, current=1.0,
                      seed=sources + 2, record_v=False)
    trains = list(inputs) if not isinstance(inputs, list) else inputs
    lengths = np.array([len(t) for t in trains])
    np.savez(out, times=np.concatenate(trains), lengths=lengths, weights=weights,
             spikes=result.spike_times[0], duration=duration)
    print(json.dumps({"sources": sources, "spikes": int(result.spike_times[0].size),
                      "input_spikes": int(lengths.sum()), "file": out}))


def fit(path, backend):
    data = np.load(path)
    inputs = np.split(data["times"], np.cumsum(data["lengths"])[:-1])
    weights = data["weights"]
    kwargs = {} if backend is None else {"backend": backend}
    started, cpu = time.perf_counter(), time.process_time()
    model = SpikeTrainFit(MODEL, **kwargs).fit(inputs, data["spikes"], duration=float(data["duration"]))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    error = model.weights_ - weights
    z = error / model.weight_errors_
    print(json.dumps({
        "sources": int(weights.size), "backend": backend, "fit_s": round(seconds, 2), "fit_cpu_s": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "iterations": model.n_iter_, "converged": bool(model.converged_), "spikes": model.n_spikes_,
        "input_spikes": int(data["lengths"].sum()), "rms_error_mv": float(np.sqrt(np.mean(error**2))),
        "rms_weight_mv": float(np.sqrt(np.mean(weights**2))), "rms_z": float(np.sqrt(np.mean(z**2))),
        "max_abs_z": float(np.max(np.abs(z)))}))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("make")
    making.add_argument("sources", type=int)
    making.add_argument("--duration", type=float, default=100_000.0)
    making.add_argument("--out")
    fitting = commands.add_parser("fit")
    fitting.add_argument("file")
    fitting.add_argument("--backend", choices=["numpy", "numba"])
    args = parser.parse_args(argv)
    if args.command == "make":
        make(args.sources, args.duration, args.out or f"stf_{args.sources}.npz")
    else:
        fit(args.file, args.backend)


if __name__ == "__main__":
    sys.exit(main())
