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

import spikeneuron
from spikeneuron import (LIF, DeltaSynapse, EscapeNoise, ExpSynapse, HodgkinHuxley,
                         LogisticNeuron, MembraneNoise, Network, NotFittedError, SimulationResult,
                         SpikeTrainFit, SpikeTrains, SpikingClassifier, Tempotron, ValidationError,
                         all_to_all, cv_isi, explore, fixed_indegree, fixed_probability, from_arrays,
                         isi, lif_period, lif_rate, load_network_result, load_result, mean_isi_rate,
                         one_to_one, poisson_inputs, regular_inputs, run_experiment, siegert_rate,
                         simulate, spike_trains, sweep)

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
    row("LIF synapse name", lambda: LIF(synapse="alpha"), VE, "'synapse' parameter of LIF"),
    row("LIF synapse number", lambda: LIF(synapse=3), TE, "'synapse' parameter of LIF"),
    row("LIF synapse None", lambda: LIF(synapse=None), TE, "'synapse' parameter of LIF"),
    row("LIF membrane_noise float", lambda: LIF(membrane_noise=2.0), TE, "'membrane_noise' parameter of LIF"),
    row("LIF escape_noise str", lambda: LIF(escape_noise="soft"), TE, "'escape_noise' parameter of LIF"),
    row("LIF unknown keyword", lambda: LIF(tau=10.0), TE, "'tau'"),
    row("LIF with_ unknown", lambda: LIF().with_(tau=1.0), TE, "'tau'"),
    row("LIF with_ bad value", lambda: LIF().with_(tau_m=-1.0), VE, "'tau_m' parameter of LIF"),
    row("LIF exp tau_m too short for dt", lambda: LIF(tau_m=1e-5, synapse="exp").integrator(0.1, 1),
        VE, "'tau_m' parameter of LIF"),
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
    # --- synapses and noise ------------------------------------------------------------------
    row("ExpSynapse tau_ex zero", lambda: ExpSynapse(tau_ex=0.0), VE, "'tau_ex' parameter of ExpSynapse"),
    row("ExpSynapse tau_in str", lambda: ExpSynapse(tau_in="10"), TE, "'tau_in' parameter of ExpSynapse"),
    row("ExpSynapse tau_in nan", lambda: ExpSynapse(tau_in=NAN), VE, "'tau_in' parameter of ExpSynapse"),
    row("ExpSynapse unknown", lambda: ExpSynapse(tau=1.0), TE, "'tau'"),
    row("DeltaSynapse argument", lambda: DeltaSynapse(1.0), TE, "argument"),
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
    row("run_experiment size array", lambda: run_experiment("fi-curve", n_currents=np.ones((2, 2))), TE,
        "'n_currents' parameter"),
    row("run_experiment size huge", lambda: run_experiment("fi-curve", n_currents=1e15), VE, "'n_currents' parameter"),
    row("run_experiment duration huge", lambda: run_experiment("fi-curve", quick=True, duration=1e300), VE,
        "'duration' parameter of simulate"),
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
    (["bench", "--only", "W9"], "unknown workload"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
]


@pytest.mark.parametrize("args, fragment", CLI_CASES, ids=[" ".join(a) or "nothing" for a, _ in CLI_CASES])
def test_bad_command_lines_end_with_one_line_and_exit_code_2(args, fragment, tmp_path, capsys,
                                                             monkeypatch):
    from spikeneuron.lab.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "broken.toml").write_text("[fi-curve\ntau_m = ")
    (tmp_path / "other.json").write_text(json.dumps({"experiment": "fi-curve"}))
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
                  "SimulationError", "__version__", "explorer", "NetworkResult"}
    missing = [name for name in spikeneuron.__all__ if name not in exceptions and name not in table]
    assert not missing
    assert len(CASES) >= 150
