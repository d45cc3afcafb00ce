"""Layers in the cs231n / PyTorch shape.

``forward(x)`` keeps what ``backward`` needs; ``backward(dout)`` returns ``dx`` and fills
``grads`` keyed like ``params``. ``training`` switches dropout and batch norm behaviour.

Every layer also runs on copies stacked along a leading axis: parameters (copies, ...) and
inputs (copies, N, ...) — or inputs (N, ...) shared by all copies — give each copy its own
result, so a grid of networks that share their shapes trains as one computation. Hence the
axis arithmetic below counts from the end: samples are axis -2, units axis -1.
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


def per_unit(v: np.ndarray) -> np.ndarray:
    """A per-unit vector (width,) — or stacked (copies, width) — as rows that broadcast over
    the samples axis: (1, width) or (copies, 1, width)."""
    return v[..., None, :]


def transposed(a: np.ndarray) -> np.ndarray:
    """The last two axes swapped (a matrix's transpose; each copy's, when stacked)."""
    return a.swapaxes(-1, -2)


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
    """out = x @ W + b.  x: (N, fan_in), W: (fan_in, fan_out), b: (fan_out,) -> (N, fan_out).

    Stacked: W (copies, fan_in, fan_out), b (copies, fan_out), x (N, fan_in) or
    (copies, N, fan_in) -> (copies, N, fan_out)."""

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
        out += per_unit(self.params["b"])
        return out

    def backward(self, dout):
        col_ones = ones(dout.shape[-2], dout.dtype)
        if self.grads_in_place:
            gb = self.grads["b"]
            np.matmul(transposed(self._x), dout, out=self.grads["W"])
            if gb.dtype == dout.dtype:   # np.dot sums over dout's samples axis (-2)
                np.dot(col_ones, dout, out=gb)
            else:  # np.dot(out=) wants the exact dtype; matmul casts
                np.matmul(col_ones, dout, out=gb)
        else:
            self.grads["W"] = transposed(self._x) @ dout
            self.grads["b"] = np.dot(col_ones, dout)
        return dout @ transposed(self.params["W"]) if self.need_dx else None


class BatchNorm(Layer):
    """Per-neuron batch norm between dense and activation. x, out: (N, width) (stacked:
    (copies, N, width), with gamma, beta and the buffers (copies, width)).

    Training uses the batch mean/variance and updates the running averages (buffers, not
    params) unless ``track_running`` is off (a measurement that must not disturb them);
    eval uses the running averages (and has a backward too). gamma/beta are learned.
    """

    def __init__(self, width: int, dtype=np.float32, momentum: float = 0.9, eps: float = 1e-5):
        super().__init__()
        self.params["gamma"] = np.ones(width, dtype=dtype)
        self.params["beta"] = np.zeros(width, dtype=dtype)
        self.buffers["running_mean"] = np.zeros(width, dtype=dtype)
        self.buffers["running_var"] = np.ones(width, dtype=dtype)
        self.momentum = momentum
        self.eps = eps
        self.track_running = True

    def forward(self, x):
        gamma, beta = per_unit(self.params["gamma"]), per_unit(self.params["beta"])
        if not self.training:
            # Eval mode is a fixed affine map per neuron; kept for its backward, which the
            # one-sample backprop graph uses (a batch of one has no variance to divide by).
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            inv_std = 1.0 / np.sqrt(per_unit(rv) + self.eps)
            xhat = (x - per_unit(rm)) * inv_std
            self._xhat, self._inv_std, self._batch_stats = xhat, inv_std, False
            return xhat * gamma + beta
        mu = x.mean(axis=-2, keepdims=True)
        xc = x - mu
        var = (xc * xc).mean(axis=-2, keepdims=True)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = xc * inv_std
        if self.track_running:
            m = self.momentum
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            rm *= m
            rm += (1 - m) * mu[..., 0, :]
            rv *= m
            rv += (1 - m) * var[..., 0, :]
        self._xhat, self._inv_std, self._batch_stats = xhat, inv_std, True
        return xhat * gamma + beta

    def backward(self, dout):
        xhat, inv_std = self._xhat, self._inv_std
        if self.grads_in_place:
            np.add.reduce(dout, axis=-2, out=self.grads["beta"])
            np.add.reduce(dout * xhat, axis=-2, out=self.grads["gamma"])
        else:
            self.grads["beta"] = dout.sum(axis=-2)
            self.grads["gamma"] = (dout * xhat).sum(axis=-2)
        dxhat = dout * per_unit(self.params["gamma"])
        if not self._batch_stats:   # running statistics are constants: x̂ is affine in x
            return dxhat * inv_std
        n = dout.shape[-2]
        # Compact form of the batch-norm backward pass (cs231n assignment 2).
        return (inv_std / n) * (n * dxhat - dxhat.sum(axis=-2, keepdims=True)
                                - xhat * (dxhat * xhat).sum(axis=-2, keepdims=True))


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
