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
# # 4. Your own question: parameters and a small sweep
#
# Every experiment declares the parameters a user may change (name, default, unit, what is
# allowed). From Python, `spikeneuron.run_experiment(NAME, out=..., **parameters)` runs one
# experiment with some of them changed and returns its summary; `spikeneuron.sweep(NAME,
# grid={...}, out=...)` runs it over a grid of values. An experiment can also be *your own*
# file: here we write one that asks a question of tutorial 1, and sweep it.
#
# Everything is written under the current directory (`results/`, `sweeps/`, `my_question.py`).

# %%
# %matplotlib inline
import numpy as np
from IPython.display import Image

import spikeneuron
from spikeneuron.lab import load_experiment
from spikeneuron.plotting import new_figure

# %% [markdown]
# ## 1. One bundled experiment, parameters changed
#
# `sigmoid-bridge` measures P(spike | z) over many volleys and fits a logistic sigmoid. Its
# declared parameters, with units:

# %%
for parameter in load_experiment("sigmoid-bridge").PARAMETERS:
    print(f"{parameter.name:14} {parameter.default!s:22} {parameter.unit:4} {parameter.description}")

# %% [markdown]
# Run it with a slower membrane (τ_m = 20 ms) and two noise levels; `quick=True` uses the
# experiment's reduced sizes (1500 trials). The summary holds the key numbers and the full
# set of parameters used.

# %%
summary = spikeneuron.run_experiment("sigmoid-bridge", out="results", quick=True, tau_m=20.0,
                                     noise_mv=(1.0, 2.0))
print("parameters:", {key: summary["parameters"][key] for key in ("tau_m", "noise_mv", "n_trials")})
print("fitted logistic scales (mV):", np.round(summary["fit_scale_mv"], 3),
      "against σ·√3/π:", np.round(np.array([1.0, 2.0]) * np.sqrt(3) / np.pi, 3))
Image("results/sigmoid-bridge/sigmoid_bridge.png", width=750)

# %% [markdown]
# ## 2. A sweep over a bundled experiment
#
# Does the sigmoid's scale depend on τ_m? Three values, one noise level, one run each
# (`workers=1` runs them in this process; leave it out to use every core).

# %%
rows = spikeneuron.sweep("sigmoid-bridge", grid={"tau_m": [5.0, 10.0, 20.0]}, out="sweeps/tau",
                         quick=True, workers=1, progress=False, noise_mv=(2.0,))
for row in rows:
    print(f"τ_m = {row['tau_m']:4g} ms: scale {row['fit_scale_mv']:.2f} mV, midpoint {row['fit_z0_mv']:.2f} mV"
          f" ({row['status']})")

# %% [markdown]
# Hardly: `MembraneNoise`'s σ is the standard deviation of the free potential whatever τ_m,
# and a volley acts at once. `sweeps/tau/` holds `sweep.csv`, `sweep.json`, `sweep.png` and one
# folder per run.
#
# ## 3. Your own question
#
# Tutorial 1 found that two +8 mV inputs fire the neuron only if they arrive within
# τ_m·ln(8/7) ≈ 1.3 ms of each other (τ_m = 10 ms). **Does a slower membrane integrate inputs
# that are further apart, and how does noise blur that limit?** An experiment file declares
# its parameters (`lif_parameters()` gives the LIF's own, with their defaults) and the key
# numbers it returns, and its `run` uses `spikeneuron.explore`.

# %%
QUESTION = '''"""Two excitatory inputs some time apart: does the neuron fire?"""
from spikeneuron import explore
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.explore import exploration_figure

NAME = "my-question"
PARAMETERS = (
    *lif_parameters(),
    Parameter("weight", 8.0, "mV", "weight of each of the two inputs"),
    Parameter("gap", 1.0, "ms", "time from the first input to the second", minimum=0.0),
    Parameter("noise_mv", 1.0, "mV", "membrane-noise standard deviation", minimum=0.0),
    Parameter("n_trials", 400, "", "noisy trials", minimum=1),
)
KEY_NUMBERS = (
    KeyNumber("p_spike", "", "fraction of noisy trials with a spike"),
    KeyNumber("p_spike_se", "", "its binomial standard error"),
    KeyNumber("z_mv", "mV", "summed input at the peak"),
    KeyNumber("fires_without_noise", "", "whether the noiseless neuron fires"),
)


def run(context):
    p, neuron = context.parameters, context.lif()
    seen = explore([p.weight, p.weight], input_times=[[10.0], [10.0 + p.gap]], v_th=neuron.v_th,
                   noise_mv=p.noise_mv, n_trials=p.n_trials, seed=context.seed, neuron=neuron,
                   duration=60.0)
    context.save_figure(exploration_figure(seen), "explore.png",
                        "Left: potential of one noisy trial (mV). Right: the logistic twin and "
                        "the measured spike probability.")
    return {"p_spike": seen.p_spike, "p_spike_se": seen.p_spike_se, "z_mv": seen.z,
            "fires_without_noise": seen.fires_without_noise}
'''
with open("my_question.py", "w") as file:
    file.write(QUESTION)

one = spikeneuron.run_experiment("my_question.py", out="results", gap=1.0)
print({key: one[key] for key in ("p_spike", "p_spike_se", "z_mv", "fires_without_noise")})

# %% [markdown]
# The same command line works on it: `spikeneuron run my_question.py --set gap=3 --set tau_m=20`.
# Now the sweep: four membrane time constants × five gaps, 20 runs of 400 trials.

# %%
taus, gaps = [5.0, 10.0, 20.0, 40.0], [0.0, 1.0, 2.0, 4.0, 8.0]
rows = spikeneuron.sweep("my_question.py", grid={"tau_m": taus, "gap": gaps}, out="sweeps/question",
                         workers=1, progress=False, plot="p_spike")
figure, ax = new_figure(width=6.5, height=3.8)
for tau in taus:
    mine = [row for row in rows if row["tau_m"] == tau]
    ax.errorbar([row["gap"] for row in mine], [row["p_spike"] for row in mine],
                yerr=[2 * row["p_spike_se"] for row in mine], marker="o", ms=3, capsize=2,
                label=f"τ_m = {tau:g} ms (noiseless limit {tau * np.log(8 / 7):.2f} ms)")
ax.set_xlabel("gap between the two +8 mV inputs (ms)")
ax.set_ylabel("P(spike), σ = 1 mV")
ax.legend(fontsize="x-small")
figure

# %% [markdown]
# A slower membrane keeps the first input's effect longer, so inputs further apart still add
# up to a spike: the neuron's window of integration is about τ_m·ln(8/7). Noise blurs the
# edge of that window instead of moving it.
#
# ## Exercises
#
# 1. Check the noiseless limit: sweep `gap` finely at `noise_mv=0` for τ_m = 20 ms. Where does
#    the neuron stop firing?
# 2. Repeat one point of the sweep with `repeats=5`. Is the spread of `p_spike` over repeats
#    what its binomial standard error says?

# %% [markdown]
# ### Solution 1
#
# 20·ln(8/7) = 2.67 ms; on the 0.1 ms grid the last gap that fires is 2.6 ms.

# %%
fine_gaps = list(np.round(np.arange(2.4, 2.95, 0.1), 1))
rows = spikeneuron.sweep("my_question.py", grid={"gap": fine_gaps}, out="sweeps/limit", workers=1,
                         progress=False, tau_m=20.0, noise_mv=0.0, n_trials=1)
last = max(row["gap"] for row in rows if row["fires_without_noise"])
print(f"fires up to a gap of {last} ms; closed form {20 * np.log(8 / 7):.3f} ms")
assert last == 2.6

# %% [markdown]
# ### Solution 2
#
# Each repeat has its own seed, so the five estimates scatter; their standard deviation should
# be close to sqrt(p(1 − p)/n) (with five values, within a factor of about two).

# %%
rows = spikeneuron.sweep("my_question.py", grid={"gap": [1.0]}, repeats=5, out="sweeps/repeats",
                         workers=1, progress=False, tau_m=10.0)
estimates = np.array([row["p_spike"] for row in rows])
p = estimates.mean()
print(f"estimates {np.round(estimates, 3)}: spread {estimates.std(ddof=1):.3f}, "
      f"binomial standard error {np.sqrt(p * (1 - p) / 400):.3f}")
assert estimates.std(ddof=1) < 3 * np.sqrt(p * (1 - p) / 400)
