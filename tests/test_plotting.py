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
