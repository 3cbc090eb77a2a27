"""spikeneuron's experiments: one script per experiment, each runnable on its own
(``python experiments/NAME.py``) or through ``spikeneuron run NAME``."""
