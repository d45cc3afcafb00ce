"""The trained network out of nnvis: PyTorch code and ONNX give nnvis's own outputs
(max |Δ| ≤ 1e-5 · max(1, |reference|), float32) and predictions, for every activation, loss
head, batch norm, residual, dropout and maxout."""
import importlib.util
import itertools

import numpy as np
import pytest

# Optional extras (CI installs them, so nothing is skipped there; see README).
torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

from nnvis.cli import main as cli_main
from nnvis.core import ACTIVATIONS, Config, Trainer
from nnvis.core.persistence import save_experiment
from nnvis.model_export import export_model
from real_data import three_species_csv, whole_number_regression_csv

TOLERANCE = 1e-5


def _trainer(steps=25, **sections):
    cfg = {"seed": 3, "data": {"name": "spiral", "n_samples": 90, "classes": 3},
           "model": {"hidden": [6, 6]}, "optim": {"name": "adam", "lr": 0.02, "batch_size": 16}}
    if "data" in sections:     # another data set: its own fields, not the spiral's
        cfg["data"] = {"n_samples": 90} if "path" not in sections["data"] else {}
    for key, value in sections.items():
        cfg.setdefault(key, {}).update(value)
    t = Trainer(Config.from_dict(cfg))
    t.step(steps)
    return t


def _import(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(got, want, what):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, what
    assert np.all(np.isfinite(got)), what
    bound = TOLERANCE * np.maximum(1.0, np.abs(want))
    worst = np.max(np.abs(got - want) - bound)
    assert worst <= 0, f"{what}: off by {np.max(np.abs(got - want)):.3g}"


def _probabilities(trainer, logits):
    from nnvis.core.losses import class_probabilities
    return class_probabilities(trainer.loss_name, logits.astype(np.float64))


def _check_exports(trainer, tmp_path, name):
    X = trainer.X_test[:40] if len(trainer.X_test) else trainer.X_train[:40]
    raw = trainer.data.inverse_transform(X)
    want = trainer.predict_logits(X)
    want_pred = trainer.predict(raw)

    py = _import(export_model(trainer, tmp_path / f"{name}.py")[0], f"exported_{name}")
    net = py.load()
    assert not net.training and [n for n, _ in net.named_children()] == \
        [b.name for b in trainer.net.blocks] + ["output"]
    with torch.no_grad():
        got = net(py.standardise(raw)).numpy()
    _close(got, want, f"{name}: PyTorch logits")
    pred = py.predict(raw, net)
    if trainer.classification:
        assert list(pred) == list(want_pred), name
    else:
        _close(pred, want_pred, f"{name}: PyTorch predictions in units")

    path = export_model(trainer, tmp_path / f"{name}.onnx")[0]
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    logits, prediction = session.run(None, {"features": raw.astype(np.float32)})
    _close(logits, want, f"{name}: ONNX logits")
    if trainer.classification and trainer.loss_name in ("cross_entropy", "binary_cross_entropy"):
        probs = _probabilities(trainer, want)
        got = prediction if trainer.loss_name == "cross_entropy" else prediction[:, 0]
        want_p = probs if trainer.loss_name == "cross_entropy" else probs[:, 1]
        _close(got, want_p, f"{name}: ONNX probabilities")
    elif not trainer.classification:
        _close(prediction[:, 0] if prediction.shape[1] == 1 else prediction, want_pred,
               f"{name}: ONNX predictions in units")
    nodes = {node.name.split("/")[0] for node in onnx.load(str(path)).graph.node}
    assert {b.name for b in trainer.net.blocks} <= nodes


@pytest.mark.parametrize("activation,variant",
                         list(itertools.product(ACTIVATIONS, ["plain", "bn+residual+dropout"])))
def test_every_activation_exports_to_pytorch_and_onnx(activation, variant, tmp_path):
    model = {"activation": activation}
    if variant != "plain":
        model.update(batch_norm=True, residual=True, dropout=0.3)
    _check_exports(_trainer(model=model), tmp_path, f"{activation}_{variant[:2]}")


@pytest.mark.parametrize("data,loss", [
    ({"name": "xor"}, "binary_cross_entropy"), ({"name": "blobs"}, "hinge"),
    ({"name": "blobs"}, "mse"), ({"name": "sine"}, "mse"), ({"name": "plane"}, "mse")])
def test_every_loss_head_exports(data, loss, tmp_path):
    t = _trainer(data=data, model={"loss": loss, "activation": "tanh", "batch_norm": True})
    _check_exports(t, tmp_path, f"{data['name']}_{loss}")


def test_a_real_csv_exports_with_its_names_and_units(tmp_path):
    species = _trainer(data={"name": "csv", "path": three_species_csv(tmp_path),
                             "label_column": "species"}, steps=80)
    _check_exports(species, tmp_path, "species")
    py = _import(tmp_path / "species.py", "species_names")
    assert py.FEATURES == ["sepal_l", "sepal_w", "petal_l", "petal_w"]
    assert py.CLASSES == ["setosa", "versicolor", "virginica"]
    rows = [dict(zip(py.FEATURES, r)) for r in species.data.inverse_transform(
        species.X_test[:5])]      # rows by feature name, as a dict reader gives them
    assert list(py.predict(rows)) == list(species.predict(species.data.inverse_transform(
        species.X_test[:5])))

    score = _trainer(data={"name": "csv", "path": whole_number_regression_csv(tmp_path),
                           "label_column": "score", "task": "regression"},
                     model={"activation": "relu", "loss": "mse"}, steps=80)
    _check_exports(score, tmp_path, "score")
    values = _import(tmp_path / "score.py", "score_units").predict(
        score.data.inverse_transform(score.X_test[:20]))
    assert 60 < np.mean(values) < 260       # the target's own units, not standardised ones


def test_the_command_line_exports_a_saved_experiment(tmp_path, capsys):
    t = _trainer()
    save_experiment(tmp_path / "run.nnvis", t)
    assert cli_main(["export", str(tmp_path / "run.nnvis"), "--to",
                     str(tmp_path / "model.py")]) == 0
    assert (tmp_path / "model_weights.npz").exists()
    assert cli_main(["export", str(tmp_path / "run.nnvis"), "--to",
                     str(tmp_path / "model.onnx")]) == 0
    assert "model.onnx" in capsys.readouterr().out
    assert cli_main(["export", str(tmp_path / "run.nnvis"), "--to",
                     str(tmp_path / "model.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and ".py" in err and len(err.splitlines()) == 1


def test_train_metrics_as_csv_is_one_flat_row_per_logged_step(tmp_path):
    import csv
    path = tmp_path / "run.csv"
    assert cli_main(["train", "--steps", "40", "--log-every", "10", "--set",
                     "model.hidden=[4,4]", "--metrics", str(path)]) == 0
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["step"] for r in rows] == ["10", "20", "30", "40"]
    assert {"train_loss", "test_acc", "hidden1.grad_norm_W", "output.update_ratio"} <= set(rows[0])
    assert "train_r2" not in rows[0]          # classification: no R² column of empty cells
    assert all(float(r["train_loss"]) > 0 for r in rows)


def test_a_data_file_named_with_quotes_and_backslashes_still_gives_a_valid_module(tmp_path):
    import json
    import shutil
    odd = tmp_path / 'we\\x"""ird.csv'
    shutil.copy(three_species_csv(tmp_path), odd)
    t = _trainer(data={"name": "csv", "path": str(odd), "label_column": "species"}, steps=5)
    module = _import(export_model(t, tmp_path / "odd.py")[0], "odd_name")
    assert 'we\\x"""ird.csv' in module.__doc__
    path = export_model(t, tmp_path / "odd.onnx")[0]
    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    assert json.loads(props["classes"]) == ["setosa", "versicolor", "virginica"]
