"""Logistic and spiking neuron decide alike: is a person obese, from height and weight?

Part 1: one forward pass of a logistic neuron with hand-picked weights, step by step: a
person of 4 ft and 80 kg, z = w·x + b, sigmoid(z), decision.

Part 2: a data set made from the body-mass-index rule (BMI = kg / m², obese if BMI >= 30;
1 ft = 0.3048 m), no download: heights ~ N(5.6 ft, 0.35 ft), BMI log-normal with median
27 kg/m² and log-standard deviation 0.2 (about a third obese), weight = BMI · height². Two
thirds train a LogisticNeuron by gradient descent on standardised features (each feature
minus its training mean, over its training standard deviation); the rest test it.

Part 3: an LIF neuron per test sample, all in one simulation, uses the same weights. Each
standardised feature x_j drives a push-pull pair of Poisson sources with rates r0 ± g·x_j
onto delta synapses of weights ±c·w_j (mV): the pair adds 2·tau_m·c·g·w_j·x_j to the mean of
the free membrane potential and a noise that does not depend on x. The bias enters as a
constant current. So the free mean is mu = mu0 + k·z (k = 2 tau_m c g mV per unit of z) at a
fixed standard deviation sigma, and the output rate, which grows with mu, is a monotonic
function of z: the neuron says "obese" when its spike count exceeds the decision level, set by
simulating neurons at z = 0 (the median count there, minus one half: SpikingClassifier's
calibration). The Siegert formula (diffusion approximation) gives the expected count curve
drawn beside the counts; it lies slightly above the simulated level, so it is shown, not used.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np
from scipy.special import expit

from spikeneuron import LogisticNeuron, SpikingClassifier, siegert_rate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure

NAME = "logistic-vs-spiking"
TITLE = "A logistic neuron and a spiking neuron with the same weights decide alike"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """The claim of the title, tested on a small task. A logistic neuron is trained by
gradient descent (the learning curve reaches the exact optimum); a spiking LIF neuron then
uses the same weights, its inputs' rates carrying the features, and says "obese" when it fires
more than it would at z = 0. Compare spiking_accuracy with logistic_accuracy and read
agreement: the spike count is a monotonic function of z (second figure), so the two neurons
draw the same boundary, and differ only where Poisson noise flips a count near threshold."""

DT = 0.1  # ms
FOOT_M = 0.3048
OBESE_BMI = 30.0  # kg/m²
FEATURES = ("height (ft)", "weight (kg)")
# Part 1: hand-picked weights (per ft, per kg) and bias. Taller at equal weight means a lower
# BMI (inhibits), heavier at equal height a higher one (excites). The line z = 0,
# kg = 30·height_ft − 80, touches the BMI-30 curve kg = 2.79·height_ft² near 5.4 ft.
HAND_WEIGHTS = np.array([-3.0, 0.1])
HAND_BIAS = 8.0
PERSON = np.array([4.0, 80.0])  # ft, kg
# Part 2: training by full-batch gradient descent.
L2 = 0.001
LEARNING_RATE = 4.0  # below 2/L, L = λ_max(X̃ᵀX̃/n)/4 + l2 ≈ 0.4 for two standardised features
# Part 3: the spiking neuron.
MU0_MV = -55.0  # free mean potential at z = 0 (at threshold: the rate is steepest near it)
GAIN_MV = 1.0  # k: mV of free mean potential per unit of z
SYNAPSE_MV = 0.2  # largest delta-synapse weight c·|w_j|, mV (small: diffusion regime)
X_MAX = 4.0  # r0 = g·X_MAX: rates stay positive for |x_j| up to 4 standard deviations
WARM_UP_MS = 50.0  # spikes before this are not counted (the neurons start at rest)

PARAMETERS = (
    *lif_parameters(dt=Parameter("dt", DT, "ms", "time step of the spiking neurons", positive=True)),
    Parameter("n_samples", 600, "", "people in the data set (two thirds train, one third test)",
              minimum=30, quick=200),
    Parameter("epochs", 1000, "", "full-batch gradient-descent epochs", minimum=1, quick=400),
    Parameter("learning_rate", LEARNING_RATE, "", "gradient-descent step size", positive=True),
    Parameter("l2", L2, "", "L2 penalty (l2/2)·‖w‖² on standardised features", minimum=0.0),
    Parameter("duration", 1000.0, "ms", "simulated time of each spiking neuron", positive=True,
              quick=500.0),
)
KEY_NUMBERS = (
    KeyNumber("logistic_accuracy", "", "test accuracy of the logistic neuron"),
    KeyNumber("spiking_accuracy", "", "test accuracy of the spiking neurons (count > threshold)"),
    KeyNumber("agreement", "", "fraction of test people on whom both neurons decide alike"),
    KeyNumber("bias", "", "fitted bias in the features' units"),
    KeyNumber("final_loss", "", "log-loss after gradient descent"),
    KeyNumber("exact_loss", "", "log-loss at the exact optimum"),
    KeyNumber("count_threshold", "spikes",
              "decision level: median spike count of neurons simulated at z = 0, minus 1/2"),
    KeyNumber("mean_count_obese", "spikes", "mean spike count of class-1 test people"),
    KeyNumber("mean_count_not_obese", "spikes", "mean spike count of class-0 test people"),
    KeyNumber("obese_fraction", "", "fraction of class 1 in the data"),
)


def bmi_population(n, rng):
    """Heights (ft), weights (kg) and obesity labels of n people, by the BMI rule."""
    height_ft = rng.normal(5.6, 0.35, n)
    bmi = np.exp(rng.normal(np.log(27.0), 0.2, n))
    weight_kg = bmi * (FOOT_M * height_ft) ** 2
    return np.c_[height_ft, weight_kg], (bmi >= OBESE_BMI).astype(int)


def forward_pass(context):
    """Part 1: one person through the hand-picked logistic neuron, said step by step."""
    neuron = LogisticNeuron(weights=HAND_WEIGHTS, bias=HAND_BIAS)
    terms = HAND_WEIGHTS * PERSON
    z = neuron.activation(PERSON)
    probability = neuron.predict_proba(PERSON)
    decision = neuron.predict(PERSON)
    context.say(f"forward pass: x = ({PERSON[0]:g} ft, {PERSON[1]:g} kg), w = "
                f"({HAND_WEIGHTS[0]:+g} per ft, {HAND_WEIGHTS[1]:+g} per kg), b = {HAND_BIAS:+g}")
    context.say(f"  z = w·x + b = ({HAND_WEIGHTS[0]:g})({PERSON[0]:g}) + ({HAND_WEIGHTS[1]:g})"
                f"({PERSON[1]:g}) + {HAND_BIAS:g} = {terms[0]:g} + {terms[1]:g} + {HAND_BIAS:g}"
                f" = {z:g}")
    context.say(f"  sigmoid(z) = 1 / (1 + e^-{z:g}) = {probability:.4f}")
    bmi = PERSON[1] / (FOOT_M * PERSON[0]) ** 2
    context.say(f"  decision: {probability:.4f} {'>=' if decision else '<'} 0.5 -> "
                f"{'obese' if decision else 'not obese'} (class {decision}); "
                f"BMI {bmi:.1f} kg/m²")
    return {"weights_per_ft_per_kg": HAND_WEIGHTS, "bias": HAND_BIAS, "height_ft": PERSON[0],
            "weight_kg": PERSON[1], "z": z, "sigmoid_z": probability, "decision": decision,
            "bmi": bmi}


def spiking_decisions(X_test, weights, bias, neuron, duration, seed, dt=DT):
    """Part 3: one LIF neuron per sample in one run; spike counts and the count threshold."""
    spiking = SpikingClassifier(weights, bias, model=neuron, window=duration - WARM_UP_MS,
                                warm_up=WARM_UP_MS, mu0=MU0_MV, gain=GAIN_MV,
                                synapse_mv=SYNAPSE_MV, x_max=X_MAX, dt=dt, seed=seed)
    counts = spiking.spike_counts(X_test)
    mapping = {"synapse_scale_mv_per_weight": spiking.synapse_scale_,
               "rate_gain_hz_per_sd": 1000.0 * spiking.rate_gain_,
               "baseline_rate_hz": 1000.0 * spiking.baseline_rate_, "sigma_mv": spiking.sigma_,
               "current_na": spiking.current_, "clipped_rates": spiking.clipped_rates_,
               "input_spikes": spiking.input_spikes_, "counting_s": spiking.window / 1000.0}
    return counts, spiking.count_threshold_, mapping


def run(context):
    p = context.parameters
    rng = np.random.default_rng(context.seed)
    numbers = {"hand_picked": forward_pass(context)}

    # Part 2: data, standardisation, gradient descent (and the exact optimum to compare).
    n_samples, epochs = p.n_samples, p.epochs
    X, y = bmi_population(n_samples, rng)
    n_train = 2 * n_samples // 3
    X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    standardise = lambda values: (values - mean) / std
    logistic = LogisticNeuron().fit(standardise(X_train), y_train, method="gradient", l2=p.l2,
                                    learning_rate=p.learning_rate, epochs=epochs, seed=context.seed)
    exact = LogisticNeuron().fit(standardise(X_train), y_train, l2=p.l2)
    # Back to the units of the features: z = Σ w_j (x_j - m_j)/s_j + b.
    weights_raw = logistic.coef_ / std
    bias_raw = logistic.intercept_ - np.sum(logistic.coef_ * mean / std)
    z_test = logistic.activation(standardise(X_test))
    logistic_decision = logistic.predict(standardise(X_test))
    logistic_accuracy = float(np.mean(logistic_decision == y_test))
    context.say(f"gradient descent, {epochs} epochs: loss {logistic.loss_curve_[-1]:.4f} "
                f"(exact optimum {exact.loss_curve_[-1]:.4f}); test accuracy {logistic_accuracy:.3f}")

    # Part 3: the spiking neurons, one per test sample.
    neuron = context.lif()
    duration = p.duration
    counts, count_threshold, mapping = spiking_decisions(
        standardise(X_test), logistic.coef_, logistic.intercept_, neuron, duration, context.seed,
        dt=p.dt)
    spiking_decision = (counts > count_threshold).astype(int)
    spiking_accuracy = float(np.mean(spiking_decision == y_test))
    agreement = float(np.mean(spiking_decision == logistic_decision))
    context.say(f"spiking: sigma {mapping['sigma_mv']:.2f} mV, count threshold "
                f"{count_threshold:.1f} spikes; accuracy {spiking_accuracy:.3f}, agreement "
                f"with the logistic neuron {agreement:.3f}")

    # Figures.
    plot_boundaries(context, X_train, y_train, X_test, spiking_decision, logistic_decision,
                    weights_raw, bias_raw)
    z_limit = min(np.ceil(np.abs(z_test).max()), 20.0)
    z_curve = np.linspace(-z_limit, z_limit, 401)
    expected_counts = siegert_rate(MU0_MV + GAIN_MV * z_curve, mapping["sigma_mv"], neuron) \
        * mapping["counting_s"]
    plot_counts(context, z_test, counts, y_test, count_threshold, z_curve, expected_counts)
    plot_learning_curve(context, logistic, exact)
    context.save_data("logistic_vs_spiking.npz", X_train=X_train, y_train=y_train,
                      X_test=X_test, y_test=y_test, z_test=z_test, spike_counts=counts,
                      spiking_decision=spiking_decision, logistic_decision=logistic_decision,
                      loss_curve=logistic.loss_curve_)

    numbers.update({
        "logistic_accuracy": logistic_accuracy,
        "spiking_accuracy": spiking_accuracy,
        "agreement": agreement,
        "weights": {"height_per_ft": weights_raw[0], "weight_per_kg": weights_raw[1]},
        "bias": bias_raw,
        "weights_standardised": logistic.coef_,
        "bias_standardised": logistic.intercept_,
        "exact_weights_standardised": exact.coef_,
        "final_loss": logistic.loss_curve_[-1],
        "exact_loss": exact.loss_curve_[-1],
        "count_threshold": count_threshold,
        "mean_count_obese": float(counts[y_test == 1].mean()),
        "mean_count_not_obese": float(counts[y_test == 0].mean()),
        "n_train": int(n_train),
        "n_test": int(y_test.size),
        "obese_fraction": float(y.mean()),
        "details": {
            "data": {"height_ft": "N(5.6, 0.35)", "bmi": "exp(N(ln 27, 0.2))",
                     "obese": f"BMI >= {OBESE_BMI:g} kg/m²", "foot_m": FOOT_M,
                     "n_samples": n_samples, "train_fraction": n_train / n_samples},
            "standardisation": {"mean": dict(zip(("height_ft", "weight_kg"), mean)),
                                "std": dict(zip(("height_ft", "weight_kg"), std))},
            "training": {"method": "gradient", "epochs": epochs, "learning_rate": p.learning_rate,
                         "l2": p.l2, "objective": "mean log-loss + (l2/2)·||w||² on "
                                                "standardised features"},
            "spiking": {"dt_ms": p.dt, "duration_ms": duration, "warm_up_ms": WARM_UP_MS,
                        "mu0_mv": MU0_MV, "gain_mv_per_unit_z": GAIN_MV,
                        "largest_synapse_mv": SYNAPSE_MV, "x_max_sd": X_MAX, **mapping,
                        "tau_m_ms": neuron.tau_m, "v_rest_mv": neuron.v_rest,
                        "v_reset_mv": neuron.v_reset, "v_th_mv": neuron.v_th,
                        "t_ref_ms": neuron.t_ref, "r_m_mohm": neuron.r_m,
                        "decision": "class 1 when spike count > the level calibrated at z = 0 "
                                    "(median count of simulated z = 0 neurons minus 1/2)"},
        },
    })
    return numbers


def plot_boundaries(context, X_train, y_train, X_test, spiking_decision, logistic_decision,
                    weights_raw, bias_raw):
    figure, (ax_train, ax_test) = new_figure(1, 2, width=12, height=4.8)
    height = np.linspace(3.8, 7.0, 200)
    weight = np.linspace(35.0, 175.0, 200)
    grid_h, grid_w = np.meshgrid(height, weight)
    probability = expit(weights_raw[0] * grid_h + weights_raw[1] * grid_w + bias_raw)
    for ax in (ax_train, ax_test):
        shading = ax.contourf(grid_h, grid_w, probability, levels=np.linspace(0, 1, 11),
                              cmap="RdBu_r", alpha=0.25)
        ax.contour(grid_h, grid_w, probability, levels=[0.5], colors="black", linewidths=1.5)
        ax.plot(height, OBESE_BMI * (FOOT_M * height) ** 2, ":", color="black", lw=1.5)
        ax.set_xlabel("height (ft)")
        ax.set_ylabel("weight (kg)")
        ax.set_xlim(height[0], height[-1])
        ax.set_ylim(weight[0], weight[-1])
    figure.colorbar(shading, ax=ax_test, label="logistic P(obese) = sigmoid(z)")
    for label, colour, name in ((1, EXCITATORY, "obese (BMI ≥ 30)"), (0, INHIBITORY, "not obese")):
        chosen = y_train == label
        ax_train.plot(X_train[chosen, 0], X_train[chosen, 1], "o", color=colour, ms=3.5,
                      alpha=0.8, label=name)
    hand_line = (-HAND_WEIGHTS[0] * height - HAND_BIAS) / HAND_WEIGHTS[1]
    ax_train.plot(height, hand_line, "--", color=NEUTRAL, lw=1.5, label="hand-picked z = 0")
    ax_train.plot(*PERSON, "*", color="gold", mec="black", ms=14, label="4 ft, 80 kg")
    ax_train.plot([], [], "-", color="black", label="trained logistic z = 0")
    ax_train.plot([], [], ":", color="black", label="BMI = 30 kg/m²")
    ax_train.legend(loc="upper left", fontsize="small")
    ax_train.set_title("Training data and decision boundaries")
    for label, colour, marker, name in ((1, EXCITATORY, "^", "spiking: obese"),
                                        (0, INHIBITORY, "o", "spiking: not obese")):
        chosen = spiking_decision == label
        ax_test.plot(X_test[chosen, 0], X_test[chosen, 1], marker, color=colour, ms=5,
                     mec="white", mew=0.5, label=name)
    differ = spiking_decision != logistic_decision
    ax_test.plot(X_test[differ, 0], X_test[differ, 1], "o", mfc="none", mec="black", ms=11,
                 mew=1.2, label=f"decisions differ ({differ.sum()})")
    ax_test.plot([], [], "-", color="black", label="logistic z = 0")
    ax_test.legend(loc="upper left", fontsize="small")
    ax_test.set_title("Test samples: spiking decisions over the logistic boundary")
    context.save_figure(figure, "decision_boundaries.png",
                        "Left: training people by height and weight, coloured by the BMI-30 "
                        "rule, with that rule's boundary (dotted), the hand-picked logistic "
                        "boundary of part 1 (dashed, the star is its worked example) and the "
                        "trained logistic boundary (solid); shading: the trained neuron's "
                        "sigmoid(z). Right: test people marked by the spiking neurons' "
                        "decisions over the same shading, circled where the spiking decision "
                        "differs from the logistic one (the legend gives how many).")


def plot_counts(context, z_test, counts, y_test, count_threshold, z_curve, expected_counts):
    figure, (ax_z, ax_p) = new_figure(1, 2, width=12, height=4.2)
    jitter = np.random.default_rng(0).uniform(-0.2, 0.2, counts.size)  # separate equal counts
    for ax, x_test, x_curve, xlabel in ((ax_z, z_test, z_curve, "activation z = w·x + b"),
                                        (ax_p, expit(z_test), expit(z_curve),
                                         "logistic P(obese) = sigmoid(z)")):
        ax.plot(x_curve, expected_counts, "-", color=NEUTRAL, lw=2,
                label="expected count (Siegert rate × time)")
        for label, colour, name in ((1, EXCITATORY, "obese (BMI ≥ 30)"),
                                    (0, INHIBITORY, "not obese")):
            chosen = y_test == label
            ax.plot(x_test[chosen], counts[chosen] + jitter[chosen], "o", color=colour, ms=4,
                    alpha=0.8, label=name)
        ax.axhline(count_threshold, color="black", ls="--", lw=1,
                   label=f"count threshold {count_threshold:.1f}")
        ax.axvline(0.0 if ax is ax_z else 0.5, color="black", ls=":", lw=1,
                   label="z = 0" if ax is ax_z else "P = 0.5")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("spike count per test neuron")
    ax_z.set_xlim(z_curve[0], z_curve[-1])
    ax_z.legend(loc="upper left", fontsize="small")
    ax_z.set_title("The spiking neuron's output grows with z")
    ax_p.set_title("Spike count against the logistic probability")
    context.save_figure(figure, "count_vs_probability.png",
                        "Spike count of each test person's LIF neuron, coloured by the true "
                        "class, against the logistic activation z (left) and sigmoid(z) (right). "
                        "Grey curve: the expected count from the diffusion approximation "
                        "(Siegert rate × time); dashed: the decision level, calibrated on neurons "
                        "simulated at z = 0 (their median count minus ½); dotted: z = 0, i.e. sigmoid(z) = 0.5, "
                        "the logistic neuron's decision level.")


def plot_learning_curve(context, logistic, exact):
    figure, ax = new_figure(1, 1, width=6.5, height=3.8)
    epochs = np.arange(1, logistic.loss_curve_.size + 1)
    ax.plot(epochs, logistic.loss_curve_, "-", color=EXCITATORY, lw=2, label="gradient descent")
    ax.axhline(exact.loss_curve_[-1], color="black", ls="--", lw=1,
               label=f"exact optimum (L-BFGS) {exact.loss_curve_[-1]:.4f}")
    ax.set_xscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean log-loss + (l2/2)·||w||²")
    ax.set_title(f"Learning curve (learning rate {LEARNING_RATE:g}, l2 = {L2:g})")
    ax.legend(loc="upper right")
    context.save_figure(figure, "learning_curve.png",
                        "Training loss of the logistic neuron (mean log-loss plus the L2 "
                        "penalty) after each epoch of full-batch gradient descent, on a "
                        "logarithmic epoch axis, falling to the exact optimum found by L-BFGS "
                        "(dashed).")

