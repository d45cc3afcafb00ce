"""What each lesson claims, as numbers measured on the engine (Qt-free, headless).

The lesson tests call these, and so can the CLI or the app (e.g. to print "first/last
gradient ratio: 3e-6"). Every function takes a :class:`~nnvis.core.Trainer` and returns
plain floats / arrays; none of them trains unless its name says so.
"""
from __future__ import annotations

import numpy as np

from nnvis.core import Config, Trainer, layer_stats
from nnvis.lessons.handmade_xor import XOR_CORNERS, handmade_xor_trainer
from nnvis.core.network import EVAL, TRAIN
from nnvis.core.snapshot import probe_batch


def build(lesson_id: str, changes: dict | None = None) -> Trainer:
    """A trainer for a lesson's preset, optionally with ``{"optim.lr": ...}`` changes."""
    from .catalog import preset_config

    cfg = Config.from_dict(preset_config(lesson_id))
    return Trainer(cfg.with_changes(changes) if changes else cfg)


# --------------------------------------------------------------- vanishing gradients
def gradient_ratio(trainer: Trainer, key: str = "grad_norm_W") -> float:
    """‖∂L/∂W‖ (or ``key="grad_norm_act"``: ‖∂L/∂h‖) of the first hidden layer divided by
    that of the last hidden layer, on the snapshot's probe batch. ≈1: the gradient reaches
    the input layers; ≪1: it vanishes on the way back."""
    stats = layer_stats(trainer)[:-1]
    return stats[0][key] / stats[-1][key]


# --------------------------------------------------------------- activation statistics
def activation_stds(trainer: Trainer) -> np.ndarray:
    """Per-hidden-layer standard deviation of the activations on the probe batch."""
    return np.array([s["act_std"] for s in layer_stats(trainer)[:-1]])


def saturated_fractions(trainer: Trainer) -> np.ndarray:
    """Per-hidden-layer fraction of (sample, unit) pre-activations in the flat tails."""
    return np.array([s["saturated_fraction"] for s in layer_stats(trainer)[:-1]])


def dead_fraction(trainer: Trainer) -> float:
    """Fraction of all hidden units (every layer, weighted by width) that output 0 for every
    probe sample: the per-layer ``dead_fraction`` of :func:`layer_stats`, pooled."""
    stats = layer_stats(trainer)[:-1]
    widths = np.array([b.width for b in trainer.net.blocks])
    return float(np.dot([s["dead_fraction"] for s in stats], widths) / widths.sum())


# --------------------------------------------------------------- symmetry
def weight_spread(trainer: Trainer) -> list[float]:
    """Per hidden layer: the largest difference between two units' incoming weights
    (max over rows of the peak-to-peak across columns of W). Exactly 0 ⇔ every unit of the
    layer is a copy of the others."""
    params = trainer.parameters()
    return [float(np.ptp(params[f"{b.name}.W"], axis=1).max()) for b in trainer.net.blocks]


# --------------------------------------------------------------- zero-centred inputs
def mixed_sign_columns(dW: np.ndarray) -> int:
    """How many columns of a weight gradient (one column = one neuron's incoming weights)
    have both positive and negative entries."""
    return int(np.sum((dW.max(axis=0) > 0) & (dW.min(axis=0) < 0)))


def one_sample_gradients(trainer: Trainer, index: int = 0) -> dict:
    """Weight gradients for the single training sample ``index`` (batch of one)."""
    X, y = trainer.X_train[index:index + 1], trainer.data.y_train[index:index + 1]
    return trainer.gradients(X, y)


def probe_gradients(trainer: Trainer) -> dict:
    """Weight gradients on the snapshot's probe batch (what the topology panel colours)."""
    X, y = probe_batch(trainer)
    return trainer.gradients(X, y)


# --------------------------------------------------------------- dropout
def dropout_expectation(trainer: Trainer, n_masks: int = 400) -> dict:
    """Compare training-mode activations, averaged over ``n_masks`` dropout masks, with the
    eval-mode ones on the probe batch.

    Returns ``{"kept": mean fraction of units a mask keeps, "h_scale": ..., "z2_scale": ...,
    "z2_rel_rms": ...}``. The scales are least-squares slopes of the mask-averaged training
    values on the eval values (1 = same expectation; plain dropout without the 1/(1−p)
    rescaling would give 1−p): h₁ is the first hidden layer's output, z₂ the second layer's
    pre-activation (linear in the mask). ``z2_rel_rms`` is the RMS of (average − eval) over
    the RMS of eval z₂; it shrinks like 1/√n_masks. Draws masks from the trainer's noise
    generator; use a fresh trainer without batch norm.
    """
    net = trainer.net
    b1, b2 = net.blocks[0], net.blocks[1]
    X, _ = probe_batch(trainer)
    h_sum = z_sum = 0.0
    kept = 0.0
    for _ in range(n_masks):
        x1 = b1.forward(X, TRAIN)      # h₁ · mask / (1 − p)
        b2.forward(x1, TRAIN)
        h_sum = h_sum + x1.astype(np.float64)
        z_sum = z_sum + b2.z.astype(np.float64)
        kept += float((b1.dropout.mask > 0).mean())
    h_eval = b1.forward(X, EVAL).astype(np.float64)
    b2.forward(h_eval, EVAL)
    z_eval = b2.z.astype(np.float64)
    h_avg, z_avg = h_sum / n_masks, z_sum / n_masks

    def slope(a, b):
        return float(np.vdot(a, b) / np.vdot(b, b))

    return {"kept": kept / n_masks, "h_scale": slope(h_avg, h_eval),
            "z2_scale": slope(z_avg, z_eval),
            "z2_rel_rms": float(np.sqrt(np.mean((z_avg - z_eval) ** 2) / np.mean(z_eval ** 2)))}


# --------------------------------------------------------------- margins (softmax vs hinge)
def margins(trainer: Trainer) -> np.ndarray:
    """Per training sample: correct-class score minus the best other score (eval mode)."""
    L = trainer.predict_logits(trainer.X_train).astype(np.float64)
    y = trainer.data.y_train
    rows = np.arange(len(y))
    correct = L[rows, y].copy()
    L[rows, y] = -np.inf
    return correct - L.max(axis=1)


# --------------------------------------------------------------- overfitting
def generalisation_gap(trainer: Trainer) -> float:
    """Test loss minus training loss (eval mode, whole splits)."""
    ev = trainer.evaluate()
    return ev["test_loss"] - ev["train_loss"]


# --------------------------------------------------------------- XOR by hand
# The hand-made network itself is in handmade_xor.py: the session loads it as data.
def handmade_xor_table(trainer: Trainer | None = None) -> list[dict]:
    """The notes' worked example, row by row: x, y, h₁, h₂, out and the predicted class."""
    t = trainer or handmade_xor_trainer()
    rows = []
    logits = t.predict_logits(XOR_CORNERS)
    hidden = t.net.blocks[0].h
    for (x, y), (h1, h2), score in zip(XOR_CORNERS, hidden, logits):
        rows.append({"x": float(x), "y": float(y), "h1": float(h1), "h2": float(h2),
                     "out": float(score[1]), "class": int(score.argmax())})
    return rows
