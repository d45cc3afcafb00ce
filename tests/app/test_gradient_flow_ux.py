"""Gradient flow as a first-time user reads it: a verdict that notices gradients too small to
learn anything, labels and ticks that do not pile up in a small dock, a step axis that starts
at step 0."""
import numpy as np
import pytest
from PySide6.QtCore import QPointF

from helpers import small_config
from panel_helpers import draw, settle
from panel_helpers import show_on_screen as show
from helpers import snapshot_after as snap
from nnvis.app import theme
from nnvis.app.panels.gradient_flow import GradientFlowPanel, flow_verdict
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Trainer
from nnvis.lessons.catalog import LESSONS

ACCENT = theme.hex_color(theme.ACCENT)


@pytest.fixture(scope="module", autouse=True)
def _pg():
    configure_pyqtgraph()


def hidden(norms, updates=None, output=1.0):
    updates = updates or [0.0] * len(norms)
    return [{"name": f"hidden{i + 1}", "kind": "hidden", "grad_norm_W": n, "update_ratio": u}
            for i, (n, u) in enumerate(zip(norms, updates))] + [
        {"name": "output", "kind": "output", "grad_norm_W": output, "update_ratio": 0.0}]


def test_init_scale_lesson_is_not_called_healthy(qtbot):
    """10 tanh layers with init scale 0.01: every ‖∂L/∂W‖ ≈ 1e-9, the ratio ≈ 2."""
    cfg = LESSONS["init-scale"].config
    cfg = {**cfg, "model": {**cfg["model"], "hidden": [40] * 10}}   # same mistake, faster
    p = show(qtbot, GradientFlowPanel(), size=(700, 450))
    t = Trainer(cfg)
    draw(p, snap(t))
    norms = [lay["grad_norm_W"] for lay in p.snapshot["layers"][:-1]]
    assert max(norms) < 1e-6 and 0.1 < norms[0] / norms[-1] < 10   # the reported situation
    verdict = p.verdict_text()
    assert "healthy" not in verdict
    assert "tiny" in verdict and "nothing learns" in verdict and "initial" in verdict
    assert ACCENT not in p.verdict_label.styleSheet()    # not in the "all good" green
    draw(p, snap(t, 20))                                 # training does not rescue it
    assert "tiny" in p.verdict_text()


def test_verdict_judges_absolute_size_too():
    tiny_v, colour = flow_verdict(hidden([3e-9, 2e-9, 2e-9]))
    assert "tiny" in tiny_v and "3e-9" not in tiny_v and "2e-9" in tiny_v and colour != ACCENT
    # The same tiny gradients once the training data are fit: nothing is wrong.
    fit = flow_verdict(hidden([3e-9, 2e-9, 2e-9]), loss=1e-5)[0]
    assert "nothing learns" not in fit and "fit" in fit
    # Updates ≪ 1e-3 (here 1e-8) with fine gradients: the weights barely move.
    slow, colour = flow_verdict(hidden([0.1, 0.2], updates=[1e-8, 2e-8]))
    assert "updates tiny" in slow and "learning rate" in slow and colour != ACCENT
    # Before the first step there is no update yet (0): no verdict about it.
    assert "healthy" in flow_verdict(hidden([0.1, 0.2]))[0]
    assert "healthy" in flow_verdict(hidden([0.1, 0.2], updates=[2e-3, 1e-3]))[0]
    assert "vanish" in flow_verdict(hidden([1e-6, 1e-2]))[0]      # the ratio still speaks


def test_step_axis_starts_at_step_zero_without_duplicates(qtbot):
    p = show(qtbot, GradientFlowPanel(), size=(700, 450))
    draw(p, snap(Trainer(small_config())))
    settle(p)
    ticks = p.time_grid.labels("bottom")
    labels = [text for _v, text in ticks]
    assert labels[0] == "0" and len(set(labels)) == len(labels)    # not "0 0 1"
    assert all(v >= 0 and float(v).is_integer() for v, _t in ticks)
    (x0, x1), _ = p.time_plot.viewRange()
    assert -0.03 * (x1 - x0) < x0 <= 0                             # no run of negative steps


def label_rows(p):
    """Scene y (px) of every visible line label of the time plot."""
    vb = p.time_plot.vb
    return sorted(vb.mapViewToScene(QPointF(label.pos())).y()
                  for label in p.time_labels if label.isVisible())


@pytest.mark.parametrize("size", [(425, 400), (335, 340)])   # 1600×1000 and 1280×800 docks
def test_line_labels_do_not_pile_up(qtbot, size):
    # Tiny init: all eleven lines within a decade of each other, as in the init-scale lesson.
    t = Trainer(small_config(model__hidden=[6] * 10, model__activation="tanh",
                             model__init="normal", model__init_scale=0.01))
    p = show(qtbot, GradientFlowPanel(), size=size)
    for _ in range(4):
        draw(p, snap(t, 2))
    settle(p)
    rows = label_rows(p)
    assert len(rows) >= 2
    line = p.fontMetrics().height()
    assert min(np.diff(rows)) >= 0.95 * line                       # no h1/h2/out/h3 heap
    top = p.time_plot.vb.sceneBoundingRect()
    assert top.top() <= rows[0] and rows[-1] <= top.bottom()
    # Each name sits by its own line's end, not pushed up beside another line.
    vb = p.time_plot.vb
    for label, curve in zip(p.time_labels, p.time_curves):
        if label.isVisible():
            x, y = curve.getData()
            end = vb.mapViewToScene(QPointF(x[-1], y[-1])).y()
            assert abs(vb.mapViewToScene(QPointF(label.pos())).y() - end) <= 1.6 * line


@pytest.mark.parametrize("size", [(425, 400), (335, 340)])
def test_log_tick_labels_do_not_smear(qtbot, size):
    t = Trainer(small_config(model__hidden=[16] * 8, model__activation="sigmoid",
                             data__name="circle", optim__name="sgd"))
    p = show(qtbot, GradientFlowPanel(), size=size)
    for _ in range(3):
        draw(p, snap(t, 2))
    settle(p)
    line = p.fontMetrics().height()
    for plot, grid in ((p.bar_plot, p.bar_grid), (p.time_plot, p.time_grid)):
        values = [v for v, _t in grid.labels("left")]
        (_, _), (y0, y1) = plot.viewRange()
        inside = [v for v in values if y0 <= v <= y1]
        assert len(inside) >= 2
        px = sorted(plot.vb.mapViewToScene(QPointF(0, v)).y() for v in inside)
        assert min(np.diff(px)) >= line, (plot.titleLabel.text, values)


def test_healthy_level_is_named_in_the_legend_not_over_the_bars(qtbot):
    p = show(qtbot, GradientFlowPanel(), size=(425, 400))   # the 1600×1000 dock
    draw(p, snap(Trainer(small_config(model__hidden=[6] * 4))))
    settle(p)
    assert "healthy" in p.bar_plot.titleLabel.text
    labels = [item for item in p.bar_plot.vb.allChildren()
              if hasattr(item, "textItem") and item.isVisible()]   # TextItem, InfLineLabel
    assert labels == []
    # The longer legend wraps instead of pushing the plots past the panel's right edge.
    assert p.view.ci.geometry().width() <= p.view.width() + 0.5
