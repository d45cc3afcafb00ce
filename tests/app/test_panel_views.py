"""The histogram and data panels, fed real snapshots from small trainers."""
import numpy as np
import pytest

from helpers import small_config
from panel_helpers import draw, show
from nnvis.app.panels.data_view import BG, CLASS_RGB, DataViewPanel
from nnvis.app.panels.histograms import HistogramsPanel, LayerHistory
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer, take_snapshot


@pytest.fixture(scope="module", autouse=True)
def _pg():
    configure_pyqtgraph()


def trainer(**overrides):
    return Trainer(small_config(**overrides))


def snap(t, steps=0, **kw):
    if steps:
        t.step(steps)
    return take_snapshot(t, **kw)




# ---------------------------------------------------------------------------- histograms
def test_layer_selector_lists_every_layer_and_keeps_the_choice(qtbot):
    t = trainer(model__hidden=[6, 5, 4])
    p = show(qtbot, HistogramsPanel())
    draw(p, snap(t))
    names = [p.layer_box.itemText(i) for i in range(p.layer_box.count())]
    assert names == ["hidden1", "hidden2", "hidden3", "output"]
    p.select_layer("hidden3")
    draw(p, snap(t, 3))
    assert p.selected_layer() == "hidden3"
    assert "hidden3" in p.stats_label.text() and "‖∂L/∂W‖" in p.stats_label.text()


def test_now_histograms_show_the_selected_layers_histograms(qtbot):
    t = trainer()
    p = show(qtbot, HistogramsPanel())
    s = snap(t, 20)
    draw(p, s)
    for name in ("hidden1", "output"):
        p.select_layer(name)
        layer = next(lay for lay in s["layers"] if lay["name"] == name)
        wx, wy = p.w_curve.getData()
        gx, gy = p.g_curve.getData()
        assert wy.sum() == layer["weight_hist"].sum() == layer["fan_in"] * layer["width"]
        np.testing.assert_array_equal(wy, layer["weight_hist"])
        np.testing.assert_array_equal(gy, layer["grad_hist"])
        assert wx[0] == -layer["weight_range"] and wx[-1] == layer["weight_range"]
        assert (gx[0], gx[-1]) == s["grad_log10_range"]
        assert np.isfinite(wx).all() and np.isfinite(wy).all()
    assert "log10 |∂L/∂W|" in p.g_plot.getAxis("bottom").labelText


def test_heat_maps_grow_per_snapshot_and_clear_on_reset(qtbot):
    t = trainer()
    p = show(qtbot, HistogramsPanel(history=8))
    for i in range(5):
        draw(p, snap(t, 2))
    bins = p.snapshot["hist_bins"]
    assert p.w_image.image.shape == (bins, 5) and p.g_image.image.shape == (bins, 5)
    draw(p, snap(t))            # same step again (e.g. a probe click): replaces, no new column
    assert p.heat_map_columns() == 5
    for i in range(6):
        draw(p, snap(t, 1))
    assert p.heat_map_columns() == 8  # the ring buffer keeps the last 8
    steps = p.step_axes[0].steps
    assert list(steps) == sorted(steps) and steps[-1] == t.step_count
    # Every column of the gradient map holds all weights (log1p-scaled counts).
    n_w = 6 * 6
    p.select_layer("hidden2")
    np.testing.assert_allclose(np.expm1(p.g_image.image).sum(axis=0), n_w, rtol=1e-4)
    p.reset()
    assert p.heat_map_columns() == 0
    draw(p, snap(t, 1))
    assert p.heat_map_columns() == 1
    # A rebuilt trainer (step goes back to 0) also starts a fresh history.
    draw(p, snap(t, 3))
    draw(p, snap(trainer()))
    assert p.heat_map_columns() == 1


def test_history_rebins_when_the_weight_range_grows():
    h = LayerHistory(capacity=4, nbins=8)
    a = np.array([0, 0, 1, 2, 3, 4, 0, 0], float)
    h.add(1, a, 1.0, a)
    h.add(2, a, 2.0, a)      # range doubles: old row now occupies the middle half
    h.add(3, a, 1.0, a)      # narrower histogram stored on the wider scale
    w, g, _a, steps = h.ordered()
    assert h.w_range == 2.0 and list(steps) == [1, 2, 3]
    np.testing.assert_allclose(w.sum(axis=1), a.sum())
    np.testing.assert_allclose(w[0], [0, 0, 0, 3, 7, 0, 0, 0])
    np.testing.assert_allclose(w[0], w[2])


def test_histogram_panel_survives_non_finite_values(qtbot):
    t = trainer()
    p = show(qtbot, HistogramsPanel())
    s = snap(t, 2)
    layer = s["layers"][0]
    layer["weight_range"] = float("nan")
    layer["grad_norm_W"] = float("inf")
    layer["update_ratio"] = float("nan")
    layer["grad_hist"] = layer["grad_hist"].astype(float)
    layer["grad_hist"][3] = np.nan
    draw(p, s)
    for curve in (p.w_curve, p.g_curve):
        x, y = curve.getData()
        assert np.isfinite(x).all() and np.isfinite(y).all()
    assert np.isfinite(p.g_image.image).all()
    assert "∞" in p.stats_label.text()


# ---------------------------------------------------------------------------- data view
@pytest.fixture(scope="module")
def blobs3():
    t = Trainer(small_config(data__name="blobs", data__classes=3, data__n_samples=150))
    first = take_snapshot(t, include_data=True)
    t.step(150)
    return t, first, take_snapshot(t)


def test_decision_regions_show_the_predicted_class(qtbot, blobs3):
    t, first, later = blobs3
    p = show(qtbot, DataViewPanel())
    p.set_snapshot(first)          # points arrive only with the first snapshot ...
    draw(p, later)                 # ... and must survive a later one that has none
    img = p.decision_rgb()
    assert img.shape == (50, 50, 3) and img.dtype == np.uint8
    label, conf = later["grid_label"], later["grid_conf"]
    # Each confident cell's colour lies on the line from the background to its class colour.
    px = img.astype(float) - BG
    dirs = CLASS_RGB[:3] - BG
    alpha = np.clip((px @ dirs.T) / (dirs ** 2).sum(axis=1), 0, None)
    resid = np.linalg.norm(px[..., None, :] - alpha[..., None] * dirs, axis=-1)
    nearest = resid.argmin(axis=-1)
    sure = conf > 0.7
    assert sure.sum() > 100
    assert (nearest[sure] == label[sure]).all()
    # More confident ⇒ further from the background.
    i_sure, i_unsure = np.argmax(conf), np.argmin(conf)
    assert np.abs(px.reshape(-1, 3)[i_sure]).sum() > np.abs(px.reshape(-1, 3)[i_unsure]).sum()
    assert p.decision_image.isVisible() and not p.neuron_image.isVisible()
    # Train and test points: counts, filled vs ring, class colours.
    pts = first["points"]
    assert len(p.train_scatter.data) == len(pts["X_train"])
    assert len(p.test_scatter.data) == len(pts["X_test"])
    y0 = int(pts["y_train"][0])
    assert p.train_scatter.data["brush"][0].color().getRgb()[:3] == tuple(CLASS_RGB[y0].astype(int))
    assert p.test_scatter.data["brush"][0] is None                  # hollow rings ...
    assert p.test_scatter.opts["brush"].color().alpha() == 0
    y0 = int(pts["y_test"][0])                                      # ... in the class colour
    assert p.test_scatter.data["pen"][0].color().getRgb()[:3] == tuple(CLASS_RGB[y0].astype(int))
    assert "train" in p.legend.text() and "test" in p.legend.text()
    assert "x1" in p.plot.getAxis("bottom").labelText
    bx = p.plot.viewRange()[0]
    assert bx == pytest.approx(list(later["grid_bounds"][:2]))


def test_grid_image_updates_only_when_a_grid_arrives(qtbot, blobs3):
    t, first, later = blobs3
    p = show(qtbot, DataViewPanel())
    draw(p, first)
    before = p.decision_rgb().copy()
    t2 = Trainer(small_config(data__name="blobs", data__classes=3, data__n_samples=150))
    t2.step(100)
    no_grid = take_snapshot(t2, grid=False)
    draw(p, no_grid)
    np.testing.assert_array_equal(p.decision_rgb(), before)
    p.set_snapshot(take_snapshot(t2))   # a grid snapshot, then a grid-less one before the frame
    draw(p, no_grid)
    assert not np.array_equal(p.decision_rgb(), before)


def test_neuron_probe_view_and_back_to_prediction(qtbot):
    t = trainer(model__hidden=[6, 6])
    p = show(qtbot, DataViewPanel())
    draw(p, snap(t, 10, include_data=True))
    draw(p, snap(t, 0, probe=(1, 4)))
    assert p.neuron_image.isVisible() and not p.decision_image.isVisible()
    assert "hidden2 unit 4" in p.plot.titleLabel.text
    assert "hidden2 unit 4" in p.mode_label.text()
    assert not p.back_button.isHidden()
    grid = p.neuron_image.image
    np.testing.assert_allclose(grid, p.snapshot["neuron_grid"], rtol=1e-6)
    with qtbot.waitSignal(p.probe_closed, timeout=1000):
        p.back_button.click()
    assert p.decision_image.isVisible() and not p.neuron_image.isVisible()
    assert p.back_button.isHidden() and "hidden2" not in p.plot.titleLabel.text
    draw(p, snap(t, 1, probe=(1, 4)))   # still probed by the worker: stay dismissed
    assert not p.neuron_image.isVisible()
    draw(p, snap(t, 1, probe=(0, 2)))   # another neuron clicked
    assert p.neuron_image.isVisible() and "hidden1 unit 2" in p.plot.titleLabel.text


def test_sine_fit_and_hidden_unit_curves(qtbot):
    t = trainer(**{"data__name": "sine", "model__hidden": [8], "model__loss": "mse"})
    p = show(qtbot, DataViewPanel())
    first = snap(t, 0, include_data=True)
    draw(p, first)
    s = snap(t, 200)
    draw(p, s)
    x, y = p.fit_curve.getData()
    np.testing.assert_allclose(x, s["fit_x"])
    np.testing.assert_allclose(y, s["fit_y"])
    connect = p.unit_curves.opts["connect"]
    assert (~np.asarray(connect, bool)).sum() == 8 == len(s["unit_curves"])
    assert len(p.unit_curves.getData()[0]) == 8 * len(s["fit_x"])
    assert p.unit_curves.isVisible() and not p.units_check.isHidden()
    assert "sum + bias" in p.legend.text()
    p.units_check.setChecked(False)
    assert not p.unit_curves.isVisible()
    assert len(p.train_scatter.data) == len(first["points"]["X_train"])
    assert p.plot.getAxis("left").labelText.startswith("y")
    # Two hidden layers: no unit curves, no checkbox.
    t2 = trainer(**{"data__name": "sine", "model__hidden": [8, 8], "model__loss": "mse"})
    draw(p, snap(t2, 5))
    assert "unit_curves" not in p.snapshot
    assert not p.unit_curves.isVisible() and p.units_check.isHidden()


def test_non_finite_values_never_reach_the_items(qtbot):
    t = trainer(**{"data__name": "sine", "model__hidden": [4], "model__loss": "mse"})
    p = show(qtbot, DataViewPanel())
    s = snap(t, 5, include_data=True)
    s["fit_y"] = s["fit_y"].copy()
    s["fit_y"][[3, 50]] = [np.nan, np.inf]
    s["unit_curves"] = s["unit_curves"].copy()
    s["unit_curves"][1, 10] = np.nan
    s["points"]["y_train"] = s["points"]["y_train"].copy()
    s["points"]["y_train"][0] = np.nan
    draw(p, s)
    for item in (p.fit_curve, p.unit_curves):
        x, y = item.getData()
        assert np.isfinite(x).all() and np.isfinite(y).all()
    assert len(p.fit_curve.getData()[0]) == len(s["fit_x"]) - 2
    assert np.isfinite(p.train_scatter.data["y"]).all()
    assert len(p.train_scatter.data) == len(s["points"]["X_train"]) - 1
    # 2-D classification with a NaN confidence and a 2-D regression with a NaN value.
    t2 = trainer()
    s2 = snap(t2, 5, include_data=True)
    s2["grid_conf"] = s2["grid_conf"].copy()
    s2["grid_conf"][0, 0] = np.nan
    draw(p, s2)
    assert p.decision_rgb().shape == (50, 50, 3)
    t3 = trainer(**{"data__name": "plane", "model__loss": "mse"})
    s3 = snap(t3, 5, include_data=True)
    s3["grid_value"] = s3["grid_value"].copy()
    s3["grid_value"][4, 4] = np.inf
    draw(p, s3)
    assert p.value_image.isVisible() and np.isfinite(p.value_image.image).all()
    assert p.colorbar.scene() is not None     # the colour bar is shown for regression
    # Points are coloured by their target (a spread of colours), test points too.
    colours = {b.color().getRgb() for b in p.train_scatter.data["brush"]}
    assert len(colours) > 10
    assert all(b is not None for b in p.test_scatter.data["brush"])


def test_many_features_without_a_projection_show_a_message(qtbot):
    """A watched run (or a snapshot before the first grid) brings no view of its 64 inputs."""
    t = trainer(**{"data__name": "digits", "model__hidden": [8], "data__n_samples": 200})
    p = show(qtbot, DataViewPanel())
    draw(p, snap(t, 5, include_data=True, grid=False))
    assert p.stack.currentWidget() is p.message
    assert "64 input features" in p.message.text() and "no 2-D view" in p.message.text()
    assert "accuracy" in p.message.text()
    # The engine's principal-axes view, when it comes, replaces the message.
    draw(p, snap(t, 5, include_data=True))
    assert p.stack.currentWidget() is p.view and p.mode == "pca"
    # Back to a 2-D set: the plot returns; another 2-D set renames the header.
    draw(p, snap(trainer(), 0, include_data=True))
    assert p.stack.currentWidget() is p.view and p.decision_image.isVisible()
    assert "xor" in p.mode_label.text()
    draw(p, snap(trainer(data__name="moons"), 0, include_data=True))
    assert "moons" in p.mode_label.text()


def test_activation_histograms_show_saturation(qtbot):
    """The init lesson's picture: tanh with huge weights piles activations at ±1."""
    from nnvis.core import Trainer, take_snapshot

    t = Trainer({"data": {"name": "circle", "n_samples": 200},
                 "model": {"hidden": [64, 64], "activation": "tanh", "init": "normal",
                           "init_scale": 3.0}})
    p = HistogramsPanel()
    qtbot.addWidget(p)
    p.set_snapshot(take_snapshot(t))
    p.select_layer("hidden2")
    p.render(force=True)
    x, y = p.a_curve.getData()
    assert x[0] == -1.0 and x[-1] == 1.0
    edge_mass = y[0] + y[-1]
    assert edge_mass > 0.5 * y.sum()  # most activations sit in the saturated end bins


def test_narrow_histogram_panel_toggles_weights_and_activations(qtbot):
    from nnvis.core import Trainer, take_snapshot

    p = show(qtbot, HistogramsPanel(), size=(500, 400))
    p.show()
    draw(p, take_snapshot(Trainer(small_config())))
    assert p.first_column_box.isVisible() and p.w_plot.isVisible() and not p.a_plot.isVisible()
    p.first_column_box.setCurrentIndex(1)
    assert p.a_plot.isVisible() and not p.w_plot.isVisible()
    p.resize(900, 400)
    qtbot.waitUntil(lambda: p.a_plot.isVisible() and p.w_plot.isVisible())
    assert not p.first_column_box.isVisible()


def test_the_decision_boundary_is_drawn_smooth_not_as_grid_blocks(qtbot):
    from PySide6.QtGui import QImage, QPainter

    p = show(qtbot, DataViewPanel(), size=(400, 420))
    p.show()
    qtbot.waitExposed(p)
    t = Trainer(small_config(data__name="circle"))
    t.step(50)
    draw(p, take_snapshot(t, grid=True, include_data=True))
    assert p.view.renderHints() & QPainter.SmoothPixmapTransform
    # Along a row of the plot, a blocky 50×50 upscale changes colour in few, hard steps.
    img = p.view.grab().toImage().convertToFormat(QImage.Format_RGB32)
    y = img.height() // 2
    row = [img.pixelColor(x, y).red() for x in range(img.width() // 4, 3 * img.width() // 4)]
    assert len(set(row)) > 12
