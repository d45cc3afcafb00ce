"""The Backprop panel's small widgets: the graph's view, the input fields, and the pane
that explains the current gate."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QDoubleSpinBox, QFrame, QGraphicsView, QHBoxLayout, QLabel,
                               QScrollArea, QVBoxLayout, QWidget)

LEGEND_STYLE = "color: #9aa3b2;"


class GraphView(QGraphicsView):
    """The scene's view: Ctrl + wheel zooms, a click on a node selects it, a click on the
    background selects nothing (``node_clicked("")``)."""

    node_clicked = Signal(str)

    def __init__(self, scene):
        super().__init__(scene)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.BoundingRectViewportUpdate)
        self._press = None

    def wheelEvent(self, event):
        if event.modifiers() & Qt.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
            event.accept()
        else:
            super().wheelEvent(event)

    def mousePressEvent(self, event):
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        dragged = self._press is not None and (point - self._press).manhattanLength() > 4
        if event.button() == Qt.LeftButton and not dragged:   # a drag scrolls, not selects
            self.node_clicked.emit(self.scene().node_at(self.mapToScene(point)) or "")


def spin(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setMaximumWidth(80)
    box.setRange(-100.0, 100.0)
    box.setDecimals(2)
    box.setSingleStep(0.5)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


def pair(label: QWidget, field: QWidget) -> QWidget:
    """A label and its field, kept together when the row wraps."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(3)
    row.addWidget(label)
    row.addWidget(field)
    return holder


class RulePane(QScrollArea):
    """What the walk says at the current gate, and the key to the drawing's notation. It
    scrolls rather than grows: the graph below keeps its height however long the text."""

    def __init__(self):
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(6, 2, 6, 2)
        column.setSpacing(2)
        self.rule = QLabel()
        self.legend = QLabel()
        for label in (self.rule, self.legend):
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            column.addWidget(label)
        self.legend.setStyleSheet(LEGEND_STYLE)
        column.addStretch(1)
        self.setWidget(holder)
        self.setMinimumHeight(30)
