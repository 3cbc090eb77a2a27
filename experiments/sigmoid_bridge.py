"""Sigmoid bridge: with noise, the all-or-none spike becomes a logistic function of the input.

A neuron sits at a baseline set by a bias current. At t0 it receives one brief volley: each of
16 dendritic inputs, with fixed signed weights w (mV), fires or not (pattern x ∈ {0, 1}^16),
so the volley's summed strength is z = w·x (mV), the activation of a logistic neuron. Over
many trials we measure P(spike within 5 ms of t0 | z). Without noise it is a step at the
distance from baseline to threshold; with membrane noise of standard deviation sigma it is a
sigmoid, fitted by maximum likelihood as sigmoid((z − z0)/s), whose scale s grows with sigma
(a Gaussian threshold distribution is close to a logistic of scale s ≈ sigma·√3/π).

Each plotted point is a 1-mV bin of z holding at least 30 trials; its error bar is the binomial
standard error sqrt(p(1 − p)/N) of a proportion of N trials, with p the fitted probability
(what the scatter would be if the logistic were exact). The misfit is reported twice: as the
largest |measured − fitted| probability (max_abs_dev), and in units of that standard error
(max_abs_z), over the bins where the normal approximation holds (N·p·(1 − p) ≥ 5). With some
a few dozen bins, |z| up to about 3 is what sampling alone gives.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import LogisticNeuron, MembraneNoise, simulate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import new_figure

NAME = "sigmoid-bridge"
TITLE = "P(spike | summed input z) is a logistic sigmoid; zero noise gives the all-or-none step"
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """This is the bridge of the whole story. Without noise the neuron fires exactly when the
summed input z = w·x reaches the distance to threshold: a step, the all-or-none spike. With
membrane noise the probability of a spike is a logistic sigmoid of the same z, the output of a
logistic-regression neuron; its scale s grows in proportion to the noise (right panel,
close to σ·√3/π). Compare max_abs_z with about 3: larger means the logistic misses the
data by more than the binomial sampling noise of the trials per point. With the full 8000
trials and seed 0 it is 4.3: the sigmoid is an excellent but not an exact description
(max_abs_dev is a few per cent). A likely reason, not tested here: Gaussian membrane noise
makes the threshold distribution closer to a probit (normal CDF) than to a logistic."""

PARAMETERS = (
    *lif_parameters(),
    Parameter("noise_mv", (0.5, 1.0, 2.0, 3.0), "mV",
              "membrane-noise standard deviations, one sigmoid each", positive=True),
    Parameter("n_trials", 8000, "", "volleys (trials), one neuron each", minimum=100, quick=1500),
    Parameter("n_inputs", 16, "", "dendritic inputs in the volley", minimum=1),
    Parameter("bias_na", 0.5, "nA", "constant current setting the baseline (r_m·I mV above rest)"),
    Parameter("volley_time", 60.0, "ms", "time of the volley (long enough for stationary noise)",
              positive=True),
    Parameter("window", 5.0, "ms", "a spike within this long after the volley counts", positive=True),
)
KEY_NUMBERS = (
    KeyNumber("max_abs_dev", "", "largest |measured − fitted| probability over bins and noise levels"),
    KeyNumber("max_abs_z", "", "largest |measured − fitted| / binomial standard error over bins "
              "with N·p·(1 − p) ≥ 5: up to about 3 is sampling noise"),
    KeyNumber("z_bins_tested", "", "how many (noise level, bin) pairs max_abs_z is taken over"),
    KeyNumber("trials_per_bin", "", "trials in each z bin (the same at every noise level)"),
    KeyNumber("fit_scale_mv", "mV", "fitted logistic scale s per noise level (≈ σ·√3/π)"),
    KeyNumber("fit_z0_mv", "mV", "fitted midpoint z0 per noise level"),
    KeyNumber("step_z_mv", "mV", "where the zero-noise step sits: threshold − baseline"),
    KeyNumber("zero_noise_is_step", "", "whether the noiseless neuron fires exactly when z ≥ step_z_mv"),
    KeyNumber("z_mv", "mV", "centres of the z bins"),
    KeyNumber("noise_mv", "mV", "the noise levels"),
    KeyNumber("p_spike", "", "measured P(spike | z) per noise level and bin"),
    KeyNumber("p_spike_zero_noise", "", "measured P(spike | z) without noise"),
    KeyNumber("weights_mv", "mV", "the signed weights of the volley's inputs"),
)
COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]


def colours(n):
    """One colour per noise level (the palette repeats beyond four)."""
    return [COLOURS[i % len(COLOURS)] for i in range(n)]


def volley(rng, n_trials, n_inputs):
    """Fixed signed weights (mV) and one random firing pattern per trial; z = w·x (mV)."""
    weights = rng.uniform(-2.0, 4.5, n_inputs)
    patterns = rng.random((n_trials, n_inputs)) < 0.5
    return weights, patterns, patterns @ weights


def spike_in_window(result, p):
    """1 where a neuron fired within the window after the volley, else 0."""
    start, stop = int(round(p.volley_time / p.dt)), int(round((p.volley_time + p.window) / p.dt))
    inside = (result.spike_steps >= start) & (result.spike_steps <= stop)
    return np.bincount(result.spike_neurons[inside], minlength=result.n).clip(max=1)


def run_trials(neuron, weights, patterns, seed, p):
    """One batch: trial j is neuron j, whose non-firing inputs have weight 0."""
    duration = p.volley_time + p.window
    baseline = neuron.v_rest + neuron.r_m * p.bias_na  # start where the bias holds V (mV)
    return simulate(neuron, duration=duration, dt=p.dt, current=p.bias_na,
                    inputs=[[p.volley_time]] * weights.size, weights=weights[:, None] * patterns.T,
                    v_init=baseline, record_v=False, seed=seed)


def binned(z, spiked, width=1.0, min_trials=30):
    """Mean z (mV), fraction of spikes and number of trials of each 1-mV bin with enough trials."""
    edges = np.arange(np.floor(z.min()), np.ceil(z.max()) + width, width)
    which = np.digitize(z, edges) - 1
    counts = np.bincount(which, minlength=edges.size)
    hits = np.bincount(which, weights=spiked, minlength=edges.size)
    z_mean = np.bincount(which, weights=z, minlength=edges.size)
    keep = counts >= min_trials
    return z_mean[keep] / counts[keep], hits[keep] / counts[keep], counts[keep]


def run(context):
    p = context.parameters
    rng = np.random.default_rng(context.seed)
    weights, patterns, z = volley(rng, p.n_trials, p.n_inputs)
    neuron = context.lif()
    gap = neuron.v_th - (neuron.v_rest + neuron.r_m * p.bias_na)  # mV from baseline to threshold

    # Zero noise: the all-or-none step at z = gap.
    deterministic = spike_in_window(run_trials(neuron, weights, patterns, context.seed, p), p)
    z_bins, p_zero, _ = binned(z, deterministic)
    decidable = np.abs(z - gap) > 1e-9  # z exactly at the step is a matter of rounding
    step_ok = bool(np.array_equal(deterministic[decidable], (z >= gap)[decidable].astype(int)))
    context.say(f"zero noise: spike exactly when z >= {gap:g} mV: {step_ok}")

    rows, fits = [], []
    for sigma in p.noise_mv:
        noisy = neuron.with_(membrane_noise=MembraneNoise(sigma=sigma))
        spiked = spike_in_window(run_trials(noisy, weights, patterns, context.seed + 1, p), p)
        fit = LogisticNeuron().fit(z[:, None], spiked)  # maximum likelihood over all trials
        scale, z0 = 1.0 / fit.coef_[0], -fit.intercept_ / fit.coef_[0]
        z_level, p_level, trials = binned(z, spiked)
        p_fit = fit.predict_proba(z_level[:, None])
        deviation = np.abs(p_level - p_fit)
        # binomial standard error of a proportion of `trials`, if the fitted p were the truth
        variance = p_fit * (1.0 - p_fit)
        error = np.sqrt(variance / trials)
        normal = trials * variance >= 5.0
        rows.append({"z": z_level, "p": p_level, "max_dev": float(deviation.max()), "error": error,
                     "z_scores": deviation[normal] / error[normal], "trials": trials})
        fits.append((z0, scale))
        context.say(f"sigma {sigma:g} mV: z0 {z0:.2f} mV, s {scale:.2f} mV, max |dev| {deviation.max():.3f}")


    z_scores = np.concatenate([row["z_scores"] for row in rows])
    max_abs_z = float(z_scores.max()) if z_scores.size else 0.0
    trials = rows[0]["trials"]
    context.say(f"max |measured - fitted| / standard error: {max_abs_z:.2f} over {z_scores.size} bins")

    figure, (ax_p, ax_s) = new_figure(1, 2, width=12, height=4.6)
    z_fine = np.linspace(z.min(), z.max(), 400)
    ax_p.step(z_fine, (z_fine >= gap).astype(float), where="post", color="black", lw=2,
              label="zero noise: all-or-none step")
    for (z0, scale), row, sigma, colour in zip(fits, rows, p.noise_mv, colours(len(fits))):
        ax_p.errorbar(row["z"], row["p"], yerr=row["error"], fmt="o", ms=3.5, color=colour,
                      capsize=2, elinewidth=1, label=f"σ = {sigma:g} mV: measured ± 1 s.e.")
        ax_p.plot(z_fine, 1.0 / (1.0 + np.exp(-(z_fine - z0) / scale)), "-", color=colour, lw=1.5,
                  label=f"σ = {sigma:g} mV: sigmoid((z − {z0:.1f})/{scale:.2f})")
    ax_p.set_xlabel("summed input z = w·x (mV)")
    ax_p.set_ylabel(f"P(spike within {p.window:g} ms)")
    ax_p.set_title("Spike probability against summed dendritic input")
    ax_p.legend(fontsize="x-small", loc="lower right")
    sigmas = np.array(p.noise_mv)
    ax_s.plot(sigmas, [s for _, s in fits], "o", color="black", label="fitted logistic scale s")
    ax_s.plot(np.r_[0.0, sigmas], np.sqrt(3) / np.pi * np.r_[0.0, sigmas], "--", color="#7f7f7f",
              label="σ·√3/π (logistic matching a Gaussian)")
    ax_s.set_xlabel("membrane noise σ (mV)")
    ax_s.set_ylabel("logistic scale s (mV)")
    ax_s.set_xlim(0, sigmas.max() * 1.1)
    ax_s.set_ylim(0, None)
    ax_s.set_title("Zero noise → zero scale: the step")
    ax_s.legend(fontsize="small", loc="upper left")
    context.save_figure(figure, "sigmoid_bridge.png",
                        f"Left: measured P(spike within {p.window:g} ms | z) for {len(fits)} "
                        "noise levels, each point a 1-mV bin of "
                        f"{int(trials.min())}–{int(trials.max())} trials (median "
                        f"{int(np.median(trials))}; {p.n_trials} trials in all), with error bars "
                        "of one binomial standard error, maximum-likelihood logistic fits "
                        "(lines) and the step of the noiseless neuron (black). Largest misfit "
                        f"{max(row['max_dev'] for row in rows):.3f} in probability, "
                        f"{max_abs_z:.1f} standard errors over {z_scores.size} bins, "
                        + ("within what sampling noise gives (about 3). " if max_abs_z <= 3.0 else
                           "more than sampling noise alone gives (about 3): with this many "
                           "trials the logistic is seen to be close but not exact. ")
                        + "Right: the fitted logistic scale against the noise, "
                        "with the scale σ·√3/π of the logistic closest to a Gaussian threshold "
                        "distribution (dashed).")
    context.save_data("trials.npz", z_mv=z, weights_mv=weights, patterns=patterns,
                      deterministic=deterministic)
    return {
        "z_mv": z_bins,  # the same trials, hence the same bins, at every noise level
        "noise_mv": p.noise_mv,
        "p_spike": [row["p"] for row in rows],
        "p_spike_zero_noise": p_zero,
        "fit_z0_mv": [z0 for z0, _ in fits],
        "fit_scale_mv": [s for _, s in fits],
        "max_abs_dev": max(row["max_dev"] for row in rows),
        "max_abs_z": max_abs_z,
        "z_bins_tested": int(z_scores.size),
        "trials_per_bin": trials,
        "step_z_mv": gap,
        "zero_noise_is_step": step_ok,
        "weights_mv": weights,
    }

