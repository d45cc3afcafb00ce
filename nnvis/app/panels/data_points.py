"""The data panel's points: the samples coloured by class or target, and picking the one
under a click (the Backprop panel follows it). A part the data panel composes: it owns the
scatters, the last points a snapshot brought and the picked sample's ring."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal

from nnvis.app import theme

from .data_colors import CLASS_RGB, VALUE_CMAP


OUTLINE = (15, 16, 20)


class DataPoints(QObject):
    """The data panel's samples in ``plot``: train (filled) and test (ring) scatters."""

    # A click on a data point: ("train" | "test", index).
    sample_clicked = Signal(str, int)

    def __init__(self, plot: pg.PlotItem, parent=None):
        super().__init__(parent)
        self._plot = plot
        self._points: dict | None = None
        self._mode: str | None = None
        self._brush_lut = None
        self._picked: tuple | None = None
        self._train = pg.ScatterPlotItem(size=7, symbol="o", pen=pg.mkPen(OUTLINE, width=1))
        self._test = pg.ScatterPlotItem(size=8, symbol="o", brush=pg.mkBrush(0, 0, 0, 0))
        for item in (self._train, self._test):
            item.hide()
            plot.addItem(item)
        self._train.setZValue(10)
        self._test.setZValue(11)
        # The sample the Backprop panel follows: a yellow ring.
        self._ring = pg.ScatterPlotItem(size=17, symbol="o", brush=pg.mkBrush(0, 0, 0, 0),
                                        pen=pg.mkPen(245, 197, 66, width=2.5))
        self._ring.setZValue(12)
        plot.addItem(self._ring)

    # ---- what is on screen (read-only)
    @property
    def train_scatter(self) -> pg.ScatterPlotItem:
        return self._train

    @property
    def test_scatter(self) -> pg.ScatterPlotItem:
        return self._test

    @property
    def picked_ring(self) -> pg.ScatterPlotItem:
        return self._ring

    @property
    def points(self) -> dict | None:
        """The last points a snapshot brought (kept: only some snapshots carry them)."""
        return self._points

    @property
    def picked(self) -> tuple | None:
        """(split, index) of the ringed sample, or None."""
        return self._picked

    # ---- told by the panel
    def set_points(self, pts: dict):
        self._points = pts

    def set_mode(self, mode: str):
        self._mode = mode
        self._train.hide()
        self._test.hide()

    def update(self, mode: str, levels) -> bool:
        """Draw the kept points for ``mode``; False if they do not fit it (then hidden).
        ``levels``: the heat map's value range for 2-D regression (None: not known yet)."""
        pts = self._points
        Xtr, Xte = np.asarray(pts["X_train"]), np.asarray(pts["X_test"])
        nf = 1 if mode == "reg1d" else 2
        if Xtr.ndim != 2 or Xtr.shape[1] != nf:
            self._train.hide()
            self._test.hide()
            return False
        ytr = np.asarray(pts["y_train"])
        yte = np.asarray(pts["y_test"])
        if mode == "reg1d":
            self._set_scatter(self.train_scatter, Xtr[:, 0], ytr.reshape(len(ytr), -1)[:, 0],
                              brush=pg.mkBrush(*theme.TRAIN, 200), size=6)
            self._set_scatter(self.test_scatter, Xte[:, 0], yte.reshape(len(yte), -1)[:, 0],
                              pen=pg.mkPen(theme.TEST, width=1.5), size=7)
            return True
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
            self.recolour(levels)
        return True

    def recolour(self, levels):
        """2-D regression: colour the points by target on the heat map's colour scale
        ``levels`` (None: the targets' own range, before the first heat map)."""
        pts = self._points
        if pts is None or self._mode != "reg2d" or np.asarray(pts["X_train"]).shape[-1] != 2:
            return
        if levels is not None:
            lo, hi = levels
        else:
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
        pts = self._points
        if pts is None or self._mode not in ("class2d", "reg2d", "reg1d"):
            return None
        X = np.asarray(pts[f"X_{split}"], np.float64)
        if X.ndim != 2 or not len(X):
            return None
        if self._mode == "reg1d":
            y = np.asarray(pts[f"y_{split}"], np.float64).reshape(len(X), -1)[:, 0]
            return X[:, 0], y
        return (X[:, 0], X[:, 1]) if X.shape[1] == 2 else None

    def sample_at(self, x: float, y: float, radius_px: float = 9.0):
        """(split, index) of the drawn point nearest to plot point (x, y) within radius_px
        pixels, or None."""
        sx, sy = self._plot.getViewBox().viewPixelSize()
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

    def on_clicked(self, ev):
        """A click in the plot's scene: ring the sample under it and say which."""
        if ev.button() != Qt.LeftButton:
            return
        pos = self._plot.getViewBox().mapSceneToView(ev.scenePos())
        hit = self.sample_at(pos.x(), pos.y())
        if hit is not None:
            ev.accept()
            self.mark_sample(*hit)
            self.sample_clicked.emit(*hit)

    def mark_sample(self, split: str | None, index: int = 0):
        """Ring the sample the Backprop panel shows (None: no ring)."""
        self._picked = None if split is None else (split, index)
        coords = None if split is None else self._point_coords(split)
        if coords is None or not 0 <= index < len(coords[0]):
            self._ring.setData(x=[], y=[])
            return
        self._ring.setData(x=[coords[0][index]], y=[coords[1][index]])
