"""Data & prediction: the data set and what the network currently predicts on it.

* 2-D classification: decision regions (class colour, dimmer where the network is unsure)
  under the train (filled) and test (ring) points.
* 2-D regression: the predicted value as a heat map with a colour bar; points coloured by
  their target on the same scale.
* 1-D regression: the points, the fit as a thick line and — with one hidden layer — each
  hidden unit's scaled activation as a faint curve (their sum + bias = the fit).
* Neuron probe: a clicked hidden neuron's output over the input plane (the main window
  sends the probe; this panel only shows it, with a "× back to prediction" button).
* More than two input features: a message instead of a misleading 2-D view.

Grids arrive at ~7 Hz and ``points`` only after a reset; both are captured in
:meth:`set_snapshot`, so a later snapshot without them (or a skipped frame) never loses them.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QStackedWidget

from nnvis.app import theme
from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import CheapGrid, layer_label
from nnvis.app.panels.base import Panel, RangeKeeper, toolbar_row

from .data_colors import BG, CLASS_RGB, NEURON_CMAP, VALUE_CMAP  # noqa: F401  (tests import BG)
from .data_plane import MODE_TITLES, DataPlaneMixin
from .data_points import DataPointsMixin

UNITS_TEXT = QT_TRANSLATE_NOOP("DataViewPanel",
                               "each unit's scaled, shifted activation; their sum + bias = the fit")
OUTLINE = (15, 16, 20)


class DataViewPanel(DataPlaneMixin, DataPointsMixin, Panel):
    panel_id = "data"
    refresh_every, refresh_phase = 3, 1  # 10 Hz, with the activation panel (both cheap)
    title = "Data & prediction"
    #: Emitted by "× back to prediction"; the main window may send ("probe", None) on it.
    probe_closed = Signal()
    #: A click on a data point: ("train" | "test", index) — the Backprop panel follows it.
    sample_clicked = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.mode: str | None = None      # "class2d", "reg2d", "reg1d" or "none"
        self.showing_neuron: tuple | None = None
        self._dismissed: tuple | None = None
        self.points: dict | None = None
        self._points_dirty = False
        self._grid_snap: dict | None = None
        self._grid_dirty = False
        self._bounds = None
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        self._value_levels = (0.0, 1.0)
        self._point_levels = None
        self._title = ""
        self._has_units = False
        self._recolour = False
        self._brush_lut = None
        self._text_key = None

        # Header: what is shown, and the view toggles.
        self.mode_label = QLabel("")
        self.mode_label.setWordWrap(True)
        self.units_check = QCheckBox()
        self.units_check.setChecked(True)
        self.units_check.toggled.connect(self._on_units_toggled)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self._on_back)
        header = toolbar_row((self.mode_label, 1), self.units_check, self.back_button)
        self.units_check.hide()
        self.back_button.hide()

        # Plot page.
        self.view = pg.GraphicsLayoutWidget()
        # The 50×50 decision grid is scaled up smoothly: nearest-neighbour blocks read as
        # a staircase boundary that the network does not have.
        self.view.setRenderHint(QPainter.SmoothPixmapTransform, True)
        self.view.ci.setContentsMargins(2, 2, 2, 2)
        self.plot = self.view.addPlot(row=0, col=0)
        theme.style_plot(self.plot, "", "x1", "x2")
        self.plot.enableAutoRange(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.showGrid(x=False, y=False)
        self.grid = None  # CheapGrid, only in 1-D mode (images need none)

        self.decision_image = pg.ImageItem(axisOrder="row-major")
        self.value_image = pg.ImageItem(axisOrder="row-major")
        self.value_image.setColorMap(VALUE_CMAP)
        self.neuron_image = pg.ImageItem(axisOrder="row-major")
        self.neuron_image.setColorMap(NEURON_CMAP)
        for img in (self.decision_image, self.value_image, self.neuron_image):
            img.setZValue(-20)
            img.hide()
            self.plot.addItem(img)
        self.unit_curves = pg.PlotCurveItem(pen=pg.mkPen(200, 205, 215, 90, width=1))
        self.fit_curve = pg.PlotCurveItem(pen=pg.mkPen(theme.ACCENT, width=3.5))
        self.train_scatter = pg.ScatterPlotItem(size=7, symbol="o", pen=pg.mkPen(OUTLINE, width=1))
        self.test_scatter = pg.ScatterPlotItem(size=8, symbol="o", brush=pg.mkBrush(0, 0, 0, 0))
        for item in (self.unit_curves, self.fit_curve, self.train_scatter, self.test_scatter):
            item.hide()
            self.plot.addItem(item)
        self.fit_curve.setZValue(5)
        self.train_scatter.setZValue(10)
        self.test_scatter.setZValue(11)
        # The sample the Backprop panel follows: a yellow ring.
        self.picked_ring = pg.ScatterPlotItem(size=17, symbol="o", brush=pg.mkBrush(0, 0, 0, 0),
                                              pen=pg.mkPen(245, 197, 66, width=2.5))
        self.picked_ring.setZValue(12)
        self.plot.addItem(self.picked_ring)
        self.picked: tuple | None = None
        self.view.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self.colorbar = pg.ColorBarItem(values=(0, 1), colorMap=VALUE_CMAP, width=12,
                                        interactive=False, rounding=1e-9, colorMapMenu=False)
        self._colorbar_in_layout = False

        # Message page (more than two input features).
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("font-size: 15px; padding: 24px;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)

        self.legend = QLabel("")
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(6, 0, 6, 2)
        for label in (self.mode_label, self.legend, self.message):
            label.setTextFormat(Qt.RichText)

        self.stack_vertically(header, (self.stack, 1), self.legend)
        self.retranslate()

    # ------------------------------------------------------------------ data in
    def set_snapshot(self, snapshot: dict):
        """Keep the newest snapshot; also keep the last points and the last grid, which
        only some snapshots carry (a skipped frame must not lose them)."""
        pts = snapshot.get("points")
        if pts is not None:
            self.points = pts
            self._points_dirty = True
        if "grid_bounds" in snapshot or "fit_x" in snapshot:
            self._grid_snap = snapshot
            self._grid_dirty = True
        super().set_snapshot(snapshot)

    def reset(self):
        # Points are kept: the first snapshot after a rebuild brings the new ones, and the
        # main window may reset panels just after that snapshot arrived.
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        self._dismissed = None
        self._points_dirty = self._grid_dirty = True
        self._dirty = True

    # ------------------------------------------------------------------ user actions
    def _on_back(self):
        if self.showing_neuron is not None:
            self._dismissed = self.showing_neuron
        self.probe_closed.emit()
        self._grid_dirty = True
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _on_units_toggled(self, on: bool):
        self.unit_curves.setVisible(on and self.mode == "reg1d" and self._has_units)

    # ------------------------------------------------------------------ drawing
    @staticmethod
    def mode_for(snap: dict) -> str:
        nf = snap.get("n_features", 0)
        task = snap.get("task")
        if nf == 2:
            return "class2d" if task == "classification" else "reg2d"
        if nf == 1 and task == "regression":
            return "reg1d"
        return "none"

    def _draw(self, snap: dict):
        mode = self.mode_for(snap)
        if mode != self.mode:
            self._set_mode(mode, snap)
        text_key = (mode, snap.get("dataset"), snap.get("n_classes"), snap.get("n_features"))
        if text_key != self._text_key:
            self._text_key = text_key
            self._update_mode_text(snap)
        if mode == "none":
            self._update_message(snap)
            return
        standardised = bool((snap.get("config") or {}).get("data", {}).get("normalize", True))
        self._set_axis_labels(mode, standardised)
        if self._grid_dirty and self._grid_snap is not None and \
                self.mode_for(self._grid_snap) == mode:
            self._grid_dirty = False
            self._update_grid(mode, self._grid_snap)
        if self._points_dirty and self.points is not None:
            self._points_dirty = False
            self._update_points(mode, snap)
            if self.picked is not None:
                self.mark_sample(*self.picked)   # new points (a rebuild) move the ring
        elif self._recolour:
            self._recolour_points()

    def _set_axis_labels(self, mode, standardised: bool):
        key = (mode, standardised)
        if getattr(self, "_axis_key", None) == key:
            return
        self._axis_key = key

        def axis(name):
            return self.tr("{0} (standardised)").format(name) if standardised else name

        if mode == "reg1d":
            self.plot.setLabel("bottom", axis("x"))
            self.plot.setLabel("left", self.tr("y (target)"))
        else:
            self.plot.setLabel("bottom", axis("x1"))
            self.plot.setLabel("left", axis("x2"))

    def _set_title(self, text: str):
        if text != self._title:
            self._title = text
            self.plot.setTitle(text, size="10pt")

    def retranslate(self):
        self.units_check.setText(self.tr("hidden units"))
        self.units_check.setToolTip(self.tr("Show each hidden unit's scaled activation w·h(x): "
                                            "{0}").format(self.tr(UNITS_TEXT)))
        self.back_button.setText(self.tr("× back to prediction"))
        self.back_button.setToolTip(self.tr("Stop showing the clicked neuron; show the "
                                            "network's prediction"))
        self._axis_key = self._text_key = None    # composed anew by the next draw
        if self.mode is not None and self.showing_neuron is None:
            self._set_title(self.tr(MODE_TITLES[self.mode]))
        self._grid_dirty = True
        super().retranslate()

    def _set_mode(self, mode: str, snap: dict):
        self.mode = mode
        self._bounds = None
        self._point_levels = None
        self._points_dirty = self._grid_dirty = True
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        self.stack.setCurrentIndex(1 if mode == "none" else 0)
        for item in (self.decision_image, self.value_image, self.neuron_image, self.unit_curves,
                     self.fit_curve, self.train_scatter, self.test_scatter):
            item.hide()
        self.showing_neuron = None
        self.back_button.hide()
        self.units_check.hide()
        self._has_units = False
        self._show_colorbar(False)
        if mode == "reg1d":
            if self.grid is None:
                self.grid = CheapGrid(self.plot)
            self.grid.curve.show()
        elif self.grid is not None:
            self.grid.curve.hide()
            for ax in ("bottom", "left"):
                self.plot.getAxis(ax).setTicks(None)
        self._set_title(self.tr(MODE_TITLES[mode]))
        self._update_mode_text(snap)

    def _update_mode_text(self, snap):
        mode = self.mode
        name = choice_label(snap.get("dataset", ""))
        if self.showing_neuron is not None:
            self.mode_label.setText(self.tr(
                "<b>Neuron {0}</b>: its output over the input plane (eval mode)").format(
                    self._neuron_name(self.showing_neuron)))
            self.legend.setText(self.tr(
                "colour = the neuron's output: {0}negative{1} · dark ≈ 0 · {2}positive{1} "
                "&nbsp; ● train &nbsp;○ test").format(
                    f"<span style='color:{theme.hex_color(theme.NEGATIVE)}'>", "</span>",
                    f"<span style='color:{theme.hex_color(theme.POSITIVE)}'>"))
            return
        if mode == "class2d":
            k = max(int(snap.get("n_classes", 2)), 2)
            swatches = " ".join(f"<span style='color:{theme.hex_color(CLASS_RGB[i % len(CLASS_RGB)])}'>■"
                                f"</span> {i}" for i in range(k))
            self.mode_label.setText(self.tr("<b>{0}</b>: {1}-class classification").format(
                name, k))
            self.legend.setText(self.tr("class {0} &nbsp;·&nbsp; ● train &nbsp;○ test "
                                        "&nbsp;·&nbsp; dimmer = less confident").format(swatches))
        elif mode == "reg2d":
            self.mode_label.setText(self.tr("<b>{0}</b>: regression on 2 inputs").format(name))
            self.legend.setText(self.tr("colour = value (bar at the right): background = "
                                        "prediction, points = target &nbsp;·&nbsp; ● train "
                                        "(dark rim) &nbsp;◉ test (light rim)"))
        elif mode == "reg1d":
            self.mode_label.setText(self.tr("<b>{0}</b>: regression on 1 input").format(name))
            units = (" &nbsp;·&nbsp; " + self.tr("faint lines: {0}").format(self.tr(UNITS_TEXT))
                     if self._has_units else "")
            self.legend.setText(self.tr("{0}━{3} fit &nbsp;{1}●{3} train &nbsp;{2}○{3} test")
                                .format(f"<span style='color:{theme.hex_color(theme.ACCENT)}'>",
                                        f"<span style='color:{theme.hex_color(theme.TRAIN)}'>",
                                        f"<span style='color:{theme.hex_color(theme.TEST)}'>",
                                        "</span>") + units)
        else:
            self.mode_label.setText(self.tr("<b>{0}</b>: {1} input features, {2}").format(
                name, snap.get("n_features", "?"), self._task_name(snap.get("task", ""))))
            self.legend.setText("")

    def _task_name(self, task: str) -> str:
        return {"classification": self.tr("classification"),
                "regression": self.tr("regression")}.get(task, task)

    def _neuron_name(self, neuron) -> str:
        layer, unit = neuron
        # Same naming as the topology panel's hover text ("hidden2 unit 4": unit is 0-based).
        return self.tr("{0} unit {1}").format(layer_label(f"hidden{int(layer) + 1}"), int(unit))

    def _update_message(self, snap):
        nf = snap.get("n_features", 0)
        task = snap.get("task", "")
        what = (self.tr("<b>1 input feature</b> ({0})") if nf == 1 else
                self.tr("<b>{1} input features</b> ({0})")).format(self._task_name(task), nf)
        lines = [self.tr("{0}: no 2-D view of this data — see the loss and accuracy panel.")
                 .format(what)]
        acc = snap.get("test_acc")
        if isinstance(acc, (int, float)) and math.isfinite(acc):
            lines.append(self.tr("Test accuracy now: <b>{0} %</b>").format(f"{100 * acc:.1f}"))
        loss = snap.get("test_loss")
        if isinstance(loss, (int, float)) and math.isfinite(loss):
            lines.append(self.tr("Test loss now: {0}").format(f"{loss:.4g}"))
        text = "<br><br>".join(lines)
        if self.message.text() != text:
            self.message.setText(text)

    # ------------------------------------------------------------------ for tests / tools
    def decision_rgb(self) -> np.ndarray | None:
        return self.decision_image.image
