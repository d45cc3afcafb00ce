"""The loss panel on real-looking CSVs (issue 19): a validation curve that cannot be taken
for the test curve, early stopping's best step marked, R² and MAE for regression, and a
loss axis that says it is on the standardised target."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from panel_helpers import draw, show
from real_snapshots import regression_config, species_config, trained_snapshot
from nnvis.app import theme
from nnvis.app.panels.loss_curves import LossCurvesPanel
from nnvis.app.theme import configure_pyqtgraph


@pytest.fixture(scope="module")
def regression(tmp_path_factory):
    configure_pyqtgraph()
    return trained_snapshot(regression_config(tmp_path_factory.mktemp("reg")), 2000)


def test_validation_curve_is_drawn_dotted_violet_and_named_apart_from_test(qtbot, regression):
    s = regression
    p = show(qtbot, LossCurvesPanel())
    draw(p, s)
    x, y = p.eval_val_curve.getData()
    more = s["history"]["eval_more"]
    assert np.array_equal(x, s["history"]["eval_step"]) and np.allclose(y, more[:, 0])
    val_pen, test_pen = p.eval_val_curve.opts["pen"], p.eval_test_curve.opts["pen"]
    assert val_pen.style() == Qt.DotLine and test_pen.style() == Qt.SolidLine
    assert val_pen.color().getRgb()[:3] == theme.VALIDATION != theme.TEST
    title = p.loss_plot.titleLabel.text
    assert "validation" in title and "test" in title
    assert "validation" in p.readout.toolTip()


def test_no_validation_split_no_validation_curve(qtbot, tmp_path):
    s = trained_snapshot(species_config(tmp_path), 100)
    p = show(qtbot, LossCurvesPanel())
    draw(p, s)
    x, _ = p.eval_val_curve.getData()
    assert s["n_val"] == 0 and (x is None or len(x) == 0)
    assert "validation" not in p.loss_plot.titleLabel.text
    assert p.acc_plot.getAxis("left").labelText == "accuracy"
    assert "setosa" not in p.readout_text()   # (names go to the data and network panels)


def test_best_step_is_marked_on_both_plots_and_labelled(qtbot, regression):
    s = regression
    assert s["early_stop"] is not None and s["best_step"] < s["step"]
    p = show(qtbot, LossCurvesPanel())
    draw(p, s)
    mark = p.best_step_mark
    assert mark.step == s["best_step"] and mark.loss_line.isVisible()
    assert mark.loss_line.value() == s["best_step"]
    assert f"best: step {s['best_step']}" == mark.label_text()
    assert f"the weights of step {s['best_step']} are kept" in p.readout_text()
    p.reset()
    assert mark.step is None and not mark.loss_line.isVisible()


def test_regression_reads_r2_and_mae_in_the_targets_units_on_a_standardised_loss(qtbot,
                                                                                 regression):
    s = regression
    p = show(qtbot, LossCurvesPanel())
    draw(p, s)
    assert p.loss_plot.getAxis("left").labelText == "loss (standardised)"
    p.set_log_y(True)
    assert p.loss_plot.getAxis("left").labelText == "loss (log, standardised)"
    text = p.readout_text()
    assert f"{s['test_r2']:.4g}" in text and f"{s['val_r2']:.4g}" in text
    assert f"{s['test_mae']:.4g}" in text and "(score)" in text
    # The lower plot is R² of train, test and validation (0 … 1, not percentages).
    more = s["history"]["eval_more"]
    _, r2_test = p.acc_test_curve.getData()
    _, r2_val = p.acc_val_curve.getData()
    assert np.allclose(r2_test, np.maximum(more[:, 3], -1.0))
    assert np.allclose(r2_val, np.maximum(more[:, 4], -1.0))
    assert p.acc_plot.getAxis("left").labelText == "R²"
    assert "standardised" in p.readout.toolTip()


def test_the_loss_csv_holds_the_validation_loss_r2_and_mae(qtbot, regression):
    p = show(qtbot, LossCurvesPanel())
    draw(p, regression)
    table = p.export_table()
    for name in ("eval_val_loss", "eval_test_r2", "eval_val_mae"):
        assert name in table.header
    col = table.header.index("eval_test_r2")
    by_step = {r[0]: r[col] for r in table.rows}
    h = regression["history"]
    # (rows join on the step: of two evaluations at one step, the later is kept)
    for step, r2 in zip(h["eval_step"], h["eval_more"][:, 3]):
        assert by_step[step] == pytest.approx(r2) or step == h["eval_step"][-1]
