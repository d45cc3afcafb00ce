"""A watched run's messages turned into the snapshots the panels draw.

A watched PyTorch script (``nnvis.watch``) sends a "run" message, then "snapshot" messages
that carry the per-layer statistics and only the losses logged since the previous one. A
recording or a socket may come from anyone, so every value of a message is checked against
one declarative table (:data:`SNAPSHOT_FIELDS`, :data:`LAYER_FIELDS`, :data:`RUN_FIELDS`;
the vocabulary is :mod:`nnvis.protocol.fields`): its type, shape and range, or the message is
refused with a one-line WireError. Only what the tables name reaches the panels. This module
then adds what the NumPy session's snapshots also carry: the bounded loss and evaluation
histories, and defaults for the fields a PyTorch run does not have.
"""
from __future__ import annotations

import functools

import numpy as np

from nnvis.core.activations import ACTIVATION_CLASSES
from .fields import (MAX_COUNT, Array, AtMost, Choice, Flag, Int, ListOf, Optional, Pair, Real,
                     Record, Text, check_record)
from nnvis.core.history import DecimatingSeries
from nnvis.core.snapshot import GRAD_LOG10_RANGE, HIST_BINS, MAX_UNITS, PREACT_RANGE
from .wire import WireError

MAX_LAYERS = 4096
#: Batch losses one snapshot may carry (those logged since the previous one): each is fed
#: to the loss history one by one, ~1 µs apiece.
MAX_LOSSES = 1_000_000
TASKS = ("classification", "regression")


def _layer_order(layers: list) -> str | None:
    """What the panels take for granted about a network's layers, if it does not hold."""
    names = [layer["name"] for layer in layers]
    if len(set(names)) != len(names):
        return "two layers have the same name"
    if [layer["kind"] for layer in layers] != ["hidden"] * (len(layers) - 1) + ["output"]:
        return "the last layer, and only it, must be the output"
    return None


_HIST = Array((HIST_BINS,), lo=0, hi=MAX_COUNT)
_UNITS = Array(("shown_out",), kinds="biuf")
_FRACTION = Real(0.0, 1.0 + 1e-9)     # (a mean of fractions may round a hair above 1)
_NORM = Real(0.0)
#: One layer of a snapshot. Sizes come first: the arrays after them are checked against
#: them. Per unit: what the topology shows of each of the first ``shown_out`` units.
LAYER_FIELDS = {
    "name": Text(64), "kind": Choice(("hidden", "output")),
    "module": Optional(Text(1000)), "type": Optional(Text()),    # the PyTorch module
    "width": Int(1), "fan_in": Int(1),
    "shown_in": Int(0, MAX_UNITS, at_most="fan_in"),
    "shown_out": Int(1, MAX_UNITS, at_most="width"),
    "activation": Text(64),
    "grad_norm_W": _NORM, "grad_norm_act": _NORM, "act_mean": Real(), "act_std": _NORM,
    "dead_fraction": _FRACTION, "saturated_fraction": _FRACTION, "update_ratio": _NORM,
    # The histograms' symmetric range: a power of two (1 where nothing finite was seen).
    "weight_range": Real(1e-300, 1e300, nan=False),
    "weight_hist": _HIST, "grad_hist": _HIST,
    "preact_hist": Optional(_HIST), "act_hist": Optional(_HIST),
    "act_range": Optional(Pair()),
    # (in, out): a conv layer's rows are its kernel's input channels (fewer if grouped).
    "edges": Array((AtMost("shown_in"), "shown_out")),
    "edges_gradients": Optional(Array(like="edges")),
    "edges_ratio": Optional(Array(like="edges", lo=0)),
    "bias": _UNITS, "unit_mean": _UNITS,
    "unit_dead": Array(("shown_out",), kinds="biu", lo=0, hi=1),
    "unit_saturated": Array(("shown_out",), kinds="f", lo=0, hi=1),
}
SNAPSHOT_FIELDS = {
    "step": Int(), "epoch": Int(), "param_count": Int(),
    "n_classes": Int(0, 2**31 - 1), "n_features": Int(),
    **{k: Real() for k in ("batch_loss", "train_loss", "test_loss", "train_acc", "test_acc",
                           "lr")},
    "task": Choice(TASKS), "dataset": Text(), "optimizer": Text(64), "running": Flag(),
    # Only the name is taken: the app describes an activation it knows itself.
    "activation": Optional(Record({"name": Text(64)})),
    "layers": ListOf(Record(LAYER_FIELDS), 1, MAX_LAYERS, rule=_layer_order),
    # The batch losses logged since the previous snapshot.
    "losses": Record({"step": Array((AtMost(MAX_LOSSES),), kinds="iu", lo=0, hi=MAX_COUNT),
                      "loss": Array(like="step", kinds="f")}),
}
#: The "run" message: what the note says about the watched model.
RUN_FIELDS = {
    "model": Optional(Text(), "?"), "device": Optional(Text(64), "?"),
    "every": Optional(Int(1)), "param_count": Optional(Int(), 0),
    "torch": Optional(Text(64)), "nnvis": Optional(Text(64)),
}
END_FIELDS = {"step": Optional(Int())}
#: Edge matrices for the topology's other edge modes (optional; "edges" holds the weights).
EDGE_MODES = {"weights": "edges", "gradients": "edges_gradients", "ratio": "edges_ratio"}
#: What the NumPy engine's layers carry and a PyTorch layer has no notion of.
LAYER_DEFAULTS = {"batch_norm": False, "dropout": 0.0, "residual": False, "dropout_mask": None}


@functools.lru_cache(maxsize=None)
def _activation_info(name: str) -> dict | None:
    cls = ACTIVATION_CLASSES.get(name)
    return None if cls is None else cls(1, np.random.default_rng(0)).info()


def check_snapshot(payload) -> dict:
    """The checked copy of a "snapshot" message's payload (WireError if it is not one):
    every value of its table, nothing else."""
    snap = check_record(payload, SNAPSHOT_FIELDS, "snapshot")
    info = _activation_info(snap["activation"]["name"]) if snap["activation"] else None
    snap["activation"] = dict(info) if info else None
    return snap


def finite_or_nan(value, key: str = ""):
    """A sender's snapshot as the tables accept it: an infinite number (a diverging run's
    loss or norm) becomes NaN, shown as not measured, and a range that is no longer
    finite, None. Copies only what it changes."""
    if isinstance(value, dict):
        return {k: finite_or_nan(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if isinstance(LAYER_FIELDS.get(key), Optional) and \
                isinstance(LAYER_FIELDS[key].field, Pair):
            return list(value) if all(np.isfinite(value)) else None
        return [finite_or_nan(v) for v in value]
    if isinstance(value, (float, np.floating)) and np.isinf(value):
        return float("nan")
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and not \
            np.isfinite(value).all():
        return np.where(np.isinf(value), np.nan, value).astype(value.dtype)
    return value


def with_edge_mode(snap: dict, mode: str) -> dict:
    """A shallow copy whose layers' ``edges`` show ``mode`` (weights, gradients, ratio)."""
    key = EDGE_MODES.get(mode, "edges")
    if snap["layers"][0].get(key) is None:
        key, mode = "edges", "weights"
    layers = [dict(layer, edges=layer[key] if layer.get(key) is not None else layer["edges"])
              for layer in snap["layers"]]
    return dict(snap, layers=layers, edge_mode=mode)


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
            self.info = check_record(payload, RUN_FIELDS, "run")
            self._reset()
            return None
        if kind == "end":
            if payload is not None:
                check_record(payload, END_FIELDS, "end")
            return None
        if kind != "snapshot":
            raise WireError(f"unknown message kind {kind[:40]!r}")
        snap = check_snapshot(payload)
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


def recorded_snapshots(reader, run: WatchedRun):
    """The snapshots of a :class:`~nnvis.protocol.recording.RecordingReader`'s messages, read
    as they are asked for; a message the tables refuse ends the recording there, as a cut
    does (the reader's ``ending`` says so)."""
    for kind, payload in reader:
        try:
            snap = run.feed(kind, payload)
        except WireError as exc:
            reader.stop(exc)
            continue
        if snap is not None:
            yield snap
