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
# # 6. Your own neuron: the quadratic integrate-and-fire model from scratch
#
# spikeneuron's engine advances any model that follows the protocol of
# [docs/models.md](../models.md): a frozen, validated parameter object with `synapse`,
# `time_constants` and `integrator(dt, n, v_init, rng)`, and an integrator whose state is
# arrays of shape (n,), with `recordable`, `read(name)` and `step(current, synaptic,
# propagate=True)` (optionally `spike_lag`, for spike times between grid points). `AdEx` and
# `Izhikevich` are written that way; here we write a model the package does not have, the
# quadratic integrate-and-fire (QIF) neuron (Latham et al. 2000; Ermentrout & Kopell 1986):
#
#     τ_m dV/dt = (V − v_rest)(V − v_c)/(v_c − v_rest) + r_m I,   at V = v_peak: V → v_reset
#
# With x = V − (v_rest + v_c)/2 and k = 1/(v_c − v_rest) this is τ_m dx/dt = k (x² + c²),
# c² = (r_m I − k δ²)/k, δ = (v_c − v_rest)/2: under a constant current it is solved exactly,
# x(t) = c tan(atan(x₀/c) + k c t/τ_m) above the rheobase I_th = k δ²/r_m = (v_c − v_rest)/(4 r_m)
# (and by tanh below it), so the integrator can step exactly and locate each crossing of v_peak.
#
# The model is written to a file, so that an experiment (section 4) can import it too.

# %%
# %matplotlib inline
import numpy as np

# %%
QIF_SOURCE = '''"""The quadratic integrate-and-fire neuron, integrated exactly under a piecewise-constant
current, with each crossing of v_peak located inside its step (tutorial 6)."""
import math
from dataclasses import dataclass, field

import numpy as np

from spikeneuron import DeltaSynapse
from spikeneuron import _validation as check


@dataclass(frozen=True)
class QIF:
    """Quadratic integrate-and-fire neuron (ms, mV, nA, MΩ); delta synapses (mV)."""

    tau_m: float = 10.0
    v_rest: float = -65.0
    v_c: float = -50.0
    v_reset: float = -70.0
    v_peak: float = 30.0
    r_m: float = 10.0
    synapse: DeltaSynapse = field(default_factory=DeltaSynapse)

    def __post_init__(self):
        set_ = object.__setattr__
        for name in ("tau_m", "r_m"):
            set_(self, name, check.positive(name, "QIF", getattr(self, name)))
        for name in ("v_rest", "v_c", "v_reset", "v_peak"):
            set_(self, name, check.real(name, "QIF", getattr(self, name)))
        if self.v_c <= self.v_rest:
            check.fail("v_c", "QIF", f"above v_rest = {self.v_rest:g} mV", self.v_c)
        if not self.v_reset < self.v_peak or self.v_peak <= self.v_c:
            check.fail("v_peak", "QIF", "above v_c and v_reset", self.v_peak)

    @property
    def time_constants(self):
        return {}  # exact under a constant current: dt only sets the grid of the inputs

    @property
    def rheobase(self):
        """I_th = (v_c − v_rest)/(4 r_m), nA."""
        return (self.v_c - self.v_rest) / (4.0 * self.r_m)

    def period(self, current):
        """Exact time from v_reset to v_peak under a constant current above I_th, ms."""
        k, middle = 1.0 / (self.v_c - self.v_rest), 0.5 * (self.v_rest + self.v_c)
        c = np.sqrt((self.r_m * np.asarray(current, dtype=float) - k * (0.5 / k) ** 2) / k)
        return self.tau_m / (k * c) * (np.arctan((self.v_peak - middle) / c)
                                       - np.arctan((self.v_reset - middle) / c))

    def integrator(self, dt, n, v_init=None, rng=None):
        dt, n, v_init = check.integrator_arguments("QIF.integrator", dt, n, v_init)
        return QIFIntegrator(self, dt, n, self.v_rest if v_init is None else v_init)


class QIFIntegrator:
    """The protocol's integrator: arrays of shape (n,), recordable names, read and step."""

    recordable = ("v",)

    def __init__(self, model, dt, n, v_init):
        self.model, self.dt, self.n = model, dt, n
        self.v = np.array(np.broadcast_to(v_init, (n,)), dtype=float)
        self.spike_lag = np.zeros(n)  # ms before the grid time at which V crossed v_peak
        self.k = 1.0 / (model.v_c - model.v_rest)
        self.middle = 0.5 * (model.v_rest + model.v_c)

    def read(self, name):
        return self.v

    def _flow(self, x, c2, t):
        """x(t) and the time at which x reaches the peak (inf if never), for τ dx/dt = k(x² + c²)."""
        k, tau, peak = self.k, self.model.tau_m, self.model.v_peak - self.middle
        with np.errstate(all="ignore"):
            c = np.sqrt(np.abs(c2))
            rate = k * c / tau
            above = c2 > 0  # x = c tan(atan(x0/c) + k c t/τ)
            phase = np.arctan(x / c) + rate * t
            x_above = c * np.tan(np.minimum(phase, 0.5 * np.pi))
            hit_above = (np.arctan(peak / c) - np.arctan(x / c)) / rate
            # below the rheobase: (x − q)/(x + q) grows as e^{2 q k t/τ}, q = c
            grow = np.exp(2.0 * rate * t)
            x_below = c * ((x + c) + (x - c) * grow) / ((x + c) - (x - c) * grow)
            ratio = ((peak - c) / (peak + c)) / ((x - c) / (x + c))
            hit_below = np.where(x > c, np.log(ratio) / (2.0 * rate), np.inf)
            x_zero = x / (1.0 - k * x * t / tau)  # c² = 0
            hit_zero = np.where(x > 0, tau / k * (1.0 / x - 1.0 / peak), np.inf)
        zero = c2 == 0
        new = np.where(above, x_above, np.where(zero, x_zero, x_below))
        hit = np.where(above, hit_above, np.where(zero, hit_zero, hit_below))
        return new, hit

    def step(self, current, synaptic, *, propagate=True):
        model, dt = self.model, self.dt
        spiked = np.zeros(self.n, dtype=bool)
        if propagate:
            c2 = np.broadcast_to((model.r_m * np.asarray(current, dtype=float)) / self.k
                                 - (0.5 / self.k) ** 2, (self.n,))
            x = self.v - self.middle
            new, hit = self._flow(x, c2, dt)
            spiked = hit <= dt
            if spiked.any():  # the rest of the step from the reset, at the located crossing
                lag = dt - hit[spiked]
                reset = np.full(lag.size, model.v_reset - self.middle)
                new[spiked] = self._flow(reset, c2[spiked], lag)[0]
                self.spike_lag[spiked] = lag
            self.v = new + self.middle
        if synaptic is not None:
            self.v += synaptic[0]
            jumped = (self.v >= model.v_peak) & ~spiked
            self.spike_lag[jumped] = 0.0
            spiked |= jumped
            self.v[jumped] = model.v_reset
        return spiked
'''
with open("qif.py", "w") as file:
    file.write(QIF_SOURCE)

from qif import QIF  # noqa: E402  (written just above)

# %% [markdown]
# ## 1. Run it with `simulate`
#
# The engine does the rest: currents, input spike trains, records, the result. Spike times
# are the located crossings (the integrator offers `spike_lag`).
# %%
from spikeneuron import LIF, Network, fixed_probability, simulate
from spikeneuron.plotting import new_figure, plot_trace

neuron = QIF()
result = simulate(neuron, duration=200.0, dt=0.1, current=0.6)
print("rheobase", neuron.rheobase, "nA; spikes at", np.round(result.spike_times[0][:5], 4), "ms")
figure, ax = new_figure(width=8, height=3)
plot_trace(ax, result, neuron, spike_height_mv=neuron.v_peak)
ax.set_title("QIF neuron under 0.6 nA")
ax.legend(loc="center left", fontsize="small")
figure

# %% [markdown]
# ## 2. Its f–I curve against the closed form
#
# Above the rheobase the period from reset to peak is
# T = τ_m/(k c)·[atan(x_peak/c) − atan(x_reset/c)]; with the peak and the reset at ±∞ it is
# π τ_m/(k c), i.e. rate = √(k r_m (I − I_th))/(π τ_m), the QIF's square-root onset. The
# simulated intervals equal the exact period to rounding, because the model steps exactly.

# %%
currents = np.linspace(0.4, 3.0, 27)
batch = simulate(neuron, duration=1000.0, dt=0.1, current=currents, record_v=False)
intervals = np.array([np.diff(times).mean() for times in batch.spike_times])
exact = neuron.period(currents)
print(f"largest |mean ISI − exact period| = {np.max(np.abs(intervals - exact)):.2e} ms")
assert np.max(np.abs(intervals - exact)) < 1e-6
k = 1.0 / (neuron.v_c - neuron.v_rest)
limit = 1000.0 * np.sqrt(k * neuron.r_m * (currents - neuron.rheobase)) / (np.pi * neuron.tau_m)
figure, ax = new_figure(width=6.5, height=3.8)
ax.plot(currents, 1000.0 / intervals, "o", ms=4, label="simulated (dt = 0.1 ms)")
ax.plot(currents, 1000.0 / exact, "-", color="grey", label="closed form, v_peak = 30, v_reset = −70 mV")
ax.plot(currents, limit, ":", color="black", label="√(k r_m (I − I_th))/(π τ_m): peak and reset at ±∞")
ax.set_xlabel("injected current (nA)")
ax.set_ylabel("firing rate (Hz)")
ax.legend(fontsize="x-small")
figure

# %% [markdown]
# ## 3. In a `Network`, next to LIF neurons
#
# A population of QIF neurons and one of LIF neurons excite each other through delayed
# synapses; the network advances both models in one time loop.

# %%
net = Network()
net.add_population("qif", QIF(), 40, current=np.linspace(0.3, 0.5, 40))
net.add_population("lif", LIF(), 40, current=1.4)
net.connect("qif", "lif", fixed_probability(0.2, 2.0), delay=1.0)
net.connect("lif", "qif", fixed_probability(0.2, 2.0), delay=1.0)
run = net.run(300.0, dt=0.1, seed=1)
print("spikes: QIF", run["qif"].spike_counts.sum(), " LIF", run["lif"].spike_counts.sum())
alone = simulate(QIF(), duration=300.0, current=np.linspace(0.3, 0.5, 40), record_v=False)
print("QIF spikes without the LIF input:", alone.spike_counts.sum())
assert run["qif"].spike_counts.sum() > alone.spike_counts.sum()

# %% [markdown]
# ## 4. In a sweep
#
# An experiment file declares its parameters and key numbers; `spikeneuron.sweep` runs it over
# a grid. Here: the QIF's rate against its critical potential v_c, at one current.

# %%
EXPERIMENT = '''"""The QIF's firing rate at one current."""
from qif import QIF
from spikeneuron import mean_isi_rate, simulate
from spikeneuron.lab import KeyNumber, Parameter

NAME = "qif-rate"
PARAMETERS = (
    Parameter("v_c", -50.0, "mV", "critical potential of the QIF"),
    Parameter("current", 1.0, "nA", "injected current"),
)
KEY_NUMBERS = (KeyNumber("rate_hz", "Hz", "simulated rate"),
               KeyNumber("exact_rate_hz", "Hz", "1000 / the exact period"))


def run(context):
    p = context.parameters
    neuron = QIF(v_c=p.v_c)
    result = simulate(neuron, duration=1000.0, current=p.current, record_v=False)
    return {"rate_hz": float(mean_isi_rate(result.spike_times)[0]),
            "exact_rate_hz": float(1000.0 / neuron.period(p.current))}
'''
with open("qif_rate.py", "w") as file:
    file.write(EXPERIMENT)

import spikeneuron  # noqa: E402

rows = spikeneuron.sweep("qif_rate.py", grid={"v_c": [-58.0, -54.0, -50.0, -46.0]},
                         out="sweeps/qif", workers=1, progress=False)
for row in rows:
    print(f"v_c = {row['v_c']:5g} mV: {row['rate_hz']:.3f} Hz (exact {row['exact_rate_hz']:.3f} Hz)")
    assert abs(row["rate_hz"] - row["exact_rate_hz"]) < 1e-3

# %% [markdown]
# A higher v_c widens the gap between the two fixed points, raises the rheobase
# (v_c − v_rest)/(4 r_m) and slows the neuron at a fixed current.
#
# What this page did is what `AdEx` and `Izhikevich` do in `spikeneuron/models/`: parameters
# validated once, state as arrays, a step that applies the spike-and-reset rule and reports
# `spike_lag`. They add a compiled kernel (`use_backend('numba')`, tested spike for spike
# against the numpy step) and join the contract tests in `tests/conftest.py`.

# %% [markdown]
# ## Exercises
#
# 1. Far from the peak and the reset the QIF's rate rises as √(I − I_th). Put v_peak and
#    v_reset far away (±1000 mV around the fixed points) and fit the slope of log rate against
#    log(I − I_th) just above the rheobase: is it 1/2?
# 2. Give `QIF` a refractory period `t_ref` (ms): what must `step` do with `spike_lag` so
#    that the hold ends off the grid?

# %% [markdown]
# ### Solution 1

# %%
far = QIF(v_peak=1000.0, v_reset=-1000.0)
above = far.rheobase * (1.0 + np.geomspace(1e-3, 1e-1, 8))
rate = 1000.0 / far.period(above)
slope = np.polyfit(np.log(above - far.rheobase), np.log(rate), 1)[0]
print(f"slope {slope:.4f}")
assert abs(slope - 0.5) < 0.01

# %% [markdown]
# ### Solution 2
#
# Keep the refractory time left, in ms, per neuron: at a crossing it starts at t_ref − lag
# (the part of the hold already inside the step), each later step holds V for
# min(left, dt) and integrates the rest of the step from v_reset, as
# `spikeneuron/models/located_reset.py` does for AdEx.
