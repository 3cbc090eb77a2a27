"""Rate sigmoid: the firing rate of a noisy LIF is a smooth, sigmoid-like function of its input.

A batch of LIF neurons with white membrane noise (standard deviation sigma of the free
potential) receives constant bias currents, so that the mean free potential mu runs from well
below to far above threshold; each mu is simulated on several neurons at once to average the
counting noise. The simulated rate is compared with the diffusion approximation (Siegert
formula) and with the deterministic f–I curve (sigma = 0, a hard onset at threshold).
Normalised by the maximum rate 1/t_ref, each curve is fitted by a logistic
c·sigmoid((mu − mu0)/s). The range of mu runs from 20 mV below to 30 mV above threshold. The LIF
approaches 1/t_ref only slowly (its period exceeds t_ref by about
tau_m (v_th − v_reset)/(mu − v_th)), so within this range the curve bends over well below 1/t_ref:
the ceiling c (≤ 1) is fitted too. A refractory period of 5 ms brings the bend into view.

What the logistic captures, and where it fails: it describes the noise-smoothed onset (a
midpoint near threshold and a width that grows with sigma), but not the shape above it. The
LIF rate rises steeply at the onset and then keeps growing, ever more slowly, towards 1/t_ref;
a logistic is symmetric about its midpoint and flat beyond its ceiling. A least-squares fit
over the whole range therefore settles on a "ceiling" near where the data bend (about half of
1/t_ref), undershoots the data at the top of the range, and is too shallow at the onset. The
residuals are plotted and reported (fit_max_abs_dev, fit_end_residual, and fit_max_abs_z in
units of the standard error of the simulated rates): the misfit is systematic, the same smooth
pattern at every noise level.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np
from scipy.optimize import curve_fit
from scipy.special import expit

from spikeneuron import MembraneNoise, lif_rate, siegert_rate, simulate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import new_figure

NAME = "rate-sigmoid"
TITLE = ("Firing rate of the noisy LIF against mean input: Siegert formula, and what a "
         "logistic fit does and does not capture")
DESCRIPTION = __doc__.strip().splitlines()[0]
LESSON = """Left: noise turns the hard onset of the deterministic f–I curve (black) into a smooth
one, and the Siegert formula (lines) predicts the simulated rates (points) within
max_rel_error. Right and middle: a logistic c·sigmoid((μ − μ0)/s) captures that onset (μ0 near
threshold, s growing with σ) but not the rest of the curve: the LIF rate keeps rising slowly
towards 1/t_ref while the logistic levels off, so the residuals (right) are systematic,
largest at the onset and at the top of the range (fit_max_abs_dev, fit_end_residual). The
logistic is the bridge for spike probabilities (see sigmoid-bridge), not an exact rate law."""

PARAMETERS = (
    # A grid misses the threshold crossings a noisy trajectory makes and undoes between two
    # steps, which lowers the rate by an amount growing like √dt (Brunel & Hakim 1999): about
    # 5 % at 0.05 ms and 2–3 % at 0.02 ms near the onset, for the noise levels here.
    *lif_parameters(t_ref=5.0, dt=Parameter("dt", 0.02, "ms", "time step", positive=True, quick=0.05)),
    Parameter("noise_mv", (1.0, 3.0, 5.0), "mV", "membrane-noise standard deviations, one curve each",
              positive=True),
    Parameter("mu_min", -75.0, "mV", "lowest mean free potential"),
    Parameter("mu_max", -25.0, "mV", "highest mean free potential"),
    Parameter("n_mu", 41, "", "mean potentials between mu_min and mu_max", minimum=2, quick=21),
    Parameter("neurons_per_mu", 20, "", "neurons simulated at each mean potential", minimum=1,
              quick=8),
    Parameter("duration", 5000.0, "ms", "simulated time of each neuron", positive=True, quick=2000.0),
)
KEY_NUMBERS = (
    KeyNumber("max_rel_error", "", "largest |simulated − Siegert| / Siegert where the rate > 5 Hz"),
    KeyNumber("fit_ceiling", "1/t_ref", "fitted ceiling c of c·sigmoid((μ − μ0)/s), per noise level"),
    KeyNumber("fit_mu0_mv", "mV", "fitted midpoint μ0 per noise level"),
    KeyNumber("fit_scale_mv", "mV", "fitted logistic scale s per noise level"),
    KeyNumber("fit_max_abs_dev", "1/t_ref", "largest |fit − normalised rate| per noise level"),
    KeyNumber("fit_end_residual", "1/t_ref", "normalised rate − fit at the highest μ, per noise "
              "level: > 0 where the data keep rising past the logistic's ceiling"),
    KeyNumber("counting_noise_max", "1/t_ref", "largest standard error of a normalised simulated "
              "rate (spread over the neurons at one μ)"),
    KeyNumber("fit_max_abs_z", "", "largest |normalised rate − fit| / its standard error where "
              "the rate > 5 Hz: about 3 or less would be sampling noise"),
    KeyNumber("mu_mv", "mV", "mean free potentials"),
    KeyNumber("noise_mv", "mV", "the noise levels"),
    KeyNumber("rate_hz", "Hz", "simulated rates per noise level and μ"),
    KeyNumber("siegert_hz", "Hz", "Siegert (diffusion-approximation) rates"),
    KeyNumber("deterministic_rate_hz", "Hz", "rate without noise (closed form)"),
)
COLOURS = ["#1b9e77", "#d95f02", "#7570b3"]


def colours(n):
    """One colour per noise level (the palette repeats beyond three)."""
    return [COLOURS[i % len(COLOURS)] for i in range(n)]


def logistic(mu, ceiling, mu0, scale):
    """ceiling · sigmoid((mu − mu0)/scale)."""
    return ceiling * expit((mu - mu0) / scale)


def logistic_fit(mu, normalised_rate):
    """Least-squares fit of ceiling·sigmoid((mu − mu0)/s) to rates normalised by 1/t_ref."""
    start = (normalised_rate.max(), mu[np.argmin(np.abs(normalised_rate - normalised_rate.max() / 2))], 3.0)
    parameters, _ = curve_fit(logistic, mu, normalised_rate, p0=start, bounds=([0, -np.inf, 1e-3], [1, np.inf, np.inf]))
    return tuple(float(p) for p in parameters)


def run(context):
    p = context.parameters
    neuron = context.lif()
    mu = np.linspace(p.mu_min, p.mu_max, p.n_mu)  # mean free potential, mV
    current = (mu - neuron.v_rest) / neuron.r_m  # nA: the bias that sets mu
    repeats, duration, dt = p.neurons_per_mu, p.duration, p.dt
    max_rate = 1000.0 / neuron.t_ref

    deterministic = lif_rate(current, neuron)
    rates, predicted, fits, fit_deviation, standard_errors = [], [], [], [], []
    for sigma in p.noise_mv:
        noisy = neuron.with_(membrane_noise=MembraneNoise(sigma=sigma))
        result = simulate(noisy, duration=duration, dt=dt, current=np.repeat(current, repeats),
                          record_v=False, seed=context.seed)
        rates.append(result.rates.reshape(mu.size, repeats).mean(axis=1))
        # standard error of the mean rate from the spread over the neurons at each μ (with a
        # single neuron, the Poisson bound sqrt(count)/duration)
        per_neuron = result.rates.reshape(mu.size, repeats)
        standard_errors.append(per_neuron.std(axis=1, ddof=1) / np.sqrt(repeats) if repeats > 1
                               else np.sqrt(result.spike_counts) / (duration / 1000.0))
        predicted.append(siegert_rate(mu, sigma, neuron))
        fits.append(logistic_fit(mu, rates[-1] / max_rate))
        fit_deviation.append(np.abs(logistic(mu, *fits[-1]) - rates[-1] / max_rate).max())
        context.say(f"sigma {sigma:g} mV: {result.spike_counts.sum()} spikes")
    rates, predicted = np.array(rates), np.array(predicted)
    residuals = np.array([rate / max_rate - logistic(mu, *fit) for rate, fit in zip(rates, fits)])
    standard_errors = np.maximum(np.array(standard_errors), 1e-12) / max_rate
    counting_noise = float(standard_errors.max())
    measurable = rates > 5.0
    relative_error = np.abs(rates - predicted)[measurable] / predicted[measurable]
    max_rel_error = float(relative_error.max())
    # misfit in units of the sampling error, where the rate is measurable (> 5 Hz)
    max_abs_z = float(np.max(np.abs(residuals)[measurable] / standard_errors[measurable]))
    context.say(f"largest relative error against Siegert (rate > 5 Hz): {max_rel_error:.3f}")

    figure, (ax_rate, ax_norm, ax_residual) = new_figure(1, 3, width=17, height=4.8)
    # the deterministic curve on a fine grid, so that its hard onset at threshold is drawn as it is
    mu_fine = np.linspace(mu.min(), mu.max(), 2001)
    deterministic_fine = lif_rate((mu_fine - neuron.v_rest) / neuron.r_m, neuron)
    ax_rate.plot(mu_fine, deterministic_fine, "-", color="black", lw=2, label="σ = 0: deterministic f–I")
    for sigma, rate, siegert, colour in zip(p.noise_mv, rates, predicted, colours(len(rates))):
        ax_rate.plot(mu, siegert, "-", color=colour, lw=1.5, label=f"σ = {sigma:g} mV: Siegert")
        ax_rate.plot(mu, rate, "o", color=colour, ms=3.5, label=f"σ = {sigma:g} mV: simulated")
    ax_rate.axvline(neuron.v_th, color="#7f7f7f", ls=":", lw=1, label=f"threshold {neuron.v_th:g} mV")
    ax_rate.set_xlabel("mean free membrane potential μ (mV)")
    ax_rate.set_ylabel("firing rate (Hz)")
    ax_rate.set_title("Noise smooths the onset of firing")
    ax_rate.legend(fontsize="x-small", loc="upper left")
    ax_norm.plot(mu_fine, deterministic_fine / max_rate, "-", color="black", lw=2, label="σ = 0")
    for sigma, rate, (ceiling, mu0, scale), colour in zip(p.noise_mv, rates, fits, colours(len(rates))):
        ax_norm.plot(mu, rate / max_rate, "o", color=colour, ms=3.5, label=f"σ = {sigma:g} mV")
        ax_norm.plot(mu_fine, logistic(mu_fine, ceiling, mu0, scale), "--", color=colour, lw=1.2,
                     label=f"{ceiling:.2f}·sigmoid((μ + {-mu0:.1f})/{scale:.1f})")
    ax_norm.set_xlabel("mean free membrane potential μ (mV)")
    ax_norm.set_ylabel("rate × t_ref (fraction of 1/t_ref)")
    ax_norm.set_ylim(0, 0.7)
    ax_norm.set_title(f"Normalised by 1/t_ref = {max_rate:g} Hz: logistic fits level off")
    ax_norm.legend(fontsize="x-small", loc="upper left", ncols=2)
    ax_residual.axhline(0.0, color="#7f7f7f", lw=0.8)
    ax_residual.axvline(neuron.v_th, color="#7f7f7f", ls=":", lw=1, label=f"threshold {neuron.v_th:g} mV")
    for sigma, residual, error, colour in zip(p.noise_mv, residuals, standard_errors,
                                              colours(len(rates))):
        ax_residual.errorbar(mu, residual, yerr=2 * error, fmt="o-", color=colour, ms=3, lw=0.8,
                             capsize=2, label=f"σ = {sigma:g} mV (bars: ±2 standard errors)")
    ax_residual.set_xlabel("mean free membrane potential μ (mV)")
    ax_residual.set_ylabel("normalised rate − logistic fit (fraction of 1/t_ref)")
    ax_residual.set_title("Residuals: systematic, not counting noise")
    low, high = ax_residual.get_ylim()
    ax_residual.set_ylim(low, high + 0.45 * (high - low))  # room for the legend above the data
    ax_residual.legend(fontsize="x-small", loc="upper left")
    context.save_figure(figure, "rate_sigmoid.png",
                        "Left: simulated rates of the noisy LIF (points) against the Siegert "
                        "formula (lines) and the deterministic f–I curve (black), for three noise "
                        "levels σ. Middle: the same rates normalised by 1/t_ref with least-squares "
                        "logistic fits c·sigmoid((μ − μ0)/s) (dashed): they follow the smoothed "
                        "onset but level off at c ≈ "
                        f"{min(f[0] for f in fits):.2f}–{max(f[0] for f in fits):.2f} while the "
                        "rates keep rising. Right: data minus fit with ±2 standard errors of "
                        "the simulated rates; the residuals (up to "
                        f"{max(fit_deviation):.3f} of 1/t_ref, {max_abs_z:.0f} standard errors) "
                        "follow the same smooth pattern at every noise level: a misfit of the "
                        "shape, not sampling noise.")
    context.save_data("rates.npz", mu_mv=mu, current_na=current, rate_hz=rates,
                      siegert_hz=predicted, deterministic_hz=deterministic)
    return {
        "mu_mv": mu,
        "noise_mv": p.noise_mv,
        "rate_hz": rates,
        "siegert_hz": predicted,
        "deterministic_rate_hz": deterministic,
        "max_rel_error": max_rel_error,
        "fit_ceiling": [ceiling for ceiling, _, _ in fits],  # in units of 1/t_ref
        "fit_mu0_mv": [mu0 for _, mu0, _ in fits],
        "fit_scale_mv": [scale for _, _, scale in fits],
        "fit_max_abs_dev": [float(d) for d in fit_deviation],  # in units of 1/t_ref
        "fit_end_residual": [float(r[-1]) for r in residuals],
        "counting_noise_max": counting_noise,
        "fit_max_abs_z": max_abs_z,
    }

