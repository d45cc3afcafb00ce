"""Every activation x loss, with and without batch norm and residual, against centred
finite differences in float64."""
import numpy as np
import pytest

from nnvis.core import ACTIVATIONS, Config
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
    # Kinks (ReLU family, maxout, hinge) make finite differences straddle a corner now and then.
    return 1e-7 if activation in SMOOTH and loss != "hinge" else 1e-4


@pytest.mark.parametrize("loss", sorted(LOSS_DATA))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_network_gradients_match_finite_differences(activation, loss):
    cfg = {"seed": 3, "dtype": "float64",
           "data": dict(LOSS_DATA[loss], n_samples=60, noise=0.2),
           "model": {"hidden": [5, 4], "activation": activation, "loss": loss},
           "optim": {"batch_size": 8, "l2": 0.01}}
    errors = grad_check(Config.from_dict(cfg), n_samples=8, max_entries=25)
    assert all(np.isfinite(v) for v in errors.values())
    assert max(errors.values()) < _tolerance(activation, loss), errors


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "prelu", "maxout", "elu"])
@pytest.mark.parametrize("batch_norm,residual", [(True, False), (False, True), (True, True)])
def test_gradients_with_batch_norm_and_residual(activation, batch_norm, residual):
    cfg = {"seed": 5, "dtype": "float64", "data": {"name": "blobs", "classes": 3, "n_samples": 60},
           "model": {"hidden": [6, 6, 6], "activation": activation, "batch_norm": batch_norm,
                     "residual": residual},
           "optim": {"batch_size": 8, "l1": 0.001}}
    errors = grad_check(Config.from_dict(cfg), n_samples=10, max_entries=25, steps_before=3)
    assert all(np.isfinite(v) for v in errors.values())
    tol = 1e-7 if activation in SMOOTH else 1e-4
    # L1's sign() is a kink at 0 too, but weights are never exactly 0 after init.
    assert max(errors.values()) < tol, errors


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
