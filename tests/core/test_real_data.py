"""Real data read right (issue 19): the task a CSV's labels ask for and why, a regression
target in its own units, the data's names, a validation split with early stopping, the
initial weights seeded apart, predictions on new rows, and CSV refusals as codes."""
import dataclasses

import numpy as np
import pytest

from helpers import small_config
from real_data import three_species_csv, whole_number_regression_csv, write_csv
from nnvis.core import Config, ConfigError, DataError, Trainer, fitting_loss, take_snapshot
from nnvis.core.data import class_indices, infer_task, load_dataset
from nnvis.core.persistence import format_1_task, load_experiment, save_experiment
from nnvis.core.refusals import ENGLISH
from nnvis.core.snapshot_schema import SNAPSHOT, panel_fields
from nnvis.core.fields import check_record


def csv_config(path, label, **data):
    return {"seed": 0, "data": {"path": path, "label_column": label, **data},
            "model": {"hidden": [16]}, "optim": {"batch_size": 32}}


# ---- 1. the task, inferred and said -------------------------------------------------------

def test_auto_reads_diabetes_like_whole_numbers_as_regression_and_class_labels_as_classes():
    rng = np.random.default_rng(0)
    # scikit-learn's diabetes target: 442 rows, 214 distinct whole numbers in 25..346.
    values = rng.choice(np.arange(25, 347), 214, replace=False)
    diabetes = [str(v) for v in np.concatenate([values, rng.choice(values, 442 - 214)])]
    assert infer_task(diabetes)[:2] == ("regression", "task_sparse_values")
    iris = [str(k) for k in np.repeat([0, 1, 2], 50)]
    wine = [str(k) for k in np.repeat([0, 1, 2], [59, 71, 48])]
    cancer = [str(k) for k in np.repeat([0, 1], [212, 357])]
    for labels in (iris, wine, cancer):
        assert infer_task(labels)[:2] == ("classification", "task_few_values")
    assert infer_task(["a", "b"] * 40)[:2] == ("classification", "task_text_labels")
    assert infer_task([f"{i / 3:.3f}" for i in range(40)])[0] == "regression"
    digits_like = [str(k) for k in np.repeat(np.arange(12), 30)]
    assert infer_task(digits_like)[:2] == ("classification", "task_many_classes")
    assert infer_task(diabetes, "classification") == ("classification", "task_set",
                                                      {"task": "classification"})


def test_the_trainer_says_what_it_inferred_and_why(tmp_path):
    t = Trainer(csv_config(whole_number_regression_csv(tmp_path), "score",
                           task="auto") | {"model": {"hidden": [8], "loss": "mse"}})
    assert t.data.task == "regression" and t.net.n_out == 1
    [note] = t.notes
    assert note.code == "task_sparse_values" and note.params["column"] == "score"
    assert "read as a regression target" in note
    assert t.data.task_params["min_rows"] == 20
    forced = Trainer(csv_config(t.config.get("data.path"), "score", task="classification"))
    assert forced.data.task == "classification" and forced.data.n_classes > 100
    assert forced.notes == []   # asked for, not inferred


def test_regression_with_a_class_loss_is_still_refused_and_fitting_loss_names_the_fix(tmp_path):
    path = whole_number_regression_csv(tmp_path)
    with pytest.raises(ConfigError, match="model.loss") as err:
        Trainer(csv_config(path, "score"))   # cross_entropy, the default
    assert err.value.code == "loss_regression"
    assert err.value.reason == "score.csv is a regression set: use mse (got cross_entropy)"
    loss, note = fitting_loss("regression", "cross_entropy")
    assert loss == "mse" and note.code == "loss_for_task"
    assert note == "a regression target: model.loss cross_entropy switched to mse"
    assert fitting_loss("classification", "mse")[0] == "cross_entropy"
    assert fitting_loss("classification", "hinge") == ("hinge", None)
    assert fitting_loss("regression", "mse") == ("mse", None)


def test_a_text_label_column_cannot_be_a_regression_target(tmp_path):
    path = three_species_csv(tmp_path)
    with pytest.raises(DataError) as err:
        load_dataset({"path": path, "label_column": "species", "task": "regression"}, 0)
    assert err.value.path == "data.task" and err.value.code == "csv_label_not_number"


def test_a_built_in_set_keeps_its_own_task():
    with pytest.raises(ConfigError, match="data.task: spiral is a classification set"):
        Trainer(small_config(data__name="spiral", data__task="regression"))
    assert Trainer(small_config(data__task="classification")).data.task == "classification"


def test_a_csv_experiment_is_saved_with_its_task_pinned(tmp_path):
    path = whole_number_regression_csv(tmp_path)
    t = Trainer(csv_config(path, "score") | {"model": {"hidden": [4], "loss": "mse"}})
    t.step(5)
    save_experiment(tmp_path / "run.nnvis", t)
    loaded = load_experiment(tmp_path / "run.nnvis")
    assert loaded.config.get("data.task") == "regression"
    assert loaded.config.get("data.normalize_target") is True
    assert loaded.data.task_reason == "task_set"
    np.testing.assert_array_equal(loaded.parameters()["output.W"], t.parameters()["output.W"])


def test_a_format_1_manifest_gets_the_task_it_was_trained_as():
    def manifest(loss, width, data=None):
        return {"config": {"data": data or {"path": "x.csv", "label_column": "y"},
                           "model": {"loss": loss}},
                "arrays": {"params/output.W": {"shape": [8, width]}}}

    for loss, width, task in (("mse", 1, "regression"), ("mse", 3, "classification"),
                              ("cross_entropy", 30, "classification"),
                              ("binary_cross_entropy", 1, "classification")):
        data = format_1_task(manifest(loss, width))["data"]
        assert data["task"] == task and data["normalize_target"] is False
    assert format_1_task({"config": "damaged"}) == "damaged"   # refused later, as before


def test_labels_of_new_rows_are_read_as_the_training_labels_were():
    assert class_indices(["b", "a", " b"], ["a", "b"]).tolist() == [1, 0, 1]
    assert class_indices(["1.0", "0", "2"], ["0", "1", "2"]).tolist() == [1, 0, 2]
    assert class_indices(["a", "c"], ["a", "b"]) is None


# ---- 2. regression as users expect --------------------------------------------------------

def test_the_target_is_standardised_and_metrics_are_in_its_units(tmp_path):
    t = Trainer(csv_config(whole_number_regression_csv(tmp_path), "score")
                | {"model": {"hidden": [8], "loss": "mse"}})
    d = t.data
    assert np.allclose(t.T_train.mean(axis=0), 0, atol=1e-5)
    assert np.allclose(t.T_train.std(axis=0), 1, atol=1e-4)
    assert d.y_train.min() >= 40 and float(d.y_std[0]) > 10      # units kept on the data
    t.step(200)
    ev = t.evaluate()
    pred = t.predict(d.inverse_transform(d.X_test))
    true = d.y_test[:, 0].astype(np.float64)
    r2 = 1 - ((true - pred) ** 2).sum() / ((true - true.mean()) ** 2).sum()
    assert ev["test_r2"] == pytest.approx(r2, rel=1e-4)
    assert ev["test_mae"] == pytest.approx(np.abs(true - pred).mean(), rel=1e-4)
    assert np.isnan(ev["test_acc"]) and np.isnan(ev["val_loss"])
    cls = Trainer(small_config()).evaluate()
    assert np.isnan(cls["test_r2"]) and np.isnan(cls["train_mae"])


def test_early_stopping_on_validation_beats_least_squares_on_a_non_linear_target(tmp_path):
    cfg = {"seed": 0, "data": {"path": whole_number_regression_csv(tmp_path),
                               "label_column": "score", "val_fraction": 0.2},
           "model": {"hidden": [32, 32], "activation": "tanh", "loss": "mse"},
           "optim": {"lr": 0.01, "batch_size": 32, "early_stopping": True, "patience": 10,
                     "eval_every": 25}}
    t = Trainer(cfg)
    assert t.data.task == "regression"
    t.step(4000)
    assert t.early_stop is not None and t.step_count < 4000
    d = t.data
    A = np.column_stack([d.X_train, np.ones(len(d.X_train))]).astype(np.float64)
    w, *_ = np.linalg.lstsq(A, d.y_train[:, 0].astype(np.float64), rcond=None)
    linear = np.column_stack([d.X_test, np.ones(len(d.X_test))]) @ w
    true = d.y_test[:, 0].astype(np.float64)
    linear_r2 = 1 - ((true - linear) ** 2).sum() / ((true - true.mean()) ** 2).sum()
    assert t.evaluate()["test_r2"] >= linear_r2   # measured: 0.967 vs 0.351


def test_more_than_two_inputs_are_viewed_as_predicted_vs_true_or_on_principal_axes(tmp_path):
    reg = Trainer(csv_config(whole_number_regression_csv(tmp_path), "score")
                  | {"model": {"hidden": [8], "loss": "mse"}})
    reg.step(50)
    snap = take_snapshot(reg)
    pt = snap["pred_true"]
    assert pt["test_true"].shape == pt["test_pred"].shape == (len(reg.X_test),)
    np.testing.assert_allclose(pt["test_true"], reg.data.y_test[:, 0])
    np.testing.assert_allclose(pt["test_pred"], reg.predict(reg.data.inverse_transform(
        reg.X_test)), rtol=1e-5)
    assert snap.get("pca") is None and snap["target_std"][0] == pytest.approx(reg.data.y_std[0])

    cls = Trainer(csv_config(three_species_csv(tmp_path), "species"))
    cls.step(100)
    snap = take_snapshot(cls)
    pca = snap["pca"]
    centre, axes = cls.data.pca
    assert pca["axes"].shape == (2, 4)
    np.testing.assert_allclose(axes @ axes.T, np.eye(2), atol=1e-9)
    assert pca["train_xy"].shape == (len(cls.X_train), 2)
    # The first axis carries the most variance of the training inputs.
    assert pca["train_xy"][:, 0].var() >= pca["train_xy"][:, 1].var()
    assert (pca["test_pred"] == pca["test_class"]).mean() > 0.8
    assert pca["grid_label"].shape == pca["grid_conf"].shape and pca["grid_label"].max() <= 2
    check_record(dict(snap, running=False), panel_fields(SNAPSHOT), "snapshot")


# ---- 3. names ------------------------------------------------------------------------------

def test_the_csv_names_reach_the_snapshot(tmp_path):
    t = Trainer(csv_config(three_species_csv(tmp_path), "species"))
    snap = take_snapshot(t, grid=False)
    assert snap["feature_names"] == ["sepal_l", "sepal_w", "petal_l", "petal_w"]
    assert snap["class_names"] == ["setosa", "versicolor", "virginica"]
    assert snap["task_reason"] == "task_text_labels" and snap["task_params"]["values"] == 3


# ---- 4. validation and early stopping ------------------------------------------------------

def test_the_validation_split_is_carved_from_the_training_data(tmp_path):
    path = three_species_csv(tmp_path)
    whole = load_dataset({"path": path, "label_column": "species"}, 0)
    split = load_dataset({"path": path, "label_column": "species", "val_fraction": 0.25}, 0)
    assert len(whole.X_train) == 120 and len(split.X_train) == 90 and len(split.X_val) == 30
    np.testing.assert_array_equal(split.y_test, whole.y_test)           # the test set is kept
    assert len(whole.X_val) == 0
    with pytest.raises(ConfigError, match="optim.early_stopping: needs a validation set"):
        Config.from_dict({"optim": {"early_stopping": True}})


def early_stopping_trainer(dataset=None):
    cfg = small_config(data__name="spiral", data__n_samples=200, data__noise=0.4,
                       data__val_fraction=0.25, model__hidden=[32, 32],
                       optim__lr=0.03, optim__early_stopping=True, optim__patience=3,
                       optim__eval_every=20)
    return Trainer(cfg, dataset)


def test_early_stopping_restores_the_best_weights_and_never_looks_at_the_test_set():
    t = early_stopping_trainer()
    t.step(5000)
    stop = t.early_stop
    assert stop is not None and stop["step"] == t.step_count < 5000
    assert stop["best_step"] < stop["step"] and stop["code"] == "stopped_early"
    assert stop["message"] == (f"stopped early at step {stop['step']}: the validation loss did "
                               f"not improve for 3 evaluations; best step {stop['best_step']} "
                               f"restored (validation loss {stop['best_val_loss']:.4g})")
    best = t.early_stopping_state()["params"]
    for name, value in t.parameters().items():
        np.testing.assert_array_equal(value, best[name])
    val = t.evaluate()["val_loss"]
    assert val == pytest.approx(stop["best_val_loss"], rel=1e-6)
    assert t.step(10)["stopped_early"] and t.step_count == stop["step"]   # stays stopped
    assert take_snapshot(t, grid=False)["best_step"] == stop["best_step"]

    # The same data with the test labels shuffled: the very same stop and weights.
    data = t.data
    shuffled = dataclasses.replace(data, y_test=np.random.default_rng(1).permutation(
        data.y_test))
    u = early_stopping_trainer(shuffled)
    u.step(5000)
    assert u.early_stop["step"] == stop["step"] and u.early_stop["best_step"] == stop["best_step"]
    t.resume()
    assert t.early_stop is None and t.step(5)["step"] == stop["step"] + 5


def test_an_early_stop_and_the_best_weights_survive_save_and_load(tmp_path):
    t = early_stopping_trainer()
    t.step(5000)
    save_experiment(tmp_path / "es.nnvis", t)
    u = load_experiment(tmp_path / "es.nnvis")
    assert u.early_stop == t.early_stop
    a, b = t.early_stopping_state(), u.early_stopping_state()
    for name, value in a["params"].items():
        np.testing.assert_array_equal(value, b["params"][name])
    t.resume(), u.resume()
    t.step(60), u.step(60)
    for name, value in t.parameters().items():
        np.testing.assert_array_equal(value, u.parameters()[name])
    assert t.early_stopping_state()["best_step"] == u.early_stopping_state()["best_step"]


# ---- 5. the initial weights seeded apart ----------------------------------------------------

def test_init_seed_varies_the_weights_alone():
    base = Trainer(small_config())
    same = Trainer(small_config(model__init_seed=small_config()["seed"]))
    other = Trainer(small_config(model__init_seed=99))
    moved = Trainer(small_config(seed=5, model__init_seed=small_config()["seed"]))
    for name, w in base.parameters().items():
        np.testing.assert_array_equal(w, same.parameters()[name])
        np.testing.assert_array_equal(w, moved.parameters()[name])   # other data, same weights
    assert not np.array_equal(base.parameters()["hidden1.W"], other.parameters()["hidden1.W"])
    np.testing.assert_array_equal(base.X_train, other.X_train)          # same data
    assert not np.array_equal(base.X_train, moved.X_train)


# ---- 6. predictions on new rows -------------------------------------------------------------

def test_predict_gives_class_names_for_raw_rows(tmp_path):
    t = Trainer(csv_config(three_species_csv(tmp_path), "species"))
    t.step(200)
    raw = t.data.inverse_transform(t.X_test)
    names = t.predict(raw)
    assert names.shape == (len(raw),) and set(names) <= {"setosa", "versicolor", "virginica"}
    truth = np.asarray(t.data.class_names)[t.data.y_test]
    assert (names == truth).mean() == pytest.approx(t.evaluate()["test_acc"])
    with pytest.raises(ValueError):
        t.predict(raw[:, :3])


# ---- 7. CSV refusals are codes ---------------------------------------------------------------

@pytest.mark.parametrize("text, code, params, english", [
    ("a,b,label\n" + "1,2,0\n" * 3 + "1,x,1\n" + "1,2,1\n" * 5, "csv_not_number",
     {"row": 5, "column": "b", "index": 2, "value": "'x'"},
     "row 5, column 'b': 'x' is not a number"),
    ("a,label\n" + "1,0\n2,1\n3,0\n", "csv_few_rows",
     {"file": "d.csv", "rows": 3, "least": 8}, "d.csv has only 3 data rows; at least 8 are needed"),
])
def test_csv_refusals_are_codes_with_params(tmp_path, text, code, params, english):
    path = tmp_path / "d.csv"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        load_dataset({"path": str(path), "label_column": "label"}, 0)
    exc = err.value
    assert exc.code == code and exc.params == params and exc.reason == english
    assert str(exc) == f"data.path: {english}" and str(exc).code == code
    assert ENGLISH[code](exc.params) == english


def test_a_target_too_large_to_standardise_is_refused_with_a_code(tmp_path):
    rows = [[i, f"{i + 0.25}"] for i in range(20)]
    rows[3][1] = "1e300"
    path = write_csv(tmp_path / "big.csv", ["x", "y"], rows)
    with pytest.raises(DataError) as err:
        load_dataset({"path": path, "label_column": "y"}, 0, "float64")
    assert err.value.code == "csv_overflow" and err.value.params["purpose"] == "standardise"
    assert err.value.reason == ("the label column holds numbers too large to standardise "
                                "(up to 1e+300): rescale it")
    assert err.value.summary == "the label column holds numbers too large to standardise"
