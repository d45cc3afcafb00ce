"""The unit-by-unit numbers of one node of the network graph: its value, the gradient that
reached it and, for a visited gate, the local factor and what it sent on."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from .backprop_layout import fmt, layer_index
from .backprop_scene import CURRENT, GRAD, VALUE

MAX_ROWS = 64   # a wider layer lists its first units and the focused one


def _per_unit(a) -> np.ndarray:
    """One number per unit: a weight matrix (fan_in, fan_out) gives its column norms."""
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    return np.sqrt((a ** 2).sum(axis=0)) if a.ndim == 2 else a


class UnitTable(QTableWidget):
    COLUMNS = 5

    def __init__(self, parent=None):
        super().__init__(0, self.COLUMNS, parent)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.setMinimumHeight(0)   # a short dock gives the graph the height
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self._node = None

    def retranslate(self):
        self.setHorizontalHeaderLabels([self.tr("unit"), self.tr("value"),
                                        self.tr("∂L/∂value"), self.tr("local gradient"),
                                        self.tr("sent to the input")])
        self.setToolTip(self.tr("The selected node unit by unit (click a node in the graph "
                                "to choose it)"))

    def show_node(self, walk, nid, focus):
        """List node ``nid``'s units (nothing if there is no such node)."""
        g = walk.graph
        if g is None or nid is None or nid not in g.nodes or not walk.forward_shown:
            self.setRowCount(0)
            return
        node = g.nodes[nid]
        value = _per_unit(node.value)
        grad = walk.node_grad(nid)
        step = next((s for s in g.steps[:walk.done] if s.node == nid), None)
        local = sent = None
        if step is not None and node.inputs:
            main = node.inputs[0]
            sent = _per_unit(step.grads[main])
            loc = node.local.get(main)
            if loc is not None and np.ndim(loc) == 1 and np.size(loc) == sent.size:
                local = loc
        if grad is not None:
            grad = _per_unit(grad)
        n = max(value.size, 0 if sent is None else sent.size)
        rows = list(range(min(n, MAX_ROWS)))
        idx = layer_index(node.layer, g.meta.get("layers", []))
        unit = focus[1] if focus is not None and idx == focus[0] else None
        if unit is not None and unit < n and unit not in rows:
            rows.append(unit)
        self.setRowCount(len(rows))
        for r, i in enumerate(rows):
            cells = [(str(i), None),
                     (fmt(value[i]) if i < value.size else "", VALUE),
                     (fmt(grad[i]) if grad is not None and i < grad.size else "", GRAD),
                     (fmt(local[i]) if local is not None and i < local.size else "", None),
                     (fmt(sent[i]) if sent is not None and i < sent.size else "", GRAD)]
            for c, (text, color) in enumerate(cells):
                item = self.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    self.setItem(r, c, item)
                item.setText(text)
                item.setForeground(QBrush(color) if color is not None else QBrush())
                item.setBackground(QBrush(QColor(CURRENT.red(), CURRENT.green(),
                                                 CURRENT.blue(), 50)) if i == unit
                                   else QBrush())
        self._node = nid
