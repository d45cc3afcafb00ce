"""A watched run's messages turned into the snapshots the panels draw.

A watched PyTorch script (``nnvis.watch``) sends a "run" message, then "snapshot" messages
that carry the per-layer statistics and only the losses logged since the previous one. A
recording or a socket may come from anyone, so every value of a message is checked against
one declarative table (:data:`SNAPSHOT_FIELDS`, :data:`LAYER_FIELDS`, :data:`RUN_FIELDS`,
derived from the one snapshot definition, :mod:`nnvis.core.snapshot_schema`): its type,
shape and range, or the message is refused with a one-line WireError. Only what the tables
name reaches the panels. This module then adds what the NumPy session's snapshots also
carry: the bounded loss and evaluation histories, and defaults for the fields a PyTorch run
does not have.
"""
from __future__ import annotations

import functools

import numpy as np

from nnvis.core.activations import ACTIVATION_CLASSES
from nnvis.core.fields import Optional, Pair, SchemaError, check_record
from nnvis.core.history import DecimatingSeries
from nnvis.core.snapshot import GRAD_LOG10_RANGE, HIST_BINS, PREACT_RANGE
from nnvis.core.snapshot_schema import (END, EDGE_MODES, LAYER, RUN, SNAPSHOT,  # noqa: F401
                                        MAX_LAYERS, MAX_LOSSES, TASKS, unsent_defaults,
                                        wire_fields)

from .wire import WireError

#: The checks of what a watched script sends, from the one snapshot definition.
LAYER_FIELDS = wire_fields(LAYER)
SNAPSHOT_FIELDS = wire_fields(SNAPSHOT)
RUN_FIELDS = wire_fields(RUN)
END_FIELDS = wire_fields(END)
#: What the NumPy engine's layers carry and a PyTorch layer has no notion of.
LAYER_DEFAULTS = unsent_defaults(LAYER)


@functools.lru_cache(maxsize=None)
def _activation_info(name: str) -> dict | None:
    cls = ACTIVATION_CLASSES.get(name)
    return None if cls is None else cls(1, np.random.default_rng(0)).info()


def checked(value, fields: dict, where: str) -> dict:
    """:func:`~nnvis.core.fields.check_record`, refusing as the protocol does: a
    WireError (what a stream's reader and the app catch)."""
    try:
        return check_record(value, fields, where)
    except SchemaError as exc:
        raise WireError(str(exc)) from None


def check_snapshot(payload) -> dict:
    """The checked copy of a "snapshot" message's payload (WireError if it is not one):
    every value of its table, nothing else."""
    snap = checked(payload, SNAPSHOT_FIELDS, "snapshot")
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
            self.info = checked(payload, RUN_FIELDS, "run")
            self._reset()
            return None
        if kind == "end":
            if payload is not None:
                checked(payload, END_FIELDS, "end")
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
