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
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QLabel

from nnvis.app import theme
from nnvis.app.panels.axes import CheapGrid, format_number, format_step
from nnvis.app.panels.base import Panel, RangeKeeper, toolbar_row

HISTORY = 300  # snapshots kept per layer for the heat maps
THREE_COLUMNS_FROM = 720  # px: below this width the first column toggles weights/activations


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
        self.steps = np.zeros(capacity, np.int64)
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
        self.steps[row] = step
        if not (replace and self.n):
            self.head = (self.head + 1) % self.capacity
            self.n = min(self.n + 1, self.capacity)

    def ordered(self):
        """(weights (n, bins), gradients (n, bins), activations (n, bins), steps (n,)),
        oldest first."""
        if self.n < self.capacity:
            return self.w[:self.n], self.g[:self.n], self.a[:self.n], self.steps[:self.n]
        h = self.head
        return tuple(np.concatenate([arr[h:], arr[:h]])
                     for arr in (self.w, self.g, self.a, self.steps))


class StepAxis(pg.AxisItem):
    """Bottom axis of the heat maps: x is the column (snapshot) index, ticks show its step."""

    def __init__(self, **kw):
        super().__init__("bottom", **kw)
        self.steps = np.zeros(0, np.int64)

    def set_steps(self, steps):
        self.steps = np.asarray(steps)
        self.picture = None  # regenerate tick text
        self.update()

    def tickValues(self, minVal, maxVal, size):
        """A handful of labelled columns (oldest, newest and evenly between): no minor ticks,
        and cheap — these labels change every frame."""
        n = len(self.steps)
        if n == 0:
            return [(1.0, [])]
        k = max(2, min(5, int(size // 90)))
        # Keep labels off the plot's edges, where pyqtgraph would hide them.
        span = max(maxVal - minVal, 1.0)
        first = min(n - 1, max(0, int(math.ceil(minVal + 0.06 * span))))
        last = max(first, min(n - 1, int(maxVal - 0.06 * span)))
        cols = np.unique(np.round(np.linspace(first, last, min(k, n))).astype(int))
        return [(1.0, [c + 0.5 for c in cols])]

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            i = int(math.floor(v))
            out.append(format_step(self.steps[i]) if 0 <= i < len(self.steps) else "")
        return out


def _step_curve(color):
    pen = pg.mkPen(color, width=1.5)
    brush = pg.mkBrush(*color, 110)
    return pg.PlotCurveItem(x=np.array([0.0, 1.0]), y=np.array([0.0]), stepMode="center",
                            fillLevel=0, pen=pen, brush=brush, antialias=False)


class HistogramsPanel(Panel):
    panel_id = "histograms"
    refresh_every, refresh_phase = 3, 2  # 10 Hz
    title = "Weights & gradients"

    def __init__(self, parent=None, history: int = HISTORY):
        super().__init__(parent)
        self.history_len = history
        self.histories: dict[str, LayerHistory] = {}
        self._last_step: int | None = None
        self._layer_names: list[str] = []

        self.layer_box = QComboBox()
        self.layer_box.setToolTip("Which layer's weights W (into the layer) and ∂L/∂W to show")
        self.layer_box.currentTextChanged.connect(self._on_layer_changed)
        self.stats_label = QLabel("")
        self.stats_label.setWordWrap(True)
        self.stats_label.setToolTip(
            "weights in ±range: the histogram's x range (the largest |w|, rounded up to a "
            "power of two)\n‖∂L/∂W‖: gradient norm of this layer's weights on a fixed probe batch\n"
            "update/weight: ‖ΔW‖ / ‖W‖ of the last optimiser step (healthy ≈ 1e-3)")
        # In a narrow dock the first column shows weights or activations (three columns of
        # plots would be clipped); wide docks show all three.
        self.first_column_box = QComboBox()
        self.first_column_box.addItems(["Weights", "Activations"])
        self.first_column_box.setToolTip("What the first column shows (widen the panel to see "
                                         "weights, gradients and activations side by side)")
        self.first_column_box.currentIndexChanged.connect(lambda _i: self._arrange(force=True))
        self.first_column_box.hide()
        self._columns = 3
        top = toolbar_row("Layer:", self.layer_box, self.first_column_box, None,
                          (self.stats_label, 1))

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
        theme.style_plot(self.w_plot, "Weights now", "weight w", "count")
        theme.style_plot(self.g_plot, "Gradients now",
                         "log10 |∂L/∂W|  (left bin: ≤ −10, incl. 0)", "count")
        # Titles stay short: a title's width is the plot's minimum width (narrow docks).
        theme.style_plot(self.w_map_plot, "Weights over time",
                         "step  (colour = log count)", "weight w")
        theme.style_plot(self.g_map_plot, "Gradients over time",
                         "step  (colour = log count)", "log10 |∂L/∂W|")
        # Activations: the init lesson's picture (collapse to 0, or piles at ±1 = saturated).
        theme.style_plot(self.a_plot, "Activations now", "activation h", "count")
        theme.style_plot(self.a_map_plot, "Activations over time",
                         "step  (colour = log count)", "activation h")
        for p in (self.w_plot, self.g_plot, self.a_plot, self.w_map_plot, self.g_map_plot,
                  self.a_map_plot):
            p.enableAutoRange(False)
            p.setMouseEnabled(False, False)
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
            plot.setXRange(0, history, padding=0)
        self._g_xrange = None
        self._w_count_range = RangeKeeper()
        self._g_count_range = RangeKeeper()
        self._a_count_range = RangeKeeper()
        self._w_xrange = None
        self._a_xrange = None
        self._w_map_range = None

        self.stack_vertically(top, (self.view, 1))

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
        columns = 3 if self.width() >= THREE_COLUMNS_FROM else 2
        if columns == self._columns and not force:
            return
        self._columns = columns
        ci = self.view.ci
        for item in (self.w_plot, self.w_map_plot, self.a_plot, self.a_map_plot):
            if item in ci.items:
                ci.removeItem(item)
            item.hide()
        if columns == 3:
            shown = [(self.w_plot, 0, 0), (self.w_map_plot, 1, 0), (self.a_plot, 0, 2),
                     (self.a_map_plot, 1, 2)]
        elif self.first_column_box.currentIndex() == 1:
            shown = [(self.a_plot, 0, 0), (self.a_map_plot, 1, 0)]
        else:
            shown = [(self.w_plot, 0, 0), (self.w_map_plot, 1, 0)]
        for item, row, col in shown:
            ci.addItem(item, row=row, col=col)
            item.show()
        self.first_column_box.setVisible(columns == 2)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._arrange()

    def reset(self):
        self._clear_history()
        self._w_count_range = RangeKeeper()
        self._g_count_range = RangeKeeper()
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
        return self.layer_box.currentText()

    def select_layer(self, name: str):
        self.layer_box.setCurrentText(name)

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
        current = self.layer_box.currentText()
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems(names)
        if current in names:
            self.layer_box.setCurrentText(current)
        self.layer_box.blockSignals(False)
        self._layer_names = list(names)

    def _draw(self, snap: dict):
        layers = snap.get("layers") or []
        self._sync_layer_names([layer["name"] for layer in layers])
        name = self.layer_box.currentText()
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
            self.w_grid.set_ranges(xr=(-wr, wr), x_ticks=np.linspace(-wr, wr, 5))
            self._w_xrange = wr
        if self._g_xrange != (glo, ghi):
            self.g_plot.setXRange(glo, ghi, padding=0)
            ticks = np.arange(math.ceil(glo / 2) * 2, ghi + 1e-9, 2)
            self.g_grid.set_ranges(xr=(glo, ghi), x_ticks=ticks)
            self.g_map_plot.setYRange(glo, ghi, padding=0)
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
            n = len(steps)
            hr = hist.w_range
            maps = [(self.w_image, w, -hr, 2 * hr), (self.g_image, g, glo, ghi - glo)]
            if hist.a_range is not None:
                maps.append((self.a_image, a, hist.a_range[0], hist.a_range[1] - hist.a_range[0]))
                if self.a_map_plot.getViewBox().state["viewRange"][1] != list(hist.a_range):
                    self.a_map_plot.setYRange(*hist.a_range, padding=0)
            for img, data, y0, span in maps:
                im = np.log1p(np.maximum(data.T, 0.0))
                top = float(im.max()) if im.size else 1.0
                img.setImage(im, autoLevels=False, levels=(0.0, top if top > 0 else 1.0))
                img.setRect(QRectF(0.0, y0, float(n), span))
            if self._w_map_range != hr:
                self.w_map_plot.setYRange(-hr, hr, padding=0)
                self._w_map_range = hr
            for ax in self.step_axes:
                ax.set_steps(steps)
        self.stats_label.setText(
            f"<b>{name}</b>: weights in ±{wr:g} · ‖∂L/∂W‖ = {format_number(layer.get('grad_norm_W'))}"
            f" · update/weight = {format_number(layer.get('update_ratio'))}"
            f" · activation std = {format_number(layer.get('act_std'))}")

    def _draw_activations(self, layer: dict):
        ah, ar = layer.get("act_hist"), layer.get("act_range")
        if ah is None or ar is None:  # the output layer has no activation
            self.a_curve.setData([0.0, 1.0], [0.0])
            return
        ah = np.nan_to_num(np.asarray(ah, np.float64), nan=0, posinf=0, neginf=0)
        lo, hi = float(ar[0]), float(ar[1])
        self.a_curve.setData(np.linspace(lo, hi, len(ah) + 1), ah)
        if self._a_xrange != (lo, hi):
            self.a_plot.setXRange(lo, hi, padding=0)
            self.a_grid.set_ranges(xr=(lo, hi), x_ticks=np.linspace(lo, hi, 5))
            self._a_xrange = (lo, hi)
        r = self._a_count_range.update(0.0, max(float(ah.max()) if ah.size else 1.0, 1.0),
                                       pad=0.0)
        if r is not None:
            self.a_plot.setYRange(0, r[1] * 1.08, padding=0)
            self.a_grid.set_ranges(yr=(0.0, r[1] * 1.08))
