"""One neuron beside its sigmoid twin: the pure function behind the explorer.

:func:`explore` runs one LIF neuron (delta, exponential or alpha synapses) whose dendrites have signed weights and
given input spike times, and returns what the explorer shows: the potential trace with its
spikes, the summed input z, the logistic neuron's output sigmoid(z) for the same weights, and
the spike probability under membrane noise measured over seeded trials.
The app, :func:`spikeneuron.explorer`, lives with the rest of the lab in
:mod:`spikeneuron.lab.explorer` (the optional extra ``spikeneuron[notebooks]``).

The mapping between the spiking neuron and the logistic neuron, used throughout:

* Input i contributes x_i(t) = Σ_k exp(−(t − t_ik)/tau_m) over its spikes t_ik ≤ t (moved to
  the grid as in :func:`spikeneuron.simulate`): a spike adds 1 and decays with the membrane.
  Without threshold and noise the potential is exactly V(t) = v_rest + Σ_i w_i x_i(t) (mV).
  With current synapses (:class:`~spikeneuron.ExpSynapse`, :class:`~spikeneuron.AlphaSynapse`)
  the weights are currents (nA) and the potential is still linear in them: x_i(t) = Σ_k K(t − t_ik)
  with K the postsynaptic potential of one spike of weight 1 nA (mV/nA; through the excitatory
  kernel for w_i ≥ 0, the inhibitory one for w_i < 0), measured by :func:`spikeneuron.simulate`
  itself on the grid, so that V(t) = v_rest + Σ_i w_i x_i(t) holds as for delta synapses.
  Models whose potential is not linear in the weights below threshold (conductance synapses,
  Hodgkin–Huxley, Traub–Miles, AdEx, Izhikevich) have no such z and are refused.
* The summed input z = Σ_i w_i x_i(t*) (mV) is taken at the grid time t* where that sum
  peaks. For one volley (every input once, at the same time) x_i = 1 and z = Σ_i w_i.
* The noiseless neuron fires if and only if z ≥ θ = v_th − v_rest: the threshold is a bias
  b = −θ, and the neuron computes the step H(z + b).
* Membrane noise of standard deviation σ (mV) makes the potential at t* Gaussian,
  v_rest + z + ξ with ξ ~ N(0, σ²), so P(V(t*) ≥ v_th) = Φ((z − θ)/σ). The logistic of the same
  variance, sigmoid((z − θ)/s) with s = σ·√3/π, is within 0.023 of Φ everywhere: that is the
  logistic twin, a LogisticNeuron with weights w_i/s on the inputs x_i and bias −θ/s. The
  measured spike probability counts a threshold crossing at any time of the run, so it can
  exceed Φ where the potential lingers near threshold; the explorer shows both.
"""

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from . import _validation as check
from .engine import simulate
from .inputs import grid_steps, spike_trains
from .logistic import LogisticNeuron
from .models.lif import LIF
from .noise import MembraneNoise
from .synapses import AlphaSynapse, DeltaSynapse, ExpSynapse

__all__ = ["explore", "Exploration", "exploration_figure"]

_OWNER = "explore"
#: Default input spike time, ms: one volley, late enough that the noise has settled.
VOLLEY_MS = 10.0
#: Logistic scale per mV of Gaussian noise: the logistic with the variance of N(0, σ²).
LOGISTIC_SCALE_PER_SIGMA = math.sqrt(3.0) / math.pi
#: The seed picture: a strong excitatory, a weak excitatory and a strong inhibitory input (mV).
SEED_WEIGHTS_MV = (12.0, 4.0, -10.0)
MAX_SLIDERS = 5


@dataclass(frozen=True, eq=False)
class Exploration:
    """What :func:`explore` returns: one neuron's run and its logistic twin.

    Attributes
    ----------
    t : ndarray, shape (T,)
        Grid times, ms.
    v : ndarray, shape (T,)
        Membrane potential of the first trial (with the given noise), mV.
    spike_times : ndarray
        Spike times of the first trial, ms.
    v_free : ndarray, shape (T,)
        The potential without threshold and noise, v_rest + Σ_i w_i x_i(t), mV.
    fires_without_noise : bool
        Whether the same neuron without noise fires (a separate deterministic run).
    weights : ndarray, shape (n_inputs,)
        The signed weights, mV (delta synapses) or nA (exponential and alpha synapses);
        positive excites, negative inhibits.
    x : ndarray, shape (n_inputs,)
        Each input's decayed spike count x_i(t*) at the peak time (1 for a single volley of
        delta synapses); with current synapses its summed postsynaptic potential per nA, mV/nA.
    t_peak : float
        t*, the grid time where the free potential peaks, ms.
    z : float
        Summed input Σ_i w_i x_i(t*), mV.
    theta : float
        v_th − v_rest, mV: the noiseless neuron fires if and only if z ≥ theta.
    bias : float
        −theta, mV: the threshold as the bias of the logistic neuron.
    scale : float
        Logistic scale s = σ·√3/π, mV (0 without noise).
    sigmoid : float
        The logistic twin's output sigmoid((z + bias)/scale); without noise the step
        (1.0 if z ≥ theta else 0.0).
    p_spike : float
        Fraction of the noisy trials with at least one spike.
    p_spike_se : float
        Binomial standard error of ``p_spike``, sqrt(p(1 − p)/n_trials).
    n_trials : int
        Number of noisy trials.
    noise_mv : float
        Standard deviation σ of the membrane noise, mV.
    neuron : LIF
        The simulated model (with its noise).
    simulation : SimulationResult
        The trials' run (potential recorded for the first trial only).
    """

    t: np.ndarray
    v: np.ndarray
    spike_times: np.ndarray
    v_free: np.ndarray
    fires_without_noise: bool
    weights: np.ndarray
    x: np.ndarray
    t_peak: float
    z: float
    theta: float
    bias: float
    scale: float
    sigmoid: float
    p_spike: float
    p_spike_se: float
    n_trials: int
    noise_mv: float
    neuron: LIF
    simulation: object

    def logistic_neuron(self):
        """The logistic twin: LogisticNeuron(weights = w/s, bias = −theta/s) on the inputs x.

        Its ``predict_proba(self.x)`` equals ``self.sigmoid``. Raises ValidationError without
        noise, where the scale is 0 and the twin is the step itself.
        """
        if self.scale == 0.0:
            check.fail("noise_mv", "Exploration.logistic_neuron", "> 0 mV (without noise the "
                       "twin is a step, not a logistic neuron)", self.noise_mv)
        return LogisticNeuron(weights=self.weights / self.scale, bias=self.bias / self.scale)


#: The synapses under which the potential is linear in the weights below threshold.
LINEAR_SYNAPSES = (DeltaSynapse, ExpSynapse, AlphaSynapse)


def unit_responses(neuron, n_steps, dt):
    """Postsynaptic potentials of one input spike of weight +1 and −1 nA, mV/nA, shape (2, n_steps + 1).

    Row 0 is the excitatory kernel K_ex, row 1 the inhibitory one K_in (each per nA of
    weight, so K_in is positive too); entry k is the potential above v_rest k steps after the
    spike's grid time. Measured by :func:`simulate` itself (its exact integration and arrival
    convention), with a weight small enough to stay below threshold: the LIF is linear there
    and the same at every grid time, so the responses to any inputs are sums of these.
    """
    # Below threshold for sure: a kernel's peak per nA is at most r_m (mV/nA).
    weight = 0.5 * (neuron.v_th - neuron.v_rest) / neuron.r_m
    run = simulate(neuron, duration=(n_steps + 1) * dt, dt=dt, inputs=[[dt]],
                   weights=[[weight, -weight]], n=2, record_v=True)
    return (run.v[1:n_steps + 2] - neuron.v_rest).T / np.array([[weight], [-weight]])


#: Limits of what :func:`explore` computes in one call: trials (neurons of one batch), and
#: elements of its dense arrays of grid steps × inputs (1 GiB of floats).
MAX_TRIALS = 10**7
MAX_ELEMENTS = 2**27


def _input_times(value, n_inputs, duration):
    """One array of spike times (ms) per input, from None, a number or a list."""
    if value is None:
        value = VOLLEY_MS
    allowed = (f"None, a time in ms, or one time or array of times per input ({n_inputs} "
               f"entries, like weights)")
    if np.isscalar(value):
        value = [[check.real("input_times", _OWNER, value)]] * n_inputs
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__"):
        check.wrong_type("input_times", _OWNER, allowed, value)
    if len(value) != n_inputs:
        check.fail("input_times", _OWNER, allowed, value)
    per_input = [np.atleast_1d(check.finite_array("input_times", _OWNER, times)) for times in value]
    for times in per_input:
        if times.ndim != 1 or (times.size and times.min() < 0):
            check.fail("input_times", _OWNER, "times >= 0 ms, one number or 1-D array per input",
                       times.tolist())
    trains = spike_trains(per_input, owner=_OWNER)
    if trains.n_spikes and trains.times.max() > duration:
        check.fail("input_times", _OWNER, f"within the run, 0 to duration = {duration:g} ms",
                   f"a spike at {trains.times.max():g} ms")
    return trains


def explore(weights, *, input_times=None, v_th=-55.0, noise_mv=1.0, duration=40.0, seed=0,
            n_trials=200, dt=0.1, neuron=None):
    """Run one LIF neuron with signed dendritic weights and compare it with its logistic twin.

    See the module docstring for the mapping: z = Σ_i w_i x_i(t*), bias = −(v_th − v_rest),
    logistic scale s = σ·√3/π, so that sigmoid((z + bias)/s) ≈ P(the noisy potential at the
    peak is above threshold).

    Parameters
    ----------
    weights : array-like, shape (n_inputs,)
        Signed synaptic weights of the dendritic inputs: mV with delta synapses (the jump of
        the potential per input spike), nA with exponential or alpha synapses (the current's
        jump or peak). Positive excites, negative inhibits.
    input_times : None, float, or sequence of n_inputs floats or arrays
        Input spike times, ms: None is one volley, every input once at 10 ms; a number is one
        volley at that time; a sequence gives each input its spike time or times.
    v_th : float
        Firing threshold, mV (above the model's v_reset).
    noise_mv : float
        Standard deviation σ of the membrane noise (white :class:`MembraneNoise`), mV (>= 0).
        Each trial starts with the potential drawn from the noise's stationary distribution.
    duration : float
        Simulated time, ms (> 0); input spikes must lie within it.
    seed : int, SeedSequence or Generator
        Seed of the trials' noise; the same seed gives the same result.
    n_trials : int
        Number of noisy trials over which the spike probability is measured (>= 1).
    dt : float
        Time step, ms.
    neuron : LIF or None
        The model whose other parameters (tau_m, v_rest, v_reset, t_ref, r_m, synapse) are
        used; default ``LIF()``. Its synapse must be a delta, exponential or alpha synapse
        (the potential is then linear in the weights below threshold), and it must have no
        noise of its own.

    Returns
    -------
    Exploration

    Raises
    ------
    ValueError (ValidationError), TypeError
        For weights that are not a non-empty finite 1-D array, input times outside the run,
        a negative noise, a threshold at or below v_reset, or an unsuitable ``neuron``.

    Examples
    --------
    >>> seen = explore([12.0, 4.0, -10.0], noise_mv=0.0)
    >>> seen.z, seen.theta, seen.fires_without_noise, seen.p_spike
    (6.0, 15.0, False, 0.0)
    """
    weights = check.finite_array("weights", _OWNER, weights)
    if weights.ndim != 1 or weights.size == 0:
        check.fail("weights", _OWNER, "a non-empty 1-D array of signed weights (mV)",
                   weights.tolist())
    duration = check.positive("duration", _OWNER, duration)
    dt = check.positive("dt", _OWNER, dt)
    noise_mv = check.non_negative("noise_mv", _OWNER, noise_mv)
    v_th = check.real("v_th", _OWNER, v_th)
    seed = check.seed(_OWNER, seed)
    n_trials = check.integer("n_trials", _OWNER, n_trials, low=1)
    if n_trials > MAX_TRIALS:
        check.fail("n_trials", _OWNER, f"at most {MAX_TRIALS} (one neuron of the batch each)",
                   n_trials)
    if neuron is None:
        neuron = LIF()
    allowed = ("an LIF with delta, exponential or alpha synapses (a potential linear in the weights "
               "below threshold: conductance synapses, HodgkinHuxley, TraubMiles, AdEx and Izhikevich "
               "have no logistic twin in closed form) and no noise of its own (set the noise with noise_mv)")
    if not isinstance(neuron, LIF):
        check.wrong_type("neuron", _OWNER, allowed, neuron)
    if not isinstance(neuron.synapse, LINEAR_SYNAPSES) or neuron.membrane_noise is not None \
            or neuron.escape_noise is not None:
        check.fail("neuron", _OWNER, allowed, neuron)
    if v_th <= neuron.v_reset or not math.isfinite(v_th - neuron.v_rest):
        check.fail("v_th", _OWNER, f"above the neuron's v_reset = {neuron.v_reset:g} mV, a finite "
                   f"distance from its v_rest = {neuron.v_rest:g} mV", v_th)
    deterministic = neuron.with_(v_th=v_th)
    noisy = deterministic.with_(membrane_noise=MembraneNoise(sigma=noise_mv)) if noise_mv else deterministic
    trains = _input_times(input_times, weights.size, duration)
    theta = v_th - deterministic.v_rest
    # the mapping is computed on dense (steps × inputs) arrays: refuse what cannot fit
    max_steps = MAX_ELEMENTS // max(trains.n_spikes, weights.size, 1)
    if duration / dt > max_steps:
        check.fail("duration", _OWNER, f"at most {max_steps * dt:g} ms at dt = {dt:g} ms "
                   f"({max_steps} steps for these inputs: explore's arrays of steps × inputs "
                   f"must fit in 1 GiB)", duration)

    # Each input's decayed spike count on the grid; the free potential is their weighted sum.
    n_steps = int(math.floor(duration / dt + 1e-9))
    t = np.arange(n_steps + 1) * dt
    lag_steps = np.arange(n_steps + 1)[:, None] - grid_steps(trains.times, dt)[None, :]
    if isinstance(neuron.synapse, DeltaSynapse):
        decayed = np.where(lag_steps >= 0, np.exp(-np.clip(lag_steps, 0, None) * dt / neuron.tau_m), 0.0)
    else:
        kernels = unit_responses(deterministic, n_steps, dt)
        inhibitory = (weights[trains.sources] < 0).astype(int)
        decayed = np.where(lag_steps >= 0, kernels[inhibitory[None, :], np.clip(lag_steps, 0, None)], 0.0)
    x_of_t = np.zeros((n_steps + 1, weights.size))
    np.add.at(x_of_t.T, trains.sources, decayed.T)
    summed = x_of_t @ weights
    peak = int(np.argmax(summed))
    x, z = x_of_t[peak], float(summed[peak])

    if isinstance(seed, np.random.Generator):
        start_rng = noise_seed = seed
    else:  # two independent streams: the trials' starting potentials and their noise
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        start_seed, noise_seed = root.spawn(2)
        start_rng = np.random.default_rng(start_seed)
    v_init = deterministic.v_rest + noise_mv * start_rng.standard_normal(n_trials)
    inputs = trains.to_list()
    trials = simulate(noisy, duration=duration, dt=dt, inputs=inputs, weights=weights,
                      n=n_trials, v_init=v_init, seed=noise_seed, record_v=[0])
    # Recording keeps this run on the step-by-step path, as the trials are: the single-neuron
    # fast path rounds differently when the potential lands exactly on the threshold.
    without_noise = simulate(deterministic, duration=duration, dt=dt, inputs=inputs,
                             weights=weights, record_v=True)
    p_spike = float(np.mean(trials.spike_counts > 0))
    scale = LOGISTIC_SCALE_PER_SIGMA * noise_mv
    sigmoid = float(expit((z - theta) / scale)) if scale > 0 else float(z >= theta)
    return Exploration(
        t=t, v=trials.v[:, 0], spike_times=trials.spike_times[0],
        v_free=deterministic.v_rest + summed, fires_without_noise=bool(without_noise.spike_counts[0]),
        weights=weights, x=x, t_peak=float(t[peak]), z=z, theta=theta, bias=-theta, scale=scale,
        sigmoid=sigmoid, p_spike=p_spike, p_spike_se=math.sqrt(p_spike * (1 - p_spike) / n_trials),
        n_trials=n_trials, noise_mv=noise_mv, neuron=noisy, simulation=trials,
    )


def exploration_figure(seen, *, figure=None, z_half_range=None):
    """The explorer's picture of an :class:`Exploration`, side by side.

    Left: the potential of the first noisy trial with its threshold and spikes, and the
    potential without noise and threshold (dashed). Right: the logistic twin
    sigmoid((z − theta)/s) against the summed input z (the step without noise), the current z
    marked, and the measured spike probability with ±2 standard errors.

    Parameters
    ----------
    seen : Exploration
    figure : matplotlib Figure, optional
        Drawn into (cleared first) instead of a new figure; the explorer reuses one.
    z_half_range : float, optional
        The sigmoid panel spans theta ± this, mV (widened to include z); default
        max(8 mV, 8 logistic scales).

    Returns
    -------
    matplotlib Figure
    """
    from .plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure, plot_trace

    if figure is None:
        figure, _ = new_figure(1, 2, width=10.0, height=3.6)
    figure.clear()
    ax_v, ax_p = figure.subplots(1, 2, width_ratios=(1.3, 1.0))
    neuron = seen.neuron
    plot_trace(ax_v, seen.simulation, neuron, spike_height_mv=neuron.v_th + 10.0,
               label=f"potential (σ = {seen.noise_mv:g} mV)")
    ax_v.plot(seen.t, seen.v_free, color=NEUTRAL, ls=":", lw=1.2, label="no noise, no threshold")
    low = min(seen.v_free.min(), seen.v.min(), neuron.v_reset) - 2.0
    high = max(seen.v_free.max(), neuron.v_th + 10.0) + 2.0
    ax_v.set_ylim(low, high)
    synapse = "" if isinstance(neuron.synapse, DeltaSynapse) else \
        f"{type(neuron.synapse).__name__} (w in nA): "
    ax_v.set_title(f"{synapse}z = Σ w·x = {seen.z:+.1f} mV at t* = {seen.t_peak:g} ms; "
                   f"θ = v_th − v_rest = {seen.theta:g} mV", fontsize="medium")
    ax_v.legend(fontsize="x-small", loc="upper right")

    if z_half_range is None:
        z_half_range = max(8.0, 8.0 * seen.scale)
    z_lo = min(seen.theta - z_half_range, seen.z - 2.0)
    z_hi = max(seen.theta + z_half_range, seen.z + 2.0)
    z_axis = np.linspace(z_lo, z_hi, 400)
    if seen.scale > 0:
        curve = expit((z_axis - seen.theta) / seen.scale)
        label = f"sigmoid((z − {seen.theta:g})/{seen.scale:.2f})"
    else:
        curve = (z_axis >= seen.theta).astype(float)
        label = f"step at z = θ = {seen.theta:g} mV (no noise)"
    ax_p.plot(z_axis, curve, color="black", lw=1.5, label=label)
    ax_p.axvline(seen.theta, color=NEUTRAL, ls="--", lw=1.0)
    ax_p.axvline(seen.z, color=EXCITATORY if seen.z >= 0 else INHIBITORY, lw=1.0)
    ax_p.errorbar([seen.z], [seen.p_spike], yerr=[[min(2 * seen.p_spike_se, seen.p_spike)],
                  [min(2 * seen.p_spike_se, 1 - seen.p_spike)]], fmt="s", color=EXCITATORY,
                  mfc="none", ms=10, capsize=4, label=f"measured P(spike) ± 2 SE: "
                  f"{seen.p_spike:.3f} ({seen.n_trials} trials)")
    ax_p.plot([seen.z], [seen.sigmoid], "o", color="black", ms=4, zorder=5,
              label=f"logistic twin sigmoid: {seen.sigmoid:.3f}")
    ax_p.set_xlim(z_lo, z_hi)
    ax_p.set_ylim(-0.05, 1.05)
    ax_p.set_xlabel("summed input z (mV)")
    ax_p.set_ylabel("P(spike)")
    ax_p.set_title("the logistic twin and the measured spike probability", fontsize="medium")
    ax_p.legend(fontsize="x-small", loc="lower right")
    return figure
