"""Weights & gradients as a first-time user reads it: axes that say the real values, heat
maps that fill their plots with readable step labels and a colour scale, a narrow dock that
is not clipped, and an output layer that says it has no activation."""
import itertools

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox

from helpers import small_config
from panel_helpers import draw, settle
from panel_helpers import show_on_screen as show
from helpers import snapshot_after as snap
from nnvis.app.panels.histograms import HistogramsPanel
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer


@pytest.fixture(scope="module", autouse=True)
def _pg():
    configure_pyqtgraph()


def drawn_labels(axis):
    """(rect, text) of every tick label the axis would paint now."""
    img = QImage(8, 8, QImage.Format_ARGB32)
    p = QPainter(img)
    try:
        specs = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return [(rect, text) for rect, _flags, text in specs[2]]


def tiny_init():
    """The init-scale lesson's mistake (normal init, scale 0.01), on a small net."""
    return Trainer(small_config(model__hidden=[20, 20], model__init="normal",
                                model__init_scale=0.01))


@pytest.mark.parametrize("init, scale, weight_range", [("normal", 0.01, 0.0625),
                                                       ("constant", 0.3, 0.5)])
def test_weight_axes_read_the_real_values(qtbot, init, scale, weight_range):
    """Tiny init (the init-scale lesson) and every weight 0.3 (the constant-init lesson)."""
    t = Trainer(small_config(model__hidden=[20, 20], model__init=init, model__init_scale=scale))
    p = show(qtbot, HistogramsPanel(), size=(900, 450))
    draw(p, snap(t))
    settle(p)
    assert max(lay["weight_range"] for lay in p.snapshot["layers"]) <= weight_range
    for axis in (p.w_plot.getAxis("bottom"), p.w_map_plot.getAxis("left")):
        assert "(x" not in axis.labelString()                  # no "weight w (x0.001)"
        labels = [text for _rect, text in drawn_labels(axis)]
        assert len(labels) >= 3                                # not a lone "0"
        values = [float(s.replace("−", "-")) for s in labels]
        # Round numbers a reader can take at face value: ±0.02, not ±0.015625.
        assert all(float(f"{v:.2g}") == v for v in values), labels
        assert max(abs(v) for v in values) <= weight_range


def test_output_layer_says_it_has_no_activation(qtbot):
    t = Trainer(small_config(model__hidden=[6, 6], model__activation="relu"))
    p = show(qtbot, HistogramsPanel(), size=(900, 450))
    for _ in range(3):
        draw(p, snap(t, 2))
    assert p.a_image.image is not None and p.a_curve.isVisible()
    p.select_layer("output")
    settle(p)
    assert all(note.isVisible() and "no activation" in note.textItem.toPlainText()
               for note in p.a_notes)
    # Not the last hidden layer's histogram and 0–8 range around values that are ≈ 0.
    assert not p.a_curve.isVisible() and p.a_image.image is None
    p.select_layer("hidden2")
    settle(p)
    assert not any(note.isVisible() for note in p.a_notes) and p.a_curve.isVisible()
    assert p.a_plot.viewRange()[0][0] == pytest.approx(p.snapshot["layers"][1]["act_range"][0])
    assert p.a_image.image is not None


def test_layer_box_fits_its_longest_layer_name(qtbot):
    p = show(qtbot, HistogramsPanel(), size=(335, 340))   # the 1280×800 dock
    draw(p, snap(Trainer(small_config())))
    settle(p)
    draw(p, snap(Trainer(small_config(model__hidden=[4] * 10))))   # rebuilt: "hidden10"
    settle(p)
    box = p.layer_box
    box.setCurrentText("hidden10")
    QApplication.processEvents()
    opt = QStyleOptionComboBox()
    box.initStyleOption(opt)
    field = box.style().subControlRect(QStyle.CC_ComboBox, opt, QStyle.SC_ComboBoxEditField, box)
    # The whole name fits where the box draws its text: not "hidden1(".
    assert field.width() >= box.fontMetrics().horizontalAdvance("hidden10")


def test_heat_maps_fill_their_plots_after_a_rebuild(qtbot):
    p = show(qtbot, HistogramsPanel(), size=(900, 450))   # 300 snapshots of history
    for t in (Trainer(small_config()), Trainer(small_config(seed=2))):   # rebuild: step 0
        for _ in range(4):
            draw(p, snap(t, 3))
        settle(p)
        assert p.heat_map_columns() == 4
        for img, plot in ((p.w_image, p.w_map_plot), (p.g_image, p.g_map_plot),
                          (p.a_image, p.a_map_plot)):
            shown = img.mapRectToView(img.boundingRect())
            (x0, x1), _ = plot.viewRange()
            assert shown.left() == pytest.approx(x0) and shown.right() == pytest.approx(x1)


@pytest.mark.parametrize("width, columns", [(330, 7), (430, 40), (900, 3)])
def test_step_labels_are_readable(qtbot, width, columns):
    t = Trainer(small_config())
    p = show(qtbot, HistogramsPanel(), size=(width, 400))
    for _ in range(columns):
        draw(p, snap(t, 7))
    settle(p)
    shown = [ax for ax, plot in zip(p.step_axes, (p.w_map_plot, p.g_map_plot, p.a_map_plot))
             if plot.isVisible()]
    assert shown
    for ax in shown:
        labels = drawn_labels(ax)
        texts = [text for _r, text in labels]
        assert len(labels) >= 2 and len(set(texts)) == len(texts)
        # They span the map: from (near) its oldest column to (near) its newest one.
        steps, named = ax.steps, sorted(int(s) for s in texts)
        assert named[0] <= steps[int(0.2 * (len(steps) - 1))]
        assert named[-1] >= steps[int(0.8 * (len(steps) - 1))]
        for (a, _), (b, _) in itertools.combinations(labels, 2):
            assert not a.adjusted(-3, 0, 3, 0).intersects(b), texts   # no "72 302"


def test_heat_maps_have_a_colour_scale(qtbot):
    p = show(qtbot, HistogramsPanel(), size=(900, 450))
    for plot in (p.w_map_plot, p.g_map_plot, p.a_map_plot):
        label = plot.getAxis("bottom").labelString()
        assert "few" in label and "many" in label and label.count("█") >= 3


def test_narrow_dock_is_not_clipped(qtbot):
    """The 1280×800 default layout gives the dock ≈ 335 px: one column, picked in a toggle."""
    t = tiny_init()
    p = show(qtbot, HistogramsPanel(), size=(335, 340))
    draw(p, snap(t, 2))
    settle(p)
    box = p.first_column_box
    assert box.isVisible()
    assert [box.itemText(i) for i in range(box.count())] == ["Weights", "Gradients",
                                                           "Activations"]
    for choice, plot in (("Weights", p.w_plot), ("Gradients", p.g_plot),
                         ("Activations", p.a_plot)):
        box.setCurrentText(choice)
        settle(p)
        assert p.view.ci.geometry().width() <= p.view.width() + 0.5   # nothing off the right
        assert plot.isVisible() and plot.geometry().width() >= 0.9 * p.view.width()
        assert plot.geometry().height() >= 0.3 * p.view.height()       # laid out, not tiny
    # The numbers get the panel's width, not a squeezed column beside the boxes.
    lines = p.stats_label.height() / p.stats_label.fontMetrics().lineSpacing()
    assert lines <= 3.5
    # Wider: two columns, the first one still toggled (and laid out, not left tiny).
    p.resize(500, 400)
    box.setCurrentText("Activations")
    settle(p)
    assert [box.itemText(i) for i in range(box.count())] == ["Weights", "Activations"]
    for plot in (p.a_plot, p.a_map_plot, p.g_plot):
        assert plot.isVisible() and plot.geometry().width() >= 0.35 * p.view.width()
        assert plot.geometry().height() >= 0.3 * p.view.height()
    assert p.view.ci.geometry().width() <= p.view.width() + 0.5
