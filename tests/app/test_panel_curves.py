"""The activation, loss and gradient-flow panels, fed real snapshots from small trainers."""
import math

import numpy as np
import pytest

from helpers import small_config
from panel_helpers import draw, show, show_on_screen
from nnvis.app.panels.activation_curves import ALL_LAYERS, ActivationCurvesPanel, region_fraction
from nnvis.app.panels.axes import log_label, log_ticks
from nnvis.app.panels.gradient_flow import FlowHistory, GradientFlowPanel, flow_verdict
from nnvis.app.panels.loss_curves import LossCurvesPanel, bucket_mean, ema, envelope
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer, take_snapshot


@pytest.fixture(scope="module", autouse=True)
def _pg():
    configure_pyqtgraph()


def trainer(**overrides):
    return Trainer(small_config(**overrides))


def snap(t, steps=0):
    if steps:
        t.step(steps)
    return take_snapshot(t, grid=False)




def all_finite(item):
    x, y = item.getData()
    x = np.zeros(0) if x is None else np.asarray(x)
    y = np.zeros(0) if y is None else np.asarray(y)
    return bool(np.isfinite(x).all() and np.isfinite(y).all())


# ---------------------------------------------------------------------------- activation
def test_sigmoid_curves_saturation_shading_and_facts(qtbot):
    t = trainer(model__activation="sigmoid", model__hidden=[6, 5])
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, snap(t, 5))
    z, f = p.f_curve.getData()
    _, df = p.df_curve.getData()
    assert z.min() == pytest.approx(-8) and z.max() == pytest.approx(8)
    assert f.max() == pytest.approx(1.0, abs=1e-3) and f.min() == pytest.approx(0.0, abs=1e-3)
    assert df.max() == pytest.approx(0.25, abs=1e-4)          # σ′ ≤ 0.25
    assert p.df_curve.opts["pen"].style() != p.f_curve.opts["pen"].style()  # f′ dashed
    assert all(r.isVisible() for r in p.sat_regions) and not p.dead_region.isVisible()
    assert p.sat_regions[1].getRegion() == pytest.approx((5.3, 8.0))
    assert "saturated" in p.sat_labels[0].toPlainText()
    text = p.facts_text()
    assert "0.25" in text and "4×" in text
    assert "hidden1" in text and "hidden2" in text and "saturated" in text
    assert set(p.histogram_items()) == {"hidden1", "hidden2"}   # one per hidden layer
    assert "sigmoid" in p.legend_html


def test_relu_shows_dead_region_and_other_curves(qtbot):
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, snap(trainer(model__activation="sigmoid")))
    draw(p, snap(trainer(model__activation="relu")))
    z, f = p.f_curve.getData()
    _, df = p.df_curve.getData()
    assert np.allclose(f, np.maximum(z, 0))
    assert set(np.unique(df)) <= {0.0, 1.0}
    assert p.dead_region.isVisible() and not any(r.isVisible() for r in p.sat_regions)
    assert p.dead_region.getRegion() == pytest.approx((-8.0, 0.0))
    assert "dead" in p.dead_label.toPlainText()
    assert "die" in p.facts_text() and "units dead" in p.facts_text()


def test_live_percentages_come_from_the_histograms(qtbot):
    # Large initial weights: sigmoid pre-activations pile up in the flat tails.
    t = trainer(model__activation="sigmoid", model__init="normal", model__init_scale=6.0,
                model__hidden=[16, 16])
    s = snap(t)
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, s)
    for layer in s["layers"][:-1]:
        share = p.stats[layer["name"]]["saturated"]
        assert share == pytest.approx(layer["saturated_fraction"], abs=0.05)
        assert f"{layer['name']}</span>: {100 * share:.0f}% saturated" in p.facts.text()
    assert max(st["saturated"] for st in p.stats.values()) > 0.3


def test_region_fraction_splits_bins():
    h = np.array([1, 1, 1, 1])  # over [-2, 2]
    assert region_fraction(h, -2, 2, -2, -1.5) == pytest.approx(0.125)
    assert region_fraction(h, -2, 2, 0, 2) == pytest.approx(0.5)
    assert math.isnan(region_fraction(np.zeros(4), -2, 2, 0, 2))


def test_compare_overlay_and_layer_selector(qtbot):
    t = trainer(model__activation="tanh", model__hidden=[6, 5, 4])
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, snap(t))
    p.set_compared(["relu", "tanh"])    # tanh is current: no overlay for it
    item = p.overlay("relu")
    assert item.isVisible() and p.overlay("tanh") is None
    z, f = item.getData()
    assert np.allclose(f, np.maximum(z, 0))
    assert "relu" in p.legend_html
    p.set_compared([])
    assert not item.isVisible()
    assert [p.layer_box.itemText(i) for i in range(p.layer_box.count())] == \
        [ALL_LAYERS, "hidden1", "hidden2", "hidden3"]
    p.select_layer("hidden2")
    draw(p, snap(t, 2))
    assert list(p.histogram_items()) == ["hidden2"]
    x, y = p.histogram_items()["hidden2"].getData()
    assert len(x) == len(y) + 1 and np.isfinite(y).all()


# ---------------------------------------------------------------------------- loss
def test_loss_curves_hold_the_history_finite_only(qtbot):
    t = trainer()
    s = snap(t, 40)
    for _ in range(3):
        s = snap(t, 5)
    p = show(qtbot, LossCurvesPanel())
    p.set_smoothing(0.0)
    draw(p, s)
    h = s["history"]
    x, y = p.smooth_curve.getData()
    assert np.array_equal(x, h["step"]) and np.allclose(y, h["train_loss"])
    ex, ey = p.eval_test_curve.getData()
    assert np.allclose(ey, h["eval"][:, 1]) and np.array_equal(ex, h["eval_step"])
    _, acc = p.acc_test_curve.getData()
    assert np.allclose(acc, h["eval"][:, 3])
    assert p.accuracy_shown()

    # A NaN in the history never reaches a curve.
    s2 = dict(s)
    loss = h["train_loss"].copy()
    loss[3] = np.nan
    ev = h["eval"].copy()
    ev[1, 1] = np.inf
    s2["history"] = dict(h, train_loss=loss, eval=ev)
    p.set_smoothing(0.5)
    draw(p, s2)
    for item in (p.smooth_curve, p.raw_curve, p.eval_test_curve, p.eval_train_curve,
                 p.acc_train_curve, p.acc_test_curve):
        assert all_finite(item)
    assert len(p.raw_curve.getData()[1]) == len(loss) - 1
    assert len(p.eval_test_curve.getData()[1]) == len(ev) - 1
    text = p.readout_text()
    assert "test − train loss" in text and "acc" in text


def test_loss_log_toggle_and_smoothing(qtbot):
    t = trainer()
    s = snap(t, 60)
    p = show(qtbot, LossCurvesPanel())
    p.set_smoothing(0.0)
    draw(p, s)
    ymax_lin = p.loss_plot.vb.viewRange()[1][1]
    p.set_log_y(True)
    y = p.smooth_curve.getData()[1]
    assert np.allclose(y, np.log10(s["history"]["train_loss"]))
    assert "log" in p.loss_plot.getAxis("left").labelText
    assert p.loss_plot.vb.viewRange()[1][1] < ymax_lin + 1   # range now in decades
    p.set_log_y(False)
    p.set_smoothing(0.9)
    y = p.smooth_curve.getData()[1]
    assert np.allclose(y, ema(s["history"]["train_loss"], 0.9))
    assert np.std(np.diff(y)) < np.std(np.diff(s["history"]["train_loss"]))


def test_regression_shows_r2_below_the_loss_or_nothing_where_it_is_not_measured(qtbot):
    t = Trainer(small_config(data__name="sine", model__loss="mse"))
    p = show(qtbot, LossCurvesPanel())
    s = snap(t, 10)
    draw(p, s)
    assert p.accuracy_shown() and "R²" in p.acc_plot.titleLabel.text
    assert p.acc_plot.getAxis("left").labelText == "R²"
    assert "R²" in p.readout_text() and "MAE" in p.readout_text()
    # A watched script's regression measures no R²: the loss plot takes the room.
    p.reset()
    watched = dict(s, train_r2=math.nan, test_r2=math.nan, val_r2=math.nan,
                   history=dict(s["history"], eval_more=None))
    draw(p, watched)
    assert not p.accuracy_shown()
    qtbot.waitUntil(lambda: p.loss_plot.height() > 0.8 * p.view.height(), timeout=2000)
    assert "n/a" in p.readout_text()
    p.reset()
    draw(p, snap(trainer(), 10))   # back to classification: accuracy returns below
    assert p.accuracy_shown() and "Accuracy" in p.acc_plot.titleLabel.text
    qtbot.waitUntil(lambda: p.acc_plot.height() > 0.3 * p.view.height(), timeout=2000)
    assert p.acc_plot.pos().y() > p.loss_plot.pos().y()


def test_no_test_set_is_said_where_the_test_curve_would_be(qtbot):
    p = show_on_screen(qtbot, LossCurvesPanel(), (700, 450))
    draw(p, snap(trainer(data__train_fraction=1.0), 30))
    note = p.no_test_note
    assert note.isVisible() and note.toPlainText() == "no test set"
    test_y = p.eval_test_curve.getData()[1]
    assert (test_y is None or len(test_y) == 0) and "overfitting" not in p.readout_text()
    vb = p.loss_plot.vb
    assert 0.5 * vb.width() < note.pos().x() <= vb.width() and note.pos().y() < 0.2 * vb.height()
    p.reset()
    draw(p, snap(trainer(), 30))
    assert not note.isVisible()


def test_ema_matches_the_recurrence_and_bucket_mean():
    rng = np.random.default_rng(0)
    v = rng.random(3000)
    for a in (0.05, 0.6, 0.99):
        m = w = 0.0
        ref = []
        for x in v:
            m = a * m + (1 - a) * x
            w = a * w + (1 - a)
            ref.append(m / w)
        assert np.allclose(ema(v, a), ref)
    assert np.array_equal(ema(v, 0.0), v)
    x = np.arange(1000.0)
    bx, by = bucket_mean(x, 2 * x, 100)
    assert len(bx) == 100 and bx[-1] == 999 and np.allclose(by[:-1], 2 * bx[:-1])


# ---------------------------------------------------------------------------- gradient flow
def test_deep_sigmoid_net_gradients_vanish(qtbot):
    t = Trainer(small_config(data__name="circle", model__hidden=[16] * 8,
                             model__activation="sigmoid", optim__name="sgd"))
    s = snap(t)
    p = show(qtbot, GradientFlowPanel())
    draw(p, s)
    assert "vanish" in p.verdict_text()
    layers = s["layers"]
    assert len(layers) == 9
    for key in ("grad_norm_act", "grad_norm_W", "update_ratio"):
        expect = [math.log10(lay[key]) if lay[key] > 0 else math.nan for lay in layers]
        assert np.allclose(p.bar_values()[key], expect, equal_nan=True)
    bars = p.bars["grad_norm_W"].opts
    assert len(bars["x"]) == 9
    assert np.allclose(bars["y1"], np.log10([lay["grad_norm_W"] for lay in layers]))
    # The first hidden layer gets orders of magnitude less gradient than the last one.
    assert bars["y1"][0] < bars["y1"][7] - 2


def test_flow_verdicts():
    def layers(*norms):
        return [{"name": f"hidden{i + 1}", "kind": "hidden", "grad_norm_W": n}
                for i, n in enumerate(norms)] + [{"name": "output", "kind": "output",
                                                  "grad_norm_W": 1.0}]
    assert "vanish" in flow_verdict(layers(1e-6, 1e-2))[0]
    assert "3.2e-06" in flow_verdict(layers(3.2e-6, 1.0))[0]
    assert "explode" in flow_verdict(layers(1e3, 1.0))[0]
    assert "healthy" in flow_verdict(layers(0.5, 1.0))[0]
    assert "one hidden layer" in flow_verdict(layers(0.5))[0]


def test_time_series_grows_decimates_and_resets(qtbot):
    t = trainer(model__hidden=[5, 5])
    p = show(qtbot, GradientFlowPanel())
    for _ in range(4):
        draw(p, snap(t, 3))
    assert p.history_length() == 4
    x, y = p.time_curves[0].getData()
    assert len(x) == 4 and np.isfinite(y).all()
    assert p.time_quantity() == "grad_norm_W"
    assert np.allclose(y[-1], math.log10(p.snapshot["layers"][0]["grad_norm_W"]))
    p.set_time_quantity("update_ratio")
    assert np.allclose(p.time_curves[0].getData()[1][-1],
                       math.log10(p.snapshot["layers"][0]["update_ratio"]))
    draw(p, p.snapshot)                 # the same step again replaces the last point
    assert p.history_length() == 4
    p.reset()
    assert p.history_length() == 0
    draw(p, snap(t, 1))
    assert p.history_length() == 1
    draw(p, snap(trainer(model__hidden=[5, 5])))   # a lower step: a new run
    assert p.history_length() == 1

    h = FlowHistory(capacity=10)
    layers = [{"name": "hidden1", "grad_norm_W": 1.0, "grad_norm_act": 0.0,
               "update_ratio": 1e-3}]
    for step in range(1, 26):
        h.add(step, layers)
    steps, vals = h.series("grad_norm_W")
    assert h.n <= 10 and np.all(np.diff(steps) > 0) and steps[-1] == 25
    assert np.allclose(vals, 0.0)
    assert np.isnan(h.series("grad_norm_act")[1]).all()   # log10(0): not drawn


def test_log_ticks_and_labels():
    assert list(log_ticks(-6.2, 0.3)) == [-6, -5, -4, -3, -2, -1, 0]
    assert list(log_ticks(-12, 0)) == [-12, -10, -8, -6, -4, -2, 0]
    short = log_ticks(-1.05, 0.05)
    assert np.allclose(10 ** short, [0.1, 0.2, 0.5, 1.0])
    assert log_label(-6) == "10⁻⁶" and log_label(-2) == "0.01" and log_label(2) == "100"
    assert log_label(math.log10(2e-5)) == "2·10⁻⁵"


def test_gradient_flow_overlays_the_compare_run(qtbot):
    from nnvis.app.panels.gradient_flow import GradientFlowPanel
    from nnvis.core import Trainer, take_snapshot
    from nnvis.core.snapshot import layer_stats

    cfg = {"seed": 0, "data": {"name": "circle", "n_samples": 200},
           "model": {"hidden": [8] * 6, "activation": "sigmoid"}}
    main = Trainer(cfg)
    other = Trainer({**cfg, "model": {"hidden": [8] * 6, "activation": "relu", "init": "he"}})
    snap = take_snapshot(main)
    snap["compare"] = {"changes": {"model.activation": "relu", "model.init": "he",
                                   "model.batch_norm": False},     # unchanged: not named
                       "layers": layer_stats(other), "step": 0}
    p = GradientFlowPanel()
    qtbot.addWidget(p)
    p.set_snapshot(snap)
    p.render(force=True)
    assert len(p.compare_values()) == 7
    assert "activation = relu" in p.compare_label.text() and "healthy" in p.compare_label.text()
    assert "batch_norm" not in p.compare_label.text()
    assert "vanish" in p.verdict_text()
    del snap["compare"]
    p.set_snapshot(dict(snap, step=1))
    p.render(force=True)
    assert len(p.compare_values()) == 0 and p.compare_label.isHidden()


class PaintCounter:
    """Counts Paint events a widget receives (an event filter; it lets them through)."""

    def __init__(self, widget):
        from PySide6.QtCore import QEvent, QObject

        counter = self

        class _Filter(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Paint:
                    counter.count += 1
                return False

        self.count = 0
        self._filter = _Filter()
        widget.installEventFilter(self._filter)


def test_a_draw_that_moves_the_axes_paints_the_view_once(qtbot):
    """pyqtgraph applies a new range when painting starts, which used to dirty the view
    again: two full paints per frame whenever the x axis grew."""
    t = trainer()
    p = show(qtbot, LossCurvesPanel())
    p.show()
    qtbot.waitExposed(p)
    draw(p, snap(t, 5))
    qtbot.wait(50)
    counter = PaintCounter(p.view.viewport())
    draws = 0
    for _ in range(6):
        before = p.loss_plot.vb.viewRange()[0][1]
        draw(p, snap(t, 200))        # 200 more steps: the step axis must grow
        assert p.loss_plot.vb.viewRange()[0][1] > before
        draws += 1
        for _ in range(4):
            qtbot.wait(5)
    assert 0 < counter.count <= draws


def test_no_hidden_layer_says_the_network_is_linear(qtbot):
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, snap(trainer(model__hidden=[]), 3))
    assert "No hidden layer" in p.facts_text() and "linear" in p.facts_text()
    draw(p, snap(trainer(), 3))
    assert "No hidden layer" not in p.facts_text()


def test_output_ranges_say_whether_the_bound_is_reached(qtbot):
    p = show(qtbot, ActivationCurvesPanel())
    draw(p, snap(trainer(model__activation="relu"), 1))
    assert "outputs in [0, ∞)" in p.facts_text()      # ReLU outputs exactly 0
    draw(p, snap(trainer(model__activation="sigmoid"), 1))
    assert "outputs in (0, 1)" in p.facts_text()      # σ only approaches 0 and 1


def _evals(train, test):
    n = len(train)
    ev = np.column_stack([train, test, np.full(n, 0.9), np.full(n, 0.8)])
    return np.arange(n, dtype=np.float64) * 100, ev


def test_overfitting_is_flagged_when_the_test_loss_turns_up_not_when_the_gap_widens():
    n = np.arange(30, dtype=np.float64)
    train = 0.7 * np.exp(-n / 8) + 0.01
    early = 0.7 * np.exp(-n / 12) + 0.05            # both fall: the gap widens, no overfitting
    steps, ev = _evals(train, early)
    text, _ = LossCurvesPanel.gap_text({"train_loss": train[-1], "test_loss": early[-1]},
                                       steps, ev)
    assert text.startswith("test − train loss") and "overfitting" not in text
    u_shape = 0.4 * np.exp(-n / 4) + 0.2 + 0.01 * np.maximum(n - 10, 0)   # turns up at 10
    steps, ev = _evals(train, u_shape)
    text, tip = LossCurvesPanel.gap_text({"train_loss": train[-1], "test_loss": u_shape[-1]},
                                         steps, ev)
    assert "test loss rising: overfitting" in text and "Best test loss" in tip


def test_axis_helpers_print_a_real_zero_and_whole_steps():
    from nnvis.app.panels.axes import nice_ticks

    for lo, hi, n in ((-0.3, 0.3, 6), (-0.7, 0.5, 12), (-3e-5, 1e-5, 8)):
        labels = [f"{v:g}" for v in nice_ticks(lo, hi, n)]
        assert "0" in labels and not any("e-1" in t for t in labels), labels


def test_the_raw_loss_keeps_its_spread_in_two_points_per_pixel():
    rng = np.random.default_rng(0)
    x = np.arange(5000, dtype=np.float64)
    y = np.exp(-x / 2000) + 0.2 * rng.random(5000)
    ex, ey = envelope(x, y, 300)
    assert len(ex) <= 601 and np.all(np.diff(ex) >= 0)
    y2 = y.copy()
    y2[-3] = 5.0                                        # a spike among the newest steps
    assert envelope(x, y2, 300)[1].max() == 5.0
    assert ey.max() == y.max() and ey.min() == y.min() and ey[-1] == y[-1]
    # Each bucket's noise band survives: the envelope is as wide as the data, locally.
    assert np.ptp(ey[:20]) > 0.8 * np.ptp(y[:170])
    assert len(envelope(x[:500], y[:500], 300)[0]) == 500   # short curves are drawn whole


@pytest.mark.parametrize("panel_cls", [ActivationCurvesPanel, LossCurvesPanel, GradientFlowPanel])
def test_plots_fit_a_narrow_dock_instead_of_being_clipped(qtbot, panel_cls):
    """At 1280×800 the docks are ~290 px wide: a plot wider than its view loses its right
    edge (legend, axis labels, the 'saturated' band)."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    p = show(qtbot, panel_cls(), size=(290, 330))
    p.show()
    qtbot.waitExposed(p)
    draw(p, snap(trainer(model__activation="sigmoid", model__hidden=[6] * 8), 3))
    for _ in range(5):
        QApplication.processEvents()
    views = p.findChildren(pg.GraphicsView)
    assert views
    for view in views:
        for item in view.scene().items():
            if isinstance(item, pg.PlotItem) and item.isVisible():
                right = item.mapRectToScene(item.boundingRect()).right()
                assert right <= view.viewport().width() + 1, (panel_cls.__name__, right)


def test_saturation_labels_stay_inside_a_narrow_plot(qtbot):
    from PySide6.QtWidgets import QApplication

    p = show(qtbot, ActivationCurvesPanel(), size=(290, 330))
    p.show()
    qtbot.waitExposed(p)
    draw(p, snap(trainer(model__activation="sigmoid", model__hidden=[6, 5]), 3))
    QApplication.processEvents()
    vb = p.plot.vb
    for lab in p.sat_labels:
        assert lab.isVisible()
        r = lab.mapRectToItem(vb, lab.boundingRect())
        assert r.left() >= -1 and r.right() <= vb.width() + 1, (r.left(), r.right(), vb.width())


def test_step_zero_shows_the_first_evaluation_on_a_real_step_axis(qtbot):
    t = trainer()
    p = show(qtbot, LossCurvesPanel())
    s = snap(t)
    draw(p, s)
    x, y = p.loss_dots.getData()
    assert list(x) == [0, 0] and np.allclose(y, [s["train_loss"], s["test_loss"]])
    assert len(p.acc_dots.getData()[0]) == 2
    assert p.loss_plot.vb.viewRange()[0][1] >= 10          # "0 … 10", not a lone "1"
    draw(p, snap(t, 30))
    x, _ = p.loss_dots.getData()
    assert x[0] == x[1] == p.eval_test_curve.getData()[0][-1]   # dots follow the curves' ends


def test_live_numbers_change_at_most_four_times_a_second_while_training(qtbot):
    t = trainer()
    p = show(qtbot, LossCurvesPanel())
    s = dict(snap(t, 5), running=True)
    draw(p, s)
    first = p.readout_text()
    assert "step 5" in first
    draw(p, dict(snap(t, 5), running=True))           # 40 ms later: still the old numbers
    assert p.readout_text() == first and p.needs_redraw   # ... and the panel asks to redraw
    qtbot.wait(int(1000 * p.LABEL_INTERVAL) + 20)
    p.render(force=True)                              # the next frame catches up
    assert "step 10" in p.readout_text()
    draw(p, dict(snap(t, 5), running=False))          # paused: at once
    assert "step 15" in p.readout_text()


@pytest.mark.parametrize("name", ["elu", "softplus"])
def test_one_sided_saturation_is_shaded_and_counted_like_the_network_panel(qtbot, name):
    from nnvis.core.activations import ACTIVATION_CLASSES

    p = show(qtbot, ActivationCurvesPanel())
    s = snap(trainer(model__activation=name, model__hidden=[6, 5]), 3)
    draw(p, s)
    below = ACTIVATION_CLASSES[name].saturates_below
    assert p.sat_regions[0].isVisible() and not p.sat_regions[1].isVisible()
    assert p.sat_regions[0].getRegion()[1] == pytest.approx(below)
    assert "saturated" in p.facts_text() and "of z &lt; 0" not in p.facts_text()
