"""Networks whose weights are set, not learned: the notes build some by hand (XOR with two
ReLU units) to show that a solution exists before any training finds one.

The lessons own those networks and hand them to the session as data — a config, the
weights, and the few samples they are about (:class:`~nnvis.core.commands.Handmade`).
"""
from __future__ import annotations

import numpy as np

from .config import Config
from .data import Dataset
from .trainer import Trainer


def samples_dataset(samples: dict, dtype) -> Dataset:
    """The given samples as both splits, unnormalised: ``{"name", "X": (n, 2) lists,
    "y": class labels (n,), "bounds": (xmin, xmax, ymin, ymax), "features"?, "classes"?}``."""
    X = np.asarray(samples["X"], dtype=dtype)
    y = np.asarray(samples["y"], dtype=np.int64)
    n_classes = int(y.max()) + 1 if len(y) else 0
    n_features = X.shape[1] if X.ndim == 2 else 0
    return Dataset(name=str(samples["name"]), task="classification",
                   X_train=X, y_train=y, X_test=X.copy(), y_test=y.copy(),
                   n_classes=n_classes,
                   feature_names=list(samples.get("features", ["x", "y"][:n_features])),
                   class_names=list(samples.get("classes", map(str, range(n_classes)))),
                   mean=np.zeros(n_features), std=np.ones(n_features),
                   bounds=tuple(float(b) for b in samples["bounds"]))


def handmade_trainer(config: dict, params: dict, samples: dict) -> Trainer:
    """A trainer of ``config`` on ``samples`` (see :func:`samples_dataset`) whose
    parameters are ``params`` (name -> nested lists, shaped like the model's). A parameter
    that does not fit the model is a ConfigError. The trainer's data are not the ones its
    config names: rebuild it with this function, not from ``trainer.config``."""
    cfg = Config.from_dict(config)
    trainer = Trainer(cfg, dataset=samples_dataset(samples, cfg.get("dtype")))
    trainer.set_parameters(params)
    return trainer
