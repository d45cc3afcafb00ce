"""Checks on the arrays a caller hands the engine: inputs X and targets y.

A shape that does not fit the network would otherwise fail deep inside a layer (``matmul:
Output operand 0 has a mismatch in its core dimension``) or, worse, broadcast into a wrong
but finite loss. Each check raises :class:`InputError` naming the argument, the expected
and the given shape. Single-output regression takes a target of shape ``(n,)`` — the NumPy
and scikit-learn convention — as well as ``(n, 1)``.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .config import ConfigError

NUMERIC_KINDS = "biuf"   # bool, signed and unsigned integers, floats


class InputError(ConfigError):
    """An array does not fit the network. ``path`` is the argument's name (``X``, ``y``)."""


def _numeric(name: str, a) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.kind not in NUMERIC_KINDS:
        raise InputError(name, f"must hold numbers (got dtype {a.dtype})")
    return a


def _first_non_finite(name: str, a: np.ndarray):
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        row = int(np.argwhere(~np.isfinite(a))[0][0])
        raise InputError(name, f"must be finite (row {row} holds NaN or inf)")


def features(X, n_features: int, dtype, name: str = "X") -> np.ndarray:
    """X as an ``(n, n_features)`` array of ``dtype`` (no copy when it already is one)."""
    X = _numeric(name, X)
    if X.ndim != 2 or X.shape[1] != n_features:
        hint = ""
        if X.ndim == 1 and n_features == 1:
            hint = " (one feature: reshape with X.reshape(-1, 1))"
        elif X.ndim == 1 and X.shape[0] == n_features:
            hint = " (one sample: reshape with X.reshape(1, -1))"
        raise InputError(name, f"expected shape (n, {n_features}): n samples of {n_features} "
                               f"feature{'s' if n_features != 1 else ''}, got {X.shape}{hint}")
    _first_non_finite(name, X)
    return X.astype(dtype, copy=False)


def regression_targets(y, n: int, width: int, dtype, name: str = "y") -> np.ndarray:
    """y as an ``(n, width)`` float array; ``(n,)`` is accepted when width is 1."""
    y = _numeric(name, y)
    if width == 1 and y.shape == (n,):
        y = y[:, None]
    if y.shape != (n, width):
        expected = f"({n},) or ({n}, 1)" if width == 1 else f"({n}, {width})"
        raise InputError(name, f"expected shape {expected}: one regression target "
                               f"{'value' if width == 1 else 'row'} per sample of X, "
                               f"got {y.shape}")
    _first_non_finite(name, y)
    return y.astype(dtype, copy=False)


def class_labels(y, n: int, n_classes: int, name: str = "y") -> np.ndarray:
    """y as int64 labels ``(n,)`` in ``0..n_classes-1`` (whole-number floats accepted)."""
    y = _numeric(name, y)
    if y.shape != (n,):
        raise InputError(name, f"expected shape ({n},): one class label per sample of X, "
                               f"got {y.shape}")
    if y.dtype.kind == "f" and not (np.isfinite(y).all() and (np.floor(y) == y).all()):
        raise InputError(name, "class labels must be whole numbers")
    labels = y.astype(np.int64, copy=False)
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels[(labels < 0) | (labels >= n_classes)][0]
        raise InputError(name, f"class labels must be in 0..{n_classes - 1} (got {bad})")
    return labels


def dataset(data):
    """A :class:`~nnvis.core.data.Dataset` given to the trainer, its splits checked against
    each other; a 1-D regression target becomes one column."""
    width = data.X_train.shape[1] if np.ndim(data.X_train) == 2 else None
    if width is None:
        raise InputError("dataset.X_train", f"expected shape (n, n_features), "
                                            f"got {np.shape(data.X_train)}")
    dtype = np.asarray(data.X_train).dtype
    changes = {}
    for split in ("train", "test", "val"):
        X = features(getattr(data, f"X_{split}"), width, dtype, f"dataset.X_{split}")
        y = getattr(data, f"y_{split}")
        if data.task == "regression":
            y_width = np.shape(data.y_train)[1] if np.ndim(data.y_train) == 2 else 1
            y = regression_targets(y, len(X), y_width, dtype, f"dataset.y_{split}")
        else:
            y = class_labels(y, len(X), data.n_classes, f"dataset.y_{split}")
        changes[f"X_{split}"], changes[f"y_{split}"] = X, y
    return dataclasses.replace(data, **changes)
