"""The same models in PyTorch's usual training loop, for a side-by-side ratio.

PyTorch is optional: :func:`import_torch` returns ``(None, reason)`` when it is missing and
the benchmark says so and skips the comparison. The PyTorch model starts from the very
weights of the nnvis trainer and sees the very same batches (same shuffling RNG, same
permutation per epoch), so both loops do the same arithmetic.
"""
from __future__ import annotations

import importlib

import numpy as np

from nnvis.core.trainer import GATHER_ABOVE_BYTES


def import_torch():
    """(torch module, None) or (None, why it is unavailable)."""
    try:
        return importlib.import_module("torch"), None
    except Exception as exc:  # ImportError, or a broken install
        return None, f"PyTorch is not importable ({type(exc).__name__}: {exc})"


class TorchLoop:
    """``zero_grad(); loss = criterion(model(xb), yb); loss.backward(); opt.step();
    loss.item()`` — on a copy of ``trainer``'s initial network and its batch order."""

    ACTIVATIONS = {"tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "ReLU"}

    def __init__(self, torch, trainer, threads: int):
        self.torch = torch
        torch.set_num_threads(threads)
        nn = torch.nn
        dtype = {np.dtype("float32"): torch.float32, np.dtype("float64"): torch.float64}[
            trainer.dtype]
        layers = []
        denses = [b.dense for b in trainer.net.blocks] + [trainer.net.output]
        for i, dense in enumerate(denses):
            W, b = dense.params["W"], dense.params["b"]
            lin = nn.Linear(W.shape[0], W.shape[1]).to(dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
                lin.bias.copy_(torch.from_numpy(b.copy()))
            layers.append(lin)
            if i < len(trainer.net.blocks):
                layers.append(getattr(nn, self.ACTIVATIONS[trainer.net.blocks[i].act.name])())
        self.model = nn.Sequential(*layers)
        optim = trainer.config.get("optim")
        if optim["name"] == "sgd":
            self.opt = torch.optim.SGD(self.model.parameters(), lr=optim["lr"])
        elif optim["name"] == "adam":
            self.opt = torch.optim.Adam(self.model.parameters(), lr=optim["lr"],
                                        betas=(optim["momentum"], 0.999), eps=1e-8)
        else:
            raise ValueError(f"no PyTorch twin for optimiser {optim['name']}")
        self.criterion = nn.CrossEntropyLoss()
        self.X = torch.from_numpy(np.ascontiguousarray(trainer.X_train))
        self.y = torch.from_numpy(np.ascontiguousarray(trainer.data.y_train))
        # The trainer's shuffling RNG, replayed from the same seed.
        _, shuffle_ss, _ = np.random.SeedSequence(trainer.config.get("seed")).spawn(3)
        self.rng = np.random.default_rng(shuffle_ss)
        self.batch = trainer.batch_size
        self.gather = trainer.X_train.nbytes > GATHER_ABOVE_BYTES
        self.cursor = len(self.X)
        self.Xs = self.ys = self.perm = None
        self.losses: list[float] = []

    def _new_epoch(self):
        perm = self.torch.from_numpy(self.rng.permutation(len(self.X)))
        if self.gather:
            self.perm = perm
        else:
            self.Xs, self.ys = self.X[perm], self.y[perm]
        self.cursor = 0

    def run(self, n: int, record: bool = False) -> int:
        model, opt, criterion, B = self.model, self.opt, self.criterion, self.batch
        for _ in range(n):
            if self.cursor + B > len(self.X):
                self._new_epoch()
            c = self.cursor
            if self.gather:
                rows = self.perm[c:c + B]
                xb, yb = self.X.index_select(0, rows), self.y.index_select(0, rows)
            else:
                xb, yb = self.Xs[c:c + B], self.ys[c:c + B]
            self.cursor = c + B
            opt.zero_grad(set_to_none=True)
            loss = criterion(model(xb), yb)
            loss.backward()
            opt.step()
            value = loss.item()
            if record:
                self.losses.append(value)
        return n


def agreement(trainer_factory, torch, threads: int, steps: int = 10) -> float:
    """Largest relative difference between the first ``steps`` batch losses of nnvis and
    PyTorch from the same start: ~1e-6 (float32 rounding) shows they train the same model."""
    trainer = trainer_factory()
    loop = TorchLoop(torch, trainer, threads)
    trainer.step(steps)
    loop.run(steps, record=True)
    _, ours = trainer.loss_history.arrays()
    ours, theirs = ours[:steps, 0], np.array(loop.losses)
    return float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-12)))
