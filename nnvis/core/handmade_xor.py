"""The notes' hand-made solution of XOR: two ReLU units whose weights are set, not learned.

It lives in the engine (not with the lessons) because the session loads it on the
``("handmade_xor",)`` command, and the engine must not reach up into the lessons.
"""
from __future__ import annotations

import numpy as np

from .config import Config
from .data import Dataset
from .trainer import Trainer

#: The four corners of the notes' truth table: <0,0>⇒0, <0,1>⇒1, <1,0>⇒1, <1,1>⇒0.
XOR_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_LABELS = np.array([0, 1, 1, 0])

#: The notes' hand-made network, weights laid out as the engine stores them (x @ W + b):
#: h₁ = relu(x + y − 1), h₂ = relu(−x − y + 1); out = −h₁ − h₂ + 1.
#: The output layer has two columns (one score per class, argmax picks the class): column 1
#: is the notes' ``out`` exactly, column 0 its complement 1 − out = h₁ + h₂, so with the
#: squared-error loss on one-hot targets the loss is exactly 0 on the four corners.
HANDMADE_XOR = {
    "hidden1.W": [[1.0, -1.0], [1.0, -1.0]],
    "hidden1.b": [-1.0, 1.0],
    "output.W": [[1.0, -1.0], [1.0, -1.0]],
    "output.b": [0.0, 1.0],
}

HANDMADE_XOR_CONFIG = {
    "seed": 0,
    "data": {"name": "xor", "noise": 0.0, "normalize": False},
    "model": {"hidden": [2], "activation": "relu", "init": "xavier", "batch_norm": False,
              "dropout": 0.0, "residual": False, "loss": "mse"},
    "optim": {"name": "sgd", "lr": 0.05, "batch_size": 4, "l1": 0.0, "l2": 0.0},
}


def xor_corners_dataset(dtype: str = "float32") -> Dataset:
    """The four corners {0,1}², unnormalised, used as both training and test split (there
    are no other inputs). The built-in ``xor`` set draws points uniformly in the four
    quadrants of [-1, 1]² instead, which no 2-unit network can split (see the lesson)."""
    X = XOR_CORNERS.astype(dtype)
    y = XOR_LABELS.astype(np.int64)
    return Dataset(name="xor-corners", task="classification", X_train=X, y_train=y,
                   X_test=X.copy(), y_test=y.copy(), n_classes=2,
                   feature_names=["x", "y"], class_names=["0", "1"],
                   mean=np.zeros(2), std=np.ones(2), bounds=(-0.1, 1.1, -0.1, 1.1))


def handmade_xor_trainer() -> Trainer:
    """A trainer on the four XOR corners whose 2-ReLU-unit network carries the notes'
    hand-made weights (:data:`HANDMADE_XOR`). It classifies all four corners and its loss
    is 0, so training leaves it where it is. The trainer's dataset is not the one its
    config would generate: rebuild it with this function, not from ``trainer.config``."""
    t = Trainer(Config.from_dict(HANDMADE_XOR_CONFIG), dataset=xor_corners_dataset())
    params = t.parameters()
    for name, value in HANDMADE_XOR.items():
        params[name][...] = np.asarray(value, dtype=params[name].dtype)
    return t
