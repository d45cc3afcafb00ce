"""The benchmark's four training cases, and how to time a training loop fairly.

Each case is a config for :class:`nnvis.core.Trainer` (plain SGD, cross-entropy: the loop a
textbook writes) plus, for case (c), a synthetic data set. :func:`rates_interleaved` times
several loops in turn, repeat after repeat, so that a noisy shared machine slows them alike.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from nnvis.core import Config, Dataset, Trainer


@dataclass(frozen=True)
class Case:
    key: str
    label: str
    config: dict
    synthetic: bool = False
    #: (fan_in, fan_out) of every dense layer, input to output.
    layers: tuple = field(default=())


def _cfg(data: dict, hidden: list, activation: str, batch: int, init: str = "xavier") -> dict:
    return {"seed": 0, "data": data,
            "model": {"hidden": hidden, "activation": activation, "init": init,
                      "loss": "cross_entropy"},
            "optim": {"name": "sgd", "lr": 0.05, "momentum": 0.0, "batch_size": batch}}


CASES = {
    "a": Case("a", "2-8-8-2 tanh, batch 32 (spiral)",
              _cfg({"name": "spiral"}, [8, 8], "tanh", 32),
              layers=((2, 8), (8, 8), (8, 2))),
    "b": Case("b", "2 → 8×32 sigmoid → 2, batch 64 (spiral)",
              _cfg({"name": "spiral"}, [32] * 8, "sigmoid", 64),
              layers=((2, 32),) + ((32, 32),) * 7 + ((32, 2),)),
    "c": Case("c", "784-256-128-10 ReLU, batch 128 (synthetic)",
              _cfg({"name": "spiral"}, [256, 128], "relu", 128, init="he"), synthetic=True,
              layers=((784, 256), (256, 128), (128, 10))),
    "d": Case("d", "64-128-128-10 ReLU, batch 64 (digits)",
              _cfg({"name": "digits"}, [128, 128], "relu", 64, init="he"),
              layers=((64, 128), (128, 128), (128, 10))),
}


def case_config(case: Case, dtype: str = "float32", optimizer: str = "sgd") -> dict:
    cfg = {**case.config, "dtype": dtype}
    if optimizer != "sgd":
        cfg["optim"] = {**cfg["optim"], "name": optimizer, "lr": 0.01, "momentum": 0.9}
    return cfg


def synthetic_dataset(dtype: str = "float32", n: int = 4096, features: int = 784,
                      classes: int = 10, seed: int = 0) -> Dataset:
    """MNIST-sized Gaussian inputs labelled by a random linear teacher (learnable)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, features))
    y = (X @ rng.standard_normal((features, classes))).argmax(axis=1).astype(np.int64)
    X = X.astype(dtype)
    n_train = n * 7 // 8
    return Dataset(name="synthetic", task="classification", X_train=X[:n_train],
                   y_train=y[:n_train], X_test=X[n_train:], y_test=y[n_train:],
                   n_classes=classes, feature_names=[f"x{i}" for i in range(features)],
                   class_names=[str(c) for c in range(classes)],
                   mean=np.zeros(features), std=np.ones(features), bounds=())


def make_trainer(case: Case, dtype: str = "float32", optimizer: str = "sgd") -> Trainer:
    data = synthetic_dataset(dtype) if case.synthetic else None
    return Trainer(Config.from_dict(case_config(case, dtype, optimizer)), dataset=data)


def nnvis_loop(trainer: Trainer):
    """step(n) -> steps actually run (training stops early only if it diverges)."""
    def run(n: int) -> int:
        before = trainer.step_count
        trainer.step(n)
        if trainer.divergence is not None:
            raise RuntimeError(f"benchmark case diverged: {trainer.divergence['message']}")
        return trainer.step_count - before
    return run


def step_flops(case: Case, batch: int) -> float:
    """Multiply-add FLOPs of the matrix products in one step: forward, dW, and dx except
    for the first layer (whose input needs no gradient)."""
    total = 0
    for i, (fan_in, fan_out) in enumerate(case.layers):
        products = 2 if i == 0 else 3
        total += products * 2 * batch * fan_in * fan_out
    return float(total)


def calibrate(run, seconds: float) -> float:
    """Rough steps/s of ``run`` (after a warm-up), used to size the timed runs."""
    run(3)
    n, spent = 4, 0.0
    for _ in range(20):
        t0 = time.perf_counter()
        done = run(n)
        dt = time.perf_counter() - t0
        spent += dt
        if dt >= min(0.05, seconds / 4) or spent > seconds:
            break
        n *= 4
    return done / max(dt, 1e-9)


def rates_interleaved(runs: dict, seconds: float, repeats: int, gap: float = 0.0) -> dict:
    """Time each loop of ``runs`` ({name: run(n) -> steps done}) for ``seconds`` per repeat,
    alternating the order each repeat. Returns {name: [steps/s per repeat]}.

    ``gap`` seconds of sleep before each timed run let the previous library's worker threads
    stop spinning (OpenBLAS and OpenMP pools busy-wait after a call) so they do not steal the
    next run's cores."""
    est = {name: calibrate(run, seconds) for name, run in runs.items()}
    out = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeats):
        for name in (names if r % 2 == 0 else names[::-1]):
            n = max(1, int(est[name] * seconds))
            if gap:
                time.sleep(gap)
            t0 = time.perf_counter()
            done = runs[name](n)
            out[name].append(done / (time.perf_counter() - t0))
    return out


def median(values) -> float:
    return float(np.median(values)) if len(values) else float("nan")


def paired_ratio(a: list, b: list) -> float:
    """Median of the per-repeat ratios a/b (runs taken side by side)."""
    return median([x / y for x, y in zip(a, b) if y > 0])
