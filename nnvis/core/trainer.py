"""The training engine: one object owns data, network, optimiser and metrics.

>>> from nnvis.core import Config, Trainer
>>> t = Trainer(Config.from_dict({"data": {"name": "xor"}}))
>>> metrics = t.step(100)
"""
from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np

from . import inputs, memory
from .config import LIVE_FIELDS, Config, ConfigError, changed_fields
from .data import Dataset, load_dataset
from .history import DecimatingSeries
from .losses import LOSSES, output_width, predict_labels
from .network import EVAL, MEASURE, MLP, TRAIN
from .optim import clip_by_global_norm, make_optimizer
from .penalty import add_penalty_gradient, weight_penalty
from .refusals import NOTES, note

EVAL_SAMPLES = 512  # per split, for the cheap evaluation that snapshots use
CHECKPOINT_EVERY = 20  # steps between copies of healthy weights (restored on divergence)
GATHER_ABOVE_BYTES = 2 << 20  # training sets larger than this are shuffled by batch gathers
SPLITS = ("train", "test", "val")
#: The eval history's columns (and :meth:`Trainer.evaluate`'s keys): accuracy is NaN for
#: regression, R² and MAE (in the target's units) NaN for classification, a split's every
#: metric NaN when it is empty (no test set, no validation set).
EVAL_COLUMNS = ("train_loss", "test_loss", "train_acc", "test_acc", "val_loss", "val_acc",
                "train_r2", "test_r2", "val_r2", "train_mae", "test_mae", "val_mae")


def regression_scores(pred: np.ndarray, true: np.ndarray) -> dict:
    """{"r2", "mae"} of predictions against targets, both (N, D) in the same units: R²
    as scikit-learn's r2_score (1 − SS_res / SS_tot about the targets' own mean, averaged
    over the D columns; NaN for a constant target), MAE the mean absolute error."""
    pred, true = np.asarray(pred, np.float64), np.asarray(true, np.float64).reshape(pred.shape)
    residual = ((true - pred) ** 2).sum(axis=0)
    total = ((true - true.mean(axis=0)) ** 2).sum(axis=0)
    r2 = np.where(total > 0, 1.0 - residual / np.where(total > 0, total, 1.0), np.nan)
    return {"r2": float(np.mean(r2)), "mae": float(np.mean(np.abs(true - pred)))}


def check_compatible(config: Config, data: Dataset):
    """Raise ConfigError if the loss does not fit the data."""
    loss = config.get("model.loss")
    if data.task == "regression" and loss != "mse":
        raise ConfigError.coded("model.loss", "loss_regression", name=data.name, value=loss)
    if loss == "binary_cross_entropy" and data.n_classes != 2:
        raise ConfigError.coded("model.loss", "loss_binary", name=data.name,
                                classes=data.n_classes)


class Trainer:
    """Train an MLP described by a :class:`Config` (or a plain dict).

    Same config and seed ⇒ bit-identical loss history. A non-finite loss or gradient stops
    training before the update is applied (so the weights stay the last finite ones) and
    sets :attr:`divergence` to a report naming the step and the first layer to blow up.
    """

    def __init__(self, config, dataset: Dataset | None = None):
        self.config = config if isinstance(config, Config) else Config.from_dict(config)
        cfg = self.config
        self.dtype = np.dtype(cfg.get("dtype"))
        seed = cfg.get("seed")
        init_ss, shuffle_ss, noise_ss = np.random.SeedSequence(seed).spawn(3)
        init_seed = cfg.get("model.init_seed")
        if init_seed is not None:
            # The same stream a run seeded with init_seed draws its weights from.
            init_ss = np.random.SeedSequence(init_seed).spawn(3)[0]
        self.data = (inputs.dataset(dataset) if dataset is not None else
                     load_dataset(cfg.get("data"), seed, cfg.get("dtype")))
        check_compatible(cfg, self.data)
        # Refused here, before the network exists, rather than by a MemoryError gigabytes in.
        needs = memory.footprint(cfg, self.data)
        memory.ensure_fits([needs], held=needs.loaded)
        model = cfg.get("model")
        self.loss_name = model["loss"]
        self.loss_fn = LOSSES[self.loss_name]
        self.classification = self.data.task == "classification"
        self.n_out = output_width(self.loss_name, self.data)
        self._shuffle_rng = np.random.default_rng(shuffle_ss)
        self.net = MLP(self.data.n_features, self.n_out, model,
                       np.random.default_rng(init_ss), np.random.default_rng(noise_ss),
                       self.dtype)
        optim = cfg.get("optim")
        self.optimizer = make_optimizer(optim["name"], optim["lr"], optim["momentum"])
        self._apply_optim_settings(optim)
        self.X_train = self.data.X_train.astype(self.dtype, copy=False)
        self.X_test = self.data.X_test.astype(self.dtype, copy=False)
        self.X_val = self.data.X_val.astype(self.dtype, copy=False)
        self.T_train = self.targets(self.data.y_train)
        self.T_test = self.targets(self.data.y_test)
        self.T_val = self.targets(self.data.y_val)
        self.step_count = 0
        self.epoch = 0
        self._cursor = len(self.X_train)  # forces a shuffle on the first step
        self._Xs = self._Ts = self._perm = self._batch_buffers = None
        self.divergence: dict | None = None
        self.last_loss = float("nan")
        self.loss_history = DecimatingSeries(2048)
        self.eval_history = DecimatingSeries(1024, columns=len(EVAL_COLUMNS))
        self._best_loss = math.inf
        self._checkpoint = None
        self._take_checkpoint()
        self.early_stop: dict | None = None
        self._early = self._fresh_early_state()

    # ------------------------------------------------------------------ data helpers
    def targets(self, y: np.ndarray) -> np.ndarray:
        """What the loss compares the logits with: one-hot rows for mse on classes; a
        regression target (N, D) in its units, standardised with the data's y_mean/y_std."""
        if self.classification and self.loss_name == "mse":
            return np.eye(self.n_out, dtype=self.dtype)[y]
        if not self.classification:
            d = self.data
            if not (d.y_mean.any() or (d.y_std != 1).any()):
                return y.astype(self.dtype, copy=False)
            return ((y - d.y_mean) / d.y_std).astype(self.dtype)
        return y

    def in_units(self, outputs: np.ndarray) -> np.ndarray:
        """Regression outputs (N, D) -> the target's own units, float64."""
        return np.asarray(outputs, dtype=np.float64) * self.data.y_std + self.data.y_mean

    def _new_epoch(self):
        self._epoch_rng_state = self._shuffle_rng.bit_generator.state
        perm = self._shuffle_rng.permutation(len(self.X_train))
        if self.X_train.nbytes <= GATHER_ABOVE_BYTES:
            self._Xs = self.X_train[perm]
            self._Ts = self.T_train[perm]
            self._perm = None
        else:
            # A large set is not copied whole every epoch: each step gathers its batch's rows
            # (same rows, less copying, and the batch is still in cache for the first matmul).
            self._Xs, self._Ts, self._perm = self.X_train, self.T_train, perm
        self._cursor = 0
        if self.step_count:
            self.epoch += 1

    def _gather(self, rows):
        """The batch's rows of a large training set, into buffers reused step after step
        (``mode="clip"``: with the default, NumPy buffers ``out`` again)."""
        B = len(rows)
        buf = self._batch_buffers
        if buf is None or len(buf[0]) != B:
            X, T = self.X_train, self.T_train
            buf = self._batch_buffers = (np.empty((B,) + X.shape[1:], X.dtype),
                                         np.empty((B,) + T.shape[1:], T.dtype))
        np.take(self._Xs, rows, axis=0, out=buf[0], mode="clip")
        np.take(self._Ts, rows, axis=0, out=buf[1], mode="clip")
        return buf

    def _apply_optim_settings(self, optim: dict):
        self.optimizer.lr = optim["lr"]
        self.optimizer.momentum = optim["momentum"]
        # A batch larger than the training set is the whole set (as in PyTorch and Keras);
        # :attr:`notes` says so.
        self.batch_size = min(optim["batch_size"], len(self.data.X_train))
        self.l1, self.l2 = optim["l1"], optim["l2"]
        self.clip_norm = optim["clip_norm"]

    # ------------------------------------------------------------------ training
    def _penalty(self, params, grads=None) -> float:
        """The L1/L2 penalty of the weights; with ``grads``, its gradient is added to the
        weight grads (in place)."""
        penalty = 0.0
        l1, l2 = self.l1, self.l2
        for i in self.net.weight_indices():
            penalty += weight_penalty(params[i], l1, l2)
            if grads is not None:
                add_penalty_gradient(params[i], grads[i], l1, l2)
        return penalty

    def step(self, n: int = 1) -> dict:
        """Run up to n updates (fewer if training diverges); return the latest metrics."""
        # Overflow on the way to a divergence is expected, detected and reported.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._steps(n)

    def _steps(self, n: int) -> dict:
        if self.divergence is not None or self.early_stop is not None or n <= 0:
            return self.metrics()
        net, loss_fn, opt = self.net, self.loss_fn, self.optimizer
        # One flat buffer for every parameter: the optimiser updates them in a few NumPy calls.
        flat = net.bind_flat()
        opt.bind_flat(flat)
        params = net.params()
        regularised = bool(self.l1 or self.l2)
        clip_norm = self.clip_norm
        history = self.loss_history
        n_train = len(self.X_train)
        B = self.batch_size
        isfinite = math.isfinite
        every = self.config.get("optim.eval_every") if self._early_stopping_on() else 0
        for _ in range(n):
            cursor = self._cursor
            if cursor + B > n_train:
                self._new_epoch()
                cursor = 0
            end = cursor + B
            if self._perm is None:
                xb = self._Xs[cursor:end]
                tb = self._Ts[cursor:end]
            else:
                xb, tb = self._gather(self._perm[cursor:end])
            self._cursor = end
            logits = net.forward(xb, TRAIN)
            loss, dlogits = loss_fn(logits, tb)
            net.backward(dlogits)
            grads = flat.grad_views
            if regularised:
                loss += self._penalty(params, grads)
            # A non-finite δ of any layer reaches that layer's dW (and every dW below it), so
            # summing the gradients catches inf/NaN before it reaches any parameter.
            if not (isfinite(loss) and isfinite(flat.grad_sum())):
                self._diverged(xb, tb, loss)
                break
            if clip_norm is not None:
                clip_by_global_norm(grads, clip_norm)
            opt.step_flat()
            self.step_count += 1
            self.last_loss = loss
            history.append(self.step_count, loss)
            if loss < self._best_loss:
                self._best_loss = loss
            if self.step_count % CHECKPOINT_EVERY == 0 and \
                    not self._maybe_checkpoint(loss, flat):
                self._diverged(xb, tb, loss, step=self.step_count)
                break
            if every and self.step_count % every == 0 and self._check_validation():
                break
        return self.metrics()

    # ------------------------------------------------------------------ early stopping
    @staticmethod
    def _fresh_early_state() -> dict:
        return {"best_step": None, "best_val_loss": math.inf, "bad_evals": 0,
                "params": None, "buffers": None}

    def _early_stopping_on(self) -> bool:
        return bool(self.config.get("optim.early_stopping")) and len(self.X_val) > 0 \
            and self.early_stop is None

    def _check_validation(self) -> bool:
        """One early-stopping check on the whole validation set (eval mode): keep the
        weights if they are the best so far, else count it; True if training stops now
        (patience used up: the best weights are restored and :attr:`early_stop` says so).
        The test set is never looked at."""
        early = self._early
        with np.errstate(all="ignore"):
            value = self._eval_split(self.X_val, self.T_val, self.data.y_val)["loss"]
        if math.isfinite(value) and value < early["best_val_loss"]:
            early.update(best_step=self.step_count, best_val_loss=float(value), bad_evals=0,
                         params={k: v.copy() for k, v in self.parameters().items()},
                         buffers={k: v.copy() for k, v in self.buffers().items()})
            return False
        early["bad_evals"] += 1
        patience = self.config.get("optim.patience")
        if early["bad_evals"] < patience or early["params"] is None:
            return False
        self._put_weights(early["params"], early["buffers"])
        params = {"step": self.step_count, "best_step": early["best_step"],
                  "patience": patience, "best_val_loss": early["best_val_loss"]}
        self.early_stop = {**params, "code": "stopped_early", "params": params,
                           "message": NOTES["stopped_early"](params)}
        return True

    @property
    def notes(self) -> list[str]:
        """Where the run differs from what the config seems to say, for the user to read
        once (the CLI prints them; the app shows them in its status bar). The task read
        from a CSV's labels (``data.task: auto``) comes first, as a note that carries its
        code and params (:func:`nnvis.core.refusals.note`)."""
        out = []
        if self.data.task_reason in NOTES:
            out.append(note(self.data.task_reason, self.data.task_params))
        n_train = len(self.X_train)
        asked = self.config.get("optim.batch_size")
        if asked > n_train:
            out.append(f"optim.batch_size {asked} is larger than the {n_train} training "
                       f"samples: each step uses all {n_train} as one batch")
        if not len(self.X_test):
            out.append("data.train_fraction is 1: no test set, so no test loss, test "
                       "accuracy or overfitting check")
        return out

    def metrics(self) -> dict:
        return {"step": self.step_count, "epoch": self.epoch, "loss": self.last_loss,
                "diverged": self.divergence is not None,
                "stopped_early": self.early_stop is not None}

    def _maybe_checkpoint(self, loss: float, flat) -> bool:
        """Copy the weights if they are healthy; False if some are no longer finite.

        The loss was measured before this step's update, and an update can overflow a weight
        although the loss and gradient it came from were finite (a huge gradient times the
        rate). Tanh or sigmoid can then hide the inf (tanh(inf) = 1), so the loss and
        gradient checks of later steps would never notice: hence the check here, every
        CHECKPOINT_EVERY steps, rather than on every step. ``flat``: the bound
        :class:`~nnvis.core.flat.FlatParams`, whose one buffer is checked in one call.
        """
        if not np.isfinite(flat.params).all():
            return False
        # Finite but exploding weights are no use to resume from: only keep losses that are
        # still within reach of the best seen so far (tracked every step).
        if loss <= 10.0 * self._best_loss + 10.0:
            self._take_checkpoint()
        return True

    def _take_checkpoint(self):
        self._checkpoint = {
            "step": self.step_count,
            "params": {k: v.copy() for k, v in self.parameters().items()},
            "buffers": {k: v.copy() for k, v in self.buffers().items()},
            "optimizer": self.optimizer.state_dict(),
        }

    def _restore_checkpoint(self) -> int:
        ck = self._checkpoint
        self._put_weights(ck["params"], ck["buffers"])
        if ck["optimizer"]["name"] == self.optimizer.name:
            self.optimizer.load_state_dict(ck["optimizer"])
        else:
            self.optimizer.state = {}
        return ck["step"]

    def _put_weights(self, params: dict, buffers: dict):
        """Copy saved parameters and BN buffers (name -> array) into the live ones, in
        place; a name the model no longer has, or of another shape (a live change since),
        is skipped."""
        for store, saved in ((self.parameters(), params), (self.buffers(), buffers)):
            for name, value in saved.items():
                if name in store and store[name].shape == value.shape:
                    store[name][...] = value

    def _diverged(self, xb, tb, loss, step: int | None = None):
        """Report the first layer whose values went non-finite (its weights, else forward,
        then backward order), restore the last healthy weights and stop. ``step``: the step
        that blew up (default: the one about to be applied)."""
        bad = next((name for name, p in self.parameters().items()
                    if not np.all(np.isfinite(p))), None)
        if bad is not None:
            layer, what = bad.split(".")[0], f"weights {bad}"
        else:
            layer, what = self._first_non_finite(xb, tb)
        lr = self.optimizer.lr
        # Found by the check of the weights (``step`` given): the bad update was applied, up
        # to CHECKPOINT_EVERY steps ago. Otherwise the update about to be applied was not.
        when = (f"at the weight check of step {step}" if step is not None else
                f"at step {self.step_count + 1}")
        how = "" if step is not None else ", so that update was not applied"
        step = self.step_count + 1 if step is None else step
        restored = self._restore_checkpoint()
        # The updates since the checkpoint led here and were undone with the weights: drop
        # them from the curves too (their exploding losses would flatten every later point).
        self.loss_history.truncate(restored)
        self.eval_history.truncate(restored)
        self.last_loss = self.loss_history.last_value()
        self.divergence = {
            "step": step, "layer": layer, "quantity": what, "loss": float(loss), "lr": lr,
            "restored_step": restored,
            "message": (f"Training diverged {when}: {what} in layer '{layer}' became "
                        f"non-finite{how}. Restored the last "
                        f"healthy weights (from step {restored}); the curves drop the steps "
                        f"since. "
                        f"Try a lower learning rate (now {lr:g}), gradient clipping, batch "
                        f"norm or a smaller initial scale."),
        }

    def _first_non_finite(self, xb, tb) -> tuple[str, str]:
        """(layer, quantity) of the first non-finite value: forward, then backward order."""
        logits = self.net.forward(xb, TRAIN)
        for block in self.net.blocks:
            if not np.all(np.isfinite(block.h)):
                return block.name, "activations"
        if not np.all(np.isfinite(logits)):
            return "output", "logits"
        _, d = self.loss_fn(logits, tb)
        self.net.backward(d)
        for name, lyr, key in reversed(self.net.slots):
            if not np.all(np.isfinite(lyr.grads[key])):
                return name.split(".")[0], f"gradient of {name}"
        return "output", "loss"

    def resume(self):
        """Clear a divergence so training can continue (after e.g. lowering the rate), or an
        early stop (patience starts again; the best weights so far are kept)."""
        self.divergence = None
        if self.early_stop is not None:
            self.early_stop = None
            self._early["bad_evals"] = 0

    # ------------------------------------------------------------------ inspection
    def parameters(self) -> "OrderedDict[str, np.ndarray]":
        """name -> parameter array (the live arrays, in network order)."""
        return OrderedDict(zip(self.net.names, self.net.params()))

    def buffers(self) -> "OrderedDict[str, np.ndarray]":
        out = OrderedDict()
        for block in self.net.blocks:
            if block.bn is not None:
                for key, value in block.bn.buffers.items():
                    out[f"{block.name}.{key}"] = value
        return out

    def loss(self, X, T, batch_norm: str = "batch") -> float:
        """Loss (with L1/L2 penalty) on a batch in training mode with dropout off
        (``batch_norm`` as in :meth:`gradients`)."""
        return self.loss_and_logits(X, T, batch_norm)[0]

    def loss_and_logits(self, X, T, batch_norm: str = "batch") -> tuple[float, np.ndarray]:
        """:meth:`loss`, and the logits (N, n_out) it was computed from."""
        logits = self._measure(X, batch_norm)
        value, _ = self.loss_fn(logits, T)
        return value + self._penalty(self.net.params()), logits

    def _measure(self, X, batch_norm: str):
        """Logits of a forward pass that measures: dropout off, RReLU at its mean slope, BN
        with the batch's statistics (``"batch"``) or its running ones (``"running"``) and
        its running averages untouched."""
        if batch_norm not in ("batch", "running"):
            raise ValueError(f"batch_norm must be 'batch' or 'running' (got {batch_norm!r})")
        return self.net.forward(X, MEASURE if batch_norm == "batch" else EVAL)

    def gradients(self, X, y, batch_norm: str = "batch") -> "OrderedDict[str, np.ndarray]":
        """Loss gradients for a batch (training mode: BN uses batch statistics; dropout off).

        X: (N, n_features); y: class labels (N,) (or, for mse, one-hot rows (N, C)), or
        regression targets (N, D) — (N,) also for one output. A shape that does not fit
        raises :class:`~nnvis.core.inputs.InputError`. Same keys as :meth:`parameters`.
        Also leaves each block's z, h and dL/dh for the snapshot.
        ``batch_norm="running"``: BN uses its running mean and variance, as in evaluation
        (the only batch norm a single sample has: its batch variance is 0).
        """
        X, T = self._checked(X, y)
        logits = self._measure(X, batch_norm)
        _, d = self.loss_fn(logits, T)
        self.net.backward(d)
        params, grads = self.net.params(), [g.copy() for g in self.net.grads()]
        self._penalty(params, grads)
        return OrderedDict(zip(self.net.names, grads))

    def _checked(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """(X, what the loss compares the logits with), or InputError if they do not fit."""
        X = inputs.features(X, self.data.n_features, self.dtype)
        if not self.classification:
            return X, self.targets(inputs.regression_targets(y, len(X), self.n_out,
                                                             self.dtype))
        if self.loss_name == "mse" and np.ndim(y) == 2:
            return X, inputs.regression_targets(y, len(X), self.n_out, self.dtype)
        return X, self.targets(inputs.class_labels(y, len(X), self.data.n_classes))

    def predict_logits(self, X) -> np.ndarray:
        """Eval-mode logits (running BN statistics, no dropout). X: (N, n_features)."""
        return self.net.forward(inputs.features(X, self.data.n_features, self.dtype), EVAL)

    def evaluate(self, max_samples: int | None = None, X=None, y=None) -> dict:
        """Eval-mode metrics of the train, test and validation splits (optionally of a
        fixed subset of each), keyed as :data:`EVAL_COLUMNS`: ``{split}_loss`` (a
        regression's on the standardised target, as trained), ``{split}_acc``, and for
        regression ``{split}_r2`` and ``{split}_mae`` in the target's own units. An empty
        split (no test or validation set) and what a task cannot measure are NaN.

        With ``X`` and ``y`` (shapes as in :meth:`gradients`; a regression target in its
        units): ``{"loss", "acc"}`` on them, and for regression ``"r2"``, ``"mae"``.
        """
        if X is not None or y is not None:
            X, T = self._checked(X, y)
            if not self.classification:
                return self._eval_split(X, T, self.in_units(T))
            return self._eval_split(X, T, np.argmax(T, axis=1) if T.ndim == 2 else T)
        out = {}
        for split in SPLITS:
            X, T = getattr(self, f"X_{split}"), getattr(self, f"T_{split}")
            labels = getattr(self.data, f"y_{split}")
            if max_samples is not None:
                X, T, labels = X[:max_samples], T[:max_samples], labels[:max_samples]
            for key, value in self._eval_split(X, T, labels).items():
                out[f"{split}_{key}"] = value
        return {key: out.get(key, math.nan) for key in EVAL_COLUMNS}

    def _eval_split(self, X, T, labels) -> dict:
        """{"loss", "acc"} (and for regression "r2", "mae") of the rows X (N, n_features)
        against T (what the loss compares with) and ``labels`` (classes (N,), or the target
        (N, D) in units)."""
        out = {"loss": math.nan, "acc": math.nan}
        if not self.classification:
            out.update(r2=math.nan, mae=math.nan)
        if not len(X):
            return out
        logits = self.net.forward(X, EVAL)
        with np.errstate(all="ignore"):
            out["loss"], _ = self.loss_fn(logits, T)
            if self.classification:
                out["acc"] = float(np.mean(predict_labels(self.loss_name, logits) == labels))
            else:
                out.update(regression_scores(self.in_units(logits), labels))
        return out

    def record_evaluation(self, max_samples: int | None = EVAL_SAMPLES) -> dict:
        ev = self.evaluate(max_samples)
        values = [ev[key] for key in EVAL_COLUMNS]
        if all(math.isfinite(v) or math.isnan(v) for v in values) and \
                math.isfinite(ev["train_loss"]):
            self.eval_history.append(self.step_count, *values)
        return ev

    def predict(self, X) -> np.ndarray:
        """Predictions for new samples in the data's raw units, X ``(N, n_features)`` (the
        columns as ``data.feature_names``): classification gives the class names ``(N,)``
        (str), regression the target in its own units, ``(N,)`` for one target, else
        ``(N, D)`` float64. Eval mode."""
        X = inputs.features(X, self.data.n_features, np.float64)
        logits = self.predict_logits(self.data.transform(X))
        if self.classification:
            names = np.asarray([str(c) for c in self.data.class_names])
            return names[predict_labels(self.loss_name, logits)]
        values = self.in_units(logits)
        return values[:, 0] if values.shape[1] == 1 else values

    def parameter_count(self) -> int:
        return self.net.parameter_count()

    # ------------------------------------------------------------------ live changes
    def apply_changes(self, changes: dict) -> "Trainer":
        """Apply ``{"optim.lr": 0.1, ...}`` and return the trainer that carries on: this one
        if every change is live (the weights are kept), else a new one built from scratch
        with the changed config. Invalid values raise ConfigError and leave this trainer
        untouched."""
        new = self.config.with_changes(changes)
        changed = changed_fields(self.config, new)
        if not changed:
            return self
        if any(path not in LIVE_FIELDS for path in changed):
            return Trainer(new)
        # A live change can grow the memory too (maxout doubles the weights, Adam adds two
        # slots, a larger batch): what this trainer holds now is already allocated.
        before, after = memory.footprint(self.config, self.data), memory.footprint(new, self.data)
        if after.total > before.total:
            memory.ensure_fits([after], held=before.held)
        optim = new.get("optim")
        old = self.config
        self.config = new
        if "optim.name" in changed:
            self.optimizer = make_optimizer(optim["name"], optim["lr"], optim["momentum"])
        self._apply_optim_settings(optim)
        model = new.get("model")
        for block in self.net.blocks:
            if "model.activation" in changed:
                block.set_activation(model["activation"])
            if "model.batch_norm" in changed:
                block.set_batch_norm(model["batch_norm"])
            block.dropout.p = model["dropout"]
            block.residual = model["residual"]
        self.net.refresh_slots()
        if old.get("model.activation") != model["activation"] and self.divergence:
            self.divergence = None
        return self

    # ------------------------------------------------------------------ state
    def state_dict(self, copy: bool = True) -> dict:
        """The trainer's complete state: a trainer built from the same config (and data)
        that loads it continues bit-identically. ``copy=False`` returns the live arrays
        instead of copies, for a caller that reads them before the next step (a save).

        Keys: config, params, buffers, optimizer, last_update (each parameter's last
        update, for the update/weight ratios), step, epoch, cursor, order (the RNG state
        that drew the current epoch's order), rng (shuffle, noise), loss_history,
        eval_history, last_loss, best_loss, checkpoint (the last healthy weights that a
        divergence restores; its arrays are never changed in place), divergence,
        early_stopping (best_step, best_val_loss, bad_evals, params and buffers: the best
        weights so far, or None; stop: the early stop's report, or None).
        """
        own = (lambda a: a.copy()) if copy else (lambda a: a)
        ck = self._checkpoint
        return {
            "config": self.config.to_dict(),
            "params": {k: own(v) for k, v in self.parameters().items()},
            "buffers": {k: own(v) for k, v in self.buffers().items()},
            "optimizer": self.optimizer.state_dict(copy),
            "last_update": {k: own(np.asarray(v)) for k, v in self.optimizer.last_update.items()},
            "step": self.step_count, "epoch": self.epoch, "cursor": self._cursor,
            "order": None if self._Xs is None else self._epoch_rng_state,
            "rng": {"shuffle": self._shuffle_rng.bit_generator.state,
                    "noise": self.net.blocks[0].noise_rng.bit_generator.state
                    if self.net.blocks else None},
            "loss_history": self.loss_history.state_dict(),
            "eval_history": self.eval_history.state_dict(),
            "last_loss": self.last_loss,
            "best_loss": self._best_loss,
            "checkpoint": None if ck is None else dict(ck),
            "divergence": None if self.divergence is None else dict(self.divergence),
            "early_stopping": self.early_stopping_state(copy),
        }

    def early_stopping_state(self, copy: bool = True) -> dict:
        """The early-stopping part of :meth:`state_dict`."""
        own = (lambda a: a.copy()) if copy else (lambda a: a)
        early = self._early
        saved = {k: None if early[k] is None else {n: own(v) for n, v in early[k].items()}
                 for k in ("params", "buffers")}
        return {"best_step": early["best_step"], "best_val_loss": early["best_val_loss"],
                "bad_evals": early["bad_evals"], **saved,
                "stop": None if self.early_stop is None else dict(self.early_stop)}

    def set_parameters(self, values: dict):
        """Set parameters by name (name -> array or nested lists); ConfigError, before any
        changes, if one is not a parameter of this model or has another shape."""
        params = self.parameters()
        for name, value in values.items():
            if name not in params or params[name].shape != np.shape(value):
                raise ConfigError("params", f"parameter {name} does not fit this model")
        for name, value in values.items():
            params[name][...] = value

    def load_state_dict(self, state: dict):
        """Restore a :meth:`state_dict` into a trainer built from the same config. A state
        without a checkpoint takes one of the restored weights; without ``best_loss`` the
        best loss is the last one."""
        self.set_parameters(state["params"])
        buffers = self.buffers()
        for name, value in state["buffers"].items():
            if name in buffers and buffers[name].shape == np.shape(value):
                buffers[name][...] = value
        self.optimizer.load_state_dict(state["optimizer"])
        self.optimizer.last_update = {k: np.array(v)
                                      for k, v in state.get("last_update", {}).items()}
        self.step_count = int(state["step"])
        self.epoch = int(state["epoch"])
        self._shuffle_rng.bit_generator.state = state["rng"]["shuffle"]
        if state["rng"]["noise"] is not None and self.net.blocks:
            self.net.blocks[0].noise_rng.bit_generator.state = state["rng"]["noise"]
        if state["order"] is not None:
            # Regenerate the current epoch's permutation from the RNG state that made it.
            current = self._shuffle_rng.bit_generator.state
            self._shuffle_rng.bit_generator.state = state["order"]
            epoch = self.epoch
            self._new_epoch()
            self.epoch = epoch
            self._shuffle_rng.bit_generator.state = current
        self._cursor = int(state["cursor"])
        self.loss_history.load_state_dict(state["loss_history"])
        self.eval_history.load_state_dict(state["eval_history"])
        self.last_loss = float(state["last_loss"])
        best = state.get("best_loss")
        self._best_loss = float(self.last_loss if best is None else best)
        divergence = state.get("divergence")
        self.divergence = None if divergence is None else dict(divergence)
        if state.get("checkpoint") is not None:
            self._checkpoint = dict(state["checkpoint"])
        else:
            self._take_checkpoint()
        early = state.get("early_stopping") or {}
        self._early = self._fresh_early_state()
        for key in ("best_step", "best_val_loss", "bad_evals"):
            if early.get(key) is not None:
                self._early[key] = early[key]
        for key in ("params", "buffers"):
            if early.get(key) is not None:
                self._early[key] = {n: np.array(v) for n, v in early[key].items()}
        stop = early.get("stop")
        self.early_stop = None if stop is None else dict(stop)
