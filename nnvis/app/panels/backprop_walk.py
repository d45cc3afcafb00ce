"""Where the user is in a backward walk: which gates have been visited, and which gradients
are therefore known. Qt-free; the numbers all come from a :class:`nnvis.core.backprop.Graph`
(the engine's), this only decides how much of them is revealed."""
from __future__ import annotations

import numpy as np


class Walk:
    """Forward, then one gate per :meth:`step` from the output back to the inputs.

    ``visited`` gates have received their upstream gradient ∂L/∂gate and sent each input
    its share; a wire (source → gate) shows its share once the gate is visited, and a node
    with several consumers (the skip connection's input) sums the shares known so far.
    """

    def __init__(self, graph=None):
        self.graph = graph
        self.forward_shown = False
        self.done = 0
        #: gate id -> its place in the walk (every wire's label asks on every click)
        self._order = {} if graph is None else {s.node: i for i, s in enumerate(graph.steps)}

    @property
    def total(self) -> int:
        return 0 if self.graph is None else len(self.graph.steps)

    @property
    def finished(self) -> bool:
        return self.forward_shown and self.done >= self.total

    @property
    def current(self):
        """The step last taken (None before the first)."""
        return self.graph.steps[self.done - 1] if self.done else None

    def forward(self):
        self.forward_shown = True

    def reset(self):
        self.forward_shown = False
        self.done = 0

    def step(self):
        """Visit the next gate (showing the forward pass first if needed); its Step."""
        if self.graph is None:
            return None
        if not self.forward_shown:
            self.forward_shown = True
        if self.done >= self.total:
            return None
        self.done += 1
        return self.current

    def show_all(self):
        self.forward_shown = True
        self.done = self.total

    def visited(self, node_id: str) -> bool:
        return self._order.get(node_id, self.done) < self.done

    def share(self, source: str, gate: str):
        """The gradient on wire source → gate, or None while the gate is unvisited."""
        if not self.visited(gate):
            return None
        return self.graph.steps[self._order[gate]].grads.get(source)

    def node_grad(self, node_id: str):
        """∂L/∂node as far as the walk has come: the upstream of a visited gate, else the
        sum of the shares its consumers sent so far (None if none yet)."""
        total = None
        for s in self.graph.steps[:self.done]:
            if s.node == node_id:
                return s.upstream
            g = s.grads.get(node_id)
            if g is not None:
                total = g if total is None else total + g
        return total

    def complete(self, node_id: str) -> bool:
        """Whether every consumer of the node has sent its share (its gradient is final)."""
        consumers = [nid for nid, n in self.graph.nodes.items() if node_id in n.inputs]
        if not consumers:
            return self.visited(node_id)
        return all(self.visited(c) for c in consumers)


def norm(a) -> float:
    a = np.asarray(a, dtype=np.float64)
    return float(np.sqrt(np.vdot(a, a)))
