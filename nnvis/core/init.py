"""Weight initialisers. Biases always start at 0.

``scale`` is the standard deviation for ``normal``, the half-width for ``uniform``, the
value for ``constant`` and a gain multiplier for the fan-based schemes. ``zeros`` and
``constant`` are kept deliberately symmetric: every unit of a layer computes the same thing
and receives the same gradient forever (the symmetry problem the notes warn about).
"""
from __future__ import annotations

import numpy as np


def init_weights(name: str, fan_in: int, fan_out: int, rng: np.random.Generator,
                 scale: float = 1.0, dtype=np.float32) -> np.ndarray:
    """Return W of shape (fan_in, fan_out)."""
    shape = (fan_in, fan_out)
    if name == "zeros":
        w = np.zeros(shape)
    elif name == "constant":
        w = np.full(shape, scale)
    elif name == "normal":
        w = rng.standard_normal(shape) * scale
    elif name == "uniform":
        w = rng.uniform(-scale, scale, shape)
    elif name == "xavier":  # Glorot normal
        w = rng.standard_normal(shape) * (scale * np.sqrt(2.0 / (fan_in + fan_out)))
    elif name == "xavier_uniform":
        limit = scale * np.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-limit, limit, shape)
    elif name == "he":
        w = rng.standard_normal(shape) * (scale * np.sqrt(2.0 / fan_in))
    elif name == "lecun":
        w = rng.standard_normal(shape) * (scale * np.sqrt(1.0 / fan_in))
    else:
        raise ValueError(f"unknown initialiser {name!r}")
    return w.astype(dtype)
