"""The NumPy engine against PyTorch autograd, in float64: loss, logits and every parameter's
gradient, for a matrix of architectures (every activation, every loss, batch norm, residual
connections, L1/L2, one to three hidden layers, several data sets).

The torch side is written here from the definitions, not from nnvis code: the engine's
weights (read through :meth:`Trainer.parameters`) are copied into float64 leaf tensors and
the network is a functional torch forward; :func:`torch.autograd` differentiates it. The
engine is reached through its public API only (``Trainer(Config)``, ``parameters()``,
``buffers()``, ``loss()``, ``gradients()``, ``predict_logits()``, ``targets()``).

Kinked activations (ReLU family, ELU, maxout) and the hinge loss are compared with the same
tolerance: every case first checks that no pre-activation (maxout: no difference of its two
pieces; hinge: no margin) lies within ``KINK_GAP`` of a kink, so both sides take the same
branch whatever their last-bit rounding (at an exact tie torch and NumPy agree anyway).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

# An optional extra (CI installs it, so nothing is skipped there; see README).
torch = pytest.importorskip("torch")
F = torch.nn.functional

from nnvis.core import Config, Trainer

RTOL, ATOL = 1e-9, 1e-12
KINK_GAP = 1e-6
# nnvis/core/layers.py BatchNorm: eps=1e-5 inside the square root, biased (1/N) batch
# variance, per column of the dense layer's (N, fan_out) output.
BN_EPS = 1e-5
# nnvis/core/activations.py: LeakyReLU.slope, RReLU's U(1/8, 1/3) at its mean in eval (and in
# Trainer.gradients/loss, which run RReLU at its mean slope).
LEAKY_SLOPE = 0.01
RRELU_LOWER, RRELU_UPPER = 1.0 / 8.0, 1.0 / 3.0
KINKED = {"relu", "leaky_relu", "prelu", "rrelu", "elu", "maxout"}
ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu",
               "softplus", "maxout")


@dataclass(frozen=True)
class Arch:
    activation: str = "tanh"
    loss: str = "cross_entropy"
    hidden: tuple = (6, 5)
    data: str = "spiral"
    data_extra: dict = field(default_factory=dict, compare=False, hash=False)
    batch_norm: bool = False
    residual: bool = False
    l1: float = 0.0
    l2: float = 0.0
    seed: int = 3
    batch: int = 24
    #: BN statistics in the compared loss/gradients: "batch" (training) or "running".
    bn_mode: str = "batch"

    def __str__(self):
        parts = [self.data, self.activation, self.loss, "x".join(map(str, self.hidden))]
        if self.batch_norm:
            parts.append(f"bn-{self.bn_mode}")
        if self.residual:
            parts.append("residual")
        if self.l1:
            parts.append(f"l1={self.l1:g}")
        if self.l2:
            parts.append(f"l2={self.l2:g}")
        return "-".join(parts) + f"-seed{self.seed}"

    def config(self) -> dict:
        return {"seed": self.seed, "dtype": "float64",
                "data": {"name": self.data, "n_samples": 80, **self.data_extra},
                "model": {"hidden": list(self.hidden), "activation": self.activation,
                          "init": "xavier", "batch_norm": self.batch_norm,
                          "residual": self.residual, "dropout": 0.0, "loss": self.loss},
                "optim": {"l1": self.l1, "l2": self.l2}}


def _engine(arch: Arch) -> Trainer:
    """A trainer for ``arch`` whose zero/one-initialised parameters (biases, BN gamma/beta,
    PReLU alpha) and BN running statistics are set to random values, so none of them hides a
    term of the gradient."""
    t = Trainer(Config.from_dict(arch.config()))
    rng = np.random.default_rng(1000 + arch.seed)
    for name, p in t.parameters().items():     # live arrays: written in place
        kind = name.rsplit(".", 1)[1]
        if kind in ("b", "beta"):
            p[...] = rng.normal(0.0, 0.3, p.shape)
        elif kind == "gamma":
            p[...] = rng.uniform(0.6, 1.5, p.shape)
        elif kind == "alpha":
            p[...] = rng.uniform(0.05, 0.5, p.shape)
    for name, buf in t.buffers().items():
        if name.endswith("running_mean"):
            buf[...] = rng.normal(0.0, 0.3, buf.shape)
        elif name.endswith("running_var"):
            buf[...] = rng.uniform(0.5, 2.0, buf.shape)
    return t


def _activation(name: str, z, alpha, width: int):
    """Torch's own functions where they exist, with the engine's constants."""
    if name == "linear":
        return z
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return F.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, LEAKY_SLOPE)
    if name == "prelu":                       # alpha: (width,), one slope per neuron
        return F.prelu(z, alpha)
    if name == "rrelu":                       # eval: slope (lower + upper) / 2
        return F.rrelu(z, RRELU_LOWER, RRELU_UPPER, training=False)
    if name == "elu":
        return F.elu(z, alpha=1.0)
    if name == "softplus":                    # log(1 + e^z) with no linear cut-off
        return torch.logaddexp(torch.zeros_like(z), z)
    if name == "maxout":
        # Dense outputs (N, 2*width) laid out unit0piece0, unit0piece1, unit1piece0, ...;
        # a tie goes to piece 0 (torch.where, not maximum, which splits a tie's gradient).
        pieces = z.reshape(z.shape[0], width, 2)
        return torch.where(pieces[:, :, 0] >= pieces[:, :, 1], pieces[:, :, 0], pieces[:, :, 1])
    raise AssertionError(f"no torch version of activation {name!r}")


def _kink_values(name: str, z, width: int):
    """What must stay away from 0 for ``name`` to be smooth around ``z``."""
    if name == "maxout":
        pieces = z.reshape(z.shape[0], width, 2)
        return pieces[:, :, 0] - pieces[:, :, 1]
    return z if name in KINKED else None


def _torch_forward(arch: Arch, P: dict, B: dict, X, bn: str):
    """Logits (N, n_out) and the values that must stay off kinks. ``bn``: "batch" (batch
    statistics) or "running" (the engine's buffers), as in Trainer.gradients."""
    h, kinks = X, []
    for k, width in enumerate(arch.hidden, 1):
        name = f"hidden{k}"
        z = h @ P[f"{name}.W"] + P[f"{name}.b"]          # W: (fan_in, fan_out)
        if arch.batch_norm:
            if bn == "batch":                          # normalises by the biased variance
                z = F.batch_norm(z, None, None, P[f"{name}.gamma"], P[f"{name}.beta"],
                                 training=True, eps=BN_EPS)
            else:
                z = F.batch_norm(z, B[f"{name}.running_mean"], B[f"{name}.running_var"],
                                 P[f"{name}.gamma"], P[f"{name}.beta"], training=False,
                                 eps=BN_EPS)
        kv = _kink_values(arch.activation, z, width)
        if kv is not None:
            kinks.append(kv)
        a = _activation(arch.activation, z, P.get(f"{name}.alpha"), width)
        if arch.residual and h.shape[1] == width:     # the skip needs equal widths
            a = a + h
        h = a
    return h @ P["output.W"] + P["output.b"], kinks


def _torch_loss(arch: Arch, logits, y, n_classes: int):
    """The data term of nnvis/core/losses.py, each averaged over the N samples of the batch:

    * cross_entropy: (1/N) Σ_i [logsumexp_j z_ij − z_{i,y_i}] (torch's mean reduction);
    * binary_cross_entropy: ONE logit column (losses.output_width), z = logits[:, 0],
      (1/N) Σ softplus(z) − y·z (torch's mean reduction of the with-logits loss);
    * hinge: Weston-Watkins, margin 1, summed over j ≠ y_i and divided by N only —
      torch's multi_margin_loss also divides by the class count C, hence × C;
    * mse: (1/N) Σ_i Σ_d (z_id − t_id)², divided by N, not by N·D (so reduction="sum" / N);
      on a classification set t is the one-hot row of the label.
    Returns the loss and the values that must stay off the loss's kinks (hinge margins).
    """
    n = logits.shape[0]
    if arch.loss == "cross_entropy":
        return F.cross_entropy(logits, y), None
    if arch.loss == "binary_cross_entropy":
        assert logits.shape[1] == 1, f"{arch}: binary cross-entropy has one logit column"
        return F.binary_cross_entropy_with_logits(logits[:, 0], y.to(logits.dtype)), None
    if arch.loss == "hinge":
        c = logits.shape[1]
        margins = logits - logits.gather(1, y[:, None]) + 1.0
        off_target = margins[F.one_hot(y, c) == 0]
        return F.multi_margin_loss(logits, y, margin=1.0) * c, off_target
    if arch.loss == "mse":
        target = F.one_hot(y, n_classes).to(logits.dtype) if y.dtype == torch.int64 else y
        return F.mse_loss(logits, target, reduction="sum") / n, None
    raise AssertionError(f"no torch version of loss {arch.loss!r}")


def _penalty(arch: Arch, P: dict):
    """L2: (λ₂/2) Σ W², L1: λ₁ Σ |W|, on the weight matrices (names ending .W) only."""
    total = 0.0
    for name, W in P.items():
        if name.endswith(".W"):
            total = total + 0.5 * arch.l2 * (W * W).sum() + arch.l1 * W.abs().sum()
    return total


def _rel_err(a, b) -> float:
    """max |a − b| / max(|b|, ATOL/RTOL): the relative error, with entries near 0 (where
    assert_allclose's atol rules) measured against ATOL/RTOL instead."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), ATOL / RTOL), initial=0.0))


def _close(actual, expected, what: str, arch: Arch):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert np.all(np.isfinite(actual)), f"{arch}: engine {what} not finite"
    assert np.all(np.isfinite(expected)), f"{arch}: torch {what} not finite"
    assert actual.shape == expected.shape, \
        f"{arch}: {what} shape {actual.shape} != torch {expected.shape}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL,
                               err_msg=f"{arch}: {what} differs from torch")
    return _rel_err(actual, expected)


def compare(arch: Arch) -> float:
    """Check ``arch`` against torch; return the largest :func:`_rel_err` seen."""
    t = _engine(arch)
    X = np.array(t.data.X_train[:arch.batch])
    y = np.array(t.data.y_train[:arch.batch])
    T = t.targets(y)
    params = {k: v.copy() for k, v in t.parameters().items()}
    buffers = {k: v.copy() for k, v in t.buffers().items()}
    assert any(k.endswith(".gamma") for k in params) == arch.batch_norm, str(arch)
    assert all(np.all(v != 0) for k, v in params.items() if k.endswith(".b")), \
        f"{arch}: the biases set in place through parameters() did not take"

    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in params.items()}
    Bt = {k: torch.tensor(v, dtype=torch.float64) for k, v in buffers.items()}
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y)        # int64 labels, or float64 (N, D) regression targets
    logits, kinks = _torch_forward(arch, P, Bt, Xt, arch.bn_mode)
    data_loss, margins = _torch_loss(arch, logits, yt, t.data.n_classes)
    if margins is not None:
        kinks.append(margins)
    loss = data_loss + _penalty(arch, P)
    loss.backward()
    for kv in kinks:
        gap = float(kv.detach().abs().min())
        assert gap > KINK_GAP, (f"{arch}: a value {gap:.1e} from a kink makes the comparison "
                                f"depend on rounding: choose another seed")

    worst = _close(t.loss(X, T, batch_norm=arch.bn_mode), float(loss.detach()), "loss", arch)
    grads = t.gradients(X, y, batch_norm=arch.bn_mode)
    assert list(grads) == list(P), f"{arch}: gradient names {list(grads)} != {list(P)}"
    for name, g in grads.items():
        worst = max(worst, _close(g, P[name].grad.numpy(), f"dL/d{name}", arch))
    for name, buf in t.buffers().items():   # loss() and gradients() leave them alone
        np.testing.assert_array_equal(buf, buffers[name], err_msg=f"{arch}: {name} changed")

    # Evaluation: running BN statistics, RReLU at its mean slope, no dropout.
    with torch.no_grad():
        eval_logits, _ = _torch_forward(arch, P, Bt, Xt, "running")
    worst = max(worst, _close(t.predict_logits(X), eval_logits.numpy(), "eval logits", arch))
    return worst


# ---- the matrix -------------------------------------------------------------------------

# Every activation × {plain, batch norm, residual, both with L1 and L2}: cross-entropy on a
# 3-class spiral; [2, 4, 4] has a skip on every layer but the second (2 features in).
EVERY_ACTIVATION = [
    Arch(activation=a, **kw)
    for a in ACTIVATIONS
    for kw in ({}, {"batch_norm": True, "hidden": (5, 5, 4)},
               {"residual": True, "hidden": (2, 4, 4)},
               {"batch_norm": True, "residual": True, "hidden": (4, 4), "l1": 1e-2, "l2": 3e-2,
                "seed": 5})
]
for arch in EVERY_ACTIVATION:
    arch.data_extra["classes"] = 3

# Every loss × two activations (one smooth, one kinked) × batch norm off/on, with the data
# sets that fit the loss: binary cross-entropy needs 2 classes; mse runs on one-hot classes
# (blobs, 3 classes) and on both regression sets (sine: 1 feature; plane: 2 features).
LOSS_DATA = [("cross_entropy", "moons"), ("binary_cross_entropy", "xor"),
             ("binary_cross_entropy", "circle"), ("hinge", "blobs"), ("mse", "blobs"),
             ("mse", "sine"), ("mse", "plane")]
EVERY_LOSS = [
    Arch(activation=a, loss=loss, data=data, batch_norm=bn, hidden=(5, 4))
    for loss, data in LOSS_DATA for a in ("softplus", "leaky_relu") for bn in (False, True)
]

# Depth 1 to 3, other data sets and widths, residual with L1 only or L2 only, and batch norm
# with the running statistics in the gradients (what a batch of one uses).
MORE = [
    Arch(activation="elu", hidden=(3,), data="gaussian"),
    Arch(activation="sigmoid", hidden=(7,), data="checkerboard", l2=0.1),
    Arch(activation="prelu", hidden=(4, 4, 4), data="xor", residual=True, l1=0.05),
    Arch(activation="maxout", hidden=(3, 3, 2), data="moons", residual=True, l2=0.05),
    Arch(activation="tanh", hidden=(6, 3, 6), data="digits", loss="hinge", batch_norm=True),
    Arch(activation="relu", hidden=(8, 8), data="digits", l1=1e-3, l2=1e-3),
    Arch(activation="rrelu", hidden=(2, 2, 2), data="plane", loss="mse", residual=True),
    Arch(activation="tanh", hidden=(4, 3), data="sine", loss="mse", batch_norm=True,
         bn_mode="running"),
    Arch(activation="maxout", hidden=(4, 4), data="blobs", batch_norm=True, residual=True,
         bn_mode="running", l2=0.01),
    Arch(activation="prelu", hidden=(5,), data="circle", loss="binary_cross_entropy",
         batch_norm=True, bn_mode="running"),
]

CASES = EVERY_ACTIVATION + EVERY_LOSS + MORE


def test_the_matrix_has_no_duplicate_cases():
    names = [str(a) for a in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("arch", CASES, ids=str)
def test_loss_and_every_gradient_match_torch_autograd(arch):
    compare(arch)
