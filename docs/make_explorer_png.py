"""Draw docs/explorer.png: the figure the explorer shows, after moving two of its sliders.

Run from the repository root with the notebooks extra installed:
``python docs/make_explorer_png.py``. The app is built as in a notebook (``explorer()``), the
inhibitory weight is moved from −10 to −1.5 mV (z = 12 + 4 − 1.5 = 14.5 mV, 0.5 mV short of threshold)
and the noise to 1.5 mV, and the figure it then displays is saved.
"""

from pathlib import Path

from spikeneuron import explorer

app = explorer(seed=2)  # seed 2: a first trial that fires, to show a spike
app.sliders["w3"].value = -1.5
app.sliders["noise_mv"].value = 1.5
path = Path(__file__).resolve().parent / "explorer.png"
app.figure.savefig(path, dpi=90)
print(f"{path}: update {app.last_update_s * 1000:.0f} ms; {app.numbers.value}")
