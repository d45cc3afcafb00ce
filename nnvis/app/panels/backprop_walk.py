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
        self._graph = graph
        self._forward_shown = False
        self._done = 0
        #: gate id -> its place in the walk (every wire's label asks on every click)
        self._order = {} if graph is None else {s.node: i for i, s in enumerate(graph.steps)}

    @property
    def graph(self):
        """The graph walked (None: nothing to walk)."""
        return self._graph

    @property
    def forward_shown(self) -> bool:
        return self._forward_shown

    @property
    def done(self) -> int:
        """How many gates have been visited."""
        return self._done

    def carry_on(self, forward_shown: bool, done: int):
        """Take up where another walk of the same shape was (a new graph of the same
        network: the user keeps their place)."""
        self._forward_shown = forward_shown
        self._done = min(done, self.total)

    @property
    def total(self) -> int:
        return 0 if self._graph is None else len(self._graph.steps)

    @property
    def finished(self) -> bool:
        return self._forward_shown and self._done >= self.total

    @property
    def current(self):
        """The step last taken (None before the first)."""
        return self._graph.steps[self._done - 1] if self._done else None

    def forward(self):
        self._forward_shown = True

    def reset(self):
        self._forward_shown = False
        self._done = 0

    def step(self):
        """Visit the next gate (showing the forward pass first if needed); its Step."""
        if self._graph is None:
            return None
        if not self._forward_shown:
            self._forward_shown = True
        if self._done >= self.total:
            return None
        self._done += 1
        return self.current

    def show_all(self):
        self._forward_shown = True
        self._done = self.total

    def visited(self, node_id: str) -> bool:
        return self._order.get(node_id, self._done) < self._done

    def share(self, source: str, gate: str):
        """The gradient on wire source → gate, or None while the gate is unvisited."""
        if not self.visited(gate):
            return None
        return self._graph.steps[self._order[gate]].grads.get(source)

    def node_grad(self, node_id: str):
        """∂L/∂node as far as the walk has come: the upstream of a visited gate, else the
        sum of the shares its consumers sent so far (None if none yet)."""
        total = None
        for s in self._graph.steps[:self._done]:
            if s.node == node_id:
                return s.upstream
            g = s.grads.get(node_id)
            if g is not None:
                total = g if total is None else total + g
        return total

    def complete(self, node_id: str) -> bool:
        """Whether every consumer of the node has sent its share (its gradient is final)."""
        consumers = [nid for nid, n in self._graph.nodes.items() if node_id in n.inputs]
        if not consumers:
            return self.visited(node_id)
        return all(self.visited(c) for c in consumers)


def norm(a) -> float:
    a = np.asarray(a, dtype=np.float64)
    return float(np.sqrt(np.vdot(a, a)))
