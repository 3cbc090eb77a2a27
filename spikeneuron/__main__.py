"""``python -m spikeneuron``: the same command line as ``spikeneuron``."""

from _spikeneuron_launcher import main

raise SystemExit(main())
