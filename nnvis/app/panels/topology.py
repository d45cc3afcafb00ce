"""The network drawn live: columns of neurons joined by coloured edges.

Node fill = the unit's mean activation on the probe batch (blue − … orange +, one symmetric
range for the hidden layers and one for the output, both with hysteresis); node border = the
bias (orange +, blue −, thicker = larger |b|); a grey node with a dark × is a dead unit (never
active on the probe batch); a red ring marks a unit that is saturated on more than half of the
batch; while training, a unit dropped by dropout this step is a hollow yellow ring. Under each
column a summary strip says "dead 40%" / "sat 80%" when non-zero. Nodes never shrink below
``MIN_NODE``: a column that does not fit shows fewer units and says "+N more". Captions
under narrow columns shorten ("hidden3 / 16 sigmoid" → "h3 / 16" → "h3"), then only every
k-th column is labelled: no two captions overlap.

The readout line under the drawing describes the node or layer under the pointer and is
rewritten from every drawn snapshot, so its numbers follow training while the pointer rests.

Edges show what the snapshot's ``edges`` hold (``edge_mode``): weights, gradients or the
update/weight ratio. Colour = sign, thickness/brightness = magnitude in three buckets; they
are drawn as 2 signs × 3 buckets = 6 ``PlotCurveItem(connect="pairs")`` shared by all layer
pairs, created once. Weights are scaled per layer pair; gradients and ratios on a log scale
relative to the largest value in the whole network, so a vanishing gradient shows as the
early layers' edges fading out.

Everything lives in one ViewBox whose coordinates are the view's pixels (y down): circles
stay round and text never overlaps nodes whatever the panel's size. Positions are rebuilt
only when the structure (or the panel's size) changes; every other frame only calls
``setData``/``setBrush``.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy

from nnvis.app import theme
from nnvis.app.panels.base import Panel, toolbar_row

# DROPPED and LUT_LEVELS are imported from here by the tests.
from .topology_layout import (BOTTOM, DENSE_EDGES, LOG_DECADES, MAX_GAP, MIN_NODE,
                              MIN_STRIP_NODE, NODE_FILL, STRIP_FILL,
                              TOP_PLAIN, TOP_TAGS, LUT_LEVELS, Column, SymmetricRange, _finite,
                              every_kth, per_unit, structure_key)
from .topology_style import (_HEX, DROPPED, EDGE_MODES, EDGE_PENS_DENSE, EDGE_PENS_SPARSE,
                             LEGEND_TIPS)
from .topology_hover import TopologyHover
from .topology_items import TopologyItems
from .topology_labels import TopologyLabels


class TopologyPanel(TopologyLabels, TopologyItems, TopologyHover, Panel):
    panel_id = "topology"
    refresh_every, refresh_phase = 2, 0  # the network: 15 Hz
    title = "Network"

    edge_mode_changed = Signal(str)       # "weights" | "gradients" | "ratio"
    neuron_clicked = Signal(int, int)     # hidden block index (0-based), unit
    #: The hidden unit under the pointer (block index, unit); the Backprop panel singles it
    #: out in wide layers. Not emitted on leaving: the last one stays chosen.
    unit_hovered = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._edge_mode = "weights"
        self.selected: tuple[int, int] | None = None
        self.columns: list[Column] = []
        self.node_x = np.zeros(0)
        self.node_y = np.zeros(0)
        self.node_size = 10.0
        self.strip = False          # too many layers for edges: columns of units only
        self._key = None
        self._size = (0, 0)
        self._hidden_range = SymmetricRange()
        self._output_range = SymmetricRange()
        self._edge_x = np.zeros((0, 2))
        self._edge_y = np.zeros((0, 2))
        self._pairs: list[tuple[int, int, int, int]] = []   # (layer, n_in, n_out, offset)
        self._texts: list[pg.TextItem] = []
        self._summary: dict[int, pg.TextItem] = {}
        self._summary_html: dict[int, str] = {}
        self._hover_text = ""
        self._hover_pos: QPointF | None = None   # view point under the pointer, if any
        self._hovered_unit: tuple | None = None  # (column, unit) last hovered
        self._drawn: dict | None = None          # the snapshot the columns were drawn from
        self._dropout_on = False                 # the caption then explains dropped units
        self._summary_room = 0.0                 # px for "dead 40%" under a column
        self._fonts: dict[tuple[float, bool], QFont] = {}
        self._widths: dict[tuple[str, float, bool], float] = {}

        # ---- toolbar: edge-mode switch + legend line
        self.mode_box = QComboBox()
        for mode, label in EDGE_MODES:
            self.mode_box.addItem(label, mode)
        self.mode_box.currentIndexChanged.connect(self._on_mode_index)
        self.legend = QLabel("")
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setWordWrap(True)
        self.legend.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.mode_title = QLabel()
        top = toolbar_row(self.mode_title, self.mode_box, None, (self.legend, 1),
                          margins=(6, 3, 6, 0))

        # ---- the drawing: one ViewBox in pixel coordinates (y down)
        self.view = pg.GraphicsView()
        self.view.setBackground(theme.BACKGROUND)
        self.view.setMouseTracking(True)
        self.vb = pg.ViewBox(enableMouse=False, invertY=True, defaultPadding=0.0,
                             enableMenu=False)
        self.vb.enableAutoRange(False)
        self.view.setCentralItem(self.vb)
        self.vb.sigResized.connect(self._on_resized)
        self.view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        self.view.viewport().installEventFilter(self)

        self.info = QLabel("")
        self.info.setTextFormat(Qt.RichText)
        self.info.setWordWrap(True)
        self.info.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
        self.info.setContentsMargins(6, 0, 6, 2)
        # Two lines always: the caption and most readouts fit in them, so hovering does not
        # change the label's height, which would resize the view and move the nodes away
        # from under the pointer.
        lines = QFontMetricsF(self.info.font()).lineSpacing()
        self.info.setMinimumHeight(int(math.ceil(2 * lines)) + 4)

        self.stack_vertically(top, (self.view, 1), self.info)

        self._make_items()
        self.retranslate()


    @property
    def edge_mode(self) -> str:
        """What the edges show: "weights", "gradients" or "ratio"."""
        return self._edge_mode

    def retranslate(self):
        for i, (_mode, label) in enumerate(EDGE_MODES):
            self.mode_box.setItemText(i, self.tr(label))
        self.mode_box.setToolTip(self.tr(
            "What the edges show:\nWeights: w (orange +, blue −)\nGradients: ∂L/∂w of the last "
            "probe batch\nUpdate/weight ratio: |Δw| / |w| of the last optimiser step"))
        self.mode_title.setText(self.tr("Edges:"))
        self._set_legend(self.snapshot.get("edge_mode", self.edge_mode) if self.snapshot
                         else self.edge_mode)
        self._widths.clear()
        self._key = None            # captions and tags are laid out anew in the new words
        self._hover_text = ""
        if self._hover_pos is None:
            self._show_default_info()
        else:
            self._show_hover()
        super().retranslate()

    # ------------------------------------------------------------------ items (created once)

    # ------------------------------------------------------------------ public API
    def set_edge_mode(self, mode: str):
        """Select what the edges show ("weights" | "gradients" | "ratio"); emits
        ``edge_mode_changed`` if it changed."""
        for i, (m, _label) in enumerate(EDGE_MODES):
            if m == mode:
                self.mode_box.setCurrentIndex(i)
                return
        raise ValueError(f"unknown edge mode {mode!r}")

    def select_neuron(self, layer: int | None, unit: int | None = None):
        """Highlight hidden block ``layer``'s ``unit`` (None clears); does not emit."""
        self.selected = None if layer is None or unit is None else (int(layer), int(unit))
        self._update_selection()

    def reset(self):
        self._hidden_range = SymmetricRange()
        self._output_range = SymmetricRange()
        self.selected = None
        self._key = None
        self._dirty = True

    def node_position(self, column: int, unit: int) -> QPointF:
        """View (= pixel) coordinates of a drawn node; column 0 is the input column."""
        col = self.columns[column]
        i = col.start + unit
        return QPointF(float(self.node_x[i]), float(self.node_y[i]))

    def hidden_column(self, layer: int) -> int:
        """Column index of hidden block ``layer`` (0-based)."""
        return layer + 1

    # ------------------------------------------------------------------ mouse

    def _on_mode_index(self, index: int):
        mode = self.mode_box.itemData(index)
        if mode == self.edge_mode:
            return
        self._edge_mode = mode
        self._set_legend(self.snapshot.get("edge_mode", mode) if self.snapshot else mode)
        self.edge_mode_changed.emit(mode)

    def _set_legend(self, mode: str):
        pos = f"<span style='color:{_HEX['pos']}'>" + self.tr("orange +") + "</span>"
        neg = f"<span style='color:{_HEX['neg']}'>" + self.tr("blue −") + "</span>"
        if mode == "gradients":
            text = self.tr("<b>gradients ∂L/∂w</b>: {0} / {1}; thicker = larger (log, whole "
                           "net); faint early layers = vanishing").format(pos, neg)
        elif mode == "ratio":
            text = self.tr("<b>update/weight |Δw|/|w|</b> of the last step; thicker = larger "
                           "(log, whole net)")
        else:
            text = self.tr("<b>weights w</b>: {0} / {1}; thicker &amp; brighter = larger |w| "
                           "(per layer)").format(pos, neg)
        if mode != self.edge_mode:
            text += " <i>" + self.tr("(switching…)") + "</i>"
        if self.strip:
            text = self.tr("<b>edges not drawn</b>: too many layers to keep them apart")
        self.legend.setText(text)
        self.legend.setToolTip(self.tr(LEGEND_TIPS[mode]).format(f"{LOG_DECADES:.0f}")
                               if mode in LEGEND_TIPS else "")

    # ------------------------------------------------------------------ layout
    def _on_resized(self):
        if self.snapshot is not None and self.vb.width() > 10 and self.vb.height() > 10:
            self._draw(self.snapshot)

    _structure_key = staticmethod(structure_key)

    def _rebuild(self, snap: dict, W: float, H: float):
        """Positions, labels, tags and arcs for this structure and size (not per frame)."""
        for item in self._texts:
            self.vb.removeItem(item)
        self._texts = []
        self._summary = {}
        self._summary_html = {}
        layers = snap.get("layers") or []
        self.vb.setRange(xRange=(0, W), yRange=(0, H), padding=0)
        for curve in self.edge_curves.values():
            curve.set_bounds(QRectF(0, 0, W, H))
        if not layers:
            self.columns = []
            self.node_x = self.node_y = np.zeros(0)
            self._edge_x = self._edge_y = np.zeros((0, 2))
            self._pairs = []
            for item in (self.nodes, self.dead_marks, self.sat_rings, self.sel_ring, self.arcs):
                item.setData(x=[], y=[])
            return

        first = layers[0]
        n_in_total = int(first.get("fan_in") or snap.get("n_features") or 0)
        n_in_shown = int(first.get("shown_in") or min(n_in_total, 32))
        hidden = [lay for lay in layers if lay.get("kind") != "output"]
        dropout_on = any(_finite(lay.get("dropout")) > 0 for lay in hidden)
        if dropout_on != self._dropout_on:
            self._dropout_on = dropout_on
            if not self._hover_text:
                self._show_default_info()
        decorated = dropout_on or any(lay.get("batch_norm") or lay.get("residual") for lay in hidden)
        top = TOP_TAGS if decorated else TOP_PLAIN
        avail = max(H - top - BOTTOM, 24.0)
        # Nodes at least MIN_NODE wide and one text line apart: the names beside the input
        # and output nodes ("x1", "class 0") then never overlap either.
        min_gap = max(MIN_NODE / NODE_FILL, QFontMetricsF(self._font()).height())
        fit = max(1, int(avail // min_gap))
        specs = [("input", "input", min(n_in_shown, fit), n_in_total, -1)]
        for i, lay in enumerate(layers):
            kind = "output" if lay.get("kind") == "output" else "hidden"
            specs.append((kind, str(lay.get("name")), min(int(lay.get("shown_out", 0)), fit),
                          int(lay.get("width", 0)), i))
        maxn = max(1, max(s[2] for s in specs))
        gap = min(avail / maxn, MAX_GAP)
        size = float(np.clip(gap * NODE_FILL, MIN_NODE, 24.0))
        # A deep network (a watched PyTorch model) becomes a strip of thin columns: nodes
        # narrower than half the column spacing, so the columns and edges stay apart.
        # Their ~10k edges would only paint the strip over: a strip shows the units alone.
        size = min(size, max(MIN_STRIP_NODE, STRIP_FILL * (W - 92.0) / max(len(specs) - 1, 1)))
        self.strip = size < MIN_NODE
        self.node_size = size
        self._set_bias_pens(float(np.clip(size * 0.2, 1.0, 2.6)))
        self._node_codes = self._marks = None

        in_labels = self._input_labels(snap, specs[0][2]) if specs[0][2] <= 16 else []
        out_labels = self._output_labels(snap, specs[-1][2])
        left = max(14 + max((self._width(s) + 8 for s in in_labels), default=0) + size / 2,
                   48.0)   # 48: room for the column label under the input column
        right = max(14 + max((self._width(s) + 8 for s in out_labels), default=0) + size / 2, 44.0)
        ncols = len(specs)
        span = max(W - left - right, 10.0)
        cy = top + avail / 2

        self.columns = []
        xs, ys = [], []
        start = 0
        for c, (kind, name, shown, total, li) in enumerate(specs):
            x = left + span * c / (ncols - 1) if ncols > 1 else W / 2
            col_y = cy + (np.arange(shown) - (shown - 1) / 2.0) * gap
            self.columns.append(Column(kind, name, shown, total, x, start, li, col_y))
            xs.append(np.full(shown, x))
            ys.append(col_y)
            start += shown
        self.node_x = np.concatenate(xs).astype(float)
        self.node_y = np.concatenate(ys).astype(float)
        self.nodes.setData(x=self.node_x, y=self.node_y, size=size, symbol="o")
        self.dead_marks.setData(x=[], y=[])
        self.sat_rings.setData(x=[], y=[])

        # Edge end points of every layer pair, in the row-major order of ``edges``.
        ex, ey, self._pairs = [], [], []
        offset = 0
        for li, lay in enumerate(layers if not self.strip else ()):
            a, b = self.columns[li], self.columns[li + 1]
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

        fg = theme.FOREGROUND
        inp, out = self.columns[0], self.columns[-1]
        for i, s in enumerate(in_labels):
            self._text(f"<span style='color:{fg}'>{s}</span>", inp.x - size / 2 - 4, inp.ys[i], (1, 0.5))
        for i, s in enumerate(out_labels):
            self._text(f"<span style='color:{fg}'>{s}</span>", out.x + size / 2 + 4, out.ys[i], (0, 0.5))
        spacing = span / (ncols - 1) if ncols > 1 else W
        self._place_captions(snap, layers, H, spacing)
        self._place_tags_and_arcs(layers, top, size, spacing)

    _every = staticmethod(every_kth)

    # ------------------------------------------------------------------ per frame
    def _draw(self, snap: dict):
        W, H = float(self.vb.width()), float(self.vb.height())
        if W < 10 or H < 10:
            W, H = 640.0, 400.0
        self._drawn = snap
        key = self._structure_key(snap)
        if key != self._key or (W, H) != self._size:
            self._rebuild(snap, W, H)
            self._key, self._size = key, (W, H)
            if self.selected is not None:
                c = self.hidden_column(self.selected[0])
                # A unit that exists but is not drawn at this size stays selected (the data
                # view still maps it); its ring comes back when the panel grows.
                if c >= len(self.columns) or self.columns[c].kind != "hidden" or \
                        self.selected[1] >= self.columns[c].total:
                    self.selected = None
        self._set_legend(snap.get("edge_mode", "weights"))
        if self.columns:
            layers = snap["layers"]
            self._draw_nodes(snap, layers)
            self._draw_edges(snap, layers)
            self._draw_summary(layers)
            self._update_selection()
        else:
            for curve in self.edge_curves.values():
                curve.setData(np.zeros(0), np.zeros(0))
        if self._hover_pos is not None:
            self._show_hover(live=True)

    _per_unit = staticmethod(per_unit)

    # ------------------------------------------------------------------ hover text

