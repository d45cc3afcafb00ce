"""Where the main window's docks go: the default arrangement, its sizes, and making room
for a panel a lesson brings forward."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Slot
from PySide6.QtWidgets import QDockWidget

from .panels.backprop import BackpropPanel

DOCK_TITLES = {"controls": QT_TRANSLATE_NOOP("MainWindow", "Controls"),
               "lessons": QT_TRANSLATE_NOOP("MainWindow", "Lessons"),
               "topology": QT_TRANSLATE_NOOP("MainWindow", "Network"),
               "loss": QT_TRANSLATE_NOOP("MainWindow", "Loss & accuracy"),
               "gradient_flow": QT_TRANSLATE_NOOP("MainWindow", "Gradient flow"),
               "data": QT_TRANSLATE_NOOP("MainWindow", "Data & prediction"),
               "activation": QT_TRANSLATE_NOOP("MainWindow", "Activation"),
               "histograms": QT_TRANSLATE_NOOP("MainWindow", "Weights & gradients"),
               "backprop": QT_TRANSLATE_NOOP("MainWindow", "Backprop")}


class WindowLayout:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: its docks."""

    def _dock(self, widget, area, name):
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                         QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self):
        self.docks = {}
        d = self.docks
        d["controls"] = self._dock(self.controls, Qt.LeftDockWidgetArea, "controls")
        d["lessons"] = self._dock(self.lessons, Qt.LeftDockWidgetArea, "lessons")
        self.tabifyDockWidget(d["controls"], d["lessons"])
        d["controls"].raise_()
        d["topology"] = self._dock(self.topology, Qt.RightDockWidgetArea, "topology")
        d["loss"] = self._dock(self.loss_panel, Qt.RightDockWidgetArea, "loss")
        self.splitDockWidget(d["topology"], d["loss"], Qt.Horizontal)
        d["gradient_flow"] = self._dock(self.gradient_flow, Qt.RightDockWidgetArea,
                                        "gradient_flow")
        self.splitDockWidget(d["loss"], d["gradient_flow"], Qt.Vertical)
        d["data"] = self._dock(self.data_view, Qt.RightDockWidgetArea, "data")
        self.splitDockWidget(d["topology"], d["data"], Qt.Vertical)
        d["activation"] = self._dock(self.activation_panel, Qt.RightDockWidgetArea, "activation")
        self.splitDockWidget(d["data"], d["activation"], Qt.Horizontal)
        d["histograms"] = self._dock(self.histograms, Qt.RightDockWidgetArea, "histograms")
        self.tabifyDockWidget(d["gradient_flow"], d["histograms"])
        d["gradient_flow"].raise_()
        # Beside the data (to click a sample) and under the network (to hover a unit).
        d["backprop"] = self._dock(self.backprop, Qt.RightDockWidgetArea, "backprop")
        self.tabifyDockWidget(d["activation"], d["backprop"])
        d["activation"].raise_()
        self._default_state = None

    def _apply_default_sizes(self):
        """Dock sizes only take once the window has its real size, so this runs after show."""
        d = self.docks
        w, h = max(self.width(), 1000), max(self.height(), 700)
        left = min(340, max(300, int(w * 0.22)))
        right = int((w - left) * 0.34)
        self.resizeDocks([d["controls"], d["topology"], d["loss"]],
                         [left, w - left - right, right], Qt.Horizontal)
        self.resizeDocks([d["topology"], d["data"]], [int(h * 0.52), int(h * 0.48)], Qt.Vertical)
        self.resizeDocks([d["data"], d["activation"]], [int((w - left - right) * 0.47),
                                                        int((w - left - right) * 0.53)],
                         Qt.Horizontal)
        self.resizeDocks([d["loss"], d["gradient_flow"]], [int(h * 0.5), int(h * 0.5)],
                         Qt.Vertical)
        if self._default_state is None:
            self._default_state = self.saveState()

    @property
    def layout_restored(self) -> bool:
        return self._layout_restored

    def showEvent(self, event):
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._layout_restored:
                QTimer.singleShot(0, self._apply_default_sizes)

    def reset_layout(self):
        if self._default_state is not None:
            self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
        self._apply_default_sizes()

    @Slot(str)
    def show_view(self, view: str):
        """A lesson's view button: "backprop:<graph>" shows that graph in the Backprop dock."""
        panel, _, what = view.partition(":")
        dock = self.docks.get(panel)
        if dock is not None:
            dock.show()
            dock.raise_()
        if panel == "backprop" and what in BackpropPanel.KINDS:
            self.backprop.show_graph(what)
            self._make_room_for_backprop()

    def _make_room_for_backprop(self):
        """The graph needs height and width; the Network above it (to hover a unit) and the
        Data beside it (to click a sample) can give some."""
        d = self.docks
        h = max(self.height(), 700)
        self.resizeDocks([d["topology"], d["data"]], [int(h * 0.3), int(h * 0.7)],
                         Qt.Vertical)
        mid = d["data"].width() + d["backprop"].width()   # backprop: the tab on show
        self.resizeDocks([d["data"], d["backprop"]], [int(mid * 0.36), int(mid * 0.64)],
                         Qt.Horizontal)
