"""Taking things out of the app: every panel's PNG (1× and 2×), SVG and CSV, its right-click
menu, and File ▸ Export metrics. Each file is read back: a PNG of the right size whose pixels
vary, an SVG that parses and draws, a CSV whose columns and values are the panel's
read-model (for the loss: every point the history keeps)."""
import csv
import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QImage

from helpers import small_config
from panel_helpers import draw, show_on_screen
from nnvis.app.panels.activation_curves import ActivationCurvesPanel
from nnvis.app.panels.backprop import BackpropPanel
from nnvis.app.panels.data_view import DataViewPanel
from nnvis.app.panels.gradient_flow import KEYS, GradientFlowPanel
from nnvis.app.panels.histograms import HistogramsPanel
from nnvis.app.panels.loss_curves import LossCurvesPanel
from nnvis.app.panels.topology import TopologyPanel
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer, take_snapshot
from nnvis.export_csv import metric_row

PANELS = {"loss": LossCurvesPanel, "gradient-flow": GradientFlowPanel,
          "histograms": HistogramsPanel, "activation": ActivationCurvesPanel,
          "data": DataViewPanel, "network": TopologyPanel, "backprop": BackpropPanel}


@pytest.fixture(scope="module")
def snapshots():
    """Four snapshots 25 steps apart, the first with the data points, all with the grid."""
    configure_pyqtgraph()
    t = Trainer(small_config())
    out = []
    for i in range(4):
        t.step(25)
        out.append(take_snapshot(t, include_data=i == 0))
    return out


def shown(qtbot, cls, snapshots):
    panel = show_on_screen(qtbot, cls(), (640, 400))
    for snap in snapshots:
        draw(panel, snap)
    return panel


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def number(text):
    return math.nan if text == "" else float(text)


def column(header, rows, name):
    i = header.index(name)
    return np.array([number(r[i]) for r in rows])


@pytest.mark.parametrize("what", PANELS)
def test_every_panel_writes_png_at_1x_and_2x_svg_and_csv_that_read_back(qtbot, snapshots,
                                                                        tmp_path, what):
    panel = shown(qtbot, PANELS[what], snapshots)
    exports = panel.exports
    assert exports.file_name("svg") == f"{what}_step-100.svg"
    one, two = tmp_path / exports.file_name("png"), tmp_path / exports.file_name("png", 2)
    exports.export_png(str(one), 1)
    exports.export_png(str(two), 2)
    a, b = QImage(str(one)), QImage(str(two))
    assert not a.isNull() and a.width() > 100 and a.height() > 100
    assert (b.width(), b.height()) == (2 * a.width(), 2 * a.height())
    pixels = np.frombuffer(a.convertToFormat(QImage.Format_RGB32).constBits(), np.uint32)
    assert len(np.unique(pixels)) > 20, "a blank picture"

    svg = tmp_path / exports.file_name("svg")
    exports.export_svg(str(svg))
    root = ET.parse(svg).getroot()
    drawn = [e for e in root.iter() if e.tag.split("}")[-1] in
             ("path", "polyline", "rect", "text", "image", "circle", "ellipse", "line")]
    assert root.tag.endswith("svg") and len(drawn) > 10

    path = tmp_path / exports.file_name("csv")
    n = exports.export_csv(str(path))
    header, rows = read_csv(path)
    table = panel.export_table()
    assert header == list(table.header) and len(rows) == n == len(table.rows) > 0


def test_the_loss_csv_is_every_kept_point_with_its_stride_and_the_evaluations(
        qtbot, snapshots, tmp_path):
    panel = shown(qtbot, LossCurvesPanel, snapshots)
    panel.exports.export_csv(str(tmp_path / "loss.csv"))
    header, rows = read_csv(tmp_path / "loss.csv")
    hist = snapshots[-1]["history"]
    batch = column(header, rows, "batch_loss")
    kept = ~np.isnan(batch)
    steps = column(header, rows, "step")
    np.testing.assert_array_equal(steps[kept], hist["step"])
    np.testing.assert_array_equal(batch[kept], hist["train_loss"])
    assert (column(header, rows, "batch_loss_stride")[kept] == 1).all()   # not yet decimated
    ev = ~np.isnan(column(header, rows, "eval_train_loss"))
    np.testing.assert_array_equal(steps[ev], hist["eval_step"])
    for k, name in enumerate(("eval_train_loss", "eval_test_loss", "eval_train_acc",
                              "eval_test_acc")):
        np.testing.assert_array_equal(column(header, rows, name)[ev], hist["eval"][:, k])


def test_a_decimated_history_says_how_many_steps_each_point_stands_for():
    from nnvis.app.export.curve_tables import loss_table

    table = loss_table({"step": np.array([2, 4, 6, 8]), "train_loss": np.arange(4.0),
                        "eval_step": np.array([5]), "eval": np.ones((1, 4))})
    assert [r[0] for r in table.rows] == [2, 4, 5, 6, 8]
    assert [r[2] for r in table.rows] == [2, 2, None, 2, 2]
    assert table.rows[2][1] is None and table.rows[2][3:] == [1.0] * 4
    compared = loss_table({"step": np.array([2]), "train_loss": np.ones(1)},
                          {"step": np.array([2, 3]), "train_loss": np.zeros(2)})
    assert compared.header[1:5] == ["batch_loss", "batch_loss_stride", "compare_batch_loss",
                                    "compare_batch_loss_stride"]
    assert compared.rows == [[2, 1.0, 1, 0.0, 1, None, None, None, None],
                             [3, None, None, 0.0, 1, None, None, None, None]]


def test_gradient_flow_csv_holds_the_bars_now_and_the_kept_history(qtbot, snapshots,
                                                                     tmp_path):
    panel = shown(qtbot, GradientFlowPanel, snapshots)
    panel.exports.export_csv(str(tmp_path / "flow.csv"))
    header, rows = read_csv(tmp_path / "flow.csv")
    now = [r for r in rows if r[0] == "now"]
    layers = snapshots[-1]["layers"]
    assert [r[2] for r in now] == [lay["name"] for lay in layers]
    for key in KEYS:
        np.testing.assert_allclose([number(r[header.index(key)]) for r in now],
                                   [lay[key] for lay in layers])
    past = [r for r in rows if r[0] == "history"]
    assert len(past) == panel.history_length() * len(layers)
    assert sorted({int(r[1]) for r in past}) == [25, 50, 75, 100]


def test_histogram_csv_has_every_layers_bin_edges_and_counts(qtbot, snapshots, tmp_path):
    panel = shown(qtbot, HistogramsPanel, snapshots)
    panel.exports.export_csv(str(tmp_path / "h.csv"))
    header, rows = read_csv(tmp_path / "h.csv")
    assert header == ["layer", "quantity", "bin_lo", "bin_hi", "count"]
    snap = snapshots[-1]
    for layer in snap["layers"]:
        weights = [r for r in rows if r[0] == layer["name"] and r[1] == "weight"]
        np.testing.assert_array_equal([float(r[4]) for r in weights], layer["weight_hist"])
        assert float(weights[0][2]) == -layer["weight_range"]
        assert float(weights[-1][3]) == pytest.approx(layer["weight_range"])


def test_decision_csv_is_the_grid_of_predictions_with_its_coordinates(qtbot, snapshots,
                                                                      tmp_path):
    panel = shown(qtbot, DataViewPanel, snapshots)
    panel.exports.export_csv(str(tmp_path / "d.csv"))
    header, rows = read_csv(tmp_path / "d.csv")
    snap = snapshots[-1]
    assert header == ["x", "y", "predicted_class", "confidence"]
    np.testing.assert_array_equal(column(header, rows, "predicted_class"),
                                  snap["grid_label"].ravel())
    np.testing.assert_array_equal(column(header, rows, "confidence"),
                                  snap["grid_conf"].ravel())
    x0, x1, y0, y1 = snap["grid_bounds"]
    xs, ys = column(header, rows, "x"), column(header, rows, "y")
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == pytest.approx((x0, x1, y0, y1))


def test_network_csv_is_an_edge_list_of_the_snapshots_weights(qtbot, snapshots, tmp_path):
    panel = shown(qtbot, TopologyPanel, snapshots)
    panel.exports.export_csv(str(tmp_path / "n.csv"))
    header, rows = read_csv(tmp_path / "n.csv")
    assert header[:4] == ["from", "to", "weight", "gradient"]
    first = snapshots[-1]["layers"][0]["edges"]
    edges = {(r[0], r[1]): number(r[2]) for r in rows}
    assert edges[("input[1]", "hidden1[2]")] == pytest.approx(first[1, 2])
    assert len(rows) == sum(np.size(lay["edges"]) for lay in snapshots[-1]["layers"])


def test_a_watched_runs_edges_in_gradient_mode_are_not_taken_for_weights():
    from nnvis.app.export.graph_tables import edge_table

    g, r = np.full((1, 2), 0.5), np.full((1, 2), 0.01)
    layer = {"name": "output", "edges": g, "edges_gradients": g, "edges_ratio": r}
    table = edge_table({"edge_mode": "gradients", "layers": [layer]})
    assert table.rows == [["input[0]", "output[0]", None, 0.5, 0.01],
                          ["input[0]", "output[1]", None, 0.5, 0.01]]


def test_backprop_csv_is_the_node_table_and_its_pictures_are_the_whole_graph(qtbot, tmp_path):
    panel = BackpropPanel()
    show_on_screen(qtbot, panel, (640, 400))
    panel.exports.export_csv(str(tmp_path / "b.csv"))
    header, rows = read_csv(tmp_path / "b.csv")
    assert header == ["node", "op", "element", "forward", "gradient"]
    # f = (x + y)·z at x=-2, y=5, z=-4 (the notes' example): ∂f/∂x = z, ∂f/∂z = x + y
    table = {r[0]: (r[1], float(r[3]), float(r[4])) for r in rows}
    assert table["f"] == ("mul", -12.0, 1.0)
    assert table["x"][1:] == (-2.0, -4.0) and table["z"][1:] == (-4.0, 3.0)


def test_right_click_offers_exactly_the_four_exports_and_an_entry_writes_its_file(
        qtbot, snapshots, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    panel = shown(qtbot, GradientFlowPanel, snapshots)
    actions = panel.exports.actions
    assert [a.text() for a in actions] == ["Export image (PNG, 1×)…", "Export image (PNG, 2×)…",
                                           "Export SVG…", "Export data (CSV)…"]
    proposed = []

    def dialog(parent, title, name, filters):
        proposed.append(name)
        return str(tmp_path / "chosen"), filters   # no extension typed: it is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    actions[1].trigger()
    assert proposed == ["gradient-flow_step-100@2x.png"]
    assert not QImage(str(tmp_path / "chosen.png")).isNull()


# The offscreen platform can neither raise a popup nor grab the keyboard for it.
@pytest.mark.qt_log_ignore("This plugin does not support raise",
                           "This plugin does not support grabbing the keyboard")
@pytest.mark.parametrize("what", ["loss", "network", "backprop"])
def test_a_right_click_on_the_drawing_opens_the_panels_export_menu(qtbot, snapshots, what):
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    panel = shown(qtbot, PANELS[what], snapshots[-1:])
    asked = []
    panel.customContextMenuRequested.connect(asked.append)
    viewport = panel.view.viewport()
    centre = viewport.rect().center()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Mouse, centre,
                                                       viewport.mapToGlobal(centre)))
    assert len(asked) == 1   # the plot leaves the event to the panel: no pyqtgraph menu
    assert panel.exports.actions[0].parent().isVisible()
    panel.exports.actions[0].parent().close()


def test_file_export_metrics_writes_one_flat_row_per_snapshot(make_window, qtbot, tmp_path,
                                                              monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    w = make_window()
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: len(w.seen) >= 4 and w.seen[-1]["step"] > 10, timeout=20000)
    w.commands.toggle_play()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "run.csv"), ""))
    action = next(a for a in w.menu_bar.file_actions if a.text() == "Export &metrics…")
    action.trigger()
    header, rows = read_csv(tmp_path / "run.csv")
    assert header[:2] == ["step", "epoch"]
    assert {"train_loss", "test_acc", "hidden1.grad_norm_W", "output.update_ratio"} <= set(header)
    logged = w.metrics_export.rows()
    assert len(rows) == len(logged) >= 2
    steps = column(header, rows, "step")
    assert (np.diff(steps) > 0).all()
    last = metric_row(w.seen[-1])
    assert steps[-1] == last["step"]
    assert number(rows[-1][header.index("hidden2.act_std")]) == pytest.approx(
        last["hidden2.act_std"])


def test_the_metrics_log_starts_over_with_a_new_run_and_halves_when_full():
    from nnvis.app.metrics_export import MetricsLog

    log = MetricsLog(capacity=4)
    for step in range(1, 7):
        log.add({"step": step, "train_loss": 1.0 / step})
    assert [r["step"] for r in log.rows()] == [2, 4, 6]   # full at 4: every other kept
    log.add({"step": 6, "train_loss": 9.0})               # the same step again: newest
    assert log.rows()[-1]["train_loss"] == 9.0
    log.add({"step": 0})                                  # a new run
    assert [r["step"] for r in log.rows()] == [0]


@pytest.mark.parametrize("what", PANELS)
def test_the_menu_is_retranslated_with_its_panel(qtbot, what, monkeypatch):
    from nnvis.app.export.export_menu import ExportMenu

    panel = show_on_screen(qtbot, PANELS[what](), (640, 400))
    monkeypatch.setattr(ExportMenu, "tr", lambda self, text: text.upper())
    panel.retranslate()   # as a LanguageChange does
    assert panel.exports.actions[3].text() == "EXPORT DATA (CSV)…"


def test_a_1d_fit_exports_x_the_prediction_and_each_units_curve():
    from nnvis.app.export.graph_tables import prediction_table

    x = np.linspace(-1, 1, 5)
    table = prediction_table({"fit_x": x, "fit_y": 2 * x, "unit_curves": np.stack([x, -x])})
    assert table.header == ["x", "prediction", "unit1", "unit2"]
    assert table.rows[0] == [-1.0, -2.0, -1.0, 1.0]
    assert prediction_table({"fit_x": x, "fit_y": x, "unit_curves": None}).header == [
        "x", "prediction"]


def test_metric_rows_are_flat_and_a_layer_added_later_gets_columns_at_the_end(tmp_path):
    from nnvis.export_csv import write_metrics

    # The command line's record shape: layers as a list of named dicts, NaN for "none".
    first = metric_row({"step": 1, "epoch": 0, "train_loss": 0.5, "test_loss": math.nan,
                        "layers": [{"name": "hidden1", "grad_norm_W": 0.25,
                                    "edges": np.zeros((2, 2))}]})
    second = metric_row({"step": 2, "train_loss": 0.25,
                         "layers": [{"name": "hidden1", "grad_norm_W": 0.125},
                                    {"name": "output", "update_ratio": 1e-3}]})
    # A metric the run does not measure (NaN: no test set) gets no column of empty cells.
    assert list(first) == ["step", "epoch", "train_loss", "hidden1.grad_norm_W"]
    assert write_metrics(tmp_path / "m.csv", [first, second]) == 2
    header, rows = read_csv(tmp_path / "m.csv")
    assert header == ["step", "epoch", "train_loss", "hidden1.grad_norm_W",
                      "output.update_ratio"]
    assert rows == [["1", "0", "0.5", "0.25", ""], ["2", "", "0.25", "0.125", "0.001"]]
