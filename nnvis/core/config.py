"""One validated, versioned JSON document describes an experiment.

Its fields are the table :data:`FIELDS` (a :mod:`~nnvis.core.schema`): defaults, checks
and what each means. A bad value raises :class:`ConfigError` naming the field's dotted path
and the reason, e.g. ``optim.lr: must be a finite number > 0 (got -1)``.
"""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path

from .files import not_a_regular_file
from .refusals import MAX_SHOWN, ConfigError, one_line, shown  # noqa: F401 (their old home)
from .schema import Choice, Field, Flag, Nullable, Number, Rule, Widths, defaults, validate

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
TASKS = ("auto", "classification", "regression")


def _version(path, v):
    # type() check: True == 1 and 1.0 == 1 in Python, but neither is a version number.
    if type(v) is not int or v != CONFIG_VERSION:
        raise ConfigError(path, f"unsupported config version {shown(v)} "
                                f"(this nnvis reads version {CONFIG_VERSION})")
    return v


def _csv_path(path, v):
    if v is not None and (not isinstance(v, str) or not v):
        raise ConfigError.coded(path, "path_string")
    return v


def _label_column(path, v):
    if v is not None and (not isinstance(v, str) or not v):
        raise ConfigError(path, f"must be a column name or null (got {shown(v)})")
    return v


def _csv_source(d):
    # Before data.name, which a CSV file replaces: a CSV's own fields are what is wrong.
    data = d["data"]
    _label_column("data.label_column", data["label_column"])
    _csv_path("data.path", data["path"])
    if data["path"] is not None and data["label_column"] is None:
        raise ConfigError.coded("data.label_column", "csv_label")


def _no_csv(d) -> bool:
    return d["data"]["path"] is None


def _early_stopping(d):
    # The test set never chooses the weights: stopping needs a validation split of its own.
    if d["optim"]["early_stopping"] and not d["data"]["val_fraction"]:
        raise ConfigError.coded("optim.early_stopping", "early_stopping_needs_val")


#: The experiment document, field by field (in the order of its JSON and of its checks).
FIELDS = (
    Field("version", CONFIG_VERSION, _version, "The config format's version."),
    Field("seed", 0, Number(0, 2**32 - 1, integer=True),
          "Seeds the data, the batches and (unless model.init_seed) the initial weights: "
          "same seed, same run."),
    Field("dtype", "float32", Choice(DTYPES), "Floating-point type of weights and data."),
    Rule(_csv_source, "A CSV file (data.path) needs its label column named."),
    Field("data.name", "spiral", Choice(DATASETS), "The built-in data set (without a CSV).",
          when=_no_csv),
    Field("data.path", None, _csv_path, "A CSV file to train on instead (null: none)."),
    Field("data.label_column", None, _label_column, "The CSV column holding the labels."),
    Field("data.task", "auto", Choice(TASKS),
          "classification or regression; auto: a built-in set's own, or read from a CSV's "
          "label column (README: the rule). A saved experiment keeps the task it had."),
    Field("data.n_samples", 400, Number(8, 200_000, integer=True),
          "Samples generated (built-in sets only)."),
    Field("data.noise", 0.1, Number(0, 10), "Noise of the generated sets."),
    Field("data.classes", 2, Number(2, 10, integer=True), "Classes of spiral and blobs."),
    # 1: train on every sample, with no test set (no test curve, no overfitting check).
    Field("data.train_fraction", 0.8, Number(0, 1, low_open=True),
          "Share of the samples trained on; the rest is the test set."),
    Field("data.val_fraction", 0.0, Number(0, 1, high_open=True),
          "Share of the training samples held out for validation (early stopping)."),
    Field("data.normalize", True, Flag(), "Scale each feature to mean 0, variance 1."),
    # null: a CSV's target is standardised, the built-in sets (already unit-scale) are not.
    Field("data.normalize_target", None, Nullable(Flag()),
          "Scale a regression target to mean 0, variance 1 (with the training split's "
          "statistics; predictions and metrics stay in its units)."),
    Field("model.hidden", [16, 16, 16], Widths(32, Number(1, 4096, integer=True)),
          "Widths of the hidden layers."),
    Field("model.activation", "tanh", Choice(ACTIVATIONS), "The hidden layers' activation."),
    Field("model.init", "xavier", Choice(INITS), "How the initial weights are drawn."),
    # null, as JSON leaves an unset field: the initialiser's own scale, i.e. 1.
    Field("model.init_scale", 1.0, Nullable(Number(0, 1e3), null=1.0),
          "Multiplies the initial weights."),
    Field("model.init_seed", None, Nullable(Number(0, 2**32 - 1, integer=True)),
          "Seeds the initial weights alone (null: the seed)."),
    Field("model.batch_norm", False, Flag(), "Batch normalisation after each hidden layer."),
    Field("model.dropout", 0.0, Number(0, 1, high_open=True),
          "Share of hidden units dropped in each training step."),
    Field("model.residual", False, Flag(), "Skip connections between equal-width layers."),
    Field("model.loss", "cross_entropy", Choice(LOSSES), "The loss minimised."),
    Field("optim.name", "adam", Choice(OPTIMIZERS), "The optimiser."),
    Field("optim.lr", 0.01, Number(0, 1e4, low_open=True), "The learning rate."),
    Field("optim.momentum", 0.9, Number(0, 1, high_open=True),
          "Momentum (momentum, nesterov; rmsprop's decay)."),
    Field("optim.batch_size", 32, Number(1, 100_000, integer=True), "Samples per step."),
    Field("optim.l1", 0.0, Number(0, 100), "L1 penalty on the weights."),
    Field("optim.l2", 0.0, Number(0, 100), "L2 penalty on the weights."),
    Field("optim.clip_norm", None, Nullable(Number(0, 1e6, low_open=True)),
          "Clip the gradient's norm to this (null: no clipping)."),
    Field("optim.early_stopping", False, Flag(),
          "Stop when the validation loss stops improving and restore the best weights."),
    Field("optim.patience", 10, Number(1, 100_000, integer=True),
          "Validation checks without improvement before stopping early."),
    Field("optim.eval_every", 50, Number(1, 1_000_000, integer=True),
          "Steps between validation checks (early stopping)."),
    Rule(_early_stopping, "Early stopping needs a validation set (data.val_fraction)."),
)

DEFAULTS: dict = defaults(FIELDS)

#: Fields the trainer applies between steps without losing the weights.
LIVE_FIELDS = frozenset({
    "model.activation", "model.dropout", "model.batch_norm", "model.residual",
    "optim.name", "optim.lr", "optim.momentum", "optim.batch_size",
    "optim.l1", "optim.l2", "optim.clip_norm",
    "optim.early_stopping", "optim.patience", "optim.eval_every",
})


def _merge(defaults: dict, given: dict, prefix: str = "") -> dict:
    out = copy.deepcopy(defaults)
    for key, value in given.items():
        path = f"{prefix}{key}"
        if key not in defaults:
            name = key if len(key) <= MAX_SHOWN else shown(key)
            raise ConfigError.coded(prefix + name, "unknown_field", known=list(defaults))
        if isinstance(defaults[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(path, "must be an object")
            out[key] = _merge(defaults[key], value, path + ".")
        else:
            out[key] = value
    return out


class Config:
    """A validated experiment description. Immutable in use: ``with_changes`` returns a new one.

    >>> Config.from_dict({"optim": {"lr": 0.1}}).get("optim.lr")
    0.1
    """

    def __init__(self, data: dict | None = None):
        if data is not None and not isinstance(data, dict):
            raise ConfigError("", "a config must be a JSON object")
        self._d = validate(FIELDS, _merge(DEFAULTS, data or {}))

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
                raise ConfigError.coded(path, "unknown_field")
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
                    raise ConfigError.coded(path, "unknown_field")
                node = node[part]
            if parts[-1] not in node:
                raise ConfigError.coded(path, "unknown_field")
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
