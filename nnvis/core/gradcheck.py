"""Compare analytic gradients with finite differences (in float64).

The numerical reference is made accurate enough (~3e-11 absolute) to hold backward passes
to a relative error of 1e-7:

* Richardson extrapolation of two centred differences, ``(4·D(h/2) − D(h)) / 3``, cancels
  the h² truncation term. Batch norm on a small batch makes the loss sharply curved (third
  derivatives in the thousands), where one centred difference at h = 1e-5 is already off
  by ~4e-8 — more than 1e-7 of a gradient of 0.3.
* An entry whose perturbation moves a kink — a ReLU-family or ELU unit across 0, a maxout
  unit to its other piece, a hinge margin across 0, an L1-penalised weight across 0 — is
  skipped and counted: a difference quotient across a kink measures the jump in slope, not
  the derivative.
* Rounding still leaves ~3e-11 of noise, so an entry far smaller than the loss cannot be
  resolved to 1e-7 relative. The relative error is therefore taken against
  ``max(|a| + |n|, RESOLUTION · max(1, |loss|))``: entries below that are held to an
  absolute ``1e-7 · RESOLUTION`` (1e-10 for a loss of order 1) instead.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .config import Config
from .losses import hinge_margins


def relative_error(a, b, floor: float = 1e-8):
    """|a − b| / max(|a| + |b|, floor), elementwise.

    ``floor`` is the magnitude below which a relative error would only measure the rounding
    noise of the numerical side (1e-8 suits centred differences of a single layer).
    """
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def numerical_gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centred differences of scalar f() w.r.t. array x (perturbed in place, restored)."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


#: Gradient entries smaller than this (times the loss, if that exceeds 1) are compared
#: absolutely: the reference's ~3e-11 of rounding noise is 1e-7 of 3e-4.
RESOLUTION = 1e-3
#: The larger Richardson step: small enough for the h⁴ term, large enough that rounding
#: (∝ 1/h) stays near 3e-11.
STEP = 8e-5


def kink_pattern(trainer, logits: np.ndarray, T) -> list[np.ndarray]:
    """Which side of every kink the trainer's last forward pass is on (see module docstring).

    Reads each block's pre-activation ``z`` as left by :meth:`Trainer.loss_and_logits`.
    """
    pattern = [block.act.kink_pattern(block.z) for block in trainer.net.blocks]
    if trainer.loss_name == "hinge":
        pattern.append(hinge_margins(logits, T) > 0)
    if trainer.l1:
        params = trainer.net.params()
        pattern += [params[i] > 0 for i in trainer.net.weight_indices()]
    return [p for p in pattern if p is not None]


def _richardson(loss, p: np.ndarray, i: tuple, h: float) -> float | None:
    """(4·D(h/2) − D(h)) / 3 for the centred differences D of ``loss()`` in ``p[i]``, or
    None if a perturbation moved a kink. ``loss()`` returns (value, kinks unchanged)."""
    old = p[i]
    diffs = []
    try:
        for step in (h, h / 2):
            values = []
            for x in (old + step, old - step):
                p[i] = x
                value, same_kinks = loss()
                if not same_kinks:
                    return None
                values.append(value)
            diffs.append((values[0] - values[1]) / (2 * step))
    finally:
        p[i] = old
    return (4.0 * diffs[1] - diffs[0]) / 3.0


def grad_check(config, n_samples: int = 16, max_entries: int = 60, h: float = STEP,
               steps_before: int = 0, details: bool = False):
    """Max relative error per parameter, in float64, on a small batch of training data.

    At most ``max_entries`` randomly chosen entries per parameter are checked so large
    models still finish quickly. Dropout is off; batch norm uses batch statistics.
    With ``details`` also returns two more dicts keyed like the errors: the largest
    |analytic gradient| checked (below the resolution, see the module docstring, the
    comparison is absolute) and how many entries were skipped because they straddle a kink.
    """
    from .trainer import Trainer

    cfg = config if isinstance(config, Config) else Config.from_dict(config)
    cfg = cfg.with_changes({"dtype": "float64"})
    trainer = Trainer(cfg)
    if steps_before:
        trainer.step(steps_before)
        trainer.resume()
    X = trainer.X_train[:n_samples]
    y = trainer.data.y_train[:n_samples]
    T = trainer.targets(y)
    analytic = trainer.gradients(X, y)
    loss0, logits0 = trainer.loss_and_logits(X, T)
    base = kink_pattern(trainer, logits0, T)
    floor = RESOLUTION * max(1.0, abs(loss0))

    def loss():
        value, logits = trainer.loss_and_logits(X, T)
        now = kink_pattern(trainer, logits, T)
        return value, all(np.array_equal(a, b) for a, b in zip(base, now))

    rng = np.random.default_rng(0)
    out, scales, skipped = OrderedDict(), OrderedDict(), OrderedDict()
    for name, p in trainer.parameters().items():
        flat_idx = rng.choice(p.size, size=min(p.size, max_entries), replace=False)
        worst, n_skipped = 0.0, 0
        scales[name] = float(np.max(np.abs(analytic[name].ravel()[flat_idx])))
        for k in flat_idx:
            i = np.unravel_index(k, p.shape)
            num = _richardson(loss, p, i, h)
            if num is None:
                n_skipped += 1
                continue
            worst = max(worst, float(relative_error(analytic[name][i], num, floor)))
        out[name] = worst
        skipped[name] = n_skipped
    return (out, scales, skipped) if details else out
