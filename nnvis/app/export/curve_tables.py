"""CSV tables of the panels that plot series: the loss history, the gradient flow, the
weight/gradient/activation histograms and the activation's pre-activations. Qt-free."""
from __future__ import annotations

import numpy as np

from nnvis.core.activations import ACTIVATION_CLASSES
from nnvis.core.snapshot_schema import EVAL_MORE

from .table import Table, empty_table

EVAL_COLUMNS = ("eval_train_loss", "eval_test_loss", "eval_train_acc", "eval_test_acc")
FLOW_COLUMNS = ("grad_norm_act", "grad_norm_W", "update_ratio")


def point_strides(steps) -> np.ndarray:
    """Steps each kept point stands for. The trainer's loss history averages ``stride``
    consecutive steps per point and doubles the stride when full, so the gap to the
    previous point is that point's stride; the first point has no predecessor and takes
    its successor's (1 if it is alone)."""
    steps = np.asarray(steps, np.int64)
    if steps.size == 0:
        return steps
    gaps = np.diff(steps)
    first = gaps[0] if gaps.size else 1
    return np.concatenate([[first], gaps])


def loss_table(history: dict | None, compare_history: dict | None = None) -> Table:
    """Every point the snapshot's history keeps: the batch loss with its stride, the
    flipped copy's in compare mode, and the periodic evaluations, joined on the step (a
    step with only some of them leaves the others' cells empty)."""
    history = history or {}
    series = [("batch_loss", history)]
    if compare_history is not None:
        series.append(("compare_batch_loss", compare_history))
    header = ["step"] + [c for name, _ in series for c in (name, f"{name}_stride")]
    # NumPy runs also evaluate the validation split and, for regression, R² and MAE.
    more = history.get("eval_more")
    more_cols = [] if more is None else [f"eval_{c}" for c in EVAL_MORE]
    header += [*EVAL_COLUMNS, *more_cols]
    rows: dict[int, list] = {}

    def row(step: int) -> list:
        return rows.setdefault(step, [step] + [None] * (len(header) - 1))

    for k, (_, kept) in enumerate(series):
        steps = np.asarray(kept.get("step", ()), np.int64)
        losses = np.asarray(kept.get("train_loss", ()), np.float64)
        for step, loss, stride in zip(steps.tolist(), losses.tolist(),
                                      point_strides(steps).tolist()):
            row(step)[1 + 2 * k:3 + 2 * k] = [loss, stride]
    ev_steps = np.asarray(history.get("eval_step", ()), np.int64)
    ev = np.asarray(history.get("eval", np.zeros((0, 4))), np.float64).reshape(-1, 4)
    if more is not None:
        ev = np.column_stack([ev, np.asarray(more, np.float64).reshape(len(ev), -1)])
    for step, values in zip(ev_steps.tolist(), ev.tolist()):
        row(step)[-ev.shape[1]:] = values
    return Table(header, [rows[s] for s in sorted(rows)])


def gradient_flow_table(step, layers, history_steps, history_columns: dict) -> Table:
    """The bars now (``series`` "now": the snapshot's per-layer norms) and the kept history
    (``series`` "history": each row the geometric mean of the snapshots it merged).
    ``history_columns``: quantity -> log10 values (points, layers), as the panel keeps them;
    its layers are those of ``layers``."""
    header = ["series", "step", "layer", *FLOW_COLUMNS]
    rows = [["now", step, layer["name"], *(layer.get(k) for k in FLOW_COLUMNS)]
            for layer in layers]
    names = [layer["name"] for layer in layers]
    with np.errstate(over="ignore"):
        values = {k: 10.0 ** np.asarray(history_columns[k], np.float64) for k in FLOW_COLUMNS}
    for i, s in enumerate(np.asarray(history_steps).tolist()):
        for j, name in enumerate(names):
            rows.append(["history", s, name, *(float(values[k][i, j]) for k in FLOW_COLUMNS)])
    return Table(header, rows)


def _bins(layer_name: str, quantity: str, counts, lo: float, hi: float) -> list:
    counts = np.asarray(counts, np.float64)
    edges = np.linspace(float(lo), float(hi), counts.size + 1)
    return [[layer_name, quantity, float(a), float(b), float(c)]
            for a, b, c in zip(edges[:-1], edges[1:], counts)]


def histogram_table(snapshot: dict | None) -> Table:
    """Every layer's histograms now: bin edges and counts of its weights, of log10 |∂L/∂W|,
    of its pre-activations and activations (the output has neither of the last two)."""
    header = ["layer", "quantity", "bin_lo", "bin_hi", "count"]
    if not snapshot:
        return empty_table(*header)
    glo, ghi = snapshot.get("grad_log10_range", (-10.0, 2.0))
    plo, phi = snapshot.get("preact_range", (-8.0, 8.0))
    rows = []
    for layer in snapshot.get("layers") or ():
        name, wr = layer["name"], float(layer.get("weight_range", 1.0))
        rows += _bins(name, "weight", layer["weight_hist"], -wr, wr)
        rows += _bins(name, "log10_abs_grad", layer["grad_hist"], glo, ghi)
        if layer.get("preact_hist") is not None:
            rows += _bins(name, "preactivation", layer["preact_hist"], plo, phi)
        if layer.get("act_hist") is not None and layer.get("act_range") is not None:
            rows += _bins(name, "activation", layer["act_hist"], *layer["act_range"])
    return Table(header, rows)


def activation_table(snapshot: dict | None) -> Table:
    """Each hidden layer's pre-activation histogram, with the activation's f(z) and f′(z)
    at every bin's centre (the engine's own activation class, as the panel draws it)."""
    header = ["layer", "z_lo", "z_hi", "count", "f", "f_prime"]
    if not snapshot:
        return empty_table(*header)
    info = snapshot.get("activation") or {}
    act = ACTIVATION_CLASSES.get(info.get("name"))
    lo, hi = snapshot.get("preact_range", (-8.0, 8.0))
    rows = []
    for layer in snapshot.get("layers") or ():
        if layer.get("preact_hist") is None:
            continue
        for name, _, a, b, count in _bins(layer["name"], "", layer["preact_hist"], lo, hi):
            f = df = None
            if act is not None:
                with np.errstate(all="ignore"):
                    f, df = (float(np.asarray(v).ravel()[0])
                             for v in act.curve(np.array([(a + b) / 2])))
            rows.append([name, a, b, count, f, df])
    return Table(header, rows)
