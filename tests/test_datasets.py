"""digits_split: the bundled digits, stratified and standardised on the training part only."""

import sys

import numpy as np
import pytest

from spikeneuron import MissingExtraError, digits_split, run_experiment


def test_split_is_stratified_and_standardised_on_the_training_part():
    pytest.importorskip("sklearn")
    X_train, X_test, y_train, y_test = digits_split()
    assert X_train.shape == (1257, 64) and X_test.shape == (540, 64)
    # stratified: each digit's share of the test part is its share of the whole, to one image
    counts_test, counts_all = np.bincount(y_test), np.bincount(np.r_[y_train, y_test])
    assert np.all(np.abs(counts_test - 0.3 * counts_all) <= 1)
    varying = X_train.std(axis=0) > 0
    np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(X_train.std(axis=0)[varying], 1.0, rtol=1e-12)
    assert abs(X_test.mean()) > 1e-6  # the test part is not standardised on itself
    again = digits_split()
    assert np.array_equal(again[1], X_test)
    assert not np.array_equal(digits_split(seed=1)[3], y_test)


def test_without_scikit_learn_the_error_names_the_extra(monkeypatch, tmp_path):
    for name in [module for module in sys.modules if module.split(".")[0] == "sklearn"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sklearn", None)  # import sklearn now raises ImportError
    with pytest.raises(MissingExtraError, match=r"pip install 'spikeneuron\[learn\]'"):
        digits_split()
    with pytest.raises(MissingExtraError, match=r"deep-twin needs scikit-learn.*spikeneuron\[learn\]"):
        run_experiment("deep-twin", out=tmp_path, quick=True)
