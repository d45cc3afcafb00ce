"""Snapshots measure what they claim: histograms, per-layer statistics, evaluation, the
decision grid and the 1-D fit, checked against direct computations on the trainer."""
import numpy as np
import pytest

from helpers import small_config
from nnvis.core import Trainer, layer_stats, take_snapshot
from nnvis.core.history import DecimatingSeries
from nnvis.core.snapshot import HIST_BINS, PREACT_RANGE, probe_batch, stacked_histograms


def test_stacked_histograms_match_numpy_with_edges_clipped_and_non_finite_dropped():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0, 1, 500), rng.uniform(-3, 7, (20, 30))
    h = stacked_histograms([a, b], [-4.0, -3.0], [4.0, 7.0], 16)
    assert h.shape == (2, 16) and h.dtype == np.int64
    np.testing.assert_array_equal(h[0], np.histogram(a, 16, (-4, 4))[0])
    np.testing.assert_array_equal(h[1], np.histogram(b, 16, (-3, 7))[0])
    edge = stacked_histograms([np.array([-100.0, 100.0, np.nan, np.inf, 0.5])], [0.0], [1.0], 4)
    np.testing.assert_array_equal(edge[0], [1, 0, 1, 1])  # -100 -> first, 100/inf -> last


@pytest.fixture(scope="module")
def trained():
    t = Trainer(small_config(model__activation="relu", optim__name="sgd", optim__lr=0.1))
    t.step(30)
    return t


def test_layer_stats_are_the_norms_and_moments_of_the_probe_batch(trained):
    stats = layer_stats(trained)
    X, y = probe_batch(trained)
    grads = trained.gradients(X, y)
    params = trained.parameters()
    assert [s["name"] for s in stats] == ["hidden1", "hidden2", "output"]
    for s, block in zip(stats, trained.net.blocks):
        assert s["grad_norm_W"] == pytest.approx(np.linalg.norm(grads[f"{s['name']}.W"]))
        assert s["grad_norm_act"] == pytest.approx(np.linalg.norm(block.dh))
        assert s["act_mean"] == pytest.approx(float(block.h.mean()))
        assert s["act_std"] == pytest.approx(float(block.h.std()))
        assert s["dead_fraction"] == pytest.approx(float((block.z <= 0).all(axis=0).mean()))
        assert s["saturated_fraction"] == 0.0  # ReLU has no flat tail
        # SGD's last update of W is −lr·g of the last training batch.
        W = params[f"{s['name']}.W"]
        u = trained.optimizer.last_update[f"{s['name']}.W"]
        assert s["update_ratio"] == pytest.approx(np.linalg.norm(u) / np.linalg.norm(W),
                                                  rel=1e-5)
        assert 0 < s["update_ratio"] < 1


def test_saturation_is_counted_for_sigmoid_with_huge_weights():
    t = Trainer(small_config(model__activation="sigmoid", model__init="normal",
                             model__init_scale=20.0))
    s = layer_stats(t)
    z = t.net.blocks[1].z
    assert s[1]["saturated_fraction"] == pytest.approx(float((np.abs(z) > 5.3).mean()))
    assert s[1]["saturated_fraction"] > 0.5


def test_snapshot_histograms_count_every_value_in_fixed_bins(trained):
    snap = take_snapshot(trained)
    X, y = probe_batch(trained)
    trained.gradients(X, y)  # the probe's forward again (the snapshot ended on the grid's)
    for layer, block in zip(snap["layers"], trained.net.blocks):
        for key in ("weight_hist", "grad_hist", "preact_hist", "act_hist"):
            assert layer[key].shape == (HIST_BINS,)
        assert layer["weight_hist"].sum() == block.dense.params["W"].size
        assert layer["grad_hist"].sum() == block.dense.params["W"].size
        assert layer["preact_hist"].sum() == len(X) * block.width
        np.testing.assert_array_equal(
            layer["preact_hist"],
            stacked_histograms([block.z], [PREACT_RANGE[0]], [PREACT_RANGE[1]], HIST_BINS)[0])


def test_snapshot_reports_evaluation_and_parameter_count(trained):
    snap = take_snapshot(trained)
    ev = trained.evaluate(512)
    for key in ("train_loss", "test_loss", "train_acc", "test_acc"):
        assert snap[key] == pytest.approx(ev[key])
    # hidden [6, 6] on 2 features and 2 classes: (2·6+6) + (6·6+6) + (6·2+2)
    assert snap["param_count"] == trained.parameter_count() == 18 + 42 + 14
    assert snap["step"] == 30 and snap["history"]["train_loss"].shape == (30,)


def test_decision_grid_is_the_eval_prediction_at_each_grid_point(trained):
    snap = take_snapshot(trained)
    xmin, xmax, ymin, ymax = snap["grid_bounds"]
    res = snap["grid_label"].shape[0]
    gx, gy = np.meshgrid(np.linspace(xmin, xmax, res), np.linspace(ymin, ymax, res))
    logits = trained.predict_logits(np.stack([gx.ravel(), gy.ravel()], axis=1))
    np.testing.assert_array_equal(snap["grid_label"].ravel(), logits.argmax(axis=1))
    assert np.all((snap["grid_conf"] >= 0.5) & (snap["grid_conf"] <= 1.0))


def test_one_dimensional_fit_is_the_eval_prediction_along_x():
    t = Trainer(small_config(data__name="sine", model__loss="mse", model__hidden=[8]))
    t.step(50)
    snap = take_snapshot(t)
    assert "grid_label" not in snap and snap["task"] == "regression"
    np.testing.assert_allclose(snap["fit_y"], t.predict_logits(snap["fit_x"][:, None])[:, 0],
                               rtol=1e-5, atol=1e-6)
    assert snap["fit_x"][0] == pytest.approx(t.data.bounds[0])


def test_metric_history_stays_bounded_and_keeps_the_mean():
    s = DecimatingSeries(capacity=100)
    for i in range(1, 100_001):
        s.append(i, float(i))
    steps, values = s.arrays()
    assert len(steps) <= 100 and s.stride >= 1024
    assert np.all(np.diff(steps) > 0) and steps[-1] <= 100_000
    # Each point is the mean of the appends it stands for: for y = step, about its step.
    np.testing.assert_allclose(values[:, 0], steps - (s.stride - 1) / 2, rtol=0.02)


def test_a_wide_network_is_histogrammed_from_a_stable_sample_with_a_coarser_grid():
    from nnvis.core.snapshot import GRID_RES, HIST_SAMPLE, grid_resolution, histogram_sample

    t = Trainer(small_config(data__name="gaussian", model__hidden=[300, 300],
                             model__activation="tanh"))
    t.step(2)
    snap = take_snapshot(t)
    W = t.parameters()["hidden2.W"]
    h = snap["layers"][1]["weight_hist"]
    assert W.size > HIST_SAMPLE and abs(int(h.sum()) - W.size) <= HIST_BINS
    exact = np.histogram(np.clip(W, -snap["layers"][1]["weight_range"],
                                 snap["layers"][1]["weight_range"]), bins=HIST_BINS,
                         range=(-snap["layers"][1]["weight_range"],
                                snap["layers"][1]["weight_range"]))[0]
    assert np.abs(h - exact).sum() < 0.1 * W.size          # the same shape
    a, _ = histogram_sample(W)
    b, _ = histogram_sample(W)
    assert np.array_equal(a, b)                            # no flicker between snapshots
    assert grid_resolution(t.parameter_count()) == GRID_RES
    assert GRID_RES > grid_resolution(2_500_000) >= 20     # 10 × 500 units
