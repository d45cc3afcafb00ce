"""The drawing of a computation graph: nodes, wires, forward values (green, above a wire)
and gradients (red, below it), items made once per graph and updated as the walk goes."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import (QGraphicsPathItem, QGraphicsRectItem, QGraphicsScene,
                               QGraphicsSimpleTextItem)

from .. import theme
from .axes import layer_label
from .backprop_layout import layer_index, layout, vector_lines

VALUE = QColor(*theme.ACCENT)           # forward values: green
GRAD = QColor(255, 110, 110)            # gradients: red
SLOPED_AT = 0.4                         # where along a sloped wire its numbers go
CURRENT = QColor(245, 197, 66)          # the gate being visited
SELECTED = QColor(110, 200, 255)        # the node clicked (its units are in the table)
NODE_FILL = QColor("#262b33")
NODE_EDGE = QColor("#8a93a6")
PARAM_EDGE = QColor(*theme.POSITIVE)
DONE_EDGE = QColor("#c9cfd9")
WIRE = QColor("#7b8496")
BAND = QColor(255, 255, 255, 14)
TEXT = QColor(theme.FOREGROUND)


def _text(parent_scene, font, color, z=3) -> QGraphicsSimpleTextItem:
    item = QGraphicsSimpleTextItem()
    item.setFont(font)
    item.setBrush(QBrush(color))
    item.setZValue(z)
    parent_scene.addItem(item)
    return item


class GraphScene(QGraphicsScene):
    """One graph's items. ``wire_items[(source, gate)] = (path, value text, grad text)``."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setBackgroundBrush(QBrush(QColor(theme.BACKGROUND)))
        self.font = QFont()
        self.font.setPointSizeF(9.5)
        self.node_font = QFont(self.font)
        self.node_font.setBold(True)
        self.node_font.setPointSizeF(10.5)
        self._graph = None
        self.node_items: dict = {}
        self.wire_items: dict = {}
        self.output_item = None     # (value text, grad text) of the output's stub wire
        self.pos: dict = {}
        self._current = None

    # ------------------------------------------------------------------ building
    @property
    def graph(self):
        """The graph drawn (None: none)."""
        return self._graph

    def empty(self):
        """Draw nothing and forget the graph."""
        self.clear()
        self._graph = None

    def build(self, graph):
        """Replace the drawing with ``graph``'s nodes and wires (values hidden until the
        forward pass is shown)."""
        self.clear()
        self._graph = graph
        self.node_items, self.wire_items = {}, {}
        self._current = None
        network = graph.kind == "network"
        # The notes' rows are far enough apart that the labels of two wires meeting at one
        # gate (x and y into +) do not run into each other: see _place.
        self.col_w, self.row_h = (185.0, 140.0) if network else (150.0, 90.0)
        # The notes' graphs are small and shown whole, scaled down: larger type reads on a
        # projector; the network's is shown at a readable scale and scrolls.
        self.font.setPointSizeF(9.5 if network else 12.0)
        self.node_font.setPointSizeF(10.5 if network else 13.0)
        self.pos = {nid: QPointF(c * self.col_w, r * self.row_h)
                    for nid, (c, r) in layout(graph).items()}
        if network:
            self._layer_bands()
        for nid, node in graph.nodes.items():
            self.node_items[nid] = self._node(nid, node)
        for nid, node in graph.nodes.items():
            for source in node.inputs:
                self.wire_items[(source, nid)] = self._wire(source, nid)
        out = self.pos[graph.output]
        stub = QPainterPath(self._anchor(graph.output, "right"))
        stub.lineTo(out + QPointF(self._half(graph.output).x() + 70, 0))
        self.addPath(stub, QPen(WIRE, 1.6))
        self.output_item = (_text(self, self.font, VALUE), _text(self, self.font, GRAD))
        self.setSceneRect(self.itemsBoundingRect().adjusted(-30, -30, 30, 30))

    def _layer_bands(self):
        """A faint band behind each layer's operations, named at its top."""
        spans = {}
        for nid, node in self._graph.nodes.items():
            if node.layer and node.op not in ("param",) and nid in self.pos:
                x = self.pos[nid].x()
                lo, hi = spans.get(node.layer, (x, x))
                spans[node.layer] = (min(lo, x), max(hi, x))
        rows = max(p.y() for p in self.pos.values()) / self.row_h
        for name, (lo, hi) in spans.items():
            rect = QRectF(lo - self.col_w * 0.42, -self.row_h * 0.62,
                          hi - lo + self.col_w * 0.84, self.row_h * (rows + 0.95))
            band = QGraphicsRectItem(rect)
            band.setBrush(QBrush(BAND))
            band.setPen(QPen(Qt.NoPen))
            band.setZValue(-5)
            self.addItem(band)
            label = _text(self, self.font, QColor("#9aa3b2"), z=-4)
            label.setText(self.tr("loss") if name == "loss" else layer_label(name))
            label.setPos(rect.left() + 6, rect.top() + 3)

    def _half(self, nid) -> QPointF:
        """Half width and height of a node's box."""
        node = self._graph.nodes[nid]
        w = QFontMetricsF(self.node_font).horizontalAdvance(node.label) + 22
        if not node.inputs:
            return QPointF(max(w, 44) / 2, 15)
        return QPointF(max(w, 46) / 2, 22)

    def _node(self, nid, node):
        half = self._half(nid)
        rect = QRectF(-half.x(), -half.y(), 2 * half.x(), 2 * half.y())
        path = QPainterPath()
        radius = half.y() if node.inputs else 6
        path.addRoundedRect(rect, radius, radius)
        item = QGraphicsPathItem(path)
        item.setPos(self.pos[nid])
        item.setBrush(QBrush(NODE_FILL))
        item.setPen(QPen(PARAM_EDGE if node.op == "param" else NODE_EDGE, 1.6))
        item.setZValue(2)
        item.setData(0, nid)
        self.addItem(item)
        label = QGraphicsSimpleTextItem(node.label, item)
        label.setFont(self.node_font)
        label.setBrush(QBrush(TEXT))
        br = label.boundingRect()
        label.setPos(-br.width() / 2, -br.height() / 2)
        if self._graph.kind != "network" and node.inputs:
            # The notes name the intermediate values (q, and the neuron's parts): so does the
            # rule line, so the gate says which it is.
            name = QGraphicsSimpleTextItem(nid, item)
            name.setFont(self.font)
            name.setBrush(QBrush(QColor("#9aa3b2")))
            nb = name.boundingRect()
            name.setPos(-nb.width() / 2, half.y() + 2)
        return item

    def _anchor(self, nid, side) -> QPointF:
        p, h = self.pos[nid], self._half(nid)
        return {"right": p + QPointF(h.x(), 0), "left": p - QPointF(h.x(), 0),
                "top": p - QPointF(0, h.y()), "bottom": p + QPointF(0, h.y())}[side]

    def _wire(self, source, gate):
        a, b = self.pos[source], self.pos[gate]
        path = QPainterPath()
        if abs(a.x() - b.x()) < 1 and a.y() > b.y():          # a parameter below its gate
            start, end = self._anchor(source, "top"), self._anchor(gate, "bottom")
            path.moveTo(start)
            path.lineTo(end)
            kind = "up"
        elif abs(a.y() - b.y()) < 1 and b.x() - a.x() > self.col_w * 1.5:   # a skip over
            start, end = self._anchor(source, "top"), self._anchor(gate, "top")
            lift = self.row_h * 0.5
            path.moveTo(start)
            path.cubicTo(start - QPointF(0, lift), end - QPointF(0, lift), end)
            kind = "arc"
        elif a.y() > b.y() + 1 and a.x() >= b.x():              # the penalty, back and up
            start, end = self._anchor(source, "top"), self._anchor(gate, "bottom")
            path.moveTo(start)
            path.lineTo(end)
            kind = "up"
        else:
            start, end = self._anchor(source, "right"), self._anchor(gate, "left")
            path.moveTo(start)
            path.lineTo(end)
            kind = "line"
        item = QGraphicsPathItem(path)
        item.setPen(QPen(WIRE, 1.6))
        item.setZValue(1)
        self.addItem(item)
        value, grad = _text(self, self.font, VALUE), _text(self, self.font, GRAD)
        return item, value, grad, kind, (start, end)

    # ------------------------------------------------------------------ updating
    def focus_for(self, source, focus):
        """The unit to single out on wires leaving ``source`` (focus: (layer index, unit))."""
        if focus is None:
            return None
        node = self._graph.nodes[source]
        names = self._graph.meta.get("layers", [])
        idx = layer_index(node.layer, names)
        return focus[1] if idx is not None and idx == focus[0] and node.op != "param" else None

    def update_walk(self, walk, focus=None, selected: str | None = None):
        """Write what the walk has revealed: every value once forward is shown, each wire's
        gradient once its gate was visited; mark the gate being visited."""
        graph = self._graph
        current = walk.current.node if walk.current is not None else None
        for (source, gate), (path, value, grad, kind, ends) in self.wire_items.items():
            unit = self.focus_for(source, focus)
            value_lines = vector_lines(graph.nodes[source].value, unit) if walk.forward_shown \
                else []
            share = walk.share(source, gate)
            grad_lines = vector_lines(share, unit)[:1] if share is not None and \
                np.ndim(share) == 2 else (vector_lines(share, unit) if share is not None else [])
            self._place(value, grad, value_lines, grad_lines, kind, ends)
            on_current = gate == current
            color = CURRENT if on_current else (GRAD.darker(140) if share is not None else WIRE)
            path.setPen(QPen(color, 3.0 if on_current else 1.6))
        out = graph.nodes[graph.output]
        up = walk.node_grad(graph.output)
        end = self._anchor(graph.output, "right")
        self._place(*self.output_item,
                    vector_lines(out.value) if walk.forward_shown else [],
                    vector_lines(up) if up is not None else [], "line",
                    (end, end + QPointF(70, 0)))
        for nid, item in self.node_items.items():
            node = graph.nodes[nid]
            if nid == selected:
                pen = QPen(SELECTED, 3.2, Qt.DashLine)
            elif nid == current:
                pen = QPen(CURRENT, 3.2)
            elif node.inputs and walk.visited(nid):
                pen = QPen(DONE_EDGE, 2.0)
            else:
                pen = QPen(PARAM_EDGE if node.op == "param" else NODE_EDGE, 1.6)
            item.setPen(pen)
        self._current = current

    def _place(self, value, grad, value_lines, grad_lines, kind, ends):
        value.setText("\n".join(value_lines))
        grad.setText("\n".join(grad_lines))
        start, end = ends
        mid = (start + end) / 2
        vb, gb = value.boundingRect(), grad.boundingRect()
        if kind == "up":
            # Beside a parameter's vertical wire, the value above the gradient, low enough
            # to clear the gradient written under the chain's wire above it.
            top = end.y() + 30
            value.setPos(end.x() + 6, top)
            grad.setPos(end.x() + 6, top + vb.height() + 1)
        elif kind == "arc":
            top = min(start.y(), end.y()) - self.row_h * 0.375
            value.setPos(mid.x() - vb.width() / 2, top - vb.height() - 1)
            grad.setPos(mid.x() - gb.width() / 2, top + 2)
        else:
            # A sloped wire meets another at its gate: written where the two are still far
            # apart (nearer the source), not at the middle, where one wire's gradient runs
            # into the other's value.
            at = mid if abs(end.y() - start.y()) < 1 else start + (end - start) * SLOPED_AT
            value.setPos(at.x() - vb.width() / 2, at.y() - vb.height() - 2)
            grad.setPos(at.x() - gb.width() / 2, at.y() + 2)

    def node_at(self, scene_pos) -> str | None:
        for item in self.items(scene_pos):
            nid = item.data(0)
            if nid is None and item.parentItem() is not None:
                nid = item.parentItem().data(0)
            if nid is not None:
                return nid
        return None

    def wire_texts(self, source, gate) -> tuple[str, str]:
        _, value, grad, _, _ = self.wire_items[(source, gate)]
        return value.text(), grad.text()

    def output_texts(self) -> tuple[str, str]:
        return self.output_item[0].text(), self.output_item[1].text()

    def node_rect(self, nid) -> QRectF:
        return self.node_items[nid].sceneBoundingRect()
