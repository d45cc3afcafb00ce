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
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from nnvis import RESOURCES
from nnvis.core.config import DATASETS, DEFAULTS, DTYPES, ConfigError, shown
from nnvis.core.refusals import english

MAX_CSV_BYTES = 50 * 1024 * 1024
MIN_ROWS = 8
MAX_SHOWN_COLUMNS = 200  # characters of the header an error lists
#: ``data.task: auto`` reads a numeric label column with at most this many distinct values
#: as classes; with more, as a regression target if some values are not whole, or if most
#: of the values occur in fewer than MIN_CLASS_ROWS rows (whole-number targets, such as
#: scikit-learn's diabetes: 214 values over 442 rows); else as classes.
MAX_CLASS_VALUES = 10
MIN_CLASS_ROWS = 20
#: Points of each split the data views of more than two features show at most.
MAX_VIEW_POINTS = 2000
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

    @classmethod
    def coded(cls, path: str, code: str, summary_code: str | None = None,
              **params) -> "DataError":
        """Refused with ``code`` (:mod:`nnvis.core.refusals`); ``summary_code``: the same
        reason without what the file holds."""
        summary = None if summary_code is None else english(summary_code, params)
        return cls(path, english(code, params), summary, code=code, params=params)


@dataclass(eq=False)
class Dataset:
    """A train/validation/test split ready for training.

    ``X_*`` are ``(n, n_features)`` in the requested dtype, standardised with the training
    ``mean``/``std`` (both ``(n_features,)`` float64; zeros/ones when not normalising).
    Classification ``y_*`` are int64 ``(n,)`` in ``0..n_classes-1``; regression ``y_*`` are
    ``(n, target_dim)`` in the requested dtype, in the target's own units: the trainer
    standardises them with ``y_mean``/``y_std`` (``(target_dim,)`` float64, the training
    split's; zeros/ones when the target is not standardised, and for classification).
    ``X_val``/``y_val``: the validation split carved from the training data (``data.
    val_fraction``; 0 rows by default). ``bounds`` is the plot window in normalised feature
    space, 10% wider than the data on each side: ``(xmin, xmax, ymin, ymax)`` for 2
    features, ``(xmin, xmax)`` for 1, else ``()``. ``task_reason`` (a code of
    :mod:`nnvis.core.refusals`) and ``task_params`` say why the task is what it is.
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
    X_val: np.ndarray | None = None
    y_val: np.ndarray | None = None
    y_mean: np.ndarray | None = None
    y_std: np.ndarray | None = None
    task_reason: str = "given"
    task_params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.X_val is None:
            self.X_val = self.X_train[:0]
            self.y_val = self.y_train[:0]
        width = self.y_train.shape[1] if self.task == "regression" and \
            np.ndim(self.y_train) == 2 else 1
        if self.y_mean is None:
            self.y_mean = np.zeros(width)
        if self.y_std is None:
            self.y_std = np.ones(width)

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @cached_property
    def pca(self) -> tuple[np.ndarray, np.ndarray]:
        """The training split's first two principal axes, for a 2-D view of more than two
        features: (centre ``(n_features,)``, axes ``(2, n_features)``), float64, in the
        normalised feature space. Fitted once by SVD (the data never change)."""
        X = np.asarray(self.X_train, dtype=np.float64)
        centre = X.mean(axis=0)
        _, _, vt = np.linalg.svd(X - centre, full_matrices=False)
        axes = np.zeros((2, X.shape[1]))
        axes[:len(vt[:2])] = vt[:2]
        # A sign convention, so the picture does not flip between two fits of the same data.
        signs = np.sign(axes[np.arange(2), np.argmax(np.abs(axes), axis=1)])
        return centre, axes * np.where(signs == 0, 1.0, signs)[:, None]

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
    reason: str = "task_built_in"
    params: dict = field(default_factory=dict)


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

def _fail(code: str, summary: str | None = None, path: str = "data.path", **params):
    """Refuse the CSV file with a coded reason (:mod:`nnvis.core.refusals`); ``summary``:
    the code of the reason without the file's content, when the reason quotes it."""
    raise DataError.coded(path, code, summary, **params)


def _number_name(v: float) -> str:
    return str(int(v)) if v.is_integer() else repr(v)


def _read_text(path: Path) -> str:
    try:
        if not path.is_file():
            _fail("csv_no_file", file=str(path), exists=path.exists())
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            _fail("csv_too_large", file=path.name, mb=size / 2**20,
                  limit=MAX_CSV_BYTES // 2**20)
        with path.open("rb") as fh:
            # Bounded: a file under /proc says it has size 0 and may never end.
            raw = fh.read(MAX_CSV_BYTES + 1)
        if len(raw) > MAX_CSV_BYTES:
            _fail("csv_too_large", file=path.name, mb=None, limit=MAX_CSV_BYTES // 2**20)
    except OSError as exc:
        _fail("csv_unreadable", file=str(path), error=str(exc.strerror or exc))
    try:
        return raw.decode("utf-8-sig")  # -sig: spreadsheet exports often start with a BOM
    except UnicodeDecodeError as exc:
        _fail("csv_not_utf8", file=path.name, line=raw[:exc.start].count(b"\n") + 1)


def _cell_number(text: str, line: int, column: str, index: int) -> float:
    try:
        v = float(text)
    except ValueError:
        _fail("csv_not_number", "csv_not_number_at", row=line, column=column,
              index=index + 1, value=shown(text))
    if not math.isfinite(v):
        _fail("csv_not_finite", "csv_not_finite_at", row=line, column=column,
              index=index + 1, value=shown(text))
    return v


def read_table(path_str: str) -> tuple[Path, list, list]:
    """A CSV file's (path, header, rows): the header's names stripped, each row
    ``(file line, cells)``, blank lines skipped. Refuses (DataError, coded) an unreadable
    or empty file and an unnamed or repeated column name."""
    path = Path(path_str).expanduser()
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header, rows = None, []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue  # blank lines (often trailing) carry no data
            if header is None:
                header = [c.strip() for c in cells]
            else:
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        _fail("csv_syntax", line=reader.line_num, error=str(exc))
    if header is None:
        _fail("csv_empty", file=path.name)
    seen = {}
    for i, name in enumerate(header):
        if not name:
            _fail("csv_unnamed_column", index=i + 1)
        if name in seen:
            _fail("csv_duplicate_column", "csv_duplicate_column_at", name=shown(name),
                  first=seen[name] + 1, second=i + 1)
        seen[name] = i
    return path, header, rows


def read_features(path_str: str, feature_names: list, label_column: str | None,
                  where: str = "") -> tuple[np.ndarray, list, list]:
    """The rows of a CSV file of new samples: ``(X (n, len(feature_names)) float64 in the
    order of feature_names, header, each row's cells)``. Columns are matched by name; the
    label column may be there or not. A missing or an unknown column, a cell that is not
    a finite number, an unreadable file: DataError (coded) in one line, at ``where`` (the
    field or argument naming the file; "": the message alone)."""
    try:
        path, header, rows = read_table(path_str)
        missing = [c for c in feature_names if c not in header]
        extra = [c for c in header if c not in feature_names and c != label_column]
        if missing or extra:
            _fail("csv_columns_differ", file=path.name, missing=missing, extra=extra)
        if not rows:
            _fail("csv_no_rows", file=path.name)
        at = [header.index(c) for c in feature_names]
        X = np.empty((len(rows), len(at)))
        for r, (line, cells) in enumerate(rows):
            if len(cells) != len(header):
                _fail("csv_ragged", row=line, cells=len(cells), header=len(header))
            X[r] = [_cell_number(cells[i], line, header[i], i) for i in at]
    except DataError as exc:
        raise DataError(where, exc.reason, exc.summary, code=exc.code,
                        params=exc.params) from None
    return X, header, [cells for _, cells in rows]


def class_indices(labels: list, class_names: list) -> np.ndarray | None:
    """A label column's texts as indices into ``class_names`` ``(n,)`` int64, read as the
    training CSV's were (numbers by value: "1.0" is class "1"); None if one is not a
    class of the model."""
    index = {name: k for k, name in enumerate(class_names)}
    out = np.empty(len(labels), dtype=np.int64)
    for i, text in enumerate(labels):
        text = text.strip()
        if text not in index and _is_number(text) and math.isfinite(float(text)):
            text = _number_name(float(text))
        if text not in index:
            return None
        out[i] = index[text]
    return out


def infer_task(labels: list, task: str = "auto") -> tuple[str, str, dict]:
    """(task, reason code, params) for a label column's texts ``labels`` (one per row) and
    ``data.task``. ``auto``: text labels are classes; numbers with at most MAX_CLASS_VALUES
    distinct values are classes; with more, they are a regression target if some are not
    whole or if most values occur in fewer than MIN_CLASS_ROWS rows, else classes."""
    try:
        numbers = [float(s) for s in labels]
    except ValueError:
        numbers = None
    if task != "auto":
        return task, "task_set", {"task": task}
    if numbers is None:
        return "classification", "task_text_labels", {"values": len(set(labels))}
    counts: dict = {}
    for v in numbers:
        counts[v] = counts.get(v, 0) + 1
    params = {"values": len(counts), "most": MAX_CLASS_VALUES}
    if len(counts) <= MAX_CLASS_VALUES:
        return "classification", "task_few_values", params
    if not all(v.is_integer() for v in counts if math.isfinite(v)):
        return "regression", "task_fractional_values", params
    sparse = sum(1 for c in counts.values() if c < MIN_CLASS_ROWS)
    params.update(sparse=sparse, min_rows=MIN_CLASS_ROWS)
    if 2 * sparse > len(counts):
        return "regression", "task_sparse_values", params
    return "classification", "task_many_classes", params


def _load_csv(path_str: str, label_column: str, task: str = "auto") -> _Raw:
    """Parse and validate a user CSV; every failure names the line and column."""
    path, header, rows = read_table(path_str)
    if label_column not in header:
        columns = ", ".join(header)
        if len(columns) > MAX_SHOWN_COLUMNS:
            columns = columns[:MAX_SHOWN_COLUMNS] + "…"
        _fail("csv_no_label", "csv_no_label_at", file=path.name, label=label_column,
              columns=columns)
    label_at = header.index(label_column)
    features = [i for i in range(len(header)) if i != label_at]
    if not features:
        _fail("csv_only_label", file=path.name)
    if not rows:
        _fail("csv_no_rows", file=path.name)
    if len(rows) < MIN_ROWS:
        _fail("csv_few_rows", file=path.name, rows=len(rows), least=MIN_ROWS)

    X = np.empty((len(rows), len(features)))
    labels = []
    for r, (line, cells) in enumerate(rows):
        if len(cells) != len(header):
            _fail("csv_ragged", row=line, cells=len(cells), header=len(header))
        X[r] = [_cell_number(cells[i], line, header[i], i) for i in features]
        label = cells[label_at].strip()
        if not label:
            _fail("csv_empty_label", row=line, column=label_column)
        labels.append(label)

    feature_names = [header[i] for i in features]
    task, reason, params = infer_task(labels, task)
    params["column"] = label_column
    try:
        numbers = [float(s) for s in labels]
    except ValueError:
        numbers = None
        if task == "regression":
            line, s = next((line, s) for (line, _), s in zip(rows, labels)
                           if not _is_number(s))
            _fail("csv_label_not_number", "csv_label_not_number_at", path="data.task",
                  row=line, column=label_column, value=shown(s))
    if numbers is not None:
        for (line, _), s, v in zip(rows, labels, numbers):
            if not math.isfinite(v):
                _fail("csv_label_not_finite", "csv_label_not_finite_at", row=line,
                      column=label_column, value=shown(s))
        if task == "regression":
            raw = _Raw(path.name, "regression", X, np.array(numbers)[:, None], 0,
                       feature_names, [])
            raw.reason, raw.params = reason, params
            return raw
        distinct = sorted(set(numbers))
        keys, class_names = numbers, [_number_name(v) for v in distinct]
    else:
        keys, distinct = labels, sorted(set(labels))
        class_names = list(distinct)
    if len(distinct) < 2:
        _fail("csv_one_class", "csv_one_class_at", column=label_column,
              value=shown(class_names[0]))
    index = {v: k for k, v in enumerate(distinct)}
    y = np.array([index[v] for v in keys], dtype=np.int64)
    raw = _Raw(path.name, "classification", X, y, len(distinct), feature_names, class_names)
    raw.reason, raw.params = reason, params
    return raw


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---- split, normalise, bounds ----

def _bounds(X: np.ndarray) -> tuple:
    """Padded plot window over all (n, 1|2) normalised points; () for other widths."""
    if X.shape[1] not in (1, 2):
        return ()
    lo, hi = X.min(axis=0).astype(np.float64), X.max(axis=0).astype(np.float64)
    # A constant feature still needs a window of some width to draw in.
    pad = np.where(hi > lo, BOUNDS_PAD * (hi - lo), 1.0)
    return tuple(float(v) for pair in zip(lo - pad, hi + pad) for v in pair)


def _refuse_overflow(bad: np.ndarray, raw: np.ndarray, names: list, purpose: str):
    """Refuse the first column flagged in ``bad`` whose finite numbers overflowed on the way
    to training (1e300 cells: their standard deviation, or a float32 copy, is infinite).
    ``names``: each column's name (None: the label column); ``purpose``: "standardise" or
    the dtype."""
    if bad.any():
        col = int(np.argmax(bad))
        name = names[col]
        _fail("csv_overflow", "csv_overflow_at", name=None if name is None else shown(name),
              index=col + 1, purpose=purpose,
              biggest=float(np.abs(raw.reshape(len(raw), -1)[:, col]).max()))


def _overflowed(values: np.ndarray) -> np.ndarray:
    """Per column: whether any value is not finite."""
    return ~np.isfinite(values.reshape(len(values), -1)).all(axis=0)


def _split_sizes(n: int, train_fraction: float, val_fraction: float) -> tuple[int, int]:
    """(training rows, validation rows) of n samples; DataError if a split asked for is
    empty."""
    n_train = round(train_fraction * n)
    # Only a fraction of exactly 1 asks for no test set; 0.999 of 400 rounding to all 400
    # would drop a test set that was asked for.
    if not 1 <= n_train <= (n if train_fraction == 1 else n - 1):
        side = "training" if n_train < 1 else "test"
        raise DataError.coded("data.train_fraction", "split_empty", fraction=train_fraction,
                              n=n, side=side)
    n_val = round(val_fraction * n_train)
    if val_fraction and not 1 <= n_val <= n_train - 1:
        raise DataError.coded("data.val_fraction", "split_empty", fraction=val_fraction,
                              n=n_train, side="training" if n_val else "validation")
    return n_train - n_val, n_val


def _finish(raw: _Raw, rng: np.random.Generator, d: dict, dtype: str) -> Dataset:
    """Split (train, validation: the last ``val_fraction`` of the training rows, test),
    standardise the inputs and a regression target with the training split's statistics."""
    n = len(raw.X)
    n_train, n_val = _split_sizes(n, d["train_fraction"], d["val_fraction"])
    normalize = d["normalize"]
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
        y_mean = y_std = None
        if raw.task == "regression":
            # null: a CSV's target is standardised; the built-in sets are already unit-scale.
            scale = d.get("normalize_target")
            if scale or (scale is None and d.get("path")):
                y_train_raw = y[:n_train]
                y_mean = y_train_raw.mean(axis=0)
                flat = y_train_raw.min(axis=0) == y_train_raw.max(axis=0)
                y_std = np.where(flat, 1.0, y_train_raw.std(axis=0))
            y = y.astype(dtype)
    _refuse_overflow(_overflowed(Xn) | ~np.isfinite(std), X, raw.feature_names,
                     "standardise" if normalize else dtype)
    if raw.task == "regression":
        _refuse_overflow(_overflowed(y), raw.y[order], [None] * y.shape[1], dtype)
        if y_std is not None:
            _refuse_overflow(~np.isfinite(y_std), raw.y[order], [None] * y.shape[1],
                             "standardise")
    end = n_train + n_val
    return Dataset(name=raw.name, task=raw.task, X_train=Xn[:n_train], y_train=y[:n_train],
                   X_test=Xn[end:], y_test=y[end:], n_classes=raw.n_classes,
                   feature_names=list(raw.feature_names), class_names=list(raw.class_names),
                   mean=mean, std=std, bounds=_bounds(Xn),
                   X_val=Xn[n_train:end], y_val=y[n_train:end], y_mean=y_mean, y_std=y_std,
                   task_reason=raw.reason, task_params=dict(raw.params))


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
        raw = _load_csv(d["path"], d["label_column"], d["task"])
    elif d["name"] == "digits":
        raw = _digits()
    elif d["name"] in GENERATORS:
        raw = _generated(d["name"], int(d["n_samples"]), float(d["noise"]), int(d["classes"]),
                         rng)
    else:
        raise DataError.coded("data.name", "choice", choices=list(DATASETS),
                              value=repr(d["name"]))
    if not d["path"] and d["task"] not in ("auto", raw.task):
        raise DataError.coded("data.task", "task_builtin", name=raw.name, actual=raw.task,
                              value=d["task"])
    raw.params = {"name": raw.name, **raw.params}
    return _finish(raw, rng, d, dtype)
