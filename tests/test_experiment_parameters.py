"""Declared experiment parameters: parsing, checking, precedence, and the model's own names."""

import dataclasses

import pytest

from spikeneuron import LIF, HodgkinHuxley, TraubMiles, ValidationError
from spikeneuron.lab.experiment import bundled_experiments
from spikeneuron.lab.parameters import Parameter, UnknownNameError, hh_parameters, lif_parameters, resolve_parameters

OWNER = "experiment 'test'"
DECLARED = (
    Parameter("dt", 0.1, "ms", "time step", positive=True),
    Parameter("n_trials", 800, "", "trials", minimum=10, quick=100),
    Parameter("noise_mv", (0.5, 1.0), "mV", "noise levels", positive=True),
    Parameter("link", "escape", "", "link", choices=("escape", "logistic")),
    Parameter("plot", True, "", "draw figures"),
)


@pytest.mark.parametrize("name, text, value", [
    ("dt", "0.05", 0.05), ("dt", "1e-2", 0.01), ("n_trials", "20", 20), ("n_trials", "2e2", 200),
    ("noise_mv", "0.5,1,2", (0.5, 1.0, 2.0)), ("noise_mv", " 3 ", (3.0,)), ("link", "logistic", "logistic"),
    ("plot", "false", False), ("plot", "Yes", True), ("plot", "0", False),
])
def test_command_line_text_is_parsed_to_the_declared_type(name, text, value):
    parameter = {p.name: p for p in DECLARED}[name]
    parsed = parameter.parse(text, OWNER)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize("name, value, error", [
    ("dt", "-0.1", ValidationError), ("dt", "0", ValidationError), ("dt", "nan", ValidationError),
    ("dt", "abc", ValidationError), ("dt", True, TypeError), ("dt", "inf", ValidationError),
    ("n_trials", "1.5", ValidationError), ("n_trials", "5", ValidationError), ("n_trials", 2.5, ValidationError),
    ("noise_mv", "0.5,,1", ValidationError), ("noise_mv", "", ValidationError), ("noise_mv", [], ValidationError),
    ("noise_mv", "1,-2", ValidationError), ("noise_mv", 3.0, TypeError),
    ("link", "probit", ValidationError), ("link", 3, TypeError), ("plot", "maybe", ValidationError),
    ("plot", 1, TypeError),
])
def test_bad_values_name_the_parameter_the_value_and_what_is_allowed(name, value, error):
    parameter = {p.name: p for p in DECLARED}[name]
    with pytest.raises(error) as caught:
        parameter.parse(value, OWNER)
    message = str(caught.value)
    assert repr(name) in message and OWNER in message and "must be" in message


def test_typed_values_from_toml_or_json_are_checked_the_same_way():
    by_name = {p.name: p for p in DECLARED}
    assert by_name["n_trials"].check(200.0, OWNER) == 200  # JSON has no integers apart
    assert by_name["noise_mv"].check([1, 2], OWNER) == (1.0, 2.0)
    assert by_name["noise_mv"].check("1,2", OWNER) == (1.0, 2.0)


def test_precedence_defaults_quick_config_set():
    assert resolve_parameters(DECLARED, OWNER)["n_trials"] == 800
    assert resolve_parameters(DECLARED, OWNER, quick=True)["n_trials"] == 100
    # a size the user set, in a config file or with --set, wins over --quick
    assert resolve_parameters(DECLARED, OWNER, quick=True, config={"n_trials": 300})["n_trials"] == 300
    values = resolve_parameters(DECLARED, OWNER, quick=True, config={"n_trials": 300, "dt": 0.2},
                                overrides={"n_trials": "400"})
    assert values["n_trials"] == 400 and values.dt == 0.2
    assert list(values) == [p.name for p in DECLARED]  # every declared parameter, in order


def test_unknown_key_suggests_the_closest_names():
    with pytest.raises(UnknownNameError, match=r"unknown parameter 'n_trial'.*did you mean 'n_trials'"):
        resolve_parameters(DECLARED, OWNER, overrides={"n_trial": "3"})
    with pytest.raises(UnknownNameError, match=r"unknown parameter 'zzz'"):
        resolve_parameters(DECLARED, OWNER, config={"zzz": 3})


def test_resolved_parameters_are_read_only():
    values = resolve_parameters(DECLARED, OWNER)
    with pytest.raises(AttributeError):
        values.dt = 0.5
    with pytest.raises(AttributeError, match="no parameter 'tau'"):
        _ = values.tau


@pytest.mark.parametrize("declaration", [
    dict(name="bad name", default=1.0), dict(name="x", default=()), dict(name="x", default=(1, "a")),
    dict(name="x", default=None), dict(name="x", default=-1.0, positive=True),
    dict(name="x", default="a", choices=("b",)), dict(name="x", default=5, minimum=1, quick=0),
])
def test_a_declaration_must_obey_its_own_rules(declaration):
    with pytest.raises((ValidationError, TypeError)):
        Parameter(**declaration)


def test_model_parameters_keep_the_models_names_and_defaults():
    lif = {p.name: p for p in lif_parameters()}
    assert list(lif) == ["tau_m", "v_rest", "v_reset", "v_th", "t_ref", "r_m", "dt"]
    assert lif["dt"].default == 0.1 and lif["dt"].unit == "ms"
    assert hh_parameters()[-1].name == "dt" and hh_parameters()[-1].default == 0.01
    assert "dt" not in [p.name for p in lif_parameters(dt=None)]
    quick_dt = Parameter("dt", 0.02, "ms", "time step", positive=True, quick=0.05)
    assert lif_parameters(dt=quick_dt)[-1] is quick_dt
    for field in dataclasses.fields(LIF):
        if field.name in lif:
            assert lif[field.name].default == field.default
    assert lif_parameters(t_ref=5.0)[4].default == 5.0
    hh = {p.name: p for p in hh_parameters()}
    assert {"c_m", "g_na", "g_k", "g_l", "e_na", "e_k", "e_l"} <= set(hh)
    assert hh["g_na"].default == HodgkinHuxley().g_na and hh["g_na"].unit == "mS/cm²"
    with pytest.raises(ValidationError, match="no LIF parameter named 'tau'"):
        lif_parameters(tau=3.0)


def test_traub_miles_sub_steps_are_integer_parameters_that_reach_the_model(tmp_path):
    """--set substeps=1 (the plain step) reaches the TraubMiles an experiment builds; a count
    that is not an integer >= 1 is refused with the parameter's name."""
    from spikeneuron.lab.experiment import ExperimentContext

    declared = bundled_experiments()["cobahh"].PARAMETERS
    by_name = {p.name: p for p in declared}
    assert by_name["substeps"].default == TraubMiles().substeps
    assert isinstance(by_name["substeps"].default, int)
    assert by_name["substep_above"].default == TraubMiles().substep_above
    values = resolve_parameters(declared, "cobahh", overrides={"substeps": "1",
                                                               "substep_above": "-55"})
    neuron = ExperimentContext("cobahh", tmp_path, 0, False, values).traub()
    assert (neuron.substeps, neuron.substep_above) == (1, -55.0)
    for bad in ("0", "2.5", "eight"):
        with pytest.raises(ValidationError, match="substeps"):
            resolve_parameters(declared, "cobahh", overrides={"substeps": bad})


def test_every_bundled_experiment_declares_its_parameters_with_units_and_descriptions():
    for name, module in bundled_experiments().items():
        assert module.PARAMETERS, name
        names = [p.name for p in module.PARAMETERS]
        # the tempotron is no LIF or HH and runs on no simulation grid: its kernel sets the grid
        no_simulator = name == "tempotron"
        assert "dt" in names or no_simulator, name
        for parameter in module.PARAMETERS:
            assert parameter.description, (name, parameter.name)
        uses_lif = any(p.name == "tau_m" for p in module.PARAMETERS)
        uses_hh = any(p.name == "g_na" for p in module.PARAMETERS)
        # deep-twin's LIF is fixed by the twin's derivation (tau_m = dt/20, its rate law does not
        # depend on v_rest, v_th or r_m): it declares the twin's own t_ref, delta_u, tau_syn
        twin = name == "deep-twin" and {"t_ref", "delta_u", "tau_syn"} <= set(names)
        # firing-patterns runs published parameter tables (Naud et al. 2008, Izhikevich 2003):
        # its cells are the point, so they are not declared one parameter at a time
        published_cells = name == "firing-patterns"
        assert uses_lif or uses_hh or no_simulator or published_cells or twin, name
        for key_number in module.KEY_NUMBERS:
            assert key_number.description, (name, key_number.name)


@pytest.mark.parametrize("name", ["coba", "cobahh"])
def test_the_benchmark_networks_keep_the_sign_of_their_inhibitory_weight(name):
    """A weight carries its sign (negative inhibits) in both conductance benchmarks: the same
    ``--set w_inh_ns=-67`` means the same network in coba and cobahh."""
    module = bundled_experiments()[name]
    declared = {p.name: p for p in module.PARAMETERS}["w_inh_ns"]
    assert declared.default == -67.0 and declared.maximum == 0.0 and declared.unit == "nS"
    with pytest.raises(ValidationError, match="w_inh_ns"):
        declared.parse("67", OWNER)
    net = module.build_network(0, n_exc=8, n_inh=4, p_connect=1.0)
    result = net.run(0.2, dt=0.1, seed=0)
    inhibitory = [p for p in result.projections if p.pre == "inh"]
    assert inhibitory and all(p.weights.data.max() == -67.0 for p in inhibitory)
