"""Every config field is validated: a bad value is refused with the field's path and why."""
import json

import pytest

from nnvis.core import Config, ConfigError
from nnvis.core.config import CONFIG_VERSION, DEFAULTS

NAN, INF = float("nan"), float("inf")

# path -> bad values (each must be refused naming that path)
BAD = {
    "version": [2, 0, "1", True, 1.0, None],
    "seed": [-1, 2**32, 1.5, "0", True, NAN],
    "dtype": ["float16", "f4", None],
    "data.name": ["mnist", "", 3, None],
    "data.path": ["", 5, ["a.csv"]],
    "data.label_column": ["", 7, ["label"]],
    "data.n_samples": [0, 7, 200_001, 10.5, "100", NAN],
    "data.noise": [-0.1, 10.5, INF, NAN, "0.1", None],
    "data.classes": [1, 11, 2.5, True],
    "data.train_fraction": [0, 1.5, 1.0001, -0.2, NAN],
    "data.normalize": [1, "yes", None],
    "data.task": ["Regression", "", None, 1],
    "data.val_fraction": [1, -0.1, NAN, "0.2", None],
    "data.normalize_target": [1, "yes"],
    "model.hidden": ["16,16", 16, [8] * 33, [8, 0], [-1], [4097], [2.5], [True], [None]],
    "model.activation": ["swish", "ReLU", None, 1],
    "model.init": ["glorot", "", None],
    "model.init_scale": [-1, 1e4, INF, NAN, "1"],
    "model.init_seed": [-1, 2**32, 1.5, "0", True],
    "model.batch_norm": [0, "true", None],
    "model.dropout": [1, 1.0, -0.1, 2, NAN, "0.5"],
    "model.residual": [1, "no"],
    "model.loss": ["nll", "", None],
    "optim.name": ["adagrad", "SGD", None],
    "optim.lr": [0, -0.5, NAN, INF, -INF, 1e5, "0.1", None, True],
    "optim.momentum": [1, 1.5, -0.1, NAN],
    "optim.batch_size": [0, -4, 100_001, 8.5, "32", None],
    "optim.l1": [-1e-3, 101, NAN, INF],
    "optim.l2": [-1e-3, 101, NAN, INF],
    "optim.clip_norm": [0, -1, INF, NAN, "1"],
    "optim.early_stopping": [1, "true", None],
    "optim.patience": [0, 1.5, None],
    "optim.eval_every": [0, -1, 2.5, None],
}


def leaf_paths(d, prefix=""):
    for key, value in d.items():
        if isinstance(value, dict):
            yield from leaf_paths(value, f"{prefix}{key}.")
        else:
            yield prefix + key


def test_every_field_has_rejection_cases():
    assert set(BAD) == set(leaf_paths(DEFAULTS))


def nested(path, value):
    *parents, last = path.split(".")
    out = node = {}
    for p in parents:
        node = node.setdefault(p, {})
    node[last] = value
    return out


@pytest.mark.parametrize("path,value", [(p, v) for p, vs in BAD.items() for v in vs],
                         ids=lambda x: repr(x)[:20])
def test_a_bad_value_is_refused_with_its_path(path, value):
    cfg = nested(path, value)
    if path == "data.label_column":
        cfg["data"]["path"] = "points.csv"  # the label column matters for a CSV
    with pytest.raises(ConfigError) as info:
        Config.from_dict(cfg)
    # A list element is named by its index: model.hidden[1].
    assert info.value.path == path or info.value.path.startswith(path + "[")
    assert str(info.value).startswith(f"{info.value.path}: ") and info.value.reason
    # The same through with_changes (live edits) and through JSON (files).
    if path != "data.label_column":
        with pytest.raises(ConfigError, match=rf"^{path.replace('.', '[.]')}"):
            Config().with_changes({path: value})
    if value == value and value not in (INF, -INF):  # JSON has no NaN/inf
        with pytest.raises(ConfigError) as again:
            Config.from_json(json.dumps(cfg))
        assert again.value.path == info.value.path


def test_defaults_and_boundaries_are_accepted():
    cfg = Config()
    assert cfg.get("version") == CONFIG_VERSION and cfg.to_dict() == Config(cfg.to_dict()).to_dict()
    Config.from_dict({"model": {"dropout": 0.99, "hidden": []}, "optim": {"momentum": 0.0,
                      "lr": 1e4, "clip_norm": None}, "data": {"label_column": None}})


@pytest.mark.parametrize("cfg,path", [
    ({"bogus": 1}, "bogus"), ({"model": {"layers": [4]}}, "model.layers"),
    ({"optim": 3}, "optim"), ({"data": {"path": "x.csv"}}, "data.label_column"),
    ({"data": {"label_column": ["y"]}}, "data.label_column"),  # checked without a CSV too
])
def test_unknown_or_misshapen_fields_are_named(cfg, path):
    with pytest.raises(ConfigError) as info:
        Config.from_dict(cfg)
    assert info.value.path == path


def test_unknown_paths_and_non_string_paths_in_changes():
    with pytest.raises(ConfigError, match="optim.nope: unknown field"):
        Config().with_changes({"optim.nope": 1})
    with pytest.raises(ConfigError, match="field names are dotted strings"):
        Config().with_changes({3: 1})


def test_bad_json_is_one_clear_error():
    with pytest.raises(ConfigError, match="not valid JSON.*line 2"):
        Config.from_json('{"optim":\n {"lr": 0.1,}}')
    with pytest.raises(ConfigError, match="a config must be a JSON object"):
        Config.from_json("[1, 2]")


# Texts that once escaped as OverflowError, ValueError or RecursionError: a traceback where
# one ConfigError line was promised.
HOSTILE_JSON = {
    "401-digit seed": ('{"seed": 1' + "0" * 400 + "}", "seed"),
    "401-digit width": ('{"model": {"hidden": [1' + "0" * 400 + "]}}", "model.hidden[0]"),
    "401-digit rate": ('{"optim": {"lr": -1' + "0" * 400 + "}}", "optim.lr"),
    "5,000-digit seed": ('{"seed": 1' + "0" * 5000 + "}", ""),
    "nested 100,000 deep": ('{"seed": ' + "[" * 100_000 + "]" * 100_000 + "}", ""),
    "a field name with a line break": ('{"optim": {"l\\nr": 1}}', "optim.l\nr"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_JSON))
def test_hostile_json_is_one_config_error_line_naming_the_file(tmp_path, case):
    text, path = HOSTILE_JSON[case]
    file = tmp_path / "hostile.json"
    file.write_text(text)
    with pytest.raises(ConfigError) as info:
        Config.from_file(file)
    message = str(info.value)
    assert info.value.path == path
    assert len(message.splitlines()) == 1 and len(message) < 300, message
    if not path:  # the document as a whole: which file it is matters
        assert str(file) in message


def test_a_config_file_with_a_utf8_bom_is_read(tmp_path):
    file = tmp_path / "bom.json"
    file.write_bytes(b"\xef\xbb\xbf" + json.dumps({"optim": {"lr": 0.5}}).encode())
    assert Config.from_file(file).get("optim.lr") == 0.5
    assert Config.from_json("\ufeff{}") == Config()


def test_a_refusal_is_data_too_and_keeps_it_through_the_trainers_pipe():
    """The app translates a refusal by its code and params, not by parsing the English,
    which stays byte for byte what the CLI prints."""
    import pickle
    with pytest.raises(ConfigError) as refused:
        Config().with_changes({"optim.lr": -1})
    exc = refused.value
    assert (exc.path, exc.code) == ("optim.lr", "number")
    assert exc.params == {"integer": False, "low": 0, "high": 1e4, "low_open": True,
                          "high_open": False, "value": "-1"}
    message = pickle.loads(pickle.dumps(str(exc)))   # as the session emits it
    assert message == "optim.lr: must be a finite number > 0 and <= 10000.0 (got -1)"
    assert (message.path, message.code, message.params) == (exc.path, exc.code, exc.params)
    assert message.reason == exc.reason and str(message) is message


def test_the_schema_table_is_the_one_source_of_fields_and_defaults():
    from nnvis.core.config import FIELDS
    from nnvis.core.schema import Field
    fields = [f for f in FIELDS if isinstance(f, Field)]
    assert [f.path for f in fields] == list(leaf_paths(DEFAULTS))
    assert all(f.doc.strip() for f in FIELDS)
    assert Config().to_dict() == DEFAULTS
