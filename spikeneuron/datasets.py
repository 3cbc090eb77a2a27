"""Real data that needs no download: scikit-learn's bundled digits, split as the examples use them."""


from . import _validation as check
from .exceptions import MissingExtraError

__all__ = ["digits_split"]


def digits_split(*, test_fraction=0.3, seed=0):
    """scikit-learn's bundled 8×8 digits (1797 images, 10 classes), split and standardised.

    The split is stratified (each class in the same proportion on both sides); every pixel is
    standardised with the training part's mean and standard deviation (pixels constant there
    are only centred), so the test part is never looked at.

    Parameters
    ----------
    test_fraction : float
        Fraction of the images held out for testing, in (0, 1).
    seed : int
        Seed of the split.

    Returns
    -------
    X_train, X_test : ndarray, shapes (n_train, 64), (n_test, 64)
        Standardised pixel intensities (the raw ones run from 0 to 16).
    y_train, y_test : ndarray of int
        The digits, 0 to 9.

    Raises
    ------
    MissingExtraError
        Without scikit-learn: ``pip install 'spikeneuron[learn]'``.
    """
    owner = "digits_split"
    test_fraction = check.real("test_fraction", owner, test_fraction, low=0.0, high=1.0,
                               low_open=True, high_open=True)
    seed = check.integer("seed", owner, seed, low=0)
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError:
        raise MissingExtraError("digits_split needs scikit-learn (its bundled digits): "
                                "pip install 'spikeneuron[learn]'") from None
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_fraction,
                                                        stratify=y, random_state=seed)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test
