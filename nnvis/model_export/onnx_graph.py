"""A trained network as an ONNX model (needs the optional ``onnx`` package).

The graph takes raw features — input ``features`` (N, n_features) float32 — and standardises
them itself, so it is used as the CSV's rows are. Outputs: ``logits`` (what nnvis's network
returns, on standardised targets for regression) and ``prediction``: the class
probabilities (softmax or sigmoid heads), the scores (hinge, mse on classes) or the target
in its own units. Nodes and weights are named after nnvis's layers (``hidden1/linear``,
``hidden1.W`` …), as the app names them.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from nnvis.core.model_spec import ModelSpec

#: Attributes of ONNX's ReduceMax changed in opset 18; this one has ``axes`` as attribute.
OPSET = 17

_ACTIVATIONS = {"sigmoid": ("Sigmoid", {}), "tanh": ("Tanh", {}), "relu": ("Relu", {}),
                "leaky_relu": ("LeakyRelu", {"alpha": 0.01}),
                # Evaluation uses RReLU's mean slope, (1/8 + 1/3) / 2 = 11/48.
                "rrelu": ("LeakyRelu", {"alpha": 11 / 48}), "elu": ("Elu", {"alpha": 1.0}),
                "softplus": ("Softplus", {})}


class _Graph:
    """Nodes and initialisers, added in order; every value named by where it is."""

    def __init__(self):
        from onnx import helper, numpy_helper
        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.weights = [], []

    def weight(self, name: str, value, dtype=np.float32) -> str:
        self.weights.append(self.numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, op: str, inputs: list, name: str, **attrs) -> str:
        self.nodes.append(self.helper.make_node(op, inputs, [name], name=name, **attrs))
        return name


def _block(g: _Graph, block, x: str) -> str:
    L = block.name
    h = g.op("MatMul", [x, g.weight(f"{L}.W", block.W)], f"{L}/linear/matmul")
    h = g.op("Add", [h, g.weight(f"{L}.b", block.b)], f"{L}/linear")
    bn = block.batch_norm
    if bn is not None:
        h = g.op("BatchNormalization",
                 [h, g.weight(f"{L}.gamma", bn["gamma"]), g.weight(f"{L}.beta", bn["beta"]),
                  g.weight(f"{L}.running_mean", bn["running_mean"]),
                  g.weight(f"{L}.running_var", bn["running_var"])],
                 f"{L}/bn", epsilon=float(bn["eps"]))
    act = block.activation
    if act == "prelu":
        h = g.op("PRelu", [h, g.weight(f"{L}.alpha", block.alpha)], f"{L}/act")
    elif act == "maxout":
        shape = g.weight(f"{L}/pieces_shape", [-1, block.width, 2], np.int64)
        h = g.op("Reshape", [h, shape], f"{L}/pieces")
        h = g.op("ReduceMax", [h], f"{L}/act", axes=[2], keepdims=0)
    elif act != "linear":
        op, attrs = _ACTIVATIONS[act]
        h = g.op(op, [h], f"{L}/act", **attrs)
    if block.residual:
        h = g.op("Add", [h, x], f"{L}/residual")
    return h   # dropout: nothing at evaluation


def model_proto(spec: ModelSpec):
    """The ONNX ModelProto of ``spec``."""
    from onnx import TensorProto, helper

    g = _Graph()
    x = g.op("Sub", ["features", g.weight("input_mean", spec.input_mean)], "input/centre")
    x = g.op("Div", [x, g.weight("input_std", spec.input_std)], "input/standardise")
    for block in spec.blocks:
        x = _block(g, block, x)
    z = g.op("MatMul", [x, g.weight("output.W", spec.W_out)], "output/matmul")
    g.op("Add", [z, g.weight("output.b", spec.b_out)], "logits")
    if spec.head == "softmax":
        g.op("Softmax", ["logits"], "prediction", axis=1)
    elif spec.head == "sigmoid":
        g.op("Sigmoid", ["logits"], "prediction")
    elif spec.head == "regression":
        y = g.op("Mul", ["logits", g.weight("target_std", spec.target_std)], "output/scale")
        g.op("Add", [y, g.weight("target_mean", spec.target_mean)], "prediction")
    else:
        g.op("Identity", ["logits"], "prediction")
    batch = "N"
    graph = helper.make_graph(
        g.nodes, "nnvis_" + str(spec.about.get("dataset", "model")).replace(".", "_"),
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [batch, spec.n_in])],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, [batch, spec.n_out])
         for name in ("logits", "prediction")],
        g.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="nnvis")
    classes = spec.class_names
    # JSON lists: a name may hold a comma.
    helper.set_model_props(model, {"features": json.dumps(spec.feature_names),
                                   "classes": json.dumps(classes), "head": spec.head,
                                   "task": spec.task})
    return model


def write_onnx(spec: ModelSpec, path) -> list:
    """Write ``path``, checked by ``onnx.checker``; the paths written."""
    import onnx

    model = model_proto(spec)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, str(path))
    return [Path(path)]
