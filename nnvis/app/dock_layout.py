"""Where the main window's docks go: the default arrangement, its sizes, and making room
for a panel a lesson brings forward."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QDockWidget, QMainWindow

from . import ui_labels
from .panels.backprop import BackpropPanel

# The titles are the lessons' names for the panels: one source for both (ui_labels).
DOCK_TITLES = {panel_id: ui_labels.source(f"panel.{panel_id}")
               for panel_id in ("controls", "lessons", "topology", "loss", "gradient_flow",
                                "data", "activation", "histograms", "backprop")}


class DockLayout(QObject):
    """The main window's docks: one per panel, where they go by default and at a lesson's
    request. ``panels`` maps each dock's name to its widget."""

    def __init__(self, window: QMainWindow, panels: dict, backprop: BackpropPanel):
        super().__init__(window)
        self._window = window
        self._backprop = backprop
        self._shown_once = False
        self._restored = False
        self._default_state = None
        self._docks: dict[str, QDockWidget] = {}
        d = self._docks
        for name, area in (("controls", Qt.LeftDockWidgetArea),
                           ("lessons", Qt.LeftDockWidgetArea)):
            d[name] = self._dock(panels[name], area, name)
        window.tabifyDockWidget(d["controls"], d["lessons"])
        d["controls"].raise_()
        right = Qt.RightDockWidgetArea
        d["topology"] = self._dock(panels["topology"], right, "topology")
        d["loss"] = self._dock(panels["loss"], right, "loss")
        window.splitDockWidget(d["topology"], d["loss"], Qt.Horizontal)
        d["gradient_flow"] = self._dock(panels["gradient_flow"], right, "gradient_flow")
        window.splitDockWidget(d["loss"], d["gradient_flow"], Qt.Vertical)
        d["data"] = self._dock(panels["data"], right, "data")
        window.splitDockWidget(d["topology"], d["data"], Qt.Vertical)
        d["activation"] = self._dock(panels["activation"], right, "activation")
        window.splitDockWidget(d["data"], d["activation"], Qt.Horizontal)
        d["histograms"] = self._dock(panels["histograms"], right, "histograms")
        window.tabifyDockWidget(d["gradient_flow"], d["histograms"])
        d["gradient_flow"].raise_()
        # Beside the data (to click a sample) and under the network (to hover a unit).
        d["backprop"] = self._dock(panels["backprop"], right, "backprop")
        window.tabifyDockWidget(d["activation"], d["backprop"])
        d["activation"].raise_()

    def _dock(self, widget, area, name):
        dock = QDockWidget(self._window)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                         QDockWidget.DockWidgetClosable)
        self._window.addDockWidget(area, dock)
        return dock

    @property
    def docks(self) -> dict[str, QDockWidget]:
        """Each dock by name ("controls", "lessons", "topology", "loss", …)."""
        return self._docks

    def bring_forward(self, name: str):
        """Show a dock and raise it above the others of its tab group."""
        dock = self._docks.get(name)
        if dock is not None:
            dock.show()
            dock.raise_()

    def retranslate(self):
        for name, dock in self._docks.items():
            # "&" would be a mnemonic
            dock.setWindowTitle(self.tr(DOCK_TITLES[name]).replace("&", "&&"))

    def _apply_default_sizes(self):
        """Dock sizes only take once the window has its real size, so this runs after show."""
        d, win = self._docks, self._window
        h = max(win.height(), 700)
        w, left, right = self._fit_columns()
        win.resizeDocks([d["topology"], d["data"]], [int(h * 0.52), int(h * 0.48)], Qt.Vertical)
        win.resizeDocks([d["data"], d["activation"]], [int((w - left - right) * 0.47),
                                                       int((w - left - right) * 0.53)],
                        Qt.Horizontal)
        win.resizeDocks([d["loss"], d["gradient_flow"]], [int(h * 0.5), int(h * 0.5)],
                        Qt.Vertical)
        if self._default_state is None:
            self._default_state = win.saveState()

    def _fit_columns(self) -> tuple[int, int, int]:
        """The three columns at their default widths — Controls, the network, the curves;
        returns (window, left, right) widths."""
        d, win = self._docks, self._window
        w = max(win.width(), 1000)
        left = min(340, max(300, int(w * 0.22)))
        right = int((w - left) * 0.34)
        win.resizeDocks([d["controls"], d["topology"], d["loss"]],
                        [left, w - left - right, right], Qt.Horizontal)
        return w, left, right

    def fit_watching(self):
        """Watching hides the Data dock (a PyTorch run sends no input plane) and empties
        Controls down to a note: Controls keeps its column's width and the network and
        activation panels take the rest, instead of Controls spreading over the space."""
        QTimer.singleShot(0, self._fit_columns)   # once the hidden dock has left the layout

    def set_restored(self, restored: bool):
        """The user's own layout was restored: the default sizes are not applied on show."""
        self._restored = restored

    @property
    def restored(self) -> bool:
        return self._restored

    def on_shown(self):
        if not self._shown_once:
            self._shown_once = True
            if not self._restored:
                QTimer.singleShot(0, self._apply_default_sizes)

    @Slot()
    def reset(self):
        if self._default_state is not None:
            self._window.restoreState(self._default_state)
        for dock in self._docks.values():
            dock.show()
        self._apply_default_sizes()

    @Slot(str)
    def show_view(self, view: str):
        """A lesson's view button: "backprop:<graph>" shows that graph in the Backprop dock."""
        panel, _, what = view.partition(":")
        self.bring_forward(panel)
        if panel == "backprop" and what in BackpropPanel.KINDS:
            self._backprop.show_graph(what)
            self.make_room_for_backprop()

    def make_room_for_backprop(self):
        """The graph needs height and width; the Network above it (to hover a unit) and the
        Data beside it (to click a sample) can give some."""
        d, win = self._docks, self._window
        h = max(win.height(), 700)
        win.resizeDocks([d["topology"], d["data"]], [int(h * 0.3), int(h * 0.7)],
                        Qt.Vertical)
        mid = d["data"].width() + d["backprop"].width()   # backprop: the tab on show
        win.resizeDocks([d["data"], d["backprop"]], [int(mid * 0.36), int(mid * 0.64)],
                        Qt.Horizontal)
