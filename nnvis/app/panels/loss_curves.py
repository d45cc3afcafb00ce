"""Loss & accuracy (or R²) over training steps.

Top: the per-step training batch loss (faint, raw) and its exponential moving average, plus
the periodic evaluations of the train, test and (with data.val_fraction) validation loss;
early stopping's best step is marked. Bottom: train, test and validation accuracy — or, for
regression, R² (hidden where neither is measured). The readout gives the latest numbers
(regression: R² and MAE in the target's units) and the test − train loss gap: a gap that
keeps growing while the train loss falls is overfitting.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider

from nnvis.app import theme
from nnvis.app.export.curve_tables import loss_table
from nnvis.app.export.pictures import PlotPicture
from nnvis.app.export.table import Table
from nnvis.app.panels.base import Panel
from nnvis.app.panels.loss_marks import BestStepMark
from nnvis.app.panels.ranges import RangeKeeper
from nnvis.app.panels.curve_thinning import bucket_mean, ema, envelope
from nnvis.app.panels.axes import (CheapGrid, finite_xy, fit_title, nice_ticks, set_log_ticks,
                                   set_step_ticks)

DEFAULT_SMOOTHING = 0.6
RISE = 0.25  # test loss this far above its best (and the train loss not) ⇒ overfitting
MIN_STEPS_SHOWN = 10  # the step axis spans at least this much (at step 0: "0 … 10", not "1")
R2_FLOOR = -1.0  # R² far below 0 (early, a wild fit) is drawn at this, off the 0…1 axis
LOWER_TICKS = (0, 0.25, 0.5, 0.75, 1.0)


# lupdate finds QCoreApplication.translate("Context", "text") under this shorter name too.
translate = QCoreApplication.translate


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def _num(v, pct: bool = False) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    if not math.isfinite(v):
        return "∞" if v > 0 else "−∞"
    return f"{100 * v:.1f}%" if pct else f"{v:.4g}"



class LossCurvesPanel(Panel):
    panel_id = "loss"
    refresh_every, refresh_phase = 2, 1  # 15 Hz, on the ticks the network skips

    def __init__(self, parent=None):
        super().__init__(parent)
        self._task = None
        self._keepers()

        # --- toolbar
        self.log_box = QCheckBox()
        self.raw_box = QCheckBox()
        self.raw_box.setChecked(True)
        self.smooth_slider = QSlider(Qt.Horizontal)
        self.smooth_slider.setRange(0, 99)
        self.smooth_slider.setValue(round(DEFAULT_SMOOTHING * 100))
        self.smooth_slider.setMaximumWidth(140)
        self.smooth_value = QLabel("")
        self.smooth_value.setMinimumWidth(32)
        for w in (self.log_box, self.raw_box):
            w.toggled.connect(self._on_option_changed)
        self.smooth_slider.valueChanged.connect(self._on_option_changed)
        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(self.log_box)
        top.addSpacing(6)
        self.smooth_label = QLabel()
        top.addWidget(self.smooth_label)
        top.addWidget(self.smooth_slider)
        top.addWidget(self.smooth_value)
        top.addSpacing(6)
        top.addWidget(self.raw_box)
        top.addStretch(1)
        self.readout = QLabel("")
        self.readout.setTextFormat(Qt.RichText)
        self.readout.setWordWrap(True)
        self.readout.setContentsMargins(4, 0, 4, 0)

        # --- plots
        # One view for both plots: one paint pass per frame instead of two.
        self.view = pg.GraphicsLayoutWidget()
        self.view.ci.setContentsMargins(0, 0, 0, 0)
        self.view.ci.setSpacing(0)
        self.loss_plot: pg.PlotItem = self.view.addPlot(row=0, col=0)
        self.acc_plot: pg.PlotItem = self.view.addPlot(row=1, col=0)
        self.view.ci.layout.setRowStretchFactor(0, 3)
        theme.style_plot(self.loss_plot, "", "", "")
        theme.style_plot(self.acc_plot, "", "", "")
        for p in (self.loss_plot, self.acc_plot):
            for ax in ("left", "bottom"):
                p.getAxis(ax).enableAutoSIPrefix(False)
            p.enableAutoRange(False)
            p.setMouseEnabled(False, False)
            p.getAxis("left").setWidth(48)   # both plots' x axes line up
        self.loss_grid = CheapGrid(self.loss_plot)
        self.acc_grid = CheapGrid(self.acc_plot)

        def curve(plot, color, width=2.0, alpha=255, style=Qt.SolidLine, z=0):
            # Wide antialiased pens over ~1000 noisy segments cost ~8 ms per paint; without
            # antialiasing pyqtgraph draws them as line segments (~0.3 ms).
            item = pg.PlotCurveItem(pen=pg.mkPen(*color, alpha, width=width, style=style),
                                    antialias=width <= 1.0)
            item.setZValue(z)
            plot.addItem(item)
            return item

        self.raw_curve = curve(self.loss_plot, theme.TRAIN, 1.0, 55, z=-1)
        self.smooth_curve = curve(self.loss_plot, theme.TRAIN, 2.0, z=2)
        self.eval_train_curve = curve(self.loss_plot, (150, 205, 255), 1.5, style=Qt.DashLine, z=1)
        self.eval_test_curve = curve(self.loss_plot, theme.TEST, 2.0, z=3)
        # Validation: violet and dotted, so it is never read as the (solid orange) test curve.
        self.eval_val_curve = curve(self.loss_plot, theme.VALIDATION, 2.0, style=Qt.DotLine,
                                    z=2.5)
        # Compare mode: the flipped copy's smoothed batch loss, white and dashed like its
        # outlines in the gradient-flow panel.
        self.compare_curve = curve(self.loss_plot, (235, 235, 235), 1.5, style=Qt.DashLine, z=4)
        self.acc_train_curve = curve(self.acc_plot, theme.TRAIN, 2.0)
        self.acc_test_curve = curve(self.acc_plot, theme.TEST, 2.0, z=1)
        self.acc_val_curve = curve(self.acc_plot, theme.VALIDATION, 2.0, style=Qt.DotLine,
                                   z=0.5)
        self._best = BestStepMark(self.loss_plot, self.acc_plot, self)
        # The latest evaluation as dots at the curves' ends: visible from step 0, when a
        # curve of one point draws nothing.
        self.loss_dots = pg.ScatterPlotItem(size=7, pen=pg.mkPen(None))
        self.acc_dots = pg.ScatterPlotItem(size=7, pen=pg.mkPen(None))
        self.loss_dots.setZValue(5)
        self.acc_dots.setZValue(5)
        self.loss_plot.addItem(self.loss_dots)
        self.acc_plot.addItem(self.acc_dots)
        # Without a test set (data.train_fraction 1) there is no test curve: say so where it
        # would be, in the plot's top right corner (pixels, whatever the axis ranges).
        self.no_test_note = pg.TextItem(self.tr("no test set"), color=theme.TEST, anchor=(1, 0))
        self.no_test_note.setParentItem(self.loss_plot.getViewBox())
        self.no_test_note.setVisible(False)
        self.loss_plot.getViewBox().sigResized.connect(lambda vb: self.no_test_note.setPos(vb.width() - 6, 4))
        self._dot_brushes = [pg.mkBrush(150, 205, 255), pg.mkBrush(*theme.TEST),
                             pg.mkBrush(*theme.VALIDATION)]
        self.chance_line = pg.InfiniteLine(0.5, angle=0,
                                           pen=pg.mkPen(138, 144, 156, 160, style=Qt.DashLine))
        self.acc_plot.addItem(self.chance_line)
        self.acc_plot.setYRange(0.0, 1.02, padding=0)
        self.acc_grid.set_ranges(yr=(0.0, 1.02), y_ticks=list(LOWER_TICKS))
        # What the titles and axis labels say: (task, validation split?, standardised
        # target?, R² measured?), composed anew when it changes.
        self._look = (None, False, False, False)
        self.loss_plot.getAxis("bottom").setHeight(22)

        self.stack_vertically(top, self.readout, (self.view, 1), spacing=1)
        self._update_smooth_label()
        self.offer_exports("loss", PlotPicture(self.view))
        self.retranslate()

    def export_table(self) -> Table:
        """The history the snapshot keeps: every batch-loss point with its stride (and the
        flipped copy's in compare mode), and the evaluations."""
        snap = self.snapshot or {}
        return loss_table(snap.get("history"), (snap.get("compare") or {}).get("history"))

    def retranslate(self):
        self.no_test_note.setText(self.tr("no test set"))
        self.log_box.setText(self.tr("log y"))
        self.log_box.setToolTip(self.tr("Logarithmic loss axis: late, small improvements stay "
                                        "visible"))
        self.raw_box.setText(self.tr("raw batch loss"))
        self.raw_box.setToolTip(self.tr("Also draw every (noisy) mini-batch loss, faint"))
        self.smooth_label.setText(self.tr("smoothing"))
        self.smooth_slider.setToolTip(self.tr("Exponential moving average of the batch loss "
                                              "(0 = raw)"))
        self._set_titles()
        self.acc_plot.setLabel("bottom", self.tr("step"))
        self._set_axis_labels()
        super().retranslate()

    def _set_titles(self):
        task, has_val, _, _ = self._look
        train, test, val = (f"<span style='color:{theme.hex_color(c)}'>" for c in (
            theme.TRAIN, theme.TEST, theme.VALIDATION))
        chance = "<span style='color:#8a909c'>"
        # The validation entry is spelt out ("validation", dotted): never read as "test".
        val_entry = (" &nbsp;" + self.tr("{0}┅&nbsp;validation{1}").format(val, "</span>")
                     if has_val else "")
        self.loss_plot.setTitle(self.tr("Loss &nbsp;{0}━ batch ╍ train{2} &nbsp;{1}━ test{2}")
                                .format(train, test, "</span>") + val_entry, size="10pt")
        if task == "regression":
            self.acc_plot.setTitle(self.tr("R² (1 = perfect fit) &nbsp;{0}━ train{2} &nbsp;"
                                           "{1}━ test{2}").format(train, test, "</span>")
                                   + val_entry, size="10pt")
        else:
            self.acc_plot.setTitle(self.tr("Accuracy &nbsp;{0}━ train{3} &nbsp;{1}━ test{3} "
                                           "&nbsp;{2}╌ chance{3}").format(train, test, chance,
                                                                         "</span>")
                                   + val_entry, size="10pt")
        self._fit_titles()

    def _fit_titles(self):
        # The titles carry the legend: in a narrow dock they wrap instead of widening the
        # plots past the view.
        for plot in (self.loss_plot, self.acc_plot):
            fit_title(plot, self.view.width())

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._fit_titles()

    def _set_axis_labels(self):
        task, _, standardised, _ = self._look
        # The lower plot carries "step" (the loss plot does when the lower one is hidden).
        self.loss_plot.setLabel("bottom", "" if self.accuracy_shown() else self.tr("step"))
        log = self.log_box.isChecked()
        if standardised:
            # The loss of a CSV regression is on the target standardised with the training
            # split's mean and spread: its numbers are not in the target's units.
            # (Short: a docked plot is ~150 px tall; the readout's tooltip says the rest.)
            label = (self.tr("loss (log, standardised)") if log else
                     self.tr("loss (standardised)"))
        else:
            label = self.tr("loss (log scale)") if log else self.tr("loss")
        self.loss_plot.setLabel("left", label)
        regression = task == "regression"
        self.acc_plot.setLabel("left", self.tr("R²") if regression else self.tr("accuracy"))
        self.acc_plot.getAxis("left").setTicks(
            [[(v, f"{v:g}" if regression else f"{100 * v:.0f}%") for v in LOWER_TICKS]])

    def _keepers(self):
        self._x_keeper = RangeKeeper()
        self._loss_keeper = RangeKeeper()
        self._log_keeper = RangeKeeper()

    # ------------------------------------------------------------------ public helpers
    @property
    def smoothing(self) -> float:
        return self.smooth_slider.value() / 100.0

    def set_smoothing(self, alpha: float):
        self.smooth_slider.setValue(round(alpha * 100))

    def set_log_y(self, on: bool):
        self.log_box.setChecked(on)

    @property
    def best_step_mark(self) -> BestStepMark:
        """Early stopping's best step, marked (read-only: the panel moves it)."""
        return self._best

    def readout_text(self) -> str:
        return self.readout.text()

    def reset(self):
        self._keepers()
        for c in (self.raw_curve, self.smooth_curve, self.eval_train_curve, self.eval_test_curve,
                  self.eval_val_curve, self.acc_train_curve, self.acc_test_curve,
                  self.acc_val_curve, self.compare_curve, self.loss_dots, self.acc_dots):
            c.setData([], [])
        self._best.update(None, "")
        self._dirty = True

    # ------------------------------------------------------------------ drawing
    def _update_smooth_label(self):
        self.smooth_value.setText(f"{self.smoothing:.2f}")

    def _on_option_changed(self, *_):
        self._update_smooth_label()
        self._set_axis_labels()
        self._loss_keeper = RangeKeeper()
        self._log_keeper = RangeKeeper()
        if self.snapshot is not None:
            self._draw(self.snapshot)

    @staticmethod
    def look_of(snap) -> tuple:
        """(task, has a validation split, loss on a standardised target, R² measured)."""
        task = snap.get("task")
        regression = task == "regression"
        r2 = any(_finite(snap.get(k)) for k in ("train_r2", "test_r2", "val_r2"))
        return (task, bool(snap.get("n_val")), regression and snap.get("target_std") is not None,
                regression and r2)

    def _set_task(self, snap):
        task = snap.get("task")
        self._task = task
        self._look = look = self.look_of(snap)
        regression = task == "regression"
        # Regression has no accuracy: the lower plot shows R² where it is measured (NumPy
        # runs), and goes where it is not (a watched script's regression).
        lower = not regression or look[3]
        self.show_accuracy(lower)
        self._set_titles()
        self._set_axis_labels()
        self.loss_plot.getAxis("bottom").setHeight(22 if lower else None)
        k = snap.get("n_classes") or 0
        self.chance_line.setVisible(bool(k and k > 1 and not regression))
        if k and k > 1:
            self.chance_line.setValue(1.0 / k)

    def show_accuracy(self, on: bool):
        """The accuracy plot under the loss (taken out of the layout for regression)."""
        if on == self.accuracy_shown():
            return
        if on:
            self.view.ci.addItem(self.acc_plot, row=1, col=0)
        else:
            self.view.ci.removeItem(self.acc_plot)
        self.view.ci.layout.setRowStretchFactor(1, 2 if on else 0)
        self.acc_plot.setVisible(on)

    def accuracy_shown(self) -> bool:
        return self.acc_plot.isVisible()

    def _draw(self, snap: dict):
        if snap.get("task") != self._task or self.look_of(snap) != self._look:
            self._set_task(snap)
        self.no_test_note.setVisible(snap.get("n_test") == 0)
        hist = snap.get("history") or {}
        log = self.log_box.isChecked()
        steps = np.asarray(hist.get("step", ()), np.float64)
        raw_x, raw_y = finite_xy(steps, hist.get("train_loss", ()))
        ev_steps = np.asarray(hist.get("eval_step", ()), np.float64)
        ev = np.asarray(hist.get("eval", np.zeros((0, 4))), np.float64).reshape(-1, 4)

        tx, ty = finite_xy(ev_steps, ev[:, 0]) if len(ev) else (np.zeros(0), np.zeros(0))
        vx, vy = finite_xy(ev_steps, ev[:, 1]) if len(ev) else (np.zeros(0), np.zeros(0))
        more = self.eval_more(hist, len(ev))
        wx, wy = finite_xy(ev_steps, more[:, 0])     # the validation loss
        px = max(int(self.loss_plot.getViewBox().width()), 100)
        sx, sy = bucket_mean(raw_x, ema(raw_y, self.smoothing), px)
        series = [(self.smooth_curve, sx, sy), (self.eval_train_curve, *bucket_mean(tx, ty, px)),
                  (self.eval_test_curve, *bucket_mean(vx, vy, px)),
                  (self.eval_val_curve, *bucket_mean(wx, wy, px))]
        show_raw = self.raw_box.isChecked() and self.smoothing > 0
        self.raw_curve.setVisible(show_raw)
        if show_raw:
            series.append((self.raw_curve, *envelope(raw_x, raw_y, px)))
        compare = (snap.get("compare") or {}).get("history")
        self.compare_curve.setVisible(compare is not None)
        if compare is not None:
            cx, cy = finite_xy(compare["step"], compare["train_loss"])
            series.append((self.compare_curve, *bucket_mean(cx, ema(cy, self.smoothing), px)))
        ys = []
        for item, x, y in series:
            if log:
                ok = y > 0
                x, y = x[ok], np.log10(y[ok])
            item.setData(x, y)
            ys.append(y)

        # Ranges (hysteresis: no autorange per frame).
        xs = [a for a in (raw_x, tx, vx, wx) if a.size]
        if xs:
            hi = max(float(a[-1]) for a in xs)
            r = self._x_keeper.update(0.0, max(hi, MIN_STEPS_SHOWN), pad=0.05)
            if r is not None:
                r = (0.0, r[1])
                for plot, grid in ((self.loss_plot, self.loss_grid),
                                   (self.acc_plot, self.acc_grid)):
                    plot.setXRange(*r, padding=0)
                    set_step_ticks(grid, r)
        allv = np.concatenate(ys) if ys else np.zeros(0)
        if allv.size:
            lo, hi = float(allv.min()), float(allv.max())
            if log:
                r = self._log_keeper.update(lo, hi, pad=0.05)
                if r is not None:
                    self.loss_plot.setYRange(*r, padding=0)
                    set_log_ticks(self.loss_grid, r)
            else:
                r = self._loss_keeper.update(min(lo, 0.0), hi, pad=0.05)
                if r is not None:
                    r = (max(r[0], 0.0) if lo >= 0 else r[0], r[1])
                    self.loss_plot.setYRange(*r, padding=0)
                    self.loss_grid.set_ranges(yr=r, y_ticks=nice_ticks(*r, 4))

        self._set_dots(self.loss_dots, [(tx, ty), (vx, vy), (wx, wy)], log)
        if self.accuracy_shown() and len(ev):
            # Classes: accuracy (train, test, validation); regression: R² of the same splits.
            cols = ([more[:, 2], more[:, 3], more[:, 4]] if self._task == "regression" else
                    [ev[:, 2], ev[:, 3], more[:, 1]])
            lower = [finite_xy(ev_steps, np.maximum(c, R2_FLOOR)) for c in cols]
            for item, (x, y) in zip((self.acc_train_curve, self.acc_test_curve,
                                     self.acc_val_curve), lower):
                item.setData(*bucket_mean(x, y, px))
            self._set_dots(self.acc_dots, lower, False)
        best = snap.get("best_step")
        self._best.update(best, "" if best is None else self.tr("best: step {0}").format(
            QLocale().toString(int(best))))
        self._update_readout(snap, ev_steps, ev)

    @staticmethod
    def eval_more(hist, n: int) -> np.ndarray:
        """The history's (n, 8) extra evaluation columns (val_loss, val_acc, train/test/val
        R², train/test/val MAE); NaN where a run has none (watched runs, older saves)."""
        more = hist.get("eval_more")
        more = np.full((n, 8), np.nan) if more is None else np.asarray(more, np.float64)
        return more.reshape(-1, 8) if more.size else np.full((n, 8), np.nan)

    def _set_dots(self, item, series, log: bool):
        """One dot at the last point of each (x, y) series (train, test, validation)."""
        xs, ys, brushes = [], [], []
        for (x, y), brush in zip(series, self._dot_brushes):
            if len(x) and (not log or y[-1] > 0):
                xs.append(x[-1])
                ys.append(np.log10(y[-1]) if log else y[-1])
                brushes.append(brush)
        item.setData(xs, ys, brush=brushes)

    def _update_readout(self, snap, ev_steps, ev):
        has_val = self._look[1]

        def values(metric, pct=False):
            # "train / test", coloured as the curves, then " / validation" where there is one.
            text = " / ".join(
                f"<span style='color:{theme.hex_color(c)}'>{_num(snap.get(f'{s}_{metric}'), pct)}"
                "</span>" for s, c in (("train", theme.TRAIN), ("test", theme.TEST)))
            if has_val:
                text += (f" / <span style='color:{theme.hex_color(theme.VALIDATION)}'>"
                         f"{_num(snap.get(f'val_{metric}'), pct)}</span>")
            return text

        loss = values("loss")
        parts = [self.tr("step {0}").format(QLocale().toString(int(snap.get("step", 0)))),
                 self.tr("loss {0} / {1}").format(*loss.split(" / ", 1))]
        if self._task == "regression":
            if self._look[3]:
                parts.append(self.tr("R² {0}").format(values("r2")))
                column = (snap.get("task_params") or {}).get("column")
                mae = values("mae")
                parts.append(self.tr("MAE {0} ({1})").format(mae, column) if column else
                             self.tr("MAE {0}").format(mae))
            else:
                parts.append(self.tr("accuracy n/a (regression)"))
        else:
            parts.append(self.tr("acc {0} / {1}").format(*values("acc", True).split(" / ", 1)))
        gap, tip = self.gap_text(snap, ev_steps, ev)
        if gap:
            parts.append(gap)
        compare = snap.get("compare")
        if compare is not None:
            parts.append("<span style='color:#ebebeb'>" + self.tr(
                "╍ flipped copy: batch loss {0}").format(_num(compare.get("batch_loss")))
                + "</span>")
        stop = snap.get("early_stop")
        if stop:
            parts.append(f"<span style='color:{theme.hex_color(theme.ACCENT)}'>" + self.tr(
                "stopped early at step {0}: the weights of step {1} are kept").format(
                    QLocale().toString(int(stop.get("step", 0))),
                    QLocale().toString(int(stop.get("best_step", 0)))) + "</span>")
        head = (self.tr("latest evaluation: train / test / validation") if has_val else
                self.tr("latest evaluation: train / test"))
        if self._look[2]:
            head += "\n" + self.tr("The loss is on the target standardised with the training "
                                   "split's mean and spread; R² and MAE are in the target's "
                                   "own units.")
        self.set_live_text(self.readout, " · ".join(parts), head + "\n" + tip)

    @staticmethod
    def gap_text(snap, ev_steps, ev) -> tuple[str, str]:
        """'test − train loss = +0.031' and a tooltip; flagged as overfitting only when the
        test loss has turned up — its recent level ≥ RISE above its best, reached a while
        ago — while the train loss has not (a gap that merely widens while both losses
        fall is normal early in training)."""
        try:
            train = float(snap.get("train_loss"))
            gap = float(snap.get("test_loss")) - train
        except (TypeError, ValueError):
            return "", ""
        if not math.isfinite(gap):
            return "", ""
        text = translate("LossCurvesPanel", "test − train loss = {0}").format(f"{gap:+.3g}")
        tip = translate("LossCurvesPanel", "test − train loss: how much worse the network "
                        "does on unseen data.\nWhen the test loss turns up while the train "
                        "loss keeps falling, the network is overfitting: learning the training "
                        "points' noise.")
        ok = np.isfinite(ev[:, 0]) & np.isfinite(ev[:, 1]) if len(ev) else np.zeros(0, bool)
        if ok.sum() >= 12:
            tr, te, st = ev[ok, 0], ev[ok, 1], ev_steps[ok]
            best = int(np.argmin(te))
            test_now, train_now = float(te[-5:].mean()), float(tr[-5:].mean())
            if len(te) - best >= 6 and test_now > te[best] * (1 + RISE) + 1e-4 and \
                    train_now <= tr[best]:
                tip += "\n" + translate(
                    "LossCurvesPanel", "Best test loss {0} at step {1}; {2} now, while the "
                    "train loss fell from {3} to {4}.").format(
                        f"{te[best]:.3g}", QLocale().toString(int(st[best])), f"{test_now:.3g}",
                        f"{tr[best]:.3g}", f"{train_now:.3g}")
                return (f"<span style='color:{theme.hex_color(theme.SATURATED)}'>{text} · "
                        + translate("LossCurvesPanel", "test loss rising: overfitting")
                        + "</span>", tip)
        return text, tip
