"""The library's boundary checks: the wrong-unit warning on model parameters."""

import warnings

import pytest

from spikeneuron import LIF, EscapeNoise, ExpSynapse, HodgkinHuxley, MembraneNoise, UnitWarning

#: (model, parameter, a value typed in another unit, that unit): every model parameter that
#: has a unit, typed the way a slip of the unit would type it.
SLIPS = [
    (LIF, "v_th", -0.055, "V"), (LIF, "v_rest", -0.070, "V"), (LIF, "v_reset", -0.075, "V"),
    (LIF, "v_rest", -70000.0, "µV"), (LIF, "tau_m", 0.02, "s"), (LIF, "t_ref", 0.002, "s"), (LIF, "v_th", 3000.0, "µV"),
    (LIF, "r_m", 1e8, "Ω"),
    (HodgkinHuxley, "c_m", 1e-6, "F/cm²"), (HodgkinHuxley, "g_na", 0.0012, "S/cm²"),
    (HodgkinHuxley, "g_k", 0.0036, "S/cm²"), (HodgkinHuxley, "g_l", 0.0003, "S/cm²"),
    (HodgkinHuxley, "e_na", 0.05, "V"), (HodgkinHuxley, "e_k", -0.077, "V"),
    (HodgkinHuxley, "e_l", -0.054, "V"), (HodgkinHuxley, "v_detect", 0.02, "V"),
    (MembraneNoise, "sigma", 0.002, "V"), (MembraneNoise, "tau", 0.005, "s"),
    (EscapeNoise, "delta_u", 0.002, "V"), (EscapeNoise, "tau_esc", 0.002, "s"),
    (ExpSynapse, "tau_ex", 0.005, "s"), (ExpSynapse, "tau_in", 0.01, "s"),
]


def _make(model, name, value):
    if model is MembraneNoise:
        return MembraneNoise(**{"sigma": 1.0, name: value})
    if model is LIF and name in ("v_rest", "v_reset"):  # keep v_reset < v_th
        return LIF(**{"v_rest": -0.070, "v_reset": -0.075, "v_th": -0.055, name: value})
    if model is HodgkinHuxley and name == "v_detect":
        return HodgkinHuxley(v_detect=value)
    return model(**{name: value})


@pytest.mark.parametrize("model, name, value, unit", SLIPS,
                         ids=[f"{m.__name__}-{n}-{u}" for m, n, _, u in SLIPS])
def test_a_value_typed_in_another_unit_warns_naming_the_parameter_and_the_unit(model, name, value, unit):
    with pytest.warns(UnitWarning) as caught:
        _make(model, name, value)
    messages = [str(w.message) for w in caught]
    ours = [m for m in messages if m.startswith(f"{name} = ")]
    assert ours and f"looks like a value in {unit} " in ours[0], messages
    assert all(w.filename == __file__ for w in caught)  # points at the caller's line


def test_physiological_textbook_and_scaled_values_do_not_warn():
    """Defaults, a dimensionless LIF (rest 0, threshold 1) and usual ranges stay silent;
    zero (no refractory period, white noise, a blocked channel) is never questioned."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnitWarning)
        LIF(), HodgkinHuxley(), MembraneNoise(0.5, 0.0), EscapeNoise(), ExpSynapse()
        LIF(v_rest=0.0, v_reset=0.0, v_th=1.0, r_m=1.0, tau_m=1.0, t_ref=0.0)
        LIF(v_rest=0.0, v_reset=5.0, v_th=20.0, tau_m=200.0, r_m=500.0, t_ref=0.01)
        HodgkinHuxley(g_na=0.0, g_k=0.0, g_l=0.01, c_m=0.5)
        ExpSynapse(tau_ex=0.1, tau_in=1e4)
        LIF(v_th=1e6), LIF(tau_m=1e9), HodgkinHuxley(g_k=1e9)  # "never", "for ever": on purpose

