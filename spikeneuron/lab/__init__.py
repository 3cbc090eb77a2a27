"""The lab: what drives the library — experiments, their parameters, sweeps, the report, the
benchmark, the explorer app and the ``spikeneuron`` command line.

The lab imports the library (models, engine, results, analysis, learning, plotting) and the
library never imports the lab. An experiment file declares what a user may change with the
names below::

    from spikeneuron.lab import KeyNumber, Parameter, lif_parameters

    PARAMETERS = (*lif_parameters(tau_m=10.0), Parameter("gap", 2.0, "ms", "input spacing"))
    KEY_NUMBERS = (KeyNumber("peak_mv", "mV", "largest depolarisation"),)

    def run(context):
        neuron = context.lif()
        ...
        return {"peak_mv": ...}

Modules: :mod:`~spikeneuron.lab.parameters` (declared parameters), :mod:`~.experiment` (the
harness), :mod:`~.sweep`, :mod:`~.report`, :mod:`~.benchmark`, :mod:`~.explorer`,
:mod:`~.cli`; the bundled experiment scripts are :mod:`spikeneuron.lab.experiments` (the
repository's ``experiments/`` folder).
"""

from .experiment import ExperimentContext, bundled_experiments, describe, load_config, load_experiment, run_experiment
from .explorer import explorer
from .parameters import (
                         KeyNumber,
                         Parameter,
                         adex_parameters,
                         hh_parameters,
                         izhikevich_parameters,
                         lif_parameters,
                         traub_parameters,
)
from .sweep import sweep  # after the module: the name is the function, as spikeneuron.sweep

__all__ = ["Parameter", "KeyNumber", "lif_parameters", "hh_parameters", "traub_parameters",
           "adex_parameters", "izhikevich_parameters", "ExperimentContext",
           "run_experiment", "load_experiment", "bundled_experiments", "load_config", "describe",
           "sweep", "explorer"]

