"""CSV files of real-looking data that tests write for themselves (issue 19)."""
import numpy as np


def write_csv(path, header, rows):
    path.write_text(",".join(header) + "\n" + "".join(",".join(map(str, r)) + "\n"
                                                    for r in rows))
    return str(path)


def whole_number_regression_csv(tmp_path, n=400, seed=7):
    """Whole-number targets (about 170 distinct values) of a noisy non-linear function of
    four inputs."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (n, 4))
    y = np.rint(150 + 40 * np.sin(1.5 * X[:, 0]) + 25 * X[:, 1] ** 2 - 20 * X[:, 2] * X[:, 3]
                + rng.normal(0, 8, n)).astype(int)
    rows = [[f"{v:.4f}" for v in x] + [t] for x, t in zip(X, y)]
    return write_csv(tmp_path / "score.csv", ["a", "b", "c", "d", "score"], rows)


def three_species_csv(tmp_path, n=150, seed=3, name="species.csv"):
    """Three classes with text labels, four features (iris-like)."""
    rng = np.random.default_rng(seed)
    names = ["setosa", "versicolor", "virginica"]
    centres = np.array([[0, 0, 0, 0], [2, 1, 0, 1], [0, 2, 2, 2]], dtype=float)
    k = np.arange(n) % 3
    X = centres[k] + rng.normal(0, 0.5, (n, 4))
    rows = [[f"{v:.3f}" for v in x] + [names[c]] for x, c in zip(X, k)]
    return write_csv(tmp_path / name, ["sepal_l", "sepal_w", "petal_l", "petal_w", "species"],
                     rows)
