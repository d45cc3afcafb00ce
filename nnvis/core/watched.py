"""A watched run's messages turned into the snapshots the panels draw.

A watched PyTorch script (``nnvis.watch``) sends a "run" message, then "snapshot" messages
that carry the per-layer statistics and only the losses logged since the previous one; this
module checks each message against the snapshot schema (a recording may come from anyone)
and adds what the NumPy session's snapshots also carry: the bounded loss and evaluation
histories, and defaults for the fields a PyTorch run does not have.
"""
from __future__ import annotations

import numbers

import numpy as np

from .history import DecimatingSeries
from .snapshot import GRAD_LOG10_RANGE, HIST_BINS, PREACT_RANGE
from .wire import WireError

MAX_LAYERS = 4096
TASKS = ("classification", "regression")


def _num(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v >= 0


def _array(ndim, length=None, numeric=True):
    def check(v):
        return (isinstance(v, np.ndarray) and v.ndim == ndim
                and (length is None or v.shape[0] == length)
                and (not numeric or v.dtype.kind in "biuf"))
    return check


def _pair(v) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(_num(x) for x in v)


def _optional(check):
    return lambda v: v is None or check(v)


_HIST = _array(1, HIST_BINS)
LAYER_FIELDS = {
    "name": lambda v: isinstance(v, str), "kind": lambda v: v in ("hidden", "output"),
    "width": _int, "fan_in": _int, "shown_in": _int, "shown_out": _int,
    "activation": lambda v: isinstance(v, str),
    **{k: _num for k in ("grad_norm_W", "grad_norm_act", "act_mean", "act_std",
                         "dead_fraction", "saturated_fraction", "update_ratio",
                         "weight_range")},
    "weight_hist": _HIST, "grad_hist": _HIST,
    "preact_hist": _optional(_HIST), "act_hist": _optional(_HIST),
    "act_range": _optional(_pair),
    "edges": _array(2), "bias": _array(1), "unit_mean": _array(1), "unit_dead": _array(1),
    "unit_saturated": _array(1),
}
SNAPSHOT_FIELDS = {
    "step": _int, "epoch": _int, "param_count": _int, "n_classes": _int, "n_features": _int,
    **{k: _num for k in ("batch_loss", "train_loss", "test_loss", "train_acc", "test_acc",
                         "lr")},
    "task": lambda v: v in TASKS, "dataset": lambda v: isinstance(v, str),
    "optimizer": lambda v: isinstance(v, str), "running": lambda v: isinstance(v, bool),
    "activation": lambda v: v is None or (isinstance(v, dict) and isinstance(v.get("name"), str)),
    "layers": lambda v: isinstance(v, list) and 0 < len(v) <= MAX_LAYERS,
    "losses": lambda v: (isinstance(v, dict) and _array(1)(v.get("step"))
                         and _array(1)(v.get("loss"))
                         and len(v["step"]) == len(v["loss"])),
}
#: Edge matrices for the topology's other edge modes (optional; "edges" holds the weights).
EDGE_MODES = {"weights": "edges", "gradients": "edges_gradients", "ratio": "edges_ratio"}
#: What the NumPy engine's layers carry and a PyTorch layer has no notion of.
LAYER_DEFAULTS = {"batch_norm": False, "dropout": 0.0, "residual": False, "dropout_mask": None}


def _check(d, fields: dict, where: str):
    if not isinstance(d, dict):
        raise WireError(f"{where}: expected a mapping")
    for key, ok in fields.items():
        if key not in d:
            raise WireError(f"{where}: missing {key!r}")
        if not ok(d[key]):
            raise WireError(f"{where}.{key}: unexpected value {str(d[key])[:40]!r}")


def check_snapshot(payload) -> dict:
    """The payload of a "snapshot" message, checked field by field (WireError if not)."""
    _check(payload, SNAPSHOT_FIELDS, "snapshot")
    for i, layer in enumerate(payload["layers"]):
        _check(layer, LAYER_FIELDS, f"snapshot.layers[{i}]")
        for key in EDGE_MODES.values():
            edges = layer.get(key, layer["edges"])
            if not _array(2)(edges) or edges.shape != layer["edges"].shape or \
                    edges.shape[0] > layer["shown_in"] or edges.shape[1] > layer["shown_out"]:
                raise WireError(f"snapshot.layers[{i}].{key}: shape {np.shape(edges)} does not "
                                f"fit the shown units")
    return payload


def with_edge_mode(snap: dict, mode: str) -> dict:
    """A shallow copy whose layers' ``edges`` show ``mode`` (weights, gradients, ratio)."""
    key = EDGE_MODES.get(mode, "edges")
    layers = [dict(layer, edges=layer.get(key, layer["edges"])) for layer in snap["layers"]]
    return dict(snap, layers=layers, edge_mode=mode if key in snap["layers"][0] else "weights")


class WatchedRun:
    """Feed it a run's messages in order; :meth:`feed` returns each full snapshot."""

    def __init__(self):
        self.info: dict = {}
        self._reset()

    def _reset(self):
        self.loss_history = DecimatingSeries(2048)
        self.eval_history = DecimatingSeries(1024, columns=4)
        self.last_step = -1

    def feed(self, kind: str, payload) -> dict | None:
        if kind == "run":
            if not isinstance(payload, dict):
                raise WireError("run: expected a mapping")
            self.info = dict(payload)
            self._reset()
            return None
        if kind == "end":
            return None
        if kind != "snapshot":
            raise WireError(f"unknown message kind {kind[:40]!r}")
        snap = dict(check_snapshot(payload))
        if snap["step"] < self.last_step:   # the script started over
            self._reset()
        self.last_step = snap["step"]
        losses = snap.pop("losses")
        for step, loss in zip(losses["step"].tolist(), losses["loss"].tolist()):
            self.loss_history.append(int(step), float(loss))
        self.eval_history.append(snap["step"], *(float(snap[k]) for k in (
            "train_loss", "test_loss", "train_acc", "test_acc")))
        loss_steps, loss_values = self.loss_history.arrays()
        eval_steps, eval_values = self.eval_history.arrays()
        snap["layers"] = [{**LAYER_DEFAULTS, **layer} for layer in snap["layers"]]
        snap.update({
            "history": {"step": loss_steps, "train_loss": loss_values[:, 0],
                        "eval_step": eval_steps, "eval": eval_values},
            "hist_bins": HIST_BINS, "preact_range": PREACT_RANGE,
            "grad_log10_range": GRAD_LOG10_RANGE,
            "divergence": None, "edge_mode": "weights",
            "watch": self.info,
        })
        return snap
