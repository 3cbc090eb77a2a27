"""The explorer: an ipywidgets app of one neuron beside its logistic twin.

Sliders for the signed dendritic weights, the threshold and the noise, and a choice of synapse
(delta, exponential or alpha: the kinds under which the potential is linear in the weights, so
that the logistic twin exists), above the potential
trace and the logistic neuron's sigmoid; each change reruns :func:`spikeneuron.explore` (the
pure function that computes what is shown) and redraws
:func:`spikeneuron.explore.exploration_figure`. Needs the optional extra
``spikeneuron[notebooks]`` (ipywidgets).
"""

import io
import time

import numpy as np

from .. import _validation as check
from ..exceptions import MissingExtraError
from ..explore import MAX_SLIDERS, SEED_WEIGHTS_MV, exploration_figure, explore, unit_responses
from ..models.lif import LIF
from ..synapses import AlphaSynapse, DeltaSynapse, ExpSynapse

#: The explorer's synapse choices: name → (synapse, unit of the weights).
SYNAPSES = {"delta": (DeltaSynapse(), "mV"), "exp": (ExpSynapse(), "nA"), "alpha": (AlphaSynapse(), "nA")}

__all__ = ["Explorer", "explorer"]


class Explorer:
    """The ipywidgets app made by :func:`explorer` (display it as the last value of a cell).

    Attributes
    ----------
    widget : ipywidgets.Box
        The whole app: rows of sliders, the figure below them, a line of numbers under it.
    sliders : dict of str to ipywidgets.FloatSlider
        'w1' … 'wN' (mV with delta synapses, nA with exponential or alpha ones), 'v_th' (mV)
        and 'noise_mv' (mV); setting a value redraws the view.
    synapse : ipywidgets.Dropdown
        'delta', 'exp' or 'alpha' (the neuron's :class:`~spikeneuron.DeltaSynapse`,
        :class:`~spikeneuron.ExpSynapse` or :class:`~spikeneuron.AlphaSynapse`, at their
        default time constants). Choosing another converts each weight, and the weight
        sliders' range, so that each input's peak postsynaptic potential stays the same, and
        redraws.
    image : ipywidgets.Image
        The figure as PNG.
    numbers : ipywidgets.HTML
        z, sigmoid(z) and the measured spike probability, as text.
    result : Exploration
        What is shown now.
    figure : matplotlib Figure
        The figure drawn (reused by every update).
    last_update_s : float
        Wall time of the last update (simulation and drawing), seconds.
    """

    def __init__(self, widgets, weights, *, weight_range_mv, explore_options):
        self._options = explore_options
        slider = lambda value, low, high, step, name: widgets.FloatSlider(  # noqa: E731
            value=value, min=low, max=high, step=step, description=name, continuous_update=False,
            readout_format=".1f", style={"description_width": "7em"},
            layout=widgets.Layout(width="21em"))
        neuron = explore_options["neuron"] or LIF()
        kind = next(name for name, (synapse, _) in SYNAPSES.items()
                    if type(neuron.synapse) is type(synapse))
        unit = SYNAPSES[kind][1]
        self.sliders = {f"w{i + 1}": slider(w, -weight_range_mv, weight_range_mv, 0.5 if unit == "mV" else 0.05,
                                            f"w{i + 1} ({unit})") for i, w in enumerate(weights)}
        v_th = explore_options.pop("v_th")
        self.sliders["v_th"] = slider(v_th, min(v_th, -65.0), max(v_th, -40.0), 0.5, "v_th (mV)")
        noise = explore_options.pop("noise_mv")
        self.sliders["noise_mv"] = slider(noise, 0.0, max(noise, 5.0), 0.1, "noise σ (mV)")
        self.synapse = widgets.Dropdown(options=list(SYNAPSES), value=kind, description="synapse",
                                        style={"description_width": "7em"}, layout=widgets.Layout(width="21em"))
        self.image = widgets.Image(format="png")
        self.numbers = widgets.HTML()
        # Sliders in rows above the figure: side by side, one of the two would be squeezed.
        controls = widgets.HBox([*self.sliders.values(), self.synapse],
                                layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([controls, self.image, self.numbers])
        self.figure = None
        # the sliders' span with delta synapses, mV: other synapses span the weights whose peak
        # potential reaches it
        self._range_mv = weight_range_mv * min(self._peaks(neuron))
        self._quiet = False
        for control in self.sliders.values():
            control.observe(lambda _change: self._quiet or self.update(), names="value")
        self.synapse.observe(self._change_synapse, names="value")
        self.update()

    def _peaks(self, neuron):
        """Peak postsynaptic potential per unit weight, (excitatory, inhibitory): 1 for delta
        synapses (mV per mV), else the kernels' maxima (mV per nA)."""
        if isinstance(neuron.synapse, DeltaSynapse):
            return 1.0, 1.0
        dt = self._options["dt"]
        kernels = unit_responses(neuron, int(self._options["duration"] / dt), dt)
        return tuple(kernels.max(axis=1))

    def _change_synapse(self, change):
        old = self._options["neuron"] or LIF()
        synapse, unit = SYNAPSES[change["new"]]
        new = old.with_(synapse=synapse)
        old_peaks, new_peaks = self._peaks(old), self._peaks(new)
        self._options["neuron"] = new
        ratio = {sign: old_peaks[sign] / new_peaks[sign] for sign in (0, 1)}
        self._quiet = True
        try:
            for name, slider in self.sliders.items():
                if not (name.startswith("w") and name[1:].isdigit()):
                    continue
                value = slider.value * ratio[int(slider.value < 0)]
                span = max(self._range_mv / min(new_peaks), abs(value))
                slider.min, slider.max = -span, span  # may clip the old value: it is set next
                slider.step = 0.5 if unit == "mV" else 0.05
                slider.value = value
                slider.description = f"{name} ({unit})"
        finally:
            self._quiet = False
        self.update()

    def update(self):
        """Run :func:`explore` at the sliders' values and redraw; returns the Exploration."""
        started = time.perf_counter()
        weights = [self.sliders[f"w{i + 1}"].value for i in range(len(self.sliders) - 2)]
        unit = SYNAPSES[self.synapse.value][1]
        self.result = explore(weights, v_th=self.sliders["v_th"].value,
                              noise_mv=self.sliders["noise_mv"].value, **self._options)
        self.figure = exploration_figure(self.result, figure=self.figure)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=80)
        self.image.value = buffer.getvalue()
        seen = self.result
        self.numbers.value = (
            f"{self.synapse.value} synapses (weights in {unit}): "
            f"z = {seen.z:+.2f} mV, θ = {seen.theta:g} mV: the neuron without noise "
            f"{'fires' if seen.fires_without_noise else 'stays silent'}; logistic twin "
            f"sigmoid((z − θ)/{seen.scale:.2f}) = {seen.sigmoid:.3f}; measured P(spike) = "
            f"{seen.p_spike:.3f} ± {seen.p_spike_se:.3f} over {seen.n_trials} trials")
        self.last_update_s = time.perf_counter() - started
        return seen

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def explorer(weights=SEED_WEIGHTS_MV, *, input_times=None, v_th=-55.0, noise_mv=1.0,
             duration=40.0, seed=0, n_trials=200, dt=0.1, neuron=None, weight_range_mv=20.0):
    """An interactive explorer: sliders for the weights, threshold and noise of one neuron.

    Shows side by side the potential trace with its threshold and spikes, and the logistic
    twin's sigmoid with the current z and the measured spike probability (see
    :func:`explore`, whose arguments these are). Needs the optional extra:
    ``pip install 'spikeneuron[notebooks]'``.

    Parameters
    ----------
    weights : array-like, shape (n_inputs,)
        Initial signed weights, one slider each (1 to 5): mV for delta synapses, nA for a
        ``neuron`` with exponential or alpha synapses. Default: a strong excitatory, a weak
        excitatory and a strong inhibitory input, (12, 4, −10) mV.
    weight_range_mv : float
        The weight sliders span ± this (mV, or nA with current synapses).
    input_times, v_th, noise_mv, duration, seed, n_trials, dt, neuron
        As for :func:`explore` (v_th and noise_mv are the sliders' initial values; the
        neuron's synapse, delta, exponential or alpha, is the synapse menu's initial choice).

    Returns
    -------
    Explorer
        Displaying it (the last value of a notebook cell) shows the app.

    Raises
    ------
    MissingExtraError
        (an ImportError) when ipywidgets is not installed.
    """
    try:
        import ipywidgets as widgets
    except ImportError:
        raise MissingExtraError("explorer needs ipywidgets: pip install 'spikeneuron[notebooks]'") from None
    weights = check.finite_array("weights", "explorer", weights)
    if weights.ndim != 1 or not 1 <= weights.size <= MAX_SLIDERS:
        check.fail("weights", "explorer", f"1 to {MAX_SLIDERS} signed weights (mV or nA), one slider each",
                   weights.tolist())
    weight_range_mv = check.positive("weight_range_mv", "explorer", weight_range_mv)
    weight_range_mv = max(weight_range_mv, float(np.abs(weights).max()))
    options = dict(input_times=input_times, v_th=v_th, noise_mv=noise_mv, duration=duration,
                   seed=seed, n_trials=n_trials, dt=dt, neuron=neuron)
    explore(weights, **options)  # fail here, with explore's messages, before building widgets
    return Explorer(widgets, weights.tolist(), weight_range_mv=weight_range_mv,
                    explore_options=options)
