"""Data & prediction: the data set and what the network currently predicts on it.

* 2-D classification: decision regions (class colour, dimmer where the network is unsure)
  under the train (filled) and test (ring) points.
* 2-D regression: the predicted value as a heat map with a colour bar; points coloured by
  their target on the same scale.
* 1-D regression: the points, the fit as a thick line and — with one hidden layer — each
  hidden unit's scaled activation as a faint curve (their sum + bias = the fit).
* Neuron probe: a clicked hidden neuron's output over the input plane (the main window
  sends the probe; this panel only shows it, with a "× back to prediction" button).
* More than two input features (NumPy runs): regression — predicted against true, with the
  y = x diagonal; classification — the points on the training inputs' two principal axes,
  coloured by class, crossed where predicted wrong, over the predicted class on that plane
  (see data_projection). A watched run sends neither: a message instead of a misleading view.

Grids (and the many-input views) arrive at ~7 Hz and ``points`` only after a reset; all are
captured in :meth:`set_snapshot`, so a later snapshot without them (or a skipped frame) never
loses them.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QStackedWidget

from nnvis.app import theme, ui_labels
from nnvis.app.choices import choice_label
from nnvis.app.export.graph_tables import prediction_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.axes import fit_title, layer_label
from nnvis.app.panels.base import Panel, toolbar_row

from .data_colors import BG, CLASS_RGB  # noqa: F401  (tests import BG)
from .data_plane import DataPlane
from .data_points import DataPoints
from .data_projection import (ProjectionMarks, pca_grid, pca_points, pred_true_points,
                              projection_mode, same_points)

UNITS_TEXT = QT_TRANSLATE_NOOP("DataViewPanel",
                               "each unit's scaled, shifted activation; their sum + bias = the fit")
PCA_TITLE = QT_TRANSLATE_NOOP("DataViewPanel", "Principal axes: decision regions (dim = unsure)")
PREDTRUE_TITLE = QT_TRANSLATE_NOOP("DataViewPanel", "Predicted vs true")
#: What the plane and the points draw a many-input view as.
PLANE_MODE = {"pca": "class2d", "predtrue": "none"}
POINTS_MODE = {"pca": "class2d", "predtrue": "reg1d"}


class DataViewPanel(Panel):
    """Composes its parts: the plane (images, fit, colour bar) and the points; it keeps
    the snapshots they draw from and writes the header, the title and the legend."""

    panel_id = "data"
    refresh_every, refresh_phase = 3, 1  # 10 Hz, with the activation panel (both cheap)
    #: Emitted by "× back to prediction"; the main window may send ("probe", None) on it.
    probe_closed = Signal()
    #: A click on a data point: ("train" | "test", index) — the Backprop panel follows it.
    sample_clicked = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        # "class2d", "reg2d", "reg1d", "pca", "predtrue" (more than two inputs) or "none"
        self.mode: str | None = None
        self._view_snap: dict | None = None   # the last snapshot with a many-input view
        self._view_dirty = False
        self._drawn_pca: dict | None = None   # the principal-axes points last drawn
        self._points_dirty = False
        self._grid_snap: dict | None = None
        self._grid_dirty = False
        self._title = ""
        self._recolour = False
        self._text_key = None
        self._axis_key = None

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
        view = pg.GraphicsLayoutWidget()
        # The 50×50 decision grid is scaled up smoothly: nearest-neighbour blocks read as
        # a staircase boundary that the network does not have.
        view.setRenderHint(QPainter.SmoothPixmapTransform, True)
        layout = view.ci
        layout.setContentsMargins(2, 2, 2, 2)
        self.plot = view.addPlot(row=0, col=0)
        theme.style_plot(self.plot, "", "x1", "x2")
        self.plot.enableAutoRange(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.showGrid(x=False, y=False)
        self._plane = DataPlane(self.plot, layout, self._neuron_name, self)
        self._plane.titled.connect(self._set_title)
        self._plane.legend_changed.connect(self._on_legend_changed)
        self._points = DataPoints(self.plot, self)
        self._points.sample_clicked.connect(self.sample_clicked)
        self._marks = ProjectionMarks(self.plot, self)
        view.scene().sigMouseClicked.connect(self._points.on_clicked)
        self.view = view

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
        self.offer_exports("data", PlotPicture(self.view))
        self.retranslate()

    # ------------------------------------------------------------------ data in
    def set_snapshot(self, snapshot: dict):
        """Keep the newest snapshot; also keep the last points and the last grid, which
        only some snapshots carry (a skipped frame must not lose them)."""
        pts = snapshot.get("points")
        if pts is not None:
            self._points.set_points(pts)
            self._points_dirty = True
        if "grid_bounds" in snapshot or "fit_x" in snapshot:
            self._grid_snap = snapshot
            self._grid_dirty = True
        if projection_mode(snapshot, snapshot.get("task")) is not None:
            self._view_snap = snapshot
            self._view_dirty = True
        super().set_snapshot(snapshot)

    def reset(self):
        # Points are kept: the first snapshot after a rebuild brings the new ones, and the
        # main window may reset panels just after that snapshot arrived.
        self._plane.reset()
        self._points_dirty = self._grid_dirty = self._view_dirty = True
        self._dirty = True

    # ------------------------------------------------------------------ what is on screen
    # Read-only views of the parts' items and state: for whoever shows or tests them.
    @property
    def decision_image(self) -> pg.ImageItem:
        return self._plane.decision_image

    @property
    def value_image(self) -> pg.ImageItem:
        return self._plane.value_image

    @property
    def neuron_image(self) -> pg.ImageItem:
        return self._plane.neuron_image

    @property
    def unit_curves(self) -> pg.PlotCurveItem:
        return self._plane.unit_curves

    @property
    def fit_curve(self) -> pg.PlotCurveItem:
        return self._plane.fit_curve

    @property
    def colorbar(self) -> pg.ColorBarItem:
        return self._plane.colorbar

    @property
    def showing_neuron(self) -> tuple | None:
        return self._plane.showing_neuron

    @property
    def train_scatter(self) -> pg.ScatterPlotItem:
        return self._points.train_scatter

    @property
    def test_scatter(self) -> pg.ScatterPlotItem:
        return self._points.test_scatter

    @property
    def diagonal(self) -> pg.PlotCurveItem:
        """Predicted vs true: the y = x line."""
        return self._marks.diagonal

    @property
    def wrong_marks(self) -> pg.ScatterPlotItem:
        """Principal axes: a cross on each sample predicted wrong."""
        return self._marks.wrong

    @property
    def picked_ring(self) -> pg.ScatterPlotItem:
        return self._points.picked_ring

    @property
    def points(self) -> dict | None:
        return self._points.points

    @property
    def picked(self) -> tuple | None:
        return self._points.picked

    def sample_at(self, x: float, y: float, radius_px: float = 9.0):
        """(split, index) of the drawn point nearest to plot point (x, y), or None."""
        return self._points.sample_at(x, y, radius_px)

    def mark_sample(self, split: str | None, index: int = 0):
        """Ring the sample the Backprop panel shows (None: no ring)."""
        self._points.mark_sample(split, index)

    # ------------------------------------------------------------------ user actions
    def _on_back(self):
        self._plane.dismiss()
        self.probe_closed.emit()
        self._grid_dirty = True
        if self.snapshot is not None:
            self._draw(self.snapshot)

    def _on_units_toggled(self, on: bool):
        self._plane.show_units(on)

    def _on_legend_changed(self, gs: dict):
        # The plane now shows another neuron (or none), or its unit curves came or went.
        self.back_button.setVisible(self._plane.showing_neuron is not None)
        self.units_check.setVisible(self._plane.has_units)
        self._update_mode_text(gs)

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

    def view_mode(self, snap: dict) -> str:
        """What ``snap`` is shown as: :meth:`mode_for`, or with more than two inputs the
        view the engine sent (predicted vs true, principal axes) once one has come."""
        mode = self.mode_for(snap)
        view = self._view_snap
        # (A view kept from an earlier run of other data is not this run's.)
        if mode == "none" and snap.get("n_features", 0) > 2 and view is not None and \
                (view.get("n_features"), view.get("dataset")) == (snap.get("n_features"),
                                                                   snap.get("dataset")):
            return projection_mode(view, snap.get("task")) or mode
        return mode

    def _draw(self, snap: dict):
        mode = self.view_mode(snap)
        if mode != self.mode:
            self._set_mode(mode, snap)
        text_key = (mode, snap.get("dataset"), snap.get("n_classes"), snap.get("n_features"),
                    tuple(snap.get("class_names") or ()), self._target_name(snap))
        if text_key != self._text_key:
            self._text_key = text_key
            self._update_mode_text(snap)
        if mode == "none":
            self._update_message(snap)
            return
        standardised = bool((snap.get("config") or {}).get("data", {}).get("normalize", True))
        self._set_axis_labels(mode, standardised, self._target_name(snap),
                              tuple(snap.get("feature_names") or ()))
        if mode in PLANE_MODE:
            if self._view_dirty:
                self._view_dirty = False
                self._draw_projection(mode, self._view_snap)
            return
        if self._grid_dirty and self._grid_snap is not None and \
                self.mode_for(self._grid_snap) == mode:
            self._grid_dirty = False
            self._recolour |= self._plane.update(mode, self._grid_snap, self.points)
        if self._points_dirty and self.points is not None:
            self._points_dirty = False
            self._update_points(mode)
            if self.picked is not None:
                self.mark_sample(*self.picked)   # new points (a rebuild) move the ring
        elif self._recolour:
            self._recolour = False
            self._points.recolour(self._plane.point_levels())

    def _draw_projection(self, mode: str, view: dict):
        """More than two inputs: hand the plane and the points what they draw, in the
        projection's coordinates; the marks add the diagonal or the crosses."""
        if mode == "pca":
            pca = view["pca"]
            self._plane.update("class2d", pca_grid(pca, view.get("n_classes", 2)), None,
                               title=self.tr(PCA_TITLE))
            # The samples sit still on the axes (fitted once) and keep their classes: only
            # the regions and the crosses change. Re-colouring 4000 points cost ~10 ms.
            if not same_points(pca, self._drawn_pca):
                self._points.set_points(pca_points(pca))
                self._points.update("class2d", None)
            self._drawn_pca = pca
            self._marks.update_pca(pca)
            self._plane.set_range(pca["bounds"])
        else:
            pt = view["pred_true"]
            self._points.set_points(pred_true_points(pt))
            self._points.update("reg1d", None)
            bounds = self._marks.update_pred_true(pt)
            if bounds is not None:
                self._plane.set_range(bounds)
        if self.picked is not None:
            self.mark_sample(*self.picked)   # the points moved: so does the ring

    @staticmethod
    def _target_name(snap: dict) -> str | None:
        """A CSV regression's label column (the target's name), else None."""
        if snap.get("task") != "regression":
            return None
        return (snap.get("task_params") or {}).get("column")

    def _update_points(self, mode: str):
        self._recolour = False
        if not self._points.update(mode, self._plane.point_levels()):
            return
        # The points' own bounds frame the plane until a grid (or fit) brings its range.
        b = self.points.get("bounds")
        if mode == "reg1d":
            if "fit_x" not in (self._grid_snap or {}) and b is not None and len(b) == 2:
                self._plane.set_range(b)
        elif self._plane.bounds is None and b is not None and len(b) == 4:
            self._plane.set_range(b)

    def _set_axis_labels(self, mode, standardised: bool, target: str | None = None,
                         features: tuple = ()):
        """Axis labels in the data's own names: a CSV's columns (``features``, the label
        column ``target``), else x1, x2 and y."""
        key = (mode, standardised, target, features)
        if self._axis_key == key:
            return
        self._axis_key = key

        def axis(name):
            return self.tr("{0} (standardised)").format(name) if standardised else name

        if mode == "pca":
            # The standardised inputs' first two principal axes (fitted on the training split).
            self.plot.setLabel("bottom", self.tr("PC1"))
            self.plot.setLabel("left", self.tr("PC2"))
        elif mode == "predtrue":
            name = html.escape(target or "y")
            self.plot.setLabel("bottom", self.tr("true {0}").format(name))
            self.plot.setLabel("left", self.tr("predicted {0}").format(name))
        elif mode == "reg1d":
            self.plot.setLabel("bottom", axis(html.escape(features[0]) if features else "x"))
            self.plot.setLabel("left", self.tr("{0} (target)").format(
                html.escape(target)) if target else self.tr("y (target)"))
        else:
            names = [html.escape(f) for f in features] if len(features) == 2 else ["x1", "x2"]
            self.plot.setLabel("bottom", axis(names[0]))
            self.plot.setLabel("left", axis(names[1]))

    def _set_title(self, text: str):
        if text != self._title:
            self._title = text
            self.plot.setTitle(text, size="10pt")
            fit_title(self.plot, self.view.width())

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        # A title wider than a narrow dock wraps instead of widening the plot past its view.
        fit_title(self.plot, self.view.width())

    def export_table(self) -> Table:
        """The last grid (or fit) of predictions the engine sent (principal axes: the
        predicted class over that plane, in PC1/PC2 coordinates)."""
        if self.mode == "pca" and self._view_snap is not None:
            return prediction_table(pca_grid(self._view_snap["pca"],
                                             self._view_snap.get("n_classes", 2)))
        return prediction_table(self._grid_snap)

    def retranslate(self):
        self.units_check.setText(ui_labels.text("data.hidden_units"))
        self.units_check.setToolTip(self.tr("Show each hidden unit's scaled activation w·h(x): "
                                            "{0}").format(self.tr(UNITS_TEXT)))
        self.back_button.setText(self.tr("× back to prediction"))
        self.back_button.setToolTip(self.tr("Stop showing the clicked neuron; show the "
                                            "network's prediction"))
        self._axis_key = self._text_key = None    # composed anew by the next draw
        if self.mode is not None and self.showing_neuron is None:
            self._set_title(self.tr(PREDTRUE_TITLE) if self.mode == "predtrue" else
                            self.tr(PCA_TITLE) if self.mode == "pca" else
                            self._plane.mode_title(self.mode))
        self._grid_dirty = self._view_dirty = True
        super().retranslate()

    def _set_mode(self, mode: str, snap: dict):
        self.mode = mode
        self._drawn_pca = None
        self._points_dirty = self._grid_dirty = self._view_dirty = True
        self.stack.setCurrentIndex(1 if mode == "none" else 0)
        self._plane.set_mode(PLANE_MODE.get(mode, mode))
        self._points.set_mode(POINTS_MODE.get(mode, mode))
        self._marks.set_mode(mode)
        self.back_button.hide()
        self.units_check.hide()
        self._set_title(self.tr(PREDTRUE_TITLE) if mode == "predtrue" else
                        self.tr(PCA_TITLE) if mode == "pca" else self._plane.mode_title(mode))
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
            self.mode_label.setText(self.tr("<b>{0}</b>: {1}-class classification").format(
                name, k))
            self.legend.setText(self.tr("class {0} &nbsp;·&nbsp; ● train &nbsp;○ test "
                                        "&nbsp;·&nbsp; dimmer = less confident").format(
                                            self._swatches(snap, k)))
        elif mode == "pca":
            k = max(int(snap.get("n_classes", 2)), 2)
            self.mode_label.setText(self.tr(
                "<b>{0}</b>: {1}-class classification on {2} inputs, seen on their two "
                "principal axes").format(name, k, snap.get("n_features", "?")))
            self.legend.setText(self.tr(
                "class {0} &nbsp;·&nbsp; ● train &nbsp;○ test &nbsp;·&nbsp; × predicted wrong "
                "&nbsp;·&nbsp; background: the predicted class on this plane through the "
                "data's centre").format(self._swatches(snap, k)))
        elif mode == "predtrue":
            self.mode_label.setText(self.tr(
                "<b>{0}</b>: regression on {1} inputs: each sample's prediction against its "
                "true value").format(name, snap.get("n_features", "?")))
            self.legend.setText(self.tr(
                "{0}●{2} train &nbsp;{1}○{2} test &nbsp;·&nbsp; ╌ y = x: a perfect prediction "
                "&nbsp;·&nbsp; in the target's units").format(
                    f"<span style='color:{theme.hex_color(theme.TRAIN)}'>",
                    f"<span style='color:{theme.hex_color(theme.TEST)}'>", "</span>"))
        elif mode == "reg2d":
            self.mode_label.setText(self.tr("<b>{0}</b>: regression on 2 inputs").format(name))
            self.legend.setText(self.tr("colour = value (bar at the right): background = "
                                        "prediction, points = target &nbsp;·&nbsp; ● train "
                                        "(dark rim) &nbsp;◉ test (light rim)"))
        elif mode == "reg1d":
            self.mode_label.setText(self.tr("<b>{0}</b>: regression on 1 input").format(name))
            units = (" &nbsp;·&nbsp; " + self.tr("faint lines: {0}").format(self.tr(UNITS_TEXT))
                     if self._plane.has_units else "")
            self.legend.setText(self.tr("{0}━{3} fit &nbsp;{1}●{3} train &nbsp;{2}○{3} test")
                                .format(f"<span style='color:{theme.hex_color(theme.ACCENT)}'>",
                                        f"<span style='color:{theme.hex_color(theme.TRAIN)}'>",
                                        f"<span style='color:{theme.hex_color(theme.TEST)}'>",
                                        "</span>") + units)
        else:
            self.mode_label.setText(self.tr("<b>{0}</b>: {1} input features, {2}").format(
                name, snap.get("n_features", "?"), self._task_name(snap.get("task", ""))))
            self.legend.setText("")

    @staticmethod
    def _swatches(snap: dict, k: int) -> str:
        """Each class's colour and name (a CSV's label values; the index where it has none)."""
        names = snap.get("class_names") or []
        return " ".join(
            f"<span style='color:{theme.hex_color(CLASS_RGB[i % len(CLASS_RGB)])}'>■</span> "
            + (html.escape(str(names[i])) if i < len(names) else str(i)) for i in range(k))

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
        return self._plane.decision_image.image
