"""The backprop graphs: the notes' numbers, and the walked gradients of one sample equal the
engine's own (Trainer.gradients on that sample) to 1e-10 in float64."""
import json

import numpy as np
import pytest

from helpers import Recorder, small_config
from nnvis.cli import main as cli_main
from nnvis.core import Config, Trainer, commands
from nnvis.core.backprop import (add_mul_graph, backward_walk, format_table, network_graph,
                                 sigmoid_neuron_graph)
from nnvis.core.gradcheck import numerical_gradient
from nnvis.core.layers import BatchNorm
from nnvis.core.network import EVAL
from nnvis.core.session import Session


def test_add_mul_graph_gives_the_notes_numbers():
    g = add_mul_graph()
    values = {k: float(n.value) for k, n in g.nodes.items()}
    assert values == {"x": -2.0, "y": 5.0, "q": 3.0, "z": -4.0, "f": -12.0}
    assert {k: float(v) for k, v in g.grads.items()} == \
        {"f": 1.0, "q": -4.0, "z": 3.0, "x": -4.0, "y": -4.0}
    # The walk visits the multiply gate first (it swaps its inputs), then the add gate.
    assert [s.node for s in g.steps] == ["f", "q"]
    assert {k: float(v) for k, v in g.steps[0].grads.items()} == {"q": -4.0, "z": 3.0}
    assert {k: float(v) for k, v in g.steps[1].grads.items()} == {"x": -4.0, "y": -4.0}


def test_sigmoid_neuron_matches_cs231n_and_finite_differences():
    g = sigmoid_neuron_graph()
    assert float(g.nodes["f"].value) == pytest.approx(0.7310585786)
    expected = {"w0": -0.19661193, "x0": 0.39322387, "w1": -0.39322387, "x1": -0.58983580,
                "w2": 0.19661193}
    for k, v in expected.items():
        assert float(g.grads[k]) == pytest.approx(v, abs=1e-8)
    inputs = {k: 0.3 * (i + 1) * (-1) ** i for i, k in enumerate(expected)}

    def f(**kw):
        return float(sigmoid_neuron_graph(**kw).nodes["f"].value)
    walked = sigmoid_neuron_graph(**inputs).grads
    for k in inputs:
        h = 1e-6
        plus, minus = dict(inputs), dict(inputs)
        plus[k] += h
        minus[k] -= h
        numeric = (f(**plus) - f(**minus)) / (2 * h)
        assert np.isfinite(walked[k])
        assert abs(float(walked[k]) - numeric) < 1e-9


def _trainer(activation, batch_norm=False, residual=False, l2=0.0, loss="cross_entropy",
             data=None, steps=25):
    cfg = {"seed": 4, "dtype": "float64",
           "data": data or {"name": "blobs", "classes": 3, "n_samples": 90, "noise": 0.3},
           "model": {"hidden": [5, 5, 5], "activation": activation, "loss": loss,
                     "batch_norm": batch_norm, "residual": residual},
           "optim": {"name": "adam", "lr": 0.02, "batch_size": 16, "l2": l2}}
    t = Trainer(Config.from_dict(cfg))
    t.step(steps)   # trained weights and BN running statistics, not the initial ones
    return t


@pytest.mark.parametrize("batch_norm,residual", [(False, False), (True, False), (False, True),
                                                 (True, True)],
                         ids=["plain", "bn", "residual", "bn+residual"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu"])
def test_walked_gradients_equal_the_engines_on_one_sample(activation, batch_norm, residual):
    t = _trainer(activation, batch_norm, residual, l2=0.01)
    for index in (0, 7):
        g = network_graph(t, index)
        x, y = t.X_train[index:index + 1], t.data.y_train[index:index + 1]
        # One sample has no batch variance: the graph and this reference both use BN's
        # running statistics (the engine's eval-mode batch norm, with its own backward).
        ref = t.gradients(x, y, batch_norm="running")
        assert set(ref) <= set(g.grads)
        for name, expected in ref.items():
            walked = g.grads[name]
            assert np.all(np.isfinite(walked)) and walked.shape == expected.shape
            np.testing.assert_allclose(walked, expected, rtol=0, atol=1e-10, err_msg=name)
        for block in t.net.blocks:   # ∂L/∂h of each layer: what reaches its output
            out = f"{block.name}.skip" if block.skip else f"{block.name}.act"
            np.testing.assert_allclose(g.grads[out], block.dh[0], rtol=0, atol=1e-10)
        loss = t.loss(x, y, batch_norm="running")
        assert float(g.nodes[g.output].value) == pytest.approx(loss, abs=1e-12)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "softplus"])
def test_gradient_with_respect_to_the_input_matches_finite_differences(activation):
    t = _trainer(activation, batch_norm=True, residual=True)
    g = network_graph(t, 3)
    x = t.X_train[3:4].astype(np.float64).copy()
    y = t.data.y_train[3:4]

    def loss():
        logits = t.net.forward(x, EVAL)   # eval mode: the graph's batch norm
        return t.loss_fn(logits, y)[0]
    numeric = numerical_gradient(loss, x)[0]
    assert np.all(np.isfinite(g.grads["x"]))
    rel = np.abs(g.grads["x"] - numeric) / np.maximum(np.abs(g.grads["x"]) + np.abs(numeric),
                                                       1e-8)
    assert rel.max() < 1e-7, rel


def test_regression_and_penalty_and_maxout_graphs_walk_to_the_engines_gradients():
    for kw in ({"activation": "maxout"}, {"activation": "prelu"},
               {"activation": "elu", "loss": "mse", "data": {"name": "sine", "n_samples": 60}},
               {"activation": "tanh", "loss": "hinge"},
               {"activation": "tanh", "loss": "binary_cross_entropy",
                "data": {"name": "circle", "n_samples": 60}}):
        t = _trainer(l2=0.02, **kw)
        g = network_graph(t, 2)
        T = t.T_train[2:3]
        ref = t.gradients(t.X_train[2:3], T if T.dtype.kind == "f" else t.data.y_train[2:3])
        for name, expected in ref.items():
            np.testing.assert_allclose(g.grads[name], expected, rtol=0, atol=1e-10,
                                       err_msg=f"{kw}: {name}")
        assert g.output == "total" and "penalty" in g.nodes


def test_batch_norm_eval_backward_matches_finite_differences():
    rng = np.random.default_rng(0)
    bn = BatchNorm(4, np.float64)
    bn.params["gamma"][:] = rng.normal(size=4)
    bn.params["beta"][:] = rng.normal(size=4)
    bn.buffers["running_mean"][:] = rng.normal(size=4)
    bn.buffers["running_var"][:] = rng.uniform(0.5, 2.0, size=4)
    bn.training = False
    x = rng.normal(size=(3, 4))
    dout = rng.normal(size=(3, 4))
    bn.forward(x)
    dx = bn.backward(dout)
    numeric = numerical_gradient(lambda: float((bn.forward(x) * dout).sum()), x)
    assert np.all(np.isfinite(dx))
    np.testing.assert_allclose(dx, numeric, rtol=1e-7, atol=1e-10)
    bn.forward(x)
    bn.backward(dout)
    for key in ("gamma", "beta"):
        num = numerical_gradient(lambda: float((bn.forward(x) * dout).sum()), bn.params[key])
        np.testing.assert_allclose(bn.grads[key], num, rtol=1e-7, atol=1e-10)
    # Running statistics are buffers: a backward pass never changes them.
    assert bn.buffers["running_var"].min() >= 0.5


def test_a_bad_sample_or_split_is_refused_with_the_valid_range():
    t = _trainer("tanh", steps=0)
    with pytest.raises(ValueError, match=r"0\.\.71"):
        network_graph(t, 72)
    with pytest.raises(ValueError, match="split"):
        network_graph(t, 0, "validation")


def test_backward_walk_sums_shares_where_a_value_feeds_two_gates():
    t = _trainer("tanh", residual=True, steps=0)
    g = network_graph(t, 0)
    h1 = "hidden1.act"
    consumers = [s for s in g.steps if h1 in s.grads]
    assert len(consumers) == 2     # the next matmul and the skip connection's add gate
    np.testing.assert_allclose(g.grads[h1], sum(s.grads[h1] for s in consumers), atol=0)
    assert backward_walk(g).grads.keys() == g.grads.keys()


def test_session_sends_the_graph_between_steps():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Step(5))
    s.handle(commands.Backprop(sample=3, split="test"))
    graph = rec.last("backprop")
    assert graph.meta["sample"] == 3 and graph.meta["split"] == "test"
    assert graph.meta["step"] == 5 and graph.kind == "network"
    s.handle(commands.Backprop(sample=10 ** 6))
    assert "backprop" in rec.last("error") and "sample must be in" in rec.last("error")


def test_cli_prints_the_table_and_json(capsys):
    assert cli_main(["backprop", "--preset", "vanishing-gradients", "--sample", "0"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("nnvis backprop: train sample 0")
    assert "hidden1.W" in out and "sigmoid: σ(x)(1 − σ(x)) × upstream" in out
    # One row per node, from the loss back to the input.
    rows = [line.split()[0] for line in lines[3:]
            if line and not line.startswith(("note", "‖∂L/∂W‖", "first"))]
    assert rows[0] == "loss" and rows[-1] == "x"
    # Then what the vanishing-gradients lesson reads: ‖∂L/∂W‖ per layer, first to output.
    assert lines[-2].startswith("‖∂L/∂W‖ per layer: hidden1 ") and "output" in lines[-2]
    ratio = float(lines[-1].split(": ")[1])
    assert 1e-6 < ratio < 1e-4
    assert cli_main(["backprop", "--preset", "xor", "--sample", "2", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "network" and doc["meta"]["sample"] == 2
    assert set(doc["grads"]) >= {"output.W", "output.b", "x"}   # xor starts with no hidden layer
    assert cli_main(["backprop", "--preset", "xor", "--sample", "999"]) == 2
    assert capsys.readouterr().err.startswith("error: sample must be in")


def test_format_table_lists_every_node_once():
    g = network_graph(_trainer("relu", batch_norm=True, steps=3), 1)
    table = format_table(g)
    assert len(table.splitlines()) == len(g.nodes) + 2
    assert "batch norm (running statistics)" in table and "max gate" in table
