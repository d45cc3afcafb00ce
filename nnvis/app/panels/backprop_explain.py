"""What the Backprop panel says at each point of the walk: the rule the visited gate uses and
its arithmetic, written out with the graph's own numbers (translated; numbers from the
engine's graph, never recomputed beyond the product the rule itself names)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from nnvis.core.backprop import weight_gradient_norms

from .axes import layer_label
from .backprop_layout import fmt, layer_index, shrink_factor
from .backprop_scene import CURRENT, GRAD, VALUE
from .backprop_walk import norm

_G, _R, _Y = VALUE.name(), GRAD.name(), CURRENT.name()


def _green(text) -> str:
    return f"<span style='color:{_G}'>{text}</span>"


def _red(text) -> str:
    return f"<span style='color:{_R}'>{text}</span>"


def _vec(a, limit: int = 6) -> str:
    a = np.asarray(a, dtype=np.float64).ravel()
    parts = [fmt(v) for v in a[:limit]]
    return "[" + ", ".join(parts) + (", …" if a.size > limit else "") + "]"


class Explainer(QObject):
    """Rich text for the rule line (a QObject only for ``tr``)."""

    def rules(self) -> dict:
        return {
            "add": self.tr("add gate: passes the gradient to both inputs"),
            "bias_add": self.tr("add gate: passes the gradient to both inputs (x·W and b)"),
            "residual": self.tr("add gate (skip connection): passes the gradient to the block "
                                "and, unchanged, around it"),
            "mul": self.tr("multiply gate: swaps the inputs × upstream"),
            "max": self.tr("max gate: routes it to the larger input"),
            "sigmoid": self.tr("sigmoid: σ(x)(1 − σ(x)) × upstream"),
            "activation": self.tr("activation: f′(z) × upstream"),
            "matmul": self.tr("multiply gate for matrices: ∂L/∂x = W · upstream, "
                              "∂L/∂W = x ⊗ upstream"),
            "batchnorm": self.tr("batch norm with running statistics: γ/√(σ² + ε) × upstream"),
            "loss": self.tr("loss: ∂L/∂L = 1, and ∂L/∂logits starts the backward pass"),
            "penalty": self.tr("weight penalty: ∂R/∂W = λ₂·W (L2) + λ₁·sign(W) (L1)"),
        }

    # ------------------------------------------------------------------ the rule line
    def describe(self, walk, kind: str, focus, waiting: bool, selected: str | None) -> str:
        g = walk.graph
        if g is None:
            if waiting:
                return self.tr("Taking the network's current weights…")
            return self.tr("Press <b>Forward</b> to send the chosen sample through the running "
                           "network with its current weights, then <b>Backward step</b> to "
                           "walk the gradient back to the inputs, gate by gate.")
        notes = self._notes(g)
        if selected is not None and selected in g.nodes and (walk.current is None or
                                                             selected != walk.current.node):
            return self._node_text(walk, selected, focus) + notes
        if not walk.forward_shown:
            return self.tr("Press <b>Forward</b> to compute each node's value "
                           "(green, above its wire).") + notes
        if walk.done == 0:
            out = "f" if kind != "network" else "L"
            return self.tr("Forward pass done: each wire carries its value (green). Now "
                           "<b>Backward step</b>: the walk starts at the output with "
                           "∂{0}/∂{0} = 1.").format(out) + notes
        text = self._step_text(walk, focus)
        if walk.finished:
            text += "<br>" + self._summary(walk)
        return text + notes

    def progress(self, walk) -> str:
        if walk.graph is None or not walk.forward_shown:
            return ""
        return self.tr("gate {0} of {1}").format(walk.done, walk.total)

    def sample_info(self, graph, live_step) -> str:
        if graph is None:
            return ""
        meta = graph.meta
        loss = float(graph.nodes[graph.output].value)
        text = self.tr("target {0} · loss {1} · weights of step {2}").format(
            meta.get("target"), fmt(loss), meta.get("step"))
        if live_step is not None and live_step != meta.get("step"):
            text += " " + self.tr("(training is at step {0}: Forward takes the current "
                                  "weights)").format(live_step)
        return text

    def _notes(self, g) -> str:
        notes = g.meta.get("notes", [])
        out = []
        if "bn_running" in notes:
            out.append(self.tr("Batch norm uses its running mean and variance here, as in "
                               "evaluation: a batch of one sample has variance 0, so x̂ would "
                               "be 0 for any input and no gradient would flow through it."))
        if "dropout_off" in notes:
            out.append(self.tr("Dropout is off, as in evaluation; in training a dropped unit "
                               "passes no gradient back."))
        if not out:
            return ""
        return "<br><span style='color:#9aa3b2'>" + " ".join(out) + "</span>"

    # ------------------------------------------------------------------ one gate
    def _name(self, g, nid) -> str:
        node = g.nodes[nid]
        if g.kind != "network":
            return nid
        return f"{layer_label(node.layer)} {node.label}" if node.layer and \
            node.layer != "loss" else node.label

    def _step_text(self, walk, focus) -> str:
        g, step = walk.graph, walk.current
        node = g.nodes[step.node]
        rule = self.rules().get(node.op, "")
        head = f"<b style='color:{_Y}'>{self._name(g, step.node)}</b> — {rule}"
        if g.kind != "network":
            lines = self._scalar_arithmetic(g, step)
        else:
            lines = self._vector_arithmetic(g, step, focus)
        return head + "".join("<br>" + line for line in lines)

    def _scalar_arithmetic(self, g, step) -> list[str]:
        node, up = g.nodes[step.node], float(step.upstream)
        out = "f" if g.kind != "network" else "L"
        lines = []
        for source in node.inputs:
            share = float(step.grads[source])
            d = f"∂{out}/∂{source}"
            if node.op == "mul":
                other = next(i for i in node.inputs if i != source)
                lines.append(self.tr("{0} = {1} (the value of {2}) × {3} = {4}").format(
                    d, _green(fmt(g.nodes[other].value)), other, _red(fmt(up)),
                    _red(fmt(share))))
            elif node.op == "sigmoid":
                f = float(node.value)
                lines.append(self.tr("σ′ = {0} × (1 − {0}) = {1}; {2} = {1} × {3} = {4}")
                             .format(_green(fmt(f)), fmt(f * (1 - f)), d, _red(fmt(up)),
                                     _red(fmt(share))))
            else:
                lines.append(self.tr("{0} = 1 × {1} = {2}").format(d, _red(fmt(up)),
                                                                  _red(fmt(share))))
        return lines

    @staticmethod
    def _hovered(g, node, focus) -> bool:
        """Whether the unit hovered in the Network panel is in this node's layer."""
        idx = layer_index(node.layer, g.meta.get("layers", []))
        return focus is not None and idx == focus[0] and focus[1] < node.value.size

    def _unit(self, g, node, share, focus):
        """The unit to write out: the one hovered in the Network panel if it is in this
        layer, else the one with the largest gradient."""
        if self._hovered(g, node, focus):
            return focus[1]
        return int(np.argmax(np.abs(share))) if share.size else 0

    def _vector_arithmetic(self, g, step, focus) -> list[str]:
        node, up = g.nodes[step.node], step.upstream
        main = node.inputs[0]
        sent = step.grads[main]
        lines = []
        if node.op in ("sigmoid", "activation", "max") and node.info.get("pieces") != 2:
            j = self._unit(g, node, sent, focus)
            factor = node.local[main]
            z = g.nodes[main].value
            if node.op == "max":
                lines.append(self.tr("unit #{0}: z = {1}, so the max gate sends {2} {3}").format(
                    j, _green(fmt(z[j])), _red(fmt(up[j])),
                    self.tr("on to z") if z[j] > 0 else self.tr("nowhere: the 0 input won "
                                                               "(∂L/∂z = 0)")))
            else:
                lines.append(self.tr("unit #{0}: {1} × f′(z) = {2} × {3} = {4}").format(
                    j, "∂L/∂a", _red(fmt(up[j])), fmt(factor[j]), _red(fmt(sent[j]))))
                lines.append(self.tr("(z: what enters this gate, a = f(z): what leaves it; "
                                     "∂L/∂a: the gradient arriving from above)"))
            if not self._hovered(g, node, focus):
                lines.append(self.tr("#{0}: the unit with the largest gradient here; hover a "
                                     "unit in the Network panel to follow that one").format(j))
            k = shrink_factor(up, sent)
            if k is not None:
                how = self.tr("{0}× smaller").format(fmt(k)) if k >= 1 else \
                    self.tr("{0}× larger").format(fmt(1 / k))
                lines.append(self.tr("‖∂L/∂a‖ {0} → ‖∂L/∂z‖ {1} ({2}; f′(z) between {3} "
                                     "and {4})").format(_red(fmt(norm(up))), _red(fmt(norm(sent))),
                                                        how, fmt(factor.min()),
                                                        fmt(factor.max())))
            if node.op == "sigmoid":
                lines.append(self.tr("σ′ ≤ 0.25 everywhere: every sigmoid layer shrinks the "
                                     "gradient at least 4×."))
        elif node.op == "max":   # maxout: each unit's larger piece gets the gradient
            lines.append(self.tr("each unit sends ∂L/∂a to its larger piece; the other piece "
                                 "gets 0 (‖·‖ {0} → {1})").format(_red(fmt(norm(up))),
                                                                _red(fmt(norm(sent)))))
        elif node.op == "matmul":
            x, W = node.inputs
            j = self._unit(g, node, up, focus)
            lines.append(self.tr("∂L/∂x = W · ∂L/∂out: ‖·‖ {0};  ∂L/∂W = x ⊗ ∂L/∂out: "
                                 "‖·‖ {1}").format(_red(fmt(norm(step.grads[x]))),
                                                   _red(fmt(norm(step.grads[W])))))
            lines.append(self.tr("column #{0} of ∂L/∂W = x × {1} = {2}").format(
                j, _red(fmt(up[j])), _red(_vec(step.grads[W][:, j]))))
        elif node.op == "batchnorm":
            j = self._unit(g, node, sent, focus)
            lines.append(self.tr("unit #{0}: γ/√(σ² + ε) = {1}; × {2} = {3}").format(
                j, fmt(node.local[main][j]), _red(fmt(up[j])), _red(fmt(sent[j]))))
        elif node.op == "loss":
            lines.append(self._loss_line(g, node, sent))
        elif node.op == "penalty":
            lines.append(self.tr("adds λ₂·W + λ₁·sign(W) to every weight gradient "
                                 "(L1 λ₁ = {0}, L2 λ₂ = {1})").format(
                node.info.get("l1"), node.info.get("l2")))
        else:   # add gates: bias, skip, total
            lines.append(self.tr("‖upstream‖ {0} goes unchanged to {1}").format(
                _red(fmt(norm(up))), self.tr(" and ").join(
                    self._name(g, i) for i in node.inputs)))
        return lines

    def _loss_line(self, g, node, dlogits) -> str:
        info = node.info
        probs = info.get("probabilities")
        if info.get("loss") == "cross_entropy" and probs is not None:
            return self.tr("softmax p = {0}, target class {1}: ∂L/∂logits = p − one-hot = "
                           "{2}").format(_green(_vec(probs)), info.get("target"),
                                         _red(_vec(dlogits)))
        if info.get("loss") == "binary_cross_entropy":
            return self.tr("σ(z) − y = {0}").format(_red(_vec(dlogits)))
        if info.get("loss") == "mse":
            return self.tr("2(ŷ − y) = {0}").format(_red(_vec(dlogits)))
        return self.tr("+1 for each class whose margin is violated, minus their count for "
                       "the target: {0}").format(_red(_vec(dlogits)))

    # ------------------------------------------------------------------ a chosen node
    def _node_text(self, walk, nid, focus) -> str:
        g = walk.graph
        node = g.nodes[nid]
        grad = walk.node_grad(nid)
        value = fmt(node.value) if node.value.ndim == 0 else f"‖·‖ {fmt(norm(node.value))}"
        text = f"<b>{self._name(g, nid)}</b>: " + self.tr("value {0}").format(_green(value))
        if grad is not None:
            gtext = fmt(grad) if np.ndim(grad) == 0 else f"‖·‖ {fmt(norm(grad))}"
            final = walk.complete(nid)
            text += ", " + (self.tr("gradient {0}") if final else
                            self.tr("gradient so far {0} (more consumers to visit)")).format(
                _red(gtext))
        else:
            text += ", " + self.tr("gradient not reached yet")
        return text

    # ------------------------------------------------------------------ the end
    def _summary(self, walk) -> str:
        g = walk.graph
        if g.kind != "network":
            leaves = [nid for nid, n in g.nodes.items() if not n.inputs]
            return self.tr("Done: {0}").format(self.tr(", ").join(
                f"∂f/∂{nid} = {_red(fmt(g.grads[nid]))}" for nid in leaves))
        norms = weight_gradient_norms(g)
        parts = self.tr(", ").join(f"{layer_label(layer)} {_red(fmt(v))}" for layer, v in norms)
        text = self.tr("Done. ‖∂L/∂W‖ from the first layer to the output: {0}").format(parts)
        # Against the last hidden layer, as the lessons and the Gradient flow panel compare.
        first, last = norms[0][1], norms[-2][1] if len(norms) > 2 else norms[-1][1]
        if len(norms) > 2 and last > 0 and first / last <= 0.1:
            text += "<br>" + self.tr("The first layer's ‖∂L/∂W‖ is {0} of the last hidden "
                                     "layer's: it barely learns (vanishing gradients).").format(
                fmt(first / last))
        return text

    def legend(self, kind: str) -> str:
        """The key to the drawing's notation."""
        text = self.tr("green: a wire's value (forward) · red: its gradient (backward)")
        if kind == "network":
            text += " · " + self.tr("‖·‖: a vector's length, [min, max] its range, #k: unit k")
        return text
