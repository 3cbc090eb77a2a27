"""``python -m spikeneuron``: the same command line as ``spikeneuron``."""

from .cli import main

raise SystemExit(main())
