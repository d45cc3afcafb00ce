"""A trained network as one readable, runnable PyTorch file, its weights in a ``.npz``
beside it: ``import model; net = model.load()`` gives the network in eval mode and
``model.predict(rows)`` the class names or the target in its own units.

The module's children are named ``hidden1 … output``, as the app names layers (and names
the layers of a PyTorch model it watches). Each hidden layer is an ``nn.Sequential`` of
``linear`` → [``bn``] → ``act`` → [``dropout``]; a residual layer wraps that body as
``Residual`` (dropout after the skip is added, as nnvis does it).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from nnvis.core.model_spec import ModelSpec

_ACTIVATIONS = {
    "linear": "nn.Identity()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()", "leaky_relu": "nn.LeakyReLU(0.01)",
    "prelu": "nn.PReLU({width}, init=0.25)",
    # Evaluation uses the mean slope (1/8 + 1/3) / 2 = 11/48, as nnvis does.
    "rrelu": "nn.RReLU(1 / 8, 1 / 3)", "elu": "nn.ELU()", "softplus": "nn.Softplus()",
    "maxout": "Maxout({width})",
}

_HEADER = '''"""{title}

Exported by nnvis {version} at step {step} ({dataset}). Run it with PyTorch:

    import {module}
    net = {module}.load()                  # the network, in eval mode
    {module}.predict(rows)                 # {predicts}

``rows``: raw feature values, one row per sample, columns in FEATURES order (or dicts
keyed by feature name). The network itself takes standardised features, (x − INPUT_MEAN) /
INPUT_STD, and returns {returns}.
"""
from collections import OrderedDict
from pathlib import Path

import numpy as np
import torch
from torch import nn

FEATURES = {features}
CLASSES = {classes}
HEAD = {head!r}   # how outputs become predictions: softmax, sigmoid, argmax or regression
INPUT_MEAN = np.array({input_mean})
INPUT_STD = np.array({input_std})
TARGET_MEAN = np.array({target_mean})
TARGET_STD = np.array({target_std})
WEIGHTS = Path(__file__).with_name({weights!r})
'''

_MAXOUT = '''

class Maxout(nn.Module):
    """max of two pieces per unit: the linear layer before it has 2 × width outputs laid out
    (unit0 piece0, unit0 piece1, unit1 piece0, …)."""

    def __init__(self, width):
        super().__init__()
        self.width = width

    def forward(self, z):
        return z.reshape(*z.shape[:-1], self.width, 2).amax(dim=-1)
'''

_RESIDUAL = '''

class Residual(nn.Module):
    """body(x) + x, then dropout: a hidden layer whose input and output widths match."""

    def __init__(self, body, dropout):
        super().__init__()
        self.body = body
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.body(x) + x)
'''

_FOOTER = '''

def build():
    """The network with untrained weights."""
    return nn.Sequential(OrderedDict([
{layers}
    ]))


def load(weights=WEIGHTS):
    """The trained network, in eval mode."""
    net = build()
    with np.load(weights) as saved:
        net.load_state_dict({{name: torch.from_numpy(saved[name]) for name in saved.files}})
    return net.eval()


def standardise(rows):
    """Raw rows (lists, an array, or dicts keyed by feature name) -> the network's input."""
    rows = list(rows) if not hasattr(rows, "shape") else rows
    if len(rows) and isinstance(rows[0], dict):
        rows = [[row[name] for name in FEATURES] for row in rows]
    x = np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    return torch.from_numpy(((x - INPUT_MEAN) / INPUT_STD).astype(np.float32))


def predict(rows, net=None):
    """The predictions for raw ``rows``: {predicts}."""
    net = load() if net is None else net
    with torch.no_grad():
        out = net(standardise(rows)).double().numpy()
    if HEAD == "regression":
        values = out * TARGET_STD + TARGET_MEAN
        return values[:, 0] if values.shape[1] == 1 else values
    index = (out[:, 0] > 0).astype(int) if HEAD == "sigmoid" else out.argmax(axis=1)
    return np.asarray(CLASSES, dtype=object)[index]
'''


def _in_docstring(text: str) -> str:
    """``text`` as it can stand inside the generated ``\"\"\"`` docstring (a file name may
    hold backslashes or quotes)."""
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


def _array(a) -> str:
    return json.dumps([float(v) for v in np.ravel(a)])


def _layer(block) -> str:
    width = block.width
    parts = [f'("linear", nn.Linear({block.fan_in}, {width * block.pieces}))']
    if block.batch_norm is not None:
        parts.append(f'("bn", nn.BatchNorm1d({width * block.pieces}, '
                     f'eps={block.batch_norm["eps"]!r}))')
    parts.append(f'("act", {_ACTIVATIONS[block.activation].format(width=width)})')
    if block.residual:
        body = f"nn.Sequential(OrderedDict([{', '.join(parts)}]))"
        return f'        ("{block.name}", Residual({body}, {block.dropout!r})),'
    if block.dropout:
        parts.append(f'("dropout", nn.Dropout({block.dropout!r}))')
    inner = ",\n            ".join(parts)
    return f'        ("{block.name}", nn.Sequential(OrderedDict([\n            {inner},\n        ]))),'


def state_dict(spec: ModelSpec) -> dict:
    """The weights under the names :func:`build`'s modules give them (PyTorch layout)."""
    out = {}
    for block in spec.blocks:
        prefix = f"{block.name}.body." if block.residual else f"{block.name}."
        out[prefix + "linear.weight"] = block.W.T.copy()
        out[prefix + "linear.bias"] = block.b
        if block.batch_norm is not None:
            bn = block.batch_norm
            out[prefix + "bn.weight"], out[prefix + "bn.bias"] = bn["gamma"], bn["beta"]
            out[prefix + "bn.running_mean"] = bn["running_mean"]
            out[prefix + "bn.running_var"] = bn["running_var"]
            out[prefix + "bn.num_batches_tracked"] = np.zeros((), dtype=np.int64)
        if block.alpha is not None:
            out[prefix + "act.weight"] = block.alpha
    out["output.weight"] = spec.W_out.T.copy()
    out["output.bias"] = spec.b_out
    return out


def source(spec: ModelSpec, module: str, weights: str) -> str:
    """The Python file's text."""
    from nnvis import __version__

    regression = spec.head == "regression"
    predicts = ("the target in its own units" if regression else
                "class names, one per row")
    returns = ({"softmax": "one logit per class (softmax gives the probabilities)",
                "sigmoid": "one logit (sigmoid gives the probability of the second class)",
                "argmax": "one score per class (the largest wins)",
                "regression": "standardised targets (· TARGET_STD + TARGET_MEAN)"}[spec.head])
    hidden = spec.blocks
    title = (f"An MLP trained in nnvis: {spec.n_in} inputs → "
             + "".join(f"{b.width} {b.activation} → " for b in hidden) + f"{spec.n_out} outputs.")
    text = _HEADER.format(
        title=_in_docstring(title), version=__version__, step=spec.about.get("step", 0),
        dataset=_in_docstring(spec.about.get("dataset", "?")), module=module,
        predicts=predicts,
        returns=returns, features=json.dumps(spec.feature_names, ensure_ascii=False),
        classes=json.dumps(spec.class_names, ensure_ascii=False) if not regression else "None",
        head=spec.head, input_mean=_array(spec.input_mean), input_std=_array(spec.input_std),
        target_mean=_array(spec.target_mean), target_std=_array(spec.target_std),
        weights=weights)
    if any(b.activation == "maxout" for b in hidden):
        text += _MAXOUT
    if any(b.residual for b in hidden):
        text += _RESIDUAL
    layers = [_layer(b) for b in hidden]
    fan_in = hidden[-1].width if hidden else spec.n_in
    layers.append(f'        ("output", nn.Linear({fan_in}, {spec.n_out})),')
    text += _FOOTER.format(layers="\n".join(layers), predicts=predicts)
    return text


def write_pytorch(spec: ModelSpec, path) -> list:
    """Write ``path`` (the code) and ``<stem>_weights.npz`` beside it; the paths written."""
    path = Path(path)
    weights = path.with_name(f"{path.stem}_weights.npz")
    np.savez(weights, **state_dict(spec))
    path.write_text(source(spec, path.stem, weights.name), encoding="utf-8")
    return [path, weights]
