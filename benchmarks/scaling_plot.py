"""Draw docs/scaling.png: the cost of the CUBA network against its size, spikeneuron and Brian2.

Run from the repository root: ``python benchmarks/scaling_plot.py``. The numbers are those of
the README's scaling table (Performance section), measured side by side on the project's
2-core machine under heavy shared load: ``spikeneuron bench --only W3`` (W6, W9, W9-4e5)
against Brian2 2.9's anchors w3/w6/w9 (Cython target, one thread; the 400 000-neuron point a
copy of w9 with N = 400 000, p = 0.0002), each under ``/usr/bin/time -v``, A B A B in fresh
processes; medians. Loop seconds are spikeneuron's ``wall_s`` and Brian2's ``sim_s``; whole
process seconds and peak RSS are ``/usr/bin/time``'s.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from spikeneuron._io import savefig_atomic  # noqa: E402

#: workload: (neurons, synapses, spikeneuron loop s, Brian2 loop s, spikeneuron process s,
#: Brian2 process s, spikeneuron peak MB, Brian2 peak MB), medians of the pairs measured.
MEASURED = {
    "W3": (4_000, 318_837, 0.518, 3.152, 13.3, 50.9, 214, 123),
    "W6": (16_000, 1_278_640, 1.386, 4.436, 17.7, 31.2, 220, 144),
    "W9": (100_000, 7_997_535, 12.25, 26.80, 32.3, 60.9, 270, 286),
    "W9-4e5": (400_000, 31_998_827, 101.9, 221.3, 128.1, 524.0, 452, 978),
}


def main():
    names = list(MEASURED)
    neurons = [MEASURED[name][0] for name in names]
    columns = list(zip(*(MEASURED[name] for name in names)))
    ours_loop, brian_loop, ours_process, brian_process, ours_mb, brian_mb = columns[2:]
    figure, (ax_time, ax_memory) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    ax_time.plot(neurons, ours_loop, "o-", color="#1f77b4", label="spikeneuron, loop")
    ax_time.plot(neurons, brian_loop, "s-", color="#d62728", label="Brian2 (Cython), loop")
    ax_time.plot(neurons, ours_process, "o--", color="#1f77b4", alpha=0.6,
                 label="spikeneuron, whole process")
    ax_time.plot(neurons, brian_process, "s--", color="#d62728", alpha=0.6,
                 label="Brian2, whole process")
    slope_start = ours_loop[1] / neurons[1]
    ax_time.plot(neurons, [slope_start * n for n in neurons], ":", color="#7f7f7f",
                 label="cost ∝ neurons (through W6)")
    for name, n, seconds in zip(names, neurons, ours_loop):
        ax_time.annotate(name, (n, seconds), textcoords="offset points", xytext=(4, -12),
                         fontsize="small")
    ax_time.set_xscale("log")
    ax_time.set_yscale("log")
    ax_time.set_xlabel("network size (neurons; 80 synapses each)")
    ax_time.set_ylabel("time for 1 s of network activity (s)")
    ax_time.set_title("Time: loop and whole process")
    ax_time.legend(fontsize="small")
    ax_memory.plot(neurons, ours_mb, "o-", color="#1f77b4", label="spikeneuron")
    ax_memory.plot(neurons, brian_mb, "s-", color="#d62728", label="Brian2 (Cython)")
    ax_memory.set_xscale("log")
    ax_memory.set_yscale("log")
    ax_memory.set_xlabel("network size (neurons; 80 synapses each)")
    ax_memory.set_ylabel("peak resident memory (MB)")
    ax_memory.set_title("Peak memory of the whole process")
    ax_memory.legend(fontsize="small")
    figure.suptitle("CUBA network (Vogels & Abbott 2005) at in-degree 80, 1 s at dt = 0.1 ms: "
                    "2-core machine, shared load", fontsize="medium")
    path = Path(__file__).resolve().parent.parent / "docs" / "scaling.png"
    savefig_atomic(figure, path, dpi=90)
    print(path)


if __name__ == "__main__":
    main()
