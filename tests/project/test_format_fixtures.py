"""Files written by earlier nnvis versions load, forever (docs: the format policy).

Each fixture in ``tests/fixtures/`` was written by the nnvis of its format version and is
never regenerated: a change of a format adds a fixture of the version before it."""
from pathlib import Path

import numpy as np

from nnvis.core.data import load_dataset
from nnvis.core.persistence import load_experiment, save_experiment, saved_step
from nnvis.protocol.recording import read_recording

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_experiment_format_1_loads_and_trains_on():
    path = FIXTURES / "experiment-v1.nnvis"
    assert saved_step(path) == 40
    trainer = load_experiment(path)
    cfg = trainer.config.to_dict()
    assert cfg["data"]["name"] == "spiral" and cfg["model"]["hidden"] == [6, 5]
    assert cfg["model"]["batch_norm"] and cfg["optim"]["name"] == "adam"
    assert trainer.step_count == 40
    assert list(trainer.parameters())[:4] == ["hidden1.W", "hidden1.b", "hidden1.gamma",
                                               "hidden1.beta"]
    steps, losses = trainer.loss_history.arrays()
    assert steps[-1] == 40 and np.isfinite(losses).all()
    trainer.step(20)
    assert trainer.step_count == 60
    assert np.isfinite(trainer.evaluate()["train_loss"])


def test_recording_format_1_replays_every_snapshot():
    messages = read_recording(FIXTURES / "recording-v1.nnvisrec")
    kinds = [k for k, _ in messages]
    assert kinds == ["run", "snapshot", "snapshot", "snapshot", "snapshot", "end"]
    assert messages[0][1]["param_count"] == 49
    snaps = [p for k, p in messages if k == "snapshot"]
    assert [s["step"] for s in snaps] == [10, 20, 30, 40]
    assert all(len(s["layers"]) == 3 for s in snaps)
    assert all(np.isfinite(np.asarray(s["layers"][0]["edges"])).all() for s in snaps)


def test_experiment_format_1_on_whole_number_classes_loads_as_classification(tmp_path,
                                                                             monkeypatch):
    """Saved before ``data.task`` existed, from a CSV of 30 whole-number labels of 10 rows
    each (which ``auto`` now reads as regression): it loads as the classification it was
    trained as. Its config names the CSV relatively (``classes30.csv``)."""
    for name in ("experiment-v1-classes30.nnvis", "classes30.csv"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    monkeypatch.chdir(tmp_path)
    assert load_dataset({"path": "classes30.csv", "label_column": "score"}, 0).task == \
        "regression"   # what a new experiment on this file would be
    trainer = load_experiment("experiment-v1-classes30.nnvis")
    assert trainer.step_count == 60
    assert trainer.config.get("data.task") == "classification"
    assert trainer.data.task == "classification" and trainer.data.n_classes == 30
    assert trainer.net.n_out == 30
    before = trainer.evaluate()["train_acc"]
    trainer.step(20)
    assert trainer.step_count == 80 and np.isfinite(before)
    save_experiment("again.nnvis", trainer)           # now format 2, the task pinned
    again = load_experiment("again.nnvis")
    assert again.data.task == "classification" and again.step_count == 80
