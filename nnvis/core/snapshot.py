"""Snapshots: compact, self-contained copies of what a trainer looks like right now.

A snapshot is a plain dict of Python scalars and small NumPy arrays (picklable, never a
view of an array the trainer mutates), cheap enough to take 30 times a second. Layer
statistics come from one fixed probe batch of training data run in training mode with
dropout off, so ‖∂L/∂W‖ and ‖∂L/∂a‖ of every layer are measured on the same samples.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from .data import MAX_VIEW_POINTS
from .layers import read_only
from .losses import class_probabilities, predict_labels
from .network import EVAL

PROBE_SAMPLES = 256
HIST_BINS = 40
PREACT_RANGE = (-8.0, 8.0)     # the activation-curve panel's x range
GRAD_LOG10_RANGE = (-10.0, 2.0)  # log10 |∂L/∂W|: comparable across layers (vanishing!)
GRID_RES = 50
FIT_POINTS = 200
MAX_UNITS = 32                 # units per layer shown on the topology; wider layers are elided
HIST_SAMPLE = 16384            # values per histogram at most (a fixed subset of larger arrays)
GRID_MAC_BUDGET = 1e9          # multiply-adds for the decision grid: wide nets get a coarser one
GRID_MIN_RES = 20


def stacked_histograms(arrays, lo, hi, nbins: int) -> np.ndarray:
    """Histogram K arrays at once with one bincount. lo, hi: (K,) ranges. -> (K, nbins) int64.

    Values outside [lo, hi] land in the edge bins; non-finite values are dropped.
    """
    sizes = np.array([a.size for a in arrays])
    values = np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64)
    lo = np.asarray(lo, dtype=np.float64)
    hi = np.asarray(hi, dtype=np.float64)
    scale = np.repeat(nbins / np.maximum(hi - lo, 1e-30), sizes)
    idx = (values - np.repeat(lo, sizes)) * scale
    finite = np.isfinite(idx)
    idx = np.clip(idx[finite], 0, nbins - 1).astype(np.int64)
    idx += np.repeat(np.arange(len(arrays)) * nbins, sizes)[finite]
    return np.bincount(idx, minlength=len(arrays) * nbins).reshape(len(arrays), nbins)


@functools.lru_cache(maxsize=64)
def sample_index(n: int) -> np.ndarray:
    """HIST_SAMPLE distinct, sorted positions out of n, the same for every array of size n."""
    rng = np.random.default_rng(n)
    return read_only(np.sort(rng.choice(n, HIST_SAMPLE, replace=False)))


def histogram_sample(a) -> tuple[np.ndarray, float]:
    """(values, weight): a flattened, or for a large array a fixed random subset of
    HIST_SAMPLE of its values and how many values each one stands for. A 10×500 network has
    2.5M weights; histogramming all of them (and their gradients) every snapshot took
    0.1 s, while 16k samples draw the same shape. The subset depends only on the size, so
    the histograms do not flicker from one snapshot to the next."""
    flat = np.ravel(a)
    n = flat.size
    if n <= HIST_SAMPLE:
        return flat, 1.0
    return flat[sample_index(n)], n / HIST_SAMPLE


def grid_resolution(param_count: int) -> int:
    """Decision-grid points per axis: GRID_RES, fewer for a network so large that the
    grid's forward pass would cost more than GRID_MAC_BUDGET multiply-adds."""
    res = int(math.sqrt(GRID_MAC_BUDGET / max(param_count, 1)))
    return max(GRID_MIN_RES, min(GRID_RES, res))


def nice_range(max_abs: float) -> float:
    """Smallest power of two ≥ max_abs: a symmetric range that changes rarely (hysteresis)."""
    if not math.isfinite(max_abs) or max_abs <= 0:
        return 1.0
    return float(2.0 ** math.ceil(math.log2(max_abs)))


def _norm(a) -> float:
    return float(np.sqrt(np.vdot(a, a))) if a is not None else 0.0


def probe_batch(trainer):
    n = min(PROBE_SAMPLES, len(trainer.X_train))
    return trainer.X_train[:n], trainer.data.y_train[:n]


def layer_stats(trainer, grads=None) -> list[dict]:
    """Scalar summaries per layer (hidden blocks, then output) from the probe batch.

    Runs :meth:`Trainer.gradients` unless ``grads`` (its result) is given.
    """
    if grads is None:
        X, y = probe_batch(trainer)
        with np.errstate(all="ignore"):
            grads = trainer.gradients(X, y)
    opt = trainer.optimizer
    params = trainer.parameters()
    out = []
    for block in trainer.net.blocks:
        zu = block.unit_preactivation()
        h = block.h
        act = block.act
        wname = f"{block.name}.W"
        out.append({
            "name": block.name,
            "grad_norm_W": _norm(grads[wname]),
            "grad_norm_act": _norm(block.dh),
            "act_mean": float(h.mean()),
            "act_std": float(h.std()),
            "dead_fraction": float(act.dead_mask(zu).all(axis=0).mean()),
            "saturated_fraction": float(act.saturated_mask(zu).mean()),
            "update_ratio": _norm(opt.last_update.get(wname)) / (_norm(params[wname]) + 1e-12),
        })
    logits = trainer.net.logits
    out.append({
        "name": "output",
        "grad_norm_W": _norm(grads["output.W"]),
        "grad_norm_act": _norm(trainer.net.dlogits),
        "act_mean": float(logits.mean()),
        "act_std": float(logits.std()),
        "dead_fraction": 0.0,
        "saturated_fraction": 0.0,
        "update_ratio": _norm(opt.last_update.get("output.W")) / (_norm(params["output.W"]) + 1e-12),
    })
    return out


def activation_range(block) -> tuple[float, float]:
    """Histogram range for a block's outputs: the activation's own bounds where it has them
    (and no residual adds x), else a power-of-two range around the data."""
    lo, hi = block.act.output_range
    h = block.h
    if not block.skip and np.isfinite(lo) and np.isfinite(hi):
        return float(lo), float(hi)
    finite = h[np.isfinite(h)]
    r = nice_range(float(np.max(np.abs(finite)))) if finite.size else 1.0
    return (0.0, r) if lo == 0 and not block.skip else (-r, r)


def _edge_matrix(dense, block, mode, opt, name, m_in, m_out):
    W = dense.params["W"]
    piece = slice(None) if block is None or block.act.width_factor == 1 else slice(0, None, 2)
    if mode == "gradients":
        M = dense.grads.get("W", np.zeros_like(W))
    elif mode == "ratio":
        u = opt.last_update.get(name)
        M = np.zeros_like(W) if u is None else np.abs(u) / (np.abs(W) + 1e-8)
    else:
        M = W
    return np.array(M[:, piece][:m_in, :m_out], dtype=np.float32)


def _eval_hidden(trainer, X):
    """Eval-mode hidden activations for X: list of (N, width) arrays, and the logits."""
    net = trainer.net
    logits = net.forward(np.asarray(X, dtype=trainer.dtype), EVAL)
    return [block.h for block in net.blocks], logits


def _grid_points(bounds, res):
    xs = np.linspace(bounds[0], bounds[1], res)
    ys = np.linspace(bounds[2], bounds[3], res)
    gx, gy = np.meshgrid(xs, ys)  # rows: y, columns: x
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def take_snapshot(trainer, *, edge_mode: str = "weights", grid: bool = True,
                  probe: tuple[int, int] | None = None, include_data: bool = False,
                  max_units: int = MAX_UNITS) -> dict:
    """Everything the app draws, as copies. See the module docstring for how it is measured."""
    net = trainer.net
    blocks = net.blocks
    masks = [None if b.dropout.mask is None else
             np.array(b.dropout.mask[0, :max_units] > 0) for b in blocks]
    X, y = probe_batch(trainer)
    with np.errstate(all="ignore"):
        grads = trainer.gradients(X, y)
        stats = layer_stats(trainer, grads)
    params = trainer.parameters()
    opt = trainer.optimizer

    # One stacked bincount for every histogram of every layer.
    names = [b.name for b in blocks] + ["output"]
    weights = [params[f"{n}.W"] for n in names]
    wrange = np.array([nice_range(float(np.max(np.abs(w)))) if w.size else 1.0 for w in weights])
    preacts = [b.unit_preactivation() for b in blocks]
    samples = [histogram_sample(a) for a in
               weights + [grads[f"{n}.W"] for n in names] + preacts + [b.h for b in blocks]]
    K = len(names)
    arrays = [v for v, _ in samples]
    arrays[K:2 * K] = [np.log10(np.abs(g) + 1e-30) for g in arrays[K:2 * K]]
    act_ranges = [activation_range(b) for b in blocks]
    lo = np.concatenate([-wrange, np.full(K, GRAD_LOG10_RANGE[0]),
                         np.full(len(preacts), PREACT_RANGE[0]),
                         [r[0] for r in act_ranges]])
    hi = np.concatenate([wrange, np.full(K, GRAD_LOG10_RANGE[1]),
                         np.full(len(preacts), PREACT_RANGE[1]),
                         [r[1] for r in act_ranges]])
    with np.errstate(all="ignore"):
        hists = stacked_histograms(arrays, lo, hi, HIST_BINS)
    scale = np.array([w for _, w in samples])
    if np.any(scale != 1.0):   # counts of the whole arrays, estimated from their samples
        hists = np.rint(hists * scale[:, None]).astype(np.int64)

    layers = []
    fan_in = net.n_in
    for i, name in enumerate(names):
        block = blocks[i] if i < len(blocks) else None
        dense = block.dense if block else net.output
        width = block.width if block else net.n_out
        entry = dict(stats[i])
        entry.update({
            "kind": "hidden" if block else "output",
            "width": width,
            "fan_in": fan_in,
            "shown_in": min(fan_in, max_units),
            "shown_out": min(width, max_units),
            "activation": block.act.name if block else "linear",
            "batch_norm": bool(block and block.bn is not None),
            "dropout": float(block.dropout.p) if block else 0.0,
            "residual": bool(block and block.skip),
            "weight_range": float(wrange[i]),
            "weight_hist": hists[i],
            "grad_hist": hists[K + i],
            "preact_hist": hists[2 * K + i] if block else None,
            # Activation values over the activation's output range: the cs231n init picture
            # (collapse to 0 with tiny weights, piles at ±1 when saturated).
            "act_hist": hists[2 * K + len(blocks) + i] if block else None,
            "act_range": act_ranges[i] if block else None,
            "edges": _edge_matrix(dense, block, edge_mode, opt, f"{name}.W",
                                  max_units, max_units),
            "bias": np.array(dense.params["b"][::block.act.width_factor if block else 1]
                             [:max_units], dtype=np.float32),
            "dropout_mask": masks[i] if block else None,
        })
        if block:
            zu = preacts[i]
            h = block.h
            entry["unit_mean"] = np.array(h.mean(axis=0)[:max_units], dtype=np.float32)
            entry["unit_dead"] = np.array(block.act.dead_mask(zu).all(axis=0)[:max_units])
            entry["unit_saturated"] = np.array(
                block.act.saturated_mask(zu).mean(axis=0)[:max_units], dtype=np.float32)
        else:
            logits = net.logits
            entry["unit_mean"] = np.array(logits.mean(axis=0)[:max_units], dtype=np.float32)
            entry["unit_dead"] = np.zeros(min(width, max_units), dtype=bool)
            entry["unit_saturated"] = np.zeros(min(width, max_units), dtype=np.float32)
        layers.append(entry)
        fan_in = width

    ev = trainer.record_evaluation()
    loss_steps, loss_values = trainer.loss_history.arrays()
    eval_steps, eval_values = trainer.eval_history.arrays()
    cfg = trainer.config
    data = trainer.data
    snap = {
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "batch_loss": trainer.last_loss,
        **ev,
        "lr": opt.lr,
        "optimizer": opt.name,
        "config": cfg.to_dict(),
        "param_count": trainer.parameter_count(),
        "divergence": None if trainer.divergence is None else dict(trainer.divergence),
        "activation": blocks[0].act.info() if blocks else None,
        "layers": layers,
        "edge_mode": edge_mode,
        "hist_bins": HIST_BINS,
        "preact_range": PREACT_RANGE,
        "grad_log10_range": GRAD_LOG10_RANGE,
        "history": {"step": loss_steps, "train_loss": loss_values[:, 0],
                    "eval_step": eval_steps, "eval": eval_values[:, :4],
                    "eval_more": eval_values[:, 4:]},
        "task": data.task,
        "n_classes": data.n_classes,
        "n_features": data.n_features,
        "dataset": data.name,
        "n_train": len(trainer.X_train),
        "n_test": len(trainer.X_test),   # 0: no test set (test_loss and test_acc are NaN)
        "notes": [str(n) for n in trainer.notes],
        "n_val": len(trainer.X_val),
        "feature_names": [str(f) for f in data.feature_names],
        "class_names": _class_names(data),
        "task_reason": data.task_reason,
        "task_params": dict(data.task_params),
        "target_mean": None if trainer.classification else np.array(data.y_mean),
        "target_std": None if trainer.classification else np.array(data.y_std),
        **_early_stopping_view(trainer),
    }
    if grid:
        snap.update(_prediction_views(trainer, probe))
    if include_data and data.n_features <= 2:
        snap["points"] = {
            "X_train": np.array(trainer.X_train[:2000], dtype=np.float32),
            "y_train": np.array(data.y_train[:2000]),
            "X_test": np.array(trainer.X_test[:2000], dtype=np.float32),
            "y_test": np.array(data.y_test[:2000]),
            "bounds": tuple(data.bounds),
        }
    return snap


def _class_names(data) -> list | None:
    """The classes' names; None where they only repeat the indices (the built-in sets,
    labels 0, 1, 2): the panels then say "class 0"."""
    names = [str(c) for c in data.class_names]
    return None if names == [str(i) for i in range(len(names))] else names


def _early_stopping_view(trainer) -> dict:
    state = trainer.early_stopping_state(copy=False)
    best = state["best_val_loss"]
    return {"best_step": state["best_step"], "best_val_loss": best if math.isfinite(best)
            else math.nan,
            "early_stop": None if state["stop"] is None else dict(state["stop"])}


def _class_map(trainer, logits) -> tuple[np.ndarray, np.ndarray]:
    """(predicted class (N,) int8, its probability (N,) float32) of eval logits (N, C)."""
    probs = class_probabilities(trainer.loss_name, logits.astype(np.float64))
    if trainer.loss_name == "mse":
        probs = np.clip(logits, 0, None) / np.maximum(
            np.clip(logits, 0, None).sum(axis=1, keepdims=True), 1e-12)
    return probs.argmax(axis=1).astype(np.int8), probs.max(axis=1).astype(np.float32)


def _many_inputs_view(trainer) -> dict:
    """More than two inputs: predicted vs true (regression, in the target's units) or the
    points and decision regions on the training split's two principal axes (classes)."""
    data = trainer.data
    splits = [(split, getattr(trainer, f"X_{split}")[:MAX_VIEW_POINTS],
               getattr(data, f"y_{split}")[:MAX_VIEW_POINTS]) for split in ("train", "test")]
    if not trainer.classification:
        out = {}
        for split, X, y in splits:
            with np.errstate(all="ignore"):
                pred = trainer.in_units(trainer.predict_logits(X))
            out[f"{split}_true"] = np.asarray(y[:, 0], dtype=np.float32)
            out[f"{split}_pred"] = pred[:, 0].astype(np.float32)
        return {"pred_true": out}
    centre, axes = data.pca
    view = {"axes": axes.astype(np.float32)}
    for split, X, y in splits:
        with np.errstate(all="ignore"):
            logits = trainer.predict_logits(X)
        view[f"{split}_xy"] = ((X - centre) @ axes.T).astype(np.float32)
        view[f"{split}_class"] = np.asarray(y, dtype=np.int64)
        view[f"{split}_pred"] = predict_labels(trainer.loss_name, logits).astype(np.int64)
    xy = np.concatenate([view["train_xy"], view["test_xy"]])
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    pad = np.where(hi > lo, 0.1 * (hi - lo), 1.0)
    bounds = (float(lo[0] - pad[0]), float(hi[0] + pad[0]),
              float(lo[1] - pad[1]), float(hi[1] + pad[1]))
    res = grid_resolution(trainer.parameter_count())
    # The plane of the two axes through the centre: the other directions at their mean.
    plane = centre + _grid_points(bounds, res) @ axes
    with np.errstate(all="ignore"):
        labels, conf = _class_map(trainer, trainer.predict_logits(plane))
    view.update(bounds=list(bounds), grid_label=labels.reshape(res, res),
                grid_conf=conf.reshape(res, res))
    return {"pca": view}


def _prediction_views(trainer, probe):
    """Decision boundary (2-D), fit and per-unit curves (1-D), and a clicked neuron's map;
    with more inputs, :func:`_many_inputs_view`. Regression values in the target's units."""
    data = trainer.data
    out = {}
    if data.n_features > 2 and len(trainer.X_train):
        return _many_inputs_view(trainer)
    if data.n_features == 2 and len(data.bounds) == 4:
        res = grid_resolution(trainer.parameter_count())
        pts = _grid_points(data.bounds, res)
        with np.errstate(all="ignore"):
            hs, logits = _eval_hidden(trainer, pts)
        shape = (res, res)
        out["grid_bounds"] = tuple(data.bounds)
        if trainer.classification:
            labels, conf = _class_map(trainer, logits)
            out["grid_label"] = labels.reshape(shape)
            out["grid_conf"] = conf.reshape(shape)
        else:
            out["grid_value"] = trainer.in_units(logits)[:, 0].reshape(shape).astype(np.float32)
        if probe is not None and 0 <= probe[0] < len(hs) and 0 <= probe[1] < hs[probe[0]].shape[1]:
            out["neuron_grid"] = hs[probe[0]][:, probe[1]].reshape(shape).astype(np.float32)
            out["neuron"] = tuple(probe)
    elif data.n_features == 1 and len(data.bounds) == 2:
        xs = np.linspace(data.bounds[0], data.bounds[1], FIT_POINTS)
        with np.errstate(all="ignore"):
            hs, logits = _eval_hidden(trainer, xs[:, None])
        out["fit_x"] = xs.astype(np.float32)
        out["fit_y"] = trainer.in_units(logits)[:, 0].astype(np.float32)
        if len(hs) == 1:
            # Universal approximation: each unit's scaled activation; their sum + bias = fit
            # (in the target's units: the curves scaled by its spread, the bias shifted).
            scale = float(data.y_std[0]) if not trainer.classification else 1.0
            shift = float(data.y_mean[0]) if not trainer.classification else 0.0
            w = trainer.net.output.params["W"][:, 0] * scale
            out["unit_curves"] = (hs[0][:, :MAX_UNITS] * w[:MAX_UNITS]).T.astype(np.float32)
            out["fit_bias"] = float(trainer.net.output.params["b"][0]) * scale + shift
    return out
