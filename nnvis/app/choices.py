"""The config's choices (data sets, activations, initialisers, losses, optimisers) as the UI
names them: English shows the value itself; a translation may name it in its own words. The
config always keeps the value."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CHOICE_LABELS = {
    # data sets
    "circle": QT_TRANSLATE_NOOP("Choices", "circle"),
    "xor": QT_TRANSLATE_NOOP("Choices", "xor"),
    "gaussian": QT_TRANSLATE_NOOP("Choices", "gaussian"),
    "spiral": QT_TRANSLATE_NOOP("Choices", "spiral"),
    "moons": QT_TRANSLATE_NOOP("Choices", "moons"),
    "checkerboard": QT_TRANSLATE_NOOP("Choices", "checkerboard"),
    "blobs": QT_TRANSLATE_NOOP("Choices", "blobs"),
    "sine": QT_TRANSLATE_NOOP("Choices", "sine"),
    "plane": QT_TRANSLATE_NOOP("Choices", "plane"),
    "digits": QT_TRANSLATE_NOOP("Choices", "digits"),
    # tasks (data.task)
    "auto": QT_TRANSLATE_NOOP("Choices", "auto"),
    "classification": QT_TRANSLATE_NOOP("Choices", "classification"),
    "regression": QT_TRANSLATE_NOOP("Choices", "regression"),
    # activations
    "linear": QT_TRANSLATE_NOOP("Choices", "linear"),
    "sigmoid": QT_TRANSLATE_NOOP("Choices", "sigmoid"),
    "tanh": QT_TRANSLATE_NOOP("Choices", "tanh"),
    "relu": QT_TRANSLATE_NOOP("Choices", "relu"),
    "leaky_relu": QT_TRANSLATE_NOOP("Choices", "leaky_relu"),
    "prelu": QT_TRANSLATE_NOOP("Choices", "prelu"),
    "rrelu": QT_TRANSLATE_NOOP("Choices", "rrelu"),
    "elu": QT_TRANSLATE_NOOP("Choices", "elu"),
    "softplus": QT_TRANSLATE_NOOP("Choices", "softplus"),
    "maxout": QT_TRANSLATE_NOOP("Choices", "maxout"),
    # initialisers
    "zeros": QT_TRANSLATE_NOOP("Choices", "zeros"),
    "constant": QT_TRANSLATE_NOOP("Choices", "constant"),
    "normal": QT_TRANSLATE_NOOP("Choices", "normal"),
    "uniform": QT_TRANSLATE_NOOP("Choices", "uniform"),
    "xavier": QT_TRANSLATE_NOOP("Choices", "xavier"),
    "xavier_uniform": QT_TRANSLATE_NOOP("Choices", "xavier_uniform"),
    "he": QT_TRANSLATE_NOOP("Choices", "he"),
    "lecun": QT_TRANSLATE_NOOP("Choices", "lecun"),
    # losses
    "mse": QT_TRANSLATE_NOOP("Choices", "mse"),
    "binary_cross_entropy": QT_TRANSLATE_NOOP("Choices", "binary_cross_entropy"),
    "cross_entropy": QT_TRANSLATE_NOOP("Choices", "cross_entropy"),
    "hinge": QT_TRANSLATE_NOOP("Choices", "hinge"),
    # optimisers
    "sgd": QT_TRANSLATE_NOOP("Choices", "sgd"),
    "momentum": QT_TRANSLATE_NOOP("Choices", "momentum"),
    "nesterov": QT_TRANSLATE_NOOP("Choices", "nesterov"),
    "rmsprop": QT_TRANSLATE_NOOP("Choices", "rmsprop"),
    "adam": QT_TRANSLATE_NOOP("Choices", "adam"),
}


def choice_label(value) -> str:
    """A config value as the UI names it (numbers and unknown values as they are)."""
    if isinstance(value, bool) or not isinstance(value, str) or value not in CHOICE_LABELS:
        return str(value)
    return QCoreApplication.translate("Choices", CHOICE_LABELS[value])
