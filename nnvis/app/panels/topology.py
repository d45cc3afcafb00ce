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
import re
from dataclasses import dataclass, field

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy

from nnvis.app import theme
from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import format_number, layer_label, short_name
from nnvis.app.panels.base import Panel, toolbar_row
from nnvis.core.snapshot import nice_range

EDGE_MODES = (("weights", QT_TRANSLATE_NOOP("TopologyPanel", "Weights")),
              ("gradients", QT_TRANSLATE_NOOP("TopologyPanel", "Gradients")),
              ("ratio", QT_TRANSLATE_NOOP("TopologyPanel", "Update/weight ratio")))
# Edge pens per magnitude bucket (faint, medium, strong) as (width, alpha, antialias). Wide
# pens are opaque (colour pre-mixed with the background): Qt strokes translucent wide lines
# as one path, 10–30× slower than opaque segments. Dense networks get thin aliased lines
# (1 µs/segment) so 10 layers × 32 shown units (~10k edges) paint in a few ms. Medium edges
# are 1 px (brighter than faint): a 1.6 px antialiased pen cost ~1.2 ms more per paint.
EDGE_PENS_SPARSE = ((1.0, 80, True), (1.0, 170, True), (2.6, 255, True))
EDGE_PENS_DENSE = ((1.0, 28, False), (1.0, 90, False), (2.0, 230, False))
DENSE_EDGES = 800                   # more edges than this ⇒ EDGE_PENS_DENSE (~5 µs/edge sparse)
# Bucket thresholds on |w| / max |w| of the layer pair (sparse, dense): a dense pair has
# many more near-max weights, so it needs higher thresholds to keep the strong ones few.
WEIGHT_THRESHOLDS = {False: (0.25, 0.55), True: (0.4, 0.7)}
LOG_DECADES = 3.0                   # gradients/ratios: log10 range below the network's max
LOG_THRESHOLDS = (0.5, 0.85)        # ⇒ within 10^-1.5 (medium) / 10^-0.45 (strong) of the max
LUT_LEVELS = 41
MID = (62, 68, 84)                  # colour of a zero mean activation
COLOR_GAMMA = 0.6                   # < 1: moderate activations get visibly coloured
SHOW_SAT_FROM = 0.05                # summary strip shows "sat x%" from 5% of unit-samples
INPUT_FILL = (200, 206, 218)
SELECTED = (255, 255, 255)
SAT_THRESHOLD = 0.5                 # unit_saturated above this ⇒ red ring
BIAS_STEPS = (0.05, 0.5)            # |b| ⇒ border width steps
TOP_TAGS, TOP_PLAIN = 50, 16       # top margin with / without tags and residual arcs (px)
BOTTOM = 66                         # bottom margin: "+N more", column labels, summary (px)
MAX_GAP = 46.0                      # largest vertical distance between nodes (px)
NODE_FILL = 0.72                    # node diameter / vertical distance between nodes
# Below ~9 px a grey (dead) or hollow (dropped) node reads as a dot, which is what the
# dead-ReLU and dropout lessons ask students to look at: a column that does not fit at this
# size shows fewer units (its "+N more" caption grows) instead of smaller ones.
MIN_NODE = 9.0
STRIP_FILL = 0.45                   # node width / column spacing at most (many layers)
MIN_STRIP_NODE = 3.0
LABEL_GAP = 6.0                     # least free space between neighbouring captions (px)
DROPPED = (245, 215, 80)            # ring of a unit dropped this step: no other node is yellow
KEEP_CHARS = 40                     # longest readout part kept on one line

LEGEND_TIPS = {  # {0}: LOG_DECADES
    "weights": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is one weight w into the next layer (only the drawn units' "
        "edges).\nThickness and brightness: |w| relative to the largest |w| of that layer pair."),
    "gradients": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is ∂L/∂w on the probe batch.\nThickness: |∂L/∂w| on a log "
        "scale relative to the largest in the whole network\n(3 buckets over {0} decades), so "
        "layers whose gradient vanishes fade out."),
    "ratio": QT_TRANSLATE_NOOP(
        "TopologyPanel", "Each edge is |Δw| / |w| of the last optimiser step (how fast that "
        "weight changes).\nHealthy training is around 10⁻³; thickness is on a log scale "
        "relative to the largest\nin the whole network ({0} decades)."),
}

_HEX = {k: "#%02x%02x%02x" % v for k, v in (
    ("pos", theme.POSITIVE), ("neg", theme.NEGATIVE), ("dead", (170, 170, 170)),
    ("sat", theme.SATURATED), ("acc", theme.ACCENT), ("drop", DROPPED))}


def _mix(a, b, t):
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def _keep(html: str) -> str:
    """``html`` with its text's spaces made non-breaking (tags untouched), so a readout
    wraps between its " · "-joined parts, not inside one (no lone "it" on a line). A part
    longer than ``KEEP_CHARS`` is a sentence: it may wrap like one rather than overflow."""
    if len(re.sub(r"<[^>]*>", "", html)) > KEEP_CHARS:
        return html
    return re.sub(r" (?![^<]*>)", "&nbsp;", html)


def _join(parts) -> str:
    # The space before each "·" does not break: a wrapped line ends with "·", the next
    # begins with a word.
    return "&nbsp;· ".join(_keep(p) for p in parts)


def _pct(f) -> str:
    f = float(f)
    return "<1%" if 0 < f < 0.005 else f"{100 * f:.0f}%"


def _finite(v, default=0.0) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return v if math.isfinite(v) else default


class SymmetricRange:
    """±r for a diverging colour map: r is a power of two that grows at once and shrinks
    only when the data fall below a quarter of it (so colours do not flicker)."""

    def __init__(self, floor: float = 1.0 / 64):
        self.r: float | None = None
        self.floor = floor

    def update(self, max_abs: float) -> float:
        if math.isfinite(max_abs) and max_abs > 0:
            want = max(nice_range(max_abs), self.floor)
            if self.r is None or want > self.r or want <= self.r / 4:
                self.r = want
        return self.r or 1.0


@dataclass
class Column:
    kind: str            # "input" | "hidden" | "output"
    name: str
    shown: int
    total: int
    x: float
    start: int           # offset of its first node in the node arrays
    layer: int           # index into snapshot["layers"] (-1 for the input column)
    ys: np.ndarray = field(default_factory=lambda: np.zeros(0))


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


class TopologyPanel(Panel):
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
        self.edge_mode = "weights"
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

    def node_at(self, x: float, y: float, slack: float = 4.0):
        """(column index, unit) of the node under view point (x, y), or None."""
        if self.node_x.size == 0:
            return None
        d2 = (self.node_x - x) ** 2 + (self.node_y - y) ** 2
        i = int(np.argmin(d2))
        if d2[i] > (self.node_size / 2 + slack) ** 2:
            return None
        for c, col in enumerate(self.columns):
            if col.start <= i < col.start + col.shown:
                return c, i - col.start
        return None

    def column_at(self, x: float, y: float):
        """Column index whose band (nodes and labels) contains (x, y), or None."""
        if not self.columns:
            return None
        xs = np.array([c.x for c in self.columns])
        c = int(np.argmin(np.abs(xs - x)))
        spacing = abs(xs[1] - xs[0]) if len(xs) > 1 else 200.0
        return c if abs(xs[c] - x) <= min(0.3 * spacing, 40.0) else None

    def handle_click(self, pos: QPointF) -> tuple[int, int] | None:
        """A click at view point ``pos``: select the hidden neuron there and emit
        ``neuron_clicked(layer, unit)``; returns that (layer, unit) or None."""
        hit = self.node_at(pos.x(), pos.y())
        if hit is None:
            return None
        col = self.columns[hit[0]]
        if col.kind != "hidden":
            return None
        self.selected = (col.layer, hit[1])
        self._update_selection()
        self.neuron_clicked.emit(col.layer, hit[1])
        return self.selected

    def describe(self, pos: QPointF) -> str:
        """The hover text for view point ``pos`` ('' if nothing is there), from the snapshot
        on screen: the one the columns were laid out for."""
        snap = self._drawn
        if snap is None or not self.columns:
            return ""
        layers = snap.get("layers") or []
        hit = self.node_at(pos.x(), pos.y())
        if hit is not None:
            return self._describe_node(snap, layers, *hit)
        c = self.column_at(pos.x(), pos.y())
        if c is not None:
            return self._describe_layer(snap, layers, c)
        return ""

    # ------------------------------------------------------------------ mouse
    def _on_mouse_moved(self, scene_pos):
        self._hover_pos = self.vb.mapSceneToView(scene_pos)
        self._show_hover()
        hit = self.node_at(self._hover_pos.x(), self._hover_pos.y()) if self.columns else None
        if hit is not None and self.columns[hit[0]].kind == "hidden" and \
                hit != self._hovered_unit:
            self._hovered_unit = hit
            self.unit_hovered.emit(self.columns[hit[0]].layer, hit[1])

    def _show_hover(self, live: bool = False):
        """The readout for the point under the pointer. Runs on every move and after every
        drawn snapshot (``live``: then at most 4 times a second, see ``set_live_text``): a
        pointer resting on a unit while the network trains must see its numbers change.
        (No tooltip: Qt would keep showing the numbers it opened with, over the live line.)"""
        text = "" if self._hover_pos is None else self.describe(self._hover_pos)
        if text == self._hover_text:
            return
        if not text:
            self._hover_text = text
            self._show_default_info()
        elif not live:
            self._hover_text = text
            self.info.setText(text)
        elif self.set_live_text(self.info, text):
            self._hover_text = text

    def _on_mouse_clicked(self, ev):
        if ev.button() != Qt.LeftButton:
            return
        if self.handle_click(self.vb.mapSceneToView(ev.scenePos())) is not None:
            ev.accept()

    def eventFilter(self, obj, event):
        # Leaving the drawing (also towards the toolbar, still inside the panel) ends the hover.
        if event.type() == QEvent.Leave and obj is self.view.viewport():
            self._hover_pos = None
            self._show_hover()
        return super().eventFilter(obj, event)

    def _show_default_info(self):
        parts = [self.tr("Fill = mean activation ({0}−{2} … {1}+{2})").format(
                     f"<span style='color:{_HEX['neg']}'>", f"<span style='color:{_HEX['pos']}'>",
                     "</span>"),
                 self.tr("border = bias"),
                 self.tr("{0}grey ×{1} dead").format(f"<span style='color:{_HEX['dead']}'>",
                                                    "</span>"),
                 self.tr("{0}red ring{1} saturated").format(
                     f"<span style='color:{_HEX['sat']}'>", "</span>")]
        if self._dropout_on:
            parts.append(self.tr("{0}yellow ring{1} dropped this step").format(
                f"<span style='color:{_HEX['drop']}'>", "</span>"))
        parts += [self.tr("hover for details"), self.tr("click a hidden neuron to map it")]
        self.info.setText(f"<span style='color:#9aa3b2'>{_join(parts)}</span>")

    def _on_mode_index(self, index: int):
        mode = self.mode_box.itemData(index)
        if mode == self.edge_mode:
            return
        self.edge_mode = mode
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

    @staticmethod
    def _structure_key(snap: dict):
        key = [snap.get("task"), snap.get("n_classes"), snap.get("n_features")]
        for lay in snap.get("layers") or ():
            e = lay.get("edges")
            key.append((lay.get("name"), lay.get("kind"), lay.get("width"), lay.get("fan_in"),
                        lay.get("shown_in"), lay.get("shown_out"), lay.get("activation"),
                        bool(lay.get("batch_norm")), round(_finite(lay.get("dropout")), 4),
                        bool(lay.get("residual")), None if e is None else tuple(np.shape(e))))
        return tuple(key)

    def _output_labels(self, snap: dict, n: int) -> list[str]:
        names = snap.get("class_names")
        if snap.get("task") == "regression":
            return ["ŷ"] if n == 1 else [f"ŷ{i + 1}" for i in range(n)]
        if n == 1:
            return [self.tr("{0} vs {1}").format(names[1], names[0])[:14]
                    if names and len(names) == 2 else self.tr("class {0} vs {1}").format(1, 0)]
        if names and len(names) >= n:
            return [str(s)[:10] for s in names[:n]]
        return [self.tr("class {0}").format(i) for i in range(n)]

    def _input_labels(self, snap: dict, n: int) -> list[str]:
        names = snap.get("feature_names")
        if names and len(names) >= n:
            return [str(s)[:6] for s in names[:n]]
        return [f"x{i + 1}" for i in range(n)]

    def _font(self, size: float = 9.0, bold: bool = False) -> QFont:
        font = self._fonts.get((size, bold))
        if font is None:
            font = self._fonts[(size, bold)] = QFont()
            font.setPointSizeF(size)
            font.setBold(bold)
        return font

    def _width(self, text: str, size: float = 9.0, bold: bool = False) -> float:
        """Pixel width of plain ``text`` drawn by :meth:`_text` at that size (cached: the
        summary strip asks for the same few strings every frame)."""
        key = (text, size, bold)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = QFontMetricsF(self._font(size, bold)).horizontalAdvance(text)
        return w

    def _text(self, html: str, x: float, y: float, anchor, size: float = 9.0,
              bold: bool = False, fill=None, border=None) -> pg.TextItem:
        item = pg.TextItem(anchor=anchor, fill=fill, border=border)
        item.setFont(self._font(size, bold))
        item.setHtml(html)
        item.setPos(x, y)
        item.setZValue(20)
        self.vb.addItem(item)
        self._texts.append(item)
        return item

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

    def _column_captions(self, snap, layers, col) -> list[tuple[str, str | None]]:
        """A column's label as (bold name, second line or None), longest first."""
        one = col.total == 1
        if col.kind == "input":
            sub = (self.tr("1 feature") if one else self.tr("{0} features")).format(col.total)
        elif col.kind == "output" and snap.get("task") == "regression":
            sub = (self.tr("1 output") if one else self.tr("{0} outputs")).format(col.total)
        elif col.kind == "output":
            sub = (self.tr("1 logit") if one else self.tr("{0} logits")).format(col.total)
        else:
            sub = f"{col.total} {choice_label(layers[col.layer].get('activation', ''))}"
        short = short_name(col.name)
        return [(layer_label(col.name), sub), (short, str(col.total)), (short, None)]

    def _place_captions(self, snap, layers, H: float, spacing: float):
        """Under each column: "+N more", its label and the summary strip, each as long as
        fits between neighbouring columns ``spacing`` px apart. The labels take the longest
        form that fits everywhere ("hidden3 / 16 sigmoid", "h3 / 16", "h3"); if even the
        shortest does not, only every k-th column is labelled. The input and output columns
        have the margins beside them, so they keep a longer form if it fits."""
        options = [self._column_captions(snap, layers, col) for col in self.columns]
        widths = [[max(self._width(name, bold=True), self._width(sub) if sub else 0.0)
                   for name, sub in opts] for opts in options]
        xs = [col.x for col in self.columns]
        level = [0] * len(options)

        def clear(a: int, b: int) -> bool:
            return (widths[a][level[a]] + widths[b][level[b]]) / 2 + LABEL_GAP <= abs(xs[b] - xs[a])

        labelled = list(range(len(options)))
        for form in range(len(options[0])):
            level = [form] * len(options)
            if all(clear(a, b) for a, b in zip(labelled, labelled[1:])):
                break
        else:
            stride = int(math.ceil((max(w[form] for w in widths) + LABEL_GAP) / spacing))
            labelled = self._every(len(options), stride)
        for end, neighbour in ((labelled[0], labelled[1:2]), (labelled[-1], labelled[-2:-1])):
            while level[end] > 0:
                level[end] -= 1
                if not all(clear(end, n) for n in neighbour):
                    level[end] += 1
                    break
        room = (xs[labelled[1]] - xs[labelled[0]] if len(labelled) > 1 else spacing) - LABEL_GAP
        self._summary_room = room
        summaries = self._width("100%", bold=True) <= room

        fg = theme.FOREGROUND
        y_more = H - BOTTOM + 1
        y_label = H - BOTTOM + 15
        for c, col in enumerate(self.columns):
            elided = col.total - col.shown
            if elided > 0:
                more = next(t for t in (self.tr("⋮ +{0} more").format(elided), f"+{elided}", "⋮")
                            if self._width(t, 8.0) + LABEL_GAP <= spacing or t == "⋮")
                self._text(f"<span style='color:#aab2c0'>{more}</span>", col.x, y_more, (0.5, 0),
                           size=8.0)
            if c not in labelled:
                continue
            name, sub = options[c][level[c]]
            html = f"<b>{name}</b><br>{sub}" if sub else f"<b>{name}</b>"
            self._text(f"<span style='color:{fg}'>{html}</span>", col.x, y_label, (0.5, 0))
            if col.kind != "input" and summaries:
                self._summary[c] = self._text("", col.x, y_label + (31 if sub else 16), (0.5, 0),
                                              bold=True)

    @staticmethod
    def _every(n: int, k: int) -> list[int]:
        """Every k-th of n columns, always with the first and the last (the output)."""
        picked = list(range(0, n, k))
        if picked[-1] != n - 1:
            if n - 1 - picked[-1] < k and len(picked) > 1:
                picked.pop()
            picked.append(n - 1)
        return picked

    def _place_tags_and_arcs(self, layers, top: float, size: float, spacing: float):
        """BN/dropout tags above the hidden columns and the dashed arcs of residual blocks.
        The config sets BN and dropout for every hidden layer at once: tags too wide for the
        columns become one tag over all of them."""
        tags = {}
        for c, col in enumerate(self.columns):
            lay = layers[col.layer] if col.kind == "hidden" else None
            if lay is None:
                continue
            parts = [self.tr("BN")] if lay.get("batch_norm") else []
            p = _finite(lay.get("dropout"))
            if p > 0:
                parts.append(self.tr("drop {0}").format(f"{p:g}"))
            if parts:
                tags[c] = " · ".join(parts)
        texts = set(tags.values())
        crowded = any(self._width(t, 8.0) + 10 + LABEL_GAP > spacing for t in texts)
        if crowded and len(texts) == 1 and len(tags) > 1:
            xs = [self.columns[c].x for c in tags]
            tags = {(min(xs) + max(xs)) / 2: self.tr("every hidden layer: {0}").format(texts.pop())}
        else:
            tags = {self.columns[c].x: t for c, t in tags.items()}
        for x, text in tags.items():
            self._text(f"<span style='color:#e6e9ef'>{text}</span>", x, 3.0, (0.5, 0), size=8.0,
                       fill=pg.mkBrush(52, 58, 72, 235), border=pg.mkPen(*theme.ACCENT, 150))

        arc_x, arc_y, arc_c = [], [], []
        apex = top - 9.0
        every_plus = self._width("+x", bold=True) + LABEL_GAP <= spacing
        for c, col in enumerate(self.columns):
            if c == 0 or col.kind != "hidden" or not layers[col.layer].get("residual"):
                continue
            prev = self.columns[c - 1]
            y0 = float(prev.ys[0]) - size / 2 - 3 if prev.shown else top
            y1 = float(col.ys[0]) - size / 2 - 3 if col.shown else top
            t = np.linspace(0.0, 1.0, 24)
            mx = (prev.x + col.x) / 2
            bx = (1 - t) ** 2 * prev.x + 2 * (1 - t) * t * mx + t ** 2 * col.x
            by = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * (2 * apex - (y0 + y1) / 2) + t ** 2 * y1
            conn = np.ones(len(t), dtype=bool)
            conn[-1] = False
            if every_plus or not arc_x:   # narrow columns: "+x" on the first arc only
                self._text(f"<span style='color:{_HEX['acc']}'><b>+x</b></span>", mx, apex - 1,
                           (0.5, 1))
            arc_x.append(bx)
            arc_y.append(by)
            arc_c.append(conn)
        if arc_x:
            self.arcs.setData(np.concatenate(arc_x), np.concatenate(arc_y),
                              connect=np.concatenate(arc_c))
        else:
            self.arcs.setData(np.zeros(0), np.zeros(0))

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

    @staticmethod
    def _per_unit(lay: dict, name: str, k: int, fill, dtype=np.float64) -> np.ndarray:
        """lay[name][:k] as a length-k array (padded with ``fill`` if short or missing)."""
        out = np.full(k, fill, dtype=dtype)
        v = lay.get(name)
        if v is not None:
            v = np.asarray(v).ravel()[:k]
            out[:v.size] = v
        return out

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

    # ------------------------------------------------------------------ hover text
    def _describe_node(self, snap, layers, c, unit) -> str:
        col = self.columns[c]
        if col.kind == "input":
            names = self._input_labels(snap, col.shown)
            return self.tr("<b>input {0}</b> (feature {1} of {2}, standardised)").format(
                names[unit], unit + 1, col.total)
        lay = layers[col.layer]

        def at(name, default=float("nan")):
            v = lay.get(name)
            try:
                return v[unit]
            except (TypeError, IndexError):
                return default

        mean, bias = at("unit_mean"), at("bias")
        head = self.tr("<b>{0} unit {1}</b>").format(layer_label(col.name), unit) \
            if col.kind == "hidden" else \
            self.tr("<b>output {0}</b>").format(self._output_labels(snap, col.shown)[unit])
        parts = [head, self.tr("mean activation {0}").format(format_number(mean)),
                 self.tr("bias {0}").format(format_number(bias))]
        if col.kind == "hidden":
            if bool(at("unit_dead", False)):
                parts.append(f"<span style='color:{_HEX['dead']}'>" + self.tr(
                    "<b>dead</b>: never active on the probe batch (no gradient flows through "
                    "it)") + "</span>")
            s = _finite(at("unit_saturated", 0.0))
            if s > 0:
                style = f" style='color:{_HEX['sat']}'" if s > SAT_THRESHOLD else ""
                parts.append(f"<span{style}>" + self.tr("saturated on {0} of the batch").format(
                    _pct(s)) + "</span>")
            mask = lay.get("dropout_mask")
            if mask is not None and unit < len(mask) and not mask[unit] and snap.get("running"):
                parts.append(f"<span style='color:{_HEX['drop']}'>" + self.tr("dropped this step")
                             + "</span>")
            parts.append("<i>" + self.tr("click to map its output") + "</i>")
        return _join(parts)

    def _describe_layer(self, snap, layers, c) -> str:
        col = self.columns[c]
        if col.kind == "input":
            return self.tr("<b>input</b>: {0} features (standardised)").format(col.total)
        lay = layers[col.layer]
        parts = [f"<b>{layer_label(col.name)}</b> ({col.total} "
                 f"{choice_label(lay.get('activation', ''))})",
                 f"‖∂L/∂W‖ {format_number(lay.get('grad_norm_W'))}",
                 f"‖∂L/∂a‖ {format_number(lay.get('grad_norm_act'))}",
                 self.tr("update/weight {0}").format(format_number(lay.get("update_ratio")))]
        if col.kind == "hidden":
            parts.append(self.tr("dead {0}").format(_pct(_finite(lay.get("dead_fraction")))))
            parts.append(self.tr("saturated {0}").format(
                _pct(_finite(lay.get("saturated_fraction")))))
        return _join(parts)
