"""A multilayer perceptron built from hidden blocks and a linear output layer.

Hidden block: dense → [batch norm] → activation → [+ x if residual and widths match]
→ [dropout]. The output layer is linear; the loss applies softmax/sigmoid itself.

This is the engine's one forward pass: training steps, measurements (gradients, the
snapshot's probe batch), evaluation and the decision grid all run it, differing only in
their :class:`Mode`. Like the layers it runs on copies stacked along a leading axis.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import make_activation
from .flat import FlatParams
from .init import init_weights
from .layers import BatchNorm, Dense, Dropout


@dataclass(frozen=True)
class Mode:
    """How a forward pass treats what differs between training and evaluation."""
    #: Dropout masks and RReLU's random slopes (off: no dropout, RReLU at its mean slope).
    noise: bool
    #: Batch norm normalises with the batch's statistics (off: with its running ones).
    batch_stats: bool
    #: Batch norm's running averages take the batch in (off: a pass that only measures).
    update_running: bool


#: A training step.
TRAIN = Mode(noise=True, batch_stats=True, update_running=True)
#: A measurement in training mode — gradients, the snapshot's probe — that leaves no trace:
#: the batch's own statistics, no noise, running averages untouched.
MEASURE = Mode(noise=False, batch_stats=True, update_running=False)
#: Evaluation and prediction: running statistics, no noise.
EVAL = Mode(noise=False, batch_stats=False, update_running=False)


class HiddenBlock:
    """x: (N, fan_in) -> h: (N, width). Keeps z (pre-activation), h and dL/dh for snapshots."""

    def __init__(self, name: str, fan_in: int, width: int, model: dict,
                 init_rng: np.random.Generator, noise_rng: np.random.Generator, dtype,
                 first: bool):
        self.name = name
        self.fan_in = fan_in
        self.width = width
        self.dtype = np.dtype(dtype)
        self.noise_rng = noise_rng
        self.act = make_activation(model["activation"], width, noise_rng, dtype)
        out = width * self.act.width_factor
        W = init_weights(model["init"], fan_in, out, init_rng, model["init_scale"], dtype)
        self.dense = Dense(W, np.zeros(out, dtype=dtype), need_dx=not first)
        self.bn = BatchNorm(out, dtype) if model["batch_norm"] else None
        self.dropout = Dropout(model["dropout"], noise_rng)
        self.residual = bool(model["residual"])
        self.z = self.h = self.dh = None

    @property
    def skip(self) -> bool:
        """Whether the residual connection is active (it needs matching widths)."""
        return self.residual and self.fan_in == self.width

    def forward(self, x, mode: Mode = TRAIN):
        """x: (N, fan_in) -> (N, width); keeps z and h (before dropout) for the snapshot."""
        z = self.dense.forward(x)
        bn = self.bn
        if bn is not None:
            bn.training = mode.batch_stats
            bn.track_running = mode.update_running
            z = bn.forward(z)
        self.z = z
        act = self.act
        act.training = mode.noise
        h = act.forward(z)
        if self.skip:
            h = h + x
        self.h = h
        drop = self.dropout
        drop.training = mode.noise
        if not mode.noise or drop.p == 0.0:  # what Dropout.forward does then, minus a call
            drop.mask = None
            return h
        return drop.forward(h)

    def backward(self, dout):
        mask = self.dropout.mask
        dh = dout if mask is None else dout * mask  # Dropout.backward, inlined
        self.dh = dh
        dz = self.act.backward(dh)
        if self.bn is not None:
            dz = self.bn.backward(dz)
        dx = self.dense.backward(dz)
        if dx is not None and self.skip:
            dx = dx + dh
        return dx

    def param_slots(self):
        """[(param name, owning layer, key)] in network order."""
        slots = [(f"{self.name}.W", self.dense, "W"), (f"{self.name}.b", self.dense, "b")]
        if self.bn is not None:
            slots += [(f"{self.name}.gamma", self.bn, "gamma"), (f"{self.name}.beta", self.bn, "beta")]
        for key in self.act.params:
            slots.append((f"{self.name}.{key}", self.act, key))
        return slots

    # Live changes: each keeps the dense weights.
    def set_activation(self, name: str):
        new = make_activation(name, self.width, self.noise_rng, self.dtype)
        old_k, new_k = self.act.width_factor, new.width_factor
        if old_k != new_k:
            W, b = self.dense.params["W"], self.dense.params["b"]
            if new_k == 2:
                # Second piece = 0.2 × the first, so maxout starts as a leaky ReLU of the
                # old pre-activation; the pieces separate as only the winner gets gradient.
                W2 = np.repeat(W, 2, axis=1)
                W2[:, 1::2] *= 0.2
                b2 = np.repeat(b, 2)
                b2[1::2] *= 0.2
            else:
                W2, b2 = np.ascontiguousarray(W[:, 0::2]), b[0::2].copy()
            self.dense.params["W"], self.dense.params["b"] = W2, b2
            if self.bn is not None:
                self.bn = BatchNorm(W2.shape[1], self.dtype)
        self.act = new

    def set_batch_norm(self, on: bool):
        if on and self.bn is None:
            self.bn = BatchNorm(self.dense.params["W"].shape[1], self.dtype)
        elif not on:
            self.bn = None

    def unit_preactivation(self, z=None):
        """Per-unit pre-activation (N, width); maxout reports its winning piece."""
        z = self.z if z is None else z
        return self.act.unit_preactivation(z) if self.act.width_factor != 1 else z


class MLP:
    """n_in → hidden blocks → linear output (n_out logits)."""

    def __init__(self, n_in: int, n_out: int, model: dict, init_rng, noise_rng, dtype):
        self.dtype = np.dtype(dtype)
        self.blocks: list[HiddenBlock] = []
        fan_in = n_in
        for i, width in enumerate(model["hidden"]):
            self.blocks.append(HiddenBlock(f"hidden{i + 1}", fan_in, width, model,
                                           init_rng, noise_rng, dtype, first=(i == 0)))
            fan_in = width
        W = init_weights(model["init"], fan_in, n_out, init_rng, model["init_scale"], dtype)
        self.output = Dense(W, np.zeros(n_out, dtype=dtype), need_dx=bool(self.blocks))
        self.n_in, self.n_out = n_in, n_out
        #: The last forward pass's logits (N, n_out) and the last backward's dL/dlogits.
        self.logits = self.dlogits = None
        self.flat: FlatParams | None = None
        self.refresh_slots()

    def refresh_slots(self):
        """Recompute the ordered parameter list after a structural live change."""
        self.slots = [s for b in self.blocks for s in b.param_slots()]
        self.slots += [("output.W", self.output, "W"), ("output.b", self.output, "b")]
        self.names = [s[0] for s in self.slots]
        if self.flat is not None:
            self.flat.unbind()
            self.flat = None

    def bind_flat(self) -> FlatParams:
        """The flat parameter/gradient buffers, (re)built if a change broke the binding."""
        flat = self.flat
        if flat is None or not flat.is_bound(self.slots):
            if flat is not None:
                flat.unbind()
            self.flat = flat = FlatParams(self.slots, self.dtype)
        return flat

    def forward(self, X, mode: Mode = TRAIN):
        """X: (N, n_in) -> logits (N, n_out)."""
        h = X
        for block in self.blocks:
            h = block.forward(h, mode)
        self.logits = logits = self.output.forward(h)
        return logits

    def backward(self, dlogits):
        """Fill every layer's grads; dlogits: (N, n_out)."""
        self.dlogits = dlogits
        d = self.output.backward(dlogits)
        for block in reversed(self.blocks):
            d = block.backward(d)

    def params(self) -> list:
        return [layer.params[key] for _, layer, key in self.slots]

    def grads(self) -> list:
        return [layer.grads[key] for _, layer, key in self.slots]

    def weight_indices(self) -> list[int]:
        """Indices into params() of the weight matrices (what L1/L2 penalise)."""
        return [i for i, name in enumerate(self.names) if name.endswith(".W")]

    def layer_names(self) -> list[str]:
        return [b.name for b in self.blocks] + ["output"]

    def parameter_count(self) -> int:
        return int(sum(p.size for p in self.params()))
