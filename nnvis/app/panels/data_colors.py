"""The data panel's colours: classes, the background they blend into, the value and neuron
colour maps, and colour-bar limits. Pure NumPy (and pyqtgraph's colour maps)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from nnvis.app import theme


def _rgb(hex_or_tuple):
    if isinstance(hex_or_tuple, str):
        h = hex_or_tuple.lstrip("#")
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(hex_or_tuple[:3])


BG = np.array(_rgb(theme.BACKGROUND), np.float32)
CLASS_RGB = np.array([c[:3] for c in theme.CLASS_COLORS], np.float32)
VALUE_CMAP = pg.colormap.get("viridis")
NEURON_CMAP = pg.ColorMap([0.0, 0.5, 1.0], [theme.NEGATIVE, (44, 47, 54), theme.POSITIVE])


def decision_colors(label, conf, n_classes: int) -> np.ndarray:
    """(H, W) labels and max-probabilities -> (H, W, 3) uint8: the class colour blended with
    the background, from faint (chance-level confidence) to strong (certain)."""
    label = np.clip(np.nan_to_num(np.asarray(label), nan=0).astype(np.int64), 0, len(CLASS_RGB) - 1)
    k = max(int(n_classes), 2)
    conf = np.nan_to_num(np.asarray(conf, np.float32), nan=0.0, posinf=1.0, neginf=0.0)
    t = np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    a = (0.10 + 0.45 * t)[..., None]
    rgb = BG + (CLASS_RGB[label] - BG) * a
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def nice_ceil(v: float) -> float:
    """Smallest 1, 2 or 5 × 10^k ≥ v (stable colour-bar limits)."""
    if not (math.isfinite(v) and v > 0):
        return 1.0
    mag = 10.0 ** math.floor(math.log10(v))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= v * (1 - 1e-9))
