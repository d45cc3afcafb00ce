"""Optimisers updating parameters in place. State is keyed by parameter name, so a live
switch of activation or batch norm (which adds or drops parameters) keeps the rest."""
from __future__ import annotations

import numpy as np


class Optimizer:
    name = "base"

    def __init__(self, lr: float, momentum: float = 0.9):
        self.lr = lr
        self.momentum = momentum
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0
        #: name -> the update last added to the parameter (for update/weight ratios).
        self.last_update: dict[str, np.ndarray] = {}

    def step(self, names, params, grads):
        """Apply one update. names: list[str]; params/grads: lists of same-shaped arrays."""
        self.t += 1
        for name, p, g in zip(names, params, grads):
            u = self._update(name, p, g)
            p += u
            self.last_update[name] = u

    def _slot(self, name, key, like):
        slots = self.state.setdefault(name, {})
        s = slots.get(key)
        if s is None or s.shape != like.shape:
            s = slots[key] = np.zeros_like(like)
        return s

    def state_dict(self) -> dict:
        return {"name": self.name, "t": self.t,
                "state": {n: {k: v.copy() for k, v in s.items()} for n, s in self.state.items()}}

    def load_state_dict(self, d: dict):
        self.t = int(d["t"])
        self.state = {n: {k: np.array(v) for k, v in s.items()} for n, s in d["state"].items()}


class SGD(Optimizer):
    name = "sgd"

    def _update(self, name, p, g):
        return -self.lr * g


class Momentum(Optimizer):
    """v ← μv − lr·g;  p ← p + v."""

    name = "momentum"

    def _update(self, name, p, g):
        v = self._slot(name, "v", p)
        v *= self.momentum
        v -= self.lr * g
        return v.copy()


class Nesterov(Optimizer):
    """v_prev ← v;  v ← μv − lr·g;  p ← p − μ·v_prev + (1 + μ)·v (cs231n form)."""

    name = "nesterov"

    def _update(self, name, p, g):
        v = self._slot(name, "v", p)
        v_prev = v.copy()
        v *= self.momentum
        v -= self.lr * g
        return (1.0 + self.momentum) * v - self.momentum * v_prev


class RMSProp(Optimizer):
    name = "rmsprop"
    decay, eps = 0.99, 1e-8

    def _update(self, name, p, g):
        c = self._slot(name, "cache", p)
        c *= self.decay
        c += (1.0 - self.decay) * g * g
        return -self.lr * g / (np.sqrt(c) + self.eps)


class Adam(Optimizer):
    """Adam with bias correction; ``momentum`` is β₁, β₂ = 0.999."""

    name = "adam"
    beta2, eps = 0.999, 1e-8

    def _update(self, name, p, g):
        m = self._slot(name, "m", p)
        v = self._slot(name, "v", p)
        b1 = self.momentum
        m *= b1
        m += (1.0 - b1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        step = self._slot(name, "t", np.zeros(1))
        step += 1
        t = float(step[0])
        # A Python float keeps float32 arrays float32 (a NumPy float64 scalar would upcast).
        lr_t = float(self.lr * (1.0 - self.beta2 ** t) ** 0.5 / (1.0 - b1 ** t))
        return (-lr_t) * m / (np.sqrt(v) + self.eps)


OPTIMIZER_CLASSES = {c.name: c for c in (SGD, Momentum, Nesterov, RMSProp, Adam)}


def make_optimizer(name: str, lr: float, momentum: float) -> Optimizer:
    return OPTIMIZER_CLASSES[name](lr, momentum)


def clip_by_global_norm(grads, max_norm: float) -> float:
    """Scale grads in place so their global L2 norm is at most max_norm; return the norm."""
    norm = float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads)))
    if norm > max_norm:
        scale = max_norm / (norm + 1e-12)
        for g in grads:
            g *= scale
    return norm
