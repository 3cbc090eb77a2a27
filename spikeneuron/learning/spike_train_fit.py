"""Maximum-likelihood dendritic weights of an LIF neuron with escape noise (Paninski 2004).

Between two output spikes the potential of an LIF with delta synapses is linear in its
weights, and every reset wipes the past. Given the observed output spikes, the potential at
grid step j after the last reset (grid step r, where V = v_reset) is therefore exactly

    V_j = v_rest + (v_start − v_rest) e^{−(j−r)h/τ} + b (1 − e^{−(j−r)h/τ}) + o_j + Σ_i w_i x_ij,
    x_ij = Σ_{r < m <= j} e^{−(j−m)h/τ} n_im,

with h = dt, τ = tau_m, n_im the spikes of input i acting at step m (moved up to the grid as
``simulate`` does), b = r_m·I the constant drive (mV; it too starts afresh at the reset) and
o_j the known effect of an injected ``current``. Before the first spike, r = 0, v_start =
v_rest and the inputs count from step 0 (``simulate`` applies them to the initial state).
The last reset r is the end of the refractory period, spike step + round(t_ref/dt): inputs at
steps up to r are discarded, and the neuron cannot fire at those steps, so they are left out.

With λ_j = ρ(V_j)·dt = exp(η_j), η_j = (V_j − v_th)/Δu + log(dt/τ_esc), a step fires with
probability 1 − e^{−λ_j}, so the log-likelihood Σ_spikes log(1 − e^{−λ_j}) − Σ_silent λ_j is
concave in (w, b): it is minimised exactly by Newton's method with a trust region.
"""

import math
import warnings

import numpy as np
import scipy.sparse
import scipy.special

from .. import _kernels, _parallel
from .. import _validation as check
from .._progress import ProgressBar, progress_wanted
from ..engine import _CurrentDrive, _time_grid
from ..exceptions import ConvergenceWarning, NotFittedError
from ..inputs import _ON_GRID_STEPS, grid_steps, spike_trains
from ..models.lif import LIF
from ..synapses import DeltaSynapse

__all__ = ["SpikeTrainFit"]

_OWNER = "SpikeTrainFit"
_LINKS = ("escape", "logistic")
#: Design entries (rows × columns) held in memory at once; above it, chunks are rebuilt.
_MAX_DESIGN_ELEMENTS = 2**23
_CHUNK_ELEMENTS = 2**20


class SpikeTrainFit:
    """Maximum-likelihood signed dendritic weights of an LIF neuron from its output spikes.

    Parameters
    ----------
    model : LIF
        The neuron: delta synapses and an ``EscapeNoise``; its other parameters (tau_m,
        v_rest, v_reset, v_th, t_ref) are taken as known.
    link : {'escape', 'logistic'}
        'escape': the exact likelihood of ``simulate``'s escape noise, per-step firing
        probability 1 − exp(−e^η). 'logistic': the same design rows (the PSP-filtered inputs,
        one row per grid step the neuron could fire in, spike or not) fitted by logistic
        regression, probability sigmoid(η), with the same linear predictor
        η = (V − v_th)/Δu + log(dt/τ_esc): a logistic neuron whose features are the filtered
        inputs divided by Δu. Per-step probabilities are small, where sigmoid(η) ≈ e^η ≈
        1 − exp(−e^η), so both links give nearly the same weights; their logistic
        coefficients per mV of filtered input are the weights divided by Δu.
    l2 : float
        L2 penalty (mV⁻²) on the weights, added as (l2/2)·||w||² to the negative
        log-likelihood (the bias is not penalised); >= 0.
    max_iter : int
        Most Newton iterations (>= 1); a fit that reaches it warns (``ConvergenceWarning``).
    backend : None, 'numpy' or 'numba'
        How the Hessian of the event likelihood (20 sources or more) is summed: 'numpy' (the
        reference, dense blocks) or 'numba' (compiled, pair by pair; the extra
        ``spikeneuron[fast]``); the same result to round-off. None (default) takes numba
        when it is installed (or ``$SPIKENEURON_BACKEND``), as ``simulate`` does.

    Attributes
    ----------
    weights_ : ndarray, shape (sources,)
        Fitted signed weights, mV (the jump of V per input spike).
    bias_ : float
        Fitted constant drive, mV added to v_rest (r_m·I for a constant current I).
    weight_errors_ : ndarray, shape (sources,)
        Standard errors of ``weights_`` from the inverse Hessian, mV; infinite for a weight
        the recording does not identify (see ``unidentified_``).
    bias_error_ : float
        Standard error of ``bias_``, mV.
    covariance_ : ndarray, shape (sources + 1, sources + 1)
        Covariance of (weights, bias), mV²; NaN in the rows and columns of unidentified
        parameters (infinite on the diagonal).
    unidentified_ : ndarray of int
        Parameters (input indices; ``sources`` is the bias) that the recording does not
        identify, each named in a warning: silent inputs (no spike acts on a step where the
        neuron could fire; weight shown 0), collinear ones (e.g. identical trains: only their
        sum is identified; the fit shows the minimum-norm split), and weights that run off
        towards infinity (no maximum, ``converged_`` False).
    converged_ : bool
        Whether Newton's method reached the maximum: False, with a ``ConvergenceWarning``,
        at the iteration cap, on divergence or when the likelihood has no maximum.
    log_likelihood_ : float
        Log-likelihood of the observed spikes at the fitted values (without the penalty).
    n_iter_ : int
        Newton iterations of the optimiser.
    ks_statistic_ : float
        Kolmogorov–Smirnov distance of the time-rescaled inter-spike intervals from the
        uniform distribution (Brown et al. 2002; discrete-time version of Haslinger et al.
        2010); about 1.36/sqrt(spikes) or less at 95 % for a good model.
    n_spikes_ : int
        Observed output spikes.

    Notes
    -----
    Cost. Write R for the rows (grid steps the neuron could fire in, about duration/dt:
    10⁶ for 100 s at dt = 0.1 ms), p = sources + 1 for the parameters, E for the input
    events (input spikes that reach such a row: duration × the summed input rate) and P for
    the event pairs within one inter-spike segment (about E·Λ/ν for a summed input rate Λ
    and an output rate ν; pairs more than 72 tau_m apart are dropped, eps² of a term).
    Newton's method takes 5 to 10 iterations, each with one Hessian and one solve.

    * Below 20 sources the rows are a dense design (up to 2²³ entries, 64 MB, rebuilt chunk
      by chunk beyond): R·p² multiply-adds per Hessian.
    * From 20 sources on the likelihood is computed from the events: a value or gradient
      costs O(R + E); a Hessian P multiply-adds on the 'numba' backend (pair by pair over
      both cores, about 2.5 ns of CPU each) or E·(p + block) on 'numpy' (dense blocks of min(sources, 2²²/sources)
      events, at least 128).
    * From 200 parameters on each iteration factorises the Hessian once (Cholesky, p³/3;
      below, scipy's trust-exact takes several per iteration), and from 1000 on the standard
      errors take a Cholesky and Lanczos check of full rank and one inverse (p³) instead of
      an eigendecomposition (9p³), which is kept for rank-deficient recordings only.
    * Memory: O(R + E) vectors (about 8·(10 R + 5 E) bytes) and up to about ten (p × p)
      matrices at once while the standard errors are computed, 8 p² bytes each (200 MB at
      5000 sources).

    Measured (``benchmarks/spike_train_fit_size.py``: 100 s at dt = 0.1 ms, Poisson inputs
    at 5 Hz, about 1000 output spikes, numba, a shared 2-core machine): 50 sources 2.2 s of
    CPU and 330 MB peak; 500 sources 6 s (22 s before the compiled pair sum and the Newton
    line search) and 360 MB; 5000 sources (P = 3.7·10⁹, a 5001² Hessian) 175 s of CPU, 10
    iterations, 1.9 GB peak. With as many weights as output spikes the estimates are
    over-dispersed (Sur & Candès 2019): at 5000 sources and 1266 spikes their z-scores have
    an rms of 1.6, not 1; record longer or add ``l2``. Long fits show a progress bar on
    stderr, one pass per Hessian (``progress``).

    References
    ----------
    Paninski L (2004) Maximum likelihood estimation of cascade point-process neural encoding
    models. Network 15:243–262. Sur P, Candès EJ (2019) A modern maximum-likelihood theory
    for high-dimensional logistic regression. PNAS 116:14516–14525. Brown EN et al. (2002)
    The time-rescaling theorem and its application to neural spike train data analysis.
    Neural Comput 14:325–346.

    Examples
    --------
    >>> from spikeneuron import LIF, EscapeNoise, SpikeTrainFit, poisson_inputs, simulate
    >>> model = LIF(escape_noise=EscapeNoise(delta_u=2.0, tau_esc=10.0))
    >>> inputs = poisson_inputs([20.0] * 4, 20_000.0, seed=1)
    >>> result = simulate(model, duration=20_000.0, inputs=inputs, weights=[4.0, 2.0, -2.0, 0.0],
    ...                   current=1.0, seed=2)
    >>> fit = SpikeTrainFit(model).fit(inputs, result.spike_times[0], duration=20_000.0)
    >>> bool(np.all(np.abs(fit.weights_ - [4.0, 2.0, -2.0, 0.0]) < 4 * fit.weight_errors_))
    True
    """

    def __init__(self, model, *, link="escape", l2=0.0, max_iter=200, backend=None):
        self.model = model
        self.link = link
        self.l2 = l2
        self.max_iter = max_iter
        self.backend = backend

    def fit(self, inputs, spike_times, *, duration, dt=0.1, current=None, progress=None):
        """Fit the weights and the bias to one recording.

        Parameters
        ----------
        inputs : list of array-like, or SpikeTrains
            Input spike trains, one array of spike times (ms) per source, as ``simulate``
            takes them.
        spike_times : array-like, shape (spikes,)
            The neuron's output spike times, ms, on the grid (as ``simulate`` reports them).
        duration : float
            Recorded time, ms; the grid is t_k = k·dt for k = 0..floor(duration/dt).
        dt : float
            Time step, ms (the one of the recording).
        current : None, float or array-like, shape (steps,)
            Known injected current, nA, as ``simulate`` takes it; its effect is not fitted
            (``bias_`` then measures any further constant drive).
        progress : bool or None
            Show a progress bar on stderr (each Hessian pass); None (default) shows it for
            long fits when stderr is a terminal.

        Returns
        -------
        SpikeTrainFit
            ``self``, fitted.

        Raises
        ------
        ValueError
            (ValidationError) for a model that is not an LIF with delta synapses and escape
            noise, a bad ``link``, ``l2``, ``max_iter`` or ``backend``, NaN or negative spike
            times, output spikes off the grid, beyond ``duration``, inside a refractory period
            or at every step the neuron could fire in, and a current of the wrong shape.
        TypeError
            For a ``backend`` or ``progress`` of the wrong kind.
        ImportError
            For ``backend='numba'`` without numba installed (the extra ``spikeneuron[fast]``).

        Warns
        -----
        UserWarning
            Naming the inputs whose weights the recording does not identify.
        ConvergenceWarning
            When Newton's method stops short of the maximum (``converged_`` False).
        """
        owner = f"{_OWNER}.fit"
        progress_wanted(progress, 0, owner)  # checked before anything is built
        model = self._checked_model(owner)
        if not isinstance(self.link, str):
            check.wrong_type("link", _OWNER, "'escape' or 'logistic'", self.link)
        if self.link not in _LINKS:
            check.fail("link", _OWNER, "'escape' or 'logistic'", self.link)
        l2 = check.non_negative("l2", _OWNER, self.l2)
        max_iter = check.integer("max_iter", _OWNER, self.max_iter, low=1)
        backend = _kernels.resolve_backend(self.backend, _OWNER)
        dt, n_steps = _time_grid(dt, duration, owner)
        trains = spike_trains(inputs, owner=owner)
        spike_steps = _checked_spike_steps(spike_times, dt, n_steps, model.refractory_steps(dt), owner)
        if spike_steps.size == 0:  # the likelihood then grows without end as the drive falls
            check.fail("spike_times", owner, "spike times holding at least one spike (without "
                       "any, the likelihood has no maximum)", spike_times)
        drive = _CurrentDrive(current, 1, n_steps, dt, owner=owner)
        if trains.n_sources >= _EVENTS_FROM:
            design = _Events(model, trains, spike_steps, n_steps, dt, drive, owner)
        else:
            design = _Design(model, trains, spike_steps, n_steps, dt, drive, owner)

        if design.n_rows == spike_steps.size:  # every step it could fire in, it fired
            check.fail("spike_times", owner, "spike times that leave at least one step outside "
                       "the refractory periods without a spike (with a spike at every allowed "
                       "step the likelihood grows without end as the drive rises)",
                       f"{spike_steps.size} spikes filling all {design.n_rows} such steps")

        n_params = trains.n_sources + 1
        delta_u = model.escape_noise.delta_u
        objective = (_EventObjective if isinstance(design, _Events) else _Objective)(
            design, self.link, delta_u, l2, n_params)
        objective.backend = backend
        # Newton's method runs in units of delta_u (the parameters' effect on η), so that its
        # trust region and tolerance do not depend on the noise's scale.
        scaled = _Scaled(objective, delta_u)
        start = np.zeros(n_params)
        start[-1] = _starting_bias(design, model) / delta_u
        import scipy.optimize  # imported on use: slow to import, needed only to fit

        bar = ProgressBar(max(1, len(design)), f"{_OWNER} iteration 1", progress_wanted(
            progress, design.work(n_params) / 100.0, owner))
        objective.progress = bar
        iterations = [0]

        def advance(_):
            iterations[0] += 1
            bar.label = f"{_OWNER} iteration {iterations[0] + 1}"

        with np.errstate(over="ignore", invalid="ignore"):
            if n_params < _NEWTON_FROM:
                solution = scipy.optimize.minimize(
                    scaled.value, start, jac=scaled.gradient, hess=scaled.hessian,
                    method="trust-exact", callback=advance,
                    options={"gtol": _GTOL, "maxiter": max_iter})
            else:
                solution = _newton(scaled, start, max_iter, advance)
            params = solution.x * delta_u
            bar.label = f"{_OWNER} standard errors"
            hessian = objective.hessian(params)
        objective.progress = None
        bar.label = f"{_OWNER} standard errors (inverting {n_params}×{n_params})"
        bar.update(bar.total)
        information = _plus_diagonal(hessian, -objective.penalty)  # the data's (Fisher) information
        converged = bool(solution.success or solution.status == 2) and np.all(np.isfinite(params))
        gradient = scaled.gradient(solution.x) if np.all(np.isfinite(params)) else None
        if converged and solution.status == 2:  # stopped by round-off: accept it if flat
            step = _solve(hessian * delta_u**2, gradient)
            converged = bool(gradient @ step <= _DECREMENT)
        if not np.all(np.isfinite(information)):
            converged = False
        params, covariance, unidentified, run_away = _identify(
            params, objective.start_information, information, hessian, l2, design.n_rows,
            trains.n_sources, owner)
        bar.close()
        errors = np.sqrt(np.clip(np.diag(covariance), 0.0, None))
        if not converged or run_away:
            converged = False
            _warn_not_converged(solution, params, max_iter, delta_u, run_away, trains.n_sources)

        self.weights_ = params[:-1].copy()
        self.bias_ = float(params[-1])
        self.weight_errors_ = errors[:-1]
        self.bias_error_ = float(errors[-1])
        self.covariance_ = covariance
        self.unidentified_ = np.array(unidentified, dtype=int)
        self.converged_ = converged
        self.log_likelihood_ = -objective.negative_log_likelihood(params)
        self.n_iter_ = int(solution.nit)
        self.n_spikes_ = int(spike_steps.size)
        self.ks_statistic_, self._rescaled = _ks_statistic(*objective.hazards(params))
        self.n_features_in_ = trains.n_sources
        return self

    def __repr__(self):
        """The settings, and once fitted the size of the fit and whether it converged."""
        settings = f"link={self.link!r}, l2={self.l2!r}"
        if not hasattr(self, "weights_"):
            return f"{_OWNER}({settings}, not fitted)"
        state = "converged" if self.converged_ else "NOT converged"
        unidentified = f", {self.unidentified_.size} unidentified" if self.unidentified_.size else ""
        return (f"{_OWNER}({settings}; {self.n_features_in_} weights, bias_={self.bias_:.4g} mV, "
                f"{self.n_spikes_} spikes, {state} in {self.n_iter_} iterations{unidentified}, "
                f"log_likelihood_={self.log_likelihood_:.6g})")

    def rescaled_intervals(self):
        """The time-rescaled inter-spike intervals as uniform variates, sorted, shape (spikes,).

        For the true model they are independent and uniform on [0, 1]; ``ks_statistic_`` is
        their largest distance from the diagonal of a KS plot."""
        if not hasattr(self, "_rescaled"):
            raise NotFittedError(f"This {_OWNER} instance is not fitted yet. Call 'fit' first.")
        return self._rescaled

    def _checked_model(self, owner):
        model = self.model
        if not isinstance(model, LIF):
            check.wrong_type("model", _OWNER, "an LIF (with delta synapses and escape noise)", model)
        if not isinstance(model.synapse, DeltaSynapse):
            check.fail("model", _OWNER, "an LIF with delta synapses (synapse='delta')", model.synapse)
        if model.escape_noise is None:
            check.fail("model", _OWNER, "an LIF with escape_noise=EscapeNoise(...)", model)
        if model.membrane_noise is not None:
            check.fail("model", _OWNER, "an LIF without membrane_noise", model.membrane_noise)
        return model


#: Gradient tolerance of Newton's method, in units of log-likelihood per unit of η.
_GTOL = 1e-8
#: A stop forced by round-off still counts as converged when the Newton decrement gᵀH⁻¹g
#: (twice the log-likelihood still to gain) is below this: the estimate then moves by less
#: than 1e-4 of a standard error.
_DECREMENT = 1e-8
#: A parameter belongs to an unidentified direction when its share of the null space
#: (diagonal of the projector onto it, in units where the information has unit diagonal)
#: exceeds this.
_NULL_SHARE = 1e-6


#: From this many parameters on, Newton's method takes a line search and one Cholesky
#: factorisation per iteration: scipy's trust-exact solves its subproblem with several
#: factorisations and eigenvalue bounds per iteration (0.4 s at 500 parameters, ~p³).
_NEWTON_FROM = 200
#: Sufficient decrease of the line search (Armijo), and the most halvings of the step.
_ARMIJO, _HALVINGS = 1e-4, 60


def _newton(scaled, start, max_iter, callback):
    """Newton's method with a backtracking line search on a convex objective, returning what
    ``scipy.optimize.minimize`` does (x, success, status 0/1/2, nit, jac, message): status 1
    at the iteration cap, 2 when no step lowers the value (round-off)."""
    import scipy.optimize

    x = start.copy()
    value, gradient = scaled.value(x), scaled.gradient(x)
    status, message, iterations = 1, "Maximum number of iterations has been exceeded.", 0
    while iterations < max_iter:
        if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
            status, message = 3, "The objective became infinite or NaN."
            break
        if np.linalg.norm(gradient) < _GTOL:
            status, message = 0, "Optimization terminated successfully."
            break
        step = -_solve(scaled.hessian(x), gradient)
        slope = gradient @ step
        length = 1.0
        for _ in range(_HALVINGS):
            trial = x + length * step
            trial_value = scaled.value(trial)
            if trial_value <= value + _ARMIJO * length * slope:
                break
            length /= 2
        else:
            status, message = 2, "A linear search failed to lower the value (precision loss)."
            break
        x, value, gradient = trial, trial_value, scaled.gradient(trial)
        iterations += 1
        callback(x)
    return scipy.optimize.OptimizeResult(x=x, fun=value, jac=gradient, nit=iterations, status=status,
                                         success=status == 0, message=message)


def _solve(matrix, vector):
    """matrix⁻¹·vector for a symmetric positive semi-definite matrix by Cholesky (p³/3); where
    it is singular (a silent input, collinear ones: directions the data do not identify) with
    a ridge of n·eps·max(diagonal), grown tenfold until it factorises, else least squares."""
    import scipy.linalg

    ridge = matrix.shape[0] * np.finfo(float).eps * max(float(np.max(np.abs(np.diag(matrix)))), 1e-300)
    for attempt in range(8):
        try:
            shifted = matrix if attempt == 0 else matrix + ridge * 10.0 ** (attempt - 1) * np.eye(matrix.shape[0])
            factor = scipy.linalg.cho_factor(shifted, lower=True, check_finite=False)
            return scipy.linalg.cho_solve(factor, vector, check_finite=False)
        except np.linalg.LinAlgError:
            continue
    return np.linalg.lstsq(matrix, vector, rcond=None)[0]


class _Scaled:
    """The objective in parameters divided by delta_u (their effect on η)."""

    def __init__(self, objective, delta_u):
        self.objective, self.delta_u = objective, delta_u

    def value(self, beta):
        return self.objective.value(beta * self.delta_u)

    def gradient(self, beta):
        return self.objective.gradient(beta * self.delta_u) * self.delta_u

    def hessian(self, beta):
        return self.objective.hessian(beta * self.delta_u) * self.delta_u**2


def _null_space(information, n_rows):
    """Unidentified directions of an information matrix: (silent mask, orthonormal-in-scaled
    null vectors over the other parameters, their indices, scale roots, eigenpairs).

    The matrix is scaled to unit diagonal; eigenvalues below n_rows·eps·λ_max (the
    round-off of a sum over n_rows rows) count as zero, and zero diagonal entries (a column
    that is zero) as silent."""
    n = information.shape[0]
    eps = np.finfo(float).eps
    diag = np.diag(information).copy()
    scale = diag.max() if diag.size and diag.max() > 0 else 1.0
    silent = diag <= scale * eps * max(n_rows, n)
    kept = np.flatnonzero(~silent)
    root = np.sqrt(diag[kept])
    scaled = information[np.ix_(kept, kept)]
    scaled /= root[:, None]
    scaled /= root[None, :]
    share = np.zeros(n)
    if kept.size >= _EIGH_BELOW:
        factor = _full_rank_factor(scaled, max(n_rows, n))
        if factor is not None:  # no null direction: only the silent parameters
            share[silent] = 1.0
            return silent, np.zeros((kept.size, 0)), kept, root, factor, None, None, share > _NULL_SHARE
    values, vectors = np.linalg.eigh(scaled)
    del scaled
    tolerance = max(n_rows, n) * eps * max(values.max(initial=0.0), 1.0)
    null = vectors[:, values <= tolerance]
    share[kept] = np.sum(null**2, axis=1)
    share[silent] = 1.0
    return silent, null, kept, root, values, vectors, tolerance, share > _NULL_SHARE


#: From this many parameters on, a full-rank information is recognised without its
#: eigendecomposition (eigh: ~9p³ flops, 4 minutes at 5000 on one loaded core): a Cholesky
#: factorisation (p³/3) and Lanczos estimates of its extreme eigenvalues.
_EIGH_BELOW = 1000


def _full_rank_factor(scaled, n_terms):
    """The Cholesky factor of a unit-diagonal information matrix whose smallest eigenvalue is
    clearly above the round-off level n_terms·eps·λ_max (ten times above, as estimated by
    Lanczos on its inverse); None when it is not, or not clearly (then eigh decides)."""
    import scipy.linalg
    import scipy.sparse.linalg

    try:
        factor = scipy.linalg.cho_factor(scaled, lower=True, check_finite=False)
        size = scaled.shape[0]
        inverse = scipy.sparse.linalg.LinearOperator(
            (size, size), matvec=lambda v: scipy.linalg.cho_solve(factor, v, check_finite=False), dtype=float)
        largest_inverse = scipy.sparse.linalg.eigsh(inverse, k=1, which="LA", tol=1e-6,
                                                    return_eigenvectors=False)[0]
        largest = scipy.sparse.linalg.eigsh(scaled, k=1, which="LA", tol=1e-6,
                                            return_eigenvectors=False)[0]
    except (np.linalg.LinAlgError, scipy.sparse.linalg.ArpackError):
        return None
    tolerance = n_terms * np.finfo(float).eps * max(largest, 1.0)
    return factor if largest_inverse > 0 and 1.0 / largest_inverse > 10.0 * tolerance else None


def _cholesky_inverse(factor):
    """The inverse of a matrix from its lower Cholesky factor (LAPACK potri, p³·2/3), written
    over the factor."""
    import scipy.linalg.lapack

    inverse, info = scipy.linalg.lapack.dpotri(factor[0], lower=1, overwrite_c=1)
    if info != 0:
        raise np.linalg.LinAlgError(f"potri failed ({info})")
    upper = np.tri(inverse.shape[0], k=-1, dtype=bool).T  # potri leaves it untouched
    np.copyto(inverse, inverse.T, where=upper)
    return inverse


def _plus_diagonal(matrix, diagonal):
    """matrix + diag(diagonal), without building the diagonal matrix (8p² bytes at size)."""
    result = matrix.copy()
    result[np.diag_indices_from(result)] += diagonal
    return result


def _identify(params, start_information, information, hessian, l2, n_rows, n_sources, owner):
    """Standard errors only where the recording identifies the parameters.

    Two kinds of unidentified directions. Structural ones, seen in the information at the
    start (weights 0, where every step's curvature is positive, so its null space is the
    design's): silent inputs (a zero column: no spike acts on a step the neuron could fire
    in) and collinear ones (identical trains: only their sum is identified). Without a
    penalty the likelihood is flat along them: their parameters get infinite standard
    errors and the minimum-norm maximiser (a silent weight 0, identical inputs sharing
    their sum equally); with ``l2`` > 0 the penalty alone fixes them (finite errors from the
    prior). A warning names them. The other kind appears only at the estimate: a curvature
    that vanished because the weights ran off towards infinity, where the likelihood has no
    maximum (an input whose spikes only ever precede silence); those parameters get infinite
    errors and make the fit unconverged. Returns (params, covariance, structural indices,
    run-away indices)."""
    n = params.size
    if not np.all(np.isfinite(information)):
        return params, np.full((n, n), np.nan), [], list(range(n))
    silent, null, kept, root, _, _, _, structural = _null_space(start_information, n_rows)
    groups = _collinear_groups(null, kept)
    final_silent, _, final_kept, final_root, values, vectors, tolerance, at_estimate = \
        _null_space(information, n_rows)
    run_away = np.flatnonzero(at_estimate & ~structural)
    unidentified = np.flatnonzero(structural | at_estimate)

    params = params.copy()
    if l2 > 0:
        covariance = _inverse(hessian)
    else:
        # Minimum-norm maximiser: drop the component along the structural null space (in
        # the original coordinates) and the silent parameters, which the likelihood ignores.
        directions = np.zeros((n, null.shape[1]))
        directions[kept] = null / root[:, None]
        if directions.shape[1]:
            basis, _ = np.linalg.qr(directions)
            params -= basis @ (basis.T @ params)
        params[silent] = 0.0
        # Covariance of the identified combinations: the pseudo-inverse on the range.
        covariance = np.full((n, n), np.nan)
        if vectors is None:  # full rank (a Cholesky factor in place of the eigenpairs)
            inverse = _cholesky_inverse(values)
        else:
            inverse_values = np.where(values > tolerance, 1.0 / np.where(values > tolerance,
                                                                            values, 1.0), 0.0)
            inverse = (vectors * inverse_values) @ vectors.T
        inverse /= final_root[:, None]
        inverse /= final_root[None, :]
        covariance[np.ix_(final_kept, final_kept)] = inverse
        del inverse
    if l2 == 0 or run_away.size:
        covariance[unidentified, :] = np.nan
        covariance[:, unidentified] = np.nan
        covariance[unidentified, unidentified] = np.inf
    if structural.any():
        _warn_unidentified(np.flatnonzero(silent), groups, n_sources, l2, owner)
    return params, covariance, np.flatnonzero(structural).tolist(), run_away.tolist()


def _inverse(matrix):
    try:
        return np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(matrix)


def _collinear_groups(null, kept):
    """Sets of parameters that share an unidentified direction (merged where they overlap)."""
    groups = []
    for vector in null.T:
        members = set(kept[vector**2 > _NULL_SHARE].tolist())
        for group in [g for g in groups if g & members]:
            members |= group
            groups.remove(group)
        groups.append(members)
    return [sorted(group) for group in groups]


def _named(indices, n_sources, shown=12):
    """'input 2', 'inputs 0, 3 and 4', 'input 1 and the bias', 'inputs 0, 1, ... and 488
    more' (the first ``shown`` of a long list)."""
    inputs = [str(i) for i in indices if i < n_sources]
    if len(inputs) > shown:
        inputs = inputs[:shown] + [f"{len(inputs) - shown} more"]
    names = [("inputs " if len(inputs) > 1 else "input ") + (
        ", ".join(inputs[:-1]) + " and " + inputs[-1] if len(inputs) > 1 else inputs[0])] if inputs else []
    if any(i >= n_sources for i in indices):
        names.append("the bias")
    return " and ".join(names)


def _warn_unidentified(silent, groups, n_sources, l2, owner):
    parts = []
    if silent.size:
        parts.append(f"{_named(silent.tolist(), n_sources)} (silent: none of {'its' if silent.size == 1 else 'their'} "
                     "spikes acts on a step the neuron could fire in)")
    for group in groups:
        parts.append(f"{_named(group, n_sources)} (collinear: only a combination of their "
                     "weights is identified)")
    consequence = (f"the l2 penalty alone sets them (errors from the prior, l2 = {l2:g})" if l2 > 0
                   else "their standard errors are infinite and the weights shown are the "
                   "minimum-norm choice (a silent weight 0; collinear inputs share the total)")
    warnings.warn(f"{owner}: the recording does not identify the weights of "
                  f"{'; '.join(parts)}: {consequence}.", UserWarning, stacklevel=4)


def _warn_not_converged(solution, params, max_iter, delta_u, run_away, n_sources):
    if not np.all(np.isfinite(params)):
        reason = "the parameters became infinite or NaN (divergence)"
    elif run_away:
        reason = (f"the likelihood has no maximum: the estimate of {_named(run_away, n_sources)} "
                  "runs off towards infinity (its spikes only ever precede silence, or only "
                  "ever an output spike), where the curvature vanishes")
    elif solution.status == 1:
        reason = (f"it stopped at its iteration cap, max_iter = {max_iter}, with a gradient of "
                  f"{np.max(np.abs(solution.jac)):.3g} per unit of η")
    else:
        reason = f"it stopped without converging ({solution.message})"
    largest = int(np.argmax(np.abs(params[:-1]))) if params.size > 1 else None
    hint = ""
    if largest is not None and np.isfinite(params[largest]) and not run_away:
        hint = (f"; the largest weight, input {largest}, is {params[largest]:.4g} mV "
                f"({params[largest] / delta_u:.3g} delta_u): a weight that grows without end "
                "means the likelihood has no maximum (an input whose spikes never, or always, "
                "precede an output spike)")
    warnings.warn(f"{_OWNER}.fit did not converge: {reason}{hint}. The estimates and their "
                  "errors are not maximum-likelihood ones; see converged_.",
                  ConvergenceWarning, stacklevel=3)


def _checked_spike_steps(spike_times, dt, n_steps, refractory_steps, owner):
    times = check.finite_array("spike_times", owner, spike_times)
    if times.ndim != 1:
        check.shape_mismatch("spike_times", owner, "(spikes,)", times.shape)
    if times.size and times.min() < 0:
        check.fail("spike_times", owner, "times >= 0 ms", float(times.min()))
    times = np.sort(times)
    steps = grid_steps(times, dt)
    off = np.abs(times / dt - steps) > _ON_GRID_STEPS
    if off.any():
        check.fail("spike_times", owner, f"on the grid t_k = k·{dt:g} ms (as simulate reports "
                   "spikes)", float(times[off][0]))
    if steps.size and steps[-1] > n_steps:
        check.fail("spike_times", owner, f"within the duration, <= {n_steps * dt:g} ms",
                   float(times[-1]))
    gaps = np.diff(steps)
    if np.any(gaps <= refractory_steps):
        bad = int(np.flatnonzero(gaps <= refractory_steps)[0])
        check.fail("spike_times", owner,
                   f"spikes separated by more than the refractory period ({refractory_steps} "
                   f"steps of {dt:g} ms)",
                   f"{times[bad + 1]:g} ms after a spike at {times[bad]:g} ms")
    return steps


class _Design:
    """The design rows, built chunk by chunk: for every step the neuron could fire in, the
    PSP-filtered inputs and the bias regressor (both mV per mV of parameter), the known part
    of V − v_th (mV) and whether it fired."""

    def __init__(self, model, trains, spike_steps, n_steps, dt, drive, owner=_OWNER):
        self.model, self.dt, self.n_steps, self.owner = model, dt, n_steps, owner
        if trains is None:  # the bias column and the known part only (for _Events)
            self.n_sources = 0
            self.input_steps = self.input_sources = np.empty(0, dtype=np.int64)
        else:
            self.n_sources = trains.n_sources
            self.input_steps, self.input_sources = trains.binned(dt, n_steps)
        self.spike_steps = spike_steps
        self.refractory_steps = model.refractory_steps(dt)
        self.decay = math.exp(-dt / model.tau_m)
        self.drive = drive
        self.current_gain = -model.r_m * math.expm1(-dt / model.tau_m)
        self.chunk_steps = max(1, _CHUNK_ELEMENTS // (self.n_sources + 2))
        self.n_rows = self._count_rows()
        self._cache = None
        if self.n_rows * (self.n_sources + 1) <= _MAX_DESIGN_ELEMENTS:
            self._cache = list(self._build())

    def _count_rows(self):
        held = np.minimum(self.spike_steps + self.refractory_steps, self.n_steps) - self.spike_steps
        return int(self.n_steps + 1 - held.sum())

    def work(self, n_params):
        """Multiply-adds of one Hessian: rows·parameters²."""
        return self.n_rows * n_params**2

    def __len__(self):
        """Number of chunks."""
        return -(-(self.n_steps + 1) // self.chunk_steps)

    @property
    def rebuilds(self):
        """True when the design is too big to hold and each pass rebuilds it."""
        return self._cache is None

    def chunks(self):
        """Yield (X, known, fired) per chunk: X (rows, sources + 1), mV; known (rows,), mV;
        fired (rows,), bool."""
        return iter(self._cache) if self._cache is not None else self._build()

    def _build(self):
        model, decay = self.model, self.decay
        resets = self.spike_steps + self.refractory_steps  # V = v_reset here; inputs up to it are lost
        filtered_state = np.zeros((1, self.n_sources + 1))  # filter state before the chunk
        reset_values = np.zeros(self.n_sources + 1)  # filtered values at the last reset
        for start in range(0, self.n_steps + 1, self.chunk_steps):
            stop = min(start + self.chunk_steps, self.n_steps + 1)
            steps = np.arange(start, stop)
            # Per-step increments: the input spike counts, and the current's effect (mV) in the
            # last column; grid point m is reached with the current of [t_{m-1}, t_m).
            increments = np.zeros((stop - start, self.n_sources + 1))
            lo, hi = np.searchsorted(self.input_steps, [start, stop])
            np.add.at(increments, (self.input_steps[lo:hi] - start, self.input_sources[lo:hi]), 1.0)
            first = max(start, 1)
            if first < stop:
                currents = self.drive.chunk(first - 1, stop - 1)
                increments[first - start:, -1] = self.current_gain * np.broadcast_to(
                    currents, (stop - first, 1))[:, 0]
            filtered, filtered_state = _lfilter(
                [1.0], [1.0, -decay], increments, axis=0, zi=filtered_state)

            # The last spike before each step, and from it the last reset (0 before any).
            previous = np.searchsorted(self.spike_steps, steps, side="left") - 1
            has_spiked = previous >= 0
            reset = np.where(has_spiked, resets[np.maximum(previous, 0)], 0)
            free = ~has_spiked | (steps > reset)
            fired = np.zeros(steps.size, dtype=bool)
            lo, hi = np.searchsorted(self.spike_steps, [start, stop])
            fired[self.spike_steps[lo:hi] - start] = True

            # Filtered values at each row's reset: in this chunk, or carried from before.
            at_reset = np.zeros((steps.size, self.n_sources + 1))
            in_chunk = has_spiked & (reset >= start) & (reset < stop)  # later: held rows
            at_reset[in_chunk] = filtered[reset[in_chunk] - start]
            before = has_spiked & (reset < start)
            at_reset[before] = reset_values if before.any() else 0.0
            chunk_resets = resets[(resets >= start) & (resets < stop)]
            if chunk_resets.size:
                reset_values = filtered[chunk_resets[-1] - start].copy()

            since = decay ** (steps - reset)
            with np.errstate(over="ignore", invalid="ignore"):  # a huge current: refused below
                x = filtered - since[:, None] * at_reset
                # Before the first spike nothing is subtracted: the inputs count from step 0
                # and the drive and v_init (= v_rest) decay from step 0.
                v_start = np.where(has_spiked, model.v_reset, model.v_rest)
                known = (model.v_rest - model.v_th) + (v_start - model.v_rest) * since + x[:, -1]
            limit = _MAX_ETA * model.escape_noise.delta_u
            if not np.all(np.abs(known) <= limit):  # also catches NaN
                worst = np.max(np.abs(known))
                shown = f"{worst:.3g} mV" if np.isfinite(worst) else "beyond floating point"
                check.fail("current", self.owner, f"a current that keeps V within {_MAX_ETA:g}·delta_u "
                           f"= {limit:g} mV of v_th (the escape hazard exp((V − v_th)/delta_u) "
                           f"overflows beyond)", f"a current driving V {shown} from v_th")
            x[:, -1] = 1.0 - since
            yield x[free], known[free], fired[free]


#: Largest |V − v_th|/delta_u the current alone may cause: the hazard e^η overflows near 709.
_MAX_ETA = 500.0


def _starting_bias(design, model):
    """A bias whose constant rate matches the observed one: a start near the optimum."""
    rate = max(design.spike_steps.size, 1) / design.n_rows  # spikes per free step
    noise = model.escape_noise
    eta = math.log(-math.log1p(-min(rate, 0.5)))
    return (eta - math.log(design.dt / noise.tau_esc)) * noise.delta_u + model.v_th - model.v_rest


def _row_terms(eta, fired, link):
    """Per-row negative log-likelihood, its first and second derivatives in η."""
    if link == "escape":
        lam = np.exp(np.minimum(eta, 700.0))
        nll = np.where(fired, 0.0, lam)
        d1 = lam.copy()
        d2 = lam.copy()
        if fired.any():
            lf = lam[fired]
            em1 = np.expm1(lf)
            nll[fired] = -np.log(-np.expm1(-lf))
            d1[fired] = -lf / em1
            # λ e^λ − (e^λ − 1) loses digits for small λ: its series λ²/2 + λ³/3 + λ⁴/8 there.
            small = lf < 1e-4
            excess = np.where(small, lf**2 / 2 + lf**3 / 3 + lf**4 / 8, lf * np.exp(lf) - em1)
            d2[fired] = lf * excess / em1**2
        return nll, d1, d2
    p = scipy.special.expit(eta)
    nll = np.logaddexp(0.0, eta) - np.where(fired, eta, 0.0)
    return nll, p - fired, p * (1.0 - p)


class _Objective:
    """Penalised negative log-likelihood in (weights, bias), with its gradient and Hessian,
    summed over the design chunks; all three are computed in one pass and cached."""

    def __init__(self, design, link, delta_u, l2, n_params):
        self.design, self.link, self.delta_u, self.l2 = design, link, delta_u, l2
        self.offset = math.log(design.dt / design.model.escape_noise.tau_esc)
        self.penalty = np.full(n_params, l2)
        self.penalty[-1] = 0.0
        self._at = None
        self.progress = None
        self.start_information = None

    def _evaluate(self, params, hessian=False):
        if self._at is None or not np.array_equal(self._at, params):
            self._at, self._values, self._hessian = params.copy(), None, None
        if self._values is not None and (self._hessian is not None or not hessian):
            return
        # The Hessian, rows·p² work against rows·p for the rest, only where Newton's method
        # asks for it: once per iteration, at the accepted point, never at a rejected trial.
        nll, grad = 0.0, np.zeros(params.size)
        hess = np.zeros((params.size, params.size)) if hessian else None
        for done, (x, known, fired) in enumerate(self.design.chunks(), 1):
            eta = (known + x @ params) / self.delta_u + self.offset
            row_nll, d1, d2 = _row_terms(eta, fired, self.link)
            nll += row_nll.sum()
            grad += x.T @ d1 / self.delta_u
            if hessian:
                rows = x * (np.sqrt(d2) / self.delta_u)[:, None]  # d2 >= 0 for both links
                hess += rows.T @ rows  # AᵀA: numpy computes it as one symmetric (syrk) product
                if self.progress is not None:
                    self.progress.update(done)
        self._values, self._hessian = (nll, grad), hess

    def negative_log_likelihood(self, params):
        self._evaluate(params)
        return self._values[0]

    def hazards(self, params):
        """Each row's hazard λ (per step) and whether it fired."""
        hazards, fired_all = [], []
        for x, known, fired in self.design.chunks():
            eta = (known + x @ params) / self.delta_u + self.offset
            hazards.append(_hazard(eta, self.link))
            fired_all.append(fired)
        return np.concatenate(hazards), np.concatenate(fired_all)

    def value(self, params):
        self._evaluate(params)
        return self._values[0] + 0.5 * np.sum(self.penalty * params**2)

    def gradient(self, params):
        self._evaluate(params)
        return self._values[1] + self.penalty * params

    def hessian(self, params):
        self._evaluate(params, hessian=True)
        if self.start_information is None:  # the first Hessian is taken at the start
            self.start_information = self._hessian.copy()
        return self._hessian + np.diag(self.penalty)


def _ks_statistic(lam, fired):
    """KS distance of the rescaled intervals from uniform, with the discrete-time correction:
    τ = Σ_{before the spike} λ − log(1 − u (1 − e^{−λ_spike})), u uniform, is exactly Exp(1)
    for the true model (Haslinger, Pipa & Brown 2010). ``lam`` is each row's hazard."""
    rng = np.random.default_rng(0)  # the correction's uniform draws; fixed so fits repeat
    spike_rows = np.flatnonzero(fired)
    if spike_rows.size == 0:
        return float("nan"), np.empty(0)
    cumulative = np.concatenate([[0.0], np.cumsum(lam)])
    before = cumulative[spike_rows] - cumulative[np.concatenate([[0], spike_rows[:-1] + 1])]
    last = lam[spike_rows]
    u = rng.random(spike_rows.size)
    tau = before - np.log1p(-u * -np.expm1(-last))
    rescaled = np.sort(-np.expm1(-tau))
    from scipy.stats import kstest  # imported on use (scipy.stats takes 0.4 s to import)

    return float(kstest(rescaled, "uniform").statistic), rescaled


def _hazard(eta, link):
    """The per-step hazard λ whose firing probability is the link's, 1 − e^{−λ}."""
    if link == "escape":
        return np.exp(np.minimum(eta, 700.0))
    return -np.log1p(-scipy.special.expit(eta))


#: From this many sources on, the likelihood is computed from the input events (_Events)
#: rather than from a dense design: its Hessian costs events·(sources + block) instead of
#: rows·sources².
_EVENTS_FROM = 20
#: Entries of one block of filtered input vectors (block × sources) in the event Hessian.
_BLOCK_ELEMENTS = 2**22
#: Blocks spanning less than this many tau_m take their decays as a product e^{-m_f/τ}·e^{m_e/τ}
#: (one exponential per event, not per pair); longer ones, where those overflow, pair by pair.
_PRODUCT_SPAN = 600.0


#: The compiled pair sum runs in this many rounds (one progress update each) of this many
#: parts (shared by the threads of ``_parallel``).
_PAIR_ROUNDS, _PAIR_PARTS = 32, 4


class _Events:
    """The likelihood's ingredients without the design matrix, for many sources.

    Between resets the filtered input x_i(t) = Σ_{r < m <= t} e^{−(t−m)h/τ} n_im is a sum
    over input events, so X·w is one recursive filter of the weighted event train, Xᵀ·u
    one backward filter gathered at the events, and the Hessian Σ_t d_t x(t) x(t)ᵀ a sum
    over pairs of events in the same inter-spike segment,
    Σ_{e,f} e^{−|m_e−m_f|h/τ} G(max(m_e, m_f)), G(m) = Σ_{t >= m} d_t e^{−2(t−m)h/τ},
    accumulated with the running filtered vector Y_f = e^{−(m_f−m_{f−1})h/τ} Y_{f−1} + 1_{j_f}:
    events·sources work, not rows·sources². The bias column and the known part of V come
    from a _Design without inputs."""

    def __init__(self, model, trains, spike_steps, n_steps, dt, drive, owner=_OWNER):
        base = _Design(model, None, spike_steps, n_steps, dt, drive, owner)
        columns, known, fired = zip(*base.chunks())
        self.bias_column = np.concatenate([x[:, 0] for x in columns])
        self.known, self.fired = np.concatenate(known), np.concatenate(fired)
        self.model, self.dt, self.n_steps, self.n_rows = model, dt, n_steps, base.n_rows
        self.spike_steps, self.n_sources, self.decay = spike_steps, trains.n_sources, base.decay
        resets = spike_steps + base.refractory_steps
        steps = np.arange(n_steps + 1)
        previous = np.searchsorted(spike_steps, steps, side="left") - 1
        reset = np.where(previous >= 0, resets[np.maximum(previous, 0)], -1)
        free = reset < steps
        self.row_steps, self.row_reset = steps[free], reset[free]
        event_steps, event_sources = trains.binned(dt, n_steps)
        previous = np.searchsorted(spike_steps, event_steps, side="left") - 1
        reset = np.where(previous >= 0, resets[np.maximum(previous, 0)], -1)
        kept = event_steps > reset  # inputs up to a reset are lost
        self.event_steps, self.event_sources = event_steps[kept], event_sources[kept]
        self.event_segment = previous[kept] + 1
        self.event_end = np.append(spike_steps, n_steps)[self.event_segment]  # last row reached
        self._first = self._by_source = None
        self.block = int(np.clip(self.n_sources, 128, max(128, _BLOCK_ELEMENTS // max(self.n_sources, 1))))

    def __len__(self):
        return max(1, -(-self.event_steps.size // self.block))

    def _segments(self):
        """Per event, the first event of its segment; the events ordered by source."""
        if self._first is None:
            starts = np.flatnonzero(np.diff(self.event_segment, prepend=-1))
            self._first = np.repeat(starts, np.diff(np.append(starts, self.event_steps.size)))
            self._by_source = np.argsort(self.event_sources, kind="stable")
        return self._first, self._by_source

    def work(self, n_params):
        """Operations of one Hessian and its factorisation: event pairs within a segment,
        plus parameters³."""
        first, _ = self._segments()
        return float(np.sum(np.arange(first.size) - first + 1)) + float(n_params) ** 3

    def input_potential(self, weights):
        """Σ_i w_i x_i(t) at every row, mV."""
        signal = np.bincount(self.event_steps, weights=weights[self.event_sources],
                             minlength=self.n_steps + 1)
        filtered = _lfilter([1.0], [1.0, -self.decay], signal)
        reset = self.row_reset
        since = self.decay ** (self.row_steps - np.maximum(reset, 0))
        return filtered[self.row_steps] - np.where(reset >= 0, since * filtered[np.maximum(reset, 0)], 0.0)

    def backward(self, values, factor):
        """Σ_{t >= m, same segment} factor^{t−m} values_t for every event step m."""
        signal = np.zeros(self.n_steps + 2)
        signal[self.row_steps] = values
        summed = _lfilter([1.0], [1.0, -factor], signal[::-1])[::-1]
        at, end = self.event_steps, self.event_end
        return summed[at] - factor ** (end + 1 - at) * summed[end + 1]

    def pair_sum(self, weights, progress=None, backend="numpy"):
        """Σ over event pairs in a segment of decay^{|m_e−m_f|} g(max(m_e, m_f)) 1_{j_e} 1_{j_f}ᵀ,
        g = ``weights`` per event: the inputs' block of the Hessian, (sources, sources).
        'numpy' (the reference) by dense blocks, 'numba' pair by pair."""
        if backend == "numba":
            return self._pair_sum_compiled(weights, progress)
        p, steps, sources, segment = self.n_sources, self.event_steps, self.event_sources, self.event_segment
        log_decay = math.log(self.decay)
        transposed = np.zeros((p, p))  # row j: Σ_{f: j_f = j} g_f Y_f
        carry, carry_step, carry_segment = np.zeros(p), 0, -1
        for number, start in enumerate(range(0, steps.size, self.block), 1):
            stop = min(start + self.block, steps.size)
            m, j, seg = steps[start:stop], sources[start:stop], segment[start:stop]
            same = np.tril(seg[:, None] == seg[None, :])
            if (m[-1] - m[0]) * -log_decay < _PRODUCT_SPAN:  # e^{±span/τ} stays finite
                rising = np.exp(log_decay * (m - m[0]))
                decays = np.where(same, np.multiply.outer(rising, 1.0 / rising), 0.0)
            else:
                lag = np.maximum(m[:, None] - m[None, :], 0)
                decays = np.where(same, np.exp(log_decay * lag), 0.0)
            onehot = scipy.sparse.csr_matrix((np.ones(m.size), (np.arange(m.size), j)),
                                             shape=(m.size, p))
            # Column f of Yt is Y_f: this block's events (Sᵀ Dᵀ), plus the decayed carry.
            filtered = np.asarray(onehot.T @ decays.T)
            from_carry = np.where(seg == carry_segment, np.exp(log_decay * (m - carry_step)), 0.0)
            filtered += carry[:, None] * from_carry[None, :]
            carry, carry_step, carry_segment = filtered[:, -1].copy(), m[-1], seg[-1]
            present = np.unique(j)
            grouped = onehot[:, present].T @ (filtered * weights[start:stop]).T  # (present, p)
            transposed[present] += grouped
            if progress is not None:
                progress.update(number)
        diagonal = np.bincount(sources, weights=weights, minlength=p)
        return transposed + transposed.T - np.diag(diagonal)

    def _pair_sum_compiled(self, weights, progress):
        from .spike_train_fit_kernels import pair_rows

        steps, sources = self.event_steps, self.event_sources
        if steps.size == 0:
            return np.zeros((self.n_sources, self.n_sources))
        first, by_source = self._segments()
        # Pairs further apart than this decay by less than eps² = 2⁻¹⁰⁴: left out (see the
        # kernel); a table of 8·72·tau_m/dt bytes (58 kB at tau_m = 10 ms, dt = 0.1 ms).
        max_lag = int(math.ceil(104 * math.log(2.0) / -math.log(self.decay)))
        decays = np.exp(math.log(self.decay) * np.arange(max_lag + 1))
        transposed = np.zeros((self.n_sources, self.n_sources))
        weights = np.ascontiguousarray(weights, dtype=float)
        # Parts of the events by source, cut where the source changes: each row of the result
        # is summed by one thread in one order, so the threads never change it.
        by_row = sources[by_source]
        bounds = np.linspace(0, steps.size, _PAIR_PARTS * _PAIR_ROUNDS + 1).astype(np.int64)
        bounds[1:-1] = np.searchsorted(by_row, by_row[np.minimum(bounds[1:-1], steps.size - 1)])

        def part(number):
            pair_rows(steps, sources, first, weights, decays, by_source, bounds[number], bounds[number + 1],
                      transposed)

        for done in range(_PAIR_ROUNDS):
            _parallel.run_blocks(lambda i, done=done: part(done * _PAIR_PARTS + i), _PAIR_PARTS)
            if progress is not None:
                progress.update(len(self) * (done + 1) / _PAIR_ROUNDS)
        diagonal = np.bincount(sources, weights=weights, minlength=self.n_sources)
        transposed += transposed.T
        transposed[np.diag_indices_from(transposed)] -= diagonal
        return transposed


class _EventObjective:
    """The penalised negative log-likelihood of _Objective, from the events (_Events)."""

    def __init__(self, design, link, delta_u, l2, n_params):
        self.design, self.link, self.delta_u, self.l2 = design, link, delta_u, l2
        self.offset = math.log(design.dt / design.model.escape_noise.tau_esc)
        self.penalty = np.full(n_params, l2)
        self.penalty[-1] = 0.0
        self.progress = None
        self.backend = "numpy"
        self.start_information = None
        self._at = self._terms = self._hessian_at = self._hessian = None

    def _row_terms(self, params):
        if self._at is None or not np.array_equal(self._at, params):
            design = self.design
            v = design.known + design.input_potential(params[:-1]) + params[-1] * design.bias_column
            eta = v / self.delta_u + self.offset
            self._at, self._terms = params.copy(), _row_terms(eta, design.fired, self.link) + (eta,)
        return self._terms

    def negative_log_likelihood(self, params):
        return float(self._row_terms(params)[0].sum())

    def value(self, params):
        return self.negative_log_likelihood(params) + 0.5 * np.sum(self.penalty * params**2)

    def gradient(self, params):
        design = self.design
        _, d1, _, _ = self._row_terms(params)
        grad = np.empty(params.size)
        grad[:-1] = np.bincount(design.event_sources, weights=design.backward(d1, design.decay),
                                minlength=design.n_sources) / self.delta_u
        grad[-1] = d1 @ design.bias_column / self.delta_u
        return grad + self.penalty * params

    def hessian(self, params):
        design = self.design
        _, _, d2, _ = self._row_terms(params)
        if self._hessian_at is not None and np.array_equal(self._hessian_at, params):
            return _plus_diagonal(self._hessian, self.penalty)
        p = design.n_sources
        hess = np.empty((p + 1, p + 1))
        hess[:p, :p] = design.pair_sum(design.backward(d2, design.decay**2), self.progress, self.backend)
        cross = np.bincount(design.event_sources, minlength=p,
                            weights=design.backward(d2 * design.bias_column, design.decay))
        hess[:p, p] = hess[p, :p] = cross
        hess[p, p] = d2 @ design.bias_column**2
        hess /= self.delta_u**2
        if self.start_information is None:
            self.start_information = hess.copy()
        self._hessian_at, self._hessian = params.copy(), hess
        return _plus_diagonal(hess, self.penalty)

    def hazards(self, params):
        return _hazard(self._row_terms(params)[3], self.link), self.design.fired


def _lfilter(*args, **kwargs):
    """scipy.signal.lfilter, imported on first use (scipy.signal takes 0.4 s to import)."""
    from scipy.signal import lfilter

    return lfilter(*args, **kwargs)
