"""Axis helpers shared by the panels: cheap grids, round ticks, log-scale labels.

pyqtgraph's own ``showGrid`` costs ~3–7 ms per plot per paint here, so panels draw their
grid as one non-antialiased curve (:class:`CheapGrid`) and set matching ticks.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextOption

from nnvis.app import theme

_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")  # superscript digits for 10ᵏ labels


def format_step(step: float) -> str:
    """Compact step label for axis ticks: 950, 12.3k, 4.1M."""
    step = float(step)
    if abs(step) < 10_000:
        return f"{step:.0f}"
    if abs(step) < 1_000_000:
        return f"{step / 1e3:.1f}k".replace(".0k", "k")
    return f"{step / 1e6:.1f}M".replace(".0M", "M")


def nice_ticks(lo: float, hi: float, n: int = 5) -> np.ndarray:
    """Round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi], about n of them."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return np.array([lo])
    raw = span / max(n, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = np.arange(first, hi + step * 1e-6, step)
    ticks[np.abs(ticks) < 1e-9 * step] = 0.0   # arange leaves 1e-18 where 0 belongs
    return ticks


class CheapGrid:
    """Faint grid lines as ONE non-antialiased curve, with the axes' ticks set to the same
    values. (pyqtgraph's own showGrid costs ~3–6 ms per plot per paint.)"""

    def __init__(self, plot: pg.PlotItem):
        self.plot = plot
        self.curve = pg.PlotCurveItem(connect="pairs", antialias=False,
                                      pen=pg.mkPen(255, 255, 255, int(255 * theme.GRID_ALPHA)))
        self.curve.setZValue(-10)
        plot.addItem(self.curve)
        plot.showGrid(x=False, y=False)
        self._xr = self._yr = None
        self.xt = self.yt = np.zeros(0)
        self._labels = {"bottom": [], "left": []}

    @property
    def xr(self):
        """The x range the grid is drawn for (read-only: ``set_ranges`` sets it)."""
        return self._xr

    def label_axis(self, side: str, ticks) -> None:
        """Show ``ticks`` — [(value, text)] — on the ``"bottom"`` or ``"left"`` axis."""
        self._labels[side] = [(float(v), text) for v, text in ticks]
        self.plot.getAxis(side).setTicks([self._labels[side]])

    def labels(self, side: str) -> list:
        """The [(value, text)] ticks the ``side`` axis shows."""
        return list(self._labels[side])

    def set_visible(self, on: bool):
        self.curve.setVisible(on)

    def set_ranges(self, xr=None, yr=None, x_ticks=None, y_ticks=None):
        if xr is not None:
            self._xr = xr
            self.xt = nice_ticks(*xr) if x_ticks is None else np.asarray(x_ticks, float)
            self.label_axis("bottom", [(v, f"{v:g}") for v in self.xt])
        if yr is not None:
            self._yr = yr
            self.yt = nice_ticks(*yr, n=4) if y_ticks is None else np.asarray(y_ticks, float)
            self.label_axis("left", [(v, f"{v:g}") for v in self.yt])
        if self._xr is None or self._yr is None:
            return
        xs = np.concatenate([np.repeat(self.xt, 2), np.tile(self._xr, len(self.yt))])
        ys = np.concatenate([np.tile(self._yr, len(self.xt)), np.repeat(self.yt, 2)])
        self.curve.setData(xs.astype(float), ys.astype(float))


def log_label(v: float) -> str:
    """Tick text for log10 value v: 0.01, 1, 100 near 1; 10⁻⁶, 2·10⁻⁶ far from it."""
    k = math.floor(v + 1e-9)
    m = 10 ** (v - k)
    m = round(m) if abs(m - round(m)) < 1e-6 else round(m, 2)
    if -3 <= k <= 3:
        return f"{m * 10.0 ** k:g}"
    power = "10" + str(k).translate(_SUP)
    return power if m == 1 else f"{m:g}·{power}"


def log_ticks(lo: float, hi: float, n: int = 8) -> np.ndarray:
    """Tick positions (log10 units) for a log axis over [lo, hi]: whole decades (every
    k-th when many), or 1-2-5 / 1…9 per decade on short spans."""
    span = hi - lo
    if not (math.isfinite(span) and span > 0):
        return np.array([lo])
    if span >= 2.5:
        step = max(1, math.ceil(span / n))
        first = math.ceil(lo / step - 1e-9) * step
        return np.arange(first, hi + 1e-9, step, dtype=float)
    mult = (1, 2, 5) if span >= 0.8 else tuple(range(1, 10))
    vals = [k + math.log10(m) for k in range(math.floor(lo), math.ceil(hi) + 1) for m in mult]
    vals = np.array([v for v in vals if lo - 1e-9 <= v <= hi + 1e-9])
    if len(vals) < 2:  # a very short span: evenly spaced ticks
        vals = np.linspace(lo, hi, 3)[1:-1] if len(vals) == 0 else vals
        vals = np.unique(np.concatenate([vals, np.log10(nice_ticks(10 ** lo, 10 ** hi, 3))]))
        vals = vals[np.isfinite(vals) & (vals >= lo) & (vals <= hi)]
    return vals


def set_log_ticks(grid: CheapGrid, yr, ticks=None) -> None:
    """Grid lines and left-axis labels for a log10 y axis (``ticks``: log10 positions,
    default :func:`log_ticks`)."""
    ticks = log_ticks(*yr) if ticks is None else ticks
    grid.set_ranges(yr=yr, y_ticks=ticks)
    grid.label_axis("left", [(v, log_label(v)) for v in ticks])


def set_step_ticks(grid: CheapGrid, xr) -> None:
    """Grid lines and bottom-axis labels for a step axis (950, 12k, 1.2M)."""
    ticks = nice_ticks(*xr)
    ticks = ticks[(ticks >= 0) & (ticks == np.round(ticks))]   # steps are whole numbers
    grid.set_ranges(xr=xr, x_ticks=ticks)
    grid.label_axis("bottom", [(v, format_step(v)) for v in ticks])


def fit_title(plot: pg.PlotItem, width: float) -> None:
    """Let a long (legend-carrying) title wrap to ``width`` px instead of widening the plot
    past its view: a pyqtgraph LabelItem's minimum width is its unwrapped text width."""
    label = plot.titleLabel
    item = label.item
    item.setTextWidth(-1)
    width -= plot.getAxis("left").width() + 8   # the title spans the view box only
    if item.boundingRect().width() > width:
        opt = QTextOption(Qt.AlignHCenter)
        opt.setWrapMode(QTextOption.WordWrap)
        item.document().setDefaultTextOption(opt)
        item.setTextWidth(max(float(width), 60.0))
    label.updateMin()
    label.resizeEvent(None)
    # The view sized its central item while the title was still unwrapped, and a
    # QGraphicsWidget never shrinks below its minimum: fit it to the view again.
    view = plot.getViewWidget()
    central = getattr(view, "centralWidget", None)
    if central is not None:
        central.setGeometry(view.range)


def safe_log10(values) -> np.ndarray:
    """log10 of |values|; NaN where a value is 0 or not finite."""
    v = np.asarray(values, np.float64)
    with np.errstate(all="ignore"):
        out = np.log10(np.abs(v))
    out[~np.isfinite(out)] = np.nan
    return out


def finite_xy(x, y):
    """(x, y) as float64, cut to the same length, with non-finite points dropped: nothing
    non-finite ever reaches setData."""
    x = np.asarray(x, np.float64).ravel()
    y = np.asarray(y, np.float64).ravel()
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def short_name(name: str) -> str:
    """A layer's short label: "hidden12" -> "h12", "output" -> "out", "input" -> "in"."""
    m = re.fullmatch(r"hidden(\d+)", name)
    if m:
        return QCoreApplication.translate("Layers", "h{0}").format(m.group(1))
    return {"input": QCoreApplication.translate("Layers", "in"),
            "output": QCoreApplication.translate("Layers", "out")}.get(name, name[:4])


def layer_label(name: str) -> str:
    """A layer's name as the UI shows it: "hidden12", "output" (or their translations)."""
    m = re.fullmatch(r"hidden(\d+)", name)
    if m:
        return QCoreApplication.translate("Layers", "hidden{0}").format(m.group(1))
    return {"input": QCoreApplication.translate("Layers", "input"),
            "output": QCoreApplication.translate("Layers", "output")}.get(name, name)


def set_layer_items(box, names, first=None) -> None:
    """Fill a layer combo box: each item shows :func:`layer_label` and holds the layer's
    name (``first``: an extra (text, data) item on top); the selection is kept by name."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    if first is not None:
        box.addItem(*first)
    for n in names:
        box.addItem(layer_label(n), n)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


def format_number(v, digits: int = 3) -> str:
    """A number for a label: 3 significant digits, a real minus sign, "–" for missing/NaN."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–" if math.isnan(v) else ("∞" if v > 0 else "−∞")
    return f"{v:.{digits}g}".replace("-", "−")
