"""Tempotron: a spiking neuron learns to classify spike timing that spike counts cannot tell apart.

Two classes of random spatio-temporal patterns (Gütig & Sompolinsky 2006): in every pattern each
of N inputs fires exactly once, at a time drawn uniformly in the window, so every pattern has
the same spike counts and a LogisticNeuron on the counts can only guess (accuracy 0.5 on
balanced classes). The tempotron, V(t) = Σ_i w_i K(t − t_i) with the double-exponential kernel
(τ = 15 ms, τ_s = 3.75 ms, peak 1) and threshold 1, learns which patterns should make it fire.
Shown: its learning curve, the potential of one pattern of each class before and after learning,
and the fraction of patterns learned against the load α = patterns per synapse (the published
capacity at these parameters is about 3 for large N, with many more epochs than here).
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import copy

import numpy as np

from spikeneuron import LogisticNeuron, Tempotron
from spikeneuron.lab import KeyNumber, Parameter
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure

NAME = "tempotron"
TITLE = "The tempotron classifies spike timing; a logistic neuron on spike counts cannot"
DESCRIPTION = __doc__.strip().splitlines()[0]

PARAMETERS = (
    Parameter("n_inputs", 100, "", "synapses of the tempotron", minimum=1, quick=50),
    Parameter("n_patterns", 100, "", "patterns of the classification task (half of each class)",
              minimum=2, quick=50),
    Parameter("window", 500.0, "ms", "pattern duration; each input fires once in it", positive=True),
    Parameter("tau", 15.0, "ms", "membrane time constant of the kernel", positive=True),
    Parameter("tau_s", 3.75, "ms", "synaptic time constant of the kernel", positive=True),
    Parameter("learning_rate", 0.01, "", "tempotron learning rate λ", positive=True),
    Parameter("epochs", 200, "", "training epochs of the classification task", minimum=1, quick=100),
    Parameter("loads", (0.5, 1.0, 2.0, 3.0), "", "capacity test: patterns per synapse", positive=True,
              quick=(0.5, 1.0, 2.0)),
    Parameter("capacity_epochs", 200, "", "training epochs at each load", minimum=1, quick=60),
)
KEY_NUMBERS = (
    KeyNumber("tempotron_accuracy", "", "fraction of the task's patterns the tempotron classifies right"),
    KeyNumber("count_logistic_accuracy", "", "the same for a LogisticNeuron on the spike counts"),
    KeyNumber("capacity_alpha", "", "the loads tested, patterns per synapse"),
    KeyNumber("capacity_correct", "", "fraction of patterns classified right after training, per load"),
)


def timing_patterns(n_patterns, n_inputs, window, rng):
    """Patterns in which every input fires once, and balanced random labels 0/1."""
    times = rng.uniform(0.0, window, (n_patterns, n_inputs))
    patterns = [[np.array([t]) for t in row] for row in times]
    return patterns, rng.permutation(np.arange(n_patterns) % 2)


def run(context):
    p = context.parameters
    rng = np.random.default_rng(context.seed)
    options = dict(tau=p.tau, tau_s=p.tau_s, learning_rate=p.learning_rate)

    patterns, labels = timing_patterns(p.n_patterns, p.n_inputs, p.window, rng)
    counts = np.array([[train.size for train in pattern] for pattern in patterns], dtype=float)
    count_logistic = LogisticNeuron().fit(counts, labels)
    count_accuracy = count_logistic.score(counts, labels)
    tempotron = Tempotron(p.n_inputs, seed=context.seed, **options)
    untrained = copy.deepcopy(tempotron)
    tempotron.fit(patterns, labels, epochs=p.epochs)
    accuracy = tempotron.score(patterns, labels)
    context.say(f"tempotron accuracy {accuracy:.3f} after {tempotron.n_iter_} epochs; "
                f"logistic on counts {count_accuracy:.3f}")

    correct = []
    for load in p.loads:
        n = max(2, int(round(load * p.n_inputs)))
        load_patterns, load_labels = timing_patterns(n, p.n_inputs, p.window, rng)
        learner = Tempotron(p.n_inputs, seed=context.seed, **options)
        learner.fit(load_patterns, load_labels, epochs=p.capacity_epochs)
        correct.append(learner.score(load_patterns, load_labels))
        context.say(f"load {load:g} ({n} patterns): {correct[-1]:.3f} correct")

    plot(context, p, tempotron, untrained, patterns, labels, correct)
    return {
        "tempotron_accuracy": accuracy,
        "count_logistic_accuracy": count_accuracy,
        "capacity_alpha": list(p.loads),
        "capacity_correct": correct,
        "errors_per_epoch": tempotron.errors_per_epoch_,
        "epochs_run": tempotron.n_iter_,
    }


def plot(context, p, tempotron, untrained, patterns, labels, correct):
    figure, axes = new_figure(1, 4, width=18, height=4.2)
    ax_curve, ax_before, ax_after, ax_load = axes
    ax_curve.plot(np.arange(1, tempotron.n_iter_ + 1), tempotron.errors_per_epoch_ / len(patterns),
                  "-", color=EXCITATORY)
    ax_curve.axhline(0.5, color=NEUTRAL, ls="--", lw=1, label="chance (logistic on counts)")
    ax_curve.set_xlabel("epoch")
    ax_curve.set_ylabel("fraction of patterns misclassified")
    ax_curve.set_title("Tempotron learning curve")
    ax_curve.legend(loc="upper right", fontsize="small")

    t = np.linspace(0.0, p.window + 3 * p.tau, 2000)
    examples = {label: int(np.flatnonzero(labels == label)[0]) for label in (1, 0)}
    for ax, neuron, when in ((ax_before, untrained, "before"), (ax_after, tempotron, "after")):
        for label, colour in ((1, EXCITATORY), (0, INHIBITORY)):
            ax.plot(t, neuron.potential(patterns[examples[label]], t), color=colour, lw=1,
                    label=f"a class-{label} pattern")
        ax.axhline(neuron.v_th, color="black", ls="--", lw=1, label="threshold")
        ax.set_xlabel("time in pattern (ms)")
        ax.set_ylabel("V (units of threshold)")
        ax.set_title(f"Potential {when} learning")
        ax.legend(loc="lower left", fontsize="small")
    low = min(ax_before.get_ylim()[0], ax_after.get_ylim()[0])
    high = max(ax_before.get_ylim()[1], ax_after.get_ylim()[1])
    ax_before.set_ylim(low, high)
    ax_after.set_ylim(low, high)

    ax_load.plot(p.loads, correct, "o-", color=EXCITATORY, label=f"N = {p.n_inputs}, "
                 f"{p.capacity_epochs} epochs")
    ax_load.axvline(3.0, color=NEUTRAL, ls=":", lw=1, label="published capacity ≈ 3 (large N)")
    ax_load.axhline(0.5, color=NEUTRAL, ls="--", lw=1, label="chance")
    ax_load.set_ylim(0.4, 1.02)
    ax_load.set_xlabel("load α (patterns per synapse)")
    ax_load.set_ylabel("fraction of patterns classified right")
    ax_load.set_title("Capacity")
    ax_load.legend(loc="lower left", fontsize="small")
    context.save_figure(figure, "tempotron.png",
                        "Left: fraction of training patterns misclassified in each epoch. Middle: "
                        "potential of one class-1 and one class-0 pattern before and after "
                        "learning, with the threshold (class 1 should cross it, class 0 not). "
                        "Right: fraction of patterns classified right after training against "
                        "the load α, random labels.")

