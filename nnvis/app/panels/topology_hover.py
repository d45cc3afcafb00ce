"""The network panel's pointer: what is under it (a unit or a layer), the live readout line
that describes it, and clicking a hidden neuron to map its output."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt

from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import format_number, layer_label

from .topology_layout import SAT_THRESHOLD, _finite, _join, _pct
from .topology_style import _HEX


class TopologyHover:
    """Mixin of :class:`~nnvis.app.panels.topology.TopologyPanel`: hover and click."""

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
