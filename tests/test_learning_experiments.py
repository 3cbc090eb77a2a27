"""Smoke tests of the weight-recovery and tempotron experiments on small settings."""

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
