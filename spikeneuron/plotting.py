"""Figures: membrane-potential traces, input rasters, f–I curves.

Figures are made with ``matplotlib.figure.Figure`` directly, never through pyplot, so no
display or interactive backend is involved: saving a PNG uses matplotlib's Agg renderer, which
works on any machine. Functions that draw take an ``Axes`` and return it, so they compose into
multi-panel figures; :func:`new_figure` makes the figure.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import _validation as check
from .exceptions import ValidationError
from .synapses import CondExpSynapse

__all__ = ["new_figure", "plot_trace", "plot_raster", "plot_fi_curve", "plot_gates",
           "plot_ionic_currents", "plot_conductances", "plot_adaptation", "trace_figure",
           "EXCITATORY", "INHIBITORY"]

EXCITATORY = "#c0392b"  # red: positive weights
INHIBITORY = "#2463b4"  # blue: negative weights
NEUTRAL = "#7f7f7f"
ADAPTATION = "#8e44ad"  # purple: adaptation (AdEx w, Izhikevich u)


def _recorded_column(result, neuron, *, what="v"):
    """Column of ``neuron`` in a result's recorded traces; a clear error if it was not recorded."""
    if what == "v" and result.v is None:
        raise ValidationError("this result holds no membrane potential: record the potential with "
                         "record_v=True or [indices] (e.g. simulate(..., record_v=[0]))")
    if what != "v" and what not in result.traces:
        raise ValidationError(f"this result holds no {what!r} trace (it has "
                         f"{sorted(result.traces) or 'none'}): record it with "
                         f"record_vars=[{what!r}, ...] and record_v=True or [indices]")
    columns = np.flatnonzero(result.recorded == neuron)
    if columns.size == 0:
        raise ValidationError(f"The 'neuron' parameter must be a recorded neuron, among "
                         f"{result.recorded.tolist()}. Got {neuron!r} instead; record the "
                         f"potential with record_v=True or [indices] to include it.")
    return int(columns[0])


def _model_of(result, model, caller):
    """The model a figure needs: the one given, else the one the result remembers."""
    model = result.model if model is None else model
    if model is None:
        raise ValidationError(f"{caller} needs the model of the run (for its threshold): pass "
                         f"model=..., or use a result from simulate/load_result, which keep it")
    return model


def _threshold(model):
    """(level, label) of the line a trace is compared with: the LIF threshold, the cut-off
    v_peak of models whose upswing runs away (AdEx, Izhikevich), or the HH detection level
    (HH has no fixed threshold)."""
    if hasattr(model, "v_peak"):
        return model.v_peak, f"spike cut-off v_peak {model.v_peak:g} mV"
    if hasattr(model, "v_th"):
        return model.v_th, f"threshold {model.v_th:g} mV"
    return model.v_detect, f"spike detection level {model.v_detect:g} mV"


def _resets(model):
    # Only models with a reset draw the stylised spike: their simulated potential jumps from
    # threshold to v_reset at once, whereas a Hodgkin–Huxley trace shows the real spike.
    return hasattr(model, "v_reset")


def new_figure(nrows=1, ncols=1, *, width=8.0, height=3.0, sharex=False, height_ratios=None):
    """A figure with a grid of axes (width and height in inches; height is per row)."""
    figure = Figure(figsize=(width, height * nrows), layout="constrained")
    axes = figure.subplots(nrows, ncols, sharex=sharex, squeeze=False,
                           gridspec_kw={"height_ratios": height_ratios} if height_ratios else None)
    return figure, axes.ravel() if axes.size > 1 else axes[0, 0]


def plot_trace(ax, result, model=None, *, neuron=0, spike_height_mv=None,
               label="membrane potential", color="black", spike_color=EXCITATORY, t_max=None,
               conductance_ax=None, adaptation_ax=None):
    """Membrane potential of one recorded neuron against time, with threshold and spikes.

    For a LIF, spikes are drawn as stylised vertical strokes from v_reset up to
    ``spike_height_mv`` (mV), marked by a triangle: only a picture of the all-or-none event,
    the simulated potential is reset at once. A Hodgkin–Huxley trace shows its real spikes; it
    has no reset or fixed threshold, so the dashed line is its spike detection level and each
    detected spike is marked by a triangle at the top of the axes.

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run whose potentials were recorded (``record_v=True`` or a list of indices).
    model : LIF or HodgkinHuxley, optional
        The model of the run (default: the one the result remembers).
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    spike_height_mv : float, optional
        Top of the stylised spike strokes, mV (default: 20 mV for a LIF; v_peak for AdEx and
        Izhikevich, whose traces are drawn with their threshold v_t, if any, dotted).
    color, spike_color : matplotlib colour
        Of the trace, and of the spike markers.
    t_max : float, optional
        Right end of the time axis, ms (default: the end of the run); the legend counts the
        spikes shown.
    conductance_ax : matplotlib Axes, optional
        Where to draw the same neuron's synaptic conductances g_ex and g_in (nS; mS/cm² for
        :class:`~spikeneuron.HodgkinHuxley`), e.g. a panel below: a run of a
        :class:`~spikeneuron.CondExpSynapse` (LIF, AdEx, HodgkinHuxley, TraubMiles) with
        ``record_vars=["g_ex", "g_in"]`` (see :func:`plot_conductances`).
    adaptation_ax : matplotlib Axes, optional
        Where to draw the same neuron's adaptation variable: AdEx's current w (nA) or
        Izhikevich's recovery variable u (mV/ms), recorded with ``record_vars=["w"]`` or
        ``["u"]`` (see :func:`plot_adaptation`).

    Raises
    ------
    ValueError (ValidationError)
        If the potential of ``neuron`` was not recorded, or no model is known; with
        ``conductance_ax``, if the conductances were not recorded; with ``adaptation_ax``,
        if the model has no adaptation variable or it was not recorded.
    TypeError
        If ``conductance_ax`` or ``adaptation_ax`` is not a matplotlib Axes.

    Notes
    -----
    :func:`trace_figure` makes a whole figure: the potential and, below it, a panel for each
    conductance or adaptation variable the run recorded.
    """
    model = _model_of(result, model, "plot_trace")
    column = _recorded_column(result, neuron)
    panels = {"conductance_ax": conductance_ax, "adaptation_ax": adaptation_ax}
    for name, panel in panels.items():
        if panel is not None:
            _check_axes(name, "plot_trace", panel)
            if panel is ax:
                check.fail(name, "plot_trace", "an Axes of its own, not the potential's 'ax' "
                           "(its unit is not mV)", panel)
    if conductance_ax is not None:
        _conductance_column(result, neuron, model, "conductance_ax", "plot_trace")
        plot_conductances(conductance_ax, result, model, neuron=neuron, t_max=t_max)
    if adaptation_ax is not None:
        _adaptation_column(result, neuron, model, "adaptation_ax", "plot_trace")
        plot_adaptation(adaptation_ax, result, model, neuron=neuron, t_max=t_max)
    end = result.t[-1] if t_max is None else t_max
    ax.plot(result.t, result.v[:, column], color=color, lw=1.0, label=label)
    spikes = result.spike_times[neuron]
    spikes = spikes[spikes <= end]
    if spike_height_mv is None:
        spike_height_mv = getattr(model, "v_peak", 20.0)
    if hasattr(model, "v_t") and hasattr(model, "v_peak"):
        # AdEx's v_t is where its upswing starts; Traub–Miles's v_t only shifts its rate
        # functions (V_T of Brette et al. 2007) and is no threshold: not drawn.
        ax.axhline(model.v_t, color=NEUTRAL, ls=":", lw=1.0, label=f"threshold v_t {model.v_t:g} mV")
    if spikes.size and _resets(model):
        ax.vlines(spikes, model.v_reset, spike_height_mv, color=color, lw=1.0)
        ax.plot(spikes, np.full(spikes.size, spike_height_mv), "v", color=spike_color, ms=5,
                label=f"spike ({spikes.size})")
    elif spikes.size:
        ax.plot(spikes, np.full(spikes.size, 0.97), "v", color=spike_color, ms=5,
                transform=ax.get_xaxis_transform(), label=f"detected spike ({spikes.size})")
    level, text = _threshold(model)
    ax.axhline(level, color=NEUTRAL, ls="--", lw=1.0, label=text)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("membrane potential (mV)")
    ax.set_xlim(result.t[0], end)
    return ax


def trace_figure(result, model=None, *, neuron=0, t_max=None, width=8.0, height=2.6):
    """A figure of one neuron's run: its potential, and below it whatever else was recorded.

    The top panel is :func:`plot_trace`; a conductance panel (:func:`plot_conductances`)
    follows when the run recorded g_ex and g_in, and an adaptation panel
    (:func:`plot_adaptation`) when it recorded AdEx's w or Izhikevich's u. The panels share
    the time axis (ms) and each has its legend.

    Parameters
    ----------
    result : SimulationResult
        A run whose potential was recorded.
    model : optional
        The model of the run (default: the one the result remembers).
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    t_max : float, optional
        Right end of the time axis, ms.
    width, height : float
        Figure width, and height per panel, inches.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    ValueError (ValidationError)
        As :func:`plot_trace`.

    Examples
    --------
    >>> from spikeneuron import CondExpSynapse, TraubMiles, simulate
    >>> run = simulate(TraubMiles(synapse=CondExpSynapse()), duration=50.0, dt=0.05,
    ...                inputs=[[10.0], [30.0]], weights=[40.0, -20.0],
    ...                record_vars=["g_ex", "g_in"])
    >>> figure = trace_figure(run)
    >>> len(figure.axes)
    2
    """
    model = _model_of(result, model, "trace_figure")
    conductances = "g_ex" in result.traces and "g_in" in result.traces
    found = _adaptation(model)
    adaptation = found is not None and found[0] in result.traces
    rows = 1 + conductances + adaptation
    figure, axes = new_figure(rows, width=width, height=height, sharex=True)
    axes = list(np.atleast_1d(axes))
    ax_v = axes.pop(0)
    plot_trace(ax_v, result, model, neuron=neuron, t_max=t_max,
               conductance_ax=axes.pop(0) if conductances else None,
               adaptation_ax=axes.pop(0) if adaptation else None)
    ax_v.legend(loc="upper right", fontsize="small")
    for ax in figure.axes[:-1]:
        ax.set_xlabel("")
    return figure


def plot_raster(ax, trains, weights, *, marker_size=2.0, t_max=None, excitatory_color=EXCITATORY,
                inhibitory_color=INHIBITORY, strength=None, weight_labels=None, legend=True):
    """Input spikes as a raster, one row per source, coloured by the sign of its weight.

    Parameters
    ----------
    ax : matplotlib Axes
    trains : SpikeTrains
        Input spike times, ms.
    weights : array-like, shape (sources,) or (sources, n)
        Signed weight of each source onto the neuron shown (mV or nA; the first column when
        there are several neurons): the sign picks the colour.
    marker_size : float
        Height of each spike stroke, points.
    t_max : float, optional
        Right end of the time axis, ms.
    excitatory_color, inhibitory_color : matplotlib colour
        Of sources with positive and negative weights.
    strength : None, 'width' or 'alpha'
        Also show how strong each weight is: by the line width of its strokes (``'width'``)
        or by their opacity (``'alpha'``), proportional to ``|w| / max |w|``.
    weight_labels : bool, optional
        Write each source's weight at the right of its row (default: when ``strength`` is set).
    legend : bool
        Draw the legend of the colours (outside the axes, at the right).
    """
    weights = check.finite_array("weights", "plot_raster", weights, sparse=True)
    weights = (weights.toarray() if hasattr(weights, "toarray") else weights).reshape(trains.n_sources, -1)[:, 0]
    if strength not in (None, "width", "alpha"):
        raise ValueError(f"The 'strength' parameter of plot_raster must be None, 'width' or "
                         f"'alpha'. Got {strength!r} instead.")
    colours = {1: excitatory_color, -1: inhibitory_color, 0: NEUTRAL}
    largest = np.max(np.abs(weights)) if weights.size and np.any(weights) else 1.0
    for source in range(trains.n_sources):
        w = weights[source]
        times = trains.times[trains.sources == source]
        relative = abs(w) / largest
        width = 0.8 if strength != "width" else 0.4 + 2.6 * relative
        alpha = 1.0 if strength != "alpha" else 0.15 + 0.85 * relative
        if times.size:
            ax.plot(times, np.full(times.size, source), "|", color=colours[int(np.sign(w))],
                    ms=marker_size, mew=width, alpha=alpha)
        if weight_labels or (weight_labels is None and strength is not None):
            ax.annotate(f"w = {w:+.3g}", (1.0, source), xycoords=("axes fraction", "data"),
                        xytext=(3, 0), textcoords="offset points", va="center",
                        fontsize="small", color=colours[int(np.sign(w))])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("input source")
    ax.set_ylim(-0.5, trains.n_sources - 0.5)
    if trains.n_sources <= 20:  # few rows: one tick per source, never half a source
        ax.set_yticks(range(trains.n_sources))
    if t_max is not None:
        ax.set_xlim(0, t_max)
    if legend:
        handles = [Line2D([], [], color=c, marker="|", ls="", ms=8, mew=2, label=name)
                   for c, name in ((excitatory_color, "excitatory (w > 0)"),
                                   (inhibitory_color, "inhibitory (w < 0)"))]
        labelled = weight_labels or (weight_labels is None and strength is not None)
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.12 if labelled else 1.0, 1.0),
                  fontsize="small", borderaxespad=0.0)
    return ax


def plot_fi_curve(ax, current_na, rate_hz, *, analytic_rate_hz=None, label="simulated"):
    """Firing rate (Hz) against injected current (nA): simulated points and the closed form."""
    if analytic_rate_hz is not None:
        ax.plot(current_na, analytic_rate_hz, "-", color=NEUTRAL, lw=2.0, label="closed form")
    ax.plot(current_na, rate_hz, "o", color=EXCITATORY, ms=3.5, label=label)
    ax.set_xlabel("injected current (nA)")
    ax.set_ylabel("firing rate (Hz)")
    ax.legend(loc="upper left")
    return ax


#: Colours of the Hodgkin–Huxley gates and currents: sodium warm, potassium cool.
GATE_COLORS = {"m": "#d35400", "h": "#8e44ad", "n": "#2471a3"}
CURRENT_COLORS = {"i_na": "#d35400", "i_k": "#2471a3", "i_l": NEUTRAL}
_GATE_LABELS = {"m": "m (Na⁺ activation)", "h": "h (Na⁺ inactivation)",
                "n": "n (K⁺ activation)"}
_CURRENT_LABELS = {"i_na": "sodium, $I_{Na}$", "i_k": "potassium, $I_K$", "i_l": "leak, $I_L$"}


def _check_axes(name, owner, ax):
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        check.wrong_type(name, owner, "a matplotlib Axes (e.g. from new_figure)", ax)


def _conductance_unit(model):
    # Conductance weights and g_ex/g_in carry the model's conductance unit: nS for the point
    # neurons (LIF, AdEx, TraubMiles), mS/cm² for the classic HH, whose currents are densities.
    return getattr(model, "_UNITS", {}).get("g", "nS")


def _leak_conductance(model):
    """The leak conductance in the unit of g_ex and g_in, or None: g_l, or the LIF's 1/r_m
    (1000/r_m nS for r_m in MΩ, as its conductance synapse reads it)."""
    if hasattr(model, "g_l"):
        return float(model.g_l)
    if hasattr(model, "r_m") and hasattr(model, "v_th"):
        return 1000.0 / model.r_m
    return None


def _conductance_column(result, neuron, model, name, owner):
    """Column of ``neuron``'s g_ex and g_in; a ValidationError naming ``name`` without them."""
    missing = [g for g in ("g_ex", "g_in") if g not in result.traces]
    if missing:
        synapse = getattr(model, "synapse", None)
        how = ("record them with record_vars=['g_ex', 'g_in']"
               if isinstance(synapse, CondExpSynapse) else
               f"its model has a {type(synapse).__name__ if synapse is not None else 'no'} "
               f"synapse: give it synapse=CondExpSynapse() (LIF, AdEx, HodgkinHuxley, "
               f"TraubMiles) and record_vars=['g_ex', 'g_in']")
        check.fail(name, owner, f"used with a run that recorded the conductances g_ex and g_in "
                   f"({how})", f"a run that recorded {sorted(result.traces) or 'no traces'}")
    return _recorded_column(result, neuron, what="g_ex")


def plot_conductances(ax, result, model=None, *, neuron=0, t_max=None, legend=True):
    """Excitatory and inhibitory synaptic conductances of one neuron against time.

    In nS (the point neurons LIF, AdEx and TraubMiles) or mS/cm² (HodgkinHuxley, whose
    conductances are per membrane area), from a run of a conductance synapse
    (:class:`~spikeneuron.CondExpSynapse`) that recorded ``record_vars=["g_ex", "g_in"]``.
    The model's leak conductance (``g_l``; the LIF's 1/r_m) is drawn dotted, for scale: where
    the synaptic conductances are above it, they and not the leak set the membrane's time
    constant.

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run that recorded g_ex and g_in.
    model : LIF, AdEx, HodgkinHuxley or TraubMiles, optional
        The model of the run, for the unit (default: the one the result remembers; nS when
        none is known).
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    t_max : float, optional
        Right end of the time axis, ms (default: the end of the run).
    legend : bool
        Draw the legend.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError (ValidationError)
        If the run did not record g_ex and g_in (the message names ``result`` and says how to
        record them), or ``neuron`` was not recorded.
    """
    _check_axes("ax", "plot_conductances", ax)
    model = result.model if model is None else model
    column = _conductance_column(result, neuron, model, "result", "plot_conductances")
    unit = _conductance_unit(model)
    ax.plot(result.t, result.traces["g_ex"][:, column], color=EXCITATORY, lw=1.0,
            label="excitatory conductance g_ex")
    ax.plot(result.t, result.traces["g_in"][:, column], color=INHIBITORY, lw=1.0,
            label="inhibitory conductance g_in")
    leak = _leak_conductance(model)
    if leak is not None:
        ax.axhline(leak, color=NEUTRAL, ls=":", lw=1.0, label=f"leak g_L {leak:g} {unit}")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"conductance ({unit})")
    ax.set_xlim(result.t[0], result.t[-1] if t_max is None else t_max)
    ax.set_ylim(bottom=0.0)
    if legend:
        ax.legend(loc="upper right", fontsize="small")
    return ax


def _adaptation(model):
    """(recorded name, axis label) of a model's adaptation variable, or None."""
    from .models.adex import AdEx
    from .models.izhikevich import Izhikevich

    if isinstance(model, AdEx):
        return "w", "adaptation current w (nA)"
    if isinstance(model, Izhikevich):
        return "u", "recovery variable u (mV/ms)"
    return None


def _adaptation_column(result, neuron, model, name, owner):
    found = _adaptation(model)
    if found is None:
        check.fail(name, owner, "used with a model that has an adaptation variable (AdEx's w, "
                   "Izhikevich's u)", f"a run of {type(model).__name__}")
    variable, _ = found
    if variable not in result.traces:
        check.fail(name, owner, f"used with a run that recorded {type(model).__name__}'s "
                   f"{variable!r} (record_vars=[{variable!r}])",
                   f"a run that recorded {sorted(result.traces) or 'no traces'}")
    return _recorded_column(result, neuron, what=variable)


def plot_adaptation(ax, result, model=None, *, neuron=0, t_max=None, legend=True):
    """The adaptation variable of one AdEx or Izhikevich neuron against time.

    AdEx's adaptation current w (nA; it is subtracted from the input, so w > 0 slows the
    neuron down), or Izhikevich's recovery variable u (mV/ms, the paper's units), recorded
    with ``record_vars=["w"]`` or ``["u"]``. Spikes are marked by dotted vertical lines: each
    one makes w jump by b (AdEx) or u by d (Izhikevich).

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run of an AdEx or Izhikevich model that recorded its adaptation variable.
    model : AdEx or Izhikevich, optional
        The model of the run (default: the one the result remembers).
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    t_max : float, optional
        Right end of the time axis, ms (default: the end of the run).
    legend : bool
        Draw the legend.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ValueError (ValidationError)
        If the model has no adaptation variable or the run did not record it (the message
        names ``result``), or no model is known.
    """
    _check_axes("ax", "plot_adaptation", ax)
    model = _model_of(result, model, "plot_adaptation")
    column = _adaptation_column(result, neuron, model, "result", "plot_adaptation")
    variable, text = _adaptation(model)
    end = result.t[-1] if t_max is None else t_max
    ax.plot(result.t, result.traces[variable][:, column], color=ADAPTATION, lw=1.0,
            label=text.split(" (")[0])
    spikes = result.spike_times[neuron]
    spikes = spikes[spikes <= end]
    for i, time in enumerate(spikes):
        ax.axvline(time, color=NEUTRAL, ls=":", lw=0.6,
                   label=f"spike ({spikes.size})" if i == 0 else None)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(text)
    ax.set_xlim(result.t[0], end)
    if legend:
        ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_gates(ax, result, *, neuron=0, names=("m", "h", "n")):
    """Gating variables of a Hodgkin–Huxley run against time (recorded with ``record_vars``).

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run that recorded the gates named in ``names``.
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    names : sequence of str
        Gates to draw, among 'm', 'h', 'n' (dimensionless, in [0, 1]).
    """
    column = _recorded_column(result, neuron, what=names[0])
    for name in names:
        _recorded_column(result, neuron, what=name)
        ax.plot(result.t, result.traces[name][:, column], color=GATE_COLORS[name], lw=1.4,
                label=_GATE_LABELS[name])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("gating variable")
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlim(result.t[0], result.t[-1])
    return ax


def plot_ionic_currents(ax, result, *, neuron=0, names=("i_na", "i_k")):
    """Ionic current densities of a Hodgkin–Huxley run against time, µA/cm².

    Currents are drawn with the membrane-current convention of the model: outward positive,
    so the sodium current of a spike points down and the potassium current up.

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run that recorded the currents named in ``names``.
    neuron : int
        Index of the neuron in the batch (it must be among ``result.recorded``).
    names : sequence of str
        Currents to draw, among 'i_na', 'i_k', 'i_l'.
    """
    column = _recorded_column(result, neuron, what=names[0])
    ax.axhline(0.0, color=NEUTRAL, lw=0.8)
    for name in names:
        _recorded_column(result, neuron, what=name)
        ax.plot(result.t, result.traces[name][:, column], color=CURRENT_COLORS[name], lw=1.4,
                label=_CURRENT_LABELS[name])
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("current density (µA/cm²)\noutward > 0, inward < 0")
    ax.set_xlim(result.t[0], result.t[-1])
    return ax



# --- networks ------------------------------------------------------------------------------

__all__ += ["plot_stacked_traces", "plot_network_raster", "plot_population_rate"]

_SIGN_NAMES = {1: "excitatory", -1: "inhibitory", 0: "no synapses out"}


def plot_stacked_traces(ax, result, model=None, *, neurons=None, offset_mv=40.0, labels=None,
                        colors=None, spike_height_mv=10.0, scale_bar_mv=20.0):
    """Membrane potentials of several neurons, one above the other (first at the top).

    Each trace is shifted by ``offset_mv`` from the next and labelled on the y axis; spikes are
    drawn as stylised strokes from v_reset to ``spike_height_mv`` above threshold (the
    simulated potential of a LIF is reset at once; Hodgkin–Huxley traces show their real
    spikes). A dotted line beside each trace is its neuron's threshold (the detection level
    for Hodgkin–Huxley). A vertical scale bar gives the voltage scale.

    Parameters
    ----------
    ax : matplotlib Axes
    result : SimulationResult
        A run whose potentials were recorded for ``neurons``.
    model : LIF or HodgkinHuxley, optional
        The model of the run (default: the one the result remembers).
    neurons : sequence of int, optional
        Neurons to draw, top to bottom (default: every recorded neuron).
    offset_mv : float
        Vertical distance between consecutive traces, mV.
    labels, colors : sequence of str, optional
        One label and one colour per trace.
    spike_height_mv : float
        Height of the spike strokes above threshold, mV.
    scale_bar_mv : float
        Length of the voltage scale bar, mV (0 for none).
    """
    model = _model_of(result, model, "plot_stacked_traces")
    level, _ = _threshold(model)
    if result.v is None:
        _recorded_column(result, 0)  # raises: says how to record the potential
    neurons = list(result.recorded) if neurons is None else list(neurons)
    labels = [f"neuron {i}" for i in neurons] if labels is None else list(labels)
    colors = ["black"] * len(neurons) if colors is None else list(colors)
    ticks = []
    for row, (neuron, color) in enumerate(zip(neurons, colors)):
        shift = offset_mv * (len(neurons) - 1 - row)
        column = _recorded_column(result, neuron)
        ax.plot(result.t, result.v[:, column] + shift, color=color, lw=1.0)
        spikes = result.spike_times[neuron]
        if spikes.size and _resets(model):
            ax.vlines(spikes, model.v_reset + shift, level + spike_height_mv + shift,
                      color=color, lw=1.0)
        ax.axhline(level + shift, color=NEUTRAL, ls=":", lw=0.6)
        ticks.append(model.v_rest + shift)
    ax.set_yticks(ticks, labels)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(f"membrane potential\n(traces {offset_mv:g} mV apart)")
    ax.set_xlim(result.t[0], result.t[-1])
    if scale_bar_mv:
        x = result.t[-1] - 0.02 * (result.t[-1] - result.t[0])
        bottom = model.v_rest + offset_mv * (len(neurons) - 1) + 0.25 * offset_mv
        ax.plot([x, x], [bottom, bottom + scale_bar_mv], color="black", lw=2.0)
        ax.text(x, bottom + scale_bar_mv / 2, f"{scale_bar_mv:g} mV ", ha="right", va="center",
                fontsize="small")
    return ax


def plot_network_raster(ax, result, *, populations=None, max_neurons=None, t_max=None,
                        marker_size=1.5, excitatory_color=EXCITATORY, inhibitory_color=INHIBITORY):
    """Spikes of a network run, one row per neuron, populations stacked and coloured by sign.

    Excitatory populations are red, inhibitory ones blue (from ``result.signs``); each block of
    rows is labelled on the y axis with its population's name and how many neurons are shown.

    Parameters
    ----------
    ax : matplotlib Axes
    result : NetworkResult
    populations : sequence of str, optional
        Populations to draw, bottom to top (default: all, in the order they were added).
    max_neurons : int or dict of str to int, optional
        Draw only the first neurons of each population (a number for all, or one per name).
    t_max : float, optional
        Right end of the time axis, ms.
    excitatory_color, inhibitory_color : matplotlib colour
        Of excitatory and inhibitory populations (grey: no outgoing synapses).
    """
    sign_colors = {1: excitatory_color, -1: inhibitory_color, 0: NEUTRAL}
    populations = list(result.populations) if populations is None else list(populations)
    base, ticks, labels, colors = 0, [], [], []
    for name in populations:
        run = result[name]
        limit = max_neurons.get(name) if isinstance(max_neurons, dict) else max_neurons
        shown = run.n if limit is None else min(int(limit), run.n)
        keep = run.spike_neurons < shown
        sign = result.signs.get(name, 0)
        ax.plot(run.spike_t[keep], base + run.spike_neurons[keep], "|", color=sign_colors[sign],
                ms=marker_size, mew=0.6)
        if base:
            ax.axhline(base - 0.5, color=NEUTRAL, lw=0.6)
        ticks.append(base + shown / 2)
        labels.append(f"{name}\n{_SIGN_NAMES[sign]}\n{shown} of {run.n}")
        colors.append(sign_colors[sign])
        base += shown
    ax.set_yticks(ticks, labels, fontsize="small")
    for label, color in zip(ax.get_yticklabels(), colors):
        label.set_color(color)
    ax.set_ylim(-0.5, base - 0.5)
    ax.set_xlim(0, result.duration if t_max is None else t_max)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron (by population)")
    return ax


def plot_population_rate(ax, result, *, populations=None, bin_ms=1.0, color="black", label=None):
    """Rate of a set of populations against time, Hz (spikes per neuron per second, binned).

    Parameters
    ----------
    ax : matplotlib Axes
    result : NetworkResult
    populations : str or sequence of str, optional
        Populations pooled together (default: all).
    bin_ms : float
        Bin width, ms.
    """
    t, rate = result.population_rate(populations, bin_ms=bin_ms)
    ax.plot(t, rate, color=color, lw=0.9,
            label=label if label is not None else f"population rate ({bin_ms:g} ms bins)")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("population rate (Hz)")
    ax.set_xlim(0, result.duration)
    ax.set_ylim(bottom=0)
    return ax
