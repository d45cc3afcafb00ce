"""The network panel's text: input and output names, column captions that shorten (or thin
out) to fit, BN/dropout tags and the residual arcs, all placed when the structure or the
size changes, and the summary strip under the columns updated per frame. A part the network
panel composes: it owns its text items, fonts and the arcs' curve."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from nnvis.app import theme, ui_labels
from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import layer_label, short_name

from .topology_layout import (BOTTOM, LABEL_GAP, SHOW_SAT_FROM, Geometry, finite_or, percent_text,
                              every_kth)
from .topology_style import HEX_COLORS


#: A name beside a node keeps this many characters (the layout makes room for them):
#: enough to tell "sepal_length" from "sepal_width" apart more often than not.
NAME_CHARS = 10


def cut(name: str, n: int) -> str:
    """``name`` in at most ``n`` characters, an ellipsis saying where it was cut."""
    return name if len(name) <= n else name[:n - 1] + "…"


class TopologyLabels(QObject):
    """The network panel's captions, tags, arcs and summary strip, in its ViewBox ``vb``."""

    def __init__(self, vb: pg.ViewBox, parent=None):
        super().__init__(parent)
        self._vb = vb
        self._geometry = Geometry()
        self._texts: list[pg.TextItem] = []
        self._summary: dict[int, pg.TextItem] = {}
        self._summary_html: dict[int, str] = {}
        self._summary_room = 0.0                 # px for "dead 40%" under a column
        self._fonts: dict[tuple[float, bool], QFont] = {}
        self._widths: dict[tuple[str, float, bool], float] = {}
        self._arcs = pg.PlotCurveItem(pen=pg.mkPen(*theme.ACCENT, 200, width=1.6,
                                                   style=Qt.DashLine), skipFiniteCheck=True)
        self._arcs.setZValue(5)
        vb.addItem(self._arcs)

    # ---- what is on screen (read-only)
    @property
    def arcs(self) -> pg.PlotCurveItem:
        return self._arcs

    def text_items(self) -> tuple[pg.TextItem, ...]:
        """Every text drawn in the view (names, captions, tags, summaries)."""
        return tuple(self._texts)

    def summary_text(self, column: int) -> str:
        """The summary strip under ``column`` as plain text ('' if it has none)."""
        item = self._summary.get(column)
        return item.textItem.toPlainText() if item is not None else ""

    # ---- told by the panel
    def forget_widths(self):
        """The language changed: measured words are stale."""
        self._widths.clear()

    def clear(self, geometry: Geometry):
        """A new layout: every text goes (they are placed again for it)."""
        self._geometry = geometry
        for item in self._texts:
            self._vb.removeItem(item)
        self._texts = []
        self._summary = {}
        self._summary_html = {}
        if not geometry.columns:
            self._arcs.setData(x=[], y=[])

    def place_names(self, in_labels, out_labels):
        """The input features' and outputs' names beside their nodes."""
        fg = theme.FOREGROUND
        g = self._geometry
        inp, out, size = g.columns[0], g.columns[-1], g.node_size
        for i, s in enumerate(in_labels):
            self._text(f"<span style='color:{fg}'>{s}</span>", inp.x - size / 2 - 4, inp.ys[i], (1, 0.5))
        for i, s in enumerate(out_labels):
            self._text(f"<span style='color:{fg}'>{s}</span>", out.x + size / 2 + 4, out.ys[i], (0, 0.5))

    def output_labels(self, snap: dict, n: int, short: bool = True) -> list[str]:
        """The outputs' names: the classes' (a CSV's label values), "class k", or ŷ; cut
        to fit beside the nodes, or whole (``short`` False, for hovers)."""
        names = snap.get("class_names")
        if snap.get("task") == "regression":
            # One target named by a CSV's label column ("score"); else ŷ, ŷ1, ŷ2 ...
            column = (snap.get("task_params") or {}).get("column")
            if n == 1 and column:
                return [cut(str(column), NAME_CHARS) if short else str(column)]
            return ["ŷ"] if n == 1 else [f"ŷ{i + 1}" for i in range(n)]
        if n == 1:
            both = self.tr("{0} vs {1}").format(names[1], names[0]) \
                if names and len(names) == 2 else self.tr("class {0} vs {1}").format(1, 0)
            return [cut(both, 14) if short else both]
        if names and len(names) >= n:
            return [cut(str(s), NAME_CHARS) if short else str(s) for s in names[:n]]
        return [self.tr("class {0}").format(i) for i in range(n)]

    def input_labels(self, snap: dict, n: int, short: bool = True) -> list[str]:
        """The inputs' names: a CSV's columns, else x1, x2, ...; cut to fit beside the
        nodes, or whole (``short`` False, for hovers: "input bmi")."""
        names = snap.get("feature_names")
        if names and len(names) >= n:
            return [cut(str(s), NAME_CHARS) if short else str(s) for s in names[:n]]
        return [f"x{i + 1}" for i in range(n)]

    def font(self, size: float = 9.0, bold: bool = False) -> QFont:
        font = self._fonts.get((size, bold))
        if font is None:
            font = self._fonts[(size, bold)] = QFont()
            font.setPointSizeF(size)
            font.setBold(bold)
        return font

    def width(self, text: str, size: float = 9.0, bold: bool = False) -> float:
        """Pixel width of plain ``text`` drawn by :meth:`_text` at that size (cached: the
        summary strip asks for the same few strings every frame)."""
        key = (text, size, bold)
        w = self._widths.get(key)
        if w is None:
            w = self._widths[key] = QFontMetricsF(self.font(size, bold)).horizontalAdvance(text)
        return w

    def _text(self, html: str, x: float, y: float, anchor, size: float = 9.0,
              bold: bool = False, fill=None, border=None) -> pg.TextItem:
        item = pg.TextItem(anchor=anchor, fill=fill, border=border)
        item.setFont(self.font(size, bold))
        item.setHtml(html)
        item.setPos(x, y)
        item.setZValue(20)
        self._vb.addItem(item)
        self._texts.append(item)
        return item

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

    def place_captions(self, snap, layers, H: float, spacing: float):
        """Under each column: "+N more", its label and the summary strip, each as long as
        fits between neighbouring columns ``spacing`` px apart. The labels take the longest
        form that fits everywhere ("hidden3 / 16 sigmoid", "h3 / 16", "h3"); if even the
        shortest does not, only every k-th column is labelled. The input and output columns
        have the margins beside them, so they keep a longer form if it fits."""
        options = [self._column_captions(snap, layers, col) for col in self._geometry.columns]
        widths = [[max(self.width(name, bold=True), self.width(sub) if sub else 0.0)
                   for name, sub in opts] for opts in options]
        xs = [col.x for col in self._geometry.columns]
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
            labelled = every_kth(len(options), stride)
        for end, neighbour in ((labelled[0], labelled[1:2]), (labelled[-1], labelled[-2:-1])):
            while level[end] > 0:
                level[end] -= 1
                if not all(clear(end, n) for n in neighbour):
                    level[end] += 1
                    break
        room = (xs[labelled[1]] - xs[labelled[0]] if len(labelled) > 1 else spacing) - LABEL_GAP
        self._summary_room = room
        summaries = self.width("100%", bold=True) <= room

        fg = theme.FOREGROUND
        y_more = H - BOTTOM + 1
        y_label = H - BOTTOM + 15
        for c, col in enumerate(self._geometry.columns):
            elided = col.total - col.shown
            if elided > 0:
                more = next(t for t in (self.tr("⋮ +{0} more").format(elided), f"+{elided}", "⋮")
                            if self.width(t, 8.0) + LABEL_GAP <= spacing or t == "⋮")
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

    def place_tags_and_arcs(self, layers, top: float, size: float, spacing: float):
        """BN/dropout tags above the hidden columns and the dashed arcs of residual blocks.
        The config sets BN and dropout for every hidden layer at once: tags too wide for the
        columns become one tag over all of them."""
        tags = {}
        for c, col in enumerate(self._geometry.columns):
            lay = layers[col.layer] if col.kind == "hidden" else None
            if lay is None:
                continue
            parts = [self.tr("BN")] if lay.get("batch_norm") else []
            p = finite_or(lay.get("dropout"))
            if p > 0:
                parts.append(self.tr("drop {0}").format(f"{p:g}"))
            if parts:
                tags[c] = " · ".join(parts)
        texts = set(tags.values())
        crowded = any(self.width(t, 8.0) + 10 + LABEL_GAP > spacing for t in texts)
        if crowded and len(texts) == 1 and len(tags) > 1:
            xs = [self._geometry.columns[c].x for c in tags]
            tags = {(min(xs) + max(xs)) / 2: self.tr("every hidden layer: {0}").format(texts.pop())}
        else:
            tags = {self._geometry.columns[c].x: t for c, t in tags.items()}
        for x, text in tags.items():
            self._text(f"<span style='color:#e6e9ef'>{text}</span>", x, 3.0, (0.5, 0), size=8.0,
                       fill=pg.mkBrush(52, 58, 72, 235), border=pg.mkPen(*theme.ACCENT, 150))

        arc_x, arc_y, arc_c = [], [], []
        apex = top - 9.0
        every_plus = self.width("+x", bold=True) + LABEL_GAP <= spacing
        for c, col in enumerate(self._geometry.columns):
            if c == 0 or col.kind != "hidden" or not layers[col.layer].get("residual"):
                continue
            prev = self._geometry.columns[c - 1]
            y0 = float(prev.ys[0]) - size / 2 - 3 if prev.shown else top
            y1 = float(col.ys[0]) - size / 2 - 3 if col.shown else top
            t = np.linspace(0.0, 1.0, 24)
            mx = (prev.x + col.x) / 2
            bx = (1 - t) ** 2 * prev.x + 2 * (1 - t) * t * mx + t ** 2 * col.x
            by = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * (2 * apex - (y0 + y1) / 2) + t ** 2 * y1
            conn = np.ones(len(t), dtype=bool)
            conn[-1] = False
            if every_plus or not arc_x:   # narrow columns: "+x" on the first arc only
                self._text(f"<span style='color:{HEX_COLORS['acc']}'><b>+x</b></span>", mx,
                           apex - 1, (0.5, 1))
            arc_x.append(bx)
            arc_y.append(by)
            arc_c.append(conn)
        if arc_x:
            self._arcs.setData(np.concatenate(arc_x), np.concatenate(arc_y),
                              connect=np.concatenate(arc_c))
        else:
            self._arcs.setData(np.zeros(0), np.zeros(0))

    def draw_summary(self, layers):
        """Per frame: "dead 40%" / "sat 80%" under the hidden columns when non-zero."""
        for c, item in self._summary.items():
            col = self._geometry.columns[c]
            lay = layers[col.layer]
            lines = []   # (colour, word, value)
            if col.kind == "hidden":
                dead = finite_or(lay.get("dead_fraction"))
                sat = finite_or(lay.get("saturated_fraction"))
                if dead > 0:
                    lines.append((HEX_COLORS["dead"], ui_labels.text("topology.dead"),
                                  percent_text(dead)))
                if sat >= SHOW_SAT_FROM:
                    lines.append((HEX_COLORS["sat"], self.tr("sat"), percent_text(sat)))
            # A narrow column drops the words; the colour still says which is which.
            words = all(self.width(f"{word} {value}", bold=True) <= self._summary_room
                        for _color, word, value in lines)
            html = "<br>".join(f"<span style='color:{color}'>{word + ' ' if words else ''}{value}</span>"
                               for color, word, value in lines)
            if self._summary_html.get(c) != html:
                self._summary_html[c] = html
                item.setHtml(html)
