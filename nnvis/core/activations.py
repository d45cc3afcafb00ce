"""Activation functions as layers, each with value, derivative and plotting metadata.

Every activation maps pre-activations ``z`` of shape (N, width * width_factor) to
activations of shape (N, width) — or, for copies stacked along a leading axis (see
:mod:`nnvis.core.layers`), (copies, N, ...) with per-unit parameters (copies, width). Only maxout has ``width_factor`` 2: its dense layer
produces two pieces per unit, which is why the notes say maxout doubles the parameters.
"""
from __future__ import annotations

import numpy as np

from .layers import per_unit


class Activation:
    """Base class. Subclasses set the metadata and implement ``_f``/``_df`` (elementwise).

    Metadata used by the app and the snapshot:
      output_range   (lo, hi) of f
      max_slope      sup |f'| (sigmoid: 0.25, the notes' reason gradients vanish)
      saturates_beyond  |z| beyond which f' < 2% of max_slope (None: not on both sides)
      saturates_below   z below which f' < 2% of max_slope, for activations that flatten
                     on the negative side only (ELU, softplus; None: not one-sided)
      dead_below     z below which f' == 0 (None: never dead)
      zero_centered  whether outputs are centred on 0
    """

    name = "base"
    output_range = (-np.inf, np.inf)
    max_slope = 1.0
    saturates_beyond: float | None = None
    saturates_below: float | None = None
    dead_below: float | None = None
    zero_centered = True
    width_factor = 1
    formula = ""
    #: f is not twice differentiable at z = 0 (ReLU family, ELU): see :meth:`kink_pattern`.
    kink_at_zero = False

    def __init__(self, width: int, rng: np.random.Generator, dtype=np.float32):
        self.width = width
        self.rng = rng
        self.dtype = np.dtype(dtype)
        self.training = True
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.grads_in_place = False  # see nnvis.core.layers.Layer
        self._z = None
        self._a = None

    # Stateless curve for plotting and for the default forward/backward.
    @classmethod
    def curve(cls, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(f(z), f'(z)) for a 1-D grid ``z``, with default parameters."""
        return cls._f(z), cls._df(z, cls._f(z))

    @staticmethod
    def _f(z):
        raise NotImplementedError

    @staticmethod
    def _df(z, a):
        raise NotImplementedError

    def forward(self, z: np.ndarray) -> np.ndarray:
        """z: (N, width) -> a: (N, width)."""
        self._z = z
        self._a = self._f(z)
        return self._a

    def backward(self, da: np.ndarray) -> np.ndarray:
        """da: (N, width) -> dz: (N, width)."""
        return da * self._df(self._z, self._a)

    def saturated_mask(self, z: np.ndarray) -> np.ndarray:
        """Boolean, shaped like z: where f' < 2% of max_slope (see the class docstring)."""
        if self.saturates_beyond is not None:
            return np.abs(z) > self.saturates_beyond
        if self.saturates_below is not None:
            return z < self.saturates_below
        return np.zeros(z.shape, dtype=bool)

    def dead_mask(self, z: np.ndarray) -> np.ndarray:
        if self.dead_below is None:
            return np.zeros(z.shape, dtype=bool)
        return z <= self.dead_below

    def kink_pattern(self, z: np.ndarray) -> np.ndarray | None:
        """Which side of its kinks each pre-activation is on (None: f is smooth).

        z: (N, width * width_factor). The gradient check compares this pattern before and
        after a perturbation: a finite difference across a kink measures the jump in slope,
        not the derivative, so such entries are skipped rather than misreported.
        """
        return z > 0 if self.kink_at_zero else None

    def info(self) -> dict:
        return {"name": self.name, "output_range": tuple(map(float, self.output_range)),
                "max_slope": self.max_slope, "saturates_beyond": self.saturates_beyond,
                "saturates_below": self.saturates_below, "dead_below": self.dead_below,
                "zero_centered": self.zero_centered, "formula": self.formula}


class Linear(Activation):
    name = "linear"
    formula = "f(z) = z"

    @staticmethod
    def _f(z):
        return z

    @staticmethod
    def _df(z, a):
        return np.ones_like(z)

    def backward(self, da):
        return da


def _sigmoid(z):
    # tanh form never overflows, unlike 1 / (1 + exp(-z)) for very negative z.
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


class Sigmoid(Activation):
    name = "sigmoid"
    output_range = (0.0, 1.0)
    max_slope = 0.25
    saturates_beyond = 5.3  # σ′(5.3) = 0.0049: 2% of the 0.25 peak, the rule used for all
    zero_centered = False
    formula = "σ(z) = 1 / (1 + e^(−z)),  σ′ = σ(1 − σ) ≤ 0.25"

    @staticmethod
    def _f(z):
        return _sigmoid(z)

    @staticmethod
    def _df(z, a):
        return a * (1.0 - a)

    # The hot path: the same arithmetic as _f/_df, in place on fresh arrays (fewer temporaries).
    def forward(self, z):
        self._z = z
        a = z * 0.5
        np.tanh(a, out=a)
        a += 1.0
        a *= 0.5
        self._a = a
        return a

    def backward(self, da):
        a = self._a
        d = 1.0 - a
        d *= a
        d *= da
        return d


class Tanh(Activation):
    name = "tanh"
    output_range = (-1.0, 1.0)
    saturates_beyond = 2.65  # tanh'(2.65) = 0.02
    formula = "tanh(z) = 2σ(2z) − 1,  tanh′ = 1 − tanh²"

    @staticmethod
    def _f(z):
        return np.tanh(z)

    @staticmethod
    def _df(z, a):
        return 1.0 - a * a

    def forward(self, z):
        self._z = z
        self._a = a = np.tanh(z)
        return a

    def backward(self, da):
        a = self._a
        d = a * a
        np.subtract(1.0, d, out=d)
        d *= da
        return d


class ReLU(Activation):
    name = "relu"
    kink_at_zero = True
    output_range = (0.0, np.inf)
    dead_below = 0.0
    zero_centered = False
    formula = "ReLU(z) = max(0, z)"

    @staticmethod
    def _f(z):
        return np.maximum(z, 0)

    @staticmethod
    def _df(z, a):
        return (z > 0).astype(z.dtype)

    def forward(self, z):
        self._z = z
        # max against a zeros array of z's shape: NumPy's vectorised loop (with a scalar 0
        # it takes a ~4× slower path). Same values.
        zeros = getattr(self, "_zeros", None)
        if zeros is None or zeros.shape != z.shape or zeros.dtype != z.dtype:
            zeros = self._zeros = np.zeros_like(z)
        self._a = a = np.maximum(z, zeros)
        return a

    def backward(self, da):
        return da * (self._z > 0)


class LeakyCurve(Activation):
    """The ReLU family's curve: z above 0, ``negative_slope``·z below. For PReLU, RReLU and
    maxout, whose slopes are learned, random or made of two pieces, it is the curve the
    panel draws (their starting, mean or example slope)."""

    kink_at_zero = True
    negative_slope = 0.0

    @classmethod
    def _f(cls, z):
        return np.where(z > 0, z, cls.negative_slope * z)

    @classmethod
    def _df(cls, z, a):
        return np.where(z > 0, 1.0, cls.negative_slope).astype(z.dtype)


class LeakyReLU(LeakyCurve):
    name = "leaky_relu"
    negative_slope = 0.01
    formula = "f(z) = z if z > 0 else 0.01·z"


class PReLU(LeakyCurve):
    """Leaky ReLU whose negative slope ``alpha`` (shape (width,)) is learned per neuron."""

    name = "prelu"
    initial_alpha = negative_slope = 0.25
    formula = "f(z) = z if z > 0 else α·z  (α learned per neuron, starts at 0.25)"

    def __init__(self, width, rng, dtype=np.float32):
        super().__init__(width, rng, dtype)
        self.params["alpha"] = np.full(width, self.initial_alpha, dtype=self.dtype)

    def forward(self, z):
        self._z = z
        self._neg = z <= 0
        return np.where(self._neg, per_unit(self.params["alpha"]) * z, z)

    def backward(self, da):
        g = (da * self._z * self._neg)
        if self.grads_in_place:
            np.add.reduce(g, axis=-2, out=self.grads["alpha"])
        else:
            self.grads["alpha"] = g.sum(axis=-2)
        return np.where(self._neg, per_unit(self.params["alpha"]) * da, da)


class RReLU(LeakyCurve):
    """Randomised leaky ReLU: slope ~ U(1/8, 1/3) per element in training, the mean in eval."""

    name = "rrelu"
    lower, upper = 1.0 / 8.0, 1.0 / 3.0
    negative_slope = 0.5 * (lower + upper)
    formula = "f(z) = z if z > 0 else a·z,  a ~ U(1/8, 1/3) in training, 11/48 in eval"

    def forward(self, z):
        self._z = z
        if self.training:
            slope = self.rng.uniform(self.lower, self.upper, size=z.shape).astype(z.dtype)
        else:
            slope = z.dtype.type(self.negative_slope)
        self._slope = np.where(z > 0, z.dtype.type(1), slope)
        return z * self._slope

    def backward(self, da):
        return da * self._slope


class ELU(Activation):
    name = "elu"
    kink_at_zero = True
    output_range = (-1.0, np.inf)
    saturates_below = -3.92  # ELU'(z) = e^z: 0.0198 at −3.92, flat towards the −1 floor
    formula = "ELU(z) = z if z > 0 else e^z − 1"

    @staticmethod
    def _f(z):
        return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))

    @staticmethod
    def _df(z, a):
        return np.where(z > 0, 1.0, a + 1.0).astype(z.dtype)


class Softplus(Activation):
    name = "softplus"
    output_range = (0.0, np.inf)
    zero_centered = False
    saturates_below = -3.9  # softplus'(z) = σ(z): 0.0198 at −3.9, flat towards the 0 floor
    formula = "softplus(z) = ln(1 + e^z),  its derivative is σ(z)"

    @staticmethod
    def _f(z):
        return np.logaddexp(0, z).astype(z.dtype, copy=False)

    @staticmethod
    def _df(z, a):
        return _sigmoid(z)


class Maxout(Activation):
    """max(w1·x + b1, w2·x + b2): k=2 pieces per unit, so the dense layer before it has
    2 × width outputs laid out as (unit0 piece0, unit0 piece1, unit1 piece0, ...)."""

    name = "maxout"
    width_factor = 2
    zero_centered = False
    formula = "maxout(x) = max(w₁·x + b₁, w₂·x + b₂)  (two pieces: doubles the parameters)"

    @staticmethod
    def _f(z):
        # For the curve panel: one example of two learned pieces (a leaky-ReLU-like kink).
        return np.maximum(z, 0.2 * z)

    @staticmethod
    def _df(z, a):
        return np.where(z > 0, 1.0, 0.2).astype(z.dtype)

    def _pieces(self, z):
        """(..., 2*width) -> (..., width, 2): each unit's two pieces side by side."""
        return z.reshape(z.shape[:-1] + (self.width, 2))

    def forward(self, z):
        """z: (N, 2*width) -> a: (N, width)."""
        pieces = self._pieces(z)
        self._first_wins = self.kink_pattern(z)
        self._z = z
        return np.where(self._first_wins, pieces[..., 0], pieces[..., 1])

    def backward(self, da):
        dz = np.empty(da.shape + (2,), dtype=da.dtype)
        dz[..., 0] = da * self._first_wins
        dz[..., 1] = da * ~self._first_wins
        return dz.reshape(da.shape[:-1] + (2 * self.width,))

    def kink_pattern(self, z):
        """Which piece wins each unit: the kink is where the two pieces are equal. (N, width)."""
        pieces = self._pieces(z)
        return pieces[..., 0] >= pieces[..., 1]

    def unit_preactivation(self, z):
        """The winning piece per unit: what the curve panel histograms. (N, width)."""
        return self._pieces(z).max(axis=-1)


ACTIVATION_CLASSES: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, PReLU, RReLU, ELU,
                              Softplus, Maxout)
}


def make_activation(name: str, width: int, rng: np.random.Generator,
                    dtype=np.float32) -> Activation:
    return ACTIVATION_CLASSES[name](width, rng, dtype)
