"""My study: three signed dendritic inputs, the potential they drive, and its logistic twin."""
import numpy as np

from spikeneuron import LogisticNeuron, simulate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import new_figure, plot_trace

NAME = "my-study"
PARAMETERS = (*lif_parameters(),
              Parameter("weights", (9.0, 3.0, -6.0), "mV", "signed weight of each dendrite"),
              Parameter("input_time", 20.0, "ms", "when the three inputs fire", positive=True))
KEY_NUMBERS = (KeyNumber("n_spikes", "", "spikes of the LIF neuron"),
               KeyNumber("logistic_output", "", "sigmoid(w·x + b), x = 1, b = v_rest − v_th"))

def run(context):
    p, neuron = context.parameters, context.lif()
    weights = np.array(p.weights)
    result = simulate(neuron, duration=60.0, inputs=[[p.input_time]] * weights.size, weights=weights)
    twin = LogisticNeuron(weights=weights, bias=neuron.v_rest - neuron.v_th)   # z = Σw − 15 mV
    figure, ax = new_figure()
    plot_trace(ax, result, neuron)
    context.save_figure(figure, "trace.png", "Membrane potential after three signed inputs (mV).")
    return {"n_spikes": int(result.spike_counts[0]),
            "logistic_output": float(twin.predict_proba(np.ones(weights.size)))}
