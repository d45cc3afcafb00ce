"""The data panel's background: the decision regions (or a clicked neuron's output) over the
input plane with its colour bar, and a regression's fitted curve. A part the data panel
composes: it owns those items, the plane's range and the value scales, and which neuron (if
any) it shows; it tells the panel through signals when its title or its legend changes."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QRectF, Signal

from nnvis.app import theme

from nnvis.app.panels.axes import CheapGrid, finite_xy
from nnvis.app.panels.ranges import RangeKeeper

from .data_colors import NEURON_CMAP, VALUE_CMAP, decision_colors, nice_ceil

MODE_TITLES = {"class2d": QT_TRANSLATE_NOOP("DataPlane", "Decision regions (dim = unsure)"),
               "reg2d": QT_TRANSLATE_NOOP("DataPlane", "Predicted value"),
               "reg1d": QT_TRANSLATE_NOOP("DataPlane", "Fit f(x) and the data"),
               "none": ""}


class DataPlane(QObject):
    """What the data panel draws under the points, in ``plot``; the colour bar goes into
    ``layout`` (the plot's graphics layout) beside it. ``neuron_name((layer, unit))``
    names a probed neuron for the title."""

    # The plot's title should read this.
    titled = Signal(str)
    # Which neuron is shown or whether unit curves exist changed; the snapshot (dict) the
    # legend should be written from.
    legend_changed = Signal(object)

    def __init__(self, plot: pg.PlotItem, layout, neuron_name, parent=None):
        super().__init__(parent)
        self._plot = plot
        self._layout = layout
        self._neuron_name = neuron_name
        self._mode: str | None = None
        self._grid: CheapGrid | None = None   # only in 1-D mode (images need none)
        self._bounds = None
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        self._value_levels = (0.0, 1.0)
        self._showing_neuron: tuple | None = None
        self._dismissed: tuple | None = None
        self._has_units = False
        self._units_wanted = True
        self._bar_cmap = self._bar_levels = self._bar_label = None

        self._decision = pg.ImageItem(axisOrder="row-major")
        self._value = pg.ImageItem(axisOrder="row-major")
        self._value.setColorMap(VALUE_CMAP)
        self._neuron = pg.ImageItem(axisOrder="row-major")
        self._neuron.setColorMap(NEURON_CMAP)
        for img in (self._decision, self._value, self._neuron):
            img.setZValue(-20)
            img.hide()
            plot.addItem(img)
        self._unit_curves = pg.PlotCurveItem(pen=pg.mkPen(200, 205, 215, 90, width=1))
        self._fit = pg.PlotCurveItem(pen=pg.mkPen(theme.ACCENT, width=3.5))
        for item in (self._unit_curves, self._fit):
            item.hide()
            plot.addItem(item)
        self._fit.setZValue(5)
        self._colorbar = pg.ColorBarItem(values=(0, 1), colorMap=VALUE_CMAP, width=12,
                                         interactive=False, rounding=1e-9, colorMapMenu=False)
        self._colorbar_in_layout = False

    # ---- what is on screen (read-only)
    @property
    def decision_image(self) -> pg.ImageItem:
        return self._decision

    @property
    def value_image(self) -> pg.ImageItem:
        return self._value

    @property
    def neuron_image(self) -> pg.ImageItem:
        return self._neuron

    @property
    def unit_curves(self) -> pg.PlotCurveItem:
        return self._unit_curves

    @property
    def fit_curve(self) -> pg.PlotCurveItem:
        return self._fit

    @property
    def colorbar(self) -> pg.ColorBarItem:
        return self._colorbar

    @property
    def showing_neuron(self) -> tuple | None:
        """(layer, unit) of the neuron whose output is shown, or None (the prediction)."""
        return self._showing_neuron

    @property
    def has_units(self) -> bool:
        """Whether the 1-D fit comes with its hidden units' curves."""
        return self._has_units

    @property
    def bounds(self):
        """The plane's range as last set (None: not yet)."""
        return self._bounds

    def point_levels(self):
        """The heat map's value range the points are coloured on (None: no heat map yet)."""
        return None if self._value_range.lo is None else self._value_levels

    def mode_title(self, mode: str) -> str:
        """The plot's title for what ``mode`` shows, in the current language."""
        return self.tr(MODE_TITLES[mode]) if MODE_TITLES[mode] else ""

    # ---- told by the panel
    def reset(self):
        """A new run: the scales start again and a dismissed neuron may show again."""
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        self._dismissed = None

    def set_mode(self, mode: str):
        """A new kind of view: everything drawn so far goes."""
        self._mode = mode
        self._bounds = None
        self._y_range = RangeKeeper()
        self._value_range = RangeKeeper()
        for item in (self._decision, self._value, self._neuron, self._unit_curves, self._fit):
            item.hide()
        self._showing_neuron = None
        self._has_units = False
        self._show_colorbar(False)
        if mode == "reg1d":
            if self._grid is None:
                self._grid = CheapGrid(self._plot)
            self._grid.set_visible(True)
        elif self._grid is not None:
            self._grid.set_visible(False)
            for ax in ("bottom", "left"):
                self._plot.getAxis(ax).setTicks(None)

    def dismiss(self):
        """The "× back to prediction" button: the shown neuron stays away until another is
        probed."""
        if self._showing_neuron is not None:
            self._dismissed = self._showing_neuron

    def show_units(self, on: bool):
        """The "hidden units" box: whether the units' curves are wanted."""
        self._units_wanted = on
        self._unit_curves.setVisible(on and self._mode == "reg1d" and self._has_units)

    def _set_title(self, text: str):
        self.titled.emit(text)

    def _show_colorbar(self, on: bool, cmap=None, levels=None, label=""):
        if on and not self._colorbar_in_layout:
            self._layout.addItem(self._colorbar, row=0, col=1)
            self._colorbar_in_layout = True
        elif not on and self._colorbar_in_layout:
            self._layout.removeItem(self._colorbar)
            self._colorbar_in_layout = False
        if on:
            if cmap is not None and cmap is not self._bar_cmap:
                self._colorbar.setColorMap(cmap)
                self._bar_cmap = cmap
            if levels is not None and levels != self._bar_levels:
                self._colorbar.setLevels(values=levels)
                self._bar_levels = levels
            if label != self._bar_label:
                self._colorbar.getAxis("right").setLabel(label)
                self._bar_label = label

    def set_range(self, bounds):
        """Show ``bounds`` ((xmin, xmax) or (xmin, xmax, ymin, ymax)) if finite and new."""
        b = tuple(float(v) for v in bounds)
        if b != self._bounds and all(math.isfinite(v) for v in b):
            self._bounds = b
            self._plot.setXRange(b[0], b[1], padding=0)
            if len(b) == 4:
                self._plot.setYRange(b[2], b[3], padding=0)

    # -- grids
    def update(self, mode: str, gs: dict, points: dict | None, title: str | None = None) -> bool:
        """Draw grid snapshot ``gs`` (with the kept ``points`` for the value scale); True if
        the value scale changed, so the points must be recoloured. ``title``: the plot's
        title for the prediction, if not the mode's own (the same regions on another
        plane)."""
        if mode == "reg1d":
            self._update_fit(gs, points)
            return False
        if "grid_bounds" not in gs:
            return False
        recolour = False
        xmin, xmax, ymin, ymax = (float(v) for v in gs["grid_bounds"])
        self.set_range((xmin, xmax, ymin, ymax))
        neuron = gs.get("neuron")
        neuron = tuple(int(v) for v in neuron) if neuron is not None else None
        if neuron is None:
            self._dismissed = None
        show_neuron = gs.get("neuron_grid") is not None and neuron is not None and \
            neuron != self._dismissed
        if show_neuron:
            img = self._neuron
            data = np.asarray(gs["neuron_grid"], np.float32)
            finite = np.isfinite(data)
            m = nice_ceil(float(np.max(np.abs(data[finite]))) if finite.any() else 1.0)
            data = np.clip(np.where(finite, data, 0.0), -m, m)
            img.setImage(data, autoLevels=False, levels=(-m, m))
            self._show_colorbar(True, NEURON_CMAP, (-m, m), self.tr("neuron output"))
            self._set_title(self.tr("Neuron {0}: output").format(self._neuron_name(neuron)))
        elif mode == "class2d" and "grid_label" in gs:
            img = self._decision
            data = decision_colors(gs["grid_label"], gs["grid_conf"], gs.get("n_classes", 2))
            img.setImage(data, autoLevels=False, levels=(0, 255))
            self._show_colorbar(False)
            self._set_title(title or self.mode_title("class2d"))
        elif mode == "reg2d" and "grid_value" in gs:
            img = self._value
            data = np.asarray(gs["grid_value"], np.float32)
            finite = np.isfinite(data)
            if finite.any():
                lo, hi = float(data[finite].min()), float(data[finite].max())
                if points is not None:
                    t = np.asarray(points["y_train"], np.float64).ravel()
                    t = t[np.isfinite(t)]
                    if t.size:
                        lo, hi = min(lo, float(t.min())), max(hi, float(t.max()))
                r = self._value_range.update(lo, hi, pad=0.1)
                if r is not None:
                    self._value_levels = r
                    recolour = True  # recolour the points on the new scale
            lo, hi = self._value_levels
            data = np.clip(np.where(finite, data, lo), lo, hi)
            img.setImage(data, autoLevels=False, levels=(lo, hi))
            self._show_colorbar(True, VALUE_CMAP, (lo, hi), self.tr("value"))
            self._set_title(self.mode_title("reg2d"))
        else:
            return False
        res_y, res_x = data.shape[:2]
        dx = (xmax - xmin) / max(res_x - 1, 1)
        dy = (ymax - ymin) / max(res_y - 1, 1)
        img.setRect(QRectF(xmin - dx / 2, ymin - dy / 2, dx * res_x, dy * res_y))
        img.show()
        for other in (self._decision, self._value, self._neuron):
            if other is not img:
                other.hide()
        now = neuron if show_neuron else None
        if now != self._showing_neuron:
            self._showing_neuron = now
            self.legend_changed.emit(gs)
        return recolour

    def _update_fit(self, gs: dict, points: dict | None):
        if "fit_x" not in gs:
            return
        x, y = finite_xy(gs["fit_x"], gs["fit_y"])
        self._fit.setData(x, y)
        self._fit.show()
        lo, hi = (float(y.min()), float(y.max())) if y.size else (-1.0, 1.0)
        if points is not None and points["X_train"].shape[-1] == 1:
            t = np.asarray(points["y_train"], np.float64).ravel()
            t = t[np.isfinite(t)]
            if t.size:
                lo, hi = min(lo, float(t.min())), max(hi, float(t.max()))
        if x.size:
            self.set_range((x.min(), x.max()))
        r = self._y_range.update(lo, hi)
        if r is not None:
            self._plot.setYRange(*r, padding=0)
            if self._grid is not None and self._bounds is not None:
                self._grid.set_ranges(xr=self._bounds[:2], yr=r)
        curves = gs.get("unit_curves")
        has_units = curves is not None and len(curves) > 0
        if has_units != self._has_units:
            self._has_units = has_units
            self.legend_changed.emit(gs)
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
            self._unit_curves.setData(xs[keep], np.clip(ys[keep], -lim, lim),
                                     connect=connect[keep])
        self._unit_curves.setVisible(has_units and self._units_wanted)
