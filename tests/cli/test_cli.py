"""The headless command line, run in-process: metrics files, overrides, save/load, errors."""
import json

import pytest

from helpers import small_config
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
    (tmp_path / "digits401.json").write_text('{"seed": 1' + "0" * 400 + "}")
    (tmp_path / "digits5000.json").write_text('{"seed": 1' + "0" * 5000 + "}")
    (tmp_path / "deep.json").write_text('{"seed": ' + "[" * 100_000 + "]" * 100_000 + "}")
    return {
        "401-digit integer": ["--config", str(tmp_path / "digits401.json")],
        "5,000-digit integer": ["--config", str(tmp_path / "digits5000.json")],
        "nested 100,000 deep": ["--config", str(tmp_path / "deep.json")],
        "deep --set value": ["--set", "seed=" + "[" * 100_000],
        "line break in a path": ["--set", "data.path=a\nb.csv", "--set", "data.label_column=y"],
        "unknown field": ["--set", "optim.speed=3"],
        "lr zero": ["--set", "optim.lr=0"],
        "lr negative": ["--set", "optim.lr=-0.5"],
        "lr NaN": ["--set", "optim.lr=NaN"],
        "lr infinite": ["--set", "optim.lr=Infinity"],
        "dropout 1": ["--set", "model.dropout=1"],
        "zero units": ["--set", "model.hidden=[8,0]"],
        "batch zero": ["--set", "optim.batch_size=0"],
        "unknown activation": ["--set", "model.activation=swish"],
        "missing config": ["--config", str(tmp_path / "nope.json")],
        "invalid JSON config": ["--config", str(tmp_path / "broken.json")],
        "missing CSV": ["--set", f"data.path={tmp_path / 'gone.csv'}",
                        "--set", "data.label_column=label"],
        "corrupt .nnvis": ["--load", str(tmp_path / "corrupt.nnvis")],
        "missing .nnvis": ["--load", str(tmp_path / "gone.nnvis")],
        "not an assignment": ["--set", "optim.lr"],
    }


BAD_CASES = ["401-digit integer", "5,000-digit integer", "nested 100,000 deep",
             "deep --set value", "line break in a path", "unknown field", "lr zero", "lr negative", "lr NaN", "lr infinite", "dropout 1",
             "zero units", "batch zero", "unknown activation", "missing config",
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


@pytest.mark.parametrize("argv", [
    ["train", "--steps", "abc"], ["train", "--bogus"], ["frobnicate"],
    ["train", "--config", "a.json", "--preset", "xor"], ["gradcheck", "--set"],
])
def test_usage_mistakes_are_one_error_line_too(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert captured.out == ""


def test_continuing_refuses_a_second_config_or_a_change_that_drops_the_weights(tmp_path,
                                                                               cfg_file, capsys):
    saved = str(tmp_path / "run.nnvis")
    assert main(["train", "--config", cfg_file, "--steps", "5", "--save", saved]) == 0
    capsys.readouterr()
    for extra, fragment in ((["--config", cfg_file], "--load"),
                            (["--preset", "xor"], "--load"),
                            (["--set", "model.hidden=[3]"], "model.hidden")):
        assert main(["train", "--load", saved, "--steps", "5", *extra]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and fragment in err[0]
    # A live field is fine: the loaded weights carry on.
    out = str(tmp_path / "m.jsonl")
    assert main(["train", "--load", saved, "--steps", "5", "--log-every", "5",
                 "--set", "optim.lr=0.001", "--metrics", out]) == 0
    assert records(out)[-1]["step"] == 10


def test_progress_lines_are_readable(cfg_file, capsys):
    assert main(["train", "--config", cfg_file, "--steps", "20", "--log-every", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("nnvis train: xor, hidden [6, 6], tanh, adam")
    for line in out[1:3]:
        words = line.split()
        assert words[:4] == ["step", words[1], "loss", "train"] and "acc" in words
        assert all(len(w) <= 9 for w in words)  # 4 significant digits, not 17
    regression = main(["train", "--set", "data.name=sine", "--set", "model.loss=mse",
                       "--steps", "10", "--log-every", "10"])
    assert regression == 0
    line = capsys.readouterr().out.splitlines()[1]
    assert "loss train" in line and "acc" not in line  # no accuracy for regression


def test_a_net_without_hidden_layers_says_so(capsys):
    assert main(["train", "--preset", "xor", "--steps", "0"]) == 0
    assert "no hidden layer" in capsys.readouterr().out.splitlines()[0]


def test_gradcheck_lists_every_parameter_and_passes_for_maxout_bn_residual(tmp_path, capsys):
    cfg = small_config(dtype="float64", model__activation="maxout", model__batch_norm=True,
                       model__residual=True, model__dropout=0.3)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(cfg))
    assert main(["gradcheck", "--config", str(path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    names = [line.split()[0] for line in lines[1:-1]]
    assert names == ["hidden1.W", "hidden1.b", "hidden1.gamma", "hidden1.beta", "hidden2.W",
                     "hidden2.b", "hidden2.gamma", "hidden2.beta", "output.W", "output.b"]
    assert float(lines[-1].split()[-1]) < 1e-7


def test_a_config_file_with_a_utf8_bom_trains(tmp_path, capsys):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(small_config()).encode())
    assert main(["train", "--config", str(path), "--steps", "3"]) == 0
    assert capsys.readouterr().err == ""
