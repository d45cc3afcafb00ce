"""Datasets: toy generators, the UCI digits set and user CSV files, split and standardised.

``load_dataset(config["data"], seed, dtype)`` returns a :class:`Dataset`. Everything random
comes from ``np.random.default_rng(seed)``: the generator draws first, then the train/test
shuffle, so the same seed gives bit-identical arrays.

``noise`` (config ``data.noise``) is the standard deviation of Gaussian noise, in the data's
own units:

* 2-D classification sets have clean points inside roughly [-1, 1]^2 and add
  ``N(0, (NOISE_SCALE * noise)^2)`` to each coordinate. ``NOISE_SCALE = 0.5`` makes the
  amount match TensorFlow Playground's noise slider at ``100 * noise``.
* regression sets (clean target amplitude about 1) add ``N(0, noise^2)`` to the target.

Because the clean draws come first and the noise is always drawn, two loads that differ only
in ``noise`` have the same underlying points, pushed further apart as noise grows.
"""
from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nnvis import RESOURCES
from nnvis.core.config import DATASETS, DEFAULTS, DTYPES, ConfigError, shown

MAX_CSV_BYTES = 50 * 1024 * 1024
MIN_ROWS = 8
MAX_SHOWN_COLUMNS = 200  # characters of the header an error lists
#: A numeric label column with more distinct values than this, some non-integer, is regression.
MAX_CLASS_VALUES = 10
NOISE_SCALE = 0.5
SPIRAL_TURNS = 1.0
CHECKER_CELLS = 4
PLANE_WEIGHTS = (0.6, -0.8)
BOUNDS_PAD = 0.1
DIGITS_FILE = "digits.csv.gz"


class DataError(ConfigError):
    """Data cannot be loaded. ``path`` is the config field at fault, e.g. ``data.path``.

    ``summary`` says what is wrong without quoting the file: a saved experiment names its
    CSV file, and a crafted one could name any file (``/etc/passwd``) to have its first line
    shown in the error."""

    def __init__(self, path: str, reason: str, summary: str | None = None, **coded):
        super().__init__(path, reason, **coded)
        self.summary = self.reason if summary is None else ConfigError(path, summary).reason


@dataclass(eq=False)
class Dataset:
    """A train/test split ready for training.

    ``X_*`` are ``(n, n_features)`` in the requested dtype, standardised with the training
    ``mean``/``std`` (both ``(n_features,)`` float64; zeros/ones when not normalising).
    Classification ``y_*`` are int64 ``(n,)`` in ``0..n_classes-1``; regression ``y_*`` are
    ``(n, target_dim)`` in the requested dtype and are never normalised.
    ``bounds`` is the plot window in normalised feature space, 10% wider than the data on each
    side: ``(xmin, xmax, ymin, ymax)`` for 2 features, ``(xmin, xmax)`` for 1, else ``()``.
    """

    name: str
    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int
    feature_names: list
    class_names: list
    mean: np.ndarray
    std: np.ndarray
    bounds: tuple

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def target_dim(self) -> int:
        """Width of the network's output: ``n_classes``, or the regression target's columns."""
        return self.n_classes if self.task == "classification" else self.y_train.shape[1]

    def transform(self, X_raw) -> np.ndarray:
        """Raw ``(m, n_features)`` (or ``(n_features,)``) points -> normalised, same shape."""
        X = np.asarray(X_raw, dtype=np.float64)
        self._check_width(X)
        return ((X - self.mean) / self.std).astype(self.X_train.dtype)

    def inverse_transform(self, X) -> np.ndarray:
        """Normalised ``(m, n_features)`` points -> raw feature space, float64."""
        X = np.asarray(X, dtype=np.float64)
        self._check_width(X)
        return X * self.std + self.mean

    def _check_width(self, X):
        if X.shape[-1:] != (self.n_features,):
            raise ValueError(f"expected points with {self.n_features} features, "
                             f"got shape {X.shape}")


# ---- generators: each returns raw X (n, d) float64 and y (n,) int64 or (n, 1) float64 ----

def _balanced_labels(n: int, classes: int) -> np.ndarray:
    """(n,) int64 labels, class sizes differing by at most one."""
    return np.repeat(np.arange(classes), [n // classes + (k < n % classes)
                                          for k in range(classes)])


def _jitter(X: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return X + rng.normal(0.0, NOISE_SCALE * noise, X.shape)


def _polar(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def make_circle(n: int, noise: float, rng: np.random.Generator):
    """Class 0: disc of radius 0.5; class 1: ring 0.7..1. X (n, 2), y (n,)."""
    y = _balanced_labels(n, 2)
    r = rng.uniform(np.where(y == 0, 0.0, 0.7), np.where(y == 0, 0.5, 1.0))
    return _jitter(_polar(r, rng.uniform(0, 2 * np.pi, n)), noise, rng), y


def make_xor(n: int, noise: float, rng: np.random.Generator):
    """Uniform in the four quadrants; y = 1 where sign(x1) != sign(x2). X (n, 2), y (n,)."""
    y = _balanced_labels(n, 2)
    sx = rng.choice([-1.0, 1.0], n)
    # The 0.05 gap from the axes keeps clean labels unambiguous, as in TF Playground.
    mag = rng.uniform(0.05, 1.0, (n, 2))
    return _jitter(mag * np.column_stack([sx, np.where(y == 1, -sx, sx)]), noise, rng), y


def make_gaussian(n: int, noise: float, rng: np.random.Generator):
    """Two round clusters (std 0.2) at (-0.5, -0.5) and (0.5, 0.5). X (n, 2), y (n,)."""
    y = _balanced_labels(n, 2)
    centres = np.array([[-0.5, -0.5], [0.5, 0.5]])
    return _jitter(centres[y] + rng.normal(0.0, 0.2, (n, 2)), noise, rng), y


def make_spiral(n: int, noise: float, rng: np.random.Generator, classes: int = 2):
    """``classes`` interleaved arms, each one turn from the centre to radius 1 (cs231n).

    X (n, 2), y (n,).
    """
    y = _balanced_labels(n, classes)
    r = rng.uniform(0.0, 1.0, n)
    t = 2 * np.pi * (y / classes + SPIRAL_TURNS * r)
    return _jitter(_polar(r, t), noise, rng), y


def make_moons(n: int, noise: float, rng: np.random.Generator):
    """Two interleaved half circles of radius 1, centred on the origin. X (n, 2), y (n,)."""
    y = _balanced_labels(n, 2)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where((y == 0)[:, None], upper, lower) - [0.5, 0.25]
    return _jitter(X, noise, rng), y


def make_checkerboard(n: int, noise: float, rng: np.random.Generator):
    """[-1, 1]^2 cut into 4x4 cells of alternating class. X (n, 2), y (n,)."""
    y = _balanced_labels(n, 2)
    col = rng.integers(0, CHECKER_CELLS, n)
    # Choosing the row to match the class keeps classes balanced whatever the cell count.
    row = 2 * rng.integers(0, CHECKER_CELLS // 2, n) + (col + y) % 2
    cell = 2.0 / CHECKER_CELLS
    X = -1.0 + (np.column_stack([col, row]) + rng.uniform(0, 1, (n, 2))) * cell
    return _jitter(X, noise, rng), y


def make_blobs(n: int, noise: float, rng: np.random.Generator, classes: int = 3):
    """``classes`` round clusters (std 0.12) evenly spaced on a circle of radius 0.7.

    X (n, 2), y (n,).
    """
    y = _balanced_labels(n, classes)
    # The pi/4 offset puts two blobs on a diagonal, so neither axis is pure noise that
    # standardisation would blow up.
    angles = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = _polar(np.full(classes, 0.7), angles)
    return _jitter(centres[y] + rng.normal(0.0, 0.12, (n, 2)), noise, rng), y


def make_sine(n: int, noise: float, rng: np.random.Generator):
    """x uniform in [-pi, pi], y = sin(x) + N(0, noise^2). X (n, 1), y (n, 1)."""
    X = rng.uniform(-np.pi, np.pi, (n, 1))
    return X, np.sin(X) + rng.normal(0.0, noise, (n, 1))


def make_plane(n: int, noise: float, rng: np.random.Generator):
    """X uniform in [-1, 1]^2, y = 0.6 x1 - 0.8 x2 + N(0, noise^2). X (n, 2), y (n, 1)."""
    X = rng.uniform(-1.0, 1.0, (n, 2))
    return X, X @ np.array(PLANE_WEIGHTS)[:, None] + rng.normal(0.0, noise, (n, 1))


GENERATORS = {
    "circle": make_circle, "xor": make_xor, "gaussian": make_gaussian,
    "spiral": make_spiral, "moons": make_moons, "checkerboard": make_checkerboard,
    "blobs": make_blobs, "sine": make_sine, "plane": make_plane,
}
MULTICLASS = frozenset({"spiral", "blobs"})
REGRESSION = frozenset({"sine", "plane"})


@dataclass
class _Raw:
    name: str
    task: str
    X: np.ndarray          # (n, n_features) float64
    y: np.ndarray          # (n,) int64 or (n, target_dim) float64
    n_classes: int
    feature_names: list
    class_names: list


def _generated(name: str, n: int, noise: float, classes: int, rng) -> _Raw:
    if name in MULTICLASS:
        X, y = GENERATORS[name](n, noise, rng, classes)
    else:
        X, y = GENERATORS[name](n, noise, rng)
    if name in REGRESSION:
        return _Raw(name, "regression", X, y, 0, ["x"] if X.shape[1] == 1 else ["x1", "x2"], [])
    k = int(y.max()) + 1
    return _Raw(name, "classification", X, y, k, ["x1", "x2"], [str(c) for c in range(k)])


@lru_cache(maxsize=1)
def _digits_table() -> np.ndarray:
    """(1797, 65) float64, read-only: 64 pixels in 0..16, then the label."""
    path = RESOURCES / DIGITS_FILE
    try:
        with gzip.open(path, "rt", encoding="ascii") as f:
            table = np.loadtxt(f, delimiter=",")
    except OSError as exc:
        raise DataError("data.name", f"cannot read the digits data {path}: {exc}") from None
    table.flags.writeable = False
    return table


def _digits() -> _Raw:
    table = _digits_table()
    names = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)]
    return _Raw("digits", "classification", table[:, :-1].copy(),
                table[:, -1].astype(np.int64), 10, names, [str(d) for d in range(10)])


# ---- user CSV ----

def _fail(reason: str, summary: str | None = None):
    """Refuse the CSV file; ``summary``: the reason without the file's content, when the
    reason quotes it."""
    raise DataError("data.path", reason, summary)


def _number_name(v: float) -> str:
    return str(int(v)) if v.is_integer() else repr(v)


def _read_text(path: Path) -> str:
    try:
        if not path.is_file():
            _fail(f"no such file: {path}" if not path.exists() else f"not a file: {path}")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            _fail(f"{path.name} is {size / 2**20:.1f} MB; the limit is "
                  f"{MAX_CSV_BYTES // 2**20} MB")
        with path.open("rb") as fh:
            # Bounded: a file under /proc says it has size 0 and may never end.
            raw = fh.read(MAX_CSV_BYTES + 1)
        if len(raw) > MAX_CSV_BYTES:
            _fail(f"{path.name} is larger than the limit of {MAX_CSV_BYTES // 2**20} MB")
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        return raw.decode("utf-8-sig")  # -sig: spreadsheet exports often start with a BOM
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        _fail(f"{path.name} is not UTF-8 text (line {line})")


def _cell_number(text: str, line: int, column: str, index: int) -> float:
    try:
        v = float(text)
    except ValueError:
        _fail(f"row {line}, column {column!r}: {shown(text)} is not a number",
              f"row {line}, column {index + 1} is not a number")
    if not math.isfinite(v):
        _fail(f"row {line}, column {column!r}: {shown(text)} is not a finite number",
              f"row {line}, column {index + 1} is not a finite number")
    return v


def _load_csv(path_str: str, label_column: str) -> _Raw:
    """Parse and validate a user CSV; every failure names the line and column."""
    path = Path(path_str).expanduser()
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header, rows = None, []   # rows: (file line, cells)
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # blank lines (often trailing) carry no data
            if header is None:
                header = [c.strip() for c in cells]
            else:
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        _fail(f"line {reader.line_num}: {exc}")
    if header is None:
        _fail(f"{path.name} is empty")

    seen = {}
    for i, name in enumerate(header):
        if not name:
            _fail(f"column {i + 1} has no name in the header")
        if name in seen:
            _fail(f"column name {shown(name)} appears twice (columns {seen[name] + 1} and "
                  f"{i + 1})", f"columns {seen[name] + 1} and {i + 1} have the same name")
        seen[name] = i
    if label_column not in seen:
        columns = ", ".join(header)
        if len(columns) > MAX_SHOWN_COLUMNS:
            columns = columns[:MAX_SHOWN_COLUMNS] + "…"
        _fail(f"no column {label_column!r}; columns are: {columns}",
              f"{path.name} has no column {label_column!r} in its first line")
    label_at = seen[label_column]
    features = [i for i in range(len(header)) if i != label_at]
    if not features:
        _fail(f"{path.name} has only the label column; it needs at least one feature column")
    if not rows:
        _fail(f"{path.name} has a header but no data rows")
    if len(rows) < MIN_ROWS:
        _fail(f"{path.name} has only {len(rows)} data rows; at least {MIN_ROWS} are needed")

    X = np.empty((len(rows), len(features)))
    labels = []
    for r, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            _fail(f"row {line} has {len(cells)} cells, header has {len(header)}")
        X[r] = [_cell_number(cells[i], line, header[i], i) for i in features]
        label = cells[label_at].strip()
        if not label:
            _fail(f"row {line}, column {label_column!r}: the label is empty")
        labels.append(label)

    feature_names = [header[i] for i in features]
    try:
        numbers = [float(s) for s in labels]
    except ValueError:
        numbers = None
    if numbers is not None:
        for (line, _), s, v in zip(rows, labels, numbers):
            if not math.isfinite(v):
                _fail(f"row {line}, column {label_column!r}: {shown(s)} is not a finite "
                      f"number", f"row {line}, column {label_column!r}: the label is not a "
                                 f"finite number")
        distinct = sorted(set(numbers))
        if len(distinct) > MAX_CLASS_VALUES and not all(v.is_integer() for v in distinct):
            return _Raw(path.name, "regression", X, np.array(numbers)[:, None], 0,
                        feature_names, [])
        keys, class_names = numbers, [_number_name(v) for v in distinct]
    else:
        keys, distinct = labels, sorted(set(labels))
        class_names = list(distinct)
    if len(distinct) < 2:
        _fail(f"label column {label_column!r} has only one class ({shown(class_names[0])}); "
              "at least 2 are needed",
              f"label column {label_column!r} has only one class; at least 2 are needed")
    index = {v: k for k, v in enumerate(distinct)}
    y = np.array([index[v] for v in keys], dtype=np.int64)
    return _Raw(path.name, "classification", X, y, len(distinct), feature_names, class_names)


# ---- split, normalise, bounds ----

def _bounds(X: np.ndarray) -> tuple:
    """Padded plot window over all (n, 1|2) normalised points; () for other widths."""
    if X.shape[1] not in (1, 2):
        return ()
    lo, hi = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    # A constant feature still needs a window of some width to draw in.
    pad = np.where(hi > lo, BOUNDS_PAD * (hi - lo), 1.0)
    return tuple(float(v) for pair in zip(lo - pad, hi + pad) for v in pair)


def _refuse_overflow(bad: np.ndarray, raw: np.ndarray, columns: list, what: str):
    """Refuse the first column flagged in ``bad`` whose finite numbers overflowed on the way
    to training (1e300 cells: their standard deviation, or a float32 copy, is infinite).
    ``columns``: (how to name each column, how to name it without quoting the file)."""
    if bad.any():
        col = int(np.argmax(bad))
        named, unquoted = columns[col]
        biggest = float(np.abs(raw.reshape(len(raw), -1)[:, col]).max())
        raise DataError("data.path", f"{named} holds numbers too large {what} (up to "
                                     f"{biggest:.3g}): rescale it",
                        f"{unquoted} holds numbers too large {what}")


def _overflowed(values: np.ndarray) -> np.ndarray:
    """Per column: whether any value is not finite."""
    return ~np.isfinite(values.reshape(len(values), -1)).all(axis=0)


def _finish(raw: _Raw, rng: np.random.Generator, train_fraction: float, normalize: bool,
            dtype: str) -> Dataset:
    n = len(raw.X)
    n_train = round(train_fraction * n)
    # Only a fraction of exactly 1 asks for no test set; 0.999 of 400 rounding to all 400
    # would drop a test set that was asked for.
    if not 1 <= n_train <= (n if train_fraction == 1 else n - 1):
        side = "training" if n_train < 1 else "test"
        raise DataError("data.train_fraction", f"{train_fraction:g} of {n} samples leaves "
                                               f"no {side} samples")
    order = rng.permutation(n)
    X, y = raw.X[order], raw.y[order]
    X_train_raw = X[:n_train]
    # Overflow (a CSV cell of 1e300) is caught below and said in words, not warned about.
    with np.errstate(all="ignore"):
        if normalize:
            mean = X_train_raw.mean(axis=0)
            # Exact test for constant columns: their float std can be a tiny non-zero residue.
            constant = X_train_raw.min(axis=0) == X_train_raw.max(axis=0)
            std = np.where(constant, 1.0, X_train_raw.std(axis=0))
        else:
            mean, std = np.zeros(X.shape[1]), np.ones(X.shape[1])
        Xn = ((X - mean) / std).astype(dtype)
        if raw.task == "regression":
            y = y.astype(dtype)
    _refuse_overflow(_overflowed(Xn) | ~np.isfinite(std), X,
                     [(f"column {shown(n)}", f"feature column {i + 1}")
                      for i, n in enumerate(raw.feature_names)],
                     "to standardise" if normalize else f"for {dtype}")
    if raw.task == "regression":
        _refuse_overflow(_overflowed(y), raw.y[order],
                         [("the label column", "the label column")] * y.shape[1], f"for {dtype}")
    return Dataset(name=raw.name, task=raw.task, X_train=Xn[:n_train], y_train=y[:n_train],
                   X_test=Xn[n_train:], y_test=y[n_train:], n_classes=raw.n_classes,
                   feature_names=list(raw.feature_names), class_names=list(raw.class_names),
                   mean=mean, std=std, bounds=_bounds(Xn))


def load_dataset(data: dict, seed: int, dtype: str = "float32") -> Dataset:
    """Build the dataset a config's ``data`` section describes (missing keys take defaults).

    ``data["path"]`` set loads that CSV (``label_column`` names the label); otherwise
    ``data["name"]`` picks a built-in. ``n_samples``, ``noise`` and ``classes`` apply to the
    generated sets only (``classes`` to spiral and blobs). Raises :class:`DataError`.
    """
    d = {**DEFAULTS["data"], **data}
    if dtype not in DTYPES:
        raise DataError.coded("dtype", "choice", choices=list(DTYPES), value=repr(dtype))
    rng = np.random.default_rng(seed)
    if d["path"]:
        raw = _load_csv(d["path"], d["label_column"])
    elif d["name"] == "digits":
        raw = _digits()
    elif d["name"] in GENERATORS:
        raw = _generated(d["name"], int(d["n_samples"]), float(d["noise"]), int(d["classes"]),
                         rng)
    else:
        raise DataError.coded("data.name", "choice", choices=list(DATASETS),
                              value=repr(d["name"]))
    return _finish(raw, rng, d["train_fraction"], d["normalize"], dtype)
