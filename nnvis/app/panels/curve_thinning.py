"""Long, noisy curves made cheap to draw: smoothing and thinning to about one point per
pixel. Pure NumPy."""
from __future__ import annotations

import math

import numpy as np


def ema(values, alpha: float) -> np.ndarray:
    """Bias-corrected exponential moving average (TensorBoard-style smoothing).

    Vectorised in chunks: within a chunk, m_t = a^t (a·m_prev + (1−a) Σ_{i≤t} a^−i x_i),
    with the chunk short enough that a^−i cannot overflow."""
    x = np.asarray(values, np.float64)
    a = float(alpha)
    if a <= 0.0 or x.size == 0:
        return x.copy()
    a = min(a, 0.999)
    b = 1.0 - a
    k = int(max(8, min(1024, 250.0 / -math.log10(a))))
    out = np.empty_like(x)
    m = w = 0.0
    for s in range(0, x.size, k):
        chunk = x[s:s + k]
        i = np.arange(chunk.size, dtype=np.float64)
        up = a ** -i
        down = a ** i
        ms = down * (a * m + b * np.cumsum(chunk * up))
        ws = down * (a * w + b * np.cumsum(up))
        out[s:s + chunk.size] = ms / ws
        m, w = float(ms[-1]), float(ws[-1])
    return out


def bucket_mean(x, y, n_max: int):
    """At most n_max points: the mean of consecutive buckets. A wide antialiased pen over
    thousands of segments costs ~10 ms per paint; one point per pixel looks the same."""
    n = len(x)
    if n <= n_max or n_max < 2:
        return x, y
    edges = np.linspace(0, n, n_max + 1).astype(np.int64)
    counts = np.diff(edges)
    keep = counts > 0
    cx = np.add.reduceat(x, edges[:-1][keep]) / counts[keep]
    cy = np.add.reduceat(y, edges[:-1][keep]) / counts[keep]
    # keep the true last point, so the curve ends at the latest value
    cx[-1], cy[-1] = x[-1], y[-1]
    return cx, cy


def envelope(x, y, n_max: int):
    """At most ~2·n_max points: each bucket's minimum and maximum, in step order, so a noisy
    curve keeps its visible spread while costing one pixel column per bucket to paint."""
    n = len(x)
    if n <= 2 * n_max or n_max < 2:
        return x, y
    edges = np.linspace(0, n, n_max + 1).astype(np.int64)
    starts = edges[:-1][np.diff(edges) > 0]
    lo = np.minimum.reduceat(y, starts)
    hi = np.maximum.reduceat(y, starts)
    mid = np.add.reduceat(x, starts) / np.diff(np.append(starts, n))
    # ... and ends at the latest value (appended: the last bucket's peak stays drawn).
    ex = np.append(np.repeat(mid, 2), x[-1])
    ey = np.append(np.column_stack([lo, hi]).ravel(), y[-1])
    return ex, ey
