"""Gradient flow: how big the gradient is in every layer — the vanishing-gradient view.

Left: per layer (input → output) bars of ‖∂L/∂a‖ (gradient reaching the layer's output),
‖∂L/∂W‖ (its weight gradient) and the last update's ‖ΔW‖/‖W‖, on a log axis. In a deep
sigmoid net the bars shrink by orders of magnitude toward the input: the gradient vanishes.
Right: the chosen quantity per layer over time (a bounded history kept by the panel).
Top: a verdict in words: gradients tiny everywhere, vanishing or exploding toward the input
(the first/last hidden layer ‖∂L/∂W‖ ratio), updates too small, or a healthy flow.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel

from nnvis.app import theme, ui_labels
from nnvis.app.choices import choice_label
from nnvis.app.export.curve_tables import gradient_flow_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.base import Panel
from nnvis.app.panels.ranges import RangeKeeper
from nnvis.app.panels.axes import (CheapGrid, fit_title, format_step, layer_label, log_ticks,
                                   safe_log10, set_log_ticks, set_step_ticks, short_name)
from nnvis.core.history import DecimatingSeries

HISTORY = 600          # points per layer kept for the time plot (merged in pairs when full)
VANISH, EXPLODE = 1e-2, 1e2
HEALTHY_UPDATE = 1e-3  # cs231n: ‖ΔW‖/‖W‖ ≈ 1e-3 per step is healthy
# A ratio only compares layers: a net whose every gradient is ~1e-9 has a "healthy" ratio and
# learns nothing. In the lessons' presets and variants that learn, the largest hidden ‖∂L/∂W‖
# stays above ~1e-4 for the first 300 steps; the init-scale lesson's tiny init keeps it
# ≤ 5e-7. Updates are called tiny 1000× below HEALTHY_UPDATE: the learning-rate lesson's
# deliberately small rate (≈ 1e-4) is left to its loss curve.
TINY_GRAD = 1e-6
TINY_UPDATE = 1e-6
FIT_LOSS = 1e-3        # a loss this small explains tiny gradients: the training data are fit
MIN_STEP_SPAN = 10     # the time plot spans at least this many steps: no 0.5-step ticks

QUANTITIES = {  # snapshot key -> (menu text, colour, symbol)
    "grad_norm_act": (QT_TRANSLATE_NOOP("GradientFlowPanel",
                                        "‖∂L/∂a‖ (gradient at the layer's output)"),
                      theme.NEGATIVE, "‖∂L/∂a‖"),
    "grad_norm_W": (QT_TRANSLATE_NOOP("GradientFlowPanel", "‖∂L/∂W‖ (weight gradient)"),
                    theme.POSITIVE, "‖∂L/∂W‖"),
    "update_ratio": (QT_TRANSLATE_NOOP("GradientFlowPanel", "update/weight ‖ΔW‖/‖W‖"),
                     theme.ACCENT, "‖ΔW‖/‖W‖"),
}
KEYS = tuple(QUANTITIES)
STACK_BELOW = 560  # px: narrower panels put the time plot under the bars


# ---------------------------------------------------------------------- log-axis helpers

def _sci(v: float) -> str:
    """One significant digit, short exponent: 3e-9, 1e-3 (the order of magnitude is the news)."""
    return f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e+")


# lupdate finds QCoreApplication.translate("Context", "text") under this shorter name too.
translate = QCoreApplication.translate


def flow_verdict(layers, loss: float | None = None) -> tuple[str, str]:
    """(sentence, colour): the hidden layers' gradients in words. Absolute size first (tiny
    gradients or updates everywhere: nothing learns), then the first/last hidden layer
    ‖∂L/∂W‖ ratio (vanish / explode). ``loss`` (the training loss, when known) tells a net
    that learns nothing from one that has nothing left to learn."""
    hidden = [lay for lay in layers if lay.get("kind", "hidden") == "hidden"
              and lay.get("name") != "output"]
    red, orange, grey = (theme.hex_color(theme.SATURATED), theme.hex_color(theme.TEST),
                         "#9aa3b2")
    if len(hidden) < 2:
        return (translate("GradientFlowPanel", "one hidden layer: add layers to watch "
                          "gradients vanish toward the input") if hidden else
                translate("GradientFlowPanel", "no hidden layers: add layers to watch "
                          "gradients vanish toward the input"), grey)
    norms = np.array([float(lay.get("grad_norm_W", math.nan)) for lay in hidden])
    first, last = norms[0], norms[-1]
    if not (math.isfinite(first) and math.isfinite(last)):
        return translate("GradientFlowPanel", "‖∂L/∂W‖ is not finite: training diverged"), red
    if last <= 0:
        return translate("GradientFlowPanel", "last hidden layer ‖∂L/∂W‖ = 0: no gradient "
                         "reaches it (dead units?)"), red
    fit = loss is not None and math.isfinite(loss) and loss < FIT_LOSS
    finite = norms[np.isfinite(norms)]
    if finite.max() < TINY_GRAD:
        typical = _sci(10 ** float(np.median(np.log10(finite[finite > 0]))))
        if fit:
            return translate("GradientFlowPanel", "gradients tiny (‖∂L/∂W‖ ≈ {0}) but the loss "
                             "is ≈ 0: the training data are fit").format(typical), grey
        return translate("GradientFlowPanel", "gradients tiny everywhere (‖∂L/∂W‖ ≈ {0}): "
                         "nothing learns — check the initial weight scale").format(typical), red
    ratio = first / last
    head = translate("GradientFlowPanel", "first/last hidden layer ‖∂L/∂W‖ ratio: {0} — "
                     ).format(f"{ratio:.1e}")
    if ratio < VANISH:
        return head + ui_labels.text("gradient_flow.vanish"), red
    if ratio > EXPLODE:
        return head + translate("GradientFlowPanel", "gradients explode toward the input"), \
            orange
    updates = np.array([float(lay.get("update_ratio", math.nan)) for lay in hidden])
    updates = updates[np.isfinite(updates) & (updates > 0)]  # none before the first step
    if updates.size and updates.max() < TINY_UPDATE and not fit:
        return translate("GradientFlowPanel", "updates tiny everywhere (‖ΔW‖/‖W‖ ≤ {0}, "
                         "healthy ≈ {1}): the weights barely move — learning rate or initial "
                         "weights too small?").format(_sci(updates.max()),
                                                      _sci(HEALTHY_UPDATE)), orange
    return head + translate("GradientFlowPanel", "healthy flow"), theme.hex_color(theme.ACCENT)


def fitting_log_ticks(lo: float, hi: float, height_px: float, label_px: float) -> np.ndarray:
    """log_ticks over [lo, hi] (log10 units), no more of them than labels fit in
    ``height_px``: in a short plot 1-2-5 ticks thin to whole decades, then to every k-th."""
    fit = max(2, int(height_px // max(label_px, 1.0)))
    ticks = log_ticks(lo, hi, n=fit + 1)   # whole steps of decades can leave fewer than n
    if len(ticks) > fit:
        whole = ticks[np.isclose(ticks, np.round(ticks))]
        if len(whole) >= 2:
            ticks = whole
        ticks = ticks[::math.ceil(len(ticks) / fit)]
    return ticks


class CrispBars(pg.BarGraphItem):
    """Bars are axis-aligned: antialiasing them only costs time."""

    def paint(self, p, *args):
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        super().paint(p, *args)


class FlowHistory:
    """log10 of every per-layer quantity over time, in a :class:`DecimatingSeries` (one
    column per layer and quantity): ≤ capacity rows; when full, neighbouring rows are
    averaged (in log space) and each later row averages twice as many snapshots. New layers
    or a step that goes back (a new run) start it afresh; the same step again replaces what
    that step recorded (a setting changed while paused)."""

    def __init__(self, capacity: int = HISTORY):
        self.capacity = capacity - capacity % 2
        self.clear()

    @property
    def n(self) -> int:
        """How many rows are kept (read-only: only ``add`` and ``clear`` change it)."""
        return self._series.n

    def clear(self):
        self.names: list[str] = []
        self._series = DecimatingSeries(self.capacity, columns=0)
        self._last_step: int | None = None

    @property
    def last_step(self) -> int | None:
        """The step added last (it may still wait in a partial average)."""
        return self._last_step

    def add(self, step: int, layers):
        names = [lay["name"] for lay in layers]
        if names != self.names or (self._last_step is not None and step < self._last_step):
            self.clear()
            self.names = names
            self._series = DecimatingSeries(self.capacity, columns=len(names) * len(KEYS))
        row = safe_log10([[lay.get(k, math.nan) for k in KEYS] for lay in layers]).ravel()
        series = self._series
        if step == self._last_step:
            # Forget what that step recorded, stored or still in a partial average.
            series.truncate(step - 1)
        series.append(step, *row.tolist())
        self._last_step = step

    def layer_names(self) -> list[str]:
        """The layers the kept rows are of, input → output."""
        return list(self.names)

    def series(self, key: str):
        """(steps (n,), log10 values (n, layers)) of one quantity."""
        n = self._series.n
        values = self._series.values[:n].reshape(n, len(self.names), len(KEYS))
        return self._series.steps[:n], values[:, :, KEYS.index(key)]


class GradientFlowPanel(Panel):
    panel_id = "gradient_flow"
    refresh_every, refresh_phase = 3, 0  # 10 Hz

    def __init__(self, parent=None, history: int = HISTORY):
        super().__init__(parent)
        self.history = FlowHistory(history)
        self._names: list[str] = []
        self._bar_keeper = RangeKeeper()
        self._time_keeper = RangeKeeper()
        self._x_keeper = RangeKeeper()
        self._bar_yr = (-8.0, 0.0)
        self._time_yr = None
        self._time_xr = None     # (first step, last step + headroom), before the label margin
        self._ticked_px: dict[int, float] = {}   # view height the log ticks were fitted to
        self._label_w = 0.0      # widest line label, px
        self._bar_values: dict[str, np.ndarray] = {}
        self._verdict = ""

        self.verdict_label = QLabel("")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setStyleSheet("font-size: 11pt; font-weight: bold; padding: 2px 4px;")
        self.quantity_box = QComboBox()
        for key in QUANTITIES:
            self.quantity_box.addItem("", key)
        self.quantity_box.setCurrentIndex(KEYS.index("grad_norm_W"))
        self.quantity_box.currentIndexChanged.connect(self._on_quantity_changed)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        self.quantity_title = QLabel()
        top.addWidget(self.quantity_title)
        top.addWidget(self.quantity_box)
        top.addStretch(1)

        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setContentsMargins(2, 2, 2, 2)
        self.view.ci.setSpacing(4)
        self._stacked = False
        self.bar_plot = self.view.addPlot(row=0, col=0)
        self.time_plot = self.view.addPlot(row=0, col=1)
        theme.style_plot(self.bar_plot, "", "", "")
        theme.style_plot(self.time_plot, "", "", "")
        self.view.ci.layout.setColumnStretchFactor(0, 1)
        self.view.ci.layout.setColumnStretchFactor(1, 1)
        self._time_title = ""
        for p in (self.bar_plot, self.time_plot):
            p.enableAutoRange(False)
            p.setMouseEnabled(False, False)
            for ax in ("left", "bottom"):
                p.getAxis(ax).enableAutoSIPrefix(False)
        self.bar_grid = CheapGrid(self.bar_plot)
        self.time_grid = CheapGrid(self.time_plot)

        self.bars: dict[str, pg.BarGraphItem] = {}
        for j, (key, (_, c, _)) in enumerate(QUANTITIES.items()):
            bar = CrispBars(x=np.zeros(0), y0=np.zeros(0), y1=np.zeros(0), width=0.26,
                                  brush=pg.mkBrush(*c, 220), pen=pg.mkPen(None))
            self.bar_plot.addItem(bar)
            self.bars[key] = bar
        self.healthy_line = pg.InfiniteLine(
            math.log10(HEALTHY_UPDATE), angle=0,
            pen=pg.mkPen(*theme.ACCENT, 160, width=1, style=Qt.DashLine))
        self.bar_plot.addItem(self.healthy_line)
        # Compare mode: the flipped copy's ‖∂L/∂W‖ as white outlines over the same bars.
        self.compare_bars = CrispBars(x=np.zeros(0), y0=np.zeros(0), y1=np.zeros(0), width=0.26,
                                      brush=pg.mkBrush(None),
                                      pen=pg.mkPen(255, 255, 255, 230, width=2))
        self.bar_plot.addItem(self.compare_bars)
        self.compare_label = QLabel("")
        self.compare_label.setWordWrap(True)
        self.compare_label.setStyleSheet("font-weight: bold; padding: 0 4px; color: #ffffff;")
        self.compare_label.hide()
        self.time_curves: list[pg.PlotCurveItem] = []
        self.time_labels: list[pg.TextItem] = []
        # Tick and label spacing is in pixels: refit when a view changes size (rare), not
        # every frame.
        self.bar_plot.getViewBox().sigResized.connect(self._on_view_resized)
        self.time_plot.getViewBox().sigResized.connect(self._on_view_resized)

        self.stack_vertically(self.verdict_label, self.compare_label, top, (self.view, 1))
        self.offer_exports("gradient-flow", PlotPicture(self.view))
        self.retranslate()

    def export_table(self) -> Table:
        """The bars now (the snapshot's norms) and every row the history keeps."""
        snap = self.snapshot or {}
        layers = snap.get("layers") or []
        if self.history.layer_names() != [lay["name"] for lay in layers]:
            layers = []   # not yet recorded: nothing to pair the history with
        steps, _ = self.history.series(KEYS[0])
        return gradient_flow_table(snap.get("step"), layers, steps,
                                   {k: self.history.series(k)[1] for k in KEYS})

    def retranslate(self):
        self.verdict_label.setToolTip(self.tr(
            "Every hidden layer's ‖∂L/∂W‖ < {0}: gradients tiny everywhere, nothing learns "
            "(e.g. a too small initial scale).\n"
            "Else ‖∂L/∂W‖ of the first hidden layer divided by that of the last one:\n"
            "< {1}: gradients vanish (deep sigmoid/tanh nets, small weights);\n"
            "> {2}: gradients explode (large weights);\n"
            "every ‖ΔW‖/‖W‖ < {3}: updates tiny (learning rate or initial weights too small?);\n"
            "else: healthy flow.").format(f"{TINY_GRAD:g}", f"{VANISH:g}", f"{EXPLODE:g}",
                                          f"{TINY_UPDATE:g}"))
        for i, (text, _, _) in enumerate(QUANTITIES.values()):
            self.quantity_box.setItemText(i, self.tr(text))
        self.quantity_box.setToolTip(self.tr("Which per-layer quantity the time plot shows"))
        self.quantity_title.setText(self.tr("Over time:"))
        legend = " &nbsp;".join(f"<span style='color:{theme.hex_color(c)}'>▇&nbsp;{t}</span>"
                                for _, c, t in QUANTITIES.values())
        # The dashed line's name lives in the legend: drawn in the plot, it covered the bars.
        legend += (f" &nbsp;<span style='color:{theme.hex_color(theme.ACCENT)}'>╌&nbsp;"
                   + self.tr("healthy ≈ {0}").format(_sci(HEALTHY_UPDATE)).replace(" ", "&nbsp;")
                   + "</span>")
        self.bar_plot.setTitle(self.tr("Now: {0}").format(legend), size="10pt")
        self.bar_plot.setLabel("bottom", self.tr("layer (input → output)"))
        self.bar_plot.setLabel("left", self.tr("norm (log scale)"))
        self.time_plot.setLabel("bottom", self.tr("step"))
        self.time_plot.setLabel("left", self.tr("value (log scale)"))
        self._time_title = ""     # set again by the next draw
        self._verdict = ""
        self._names = []          # tick and line labels too
        self._fit_titles()
        super().retranslate()

    # ------------------------------------------------------------------ public helpers
    def time_quantity(self) -> str:
        return self.quantity_box.currentData()

    def set_time_quantity(self, key: str):
        self.quantity_box.setCurrentIndex(KEYS.index(key))

    def bar_values(self) -> dict[str, np.ndarray]:
        """log10 of each drawn quantity per layer (NaN where 0 / not finite)."""
        return dict(self._bar_values)

    def history_length(self) -> int:
        return self.history.n

    def verdict_text(self) -> str:
        return self.verdict_label.text()

    def _fit_titles(self):
        w = self.view.width() / (1 if self._stacked else 2) - 4
        fit_title(self.bar_plot, w)
        fit_title(self.time_plot, w)

    def _arrange(self):
        """Side by side when there is room, bars above the time plot in a narrow dock."""
        stacked = self.width() < STACK_BELOW
        if stacked == self._stacked:
            return
        self._stacked = stacked
        ci = self.view.ci
        ci.removeItem(self.time_plot)
        if stacked:
            ci.addItem(self.time_plot, row=1, col=0)
        else:
            ci.addItem(self.time_plot, row=0, col=1)

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._arrange()
        self._fit_titles()

    def _text_px(self) -> float:
        """Height of one line of tick or label text, px."""
        return float(self.fontMetrics().height())

    def _set_log_axis(self, grid: CheapGrid, yr):
        """Grid and left-axis labels for a log10 range, as many as fit the view's height
        (a short plot smeared 1-2-5 labels into each other)."""
        height = grid.plot.vb.height()
        set_log_ticks(grid, yr, fitting_log_ticks(*yr, height, 1.4 * self._text_px()))
        self._ticked_px[id(grid)] = height

    def _apply_time_x(self):
        """The time plot's x range: first to last step, plus room for the line labels at the
        right and for half the first step's tick label at the left (pyqtgraph hides a label
        that sticks out of the axis)."""
        lo, hi = self._time_xr
        width = max(self.time_plot.getViewBox().width(), 1.0)
        right = min(0.35, (self._label_w + 8.0) / width)
        left = min(0.1, (0.5 * self.fontMetrics().horizontalAdvance(format_step(lo)) + 3) / width)
        total = (hi - lo) / (1.0 - left - right)
        xr = (lo - left * total, hi + right * total)
        self.time_plot.setXRange(*xr, padding=0)
        set_step_ticks(self.time_grid, xr)

    def _on_view_resized(self):
        # A wider left axis (new tick labels) leaves less room for the wrapped legend title,
        # which would then push the plot past the panel's right edge.
        self._fit_titles()
        for grid, yr in ((self.bar_grid, self._bar_yr), (self.time_grid, self._time_yr)):
            if yr is not None and self._ticked_px.get(id(grid)) != grid.plot.vb.height():
                self._set_log_axis(grid, yr)
        if self._time_xr is not None:
            self._apply_time_x()
        self._dirty = True   # the line labels' spacing is in pixels too

    # ------------------------------------------------------------------ data in
    def set_snapshot(self, snapshot: dict):
        """Store the snapshot and record every layer's norms (kept even while hidden)."""
        layers = snapshot.get("layers") or []
        if layers:
            self.history.add(int(snapshot.get("step", 0)), layers)
        super().set_snapshot(snapshot)

    def reset(self):
        self.history.clear()
        self._time_keeper = RangeKeeper()
        self._x_keeper = RangeKeeper()
        self._bar_keeper = RangeKeeper()
        self._time_yr = self._time_xr = None
        for c in self.time_curves:
            c.setData([], [])
        for t in self.time_labels:
            t.setVisible(False)
        self._dirty = True

    def _on_quantity_changed(self, _i):
        self._time_keeper = RangeKeeper()
        self._time_yr = None
        if self.snapshot is not None:
            self._draw(self.snapshot)

    # ------------------------------------------------------------------ drawing
    def _sync_layers(self, names):
        self._names = list(names)
        xr = (-0.6, len(names) - 0.4)
        self.bar_plot.setXRange(*xr, padding=0)
        self.bar_grid.set_ranges(xr=xr, x_ticks=[])
        self.bar_grid.label_axis("bottom", [(i, short_name(n)) for i, n in enumerate(names)])
        for c in self.time_curves:
            self.time_plot.removeItem(c)
        for t in self.time_labels:
            self.time_plot.removeItem(t)
        self.time_curves, self.time_labels = [], []
        metrics = self.fontMetrics()
        self._label_w = float(max((metrics.horizontalAdvance(short_name(n)) for n in names),
                                  default=0))
        for i, n in enumerate(names):
            c = (235, 235, 240) if n == "output" else theme.layer_color(i)
            # width-1 antialiased pens take Qt's fast path; a wider one (output) goes
            # unantialiased, which pyqtgraph draws as cheap line segments.
            out = n == "output"
            curve = pg.PlotCurveItem(pen=pg.mkPen(c, width=2.5 if out else 1.0),
                                     antialias=not out)
            label = pg.TextItem(short_name(n), color=c, anchor=(0, 0.5))
            label.setVisible(False)
            self.time_plot.addItem(curve)
            self.time_plot.addItem(label)
            self.time_curves.append(curve)
            self.time_labels.append(label)

    def _draw(self, snap: dict):
        layers = snap.get("layers") or []
        names = [lay["name"] for lay in layers]
        if names != self._names:
            self._sync_layers(names)
        n = len(layers)

        # Bars now.
        vals = {k: safe_log10([lay.get(k, math.nan) for lay in layers]) for k in KEYS}
        self._bar_values = vals
        compare = snap.get("compare")
        cvals = (safe_log10([lay.get("grad_norm_W", math.nan) for lay in compare["layers"]])
                 if compare and len(compare["layers"]) == n else np.zeros(0))
        allv = np.concatenate([v for v in vals.values()] + [cvals, [math.log10(HEALTHY_UPDATE)]])
        allv = allv[np.isfinite(allv)]
        r = self._bar_keeper.update(math.floor(allv.min()), math.ceil(allv.max()), pad=0.02)
        if r is not None:
            self._bar_yr = r
            self.bar_plot.setYRange(*r, padding=0)
            self._set_log_axis(self.bar_grid, r)
        base = self._bar_yr[0]
        x = np.arange(n, dtype=float)
        for j, key in enumerate(KEYS):
            v = vals[key]
            top = np.where(np.isfinite(v), np.maximum(v, base), base)
            self.bars[key].setOpts(x=x + (j - 1) * 0.28, y0=np.full(n, base), y1=top, width=0.26)
        self._draw_compare(compare, cvals, x, base, snap.get("config") or {})

        # Over time.
        key = self.time_quantity()
        steps, series = self.history.series(key)
        title = self.tr("{0} per layer over time").format(QUANTITIES[key][2])
        if title != self._time_title:
            self._time_title = title
            self.time_plot.setTitle(title, size="10pt")
            self._fit_titles()
        if len(steps) and series.shape[1] == n:
            fin = series[np.isfinite(series)]
            if fin.size:
                r = self._time_keeper.update(math.floor(fin.min()), math.ceil(fin.max()),
                                             pad=0.02)
                if r is not None:
                    self._time_yr = r
                    self.time_plot.setYRange(*r, padding=0)
                    self._set_log_axis(self.time_grid, r)
            lo = float(steps[0])
            xr = self._x_keeper.update(lo, max(float(steps[-1]), lo + MIN_STEP_SPAN), pad=0.1)
            if xr is not None:
                # From the first step on (the keeper's padding would show negative steps),
                # with headroom so the range changes only now and then.
                self._time_xr = (lo, xr[1])
                self._apply_time_x()
            ends = []
            for i, curve in enumerate(self.time_curves):
                y = series[:, i]
                ok = np.isfinite(y)
                curve.setData(steps[ok].astype(float), y[ok])
                if ok.any():
                    ends.append((float(y[ok][-1]), i, float(steps[ok][-1])))
                else:
                    self.time_labels[i].setVisible(False)
            self._place_labels(ends)

        loss = snap.get("train_loss")
        verdict, color = flow_verdict(layers, None if loss is None else float(loss))
        if verdict != self._verdict:
            self._verdict = verdict
            self.verdict_label.setText(verdict)
            self.verdict_label.setStyleSheet(
                f"font-size: 11pt; font-weight: bold; padding: 2px 4px; color: {color};")

    def _draw_compare(self, compare, cvals, x, base, config: dict):
        """White outlines: the same network with the lesson's switch flipped (the label
        names only the fields that differ from this network's ``config``)."""
        if compare is None or not len(cvals):
            self.compare_bars.setOpts(x=np.zeros(0), y0=np.zeros(0), y1=np.zeros(0))
            self.compare_label.hide()
            return
        j = list(KEYS).index("grad_norm_W")
        top = np.where(np.isfinite(cvals), np.maximum(cvals, base), base)
        self.compare_bars.setOpts(x=x + (j - 1) * 0.28, y0=np.full(len(x), base), y1=top,
                                  width=0.26)
        def current(path):
            section, _, key = path.partition(".")
            return config.get(section, {}).get(key) if key else config.get(section)

        changes = compare["changes"]
        flipped = self.tr(", ").join(f"{k.split('.')[-1]} = {choice_label(v)}"
                                     for k, v in changes.items() if current(k) != v) \
            or self.tr("the same settings")
        verdict, color = flow_verdict(compare["layers"])
        self.compare_label.setText(self.tr("□ white outlines, with {0}: {1}").format(flipped,
                                                                                     verdict))
        self.compare_label.setStyleSheet(f"font-weight: bold; padding: 0 4px; color: {color};")
        self.compare_label.show()

    def compare_values(self) -> np.ndarray:
        """log10 ‖∂L/∂W‖ per layer of the compare run (empty when off)."""
        opts = self.compare_bars.opts
        return np.asarray(opts.get("y1", np.zeros(0)))

    def _place_labels(self, ends):
        """Layer names at the right end of their lines, top down, at least a text line apart
        (in pixels, so they never pile up). A name that would land more than a line and a
        half from its own line is left out: a bundle of lines gets one name, not a heap of
        names that drift beside other lines."""
        lo, hi = self._time_keeper.lo, self._time_keeper.hi
        if not ends or lo is None:
            return
        gap = (hi - lo) * self._text_px() / max(self.time_plot.getViewBox().height(), 1.0)
        placed = None
        for y, i, x in sorted(ends, reverse=True):
            pos = min(y, hi - 0.5 * gap if placed is None else placed - gap)
            pos = max(pos, lo + 0.5 * gap)
            fits = placed is None or placed - pos >= 0.999 * gap
            label = self.time_labels[i]
            if fits and abs(pos - y) <= 1.5 * gap:
                label.setPos(x, pos)
                label.setVisible(True)
                placed = pos
            else:
                label.setVisible(False)
