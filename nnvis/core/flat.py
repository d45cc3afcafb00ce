"""All of a network's parameters in one contiguous buffer, and their gradients in another.

Each layer still owns ``params[key]`` and ``grads[key]`` keyed as before, but they are views
into two flat arrays, and backward writes the gradients into its views in place. An optimiser
can then update the whole network with a handful of NumPy calls instead of a handful per
parameter: on small networks, where every NumPy call costs about a microsecond whatever its
size, that is most of the time of a training step. The arithmetic is elementwise and
unchanged, so results are bit-identical to updating each parameter on its own.
"""
from __future__ import annotations

import numpy as np

ALIGN = 16  # elements: each parameter starts on a 64-byte boundary (float32)
SUM_BLOCK = 1024  # a large buffer is padded to a multiple of this (see grad_sum)


class FlatParams:
    """Bind ``slots`` — ``[(name, layer, key)]`` — to flat ``params``/``grads`` buffers.

    The current parameter values are copied in; afterwards ``layer.params[key]`` is a view
    of :attr:`params` and ``layer.grads[key]`` a view of :attr:`grads`. :meth:`is_bound`
    tells whether that still holds (a live change that swaps in new arrays breaks it).
    """

    def __init__(self, slots, dtype):
        self.dtype = np.dtype(dtype)
        self.names = [name for name, _, _ in slots]
        self.shapes = [layer.params[key].shape for _, layer, key in slots]
        self.sizes = [int(np.prod(s)) for s in self.shapes]
        offsets, end = [], 0
        for size in self.sizes:
            offsets.append(end)
            end += -(-size // ALIGN) * ALIGN
        if end > SUM_BLOCK:
            end = -(-end // SUM_BLOCK) * SUM_BLOCK
        self.offsets = offsets
        self.size = end
        self.params = np.zeros(end, dtype=self.dtype)
        self.grads = np.zeros(end, dtype=self.dtype)
        # grad_sum as (blocks × SUM_BLOCK) @ ones: reads the gradients once, ones stay in L1.
        self._grad_blocks = self.grads.reshape(-1, min(end, SUM_BLOCK))
        self._ones = np.ones(self._grad_blocks.shape[1], dtype=self.dtype)
        self.param_views = self.views(self.params)
        self.grad_views = self.views(self.grads)
        self._slots = [(layer, key) for _, layer, key in slots]
        for (layer, key), pv, gv in zip(self._slots, self.param_views, self.grad_views):
            pv[...] = layer.params[key]
            layer.params[key] = pv
            layer.grads[key] = gv
            layer.grads_in_place = True

    def grad_sum(self) -> float:
        """Sum of every gradient (inf or NaN if any is): one BLAS dot, ~2× a NumPy sum."""
        return float(np.dot(self._grad_blocks, self._ones).sum())

    def views(self, flat: np.ndarray) -> list:
        """Per-parameter views (shaped like the parameters) of a flat array of this layout."""
        return [flat[o:o + n].reshape(s) for o, n, s in zip(self.offsets, self.sizes, self.shapes)]

    def segment_index(self) -> np.ndarray:
        """(size,) int: which parameter each flat element belongs to (padding: the one before)."""
        idx = np.zeros(self.size, dtype=np.intp)
        for i, o in enumerate(self.offsets[1:], start=1):
            idx[o:] = i
        return idx

    def is_bound(self, slots) -> bool:
        if len(slots) != len(self._slots):
            return False
        for (_, layer, key), (blayer, bkey), pv, gv in zip(slots, self._slots,
                                                            self.param_views, self.grad_views):
            if layer is not blayer or key != bkey or layer.params.get(key) is not pv \
                    or layer.grads.get(key) is not gv or not layer.grads_in_place:
                return False
        return True

    def unbind(self):
        """Stop writing gradients into the flat buffer (the parameter views stay valid)."""
        for layer, _ in self._slots:
            layer.grads_in_place = False
