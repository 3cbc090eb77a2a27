"""Bad input to every public function and class, refused in the library's words.

One row per call: what is called, the error expected (TypeError for a wrong type: strings,
booleans or complex numbers for numbers, None where a value is required, an unknown keyword;
ValidationError, a ValueError, for a wrong value: NaN, infinity, negative, zero, huge, empty,
ragged, a wrong shape) and a fragment of the message that names the parameter. The error must
be ours, raised from spikeneuron's own code with its message template, never a numpy or scipy
error passing through.
"""

import json
import math
import warnings

import numpy as np
import pytest
import scipy.sparse

import spikeneuron
from spikeneuron import (
    LIF,
    AdEx,
    AlphaSynapse,
    CondExpSynapse,
    DeltaSynapse,
    EscapeNoise,
    ExpSynapse,
    HodgkinHuxley,
    Izhikevich,
    LogisticNetwork,
    LogisticNeuron,
    MembraneNoise,
    Network,
    NotFittedError,
    SimulationResult,
    SpikeTrainFit,
    SpikeTrains,
    SpikingClassifier,
    SpikingNetwork,
    Tempotron,
    TraubMiles,
    ValidationError,
    all_to_all,
    cv_isi,
    digits_split,
    explore,
    fano_factor,
    fixed_indegree,
    fixed_probability,
    from_arrays,
    isi,
    lif_period,
    lif_rate,
    load_network_result,
    load_result,
    mean_isi_rate,
    one_to_one,
    poisson_inputs,
    regular_inputs,
    run_experiment,
    siegert_rate,
    simulate,
    spike_trains,
    sweep,
    synchrony,
)
from spikeneuron.exceptions import SimulationError

VE, TE = ValidationError, TypeError
NAN, INF = math.nan, math.inf


def row(name, call, error, fragment, *marks):
    return pytest.param(call, error, fragment, id=name, marks=marks)


def run(**kwargs):
    """simulate with a default that works, changed by kwargs."""
    arguments = dict(duration=10.0)
    arguments.update(kwargs)
    return simulate(arguments.pop("model", LIF()), **arguments)


def network(**changes):
    """A two-population network; ``changes`` selects which call gets the bad argument."""
    net = Network()
    net.add_population("a", LIF(), 3, **changes.pop("population", {}))
    net.add_population("b", LIF(), 2)
    return net


def _with_population(**options):
    """A network of one population of delta-synapse LIFs, with ``options``."""
    net = Network()
    net.add_population("c", LIF(), 2, **options)
    return net


def _connected(**options):
    net = network()
    net.connect("a", "b", np.ones((3, 2)), **options)
    return net


def fitted_logistic():
    return LogisticNeuron().fit([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [0.0, 3.0]], [0, 1, 1, 0])


def fitted_tempotron():
    patterns = [[[1.0], [2.0]], [[3.0], [4.0]]]
    return Tempotron(2, seed=0).fit(patterns, [0, 1], epochs=1)


def result():
    return simulate(LIF(), duration=5.0, current=2.0)


def fitted_network():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [0.0, 3.0], [1.0, 1.0], [3.0, 0.0]])
    return LogisticNetwork((3,), seed=0, max_iter=20).fit(X, [0, 1, 2, 0, 1, 2])


def given_network():
    return LogisticNetwork(weights=[np.ones((2, 3)), np.ones((3, 1))], biases=[np.zeros(3), [0.0]])


def twin(**options):
    return SpikingNetwork([np.ones((2, 3)), np.ones((3, 1))], [np.zeros(3), [0.0]], window=10.0,
                          seed=0, **options)


CASES = [
    # --- LIF -------------------------------------------------------------------------------
    row("LIF tau_m str", lambda: LIF(tau_m="10"), TE, "'tau_m' parameter of LIF"),
    row("LIF tau_m bool", lambda: LIF(tau_m=True), TE, "'tau_m' parameter of LIF"),
    row("LIF tau_m complex", lambda: LIF(tau_m=1 + 2j), TE, "'tau_m' parameter of LIF"),
    row("LIF tau_m None", lambda: LIF(tau_m=None), TE, "'tau_m' parameter of LIF"),
    row("LIF tau_m list", lambda: LIF(tau_m=[10.0]), TE, "'tau_m' parameter of LIF"),
    row("LIF tau_m nan", lambda: LIF(tau_m=NAN), VE, "'tau_m' parameter of LIF"),
    row("LIF tau_m inf", lambda: LIF(tau_m=INF), VE, "'tau_m' parameter of LIF"),
    row("LIF tau_m negative", lambda: LIF(tau_m=-10.0), VE, "'tau_m' parameter of LIF"),
    row("LIF tau_m zero", lambda: LIF(tau_m=0.0), VE, "'tau_m' parameter of LIF"),
    row("LIF v_rest str", lambda: LIF(v_rest="-70"), TE, "'v_rest' parameter of LIF"),
    row("LIF v_rest nan", lambda: LIF(v_rest=NAN), VE, "'v_rest' parameter of LIF"),
    row("LIF v_reset above v_th", lambda: LIF(v_reset=-50.0), VE, "'v_reset' parameter of LIF"),
    row("LIF v_th bool", lambda: LIF(v_th=False), TE, "'v_th' parameter of LIF"),
    row("LIF v_th -inf", lambda: LIF(v_th=-INF), VE, "'v_th' parameter of LIF"),
    row("LIF v_th huge apart", lambda: LIF(v_rest=-1e308, v_reset=-1e308, v_th=1e308), VE,
        "'v_th' parameter of LIF"),
    row("LIF t_ref negative", lambda: LIF(t_ref=-1.0), VE, "'t_ref' parameter of LIF"),
    row("LIF t_ref complex", lambda: LIF(t_ref=2j), TE, "'t_ref' parameter of LIF"),
    row("LIF r_m zero", lambda: LIF(r_m=0.0), VE, "'r_m' parameter of LIF"),
    row("LIF r_m numpy str", lambda: LIF(r_m=np.str_("10")), TE, "'r_m' parameter of LIF"),
    row("LIF synapse name", lambda: LIF(synapse="nmda"), VE, "'synapse' parameter of LIF"),
    row("LIF synapse number", lambda: LIF(synapse=3), TE, "'synapse' parameter of LIF"),
    row("LIF synapse None", lambda: LIF(synapse=None), TE, "'synapse' parameter of LIF"),
    row("LIF membrane_noise float", lambda: LIF(membrane_noise=2.0), TE, "'membrane_noise' parameter of LIF"),
    row("LIF escape_noise str", lambda: LIF(escape_noise="soft"), TE, "'escape_noise' parameter of LIF"),
    row("LIF unknown keyword", lambda: LIF(tau=10.0), TE, "'tau'"),
    row("LIF with_ unknown", lambda: LIF().with_(tau=1.0), TE, "'tau'"),
    row("LIF with_ bad value", lambda: LIF().with_(tau_m=-1.0), VE, "'tau_m' parameter of LIF"),
    row("LIF exp tau_m too short for dt", lambda: LIF(tau_m=1e-5, synapse="exp").integrator(0.1, 1),
        VE, "'tau_m' parameter of LIF"),
    # --- AdEx --------------------------------------------------------------------------------
    row("AdEx c_m zero", lambda: AdEx(c_m=0.0), VE, "'c_m' parameter of AdEx"),
    row("AdEx c_m tiny", lambda: AdEx(c_m=1e-310), VE, "'c_m' parameter of AdEx"),
    row("AdEx g_l negative", lambda: AdEx(g_l=-10.0), VE, "'g_l' parameter of AdEx"),
    row("AdEx delta_t zero", lambda: AdEx(delta_t=0.0), VE, "'delta_t' parameter of AdEx"),
    row("AdEx tau_w nan", lambda: AdEx(tau_w=NAN), VE, "'tau_w' parameter of AdEx"),
    row("AdEx t_ref negative", lambda: AdEx(t_ref=-1.0), VE, "'t_ref' parameter of AdEx"),
    row("AdEx a str", lambda: AdEx(a="2"), TE, "'a' parameter of AdEx"),
    row("AdEx a nan", lambda: AdEx(a=NAN), VE, "'a' parameter of AdEx"),
    row("AdEx b inf", lambda: AdEx(b=INF), VE, "'b' parameter of AdEx"),
    row("AdEx e_l huge", lambda: AdEx(e_l=1e6), VE, "'e_l' parameter of AdEx"),
    row("AdEx v_peak below v_t", lambda: AdEx(v_peak=-60.0), VE, "'v_peak' parameter of AdEx"),
    row("AdEx v_reset above v_peak", lambda: AdEx(v_reset=5.0), VE, "'v_reset' parameter of AdEx"),
    row("AdEx synapse unknown", lambda: AdEx(synapse="alpha?"), VE, "'synapse' parameter of AdEx"),
    row("AdEx unknown keyword", lambda: AdEx(tau_m=10.0), TE, "tau_m"),
    row("AdEx record_vars unknown", lambda: run(model=AdEx(), record_vars=["u"]), VE,
        "'record_vars' parameter of simulate"),
    row("AdEx integrator dt zero", lambda: AdEx().integrator(0.0, 1), VE, "'dt' parameter of AdEx.integrator"),
    # --- Izhikevich --------------------------------------------------------------------------
    row("Izhikevich cond_exp", lambda: Izhikevich(synapse="cond_exp"), VE, "'synapse' parameter of Izhikevich"),
    row("AdEx alpha", lambda: AdEx(synapse="alpha"), VE, "'synapse' parameter of AdEx"),
    row("AdEx init negative conductance", lambda: run(model=AdEx(synapse="cond_exp"), init={"g_ex": -1.0}),
        VE, "init['g_ex']"),
    row("Izhikevich a zero", lambda: Izhikevich(a=0.0), VE, "'a' parameter of Izhikevich"),
    row("Izhikevich b nan", lambda: Izhikevich(b=NAN), VE, "'b' parameter of Izhikevich"),
    row("Izhikevich c str", lambda: Izhikevich(c="-65"), TE, "'c' parameter of Izhikevich"),
    row("Izhikevich c above v_peak", lambda: Izhikevich(c=40.0), VE, "'c' parameter of Izhikevich"),
    row("Izhikevich d bool", lambda: Izhikevich(d=True), TE, "'d' parameter of Izhikevich"),
    row("Izhikevich v_peak inf", lambda: Izhikevich(v_peak=INF), VE, "'v_peak' parameter of Izhikevich"),
    row("Izhikevich v_peak huge", lambda: Izhikevich(v_peak=1e200), VE, "'v_peak' parameter of Izhikevich"),
    row("Izhikevich record_vars w", lambda: run(model=Izhikevich(), record_vars=["w"]), VE,
        "'record_vars' parameter of simulate"),
    row("Izhikevich overflowing current", lambda: run(model=Izhikevich(), current=1e300),
        SimulationError, "non-finite"),
    # --- HodgkinHuxley -----------------------------------------------------------------------
    row("HH c_m zero", lambda: HodgkinHuxley(c_m=0.0), VE, "'c_m' parameter of HodgkinHuxley"),
    row("HH c_m str", lambda: HodgkinHuxley(c_m="1"), TE, "'c_m' parameter of HodgkinHuxley"),
    row("HH g_na negative", lambda: HodgkinHuxley(g_na=-1.0), VE, "'g_na' parameter of HodgkinHuxley"),
    row("HH g_na huge", lambda: HodgkinHuxley(g_na=1e308), VE, "'g_na' parameter of HodgkinHuxley"),
    row("HH g_k bool", lambda: HodgkinHuxley(g_k=True), TE, "'g_k' parameter of HodgkinHuxley"),
    row("HH g_l inf", lambda: HodgkinHuxley(g_l=INF), VE, "'g_l' parameter of HodgkinHuxley"),
    row("HH g_l zero", lambda: HodgkinHuxley(g_l=0.0), VE, "'g_l' parameter of HodgkinHuxley"),
    row("HH e_na huge", lambda: HodgkinHuxley(e_na=1e308), VE, "'e_na' parameter of HodgkinHuxley"),
    row("HH e_k nan", lambda: HodgkinHuxley(e_k=NAN), VE, "'e_k' parameter of HodgkinHuxley"),
    row("HH e_l complex", lambda: HodgkinHuxley(e_l=1j), TE, "'e_l' parameter of HodgkinHuxley"),
    row("HH v_detect below rest", lambda: HodgkinHuxley(v_detect=-80.0), VE,
        "'v_detect' parameter of HodgkinHuxley"),
    row("HH synapse name", lambda: HodgkinHuxley(synapse="nmda"), VE, "'synapse' parameter of HodgkinHuxley"),
    row("HH unknown keyword", lambda: HodgkinHuxley(gna=1.0), TE, "'gna'"),
    row("HH c_m too small for dt", lambda: HodgkinHuxley(c_m=1e-311).integrator(0.01, 1), VE,
        "'c_m' parameter of HodgkinHuxley"),
    # --- TraubMiles --------------------------------------------------------------------------
    row("Traub c_m zero", lambda: TraubMiles(c_m=0.0), VE, "'c_m' parameter of TraubMiles"),
    row("Traub g_na str", lambda: TraubMiles(g_na="2e4"), TE, "'g_na' parameter of TraubMiles"),
    row("Traub g_k negative", lambda: TraubMiles(g_k=-1.0), VE, "'g_k' parameter of TraubMiles"),
    row("Traub g_l zero", lambda: TraubMiles(g_l=0.0), VE, "'g_l' parameter of TraubMiles"),
    row("Traub e_l nan", lambda: TraubMiles(e_l=NAN), VE, "'e_l' parameter of TraubMiles"),
    row("Traub v_t inf", lambda: TraubMiles(v_t=INF), VE, "'v_t' parameter of TraubMiles"),
    row("Traub v_t bool", lambda: TraubMiles(v_t=True), TE, "'v_t' parameter of TraubMiles"),
    row("Traub v_detect below start", lambda: TraubMiles(v_detect=-70.0), VE,
        "'v_detect' parameter of TraubMiles"),
    row("Traub alpha synapse", lambda: TraubMiles(synapse="alpha"), VE,
        "'synapse' parameter of TraubMiles"),
    row("Traub unknown keyword", lambda: TraubMiles(vt=-63.0), TE, "'vt'"),
    row("Traub substeps zero", lambda: TraubMiles(substeps=0), VE,
        "'substeps' parameter of TraubMiles"),
    row("Traub substeps float", lambda: TraubMiles(substeps=8.0), TE,
        "'substeps' parameter of TraubMiles"),
    row("Traub substep_above nan", lambda: TraubMiles(substep_above=NAN), VE,
        "'substep_above' parameter of TraubMiles"),
    row("Traub negative g_ex init", lambda: simulate(TraubMiles(), duration=1.0,
                                                       init={"g_ex": -1.0}), VE, "init['g_ex']"),
    row("Traub nan g_in init", lambda: simulate(TraubMiles(), duration=1.0,
                                                  init={"g_in": NAN}), VE, "init"),
    row("Traub init unknown", lambda: simulate(TraubMiles(), duration=1.0, init={"i_na": 0.5}), VE,
        "init"),
    row("Traub gate init above 1", lambda: simulate(TraubMiles(), duration=1.0, init={"h": 1.5}),
        VE, "init['h']"),
    row("Traub c_m too small for dt", lambda: TraubMiles(c_m=1e-305).integrator(0.1, 1), VE,
        "'c_m' parameter of TraubMiles"),
    row("HH cond_exp negative g_in init", lambda: simulate(HodgkinHuxley(synapse="cond_exp"),
        duration=1.0, dt=0.01, init={"g_in": -2.0}), VE, "init['g_in']"),
    # --- synapses and noise ------------------------------------------------------------------
    row("ExpSynapse tau_ex zero", lambda: ExpSynapse(tau_ex=0.0), VE, "'tau_ex' parameter of ExpSynapse"),
    row("ExpSynapse tau_in str", lambda: ExpSynapse(tau_in="10"), TE, "'tau_in' parameter of ExpSynapse"),
    row("ExpSynapse tau_in nan", lambda: ExpSynapse(tau_in=NAN), VE, "'tau_in' parameter of ExpSynapse"),
    row("ExpSynapse unknown", lambda: ExpSynapse(tau=1.0), TE, "'tau'"),
    row("DeltaSynapse argument", lambda: DeltaSynapse(1.0), TE, "argument"),
    row("AlphaSynapse tau_ex negative", lambda: AlphaSynapse(tau_ex=-2.0), VE, "'tau_ex' parameter of AlphaSynapse"),
    row("AlphaSynapse tau_in nan", lambda: AlphaSynapse(tau_in=NAN), VE, "'tau_in' parameter of AlphaSynapse"),
    row("AlphaSynapse tau_in str", lambda: AlphaSynapse(tau_in="2"), TE, "'tau_in' parameter of AlphaSynapse"),
    row("AlphaSynapse unknown", lambda: AlphaSynapse(tau=1.0), TE, "'tau'"),
    row("CondExpSynapse tau_ex zero", lambda: CondExpSynapse(tau_ex=0.0), VE, "'tau_ex' parameter of CondExpSynapse"),
    row("CondExpSynapse tau_in negative", lambda: CondExpSynapse(tau_in=-10.0), VE, "'tau_in' parameter of CondExpSynapse"),
    row("CondExpSynapse tau_in inf", lambda: CondExpSynapse(tau_in=INF), VE, "'tau_in' parameter of CondExpSynapse"),
    row("CondExpSynapse e_ex below e_in", lambda: CondExpSynapse(e_ex=-90.0), VE, "'e_ex' parameter of CondExpSynapse"),
    row("CondExpSynapse e_ex equal e_in", lambda: CondExpSynapse(e_ex=-80.0), VE, "above e_in = -80 mV"),
    row("CondExpSynapse e_in nan", lambda: CondExpSynapse(e_in=NAN), VE, "'e_in' parameter of CondExpSynapse"),
    row("CondExpSynapse e_ex str", lambda: CondExpSynapse(e_ex="0"), TE, "'e_ex' parameter of CondExpSynapse"),
    row("CondExpSynapse unknown", lambda: CondExpSynapse(g_max=1.0), TE, "'g_max'"),
    row("LIF synapse class not instance", lambda: LIF(synapse=CondExpSynapse), TE, "'synapse' parameter of LIF"),
    row("LIF alpha tau_m too short for dt", lambda: LIF(tau_m=1e-5, synapse="alpha").integrator(0.1, 1),
        VE, "'tau_m' parameter of LIF"),
    row("MembraneNoise sigma negative", lambda: MembraneNoise(sigma=-1.0), VE, "'sigma' parameter of MembraneNoise"),
    row("MembraneNoise sigma missing", lambda: MembraneNoise(), TE, "'sigma'"),
    row("MembraneNoise sigma str", lambda: MembraneNoise(sigma="1"), TE, "'sigma' parameter of MembraneNoise"),
    row("MembraneNoise tau inf", lambda: MembraneNoise(sigma=1.0, tau=INF), VE, "'tau' parameter of MembraneNoise"),
    row("MembraneNoise tau bool", lambda: MembraneNoise(sigma=1.0, tau=True), TE, "'tau' parameter of MembraneNoise"),
    row("LIF noise current overflows", lambda: LIF(r_m=1e-300, membrane_noise=MembraneNoise(1.0, 5.0)),
        VE, "'membrane_noise' parameter of LIF"),
    row("EscapeNoise delta_u zero", lambda: EscapeNoise(delta_u=0.0), VE, "'delta_u' parameter of EscapeNoise"),
    row("EscapeNoise tau_esc complex", lambda: EscapeNoise(tau_esc=1j), TE, "'tau_esc' parameter of EscapeNoise"),
    row("EscapeNoise tau_esc negative", lambda: EscapeNoise(tau_esc=-1.0), VE, "'tau_esc' parameter of EscapeNoise"),
    # --- simulate ------------------------------------------------------------------------------
    row("simulate init not a dict", lambda: run(init=[("g_ex", 1.0)]), TE, "'init' parameter of simulate"),
    row("simulate init key not str", lambda: run(model=LIF(synapse="cond_exp"), init={0: 1.0}), TE,
        "'init' parameter of simulate"),
    row("simulate init nan", lambda: run(model=LIF(synapse="cond_exp"), init={"g_ex": NAN}), VE,
        "\"init['g_ex']\" parameter of simulate"),
    row("simulate init str value", lambda: run(model=LIF(synapse="cond_exp"), init={"g_ex": "1"}), TE,
        "\"init['g_ex']\" parameter of simulate"),
    row("simulate init v", lambda: run(init={"v": -60.0}), VE, "v_init"),
    row("simulate init conductance on delta", lambda: run(init={"g_ex": 5.0}), VE,
        "'init' parameter of simulate"),
    row("simulate init conductance on exp", lambda: run(model=LIF(synapse="exp"), init={"g_in": 5.0}), VE,
        "among ('i_syn_ex', 'i_syn_in')"),
    row("simulate init negative conductance", lambda: run(model=LIF(synapse="cond_exp"),
                                                          init={"g_in": [1.0, -2.0]}), VE, "init['g_in']"),
    row("simulate init wrong shape", lambda: run(model=LIF(synapse="cond_exp"), n=3,
                                                 init={"g_ex": [1.0, 2.0]}), VE, "number of neurons"),
    row("simulate init 2-D", lambda: run(model=LIF(synapse="cond_exp"), init={"g_ex": [[1.0]]}), VE,
        "\"init['g_ex']\" parameter of simulate"),
    row("simulate record conductance on delta", lambda: run(record_vars=["g_ex"]), VE,
        "'record_vars' parameter of simulate"),
    row("simulate conductance weights nan", lambda: run(model=LIF(synapse="cond_exp"), inputs=[[1.0]],
                                                        weights=[NAN]), VE, "'weights' parameter of simulate"),
    row("simulate model None", lambda: run(model=None), TE, "'model' parameter of simulate"),
    row("simulate model class", lambda: run(model=LIF), TE, "'model' parameter of simulate"),
    row("simulate model str", lambda: run(model="LIF"), TE, "'model' parameter of simulate"),
    row("simulate duration str", lambda: run(duration="10"), TE, "'duration' parameter of simulate"),
    row("simulate duration bool", lambda: run(duration=True), TE, "'duration' parameter of simulate"),
    row("simulate duration nan", lambda: run(duration=NAN), VE, "'duration' parameter of simulate"),
    row("simulate duration negative", lambda: run(duration=-1.0), VE, "'duration' parameter of simulate"),
    row("simulate duration below dt", lambda: run(duration=0.01), VE, "'duration' parameter of simulate"),
    row("simulate duration huge", lambda: run(duration=1e308, record_v=False), VE, "'duration' parameter of simulate"),
    row("simulate duration missing", lambda: simulate(LIF()), TE, "'duration'"),
    row("simulate dt zero", lambda: run(dt=0.0), VE, "'dt' parameter of simulate"),
    row("simulate dt inf", lambda: run(dt=INF), VE, "'dt' parameter of simulate"),
    row("simulate dt complex", lambda: run(dt=0.1 + 0j), TE, "'dt' parameter of simulate"),
    row("simulate dt tiny", lambda: run(dt=1e-300), VE, "steps of dt = 1e-300 ms"),
    row("simulate current str", lambda: run(current="1"), TE, "'current' parameter of simulate"),
    row("simulate current bool", lambda: run(current=True), TE, "'current' parameter of simulate"),
    row("simulate current complex", lambda: run(current=[1j, 2j]), TE, "'current' parameter of simulate"),
    row("simulate current nan", lambda: run(current=NAN), VE, "'current' parameter of simulate"),
    row("simulate current inf array", lambda: run(current=[1.0, INF]), VE, "'current' parameter of simulate"),
    row("simulate current ragged", lambda: run(current=[[1.0], [1.0, 2.0]]), TE, "'current' parameter of simulate"),
    row("simulate current empty", lambda: run(current=[]), VE, "'current' parameter of simulate"),
    row("simulate current wrong shape", lambda: run(current=np.ones((5, 2)), n=2), VE,
        "'current' parameter of simulate"),
    row("simulate current function nan", lambda: run(current=lambda t: t * NAN), VE,
        "'current' parameter of simulate"),
    row("simulate current dict", lambda: run(current={"a": 1}), TE, "'current' parameter of simulate"),
    row("simulate inputs str", lambda: run(inputs="abc", weights=[1.0]), TE, "'inputs' parameter of simulate"),
    row("simulate inputs nan", lambda: run(inputs=[[NAN]], weights=[1.0]), VE, "'inputs' parameter of simulate"),
    row("simulate inputs strings", lambda: run(inputs=[["1.0"]], weights=[1.0]), TE, "'inputs' parameter of simulate"),
    row("simulate inputs complex", lambda: run(inputs=[[1j]], weights=[1.0]), TE, "'inputs' parameter of simulate"),
    row("simulate inputs negative", lambda: run(inputs=[[-1.0]], weights=[1.0]), VE, "'inputs' parameter of simulate"),
    row("simulate inputs without weights", lambda: run(inputs=[[1.0]]), VE, "'weights'"),
    row("simulate weights without inputs", lambda: run(weights=[1.0]), VE, "'weights'"),
    row("simulate weights wrong length", lambda: run(inputs=[[1.0]], weights=[1.0, 2.0]), VE,
        "'weights' parameter of simulate"),
    row("simulate weights nan", lambda: run(inputs=[[1.0]], weights=[NAN]), VE, "'weights' parameter of simulate"),
    row("simulate weights str", lambda: run(inputs=[[1.0]], weights=["1"]), TE, "'weights' parameter of simulate"),
    row("simulate weights bool", lambda: run(inputs=[[1.0]], weights=[True]), TE, "'weights' parameter of simulate"),
    row("simulate weights 3-D", lambda: run(inputs=[[1.0]], weights=np.ones((1, 1, 1))), VE,
        "'weights' parameter of simulate"),
    row("simulate n zero", lambda: run(n=0), VE, "'n' parameter of simulate"),
    row("simulate n float", lambda: run(n=1.5), TE, "'n' parameter of simulate"),
    row("simulate n bool", lambda: run(n=True), TE, "'n' parameter of simulate"),
    row("simulate n str", lambda: run(n="3"), TE, "'n' parameter of simulate"),
    row("simulate n huge", lambda: run(n=10**12, record_v=False), VE, "'n' parameter of simulate"),
    row("simulate n disagrees", lambda: run(n=2, current=[1.0, 2.0, 3.0]), VE, "'current' parameter of simulate"),
    row("simulate n disagrees with v_init", lambda: run(n=2, v_init=[-70.0, -65.0, -60.0]), VE, "number of neurons"),
    row("simulate seed negative", lambda: run(seed=-1), VE, "'seed' parameter of simulate"),
    row("simulate seed str", lambda: run(seed="1"), TE, "'seed' parameter of simulate"),
    row("simulate seed bool", lambda: run(seed=True), TE, "'seed' parameter of simulate"),
    row("simulate seed float", lambda: run(seed=1.5), TE, "'seed' parameter of simulate"),
    row("simulate record_v 1", lambda: run(record_v=1), VE, "'record_v' parameter of simulate"),
    row("simulate record_v repeated", lambda: run(record_v=[0, 0], n=2), VE, "'record_v' parameter of simulate"),
    row("simulate record_v out of range", lambda: run(record_v=[5], n=2), VE, "'record_v' parameter of simulate"),
    row("simulate record_v negative", lambda: run(record_v=[-1], n=2), VE, "'record_v' parameter of simulate"),
    row("simulate record_v floats", lambda: run(record_v=[0.5]), VE, "'record_v' parameter of simulate"),
    row("simulate record_v str", lambda: run(record_v="yes"), VE, "'record_v' parameter of simulate"),
    row("simulate record_v ragged", lambda: run(record_v=[[0], [0, 1]], n=2), VE, "'record_v' parameter of simulate"),
    row("simulate record_v too big", lambda: run(duration=1e6, dt=0.001, n=10), VE, "Recording"),
    row("simulate record_vars unknown", lambda: run(record_vars=["m"]), VE, "'record_vars' parameter of simulate"),
    row("simulate record_vars without record_v", lambda: run(model=LIF(synapse="exp"), record_v=False,
                                                           record_vars=["i_syn_ex"]), VE, "'record_vars'"),
    row("simulate v_init str", lambda: run(v_init="-70"), TE, "'v_init' parameter of simulate"),
    row("simulate v_init nan", lambda: run(v_init=[NAN]), VE, "'v_init' parameter of simulate"),
    row("simulate v_init wrong shape", lambda: run(v_init=[-70.0, -65.0], n=3), VE, "number of neurons"),
    row("simulate backend", lambda: run(backend="cuda"), VE, "'backend' parameter of simulate"),
    row("simulate unknown keyword", lambda: run(durration=10.0), TE, "'durration'"),
    row("simulate positional duration", lambda: simulate(LIF(), 10.0), TE, "positional"),
    # --- Network ----------------------------------------------------------------------------
    row("Network population n zero", lambda: network(population={}).add_population("c", LIF(), 0), VE,
        "'n' parameter of Network.add_population"),
    row("Network population n str", lambda: Network().add_population("c", LIF(), "3"), TE,
        "'n' parameter of Network.add_population"),
    row("Network population n bool", lambda: Network().add_population("c", LIF(), True), TE,
        "'n' parameter of Network.add_population"),
    row("Network population init nan", lambda: Network().add_population("c", LIF(synapse="cond_exp"), 2,
                                                                     init={"g_ex": [1.0, NAN]}), VE,
        "\"init['g_ex']\" parameter of Network.add_population"),
    row("Network population init shape", lambda: Network().add_population("c", LIF(synapse="cond_exp"), 2,
                                                                       init={"g_ex": [1.0, 2.0, 3.0]}), VE,
        "\"init['g_ex']\" parameter of Network.add_population"),
    row("Network population init not a dict", lambda: Network().add_population("c", LIF(), 2, init=1.0), TE,
        "'init' parameter of Network.add_population"),
    row("Network population init unknown at run", lambda: _with_population(init={"g_ex": 1.0}).run(1.0), VE,
        "'init' parameter of Network.add_population"),
    row("Network population record_vars without record_v", lambda: Network().add_population(
        "c", LIF(synapse="cond_exp"), 2, record_vars=["g_ex"]), VE, "'record_vars' parameter of Network.add_population"),
    row("Network population record_vars not str", lambda: Network().add_population(
        "c", LIF(synapse="cond_exp"), 2, record_v=True, record_vars=[1]), TE, "'record_vars' parameter of Network.add_population"),
    row("Network population record_vars unknown at run", lambda: _with_population(
        record_v=True, record_vars=["g_ex"]).run(1.0), VE, "'record_vars' parameter of Network.add_population"),
    row("Network population name twice", lambda: network().add_population("a", LIF(), 2), VE, "'a'"),
    row("Network population name number", lambda: Network().add_population(3, LIF(), 2), TE,
        "'name' parameter of Network.add_population"),
    row("Network population name empty", lambda: Network().add_population("", LIF(), 2), VE,
        "'name' parameter of Network.add_population"),
    row("Network population model", lambda: Network().add_population("c", "LIF", 2), TE,
        "'model' parameter of Network.add_population"),
    row("Network population current nan", lambda: Network().add_population("c", LIF(), 2, current=NAN),
        VE, "'current' parameter of Network"),
    row("Network connect unknown", lambda: network().connect("a", "z", all_to_all(1.0)), VE, "'z'"),
    row("Network connect rule", lambda: network().connect("a", "b", 1.0), TE, "'connection' parameter of Network.connect"),
    row("Network connect delay negative", lambda: network().connect("a", "b", all_to_all(1.0), delay=-1.0),
        VE, "'delay' parameter of Network.connect"),
    row("Network connect delay str", lambda: network().connect("a", "b", all_to_all(1.0), delay="1"),
        TE, "'delay' parameter of Network.connect"),
    row("Network add_input weights nan", lambda: network().add_input("a", [[1.0]], one_to_one(NAN)), VE,
        "'weight'"),
    row("Network add_input inputs str", lambda: network().add_input("a", "spikes", all_to_all(1.0)), TE,
        "'inputs' parameter of Network.add_input"),
    row("Network run duration nan", lambda: network().run(NAN), VE, "'duration' parameter of Network.run"),
    row("Network run duration str", lambda: network().run("10"), TE, "'duration' parameter of Network.run"),
    row("Network run dt negative", lambda: network().run(10.0, dt=-0.1), VE, "'dt' parameter of Network.run"),
    row("Network run seed bool", lambda: network().run(10.0, seed=True), TE, "'seed' parameter of Network.run"),
    row("Network run empty", lambda: Network().run(10.0), VE, "population"),
    row("Network run unknown keyword", lambda: network().run(10.0, step=0.1), TE, "'step'"),
    row("Network run weight_dtype float16", lambda: network().run(10.0, weight_dtype="float16"), VE,
        "'weight_dtype' parameter of Network.run must be 'float64' or 'float32'"),
    row("Network run weight_dtype None", lambda: network().run(10.0, weight_dtype=None), VE,
        "'weight_dtype' parameter of Network.run"),
    row("Network run weight_dtype unknown", lambda: network().run(10.0, weight_dtype="single!"), VE,
        "'weight_dtype' parameter of Network.run"),
    row("Network run weight_dtype number", lambda: network().run(10.0, weight_dtype=4), TE,
        "'weight_dtype' parameter of Network.run"),
    # --- connection rules ------------------------------------------------------------------
    row("all_to_all weight str", lambda: all_to_all("1"), TE, "'weight' parameter of all_to_all"),
    row("all_to_all weight nan", lambda: all_to_all(NAN), VE, "'weight' parameter of all_to_all"),
    row("all_to_all weight complex", lambda: all_to_all(1j), TE, "'weight' parameter of all_to_all"),
    row("all_to_all autapses str", lambda: all_to_all(1.0, autapses="no"), TE, "'autapses' parameter of all_to_all"),
    row("one_to_one weight inf", lambda: one_to_one(INF), VE, "'weight' parameter of one_to_one"),
    row("one_to_one weight bool", lambda: one_to_one(True), TE, "'weight' parameter of one_to_one"),
    row("fixed_probability p above 1", lambda: fixed_probability(1.5, 1.0), VE, "'p' parameter of fixed_probability"),
    row("fixed_probability p negative", lambda: fixed_probability(-0.1, 1.0), VE, "'p' parameter of fixed_probability"),
    row("fixed_probability p str", lambda: fixed_probability("0.1", 1.0), TE, "'p' parameter of fixed_probability"),
    row("fixed_probability p nan", lambda: fixed_probability(NAN, 1.0), VE, "'p' parameter of fixed_probability"),
    row("fixed_indegree k negative", lambda: fixed_indegree(-1, 1.0), VE, "'k' parameter of fixed_indegree"),
    row("fixed_indegree k float", lambda: fixed_indegree(1.5, 1.0), TE, "'k' parameter of fixed_indegree"),
    row("fixed_indegree k bool", lambda: fixed_indegree(True, 1.0), TE, "'k' parameter of fixed_indegree"),
    row("from_arrays pre str", lambda: from_arrays(["a"], [0], [1.0]), TE, "'pre' parameter of from_arrays"),
    row("from_arrays lengths", lambda: from_arrays([0, 1], [0], [1.0, 1.0]), VE, "from_arrays"),
    row("from_arrays pre negative", lambda: from_arrays([-1], [0], [1.0]), VE, "'pre' parameter of from_arrays"),
    row("from_arrays weights nan", lambda: from_arrays([0], [0], [NAN]), VE, "'weights' parameter of from_arrays"),
    row("from_arrays pre fraction", lambda: from_arrays([0.5], [0], [1.0]), VE, "'pre' parameter of from_arrays"),
    row("from_arrays delays negative", lambda: from_arrays([0], [0], [1.0], delays=[-1.0]), VE,
        "'delays' parameter of from_arrays"),
    row("from_arrays ragged", lambda: from_arrays([[0], [0, 1]], [0], [1.0]), TE, "'pre' parameter of from_arrays"),
    # --- inputs -----------------------------------------------------------------------------
    row("spike_trains str", lambda: spike_trains("1, 2"), TE, "spike_trains"),
    row("spike_trains nan", lambda: spike_trains([[1.0, NAN]]), VE, "spike_trains"),
    row("spike_trains strings", lambda: spike_trains([["1"]]), TE, "spike_trains"),
    row("spike_trains bools", lambda: spike_trains([[True]]), TE, "spike_trains"),
    row("spike_trains negative", lambda: spike_trains([[-1.0]]), VE, "spike_trains"),
    row("spike_trains nested", lambda: spike_trains([[[1.0]]]), VE, "spike_trains"),
    row("spike_trains None", lambda: spike_trains(None), TE, "spike_trains"),
    row("SpikeTrains sources", lambda: SpikeTrains(np.array([1.0]), np.array([5]), 2), VE, "'n_sources'"),
    row("SpikeTrains negative", lambda: SpikeTrains(np.array([-1.0]), np.array([0]), 1), VE, "'times'"),
    row("poisson_inputs rates str", lambda: poisson_inputs("10", 100.0, seed=0), TE, "'rates_hz' parameter of poisson_inputs"),
    row("poisson_inputs rates negative", lambda: poisson_inputs([-1.0], 100.0, seed=0), VE,
        "'rates_hz' parameter of poisson_inputs"),
    row("poisson_inputs rates nan", lambda: poisson_inputs([NAN], 100.0, seed=0), VE, "'rates_hz' parameter of poisson_inputs"),
    row("poisson_inputs rates ragged", lambda: poisson_inputs([[1.0], [1.0, 2.0]], 100.0, seed=0), TE,
        "'rates_hz' parameter of poisson_inputs"),
    row("poisson_inputs rates complex", lambda: poisson_inputs([1j], 100.0, seed=0), TE, "'rates_hz' parameter of poisson_inputs"),
    row("poisson_inputs rates huge", lambda: poisson_inputs([1e300], 100.0, seed=0), VE, "poisson_inputs"),
    row("poisson_inputs duration zero", lambda: poisson_inputs([10.0], 0.0, seed=0), VE, "'duration' parameter of poisson_inputs"),
    row("poisson_inputs duration bool", lambda: poisson_inputs([10.0], True, seed=0), TE, "'duration' parameter of poisson_inputs"),
    row("poisson_inputs seed missing", lambda: poisson_inputs([10.0], 100.0), TE, "'seed'"),
    row("poisson_inputs seed negative", lambda: poisson_inputs([10.0], 100.0, seed=-1), VE, "'seed' parameter of poisson_inputs"),
    row("poisson_inputs seed str", lambda: poisson_inputs([10.0], 100.0, seed="0"), TE, "'seed' parameter of poisson_inputs"),
    row("poisson_inputs dt zero", lambda: poisson_inputs([10.0], 100.0, seed=0, dt=0.0), VE, "'dt' parameter of poisson_inputs"),
    row("regular_inputs rates negative", lambda: regular_inputs([-5.0], 100.0), VE, "'rates_hz' parameter of regular_inputs"),
    row("regular_inputs rates huge", lambda: regular_inputs([1e300], 100.0), VE, "regular_inputs"),
    row("regular_inputs duration inf", lambda: regular_inputs([5.0], INF), VE, "'duration' parameter of regular_inputs"),
    row("regular_inputs start str", lambda: regular_inputs([5.0], 100.0, start="0"), TE, "'start' parameter of regular_inputs"),
    row("regular_inputs start wrong length", lambda: regular_inputs([5.0], 100.0, start=[0.0, 1.0]), VE,
        "'start' parameter of regular_inputs"),
    # --- analysis ---------------------------------------------------------------------------
    row("lif_rate current str", lambda: lif_rate("2", LIF()), TE, "'current' parameter of lif_rate"),
    row("lif_rate current nan", lambda: lif_rate(NAN, LIF()), VE, "'current' parameter of lif_rate"),
    row("lif_rate current complex", lambda: lif_rate([1j], LIF()), TE, "'current' parameter of lif_rate"),
    row("lif_rate current ragged", lambda: lif_rate([[1.0], [1.0, 2.0]], LIF()), TE, "'current' parameter of lif_rate"),
    row("lif_rate model HH", lambda: lif_rate(2.0, HodgkinHuxley()), TE, "'model' parameter of lif_rate"),
    row("lif_rate model None", lambda: lif_rate(2.0, None), TE, "'model' parameter of lif_rate"),
    row("lif_rate dt zero", lambda: lif_rate(2.0, LIF(), dt=0.0), VE, "'dt' parameter of lif_rate"),
    row("lif_rate dt str", lambda: lif_rate(2.0, LIF(), dt="0.1"), TE, "'dt' parameter of lif_rate"),
    row("lif_period current inf", lambda: lif_period(INF, LIF()), VE, "'current' parameter of lif_period"),
    row("lif_period current bool", lambda: lif_period(True, LIF()), TE, "'current' parameter of lif_period"),
    row("isi str", lambda: isi("1 2 3"), TE, "'spike_times' parameter of isi"),
    row("isi nan", lambda: isi([1.0, NAN]), VE, "'spike_times' parameter of isi"),
    row("isi unsorted", lambda: isi([3.0, 1.0]), VE, "'spike_times' parameter of isi"),
    row("isi 2-D", lambda: isi([[1.0, 2.0]]), VE, "'spike_times' parameter of isi"),
    row("isi bools", lambda: isi([True, False]), TE, "'spike_times' parameter of isi"),
    row("cv_isi inf", lambda: cv_isi([1.0, INF]), VE, "'spike_times' parameter of cv_isi"),
    row("fano_factor not a list", lambda: fano_factor(3.0, 100.0), TE, "'spike_times_list' parameter of fano_factor"),
    row("fano_factor empty", lambda: fano_factor([], 100.0), VE, "'spike_times_list' parameter of fano_factor"),
    row("fano_factor duration negative", lambda: fano_factor([[1.0]], -1.0), VE, "'duration' parameter of fano_factor"),
    row("fano_factor window too long", lambda: fano_factor([[1.0]], 100.0, window_ms=80.0), VE,
        "'window_ms' parameter of fano_factor"),
    row("fano_factor nan spike", lambda: fano_factor([[1.0, NAN]], 1000.0), VE, "spike_times_list[0]"),
    row("synchrony bin zero", lambda: synchrony([[1.0]], 100.0, bin_ms=0.0), VE, "'bin_ms' parameter of synchrony"),
    row("synchrony str", lambda: synchrony("spikes", 100.0), TE, "'spike_times_list' parameter of synchrony"),
    row("synchrony unsorted", lambda: synchrony([[5.0, 1.0]], 100.0), VE, "spike_times_list[0]"),
    row("synchrony duration nan", lambda: synchrony([[1.0]], NAN), VE, "'duration' parameter of synchrony"),
    row("cv_isi complex", lambda: cv_isi([1j, 2j]), TE, "'spike_times' parameter of cv_isi"),
    row("mean_isi_rate str", lambda: mean_isi_rate("abc"), TE, "'spike_times_list' parameter of mean_isi_rate"),
    row("mean_isi_rate nan train", lambda: mean_isi_rate([[1.0, NAN]]), VE, "mean_isi_rate"),
    row("siegert_rate sigma negative", lambda: siegert_rate(-60.0, -1.0, LIF()), VE, "'sigma' parameter of siegert_rate"),
    row("siegert_rate mu str", lambda: siegert_rate("-60", 1.0, LIF()), TE, "'mu' parameter of siegert_rate"),
    row("siegert_rate mu nan", lambda: siegert_rate(NAN, 1.0, LIF()), VE, "'mu' parameter of siegert_rate"),
    row("siegert_rate model", lambda: siegert_rate(-60.0, 1.0, HodgkinHuxley()), TE, "'model' parameter of siegert_rate"),
    row("siegert_rate shapes", lambda: siegert_rate([-60.0, -58.0], [1.0, 2.0, 3.0], LIF()), VE, "siegert_rate"),
    # --- results ----------------------------------------------------------------------------
    row("load_result missing", lambda: load_result("/nonexistent/run.npz"), VE, "run.npz"),
    row("load_result path number", lambda: load_result(3), TE, "'path' parameter of load_result"),
    row("load_result None", lambda: load_result(None), TE, "'path' parameter of load_result"),
    row("load_network_result missing", lambda: load_network_result("/nonexistent/net.npz"), VE, "net.npz"),
    row("result save to a number", lambda: result().save(3), TE, "'path' parameter of SimulationResult.save"),
    row("result to_csv to None", lambda: result().to_csv(None), TE, "'directory' parameter of SimulationResult.to_csv"),
    row("SimulationResult missing fields", lambda: SimulationResult(v=None), TE, "SimulationResult"),
    # --- the logistic neuron ----------------------------------------------------------------
    # (the constructor only stores, as scikit-learn's do: hand-picked values are checked on use)
    row("LogisticNeuron weights str", lambda: LogisticNeuron(weights="1").predict_proba([1.0]), TE,
        "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron weights nan", lambda: LogisticNeuron(weights=[NAN]).predict([1.0]), VE,
        "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron weights ragged", lambda: LogisticNeuron(weights=[[1.0], [1.0, 2.0]]).activation([1.0]), TE,
        "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron weights 2-D", lambda: LogisticNeuron(weights=[[1.0, 2.0]]).predict_proba([1.0, 2.0]), VE,
        "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron weights empty", lambda: LogisticNeuron(weights=[]).predict_proba([1.0]), VE,
        "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron bias bool", lambda: LogisticNeuron(weights=[1.0], bias=True).predict([1.0]), TE,
        "'bias' parameter of LogisticNeuron"),
    row("LogisticNeuron bias inf", lambda: LogisticNeuron(weights=[1.0], bias=INF).predict([1.0]), VE,
        "'bias' parameter of LogisticNeuron"),
    row("LogisticNeuron weights wrong length for fit", lambda: LogisticNeuron(weights=[1.0]).fit(
        [[0.0, 1.0], [1.0, 0.0]], [0, 1]), VE, "'weights' parameter of LogisticNeuron"),
    row("LogisticNeuron unknown keyword", lambda: LogisticNeuron(weight=[1.0]), TE, "'weight'"),
    row("LogisticNeuron unfitted", lambda: LogisticNeuron().predict_proba([[1.0]]), NotFittedError, "fit"),
    row("LogisticNeuron X wrong width", lambda: LogisticNeuron(weights=[1.0, 2.0]).predict_proba([[1.0]]), VE,
        "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron X str", lambda: LogisticNeuron(weights=[1.0]).predict_proba([["a"]]), TE,
        "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron X nan", lambda: LogisticNeuron(weights=[1.0]).predict([[NAN]]), VE, "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron X empty", lambda: LogisticNeuron(weights=[1.0]).activation([]), VE, "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron X 3-D", lambda: LogisticNeuron(weights=[1.0]).predict_proba(np.ones((2, 1, 1))), VE,
        "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron fit X huge", lambda: LogisticNeuron().fit([[1e200], [-1e200]], [0, 1]), VE, "standardise"),
    row("LogisticNeuron fit y labels", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 2]), VE, "'y' parameter of LogisticNeuron"),
    row("LogisticNeuron fit y length", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1, 1]), VE, "LogisticNeuron"),
    row("LogisticNeuron fit y str", lambda: LogisticNeuron().fit([[1.0], [2.0]], ["a", "b"]), TE, "'y' parameter of LogisticNeuron"),
    row("LogisticNeuron fit X ragged", lambda: LogisticNeuron().fit([[1.0], [2.0, 3.0]], [0, 1]), TE,
        "'X' parameter of LogisticNeuron"),
    row("LogisticNeuron fit method", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1], method="sgd"), VE,
        "'method' parameter of LogisticNeuron.fit"),
    row("LogisticNeuron fit l2 negative", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1], l2=-1.0), VE,
        "'l2' parameter of LogisticNeuron.fit"),
    row("LogisticNeuron fit epochs bool", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1], method="gradient", epochs=True),
        TE, "'epochs' parameter of LogisticNeuron.fit"),
    row("LogisticNeuron fit learning_rate zero", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1], method="gradient",
                                                                           learning_rate=0.0), VE,
        "'learning_rate' parameter of LogisticNeuron.fit"),
    row("LogisticNeuron fit seed str", lambda: LogisticNeuron().fit([[1.0], [2.0]], [0, 1], method="gradient", seed="1"),
        TE, "'seed' parameter of LogisticNeuron.fit"),
    row("LogisticNeuron score y bool mix", lambda: fitted_logistic().score([[1.0, 1.0]], [0.5]), VE, "'y' parameter"),
    # --- spiking learners -------------------------------------------------------------------
    row("SpikeTrainFit model str", lambda: SpikeTrainFit("LIF").fit([[1.0]], [5.0], duration=100.0), TE,
        "'model' parameter of SpikeTrainFit"),
    row("SpikeTrainFit model without escape noise", lambda: SpikeTrainFit(LIF()).fit([[1.0]], [5.0], duration=100.0),
        VE, "'model' parameter of SpikeTrainFit"),
    row("SpikeTrainFit link", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), link="probit").fit(
        [[1.0]], [5.0], duration=100.0), VE, "'link' parameter of SpikeTrainFit"),
    row("SpikeTrainFit link number", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), link=1).fit(
        [[1.0]], [5.0], duration=100.0), TE, "'link' parameter of SpikeTrainFit"),
    row("SpikeTrainFit l2 nan", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), l2=NAN).fit(
        [[1.0]], [5.0], duration=100.0), VE, "'l2' parameter of SpikeTrainFit"),
    row("SpikeTrainFit backend", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), backend="cuda").fit(
        [[1.0]], [5.0], duration=100.0), VE, "'backend' parameter of SpikeTrainFit"),
    row("SpikeTrainFit backend number", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), backend=1).fit(
        [[1.0]], [5.0], duration=100.0), TE, "'backend' parameter of SpikeTrainFit"),
    row("SpikeTrainFit spikes off the grid", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.05], duration=100.0), VE, "'spike_times' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit unfitted", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).rescaled_intervals(),
        NotFittedError, "fit"),
    row("SpikeTrainFit fit spike_times nan", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [NAN], duration=100.0), VE, "'spike_times' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit fit duration str", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.0], duration="100"), TE, "'duration' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit fit inputs str", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        "abc", [5.0], duration=100.0), TE, "'inputs' parameter of SpikeTrainFit.fit"),
    row("Tempotron n_inputs zero", lambda: Tempotron(0), VE, "'n_inputs' parameter of Tempotron"),
    row("Tempotron n_inputs float", lambda: Tempotron(2.5), TE, "'n_inputs' parameter of Tempotron"),
    row("Tempotron n_inputs bool", lambda: Tempotron(True), TE, "'n_inputs' parameter of Tempotron"),
    row("Tempotron tau negative", lambda: Tempotron(3, tau=-1.0), VE, "'tau' parameter of Tempotron"),
    row("Tempotron learning_rate str", lambda: Tempotron(3, learning_rate="0.1"), TE, "'learning_rate' parameter of Tempotron"),
    row("Tempotron seed negative", lambda: Tempotron(3, seed=-2), VE, "'seed' parameter of Tempotron"),
    row("Tempotron fit labels", lambda: Tempotron(2).fit([[[1.0], [2.0]]], [3]), VE, "'labels' parameter of Tempotron"),
    row("Tempotron fit patterns wrong size", lambda: Tempotron(2).fit([[[1.0]]], [1]), VE, "'patterns' parameter of Tempotron"),
    row("Tempotron fit epochs zero", lambda: Tempotron(2).fit([[[1.0], [2.0]]], [1], epochs=0), VE,
        "'epochs' parameter of Tempotron.fit"),
    row("Tempotron patterns not a list", lambda: Tempotron(2).predict("abc"), TE, "'patterns' parameter of Tempotron"),
    row("Tempotron tau_s above tau", lambda: Tempotron(2, tau=5.0, tau_s=10.0), VE, "'tau_s' parameter of Tempotron"),
    row("Tempotron predict nan", lambda: fitted_tempotron().predict([[[NAN], [2.0]]]), VE, "Tempotron"),
    row("SpikingClassifier weights nan", lambda: SpikingClassifier([NAN]), VE, "'weights' parameter of SpikingClassifier"),
    row("SpikingClassifier window zero", lambda: SpikingClassifier([1.0], window=0.0), VE, "'window' parameter of SpikingClassifier"),
    row("SpikingClassifier gain str", lambda: SpikingClassifier([1.0], gain="2"), TE, "'gain' parameter of SpikingClassifier"),
    row("SpikingClassifier model", lambda: SpikingClassifier([1.0], model="LIF"), TE, "'model' parameter of SpikingClassifier"),
    row("SpikingClassifier X wrong width", lambda: SpikingClassifier([1.0, 2.0], seed=0).predict([[1.0]]), VE,
        "'X' parameter of SpikingClassifier"),
    row("LogisticNetwork unfitted", lambda: LogisticNetwork((3,)).predict([[1.0, 2.0]]), NotFittedError,
        "not fitted"),
    row("LogisticNetwork empty hidden layer", lambda: LogisticNetwork(hidden=(0,)), VE,
        "'hidden' parameter of LogisticNetwork"),
    row("LogisticNetwork hidden float", lambda: LogisticNetwork(hidden=(2.5,)), TE,
        "'hidden' parameter of LogisticNetwork"),
    row("LogisticNetwork hidden str", lambda: LogisticNetwork(hidden="32"), TE,
        "'hidden' parameter of LogisticNetwork"),
    row("LogisticNetwork fit X nan", lambda: LogisticNetwork((2,)).fit([[NAN, 1.0], [1.0, 0.0]], [0, 1]), VE,
        "'X' parameter of LogisticNetwork.fit"),
    row("LogisticNetwork fit X 1-D", lambda: LogisticNetwork((2,)).fit([1.0, 2.0], [0, 1]), VE,
        "'X' parameter of LogisticNetwork.fit"),
    row("LogisticNetwork fit single class", lambda: LogisticNetwork((2,)).fit([[0.0], [1.0]], [1, 1]), VE,
        "'y' parameter of LogisticNetwork.fit must contain at least two classes"),
    row("LogisticNetwork fit y length", lambda: LogisticNetwork((2,)).fit([[0.0], [1.0]], [0, 1, 1]), VE,
        "'y' parameter of LogisticNetwork.fit"),
    row("LogisticNetwork fit y str", lambda: LogisticNetwork((2,)).fit([[0.0], [1.0]], ["a", "b"]), TE,
        "'y' parameter of LogisticNetwork.fit"),
    row("LogisticNetwork fit l2 negative", lambda: LogisticNetwork((2,), l2=-1.0).fit([[0.0], [1.0]], [0, 1]), VE,
        "'l2' parameter of LogisticNetwork"),
    row("LogisticNetwork fit max_iter zero", lambda: LogisticNetwork((2,), max_iter=0).fit([[0.0], [1.0]], [0, 1]),
        VE, "'max_iter' parameter of LogisticNetwork"),
    row("LogisticNetwork fit seed float", lambda: LogisticNetwork((2,), seed=1.5).fit([[0.0], [1.0]], [0, 1]), TE,
        "'seed' parameter of LogisticNetwork"),
    row("LogisticNetwork predict wrong width", lambda: fitted_network().predict([[1.0, 2.0, 3.0]]), VE,
        "'X' parameter of LogisticNetwork"),
    row("LogisticNetwork predict nan", lambda: given_network().predict_proba([[NAN, 2.0]]), VE,
        "'X' parameter of LogisticNetwork"),
    row("LogisticNetwork activations 1-D", lambda: given_network().activations([1.0, 2.0]), VE,
        "'X' parameter of LogisticNetwork.activations"),
    row("LogisticNetwork score y length", lambda: given_network().score([[1.0, 2.0]], [0, 1]), VE,
        "'y' parameter of LogisticNetwork.score"),
    row("LogisticNetwork loss unknown label", lambda: given_network().loss([[1.0, 2.0]], [7]), VE,
        "'y' parameter of LogisticNetwork.loss"),
    row("LogisticNetwork weights ragged", lambda: LogisticNetwork(weights=[[[1.0], [1.0, 2.0]]], biases=[[0.0]]),
        TE, "'weights' parameter of LogisticNetwork"),
    row("LogisticNetwork weights mismatched", lambda: LogisticNetwork(
        weights=[np.ones((2, 3)), np.ones((2, 1))], biases=[np.zeros(3), [0.0]]), VE,
        "'weights' parameter of LogisticNetwork (layer 1)"),
    row("LogisticNetwork weights empty layer", lambda: LogisticNetwork(
        weights=[np.ones((2, 0)), np.ones((0, 1))], biases=[np.zeros(0), [0.0]]), VE,
        "'weights' parameter of LogisticNetwork (layer 0)"),
    row("LogisticNetwork weights not a list", lambda: LogisticNetwork(weights=np.ones((2, 1)), biases=[[0.0]]),
        TE, "'weights' parameter of LogisticNetwork"),
    row("LogisticNetwork biases missing", lambda: LogisticNetwork(weights=[np.ones((2, 1))]), VE,
        "'biases' parameter of LogisticNetwork"),
    row("LogisticNetwork biases shape", lambda: LogisticNetwork(weights=[np.ones((2, 1))], biases=[[0.0, 1.0]]),
        VE, "'biases' parameter of LogisticNetwork (layer 0)"),
    row("LogisticNetwork biases count", lambda: LogisticNetwork(weights=[np.ones((2, 1))], biases=[[0.0], [1.0]]),
        VE, "'biases' parameter of LogisticNetwork"),
    row("LogisticNetwork hidden against weights", lambda: LogisticNetwork(
        (4,), weights=[np.ones((2, 3)), np.ones((3, 1))], biases=[np.zeros(3), [0.0]]), VE,
        "'hidden' parameter of LogisticNetwork"),
    row("LogisticNetwork fit weights against y", lambda: given_network().fit([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
                                                                            [0, 1, 2]), VE,
        "'weights' parameter of LogisticNetwork"),
    row("SpikingNetwork from unfitted", lambda: SpikingNetwork.from_logistic(LogisticNetwork((2,))),
        NotFittedError, "not fitted"),
    row("SpikingNetwork from not a network", lambda: SpikingNetwork.from_logistic("net"), TE,
        "'network' parameter of SpikingNetwork.from_logistic"),
    row("SpikingNetwork weights ragged", lambda: SpikingNetwork([[[1.0], [1.0, 2.0]]], [[0.0]]), TE,
        "'weights' parameter of SpikingNetwork"),
    row("SpikingNetwork weights mismatched", lambda: SpikingNetwork([np.ones((2, 3)), np.ones((2, 1))],
                                                                  [np.zeros(3), [0.0]]), VE,
        "'weights' parameter of SpikingNetwork (layer 1)"),
    row("SpikingNetwork biases nan", lambda: SpikingNetwork([np.ones((2, 1))], [[NAN]]), VE,
        "'biases' parameter of SpikingNetwork"),
    row("SpikingNetwork window zero", lambda: SpikingNetwork([np.ones((2, 1))], [[0.0]], window=0.0), VE, "'window' parameter of SpikingNetwork"),
    row("SpikingNetwork t_ref off the grid", lambda: twin(t_ref=1.95), VE, "'t_ref' parameter of SpikingNetwork"),
    row("SpikingNetwork delta_u zero", lambda: twin(delta_u=0.0), VE, "'delta_u' parameter of SpikingNetwork"),
    row("SpikingNetwork dt str", lambda: twin(dt="0.1"), TE, "'dt' parameter of SpikingNetwork"),
    row("SpikingNetwork backend", lambda: twin(backend="cuda"), VE, "'backend' parameter of SpikingNetwork"),
    row("SpikingNetwork classes shape", lambda: twin(classes=[0, 1, 2]), VE, "'classes' parameter of SpikingNetwork"),
    row("SpikingNetwork predict nan", lambda: twin().predict([[NAN, 1.0]]), VE, "'X' parameter of SpikingNetwork"),
    row("SpikingNetwork predict wrong width", lambda: twin().predict([[1.0, 2.0, 3.0]]), VE,
        "'X' parameter of SpikingNetwork"),
    row("SpikingNetwork score y length", lambda: twin().score([[1.0, 2.0]], [0, 1]), VE,
        "'y' parameter of SpikingNetwork.score"),
    row("SpikingNetwork window beyond the run", lambda: twin().accuracy_by_window([[1.0, 2.0]], [0], [20.0]), VE,
        "'windows' parameter of SpikingNetwork"),
    row("SpikingNetwork rate_function nan", lambda: twin().rate_function([NAN]), VE,
        "'z' parameter of SpikingNetwork.rate_function"),
    row("digits_split test_fraction", lambda: digits_split(test_fraction=1.5), VE,
        "'test_fraction' parameter of digits_split"),
    row("digits_split seed negative", lambda: digits_split(seed=-1), VE, "'seed' parameter of digits_split"),
    row("Network.connect dale str", lambda: network().connect("a", "b", np.ones((3, 2)), dale="no"), TE,
        "'dale' parameter of Network.connect"),
    # --- methods of the public classes ------------------------------------------------------
    row("LIF.integrator dt zero", lambda: LIF().integrator(0.0, 1), VE, "'dt' parameter of LIF.integrator"),
    row("LIF.integrator n float", lambda: LIF().integrator(0.1, 2.0), TE, "'n' parameter of LIF.integrator"),
    row("LIF.integrator v_init shape", lambda: LIF().integrator(0.1, 2, v_init=[1.0, 2.0, 3.0]), VE,
        "'v_init' parameter of LIF.integrator"),
    row("HH.integrator dt str", lambda: HodgkinHuxley().integrator("0.01", 1), TE,
        "'dt' parameter of HodgkinHuxley.integrator"),
    row("HH.integrator n zero", lambda: HodgkinHuxley().integrator(0.01, 0), VE,
        "'n' parameter of HodgkinHuxley.integrator"),
    row("MembraneNoise.propagator dt negative", lambda: MembraneNoise(1.0, 5.0).propagator(10.0, 10.0, -0.1), VE,
        "'dt' parameter of MembraneNoise.propagator"),
    row("MembraneNoise.propagator r_m str", lambda: MembraneNoise(1.0, 5.0).propagator(10.0, "10", 0.1), TE,
        "'r_m' parameter of MembraneNoise.propagator"),
    row("SpikeTrains.binned dt nan", lambda: spike_trains([[1.0]]).binned(NAN, 10), VE, "'dt' parameter of SpikeTrains.binned"),
    row("SpikeTrains.binned n_steps float", lambda: spike_trains([[1.0]]).binned(0.1, 10.5), TE,
        "'n_steps' parameter of SpikeTrains.binned"),
    row("SpikeTrains index str", lambda: spike_trains([[1.0]])["0"], TE, "'source' parameter"),
    row("SpikeTrains index out of range", lambda: spike_trains([[1.0]])[3], IndexError, "source 3"),
    row("result.to_csv directory number", lambda: result().to_csv(5), TE, "'directory' parameter of SimulationResult.to_csv"),
    row("result.save empty path", lambda: result().save(""), VE, "'path' parameter of SimulationResult.save"),
    row("SpikeTrainFit no spikes", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [], duration=100.0), VE, "'spike_times' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit current huge", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.0], duration=100.0, current=1e300), VE, "'current' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit duration huge", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.0], duration=1e308), VE, "'duration' parameter of SpikeTrainFit.fit"),
    row("Tempotron tau beyond tau_s", lambda: Tempotron(2, tau=1e308, tau_s=1e-308), VE, "'tau' parameter of Tempotron"),
    row("Tempotron fit no patterns", lambda: Tempotron(2).fit([], []), VE, "'patterns' parameter of Tempotron.fit"),
    row("Tempotron fit epochs float", lambda: Tempotron(2).fit([[[1.0], [2.0]]], [1], epochs=2.0), TE,
        "'epochs' parameter of Tempotron.fit"),
    row("SpikingClassifier gain huge", lambda: SpikingClassifier([1.0], gain=1e308), VE, "'gain' parameter of SpikingClassifier"),
    row("SpikingClassifier synapse_mv tiny", lambda: SpikingClassifier([1.0], synapse_mv=1e-320), VE,
        "'synapse_mv' parameter of SpikingClassifier"),
    row("SpikingClassifier x_max huge", lambda: SpikingClassifier([1.0], x_max=1e308), VE, "'x_max' parameter of SpikingClassifier"),
    row("SpikingClassifier window huge", lambda: SpikingClassifier([1.0], window=1e308), VE, "'window' parameter of SpikingClassifier"),
    row("SpikingClassifier dt above window", lambda: SpikingClassifier([1.0], window=10.0, dt=20.0), VE,
        "'dt' parameter of SpikingClassifier"),
    row("SpikingClassifier from_logistic str", lambda: SpikingClassifier.from_logistic("neuron"), TE,
        "'logistic_neuron' parameter of SpikingClassifier.from_logistic"),
    # --- learners that must not claim what they cannot know (issue 25) -------------------
    row("SpikeTrainFit max_iter zero", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), max_iter=0).fit(
        [[1.0]], [5.0], duration=100.0), VE, "'max_iter' parameter of SpikeTrainFit"),
    row("SpikeTrainFit max_iter float", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise()), max_iter=10.0).fit(
        [[1.0]], [5.0], duration=100.0), TE, "'max_iter' parameter of SpikeTrainFit"),
    row("SpikeTrainFit progress str", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.0], duration=100.0, progress="yes"), TE, "'progress' parameter of SpikeTrainFit.fit"),
    row("SpikeTrainFit spike at every allowed step", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], np.arange(0, 1001, 21) * 0.1, duration=100.0), VE, "'spike_times' parameter of SpikeTrainFit.fit"),
    row("SpikingClassifier calibration one", lambda: SpikingClassifier([1.0], calibration=1), VE,
        "'calibration' parameter of SpikingClassifier"),
    row("SpikingClassifier calibration bool", lambda: SpikingClassifier([1.0], calibration=True), TE,
        "'calibration' parameter of SpikingClassifier"),
    row("SpikingClassifier score label 2", lambda: SpikingClassifier([1.0], window=10.0, seed=0).score([[1.0]], [2]),
        VE, "'y' parameter of SpikingClassifier.score"),
    row("SpikingClassifier score label half", lambda: SpikingClassifier([1.0], window=10.0, seed=0).score([[1.0]], [0.5]),
        VE, "'y' parameter of SpikingClassifier.score"),
    row("SpikingClassifier score y length", lambda: SpikingClassifier([1.0], window=10.0, seed=0).score(
        [[1.0], [2.0]], [1]), VE, "'y' parameter of SpikingClassifier.score"),
    row("SpikingClassifier score y str", lambda: SpikingClassifier([1.0], window=10.0, seed=0).score([[1.0]], ["1"]),
        TE, "'y' parameter of SpikingClassifier.score"),
    row("Tempotron score label 2", lambda: fitted_tempotron().score([[[1.0], [2.0]]], [2]), VE,
        "'labels' parameter of Tempotron.score"),
    row("Tempotron score labels length", lambda: fitted_tempotron().score([[[1.0], [2.0]]], [0, 1]), VE,
        "'labels' parameter of Tempotron.score"),
    row("LogisticNeuron score label 2", lambda: fitted_logistic().score([[1.0, 1.0]], [2]), VE,
        "'y' parameter of LogisticNeuron.score"),
    row("free_potential_moments rates negative", lambda: spikeneuron.free_potential_moments([-1.0], [1.0], LIF()), VE,
        "'rates_hz' parameter of free_potential_moments"),
    row("free_potential_moments rates nan", lambda: spikeneuron.free_potential_moments([NAN], [1.0], LIF()), VE,
        "'rates_hz' parameter of free_potential_moments"),
    row("free_potential_moments weights wrong length", lambda: spikeneuron.free_potential_moments(
        [1.0, 2.0], [1.0], LIF()), VE, "'weights' parameter of free_potential_moments"),
    row("free_potential_moments weights inf", lambda: spikeneuron.free_potential_moments([1.0], [INF], LIF()), VE,
        "'weights' parameter of free_potential_moments"),
    row("free_potential_moments weights complex", lambda: spikeneuron.free_potential_moments([1.0], [1j], LIF()), TE,
        "'weights' parameter of free_potential_moments"),
    row("free_potential_moments weights overflow", lambda: spikeneuron.free_potential_moments(
        [1e300], [1e300], LIF()), VE, "'weights' parameter of free_potential_moments"),
    row("free_potential_moments model str", lambda: spikeneuron.free_potential_moments([1.0], [1.0], "LIF"), TE,
        "'model' parameter of free_potential_moments"),
    row("free_potential_moments current wrong shape", lambda: spikeneuron.free_potential_moments(
        [1.0], [[1.0, 2.0]], LIF(), current=[1.0, 2.0, 3.0]), VE, "'current' parameter of free_potential_moments"),
    row("simulate progress str", lambda: run(progress="yes"), TE, "'progress' parameter"),
    row("Network run progress number", lambda: network().run(5.0, progress=2), TE, "'progress' parameter"),
    row("simulate record_vars None", lambda: run(record_vars=None), TE, "'record_vars' parameter of simulate"),
    row("simulate backend array", lambda: run(backend=np.ones(2)), TE, "'backend' parameter of simulate"),
    row("simulate v_init empty", lambda: run(model=HodgkinHuxley(), dt=0.01, v_init=[]), VE, "'v_init' parameter of simulate"),
    row("Network delay beyond counting", lambda: _connected(delay=1e308).run(5.0), VE,
        "'delay' parameter of Network.connect"),
    row("Network record_v ragged", lambda: Network().add_population("a", LIF(), 2, record_v=[[0], [0, 1]]), VE,
        "'record_v' parameter of Network.add_population"),
    # --- experiments, sweeps, the explorer -----------------------------------------------
    row("run_experiment unknown", lambda: run_experiment("no-such-experiment"), VE, "'no-such-experiment'"),
    row("run_experiment number", lambda: run_experiment(3), TE, "'experiment' parameter"),
    row("run_experiment seed negative", lambda: run_experiment("fi-curve", seed=-1), VE, "'seed' parameter"),
    row("run_experiment seed bool", lambda: run_experiment("fi-curve", seed=True), TE, "'seed' parameter"),
    row("run_experiment quick str", lambda: run_experiment("fi-curve", quick="yes"), TE, "'quick' parameter"),
    row("run_experiment unknown parameter", lambda: run_experiment("fi-curve", tau=20.0), TE, "'tau'"),
    row("run_experiment bad value", lambda: run_experiment("fi-curve", tau_m=-1.0), VE, "'tau_m' parameter"),
    row("run_experiment value str", lambda: run_experiment("fi-curve", n_currents="many"), VE, "'n_currents' parameter"),
    row("run_experiment out empty", lambda: run_experiment("fi-curve", out=""), VE, "'out' parameter"),
    row("run_experiment out number", lambda: run_experiment("fi-curve", out=3), TE, "'out' parameter"),
    row("run_experiment config missing", lambda: run_experiment("fi-curve", config="/nonexistent.toml"), VE, "config file"),
    row("sweep grid not dict", lambda: sweep("fi-curve", [1, 2], out="x"), TE, "'grid' parameter of sweep"),
    row("sweep grid empty", lambda: sweep("fi-curve", {}, out="x"), VE, "'grid' parameter of sweep"),
    row("sweep grid unknown", lambda: sweep("fi-curve", {"tau": [1.0]}, out="x"), TE, "'tau'"),
    row("sweep grid empty values", lambda: sweep("fi-curve", {"tau_m": []}, out="x"), VE, "'tau_m'"),
    row("sweep repeats zero", lambda: sweep("fi-curve", {"tau_m": [5.0]}, repeats=0, out="x"), VE, "'repeats' parameter of sweep"),
    row("sweep repeats bool", lambda: sweep("fi-curve", {"tau_m": [5.0]}, repeats=True, out="x"), TE, "'repeats' parameter of sweep"),
    row("sweep workers zero", lambda: sweep("fi-curve", {"tau_m": [5.0]}, workers=0, out="x"), VE, "'workers' parameter of sweep"),
    row("sweep seed str", lambda: sweep("fi-curve", {"tau_m": [5.0]}, seed="0", out="x"), TE, "'seed' parameter of sweep"),
    row("sweep out missing", lambda: sweep("fi-curve", {"tau_m": [5.0]}), TE, "'out'"),
    row("sweep out empty", lambda: sweep("fi-curve", {"tau_m": [5.0]}, out=""), VE, "'out' parameter of sweep"),
    row("explore weights str", lambda: explore("12"), TE, "'weights' parameter of explore"),
    row("explore weights empty", lambda: explore([]), VE, "'weights' parameter of explore"),
    row("explore weights nan", lambda: explore([NAN]), VE, "'weights' parameter of explore"),
    row("explore duration huge", lambda: explore([1.0], duration=1e308), VE, "'duration' parameter of explore"),
    row("explore n_trials huge", lambda: explore([1.0], n_trials=10**12), VE, "'n_trials' parameter of explore"),
    row("explore noise negative", lambda: explore([1.0], noise_mv=-1.0), VE, "'noise_mv' parameter of explore"),
    row("explore n_trials bool", lambda: explore([1.0], n_trials=True), TE, "'n_trials' parameter of explore"),
    row("explore seed negative", lambda: explore([1.0], seed=-1), VE, "'seed' parameter of explore"),
    row("explore neuron", lambda: explore([1.0], neuron="LIF"), TE, "'neuron' parameter of explore"),
    row("explore input_times length", lambda: explore([1.0, 2.0], input_times=[1.0]), VE, "'input_times' parameter of explore"),
    row("explore input_times negative", lambda: explore([1.0], input_times=[[-1.0]]), VE, "'input_times' parameter of explore"),
    row("explore input_times dict", lambda: explore([1.0], input_times={"a": 1.0}), TE, "'input_times' parameter of explore"),
    row("explore v_th below reset", lambda: explore([1.0], v_th=-80.0), VE, "'v_th' parameter of explore"),
    row("explore neuron TraubMiles", lambda: explore([1.0], neuron=TraubMiles()), TE,
        "'neuron' parameter of explore must be an LIF with delta, exponential or alpha synapses"),
    row("explore neuron conductance synapse", lambda: explore([1.0], neuron=LIF(synapse=CondExpSynapse())), VE,
        "no logistic twin in closed form"),
    row("run_experiment size array", lambda: run_experiment("fi-curve", n_currents=np.ones((2, 2))), TE,
        "'n_currents' parameter"),
    row("run_experiment size huge", lambda: run_experiment("fi-curve", n_currents=1e15), VE, "'n_currents' parameter"),
    row("run_experiment duration huge", lambda: run_experiment("fi-curve", quick=True, duration=1e300), VE,
        "'duration' parameter of simulate"),
]


def _config(text):
    """A TOML config file (in the test's folder) holding ``text``."""
    from pathlib import Path

    path = Path(f"config-{abs(hash(text))}.toml")
    path.write_text(text)
    return path


def _experiment_file(text):
    """A user's experiment file (in the test's folder) holding ``text``."""
    from pathlib import Path

    path = Path(f"study_{abs(hash(text))}.py")
    path.write_text(text)
    return path


def _report_of_empty_folder():
    from pathlib import Path

    from spikeneuron.lab.report import write_report

    Path("empty").mkdir()
    return write_report("empty")


def _raster(weights):
    from spikeneuron.plotting import new_figure, plot_raster

    _, ax = new_figure()
    return plot_raster(ax, spike_trains([[1.0], [2.0]]), weights)


def _panel(what, result, ax="new", **kwargs):
    """Call a plotting helper of issue 21 on a fresh figure (ax "new": an Axes of it)."""
    from spikeneuron import plotting

    _, (ax_v, ax_panel) = plotting.new_figure(2)
    ax_panel = ax_panel if ax == "new" else ax
    if what == "plot_trace":
        return plotting.plot_trace(ax_v, result(), **{k: (ax_panel if v == "new" else v) for k, v in kwargs.items()})
    if what == "trace_figure":
        return plotting.trace_figure(result(), **kwargs)
    return getattr(plotting, what)(ax_panel, result(), **kwargs)


def _delta_run():
    return simulate(LIF(), duration=5.0, current=2.0)


def _sparse(values):
    return scipy.sparse.csr_matrix(np.asarray(values))


# --- issue 25 §2: values that are not numbers, in every array and every function's output ----
CASES += [
    row("simulate weights sparse complex", lambda: run(inputs=[[1.0], [2.0]], weights=_sparse([[1 + 1j], [2.0]])),
        TE, "'weights' parameter of simulate"),
    row("simulate weights sparse bool", lambda: run(inputs=[[1.0], [2.0]], weights=_sparse([[True], [False]])),
        TE, "'weights' parameter of simulate"),
    row("simulate weights sparse nan", lambda: run(inputs=[[1.0], [2.0]], weights=_sparse([[NAN], [2.0]])),
        VE, "'weights' parameter of simulate"),
    row("simulate weights sparse clongdouble", lambda: run(inputs=[[1.0], [2.0]], weights=_sparse(
        np.array([[1.0], [2.0]], dtype=np.clongdouble))), TE, "'weights' parameter of simulate"),
    row("simulate weights dense bool", lambda: run(inputs=[[1.0], [2.0]], weights=[True, False]), TE,
        "'weights' parameter of simulate"),
    row("simulate current function complex", lambda: run(current=lambda t: 0 * t + 1j), TE,
        "'current' parameter of simulate is a function"),
    row("simulate current scalar function complex", lambda: run(current=lambda t: 1j if t > 2 else 0.0), TE,
        "'current' parameter of simulate is a function"),
    row("simulate current function bool", lambda: run(current=lambda t: t > 2), TE,
        "'current' parameter of simulate is a function"),
    row("simulate current function str", lambda: run(current=lambda t: "1.0"), TE,
        "'current' parameter of simulate is a function"),
    row("simulate current function nan", lambda: run(current=lambda t: 0 * t + NAN), VE,
        "'current' parameter of simulate"),
    row("Network connect sparse complex", lambda: network().connect("a", "b", _sparse(np.ones((3, 2)) * 1j)), TE,
        "'connection' parameter of Network.connect"),
    row("Network connect sparse bool", lambda: network().connect("a", "b", _sparse(np.ones((3, 2), dtype=bool))), TE,
        "'connection' parameter of Network.connect"),
    row("Network connect sparse inf", lambda: network().connect("a", "b", _sparse(np.full((3, 2), INF))), VE,
        "'connection' parameter of Network.connect"),
    row("Network add_input sparse complex", lambda: network().add_input("b", [[1.0]], _sparse([[1j, 1.0]])), TE,
        "'weights' parameter of Network.add_input"),
    row("Network add_input sparse bool", lambda: network().add_input("b", [[1.0]], _sparse([[True, True]])), TE,
        "'weights' parameter of Network.add_input"),
    row("Network population current function complex", lambda: network(population={"current": lambda t: 0 * t + 2j}).run(5.0),
        TE, "'current' parameter of Network"),
    row("poisson_inputs rates function complex", lambda: poisson_inputs(lambda t: 0 * t + 5j, 100.0, seed=0), TE,
        "'rates_hz' parameter of poisson_inputs is a function"),
    row("poisson_inputs rates function bool", lambda: poisson_inputs(lambda t: t > 5, 100.0, seed=0), TE,
        "'rates_hz' parameter of poisson_inputs is a function"),
    row("poisson_inputs rates sparse", lambda: poisson_inputs(_sparse([[5.0]]), 100.0, seed=0), TE,
        "'rates_hz' parameter of poisson_inputs"),
    # --- issue 25 §3: sweeps and the lab ---------------------------------------------------
    row("sweep grid beyond max_runs", lambda: sweep("fi-curve", {"tau_m": list(np.linspace(5.0, 50.0, 1000)),
                                                                 "n_currents": list(range(2, 1002))}, out="x"),
        VE, "'max_runs' parameter of sweep of 'fi-curve' must be at least the number of runs to make, 1000000"),
    row("sweep max_runs below the grid", lambda: sweep("fi-curve", {"tau_m": [5.0, 6.0]}, out="x", max_runs=1), VE,
        "'max_runs' parameter of sweep"),
    row("sweep max_runs float", lambda: sweep("fi-curve", {"tau_m": [5.0]}, out="x", max_runs=10.0), TE,
        "'max_runs' parameter of sweep"),
    row("sweep plot unknown", lambda: sweep("fi-curve", {"tau_m": [5.0]}, out="x", plot="nosuch"), VE,
        "unknown key number 'nosuch'"),
    row("sweep plot number", lambda: sweep("fi-curve", {"tau_m": [5.0]}, out="x", plot=3), TE, "'plot' parameter of sweep"),
    row("sweep config of another experiment", lambda: sweep("fi-curve", {"tau_m": [5.0]}, out="x",
                                                             config=_config("[cuba]\nn_exc = 10\n")), VE,
        "has no [fi-curve] table"),
    row("run_experiment config of another experiment", lambda: run_experiment("fi-curve", config=_config(
        "[cuba]\nn_exc = 10\n")), VE, "has no [fi-curve] table"),
    row("run_experiment config empty", lambda: run_experiment("fi-curve", config=_config("")), VE,
        "holds no experiment table"),
    row("run_experiment run returns a list", lambda: run_experiment(_experiment_file("def run(context):\n    return [1, 2]\n")),
        VE, "run(context) must return a dict of key numbers"),
    row("run_experiment run returns number keys", lambda: run_experiment(_experiment_file(
        "def run(context):\n    return {1: 2.0}\n")), VE, "keys are names"),
    row("run_experiment file fails to import", lambda: run_experiment(_experiment_file("import no_such_module_25\n")), VE,
        "cannot be loaded: ModuleNotFoundError"),
    row("run_experiment file with a syntax error", lambda: run_experiment(_experiment_file("def run(context:\n")), VE,
        "cannot be loaded: SyntaxError"),
    row("write_report nothing to report", lambda: _report_of_empty_folder(), VE, "found nothing to report"),
    row("plot_raster weights sparse complex", lambda: _raster(_sparse([[1j], [1.0]])), TE,
        "'weights' parameter of plot_raster"),
    row("plot_raster weights bool", lambda: _raster([True, False]), TE, "'weights' parameter of plot_raster"),
    # --- issue 21 §5: the conductance and adaptation panels -----------------------------
    row("plot_trace conductance_ax without g_ex", lambda: _panel("plot_trace", _delta_run, conductance_ax="new"), VE,
        "'conductance_ax' parameter of plot_trace must be used with a run that recorded the conductances"),
    row("plot_trace conductance_ax not recorded", lambda: _panel("plot_trace", lambda: simulate(
        LIF(synapse=CondExpSynapse()), duration=5.0), conductance_ax="new"), VE, "record them with record_vars=['g_ex', 'g_in']"),
    row("plot_trace conductance_ax str", lambda: _panel("plot_trace", _delta_run, conductance_ax="below"), TE,
        "'conductance_ax' parameter of plot_trace must be a matplotlib Axes"),
    row("plot_trace adaptation_ax on a LIF", lambda: _panel("plot_trace", _delta_run, adaptation_ax="new"), VE,
        "'adaptation_ax' parameter of plot_trace must be used with a model that has an adaptation variable"),
    row("plot_trace adaptation_ax u not recorded", lambda: _panel("plot_trace", lambda: simulate(
        Izhikevich(), duration=5.0, current=10.0), adaptation_ax="new"), VE, "record_vars=['u']"),
    row("plot_trace adaptation_ax number", lambda: _panel("plot_trace", _delta_run, adaptation_ax=3), TE,
        "'adaptation_ax' parameter of plot_trace must be a matplotlib Axes"),
    row("plot_conductances without g", lambda: _panel("plot_conductances", _delta_run), VE,
        "'result' parameter of plot_conductances must be used with a run that recorded"),
    row("plot_conductances ax None", lambda: _panel("plot_conductances", _delta_run, ax=None), TE,
        "'ax' parameter of plot_conductances must be a matplotlib Axes"),
    row("plot_adaptation on a LIF", lambda: _panel("plot_adaptation", _delta_run), VE,
        "'result' parameter of plot_adaptation must be used with a model that has an adaptation variable"),
    row("plot_adaptation w not recorded", lambda: _panel("plot_adaptation", lambda: simulate(AdEx(), duration=5.0)), VE,
        "'result' parameter of plot_adaptation must be used with a run that recorded AdEx's 'w'"),
    row("trace_figure without potential", lambda: _panel("trace_figure", lambda: simulate(
        LIF(), duration=5.0, current=[2.0, 2.0], record_v=False)), VE, "record the potential with record_v=True"),
    row("SpikeTrainFit current function complex", lambda: SpikeTrainFit(LIF(escape_noise=EscapeNoise())).fit(
        [[1.0]], [5.0], duration=100.0, current=lambda t: 0 * t + 1j), TE, "'current' parameter of SpikeTrainFit.fit"),
]

@pytest.mark.parametrize("call, error, fragment", CASES)
def test_bad_input_is_refused_in_our_words(call, error, fragment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # experiments and sweeps would write there
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a warning may come first; the error is what counts
        with pytest.raises(error) as raised:
            call()
    message = str(raised.value)
    assert fragment in message, message
    if raised.type in (TypeError, ValidationError) and "parameter of" in fragment:
        assert "Got " in message, message  # the template: must be <allowed>. Got <value> instead.
    assert type(raised.value).__module__.split(".")[0] in ("builtins", "spikeneuron"), \
        f"{type(raised.value)} is not ours: {message}"


# --- the command line: one line on stderr, exit code 2, never a traceback -------------------

CLI_CASES = [
    (["run", "fi-curve", "--seed", "-1"], "invalid seed -1"),
    (["run", "fi-curve", "--seed", "1.5"], "invalid seed '1.5'"),
    (["run", "fi-curve", "--seed", "true"], "invalid seed 'true'"),
    (["run", "fi-curve", "--set", "tau_m=abc"], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "tau_m=nan"], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "tau_m=inf"], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "tau_m=1e400"], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "tau_m=-1"], "'tau_m' parameter"),
    (["run", "fi-curve", "--set", "tau_m=1+2j"], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "tau_m="], "'tau_m' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "n_currents=1.5"], "'n_currents' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "n_currents=true"], "'n_currents' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "n_currents=1"], "'n_currents' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "dt=0"], "'dt' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--set", "n_currents=1e15"], "'n_currents' parameter of experiment 'fi-curve'"),
    (["run", "fi-curve", "--quick", "--set", "duration=1e300", "--out", "{tmp}/o"],
     "'duration' parameter of simulate"),
    (["run", "fi-curve", "--set", "=5"], "KEY=VALUE is needed"),
    (["run", "fi-curve", "--set", "nosuch=5"], "unknown parameter 'nosuch'"),
    (["run", "fi-curve", "--config", "{tmp}/missing.toml"], "cannot read config file"),
    (["run", "fi-curve", "--config", "{tmp}/broken.toml"], "is not valid TOML"),
    (["run", "fi-curve", "--config", "{tmp}/other.json"], "has no 'parameters' table"),
    (["run", "fi-curve", "--out", ""], "--out must name a folder"),
    (["run", "fi-curve", "--out", "{tmp}/a-file"], "cannot write results"),
    (["run", "no-such-experiment"], "unknown experiment 'no-such-experiment'"),
    (["run", "{tmp}/missing.py"], "does not exist"),
    (["run"], "an experiment name or file is needed"),
    (["sweep", "fi-curve", "--grid", "tau_m=5,10"], "--out DIR is required"),
    (["sweep", "fi-curve", "--out", "{tmp}/s"], "at least one --grid"),
    (["sweep", "fi-curve", "--grid", "tau=5", "--out", "{tmp}/s"], "unknown parameter 'tau'"),
    (["sweep", "fi-curve", "--grid", "tau_m=5,abc", "--out", "{tmp}/s"], "'tau_m' parameter"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--repeats", "0", "--out", "{tmp}/s"], "invalid repeats '0'"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--workers", "-2", "--out", "{tmp}/s"], "invalid workers '-2'"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--seed", "x", "--out", "{tmp}/s"], "invalid seed 'x'"),
    (["run", "all", "--set", "tau_m=nan", "--out", "{tmp}/all"], "'tau_m' parameter of experiment"),
    (["show", "no-such-experiment"], "unknown experiment"),
    (["report", ""], "'folder' parameter of write_report"),
    (["bench", "--only", ""], "unknown workload"),
    (["report", "{tmp}/no-folder"], "does not exist"),
    (["bench", "--only", "W99"], "unknown workload"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
    # issue 25 §3
    (["run", "fi-curve", "--set", "tau_m=5", "--set", "tau_m=10"], "--set tau_m is given 2 times"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--grid", "tau_m=10", "--out", "{tmp}/s"], "--grid tau_m is given 2 times"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--set", "dt=0.1", "--set", "dt=0.05", "--out", "{tmp}/s"],
     "--set dt is given 2 times"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--plot", "nosuch", "--out", "{tmp}/s"], "unknown key number 'nosuch'"),
    (["sweep", "fi-curve", "--grid", "tau_m=" + ",".join(str(5 + i) for i in range(40)),
      "--grid", "n_currents=" + ",".join(str(2 + i) for i in range(30)), "--out", "{tmp}/s"],
     "number of runs to make, 1200"),
    (["sweep", "fi-curve", "--grid", "tau_m=5,6", "--max-runs", "0", "--out", "{tmp}/s"], "invalid max-runs '0'"),
    (["sweep", "fi-curve", "--grid", "tau_m=5,6", "--max-runs", "1", "--out", "{tmp}/s"], "--max-runs 2"),
    (["run", "fi-curve", "--config", "{tmp}/cuba-only.toml"], "has no [fi-curve] table"),
    (["run", "fi-curve", "--config", "{tmp}/empty.toml"], "holds no experiment table"),
    (["sweep", "fi-curve", "--grid", "tau_m=5", "--config", "{tmp}/cuba-only.toml", "--out", "{tmp}/s"],
     "has no [fi-curve] table"),
    (["run", "all", "--config", "{tmp}/empty.toml", "--out", "{tmp}/all"], "holds no experiment table"),
    (["run", "{tmp}/broken_import.py"], "cannot be loaded: ModuleNotFoundError: No module named 'no_such_module_25' (line 1)"),
    (["run", "{tmp}/broken_syntax.py"], "cannot be loaded: SyntaxError"),
    (["show", "{tmp}/broken_import.py"], "cannot be loaded"),
    (["sweep", "{tmp}/broken_import.py", "--grid", "x=1", "--out", "{tmp}/s"], "cannot be loaded"),
    (["run", "{tmp}/returns_list.py", "--out", "{tmp}/o"], "run(context) must return a dict"),
    (["report", "{tmp}/empty-folder"], "found nothing to report"),
]


@pytest.mark.parametrize("args, fragment", CLI_CASES, ids=[" ".join(a) or "nothing" for a, _ in CLI_CASES])
def test_bad_command_lines_end_with_one_line_and_exit_code_2(args, fragment, tmp_path, capsys,
                                                             monkeypatch):
    from spikeneuron.lab.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "broken.toml").write_text("[fi-curve\ntau_m = ")
    (tmp_path / "other.json").write_text(json.dumps({"experiment": "fi-curve"}))
    (tmp_path / "cuba-only.toml").write_text("[cuba]\nn_exc = 10\n")
    (tmp_path / "empty.toml").write_text("")
    (tmp_path / "broken_import.py").write_text("import no_such_module_25\n")
    (tmp_path / "broken_syntax.py").write_text("def run(context:\n")
    (tmp_path / "returns_list.py").write_text("def run(context):\n    return [1, 2]\n")
    (tmp_path / "empty-folder").mkdir()
    try:
        code = main([arg.replace("{tmp}", str(tmp_path)) for arg in args])
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spikeneuron: error: "), err
    assert fragment in lines[0] and "Traceback" not in err


def test_the_table_covers_every_public_name():
    """Each function and class of spikeneuron.__all__ (exceptions aside) is called above."""
    import inspect

    source = inspect.getsource(inspect.getmodule(test_the_table_covers_every_public_name))
    table = source[source.index("CASES = ["):source.index("@pytest.mark.parametrize(\"call, error")]
    exceptions = {"ValidationError", "NotFittedError", "CoarseTimeStepWarning", "MissingExtraError",
                  "SimulationError", "UnitWarning", "__version__", "explorer", "NetworkResult",
                  "ConvergenceWarning"}
    missing = [name for name in spikeneuron.__all__ if name not in exceptions and name not in table]
    assert not missing
    assert len(CASES) >= 150
