"""The network panel's drawing items, created once and updated per frame: six batched edge
curves (2 signs × 3 magnitude buckets), node fills and borders as codes into pre-made
brush and pen tables, dead and saturation marks and the selection ring. A part the network
panel composes: it owns these items and their colour ranges, and is told where the nodes
are (a :class:`Geometry`) when the panel lays them out."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QBrush, QColor

from nnvis.app import theme
from nnvis.app.panels.ranges import RangeKeeper

from .topology_layout import (BIAS_STEPS, COLOR_GAMMA, DENSE_EDGES, LOG_DECADES, LOG_THRESHOLDS,
                              LUT_LEVELS, SAT_THRESHOLD, WEIGHT_THRESHOLDS, Geometry,
                              per_unit)
from .topology_style import (DROPPED, EDGE_PENS_DENSE, EDGE_PENS_SPARSE, INPUT_FILL, MID, SELECTED,
                             mix_rgb)


class _EdgeCurve(pg.PlotCurveItem):
    """A curve whose bounds are the whole view (set on layout): the scene asks for them on
    every paint, and recomputing min/max over 20k points each frame is wasted work."""

    _rect = QRectF(0, 0, 1, 1)

    def set_bounds(self, rect: QRectF):
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def boundingRect(self):
        return self._rect

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        r = self._rect
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())


class TopologyItems(QObject):
    """What the network panel draws every frame, in the panel's ViewBox ``vb``."""

    def __init__(self, vb: pg.ViewBox, parent=None):
        super().__init__(parent)
        self._geometry = Geometry()
        self._hidden_range = RangeKeeper()
        self._output_range = RangeKeeper()
        self._edge_x = np.zeros((0, 2))
        self._edge_y = np.zeros((0, 2))
        self._pairs: list[tuple[int, int, int, int]] = []   # (layer, n_in, n_out, offset)
        self._edge_curves: dict[tuple[int, int], pg.PlotCurveItem] = {}
        for b in range(3):
            for sign in (1, -1):
                curve = _EdgeCurve(connect="pairs", skipFiniteCheck=True)
                curve.setSegmentedLineMode("on")   # drawLines: faster than one big path
                curve.setZValue(b)
                vb.addItem(curve)
                self._edge_curves[(sign, b)] = curve
        self._edge_style = None
        self._set_edge_style(EDGE_PENS_SPARSE)
        self._nodes = pg.ScatterPlotItem(pxMode=True, symbol="o")
        self._nodes.setZValue(10)
        self._dead_marks = pg.ScatterPlotItem(pxMode=True, symbol="x", pen=pg.mkPen(None),
                                              brush=pg.mkBrush(20, 22, 27))
        self._dead_marks.setZValue(11)
        self._sat_rings = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=pg.mkBrush(None),
                                             pen=pg.mkPen(*theme.SATURATED, width=2.2))
        self._sat_rings.setZValue(12)
        self._sel_ring = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=pg.mkBrush(None),
                                            pen=pg.mkPen(*SELECTED, width=2.4))
        self._sel_ring.setZValue(13)
        for item in (self._nodes, self._dead_marks, self._sat_rings, self._sel_ring):
            vb.addItem(item)

        # Pre-made brushes/pens: the scatter's symbol atlas caches them by identity.
        lut = []
        for t in np.linspace(-1.0, 1.0, LUT_LEVELS):
            c = mix_rgb(MID, theme.NEGATIVE, -t) if t < 0 else mix_rgb(MID, theme.POSITIVE, t)
            lut.append(QBrush(QColor(*c)))
        self._brush_dead = QBrush(QColor(*theme.DEAD))
        self._brush_input = QBrush(QColor(*INPUT_FILL))
        self._brush_unknown = QBrush(QColor(36, 38, 44))
        self._brush_dropped = QBrush(QColor(theme.BACKGROUND))
        self._pen_neutral = pg.mkPen(150, 156, 172, width=1.0)
        self._pen_unknown = pg.mkPen(110, 110, 110, width=1.0, style=Qt.DotLine)
        self._pen_input = pg.mkPen(235, 238, 245, width=1.0)
        self._brush_table = np.empty(LUT_LEVELS + 4, dtype=object)
        self._brush_table[:] = lut + [self._brush_dead, self._brush_input, self._brush_unknown,
                                      self._brush_dropped]
        self._pen_table = np.empty(8, dtype=object)
        self._set_bias_pens(2.4)
        self._node_codes = None
        self._marks = None

    # ---- what is on screen (read-only, for the panel's read-model and the tests)
    @property
    def edge_curves(self) -> dict:
        return self._edge_curves

    @property
    def nodes(self) -> pg.ScatterPlotItem:
        return self._nodes

    @property
    def dead_marks(self) -> pg.ScatterPlotItem:
        return self._dead_marks

    @property
    def sat_rings(self) -> pg.ScatterPlotItem:
        return self._sat_rings

    @property
    def sel_ring(self) -> pg.ScatterPlotItem:
        return self._sel_ring

    def fill_codes(self) -> np.ndarray:
        """Every node's fill as a code into the brush table (see :meth:`_draw_nodes`)."""
        return np.zeros(0, np.int64) if self._node_codes is None else self._node_codes[0]

    def edge_pairs(self) -> tuple:
        """(layer, n_in, n_out, offset) of every layer pair whose edges are drawn."""
        return tuple(self._pairs)

    # ---- told by the panel
    def reset_ranges(self):
        """A new run: the colour ranges start again."""
        self._hidden_range = RangeKeeper()
        self._output_range = RangeKeeper()

    def place(self, geometry: Geometry, layers, strip: bool, bounds: QRectF):
        """New node positions (a structure or size change): the nodes move, the marks are
        dropped until the next frame, and the edges' end points are worked out once here so
        that a frame only picks the curve each edge goes to."""
        self._geometry = geometry
        for curve in self._edge_curves.values():
            curve.set_bounds(bounds)
        size = geometry.node_size
        if not geometry.columns:
            self._edge_x = self._edge_y = np.zeros((0, 2))
            self._pairs = []
            for item in (self._nodes, self._dead_marks, self._sat_rings, self._sel_ring):
                item.setData(x=[], y=[])
            return
        self._set_bias_pens(float(np.clip(size * 0.2, 1.0, 2.6)))
        self._node_codes = self._marks = None
        self._nodes.setData(x=geometry.node_x, y=geometry.node_y, size=size, symbol="o")
        self._dead_marks.setData(x=[], y=[])
        self._sat_rings.setData(x=[], y=[])

        # Edge end points of every layer pair, in the row-major order of ``edges``.
        ex, ey, self._pairs = [], [], []
        offset = 0
        for li, lay in enumerate(layers if not strip else ()):
            a, b = geometry.columns[li], geometry.columns[li + 1]
            shape = np.shape(lay.get("edges")) if lay.get("edges") is not None else (0, 0)
            if len(shape) != 2:
                continue
            ni, no = min(shape[0], a.shown), min(shape[1], b.shown)
            if ni == 0 or no == 0:
                continue
            ex.append(np.stack([np.full(ni * no, a.x), np.full(ni * no, b.x)], axis=1))
            ey.append(np.stack([np.repeat(a.ys[:ni], no), np.tile(b.ys[:no], ni)], axis=1))
            self._pairs.append((li, ni, no, offset))
            offset += ni * no
        self._edge_x = np.concatenate(ex) if ex else np.zeros((0, 2))
        self._edge_y = np.concatenate(ey) if ey else np.zeros((0, 2))
        self._set_edge_style(EDGE_PENS_DENSE if offset > DENSE_EDGES else EDGE_PENS_SPARSE)

    def draw(self, snap, layers):
        """One frame: node colours and marks, and the edges."""
        self._draw_nodes(snap, layers)
        self._draw_edges(snap, layers)

    def clear_edges(self):
        for curve in self._edge_curves.values():
            curve.setData(np.zeros(0), np.zeros(0))

    def show_selection(self, column: int | None, unit: int = 0):
        """The ring round the selected node (``column`` None: no ring)."""
        g = self._geometry
        if column is None or column >= len(g.columns) or unit >= g.columns[column].shown:
            self._sel_ring.setData(x=[], y=[])
            return
        x, y = g.position(column, unit)
        self._sel_ring.setData(x=[x], y=[y], size=g.node_size + 13)

    def _set_edge_style(self, style):
        if style is self._edge_style:
            return
        self._edge_style = style
        bg = QColor(theme.BACKGROUND)
        bg = (bg.red(), bg.green(), bg.blue())
        for (sign, b), curve in self._edge_curves.items():
            width, alpha, aa = style[b]
            color = theme.POSITIVE if sign > 0 else theme.NEGATIVE
            if width > 1.0:   # opaque: fast segment drawing
                pen = pg.mkPen(*mix_rgb(bg, color, alpha / 255.0), width=width)
            else:
                pen = pg.mkPen(*color, alpha, width=width)
            curve.opts["antialias"] = aa
            curve.setPen(pen)

    def _set_bias_pens(self, wmax: float):
        """Pen table: 0 neutral, 1 unknown (non-finite), 2 dropped, 3 input,
        4/5 positive bias (|b| ≥ 0.05 / ≥ 0.5), 6/7 negative bias."""
        w1, w2 = min(1.6, max(1.0, 0.6 * wmax)), wmax   # thin on small nodes: the fill stays visible
        # A dropped unit is a hole with a bright ring: it must flash at 15 Hz, not merely
        # darken, so its ring is at least as thick as the strongest bias border.
        dropped = pg.mkPen(*DROPPED, width=max(1.8, wmax))
        self._pen_table[:] = [self._pen_neutral, self._pen_unknown, dropped, self._pen_input,
                              pg.mkPen(*theme.POSITIVE, width=w1), pg.mkPen(*theme.POSITIVE, width=w2),
                              pg.mkPen(*theme.NEGATIVE, width=w1), pg.mkPen(*theme.NEGATIVE, width=w2)]

    def _draw_nodes(self, snap, layers):
        """Node fill/border as integer codes into pre-made brush/pen tables, computed for all
        nodes at once; the scatter is touched only when a code changed."""
        g = self._geometry
        inp = g.columns[0]
        cols = g.columns[1:]
        k_in = inp.shown
        pu = per_unit
        mean = np.concatenate([pu(layers[c.layer], "unit_mean", c.shown, np.nan) for c in cols])
        bias = np.concatenate([pu(layers[c.layer], "bias", c.shown, np.nan) for c in cols])
        dead = np.concatenate([pu(layers[c.layer], "unit_dead", c.shown, False, bool) for c in cols])
        sat = np.concatenate([pu(layers[c.layer], "unit_saturated", c.shown, 0.0) for c in cols])
        is_out = np.concatenate([np.full(c.shown, c.kind == "output") for c in cols])
        running = bool(snap.get("running"))
        dropped = np.concatenate([
            ~pu(layers[c.layer], "dropout_mask", c.shown, True, bool)
            if running and c.kind == "hidden" and layers[c.layer].get("dropout_mask") is not None
            else np.zeros(c.shown, bool) for c in cols])

        finite = np.isfinite(mean)
        m0 = np.where(finite, mean, 0.0)
        h, o = np.abs(m0[finite & ~is_out]), np.abs(m0[finite & is_out])
        r_h = self._hidden_range.symmetric(float(h.max()) if h.size else 0.0)
        r_o = self._output_range.symmetric(float(o.max()) if o.size else 0.0)
        r = np.where(is_out, r_o, r_h)
        t = np.clip(m0 / r, -1, 1)
        t = np.sign(t) * np.abs(t) ** COLOR_GAMMA
        bcode = np.rint((t + 1) * 0.5 * (LUT_LEVELS - 1)).astype(np.int64)
        bcode[~finite] = LUT_LEVELS + 2
        bcode[dead] = LUT_LEVELS
        b0 = np.where(np.isfinite(bias), bias, 0.0)
        ab = np.abs(b0)
        step = (ab >= BIAS_STEPS[0]).astype(np.int64) + (ab >= BIAS_STEPS[1])
        pcode = np.where(step > 0, 3 + step + 2 * (b0 < 0), 0)
        pcode[~finite] = 1
        bcode[dropped] = LUT_LEVELS + 3
        pcode[dropped] = 2
        sat_mask = (np.nan_to_num(sat, nan=0.0) > SAT_THRESHOLD) & ~dropped
        dead &= ~dropped
        pcode[dead] = 0   # a grey ring, not the bias colour: the whole dead node reads grey
        bcode = np.concatenate([np.full(k_in, LUT_LEVELS + 1), bcode])
        pcode = np.concatenate([np.full(k_in, 3), pcode])
        old = self._node_codes
        pen_changed = old is None or not np.array_equal(pcode, old[1])
        brush_changed = old is None or not np.array_equal(bcode, old[0])
        self._node_codes = (bcode, pcode)
        if pen_changed:
            self._nodes.setPen(self._pen_table[pcode], update=not brush_changed)
        if brush_changed:
            self._nodes.setBrush(self._brush_table[bcode])
        d = np.flatnonzero(dead) + k_in
        s = np.flatnonzero(sat_mask) + k_in
        if self._marks is None or not (np.array_equal(d, self._marks[0]) and
                                       np.array_equal(s, self._marks[1])):
            self._marks = (d, s)
            self._dead_marks.setData(x=g.node_x[d], y=g.node_y[d], size=g.node_size * 0.6)
            self._sat_rings.setData(x=g.node_x[s], y=g.node_y[s], size=g.node_size + 7)

    def _draw_edges(self, snap, layers):
        if not self._pairs:
            self.clear_edges()
            return
        vals = np.empty(self._edge_x.shape[0], np.float64)
        for li, ni, no, off in self._pairs:
            vals[off:off + ni * no] = np.asarray(layers[li]["edges"], np.float64)[:ni, :no].ravel()
        with np.errstate(all="ignore"):
            a = np.abs(vals)
            valid = np.isfinite(vals) & (a > 0)
            mag = np.zeros_like(vals)
            if snap.get("edge_mode", "weights") == "weights":
                for li, ni, no, off in self._pairs:
                    seg = slice(off, off + ni * no)
                    v = valid[seg]
                    top = float(a[seg][v].max()) if v.any() else 0.0
                    if top > 0:
                        mag[seg] = a[seg] / top
                t1, t2 = WEIGHT_THRESHOLDS[self._edge_style is EDGE_PENS_DENSE]
            else:
                top = float(a[valid].max()) if valid.any() else 0.0
                if top > 0:
                    mag = 1.0 + np.log10(np.where(valid, a, top) / top) / LOG_DECADES
                t1, t2 = LOG_THRESHOLDS
        bucket = (mag >= t1).astype(np.int8) + (mag >= t2)
        pos = valid & (vals > 0)
        neg = valid & (vals < 0)
        for (sign, b), curve in self._edge_curves.items():
            idx = np.flatnonzero((pos if sign > 0 else neg) & (bucket == b))
            curve.setData(self._edge_x[idx].ravel(), self._edge_y[idx].ravel())
