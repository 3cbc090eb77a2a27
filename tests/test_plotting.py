"""Every model's result plots; missing data give an error that says what to record."""

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from spikeneuron import (
    LIF,
    AdEx,
    EscapeNoise,
    ExpSynapse,
    HodgkinHuxley,
    Izhikevich,
    MembraneNoise,
    Network,
    fixed_probability,
    simulate,
    spike_trains,
)
from spikeneuron.plotting import (
    new_figure,
    plot_gates,
    plot_ionic_currents,
    plot_network_raster,
    plot_raster,
    plot_stacked_traces,
    plot_trace,
)

MODELS = {
    "lif": (LIF(), 2.0),
    "lif-exp": (LIF(synapse=ExpSynapse()), 2.0),
    "lif-membrane-noise": (LIF(membrane_noise=MembraneNoise(3.0, 5.0)), 1.6),
    "lif-escape-noise": (LIF(escape_noise=EscapeNoise()), 1.6),
    "hh": (HodgkinHuxley(), 10.0),  # µA/cm²
    "adex": (AdEx(), 0.5),
    "izhikevich": (Izhikevich(), 10.0),  # the paper's units
}


@pytest.mark.parametrize("name", MODELS)
def test_every_model_plots_its_trace_and_stacked_traces(name):
    model, current = MODELS[name]
    result = simulate(model, duration=40.0, dt=0.025, current=[current, current], record_v=True,
                      seed=1)
    assert result.spike_neurons.size > 0
    figure, (top, bottom) = new_figure(2)
    plot_trace(top, result, neuron=1)
    labels = top.get_legend_handles_labels()[1]
    expected = ("threshold" if isinstance(model, LIF) else "spike cut-off v_peak"
                if isinstance(model, (AdEx, Izhikevich)) else "spike detection level")
    assert any(label.startswith(expected) for label in labels)
    assert any(f"({result.spike_counts[1]})" in label for label in labels)
    plot_stacked_traces(bottom, result)
    assert len(bottom.get_yticklabels()) == 2
    figure.savefig(__import__("io").BytesIO(), format="png")


def test_hh_trace_has_no_stylised_spike_strokes():
    result = simulate(HodgkinHuxley(), duration=20.0, dt=0.025, current=10.0, record_v=True)
    figure, ax = new_figure()
    plot_trace(ax, result)
    assert not ax.collections  # vlines (the LIF's stylised spikes) are a LineCollection
    ax.clear()
    plot_trace(ax, simulate(LIF(), duration=50.0, current=2.0, record_v=True))
    assert len(ax.collections) == 1


def test_missing_potential_says_how_to_record_it():
    result = simulate(LIF(), duration=10.0, current=[2.0, 2.0], record_v=False)
    figure, ax = new_figure()
    with pytest.raises(ValueError, match=r"record the potential with record_v=True or \[indices\]"):
        plot_trace(ax, result)
    with pytest.raises(ValueError, match=r"record the potential with record_v=True or \[indices\]"):
        plot_stacked_traces(ax, result)
    partly = simulate(LIF(), duration=10.0, current=[2.0, 2.0], record_v=[0])
    with pytest.raises(ValueError, match=r"among \[0\]. Got 1 .*record_v=True or \[indices\]"):
        plot_trace(ax, partly, neuron=1)


def test_missing_gates_say_how_to_record_them():
    result = simulate(HodgkinHuxley(), duration=5.0, dt=0.025, current=0.0, record_v=True)
    figure, ax = new_figure()
    with pytest.raises(ValueError, match=r"record it with record_vars=\['m'"):
        plot_gates(ax, result)
    with pytest.raises(ValueError, match=r"record_vars=\['i_na'"):
        plot_ionic_currents(ax, result)
    with_gates = simulate(HodgkinHuxley(), duration=5.0, dt=0.025, current=0.0, record_v=True,
                          record_vars=["m", "h", "n", "i_na", "i_k"])
    plot_gates(ax, with_gates)
    plot_ionic_currents(ax, with_gates)


def test_a_result_without_model_asks_for_one():
    from dataclasses import replace

    result = replace(simulate(LIF(), duration=10.0, current=2.0, record_v=True), model=None)
    figure, ax = new_figure()
    with pytest.raises(ValueError, match="model="):
        plot_trace(ax, result)
    plot_trace(ax, result, LIF())


def test_raster_colours_are_parameters_and_strength_shows_in_width_and_alpha():
    trains = spike_trains([[5.0, 15.0], [10.0], [20.0]])
    weights = [4.0, 1.0, -4.0]  # strong excitatory, weak excitatory, strong inhibitory
    figure, (by_width, by_alpha) = new_figure(2)
    plot_raster(by_width, trains, weights, excitatory_color="green", inhibitory_color="purple",
                strength="width")
    lines = by_width.get_lines()
    assert [to_rgba(line.get_color()) for line in lines] == \
        [to_rgba("green"), to_rgba("green"), to_rgba("purple")]
    widths = [line.get_markeredgewidth() for line in lines]
    assert widths[0] == widths[2] > widths[1]
    assert [t.get_text() for t in by_width.texts] == ["w = +4", "w = +1", "w = -4"]
    plot_raster(by_alpha, trains, weights, strength="alpha")
    alphas = [line.get_alpha() for line in by_alpha.get_lines()]
    assert alphas[0] == alphas[2] == 1.0 > alphas[1]
    with pytest.raises(ValueError, match="'strength'"):
        plot_raster(by_alpha, trains, weights, strength="size")


def test_network_raster_takes_colours_and_network_traces_plot():
    net = Network()
    net.add_population("exc", LIF(), 10, current=1.8, record_v=[0, 1])
    net.add_population("inh", HodgkinHuxley(), 3, current=8.0, record_v=True)
    net.connect("exc", "inh", fixed_probability(0.5, 0.5))
    net.connect("inh", "exc", fixed_probability(0.5, -0.5))
    result = net.run(duration=30.0, dt=0.025, seed=2)
    figure, (raster, traces, hh) = new_figure(3)
    plot_network_raster(raster, result, excitatory_color="orange")
    colours = {to_rgba(line.get_color()) for line in raster.get_lines() if np.size(line.get_xdata())}
    assert to_rgba("orange") in colours
    plot_stacked_traces(traces, result["exc"])  # each population remembers its model
    plot_trace(hh, result["inh"], neuron=2)
    assert result["inh"].model == HodgkinHuxley()


def test_adex_trace_marks_its_threshold_and_peak_and_strokes_reach_v_peak():
    model = AdEx()
    result = simulate(model, duration=60.0, current=0.5, record_v=True)
    figure, ax = new_figure()
    plot_trace(ax, result)
    labels = ax.get_legend_handles_labels()[1]
    assert "threshold v_t -50 mV" in labels and "spike cut-off v_peak 0 mV" in labels
    segments = ax.collections[0].get_segments()
    assert len(segments) == result.spike_counts[0] > 0
    assert all(segment[1][1] == model.v_peak and segment[0][1] == model.v_reset
               for segment in segments)


def test_plot_trace_draws_the_conductances_below_when_asked():
    from spikeneuron import CondExpSynapse
    from spikeneuron.plotting import new_figure, plot_trace

    model = LIF(r_m=100.0, synapse=CondExpSynapse())
    result = simulate(model, duration=30.0, inputs=[[2.0], [5.0]], weights=[4.0, -6.0],
                      record_vars=["g_ex", "g_in"])
    figure, (ax_v, ax_g) = new_figure(2, 1)
    plot_trace(ax_v, result, conductance_ax=ax_g)
    lines = {line.get_label(): line for line in ax_g.get_lines()}
    np.testing.assert_array_equal(lines["excitatory conductance g_ex"].get_ydata(), result.traces["g_ex"][:, 0])
    assert ax_g.get_ylabel() == "conductance (nS)"
    with pytest.raises(ValueError, match="g_ex"):
        plot_trace(ax_v, simulate(model, duration=5.0), conductance_ax=ax_g)


def _conductance_run(model, duration=60.0, dt=0.05, weights=(30.0, -40.0), **extra):
    return simulate(model, duration=duration, dt=dt, inputs=[[5.0, 20.0], [12.0]],
                    weights=list(weights), record_vars=["g_ex", "g_in"], **extra)


@pytest.mark.parametrize("name", ["lif", "traub", "hh", "adex"])
def test_the_conductance_panel_draws_the_recorded_conductances_in_the_models_unit(name):
    from spikeneuron import CondExpSynapse, TraubMiles

    model, unit, leak = {
        "lif": (LIF(r_m=100.0, synapse=CondExpSynapse()), "nS", 10.0),  # g_L = 1/(100 MΩ)
        "traub": (TraubMiles(), "nS", 10.0),
        "hh": (HodgkinHuxley(synapse=CondExpSynapse()), "mS/cm²", HodgkinHuxley().g_l),
        "adex": (AdEx(synapse=CondExpSynapse()), "nS", AdEx().g_l),
    }[name]
    weights = (0.01, -0.02) if name == "hh" else (30.0, -40.0)  # HH: mS/cm²
    result = _conductance_run(model, weights=weights)
    figure, (ax_v, ax_g) = new_figure(2, 1)
    plot_trace(ax_v, result, conductance_ax=ax_g)
    lines = {line.get_label(): line for line in ax_g.get_lines()}
    for g, label in (("g_ex", "excitatory conductance g_ex"), ("g_in", "inhibitory conductance g_in")):
        np.testing.assert_array_equal(lines[label].get_ydata(), result.traces[g][:, 0])
        assert result.traces[g][:, 0].max() > 0  # the inputs arrived: the panel is not empty
    assert ax_g.get_ylabel() == f"conductance ({unit})" and ax_g.get_xlabel() == "time (ms)"
    assert lines[f"leak g_L {leak:g} {unit}"].get_ydata()[0] == pytest.approx(leak)
    assert ax_g.get_legend() is not None
    assert ax_v.get_ylabel() == "membrane potential (mV)"
    labels = ax_v.get_legend_handles_labels()[1]
    # AdEx's v_t starts its upswing; Traub–Miles's only shifts its rates: no threshold line
    assert any(label.startswith("threshold v_t") for label in labels) == (name == "adex")
    figure.savefig(__import__("io").BytesIO(), format="png")


@pytest.mark.parametrize("name", ["adex", "izhikevich"])
def test_the_adaptation_panel_draws_w_or_u_with_the_spikes(name):
    model, variable, label, current = {
        "adex": (AdEx(), "w", "adaptation current w (nA)", 0.5),
        "izhikevich": (Izhikevich(), "u", "recovery variable u (mV/ms)", 10.0),
    }[name]
    result = simulate(model, duration=100.0, current=current, record_vars=[variable])
    figure, (ax_v, ax_w) = new_figure(2, 1)
    plot_trace(ax_v, result, adaptation_ax=ax_w)
    trace = ax_w.get_lines()[0]
    np.testing.assert_array_equal(trace.get_ydata(), result.traces[variable][:, 0])
    assert ax_w.get_ylabel() == label
    markers = [line for line in ax_w.get_lines()[1:]]
    assert len(markers) == result.spike_counts[0] > 0
    assert [line.get_xdata()[0] for line in markers] == list(result.spike_times[0])


def test_trace_figure_adds_the_panels_the_run_recorded():
    from spikeneuron import CondExpSynapse, TraubMiles
    from spikeneuron.plotting import trace_figure

    plain = simulate(LIF(), duration=50.0, current=2.0, record_v=True)
    figure = trace_figure(plain)
    assert len(figure.axes) == 1
    _, alone = new_figure()
    plot_trace(alone, plain)
    # the top panel is plot_trace's, line for line
    assert [line.get_label() for line in figure.axes[0].get_lines()] == \
        [line.get_label() for line in alone.get_lines()]
    assert len(trace_figure(_conductance_run(TraubMiles())).axes) == 2
    both = simulate(AdEx(synapse=CondExpSynapse()), duration=60.0, current=0.5, inputs=[[5.0]],
                    weights=[20.0], record_vars=["g_ex", "g_in", "w"])
    figure = trace_figure(both)
    assert [ax.get_ylabel() for ax in figure.axes] == \
        ["membrane potential (mV)", "conductance (nS)", "adaptation current w (nA)"]
    assert all(ax.get_legend() is not None for ax in figure.axes)
    assert figure.axes[-1].get_xlabel() == "time (ms)" and figure.axes[0].get_xlabel() == ""
    # recorded but asked for nothing else: w alone gives two panels
    assert len(trace_figure(simulate(AdEx(), duration=20.0, current=0.5, record_vars=["w"])).axes) == 2


def test_the_panels_refuse_runs_that_lack_what_they_draw():
    from spikeneuron import CondExpSynapse, ValidationError
    from spikeneuron.plotting import plot_adaptation, plot_conductances

    figure, (ax_v, ax_g) = new_figure(2, 1)
    delta = simulate(LIF(), duration=5.0, current=2.0)
    with pytest.raises(ValidationError, match=r"'conductance_ax' parameter of plot_trace .*synapse=CondExpSynapse\(\)"):
        plot_trace(ax_v, delta, conductance_ax=ax_g)
    unrecorded = simulate(LIF(synapse=CondExpSynapse()), duration=5.0)
    with pytest.raises(ValidationError, match=r"record them with record_vars=\['g_ex', 'g_in'\]"):
        plot_conductances(ax_g, unrecorded)
    with pytest.raises(ValidationError, match="'adaptation_ax' parameter of plot_trace .*AdEx's w"):
        plot_trace(ax_v, delta, adaptation_ax=ax_g)
    with pytest.raises(ValidationError, match=r"'result' parameter of plot_adaptation .*record_vars=\['w'\]"):
        plot_adaptation(ax_g, simulate(AdEx(), duration=5.0))
    with pytest.raises(ValidationError, match="an Axes of its own"):
        plot_trace(ax_v, _conductance_run(LIF(synapse=CondExpSynapse())), conductance_ax=ax_v)
    assert not ax_v.get_lines() and not ax_g.get_lines()  # refused before drawing anything
