"""Axis and colour ranges with hysteresis, without Qt: a range that follows its data
without moving on every frame."""
from __future__ import annotations

import math

from nnvis.core.snapshot import nice_range


class RangeKeeper:
    """A range with hysteresis: grows at once, shrinks only when the data fall well
    inside, so axes and colour scales do not jitter every frame (auto-ranging cost 20–49 ms
    per paint)."""

    def __init__(self, shrink_below: float = 0.35):
        self._lo = self._hi = None
        self.shrink_below = shrink_below

    # Read-only: only ``update`` moves the range, so a reader cannot knock it out of step.
    @property
    def lo(self) -> float | None:
        return self._lo

    @property
    def hi(self) -> float | None:
        return self._hi

    def update(self, lo: float, hi: float, pad: float = 0.05) -> tuple[float, float] | None:
        """Return a new (lo, hi) if the axis must change, else None."""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        if hi <= lo:
            hi = lo + 1e-9 + abs(lo) * 0.1
        span = hi - lo
        if self._lo is None or lo < self._lo or hi > self._hi or \
                span < self.shrink_below * (self._hi - self._lo):
            self._lo, self._hi = lo - pad * span, hi + pad * span
            return self._lo, self._hi
        return None

    def symmetric(self, max_abs: float, floor: float = 1.0 / 64) -> float:
        """r of ±r for a diverging colour map (1 before any finite, positive ``max_abs``):
        the smallest power of two ≥ ``max_abs``, at least ``floor``, kept by ``update``. As
        r only takes powers of two, a shrink threshold between a quarter and a half (the
        default 0.35) means r halves never: it shrinks once the data need a quarter of it or
        less, so colours do not flicker."""
        if math.isfinite(max_abs) and max_abs > 0:
            r = max(nice_range(max_abs), floor)
            self.update(-r, r, pad=0.0)
        return self._hi or 1.0
