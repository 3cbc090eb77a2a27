"""Shared fixtures: the list of neuron models every contract test runs over."""

import pytest

from spikeneuron import LIF, AdEx, AlphaSynapse, CondExpSynapse, ExpSynapse, HodgkinHuxley, Izhikevich, TraubMiles

#: Every neuron model of the library, as (id, model). A new model joins this list and
#: inherits the contract tests in test_models_contract.py.
MODELS = [
    ("lif-delta", LIF()),
    ("lif-exp", LIF(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))),
    ("lif-alpha", LIF(synapse=AlphaSynapse(tau_ex=2.0, tau_in=3.0))),
    ("lif-cond", LIF(r_m=100.0, synapse=CondExpSynapse(tau_ex=5.0, tau_in=10.0))),
    ("hh-delta", HodgkinHuxley()),
    ("hh-exp", HodgkinHuxley(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))),
    ("hh-cond", HodgkinHuxley(synapse="cond_exp")),
    ("traub-cond", TraubMiles()),
    ("traub-delta", TraubMiles(synapse="delta")),
    ("adex-delta", AdEx()),
    ("adex-exp", AdEx(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))),
    ("adex-refractory", AdEx(t_ref=2.0, b=0.06)),
    ("adex-cond", AdEx(synapse=CondExpSynapse(tau_ex=5.0, tau_in=10.0))),
    ("izhikevich-delta", Izhikevich()),
    ("izhikevich-exp", Izhikevich(synapse=ExpSynapse(tau_ex=5.0, tau_in=10.0))),
]

@pytest.fixture(params=[model for _, model in MODELS], ids=[name for name, _ in MODELS])
def any_model(request):
    return request.param


@pytest.fixture(params=[model for _, model in MODELS if isinstance(model, LIF)],
                ids=[name for name, model in MODELS if isinstance(model, LIF)])
def exact_model(request):
    """Models integrated exactly, with a closed-form rate (the LIF variants)."""
    return request.param
