"""The command line on real data (issue 19): the task inferred and said, names in the
output, metrics in the target's units, early stopping, and ``nnvis predict``."""
import csv
import json

import pytest

from nnvis.cli import main
from real_data import three_species_csv, whole_number_regression_csv


def test_a_three_class_csv_trains_with_its_class_names_and_predicts_them(tmp_path, capsys):
    path = three_species_csv(tmp_path)
    run = str(tmp_path / "species.nnvis")
    assert main(["train", "--set", f"data.path={path}", "--set", "data.label_column=species",
                 "--set", "model.hidden=[8]", "--steps", "300", "--save", run]) == 0
    out = capsys.readouterr().out
    assert "note: data.task auto: label column 'species' holds text, read as 3 classes" in out
    assert "classes: 0 setosa, 1 versicolor, 2 virginica" in out
    assert "test accuracy of class virginica:" in out

    new = tmp_path / "new.csv"
    with open(path, encoding="utf-8") as fh:   # other column order, no label column
        rows = list(csv.DictReader(fh))[:12]
    order = ["petal_w", "sepal_l", "petal_l", "sepal_w"]
    new.write_text(",".join(order) + "\n" + "".join(",".join(r[c] for c in order) + "\n"
                                                    for r in rows))
    out_csv = tmp_path / "predictions.csv"
    assert main(["predict", run, str(new), "-o", str(out_csv)]) == 0
    with open(out_csv, encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert len(got) == 12 and list(got[0]) == order + ["prediction"]
    predicted = [g["prediction"] for g in got]
    assert set(predicted) <= {"setosa", "versicolor", "virginica"}
    assert sum(p == r["species"] for p, r in zip(predicted, rows)) >= 9


@pytest.fixture
def species_run(tmp_path, capsys):
    """A .nnvis trained for a few steps on the three-species CSV."""
    path = three_species_csv(tmp_path)
    run = str(tmp_path / "species.nnvis")
    assert main(["train", "--set", f"data.path={path}", "--set", "data.label_column=species",
                 "--set", "model.hidden=[4]", "--steps", "5", "--save", run]) == 0
    capsys.readouterr()
    return run


def test_predict_refuses_missing_and_extra_columns_in_one_line(tmp_path, capsys, species_run):
    run = species_run
    bad = tmp_path / "bad.csv"
    bad.write_text("sepal_l,sepal_w,petal_l,colour\n1,2,3,red\n")
    assert main(["predict", run, str(bad)]) == 2
    err = capsys.readouterr().err
    assert err == ("error: bad.csv must have the model's feature columns; missing: "
                   "petal_w; not in the model: colour\n")


def test_a_whole_number_target_trains_as_regression_with_r2_and_stops_early(tmp_path, capsys):
    path = whole_number_regression_csv(tmp_path)
    metrics = tmp_path / "m.jsonl"
    run = str(tmp_path / "score.nnvis")
    assert main(["train", "--set", f"data.path={path}", "--set", "data.label_column=score",
                 "--set", "model.loss=mse", "--set", "model.hidden=[32,32]",
                 "--set", "data.val_fraction=0.2", "--set", "optim.early_stopping=true",
                 "--set", "optim.eval_every=25", "--steps", "4000", "--log-every", "500",
                 "--metrics", str(metrics), "--save", run]) == 0
    out = capsys.readouterr().out
    assert "read as a regression target" in out
    assert "target: score (training mean" in out
    lines = [line for line in out.splitlines() if line.startswith("step")]
    assert " r2 train " in lines[-1] and " mae train " in lines[-1] and " val " in lines[-1]
    assert "stopped early at step" in out
    records = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert records[-1]["test_r2"] > 0.8 and records[-1]["test_acc"] is None
    assert isinstance(records[-1]["best_step"], int)

    out_csv = tmp_path / "p.csv"
    assert main(["predict", run, path, "-o", str(out_csv)]) == 0    # label column kept
    assert "against their score column: r2 0.9" in capsys.readouterr().out
    with open(out_csv, encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    error = sum(abs(float(g["prediction"]) - float(g["score"])) for g in got) / len(got)
    assert len(got) == 400 and error < 15


def test_predict_refuses_a_cell_that_is_not_a_number_naming_row_and_column(tmp_path, capsys,
                                                                          species_run):
    run = species_run
    bad = tmp_path / "bad.csv"
    bad.write_text("sepal_l,sepal_w,petal_l,petal_w\n1,2,3,4\n1,x,3,4\n")
    assert main(["predict", run, str(bad)]) == 2
    assert capsys.readouterr().err == "error: row 3, column 'sepal_w': 'x' is not a number\n"
