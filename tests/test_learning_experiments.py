"""Smoke tests of the weight-recovery and tempotron experiments on small settings."""

import pytest

from spikeneuron import run_experiment


def test_weight_recovery_summary(tmp_path):
    summary = run_experiment("weight-recovery", out=tmp_path, seed=1, quick=True,
                             duration=5000.0, n_inputs=8, n_lengths=2, input_rate=20.0)
    for key in ("true_weights_mv", "fitted_weights_mv", "weight_errors_mv", "max_abs_z",
                "ks_statistic", "logistic_link_correlation"):
        assert key in summary
    assert len(summary["fitted_weights_mv"]) == 8
    assert summary["max_abs_z"] < 4.0  # 8 z-scores: P(any |z| > 4) < 1e-3
    assert summary["logistic_link_correlation"] > 0.99
    assert (tmp_path / "weight-recovery" / "weight_recovery.png").exists()


def test_tempotron_summary(tmp_path):
    summary = run_experiment("tempotron", out=tmp_path, seed=1, quick=True, n_inputs=30,
                             n_patterns=20, loads=(0.5,), capacity_epochs=20)
    assert summary["tempotron_accuracy"] > summary["count_logistic_accuracy"] == 0.5
    assert summary["capacity_alpha"] == [0.5] and len(summary["capacity_correct"]) == 1


@pytest.mark.slow
def test_deep_twin_summary(tmp_path):
    pytest.importorskip("sklearn")
    summary = run_experiment("deep-twin", out=tmp_path, seed=0, quick=True)
    assert summary["random_accuracy"] < 0.25  # random weights: about one in ten, by luck
    assert summary["logistic_accuracy"] >= 0.95
    assert summary["spiking_accuracy"] >= summary["logistic_accuracy"] - 0.02
    assert summary["hidden_r"] > 0.99
    assert list(summary["windows_ms"]) == [5.0, 10.0, 20.0, 50.0, 100.0]
    accuracy = summary["accuracy_by_window"]
    assert accuracy[0] < accuracy[-1] - 0.1  # 5 ms holds at most 2 spikes per neuron
    for name in ("training.png", "hidden_rates.png", "accuracy_by_window.png", "one_digit.png"):
        assert (tmp_path / "deep-twin" / name).exists()
