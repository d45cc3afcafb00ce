"""Bounded metric histories: memory stays flat however long a run goes."""
from __future__ import annotations

import numpy as np


class DecimatingSeries:
    """(step, value) pairs, at most ``capacity`` of them.

    Each stored point is the mean of ``stride`` consecutive appends; when the buffer fills,
    neighbouring points are merged and the stride doubles, so a run of 10⁶ steps keeps the
    same memory as one of 10⁴ while the curve keeps its shape.
    """

    def __init__(self, capacity: int = 2048, columns: int = 1):
        self.capacity = capacity - capacity % 2
        self.steps = np.zeros(self.capacity, dtype=np.int64)
        self.values = np.zeros((self.capacity, columns), dtype=np.float64)
        self.n = 0
        self.stride = 1
        self._acc = [0.0] * columns
        self._acc_n = 0

    def append(self, step: int, *values: float):
        # Plain Python floats: this runs once per training step and must stay ~1 µs.
        acc = self._acc
        for i, v in enumerate(values):
            acc[i] += v
        self._acc_n += 1
        if self._acc_n < self.stride:
            return
        if self.n == self.capacity:
            half = self.capacity // 2
            self.steps[:half] = self.steps[1::2]
            self.values[:half] = 0.5 * (self.values[0::2] + self.values[1::2])
            self.n = half
            self.stride *= 2
        self.steps[self.n] = step
        self.values[self.n] = [a / self._acc_n for a in acc]
        self.n += 1
        self._acc = [0.0] * len(acc)
        self._acc_n = 0

    def truncate(self, step: int):
        """Forget every point recorded after ``step`` (and any partial average)."""
        self.n = int(np.searchsorted(self.steps[:self.n], step, side="right"))
        self._acc = [0.0] * len(self._acc)
        self._acc_n = 0

    def last_value(self) -> float:
        """The newest stored value of the first column (NaN if empty)."""
        return float(self.values[self.n - 1, 0]) if self.n else float("nan")

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies: (steps (n,), values (n, columns))."""
        return self.steps[:self.n].copy(), self.values[:self.n].copy()

    def state_dict(self) -> dict:
        """Everything to continue exactly: the points (copies), the stride, and the running
        average of the appends not yet stored (``acc``: their sums, ``acc_n``: how many)."""
        steps, values = self.arrays()
        return {"steps": steps, "values": values, "stride": self.stride,
                "acc": list(self._acc), "acc_n": self._acc_n}

    def load_state_dict(self, d: dict):
        steps, values = np.asarray(d["steps"]), np.asarray(d["values"], dtype=np.float64)
        n = min(len(steps), self.capacity)
        self.steps[:n] = steps[-n:] if n else steps[:0]
        self.values[:n] = values[-n:].reshape(n, -1) if n else 0
        self.n = n
        self.stride = int(d.get("stride", 1))
        columns = len(self._acc)
        self._acc = [float(a) for a in d.get("acc", [0.0] * columns)]
        self._acc_n = int(d.get("acc_n", 0))
