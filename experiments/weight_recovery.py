"""Weight recovery: maximum-likelihood fit of an escape-noise LIF's signed weights to its own spikes.

An LIF with escape noise (hazard exp((V − v_th)/Δu)/τ_esc) and a constant current receives
Poisson inputs through delta synapses of known signed weights (w_i = w_max·u_i³ for u_i evenly
spaced in [−1, 1]: a few strong, many weak, half inhibitory). ``simulate`` produces its output
spikes; ``SpikeTrainFit`` recovers the weights and the drive r_m·I from the input and output
spikes alone (Paninski 2004), once with the escape link and once with the logistic link on the
same design. Checks: every |fitted − true| / standard error is small (max |z| < 4 is expected
with 20 or 40 weights), the time-rescaled intervals are uniform (KS, Brown et al. 2002), and the
error shrinks like 1/sqrt(recording length). The default (20 s, 20 inputs) shows this in a few
seconds; ``--set duration=100000 --set n_inputs=40 --set n_lengths=4`` is the full study.
"""

if __name__ == "__main__":  # run as a file: the command line runs it (Ctrl-C answered at once)
    from _spikeneuron_launcher import run_file

    raise SystemExit(run_file(__file__))

import numpy as np

from spikeneuron import EscapeNoise, SpikeTrainFit, poisson_inputs, simulate
from spikeneuron.lab import KeyNumber, Parameter, lif_parameters
from spikeneuron.plotting import EXCITATORY, INHIBITORY, NEUTRAL, new_figure

NAME = "weight-recovery"
TITLE = "A spiking neuron's dendritic weights recovered by maximum likelihood from its spikes"
DESCRIPTION = __doc__.strip().splitlines()[0]

PARAMETERS = (
    *lif_parameters(),
    # 20 s and 20 inputs show the point in a few seconds (about 200 output spikes, every weight
    # within a few standard errors); the full study is duration=100000, n_inputs=40, n_lengths=4.
    Parameter("duration", 20_000.0, "ms", "recorded time (the full study: 100000 ms)", positive=True,
              quick=10_000.0),
    Parameter("n_inputs", 20, "", "number of Poisson input sources (the full study: 40)", minimum=1),
    Parameter("input_rate", 10.0, "Hz", "rate of every input", positive=True),
    Parameter("max_weight", 4.0, "mV", "largest |weight|", positive=True),
    Parameter("current", 1.0, "nA", "constant injected current (fitted as bias r_m·I)"),
    Parameter("delta_u", 2.0, "mV", "escape-noise softness Δu", positive=True),
    Parameter("tau_esc", 10.0, "ms", "escape-noise time constant at threshold", positive=True),
    Parameter("n_lengths", 3, "", "recording lengths (fractions of duration) of the error curve",
              minimum=1),
)
KEY_NUMBERS = (
    KeyNumber("true_weights_mv", "mV", "the weights that generated the spikes"),
    KeyNumber("fitted_weights_mv", "mV", "maximum-likelihood weights (escape link)"),
    KeyNumber("weight_errors_mv", "mV", "standard errors from the inverse Hessian"),
    KeyNumber("max_abs_z", "", "largest |fitted − true| / standard error over the weights"),
    KeyNumber("ks_statistic", "", "KS distance of the time-rescaled intervals from uniform"),
    KeyNumber("ks_critical_95", "", "1.36/sqrt(spikes): the KS statistic's 95 % bound"),
    KeyNumber("logistic_link_correlation", "", "correlation of logistic-link and escape-link weights"),
    KeyNumber("logistic_link_sign_agreement", "", "fraction of weights with the true sign (logistic link)"),
    KeyNumber("escape_link_sign_agreement", "", "the same for the escape link (weak weights: noise)"),
    KeyNumber("logistic_link_sign_agreement_strong", "",
              "logistic-link sign agreement over weights larger than two standard errors"),
    KeyNumber("bias_mv", "mV", "fitted constant drive (true: r_m·current)"),
    KeyNumber("output_spikes", "spikes", "spikes of the neuron in the recording"),
    KeyNumber("rms_error_mv", "mV", "rms weight error at each recording length"),
)


def run(context):
    p = context.parameters
    neuron = context.lif(escape_noise=EscapeNoise(delta_u=p.delta_u, tau_esc=p.tau_esc))
    true_weights = p.max_weight * np.linspace(-1.0, 1.0, p.n_inputs) ** 3
    inputs = poisson_inputs([p.input_rate] * p.n_inputs, p.duration, seed=context.seed, dt=p.dt)
    result = simulate(neuron, duration=p.duration, dt=p.dt, inputs=inputs, weights=true_weights,
                      current=p.current, seed=context.seed, record_v=False)
    spikes = result.spike_times[0]
    context.say(f"{spikes.size} output spikes in {p.duration / 1000:g} s")

    fit = SpikeTrainFit(neuron).fit(inputs, spikes, duration=p.duration, dt=p.dt, current=None)
    logistic = SpikeTrainFit(neuron, link="logistic").fit(inputs, spikes, duration=p.duration, dt=p.dt)
    z = (fit.weights_ - true_weights) / fit.weight_errors_
    correlation = float(np.corrcoef(logistic.weights_, fit.weights_)[0, 1])
    sign_agreement = float(np.mean(np.sign(logistic.weights_) == np.sign(true_weights)))
    escape_sign_agreement = float(np.mean(np.sign(fit.weights_) == np.sign(true_weights)))
    strong = np.abs(true_weights) > 2 * fit.weight_errors_
    context.say(f"max |z| {np.abs(z).max():.2f}, KS {fit.ks_statistic_:.4f}, bias "
                f"{fit.bias_:.2f} ± {fit.bias_error_:.2f} mV (true {neuron.r_m * p.current:g}); "
                f"logistic link: correlation {correlation:.5f}, signs {sign_agreement:.3f}")

    # Error against recording length: the same recording cut short.
    # from a quarter of the recording: shorter parts hold too few spikes for the asymptotic
    # standard errors (and the 1/sqrt(length) law) to apply
    lengths = p.duration * np.geomspace(0.25, 1.0, p.n_lengths) if p.n_lengths > 1 else np.array([p.duration])
    rms_error, median_se = [], []
    for length in lengths:
        length = float(np.floor(length / p.dt) * p.dt)
        part = [train[train <= length] for train in inputs]
        short = fit if length >= p.duration else SpikeTrainFit(neuron).fit(
            part, spikes[spikes <= length], duration=length, dt=p.dt)
        rms_error.append(float(np.sqrt(np.mean((short.weights_ - true_weights) ** 2))))
        median_se.append(float(np.median(short.weight_errors_)))

    plot(context, true_weights, fit, logistic, lengths, rms_error, median_se)
    context.save_data("weight_recovery.npz", true_weights_mv=true_weights,
                      fitted_weights_mv=fit.weights_, weight_errors_mv=fit.weight_errors_,
                      logistic_weights_mv=logistic.weights_, output_spikes_ms=spikes,
                      rescaled_intervals=fit.rescaled_intervals(), lengths_ms=lengths,
                      rms_error_mv=rms_error)
    return {
        "true_weights_mv": true_weights,
        "fitted_weights_mv": fit.weights_,
        "weight_errors_mv": fit.weight_errors_,
        "max_abs_z": float(np.abs(z).max()),
        "ks_statistic": fit.ks_statistic_,
        "ks_critical_95": float(1.36 / np.sqrt(fit.n_spikes_)),
        "logistic_link_correlation": correlation,
        "logistic_link_sign_agreement": sign_agreement,
        "escape_link_sign_agreement": escape_sign_agreement,
        "logistic_link_sign_agreement_strong": float(np.mean(
            np.sign(logistic.weights_[strong]) == np.sign(true_weights[strong]))),
        "logistic_weights_mv": logistic.weights_,
        "bias_mv": fit.bias_,
        "bias_error_mv": fit.bias_error_,
        "true_bias_mv": neuron.r_m * p.current,
        "output_spikes": int(spikes.size),
        "lengths_ms": lengths,
        "rms_error_mv": rms_error,
        "median_standard_error_mv": median_se,
        "newton_iterations": fit.n_iter_,
    }


def plot(context, true_weights, fit, logistic, lengths, rms_error, median_se):
    figure, (ax_w, ax_ks, ax_len) = new_figure(1, 3, width=15, height=4.4)
    limit = 1.1 * np.abs(true_weights).max()
    ax_w.plot([-limit, limit], [-limit, limit], ":", color="black", lw=1, label="fitted = true")
    ax_w.errorbar(true_weights, fit.weights_, yerr=fit.weight_errors_, fmt="o", ms=4,
                  color=EXCITATORY, capsize=2, label="escape link ± 1 s.e.")
    ax_w.plot(true_weights + 0.06 * limit, logistic.weights_, "s", ms=3.5, mfc="none",
              color=INHIBITORY, label="logistic link (shifted right)")
    ax_w.set_xlabel("true weight (mV)")
    ax_w.set_ylabel("fitted weight (mV)")
    ax_w.set_title("Weights from the spikes")
    ax_w.legend(loc="upper left", fontsize="small")

    rescaled = fit.rescaled_intervals()
    n = rescaled.size
    quantiles = (np.arange(1, n + 1) - 0.5) / n
    band = 1.36 / np.sqrt(n)
    ax_ks.plot([0, 1], [0, 1], "-", color="black", lw=1)
    ax_ks.fill_between([0, 1], [-band, 1 - band], [band, 1 + band], color=NEUTRAL, alpha=0.2,
                       label="95 % KS band")
    ax_ks.plot(quantiles, rescaled, "-", color=EXCITATORY, lw=1.5,
               label=f"rescaled ISIs (KS = {fit.ks_statistic_:.3f})")
    ax_ks.set_xlim(0, 1)
    ax_ks.set_ylim(0, 1)
    ax_ks.set_xlabel("uniform quantile")
    ax_ks.set_ylabel("empirical quantile of rescaled ISI")
    ax_ks.set_title("Time-rescaling goodness of fit")
    ax_ks.legend(loc="upper left", fontsize="small")

    seconds = np.asarray(lengths) / 1000.0
    ax_len.loglog(seconds, rms_error, "o-", color=EXCITATORY, label="rms |fitted − true|")
    ax_len.loglog(seconds, median_se, "s--", color=NEUTRAL, label="median standard error")
    ax_len.loglog(seconds, rms_error[-1] * np.sqrt(seconds[-1] / seconds), ":", color="black",
                  label="∝ 1/sqrt(length)")
    ax_len.set_xlabel("recording length (s)")
    ax_len.set_ylabel("weight error (mV)")
    ax_len.set_title("Error shrinks with recording length")
    ax_len.legend(loc="upper right", fontsize="small")
    context.save_figure(figure, "weight_recovery.png",
                        "Left: fitted against true weights (mV), escape link with ±1 standard "
                        "error, logistic link beside it. Middle: KS plot of the time-rescaled "
                        "inter-spike intervals with the 95 % band. Right: rms weight error and "
                        "median standard error against recording length (log-log), with a "
                        "1/sqrt(length) line.")

