# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Networks of neurons, both ways
#
# One logistic neuron computes sigmoid(wᵀx + b). Deep learning wires many of them into layers:
# each hidden neuron reads the outputs of the layer before, and the output layer names the
# class. In this tutorial we
#
# 1. build a `LogisticNetwork` by hand and follow one sample through its layers;
# 2. see that with random weights its answers are luck, then train it by back-propagation on
#    real images of digits (scikit-learn's bundled 8×8 digits: `pip install 'spikeneuron[learn]'`);
# 3. build its spiking twin, `SpikingNetwork.from_logistic`: one spiking neuron per logistic
#    neuron, the trained weights as synapses, and check that each spiking neuron fires at
#    sigmoid(z) times its maximum rate;
# 4. watch the cost of counting spikes for a short time.

# %%
# %matplotlib inline
import numpy as np
from IPython.display import Image

from spikeneuron import LogisticNetwork, SpikingNetwork, digits_split, run_experiment
from spikeneuron.plotting import new_figure

# %% [markdown]
# ## 1. A network is a list of layers
#
# Layer i is a weight matrix of shape (inputs, neurons) and one bias per neuron: the shapes
# of scikit-learn's `MLPClassifier.coefs_`. Two hidden neurons here detect "first feature
# large" and "second feature large"; the output neuron excites from the first and inhibits
# from the second.

# %%
net = LogisticNetwork(weights=[np.array([[4.0, 0.0], [0.0, 4.0]]), np.array([[3.0], [-3.0]])],
                      biases=[np.array([-2.0, -2.0]), np.array([0.0])])
x = np.array([[1.0, 0.0]])
hidden, output = net.activations(x)
z_hidden = x @ net.coefs_[0] + net.intercepts_[0]
print("hidden z =", z_hidden, "→ sigmoid =", np.round(hidden, 3))
print("output z =", np.round(hidden @ net.coefs_[1] + net.intercepts_[1], 3),
      "→ P(class 1) =", np.round(output, 3), "→ class", net.predict(x))

# %% [markdown]
# ## 2. From luck to learning
#
# A network with 24 hidden neurons and 10 output neurons (a softmax: the probabilities of the
# ten digits) starts from seeded random weights. Before training, a right answer is luck:
# about one in ten. `fit` then follows the gradient of the log-loss, computed layer by layer
# backwards (back-propagation), with L-BFGS.

# %%
X_train, X_test, y_train, y_test = digits_split()
net = LogisticNetwork((24,), seed=0).fit(X_train, y_train)
untrained = LogisticNetwork(weights=net.initial_coefs_, biases=net.initial_intercepts_)
luck = np.mean(untrained.predict(X_test) == y_test)
print(f"random weights: {luck:.3f} correct;  trained: {net.score(X_test, y_test):.3f} "
      f"after {net.n_iter_} iterations")

figure, ax = new_figure(width=6.0, height=3.0)
ax.loglog(np.arange(1, net.loss_curve_.size + 1), net.loss_curve_)
ax.set_xlabel("iteration + 1")
ax.set_ylabel("mean log-loss + penalty")
ax.set_title("training by back-propagation")
figure

# %% [markdown]
# ## 3. The spiking twin
#
# Each logistic neuron becomes an LIF neuron with escape noise: it fires with hazard
# ρ = exp((V − v_th)/Δu)/τ_esc and is dead for t_d after each spike. Its rate is then
# 1/(t_d + 1/ρ), which in units of its maximum 1/t_d is ρt_d/(1 + ρt_d) — the sigmoid of
# (V − v_th)/Δu when τ_esc = t_d. So a neuron whose potential is held at v_th + Δu·z fires
# at sigmoid(z) times its maximum rate. The pixels reach the hidden neurons as currents; the
# hidden spikes reach the output neurons through synapses whose signed weights are the
# trained ones. All 540 test digits run side by side in one simulation.

# %%
twin = SpikingNetwork.from_logistic(net, seed=1)
rates = twin.layer_rates(X_test)
activation = net.activations(X_test)
r = np.corrcoef(rates[0].ravel(), activation[0].ravel())[0, 1]
spiking_prediction = twin.classes_[np.argmax(rates[-1], axis=1)]
print(f"maximum rate {twin.max_rate_hz_:.0f} Hz; hidden rates against sigmoids: r = {r:.4f}")
print(f"spiking accuracy {np.mean(spiking_prediction == y_test):.3f}, agreeing with the "
      f"logistic network on {np.mean(spiking_prediction == net.predict(X_test)):.1%} of digits")

figure, ax = new_figure(width=4.5, height=4.0)
ax.plot(activation[0].ravel(), rates[0].ravel(), ".", ms=1, alpha=0.3)
ax.plot([0, 1], [0, 1], "k-", lw=1, label="identity")
ax.set_xlabel("sigmoid activation")
ax.set_ylabel("spiking rate (units of the maximum)")
ax.legend()
figure

# %% [markdown]
# The dots scatter around the identity line because a rate is counted from a few dozen spikes.
# The output neurons depart a little more: their input is spikes, so their potential
# fluctuates, and the mean of a sigmoid of a noisy sum is flatter than the sigmoid of the mean.
# The largest still wins almost always.
#
# ## 4. The `deep-twin` experiment
#
# It does all of the above with figures for a class: the loss curve and the accuracies, the
# hidden rates against the sigmoids, accuracy against counting window, and one digit's
# rasters.

# %%
summary = run_experiment("deep-twin", out="results", quick=True)
print({key: round(summary[key], 4) for key in ("logistic_accuracy", "spiking_accuracy",
                                                "agreement", "hidden_r")})
Image("results/deep-twin/accuracy_by_window.png", width=700)

# %% [markdown]
# ## Exercises
#
# 1. Count over 10 ms instead of 200 ms (`windows=[10.0]` in `spike_counts`). How coarse can
#    a hidden rate be, and what happens to the accuracy?
# 2. On which digits do the twin and the logistic network disagree? Compare the logistic
#    network's margin there (its largest output logit minus the second largest) with its
#    margin on all digits.

# %% [markdown]
# ### Solution 1
#
# With a dead time of 2 ms a neuron fires at most 5 times in 10 ms, so a rate is one of
# 0, 0.2, …, 1: the correlation with the sigmoids drops, ties between output neurons become
# common, and accuracy falls well below the logistic network's.

# %%
hidden_10, output_10 = twin.spike_counts(X_test, windows=[10.0])
rates_10 = hidden_10[0] * twin.dead_steps_ * twin.dt / 10.0
print("distinct rates:", np.unique(rates_10))
accuracy_10 = np.mean(twin.classes_[np.argmax(output_10[0], axis=1)] == y_test)
r_10 = np.corrcoef(rates_10.ravel(), activation[0].ravel())[0, 1]
print(f"10 ms: r = {r_10:.3f}, accuracy {accuracy_10:.3f}")
assert r_10 < r and accuracy_10 < net.score(X_test, y_test) - 0.05

# %% [markdown]
# ### Solution 2
#
# Where the network itself hesitates: two output neurons with nearly equal logits fire at
# nearly equal rates, and a few spikes more or less in the window decide the winner. Where the
# network is sure, the twin agrees.

# %%
logits = np.sort(net.logits(X_test), axis=1)
margin = logits[:, -1] - logits[:, -2]
differ = spiking_prediction != net.predict(X_test)
print(f"{differ.sum()} disagreements; median margin there {np.median(margin[differ]):.2f}, "
      f"on all digits {np.median(margin):.2f}")
assert np.median(margin[differ]) < 0.5 * np.median(margin)
