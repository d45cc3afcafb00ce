"""Where a computation graph's nodes go, and how its numbers are written. Pure functions
(no Qt), unit-tested on their own.

Two layouts: the notes' small graphs (inputs stacked on the left, each gate right of its
inputs and centred between them, as cs231n draws them) and the network's chain (one row of
layer operations from x to the loss, each parameter under the operation that uses it).
"""
from __future__ import annotations

import math

import numpy as np

SHOW_ALL_UNITS = 8   # vectors up to this long are written out; longer ones are summarised


def fmt(v: float) -> str:
    """A number as the notes write them: -4, 3, 0.73, -0.197, 3.2e-05 (minus as U+2212)."""
    v = float(v)
    if not math.isfinite(v):
        return "nan" if v != v else ("∞" if v > 0 else "−∞")
    if v == 0:
        return "0"
    a = abs(v)
    if 1e-3 <= a < 1e4:
        text = f"{v:.3f}".rstrip("0").rstrip(".") if a < 10 else f"{v:.4g}"
        if text in ("-0", "0"):
            text = f"{v:.2g}"
    else:
        text = f"{v:.2e}".replace("e-0", "e-").replace("e+0", "e")
    return text.replace("-", "−")


def layered_layout(graph) -> dict:
    """id -> (col, row) for the notes' graphs: leaves in column 0 in their order, each gate
    one column right of its rightmost input, at the mean row of its inputs."""
    pos = {}
    leaf_row = 0
    for nid, node in graph.nodes.items():
        if not node.inputs:
            pos[nid] = (0, float(leaf_row))
            leaf_row += 1
    for nid, node in graph.nodes.items():
        if node.inputs:
            cols = [pos[i][0] for i in node.inputs]
            rows = [pos[i][1] for i in node.inputs]
            pos[nid] = (max(cols) + 1, sum(rows) / len(rows))
    return pos


def chain_layout(graph) -> dict:
    """id -> (col, row) for the network: the chain of operations in row 0, left to right;
    parameters in rows 1, 2 under the operation that takes them; the weight penalty in
    row 2 at the end."""
    pos = {}
    col = 0
    for nid, node in graph.nodes.items():
        if node.op == "param":
            continue
        if node.op == "penalty":
            pos[nid] = (col - 1, 2.0)
            continue
        pos[nid] = (col, 0.0)
        col += 1
    for nid, node in graph.nodes.items():
        if node.op == "penalty" or nid not in pos:
            continue
        params = [i for i in node.inputs if graph.nodes[i].op == "param"]
        for k, p in enumerate(params):
            pos[p] = (pos[nid][0], 1.0 + k)
    if "total" in pos and "penalty" in pos:
        pos["penalty"] = (pos["total"][0], 2.0)
    return pos


def layout(graph) -> dict:
    return chain_layout(graph) if graph.kind == "network" else layered_layout(graph)


def layer_index(layer: str | None, layer_names: list) -> int | None:
    """Index of a hidden layer name (hidden1 -> 0) in the network's layer names."""
    if layer is None or layer not in layer_names:
        return None
    return layer_names.index(layer)


def vector_lines(a, focus: int | None = None, grad: bool = False) -> list[str]:
    """How a value or gradient is written next to its wire: a scalar as itself, a short
    vector in full (four to a line), a long one as its norm and range plus the focused
    unit, a matrix as its norm. ``grad``: name the norm ∂ rather than the value."""
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return [fmt(a)]
    norm = float(np.sqrt(np.vdot(a, a)))
    if a.ndim == 2:
        return [f"‖·‖ {fmt(norm)}", f"{a.shape[0]}×{a.shape[1]}"]
    if a.size <= SHOW_ALL_UNITS:
        parts = [fmt(v) for v in a]
        return [" ".join(parts[i:i + 4]) for i in range(0, len(parts), 4)]
    lines = [f"‖·‖ {fmt(norm)}", f"[{fmt(a.min())}, {fmt(a.max())}]"]
    if focus is not None and 0 <= focus < a.size:
        lines.insert(0, f"#{focus}: {fmt(a[focus])}")
    return lines


def shrink_factor(upstream, sent) -> float | None:
    """‖upstream‖ / ‖sent‖: how many times smaller the gradient leaves a gate than it came
    (None when either is 0 or they differ in size, as across a matmul)."""
    u, s = np.asarray(upstream, np.float64), np.asarray(sent, np.float64)
    if u.shape != s.shape:
        return None
    nu, ns = float(np.sqrt(np.vdot(u, u))), float(np.sqrt(np.vdot(s, s)))
    if nu == 0 or ns == 0:
        return None
    return nu / ns
