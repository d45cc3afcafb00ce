"""One validated, versioned JSON document describes an experiment.

A bad value raises :class:`ConfigError` naming the field's dotted path and the reason,
e.g. ``optim.lr: must be a finite number > 0 (got -1)``.
"""
from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path

from .files import not_a_regular_file

CONFIG_VERSION = 1
#: A config is a few hundred bytes; a file far larger is not one (and is not read whole).
MAX_CONFIG_BYTES = 1 << 20

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu",
               "elu", "softplus", "maxout")
INITS = ("zeros", "constant", "normal", "uniform", "xavier", "xavier_uniform", "he", "lecun")
LOSSES = ("mse", "binary_cross_entropy", "cross_entropy", "hinge")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
DATASETS = ("circle", "xor", "gaussian", "spiral", "moons", "checkerboard", "blobs",
            "sine", "plane", "digits")
DTYPES = ("float32", "float64")

DEFAULTS: dict = {
    "version": CONFIG_VERSION,
    "seed": 0,
    "dtype": "float32",
    "data": {
        "name": "spiral",
        "path": None,
        "label_column": None,
        "n_samples": 400,
        "noise": 0.1,
        "classes": 2,
        "train_fraction": 0.8,
        "normalize": True,
    },
    "model": {
        "hidden": [16, 16, 16],
        "activation": "tanh",
        "init": "xavier",
        "init_scale": 1.0,
        "batch_norm": False,
        "dropout": 0.0,
        "residual": False,
        "loss": "cross_entropy",
    },
    "optim": {
        "name": "adam",
        "lr": 0.01,
        "momentum": 0.9,
        "batch_size": 32,
        "l1": 0.0,
        "l2": 0.0,
        "clip_norm": None,
    },
}

#: Fields the trainer applies between steps without losing the weights.
LIVE_FIELDS = frozenset({
    "model.activation", "model.dropout", "model.batch_norm", "model.residual",
    "optim.name", "optim.lr", "optim.momentum", "optim.batch_size",
    "optim.l1", "optim.l2", "optim.clip_norm",
})


#: Every character str.splitlines() breaks a line at, as an escape that keeps one line.
LINE_BREAKS = {c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with its line breaks escaped: an error is one line, whatever a file name or
    a field name it quotes holds (scripts read the CLI's ``error:`` line)."""
    return text.translate(str.maketrans(LINE_BREAKS))


class ConfigError(ValueError):
    """A config value is invalid. ``path`` is the dotted field path ("" for the whole doc).
    The message is always one line."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = one_line(reason)
        super().__init__(one_line(f"{path}: {reason}" if path else reason))


#: Longest value quoted whole in an error message; longer ones are cut (one readable line).
MAX_SHOWN = 40


def shown(v) -> str:
    """``repr(v)`` for an error message, cut short: a 5,000-digit number or a deeply nested
    list would turn the one error line into a screenful."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10 ** MAX_SHOWN:
        return f"an integer of {len(str(abs(v)))} digits"
    text = repr(v)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}… ({len(text)} characters)"


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _as_float(v) -> float:
    """A number as a float; an integer beyond float's range is infinite (float() raises)."""
    try:
        return float(v)
    except OverflowError:
        return math.inf


def _number(path, v, lo=None, hi=None, lo_open=False, hi_open=False, integer=False):
    kind = "an integer" if integer else "a finite number"
    ok = _is_number(v) and math.isfinite(_as_float(v)) and (not integer or float(v).is_integer())
    if ok and lo is not None:
        ok = v > lo if lo_open else v >= lo
    if ok and hi is not None:
        ok = v < hi if hi_open else v <= hi
    if not ok:
        rng = ""
        if lo is not None:
            rng += f" {'>' if lo_open else '>='} {lo}"
        if hi is not None:
            rng += (" and" if lo is not None else "") + f" {'<' if hi_open else '<='} {hi}"
        raise ConfigError(path, f"must be {kind}{rng} (got {shown(v)})")
    return int(v) if integer else float(v)


def _choice(path, v, choices):
    if v not in choices:
        raise ConfigError(path, f"must be one of {', '.join(choices)} (got {shown(v)})")
    return v


def _bool(path, v):
    if not isinstance(v, bool):
        raise ConfigError(path, f"must be true or false (got {shown(v)})")
    return v


def _merge(defaults: dict, given: dict, prefix: str = "") -> dict:
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        path = f"{prefix}{key}"
        if key not in defaults:
            name = key if len(key) <= MAX_SHOWN else shown(key)
            raise ConfigError(prefix + name, f"unknown field (known: {', '.join(defaults)})")
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(path, "must be an object")
            out[key] = _merge(defaults[key], value, path + ".")
        else:
            out[key] = value
    return out


def _validate(d: dict) -> dict:
    # type() check: True == 1 and 1.0 == 1 in Python, but neither is a version number.
    if type(d["version"]) is not int or d["version"] != CONFIG_VERSION:
        raise ConfigError("version", f"unsupported config version {shown(d['version'])} "
                                     f"(this nnvis reads version {CONFIG_VERSION})")
    d["seed"] = _number("seed", d["seed"], 0, 2**32 - 1, integer=True)
    _choice("dtype", d["dtype"], DTYPES)

    data = d["data"]
    label = data["label_column"]
    if label is not None and (not isinstance(label, str) or not label):
        raise ConfigError("data.label_column", f"must be a column name or null (got "
                                               f"{shown(label)})")
    if data["path"] is not None:
        if not isinstance(data["path"], str) or not data["path"]:
            raise ConfigError("data.path", "must be a file path string")
        if label is None:
            raise ConfigError("data.label_column", "name the label column of the CSV file")
    else:
        _choice("data.name", data["name"], DATASETS)
    data["n_samples"] = _number("data.n_samples", data["n_samples"], 8, 200_000, integer=True)
    data["noise"] = _number("data.noise", data["noise"], 0, 10)
    data["classes"] = _number("data.classes", data["classes"], 2, 10, integer=True)
    # 1: train on every sample, with no test set (no test curve, no overfitting check).
    data["train_fraction"] = _number("data.train_fraction", data["train_fraction"], 0, 1,
                                     lo_open=True)
    _bool("data.normalize", data["normalize"])

    model = d["model"]
    hidden = model["hidden"]
    if not isinstance(hidden, list) or len(hidden) > 32:
        raise ConfigError("model.hidden", "must be a list of at most 32 layer widths")
    for i, w in enumerate(hidden):
        hidden[i] = _number(f"model.hidden[{i}]", w, 1, 4096, integer=True)
    _choice("model.activation", model["activation"], ACTIVATIONS)
    _choice("model.init", model["init"], INITS)
    # null, as JSON leaves an unset field: the initialiser's own scale, i.e. 1.
    if model["init_scale"] is None:
        model["init_scale"] = 1.0
    model["init_scale"] = _number("model.init_scale", model["init_scale"], 0, 1e3)
    _bool("model.batch_norm", model["batch_norm"])
    model["dropout"] = _number("model.dropout", model["dropout"], 0, 1, hi_open=True)
    _bool("model.residual", model["residual"])
    _choice("model.loss", model["loss"], LOSSES)

    optim = d["optim"]
    _choice("optim.name", optim["name"], OPTIMIZERS)
    optim["lr"] = _number("optim.lr", optim["lr"], 0, 1e4, lo_open=True)
    optim["momentum"] = _number("optim.momentum", optim["momentum"], 0, 1, hi_open=True)
    optim["batch_size"] = _number("optim.batch_size", optim["batch_size"], 1, 100_000,
                                  integer=True)
    optim["l1"] = _number("optim.l1", optim["l1"], 0, 100)
    optim["l2"] = _number("optim.l2", optim["l2"], 0, 100)
    if optim["clip_norm"] is not None:
        optim["clip_norm"] = _number("optim.clip_norm", optim["clip_norm"], 0, 1e6,
                                     lo_open=True)
    return d


class Config:
    """A validated experiment description. Immutable in use: ``with_changes`` returns a new one.

    >>> Config.from_dict({"optim": {"lr": 0.1}}).get("optim.lr")
    0.1
    """

    def __init__(self, data: dict | None = None):
        if data is not None and not isinstance(data, dict):
            raise ConfigError("", "a config must be a JSON object")
        self._d = _validate(_merge(DEFAULTS, data or {}))

    @classmethod
    def from_dict(cls, data: dict | None) -> "Config":
        return cls(data)

    @classmethod
    def from_json(cls, text: str, source: str = "") -> "Config":
        """Parse a JSON document (a leading UTF-8 BOM is fine). ``source`` names the file in
        error messages."""
        return cls(parse_json(text, source))

    @classmethod
    def from_file(cls, path) -> "Config":
        problem = os.path.exists(path) and not_a_regular_file(path)   # a FIFO would block
        if not problem and os.path.exists(path) and os.path.getsize(path) > MAX_CONFIG_BYTES:
            problem = f"{path}: {os.path.getsize(path):,} bytes is larger than a config may be"
        if problem:
            raise ConfigError("", f"cannot read config file {problem}")
        try:
            text = Path(path).read_text(encoding="utf-8-sig")  # -sig: editors' BOM
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError("", f"cannot read config file {path}: {exc}") from None
        return cls.from_json(text, str(path))

    def to_dict(self) -> dict:
        return copy.deepcopy(self._d)

    def to_json(self) -> str:
        return json.dumps(self._d, indent=2)

    def get(self, path: str):
        node = self._d
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise ConfigError(path, "unknown field")
            node = node[part]
        return copy.deepcopy(node)

    def with_changes(self, changes: dict) -> "Config":
        """Return a new config with ``{"optim.lr": 0.1, ...}`` applied and validated."""
        d = self.to_dict()
        for path, value in changes.items():
            if not isinstance(path, str):
                raise ConfigError(str(path), "field names are dotted strings, e.g. optim.lr")
            parts = path.split(".")
            node = d
            for part in parts[:-1]:
                if not isinstance(node.get(part), dict):
                    raise ConfigError(path, "unknown field")
                node = node[part]
            if parts[-1] not in node:
                raise ConfigError(path, "unknown field")
            node[parts[-1]] = value
        return Config(d)

    def __eq__(self, other):
        return isinstance(other, Config) and self._d == other._d

    def __repr__(self):
        return f"Config({json.dumps(self._d)})"


def parse_json(text: str, source: str = ""):
    """The value of a JSON document, or ConfigError saying in one line why it is not one
    (``source``: the file it came from, named in the message)."""
    where = f" in {source}" if source else ""
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ConfigError("", f"not valid JSON: {exc.msg} at line {exc.lineno}{where}") from None
    except RecursionError:
        raise ConfigError("", f"not valid JSON: nested too deeply{where}") from None
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        raise ConfigError("", f"not valid JSON: a number has too many digits{where}") from None


def parse_assignment(text: str) -> tuple[str, object]:
    """Parse ``model.hidden=[8,8]`` / ``model.activation=relu`` (JSON value, else a string)."""
    if "=" not in text:
        raise ConfigError("", f"expected FIELD=VALUE, got {shown(text)}")
    path, raw = text.split("=", 1)
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON (or too deep, too many digits): text
        value = raw
    return path.strip(), value


def changed_fields(old: Config, new: Config) -> list[str]:
    """Dotted paths whose values differ between two configs."""
    out = []

    def walk(a, b, prefix):
        for key in a:
            if isinstance(a[key], dict):
                walk(a[key], b[key], f"{prefix}{key}.")
            elif a[key] != b[key]:
                out.append(prefix + key)

    walk(old._d, new._d, "")
    return out
