"""The notes' hand-made solution of XOR: two ReLU units whose weights are set, not learned.

The lesson's data — config, weights and the four corners — reach the session as one
:class:`~nnvis.core.commands.Handmade` command; the engine knows nothing of XOR.
"""
from __future__ import annotations

import numpy as np

from nnvis.core import commands
from nnvis.core.handmade import handmade_trainer
from nnvis.core.trainer import Trainer

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

#: The four corners {0,1}², unnormalised, as both training and test split (there are no
#: other inputs). The built-in ``xor`` set draws points uniformly in the four quadrants of
#: [-1, 1]² instead, which no 2-unit network can split (see the lesson).
XOR_CORNER_SAMPLES = {
    "name": "xor-corners", "X": XOR_CORNERS.tolist(), "y": XOR_LABELS.tolist(),
    "bounds": [-0.1, 1.1, -0.1, 1.1], "features": ["x", "y"], "classes": ["0", "1"],
}


def handmade_xor_command() -> commands.Handmade:
    """What the lesson's button sends: load the hand-made network in the session."""
    return commands.Handmade(config=HANDMADE_XOR_CONFIG, params=HANDMADE_XOR,
                             samples=XOR_CORNER_SAMPLES)


def handmade_xor_trainer() -> Trainer:
    """The hand-made network on the four corners, as the session builds it from
    :func:`handmade_xor_command`. It classifies all four corners and its loss is 0, so
    training leaves it where it is."""
    cmd = handmade_xor_command()
    return handmade_trainer(cmd.config, cmd.params, cmd.samples)
