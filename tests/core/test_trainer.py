"""Trainer behaviour: reproducibility, XOR, live changes, divergence, symmetry, snapshots."""
import numpy as np
import pytest

from helpers import small_config
from nnvis.core import Config, ConfigError, Trainer, take_snapshot


def test_same_config_and_seed_give_bit_identical_loss_history():
    a, b = Trainer(small_config()), Trainer(small_config())
    a.step(150)
    b.step(150)
    sa, va = a.loss_history.arrays()
    sb, vb = b.loss_history.arrays()
    assert np.array_equal(va, vb) and len(va) == 150
    c = Trainer(small_config(seed=2))
    c.step(150)
    assert not np.array_equal(va, c.loss_history.arrays()[1])


def test_defaults_train_in_float32():
    t = Trainer(small_config())
    t.step(3)
    assert all(p.dtype == np.float32 for p in t.parameters().values())


def test_xor_needs_a_hidden_layer():
    base = {"seed": 0, "data": {"name": "xor", "n_samples": 200, "noise": 0.05},
            "optim": {"name": "adam", "lr": 0.03, "batch_size": 20}}
    linear = Trainer(Config.from_dict({**base, "model": {"hidden": []}}))
    linear.step(1500)
    deep = Trainer(Config.from_dict({**base, "model": {"hidden": [8], "activation": "tanh"}}))
    deep.step(1500)
    assert linear.evaluate()["test_acc"] <= 0.75
    assert deep.evaluate()["test_acc"] >= 0.95


def test_step_runs_exactly_n_updates_and_reports_metrics():
    t = Trainer(small_config())
    m = t.step(7)
    assert m["step"] == 7 and t.step_count == 7 and np.isfinite(m["loss"])


@pytest.mark.parametrize("change", [
    {"optim.lr": 0.001}, {"model.activation": "relu"}, {"model.activation": "maxout"},
    {"model.activation": "prelu"}, {"model.dropout": 0.3}, {"model.batch_norm": True},
    {"optim.l2": 0.01}, {"optim.name": "sgd"}, {"model.residual": True},
])
def test_live_changes_keep_the_weights_and_training_continues(change):
    t = Trainer(small_config())
    t.step(20)
    before = {k: v.copy() for k, v in t.parameters().items()}
    assert t.apply_changes(change) is t   # live: the same trainer carries on
    after = t.parameters()
    assert np.array_equal(before["hidden2.W"][:, :1] if change.get("model.activation") != "maxout"
                          else before["hidden2.W"][:, :1], after["hidden2.W"][:, :1])
    assert np.array_equal(before["output.W"], after["output.W"])
    key, value = next(iter(change.items()))
    assert t.config.get(key) == value
    t.step(20)
    assert np.isfinite(t.last_loss) and t.step_count == 40


def test_live_changes_reach_the_layers():
    t = Trainer(small_config())
    t.apply_changes({"model.dropout": 0.4, "model.batch_norm": True, "optim.lr": 0.5,
                     "model.activation": "prelu"})
    assert all(b.dropout.p == 0.4 and b.bn is not None for b in t.net.blocks)
    assert t.optimizer.lr == 0.5
    assert "hidden1.alpha" in t.parameters() and "hidden1.gamma" in t.parameters()
    t.apply_changes({"model.batch_norm": False})
    assert "hidden1.gamma" not in t.parameters()


def test_structural_change_rebuilds():
    t = Trainer(small_config())
    t.step(5)
    old, t = t, t.apply_changes({"model.hidden": [3]})
    assert t is not old and old.step_count == 5
    assert t.step_count == 0 and t.parameters()["hidden1.W"].shape == (2, 3)


def test_invalid_change_is_rejected_and_trainer_untouched():
    t = Trainer(small_config())
    with pytest.raises(ConfigError, match="optim.lr"):
        t.apply_changes({"optim.lr": -1})
    with pytest.raises(ConfigError, match="optim.batch_size"):
        t.apply_changes({"optim.batch_size": 0})
    assert t.config.get("optim.lr") == 0.02


def test_divergence_stops_keeps_finite_weights_and_names_step_and_layer():
    t = Trainer(small_config(optim__name="sgd", optim__lr=1e4,
                             model__activation="relu", model__hidden=[16, 16]))
    t.step(500)
    d = t.divergence
    assert d is not None and t.step_count < 500
    assert d["step"] == t.step_count + 1
    assert d["layer"] in ("hidden1", "hidden2", "output")
    assert str(d["step"]) in d["message"] and d["layer"] in d["message"]
    assert all(np.all(np.isfinite(p)) for p in t.parameters().values())
    steps = t.step_count
    t.step(10)
    assert t.step_count == steps  # stays stopped until resumed
    t.apply_changes({"optim.lr": 0.01})
    t.resume()
    t.step(10)
    assert t.step_count == steps + 10 and np.isfinite(t.last_loss)


@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_init_never_breaks_symmetry(init):
    t = Trainer(small_config(model__init=init, model__init_scale=0.3, optim__name="sgd",
                             optim__lr=0.1))
    t.step(200)
    W = t.parameters()["hidden2.W"]
    assert np.ptp(W, axis=1).max() == 0.0  # every unit's incoming weights identical
    r = Trainer(small_config(model__init="xavier"))
    r.step(10)
    assert np.ptp(r.parameters()["hidden2.W"], axis=1).max() > 0


def test_snapshot_contents_are_copies_and_finite():
    t = Trainer(small_config(model__activation="relu"))
    t.step(30)
    snap = take_snapshot(t, include_data=True)
    w_edges = snap["layers"][0]["edges"].copy()
    t.step(30)
    assert np.array_equal(snap["layers"][0]["edges"], w_edges)
    assert [l["name"] for l in snap["layers"]] == ["hidden1", "hidden2", "output"]
    for layer in snap["layers"]:
        assert layer["weight_hist"].sum() == layer["fan_in"] * (
            layer["width"] * (2 if layer["activation"] == "maxout" else 1))
        assert np.isfinite(layer["grad_norm_W"]) and layer["grad_norm_W"] > 0
    assert snap["grid_label"].shape == (50, 50)
    assert "points" in snap and snap["step"] == 30


def test_relu_dead_units_are_counted():
    t = Trainer(small_config(model__activation="relu"))
    for block in t.net.blocks:
        block.dense.params["b"][:] = -100.0  # every unit off for every input
    snap = take_snapshot(t)
    assert snap["layers"][0]["dead_fraction"] == 1.0
    assert snap["layers"][0]["unit_dead"].all()


def test_bad_config_is_rejected_with_the_field_path():
    with pytest.raises(ConfigError, match=r"model.hidden\[1\]"):
        Config.from_dict({"model": {"hidden": [4, 0]}})
    with pytest.raises(ConfigError, match="model.dropout"):
        Config.from_dict({"model": {"dropout": 1.0}})
    with pytest.raises(ConfigError, match="optim.nme"):
        Config.from_dict({"optim": {"nme": "sgd"}})
    with pytest.raises(ConfigError, match="model.loss"):
        Trainer(small_config(data__name="sine", model__loss="cross_entropy"))


def test_divergence_restores_weights_from_before_the_blow_up():
    # lr 0.7 explodes gradually (finite but huge by step 20) and only then goes non-finite:
    # the weights restored must be healthy, not the exploded ones of step 20.
    t = Trainer({"seed": 0, "data": {"name": "sine", "n_samples": 200},
                 "model": {"hidden": [16], "activation": "tanh", "loss": "mse"},
                 "optim": {"name": "sgd", "lr": 0.7, "batch_size": 16}})
    first = None
    for _ in range(400):
        t.step(1)
        first = t.last_loss if first is None else first
        if t.divergence:
            break
    assert t.divergence is not None
    assert t.evaluate()["train_loss"] < 100 * first


def test_a_trainer_restored_from_its_state_continues_bit_identically():
    # Every source of randomness (dropout masks, RReLU slopes, the epoch's shuffle) and every
    # piece of state (BN buffers, Adam's slots, histories, the healthy checkpoint) in play.
    # Early stopping too: its best weights so far, its patience count and its stop.
    cfg = small_config(model__dropout=0.3, model__activation="rrelu", model__batch_norm=True,
                       optim__l1=1e-4, optim__batch_size=7, data__val_fraction=0.25,
                       optim__early_stopping=True, optim__eval_every=4, optim__patience=50)
    a = Trainer(cfg)
    a.step(37)                      # part-way through an epoch
    a.record_evaluation()
    state = a.state_dict()          # copies: a's next steps must not change them
    a.step(45)
    b = Trainer(cfg)
    b.load_state_dict(state)
    b.step(45)
    for x, y in ((a.loss_history, b.loss_history), (a.eval_history, b.eval_history)):
        for u, v in zip(x.arrays(), y.arrays()):
            assert np.array_equal(u, v, equal_nan=True)
    assert a.step_count == b.step_count and a.epoch == b.epoch
    ea, eb = a.early_stopping_state(), b.early_stopping_state()
    assert ea["best_step"] is not None and ea["stop"] == eb["stop"]
    for key in ("best_step", "best_val_loss", "bad_evals"):
        assert ea[key] == eb[key], key
    for name, value in ea["params"].items():
        assert np.array_equal(value, eb["params"][name]), name
    for store in ("parameters", "buffers"):
        for (name, u), v in zip(getattr(a, store)().items(), getattr(b, store)().values()):
            assert np.array_equal(u, v), name
    sa, sb = a.state_dict(), b.state_dict()
    for name in sa["last_update"]:
        assert np.array_equal(sa["last_update"][name], sb["last_update"][name]), name
    for name, slots in sa["optimizer"]["state"].items():
        for key, value in slots.items():
            assert np.array_equal(value, sb["optimizer"]["state"][name][key]), (name, key)
    assert sa["checkpoint"]["step"] == sb["checkpoint"]["step"] == 80
    assert sa["best_loss"] == sb["best_loss"] and sa["rng"] == sb["rng"]
