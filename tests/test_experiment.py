"""The experiment harness: finding experiments, running them with parameters, the summary."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

import spikeneuron
from spikeneuron import ValidationError
from spikeneuron.lab.experiment import describe, load_config, load_experiment
from spikeneuron.lab.parameters import UnknownNameError

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"

# A small experiment with random numbers: its key numbers depend on the seed and the parameters.
NOISY = '''"""Noisy: a mean of random draws, to test seeds and parameters."""
import numpy as np
from spikeneuron.lab.experiment import KeyNumber, Parameter

PARAMETERS = (Parameter("scale", 1.0, "mV", "scale of the draws", positive=True),
              Parameter("n_draws", 1000, "", "draws", minimum=1, quick=10),
              Parameter("levels", (1.0, 2.0), "mV", "levels"))
KEY_NUMBERS = (KeyNumber("mean_mv", "mV", "mean of the draws"),)

def run(context):
    p = context.parameters
    draws = np.random.default_rng(context.seed).normal(0.0, p.scale, p.n_draws)
    return {"mean_mv": float(draws.mean()), "n": p.n_draws, "level_sum": sum(p.levels)}
'''


@pytest.fixture
def noisy_file(tmp_path):
    path = tmp_path / "noisy_study.py"
    path.write_text(NOISY)
    return path


def test_bundled_names_and_file_names_find_the_same_experiment():
    assert load_experiment("fi-curve") is not None
    assert load_experiment("fi_curve").NAME == "fi-curve"
    with pytest.raises(UnknownNameError, match=r"unknown experiment 'fi-curv'.*did you mean 'fi-curve'"):
        load_experiment("fi-curv")


def test_user_file_takes_its_name_from_the_file_and_its_description_from_the_docstring(noisy_file):
    module = load_experiment(noisy_file)
    assert module.NAME == "noisy-study"
    assert module.DESCRIPTION.startswith("Noisy: a mean of random draws")
    text = describe(noisy_file)
    assert "n_draws" in text and "1000 (quick: 10)" in text and "scale of the draws" in text


def test_run_experiment_records_every_parameter_seed_versions_and_command(noisy_file, tmp_path):
    summary = spikeneuron.run_experiment(noisy_file, out=tmp_path / "out", seed=4, scale=2.0)
    saved = json.loads((tmp_path / "out" / "noisy-study" / "summary.json").read_text())
    assert saved == summary
    assert summary["parameters"] == {"scale": 2.0, "n_draws": 1000, "levels": [1.0, 2.0]}
    assert summary["seed"] == 4 and summary["level_sum"] == 3.0
    assert set(summary["versions"]) == {"spikeneuron", "numpy", "scipy", "python"}
    assert "scale=2.0" in summary["command"] and summary["units"] == {"mean_mv": "mV"}
    assert list(summary)[-1] == "wall_s"
    expected = np.random.default_rng(4).normal(0.0, 2.0, 1000).mean()
    assert summary["mean_mv"] == pytest.approx(expected, rel=1e-11)  # summaries keep 12 significant digits


def test_quick_shrinks_sizes_unless_set_explicitly(noisy_file, tmp_path):
    assert spikeneuron.run_experiment(noisy_file, out=tmp_path, quick=True)["n"] == 10
    assert spikeneuron.run_experiment(noisy_file, out=tmp_path, quick=True, n_draws=50)["n"] == 50


def test_config_toml_table_and_set_precedence(noisy_file, tmp_path):
    config = tmp_path / "study.toml"
    config.write_text('[noisy-study]\nscale = 3.0\nn_draws = 20\nlevels = [0.5, 0.25]\n'
                      '[other]\nx = 1\n')
    summary = spikeneuron.run_experiment(noisy_file, out=tmp_path, config=config, n_draws=30)
    assert summary["parameters"] == {"scale": 3.0, "n_draws": 30, "levels": [0.5, 0.25]}


def test_summary_json_as_config_repeats_the_run_exactly(noisy_file, tmp_path):
    first = spikeneuron.run_experiment(noisy_file, out=tmp_path / "a", seed=7, quick=True, scale=0.5)
    repeat = spikeneuron.run_experiment(noisy_file, out=tmp_path / "b",
                                        config=tmp_path / "a" / "noisy-study" / "summary.json")
    assert repeat["seed"] == 7 and repeat["parameters"] == first["parameters"]
    assert repeat["mean_mv"] == first["mean_mv"]


@pytest.mark.parametrize("text, message", [
    ("scale = 3.0\n", "must sit in an experiment's table"),
    ("[noisy-study]\nscale = 'big'\n", "'scale' parameter"),
    ("[noisy-study]\nscal = 3.0\n", "did you mean 'scale'"),
    ("[noisy-study\n", "not valid TOML"),
])
def test_bad_config_files_get_one_clear_message(noisy_file, tmp_path, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text)
    with pytest.raises((ValidationError, TypeError), match=re.escape(message)):
        spikeneuron.run_experiment(noisy_file, out=tmp_path, config=config)


def test_a_summary_of_another_experiment_is_refused(noisy_file, tmp_path):
    other = tmp_path / "summary.json"
    other.write_text(json.dumps({"experiment": "fi-curve", "parameters": {}}))
    with pytest.raises(ValidationError, match="summary of experiment 'fi-curve'"):
        load_config(other, "noisy-study")


@pytest.mark.parametrize("kwargs, error", [
    (dict(seed=-1), ValidationError), (dict(seed=1.5), TypeError), (dict(seed=True), TypeError),
    (dict(quick="yes"), TypeError), (dict(scale=-1.0), ValidationError), (dict(nope=1), UnknownNameError),
    (dict(nope=1), TypeError),
])
def test_bad_arguments_of_run_experiment(noisy_file, tmp_path, kwargs, error):
    with pytest.raises(error):
        spikeneuron.run_experiment(noisy_file, out=tmp_path, **kwargs)


def test_experiment_files_that_break_the_contract(tmp_path):
    (tmp_path / "no_run.py").write_text("NAME = 'x'\n")
    with pytest.raises(ValidationError, match="must define run"):
        load_experiment(tmp_path / "no_run.py")
    (tmp_path / "reserved.py").write_text(
        "from spikeneuron.lab import Parameter\nPARAMETERS = (Parameter('seed', 1),)\n"
        "def run(context):\n    return {}\n")
    with pytest.raises(ValidationError, match="reserved"):
        load_experiment(tmp_path / "reserved.py")
    (tmp_path / "returns_parameters.py").write_text("def run(context):\n    return {'parameters': 1}\n")
    with pytest.raises(ValidationError, match="'parameters' entry"):
        spikeneuron.run_experiment(tmp_path / "returns_parameters.py", out=tmp_path)
    with pytest.raises(ValidationError, match="does not exist"):
        load_experiment(tmp_path / "missing.py")


def test_the_readme_example_experiment_file_runs(tmp_path):
    """The README shows docs/examples/my_study.py in full; both must agree, and it must run."""
    example = REPO / "docs" / "examples" / "my_study.py"
    assert example.read_text().strip() in README.read_text()
    summary = spikeneuron.run_experiment(example, out=tmp_path)
    assert summary["experiment"] == "my-study"
    # 9 + 3 − 6 = 6 mV: below the 15 mV to threshold, no spike; the twin: sigmoid(6 − 15)
    assert summary["n_spikes"] == 0
    assert summary["logistic_output"] == pytest.approx(1.0 / (1.0 + np.exp(9.0)))
    strong = spikeneuron.run_experiment(example, out=tmp_path, weights=(9.0, 8.0, -1.0))
    assert strong["n_spikes"] == 1 and strong["logistic_output"] == pytest.approx(1.0 / (1.0 + np.exp(-1.0)))
    assert (tmp_path / "my-study" / "trace.png").read_bytes()[:4] == b"\x89PNG"
