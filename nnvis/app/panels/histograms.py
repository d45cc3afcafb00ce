"""Weights & gradients: per-layer histograms now (top) and over time as heat maps (bottom).

The gradient histograms are over log10 |∂L/∂W| on the same fixed range for every layer, so a
vanishing gradient shows as the whole mass sliding left, layer after layer. The over-time
heat maps keep the last ``history`` snapshots of *every* layer (recorded as snapshots arrive,
even while the panel is hidden), so switching layer shows its past at once.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QComboBox, QLabel

from nnvis.app import theme, ui_labels
from nnvis.app.export.curve_tables import histogram_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.axes import (CheapGrid, format_number, format_step, layer_label,
                                   nice_ticks, set_layer_items)
from nnvis.app.panels.base import Panel, toolbar_row
from nnvis.app.panels.ranges import RangeKeeper

HISTORY = 300  # snapshots kept per layer for the heat maps
# Narrower than this, a panel cannot hold the columns of plots at their minimum widths (the
# titles and axes) and they were clipped on the right: a toggle picks what the first (or
# only) column shows.
THREE_COLUMNS_FROM = 720  # px
TWO_COLUMNS_FROM = 400    # px
CHOICES = {1: ("Weights", "Gradients", "Activations"), 2: ("Weights", "Activations")}
COLUMN_NAMES = {"Weights": QT_TRANSLATE_NOOP("HistogramsPanel", "Weights"),
                "Gradients": QT_TRANSLATE_NOOP("HistogramsPanel", "Gradients"),
                "Activations": ui_labels.source("histograms.activations")}


def rebin(h: np.ndarray, r_old: float, r_new: float) -> np.ndarray:
    """Re-histogram counts over [-r_old, r_old] onto the same number of bins over
    [-r_new, r_new] (r_new ≥ r_old), assuming mass is uniform inside each bin. Works on the
    last axis, so a whole (snapshots, bins) buffer is rebinned at once."""
    nb = h.shape[-1]
    edges = np.linspace(-r_new, r_new, nb + 1)
    s = np.clip((edges + r_old) / (2.0 * r_old) * nb, 0.0, nb)
    cdf = np.concatenate([np.zeros(h.shape[:-1] + (1,)), np.cumsum(h, axis=-1)], axis=-1)
    i0 = np.minimum(np.floor(s).astype(np.int64), nb - 1)
    f = s - i0
    at = cdf[..., i0] * (1.0 - f) + cdf[..., i0 + 1] * f
    return np.diff(at, axis=-1)


class LayerHistory:
    """Ring buffer of one layer's weight and gradient histograms, one row per snapshot.

    Weight histograms arrive over [-r, r] with r a power of two that may change; they are
    stored over a display range ``w_range`` (the largest r seen) so every column of the heat
    map shares one y axis. Growing the range rebins the stored rows once."""

    def __init__(self, capacity: int, nbins: int):
        self.capacity = capacity
        self.nbins = nbins
        self.w = np.zeros((capacity, nbins), np.float32)
        self.g = np.zeros((capacity, nbins), np.float32)
        self.a = np.zeros((capacity, nbins), np.float32)
        self.a_range: tuple | None = None
        self._steps = np.zeros(capacity, np.int64)
        self.n = 0        # rows filled
        self.head = 0     # next row to write
        self.w_range: float | None = None

    def add(self, step: int, w_hist, w_range: float, g_hist, replace: bool = False,
            a_hist=None, a_range=None):
        w_hist = np.nan_to_num(np.asarray(w_hist, np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        g_hist = np.nan_to_num(np.asarray(g_hist, np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        if not (math.isfinite(w_range) and w_range > 0):
            w_range = self.w_range or 1.0
        if self.w_range is None:
            self.w_range = w_range
        elif w_range > self.w_range:
            if self.n:
                self.w[:] = rebin(self.w.astype(np.float64), self.w_range, w_range)
            self.w_range = w_range
        if w_range < self.w_range:
            w_hist = rebin(w_hist, w_range, self.w_range)
        row = (self.head - 1) % self.capacity if (replace and self.n) else self.head
        self.w[row] = w_hist
        self.g[row] = g_hist
        if a_hist is not None and a_range is not None:
            if self.a_range is not None and tuple(a_range) != self.a_range:
                self.a[:] = 0.0  # older rows were binned over another range: drop them
            self.a_range = tuple(a_range)
            self.a[row] = np.nan_to_num(np.asarray(a_hist, np.float64), nan=0.0, posinf=0.0,
                                        neginf=0.0)
        self._steps[row] = step
        if not (replace and self.n):
            self.head = (self.head + 1) % self.capacity
            self.n = min(self.n + 1, self.capacity)

    def ordered(self):
        """(weights (n, bins), gradients (n, bins), activations (n, bins), steps (n,)),
        oldest first."""
        if self.n < self.capacity:
            return self.w[:self.n], self.g[:self.n], self.a[:self.n], self._steps[:self.n]
        h = self.head
        return tuple(np.concatenate([arr[h:], arr[:h]])
                     for arr in (self.w, self.g, self.a, self._steps))


def round_ticks(lo: float, hi: float) -> np.ndarray:
    """Round ticks over [lo, hi] (±0.02, not ±0.015625: ranges here are powers of two), at
    least 3 of them strictly inside: pyqtgraph hides the labels at a plot's edges, and ±0.5
    ticks on a ±0.5 range left a lone "0"."""
    ticks = nice_ticks(lo, hi, 4)
    if np.count_nonzero((ticks > lo) & (ticks < hi)) < 3:
        ticks = nice_ticks(lo, hi, 6)
    return ticks


def set_value_ticks(axis: pg.AxisItem, ticks) -> None:
    """Hand-set tick labels on an axis that has no CheapGrid (the heat maps' y axes)."""
    axis.setTicks([[(float(v), f"{v:g}") for v in ticks]])


def count_legend() -> str:
    """Axis-label HTML for the heat maps' colour scale: viridis swatches from few to many
    (log-scaled counts; short, or it runs into the next plot's label in two columns)."""
    cmap = pg.colormap.get("viridis")
    swatches = "".join(f"<span style='color:{theme.hex_color(c)}'>█</span>"
                       for c in cmap.map(np.linspace(0.0, 1.0, 5), mode="byte"))
    return QCoreApplication.translate("HistogramsPanel", "step &nbsp;·&nbsp; few {0} many").format(
        swatches)


class StepAxis(pg.AxisItem):
    """Bottom axis of the heat maps. x runs 0…1 across the snapshots the map holds, so the map
    fills its plot however few it has yet; ticks name a column's step."""

    GAP = 14  # px between neighbouring labels

    def __init__(self, **kw):
        super().__init__("bottom", **kw)
        self._steps = np.zeros(0, np.int64)
        self.enableAutoSIPrefix(False)

    @property
    def steps(self) -> np.ndarray:
        """The steps the columns stand for (read-only: ``set_steps`` sets them)."""
        return self._steps

    def set_steps(self, steps):
        self._steps = np.asarray(steps)
        self.picture = None  # regenerate tick text
        self.update()

    def tickValues(self, minVal, maxVal, size):
        """As many labelled columns as fit side by side, evenly from (near) the oldest to
        (near) the newest: the outer ones inset by half a label, or pyqtgraph hides them at
        the plot's edge. No minor ticks, and cheap: these labels change every frame."""
        n = len(self._steps)
        span = maxVal - minVal
        if n == 0 or size <= 0 or span <= 0:
            return [(1.0, [])]
        label = QFontMetricsF(self.font()).horizontalAdvance(format_step(self._steps.max()))
        label = max(label, 8.0)
        px = size / (span * n)                            # px per column
        inset = (0.5 * label + 2.0) / size * span         # in x units
        first = max(0, math.ceil((minVal + inset) * n - 0.5))
        last = min(n - 1, math.floor((maxVal - inset) * n - 0.5))
        if last < first:   # too narrow for even one label clear of the edges: the newest
            return [(1.0, [(n - 0.5) / n])]
        # Evenly spread columns, a label and a gap apart (plus a column: they are rounded).
        k = max(1, min(5, n, int((last - first) * px // (label + self.GAP + px)) + 1))
        cols = np.unique(np.round(np.linspace(first, last, k)).astype(int))
        return [(1.0, [(c + 0.5) / n for c in cols])]

    def tickStrings(self, values, scale, spacing):
        n = len(self._steps)
        out = []
        for v in values:
            i = int(math.floor(v * n))
            out.append(format_step(self._steps[i]) if 0 <= i < n else "")
        return out


def _step_curve(color):
    pen = pg.mkPen(color, width=1.5)
    brush = pg.mkBrush(*color, 110)
    return pg.PlotCurveItem(x=np.array([0.0, 1.0]), y=np.array([0.0]), stepMode="center",
                            fillLevel=0, pen=pen, brush=brush, antialias=False)


class HistogramsPanel(Panel):
    panel_id = "histograms"
    refresh_every, refresh_phase = 3, 2  # 10 Hz

    def __init__(self, parent=None, history: int = HISTORY):
        super().__init__(parent)
        self.history_len = history
        self.histories: dict[str, LayerHistory] = {}
        self._last_step: int | None = None
        self._layer_names: list[str] = []

        self.layer_box = QComboBox()
        # Layers come and go on a rebuild: the box follows its longest name ("hidden10"),
        # which the default policy (sized once, when first shown) cut to "hidden1(".
        self.layer_box.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.layer_box.currentIndexChanged.connect(self._on_layer_changed)
        self.stats_label = QLabel("")
        self.stats_label.setWordWrap(True)
        # A narrow dock shows two columns (weights or activations, then gradients) or one
        # (any of the three); wide docks show all three side by side.
        self.first_column_box = QComboBox()
        self.first_column_box.currentIndexChanged.connect(lambda _i: self._arrange(force=True))
        self.first_column_box.hide()
        self._columns = 0
        self.layer_title = QLabel()
        self._top = toolbar_row(self.layer_title, self.layer_box, self.first_column_box, None)
        self._top.addStretch(1)   # the boxes stay left; the stats label takes it when wide
        # The numbers get a row of their own unless the panel is wide: squeezed next to the
        # boxes they wrapped into a 6-line column.
        self._stats_row = toolbar_row(margins=(4, 0, 4, 0))

        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setContentsMargins(2, 2, 2, 2)
        self.view.ci.setSpacing(2)
        self.w_plot = self.view.addPlot(row=0, col=0)
        self.g_plot = self.view.addPlot(row=0, col=1)
        self.a_plot = self.view.addPlot(row=0, col=2)
        self.step_axes = [StepAxis(), StepAxis(), StepAxis()]
        self.w_map_plot = self.view.addPlot(row=1, col=0, axisItems={"bottom": self.step_axes[0]})
        self.g_map_plot = self.view.addPlot(row=1, col=1, axisItems={"bottom": self.step_axes[1]})
        self.a_map_plot = self.view.addPlot(row=1, col=2, axisItems={"bottom": self.step_axes[2]})
        self.columns = {"Weights": (self.w_plot, self.w_map_plot),
                        "Gradients": (self.g_plot, self.g_map_plot),
                        "Activations": (self.a_plot, self.a_map_plot)}
        for p in (self.w_plot, self.g_plot, self.a_plot, self.w_map_plot, self.g_map_plot,
                  self.a_map_plot):
            theme.style_plot(p, "", "", "")
        # The axis label stays short: two columns of a narrow dock cut "(left bin: ≤ −10,
        # incl. 0)" off; the tooltip says it.
        for p in (self.w_plot, self.g_plot, self.a_plot, self.w_map_plot, self.g_map_plot,
                  self.a_map_plot):
            p.enableAutoRange(False)
            p.setMouseEnabled(False, False)
            # Ticks are set by hand: pyqtgraph's SI prefix would scale the label ("weight w
            # (x0.001)") but not the hand-set tick text, so weights read 1000× too small.
            for ax in ("left", "bottom"):
                p.getAxis(ax).enableAutoSIPrefix(False)
        for p in (self.w_map_plot, self.g_map_plot, self.a_map_plot):
            p.showGrid(x=False, y=False)

        self.w_curve = _step_curve(theme.POSITIVE)
        self.g_curve = _step_curve(theme.NEGATIVE)
        self.a_curve = _step_curve(theme.ACCENT)
        self.w_grid = CheapGrid(self.w_plot)
        self.g_grid = CheapGrid(self.g_plot)
        self.a_grid = CheapGrid(self.a_plot)
        self.w_plot.addItem(self.w_curve)
        self.g_plot.addItem(self.g_curve)
        self.a_plot.addItem(self.a_curve)
        cmap = pg.colormap.get("viridis")
        self.w_image = pg.ImageItem(axisOrder="row-major")
        self.g_image = pg.ImageItem(axisOrder="row-major")
        self.a_image = pg.ImageItem(axisOrder="row-major")
        for img, plot in ((self.w_image, self.w_map_plot), (self.g_image, self.g_map_plot),
                          (self.a_image, self.a_map_plot)):
            img.setColorMap(cmap)
            plot.addItem(img)
            plot.setXRange(0.0, 1.0, padding=0)   # x: 0…1 across the columns (StepAxis)
        # The output layer has no activation function: say so where its histogram would be
        # (the plots kept the last hidden layer's range, e.g. 0–8, around values ≈ 0).
        self.a_notes = []
        for plot in (self.a_plot, self.a_map_plot):
            note = pg.TextItem("", anchor=(0.5, 0.5))
            note.setPos(0.5, 0.5)
            note.setVisible(False)
            plot.addItem(note)
            self.a_notes.append(note)
        self._no_activation = False
        self._g_xrange = None
        self._w_count_range = RangeKeeper()
        self._g_count_range = RangeKeeper()
        self._a_count_range = RangeKeeper()
        self._w_xrange = None
        self._a_xrange = None
        self._a_map_range = None
        self._w_map_range = None

        self.stack_vertically(self._top, self._stats_row, (self.view, 1))
        self._arrange()
        self.offer_exports("histograms", PlotPicture(self.view))
        self.retranslate()

    def export_table(self) -> Table:
        """Every layer's histograms in the snapshot."""
        return histogram_table(self.snapshot)

    def retranslate(self):
        self.layer_title.setText(ui_labels.text("histograms.layer"))
        self.layer_box.setToolTip(self.tr("Which layer's weights W (into the layer) and ∂L/∂W "
                                          "to show"))
        for i in range(self.layer_box.count()):
            self.layer_box.setItemText(i, layer_label(self.layer_box.itemData(i)))
        self.stats_label.setToolTip(self.tr(
            "weights in ±range: the histogram's x range (the largest |w|, rounded up to a "
            "power of two)\n‖∂L/∂W‖: gradient norm of this layer's weights on a fixed probe "
            "batch\nupdate/weight: ‖ΔW‖ / ‖W‖ of the last optimiser step (healthy ≈ 1e-3)"))
        self.first_column_box.setToolTip(self.tr("What the first column shows (widen the panel "
                                                 "to see weights, gradients and activations "
                                                 "side by side)"))
        for i in range(self.first_column_box.count()):
            self.first_column_box.setItemText(
                i, self.tr(COLUMN_NAMES[self.first_column_box.itemData(i)]))
        # Titles stay short: a title's width is the plot's minimum width (narrow docks).
        legend = count_legend()
        for plot, title, x_label, y_label in (
                (self.w_plot, self.tr("Weights now"), self.tr("weight w"), self.tr("count")),
                # The axis label stays short: two columns of a narrow dock cut "(left bin:
                # ≤ −10, incl. 0)" off; the tooltip says it.
                (self.g_plot, self.tr("Gradients now"), "log10 |∂L/∂W|", self.tr("count")),
                # Activations: the init lesson's picture (collapse to 0, or piles at ±1).
                (self.a_plot, ui_labels.text("histograms.activations_now"), self.tr("activation h"),
                 self.tr("count")),
                (self.w_map_plot, self.tr("Weights over time"), legend, self.tr("weight w")),
                (self.g_map_plot, self.tr("Gradients over time"), legend, "log10 |∂L/∂W|"),
                (self.a_map_plot, self.tr("Activations over time"), legend,
                 self.tr("activation h"))):
            plot.setTitle(title, size="10pt")
            plot.setLabel("bottom", x_label)
            plot.setLabel("left", y_label)
        self.g_plot.setToolTip(self.tr("How many weights have a gradient of each size, log10 "
                                       "|∂L/∂W|;\nthe left bin also counts zeros and anything "
                                       "≤ 1e-10"))
        for note in self.a_notes:
            note.setHtml(f"<div style='text-align:center; color:{theme.FOREGROUND}'>"
                         + self.tr("output layer: no activation function<br>(its logits are "
                                   "linear)") + "</div>")
        super().retranslate()

    # ------------------------------------------------------------------ data in
    def set_snapshot(self, snapshot: dict):
        """Store the snapshot and record every layer's histograms (cheap: 2 rows per layer)."""
        step = int(snapshot.get("step", 0))
        if self._last_step is not None and step < self._last_step:
            self._clear_history()
        replace = self._last_step is not None and step == self._last_step
        for layer in snapshot.get("layers", ()):
            wh, gh = layer.get("weight_hist"), layer.get("grad_hist")
            if wh is None or gh is None:
                continue
            hist = self.histories.get(layer["name"])
            if hist is None or hist.nbins != len(wh):
                hist = self.histories[layer["name"]] = LayerHistory(self.history_len, len(wh))
            hist.add(step, wh, float(layer.get("weight_range", 1.0)), gh, replace=replace,
                     a_hist=layer.get("act_hist"), a_range=layer.get("act_range"))
        self._last_step = step
        super().set_snapshot(snapshot)

    def _arrange(self, force: bool = False):
        width = self.width()
        columns = 3 if width >= THREE_COLUMNS_FROM else 2 if width >= TWO_COLUMNS_FROM else 1
        if columns == self._columns and not force:
            return
        if columns != self._columns:
            box = self.first_column_box
            if columns < 3:   # (in three columns it is only hidden: it keeps the choice)
                current = box.currentData()
                box.blockSignals(True)
                box.clear()
                for name in CHOICES[columns]:
                    box.addItem(self.tr(COLUMN_NAMES[name]), name)
                box.setCurrentIndex(max(box.findData(current), 0))
                box.blockSignals(False)
            box.setVisible(columns < 3)
            wide = columns == 3
            self._top.removeWidget(self.stats_label)
            self._stats_row.removeWidget(self.stats_label)
            if wide:   # before the stretch, which yields to it
                self._top.insertWidget(self._top.count() - 1, self.stats_label, 1)
            else:
                self._stats_row.addWidget(self.stats_label, 1)
            self._top.setStretch(self._top.count() - 1, 0 if wide else 1)
        self._columns = columns
        if columns == 3:
            names = ["Weights", "Gradients", "Activations"]
        elif columns == 2:
            names = [self.first_column_box.currentData(), "Gradients"]
        else:
            names = [self.first_column_box.currentData()]
        ci = self.view.ci
        for now, over_time in self.columns.values():
            for item in (now, over_time):
                if item in ci.items:
                    ci.removeItem(item)
                item.hide()
        for col, name in enumerate(names):
            for row, item in enumerate(self.columns[name]):
                item.show()   # first: the layout skips hidden items and kept this one tiny
                ci.addItem(item, row=row, col=col)
        ci.layout.invalidate()

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._arrange()

    def reset(self):
        self._clear_history()
        self._w_count_range = RangeKeeper()
        self._g_count_range = RangeKeeper()
        self._a_count_range = RangeKeeper()
        self._dirty = True

    def _clear_history(self):
        self.histories.clear()
        self._last_step = None
        for img in (self.w_image, self.g_image, self.a_image):
            img.clear()
        for ax in self.step_axes:
            ax.set_steps([])

    def heat_map_columns(self) -> int:
        """Snapshots shown in the selected layer's heat maps (0 when cleared)."""
        img = self.w_image.image
        return 0 if img is None else int(img.shape[1])

    def selected_layer(self) -> str:
        return self.layer_box.currentData() or ""

    def select_layer(self, name: str):
        index = self.layer_box.findData(name)
        if index >= 0:
            self.layer_box.setCurrentIndex(index)

    def _on_layer_changed(self, _name):
        if self.snapshot is not None:
            self._w_count_range = RangeKeeper()
            self._g_count_range = RangeKeeper()
            self._a_count_range = RangeKeeper()
            self._draw(self.snapshot)

    # ------------------------------------------------------------------ drawing
    def _sync_layer_names(self, names):
        if names == self._layer_names:
            return
        set_layer_items(self.layer_box, names)
        self._layer_names = list(names)

    def _draw(self, snap: dict):
        layers = snap.get("layers") or []
        self._sync_layer_names([layer["name"] for layer in layers])
        name = self.selected_layer()
        layer = next((lay for lay in layers if lay["name"] == name), None)
        if layer is None:
            return
        # Now: filled step curves.
        wr = float(layer.get("weight_range", 1.0))
        if not (math.isfinite(wr) and wr > 0):
            wr = 1.0
        wh = np.nan_to_num(np.asarray(layer["weight_hist"], np.float64), nan=0, posinf=0, neginf=0)
        gh = np.nan_to_num(np.asarray(layer["grad_hist"], np.float64), nan=0, posinf=0, neginf=0)
        glo, ghi = snap.get("grad_log10_range", (-10.0, 2.0))
        self.w_curve.setData(np.linspace(-wr, wr, len(wh) + 1), wh)
        self.g_curve.setData(np.linspace(glo, ghi, len(gh) + 1), gh)
        if self._w_xrange != wr:
            self.w_plot.setXRange(-wr, wr, padding=0)
            self.w_grid.set_ranges(xr=(-wr, wr), x_ticks=round_ticks(-wr, wr))
            self._w_xrange = wr
        if self._g_xrange != (glo, ghi):
            self.g_plot.setXRange(glo, ghi, padding=0)
            ticks = np.arange(math.ceil(glo / 2) * 2, ghi + 1e-9, 2)
            self.g_grid.set_ranges(xr=(glo, ghi), x_ticks=ticks)
            self.g_map_plot.setYRange(glo, ghi, padding=0)
            set_value_ticks(self.g_map_plot.getAxis("left"), ticks[::2])
            self._g_xrange = (glo, ghi)
        for keeper, plot, grid, h in ((self._w_count_range, self.w_plot, self.w_grid, wh),
                                      (self._g_count_range, self.g_plot, self.g_grid, gh)):
            r = keeper.update(0.0, max(float(h.max()) if h.size else 1.0, 1.0), pad=0.0)
            if r is not None:
                plot.setYRange(0, r[1] * 1.08, padding=0)
                grid.set_ranges(yr=(0.0, r[1] * 1.08))

        self._draw_activations(layer)

        # Over time: heat maps (rows = bins, columns = snapshots), log-scaled counts.
        hist = self.histories.get(name)
        if hist is not None and hist.n:
            w, g, a, steps = hist.ordered()
            hr = hist.w_range
            maps = [(self.w_image, w, -hr, 2 * hr), (self.g_image, g, glo, ghi - glo)]
            if hist.a_range is not None:
                maps.append((self.a_image, a, hist.a_range[0], hist.a_range[1] - hist.a_range[0]))
                if self._a_map_range != hist.a_range:
                    self.a_map_plot.setYRange(*hist.a_range, padding=0)
                    set_value_ticks(self.a_map_plot.getAxis("left"), round_ticks(*hist.a_range))
                    self._a_map_range = hist.a_range
            for img, data, y0, span in maps:
                im = np.log1p(np.maximum(data.T, 0.0))
                top = float(im.max()) if im.size else 1.0
                img.setImage(im, autoLevels=False, levels=(0.0, top if top > 0 else 1.0))
                img.setRect(QRectF(0.0, y0, 1.0, span))   # all columns across x = 0…1
            if self._w_map_range != hr:
                self.w_map_plot.setYRange(-hr, hr, padding=0)
                set_value_ticks(self.w_map_plot.getAxis("left"), round_ticks(-hr, hr))
                self._w_map_range = hr
            for ax in self.step_axes:
                ax.set_steps(steps)
        spread = self.tr("logit std") if layer.get("act_range") is None else \
            ui_labels.text("histograms.act_std")
        self.set_live_text(self.stats_label, self.tr(
            "<b>{0}</b>: weights in ±{1} · ‖∂L/∂W‖ = {2} · update/weight = {3} · {4} = {5}").format(
                layer_label(name), f"{wr:g}", format_number(layer.get("grad_norm_W")),
                format_number(layer.get("update_ratio")), spread,
                format_number(layer.get("act_std"))))

    def _draw_activations(self, layer: dict):
        ah, ar = layer.get("act_hist"), layer.get("act_range")
        if ah is None or ar is None:  # the output layer has no activation
            if not self._no_activation:
                self._no_activation = True
                self.a_curve.setVisible(False)
                self.a_image.clear()
                self.a_plot.setRange(xRange=(0.0, 1.0), yRange=(0.0, 1.0), padding=0)
                self.a_map_plot.setYRange(0.0, 1.0, padding=0)   # (its x is 0…1 already)
                self.a_grid.set_ranges(xr=(0.0, 1.0), yr=(0.0, 1.0), x_ticks=[], y_ticks=[])
                self.a_map_plot.getAxis("left").setTicks([[]])
                self._a_xrange = self._a_map_range = None   # a hidden layer sets them again
                self._a_count_range = RangeKeeper()
                for note in self.a_notes:
                    note.setVisible(True)
            return
        if self._no_activation:
            self._no_activation = False
            for note in self.a_notes:
                note.setVisible(False)
            self.a_curve.setVisible(True)
        ah = np.nan_to_num(np.asarray(ah, np.float64), nan=0, posinf=0, neginf=0)
        lo, hi = float(ar[0]), float(ar[1])
        self.a_curve.setData(np.linspace(lo, hi, len(ah) + 1), ah)
        if self._a_xrange != (lo, hi):
            self.a_plot.setXRange(lo, hi, padding=0)
            self.a_grid.set_ranges(xr=(lo, hi), x_ticks=round_ticks(lo, hi))
            self._a_xrange = (lo, hi)
        r = self._a_count_range.update(0.0, max(float(ah.max()) if ah.size else 1.0, 1.0),
                                       pad=0.0)
        if r is not None:
            self.a_plot.setYRange(0, r[1] * 1.08, padding=0)
            self.a_grid.set_ranges(yr=(0.0, r[1] * 1.08))
