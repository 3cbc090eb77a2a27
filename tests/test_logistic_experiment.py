"""The logistic-vs-spiking experiment, run quick in-process: its summary and its claims."""

import json

import numpy as np
import pytest

from spikeneuron.lab.cli import experiments
from spikeneuron.lab.experiment import run_experiment


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    run_experiment(experiments()["logistic-vs-spiking"], out, seed=5, quick=True)
    return json.loads((out / "logistic-vs-spiking" / "summary.json").read_text())


def test_summary_has_the_key_numbers(summary):
    for key in ("logistic_accuracy", "spiking_accuracy", "agreement", "weights", "bias",
                "parameters"):
        assert key in summary
    assert [figure["file"] for figure in summary["figures"]] == [
        "decision_boundaries.png", "count_vs_probability.png", "learning_curve.png"]


def test_hand_picked_forward_pass(summary):
    hand = summary["hand_picked"]
    assert hand["z"] == pytest.approx(-3.0 * 4.0 + 0.1 * 80.0 + 8.0)
    assert hand["sigmoid_z"] == pytest.approx(1.0 / (1.0 + np.exp(-4.0)))
    assert hand["decision"] == 1


def test_the_two_neurons_decide_alike(summary):
    # Height inhibits, weight excites, as the BMI rule says.
    assert summary["weights"]["height_per_ft"] < 0 < summary["weights"]["weight_per_kg"]
    assert summary["logistic_accuracy"] > 0.85
    assert summary["agreement"] >= 0.9
    assert summary["final_loss"] == pytest.approx(summary["exact_loss"], rel=1e-3)
