"""The network panel, checked the way a student would look at it: nodes, colours, labels,
edges split by sign, the edge-mode switch and clicking a neuron."""
import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from helpers import small_config
from real_snapshots import species_config
from nnvis.app.panels.axes import format_number
from nnvis.app.panels.ranges import RangeKeeper
from nnvis.app.panels.topology import DROPPED, LUT_LEVELS, MIN_NODE, TopologyPanel
from nnvis.app.theme import DEAD, configure_pyqtgraph
from nnvis.core import Trainer, take_snapshot

# Showing a top-level widget on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def snapshot(steps=5, edge_mode="weights", running=False, tweak=None, **overrides):
    t = Trainer(small_config(**overrides))
    if tweak:
        tweak(t)
    t.step(steps)
    s = take_snapshot(t, edge_mode=edge_mode, grid=False)
    s["running"] = running
    return s


@pytest.fixture
def panel(qtbot):
    configure_pyqtgraph()
    p = TopologyPanel()
    qtbot.addWidget(p)
    p.resize(820, 460)
    p.show()
    return p


def show(panel, snap):
    panel.set_snapshot(snap)
    panel.render(force=True)


def texts(panel):
    return [item.textItem.toPlainText() for item in panel.text_items()]


def plain(html):
    """Rich text as the user reads it (non-breaking spaces are spaces)."""
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText().replace("\xa0", " ")


def brush_rgb(panel, i):
    c = panel.nodes.data["brush"][i].color()
    return c.red(), c.green(), c.blue()


def curve_points(curve):
    x, y = curve.getData()
    return (np.zeros(0), np.zeros(0)) if x is None else (x, y)


def test_one_node_per_shown_unit_with_labels(panel):
    snap = snapshot()
    show(panel, snap)
    n_out = snap["layers"][-1]["width"]
    assert [c.shown for c in panel.columns] == [2, 6, 6, n_out]
    assert [c.kind for c in panel.columns] == ["input", "hidden", "hidden", "output"]
    assert len(panel.nodes.data) == 2 + 6 + 6 + n_out
    # Columns left to right, nodes inside the view.
    xs = [c.x for c in panel.columns]
    assert xs == sorted(xs)
    W, H = panel.vb.width(), panel.vb.height()
    assert np.all((panel.node_x > 0) & (panel.node_x < W) & (panel.node_y > 0) & (panel.node_y < H))
    shown = "\n".join(texts(panel))
    for label in ("x1", "x2", "hidden1", "6 tanh", "hidden2", "output", "class 0", "class 1"):
        assert label in shown
    assert "more" not in shown


def test_wide_layer_is_elided_with_a_count(panel):
    show(panel, snapshot(model__hidden=[100]))
    shown = panel.columns[1].shown
    assert 10 <= shown <= 32                     # what fits at a readable node size
    assert panel.node_size >= MIN_NODE
    assert len(panel.nodes.data) == 2 + shown + panel.columns[-1].shown
    assert any(f"+{100 - shown} more" in t for t in texts(panel))


def test_dead_relu_units_are_grey_with_a_cross_and_counted(panel):
    def kill(t):
        t.net.blocks[0].dense.params["b"][:] = -100.0

    snap = snapshot(tweak=kill, model__activation="relu")
    assert snap["layers"][0]["unit_dead"].all()
    show(panel, snap)
    col = panel.columns[1]
    for i in range(col.start, col.start + col.shown):
        assert brush_rgb(panel, i) == DEAD
        # Grey all over: not the blue ring its bias of -100 would otherwise give it.
        r, g, b = panel.nodes.data["pen"][i].color().getRgb()[:3]
        assert max(r, g, b) - min(r, g, b) < 30
    assert len(panel.dead_marks.data) >= col.shown   # the × marks
    assert "dead 100%" in panel.summary_text(1)
    # A live layer's nodes are not grey.
    live = snapshot(model__activation="relu")
    show(panel, live)
    alive = [i for i in range(col.start, col.start + col.shown)
             if not live["layers"][0]["unit_dead"][i - col.start]]
    assert alive and all(brush_rgb(panel, i) != DEAD for i in alive)


def test_edges_are_split_by_sign_and_hold_two_points_per_edge(panel):
    snap = snapshot()
    show(panel, snap)
    edges = np.concatenate([lay["edges"].ravel() for lay in snap["layers"]])
    total = sum(len(curve_points(c)[0]) for c in panel.edge_curves.values())
    assert total == 2 * np.count_nonzero(np.isfinite(edges) & (edges != 0))
    n_pos = sum(len(curve_points(c)[0]) for (sign, _b), c in panel.edge_curves.items() if sign > 0)
    assert n_pos == 2 * np.count_nonzero(edges > 0)
    assert len(panel.edge_curves) == 6          # 2 signs x 3 magnitude buckets, for all layers
    # The largest |w| of the first layer pair is drawn in a strong bucket, and its segment
    # joins the right input node to the right hidden node.
    w = snap["layers"][0]["edges"]
    i, j = np.unravel_index(np.argmax(np.abs(w)), w.shape)
    sign = 1 if w[i, j] > 0 else -1
    x, y = curve_points(panel.edge_curves[(sign, 2)])
    a, b = panel.node_position(0, i), panel.node_position(1, j)
    seg = np.stack([x[0::2], y[0::2], x[1::2], y[1::2]], axis=1)
    assert np.any(np.all(np.isclose(seg, [a.x(), a.y(), b.x(), b.y()]), axis=1))


def test_edge_mode_switch_emits_and_the_legend_follows_the_snapshot(panel, qtbot):
    show(panel, snapshot())
    assert "weights" in panel.legend.text()
    with qtbot.waitSignal(panel.edge_mode_changed, timeout=1000) as blocker:
        panel.mode_box.setCurrentIndex(panel.mode_box.findData("gradients"))
    assert blocker.args == ["gradients"]
    assert panel.edge_mode == "gradients"
    assert "switching" in panel.legend.text()     # edges still hold weights
    show(panel, snapshot(edge_mode="gradients"))
    assert "gradients" in panel.legend.text() and "switching" not in panel.legend.text()
    with qtbot.waitSignal(panel.edge_mode_changed, timeout=1000) as blocker:
        panel.set_edge_mode("ratio")
    assert blocker.args == ["ratio"]
    show(panel, snapshot(steps=3, edge_mode="ratio"))
    assert "update/weight" in panel.legend.text()


def test_clicking_a_hidden_neuron_emits_and_highlights_it(panel, qtbot):
    show(panel, snapshot())
    qtbot.wait(10)
    pos = panel.node_position(panel.hidden_column(1), 3)
    viewport_pos = panel.view.mapFromScene(panel.vb.mapViewToScene(pos))
    with qtbot.waitSignal(panel.neuron_clicked, timeout=1000) as blocker:
        qtbot.mouseClick(panel.view.viewport(), Qt.LeftButton, pos=viewport_pos)
    assert blocker.args == [1, 3]
    assert panel.selected == (1, 3)
    x, y = panel.sel_ring.getData()
    assert (x[0], y[0]) == (pos.x(), pos.y())
    # Input and output nodes, and empty space, are not neurons to map.
    with qtbot.assertNotEmitted(panel.neuron_clicked):
        assert panel.handle_click(panel.node_position(0, 0)) is None
        assert panel.handle_click(panel.node_position(len(panel.columns) - 1, 0)) is None
        p = panel.node_position(1, 0)
        p.setX(p.x() + 200)
        assert panel.handle_click(p) is None
    assert panel.handle_click(panel.node_position(1, 5)) == (0, 5)


def test_hover_describes_the_node_and_the_layer(panel, qtbot):
    snap = snapshot()
    show(panel, snap)
    pos = panel.node_position(1, 2)
    qtbot.mouseMove(panel.view.viewport(), panel.view.mapFromScene(panel.vb.mapViewToScene(pos)))
    qtbot.waitUntil(lambda: "hidden1 unit 2" in plain(panel.info.text()), timeout=1000)
    node = plain(panel.describe(panel.node_position(2, 4)))
    assert "hidden2 unit 4" in node and "bias" in node and "mean activation" in node
    label = panel.node_position(2, 0)
    label.setY(panel.vb.height() - 40)      # the layer label under the column
    layer = plain(panel.describe(label))
    assert "hidden2" in layer and "‖∂L/∂W‖" in layer and "dead" in layer and "saturated" in layer
    assert plain(panel.describe(panel.node_position(0, 1))).startswith("input x2")


def test_saturated_units_get_a_red_ring(panel):
    def blow_up(t):
        for b in t.net.blocks:
            b.dense.params["W"] *= 40.0

    snap = snapshot(steps=0, tweak=blow_up, model__activation="sigmoid")
    sat = np.concatenate([lay["unit_saturated"] for lay in snap["layers"][:-1]])
    show(panel, snap)
    assert len(panel.sat_rings.data) == np.count_nonzero(sat > 0.5) > 0
    assert "sat" in panel.summary_text(1)


def test_dropped_units_flash_hollow_only_while_running(panel):
    snap = snapshot(running=True, model__dropout=0.5)
    mask = snap["layers"][0]["dropout_mask"]
    assert mask is not None and not mask.all()
    show(panel, snap)
    col = panel.columns[1]
    codes = panel.fill_codes()[col.start:col.start + col.shown]
    assert np.array_equal(codes == LUT_LEVELS + 3, ~mask[:col.shown])
    snap["running"] = False
    show(panel, snap)
    assert not np.any(panel.fill_codes() == LUT_LEVELS + 3)
    assert any("drop 0.5" in t for t in texts(panel))


def test_tags_for_batch_norm_and_residual_arc(panel):
    show(panel, snapshot(model__batch_norm=True, model__residual=True))
    shown = texts(panel)
    assert any("BN" in t for t in shown)
    assert any(t == "+x" for t in shown)          # hidden2 adds its input (6 → 6)
    x, _y = panel.arcs.getData()
    assert x is not None and len(x) > 2
    assert panel.columns[1].x <= x.min() and x.max() <= panel.columns[2].x


def test_a_ten_by_128_relu_network_renders(panel):
    snap = snapshot(steps=2, model__hidden=[128] * 10, model__activation="relu", model__init="he")
    show(panel, snap)
    shown = panel.columns[1].shown
    assert [c.shown for c in panel.columns[1:-1]] == [shown] * 10 and shown <= 32
    assert sum(len(curve_points(c)[0]) for c in panel.edge_curves.values()) == 2 * sum(
        np.count_nonzero(lay["edges"][:shown, :shown]) for lay in snap["layers"])
    assert not panel.grab().isNull()
    assert sum(t.startswith(f"+{128 - shown}") or t.startswith(f"⋮ +{128 - shown}")
               for t in texts(panel)) == 10


def test_non_finite_values_are_neither_drawn_nor_fatal(panel):
    snap = snapshot()
    lay = snap["layers"][0]
    lay["unit_mean"][0] = np.nan
    lay["unit_mean"][1] = np.inf
    lay["bias"][2] = np.nan
    lay["unit_saturated"][3] = np.nan
    lay["edges"][0, 0] = np.nan
    lay["edges"][1, 1] = -np.inf
    lay["dead_fraction"] = float("nan")
    lay["grad_norm_W"] = float("inf")
    show(panel, snap)
    for curve in panel.edge_curves.values():
        x, y = curve_points(curve)
        assert np.isfinite(x).all() and np.isfinite(y).all()
    edges = np.concatenate([layer["edges"].ravel() for layer in snap["layers"]])
    total = sum(len(curve_points(c)[0]) for c in panel.edge_curves.values())
    assert total == 2 * np.count_nonzero(np.isfinite(edges) & (edges != 0))
    start = panel.columns[1].start
    assert panel.fill_codes()[start] == panel.fill_codes()[start + 1] == LUT_LEVELS + 2
    assert "–" in panel.describe(panel.node_position(1, 0))
    label = panel.node_position(1, 0)
    label.setY(panel.vb.height() - 40)
    assert "∞" in panel.describe(label)
    assert not panel.grab().isNull()


def test_structure_change_rebuilds_and_reset_clears_selection(panel):
    show(panel, snapshot())
    panel.handle_click(panel.node_position(2, 5))
    assert panel.selected == (1, 5)
    show(panel, snapshot(model__hidden=[4]))
    assert [c.shown for c in panel.columns][:2] == [2, 4]
    assert panel.selected is None                 # hidden2 no longer exists
    panel.handle_click(panel.node_position(1, 2))
    panel.reset()
    assert panel.selected is None
    show(panel, snapshot(model__hidden=[4]))
    assert len(panel.sel_ring.data) == 0


def test_resizing_relays_out_in_pixels(panel, qtbot):
    show(panel, snapshot())
    before = panel.node_position(1, 0)
    panel.resize(500, 320)
    qtbot.waitUntil(lambda: panel.vb.width() < 520)
    after = panel.node_position(1, 0)
    assert after.x() < before.x()
    assert panel.node_x.max() < panel.vb.width()


def test_colour_range_has_hysteresis():
    r = RangeKeeper()
    assert r.symmetric(0.7) == 1.0
    assert r.symmetric(0.4) == 1.0       # shrinks only below a quarter
    assert r.symmetric(3.0) == 4.0       # grows at once
    assert r.symmetric(0.9) == 1.0
    assert r.symmetric(float("nan")) == 1.0
    assert math.isfinite(r.symmetric(0.0))


# ---------------------------------------------------------------- what a first-time user reported
def hover(qtbot, panel, pos):
    qtbot.mouseMove(panel.view.viewport(), panel.view.mapFromScene(panel.vb.mapViewToScene(pos)))


def layer_label(panel, column):
    """View point on a column's label, under its nodes."""
    pos = panel.node_position(column, 0)
    pos.setY(panel.vb.height() - 40)
    return pos


def resize(qtbot, panel, width, height):
    panel.resize(width, height)
    qtbot.waitUntil(lambda: abs(panel.vb.width() - width) < 12 and panel.vb.height() < height)


def test_hover_readout_follows_training_while_the_pointer_rests(panel, qtbot):
    trainer = Trainer(small_config())

    def train(steps):
        trainer.step(steps)
        snap = take_snapshot(trainer, grid=False)
        snap["running"] = True
        qtbot.wait(int(1000 * panel.LABEL_INTERVAL) + 20)   # live numbers: ≤ 4 changes/s
        show(panel, snap)
        return snap["layers"][1]

    before = train(0)                 # nothing learnt yet: no update, biases 0
    hover(qtbot, panel, layer_label(panel, 2))
    qtbot.waitUntil(lambda: "hidden2 (6 tanh)" in plain(panel.info.text()), timeout=1000)
    assert "update/weight 0 " in plain(panel.info.text())
    for steps in (20, 20):
        now = train(steps)
        readout = plain(panel.info.text())
        assert f"‖∂L/∂W‖ {format_number(now['grad_norm_W'])}" in readout
        assert f"update/weight {format_number(now['update_ratio'])}" in readout
    assert now["update_ratio"] > 0 and now["grad_norm_W"] != before["grad_norm_W"]

    hover(qtbot, panel, panel.node_position(2, 3))
    qtbot.waitUntil(lambda: "hidden2 unit 3" in plain(panel.info.text()), timeout=1000)
    for steps in (20, 20):
        now = train(steps)
        readout = plain(panel.info.text())
        assert f"mean activation {format_number(now['unit_mean'][3])}" in readout
        assert f"bias {format_number(now['bias'][3])}" in readout

    # Leaving the drawing brings the caption back, and later snapshots leave it there.
    QApplication.sendEvent(panel.view.viewport(), QEvent(QEvent.Leave))
    train(5)
    assert "Fill = mean activation" in plain(panel.info.text())


def test_hovering_does_not_move_the_nodes(panel, qtbot):
    resize(qtbot, panel, 560, 335)    # the caption takes two lines, a unit's readout one
    show(panel, snapshot())
    ys = panel.node_y.copy()
    hover(qtbot, panel, panel.node_position(1, 2))
    qtbot.waitUntil(lambda: "hidden1 unit 2" in plain(panel.info.text()), timeout=1000)
    qtbot.wait(30)                    # let a change of the readout's height reach the view
    panel.render(force=True)
    assert np.array_equal(panel.node_y, ys)


@pytest.mark.parametrize("size", [(560, 335), (806, 455)])   # the dock on 1280 / 1600 screens
@pytest.mark.parametrize("width", [32, 64])
def test_wide_layers_keep_readable_nodes_and_their_labels(panel, qtbot, size, width):
    resize(qtbot, panel, *size)
    show(panel, snapshot(model__hidden=[width, width], model__activation="relu"))
    assert panel.node_size >= MIN_NODE
    shown = texts(panel)
    for label in ("x1", "x2", "class 0", "class 1"):
        assert label in shown
    for col in panel.columns[1:-1]:
        assert f"⋮ +{width - col.shown} more" in shown
    assert_no_overlap(panel)


def test_a_selected_unit_survives_a_panel_too_small_to_draw_it(panel, qtbot):
    snap = snapshot(model__hidden=[32])
    show(panel, snap)
    unit = panel.columns[1].shown - 1
    assert panel.handle_click(panel.node_position(1, unit)) == (0, unit)
    resize(qtbot, panel, 560, 260)    # now that unit is one of the "+N more"
    show(panel, snap)
    assert panel.columns[1].shown <= unit and len(panel.sel_ring.data) == 0
    resize(qtbot, panel, 820, 460)
    show(panel, snap)
    assert panel.selected == (0, unit) and len(panel.sel_ring.data) == 1


def test_dropped_units_flash_as_yellow_rings_and_the_caption_says_so(panel):
    snap = snapshot(running=True, model__dropout=0.5, model__hidden=[32, 32])
    show(panel, snap)
    dropped = np.zeros(len(panel.nodes.data), bool)
    for col in panel.columns[1:-1]:
        dropped[col.start:col.start + col.shown] = ~snap["layers"][col.layer]["dropout_mask"][:col.shown]
    assert dropped.any() and not dropped.all()
    pens = panel.nodes.data["pen"]
    # Yellow is the dropped units' colour and no one else's, and their ring is not hairline.
    assert all((pen.color().getRgb()[:3] == DROPPED) == d for pen, d in zip(pens, dropped))
    assert all(pen.widthF() >= 1.8 for pen in pens[dropped])
    assert "yellow ring dropped this step" in plain(panel.info.text())
    show(panel, snapshot(running=True))
    assert "dropped" not in plain(panel.info.text())


def text_boxes(panel):
    """Scene rectangles of the drawn captions' text (without the items' empty margins)."""
    boxes = []
    for item in panel.text_items():
        if not item.textItem.toPlainText():
            continue
        m = item.textItem.document().documentMargin()
        r = item.textItem.mapRectToScene(item.textItem.boundingRect()).adjusted(m, m, -m, -m)
        boxes.append((item.textItem.toPlainText(), r))
    return boxes


def assert_no_overlap(panel):
    boxes = text_boxes(panel)
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1:]:
            assert not ra.intersects(rb), f"{a!r} overlaps {b!r}"


@pytest.mark.parametrize("hidden, size, extra", [
    ([16] * 8, (560, 335), {"model__activation": "sigmoid"}),       # vanishing gradients, 1280
    ([16] * 8, (560, 335), {"model__batch_norm": True, "model__dropout": 0.2,
                            "model__residual": True}),
    ([16] * 30, (560, 335), {"model__activation": "relu"}),
    ([16] * 30, (806, 455), {"model__activation": "relu"}),
    ([200] * 10, (806, 455), {"model__activation": "relu", "model__init": "he"}),
])
def test_deep_net_captions_never_overlap(panel, qtbot, hidden, size, extra):
    resize(qtbot, panel, *size)
    show(panel, snapshot(steps=2, model__hidden=hidden, **extra))
    assert_no_overlap(panel)
    shown = texts(panel)
    assert any(t.startswith("output") for t in shown) and any(t.startswith("in") for t in shown)
    if len(hidden) == 8:              # room for a short label under every column
        assert all(any(t.startswith(f"h{i}") for t in shown) for i in range(1, 9))


def wrapped_lines(html, font, width):
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.documentLayout().documentSize()
    lines, block = [], doc.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(block.text()[line.textStart():line.textStart() + line.textLength()])
        block = block.next()
    return [line.replace("\xa0", " ").strip() for line in lines]


@pytest.mark.parametrize("dropout", [0.0, 0.5])
def test_caption_wraps_only_between_whole_parts(panel, dropout):
    show(panel, snapshot(model__dropout=dropout))
    html = panel.info.text()
    parts = {p.strip() for p in plain(html).split("·")}
    for width in range(360, 900, 15):
        lines = wrapped_lines(html, panel.info.font(), width)
        for line in lines:
            assert {p.strip() for p in line.split("·") if p.strip()} <= parts, (width, lines)


def test_a_very_deep_network_becomes_a_strip_of_units_without_edges(panel):
    panel.resize(450, 400)
    show(panel, snapshot(model__hidden=[12] * 24))
    assert panel.strip and panel.node_size < MIN_NODE
    spacing = panel.columns[1].x - panel.columns[0].x
    assert panel.node_size <= 0.5 * spacing          # the columns stay apart
    assert len(panel.columns) == 26 and not panel.edge_pairs()
    assert "edges not drawn" in panel.legend.text()
    show(panel, snapshot(model__hidden=[16] * 8))    # a lesson's 8 layers keep their edges
    assert not panel.strip and panel.edge_pairs() and "edges not drawn" not in panel.legend.text()


def test_a_csvs_column_and_class_names_label_the_inputs_and_outputs(panel, tmp_path):
    """Issue 19: "input petal_width", not "input x3"; the outputs are the species."""
    cfg = species_config(tmp_path)
    t = Trainer(cfg)
    t.step(3)
    show(panel, take_snapshot(t, grid=False))
    node = plain(panel.describe(panel.node_position(0, 2)))
    assert node.startswith("input petal_l") and "feature 3 of 4" in node
    out = plain(panel.describe(panel.node_position(2, 1)))
    assert out.startswith("output versicolor")
    shown = texts(panel)
    assert "sepal_l" in shown and "setosa" in shown and "x1" not in shown


def test_a_regression_csvs_output_is_named_after_its_target(panel, tmp_path):
    from real_data import whole_number_regression_csv

    t = Trainer({"seed": 0, "data": {"path": whole_number_regression_csv(tmp_path),
                                     "label_column": "score"},
                 "model": {"hidden": [4], "loss": "mse"}})
    show(panel, take_snapshot(t, grid=False))
    assert plain(panel.describe(panel.node_position(2, 0))).startswith("output score")
    assert {"a", "d", "score"} <= set(texts(panel))
