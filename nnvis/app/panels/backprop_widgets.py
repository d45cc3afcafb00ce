"""The Backprop panel's small widgets: the graph's view, the input fields, and the pane
that explains the current gate."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFrame, QGraphicsView, QHBoxLayout,
                               QLabel, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

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
        self._rule = QLabel()
        self.legend = QLabel()
        for label in (self._rule, self.legend):
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            label.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            column.addWidget(label)
        self.legend.setStyleSheet(LEGEND_STYLE)
        column.addStretch(1)
        self.setWidget(holder)
        self.setMinimumHeight(30)

    @property
    def rule(self) -> QLabel:
        """The line the walk writes its rule into."""
        return self._rule


class SamplePicker(QWidget):
    """Which sample goes through the network: its index, its set (train or test), and a
    line about the graph taken for it. ``edited`` fires on the user's own change."""

    edited = Signal()

    def __init__(self):
        super().__init__()
        self.label = QLabel()
        self._spin = QSpinBox()
        self._spin.setRange(0, 0)
        self._spin.setKeyboardTracking(False)
        self._split_box = QComboBox()
        self._split_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)   # 训练集 in full
        for split in ("train", "test"):   # the labels come from retranslate()
            self._split_box.addItem("", split)
        self._info = QLabel()
        self._info.setWordWrap(True)
        self._sizes: dict = {}             # split -> number of samples, from snapshots
        self._spin.valueChanged.connect(self._on_edited)
        self._split_box.currentIndexChanged.connect(self._on_edited)
        row = pair(self.label, self._spin)
        row.layout().addWidget(self._split_box)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 0, 4, 0)
        column.setSpacing(2)
        column.addWidget(row, 0, Qt.AlignLeft)
        column.addWidget(self._info)

    # The picker's own widgets, read-only: the panel shows the spin box and the set to
    # the tests and the watching mode, and writes the graph's line into ``info``.
    @property
    def spin(self) -> QSpinBox:
        return self._spin

    @property
    def split_box(self) -> QComboBox:
        return self._split_box

    @property
    def info(self) -> QLabel:
        return self._info

    def retranslate(self):
        self.label.setText(self.tr("Sample"))
        self._spin.setToolTip(self.tr(
            "Which training sample to send through the network (or click a point in the "
            "Data panel)"))
        self._split_box.setItemText(0, self.tr("train"))
        self._split_box.setItemText(1, self.tr("test"))

    @property
    def split(self) -> str:
        return self._split_box.currentData()

    @property
    def index(self) -> int:
        return self._spin.value()

    def set_sizes(self, n_train, n_test):
        """How many samples each set has (the snapshot says): the spin box's range."""
        self._sizes = {"train": n_train, "test": n_test}
        self._fit_range()

    def pick(self, split: str, index: int):
        """Show a sample chosen elsewhere, without firing ``edited``."""
        for w in (self._split_box, self._spin):
            w.blockSignals(True)
        self._split_box.setCurrentIndex(0 if split == "train" else 1)
        self._fit_range()
        self._spin.setValue(index)
        for w in (self._split_box, self._spin):
            w.blockSignals(False)

    def _fit_range(self):
        n = self._sizes.get(self.split)
        if isinstance(n, int) and n > 0 and self._spin.maximum() != n - 1:
            self._spin.setMaximum(n - 1)

    def _on_edited(self):
        self._fit_range()
        self.edited.emit()
