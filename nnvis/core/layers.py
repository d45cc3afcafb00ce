"""Layers in the cs231n / PyTorch shape.

``forward(x)`` keeps what ``backward`` needs; ``backward(dout)`` returns ``dx`` and fills
``grads`` keyed like ``params``. ``training`` switches dropout and batch norm behaviour.
"""
from __future__ import annotations

import functools

import numpy as np


def read_only(a: np.ndarray) -> np.ndarray:
    """``a``, made read-only: cached arrays are shared by every caller."""
    a.flags.writeable = False
    return a


@functools.lru_cache(maxsize=64)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    return read_only(np.ones(n, dtype=dtype))


def ones(n: int, dtype) -> np.ndarray:
    """A cached, read-only vector of n ones: ``ones @ x`` sums the rows of x in one BLAS call
    (a NumPy reduction over a short axis, or over many rows, is several times slower)."""
    return _ones(n, np.dtype(dtype))


class Layer:
    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}
        self.training = True
        #: Set by :class:`~nnvis.core.flat.FlatParams`: backward writes into the existing
        #: ``grads`` arrays (views of one flat buffer) instead of replacing them.
        self.grads_in_place = False


class Dense(Layer):
    """out = x @ W + b.  x: (N, fan_in), W: (fan_in, fan_out), b: (fan_out,) -> (N, fan_out)."""

    def __init__(self, W: np.ndarray, b: np.ndarray, need_dx: bool = True):
        super().__init__()
        self.params["W"] = W
        self.params["b"] = b
        # The first layer's dx is never used: skipping it saves a matmul per step.
        self.need_dx = need_dx
        self._x = None

    def forward(self, x):
        self._x = x
        out = x @ self.params["W"]
        out += self.params["b"]
        return out

    def backward(self, dout):
        col_ones = ones(dout.shape[0], dout.dtype)
        if self.grads_in_place:
            gb = self.grads["b"]
            np.matmul(self._x.T, dout, out=self.grads["W"])
            if gb.dtype == dout.dtype:
                np.dot(col_ones, dout, out=gb)
            else:  # np.dot(out=) wants the exact dtype; matmul casts
                np.matmul(col_ones, dout, out=gb)
        else:
            self.grads["W"] = self._x.T @ dout
            self.grads["b"] = np.dot(col_ones, dout)
        return dout @ self.params["W"].T if self.need_dx else None


class BatchNorm(Layer):
    """Per-neuron batch norm between dense and activation. x, out: (N, width).

    Training uses the batch mean/variance and updates the running averages (buffers, not
    params); eval uses the running averages (and has a backward too). gamma/beta are learned.
    """

    def __init__(self, width: int, dtype=np.float32, momentum: float = 0.9, eps: float = 1e-5):
        super().__init__()
        self.params["gamma"] = np.ones(width, dtype=dtype)
        self.params["beta"] = np.zeros(width, dtype=dtype)
        self.buffers["running_mean"] = np.zeros(width, dtype=dtype)
        self.buffers["running_var"] = np.ones(width, dtype=dtype)
        self.momentum = momentum
        self.eps = eps

    def forward(self, x):
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not self.training:
            # Eval mode is a fixed affine map per neuron; kept for its backward, which the
            # one-sample backprop graph uses (a batch of one has no variance to divide by).
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            inv_std = 1.0 / np.sqrt(rv + self.eps)
            xhat = (x - rm) * inv_std
            self._xhat, self._inv_std, self._batch_stats = xhat, inv_std, False
            return xhat * gamma + beta
        mu = x.mean(axis=0)
        xc = x - mu
        var = (xc * xc).mean(axis=0)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = xc * inv_std
        m = self.momentum
        rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
        rm *= m
        rm += (1 - m) * mu
        rv *= m
        rv += (1 - m) * var
        self._xhat, self._inv_std, self._batch_stats = xhat, inv_std, True
        return xhat * gamma + beta

    def backward(self, dout):
        xhat, inv_std = self._xhat, self._inv_std
        if self.grads_in_place:
            np.add.reduce(dout, axis=0, out=self.grads["beta"])
            np.add.reduce(dout * xhat, axis=0, out=self.grads["gamma"])
        else:
            self.grads["beta"] = dout.sum(axis=0)
            self.grads["gamma"] = (dout * xhat).sum(axis=0)
        dxhat = dout * self.params["gamma"]
        if not self._batch_stats:   # running statistics are constants: x̂ is affine in x
            return dxhat * inv_std
        n = dout.shape[0]
        # Compact form of the batch-norm backward pass (cs231n assignment 2).
        return (inv_std / n) * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))


class Dropout(Layer):
    """Inverted dropout: in training zero each unit with probability p and scale the rest by
    1/(1-p), so eval needs no rescaling and the expectation is unchanged. x, out: (N, width)."""

    def __init__(self, p: float, rng: np.random.Generator):
        super().__init__()
        self.p = p
        self.rng = rng
        self.mask = None

    def forward(self, x):
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        keep = 1.0 - self.p
        self.mask = (self.rng.random(x.shape, dtype=x.dtype) < keep) * x.dtype.type(1.0 / keep)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask
