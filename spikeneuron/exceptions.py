"""Exceptions and warnings raised by spikeneuron."""

__all__ = ["ValidationError", "NotFittedError", "CoarseTimeStepWarning", "UnitWarning", "MissingExtraError", "SimulationError",  # noqa: E501
           "ConvergenceWarning"]


class ValidationError(ValueError):
    """A parameter or an input has a value that spikeneuron cannot use.

    The message names the parameter, the value received and what is allowed.
    """


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` was called."""


class CoarseTimeStepWarning(UserWarning):
    """The time step is large compared with a time constant of the model."""


class UnitWarning(UserWarning):
    """A parameter far outside physiology in a way that suggests the wrong unit (volts typed
    for millivolts, seconds for milliseconds): the message says which unit it looks like."""


class MissingExtraError(ImportError):
    """A feature needs an optional extra that is not installed (the message names it)."""


class SimulationError(ValidationError, FloatingPointError):
    """A run whose state became NaN or infinite; the message names the step, the time, the
    variable and the inputs that drove it there."""


class ConvergenceWarning(UserWarning):
    """An optimiser stopped before it converged (iteration cap, divergence, no maximum); the
    fitted values are then not the estimate the method promises (as scikit-learn's)."""
