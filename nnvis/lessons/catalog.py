"""The catalogue of lessons. Qt-free: the CLI and the tests use it headless.

A lesson is a partial config (merged over the defaults) plus a short explanation in
English and Simplified Chinese, the panels to bring forward and **one switch to flip**
(``compare``): the single change that shows the other side of the lesson's comparison
(e.g. sigmoid → ReLU + He). ``variants`` lists the other switches the text suggests.
Every number a text quotes is measured by ``tests/lessons/test_lessons.py`` on this engine.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from nnvis.core import ConfigError

from . import texts_en, texts_zh

PANELS = ("topology", "activation", "loss", "histograms", "gradient_flow", "data", "controls",
          "backprop")


@dataclass(frozen=True)
class Lesson:
    id: str
    title: dict            # {"en": ..., "zh": ...}
    config: dict           # a partial config (merged over the defaults)
    text: dict = field(default_factory=dict)   # {"en": html, "zh": html}
    panels: tuple = ()     # panel ids to bring forward, most important first
    #: The one switch to flip: {"dotted.path": value, ...}, applied with
    #: ``Trainer.apply_changes`` / ``Config.with_changes``. Empty for "default".
    compare: dict = field(default_factory=dict)
    compare_label: dict = field(default_factory=dict)   # {"en": ..., "zh": ...} button text
    #: Other switches the text suggests: ({"label": {"en", "zh"}, "changes": {...}}, ...)
    variants: tuple = ()
    #: Steps to run to see the effect (headless CLI / tests); 0 = look before training.
    steps: int = 500
    #: ``layer_stats`` / evaluation keys the lesson is about (for highlighting).
    look_at: tuple = ()
    #: Views the text walks through, one button each: ({"label": {"en", "zh"},
    #: "view": "panel:what"}, ...), e.g. "backprop:add_mul" shows that graph.
    views: tuple = ()


# Hanzi and CJK / full-width punctuation. HTML turns a source line break into a space, which
# Chinese does not put between characters, so breaks between two of these are removed.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def _lesson(lesson_id, config, panels, compare=None, compare_label=None, variants=(),
            steps=500, look_at=(), views=()):
    title_en, text_en = texts_en.TEXTS[lesson_id]
    title_zh, text_zh = texts_zh.TEXTS[lesson_id]
    return Lesson(id=lesson_id, title={"en": title_en, "zh": title_zh}, config=config,
                  text={"en": text_en.strip(), "zh": _CJK_BREAK.sub("", text_zh.strip())},
                  panels=tuple(panels),
                  compare=dict(compare or {}), compare_label=dict(compare_label or {}),
                  variants=tuple(variants), steps=steps, look_at=tuple(look_at),
                  views=tuple(views))


def _variant(en, zh, changes=None, restart=False, **fields):
    """A suggested switch: ``changes`` (dotted paths) and/or ``fields`` (``model__init=``).

    The app applies it to the *running* network, which may already carry the lesson's flip or
    another variant, so it must set every field its label names ("tanh + Xavier" sets both),
    not only the one that differs from the preset. ``restart``: the app starts training over
    from fresh weights with it, for a switch whose number is counted from the start."""
    dotted = {k.replace("__", "."): v for k, v in fields.items()}
    return {"label": {"en": en, "zh": zh}, "changes": {**(changes or {}), **dotted},
            "restart": restart}


def _preset(data, optim, hidden, activation, init="xavier", init_scale=1.0, dropout=0.0,
            loss="cross_entropy"):
    """A lesson's config with every model field spelled out (batch norm and residual off):
    the numbers a text quotes must not move when a default does."""
    return {"seed": 0, "data": data,
            "model": {"hidden": hidden, "activation": activation, "init": init,
                      "init_scale": init_scale, "batch_norm": False, "dropout": dropout,
                      "residual": False, "loss": loss},
            "optim": optim}


# The deep sigmoid network of the vanishing-gradient, batch-norm and residual lessons.
_DEEP_SIGMOID = _preset(
    {"name": "circle", "n_samples": 400, "noise": 0.1, "normalize": True},
    {"name": "sgd", "lr": 0.5, "batch_size": 32, "l1": 0.0, "l2": 0.0, "clip_norm": None},
    [16] * 8, "sigmoid")


def _fix(activation="sigmoid", init="xavier", batch_norm=False, residual=False):
    """One fix for the deep sigmoid net, with the other three switches back at the preset's
    values, so the fixes can be tried in any order."""
    return {"model.activation": activation, "model.init": init,
            "model.batch_norm": batch_norm, "model.residual": residual}


# Few noisy points, a big network: the overfitting and dropout lessons share it.
_SMALL_NOISY_SPIRAL = {"name": "spiral", "n_samples": 80, "noise": 0.3, "classes": 2,
                       "train_fraction": 0.5, "normalize": True}


_LESSON_LIST = [
    _lesson(
        "default",
        {"seed": 0, "data": {"name": "spiral"},
         "model": {"hidden": [16, 16, 16], "activation": "tanh"}},
        panels=("data", "loss", "topology"),
        compare={"model.activation": "relu"},
        compare_label={"en": "Try ReLU", "zh": "换成 ReLU"},
        variants=(
            _variant("No non-linearity (linear)", "去掉非线性（linear）",
                     model__activation="linear"),
        ),
        steps=1000, look_at=("test_acc",),
    ),
    _lesson(
        "backprop", _DEEP_SIGMOID,
        panels=("backprop", "data", "topology"),
        compare=_fix(activation="relu", init="he"),
        compare_label={"en": "ReLU + He init", "zh": "ReLU + He 初始化"},
        views=(
            {"label": {"en": "1. f = (x + y)·z", "zh": "1. f = (x + y)·z"},
             "view": "backprop:add_mul"},
            {"label": {"en": "2. The sigmoid neuron", "zh": "2. sigmoid 神经元"},
             "view": "backprop:sigmoid_neuron"},
            {"label": {"en": "3. The network on one sample", "zh": "3. 网络上的一个样本"},
             "view": "backprop:network"},
        ),
        steps=0, look_at=("grad_norm_W",),
    ),
    _lesson(
        "vanishing-gradients", _DEEP_SIGMOID,
        panels=("gradient_flow", "topology", "activation", "loss"),
        compare=_fix(activation="relu", init="he"),
        compare_label={"en": "ReLU + He init", "zh": "ReLU + He 初始化"},
        variants=(
            _variant("tanh + Xavier init", "tanh + Xavier 初始化", _fix(activation="tanh")),
            _variant("Sigmoid + batch norm", "sigmoid + 批归一化", _fix(batch_norm=True)),
            _variant("Sigmoid + residual connections", "sigmoid + 残差连接",
                     _fix(residual=True)),
        ),
        steps=0, look_at=("grad_norm_W", "grad_norm_act"),
    ),
    _lesson(
        "batchnorm-rescue", _DEEP_SIGMOID,
        panels=("data", "loss", "gradient_flow"),
        compare={"model.batch_norm": True},
        compare_label={"en": "Turn batch norm on", "zh": "打开批归一化"},
        steps=2000, look_at=("test_acc", "grad_norm_W"),
    ),
    _lesson(
        "residual", _DEEP_SIGMOID,
        panels=("loss", "gradient_flow", "data"),
        # The depth is part of the switch: after "Only 1 hidden layer" the flip must bring
        # the 8 layers back, or the skip would have nothing to skip.
        compare={"model.hidden": [16] * 8, "model.residual": True},
        compare_label={"en": "Residual connections", "zh": "残差连接"},
        variants=(
            _variant("Only 1 hidden layer", "只用 1 个隐藏层", model__hidden=[16],
                     model__residual=False),
        ),
        steps=2000, look_at=("train_acc", "grad_norm_act"),
    ),
    _lesson(
        "init-scale",
        _preset({"name": "gaussian", "n_samples": 400, "noise": 0.1, "normalize": True},
                {"name": "sgd", "lr": 0.01, "batch_size": 32},
                [500] * 10, "tanh", init="normal", init_scale=0.01),
        panels=("histograms", "activation", "gradient_flow"),
        compare={"model.init": "xavier", "model.init_scale": 1.0},
        compare_label={"en": "Xavier init", "zh": "Xavier 初始化"},
        variants=(
            _variant("Normal init, scale 1.0 (saturates)", "正态初始化，尺度 1.0（饱和）",
                     model__init="normal", model__init_scale=1.0),
        ),
        steps=0, look_at=("act_std", "saturated_fraction"),
    ),
    _lesson(
        "dead-relu",
        _preset({"name": "spiral", "n_samples": 400, "noise": 0.1, "classes": 2},
                {"name": "sgd", "lr": 1.0, "batch_size": 8, "clip_norm": None},
                [32, 32, 32], "relu"),
        panels=("topology", "gradient_flow", "activation"),
        compare={"model.activation": "leaky_relu"},
        compare_label={"en": "Leaky ReLU", "zh": "换成 Leaky ReLU"},
        variants=(
            _variant("ReLU, learning rate 0.1", "ReLU，学习率 0.1", model__activation="relu",
                     optim__lr=0.1),
        ),
        steps=300, look_at=("dead_fraction",),
    ),
    _lesson(
        "zero-init-symmetry",
        _preset({"name": "circle", "n_samples": 400, "noise": 0.1},
                {"name": "sgd", "lr": 0.1, "batch_size": 16},
                [8, 8], "tanh", init="constant", init_scale=0.3),
        panels=("topology", "data", "loss", "histograms"),
        compare={"model.init": "xavier", "model.init_scale": 1.0},
        compare_label={"en": "Random (Xavier) init", "zh": "随机（Xavier）初始化"},
        variants=(
            _variant("All-zero init", "全零初始化", model__init="zeros"),
        ),
        steps=500, look_at=("test_acc",),
    ),
    _lesson(
        "xor",
        _preset({"name": "xor", "n_samples": 200, "noise": 0.0, "normalize": True},
                {"name": "adam", "lr": 0.03, "batch_size": 20},
                [], "relu"),
        panels=("data", "topology", "loss"),
        compare={"model.hidden": [8]},
        compare_label={"en": "Add a hidden layer", "zh": "加一个隐藏层"},
        steps=500, look_at=("test_acc",),
    ),
    _lesson(
        "sigmoid-not-zero-centered",
        _preset({"name": "circle", "n_samples": 400, "noise": 0.1},
                {"name": "sgd", "lr": 0.1, "batch_size": 1},
                [8, 8], "sigmoid"),
        panels=("topology", "loss", "activation"),
        compare={"model.activation": "tanh"},
        compare_label={"en": "Zero-centred tanh", "zh": "以零为中心的 tanh"},
        steps=1000, look_at=("grad_norm_W",),
    ),
    _lesson(
        "overfitting",
        _preset(dict(_SMALL_NOISY_SPIRAL),
                {"name": "adam", "lr": 0.01, "batch_size": 10, "l1": 0.0, "l2": 0.0},
                [64, 64], "relu", init="he"),
        panels=("loss", "data"),
        compare={"optim.l2": 0.01},
        compare_label={"en": "L2 regularisation 0.01", "zh": "L2 正则化 0.01"},
        variants=(
            _variant("Dropout 0.5 (no L2)", "Dropout 0.5（不加 L2）", model__dropout=0.5,
                     optim__l2=0.0),
        ),
        steps=600, look_at=("train_loss", "test_loss"),
    ),
    _lesson(
        "dropout",
        _preset(dict(_SMALL_NOISY_SPIRAL),
                {"name": "adam", "lr": 0.01, "batch_size": 10, "l1": 0.0, "l2": 0.0},
                [64, 64], "relu", init="he", dropout=0.5),
        panels=("topology", "loss", "data"),
        compare={"model.dropout": 0.0},
        compare_label={"en": "Dropout off", "zh": "关闭 dropout"},
        variants=(
            _variant("Dropout 0.2", "Dropout 0.2", model__dropout=0.2),
        ),
        steps=600, look_at=("train_loss", "test_loss"),
    ),
    _lesson(
        "universal-approximation",
        _preset({"name": "sine", "n_samples": 200, "noise": 0.05, "normalize": True},
                {"name": "adam", "lr": 0.01, "batch_size": 20},
                [16], "relu", loss="mse"),
        panels=("data", "topology", "loss"),
        compare={"model.hidden": [2]},
        compare_label={"en": "Only 2 hidden units", "zh": "只用 2 个隐藏神经元"},
        variants=(
            _variant("16 tanh units", "16 个 tanh 神经元", model__activation="tanh",
                     model__hidden=[16]),
        ),
        steps=1000, look_at=("test_loss",),
    ),
    _lesson(
        "softmax-vs-hinge",
        _preset({"name": "spiral", "classes": 3, "n_samples": 300, "noise": 0.0},
                {"name": "sgd", "lr": 0.1, "batch_size": 30},
                [32, 32], "relu", init="he"),
        panels=("data", "loss"),
        compare={"model.loss": "hinge"},
        compare_label={"en": "Hinge (SVM) loss", "zh": "hinge（SVM）损失"},
        steps=2000, look_at=("train_loss", "train_acc"),
    ),
    _lesson(
        "learning-rate",
        _preset({"name": "sine", "n_samples": 200, "noise": 0.05, "normalize": True},
                {"name": "sgd", "lr": 0.001, "batch_size": 20, "clip_norm": None},
                [16, 16], "tanh", loss="mse"),
        panels=("loss", "data", "controls"),
        compare={"optim.lr": 0.1},
        compare_label={"en": "Learning rate 0.1", "zh": "学习率 0.1"},
        variants=(
            # Restarts: the text's "diverges at step 18" is the step the banner names, which
            # counts from the start of training.
            _variant("Learning rate 1.0, from the start (diverges)", "学习率 1.0，从头开始（发散）",
                     restart=True, optim__lr=1.0),
        ),
        steps=1000, look_at=("train_loss",),
    ),
]

LESSONS: dict[str, Lesson] = {lesson.id: lesson for lesson in _LESSON_LIST}


def preset_config(lesson_id: str) -> dict:
    """A copy of the lesson's partial config (mutating it leaves the catalogue intact)."""
    try:
        return copy.deepcopy(LESSONS[lesson_id].config)
    except KeyError:
        raise ConfigError("preset", f"unknown preset {lesson_id!r} (known: "
                                    f"{', '.join(LESSONS)})") from None
