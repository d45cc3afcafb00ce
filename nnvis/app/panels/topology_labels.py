"""The network panel's text: input and output names, column captions that shorten (or thin
out) to fit, BN/dropout tags and the residual arcs, all placed when the structure or the
size changes."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

from nnvis.app import theme
from nnvis.app.choices import choice_label
from nnvis.app.panels.axes import layer_label, short_name

from .topology_layout import BOTTOM, LABEL_GAP, _finite
from .topology_style import _HEX


class TopologyLabels:
    """Mixin of :class:`~nnvis.app.panels.topology.TopologyPanel`: captions, tags and arcs."""

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
