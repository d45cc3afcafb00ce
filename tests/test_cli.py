"""The headless command line, run in-process: metrics files, overrides, save/load, errors."""
import json

import pytest

from conftest import small_config
from nnvis.cli import main

LAYER_KEYS = {"name", "grad_norm_W", "grad_norm_act", "act_mean", "act_std", "dead_fraction",
              "saturated_fraction", "update_ratio"}


@pytest.fixture
def cfg_file(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(small_config()))
    return str(path)


def records(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_zero_steps_write_one_metrics_record(tmp_path, cfg_file, capsys):
    out = str(tmp_path / "m.jsonl")
    assert main(["train", "--config", cfg_file, "--steps", "0", "--metrics", out]) == 0
    [rec] = records(out)
    assert rec["step"] == 0
    for key in ("train_loss", "test_loss", "train_acc", "test_acc"):
        assert isinstance(rec[key], float)
    assert [layer["name"] for layer in rec["layers"]] == ["hidden1", "hidden2", "output"]
    for layer in rec["layers"]:
        assert LAYER_KEYS <= set(layer)
    assert capsys.readouterr().err == ""


def test_log_every_sets_the_number_of_records(tmp_path, cfg_file):
    out = str(tmp_path / "m.jsonl")
    assert main(["train", "--config", cfg_file, "--steps", "40", "--metrics", out,
                 "--log-every", "10"]) == 0
    assert [r["step"] for r in records(out)] == [10, 20, 30, 40]


def test_set_overrides_the_config(tmp_path, cfg_file, capsys):
    runs = {}
    for act in ("tanh", "relu"):
        out = str(tmp_path / f"{act}.jsonl")
        assert main(["train", "--config", cfg_file, "--steps", "10", "--log-every", "10",
                     "--metrics", out, "--set", f"model.activation={act}"]) == 0
        header = capsys.readouterr().out.splitlines()[0]
        assert f", {act}," in header
        runs[act] = records(out)[-1]["train_loss"]
    assert runs["tanh"] != runs["relu"]


def test_save_then_load_continues_exactly(tmp_path, cfg_file):
    saved = str(tmp_path / "run.nnvis")
    first, rest, whole = (str(tmp_path / f"{n}.jsonl") for n in ("first", "rest", "whole"))
    assert main(["train", "--config", cfg_file, "--steps", "23", "--log-every", "23",
                 "--metrics", first, "--save", saved]) == 0
    assert main(["train", "--load", saved, "--steps", "17", "--log-every", "17",
                 "--metrics", rest]) == 0
    assert main(["train", "--config", cfg_file, "--steps", "40", "--log-every", "20",
                 "--metrics", whole]) == 0
    a, b = records(rest)[-1], records(whole)[-1]
    assert a["step"] == b["step"] == 40
    for key in ("train_loss", "test_loss", "train_acc", "test_acc"):
        assert a[key] == b[key], key


def test_gradcheck_prints_the_max_relative_error(cfg_file, capsys):
    assert main(["gradcheck", "--config", cfg_file]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("max relative error")
    assert float(last.split()[-1]) < 1e-4


def bad_inputs(tmp_path):
    (tmp_path / "broken.json").write_text('{"optim": {"lr": 0.1,}}')
    (tmp_path / "corrupt.nnvis").write_bytes(b"PK\x03\x04" + bytes(200))
    return {
        "unknown field": ["--set", "optim.speed=3"],
        "lr zero": ["--set", "optim.lr=0"],
        "lr negative": ["--set", "optim.lr=-0.5"],
        "lr NaN": ["--set", "optim.lr=NaN"],
        "lr infinite": ["--set", "optim.lr=Infinity"],
        "dropout 1": ["--set", "model.dropout=1"],
        "zero units": ["--set", "model.hidden=[8,0]"],
        "batch > data": ["--set", "optim.batch_size=5000"],
        "unknown activation": ["--set", "model.activation=swish"],
        "missing config": ["--config", str(tmp_path / "nope.json")],
        "invalid JSON config": ["--config", str(tmp_path / "broken.json")],
        "missing CSV": ["--set", f"data.path={tmp_path / 'gone.csv'}",
                        "--set", "data.label_column=label"],
        "corrupt .nnvis": ["--load", str(tmp_path / "corrupt.nnvis")],
        "missing .nnvis": ["--load", str(tmp_path / "gone.nnvis")],
        "not an assignment": ["--set", "optim.lr"],
    }


BAD_CASES = ["unknown field", "lr zero", "lr negative", "lr NaN", "lr infinite", "dropout 1",
             "zero units", "batch > data", "unknown activation", "missing config",
             "invalid JSON config", "missing CSV", "corrupt .nnvis", "missing .nnvis",
             "not an assignment"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_exits_2_with_one_error_line(tmp_path, capsys, case):
    args = bad_inputs(tmp_path)[case]
    out = str(tmp_path / "m.jsonl")
    assert main(["train", *args, "--steps", "5", "--metrics", out]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err


def test_bad_gradcheck_config_exits_2(capsys):
    assert main(["gradcheck", "--set", "optim.lr=-1"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: optim.lr")
