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
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy

from nnvis.app import theme
from nnvis.app.export.graph_tables import edge_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.base import Panel, toolbar_row

# DROPPED and LUT_LEVELS are imported from here by the tests.
from .topology_layout import (BOTTOM, LOG_DECADES, MAX_GAP, MIN_NODE, MIN_STRIP_NODE, NODE_FILL,
                              STRIP_FILL, TOP_PLAIN, TOP_TAGS, LUT_LEVELS, Column, Geometry,
                              finite_or, structure_key)
from .topology_style import HEX_COLORS, DROPPED, EDGE_MODES, LEGEND_TIPS
from .topology_hover import TopologyHover
from .topology_items import TopologyItems
from .topology_labels import TopologyLabels


class TopologyPanel(Panel):
    """Composes its parts: the drawn items, the text and the pointer's readout; it lays the
    nodes out (a :class:`Geometry`) and hands that to each."""

    panel_id = "topology"
    refresh_every, refresh_phase = 2, 0  # the network: 15 Hz

    edge_mode_changed = Signal(str)       # "weights" | "gradients" | "ratio"
    neuron_clicked = Signal(int, int)     # hidden block index (0-based), unit
    #: The hidden unit under the pointer (block index, unit); the Backprop panel singles it
    #: out in wide layers. Not emitted on leaving: the last one stays chosen.
    unit_hovered = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._edge_mode = "weights"
        self.selected: tuple[int, int] | None = None
        self._geometry = Geometry()
        self.strip = False          # too many layers for edges: columns of units only
        self._key = None
        self._size = (0, 0)

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
        view = pg.GraphicsView()
        view.setBackground(theme.BACKGROUND)
        view.setMouseTracking(True)
        self.vb = pg.ViewBox(enableMouse=False, invertY=True, defaultPadding=0.0,
                             enableMenu=False)
        self.vb.enableAutoRange(False)
        view.setCentralItem(self.vb)
        self.vb.sigResized.connect(self._on_resized)
        view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        view.scene().sigMouseClicked.connect(self._on_mouse_clicked)
        view.viewport().installEventFilter(self)
        self.view = view

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

        self._items = TopologyItems(self.vb, self)
        self._labels = TopologyLabels(self.vb, self)
        self._hover = TopologyHover(self._labels, self.info, self.set_live_text, self)
        self._hover.unit_hovered.connect(self.unit_hovered)
        self.offer_exports("network", PlotPicture(self.view))
        self.retranslate()


    @property
    def edge_mode(self) -> str:
        """What the edges show: "weights", "gradients" or "ratio"."""
        return self._edge_mode

    def export_table(self) -> Table:
        """The edges the snapshot holds, as an edge list."""
        return edge_table(self.snapshot)

    def retranslate(self):
        for i, (_mode, label) in enumerate(EDGE_MODES):
            self.mode_box.setItemText(i, self.tr(label))
        self.mode_box.setToolTip(self.tr(
            "What the edges show:\nWeights: w (orange +, blue −)\nGradients: ∂L/∂w of the last "
            "probe batch\nUpdate/weight ratio: |Δw| / |w| of the last optimiser step"))
        self.mode_title.setText(self.tr("Edges:"))
        self._set_legend(self.snapshot.get("edge_mode", self.edge_mode) if self.snapshot
                         else self.edge_mode)
        self._labels.forget_widths()
        self._key = None            # captions and tags are laid out anew in the new words
        self._hover.retranslate()
        super().retranslate()

    # ------------------------------------------------------------------ what is on screen
    # Read-only views of the layout and the parts' items: for whoever shows or tests it.
    @property
    def columns(self) -> list[Column]:
        return self._geometry.columns

    @property
    def node_x(self) -> np.ndarray:
        return self._geometry.node_x

    @property
    def node_y(self) -> np.ndarray:
        return self._geometry.node_y

    @property
    def node_size(self) -> float:
        return self._geometry.node_size

    @property
    def edge_curves(self) -> dict:
        return self._items.edge_curves

    @property
    def nodes(self) -> pg.ScatterPlotItem:
        return self._items.nodes

    @property
    def dead_marks(self) -> pg.ScatterPlotItem:
        return self._items.dead_marks

    @property
    def sat_rings(self) -> pg.ScatterPlotItem:
        return self._items.sat_rings

    @property
    def sel_ring(self) -> pg.ScatterPlotItem:
        return self._items.sel_ring

    @property
    def arcs(self) -> pg.PlotCurveItem:
        return self._labels.arcs

    def fill_codes(self) -> np.ndarray:
        """Every node's fill as a brush-table code (``LUT_LEVELS + 3``: dropped)."""
        return self._items.fill_codes()

    def edge_pairs(self) -> tuple:
        """The layer pairs whose edges are drawn (none in a strip)."""
        return self._items.edge_pairs()

    def text_items(self) -> tuple:
        return self._labels.text_items()

    def summary_text(self, column: int) -> str:
        return self._labels.summary_text(column)

    def node_at(self, x: float, y: float, slack: float = 4.0):
        """(column index, unit) of the node under view point (x, y), or None."""
        return self._hover.node_at(x, y, slack)

    def column_at(self, x: float, y: float):
        """Column index whose band (nodes and labels) contains (x, y), or None."""
        return self._hover.column_at(x, y)

    def describe(self, pos: QPointF) -> str:
        """The hover text for view point ``pos`` ('' if nothing is there)."""
        return self._hover.describe(pos)

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
        self._items.reset_ranges()
        self.selected = None
        self._key = None
        self._dirty = True

    def node_position(self, column: int, unit: int) -> QPointF:
        """View (= pixel) coordinates of a drawn node; column 0 is the input column."""
        return QPointF(*self._geometry.position(column, unit))

    def hidden_column(self, layer: int) -> int:
        """Column index of hidden block ``layer`` (0-based)."""
        return layer + 1

    # ------------------------------------------------------------------ mouse
    def handle_click(self, pos: QPointF) -> tuple[int, int] | None:
        """A click at view point ``pos``: select the hidden neuron there and emit
        ``neuron_clicked(layer, unit)``; returns that (layer, unit) or None."""
        hit = self._hover.hidden_unit_at(pos)
        if hit is None:
            return None
        self.selected = hit
        self._update_selection()
        self.neuron_clicked.emit(*hit)
        return self.selected

    def _on_mouse_moved(self, scene_pos):
        self._hover.move_to(self.vb.mapSceneToView(scene_pos))

    def _on_mouse_clicked(self, ev):
        if ev.button() != Qt.LeftButton:
            return
        if self.handle_click(self.vb.mapSceneToView(ev.scenePos())) is not None:
            ev.accept()

    def eventFilter(self, obj, event):
        # Leaving the drawing (also towards the toolbar, still inside the panel) ends the hover.
        if event.type() == QEvent.Leave and obj is self.view.viewport():
            self._hover.leave()
        return super().eventFilter(obj, event)

    def _update_selection(self):
        sel = self.selected
        self._items.show_selection(None if sel is None or not self.columns
                                   else self.hidden_column(sel[0]), sel[1] if sel else 0)

    def _on_mode_index(self, index: int):
        mode = self.mode_box.itemData(index)
        if mode == self.edge_mode:
            return
        self._edge_mode = mode
        self._set_legend(self.snapshot.get("edge_mode", mode) if self.snapshot else mode)
        self.edge_mode_changed.emit(mode)

    def _set_legend(self, mode: str):
        pos = f"<span style='color:{HEX_COLORS['pos']}'>" + self.tr("orange +") + "</span>"
        neg = f"<span style='color:{HEX_COLORS['neg']}'>" + self.tr("blue −") + "</span>"
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
        layers = snap.get("layers") or []
        self.vb.setRange(xRange=(0, W), yRange=(0, H), padding=0)
        bounds = QRectF(0, 0, W, H)
        if not layers:
            self._geometry = Geometry()
            self._labels.clear(self._geometry)
            self._items.place(self._geometry, layers, self.strip, bounds)
            return

        first = layers[0]
        n_in_total = int(first.get("fan_in") or snap.get("n_features") or 0)
        n_in_shown = int(first.get("shown_in") or min(n_in_total, 32))
        hidden = [lay for lay in layers if lay.get("kind") != "output"]
        dropout_on = any(finite_or(lay.get("dropout")) > 0 for lay in hidden)
        self._hover.set_dropout(dropout_on)
        decorated = dropout_on or any(lay.get("batch_norm") or lay.get("residual") for lay in hidden)
        top = TOP_TAGS if decorated else TOP_PLAIN
        avail = max(H - top - BOTTOM, 24.0)
        labels = self._labels
        # Nodes at least MIN_NODE wide and one text line apart: the names beside the input
        # and output nodes ("x1", "class 0") then never overlap either.
        min_gap = max(MIN_NODE / NODE_FILL, QFontMetricsF(labels.font()).height())
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

        in_labels = labels.input_labels(snap, specs[0][2]) if specs[0][2] <= 16 else []
        out_labels = labels.output_labels(snap, specs[-1][2])
        left = max(14 + max((labels.width(s) + 8 for s in in_labels), default=0) + size / 2,
                   48.0)   # 48: room for the column label under the input column
        right = max(14 + max((labels.width(s) + 8 for s in out_labels), default=0) + size / 2,
                    44.0)
        ncols = len(specs)
        span = max(W - left - right, 10.0)
        cy = top + avail / 2

        columns = []
        xs, ys = [], []
        start = 0
        for c, (kind, name, shown, total, li) in enumerate(specs):
            x = left + span * c / (ncols - 1) if ncols > 1 else W / 2
            col_y = cy + (np.arange(shown) - (shown - 1) / 2.0) * gap
            columns.append(Column(kind, name, shown, total, x, start, li, col_y))
            xs.append(np.full(shown, x))
            ys.append(col_y)
            start += shown
        self._geometry = Geometry(columns, np.concatenate(xs).astype(float),
                                  np.concatenate(ys).astype(float), size)
        self._items.place(self._geometry, layers, self.strip, bounds)

        labels.clear(self._geometry)
        labels.place_names(in_labels, out_labels)
        spacing = span / (ncols - 1) if ncols > 1 else W
        labels.place_captions(snap, layers, H, spacing)
        labels.place_tags_and_arcs(layers, top, size, spacing)

    # ------------------------------------------------------------------ per frame
    def _draw(self, snap: dict):
        W, H = float(self.vb.width()), float(self.vb.height())
        if W < 10 or H < 10:
            W, H = 640.0, 400.0
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
            self._items.draw(snap, layers)
            self._labels.draw_summary(layers)
            self._update_selection()
        else:
            self._items.clear_edges()
        self._hover.show(self._geometry, snap)
