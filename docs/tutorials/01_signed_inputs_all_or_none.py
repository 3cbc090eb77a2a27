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
# # 1. A neuron sums signed inputs and fires all or none
#
# A neuron receives spikes on its dendrites. Each input moves the membrane potential by its
# **signed weight**: positive weights excite (push the potential up), negative weights
# inhibit (pull it down). The potential sums these moves and leaks back to rest with the
# membrane time constant. When it reaches the **threshold**, the neuron fires one
# action potential, the same whatever the input was: all or none.
#
# Here we run one leaky integrate-and-fire (LIF) neuron with `spikeneuron.explore`, which also
# computes what a logistic neuron would say for the same weights. Units: ms and mV. The
# default neuron rests at −70 mV, fires at −55 mV and has a membrane time constant of 10 ms.

# %%
# %matplotlib inline
import numpy as np

from spikeneuron import explore, explorer
from spikeneuron.explore import exploration_figure

# %% [markdown]
# ## One excitatory input
#
# One input with weight +4 mV fires once, at 10 ms (the default: a *volley* where every input
# fires once at 10 ms). We switch the noise off to see the bare mechanism.

# %%
one = explore([4.0], noise_mv=0.0)
print(f"potential before: {one.v[0]:.1f} mV, right after the input: {one.v.max():.1f} mV")
print(f"jump = {one.v.max() - one.v[0]:.1f} mV = the weight; spikes: {one.spike_times}")

# %% [markdown]
# ## Three signed inputs: a strong excitatory, a weak excitatory and a strong inhibitory one
#
# With weights +12, +4 and −10 mV arriving together, the potential jumps by their sum,
# z = 12 + 4 − 10 = 6 mV. The threshold is θ = v_th − v_rest = 15 mV above rest, so the neuron
# stays silent. The right panel is the logistic neuron for the same weights (tutorial 2
# explains its shape); without noise it is a step at z = θ.

# %%
seed_picture = explore([12.0, 4.0, -10.0], noise_mv=0.0)
print(f"z = {seed_picture.z:g} mV, θ = {seed_picture.theta:g} mV, "
      f"fires: {seed_picture.fires_without_noise}")
exploration_figure(seed_picture)

# %% [markdown]
# Remove the inhibition and the sum, 16 mV, crosses the threshold: the neuron fires, and its
# potential is reset to −70 mV.

# %%
no_inhibition = explore([12.0, 4.0, 0.0], noise_mv=0.0)
print(f"z = {no_inhibition.z:g} mV -> spikes at {no_inhibition.spike_times} ms")
exploration_figure(no_inhibition)

# %% [markdown]
# ## All or none
#
# A stronger input does not give a bigger spike: above threshold every input gives exactly
# one spike at the same moment, below it none at all.

# %%
for strength in (10.0, 14.5, 15.0, 20.0, 40.0):
    seen = explore([strength], noise_mv=0.0)
    print(f"z = {strength:5.1f} mV: {len(seen.spike_times)} spike(s) at {seen.spike_times} ms")

# %% [markdown]
# ## Timing matters: the potential leaks
#
# Inputs that arrive at different times add up only partly, because the potential decays
# back to rest by a factor e^{−Δt/τ_m} over Δt. `explore` reports each input's decayed count
# x_i at the moment t* where the summed potential peaks, and z = Σ w_i x_i: the logistic
# neuron's weighted sum, with x_i = 1 for a volley.

# %%
staggered = explore([8.0, 8.0], input_times=[[10.0], [15.0]], noise_mv=0.0)
print(f"x = {np.round(staggered.x, 3)} at t* = {staggered.t_peak:g} ms; "
      f"z = {staggered.z:.2f} mV (a volley would give 16 mV); fires: {staggered.fires_without_noise}")
assert np.isclose(staggered.x[0], np.exp(-5.0 / 10.0))  # 5 ms of decay with τ_m = 10 ms

# %% [markdown]
# ## The threshold is a bias
#
# The neuron fires when z ≥ θ, that is when z + b ≥ 0 with **bias b = −θ = −(v_th − v_rest)**:
# a logistic neuron's decision rule, z + b ≥ 0, with a hard step instead of the sigmoid.
# Raising the threshold lowers the bias.

# %%
for v_th in (-60.0, -55.0, -50.0):
    seen = explore([12.0, 4.0], v_th=v_th, noise_mv=0.0)
    print(f"v_th = {v_th:g} mV: bias b = {seen.bias:+g} mV, z + b = {seen.z + seen.bias:+g} mV, "
          f"fires: {seen.fires_without_noise}")

# %% [markdown]
# ## Exercises
#
# 1. In the seed picture (+12, w₂, −10 mV, one volley), what is the smallest weak-excitatory
#    weight w₂ that makes the neuron fire? Check your answer with `explore`.
# 2. Keep the weights +12, +4, −10 mV but let the inhibitory input arrive 2 ms *after* the
#    excitatory ones. Does the neuron fire now? Why?
# 3. Two inputs of +8 mV: how close in time must they be for the neuron to fire?

# %% [markdown]
# ### Solution 1
#
# The neuron fires when 12 + w₂ − 10 ≥ 15, so w₂ ≥ 13 mV.

# %%
assert not explore([12.0, 12.5, -10.0], noise_mv=0.0).fires_without_noise
assert explore([12.0, 13.0, -10.0], noise_mv=0.0).fires_without_noise

# %% [markdown]
# ### Solution 2
#
# Yes: at 10 ms the excitatory inputs alone bring the potential 16 mV above rest, over the
# threshold, and the spike happens before the inhibition arrives. Inhibition can only veto
# what has not happened yet; here z is taken at t* = 10 ms where x = (1, 1, 0).

# %%
late_inhibition = explore([12.0, 4.0, -10.0], input_times=[[10.0], [10.0], [12.0]], noise_mv=0.0)
print(late_inhibition.x, late_inhibition.spike_times)
assert late_inhibition.fires_without_noise

# %% [markdown]
# ### Solution 3
#
# With the second input Δt after the first, the peak is 8·e^{−Δt/10} + 8 mV, which reaches
# 15 mV while e^{−Δt/10} ≥ 7/8, i.e. Δt ≤ 10·ln(8/7) ≈ 1.34 ms; on the 0.1 ms grid, 1.3 ms.

# %%
gaps = np.arange(0.0, 3.0, 0.1)
fires = [explore([8.0, 8.0], input_times=[[10.0], [10.0 + gap]], noise_mv=0.0).fires_without_noise
         for gap in gaps]
largest = gaps[np.flatnonzero(fires)].max()
print(f"fires for gaps up to {largest:.1f} ms (closed form {10 * np.log(8 / 7):.2f} ms)")
assert abs(largest - 10 * np.log(8 / 7)) < 0.1

# %% [markdown]
# ## The explorer
#
# Move the sliders: three signed weights, the threshold and the noise. The left panel shows
# the potential with its threshold and spikes, the right panel the logistic neuron's sigmoid
# with the current z and the spike probability measured over 200 noisy trials (tutorial 2).
# In JupyterLab or Jupyter Notebook this cell shows the app; elsewhere (run as a script, or
# executed headless by the tests) it builds it all the same.

# %%
app = explorer()
print(f"one update takes {app.last_update_s * 1000:.0f} ms")
app
