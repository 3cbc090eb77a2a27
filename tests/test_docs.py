"""Documentation that runs: docstring examples and the README's Python example."""

import doctest
import importlib
import re
from pathlib import Path

import pytest

MODULES = ["spikeneuron.engine", "spikeneuron.analysis", "spikeneuron.inputs", "spikeneuron.logistic",
           "spikeneuron.models.lif", "spikeneuron.models.adex", "spikeneuron.models.izhikevich",
           "spikeneuron.learning.spike_train_fit",
           "spikeneuron.learning.tempotron", "spikeneuron.learning.classifier",
           "spikeneuron.logistic_network", "spikeneuron.learning.spiking_network", "spikeneuron.plotting"]
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    failures, _ = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_readme_python_examples_run_in_order(tmp_path, monkeypatch):
    """The README's Python blocks build on each other, as a reader would type them."""
    monkeypatch.chdir(tmp_path)  # the examples write files (figures, saved results)
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks
    namespace = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
