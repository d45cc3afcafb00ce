"""The data panel's background: the decision regions (or a clicked neuron's output) over the
input plane with its colour bar, and a regression's fitted curve."""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QRectF

from nnvis.app.panels.axes import finite_xy

from .data_colors import NEURON_CMAP, VALUE_CMAP, decision_colors, nice_ceil

MODE_TITLES = {"class2d": QT_TRANSLATE_NOOP("DataViewPanel", "Decision regions (dim = unsure)"),
               "reg2d": QT_TRANSLATE_NOOP("DataViewPanel", "Predicted value"),
               "reg1d": QT_TRANSLATE_NOOP("DataViewPanel", "Fit f(x) and the data"),
               "none": ""}


class DataPlaneMixin:
    """Mixin of :class:`~nnvis.app.panels.data_view.DataViewPanel`: what is drawn under
    the points."""

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
