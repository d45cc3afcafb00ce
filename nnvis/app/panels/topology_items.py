"""The network panel's drawing items, created once and updated per frame: six batched edge
curves (2 signs × 3 magnitude buckets), node fills and borders as codes into pre-made
brush and pen tables, dead and saturation marks, the summary strip and the selection ring."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor

from nnvis.app import theme

from .topology_layout import (BIAS_STEPS, COLOR_GAMMA, LOG_DECADES, LOG_THRESHOLDS, LUT_LEVELS,
                              SAT_THRESHOLD, SHOW_SAT_FROM, WEIGHT_THRESHOLDS, _finite, _pct)
from .topology_style import (_HEX, DROPPED, EDGE_PENS_DENSE, EDGE_PENS_SPARSE, INPUT_FILL, MID,
                             SELECTED, _mix)


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


class TopologyItems:
    """Mixin of :class:`~nnvis.app.panels.topology.TopologyPanel`: what is drawn every frame."""

    def _make_items(self):
        self.edge_curves: dict[tuple[int, int], pg.PlotCurveItem] = {}
        for b in range(3):
            for sign in (1, -1):
                curve = _EdgeCurve(connect="pairs", skipFiniteCheck=True)
                curve.setSegmentedLineMode("on")   # drawLines: faster than one big path
                curve.setZValue(b)
                self.vb.addItem(curve)
                self.edge_curves[(sign, b)] = curve
        self._edge_style = None
        self._set_edge_style(EDGE_PENS_SPARSE)
        self.arcs = pg.PlotCurveItem(pen=pg.mkPen(*theme.ACCENT, 200, width=1.6,
                                                  style=Qt.DashLine), skipFiniteCheck=True)
        self.arcs.setZValue(5)
        self.vb.addItem(self.arcs)
        self.nodes = pg.ScatterPlotItem(pxMode=True, symbol="o")
        self.nodes.setZValue(10)
        self.dead_marks = pg.ScatterPlotItem(pxMode=True, symbol="x", pen=pg.mkPen(None),
                                             brush=pg.mkBrush(20, 22, 27))
        self.dead_marks.setZValue(11)
        self.sat_rings = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=pg.mkBrush(None),
                                            pen=pg.mkPen(*theme.SATURATED, width=2.2))
        self.sat_rings.setZValue(12)
        self.sel_ring = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=pg.mkBrush(None),
                                           pen=pg.mkPen(*SELECTED, width=2.4))
        self.sel_ring.setZValue(13)
        for item in (self.nodes, self.dead_marks, self.sat_rings, self.sel_ring):
            self.vb.addItem(item)

        # Pre-made brushes/pens: the scatter's symbol atlas caches them by identity.
        lut = []
        for t in np.linspace(-1.0, 1.0, LUT_LEVELS):
            c = _mix(MID, theme.NEGATIVE, -t) if t < 0 else _mix(MID, theme.POSITIVE, t)
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

    def _set_edge_style(self, style):
        if style is self._edge_style:
            return
        self._edge_style = style
        bg = QColor(theme.BACKGROUND)
        bg = (bg.red(), bg.green(), bg.blue())
        for (sign, b), curve in self.edge_curves.items():
            width, alpha, aa = style[b]
            color = theme.POSITIVE if sign > 0 else theme.NEGATIVE
            if width > 1.0:   # opaque: fast segment drawing
                pen = pg.mkPen(*_mix(bg, color, alpha / 255.0), width=width)
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
        inp = self.columns[0]
        cols = self.columns[1:]
        k_in = inp.shown
        pu = self._per_unit
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
        r_h = self._hidden_range.update(float(h.max()) if h.size else 0.0)
        r_o = self._output_range.update(float(o.max()) if o.size else 0.0)
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
            self.nodes.setPen(self._pen_table[pcode], update=not brush_changed)
        if brush_changed:
            self.nodes.setBrush(self._brush_table[bcode])
        d = np.flatnonzero(dead) + k_in
        s = np.flatnonzero(sat_mask) + k_in
        if self._marks is None or not (np.array_equal(d, self._marks[0]) and
                                       np.array_equal(s, self._marks[1])):
            self._marks = (d, s)
            self.dead_marks.setData(x=self.node_x[d], y=self.node_y[d], size=self.node_size * 0.6)
            self.sat_rings.setData(x=self.node_x[s], y=self.node_y[s], size=self.node_size + 7)

    def _draw_edges(self, snap, layers):
        if not self._pairs:
            for curve in self.edge_curves.values():
                curve.setData(np.zeros(0), np.zeros(0))
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
        for (sign, b), curve in self.edge_curves.items():
            idx = np.flatnonzero((pos if sign > 0 else neg) & (bucket == b))
            curve.setData(self._edge_x[idx].ravel(), self._edge_y[idx].ravel())

    def _draw_summary(self, layers):
        for c, item in self._summary.items():
            col = self.columns[c]
            lay = layers[col.layer]
            lines = []   # (colour, word, value)
            if col.kind == "hidden":
                dead = _finite(lay.get("dead_fraction"))
                sat = _finite(lay.get("saturated_fraction"))
                if dead > 0:
                    lines.append((_HEX["dead"], self.tr("dead"), _pct(dead)))
                if sat >= SHOW_SAT_FROM:
                    lines.append((_HEX["sat"], self.tr("sat"), _pct(sat)))
            # A narrow column drops the words; the colour still says which is which.
            words = all(self._width(f"{word} {value}", bold=True) <= self._summary_room
                        for _color, word, value in lines)
            html = "<br>".join(f"<span style='color:{color}'>{word + ' ' if words else ''}{value}</span>"
                               for color, word, value in lines)
            if self._summary_html.get(c) != html:
                self._summary_html[c] = html
                item.setHtml(html)

    def _update_selection(self):
        if self.selected is None or not self.columns:
            self.sel_ring.setData(x=[], y=[])
            return
        c = self.hidden_column(self.selected[0])
        if c >= len(self.columns) or self.selected[1] >= self.columns[c].shown:
            self.sel_ring.setData(x=[], y=[])
            return
        p = self.node_position(c, self.selected[1])
        self.sel_ring.setData(x=[p.x()], y=[p.y()], size=self.node_size + 13)
