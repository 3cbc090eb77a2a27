"""Exceptions and warnings raised by spikeneuron."""

__all__ = ["ValidationError", "NotFittedError", "CoarseTimeStepWarning", "MissingExtraError"]


class ValidationError(ValueError):
    """A parameter or an input has a value that spikeneuron cannot use.

    The message names the parameter, the value received and what is allowed.
    """


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` was called."""


class CoarseTimeStepWarning(UserWarning):
    """The time step is large compared with a time constant of the model."""


class MissingExtraError(ImportError):
    """A feature needs an optional extra that is not installed (the message names it)."""
