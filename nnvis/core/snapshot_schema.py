"""The snapshot, defined once: every key the panels may read, its type, shape and range.

Three tables of :class:`Entry`: :data:`SNAPSHOT` (one snapshot), :data:`LAYER` (each dict
of its ``layers`` list) and :data:`RUN` (the "run" message a watched script sends first,
which the panels see as the snapshot's ``watch``). From them come

- what a snapshot holds for the panels, whoever made it (:func:`panel_fields`): the NumPy
  engine's :func:`~nnvis.core.snapshot.take_snapshot` (plus the session's ``running``) or
  a watched run as the app completes it;
- what a watched script must send (:func:`wire_fields`), which the watch protocol checks
  every received message against (``nnvis.protocol.watched``);
- the field list of ``docs/panel_contract.md`` (:mod:`nnvis.core.snapshot_doc`).

Open to new kinds of layer: a layer's ``kind`` is one of :data:`LAYER_KINDS`, and what
only some kinds have (a conv layer's kernel, an attention layer's heads) is an Optional
entry, None for the others. Adding a kind adds its name there and its entries here; the
panels draw the fields they know and skip None.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .fields import (MAX_COUNT, Array, AtMost, Choice, Field, Flag, Int, ListOf, Mapping,
                     Optional, Pair, Real, Record, Text)
from .snapshot import HIST_BINS, MAX_UNITS

MAX_LAYERS = 4096
#: Batch losses one snapshot may carry (those logged since the previous one): each is fed
#: to the loss history one by one, ~1 µs apiece.
MAX_LOSSES = 1_000_000
TASKS = ("classification", "regression")
#: The layer kinds the panels know. The last layer, and only it, is the output.
LAYER_KINDS = ("hidden", "output")
#: What a layer's ``edges`` may show, and the key holding each mode's matrix on the wire.
EDGE_MODES = {"weights": "edges", "gradients": "edges_gradients", "ratio": "edges_ratio"}


@dataclass(frozen=True)
class Entry:
    """One key: its check, one line saying what it means, and who has it. ``wire``: a
    watched script sends it; ``panels``: the snapshot the panels get holds it (``losses``
    is sent but turned into the history). ``shown``: the check of the value as the
    panels get it, where the app expands what was sent (an activation's name into its
    description). ``default``: what a layer of a watched run, which does not send the key,
    shows the panels."""
    field: Field
    doc: str
    wire: bool = True
    panels: bool = True
    shown: Field | None = None
    default: object = None

    def check_for(self, view: str) -> Field:
        return self.shown if view == "panels" and self.shown is not None else self.field


def fields_of(entries: dict, view: str) -> dict:
    """The check table ``{key: field}`` of ``entries`` for ``view`` ("wire" or "panels")."""
    return {k: e.check_for(view) for k, e in entries.items() if getattr(e, view)}


def layer_order(layers: list) -> str | None:
    """What the panels take for granted about a network's layers, if it does not hold."""
    names = [layer["name"] for layer in layers]
    if len(set(names)) != len(names):
        return "two layers have the same name"
    kinds = [layer["kind"] for layer in layers]
    if kinds[-1] != "output" or "output" in kinds[:-1]:
        return "the last layer, and only it, must be the output"
    return None


_HIST = Array((HIST_BINS,), lo=0, hi=MAX_COUNT)
_UNITS = Array(("shown_out",), kinds="biuf")
_FRACTION = Real(0.0, 1.0 + 1e-9)     # (a mean of fractions may round a hair above 1)
_NORM = Real(0.0)
_CURVE = Optional(Array((None,), kinds="f"))
_GRID = Optional(Array((None, None), kinds="f"))
_POINTS = Array((None,), kinds="f")
_NAMES = Optional(ListOf(Text(200), 0, 1_000_000))
#: Columns of the history's ``eval_more`` (after ``eval``'s four): see
#: nnvis.core.trainer.EVAL_COLUMNS.
EVAL_MORE = ("val_loss", "val_acc", "train_r2", "test_r2", "val_r2", "train_mae",
             "test_mae", "val_mae")


def _metric(doc: str) -> Entry:
    """A metric of NumPy runs (NaN where it is not measured, and for watched runs)."""
    return Entry(Optional(Real(), math.nan), doc, wire=False, default=math.nan)

#: One layer. Sizes come first: the arrays after them are checked against them. Per unit:
#: what the topology shows of each of the first ``shown_out`` units.
LAYER = {
    "name": Entry(Text(64), "unique: hidden1..N, then output"),
    "kind": Entry(Choice(LAYER_KINDS), "what the layer is; the last one is the output"),
    "module": Entry(Optional(Text(1000)), "the PyTorch module's name (watched runs)"),
    "type": Entry(Optional(Text()), "the PyTorch module's class (watched runs)"),
    "width": Entry(Int(1), "units (a conv layer: channels)"),
    "fan_in": Entry(Int(1), "inputs per unit"),
    "shown_in": Entry(Int(0, MAX_UNITS, at_most="fan_in"), "inputs the topology draws"),
    "shown_out": Entry(Int(1, MAX_UNITS, at_most="width"), "units the topology draws"),
    "activation": Entry(Text(64), "its activation's name (linear for the output)"),
    "batch_norm": Entry(Flag(), "batch-normalised (False for a watched run)", wire=False,
                        default=False),
    "dropout": Entry(Real(0.0, 1.0, nan=False), "dropout rate", wire=False, default=0.0),
    "residual": Entry(Flag(), "has a skip connection", wire=False, default=False),
    "grad_norm_W": Entry(_NORM, "‖∂L/∂W‖ on the probe batch"),
    "grad_norm_act": Entry(_NORM, "‖∂L/∂a‖, the gradient reaching its output"),
    "act_mean": Entry(Real(), "mean activation"),
    "act_std": Entry(_NORM, "activation standard deviation"),
    "dead_fraction": Entry(_FRACTION, "units that never activate on the probe batch"),
    "saturated_fraction": Entry(_FRACTION, "activations in the flat part of the curve"),
    "update_ratio": Entry(_NORM, "‖ΔW‖ / ‖W‖ of the last step"),
    # The histograms' symmetric range: a power of two (1 where nothing finite was seen).
    "weight_range": Entry(Real(1e-300, 1e300, nan=False),
                          "weight_hist spans [-weight_range, weight_range]"),
    "weight_hist": Entry(_HIST, "counts of the weights"),
    "grad_hist": Entry(_HIST, "counts of log10 |∂L/∂W| over grad_log10_range"),
    "preact_hist": Entry(Optional(_HIST), "pre-activations over preact_range (None: output)"),
    "act_hist": Entry(Optional(_HIST), "activations over act_range (None: output)"),
    "act_range": Entry(Optional(Pair()), "the activations' range (None: output)"),
    # (in, out): a conv layer's rows are its kernel's input channels (fewer if grouped).
    "edges": Entry(Array((AtMost("shown_in"), "shown_out")),
                   "shown_in × shown_out: weights, gradients or update ratios per edge_mode"),
    "edges_gradients": Entry(Optional(Array(like="edges")), "∂L/∂W per edge (watched)"),
    "edges_ratio": Entry(Optional(Array(like="edges", lo=0)), "|ΔW| / |W| per edge (watched)"),
    "bias": Entry(_UNITS, "per shown unit"),
    "unit_mean": Entry(_UNITS, "mean activation per shown unit"),
    "unit_dead": Entry(Array(("shown_out",), kinds="biu", lo=0, hi=1), "per shown unit"),
    "unit_saturated": Entry(Array(("shown_out",), kinds="f", lo=0, hi=1),
                            "saturated fraction per shown unit"),
    "dropout_mask": Entry(Optional(Array(("shown_out",), kinds="b")),
                          "units dropped in the last step, or None", wire=False),
}

SNAPSHOT = {
    "step": Entry(Int(), "optimiser steps; lower than the last snapshot's: start over"),
    "epoch": Entry(Int(), "passes over the training set"),
    "param_count": Entry(Int(), "trainable parameters"),
    "n_classes": Entry(Int(0, 2**31 - 1), "classes (regression: 0)"),
    "n_features": Entry(Int(), "inputs per sample"),
    "batch_loss": Entry(Real(), "the last batch's loss"),
    "train_loss": Entry(Real(), "on up to 512 training samples"),
    "test_loss": Entry(Real(), "NaN: no test set"),
    "train_acc": Entry(Real(), "NaN for regression"),
    "test_acc": Entry(Real(), "NaN for regression or no test set"),
    "lr": Entry(Real(), "learning rate"),
    "task": Entry(Choice(TASKS), ""),
    "dataset": Entry(Text(), "its name"),
    "optimizer": Entry(Text(64), "its name"),
    "running": Entry(Flag(), "training now (the session adds it)"),
    # Only the name is taken from a script: the app describes an activation it knows.
    "activation": Entry(Optional(Record({"name": Text(64)})),
                        "the hidden activation: name, output_range, max_slope, "
                        "saturates_beyond, dead_below, zero_centered, formula",
                        shown=Optional(Mapping())),
    "layers": Entry(ListOf(Record(fields_of(LAYER, "wire")), 1, MAX_LAYERS, rule=layer_order),
                    "hidden1..N then output (table below)",
                    shown=ListOf(Record(fields_of(LAYER, "panels")), 1, MAX_LAYERS,
                                 rule=layer_order)),
    "losses": Entry(Record({"step": Array((AtMost(MAX_LOSSES),), kinds="iu", lo=0,
                                          hi=MAX_COUNT),
                            "loss": Array(like="step", kinds="f")}),
                    "batch losses logged since the last snapshot", panels=False),
    "val_loss": _metric("on the validation split (data.val_fraction); NaN: none"),
    "val_acc": _metric("NaN for regression or no validation split"),
    "train_r2": _metric("regression: R² on up to 512 training samples; NaN for classes"),
    "test_r2": _metric("regression: R² on the test split"),
    "val_r2": _metric("regression: R² on the validation split"),
    "train_mae": _metric("regression: mean absolute error, in the target's units"),
    "test_mae": _metric("regression: test MAE, in the target's units"),
    "val_mae": _metric("regression: validation MAE, in the target's units"),
    "history": Entry(Record({"step": Array(kinds="iuf"), "train_loss": Array(like="step"),
                             "eval_step": Array(kinds="iuf"),
                             "eval": Array((None, 4), kinds="f"),
                             "eval_more": Optional(Array((None, len(EVAL_MORE)),
                                                         kinds="f"))}),
                     "decimated batch losses; eval columns: train_loss, test_loss, "
                     "train_acc, test_acc; eval_more (same rows): " + ", ".join(EVAL_MORE),
                     wire=False),
    "edge_mode": Entry(Choice(tuple(EDGE_MODES)), "what layers' edges show", wire=False),
    "hist_bins": Entry(Int(1), "bins of every histogram", wire=False),
    "preact_range": Entry(Pair(), "preact_hist's range", wire=False),
    "grad_log10_range": Entry(Pair(), "grad_hist's range", wire=False),
    "divergence": Entry(Optional(Mapping()), "None, or where training blew up", wire=False),
    "watch": Entry(Optional(Mapping()), "the run message (watched runs)", wire=False),
    "config": Entry(Optional(Mapping()), "the full config (NumPy runs)", wire=False),
    "n_train": Entry(Optional(Int()), "training samples (NumPy runs)", wire=False),
    "n_test": Entry(Optional(Int()), "test samples; 0: none (NumPy runs)", wire=False),
    "notes": Entry(Optional(ListOf(Text(1000))), "where the run differs from its config",
                   wire=False),
    "n_val": Entry(Optional(Int()), "validation samples, carved from the training data; "
                   "0: none (NumPy runs)", wire=False),
    "feature_names": Entry(_NAMES, "the inputs' names (a CSV's header)", wire=False),
    "class_names": Entry(_NAMES, "the classes' names (a CSV's label values); [] for "
                         "regression; None where they would only repeat the indices 0, "
                         "1, ...", wire=False),
    "task_reason": Entry(Optional(Text(64)), "why the task is what it is: a code of "
                         "nnvis.core.refusals.NOTES (data.task auto on a CSV), task_set, "
                         "task_built_in or given", wire=False),
    "task_params": Entry(Optional(Mapping()), "its parameters (column, values, ...)",
                         wire=False),
    "target_mean": Entry(Optional(Array((None,), kinds="f")),
                         "regression: the target's training mean (units)", wire=False),
    "target_std": Entry(Optional(Array((None,), kinds="f")),
                        "regression: its spread; the loss is in these units squared "
                        "(standardised target)", wire=False),
    "best_step": Entry(Optional(Int()), "early stopping: the step of the best validation "
                       "loss so far, or None", wire=False),
    "best_val_loss": _metric("that validation loss"),
    "early_stop": Entry(Optional(Mapping()), "None, or why training stopped early: step, "
                        "best_step, patience, best_val_loss, message, code, params",
                        wire=False),
    "pred_true": Entry(Optional(Record({"train_true": _POINTS,
                                        "train_pred": Array(like="train_true", kinds="f"),
                                        "test_true": _POINTS,
                                        "test_pred": Array(like="test_true", kinds="f")})),
                       "regression of > 2 inputs: predicted vs true, in the target's units "
                       "(first target column; up to 2000 points per split)", wire=False),
    "pca": Entry(Optional(Record({
        "axes": Array((2, None), kinds="f"),
        "train_xy": Array((None, 2), kinds="f"),
        "train_class": Array((None,), kinds="iu"),
        "train_pred": Array(like="train_class", kinds="iu"),
        "test_xy": Array((None, 2), kinds="f"),
        "test_class": Array((None,), kinds="iu"),
        "test_pred": Array(like="test_class", kinds="iu"),
        "bounds": ListOf(Real(nan=False), 4, 4),
        "grid_label": Array((None, None), kinds="i"),
        "grid_conf": Array(like="grid_label", kinds="f")})),
        "classification of > 2 inputs: the standardised inputs on the training split's two "
        "principal axes (PCA): points, their classes and predicted classes (up to 2000 "
        "per split), and the predicted class over the plane of those axes through the "
        "data's centre (grid x0, x1, y0, y1 as bounds)", wire=False),
    "grid_bounds": Entry(Optional(ListOf(Real(nan=False), 4, 4)),
                         "2-D data: the decision grid's x0, x1, y0, y1", wire=False),
    "grid_label": Entry(Optional(Array((None, None), kinds="i")), "predicted class per cell",
                        wire=False),
    "grid_conf": Entry(_GRID, "its probability", wire=False),
    "grid_value": Entry(_GRID, "regression: the prediction per cell", wire=False),
    "neuron_grid": Entry(_GRID, "the probed neuron's activation per cell", wire=False),
    "neuron": Entry(Optional(ListOf(Int(), 2, 2)), "the probed (layer, unit)", wire=False),
    "fit_x": Entry(_CURVE, "1-D data: the fit's inputs", wire=False),
    "fit_y": Entry(_CURVE, "its prediction", wire=False),
    "unit_curves": Entry(Optional(Array((None, None), kinds="f")),
                         "one hidden layer: each unit's scaled activation", wire=False),
    "fit_bias": Entry(Optional(Real()), "the output bias (the curves sum to the fit)",
                      wire=False),
    "points": Entry(Optional(Mapping()), "X_train, y_train, X_test, y_test, bounds; only "
                    "after a reset: keep the last", wire=False),
}

#: The "run" message: what the note says about the watched model.
RUN = {
    "model": Entry(Optional(Text(), "?"), "the model's class"),
    "device": Entry(Optional(Text(64), "?"), "where it runs"),
    "every": Entry(Optional(Int(1)), "steps between snapshots"),
    "param_count": Entry(Optional(Int(), 0), "trainable parameters"),
    "torch": Entry(Optional(Text(64)), "PyTorch's version"),
    "nnvis": Entry(Optional(Text(64)), "the sender's nnvis version"),
}
END = {"step": Entry(Optional(Int()), "the last step")}


def unsent_defaults(entries: dict) -> dict:
    """What the app fills in for the keys a watched script does not send."""
    return {k: e.default for k, e in entries.items() if e.panels and not e.wire}


def wire_fields(entries: dict) -> dict:
    """What a watched script's message must hold: the protocol's check table."""
    return fields_of(entries, "wire")


def panel_fields(entries: dict) -> dict:
    """What a snapshot holds for the panels."""
    return fields_of(entries, "panels")
