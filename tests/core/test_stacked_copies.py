"""The engine's one forward pass (and backward, and L1/L2 penalty) on copies stacked along a
leading axis: a grid of networks that share their shapes runs as one computation, and each
copy must get exactly what it gets alone."""
import numpy as np
import pytest

from nnvis.core import ACTIVATIONS, Config, Trainer
from nnvis.core.network import EVAL, MEASURE, TRAIN
from nnvis.core.penalty import weight_penalty

COPIES = 3


def _copies(activation, **model):
    """COPIES trainers of one shape with different weights (their own init seeds), trained
    a few steps so that batch norm's running statistics and PReLU's slopes differ too."""
    out = []
    for seed in range(COPIES):
        cfg = {"seed": seed, "dtype": "float64", "data": {"name": "spiral", "n_samples": 60},
               "model": {"hidden": [5, 5], "activation": activation, "batch_norm": True,
                         "residual": True, "dropout": 0.0, **model},
               "optim": {"name": "adam", "lr": 0.01, "batch_size": 16}}
        t = Trainer(Config.from_dict(cfg))
        t.step(5)
        out.append(t)
    return out


def _stacked(trainers):
    """The first trainer's network carrying every copy's parameters and buffers, stacked
    as (copies, ...)."""
    net = trainers[0].net
    net.refresh_slots()   # gradients in arrays of their own, not the trained flat buffer
    for i, (_, layer, key) in enumerate(net.slots):
        layer.params[key] = np.stack([t.net.slots[i][1].params[key] for t in trainers])
    for j, block in enumerate(net.blocks):
        if block.bn is not None:
            for key in block.bn.buffers:
                block.bn.buffers[key] = np.stack([t.net.blocks[j].bn.buffers[key]
                                                  for t in trainers])
    return net


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("mode", [TRAIN, MEASURE, EVAL], ids=["train", "measure", "eval"])
def test_stacked_copies_each_get_their_own_forward_and_backward(activation, mode):
    if mode is TRAIN and activation == "rrelu":
        mode = MEASURE   # training draws random slopes: no two runs agree to compare
    trainers = _copies(activation)
    X = trainers[0].X_train[:20]
    dlogits = np.random.default_rng(1).normal(size=(COPIES, 20, trainers[0].n_out))
    alone = []
    for t, d in zip(trainers, dlogits):
        logits = t.net.forward(X, mode)
        t.net.backward(d)
        alone.append((logits, [g.copy() for g in t.net.grads()],
                      [b.h for b in t.net.blocks],
                      [{k: v.copy() for k, v in b.bn.buffers.items()} for b in t.net.blocks]))
    net = _stacked([_copies(activation)[c] for c in range(COPIES)])
    logits = net.forward(X, mode)          # X shared by every copy
    net.backward(dlogits)
    assert logits.shape == (COPIES, 20, trainers[0].n_out)
    assert np.all(np.isfinite(logits))
    for c, (want_logits, want_grads, want_h, want_buffers) in enumerate(alone):
        np.testing.assert_allclose(logits[c], want_logits, rtol=1e-12, atol=1e-12)
        for name, g, want in zip(net.names, net.grads(), want_grads):
            assert g.shape == (COPIES,) + want.shape, name
            np.testing.assert_allclose(g[c], want, rtol=1e-10, atol=1e-12, err_msg=name)
        for block, want in zip(net.blocks, want_h):
            np.testing.assert_allclose(block.h[c], want, rtol=1e-12, atol=1e-12)
        for block, want in zip(net.blocks, want_buffers):   # TRAIN moves each copy's own
            for key, value in want.items():
                np.testing.assert_allclose(block.bn.buffers[key][c], value, rtol=1e-12)


def test_stacked_copies_may_also_each_take_their_own_inputs():
    trainers = _copies("tanh", batch_norm=False)
    Xs = np.stack([t.X_train[10 * c:10 * c + 10] for c, t in enumerate(trainers)])
    alone = [t.net.forward(x, EVAL) for t, x in zip(trainers, Xs)]
    net = _stacked(_copies("tanh", batch_norm=False))
    stacked = net.forward(Xs, EVAL)
    for c, want in enumerate(alone):
        np.testing.assert_allclose(stacked[c], want, rtol=1e-12, atol=1e-12)


def test_the_penalty_of_stacked_weights_is_each_copys_own():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(COPIES, 4, 3))
    for l1, l2 in [(0.0, 0.01), (0.001, 0.0), (0.001, 0.01)]:
        each = weight_penalty(W, l1, l2)
        assert each.shape == (COPIES,)
        for c in range(COPIES):
            assert each[c] == pytest.approx(weight_penalty(W[c], l1, l2), rel=1e-12)
            assert weight_penalty(W[c], l1, l2) == pytest.approx(
                0.5 * l2 * (W[c] ** 2).sum() + l1 * np.abs(W[c]).sum(), rel=1e-12)
