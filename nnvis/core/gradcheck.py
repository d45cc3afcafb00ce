"""Compare analytic gradients with centred finite differences (in float64)."""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from .config import Config


def relative_error(a, b):
    """|a − b| / (|a| + |b|), or 0 where both are below 1e-8: there both values are centred
    differences' rounding noise (~1e-11), e.g. a dense bias followed by batch norm, whose
    gradient is exactly 0 because batch norm subtracts the mean."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    scale = np.abs(a) + np.abs(b)
    return np.where(scale < 1e-8, 0.0, np.abs(a - b) / np.maximum(scale, 1e-300))


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


# Centred differences carry ~1e-11 of rounding noise, so below this gradient size the relative
# error measures the noise (≈ 1e-11 / |grad|), not the backward pass.
RESOLUTION = 1e-4


def grad_check(config, n_samples: int = 16, max_entries: int = 60, h: float = 1e-5,
               steps_before: int = 0, details: bool = False):
    """Max relative error per parameter, in float64, on a small batch of training data.

    At most ``max_entries`` randomly chosen entries per parameter are checked so large
    models still finish quickly. Dropout is off; batch norm uses batch statistics.
    With ``details`` also returns name -> largest |analytic gradient| checked: where that is
    below :data:`RESOLUTION` (a vanishing gradient) the comparison cannot resolve it.
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
    rng = np.random.default_rng(0)
    out = OrderedDict()
    scales = OrderedDict()
    for name, p in trainer.parameters().items():
        flat_idx = rng.choice(p.size, size=min(p.size, max_entries), replace=False)
        worst = 0.0
        scales[name] = float(np.max(np.abs(analytic[name].ravel()[flat_idx])))
        for k in flat_idx:
            i = np.unravel_index(k, p.shape)
            old = p[i]
            p[i] = old + h
            plus = trainer.loss(X, T)
            p[i] = old - h
            minus = trainer.loss(X, T)
            p[i] = old
            num = (plus - minus) / (2 * h)
            worst = max(worst, float(relative_error(np.float64(analytic[name][i]), num)))
        out[name] = worst
    return (out, scales) if details else out
