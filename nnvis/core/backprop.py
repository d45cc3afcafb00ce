"""Backpropagation gate by gate: computation graphs whose forward values, local gradients
and upstream gradients can be walked one node at a time.

Three graphs, as in the notes: f = (x + y)·z, the 2-input sigmoid neuron
f = σ(w0·x0 + w1·x1 + w2), and the live network on one sample — per hidden layer the
matmul, the bias add, [batch norm], the activation, [the skip connection], then the output
layer and the loss, with the trainer's own weights.

A :class:`Graph` is plain data (dataclasses of strings, floats and float64 arrays): it
crosses the trainer process's pipe and prints as JSON. Every gate stores its *local*
gradient ∂out/∂input at forward time; :func:`backward_walk` then visits the gates from the
output to the inputs and multiplies each local gradient by the upstream gradient ∂L/∂out,
one :class:`Step` per gate. ``tests/core/test_backprop.py`` checks the sums against
:meth:`Trainer.gradients` to 1e-10 in float64.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from .activations import ACTIVATION_CLASSES
from .losses import LOSSES, class_probabilities
from .penalty import penalty_gradient, weight_penalty

#: What each gate does to the gradient on the way back (English; the app translates its own).
RULES = {
    "input": "an input: the walk ends here",
    "param": "a parameter: the optimiser moves it by −lr × this gradient",
    "add": "add gate: passes the gradient to both inputs",
    "bias_add": "add gate: passes the gradient to both inputs (x·W and b)",
    "residual": "add gate (skip connection): passes the gradient to the block and, "
                "unchanged, around it",
    "mul": "multiply gate: swaps the inputs × upstream",
    "max": "max gate: routes it to the larger input",
    "sigmoid": "sigmoid: σ(x)(1 − σ(x)) × upstream",
    "activation": "activation: f′(z) × upstream",
    "matmul": "multiply gate, for matrices: ∂L/∂x = W·upstream, ∂L/∂W = x ⊗ upstream",
    "batchnorm": "batch norm (running statistics): γ/√(σ² + ε) × upstream",
    "loss": "loss: ∂L/∂logits starts the backward pass",
    "penalty": "weight penalty: λ·W (L2) + λ·sign(W) (L1) × upstream",
}


@dataclass
class Node:
    """One value of the graph. ``value``: float64, shape () for the scalar graphs, (width,)
    for a layer's vector, (fan_in, fan_out) for a weight matrix. ``local``: input id → the
    local gradient ∂value/∂input in compact form (elementwise factor; for ``matmul`` the
    other operand). ``info``: what the view may show besides (activation, f′(z), target…)."""

    id: str
    op: str
    label: str
    inputs: tuple = ()
    layer: str | None = None
    value: np.ndarray = None
    local: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)


@dataclass
class Step:
    """One click of the backward walk: gate ``node`` receives ``upstream`` = ∂L/∂node and
    sends each input its share, ``grads[input] = local × upstream``."""

    node: str
    upstream: np.ndarray
    grads: dict


@dataclass
class Graph:
    kind: str                   # "add_mul" | "sigmoid_neuron" | "network"
    nodes: dict                 # id -> Node, in forward (topological) order
    output: str
    steps: list = field(default_factory=list)   # the backward walk, output first
    grads: dict = field(default_factory=dict)   # id -> ∂output/∂node once the walk is done
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready: arrays become (nested) lists."""
        return _plain(asdict(self))


def _plain(obj):
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def _f64(a) -> np.ndarray:
    return np.array(a, dtype=np.float64)


# ---------------------------------------------------------------------- the walk
def _send(node: Node, source: str, up: np.ndarray) -> np.ndarray:
    """∂L/∂source through ``node``: its local gradient applied to the upstream one."""
    local = node.local[source]
    if node.op == "matmul":
        x, W = node.inputs
        # out = x·W: the notes' multiply gate for matrices ("swap the inputs").
        return local @ up if source == x else np.outer(local, up)
    if node.op == "max" and node.info.get("pieces") == 2:
        return np.repeat(up, 2) * local   # maxout: two pieces per unit, one wins
    return local * up


def backward_walk(graph: Graph) -> Graph:
    """Fill ``graph.steps`` and ``graph.grads``: visit every gate from the output back, in
    reverse topological order (a gate's gradient is complete once all its consumers sent
    theirs: the skip connection's input gets two shares)."""
    nodes = graph.nodes
    out = nodes[graph.output]
    grads = {graph.output: np.ones_like(out.value)}
    steps = []
    for nid in reversed(list(nodes)):
        node = nodes[nid]
        if not node.inputs:
            continue
        up = grads.get(nid)
        if up is None:
            up = np.zeros_like(node.value)
        shares = {}
        for source in node.inputs:
            g = _send(node, source, up)
            shares[source] = g
            grads[source] = g if source not in grads else grads[source] + g
        steps.append(Step(nid, up.copy(), shares))
    graph.steps, graph.grads = steps, grads
    return graph


# ---------------------------------------------------------------------- the notes' graphs
def add_mul_graph(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> Graph:
    """The notes' f = (x + y)·z with q = x + y (defaults −2, 5, −4: ∂f/∂x = ∂f/∂y = −4,
    ∂f/∂z = 3)."""
    x, y, z = _f64(x), _f64(y), _f64(z)
    q = x + y
    nodes = {
        "x": Node("x", "input", "x", value=x),
        "y": Node("y", "input", "y", value=y),
        "q": Node("q", "add", "+", ("x", "y"), value=q,
                  local={"x": _f64(1.0), "y": _f64(1.0)}),
        "z": Node("z", "input", "z", value=z),
        "f": Node("f", "mul", "×", ("q", "z"), value=q * z, local={"q": z, "z": q}),
    }
    return backward_walk(Graph("add_mul", nodes, "f", meta={"formula": "f = (x + y)·z"}))


def sigmoid_neuron_graph(w0: float = 2.0, x0: float = -1.0, w1: float = -3.0,
                         x1: float = -2.0, w2: float = -3.0) -> Graph:
    """The notes' 2-input sigmoid neuron f = σ(w0·x0 + w1·x1 + w2) (defaults from cs231n:
    f = 0.73, ∂f/∂w = [−0.20, −0.39, 0.20], ∂f/∂x = [0.39, −0.59])."""
    v = {k: _f64(val) for k, val in (("w0", w0), ("x0", x0), ("w1", w1), ("x1", x1),
                                        ("w2", w2))}
    p0, p1 = v["w0"] * v["x0"], v["w1"] * v["x1"]
    s = p0 + p1
    z = s + v["w2"]
    f = 0.5 * (np.tanh(0.5 * z) + 1.0)   # σ without overflow
    nodes = {k: Node(k, "input", k, value=val) for k, val in v.items() if k != "w2"}
    nodes["p0"] = Node("p0", "mul", "×", ("w0", "x0"), value=p0,
                       local={"w0": v["x0"], "x0": v["w0"]})
    nodes["p1"] = Node("p1", "mul", "×", ("w1", "x1"), value=p1,
                       local={"w1": v["x1"], "x1": v["w1"]})
    nodes["s"] = Node("s", "add", "+", ("p0", "p1"), value=s,
                      local={"p0": _f64(1.0), "p1": _f64(1.0)})
    nodes["w2"] = Node("w2", "input", "w2", value=v["w2"])
    nodes["z"] = Node("z", "add", "+", ("s", "w2"), value=z,
                      local={"s": _f64(1.0), "w2": _f64(1.0)})
    nodes["f"] = Node("f", "sigmoid", "σ", ("z",), value=f, local={"z": f * (1.0 - f)},
                      info={"activation": "sigmoid", "factor": f * (1.0 - f)})
    return backward_walk(Graph("sigmoid_neuron", nodes, "f",
                               meta={"formula": "f = σ(w0·x0 + w1·x1 + w2)"}))


# ---------------------------------------------------------------------- the live network
def _activation_node(block, nid: str, source: str, z: np.ndarray, width: int) -> tuple:
    """(node, extra param nodes) for block's activation applied to z (float64, eval mode:
    RReLU at its mean slope)."""
    act = block.act
    name = act.name
    cls = ACTIVATION_CLASSES[name]
    info = {"activation": name}
    extra = []
    if name == "maxout":
        pieces = z.reshape(width, 2)
        first = pieces[:, 0] >= pieces[:, 1]
        value = np.where(first, pieces[:, 0], pieces[:, 1])
        route = np.stack([first, ~first], axis=1).reshape(-1).astype(np.float64)
        info.update(pieces=2, factor=np.ones(width))
        return Node(nid, "max", "maxout", (source,), block.name, value,
                    {source: route}, info), extra
    if name == "prelu":
        alpha = _f64(act.params["alpha"])
        neg = z <= 0
        value = np.where(neg, alpha * z, z)
        factor = np.where(neg, alpha, 1.0)
        aid = f"{block.name}.alpha"
        extra.append(Node(aid, "param", "α", layer=block.name, value=alpha))
        info["factor"] = factor
        return Node(nid, "activation", "PReLU", (source, aid), block.name, value,
                    {source: factor, aid: z * neg}, info), extra
    value = cls._f(z)
    factor = _f64(cls._df(z, value))
    info["factor"] = factor
    op = {"relu": "max", "sigmoid": "sigmoid"}.get(name, "activation")
    label = {"relu": "ReLU", "sigmoid": "σ", "tanh": "tanh", "linear": "id", "elu": "ELU",
             "leaky_relu": "Leaky", "rrelu": "RReLU"}.get(name, name)
    return Node(nid, op, label, (source,), block.name, _f64(value), {source: factor},
                info), extra


def _param(nodes: dict, layer: str, key: str, array, label: str):
    nid = f"{layer}.{key}"
    nodes[nid] = Node(nid, "param", label, layer=layer, value=_f64(array))
    return nid


def network_graph(trainer, index: int = 0, split: str = "train") -> Graph:
    """The trainer's network on one sample (``index`` into the ``split`` set), with its
    current weights, in float64: forward values, local gradients and the backward walk.

    Dropout is off and batch norm uses its running statistics, as in evaluation: a batch of
    one sample has variance 0, so x̂ = (x − μ)/√(0 + ε) = 0 for every input and nothing would
    flow back through it. The loss includes the L1/L2 penalty when it is on.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test' (got {split!r})")
    X = trainer.X_train if split == "train" else trainer.X_test
    T = trainer.T_train if split == "train" else trainer.T_test
    y = trainer.data.y_train if split == "train" else trainer.data.y_test
    n = len(X)
    if n == 0:
        raise ValueError(f"the {split} set is empty (data.train_fraction is "
                         f"{trainer.config.get('data.train_fraction')})")
    if not (0 <= int(index) < n):
        raise ValueError(f"sample must be in 0..{n - 1} for the {split} set (got {index})")
    index = int(index)
    net = trainer.net
    nodes: dict = {}
    h_id = "x"
    h = _f64(X[index])
    nodes["x"] = Node("x", "input", "x", value=h, info={"sample": index})
    notes = []
    for block in net.blocks:
        L = block.name
        W = _param(nodes, L, "W", block.dense.params["W"], "W")
        b = _param(nodes, L, "b", block.dense.params["b"], "b")
        Wv, bv = nodes[W].value, nodes[b].value
        mm = f"{L}.matmul"
        nodes[mm] = Node(mm, "matmul", "x·W", (h_id, W), L, h @ Wv, {h_id: Wv, W: h})
        zid = f"{L}.z"
        z = nodes[mm].value + bv
        nodes[zid] = Node(zid, "bias_add", "+b", (mm, b), L, z,
                          {mm: _f64(1.0), b: _f64(1.0)})
        if block.bn is not None:
            bn = block.bn
            g = _param(nodes, L, "gamma", bn.params["gamma"], "γ")
            be = _param(nodes, L, "beta", bn.params["beta"], "β")
            inv_std = 1.0 / np.sqrt(_f64(bn.buffers["running_var"]) + bn.eps)
            xhat = (z - _f64(bn.buffers["running_mean"])) * inv_std
            gv = nodes[g].value
            bid = f"{L}.bn"
            nodes[bid] = Node(bid, "batchnorm", "BN", (zid, g, be), L, xhat * gv + nodes[be].value,
                              {zid: gv * inv_std, g: xhat, be: _f64(1.0)},
                              {"running": True})
            zid, z = bid, nodes[bid].value
            if "bn_running" not in notes:
                notes.append("bn_running")
        aid = f"{L}.act"
        act_node, extra = _activation_node(block, aid, zid, z, block.width)
        for e in extra:
            nodes[e.id] = e
        nodes[aid] = act_node
        out_id, out = aid, act_node.value
        if block.skip:
            rid = f"{L}.skip"
            out = out + h
            nodes[rid] = Node(rid, "residual", "+x", (aid, h_id), L, out,
                              {aid: _f64(1.0), h_id: _f64(1.0)})
            out_id = rid
        if block.dropout.p > 0 and "dropout_off" not in notes:
            notes.append("dropout_off")
        h_id, h = out_id, out
    W = _param(nodes, "output", "W", net.output.params["W"], "W")
    b = _param(nodes, "output", "b", net.output.params["b"], "b")
    Wv = nodes[W].value
    nodes["output.matmul"] = Node("output.matmul", "matmul", "x·W", (h_id, W), "output",
                                  h @ Wv, {h_id: Wv, W: h})
    logits = nodes["output.matmul"].value + nodes[b].value
    nodes["output.z"] = Node("output.z", "bias_add", "+b", ("output.matmul", b), "output",
                             logits, {"output.matmul": _f64(1.0), b: _f64(1.0)})
    loss_fn = LOSSES[trainer.loss_name]
    target = T[index:index + 1]
    if target.dtype.kind == "f":
        target = target.astype(np.float64)
    value, dlogits = loss_fn(logits[None, :], target)
    info = {"loss": trainer.loss_name, "target": _plain(y[index])}
    if trainer.classification:
        info["probabilities"] = class_probabilities(trainer.loss_name, logits[None, :])[0]
    nodes["loss"] = Node("loss", "loss", "L", ("output.z",), "loss", _f64(value),
                         {"output.z": dlogits[0]}, info)
    output = "loss"
    l1, l2 = trainer.l1, trainer.l2
    if l1 or l2:
        weights = [nid for nid, nd in nodes.items() if nd.op == "param" and nid.endswith(".W")]
        penalty = sum(weight_penalty(nodes[w].value, l1, l2) for w in weights)
        nodes["penalty"] = Node("penalty", "penalty", "λR", tuple(weights), "loss",
                                _f64(penalty),
                                {w: penalty_gradient(nodes[w].value, l1, l2) for w in weights},
                                {"l1": l1, "l2": l2})
        nodes["total"] = Node("total", "add", "+", ("loss", "penalty"), "loss",
                              _f64(value + penalty), {"loss": _f64(1.0), "penalty": _f64(1.0)})
        output = "total"
    meta = {"sample": index, "split": split, "step": trainer.step_count,
            "activation": trainer.config.get("model.activation"),
            "loss": trainer.loss_name, "target": _plain(y[index]), "notes": notes,
            "layers": net.layer_names()}
    return backward_walk(Graph("network", nodes, output, meta=meta))


# ---------------------------------------------------------------------- text
def _summary(a) -> str:
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        return f"{float(a):.6g}"
    if a.size <= 4:
        return "[" + ", ".join(f"{v:.4g}" for v in a.ravel()) + "]"
    norm = float(np.sqrt(np.vdot(a, a)))
    shape = "×".join(map(str, a.shape))
    return f"‖{shape}‖={norm:.4g} [{a.min():.3g}, {a.max():.3g}]"


def table_rows(graph: Graph) -> list[tuple[str, str, str, str, str]]:
    """(node, op, forward value, ∂L/∂node, rule) per node, from the output back to the
    inputs (reverse forward order: the order the walk completes them)."""
    rows = []
    for nid in reversed(list(graph.nodes)):
        node = graph.nodes[nid]
        rule = RULES.get(node.op, "")
        factor = node.info.get("factor")
        if factor is not None and node.op != "max":
            f = np.atleast_1d(factor)
            rule += f"  (f′(z) in [{f.min():.3g}, {f.max():.3g}])"
        rows.append((nid, node.op, _summary(node.value), _summary(graph.grads.get(nid, 0.0)),
                     rule))
    return rows


def format_table(graph: Graph) -> str:
    rows = [("node", "op", "forward", "gradient", "rule")] + table_rows(graph)
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 4)
    return "\n".join(lines)


def weight_gradient_norms(graph: Graph) -> list[tuple[str, float]]:
    """(layer, ‖∂L/∂W‖) from the first layer to the output: what the vanishing-gradient
    lesson reads (the CLI prints it; the panel ends its walk with it)."""
    out = []
    for nid, node in graph.nodes.items():
        if nid.endswith(".W") and node.op == "param":
            g = graph.grads.get(nid)
            out.append((node.layer, math.sqrt(float(np.vdot(g, g))) if g is not None else 0.0))
    return out
