"""Engine behaviour the issue names and other tests do not pin down: the learned and random
activation slopes, maxout's doubled layer, the flat optimiser path, batches and epochs,
clipping, L1/L2, batch norm's buffers, gradients(), and divergence reports."""
import numpy as np
import pytest

from helpers import small_config
from nnvis.core import OPTIMIZERS, Trainer
from nnvis.core.activations import PReLU, RReLU
from nnvis.core.network import TRAIN


# --------------------------------------------------------------------------- activations

def test_rrelu_draws_random_slopes_in_training_and_uses_the_mean_in_eval():
    z = -np.ones((400, 5))
    act = RReLU(5, np.random.default_rng(0), np.float64)
    first = act.forward(z)
    slopes = -first
    assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3
    assert slopes.std() > 0.03  # per element, not one slope for all
    assert slopes.mean() == pytest.approx(11 / 48, abs=0.01)
    assert not np.array_equal(act.forward(z), first)  # fresh draws every call
    again = RReLU(5, np.random.default_rng(0), np.float64)
    assert np.array_equal(again.forward(z), first)  # ... from the generator it was given
    act.training = False
    assert np.all(act.forward(z) == -11 / 48)
    assert np.array_equal(act.forward(np.full((2, 5), 3.0)), np.full((2, 5), 3.0))


def test_prelu_learns_one_slope_per_neuron():
    t = Trainer(small_config(model__activation="prelu", model__hidden=[6, 6],
                             optim__lr=0.05))
    alpha = t.parameters()["hidden1.alpha"]
    assert alpha.shape == (6,) and np.all(alpha == PReLU.initial_alpha)
    t.step(200)
    learned = t.parameters()["hidden1.alpha"]
    assert not np.allclose(learned, PReLU.initial_alpha)
    assert len(np.unique(learned)) == 6  # each neuron its own slope


def test_maxout_doubles_the_preceding_dense_layer():
    plain = Trainer(small_config(model__activation="relu", model__hidden=[6, 5]))
    maxout = Trainer(small_config(model__activation="maxout", model__hidden=[6, 5]))
    p, m = plain.parameters(), maxout.parameters()
    for name in ("hidden1.W", "hidden1.b", "hidden2.W", "hidden2.b"):
        assert m[name].shape[-1] == 2 * p[name].shape[-1]
    assert m["hidden2.W"].shape[0] == p["hidden2.W"].shape[0] == 6  # k=2 pieces -> 6 units
    assert m["output.W"].shape == p["output.W"].shape
    doubled = sum(p[n].size for n in p if n.startswith("hidden"))
    assert maxout.parameter_count() == plain.parameter_count() + doubled
    # Each unit outputs the larger of its two pieces.
    X = maxout.X_train[:20]
    maxout.gradients(X, maxout.data.y_train[:20])
    z = maxout.net.blocks[0].z.reshape(20, 6, 2)
    np.testing.assert_array_equal(maxout.net.blocks[0].h, z.max(axis=2))


# --------------------------------------------------------------------------- optimisers

def test_clipping_bounds_every_update_by_lr_times_the_norm():
    lr, clip = 0.1, 1e-3
    t = Trainer(small_config(optim__name="sgd", optim__lr=lr, optim__clip_norm=clip))
    free = Trainer(small_config(optim__name="sgd", optim__lr=lr))
    for _ in range(5):
        t.step(1)
        free.step(1)
        norm = np.sqrt(sum(float(np.vdot(u, u)) for u in t.optimizer.last_update.values()))
        assert norm <= lr * clip * (1 + 1e-5)
        free_norm = np.sqrt(sum(float(np.vdot(u, u))
                                for u in free.optimizer.last_update.values()))
        assert free_norm > 10 * lr * clip  # the clip was active


def test_each_step_takes_batch_size_samples_and_an_epoch_visits_each_sample_once():
    t = Trainer(small_config(optim__batch_size=16))  # 96 training samples: 6 steps/epoch
    seen = []
    loss_fn = t.loss_fn

    def spy(logits, target):
        seen.append(logits.shape[0])
        return loss_fn(logits, target)

    rows = []
    forward = t.net.forward

    def spy_forward(X, training=True):
        if training:
            rows.extend(map(bytes, np.ascontiguousarray(X)))
        return forward(X, training)

    t.loss_fn, t.net.forward = spy, spy_forward
    t.step(6)
    assert seen == [16] * 6 and t.epoch == 0
    assert sorted(rows) == sorted(map(bytes, np.ascontiguousarray(t.X_train)))
    t.step(1)
    assert t.epoch == 1


# --------------------------------------------------------------------------- penalties

def _weights(trainer):
    return np.concatenate([v.ravel() for k, v in trainer.parameters().items()
                           if k.endswith(".W")])


def test_l2_shrinks_the_weights_and_l1_makes_them_sparse():
    runs = {}
    for name, extra in (("none", {}), ("l2", {"optim__l2": 0.05}), ("l1", {"optim__l1": 0.01})):
        t = Trainer(small_config(optim__name="sgd", optim__lr=0.1, **extra))
        t.step(600)
        runs[name] = _weights(t)
    assert np.linalg.norm(runs["l2"]) < 0.7 * np.linalg.norm(runs["none"])
    assert (np.abs(runs["l1"]) < 1e-2).mean() > (np.abs(runs["none"]) < 1e-2).mean() + 0.2


def test_the_penalty_is_part_of_the_loss_and_spares_the_biases():
    t = Trainer(small_config(optim__l1=0.01, optim__l2=0.1))
    X, T = t.X_train[:16], t.T_train[:16]
    params = t.parameters()
    W = _weights(t)
    t.l1 = t.l2 = 0.0
    bare = t.loss(X, T)
    t.l1, t.l2 = 0.01, 0.1
    assert t.loss(X, T) == pytest.approx(bare + 0.01 * np.abs(W).sum() + 0.05 * (W @ W))
    g = t.gradients(X, t.data.y_train[:16])
    t.l1 = t.l2 = 0.0
    g0 = t.gradients(X, t.data.y_train[:16])
    assert np.array_equal(g["hidden1.b"], g0["hidden1.b"])
    np.testing.assert_allclose(g["hidden1.W"] - g0["hidden1.W"],
                               0.01 * np.sign(params["hidden1.W"]) + 0.1 * params["hidden1.W"],
                               rtol=1e-5, atol=1e-7)


# --------------------------------------------------------------------------- batch norm

def test_batch_norm_running_stats_are_buffers_the_optimiser_never_sees():
    t = Trainer(small_config(model__batch_norm=True))
    t.step(40)
    params, buffers = t.parameters(), t.buffers()
    assert "hidden1.gamma" in params and "hidden1.beta" in params
    assert set(buffers) == {f"hidden{i}.{k}" for i in (1, 2)
                            for k in ("running_mean", "running_var")}
    assert not set(buffers) & set(params) and not set(buffers) & set(t.optimizer.state)
    assert not np.allclose(buffers["hidden1.running_mean"], 0)  # updated by training
    # Eval mode uses them: one sample's prediction does not depend on its batch-mates,
    # while the training-mode forward (batch statistics) does.
    X = t.X_train[:20]
    alone = t.predict_logits(X[:1])
    np.testing.assert_allclose(t.predict_logits(X)[:1], alone, rtol=1e-5)
    assert not np.allclose(t.net.forward(X[:5], TRAIN)[:1], t.net.forward(X[:10], TRAIN)[:1])


def test_gradients_use_batch_statistics_with_dropout_off_and_leave_buffers_alone():
    t = Trainer(small_config(model__batch_norm=True, model__dropout=0.5,
                             model__activation="rrelu"))
    t.step(10)
    X, y = t.X_train[:32], t.data.y_train[:32]
    buffers = {k: v.copy() for k, v in t.buffers().items()}
    g1 = t.gradients(X, y)
    g2 = t.gradients(X, y)
    assert list(g1) == list(t.parameters())
    assert all(g1[k].shape == p.shape for k, p in t.parameters().items())
    assert all(np.array_equal(g1[k], g2[k]) for k in g1)  # no dropout mask, no random slope
    assert all(np.array_equal(v, buffers[k]) for k, v in t.buffers().items())
    # Batch statistics: the first sample's forward depends on which samples share its batch.
    t.gradients(X[:8], y[:8])
    z_small = t.net.blocks[0].z[0].copy()
    t.gradients(X, y)
    assert not np.allclose(z_small, t.net.blocks[0].z[0])


# --------------------------------------------------------------------------- divergence

def test_divergence_names_the_first_layer_to_blow_up():
    t = Trainer(small_config(model__hidden=[6, 6, 6], model__activation="relu"))
    t.step(3)
    # Finite weights: hidden2 outputs ~3e38 (finite), hidden3's sums of them overflow.
    t.parameters()["hidden2.b"][:] = 3e38
    t.parameters()["hidden3.W"][:] = 1.0
    t.step(5)
    d = t.divergence
    assert d["step"] == 4 and d["layer"] == "hidden3" and d["quantity"] == "activations"
    assert "step 4" in d["message"] and "'hidden3'" in d["message"]
    assert all(np.all(np.isfinite(p)) for p in t.parameters().values())
    assert t.parameters()["hidden2.b"].max() < 1e3  # the healthy weights are back

    w = Trainer(small_config(model__hidden=[6, 6, 6]))
    w.step(3)
    w.parameters()["hidden2.b"][0] = np.nan  # a weight itself: named as the cause
    w.step(5)
    assert w.divergence["layer"] == "hidden2"
    assert w.divergence["quantity"] == "weights hidden2.b"


def _overflow_a_weight_at(trainer, step):
    """Make the optimiser's update of ``step`` overflow hidden1.W[0, 0] to inf, as a finite
    but huge gradient times the rate can (the loss and gradient before it were finite)."""
    step_flat = trainer.optimizer.step_flat

    def overflowing_step():
        step_flat()
        if trainer.optimizer.t == step:
            trainer.parameters()["hidden1.W"][0, 0] = np.float32(np.inf)

    trainer.optimizer.step_flat = overflowing_step


def test_a_weight_overflowed_on_a_checkpoint_step_is_not_kept_as_healthy():
    # The checkpoint of step 20 must not copy the inf: training stops right there and the
    # weights restored are those of step 0.
    t = Trainer(small_config(optim__name="sgd", optim__lr=0.01, model__activation="relu"))
    _overflow_a_weight_at(t, 20)
    t.step(25)
    d = t.divergence
    assert d is not None and t.step_count == 20 and d["step"] == 20
    assert d["restored_step"] == 0
    assert d["layer"] == "hidden1" and "hidden1.W" in d["quantity"]
    assert all(np.all(np.isfinite(p)) for p in t.parameters().values())


def test_an_overflowed_weight_that_tanh_hides_is_still_caught():
    # tanh(inf) = 1: loss and gradients stay finite, so only the weights show the blow-up.
    # It is caught at the next checkpoint step and the step-20 weights are restored.
    t = Trainer(small_config(optim__name="sgd", optim__lr=0.01, model__activation="tanh"))
    _overflow_a_weight_at(t, 25)
    t.step(30)
    assert t.divergence is None and np.isinf(t.parameters()["hidden1.W"][0, 0])
    t.step(30)
    d = t.divergence
    assert d is not None and t.step_count == 40 and d["step"] == 40
    assert d["restored_step"] == 20 and d["quantity"] == "weights hidden1.W"
    assert "weight check of step 40" in d["message"] and "not applied" not in d["message"]
    assert all(np.all(np.isfinite(p)) for p in t.parameters().values())


def test_a_divergence_drops_the_undone_steps_from_the_curves():
    """The restored weights are those of the checkpoint: the exploding losses recorded since
    belong to a trajectory that was undone, and would flatten every later point."""
    t = Trainer(small_config(optim__name="sgd", optim__lr=0.05, model__activation="relu",
                             model__hidden=[16, 16]))
    t.step(30)
    t.evaluate()
    t.apply_changes({"optim.lr": 1e4})
    t.step(200)
    d = t.divergence
    assert d is not None and d["restored_step"] == 20
    steps, values = t.loss_history.arrays()
    assert steps.max() <= 20 and np.all(np.abs(values) < 10)
    assert t.eval_history.arrays()[0].max(initial=0) <= 20
    assert t.last_loss == values[-1, 0]
    # Resuming at a sane rate records new, small losses after the divergence step.
    t.apply_changes({"optim.lr": 0.05})
    t.resume()
    t.step(10)
    steps, values = t.loss_history.arrays()
    assert steps[-1] > d["step"] - 1 and np.all(np.abs(values) < 10)
