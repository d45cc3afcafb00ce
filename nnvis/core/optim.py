"""Optimisers updating parameters in place. State is keyed by parameter name, so a live
switch of activation or batch norm (which adds or drops parameters) keeps the rest."""
from __future__ import annotations

import numpy as np


class Optimizer:
    """:meth:`bind_flat` once per chunk of steps, then :meth:`step_flat` per step: the
    update's elementwise arithmetic on a :class:`~nnvis.core.flat.FlatParams` buffer, in a
    few whole-network NumPy calls. ``state[name][key]`` and ``last_update[name]`` are views
    of flat buffers shaped like parameter ``name``."""

    name = "base"
    #: Per-parameter state arrays shaped like the parameter (created as zeros when missing).
    slot_keys: tuple = ()

    def __init__(self, lr: float, momentum: float = 0.9):
        self.lr = lr
        self.momentum = momentum
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self.t = 0
        #: name -> the update last added to the parameter (for update/weight ratios).
        self.last_update: dict[str, np.ndarray] = {}
        self._flat = None

    def bind_flat(self, flat):
        """Lay the state out like ``flat`` (copying any existing values). Cheap when nothing
        changed since the last call; call it before a run of :meth:`step_flat`."""
        b = self._flat
        if b is not None and b["flat"] is flat and self.last_update is b["last_update"] \
                and all(self.state.get(n, {}).get(k) is v for k, (_, views) in b["slots"].items()
                        for n, v in zip(flat.names, views)) and self._flat_bound(flat):
            return
        slots = {}
        for key in self.slot_keys:
            buf = np.zeros(flat.size, dtype=flat.dtype)
            views = flat.views(buf)
            for name, v in zip(flat.names, views):
                old = self.state.get(name, {}).get(key)
                if old is not None and old.shape == v.shape:
                    v[...] = old
                self.state.setdefault(name, {})[key] = v
            slots[key] = (buf, views)
        last = dict(self.last_update)
        if self.update_is_state:
            update = None
            views = self._update_views(slots)
        else:
            update = np.zeros(flat.size, dtype=flat.dtype)
            views = flat.views(update)
            for name, v in zip(flat.names, views):
                old = self.last_update.get(name)
                if old is not None and old.shape == v.shape:
                    v[...] = old
        last.update(zip(flat.names, views))
        self.last_update = last
        self._flat = {"flat": flat, "slots": slots, "last_update": last}
        self._flat_args = (flat.params, flat.grads, update,
                           {k: buf for k, (buf, _) in slots.items()})
        self._after_bind(flat)

    #: True if the update is a state array itself (momentum's velocity): last_update then
    #: shows views of that state instead of a copy made every step.
    update_is_state = False

    def _update_views(self, slots):
        raise NotImplementedError

    def _after_bind(self, flat):
        pass

    def _flat_bound(self, flat) -> bool:
        return True

    def step_flat(self):
        """One update of every parameter of the bound flat buffer (see :meth:`bind_flat`)."""
        self.t += 1
        self._flat_update(*self._flat_args)

    def _flat_update(self, p, g, u, s):
        raise NotImplementedError

    def state_dict(self, copy: bool = True) -> dict:
        """name, step count and slots; ``copy=False``: the live slot arrays, to be read
        before the next step."""
        return {"name": self.name, "t": self.t,
                "state": {n: {k: v.copy() if copy else v for k, v in s.items()}
                          for n, s in self.state.items()}}

    def load_state_dict(self, d: dict):
        self.t = int(d["t"])
        self.state = {n: {k: np.array(v) for k, v in s.items()} for n, s in d["state"].items()}


class SGD(Optimizer):
    name = "sgd"


    def _flat_update(self, p, g, u, s):
        np.multiply(g, -self.lr, out=u)
        p += u


class Momentum(Optimizer):
    """v ← μv − lr·g;  p ← p + v."""

    name = "momentum"
    slot_keys = ("v",)


    update_is_state = True

    def _update_views(self, slots):
        return slots["v"][1]

    def _flat_update(self, p, g, u, s):
        v = s["v"]
        v *= self.momentum
        v -= self.lr * g
        p += v


class Nesterov(Optimizer):
    """v_prev ← v;  v ← μv − lr·g;  p ← p − μ·v_prev + (1 + μ)·v (cs231n form)."""

    name = "nesterov"
    slot_keys = ("v",)


    def _flat_update(self, p, g, u, s):
        v = s["v"]
        v_prev = v.copy()
        v *= self.momentum
        v -= self.lr * g
        np.multiply(v, 1.0 + self.momentum, out=u)
        v_prev *= self.momentum
        u -= v_prev
        p += u


class RMSProp(Optimizer):
    name = "rmsprop"
    slot_keys = ("cache",)
    decay, eps = 0.99, 1e-8


    def _flat_update(self, p, g, u, s):
        c = s["cache"]
        c *= self.decay
        g2 = (1.0 - self.decay) * g
        g2 *= g
        c += g2
        np.multiply(g, -self.lr, out=u)
        d = np.sqrt(c)
        d += self.eps
        u /= d
        p += u


class Adam(Optimizer):
    """Adam with bias correction; ``momentum`` is β₁, β₂ = 0.999."""

    name = "adam"
    slot_keys = ("m", "v")
    beta2, eps = 0.999, 1e-8


    def _lr_t(self, t: float) -> float:
        return float(self.lr * (1.0 - self.beta2 ** t) ** 0.5 / (1.0 - self.momentum ** t))

    # Flat path. Each parameter keeps its own step count t (a parameter added by a live
    # change starts its bias correction afresh): state[name]["t"] is a view of one vector.
    def _after_bind(self, flat):
        steps = np.zeros(len(flat.names))
        for i, name in enumerate(flat.names):
            old = self.state.setdefault(name, {}).get("t")
            if old is not None and old.shape == (1,):
                steps[i] = old[0]
        self._steps = steps
        self._step_views = [steps[i:i + 1] for i in range(len(steps))]
        for name, view in zip(flat.names, self._step_views):
            self.state[name]["t"] = view
        # Parameters whose counts differ (one added by a live change) get their own lr_t.
        self._uniform = bool(np.all(steps == steps[0]))
        self._elem_param = None if self._uniform else flat.segment_index()

    def _flat_bound(self, flat) -> bool:
        return all(self.state.get(n, {}).get("t") is t
                   for n, t in zip(flat.names, self._step_views))

    def _flat_update(self, p, g, u, s):
        m, v = s["m"], s["v"]
        b1 = self.momentum
        m *= b1
        m += (1.0 - b1) * g
        v *= self.beta2
        g2 = (1.0 - self.beta2) * g
        g2 *= g
        v += g2
        steps = self._steps
        steps += 1
        if self._uniform:
            np.multiply(m, -self._lr_t(float(steps[0])), out=u)
        else:
            per_param = np.array([-self._lr_t(float(t)) for t in steps], dtype=u.dtype)
            np.multiply(m, per_param[self._elem_param], out=u)
        d = np.sqrt(v)
        d += self.eps
        u /= d
        p += u


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
