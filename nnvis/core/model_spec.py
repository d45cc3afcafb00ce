"""What a trained network is, as plain NumPy arrays and names: the one description both
exporters (:mod:`nnvis.model_export`) write from, so PyTorch code and ONNX cannot disagree
about the network. It pickles: the session sends it to the app ("model" message), whose
trainer runs in another process.

Weights keep nnvis's layout, ``x @ W + b`` with W ``(fan_in, fan_out)``; a writer turns them
into its own (PyTorch's Linear holds W transposed).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class BlockSpec:
    """One hidden block: dense → [batch norm] → activation → [+ x] → [dropout]."""
    name: str                 # hidden1, hidden2, … (the names the app shows)
    fan_in: int
    width: int                # units; maxout's dense layer has 2 × width outputs
    activation: str
    W: np.ndarray             # (fan_in, width * pieces) float32
    b: np.ndarray             # (width * pieces,)
    batch_norm: dict | None   # gamma, beta, running_mean, running_var (width * pieces,), eps
    alpha: np.ndarray | None  # PReLU's learned slopes (width,)
    residual: bool            # + x (only where fan_in == width)
    dropout: float

    @property
    def pieces(self) -> int:
        return 2 if self.activation == "maxout" else 1


@dataclass
class ModelSpec:
    """The network, the input standardisation it expects and how to read its outputs."""
    n_in: int
    n_out: int
    blocks: list
    W_out: np.ndarray         # (fan_in, n_out)
    b_out: np.ndarray         # (n_out,)
    loss: str                 # what the outputs mean: cross_entropy, binary_cross_entropy,
    task: str                 # hinge or mse; classification or regression
    feature_names: list
    class_names: list         # [] for regression
    input_mean: np.ndarray    # (n_in,) raw features -> (x − mean) / std
    input_std: np.ndarray
    target_mean: np.ndarray   # (n_out,) regression outputs -> outputs · std + mean
    target_std: np.ndarray
    about: dict = field(default_factory=dict)   # data set, step: for the file's docstring

    @property
    def head(self) -> str:
        """How outputs become predictions: softmax, sigmoid, argmax or regression."""
        if self.task == "regression":
            return "regression"
        return {"cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}.get(
            self.loss, "argmax")


def _f32(a) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)


def model_spec(trainer) -> ModelSpec:
    """The description of ``trainer``'s network as it predicts (eval mode)."""
    net, data = trainer.net, trainer.data
    blocks = []
    for block in net.blocks:
        bn = None
        if block.bn is not None:
            bn = {"gamma": _f32(block.bn.params["gamma"]), "beta": _f32(block.bn.params["beta"]),
                  "running_mean": _f32(block.bn.buffers["running_mean"]),
                  "running_var": _f32(block.bn.buffers["running_var"]), "eps": block.bn.eps}
        alpha = block.act.params.get("alpha")
        blocks.append(BlockSpec(
            name=block.name, fan_in=block.fan_in, width=block.width,
            activation=block.act.name, W=_f32(block.dense.params["W"]),
            b=_f32(block.dense.params["b"]), batch_norm=bn,
            alpha=None if alpha is None else _f32(alpha), residual=block.skip,
            dropout=float(block.dropout.p)))
    regression = not trainer.classification
    n_out = net.n_out
    return ModelSpec(
        n_in=net.n_in, n_out=n_out, blocks=blocks, W_out=_f32(net.output.params["W"]),
        b_out=_f32(net.output.params["b"]), loss=trainer.loss_name, task=data.task,
        feature_names=[str(f) for f in data.feature_names],
        class_names=[] if regression else [str(c) for c in data.class_names],
        input_mean=np.asarray(data.mean, dtype=np.float64),
        input_std=np.asarray(data.std, dtype=np.float64),
        target_mean=np.asarray(data.y_mean if regression else np.zeros(n_out), dtype=np.float64),
        target_std=np.asarray(data.y_std if regression else np.ones(n_out), dtype=np.float64),
        about={"dataset": data.name, "step": trainer.step_count,
               "config": trainer.config.to_dict()})
