"""Behaviour of dropout, batch norm, initialisers and optimisers."""
import numpy as np
import pytest

from nnvis.core import INITS, OPTIMIZERS
from nnvis.core.init import init_weights
from nnvis.core.flat import FlatParams
from nnvis.core.layers import BatchNorm, Dropout, Layer
from nnvis.core.optim import clip_by_global_norm, make_optimizer


def test_inverted_dropout_keeps_the_expectation_and_eval_is_identity():
    rng = np.random.default_rng(0)
    d = Dropout(0.5, rng)
    x = rng.uniform(0.5, 1.5, (2000, 50))
    train_mean = d.forward(x).mean()
    assert (d.mask == 0).mean() == pytest.approx(0.5, abs=0.02)
    d.training = False
    assert np.array_equal(d.forward(x), x)
    assert train_mean == pytest.approx(x.mean(), rel=0.02)


def test_batch_norm_train_normalises_batch_and_eval_uses_running_stats():
    rng = np.random.default_rng(0)
    bn = BatchNorm(3, dtype=np.float64)
    x = rng.normal(5.0, 3.0, (500, 3))
    out = bn.forward(x)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-3)
    for _ in range(100):
        bn.forward(rng.normal(5.0, 3.0, (500, 3)))
    np.testing.assert_allclose(bn.buffers["running_mean"], 5.0, atol=0.3)
    np.testing.assert_allclose(bn.buffers["running_var"], 9.0, rtol=0.15)
    assert "running_mean" not in bn.params
    bn.training = False
    single = bn.forward(np.array([[5.0, 5.0, 5.0]]))  # one sample: only running stats work
    np.testing.assert_allclose(single, 0, atol=0.15)


@pytest.mark.parametrize("name", INITS)
def test_initialisers_shape_dtype_and_scale(name):
    rng = np.random.default_rng(0)
    W = init_weights(name, 200, 100, rng, scale=1.0, dtype=np.float32)
    assert W.shape == (200, 100) and W.dtype == np.float32
    expected_std = {"zeros": 0, "constant": 0, "normal": 1.0, "uniform": 1 / np.sqrt(3),
                    "xavier": np.sqrt(2 / 300), "xavier_uniform": np.sqrt(2 / 300),
                    "he": np.sqrt(2 / 200), "lecun": np.sqrt(1 / 200)}[name]
    assert W.std() == pytest.approx(expected_std, rel=0.05, abs=1e-9)
    if name == "constant":
        assert np.all(W == 1.0)


def bound_parameters(opt, **values):
    """Parameters ``name=array`` in one flat buffer the optimiser is bound to, as the
    trainer binds a network's: -> (name -> parameter view, name -> gradient view)."""
    layer = Layer()
    layer.params.update({name: np.array(v) for name, v in values.items()})
    dtype = next(iter(layer.params.values())).dtype
    flat = FlatParams([(name, layer, name) for name in values], dtype)
    opt.bind_flat(flat)
    return layer.params, layer.grads


def _quadratic_descent(name, steps=200, lr=0.05):
    opt = make_optimizer(name, lr, 0.9)
    params, grads = bound_parameters(opt, p=[3.0, -2.0])
    p, g = params["p"], grads["p"]
    for _ in range(steps):
        g[...] = [2 * p[0], 20 * p[1]]  # f = x² + 10 y²
        opt.step_flat()
    return p


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimiser_minimises_an_ill_conditioned_quadratic(name):
    p = _quadratic_descent(name, lr=0.04 if name in ("sgd", "momentum", "nesterov") else 0.05)
    assert np.linalg.norm(p) < 0.05, p


def test_momentum_beats_plain_sgd_on_a_valley():
    slow = np.linalg.norm(_quadratic_descent("sgd", steps=40, lr=0.004))
    fast = np.linalg.norm(_quadratic_descent("momentum", steps=40, lr=0.004))
    assert fast < slow / 2


def test_sgd_update_is_exactly_minus_lr_times_grad():
    opt = make_optimizer("sgd", 0.1, 0.0)
    params, grads = bound_parameters(opt, p=[1.0, 2.0])
    grads["p"][...] = [1.0, -1.0]
    opt.step_flat()
    np.testing.assert_allclose(params["p"], [0.9, 2.1])


def test_adam_first_step_moves_each_weight_by_about_lr():
    opt = make_optimizer("adam", 0.01, 0.9)
    params, grads = bound_parameters(opt, p=np.array([1.0, 1.0], dtype=np.float32))
    grads["p"][...] = [1e-3, 100.0]
    opt.step_flat()
    p = params["p"]
    np.testing.assert_allclose(p, [0.99, 0.99], rtol=1e-4)
    assert p.dtype == np.float32


def test_clip_by_global_norm():
    g = [np.array([3.0, 0.0]), np.array([4.0])]
    norm = clip_by_global_norm(g, 1.0)
    assert norm == pytest.approx(5.0)
    assert np.sqrt(sum((x ** 2).sum() for x in g)) == pytest.approx(1.0)


def _textbook_update(name, lr, mu, state, p, g, t):
    """The update rules as the notes and cs231n write them, one parameter at a time
    (float64): what the optimiser's whole-network arithmetic must reproduce."""
    if name == "sgd":
        return p - lr * g
    if name == "momentum":
        state["v"] = mu * state.get("v", 0.0) - lr * g
        return p + state["v"]
    if name == "nesterov":
        v_prev = state.get("v", 0.0)
        state["v"] = mu * v_prev - lr * g
        return p - mu * v_prev + (1 + mu) * state["v"]
    if name == "rmsprop":
        state["c"] = 0.99 * state.get("c", 0.0) + 0.01 * g * g
        return p - lr * g / (np.sqrt(state["c"]) + 1e-8)
    state["m"] = mu * state.get("m", 0.0) + (1 - mu) * g            # adam
    state["v"] = 0.999 * state.get("v", 0.0) + 0.001 * g * g
    # The bias corrections folded into the rate (Kingma & Ba, end of section 2).
    lr_t = lr * np.sqrt(1 - 0.999 ** t) / (1 - mu ** t)
    return p - lr_t * state["m"] / (np.sqrt(state["v"]) + 1e-8)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimiser_follows_its_textbook_rule_also_across_a_parameter_added_mid_run(name):
    # A live switch to PReLU or batch norm adds parameters part-way: they start with fresh
    # state (Adam: their own bias correction from t = 1) while the others carry on.
    lr, mu = 0.05, 0.9
    rng = np.random.default_rng(0)
    values = {"a": rng.normal(size=(3, 2)), "b": rng.normal(size=4)}
    opt = make_optimizer(name, lr, mu)
    params, grads = bound_parameters(opt, **values)
    expected = {k: v.copy() for k, v in values.items()}
    states, steps = {k: {} for k in values}, {k: 0 for k in values}
    for i in range(12):
        if i == 6:
            kept = {k: v.copy() for k, v in params.items()}
            params, grads = bound_parameters(opt, **kept, c=rng.normal(size=5))
            expected["c"], states["c"], steps["c"] = params["c"].copy(), {}, 0
        for k in params:
            g = rng.normal(size=params[k].shape)
            grads[k][...] = g
            steps[k] += 1
            expected[k] = _textbook_update(name, lr, mu, states[k], expected[k], g, steps[k])
        opt.step_flat()
    for k, want in expected.items():
        assert np.all(np.isfinite(params[k]))
        np.testing.assert_allclose(params[k], want, rtol=1e-12, atol=1e-14, err_msg=k)
