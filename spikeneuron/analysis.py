"""Analysis of spike trains and closed-form rates: ISIs, CV, the LIF f–I curve, the Siegert rate,
the free membrane potential under Poisson input (Campbell's theorem)."""

import math

import numpy as np
from scipy.special import erf, erfcx

from . import _validation as check
from .exceptions import ValidationError

__all__ = ["isi", "cv_isi", "mean_isi_rate", "fano_factor", "synchrony", "lif_period", "lif_rate",
           "siegert_rate", "free_potential_moments"]


def _train(value, owner, name="spike_times"):
    """One spike train as a 1-D float array of finite, non-decreasing times (ms)."""
    if isinstance(value, (str, bytes)) or (hasattr(value, "dtype") and value.dtype.kind in "USOcb"):
        raise TypeError(f"The {name!r} parameter of {owner} must be a 1-D array of spike times "
                        f"(ms). Got {value!r} instead.")
    try:
        items = np.asarray(value)
    except ValueError:
        raise TypeError(f"The {name!r} parameter of {owner} must be a 1-D array of spike times "
                        f"(ms). Got a ragged sequence instead.") from None
    if items.dtype.kind not in "iuf" and items.size:
        raise TypeError(f"The {name!r} parameter of {owner} must be a 1-D array of spike times "
                        f"(ms). Got {value!r} instead.")
    times = check.finite_array(name, owner, items)
    if times.ndim != 1:
        check.shape_mismatch(name, owner, "(spikes,)", times.shape)
    if times.size > 1 and np.any(np.diff(times) < 0):
        check.fail(name, owner, "sorted in time (non-decreasing)", value)
    return times


def isi(spike_times):
    """Inter-spike intervals of one train, ms (empty for fewer than two spikes)."""
    return np.diff(_train(spike_times, "isi"))


def cv_isi(spike_times):
    """Coefficient of variation of the inter-spike intervals (std/mean); NaN below three spikes."""
    intervals = np.diff(_train(spike_times, "cv_isi"))
    if intervals.size < 2 or intervals.mean() == 0.0:
        return float("nan")
    return float(intervals.std() / intervals.mean())


def mean_isi_rate(spike_times_list):
    """Rate of each train from its mean inter-spike interval, Hz (0 for fewer than two spikes).

    Unlike a spike count over the run, this rate does not depend on where the run happens to
    stop within an interval. Trains whose spikes all fall at one time give 0 as well.
    """
    if isinstance(spike_times_list, (str, bytes)) or not hasattr(spike_times_list, "__len__"):
        raise TypeError(f"The 'spike_times_list' parameter of mean_isi_rate must be a list of spike "
                        f"trains (one array of times in ms per neuron). Got {spike_times_list!r} instead.")
    rates = np.zeros(len(spike_times_list))
    for i, times in enumerate(spike_times_list):
        times = _train(times, "mean_isi_rate", f"spike_times_list[{i}]")
        if times.size >= 2 and times[-1] > times[0]:
            rates[i] = 1000.0 * (times.size - 1) / (times[-1] - times[0])
    return rates


def _binned_counts(spike_times_list, duration, bin_ms, owner, bin_name):
    """Spike counts of each train in consecutive bins of [0, duration), shape (neurons, bins)."""
    if isinstance(spike_times_list, (str, bytes)) or not hasattr(spike_times_list, "__len__"):
        raise TypeError(f"The 'spike_times_list' parameter of {owner} must be a list of spike "
                        f"trains (one array of times in ms per neuron). Got {spike_times_list!r} instead.")
    if len(spike_times_list) == 0:
        check.fail("spike_times_list", owner, "a non-empty list of spike trains", spike_times_list)
    duration = check.positive("duration", owner, duration)
    bin_ms = check.positive(bin_name, owner, bin_ms)
    n_bins = int(math.floor(duration / bin_ms + 1e-9))
    if n_bins < 2:
        check.fail(bin_name, owner, f"at most half the duration ({duration:g} ms)", bin_ms)
    counts = np.zeros((len(spike_times_list), n_bins))
    for i, times in enumerate(spike_times_list):
        times = _train(times, owner, f"spike_times_list[{i}]")
        index = np.floor(times / bin_ms + 1e-9).astype(np.int64)
        index = index[(index >= 0) & (index < n_bins)]
        np.add.at(counts[i], index, 1.0)
    return counts


def fano_factor(spike_times_list, duration, *, window_ms=100.0):
    """Mean Fano factor of the spike counts in consecutive windows: for each neuron with at
    least one spike, the variance of its counts over the mean (1 for a Poisson process, 0 for a
    clock whose period divides the window), averaged over those neurons.

    Parameters
    ----------
    spike_times_list : list of array-like
        One spike train per neuron, times in ms.
    duration : float
        Length of the run, ms: the windows tile [0, duration).
    window_ms : float
        Counting window, ms (at most half the duration).

    Returns
    -------
    float
        The mean Fano factor (NaN when no neuron fired).
    """
    counts = _binned_counts(spike_times_list, duration, window_ms, "fano_factor", "window_ms")
    means = counts.mean(axis=1)
    fired = means > 0
    if not fired.any():
        return float("nan")
    return float(np.mean(counts[fired].var(axis=1, ddof=1) / means[fired]))


def synchrony(spike_times_list, duration, *, bin_ms=5.0):
    """Synchrony χ of a population (Golomb 2007), from spike counts in bins: χ² is the
    variance over time of the population's mean count over the mean of the neurons' own
    variances. χ = 1 when all neurons fire together; for N independent neurons χ ≈ 1/√N.

    Parameters
    ----------
    spike_times_list : list of array-like
        One spike train per neuron, times in ms.
    duration : float
        Length of the run, ms: the bins tile [0, duration).
    bin_ms : float
        Bin width, ms (at most half the duration).

    Returns
    -------
    float
        χ in [0, 1] (NaN when no neuron's count varies).
    """
    counts = _binned_counts(spike_times_list, duration, bin_ms, "synchrony", "bin_ms")
    own = counts.var(axis=1).mean()
    if own == 0.0:
        return float("nan")
    return float(math.sqrt(counts.mean(axis=0).var() / own))


def lif_period(current, model, *, dt=None):
    """Inter-spike interval of the deterministic LIF under a constant current, ms.

    T = t_ref + tau_m ln((r_m I + v_rest - v_reset) / (r_m I + v_rest - v_th)) when the steady
    state v_rest + r_m I lies above v_th; infinite otherwise. With ``dt`` (ms), the period of
    the time-stepped neuron instead: refractory steps plus the whole steps needed to reach v_th.

    Parameters
    ----------
    current : float or array-like
        Constant injected current, nA.
    model : LIF
    dt : float, optional
        Time step, ms.
    """
    return _lif_period(current, model, dt, "lif_period")


def _lif_period(current, model, dt, owner):
    if not hasattr(model, "r_m") or isinstance(model, type):
        raise TypeError(f"The 'model' parameter of {owner} must be an LIF model instance. "
                        f"Got {model!r} instead.")
    try:
        kind = np.asarray(current).dtype.kind
    except ValueError:
        kind = "O"  # ragged
    if kind not in "iuf":  # strings, booleans, complex numbers are not currents
        raise TypeError(f"The 'current' parameter of {owner} must be real numbers (nA). "
                        f"Got {current!r} instead.")
    current = check.finite_array("current", owner, current)
    with np.errstate(over="ignore"):  # r_m I may overflow to inf: the period is then t_ref
        excess = model.r_m * current + (model.v_rest - model.v_th)  # steady state above v_th, mV
    above = excess > 0
    # ln((excess + v_th - v_reset) / excess) as log1p: exact for huge currents, where the
    # quotient of two nearly equal large numbers would lose every digit (or be inf/inf).
    free_time = model.tau_m * np.log1p((model.v_th - model.v_reset) / np.where(above, excess, 1.0))
    if dt is None:
        period = model.t_ref + free_time
    else:
        dt = check.positive("dt", owner, dt)
        # at least one step: after the refractory steps the neuron must integrate once to fire
        steps = np.maximum(np.ceil(free_time / dt - 1e-9), 1.0)
        period = (model.refractory_steps(dt) + steps) * dt
    return np.where(above, period, np.inf)


def lif_rate(current, model, *, dt=None):
    """Closed-form f–I curve of the deterministic LIF neuron, Hz.

    The firing rate 1000 / T(I) under a constant current I (nA), where T is the period of
    :func:`lif_period`; zero at or below the rheobase current (v_th - v_rest) / r_m.

    Parameters
    ----------
    current : float or array-like
        Constant injected current, nA.
    model : LIF
    dt : float, optional
        Time step, ms: gives the rate of the neuron simulated on that grid, whose period is
        rounded up to whole steps.

    Examples
    --------
    >>> from spikeneuron import LIF, lif_rate
    >>> round(float(lif_rate(2.0, LIF())), 2)   # 20 mV drive, threshold 15 mV above rest: T = 2 + 10 ln 4 ms
    63.04
    """
    period = _lif_period(current, model, dt, "lif_rate")
    rate = np.where(np.isfinite(period), 1000.0 / np.where(np.isfinite(period), period, 1.0), 0.0)
    return rate if rate.ndim else float(rate)


def siegert_rate(mu, sigma, model):
    """Mean firing rate of the LIF neuron under noisy input, diffusion approximation, Hz.

    When the input is many small, independent synaptic events (delta synapses), the membrane
    potential is a diffusion (Ornstein–Uhlenbeck) process, and the neuron's stationary rate
    is the first-passage result of Siegert (1951), in the form of Brunel (2000)::

        1/rate = t_ref + tau_m sqrt(pi) ∫_{y_r}^{y_th} e^{u²} (1 + erf u) du,
        y_th = (v_th - mu) / (sigma sqrt 2),   y_r = (v_reset - mu) / (sigma sqrt 2).

    Convention: ``mu`` and ``sigma`` are the stationary mean and standard deviation of the
    *free* membrane potential (the potential with the threshold removed). Brunel writes the
    dynamics as tau dV = (-V + mu) dt + sigma_B sqrt(tau) dW, whose stationary variance is
    sigma_B²/2, so his sigma_B is sqrt(2)·sigma: hence the sqrt 2 in the bounds above. For
    Poisson inputs of rates r_i (1/ms) and weights w_i (mV) onto the default delta synapse,
    Campbell's theorem gives mu = v_rest + tau_m Σ r_i w_i and sigma² = (tau_m/2) Σ r_i w_i²
    (plus r_m·I in mu for an injected current I). The approximation assumes ``|w_i| << sigma``
    and ignores synaptic time constants.

    As sigma → 0 the rate tends to that of the deterministic neuron with r_m·I = mu - v_rest
    (:func:`lif_rate`), which is returned for sigma = 0: zero for mu <= v_th.

    Parameters
    ----------
    mu : float or array-like
        Mean of the free membrane potential, mV.
    sigma : float or array-like
        Standard deviation of the free membrane potential, mV (>= 0); broadcast with ``mu``.
    model : LIF
        Uses tau_m (ms), t_ref (ms), v_th and v_reset (mV).

    Returns
    -------
    float or ndarray
        Firing rate, Hz; the broadcast shape of ``mu`` and ``sigma`` (a float for scalars).
        Rates below the smallest positive double (about 1e-308 Hz) are returned as 0.

    Raises
    ------
    ValueError
        (ValidationError) for NaN/infinite values, a negative ``sigma`` or shapes that do not
        broadcast.

    Examples
    --------
    >>> from spikeneuron import LIF, siegert_rate
    >>> round(siegert_rate(-56.0, 2.0, LIF()), 2)   # mean 1 mV below threshold: noise makes it fire
    27.97
    """
    owner = "siegert_rate"
    if not hasattr(model, "tau_m") or isinstance(model, type):
        raise TypeError(f"The 'model' parameter of {owner} must be an LIF model instance. "
                        f"Got {model!r} instead.")
    mu = check.finite_array("mu", owner, mu)
    sigma = check.finite_array("sigma", owner, sigma)
    if sigma.size and sigma.min() < 0:
        check.fail("sigma", owner, "non-negative (mV)", float(sigma.min()))
    try:
        mu, sigma = np.broadcast_arrays(mu, sigma)
    except ValueError:
        raise ValidationError(f"The 'mu' and 'sigma' parameters of {owner} must have shapes "
                              f"that broadcast together. Got shapes {mu.shape} and "
                              f"{sigma.shape} instead.") from None
    rate = np.empty(mu.shape)
    for index in np.ndindex(mu.shape):
        rate[index] = _siegert_rate_one(float(mu[index]), float(sigma[index]), model)
    return rate if rate.ndim else float(rate)


def _siegert_integrand(u, shift):
    """e^{u² - shift} (1 + erf u), evaluated without overflow or cancellation."""
    if u <= 0.0:
        # e^{u²}(1 + erf u) = erfcx(-u), bounded by 1 where e^{u²} alone would overflow.
        return erfcx(-u) * math.exp(-shift)
    return math.exp(u * u - shift) * (1.0 + erf(u))


#: Beyond this |u| erfcx(|u|) is integrated by its asymptotic series (relative error < 1e-11).
_ASYMPTOTIC = 30.0


def _erfcx_integral(t):
    """An antiderivative of erfcx(t) for t >= 30: (1/√π)(ln t + 1/(4t²) − 3/(16t⁴) + 5/(16t⁶))."""
    inverse_square = 1.0 / (t * t)
    return (math.log(t) + inverse_square * (0.25 + inverse_square * (-3.0 / 16.0 + inverse_square * 5.0 / 16.0))) / math.sqrt(math.pi)  # noqa: E501


def _siegert_rate_one(mu, sigma, model):
    if sigma == 0.0:
        if mu <= model.v_th:
            return 0.0
        free_time = model.tau_m * math.log((mu - model.v_reset) / (mu - model.v_th))
        return 1000.0 / (model.t_ref + free_time)
    scale = sigma * math.sqrt(2.0)
    y_th = (model.v_th - mu) / scale
    y_r = (model.v_reset - mu) / scale
    # Far below threshold the integral grows like e^{y_th²}: factor it out, so that
    # rate = e^{-shift} / (t_ref e^{-shift} + tau_m sqrt(pi) ∫ e^{u² - shift}(1 + erf u) du).
    shift = y_th * y_th if y_th > 0.0 else 0.0
    damping = math.exp(-shift)
    if damping == 0.0:
        return 0.0
    # Far below 0 the integrand is erfcx(|u|) = (1/√π)(1/|u| − 1/(2|u|³) + ...): that part,
    # which grows only like ln|y_r| (weak noise, sigma → 0), is integrated in closed form
    # instead of by quadrature over an interval of length |y_r|.
    tail = 0.0
    if y_r < -_ASYMPTOTIC:
        upper = min(-_ASYMPTOTIC, y_th)
        tail = (_erfcx_integral(-y_r) - _erfcx_integral(-upper)) * damping
        y_r = upper
    # The scaled integrand then peaks in a layer of width ~1/y_th below y_th: break there.
    breaks = [y_th - 10.0 / y_th, y_th - 1.0 / y_th] if y_th > 1.0 else []
    bounds = [y_r, *sorted(b for b in breaks if b > y_r), y_th]
    from scipy.integrate import quad  # imported on use: scipy.integrate is slow to import and most runs never need it

    integral = tail + sum(quad(_siegert_integrand, lo, hi, args=(shift,), epsabs=0.0,
                               epsrel=1e-11, limit=500)[0]
                          for lo, hi in zip(bounds[:-1], bounds[1:]) if hi > lo)
    per_ms = damping / (model.t_ref * damping + model.tau_m * math.sqrt(math.pi) * integral)
    return 1000.0 * per_ms


def free_potential_moments(rates_hz, weights, model, *, current=0.0):
    """Mean and standard deviation of the free membrane potential under Poisson inputs, mV.

    The free potential is the LIF's potential with the threshold removed. Under independent
    Poisson inputs of rates r_i onto synapses of signed weights w_i it is shot noise, whose
    stationary moments are Campbell's theorem: mean = v_rest + r_m·I + Σ_i r_i ∫h_i and
    variance = Σ_i r_i ∫h_i², with h_i the post-synaptic potential of one input spike. For
    the model's synapse:

    * delta (w in mV): h(t) = w e^{−t/τ_m}, so ∫h = w τ_m and ∫h² = w² τ_m/2;
    * exponential (q in nA, decay τ_s = ``tau_ex`` for q > 0, ``tau_in`` for q < 0):
      h(t) = r_m q τ_s (e^{−t/τ_m} − e^{−t/τ_s})/(τ_m − τ_s), so ∫h = r_m q τ_s and
      ∫h² = (r_m q τ_s)²/(2(τ_m + τ_s)).

    These are the ``mu`` and ``sigma`` that :func:`siegert_rate` takes. They hold for the
    continuous-time process; the threshold, the reset, membrane noise and the time grid are
    not part of them.

    Parameters
    ----------
    rates_hz : array-like, shape (sources,)
        Rate of each Poisson input, Hz (>= 0).
    weights : array-like or scipy.sparse matrix, shape (sources,) or (sources, n)
        Signed weights, in the model's synapse unit (mV for delta, nA for exponential
        synapses): one column per neuron, or a vector for one neuron.
    model : LIF
        Uses v_rest (mV), tau_m (ms), r_m (MΩ) and the synapse.
    current : float or array-like, shape (n,)
        Constant injected current, nA.

    Returns
    -------
    mean_mv, std_mv : float or ndarray, shape (n,)
        Stationary mean and standard deviation of the free potential, mV (floats for a
        weight vector).

    Raises
    ------
    ValueError
        (ValidationError) for negative or non-finite rates, non-finite weights or currents,
        and shapes that do not match.

    Examples
    --------
    >>> from spikeneuron import LIF, free_potential_moments
    >>> mean, std = free_potential_moments([1000.0, 500.0], [0.5, -1.0], LIF())
    >>> round(mean, 3), round(std, 3)        # -70 + 10 ms·(1·0.5 − 0.5·1) mV; √(5·(0.25 + 0.5))
    (-70.0, 1.936)
    """
    import scipy.sparse

    from .models.lif import LIF
    from .synapses import ExpSynapse

    owner = "free_potential_moments"
    if not isinstance(model, LIF):
        check.wrong_type("model", owner, "an LIF model instance", model)
    rates = check.finite_array("rates_hz", owner, rates_hz)
    if rates.ndim != 1:
        check.shape_mismatch("rates_hz", owner, "(sources,)", rates.shape)
    if rates.size and rates.min() < 0:
        check.fail("rates_hz", owner, "rates >= 0 Hz", float(rates.min()))
    if scipy.sparse.issparse(weights):
        matrix = scipy.sparse.csr_matrix(weights, dtype=float)
        if matrix.nnz and not np.all(np.isfinite(matrix.data)):
            check.fail("weights", owner, "finite everywhere (no NaN or infinity)",
                       "a sparse matrix with non-finite entries")
        single = False
    else:
        matrix = check.finite_array("weights", owner, weights)
        single = matrix.ndim == 1
        if single:
            matrix = matrix[:, None]
    if matrix.ndim != 2 or matrix.shape[0] != rates.size:
        check.shape_mismatch("weights", owner, f"({rates.size},) or ({rates.size}, n), one row "
                             "per rate", matrix.shape)
    current = check.finite_array("current", owner, current)
    if current.shape not in ((), (matrix.shape[1],)):
        check.shape_mismatch("current", owner, f"() or ({matrix.shape[1]},)", current.shape)
    per_ms = rates / 1000.0
    tau_m = model.tau_m
    if isinstance(model.synapse, ExpSynapse):
        # Each sign has its own decay: split the weights, then ∫h and ∫h² per part.
        parts = []
        for tau_s, part in ((model.synapse.tau_ex, _positive_part(matrix)),
                            (model.synapse.tau_in, -_positive_part(-matrix))):
            area = model.r_m * tau_s * part
            parts.append((area, _squared(area) / (2.0 * (tau_m + tau_s))))
        drift = sum(_transpose_times(area, per_ms) for area, _ in parts)
        variance = sum(_transpose_times(square, per_ms) for _, square in parts)
    else:
        drift = tau_m * _transpose_times(matrix, per_ms)
        variance = tau_m / 2.0 * _transpose_times(_squared(matrix), per_ms)
    with np.errstate(over="ignore", invalid="ignore"):
        mean = model.v_rest + model.r_m * current + drift
        std = np.sqrt(variance)
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std))):
        check.fail("weights", owner, "weights and rates whose mean and variance are finite "
                   "numbers", "values that overflow")
    if single:
        return float(mean[0]), float(std[0])
    return mean, std


def _positive_part(matrix):
    return matrix.maximum(0.0) if hasattr(matrix, "maximum") else np.maximum(matrix, 0.0)


def _squared(matrix):
    return matrix.multiply(matrix) if hasattr(matrix, "multiply") else matrix**2


def _transpose_times(matrix, vector):
    """matrixᵀ·vector as a dense 1-D array (dense or sparse matrix)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(matrix.T @ vector).ravel()
