"""The network panel's pointer: what is under it (a unit or a layer), the live readout line
that describes it, and which hidden neuron a click lands on. A part the network panel
composes: it owns the hover state and the readout line's text, and is handed the layout (a
:class:`Geometry`) and the snapshot drawn with it."""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QObject, QPointF, Signal

from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import format_number, layer_label

from .topology_layout import SAT_THRESHOLD, Geometry, finite_or, join_readout, percent_text
from .topology_style import HEX_COLORS


class TopologyHover(QObject):
    """What is under the pointer, written into the panel's readout label ``info``;
    ``live_text(label, text)`` sets a text that changes while training (rate-limited)."""

    # The hidden unit under the pointer (block index, unit), once per unit entered.
    unit_hovered = Signal(int, int)

    def __init__(self, labels, info, live_text, parent=None):
        super().__init__(parent)
        self._labels = labels                    # the names beside the input/output nodes
        self._info = info
        self._live_text = live_text
        self._geometry = Geometry()
        self._drawn: dict | None = None          # the snapshot the columns were drawn from
        self._hover_text = ""
        self._hover_pos: QPointF | None = None   # view point under the pointer, if any
        self._hovered_unit: tuple | None = None  # (column, unit) last hovered
        self._dropout_on = False                 # the caption then explains dropped units

    # ---- told by the panel
    def show(self, geometry: Geometry, snap: dict | None):
        """The layout and the snapshot on screen; a resting pointer's readout follows it."""
        self._geometry, self._drawn = geometry, snap
        if self._hover_pos is not None:
            self._show_hover(live=True)

    def set_dropout(self, on: bool):
        """Whether any layer has dropout: the caption then explains the yellow rings."""
        if on != self._dropout_on:
            self._dropout_on = on
            if not self._hover_text:
                self._show_default_info()

    def retranslate(self):
        self._hover_text = ""
        if self._hover_pos is None:
            self._show_default_info()
        else:
            self._show_hover()

    def move_to(self, pos: QPointF):
        """The pointer moved to view point ``pos``."""
        self._hover_pos = pos
        self._show_hover()
        cols = self._geometry.columns
        hit = self.node_at(pos.x(), pos.y()) if cols else None
        if hit is not None and cols[hit[0]].kind == "hidden" and hit != self._hovered_unit:
            self._hovered_unit = hit
            self.unit_hovered.emit(cols[hit[0]].layer, hit[1])

    def leave(self):
        """The pointer left the drawing."""
        self._hover_pos = None
        self._show_hover()

    def hidden_unit_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(hidden block, unit) of the hidden neuron at view point ``pos``, or None."""
        hit = self.node_at(pos.x(), pos.y())
        if hit is None:
            return None
        col = self._geometry.columns[hit[0]]
        return (col.layer, hit[1]) if col.kind == "hidden" else None

    def node_at(self, x: float, y: float, slack: float = 4.0):
        """(column index, unit) of the node under view point (x, y), or None."""
        g = self._geometry
        if g.node_x.size == 0:
            return None
        d2 = (g.node_x - x) ** 2 + (g.node_y - y) ** 2
        i = int(np.argmin(d2))
        if d2[i] > (g.node_size / 2 + slack) ** 2:
            return None
        for c, col in enumerate(g.columns):
            if col.start <= i < col.start + col.shown:
                return c, i - col.start
        return None

    def column_at(self, x: float, y: float):
        """Column index whose band (nodes and labels) contains (x, y), or None."""
        if not self._geometry.columns:
            return None
        xs = np.array([c.x for c in self._geometry.columns])
        c = int(np.argmin(np.abs(xs - x)))
        spacing = abs(xs[1] - xs[0]) if len(xs) > 1 else 200.0
        return c if abs(xs[c] - x) <= min(0.3 * spacing, 40.0) else None

    def describe(self, pos: QPointF) -> str:
        """The hover text for view point ``pos`` ('' if nothing is there), from the snapshot
        on screen: the one the columns were laid out for."""
        snap = self._drawn
        if snap is None or not self._geometry.columns:
            return ""
        layers = snap.get("layers") or []
        hit = self.node_at(pos.x(), pos.y())
        if hit is not None:
            return self._describe_node(snap, layers, *hit)
        c = self.column_at(pos.x(), pos.y())
        if c is not None:
            return self._describe_layer(snap, layers, c)
        return ""

    def _show_hover(self, live: bool = False):
        """The readout for the point under the pointer. Runs on every move and after every
        drawn snapshot (``live``: then at most 4 times a second, see ``Panel.set_live_text``): a
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
            self._info.setText(text)
        elif self._live_text(self._info, text):
            self._hover_text = text

    def _show_default_info(self):
        parts = [self.tr("Fill = mean activation ({0}−{2} … {1}+{2})").format(
                     f"<span style='color:{HEX_COLORS['neg']}'>",
                     f"<span style='color:{HEX_COLORS['pos']}'>",
                     "</span>"),
                 self.tr("border = bias"),
                 self.tr("{0}grey ×{1} dead").format(f"<span style='color:{HEX_COLORS['dead']}'>",
                                                    "</span>"),
                 self.tr("{0}red ring{1} saturated").format(
                     f"<span style='color:{HEX_COLORS['sat']}'>", "</span>")]
        if self._dropout_on:
            parts.append(self.tr("{0}yellow ring{1} dropped this step").format(
                f"<span style='color:{HEX_COLORS['drop']}'>", "</span>"))
        parts += [self.tr("hover for details"), self.tr("click a hidden neuron to map it")]
        self._info.setText(f"<span style='color:#9aa3b2'>{join_readout(parts)}</span>")

    def _describe_node(self, snap, layers, c, unit) -> str:
        col = self._geometry.columns[c]
        if col.kind == "input":
            names = self._labels.input_labels(snap, col.shown, short=False)
            return self.tr("<b>input {0}</b> (feature {1} of {2}, standardised)").format(
                html.escape(names[unit]), unit + 1, col.total)
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
            self.tr("<b>output {0}</b>").format(
                html.escape(self._labels.output_labels(snap, col.shown, short=False)[unit]))
        parts = [head, self.tr("mean activation {0}").format(format_number(mean)),
                 self.tr("bias {0}").format(format_number(bias))]
        if col.kind == "hidden":
            if bool(at("unit_dead", False)):
                parts.append(f"<span style='color:{HEX_COLORS['dead']}'>" + self.tr(
                    "<b>dead</b>: never active on the probe batch (no gradient flows through "
                    "it)") + "</span>")
            s = finite_or(at("unit_saturated", 0.0))
            if s > 0:
                style = f" style='color:{HEX_COLORS['sat']}'" if s > SAT_THRESHOLD else ""
                parts.append(f"<span{style}>" + self.tr("saturated on {0} of the batch").format(
                    percent_text(s)) + "</span>")
            mask = lay.get("dropout_mask")
            if mask is not None and unit < len(mask) and not mask[unit] and snap.get("running"):
                parts.append(f"<span style='color:{HEX_COLORS['drop']}'>"
                             + self.tr("dropped this step") + "</span>")
            parts.append("<i>" + self.tr("click to map its output") + "</i>")
        return join_readout(parts)

    def _describe_layer(self, snap, layers, c) -> str:
        col = self._geometry.columns[c]
        if col.kind == "input":
            return self.tr("<b>input</b>: {0} features (standardised)").format(col.total)
        lay = layers[col.layer]
        parts = [f"<b>{layer_label(col.name)}</b> ({col.total} "
                 f"{choice_label(lay.get('activation', ''))})",
                 f"‖∂L/∂W‖ {format_number(lay.get('grad_norm_W'))}",
                 f"‖∂L/∂a‖ {format_number(lay.get('grad_norm_act'))}",
                 self.tr("update/weight {0}").format(format_number(lay.get("update_ratio")))]
        if col.kind == "hidden":
            parts.append(self.tr("dead {0}").format(
                percent_text(finite_or(lay.get("dead_fraction")))))
            parts.append(self.tr("saturated {0}").format(
                percent_text(finite_or(lay.get("saturated_fraction")))))
        return join_readout(parts)
