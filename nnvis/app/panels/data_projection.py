"""The data panel's views of more than two inputs, which the engine sends with its grids:

* regression — each sample's prediction against its true target (``pred_true``, in the
  target's units), with the y = x diagonal that a perfect prediction would sit on;
* classification — the standardised inputs on the training split's two principal axes
  (``pca``): the points coloured by class, the predicted class over that plane, and a cross
  on each point the network gets wrong.

The points and the decision regions are drawn by the panel's usual parts (DataPoints,
DataPlane), given what they already draw: a grid snapshot and a points dict, made here by
pure functions. What only these views have is a part of its own, :class:`ProjectionMarks`:
the diagonal, the crosses and the pred-vs-true range."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt

from nnvis.app.panels.ranges import RangeKeeper

PROJECTIONS = {"regression": ("predtrue", "pred_true"), "classification": ("pca", "pca")}


def projection_mode(snap: dict | None, task: str | None) -> str | None:
    """"predtrue" or "pca" if ``snap`` holds the view of more than two inputs that ``task``
    asks for; else None (a watched run, or no grid yet)."""
    mode, key = PROJECTIONS.get(task, (None, None))
    return mode if snap is not None and key and snap.get(key) is not None else None


def pca_grid(pca: dict, n_classes) -> dict:
    """The predicted class over the principal plane, as the decision grid of 2-D data."""
    return {"grid_bounds": list(pca["bounds"]), "grid_label": pca["grid_label"],
            "grid_conf": pca["grid_conf"], "n_classes": n_classes}


def pca_points(pca: dict) -> dict:
    """The samples at their principal-axis coordinates, as the points of 2-D data (the
    indices are the splits' own: a click picks the same sample the Backprop panel shows)."""
    return {"X_train": pca["train_xy"], "y_train": pca["train_class"],
            "X_test": pca["test_xy"], "y_test": pca["test_class"], "bounds": pca["bounds"]}


def pred_true_points(pt: dict) -> dict:
    """Predicted against true, as the points of 1-D regression: x = true, y = predicted."""
    return {"X_train": np.asarray(pt["train_true"])[:, None], "y_train": pt["train_pred"],
            "X_test": np.asarray(pt["test_true"])[:, None], "y_test": pt["test_pred"]}


def same_points(pca: dict, other: dict | None) -> bool:
    """Whether two principal-axes views place and colour the same samples alike."""
    return other is not None and all(
        np.array_equal(pca[k], other[k]) for k in ("train_xy", "test_xy", "train_class",
                                                    "test_class"))


def wrong_xy(pca: dict) -> np.ndarray:
    """(n, 2): where the samples whose predicted class is not their class are."""
    xy = [np.asarray(pca[f"{s}_xy"], np.float64)[np.asarray(pca[f"{s}_pred"]) !=
                                                  np.asarray(pca[f"{s}_class"])]
          for s in ("train", "test")]
    xy = np.concatenate(xy).reshape(-1, 2)
    return xy[np.isfinite(xy).all(axis=1)]


class ProjectionMarks(QObject):
    """The diagonal (pred vs true) and the crosses on wrong predictions (PCA) in ``plot``;
    and the square range that holds both the true and the predicted values."""

    def __init__(self, plot: pg.PlotItem, parent=None):
        super().__init__(parent)
        self._diagonal = pg.PlotCurveItem(pen=pg.mkPen(235, 235, 235, 200, width=1.5,
                                                       style=Qt.DashLine))
        self._diagonal.setZValue(5)      # under the points (10, 11)
        # White crosses over the class-coloured points: "this one is predicted wrong",
        # readable on every class colour and over the decision regions.
        self._wrong = pg.ScatterPlotItem(size=9, symbol="x", pen=pg.mkPen(None),
                                         brush=pg.mkBrush(255, 255, 255, 230))
        self._wrong.setZValue(13)
        for item in (self._diagonal, self._wrong):
            item.hide()
            plot.addItem(item)
        self._range = RangeKeeper()

    # ---- what is on screen (read-only)
    @property
    def diagonal(self) -> pg.PlotCurveItem:
        return self._diagonal

    @property
    def wrong(self) -> pg.ScatterPlotItem:
        return self._wrong

    # ---- told by the panel
    def set_mode(self, mode: str | None):
        """A new view: only its own marks show; the range starts again."""
        self._range = RangeKeeper()
        self._diagonal.setVisible(mode == "predtrue")
        self._wrong.setVisible(mode == "pca")
        if mode != "pca":
            self._wrong.setData([], [])

    def update_pca(self, pca: dict):
        xy = wrong_xy(pca)
        self._wrong.setData(xy[:, 0], xy[:, 1])

    def update_pred_true(self, pt: dict):
        """The diagonal across the values; the plane's new (x0, x1, y0, y1) if the range
        must change (the same for both axes: the diagonal at 45°), else None."""
        def finite(*keys):
            v = np.concatenate([np.asarray(pt[k], np.float64).ravel() for k in keys])
            return v[np.isfinite(v)]

        true, pred = finite("train_true", "test_true"), finite("train_pred", "test_pred")
        if not true.size:
            return None
        lo, hi = float(true.min()), float(true.max())
        # Predictions widen the range, but an untrained network's wild ones only so far:
        # the true values must stay readable.
        reach = 0.5 * max(hi - lo, 1e-9)
        if pred.size:
            lo = max(min(lo, float(pred.min())), lo - reach)
            hi = min(max(hi, float(pred.max())), hi + reach)
        r = self._range.update(lo, hi, pad=0.05)
        if r is None:
            return None
        self._diagonal.setData(np.array(r), np.array(r))
        return (r[0], r[1], r[0], r[1])
