"""Every activation x loss, with and without batch norm and residual, against centred
finite differences in float64."""
import numpy as np
import pytest

from nnvis.core import ACTIVATIONS, Config, Trainer
from nnvis.core.activations import ACTIVATION_CLASSES
from nnvis.core.gradcheck import grad_check, numerical_gradient, relative_error
from nnvis.core.layers import BatchNorm, Dense, Dropout
from nnvis.core import losses

# ELU is C¹ but its curvature jumps at 0, so it is checked with the piecewise activations.
SMOOTH = {"linear", "sigmoid", "tanh", "softplus"}
LOSS_DATA = {
    "cross_entropy": {"name": "blobs", "classes": 3},
    "hinge": {"name": "blobs", "classes": 3},
    "binary_cross_entropy": {"name": "circle"},
    "mse": {"name": "sine"},
}


def _tolerance(activation, loss):
    # Kinks (ReLU family, maxout, hinge): the bound. In practice the kink-straddling
    # entries are skipped and these reach the smooth bound too.
    return 1e-7 if activation in SMOOTH and loss != "hinge" else 1e-4


def _check(cfg, tol, **kw):
    errors, _, skipped = grad_check(Config.from_dict(cfg), details=True, **kw)
    assert all(np.isfinite(v) for v in errors.values())
    assert max(errors.values()) < tol, errors
    smooth = cfg["model"]["activation"] in SMOOTH and cfg["model"].get("loss") != "hinge" \
        and not cfg["optim"].get("l1")
    checked = sum(min(p.size, kw["max_entries"]) for p in Trainer(cfg).parameters().values())
    # A kink can only be straddled where there is one, and rarely: skipping must not be
    # what makes a check pass.
    assert sum(skipped.values()) == 0 if smooth else sum(skipped.values()) <= 0.05 * checked
    return errors


@pytest.mark.parametrize("batch_norm,residual", [(False, False), (True, False), (False, True),
                                                 (True, True)],
                         ids=["plain", "bn", "residual", "bn+residual"])
@pytest.mark.parametrize("loss", sorted(LOSS_DATA))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_network_gradients_match_finite_differences(activation, loss, batch_norm, residual):
    """Every activation x loss, each with and without batch norm and the residual skip
    (hidden [5, 5]: the second block's widths match, so its skip is active)."""
    cfg = {"seed": 3, "dtype": "float64",
           "data": dict(LOSS_DATA[loss], n_samples=60, noise=0.2),
           "model": {"hidden": [5, 5], "activation": activation, "loss": loss,
                     "batch_norm": batch_norm, "residual": residual},
           "optim": {"batch_size": 8, "l2": 0.01}}
    errors = _check(cfg, _tolerance(activation, loss), n_samples=8, max_entries=12)
    if batch_norm:
        assert "hidden1.gamma" in errors and "hidden2.beta" in errors


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "prelu", "maxout", "elu"])
@pytest.mark.parametrize("batch_norm,residual", [(True, False), (False, True), (True, True)])
def test_gradients_with_batch_norm_and_residual(activation, batch_norm, residual):
    cfg = {"seed": 5, "dtype": "float64", "data": {"name": "blobs", "classes": 3, "n_samples": 60},
           "model": {"hidden": [6, 6, 6], "activation": activation, "batch_norm": batch_norm,
                     "residual": residual},
           "optim": {"batch_size": 8, "l1": 0.001}}
    # L1's sign() is a kink at 0 too: the check skips a weight that crosses it.
    _check(cfg, 1e-7 if activation in SMOOTH else 1e-4, n_samples=10, max_entries=25,
           steps_before=3)


def _sine_bn(activation, residual):
    return Trainer({"seed": 3, "dtype": "float64", "data": {"name": "sine", "n_samples": 60,
                                                           "noise": 0.2},
                    "model": {"hidden": [5, 5], "activation": activation, "loss": "mse",
                              "batch_norm": True, "residual": residual},
                    "optim": {"batch_size": 8, "l2": 0.01}})


def _centred(trainer, name, i, h=1e-5):
    X = trainer.X_train[:8]
    T = trainer.targets(trainer.data.y_train[:8])
    p = trainer.parameters()[name]
    old = p[i]
    p[i] = old + h
    plus = trainer.loss(X, T)
    p[i] = old - h
    minus = trainer.loss(X, T)
    p[i] = old
    return (plus - minus) / (2 * h), trainer.gradients(X, trainer.data.y_train[:8])[name][i]


def test_batch_norm_curvature_needs_the_extrapolated_difference():
    # One input feature through batch norm: the loss is so curved in hidden1.W that a single
    # centred difference at h = 1e-5 is off by 1.2e-7 relative (its h² term); grad_check's
    # Richardson extrapolation is not.
    num, analytic = _centred(_sine_bn("linear", True), "hidden1.W", (0, 1))
    assert relative_error(analytic, num) > 1e-7
    errors = grad_check(_sine_bn("linear", True).config, n_samples=8, max_entries=12)
    assert errors["hidden1.W"] < 1e-8


def test_entries_that_straddle_a_kink_are_skipped_not_misreported():
    # Seed 3: one maxout unit's two pieces are 1.6e-6 apart for one sample, so perturbing
    # hidden1.beta[8] by 1e-5 swaps the winner and the difference quotient is off by 1e-3.
    num, analytic = _centred(_sine_bn("maxout", False), "hidden1.beta", (8,))
    assert relative_error(analytic, num) > 1e-4
    errors, _, skipped = grad_check(_sine_bn("maxout", False).config, n_samples=8,
                                    max_entries=12, details=True)
    assert skipped["hidden1.beta"] >= 1 and errors["hidden1.beta"] < 1e-7


def _check_layer(layer, x, dout, tol=1e-7):
    def f():
        return float((layer.forward(x) * dout).sum())

    layer.forward(x)
    dx = layer.backward(dout)
    num_dx = numerical_gradient(f, x)
    assert np.all(np.isfinite(dx))
    rel = relative_error(dx, num_dx)
    assert rel.max() < tol
    for key, p in layer.params.items():
        layer.forward(x)
        layer.backward(dout)
        analytic = layer.grads[key].copy()
        num = numerical_gradient(f, p)
        rel = relative_error(analytic, num)
        assert rel.max() < tol, key


def test_dense_and_batchnorm_layers_alone():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((7, 4))
    dense = Dense(rng.standard_normal((4, 3)), rng.standard_normal(3))
    _check_layer(dense, x, rng.standard_normal((7, 3)))
    bn = BatchNorm(4, dtype=np.float64)
    bn.params["gamma"][:] = rng.uniform(0.5, 2, 4)
    bn.params["beta"][:] = rng.standard_normal(4)
    _check_layer(bn, x, rng.standard_normal((7, 4)), tol=1e-6)


@pytest.mark.parametrize("name", sorted(ACTIVATION_CLASSES))
def test_each_activation_layer_alone(name):
    rng = np.random.default_rng(1)
    cls = ACTIVATION_CLASSES[name]
    act = cls(3, rng, np.float64)
    act.training = False  # rrelu: the deterministic mean slope
    z = rng.standard_normal((5, 3 * cls.width_factor))
    z[np.abs(z) < 1e-3] = 0.1  # keep finite differences off the kink
    _check_layer(act, z, rng.standard_normal((5, 3)), tol=1e-6)


@pytest.mark.parametrize("loss_name", sorted(LOSS_DATA))
def test_each_loss_alone(loss_name):
    rng = np.random.default_rng(2)
    fn = losses.LOSSES[loss_name]
    if loss_name == "mse":
        z, y = rng.standard_normal((6, 2)), rng.standard_normal((6, 2))
    elif loss_name == "binary_cross_entropy":
        z, y = rng.standard_normal((6, 1)), rng.integers(0, 2, 6)
    else:
        z, y = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    _, dz = fn(z, y)
    num = numerical_gradient(lambda: fn(z, y)[0], z)
    rel = relative_error(dz, num)
    assert rel.max() < (1e-4 if loss_name == "hinge" else 1e-7)


def test_dropout_backward_uses_the_same_mask():
    rng = np.random.default_rng(0)
    d = Dropout(0.5, rng)
    x = np.ones((4, 10))
    out = d.forward(x)
    assert np.array_equal(d.backward(np.ones_like(x)), out)
