"""The L1/L2 weight penalty: λ₂/2·ΣW² + λ₁·Σ|W| over the weight matrices (never the
biases, batch norm's γ/β or PReLU's slopes), and its gradient λ₂·W + λ₁·sign(W).

One implementation for the training step, the loss the gradient check differentiates and
the backprop graph's penalty node. Like the layers it takes copies stacked along a leading
axis: W (copies, fan_in, fan_out) gives each copy's penalty, (copies,).
"""
from __future__ import annotations

import numpy as np


def _sum_of_squares(W: np.ndarray):
    if W.ndim == 2:
        return float(np.vdot(W, W))   # one BLAS dot
    return np.einsum("...ij,...ij->...", W, W).astype(np.float64)


def _sum_of_magnitudes(W: np.ndarray):
    if W.ndim == 2:
        return float(np.abs(W).sum())
    return np.abs(W).sum(axis=(-2, -1)).astype(np.float64)


def weight_penalty(W: np.ndarray, l1: float, l2: float):
    """The penalty of one weight matrix W: (fan_in, fan_out) -> float; stacked
    (copies, fan_in, fan_out) -> (copies,). Summed in float64 whatever W's dtype."""
    value = 0.0
    if l2:
        value = value + 0.5 * l2 * _sum_of_squares(W)
    if l1:
        value = value + l1 * _sum_of_magnitudes(W)
    return value if W.ndim == 2 else np.asarray(value, dtype=np.float64)


def add_penalty_gradient(W: np.ndarray, dW: np.ndarray, l1: float, l2: float) -> None:
    """dW += λ₂·W + λ₁·sign(W), in place (any shape)."""
    if l2:
        dW += l2 * W
    if l1:
        dW += l1 * np.sign(W)


def penalty_gradient(W: np.ndarray, l1: float, l2: float) -> np.ndarray:
    """λ₂·W + λ₁·sign(W), as a new array shaped like W."""
    dW = np.zeros_like(W)
    add_penalty_gradient(W, dW, l1, l2)
    return dW
