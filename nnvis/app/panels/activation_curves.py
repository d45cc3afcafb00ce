"""Activation: f(z) and f′(z) of the current activation over each layer's live pre-activations.

The key view for saturation and dead units: behind the curves, every hidden layer's
pre-activation histogram (fraction of z per bin, scaled to fit under the curves). Sigmoid
pre-activations piling up in the flat tails, where f′ ≈ 0, mean saturated units; ReLU
pre-activations all below 0 mean dead units. The saturated and dead regions are shaded, and
the side text gives the activation's facts and, per layer, the share of z inside them.

Other activations can be overlaid (faint f curves) from the "Compare" menu.

The curves are evaluated here with the engine's own activation classes
(``nnvis.core.activations``), so the panel draws exactly the f and f′ the trainer uses. That
is drawing, not training: like every view, this panel only reads snapshots and never steps,
changes or holds a trainer.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMenu, QScrollArea, QSplitter,
                               QToolButton)

from nnvis.app import theme
from nnvis.app.export.curve_tables import activation_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.base import Panel
from nnvis.app.panels.ranges import RangeKeeper
from nnvis.app.panels.axes import (CheapGrid, fit_title, layer_label, nice_ticks,
                                   set_layer_items)
from nnvis.app.choices import choice_label
from nnvis.core.activations import ACTIVATION_CLASSES

CURVE_POINTS = 201           # z step 0.08 (includes z = 0, where ReLU kinks)
F_COLOR = (235, 235, 240)
DF_COLOR = (240, 228, 66)
Y_CLIP = (-2.2, 4.2)      # unbounded activations leave the view: f′ (0…1) stays readable
HIST_HEIGHT = 0.8          # the tallest histogram bar reaches this share of the y span
ALL_LAYERS = QT_TRANSLATE_NOOP("ActivationCurvesPanel", "All hidden layers")
NARROW = 560               # below this width the facts go under the plot
OVERLAY_COLORS = [(86, 180, 233), (230, 159, 0), (0, 158, 115), (204, 121, 167), (213, 94, 0),
                  (170, 130, 230), (102, 194, 165), (229, 196, 148), (166, 216, 84),
                  (80, 120, 230)]

LESSONS = {
    "sigmoid": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "σ′ ≤ 0.25: each sigmoid layer shrinks the gradient at least 4×; outputs "
        "not zero-centred (always positive), so the next layer's weight updates "
        "zig-zag."),
    "tanh": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "a rescaled sigmoid: zero-centred (unlike σ) but still saturates: for |z| "
        "> 2.65 less than 2% of the gradient gets through."),
    "relu": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "no saturation for z > 0; units whose z stays < 0 die (f′ = 0) and get no "
        "gradient to recover — too high a learning rate kills many."),
    "leaky_relu": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "a small slope (0.01) for z < 0 keeps some gradient flowing: units cannot "
        "die."),
    "prelu": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "leaky ReLU whose negative slope α is learned per neuron (starts at "
        "0.25)."),
    "rrelu": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "a random negative slope in training acts as a regulariser; its mean "
        "(11/48) is used at test time."),
    "elu": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "smooth; negative outputs (down to −1) pull the mean activation toward 0; "
        "no dead units."),
    "softplus": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "a smooth ReLU: f′ = σ(z) is never exactly 0, but tiny for z ≪ 0."),
    "maxout": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "max of two learned linear pieces: no saturation and no dead units, but "
        "twice the parameters. (The curve shows one example of two pieces.)"),
    "linear": QT_TRANSLATE_NOOP(
        "ActivationCurvesPanel", "no non-linearity: a stack of linear layers is one linear map, so depth "
        "adds nothing — the network can only draw straight boundaries."),
}


def region_fraction(hist, lo: float, hi: float, a: float, b: float) -> float:
    """Share of a histogram's mass (bins over [lo, hi]) inside [a, b], assuming mass is
    uniform within each bin. Out-of-range values sit in the edge bins, so a region that
    reaches the edge counts them."""
    h = np.nan_to_num(np.asarray(hist, np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    total = float(h.sum())
    if total <= 0 or h.size == 0:
        return float("nan")
    edges = np.linspace(lo, hi, h.size + 1)
    overlap = np.clip(np.minimum(edges[1:], b) - np.maximum(edges[:-1], a), 0.0, None)
    return float((h * overlap / (edges[1] - edges[0])).sum() / total)



def _small(text: str, color) -> str:
    return f"<div style='text-align:center; color:{theme.hex_color(color)}; font-size:8pt'>{text}</div>"


def _pct(v: float) -> str:
    return "–" if not math.isfinite(v) else f"{100 * v:.0f}%"


class ShadedRegion(pg.LinearRegionItem):
    """A fixed translucent band; painted without antialiasing (it is an axis-aligned rect)."""

    def paint(self, p, *args):
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        super().paint(p, *args)


class ActivationCurvesPanel(Panel):
    panel_id = "activation"
    refresh_every, refresh_phase = 3, 1  # 10 Hz

    def __init__(self, parent=None):
        super().__init__(parent)
        self._act_name: str | None = None
        self._zrange: tuple[float, float] | None = None
        self._layer_names: list[str] = []
        self._hist_items: list[pg.PlotCurveItem] = []
        self._overlays: dict[str, pg.PlotCurveItem] = {}
        self._yrange = RangeKeeper()
        self._ylim = (0.0, 1.0)
        self._facts_html = ""
        self.legend_html = ""
        self.stats: dict[str, dict] = {}   # per layer: saturated / dead / negative share

        # --- toolbar: layer selector, comparison menu
        self.layer_box = QComboBox()
        self.layer_box.addItem(ALL_LAYERS, "")
        self.layer_box.currentIndexChanged.connect(self._on_option_changed)
        self.compare_button = QToolButton()   # the popup mode draws its own ▾
        self.compare_button.setPopupMode(QToolButton.InstantPopup)
        self.compare_menu = QMenu(self.compare_button)
        self.compare_actions: dict[str, QAction] = {}
        for name in ACTIVATION_CLASSES:
            act = QAction(choice_label(name), self.compare_menu)
            act.setCheckable(True)
            act.toggled.connect(self._on_option_changed)
            self.compare_menu.addAction(act)
            self.compare_actions[name] = act
        self.compare_button.setMenu(self.compare_menu)
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        self.layer_title = QLabel()
        top.addWidget(self.layer_title)
        top.addWidget(self.layer_box)
        top.addWidget(self.compare_button)
        top.addStretch(1)

        # --- plot
        self.view = pg.PlotWidget()
        self.plot: pg.PlotItem = self.view.getPlotItem()
        theme.style_plot(self.plot, "", "", "f(z), f′(z)")
        self.plot.enableAutoRange(False)
        self.plot.setMouseEnabled(False, False)
        for ax in ("left", "bottom"):
            self.plot.getAxis(ax).enableAutoSIPrefix(False)
        self.grid = CheapGrid(self.plot)   # showGrid costs ~7 ms per paint here

        sat_brush = pg.mkBrush(*theme.SATURATED, 38)
        dead_brush = pg.mkBrush(*theme.DEAD, 60)
        no_pen = pg.mkPen(None)
        self.sat_regions = [ShadedRegion((0, 1), movable=False, brush=sat_brush, pen=no_pen)
                            for _ in range(2)]
        self.dead_region = ShadedRegion((0, 1), movable=False, brush=dead_brush, pen=no_pen)
        for r in self.sat_regions + [self.dead_region]:
            r.setZValue(-20)
            r.setVisible(False)
            self.plot.addItem(r)
        # Pinned to the plot's outer edges (a label centred in a narrow band was clipped).
        self.sat_labels = [pg.TextItem("", anchor=(0, 0)), pg.TextItem("", anchor=(1, 0))]
        self.dead_label = pg.TextItem("", anchor=(0.5, 0))
        for t in self.sat_labels + [self.dead_label]:
            t.setVisible(False)
            t.setZValue(5)
            self.plot.addItem(t)
        self.zero_line = pg.InfiniteLine(0.0, angle=0, pen=pg.mkPen(255, 255, 255, 60))
        self.plot.addItem(self.zero_line)

        self.f_curve = pg.PlotCurveItem(pen=pg.mkPen(F_COLOR, width=2.5), name="f(z)")
        self.df_curve = pg.PlotCurveItem(pen=pg.mkPen(DF_COLOR, width=2, style=Qt.DashLine),
                                         name="f′(z)")
        self.f_curve.setZValue(10)
        self.df_curve.setZValue(10)
        self.plot.addItem(self.f_curve)
        self.plot.addItem(self.df_curve)

        # --- facts / numbers
        self.facts = QLabel("")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.RichText)
        self.facts.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.facts.setContentsMargins(6, 4, 6, 4)
        scroll = QScrollArea()
        scroll.setWidget(self.facts)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setMinimumWidth(150)
        split = QSplitter(Qt.Horizontal)
        split.addWidget(self.view)
        split.addWidget(scroll)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([480, 220])
        split.setChildrenCollapsible(False)
        self.splitter = split

        self.stack_vertically(top, (split, 1))
        self.offer_exports("activation", PlotPicture(self.view))
        self.retranslate()

    def export_table(self) -> Table:
        """The pre-activation histograms, with f and f′ at each bin."""
        return activation_table(self.snapshot)

    def retranslate(self):
        self.layer_box.setItemText(0, self.tr(ALL_LAYERS))
        for i in range(1, self.layer_box.count()):
            self.layer_box.setItemText(i, layer_label(self.layer_box.itemData(i)))
        self.layer_box.setToolTip(self.tr("Whose pre-activation histogram to draw behind the "
                                          "curves"))
        self.layer_title.setText(self.tr("z histogram:"))
        self.compare_button.setText(self.tr("Compare"))
        self.compare_button.setToolTip(self.tr("Overlay other activations' f(z) as faint curves"))
        for name, act in self.compare_actions.items():
            act.setText(choice_label(name))
        self.plot.setLabel("bottom", self.tr("pre-activation z"))
        self.dead_label.setHtml(_small(self.tr("dead<br>f′ = 0"), (190, 190, 190)))
        self._act_name = None   # the legend, region labels and facts are composed anew
        super().retranslate()

    # ------------------------------------------------------------------ public helpers
    def overlay(self, name: str) -> pg.PlotCurveItem | None:
        """The compared activation ``name``'s f(z) curve, or None if none was ever drawn."""
        return self._overlays.get(name)

    def set_compared(self, names):
        """Overlay these activations' f(z) (the rest are removed)."""
        for name, act in self.compare_actions.items():
            act.setChecked(name in names)

    def select_layer(self, name: str):
        self.layer_box.setCurrentIndex(max(self.layer_box.findData(name), 0))

    def facts_text(self) -> str:
        """The side text as plain text (facts + live numbers)."""
        return self.facts.text()

    def histogram_items(self) -> dict[str, pg.PlotCurveItem]:
        """Visible histogram step curves by layer name."""
        return {n: it for n, it in zip(self._layer_names, self._hist_items) if it.isVisible()}

    def reset(self):
        self._yrange = RangeKeeper()
        self._act_name = None   # force the curves, regions and y range to be redone
        self._dirty = True

    # ------------------------------------------------------------------ drawing
    def _on_option_changed(self, *_):
        if self.snapshot is not None:
            self._act_name = None
            self._draw(self.snapshot)

    def _draw(self, snap: dict):
        info = snap.get("activation") or {}
        name = info.get("name")
        zr = tuple(float(v) for v in snap.get("preact_range", (-8.0, 8.0)))
        if name != self._act_name or zr != self._zrange:
            self._set_activation(name, info, zr)
        self._draw_histograms(snap, info, zr)

    def _set_activation(self, name, info: dict, zr):
        """Curves, shading, overlays and facts for a new activation (not per frame)."""
        self._act_name, self._zrange = name, zr
        z = np.linspace(zr[0], zr[1], CURVE_POINTS)
        cls = ACTIVATION_CLASSES.get(name)
        if cls is None:
            self.f_curve.setData([], [])
            self.df_curve.setData([], [])
            f = df = np.zeros(0)
        else:
            with np.errstate(all="ignore"):
                f, df = (np.asarray(a, np.float64) for a in cls.curve(z))
            ok = np.isfinite(f) & np.isfinite(df)
            self.f_curve.setData(z[ok], f[ok])
            self.df_curve.setData(z[ok], df[ok])
        self._update_legend(name)
        ys = [f, df, np.zeros(1)]
        # Comparison overlays (faint), created once per activation name.
        for i, (oname, act) in enumerate(self.compare_actions.items()):
            show = act.isChecked() and oname != name
            item = self._overlays.get(oname)
            if show and item is None:
                c = OVERLAY_COLORS[i % len(OVERLAY_COLORS)]
                item = pg.PlotCurveItem(pen=pg.mkPen(*c, 170, width=1.5), name=f"{oname} f(z)")
                item.setZValue(8)
                with np.errstate(all="ignore"):
                    of, _ = ACTIVATION_CLASSES[oname].curve(z)
                of = np.asarray(of, np.float64)
                ok = np.isfinite(of)
                item.setData(z[ok], of[ok])
                self.plot.addItem(item)
                self._overlays[oname] = item
            if item is not None:
                item.setVisible(show)
                if show:
                    ys.append(item.yData)
        # y range: the curves, clipped so unbounded activations keep f′ readable.
        allv = np.concatenate([np.asarray(y, np.float64).ravel() for y in ys])
        allv = allv[np.isfinite(allv)]
        lo = max(float(allv.min()), Y_CLIP[0]) if allv.size else 0.0
        hi = min(float(allv.max()), Y_CLIP[1]) if allv.size else 1.0
        r = self._yrange.update(lo, hi, pad=0.06)
        if r is not None:
            self._ylim = r
            self.plot.setYRange(*r, padding=0)
            self.grid.set_ranges(yr=r, y_ticks=nice_ticks(r[0], r[1], 6))
        if self.grid.xr != zr:
            self.plot.setXRange(zr[0], zr[1], padding=0)
            self.grid.set_ranges(xr=zr, x_ticks=nice_ticks(zr[0], zr[1], 8))
        self._set_regions(info, cls, zr)
        self._facts_html = self._facts(name, info)
        for item in self._hist_items:
            item.setFillLevel(self._ylim[0])

    def _update_legend(self, name):
        """The legend lives in the title row: no legend box hides the curves or regions."""
        parts = [f"<span style='color:{theme.hex_color(F_COLOR)}'>━ "
                 f"{html.escape(choice_label(name or ''))} f(z)</span>",
                 f"<span style='color:{theme.hex_color(DF_COLOR)}'>╍ f′(z)</span>"]
        for i, (oname, act) in enumerate(self.compare_actions.items()):
            if act.isChecked() and oname != name:
                c = OVERLAY_COLORS[i % len(OVERLAY_COLORS)]
                parts.append(f"<span style='color:{theme.hex_color(c)}'>━ "
                             f"{html.escape(choice_label(oname))}</span>")
        parts.append("<span style='color:#9aa3b2'>▇&nbsp;"
                     + self.tr("z histogram").replace(" ", "&nbsp;") + "</span>")
        self.legend_html = " &nbsp; ".join(parts)
        self.plot.setTitle(self.legend_html, size="9pt")
        fit_title(self.plot, self.view.width())

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        narrow = self.width() < NARROW
        orient = Qt.Vertical if narrow else Qt.Horizontal
        if self.splitter.orientation() != orient:
            self.splitter.setOrientation(orient)
            total = self.height() if narrow else self.width()
            self.splitter.setSizes([int(total * 0.62), int(total * 0.38)])
        fit_title(self.plot, self.view.width())

    def _set_regions(self, info: dict, cls, zr):
        y_top = self._ylim[1] - 0.02 * (self._ylim[1] - self._ylim[0])
        # (lo, hi) of each flat tail: both sides (sigmoid, tanh) or only below (ELU, softplus).
        s, below = info.get("saturates_beyond"), info.get("saturates_below")
        tails = [None, None]
        if s is not None and math.isfinite(s) and s < zr[1]:
            tails = [(zr[0], -s), (s, zr[1])]
        elif below is not None and math.isfinite(below) and below > zr[0]:
            tails = [(zr[0], below), None]
        edge = next((t[1] if i == 0 else t[0] for i, t in enumerate(tails) if t), None)
        if edge is not None:
            share = 2.0
            max_slope = info.get("max_slope") or 1.0
            if cls is not None:
                _, d = cls.curve(np.array([float(edge)]))
                share = 100.0 * abs(float(d[0])) / max_slope
            text = _small(self.tr("saturated<br>f′ &lt; {0}% of max").format(f"{share:.0f}"),
                          (255, 120, 140))
            for lab, x in zip(self.sat_labels, zr):
                lab.setHtml(text)
                lab.setPos(x, y_top)
        for tail, region, lab in zip(tails, self.sat_regions, self.sat_labels):
            if tail is not None:
                region.setRegion(tail)
            region.setVisible(tail is not None)
            lab.setVisible(tail is not None)
        d = info.get("dead_below")
        show_dead = d is not None and math.isfinite(d) and d > zr[0]
        if show_dead:
            self.dead_region.setRegion((zr[0], d))
            self.dead_label.setPos((zr[0] + d) / 2, y_top)
        self.dead_region.setVisible(show_dead)
        self.dead_label.setVisible(show_dead)

    def _facts(self, name, info: dict) -> str:
        if not name:
            return ""
        formula = html.escape(info.get("formula") or "")
        lesson = html.escape(self.tr(LESSONS[name]) if name in LESSONS else "")
        rng = info.get("output_range") or (float("-inf"), float("inf"))
        # "[0, ∞)" when the bound is reached (ReLU outputs exactly 0), "(0, 1)" when it is
        # only approached (sigmoid).
        cls = ACTIVATION_CLASSES.get(name)
        reached = False
        if cls is not None and math.isfinite(rng[0]):
            with np.errstate(all="ignore"):
                reached = float(np.asarray(cls.curve(np.array([-8.0]))[0])[0]) == rng[0]
        rtxt = ("[" if reached else "(") + ", ".join(
            "∞" if v == math.inf else "−∞" if v == -math.inf else f"{v:g}" for v in rng) + ")"
        centred = (self.tr("zero-centred") if info.get("zero_centered")
                   else self.tr("not zero-centred"))
        bits = [f"<b style='font-size:11pt'>{html.escape(choice_label(name))}</b>",
                f"<span style='color:{theme.hex_color(F_COLOR)}'>{formula}</span>",
                f"<span style='color:{theme.hex_color(DF_COLOR)}'>{lesson}</span>",
                "<span style='color:#9aa3b2'>" + self.tr("outputs in {0} · max slope {1} · {2}")
                .format(rtxt, f"{info.get('max_slope', 1.0):g}", centred) + "</span>"]
        return "<br>".join(bits)

    def _draw_histograms(self, snap: dict, info: dict, zr):
        hidden = [lay for lay in snap.get("layers") or () if lay.get("preact_hist") is not None]
        names = [lay["name"] for lay in hidden]
        if names != self._layer_names:
            self._sync_layers(names)
        sel = self.layer_box.currentData() or ""
        lo, hi = zr
        ylo, yhi = self._ylim
        dens = []
        for lay in hidden:
            h = np.nan_to_num(np.asarray(lay["preact_hist"], np.float64), nan=0.0,
                              posinf=0.0, neginf=0.0)
            tot = h.sum()
            dens.append(h / tot if tot > 0 else h * 0.0)
        shown = [i for i, n in enumerate(names) if sel in ("", n)]
        top = max((float(dens[i].max()) for i in shown if dens[i].size), default=0.0)
        scale = HIST_HEIGHT * (yhi - ylo) / top if top > 0 else 0.0
        for i, item in enumerate(self._hist_items):
            vis = i in shown
            item.setVisible(vis)
            if vis:
                d = dens[i]
                item.setData(np.linspace(lo, hi, d.size + 1), ylo + d * scale)

        # Live numbers per layer (from the histograms: what the shading shows).
        s = info.get("saturates_beyond")
        below = info.get("saturates_below")
        dead = info.get("dead_below")
        rows = []
        self.stats = {}
        for i, lay in enumerate(hidden):
            st = {}
            h = lay["preact_hist"]
            if s is not None:
                st["saturated"] = region_fraction(h, lo, hi, lo, -s) + \
                    region_fraction(h, lo, hi, s, hi)
            elif below is not None:
                st["saturated"] = region_fraction(h, lo, hi, lo, below)
            if dead is not None:
                st["dead"] = region_fraction(h, lo, hi, lo, dead)
            if not st:
                st["negative"] = region_fraction(h, lo, hi, lo, 0.0)
            self.stats[lay["name"]] = st
            c = theme.hex_color(theme.layer_color(i))
            parts = []
            if "saturated" in st:
                parts.append(self.tr("{0} saturated").format(_pct(st["saturated"])))
            if "dead" in st:
                parts.append(self.tr("{0} of z &lt; {1}").format(_pct(st["dead"]), f"{dead:g}"))
                units = lay.get("dead_fraction")
                width = lay.get("width")
                if units is not None and width and math.isfinite(units):
                    parts.append(self.tr("{0}/{1} units dead").format(round(units * width), width))
            if "negative" in st:
                parts.append(self.tr("{0} of z &lt; {1}").format(_pct(st["negative"]), 0))
            rows.append(f"<span style='color:{c}'>■ {html.escape(layer_label(lay['name']))}</span>"
                        + self.tr(": ") + self.tr(", ").join(parts))
        numbers = ""
        if rows:
            numbers = ("<br><br>" + self.tr("<b>Now</b> <span style='color:#9aa3b2'>(share of "
                                            "pre-activations on the probe batch)</span>")
                       + "<br>" + "<br>".join(rows))
        elif not hidden:
            numbers = "<br><br>" + self.tr(
                "<b style='color:#e5c07b'>No hidden layer</b>: this network uses no activation "
                "function: the output is a linear function of the input (logistic / softmax "
                "regression). The curve shows what hidden layers would use; add one under "
                "<b>Hidden layers</b>.")
        self.set_live_text(self.facts, self._facts_html + numbers)

    def _sync_layers(self, names):
        for item in self._hist_items:
            self.plot.removeItem(item)
        self._hist_items = []
        for i, _ in enumerate(names):
            c = theme.layer_color(i)
            item = pg.PlotCurveItem(x=np.array([0.0, 1.0]), y=np.array([0.0]), stepMode="center",
                                    fillLevel=self._ylim[0], pen=pg.mkPen(*c, 230, width=1),
                                    brush=pg.mkBrush(*c, 45), antialias=False)
            item.setZValue(-5)
            self.plot.addItem(item)
            self._hist_items.append(item)
        set_layer_items(self.layer_box, names, first=(self.tr(ALL_LAYERS), ""))
        self._layer_names = list(names)
