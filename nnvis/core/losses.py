"""Losses computed from logits (the output layer is linear), numerically stable.

Each ``loss(logits, y) -> (value, dlogits)`` averages over the N samples of the batch.
"""
from __future__ import annotations

import functools

import numpy as np

from .layers import ones, read_only
from .refusals import note


def output_width(loss: str, data) -> int:
    """The network's output columns for ``loss`` on ``data`` (a Dataset, or anything with
    its task, targets and class count): one logit for a binary loss, one per class or
    target otherwise. Here, not in the trainer, so the memory estimate can use it too."""
    if data.task == "regression":
        return data.y_train.shape[1]
    return 1 if loss == "binary_cross_entropy" else data.n_classes


def mse(logits, y):
    """Mean squared error (the notes' SSR divided by N).

    L = (1/N) Σ_i Σ_d (ŷ_id − y_id)²,  logits ŷ: (N, D), y: (N, D) float.
    """
    diff = logits - y
    n = logits.shape[0]
    return float((diff * diff).sum()) / n, diff * (2.0 / n)


def binary_cross_entropy(logits, y):
    """Sigmoid cross-entropy from logits z: (N, 1), y: (N,) in {0, 1}.

    L = (1/N) Σ −[y ln σ(z) + (1−y) ln(1−σ(z))] = (1/N) Σ softplus(z) − y·z,
    with softplus(z) = log(1 + e^z) evaluated by logaddexp so ±1e4 stays finite.
    """
    z = logits[:, 0]
    t = y.astype(logits.dtype)
    n = z.shape[0]
    value = float((np.logaddexp(0, z) - t * z).sum()) / n
    p = 0.5 * (np.tanh(0.5 * z) + 1.0)
    return value, ((p - t) / n)[:, None]


def softmax(logits):
    """Row-wise softmax of (N, C) logits, shifted by the row max so exp never overflows."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def row_max(z):
    """(N, C) -> (N, 1) row maxima, the same values as ``z.max(axis=1, keepdims=True)``
    (NaN included). A NumPy reduction along a short last axis loops row by row; reducing
    the transposed copy over its first axis is one vectorised pass (~3× faster at C = 10)."""
    if z.shape[1] == 2:
        return np.maximum(z[:, :1], z[:, 1:])
    return np.maximum.reduce(np.ascontiguousarray(z.T), axis=0)[:, None]


@functools.lru_cache(maxsize=32)
def _row_offsets(n: int, c: int) -> np.ndarray:
    return read_only(np.arange(n) * c)


def _flat_index(y, n: int, c: int):
    """Indices of (i, y_i) in an (n, c) array raveled: take/put beat 2-D fancy indexing."""
    return _row_offsets(n, c) + y


def cross_entropy(logits, y):
    """Softmax cross-entropy, logits (N, C), integer labels y (N,).

    L = (1/N) Σ_i [log Σ_j e^{z_ij} − z_{i,y_i}]  (log-sum-exp shifted by the row max).
    ∂L/∂z = (softmax(z) − onehot(y)) / N.
    """
    n, c = logits.shape
    shifted = logits - row_max(logits)
    e = np.exp(shifted)
    # Row sums as a matrix-vector product: one BLAS call instead of a per-row reduction.
    s = np.dot(e, ones(c, e.dtype)) if e.dtype.kind == "f" else e.sum(axis=1)
    idx = _flat_index(y, n, c)
    value = float((np.log(s) - shifted.take(idx)).sum()) / n
    d = e / s[:, None]
    d.put(idx, d.take(idx) - 1.0)
    d /= n
    return value, d


def hinge_margins(logits, y):
    """(N, C) margins z_ij − z_{i,y_i} + 1, set to 0 at j = y_i; the hinge is active (and
    the loss has its kinks) where they cross 0."""
    idx = _flat_index(y, *logits.shape)
    margins = logits - logits.take(idx)[:, None] + 1.0
    margins.put(idx, 0.0)
    return margins


def hinge(logits, y):
    """Multiclass SVM (Weston-Watkins) hinge loss with margin 1, logits (N, C), y (N,).

    L = (1/N) Σ_i Σ_{j≠y_i} max(0, z_ij − z_{i,y_i} + 1).
    """
    n, c = logits.shape
    margins = hinge_margins(logits, y)
    active = margins > 0
    value = float(margins[active].sum()) / n
    d = active.astype(logits.dtype)
    d.put(_flat_index(y, n, c), -d.sum(axis=1))
    d /= n
    return value, d


LOSSES = {"mse": mse, "binary_cross_entropy": binary_cross_entropy,
          "cross_entropy": cross_entropy, "hinge": hinge}


def predict_labels(loss_name: str, logits: np.ndarray) -> np.ndarray:
    """Class labels (N,) from logits for any classification loss."""
    if loss_name == "binary_cross_entropy":
        return (logits[:, 0] > 0).astype(np.int64)
    return logits.argmax(axis=1)


def class_probabilities(loss_name: str, logits: np.ndarray) -> np.ndarray:
    """(N, C) class probabilities (hinge/mse: softmax of the scores, for display only)."""
    if loss_name == "binary_cross_entropy":
        p1 = 0.5 * (np.tanh(0.5 * logits[:, 0]) + 1.0)
        return np.stack([1.0 - p1, p1], axis=1)
    return softmax(logits)


#: The loss a task switches to when the current one cannot train it.
FITTING_LOSS = {"regression": "mse", "classification": "cross_entropy"}


def fitting_loss(task: str, current: str) -> tuple[str, object]:
    """(the loss to train ``task`` with, a note or None) for the app opening a data set:
    ``current`` if it fits, else :data:`FITTING_LOSS`'s with a note (a str carrying code
    ``loss_for_task`` and its params, :func:`nnvis.core.refusals.note`). Regression fits
    only mse. Classification is trained with mse by the engine too, but opening a
    classification set while the loss is mse (regression's, left over) switches it back."""
    if task == "regression" and current != "mse" or task == "classification" and current == "mse":
        new = FITTING_LOSS[task]
        return new, note("loss_for_task", {"task": task, "old": current, "new": new})
    return current, None
