"""The data panel with more than two inputs (issue 19): predicted vs true with its diagonal
for regression, the principal axes coloured by class for classification, and the CSV's
class names in the legend."""
import numpy as np
import pytest

from panel_helpers import draw, show
from real_data import write_csv
from real_snapshots import regression_config, species_config, trained_snapshot
from nnvis.app.panels.data_colors import CLASS_RGB
from nnvis.app.panels.data_view import DataViewPanel
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer, take_snapshot


@pytest.fixture(scope="module")
def regression(tmp_path_factory):
    configure_pyqtgraph()
    return trained_snapshot(regression_config(tmp_path_factory.mktemp("reg")), 500)


@pytest.fixture(scope="module")
def species(tmp_path_factory):
    configure_pyqtgraph()
    return trained_snapshot(species_config(tmp_path_factory.mktemp("cls")), 50)


def xy(item):
    x, y = item.getData()
    return np.asarray(x), np.asarray(y)


def panel_showing(qtbot, snap, mode):
    """A data panel that drew ``snap`` as ``mode`` on its plot page (not the message)."""
    p = show(qtbot, DataViewPanel())
    draw(p, snap)
    assert p.mode == mode and p.stack.currentWidget() is p.view
    return p


def test_regression_shows_predicted_against_true_in_the_targets_units(qtbot, regression):
    p = panel_showing(qtbot, regression, "predtrue")
    pt = regression["pred_true"]
    x, y = xy(p.train_scatter)
    np.testing.assert_allclose(x, pt["train_true"])
    np.testing.assert_allclose(y, pt["train_pred"])
    x, y = xy(p.test_scatter)
    np.testing.assert_allclose(x, pt["test_true"])
    # Train filled, test a ring: told apart at a glance.
    assert p.train_scatter.opts["brush"].color().alpha() > 0
    assert p.test_scatter.opts["brush"].color().alpha() == 0
    # The diagonal y = x spans the true values (in the target's units, here ~50 … 350).
    assert p.diagonal.isVisible()
    dx, dy = xy(p.diagonal)
    np.testing.assert_allclose(dx, dy)
    true = np.concatenate([pt["train_true"], pt["test_true"]])
    assert dx.min() <= true.min() and dx.max() >= true.max()
    assert p.plot.getAxis("bottom").labelText == "true score"
    assert p.plot.getAxis("left").labelText == "predicted score"
    assert p.plot.titleLabel.text == "Predicted vs true"
    assert "perfect prediction" in p.legend.text()
    assert not p.wrong_marks.isVisible()


def test_classes_are_shown_on_the_principal_axes_coloured_by_class(qtbot, species):
    s = species
    p = panel_showing(qtbot, s, "pca")
    pca = s["pca"]
    x, y = xy(p.train_scatter)
    np.testing.assert_allclose(np.column_stack([x, y]), pca["train_xy"])
    colours = [b.color().getRgb()[:3] for b in p.train_scatter.data["brush"]]
    assert colours == [tuple(int(v) for v in CLASS_RGB[c]) for c in pca["train_class"]]
    assert p.plot.getAxis("bottom").labelText == "PC1"
    assert p.plot.getAxis("left").labelText == "PC2"
    assert p.decision_image.isVisible()
    assert p.decision_image.image.shape[:2] == pca["grid_label"].shape
    assert "principal axes" in p.mode_label.text()
    for name in ("setosa", "versicolor", "virginica"):
        assert name in p.legend.text()
    assert not p.diagonal.isVisible()
    # A sample predicted wrong gets a cross where it is drawn.
    wrong = dict(pca, train_pred=(pca["train_class"] + 1) % 3,
                 test_pred=pca["test_class"].copy())
    draw(p, dict(s, pca=wrong))
    wx, wy = xy(p.wrong_marks)
    assert p.wrong_marks.isVisible() and len(wx) == len(pca["train_xy"])
    np.testing.assert_allclose(np.column_stack([wx, wy]), pca["train_xy"])
    # A click on a drawn point picks that sample of its split (the Backprop panel follows).
    assert p.sample_at(*pca["test_xy"][3]) == ("test", 3)


def test_another_data_set_does_not_inherit_the_kept_view(qtbot, species, tmp_path):
    p = show(qtbot, DataViewPanel())
    draw(p, species)
    assert p.mode == "pca"
    other = Trainer(species_config(tmp_path) | {"data": {
        "path": write_csv(tmp_path / "five.csv", ["a", "b", "c", "d", "e", "k"],
                          [[i % 7, i % 5, i % 3, i % 11, i % 2, "yes" if i % 2 else "no"]
                           for i in range(60)]), "label_column": "k"}})
    draw(p, take_snapshot(other, grid=False))
    assert p.mode == "none" and p.stack.currentWidget() is p.message


def test_two_input_classes_are_named_in_the_legend(qtbot, tmp_path):
    rng = np.random.default_rng(0)
    rows = [[f"{v:.3f}" for v in rng.normal(2 * (i % 2), 0.5, 2)] + ["cat" if i % 2 else "dog"]
            for i in range(80)]
    t = Trainer({"seed": 0, "data": {"path": write_csv(tmp_path / "pets.csv",
                                                       ["weight", "height", "pet"], rows),
                                     "label_column": "pet"}, "model": {"hidden": [4]}})
    p = show(qtbot, DataViewPanel())
    draw(p, take_snapshot(t, include_data=True))
    assert p.mode == "class2d"
    legend = p.legend.text()
    assert "cat" in legend and "dog" in legend
    # The axes carry the CSV's column names.
    assert p.plot.getAxis("bottom").labelText == "weight (standardised)"
    assert p.plot.getAxis("left").labelText == "height (standardised)"


def test_an_untrained_networks_wild_predictions_do_not_squash_the_true_values(qtbot,
                                                                                regression):
    pt = dict(regression["pred_true"])
    pt["train_pred"] = np.full_like(pt["train_pred"], 1e6)
    pt["test_pred"] = np.full_like(pt["test_pred"], np.nan)
    p = panel_showing(qtbot, dict(regression, pred_true=pt), "predtrue")
    true = np.concatenate([pt["train_true"], pt["test_true"]])
    (x0, x1), (y0, y1) = p.plot.getViewBox().viewRange()
    span = true.max() - true.min()
    assert x0 <= true.min() and x1 >= true.max() and x1 < true.max() + span   # still readable
    assert (y0, y1) == pytest.approx((x0, x1))   # square: the diagonal at 45°
    assert all(np.isfinite(xy(p.test_scatter)[1]))
