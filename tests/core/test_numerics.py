"""Losses and activations stay finite at extreme logits (±1e4)."""
import numpy as np
import pytest

from nnvis.core import losses
from nnvis.core.activations import ACTIVATION_CLASSES, Sigmoid


def test_softmax_and_log_softmax_are_finite_at_extremes():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    p = losses.softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert np.all(np.isfinite(losses.log_softmax(z)))


@pytest.mark.parametrize("name", ["cross_entropy", "hinge"])
def test_class_losses_finite_at_extremes(name):
    z = np.array([[1e4, -1e4], [-1e4, 1e4]])
    value, grad = losses.LOSSES[name](z, np.array([1, 1]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value > 1e3  # the first sample is confidently wrong


def test_binary_cross_entropy_finite_at_extremes():
    value, grad = losses.binary_cross_entropy(np.array([[1e4], [-1e4]]), np.array([0, 1]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(1e4)


def test_sigmoid_has_no_overflow_and_slope_at_most_quarter():
    z = np.linspace(-1e4, 1e4, 10001)
    with np.errstate(over="raise"):
        f, df = Sigmoid.curve(z)
    assert np.all(np.isfinite(f)) and f.min() >= 0 and f.max() <= 1
    assert df.max() <= 0.25 + 1e-12


@pytest.mark.parametrize("name", sorted(ACTIVATION_CLASSES))
def test_activation_curves_are_finite_and_respect_their_metadata(name):
    cls = ACTIVATION_CLASSES[name]
    z = np.linspace(-50, 50, 2001)
    f, df = cls.curve(z)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(df))
    lo, hi = cls.output_range
    assert f.min() >= lo - 1e-9 and f.max() <= hi + 1e-9
    assert np.abs(df).max() <= cls.max_slope + 1e-9
    # The 2% rule of the metadata, and tight: just inside the threshold the slope is above it.
    if cls.saturates_beyond is not None:
        s = cls.saturates_beyond
        assert np.all(np.abs(df[np.abs(z) > s]) < 0.02 * cls.max_slope)
        assert np.all(np.abs(cls.curve(np.array([-s + 0.05, s - 0.05]))[1])
                      >= 0.02 * cls.max_slope)
    if cls.saturates_below is not None:
        s = cls.saturates_below
        assert np.all(np.abs(df[z < s]) < 0.02 * cls.max_slope)
        assert abs(cls.curve(np.array([s + 0.05]))[1][0]) >= 0.02 * cls.max_slope
    if cls.dead_below is not None:
        assert np.all(df[z < cls.dead_below] == 0)


# Where each activation flattens out (f' -> 0): both tails, the negative tail, or nowhere.
SATURATING_SIDES = {"sigmoid": "both", "tanh": "both", "elu": "negative", "softplus": "negative"}


@pytest.mark.parametrize("name", sorted(ACTIVATION_CLASSES))
def test_saturated_mask_marks_the_flat_tails(name):
    act = ACTIVATION_CLASSES[name](1, np.random.default_rng(0), np.float64)
    z = np.array([[-20.0], [0.0], [20.0]])
    side = SATURATING_SIDES.get(name)
    expected = {"both": [True, False, True], "negative": [True, False, False],
                None: [False, False, False]}[side]
    assert act.saturated_mask(z)[:, 0].tolist() == expected
    info = act.info()
    assert (info["saturates_beyond"] is not None) == (side == "both")
    assert (info["saturates_below"] is not None) == (side == "negative")
