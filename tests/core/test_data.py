"""Datasets: generators, digits, CSV validation, split, normalisation, bounds."""
import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnvis import RESOURCES
from nnvis.core.config import DATASETS, ConfigError
from nnvis.core.data import (
    GENERATORS, MAX_CSV_BYTES, MULTICLASS, NOISE_SCALE, PLANE_WEIGHTS, DataError, Dataset,
    load_dataset, make_checkerboard, make_circle, make_sine, make_xor,
)

CLASSIFICATION_2D = ["circle", "xor", "gaussian", "spiral", "moons", "checkerboard", "blobs"]


def load(name, seed=0, dtype="float32", **data):
    return load_dataset({"name": name, **data}, seed, dtype)


def everything(ds: Dataset):
    return [ds.X_train, ds.y_train, ds.X_test, ds.y_test, ds.mean, ds.std]


# ---- shapes, dtypes, classes ----

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_has_consistent_shapes_and_dtypes(name, dtype):
    ds = load(name, dtype=dtype, n_samples=200)
    n = 1797 if name == "digits" else 200
    assert len(ds.X_train) == round(0.8 * n) and len(ds.X_train) + len(ds.X_test) == n
    assert ds.X_train.dtype == ds.X_test.dtype == np.dtype(dtype)
    assert ds.X_train.shape[1] == ds.X_test.shape[1] == ds.n_features == len(ds.feature_names)
    assert ds.mean.shape == ds.std.shape == (ds.n_features,)
    if name in ("sine", "plane"):
        assert ds.task == "regression" and ds.n_classes == 0 and ds.class_names == []
        assert ds.n_features == (1 if name == "sine" else 2)
        assert ds.y_train.shape == (len(ds.X_train), 1) and ds.target_dim == 1
        assert ds.y_train.dtype == np.dtype(dtype)
    else:
        assert ds.task == "classification"
        assert ds.y_train.dtype == ds.y_test.dtype == np.int64
        assert ds.y_train.shape == (len(ds.X_train),)
        assert ds.target_dim == ds.n_classes == len(ds.class_names)
        labels = np.concatenate([ds.y_train, ds.y_test])
        assert set(np.unique(labels)) == set(range(ds.n_classes))


@pytest.mark.parametrize("name", sorted(MULTICLASS))
@pytest.mark.parametrize("classes", [2, 3, 7])
def test_multiclass_sets_honour_classes(name, classes):
    ds = load(name, classes=classes, n_samples=140)
    assert ds.n_classes == classes
    assert ds.class_names == [str(k) for k in range(classes)]


def test_fixed_binary_sets_ignore_classes():
    assert load("circle", classes=5).n_classes == 2


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(CLASSIFICATION_2D), n=st.integers(8, 300),
       classes=st.integers(2, 10), seed=st.integers(0, 2**32 - 1))
def test_generated_classes_are_balanced(name, n, classes, seed):
    rng = np.random.default_rng(seed)
    args = (n, 0.1, rng, classes) if name in MULTICLASS else (n, 0.1, rng)
    X, y = GENERATORS[name](*args)
    counts = np.bincount(y)
    assert X.shape == (n, 2) and y.shape == (n,)
    assert counts.sum() == n and counts.max() - counts.min() <= 1


# ---- reproducibility ----

@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_is_bit_identical_and_other_seed_differs(name):
    a, b, c = load(name, seed=7), load(name, seed=7), load(name, seed=8)
    for x, y in zip(everything(a), everything(b)):
        assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
    assert a.bounds == b.bounds
    assert not np.array_equal(a.X_train, c.X_train)


def test_generators_draw_only_from_the_given_rng():
    np.random.seed(0)
    expected = np.random.random()
    np.random.seed(0)
    load("spiral", seed=1)
    load("digits", seed=1)
    assert np.random.random() == expected


# ---- noise ----

@pytest.mark.parametrize("name", CLASSIFICATION_2D)
def test_noise_moves_the_same_points_by_noise_scale(name):
    # Same seed: the clean draws are shared, so the difference is exactly the added noise.
    clean = load(name, noise=0.0, normalize=False, n_samples=2000)
    noisy = load(name, noise=1.0, normalize=False, n_samples=2000)
    assert np.array_equal(clean.y_train, noisy.y_train)
    shift = noisy.X_train.astype(np.float64) - clean.X_train
    assert shift.std() == pytest.approx(NOISE_SCALE, rel=0.1)


def test_regression_noise_is_target_std():
    clean = load("sine", noise=0.0, normalize=False, n_samples=2000, dtype="float64")
    noisy = load("sine", noise=0.3, normalize=False, n_samples=2000, dtype="float64")
    assert np.array_equal(clean.y_train, np.sin(clean.X_train))
    assert (noisy.y_train - clean.y_train).std() == pytest.approx(0.3, rel=0.1)


def test_plane_is_linear_without_noise():
    ds = load("plane", noise=0.0, normalize=False, dtype="float64")
    np.testing.assert_allclose(ds.y_train[:, 0], ds.X_train @ np.array(PLANE_WEIGHTS))


def knn_accuracy(ds: Dataset) -> float:
    d = ((ds.X_test[:, None, :] - ds.X_train[None, :, :]) ** 2).sum(-1)
    return float((ds.y_train[d.argmin(1)] == ds.y_test).mean())


@pytest.mark.parametrize("name", CLASSIFICATION_2D)
def test_default_noise_is_learnable_and_heavy_noise_is_not(name):
    # 1-nearest-neighbour accuracy stands in for "a small net can learn this".
    # Checkerboard is the hardest: 16 cells, much boundary (about 0.83 here).
    assert knn_accuracy(load(name, seed=3, n_samples=1000)) > 0.8
    assert knn_accuracy(load(name, seed=3, n_samples=1000, noise=10.0)) < 0.75


# ---- geometry of the clean sets ----

def test_xor_labels_match_quadrants():
    X, y = make_xor(500, 0.0, np.random.default_rng(0))
    assert np.array_equal(y, (np.sign(X[:, 0]) * np.sign(X[:, 1]) < 0).astype(int))
    ds = load("xor", noise=0.0, normalize=False)
    raw = ds.X_train
    assert np.array_equal(ds.y_train, (raw[:, 0] * raw[:, 1] < 0).astype(np.int64))


def test_circle_is_disc_inside_ring():
    X, y = make_circle(500, 0.0, np.random.default_rng(0))
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 0].max() <= 0.5 and r[y == 1].min() >= 0.7 and r.max() <= 1.0


def test_checkerboard_labels_alternate_by_cell():
    X, y = make_checkerboard(500, 0.0, np.random.default_rng(0))
    cell = np.floor((X + 1) / 0.5).astype(int)
    assert cell.min() >= 0 and cell.max() <= 3
    assert np.array_equal(y, cell.sum(1) % 2)


def test_sine_x_spans_minus_pi_to_pi():
    X, y = make_sine(500, 0.0, np.random.default_rng(0))
    assert X.shape == y.shape == (500, 1)
    assert -np.pi <= X.min() < -3 and 3 < X.max() <= np.pi


# ---- digits ----

def test_digits_is_the_full_uci_set():
    ds = load("digits", normalize=False, n_samples=50, noise=3.0, classes=3)
    X = np.vstack([ds.X_train, ds.X_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    assert X.shape == (1797, 64) and ds.n_classes == 10
    assert ds.class_names == [str(d) for d in range(10)] and len(ds.feature_names) == 64
    assert X.min() == 0 and X.max() == 16 and np.array_equal(X, np.round(X))
    assert np.bincount(y).min() >= 170  # each digit has 174..183 samples
    assert ds.bounds == ()


def test_digits_file_is_shipped_with_attribution():
    with gzip.open(RESOURCES / "digits.csv.gz", "rt") as f:
        assert sum(1 for _ in f) == 1797
    text = (RESOURCES / "DIGITS_ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Alpaydin" in text and "CC BY 4.0" in text


# ---- normalisation, transform, bounds ----

@pytest.mark.parametrize("name", DATASETS)
def test_normalised_train_has_zero_mean_unit_std(name):
    ds = load(name, dtype="float64")
    assert np.all(ds.std > 0)
    varying = np.ptp(ds.X_train, axis=0) > 0
    np.testing.assert_allclose(ds.X_train.mean(0), 0, atol=1e-9)
    np.testing.assert_allclose(ds.X_train.std(0)[varying], 1, rtol=1e-9)


def test_constant_columns_get_std_one():
    ds = load("digits")
    constant = ds.mean == 0  # pixels that are blank in every training image
    assert constant.any() and np.all(ds.std[constant] == 1)
    assert np.all(ds.X_train[:, constant] == 0)


def test_without_normalize_features_stay_raw():
    ds = load("moons", normalize=False)
    assert np.all(ds.mean == 0) and np.all(ds.std == 1)
    assert np.abs(ds.X_train).max() < 3  # raw moons coordinates, not standardised


@pytest.mark.parametrize("name", ["spiral", "sine", "digits", "plane"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_transform_maps_raw_points_like_the_dataset(name, dtype):
    # Same seed => same shuffle, so the raw load holds the same points in the same order.
    raw = load(name, normalize=False, dtype="float64")
    ds = load(name, dtype=dtype)
    out = ds.transform(raw.X_test)
    assert out.dtype == np.dtype(dtype)
    assert out.tobytes() == ds.X_test.tobytes()
    np.testing.assert_allclose(ds.inverse_transform(ds.transform(raw.X_train)), raw.X_train,
                               rtol=1e-5, atol=1e-5)
    assert ds.transform(raw.X_train[0]).shape == (ds.n_features,)
    with pytest.raises(ValueError):
        ds.transform(np.zeros((3, ds.n_features + 1)))


@pytest.mark.parametrize("name", [n for n in DATASETS if n != "digits"])
def test_bounds_contain_all_points_with_padding(name):
    ds = load(name, noise=0.3)
    X = np.vstack([ds.X_train, ds.X_test]).astype(np.float64)
    b = ds.bounds
    assert len(b) == 2 * ds.n_features and all(isinstance(v, float) for v in b)
    for k in range(ds.n_features):
        lo, hi = b[2 * k], b[2 * k + 1]
        span = X[:, k].max() - X[:, k].min()
        assert lo < X[:, k].min() and X[:, k].max() < hi
        assert (hi - lo) == pytest.approx(1.2 * span, rel=1e-6)


# ---- split ----

@given(frac=st.floats(0.01, 0.99), n=st.integers(8, 100))
@settings(max_examples=50, deadline=None)
def test_split_sizes_follow_train_fraction(frac, n):
    k = round(frac * n)
    if 1 <= k <= n - 1:
        ds = load("gaussian", n_samples=n, train_fraction=frac)
        assert (len(ds.X_train), len(ds.X_test)) == (k, n - k)
    else:
        with pytest.raises(DataError) as err:
            load("gaussian", n_samples=n, train_fraction=frac)
        assert err.value.path == "data.train_fraction"


def test_split_shuffles_classes():
    ds = load("spiral", classes=3)
    assert set(ds.y_test) == {0, 1, 2}


def test_bad_name_and_dtype():
    with pytest.raises(DataError) as err:
        load("nope")
    assert err.value.path == "data.name"
    with pytest.raises(DataError) as err:
        load("spiral", dtype="float16")
    assert err.value.path == "dtype"


# ---- CSV ----

def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def rows(n, label=lambda i: "ab"[i % 2]):
    return "".join(f"{i},{i * 0.5},{label(i)}\n" for i in range(n))


def load_csv(path, label="label", **data):
    return load_dataset({"path": path, "label_column": label, **data}, 0, "float32")


def csv_error(path, label="label"):
    with pytest.raises(DataError) as err:
        load_csv(path, label)
    assert isinstance(err.value, ConfigError) and err.value.path == "data.path"
    return str(err.value)


def test_csv_classification_loads(tmp_path):
    path = write(tmp_path, "x1,x2,label\n" + rows(20) + "\n\n", name="pts.csv")
    ds = load_csv(path)
    assert ds.name == "pts.csv" and ds.task == "classification"
    assert ds.feature_names == ["x1", "x2"] and ds.class_names == ["a", "b"]
    assert ds.X_train.shape == (16, 2) and ds.X_test.shape == (4, 2)
    assert ds.y_train.dtype == np.int64 and len(ds.bounds) == 4
    raw = load_csv(path, normalize=False)
    X = np.vstack([raw.X_train, raw.X_test])
    y = np.concatenate([raw.y_train, raw.y_test])
    # Each row's label must travel with its features through the shuffle.
    assert np.array_equal(y, (X[:, 0].astype(int) % 2))


def test_csv_label_column_can_be_anywhere_and_numeric_labels_sort_numerically(tmp_path):
    body = "".join(f"{[2, 10, 1][i % 3]},{i}\n" for i in range(12))
    ds = load_csv(write(tmp_path, "label,only\n" + body), normalize=False)
    assert ds.feature_names == ["only"] and ds.class_names == ["1", "2", "10"]
    assert ds.bounds[0] < 0 and len(ds.bounds) == 2
    X = np.concatenate([ds.X_train[:, 0], ds.X_test[:, 0]]).astype(int)
    y = np.concatenate([ds.y_train, ds.y_test])
    assert np.array_equal(y, np.array([1, 2, 0])[X % 3])


def test_csv_many_integer_labels_with_few_rows_each_are_a_regression_target(tmp_path):
    ds = load_csv(write(tmp_path, "x,label\n" + "".join(f"{i},{i}\n" for i in range(30))))
    assert ds.task == "regression" and ds.task_reason == "task_sparse_values"
    assert ds.task_params == {"name": ds.name, "column": "label", "values": 30, "most": 10,
                              "sparse": 30, "min_rows": 20}


def test_csv_many_integer_labels_with_many_rows_each_stay_classification(tmp_path):
    body = "".join(f"{i},{i % 12}\n" for i in range(12 * 20))
    ds = load_csv(write(tmp_path, "x,label\n" + body))
    assert ds.task == "classification" and ds.n_classes == 12
    assert ds.task_reason == "task_many_classes"


def test_csv_regression_loads(tmp_path):
    body = "".join(f"{i},{i / 7:.4f}\n" for i in range(40))
    ds = load_csv(write(tmp_path, "\ufeffx,label\n" + body), normalize=False)  # BOM is fine
    assert ds.task == "regression" and ds.n_classes == 0 and ds.class_names == []
    assert ds.y_train.shape == (32, 1) and ds.y_train.dtype == np.float32
    np.testing.assert_allclose(ds.y_train[:, 0], ds.X_train[:, 0] / 7, atol=1e-4)


@pytest.mark.parametrize("text, expected", [
    ("", "empty"),
    ("\n\n", "empty"),
    ("x1,x2,label\n", "no data rows"),
    ("x1,x2,label\n" + rows(5), "only 5 data rows"),
    ("x1,x2,label\n" + rows(5) + "1,2\n" + rows(4), "row 7 has 2 cells, header has 3"),
    ("x1,x2,label\n" + rows(10) + "1,abc,a\n", "row 12, column 'x2': 'abc' is not a number"),
    ("x1,x2,label\n" + rows(3) + ",1,a\n" + rows(6), "row 5, column 'x1': '' is not a number"),
    ("x1,x2,label\n" + rows(8) + "nan,1,a\n", "row 10, column 'x1': 'nan' is not a finite"),
    ("x1,x2,label\n" + rows(8) + "1,-inf,a\n", "row 10, column 'x2': '-inf' is not a finite"),
    ("x1,x2,label\n" + rows(8) + "1,2,\n", "row 10, column 'label': the label is empty"),
    ("a,b,c\n" + rows(10), "no column 'label'; columns are: a, b, c"),
    ("x,x,label\n" + rows(10), "column name 'x' appears twice (columns 1 and 2)"),
    ("x,,label\n" + rows(10), "column 2 has no name"),
    ("label\n" + "a\n" * 10, "only the label column"),
    ("x1,x2,label\n" + rows(10, label=lambda i: "z"), "only one class ('z')"),
    ("x1,x2,label\n" + rows(10, label=lambda i: "7"), "only one class ('7')"),
    ("x1,x2,label\n" + rows(9, label=lambda i: [1, "inf"][i % 2]), "row 3, column 'label'"),
])
def test_csv_errors_name_the_problem(tmp_path, text, expected):
    assert expected in csv_error(write(tmp_path, text))


def test_csv_missing_file(tmp_path):
    assert "no such file" in csv_error(str(tmp_path / "absent.csv"))


def test_csv_directory(tmp_path):
    assert "not a file" in csv_error(str(tmp_path))


def test_csv_not_utf8(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes(b"x,label\n1,a\n2,caf\xe9\n" + b"3,b\n" * 8)
    assert "not UTF-8 text (line 3)" in csv_error(str(p))


def test_csv_too_big(tmp_path):
    p = tmp_path / "big.csv"
    with open(p, "wb") as f:
        f.write(b"x,label\n")
        f.truncate(MAX_CSV_BYTES + 1)  # sparse: no 50 MB actually written
    assert "limit is 50 MB" in csv_error(str(p))


def test_csv_parser_errors_name_the_line(tmp_path):
    huge = '"' + "a" * 200_000 + '"'  # beyond the csv module's field size limit
    path = write(tmp_path, "x,label\n" + "1,a\n" * 4 + f"2,{huge}\n" + "3,b\n" * 5)
    assert "line 6" in csv_error(path)


def big_cell_csv(tmp_path, where: str) -> str:
    """20 rows of x1, x2 and a regression target y (all different, not whole numbers), with
    one 1e300 cell in column ``where``."""
    lines = [f"{i},{i * 0.5},{i + 0.25}" for i in range(20)]
    column = ["x1", "x2", "y"].index(where)
    cells = lines[3].split(",")
    cells[column] = "1e300"
    lines[3] = ",".join(cells)
    return write(tmp_path, "x1,x2,y\n" + "\n".join(lines) + "\n")


@pytest.mark.parametrize("where, normalize, fragment", [
    ("x1", True, "column 'x1' holds numbers too large to standardise"),
    ("x1", False, "column 'x1' holds numbers too large for float32"),
    ("y", True, "the label column holds numbers too large for float32"),
])
def test_numbers_too_large_to_train_on_are_refused_naming_the_column(tmp_path, where,
                                                                     normalize, fragment):
    # Once a RuntimeWarning on stderr, and a column standardised to zeros without a word.
    with pytest.raises(DataError, match=fragment) as info:
        load_csv(big_cell_csv(tmp_path, where), label="y", normalize=normalize)
    assert "(up to 1e+300): rescale it" in str(info.value)
