"""Arrays handed to the engine: a 1-D regression target is accepted wherever targets enter
(gradients, evaluate, a Dataset, a CSV run); any other misfit is one clear error naming the
expected and the given shape, never a broadcasting error from inside a layer."""
import json

import numpy as np
import pytest

from nnvis.cli import main as cli_main
from nnvis.core import ConfigError, Dataset, InputError, Trainer


@pytest.fixture(scope="module")
def regression():
    return Trainer({"seed": 2, "data": {"name": "sine", "n_samples": 80},
                    "model": {"hidden": [8], "loss": "mse"}})


@pytest.fixture(scope="module")
def classifier():
    return Trainer({"seed": 2, "data": {"name": "blobs", "classes": 3, "n_samples": 90},
                    "model": {"hidden": [8]}})


def test_a_1d_regression_target_gives_the_same_gradients_as_a_column(regression):
    X, y = regression.X_train[:20], regression.data.y_train[:20]
    assert y.shape == (20, 1)
    as_column = regression.gradients(X, y)
    flat = regression.gradients(X, y[:, 0])
    assert as_column.keys() == flat.keys()
    for name in as_column:
        np.testing.assert_array_equal(flat[name], as_column[name])


def test_evaluate_on_given_data_accepts_a_1d_regression_target(regression):
    X, y = regression.X_test, regression.data.y_test
    whole = regression.evaluate()
    for target in (y, y[:, 0], y[:, 0].astype(np.float64).tolist()):
        ev = regression.evaluate(X=X, y=target)
        assert ev["loss"] == pytest.approx(whole["test_loss"], rel=1e-6)
        assert np.isnan(ev["acc"])


def test_evaluate_on_given_data_for_classification(classifier):
    X, y = classifier.X_test, classifier.data.y_test
    whole = classifier.evaluate()
    ev = classifier.evaluate(X=X, y=y.astype(np.float64))   # whole-number floats are labels
    assert ev == pytest.approx({"loss": whole["test_loss"], "acc": whole["test_acc"]})


def test_a_dataset_with_a_1d_regression_target_trains():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (40, 1)).astype(np.float32)
    y = np.sin(3 * X[:, 0]).astype(np.float32)
    data = Dataset(name="mine", task="regression", X_train=X[:30], y_train=y[:30],
                   X_test=X[30:], y_test=y[30:], n_classes=0, feature_names=["x"],
                   class_names=[], mean=np.zeros(1), std=np.ones(1), bounds=(-1.1, 1.1))
    t = Trainer({"data": {"name": "sine"}, "model": {"hidden": [8], "loss": "mse"},
                 "optim": {"batch_size": 10}}, dataset=data)
    assert t.data.y_train.shape == (30, 1) and t.n_out == 1
    t.step(20)
    ev = t.evaluate()
    assert np.isfinite(ev["train_loss"]) and np.isfinite(ev["test_loss"])


@pytest.mark.parametrize("given, expected", [
    ((20, 3), "(20,) or (20, 1)"), ((19,), "(20,) or (20, 1)"), ((20, 1, 1), "(20,) or (20, 1)"),
])
def test_a_regression_target_that_does_not_fit_names_both_shapes(regression, given, expected):
    X = regression.X_train[:20]
    with pytest.raises(InputError) as err:
        regression.gradients(X, np.zeros(given, np.float32))
    assert str(err.value) == (f"y: expected shape {expected}: one regression target value per "
                              f"sample of X, got {given}")
    with pytest.raises(InputError, match=r"^y: expected shape \(20,\) or \(20, 1\)"):
        regression.evaluate(X=X, y=np.zeros(given, np.float32))


@pytest.mark.parametrize("X, message", [
    (np.zeros((5, 3)), r"X: expected shape \(n, 1\): n samples of 1 feature, got \(5, 3\)$"),
    (np.zeros(5), r"got \(5,\) \(one feature: reshape with X.reshape\(-1, 1\)\)"),
    (np.array([["a"]] * 5), r"X: must hold numbers \(got dtype <U1\)"),
    (np.array([[0.0], [np.nan], [1.0], [2.0], [3.0]]), r"X: must be finite \(row 1 holds NaN"),
])
def test_inputs_that_do_not_fit_are_refused_clearly(regression, X, message):
    for call in (lambda: regression.gradients(X, np.zeros(5)),
                 lambda: regression.evaluate(X=X, y=np.zeros(5)),
                 lambda: regression.predict_logits(X)):
        with pytest.raises(InputError, match=message):
            call()


def test_class_labels_that_do_not_fit_are_refused_clearly(classifier):
    X = classifier.X_train[:6]
    cases = [(np.zeros((6, 3)), r"y: expected shape \(6,\): one class label per sample of X, "
                                r"got \(6, 3\)"),
             (np.zeros(4, np.int64), r"expected shape \(6,\).*got \(4,\)"),
             (np.array([0, 1, 2, 3, 0, 1]), r"class labels must be in 0..2 \(got 3\)"),
             (np.array([0, 1, 2, -1, 0, 1]), r"class labels must be in 0..2 \(got -1\)"),
             (np.array([0, 1.5, 2, 0, 0, 1]), r"class labels must be whole numbers"),
             (np.array([0, 1, np.nan, 0, 0, 1]), r"class labels must be whole numbers")]
    for y, message in cases:
        with pytest.raises(InputError, match=message):
            classifier.gradients(X, y)


def test_input_errors_are_value_and_config_errors(regression):
    with pytest.raises(ValueError):
        regression.gradients(regression.X_train[:3], np.zeros((3, 2)))
    assert issubclass(InputError, ConfigError)


def test_a_dataset_whose_splits_do_not_fit_is_refused():
    X = np.zeros((10, 2), np.float32)
    data = Dataset(name="bad", task="regression", X_train=X, y_train=np.zeros(9),
                   X_test=X, y_test=np.zeros(10), n_classes=0, feature_names=["a", "b"],
                   class_names=[], mean=np.zeros(2), std=np.ones(2), bounds=())
    with pytest.raises(InputError, match=r"^dataset.y_train: expected shape \(10,\) or "
                                         r"\(10, 1\).*got \(9,\)"):
        Trainer({"data": {"name": "plane"}, "model": {"loss": "mse"}}, dataset=data)


def test_a_csv_regression_run_accepts_a_1d_target(tmp_path, capsys):
    """A float label column is a regression target; the run, its metrics and a 1-D target
    through the API all work."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-2, 2, (60, 2))
    target = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    csv = tmp_path / "reg.csv"
    csv.write_text("a,b,target\n" + "".join(f"{a},{b},{t}\n" for (a, b), t in zip(x, target)))
    cfg = tmp_path / "reg.json"
    cfg.write_text(json.dumps({"data": {"path": str(csv), "label_column": "target"},
                               "model": {"hidden": [8], "loss": "mse"}}))
    metrics = tmp_path / "m.jsonl"
    assert cli_main(["train", "--config", str(cfg), "--steps", "30", "--log-every", "30",
                     "--metrics", str(metrics)]) == 0
    rec = json.loads(metrics.read_text().splitlines()[-1])
    assert rec["train_loss"] > 0 and rec["test_loss"] > 0 and rec["train_acc"] is None
    assert capsys.readouterr().err == ""

    t = Trainer(json.loads(cfg.read_text()))
    assert t.data.task == "regression"
    X, y = t.X_train[:16], t.data.y_train[:16, 0]
    assert t.gradients(X, y).keys() == t.parameters().keys()
    assert np.isfinite(t.evaluate(X=X, y=y)["loss"])
