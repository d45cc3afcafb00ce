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
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QStackedWidget

from nnvis.app import theme
from nnvis.app.panels.base import Panel, RangeKeeper, toolbar_row
from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import CheapGrid, finite_xy, layer_label

UNITS_TEXT = QT_TRANSLATE_NOOP("DataViewPanel",
                               "each unit's scaled, shifted activation; their sum + bias = the fit")
MODE_TITLES = {"class2d": QT_TRANSLATE_NOOP("DataViewPanel", "Decision regions (dim = unsure)"),
               "reg2d": QT_TRANSLATE_NOOP("DataViewPanel", "Predicted value"),
               "reg1d": QT_TRANSLATE_NOOP("DataViewPanel", "Fit f(x) and the data"),
               "none": ""}


def _rgb(hex_or_tuple):
    if isinstance(hex_or_tuple, str):
        h = hex_or_tuple.lstrip("#")
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(hex_or_tuple[:3])


BG = np.array(_rgb(theme.BACKGROUND), np.float32)
CLASS_RGB = np.array([c[:3] for c in theme.CLASS_COLORS], np.float32)
OUTLINE = (15, 16, 20)
VALUE_CMAP = pg.colormap.get("viridis")
NEURON_CMAP = pg.ColorMap([0.0, 0.5, 1.0], [theme.NEGATIVE, (44, 47, 54), theme.POSITIVE])



def decision_colors(label, conf, n_classes: int) -> np.ndarray:
    """(H, W) labels and max-probabilities -> (H, W, 3) uint8: the class colour blended with
    the background, from faint (chance-level confidence) to strong (certain)."""
    label = np.clip(np.nan_to_num(np.asarray(label), nan=0).astype(np.int64), 0, len(CLASS_RGB) - 1)
    k = max(int(n_classes), 2)
    conf = np.nan_to_num(np.asarray(conf, np.float32), nan=0.0, posinf=1.0, neginf=0.0)
    t = np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
    a = (0.10 + 0.45 * t)[..., None]
    rgb = BG + (CLASS_RGB[label] - BG) * a
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def nice_ceil(v: float) -> float:
    """Smallest 1, 2 or 5 × 10^k ≥ v (stable colour-bar limits)."""
    if not (math.isfinite(v) and v > 0):
        return 1.0
    mag = 10.0 ** math.floor(math.log10(v))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= v * (1 - 1e-9))


class DataViewPanel(Panel):
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

    def _show_colorbar(self, on: bool, cmap=None, levels=None, label=""):
        if on and not self._colorbar_in_layout:
            self.view.ci.addItem(self.colorbar, row=0, col=1)
            self._colorbar_in_layout = True
        elif not on and self._colorbar_in_layout:
            self.view.ci.removeItem(self.colorbar)
            self._colorbar_in_layout = False
        if on:
            if cmap is not None and cmap is not getattr(self, "_bar_cmap", None):
                self.colorbar.setColorMap(cmap)
                self._bar_cmap = cmap
            if levels is not None and levels != getattr(self, "_bar_levels", None):
                self.colorbar.setLevels(values=levels)
                self._bar_levels = levels
            if label != getattr(self, "_bar_label", None):
                self.colorbar.getAxis("right").setLabel(label)
                self._bar_label = label

    def _set_plane_range(self, bounds):
        b = tuple(float(v) for v in bounds)
        if b != self._bounds and all(math.isfinite(v) for v in b):
            self._bounds = b
            self.plot.setXRange(b[0], b[1], padding=0)
            if len(b) == 4:
                self.plot.setYRange(b[2], b[3], padding=0)

    # -- grids
    def _update_grid(self, mode: str, gs: dict):
        if mode == "reg1d":
            self._update_fit(gs)
            return
        if "grid_bounds" not in gs:
            return
        xmin, xmax, ymin, ymax = (float(v) for v in gs["grid_bounds"])
        self._set_plane_range((xmin, xmax, ymin, ymax))
        neuron = gs.get("neuron")
        neuron = tuple(int(v) for v in neuron) if neuron is not None else None
        if neuron is None:
            self._dismissed = None
        show_neuron = gs.get("neuron_grid") is not None and neuron is not None and \
            neuron != self._dismissed
        if show_neuron:
            img = self.neuron_image
            data = np.asarray(gs["neuron_grid"], np.float32)
            finite = np.isfinite(data)
            m = nice_ceil(float(np.max(np.abs(data[finite]))) if finite.any() else 1.0)
            data = np.clip(np.where(finite, data, 0.0), -m, m)
            img.setImage(data, autoLevels=False, levels=(-m, m))
            self._show_colorbar(True, NEURON_CMAP, (-m, m), self.tr("neuron output"))
            self._set_title(self.tr("Neuron {0}: output").format(self._neuron_name(neuron)))
        elif mode == "class2d" and "grid_label" in gs:
            img = self.decision_image
            data = decision_colors(gs["grid_label"], gs["grid_conf"], gs.get("n_classes", 2))
            img.setImage(data, autoLevels=False, levels=(0, 255))
            self._show_colorbar(False)
            self._set_title(self.tr(MODE_TITLES["class2d"]))
        elif mode == "reg2d" and "grid_value" in gs:
            img = self.value_image
            data = np.asarray(gs["grid_value"], np.float32)
            finite = np.isfinite(data)
            if finite.any():
                lo, hi = float(data[finite].min()), float(data[finite].max())
                if self.points is not None:
                    t = np.asarray(self.points["y_train"], np.float64).ravel()
                    t = t[np.isfinite(t)]
                    if t.size:
                        lo, hi = min(lo, float(t.min())), max(hi, float(t.max()))
                r = self._value_range.update(lo, hi, pad=0.1)
                if r is not None:
                    self._value_levels = r
                    self._recolour = True  # recolour the points on the new scale
            lo, hi = self._value_levels
            data = np.clip(np.where(finite, data, lo), lo, hi)
            img.setImage(data, autoLevels=False, levels=(lo, hi))
            self._show_colorbar(True, VALUE_CMAP, (lo, hi), self.tr("value"))
            self._set_title(self.tr(MODE_TITLES["reg2d"]))
        else:
            return
        res_y, res_x = data.shape[:2]
        dx = (xmax - xmin) / max(res_x - 1, 1)
        dy = (ymax - ymin) / max(res_y - 1, 1)
        img.setRect(QRectF(xmin - dx / 2, ymin - dy / 2, dx * res_x, dy * res_y))
        img.show()
        for other in (self.decision_image, self.value_image, self.neuron_image):
            if other is not img:
                other.hide()
        now = neuron if show_neuron else None
        if now != self.showing_neuron:
            self.showing_neuron = now
            self.back_button.setVisible(now is not None)
            self._update_mode_text(gs)

    def _update_fit(self, gs: dict):
        if "fit_x" not in gs:
            return
        x, y = finite_xy(gs["fit_x"], gs["fit_y"])
        self.fit_curve.setData(x, y)
        self.fit_curve.show()
        lo, hi = (float(y.min()), float(y.max())) if y.size else (-1.0, 1.0)
        if self.points is not None and self.points["X_train"].shape[-1] == 1:
            t = np.asarray(self.points["y_train"], np.float64).ravel()
            t = t[np.isfinite(t)]
            if t.size:
                lo, hi = min(lo, float(t.min())), max(hi, float(t.max()))
        if x.size:
            self._set_plane_range((x.min(), x.max()))
        r = self._y_range.update(lo, hi)
        if r is not None:
            self.plot.setYRange(*r, padding=0)
            if self.grid is not None and self._bounds is not None:
                self.grid.set_ranges(xr=self._bounds[:2], yr=r)
        curves = gs.get("unit_curves")
        has_units = curves is not None and len(curves) > 0
        if has_units != self._has_units:
            self._has_units = has_units
            self.units_check.setVisible(has_units)
            self._update_mode_text(gs)
        if has_units:
            c = np.asarray(curves, np.float64)
            U, P = c.shape
            fx = np.asarray(gs["fit_x"], np.float64)[:P]
            xs = np.tile(fx, U)
            ys = c.ravel()
            keep = np.isfinite(xs) & np.isfinite(ys)
            same_next = np.ones(U * P, bool)
            same_next[P - 1::P] = False
            connect = same_next & keep & np.roll(keep, -1)
            span = (self._y_range.hi - self._y_range.lo) if self._y_range.hi is not None else 10.0
            lim = abs(self._y_range.hi or 1.0) + 20 * span  # keep huge values off the painter
            self.unit_curves.setData(xs[keep], np.clip(ys[keep], -lim, lim),
                                     connect=connect[keep])
        self.unit_curves.setVisible(has_units and self.units_check.isChecked())

    # -- points
    def _update_points(self, mode: str, snap: dict):
        pts = self.points
        Xtr, Xte = np.asarray(pts["X_train"]), np.asarray(pts["X_test"])
        nf = 1 if mode == "reg1d" else 2
        if Xtr.ndim != 2 or Xtr.shape[1] != nf:
            self.train_scatter.hide()
            self.test_scatter.hide()
            return
        ytr = np.asarray(pts["y_train"])
        yte = np.asarray(pts["y_test"])
        if mode == "reg1d":
            self._set_scatter(self.train_scatter, Xtr[:, 0], ytr.reshape(len(ytr), -1)[:, 0],
                              brush=pg.mkBrush(*theme.TRAIN, 200), size=6)
            self._set_scatter(self.test_scatter, Xte[:, 0], yte.reshape(len(yte), -1)[:, 0],
                              pen=pg.mkPen(theme.TEST, width=1.5), size=7)
            if "fit_x" not in (self._grid_snap or {}):
                b = pts.get("bounds")
                if b is not None and len(b) == 2:
                    self._set_plane_range(b)
            return
        if self._bounds is None and pts.get("bounds") is not None and len(pts["bounds"]) == 4:
            self._set_plane_range(pts["bounds"])
        if mode == "class2d":
            brushes = [pg.mkBrush(*c) for c in CLASS_RGB.astype(int)]
            pens = [pg.mkPen(tuple(int(v) for v in c), width=2) for c in CLASS_RGB]
            ci_tr = np.clip(ytr.astype(np.int64).ravel(), 0, len(CLASS_RGB) - 1)
            ci_te = np.clip(yte.astype(np.int64).ravel(), 0, len(CLASS_RGB) - 1)
            self._set_scatter(self.train_scatter, Xtr[:, 0], Xtr[:, 1],
                              brush=[brushes[i] for i in ci_tr], size=7)
            self._set_scatter(self.test_scatter, Xte[:, 0], Xte[:, 1],
                              pen=[pens[i] for i in ci_te], size=8)
        else:  # reg2d: colour by target on the heat map's scale
            # Filled with the target's colour; train points have a dark rim, test a light one
            # (a hollow ring would vanish where the prediction matches its target).
            self._set_scatter(self.train_scatter, Xtr[:, 0], Xtr[:, 1], size=7)
            self._set_scatter(self.test_scatter, Xte[:, 0], Xte[:, 1], size=8,
                              pen=pg.mkPen(235, 235, 235, width=1.5))
            self._recolour_points()

    def _recolour_points(self):
        """2-D regression: colour the points by target on the heat map's colour scale."""
        self._recolour = False
        pts = self.points
        if pts is None or self.mode != "reg2d" or np.asarray(pts["X_train"]).shape[-1] != 2:
            return
        lo, hi = self._value_levels
        if self._value_range.lo is None:
            t = np.asarray(pts["y_train"], np.float64)
            t = t[np.isfinite(t)]
            lo, hi = (float(t.min()), float(t.max())) if t.size else (0.0, 1.0)
        if self._brush_lut is None:
            lut = VALUE_CMAP.getLookupTable(nPts=64, mode="byte")
            self._brush_lut = [pg.mkBrush(*c[:3]) for c in lut]
        brushes = self._brush_lut
        for item, X, y in ((self.train_scatter, pts["X_train"], pts["y_train"]),
                           (self.test_scatter, pts["X_test"], pts["y_test"])):
            X = np.asarray(X, np.float64)
            y = np.asarray(y, np.float64).reshape(len(y), -1)[:, 0]
            keep = np.isfinite(X).all(axis=1)
            v = np.nan_to_num(y[keep], nan=lo, posinf=hi, neginf=lo)
            idx = np.clip(((v - lo) / max(hi - lo, 1e-12) * 63).round(), 0, 63).astype(int)
            if len(idx) == len(item.data):
                item.setBrush([brushes[i] for i in idx])

    @staticmethod
    def _set_scatter(item, x, y, **style):
        x = np.asarray(x, np.float64).ravel()
        y = np.asarray(y, np.float64).ravel()
        keep = np.isfinite(x) & np.isfinite(y)
        for key in ("brush", "pen"):
            if isinstance(style.get(key), list):
                style[key] = [s for s, k in zip(style[key], keep) if k]
        item.setData(x[keep], y[keep], **style)
        item.show()

    # -- picking a sample
    def _point_coords(self, split: str):
        """(x, y) plot coordinates of a split's points, as drawn (None if not drawn)."""
        pts = self.points
        if pts is None or self.mode not in ("class2d", "reg2d", "reg1d"):
            return None
        X = np.asarray(pts[f"X_{split}"], np.float64)
        if X.ndim != 2 or not len(X):
            return None
        if self.mode == "reg1d":
            y = np.asarray(pts[f"y_{split}"], np.float64).reshape(len(X), -1)[:, 0]
            return X[:, 0], y
        return (X[:, 0], X[:, 1]) if X.shape[1] == 2 else None

    def sample_at(self, x: float, y: float, radius_px: float = 9.0):
        """(split, index) of the drawn point nearest to plot point (x, y) within radius_px
        pixels, or None."""
        sx, sy = self.plot.vb.viewPixelSize()
        best = None
        for split in ("train", "test"):
            coords = self._point_coords(split)
            if coords is None:
                continue
            d = np.hypot((coords[0] - x) / max(sx, 1e-12), (coords[1] - y) / max(sy, 1e-12))
            d = np.where(np.isfinite(d), d, np.inf)
            i = int(np.argmin(d))
            if d[i] <= radius_px and (best is None or d[i] < best[0]):
                best = (float(d[i]), split, i)
        return None if best is None else (best[1], best[2])

    def _on_plot_clicked(self, ev):
        if ev.button() != Qt.LeftButton:
            return
        pos = self.plot.vb.mapSceneToView(ev.scenePos())
        hit = self.sample_at(pos.x(), pos.y())
        if hit is not None:
            ev.accept()
            self.mark_sample(*hit)
            self.sample_clicked.emit(*hit)

    def mark_sample(self, split: str | None, index: int = 0):
        """Ring the sample the Backprop panel shows (None: no ring)."""
        self.picked = None if split is None else (split, index)
        coords = None if split is None else self._point_coords(split)
        if coords is None or not 0 <= index < len(coords[0]):
            self.picked_ring.setData(x=[], y=[])
            return
        self.picked_ring.setData(x=[coords[0][index]], y=[coords[1][index]])

    # ------------------------------------------------------------------ for tests / tools
    def decision_rgb(self) -> np.ndarray | None:
        return self.decision_image.image
