"""The network panel, checked the way a student would look at it: nodes, colours, labels,
edges split by sign, the edge-mode switch and clicking a neuron."""
import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from conftest import small_config
from nnvis.app.panels.topology import LUT_LEVELS, SymmetricRange, TopologyPanel
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
    return [item.textItem.toPlainText() for item in panel._texts]


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
    assert panel.columns[1].shown == 32
    assert len(panel.nodes.data) == 2 + 32 + panel.columns[-1].shown
    assert any("+68 more" in t for t in texts(panel))


def test_dead_relu_units_are_grey_with_a_cross_and_counted(panel):
    def kill(t):
        t.net.blocks[0].dense.params["b"][:] = -100.0

    snap = snapshot(tweak=kill, model__activation="relu")
    assert snap["layers"][0]["unit_dead"].all()
    show(panel, snap)
    col = panel.columns[1]
    for i in range(col.start, col.start + col.shown):
        assert brush_rgb(panel, i) == DEAD
    assert len(panel.dead_marks.data) >= col.shown   # the × marks
    assert "dead 100%" in panel._summary[1].textItem.toPlainText()
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
    qtbot.waitUntil(lambda: "hidden1 unit 2" in panel.info.text(), timeout=1000)
    assert "hidden1 unit 2" in panel.view.toolTip()
    node = panel.describe(panel.node_position(2, 4))
    assert "hidden2 unit 4" in node and "bias" in node and "mean activation" in node
    label = panel.node_position(2, 0)
    label.setY(panel.vb.height() - 40)      # the layer label under the column
    layer = panel.describe(label)
    assert "hidden2" in layer and "‖∂L/∂W‖" in layer and "dead" in layer and "saturated" in layer
    assert panel.describe(panel.node_position(0, 1)).startswith("<b>input x2")


def test_saturated_units_get_a_red_ring(panel):
    def blow_up(t):
        for b in t.net.blocks:
            b.dense.params["W"] *= 40.0

    snap = snapshot(steps=0, tweak=blow_up, model__activation="sigmoid")
    sat = np.concatenate([lay["unit_saturated"] for lay in snap["layers"][:-1]])
    show(panel, snap)
    assert len(panel.sat_rings.data) == np.count_nonzero(sat > 0.5) > 0
    assert "sat" in panel._summary[1].textItem.toPlainText()


def test_dropped_units_flash_hollow_only_while_running(panel):
    snap = snapshot(running=True, model__dropout=0.5)
    mask = snap["layers"][0]["dropout_mask"]
    assert mask is not None and not mask.all()
    show(panel, snap)
    col = panel.columns[1]
    codes = panel._node_codes[0][col.start:col.start + col.shown]
    assert np.array_equal(codes == LUT_LEVELS + 3, ~mask[:col.shown])
    snap["running"] = False
    show(panel, snap)
    assert not np.any(panel._node_codes[0] == LUT_LEVELS + 3)
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
    assert [c.shown for c in panel.columns[1:-1]] == [32] * 10
    assert sum(len(curve_points(c)[0]) for c in panel.edge_curves.values()) == 2 * sum(
        np.count_nonzero(lay["edges"]) for lay in snap["layers"])
    assert not panel.grab().isNull()
    assert sum("+96 more" in t for t in texts(panel)) == 10


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
    assert panel._node_codes[0][start] == panel._node_codes[0][start + 1] == LUT_LEVELS + 2
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
    r = SymmetricRange()
    assert r.update(0.7) == 1.0
    assert r.update(0.4) == 1.0          # shrinks only below a quarter
    assert r.update(3.0) == 4.0          # grows at once
    assert r.update(0.9) == 1.0
    assert r.update(float("nan")) == 1.0
    assert math.isfinite(r.update(0.0))
