"""Config values that are normal choices, not errors: training on all the data (no test
set), a batch larger than the training set (the whole set is the batch, with a note), and
``init_scale: null`` (the initialiser's own scale)."""
import json
import math

import numpy as np
import pytest

from helpers import Recorder, small_config
from nnvis.cli import main as cli_main
from nnvis.core import Config, ConfigError, Trainer, commands, take_snapshot
from nnvis.core.persistence import load_experiment, save_experiment
from nnvis.core.session import Session


# ---------------------------------------------------------------- train_fraction 1
def test_train_fraction_1_trains_on_every_sample_with_no_test_set():
    t = Trainer(small_config(data__train_fraction=1.0))
    assert len(t.X_train) == 120 and len(t.X_test) == 0
    t.step(30)
    ev = t.evaluate()
    assert math.isfinite(ev["train_loss"]) and math.isfinite(ev["train_acc"])
    assert math.isnan(ev["test_loss"]) and math.isnan(ev["test_acc"])
    assert any("no test set" in note for note in t.notes)


def test_a_fraction_just_below_1_that_rounds_to_every_sample_still_wants_a_test_set():
    with pytest.raises(ConfigError, match="^data.train_fraction: 0.999 of 120 samples leaves "
                                          "no test samples"):
        Trainer(small_config(data__train_fraction=0.999))


def test_train_fraction_1_snapshot_has_no_test_values_and_says_so():
    t = Trainer(small_config(data__train_fraction=1.0, data__name="sine", model__loss="mse"))
    t.step(10)
    snap = take_snapshot(t, include_data=True)
    assert snap["n_test"] == 0 and any("no test set" in n for n in snap["notes"])
    assert math.isnan(snap["test_loss"]) and math.isfinite(snap["train_loss"])
    ev = snap["history"]["eval"]
    assert len(ev) and np.isnan(ev[:, 1]).all() and np.isfinite(ev[:, 0]).all()
    assert snap["points"]["X_test"].shape == (0, 1)


def test_train_fraction_1_saves_and_loads(tmp_path):
    t = Trainer(small_config(data__train_fraction=1.0))
    t.step(12)
    save_experiment(tmp_path / "all.nnvis", t)
    back = load_experiment(tmp_path / "all.nnvis")
    assert len(back.X_test) == 0 and back.step_count == 12
    assert back.step(5)["loss"] == t.step(5)["loss"]


def test_train_fraction_1_on_the_command_line(tmp_path, capsys):
    metrics = tmp_path / "m.jsonl"
    assert cli_main(["train", "--set", "data.name=xor", "--set", "data.train_fraction=1",
                     "--steps", "20", "--log-every", "10", "--metrics", str(metrics)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    lines = out.out.splitlines()
    assert lines[1].startswith("note: data.train_fraction is 1: no test set")
    assert lines[2].startswith("step      10  loss train") and "test" not in lines[2]
    recs = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert [r["step"] for r in recs] == [10, 20]
    assert all(r["test_loss"] is None and r["test_acc"] is None for r in recs)
    assert all(isinstance(r["train_loss"], float) for r in recs)


# ---------------------------------------------------------------- batch > training set
def test_a_batch_larger_than_the_training_set_is_the_whole_set():
    t = Trainer(small_config(optim__batch_size=1000))   # 96 training samples
    assert t.batch_size == 96 and t.config.get("optim.batch_size") == 1000
    assert t.notes == ["optim.batch_size 1000 is larger than the 96 training samples: each "
                       "step uses all 96 as one batch"]
    t.step(3)
    assert t.epoch == 2    # every step is a whole epoch
    same = Trainer(small_config(optim__batch_size=96))
    same.step(3)
    assert t.last_loss == same.last_loss


def test_a_live_batch_change_past_the_training_set_applies_with_a_note():
    t = Trainer(small_config())
    t.step(4)
    assert not t.notes
    assert t.apply_changes({"optim.batch_size": 5000}) is t   # live: weights kept
    assert t.batch_size == 96 and "each step uses all 96" in t.notes[0]
    t.step(2)
    assert t.step_count == 6 and t.divergence is None


def test_the_session_snapshot_carries_the_note():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Set({"optim.batch_size": 500}))
    assert rec.last("applied")["rebuilt"] is False
    assert "each step uses all 96" in rec.last("snapshot")["notes"][0]


def test_a_batch_larger_than_the_training_set_on_the_command_line(capsys):
    assert cli_main(["train", "--set", "data.name=xor", "--set", "optim.batch_size=5000",
                     "--steps", "4", "--log-every", "4"]) == 0
    out = capsys.readouterr()
    assert out.err == "" and "note: optim.batch_size 5000 is larger than the 320" in out.out
    assert out.out.count("note:") == 1


# ---------------------------------------------------------------- init_scale null
def test_init_scale_null_is_the_initialisers_own_scale():
    cfg = Config.from_json('{"model": {"init_scale": null}}')
    assert cfg.get("model.init_scale") == 1.0 and cfg == Config()
    a, b = Trainer(small_config(model__init_scale=None)), Trainer(small_config())
    for name, value in a.parameters().items():
        np.testing.assert_array_equal(value, b.parameters()[name])
    assert Config().with_changes({"model.init_scale": None}).get("model.init_scale") == 1.0


# ---------------------------------------------------------------- the app
def test_the_window_says_no_test_set_and_shows_the_batch_note(make_window, qtbot):
    w = make_window(data__train_fraction=1.0, optim__batch_size=500)
    qtbot.waitUntil(lambda: bool(w.latest and w.latest.get("notes")), timeout=10_000)
    message = w.statusBar().currentMessage()
    assert "each step uses all 120 as one batch" in message and "no test set" in message
    w.send(commands.Step(5))
    qtbot.waitUntil(lambda: w.latest["step"] == 5, timeout=10_000)
    w.render_frame()
    w.loss_panel.render(force=True)
    assert w.loss_panel.no_test_note.isVisible()
    assert w.loss_panel.no_test_note.toPlainText() == "no test set"
