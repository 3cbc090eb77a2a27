"""Run spikeneuron's benchmark suite: ``python benchmarks/bench.py [--quick] [--only W1,W2]``.

The workloads live in ``spikeneuron.lab.benchmark`` so that ``spikeneuron bench`` runs the same.
"""

import sys

from spikeneuron.lab.benchmark import main

if __name__ == "__main__":
    sys.exit(main())
