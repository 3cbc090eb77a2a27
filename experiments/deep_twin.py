"""Deep twin: a trained network of logistic neurons reads digits, and so does its spiking twin.

The bundled 8×8 digits of scikit-learn (1797 images, 10 classes), standardised, split 70/30
stratified. A LogisticNetwork with one hidden layer of logistic neurons starts from seeded
random weights (a right answer is then luck, about one in ten) and is trained by
back-propagation (L-BFGS); scikit-learn's MLPClassifier(activation="logistic", solver="lbfgs")
with the same hidden size and penalty is the reference. Then the spiking twin: one LIF neuron with escape
noise per logistic neuron, whose rate in units of its maximum is the sigmoid of its summed
input; the pixels reach the hidden layer as currents, the hidden spikes reach the output
neurons through synapses carrying the trained weights, and the class is the output neuron
with the most spikes. All 540 test digits run side by side in one simulation.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import time

import numpy as np

from spikeneuron import LogisticNetwork, MissingExtraError, SpikingNetwork, ValidationError, digits_split
from spikeneuron.lab import KeyNumber, Parameter
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure

NAME = "deep-twin"
TITLE = "A trained network of logistic neurons and its spiking twin read the same digits"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """Before training, the network's answers are luck (random_accuracy, near 0.1).
Training by back-propagation makes it a digit reader (logistic_accuracy, beside scikit-learn's
sklearn_accuracy). The spiking twin computes the same network with spikes: its hidden
neurons fire at sigmoid(z) times their maximum rate (hidden_r, the dots on the identity line),
and it reads the digits almost as well (spiking_accuracy, agreement). It pays for counting in
time: the shorter the counting window, the coarser the rates and the more wrong winners."""

PARAMETERS = (
    Parameter("hidden", 24, "", "logistic neurons in the hidden layer", minimum=1),
    Parameter("l2", 1e-3, "", "L2 penalty (l2/2)·Σ‖W‖² (scikit-learn's alpha = l2·n_train)",
              minimum=0.0),
    Parameter("max_iter", 1000, "", "most L-BFGS iterations", minimum=1, quick=150),
    Parameter("window", 200.0, "ms", "counting window of the spiking twin", positive=True,
              quick=100.0),
    Parameter("windows", (5.0, 10.0, 20.0, 50.0, 100.0, 200.0), "ms",
              "counting windows compared in figure (c), each at most window", positive=True,
              quick=(5.0, 10.0, 20.0, 50.0, 100.0)),
    Parameter("tau_syn", 10.0, "ms", "synaptic time constant between layers", positive=True),
    Parameter("t_ref", 1.9, "ms", "refractory period of the twin's neurons (dead time t_ref + dt)",
              minimum=0.0),
    Parameter("delta_u", 1.0, "mV", "escape-noise softness: mV of potential per unit of z",
              positive=True),
    Parameter("dt", 0.1, "ms", "time step of the spiking twin", positive=True),
)
KEY_NUMBERS = (
    KeyNumber("random_accuracy", "", "test accuracy with the random initial weights (luck)"),
    KeyNumber("logistic_accuracy", "", "test accuracy of the trained LogisticNetwork"),
    KeyNumber("sklearn_accuracy", "", "test accuracy of MLPClassifier(activation='logistic', "
              "solver='lbfgs')"),
    KeyNumber("spiking_accuracy", "", "test accuracy of the spiking twin (most spikes wins)"),
    KeyNumber("agreement", "", "fraction of test digits on which twin and network agree"),
    KeyNumber("hidden_r", "", "Pearson r of hidden rates (units of the maximum) and sigmoid activations"),
    KeyNumber("spikes_per_inference", "spikes", "spikes of all layers per test digit"),
    KeyNumber("ms_per_inference", "ms", "wall time of the twin per test digit (all run together)"),
    KeyNumber("fit_seconds", "s", "wall time of LogisticNetwork.fit"),
    KeyNumber("accuracy_by_window", "", "spiking accuracy for each of windows"),
    KeyNumber("hidden_r_by_window", "", "hidden_r for each of windows"),
)


def run(context):
    p = context.parameters
    try:
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        raise MissingExtraError("deep-twin needs scikit-learn (its bundled digits): "
                                "pip install 'spikeneuron[learn]'") from None
    windows = np.array(sorted(p.windows))
    if windows.max() > p.window:
        raise ValidationError(f"The 'windows' parameter of experiment 'deep-twin' must be "
                              f"windows of at most window = {p.window:g} ms. Got "
                              f"{windows.max():g} instead.")
    X_train, X_test, y_train, y_test = digits_split(seed=context.seed % 2**32)

    # The logistic network: random weights first (luck), then trained.
    net = LogisticNetwork((p.hidden,), l2=p.l2, max_iter=p.max_iter, seed=context.seed)
    import warnings

    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        net.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    if caught:  # --quick stops early on purpose: said once, not warned
        context.say(f"note: L-BFGS stopped at max_iter = {p.max_iter} before converging")
    untrained = LogisticNetwork(weights=net.initial_coefs_, biases=net.initial_intercepts_)
    random_accuracy = float(np.mean(net.classes_[untrained.predict(X_test)] == y_test))
    logistic_accuracy = net.score(X_test, y_test)
    # the peer with the same optimiser (its default, Adam, reaches 0.969 on this split)
    reference = MLPClassifier((p.hidden,), activation="logistic", solver="lbfgs",
                              alpha=p.l2 * len(y_train), max_iter=p.max_iter,
                              random_state=context.seed % 2**32)
    from threadpoolctl import threadpool_limits  # a scikit-learn dependency

    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")  # --quick stops it early, as it does ours
        reference.fit(X_train, y_train)
    sklearn_accuracy = float(reference.score(X_test, y_test))
    context.say(f"logistic network {X_train.shape[1]}-{p.hidden}-10: random weights "
                f"{random_accuracy:.3f}, trained {logistic_accuracy:.4f} in {fit_seconds:.1f} s "
                f"({net.n_iter_} iterations); scikit-learn {sklearn_accuracy:.4f}")

    # The spiking twin, all test digits in one run, counted over every window.
    twin = SpikingNetwork.from_logistic(net, window=p.window, tau_syn=p.tau_syn, dt=p.dt,
                                        t_ref=p.t_ref, delta_u=p.delta_u, seed=context.seed)
    hidden_counts, output_counts = twin.spike_counts(X_test, windows=windows)
    seconds = twin.last_run_["seconds"]
    activation = net.activations(X_test)[0]
    dead_time = twin.dead_steps_ * twin.dt
    hidden_rates = hidden_counts * dead_time / windows[:, None, None]
    r_by_window = [float(np.corrcoef(rates.ravel(), activation.ravel())[0, 1])
                   for rates in hidden_rates]
    predicted = net.classes_[np.argmax(output_counts, axis=2)]
    accuracy_by_window = np.mean(predicted == y_test, axis=1)
    logistic_prediction = net.predict(X_test)
    full = int(np.argmin(np.abs(windows - p.window))) if np.isclose(windows, p.window).any() \
        else None
    if full is None:  # the default window is not among those compared: count it too
        counts = twin.spike_counts(X_test)
        final_prediction = net.classes_[np.argmax(counts[-1], axis=1)]
        final_rates = counts[0] * dead_time / p.window
    else:
        final_prediction, final_rates = predicted[full], hidden_rates[full]
    spiking_accuracy = float(np.mean(final_prediction == y_test))
    agreement = float(np.mean(final_prediction == logistic_prediction))
    hidden_r = float(np.corrcoef(final_rates.ravel(), activation.ravel())[0, 1])
    spikes_per_inference = twin.last_run_["spikes"] / len(y_test)
    context.say(f"spiking twin ({window_text(p.window)}, {twin.max_rate_hz_:.0f} Hz maximum): "
                f"accuracy {spiking_accuracy:.4f}, agreement {agreement:.4f}, hidden r "
                f"{hidden_r:.4f}; {len(y_test)} digits in {seconds:.1f} s")

    # Figures.
    plot_training(context, net, random_accuracy, logistic_accuracy, sklearn_accuracy,
                  spiking_accuracy)
    plot_rates(context, activation, final_rates, hidden_r, p.window)
    plot_windows(context, windows, accuracy_by_window, r_by_window, logistic_accuracy)
    sample = int(np.flatnonzero(final_prediction == y_test)[0])
    plot_one_digit(context, twin, net, X_test, y_test, sample)
    context.save_data("deep_twin.npz", hidden_activation=activation, hidden_rates=final_rates,
                      output_counts=output_counts, windows=windows, y_test=y_test,
                      loss_curve=net.loss_curve_, logistic_prediction=logistic_prediction,
                      spiking_prediction=final_prediction)
    return {
        "random_accuracy": random_accuracy,
        "logistic_accuracy": logistic_accuracy,
        "sklearn_accuracy": sklearn_accuracy,
        "spiking_accuracy": spiking_accuracy,
        "agreement": agreement,
        "hidden_r": hidden_r,
        "spikes_per_inference": spikes_per_inference,
        "ms_per_inference": 1000.0 * seconds / len(y_test),
        "fit_seconds": fit_seconds,
        "accuracy_by_window": accuracy_by_window,
        "hidden_r_by_window": r_by_window,
        "windows_ms": windows,
        "n_iter": net.n_iter_,
        "final_loss": float(net.loss_curve_[-1]),
        "n_train": int(len(y_train)),
        "n_test": int(len(y_test)),
        "details": {
            "twin": {"max_rate_hz": twin.max_rate_hz_, "dead_time_ms": dead_time,
                     "tau_m_ms": twin.model_.tau_m, "tau_syn_ms": p.tau_syn,
                     "delta_u_mv": twin.delta_u, "warm_up_ms": twin.warm_up,
                     "synapse_na_per_weight": twin.synapse_na_, "dt_ms": p.dt,
                     "seconds": seconds},
            "split": "digits, 70/30 stratified, standardised on the training part",
        },
    }


def window_text(window):
    return f"{window:g} ms window"


def plot_training(context, net, random_accuracy, logistic_accuracy, sklearn_accuracy,
                  spiking_accuracy):
    figure, (ax_loss, ax_accuracy) = new_figure(1, 2, width=11, height=3.8)
    iterations = np.arange(net.loss_curve_.size)
    ax_loss.plot(iterations + 1, net.loss_curve_, "-", color=EXCITATORY, lw=2,
                 label="LogisticNetwork (L-BFGS)")
    ax_loss.set_xscale("log")
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("iteration + 1 (1: the random initial weights)")
    ax_loss.set_ylabel("mean log-loss + (l2/2)·Σ‖W‖²")
    ax_loss.set_title("(a) Training by back-propagation")
    ax_loss.legend(loc="upper right")
    names = ["random\nweights", "trained\nlogistic", "scikit-learn\nMLP", "spiking\ntwin"]
    values = [random_accuracy, logistic_accuracy, sklearn_accuracy, spiking_accuracy]
    colours = [NEUTRAL, EXCITATORY, "#555555", INHIBITORY]
    bars = ax_accuracy.bar(names, values, color=colours)
    for bar, value in zip(bars, values):
        ax_accuracy.text(bar.get_x() + bar.get_width() / 2, value + 0.01, f"{value:.3f}",
                         ha="center", va="bottom")
    ax_accuracy.axhline(0.1, color="black", ls=":", lw=1, label="chance, 0.1")
    ax_accuracy.set_ylim(0, 1.12)
    ax_accuracy.set_ylabel("test accuracy (540 digits)")
    ax_accuracy.set_title("Test accuracy before and after training")
    ax_accuracy.legend(loc="center left")
    context.save_figure(figure, "training.png",
                        "(a) Left: the training objective of the logistic network after each "
                        "L-BFGS iteration, from the seeded random weights (iteration 1). Right: "
                        "test accuracy with those random weights (a right answer is luck, "
                        "chance is 0.1), after training, of scikit-learn's "
                        "MLPClassifier(activation='logistic') with the same hidden size and "
                        "penalty, and of the spiking twin.")


def plot_rates(context, activation, rates, r, window):
    figure, ax = new_figure(1, 1, width=5.5, height=5.0)
    ax.plot(activation.ravel(), rates.ravel(), ".", color=EXCITATORY, ms=1.5, alpha=0.3,
            label=f"one neuron on one digit (r = {r:.4f})")
    ax.plot([0, 1], [0, 1], "-", color="black", lw=1, label="identity: rate = sigmoid(z)")
    ax.set_xlabel("hidden activation sigmoid(z) of the logistic network")
    ax.set_ylabel(f"spiking rate over {window:g} ms (units of the maximum rate)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    ax.set_title("(b) Hidden layer: spiking rate against sigmoid")
    ax.legend(loc="upper left", markerscale=8)
    context.save_figure(figure, "hidden_rates.png",
                        "(b) Every hidden neuron on every test digit: its spiking rate in the "
                        "counting window, in units of its maximum rate 1/(t_ref + dt), against "
                        "the sigmoid activation of the same logistic neuron; the black line is "
                        "the identity. The scatter is counting noise (a count of at most "
                        "window/dead-time spikes) and the dots sit a little above the line "
                        "where the grid's dead time adds about sigmoid²/(2A).")


def plot_windows(context, windows, accuracy, r_by_window, logistic_accuracy):
    figure, (ax_acc, ax_r) = new_figure(1, 2, width=11, height=3.8)
    ax_acc.plot(windows, accuracy, "o-", color=INHIBITORY, lw=2, label="spiking twin")
    ax_acc.axhline(logistic_accuracy, color=EXCITATORY, ls="--", lw=1.5,
                   label=f"logistic network {logistic_accuracy:.3f}")
    ax_acc.set_xscale("log")
    ax_acc.set_xlabel("counting window (ms)")
    ax_acc.set_ylabel("test accuracy")
    ax_acc.set_title("(c) Accuracy against counting window")
    ax_acc.legend(loc="lower right")
    ax_r.plot(windows, r_by_window, "o-", color=NEUTRAL, lw=2, label="hidden layer")
    ax_r.set_xscale("log")
    ax_r.set_xlabel("counting window (ms)")
    ax_r.set_ylabel("Pearson r, rate against sigmoid(z)")
    ax_r.set_title("Hidden rates get finer with time")
    ax_r.legend(loc="lower right")
    context.save_figure(figure, "accuracy_by_window.png",
                        "(c) Left: test accuracy of the spiking twin when the output spikes "
                        "are counted over the first w ms of the one run (the class is the "
                        "output neuron with the most spikes, ties to the lowest digit), with "
                        "the logistic network's accuracy dashed. Right: the correlation of "
                        "hidden rates with the sigmoid activations for the same windows.")


def plot_one_digit(context, twin, net, X_test, y_test, sample):
    # A run of its own for the rasters (a fresh draw of the noise, the same network).
    result = twin.run(X_test[sample:sample + 1])
    hidden, output = result["layer1"], result["layer2"]
    t0, t1 = twin.warm_up, twin.warm_up + twin.window
    counts = np.bincount(output.spike_neurons[(output.spike_steps * twin.dt > t0)
                                              & (output.spike_steps * twin.dt <= t1)],
                         minlength=output.n)
    winner = int(np.argmax(counts))
    figure = new_figure(1, 4, width=15, height=3.8)[0]
    axes = figure.axes
    pixels = X_test[sample].reshape(8, 8)
    axes[0].imshow(pixels, cmap="gray_r")
    axes[0].set_title(f"(d) test digit {sample}: a {y_test[sample]}")
    axes[0].set_xlabel("pixel column")
    axes[0].set_ylabel("pixel row (standardised intensity)")
    order = np.argsort(net.activations(X_test[sample:sample + 1])[0][0])
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    times = hidden.spike_steps * twin.dt
    axes[1].plot(times, rank[hidden.spike_neurons], "|", color=EXCITATORY, ms=3)
    axes[1].set_xlabel("time (ms)")
    axes[1].set_ylabel("hidden neuron (by its sigmoid activation)")
    axes[1].set_title("Hidden layer")
    out_times = output.spike_steps * twin.dt
    colours = np.where(output.spike_neurons == winner, INHIBITORY, NEUTRAL)
    axes[2].scatter(out_times, output.spike_neurons, marker="|", c=colours, s=30)
    for ax in axes[1:3]:
        ax.axvspan(0, t0, color="0.9", zorder=0, label="warm-up (not counted)")
        ax.set_xlim(0, t1)
    axes[2].set_yticks(range(10))
    axes[2].set_xlabel("time (ms)")
    axes[2].set_ylabel("output neuron (digit)")
    axes[2].set_title("Output layer")
    axes[2].legend(loc="upper right", fontsize="small")
    axes[3].barh(range(10), counts, color=[INHIBITORY if k == winner else NEUTRAL
                                            for k in range(10)])
    axes[3].set_yticks(range(10))
    axes[3].set_xlabel(f"spikes in the {twin.window:g} ms window")
    axes[3].set_ylabel("output neuron (digit)")
    axes[3].set_title(f"Most spikes: {net.classes_[winner]}")
    context.save_figure(figure, "one_digit.png",
                        "(d) One test digit through the spiking twin: its standardised 8×8 "
                        "image; the spikes of the hidden neurons, ordered by their sigmoid "
                        "activation (the top ones fire near their maximum rate); the spikes of "
                        "the ten output neurons, the winner in blue; and their counts in the "
                        "window after the grey warm-up. The winner is the twin's answer.")
