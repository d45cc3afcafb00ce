"""Hooks on a PyTorch model that build nnvis snapshots every N optimiser steps.

Protocol for the training script: call **exactly one** of ``w.step()`` or
``w.log(loss=..., acc=...)`` once per optimiser step, after ``optimizer.step()``. Every
``every``-th step (and the first) is a *snapshot step*: during its forward and backward the
hooks keep references to each Linear/Conv layer's output, the following activation's input
and output, and the gradients flowing back into them; the ``w.step()`` that ends it turns
those and ``p.grad`` into one snapshot. The hooks exist only during snapshot steps: on the
others the model runs exactly as if it were not watched (measured: ~50 µs a step less than
permanent hooks that check a flag, 2 % of the bench's 2.4 ms step).

What a layer is: each ``nn.Linear`` and (non-transposed) ``nn.Conv1d/2d/3d`` that runs with
gradients on, in the order they run; an activation *module* (``nn.ReLU``, ``nn.Tanh``...)
that runs next belongs to it (normalisation in between is fine), so its input is the
pre-activation. Activations applied functionally (``F.relu``) are not seen: the layer then
counts as linear. The last layer to run is the output. For ‖ΔW‖/‖W‖ a snapshot step keeps
a copy of each layer's weights from its forward pass until ``w.step()``: transiently, one
more copy of the watched weights in device memory. Forward passes without gradients
(evaluation under ``torch.no_grad()``) are ignored; with gradient accumulation the
statistics describe the last micro-batch.
"""
from __future__ import annotations

import atexit
import functools
import weakref

import os
import time
import warnings

import numpy as np
import torch

from nnvis import __version__
from nnvis.protocol.watched import finite_or_nan

from .sinks import FileSink, SocketSink
from .stats import CONV_TYPES, LayerCapture, Workspace, activation_info, layer_snapshots

#: PyTorch activation modules and the nnvis activation they are (others keep their name).
ACTIVATIONS = {"ReLU": "relu", "LeakyReLU": "leaky_relu", "PReLU": "prelu", "RReLU": "rrelu",
               "ELU": "elu", "Softplus": "softplus", "Sigmoid": "sigmoid", "Tanh": "tanh",
               "Identity": "linear"}
OTHER_ACTIVATIONS = ("GELU", "SiLU", "Mish", "ReLU6", "Hardtanh", "SELU", "CELU", "Softsign",
                     "Hardswish", "Hardsigmoid", "LogSigmoid", "Tanhshrink")
_ACTIVATION_TYPES = tuple(getattr(torch.nn, n) for n in (*ACTIVATIONS, *OTHER_ACTIVATIONS)
                          if hasattr(torch.nn, n))


def _is_layer(m) -> bool:
    conv = isinstance(m, CONV_TYPES) and not m.transposed
    return (isinstance(m, torch.nn.Linear) or conv) and \
        not isinstance(m.weight, torch.nn.parameter.UninitializedParameter)


def _activation_name(m) -> str:
    name = type(m).__name__
    return ACTIVATIONS.get(name, name.lower())


def _scalar(v):
    """A logged number: a tensor stays on its device (read at the next snapshot, one sync
    for all of them), anything else becomes a float now."""
    if isinstance(v, torch.Tensor):
        return v.detach()
    return float(v)


def _to_floats(values: list) -> list[float]:
    tensors = [v for v in values if isinstance(v, torch.Tensor)]
    if not tensors:
        return list(values)
    dev = tensors[0].device
    if all(t.dim() == 0 and t.device == dev for t in tensors):   # the usual loss.detach()
        stacked = torch.stack(tensors)
    else:
        stacked = torch.stack([t.to(dev).float().mean() for t in tensors])
    host = iter(stacked.float().cpu().tolist())
    return [next(host) if isinstance(v, torch.Tensor) else v for v in values]


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def _close_at_exit(ref):
    watcher = ref()
    if watcher is not None:
        watcher.close()


class Watcher:
    """Watches one model; build it with :func:`attach`."""

    active = True

    def __init__(self, model: torch.nn.Module, every: int, sinks: list, optimizer=None,
                 name: str | None = None):
        if int(every) < 1:
            raise ValueError(f"every must be a whole number >= 1, got {every!r}")
        self.model = model
        self.every = int(every)
        self.sinks = sinks
        self.optimizer = optimizer
        self.steps = 0                      # optimiser steps completed
        self.epoch = 0
        self.snapshot_seconds: list[float] = []   # CPU time of each snapshot (the bench)
        self._armed = True                  # the first step is a snapshot step
        self._captures: dict = {}
        self._workspace = Workspace()       # buffers reused from snapshot to snapshot
        self._last: LayerCapture | None = None
        self._pending_z = None
        self._order = 0
        self._losses: list = []             # (step, value) logged since the last snapshot
        self._accs: list = []
        self._test = {"test_loss": float("nan"), "test_acc": float("nan")}
        self._unsent = False                # metrics logged since the last snapshot
        self._last_layers = None            # the last snapshot's layers (for the final one)
        self._closed = False
        self._classification = False
        inner = getattr(model, "module", model)   # DistributedDataParallel / DataParallel
        self._names = {m: n or type(m).__name__ for n, m in inner.named_modules()}
        self._layers = [m for m in self._names if _is_layer(m)]
        self._activations = [m for m in self._names if isinstance(m, _ACTIVATION_TYPES)]
        if not self._layers:
            raise ValueError("nnvis.watch found no nn.Linear or nn.Conv layer in the model")
        self._handles = []
        self._set_hooks(True)
        params = list(model.parameters())
        self.param_count = sum(p.numel() for p in params)
        self.name = name or type(inner).__name__
        # The end of a run is sent even when the script never calls close(). Registered
        # after the sinks' own exit hooks, so it runs before them; it holds the watcher
        # weakly, so one dropped without close() (and its model) is still freed.
        self._at_exit = functools.partial(_close_at_exit, weakref.ref(self))
        atexit.register(self._at_exit)
        self._send("run", {"model": self.name,
                           "device": str(params[0].device) if params else "cpu",
                           "every": self.every, "param_count": self.param_count,
                           "torch": torch.__version__, "nnvis": __version__})

    # ---------------------------------------------------------------- hooks
    def _set_hooks(self, on: bool):
        """Hooks on (a snapshot step is next) or off."""
        if on and not self._handles:
            for m in self._layers:
                self._handles.append(m.register_forward_hook(self._on_layer))
            for m in self._activations:
                self._handles.append(m.register_forward_pre_hook(self._on_act_input))
                self._handles.append(m.register_forward_hook(self._on_act_output))
        elif not on:
            for h in self._handles:
                h.remove()
            self._handles = []

    def _on_layer(self, module, args, output):
        if not (isinstance(output, torch.Tensor) and output.requires_grad):
            return
        cap = self._captures.get(module)
        if cap is None:
            cap = self._captures[module] = LayerCapture(module, self._names[module])
            cap.w_before = module.weight.detach().clone()   # for the update/weight ratio
        cap.order = self._order
        self._order += 1
        cap.z = cap.a = output.detach()
        cap.act_name, cap.grad_act = "linear", None
        cap.grad_out_hook = output.register_hook(cap.set_grad_out)
        self._last = cap

    def _on_act_input(self, module, args):
        self._pending_z = None
        cap = self._last
        if cap is None or cap.act_name != "linear" or not args or \
                not isinstance(args[0], torch.Tensor):
            return
        x = args[0].detach()
        # An in-place activation overwrites its input: keep the pre-activation first.
        self._pending_z = x.clone() if getattr(module, "inplace", False) else x

    def _on_act_output(self, module, args, output):
        if self._pending_z is None:
            return
        cap = self._last
        cap.z, self._pending_z = self._pending_z, None
        cap.a = output.detach()
        cap.act_name = _activation_name(module)
        if output.requires_grad:
            output.register_hook(cap.set_grad_act)
            if cap.grad_out_hook is not None:   # ∂L/∂z is not used then: do not keep it
                cap.grad_out_hook.remove()
                cap.grad_out_hook = None

    # ---------------------------------------------------------------- the script's API
    def step(self):
        """One optimiser step is done (call after ``optimizer.step()``). On a snapshot step
        this builds and sends the snapshot; while the app has paused the run it waits here."""
        self.steps += 1
        if self._armed and self._captures:   # (no captures: no training forward yet)
            self._snapshot()
            self._armed = False
        if not self._armed and (self.steps + 1) % self.every == 0:
            self._armed = True
        self._set_hooks(self._armed)
        for sink in self.sinks:
            sink.poll()

    def log(self, loss=None, acc=None, *, test_loss=None, test_acc=None, epoch=None):
        """Record this step's metrics, then :meth:`step`. ``loss``/``acc`` are the batch's
        (tensors are fine: they are read at the next snapshot, one device sync for all);
        the Loss panel's train points are their means between snapshots."""
        self.log_eval(test_loss=test_loss, test_acc=test_acc, epoch=epoch)
        self._unsent = True
        if loss is not None:
            self._losses.append((self.steps + 1, _scalar(loss)))
        if acc is not None:
            self._accs.append(_scalar(acc))
            self._classification = True
        self.step()

    def log_eval(self, *, test_loss=None, test_acc=None, epoch=None):
        """Record held-out metrics (or the epoch) without stepping; shown from the next
        snapshot on."""
        self._unsent = True
        if test_loss is not None:
            self._test["test_loss"] = float(test_loss)
        if test_acc is not None:
            self._test["test_acc"] = float(test_acc)
            self._classification = True
        if epoch is not None:
            self.epoch = int(epoch)

    def flush(self):
        """Wait until every snapshot sent so far is written (a recording is written by a
        background thread; :meth:`close` flushes too)."""
        for sink in self.sinks:
            sink.flush()

    def close(self):
        """Send what the run logged since its last snapshot (the last losses, a final
        :meth:`log_eval`) as a final snapshot, remove the hooks, send "end" and close the
        recording / connection. Called at the interpreter's exit too."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._at_exit)
        try:
            if self._unsent and self._last_layers is not None:
                # The layers are those of the last snapshot (a forward pass captured since,
                # say a validation pass, had no backward); the metrics and step are the last.
                self._captures = {}
                self._send("snapshot", self.snapshot())
        except Exception as exc:   # e.g. a device error reading the last losses
            warnings.warn(f"nnvis.watch: the run's last metrics could not be sent ({exc})",
                          RuntimeWarning, stacklevel=2)
        finally:
            self._set_hooks(False)
            self._armed = False
            self._send("end", {"step": self.steps})
            for sink in self.sinks:
                sink.close()
            self.sinks = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---------------------------------------------------------------- snapshots
    def _send(self, kind, payload):
        for sink in self.sinks:
            sink.send(kind, payload)

    def snapshot(self) -> dict:
        """The snapshot of the captured step (what is sent); clears the captures."""
        caps = sorted(self._captures.values(), key=lambda c: c.order)
        self._captures, self._last, self._order = {}, None, 0
        layers = layer_snapshots(caps, self._workspace) if caps else self._last_layers
        self._last_layers, self._unsent = layers, False
        steps = [s for s, _ in self._losses]
        losses = _to_floats([v for _, v in self._losses])
        accs = _to_floats(self._accs)
        self._losses, self._accs = [], []
        opt = self.optimizer
        hidden = [lay["activation"] for lay in layers if lay["kind"] == "hidden"]
        output = layers[-1]
        return finite_or_nan({
            "step": self.steps, "epoch": self.epoch,
            "batch_loss": losses[-1] if losses else float("nan"),
            "train_loss": _mean(losses), "train_acc": _mean(accs), **self._test,
            "losses": {"step": np.array(steps, np.int64), "loss": np.array(losses, np.float64)},
            "lr": float(opt.param_groups[0]["lr"]) if opt is not None else float("nan"),
            "optimizer": type(opt).__name__ if opt is not None else "",
            "param_count": self.param_count,
            "activation": activation_info(hidden) if hidden else None,
            "layers": layers,
            "task": "classification" if self._classification else "regression",
            "n_classes": output["width"] if self._classification else 0,
            "n_features": layers[0]["fan_in"],
            "dataset": self.name,
            "running": True,
        })

    def _snapshot(self):
        t0 = time.thread_time()
        snap = self.snapshot()
        self._send("snapshot", snap)
        self.snapshot_seconds.append(time.thread_time() - t0)


class NullWatcher:
    """The watcher of a process that does not watch (a non-zero distributed rank, or no
    destination): every method does nothing, so the script needs no ``if``."""

    active = False
    steps = 0

    def step(self):
        pass

    def log(self, *args, **kwargs):
        pass

    def log_eval(self, **kwargs):
        pass

    def flush(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


def _rank() -> int:
    dist = getattr(torch, "distributed", None)
    if dist is not None and dist.is_available() and dist.is_initialized():
        return dist.get_rank()
    return 0


def attach(model: torch.nn.Module, every: int = 50, *, connect: str | None = None,
           token: str | None = None, record=None, optimizer=None, name: str | None = None):
    """Watch ``model``: a snapshot every ``every`` optimiser steps (and after the first).

    connect   "HOST:PORT" of an app started with ``nnvis --listen HOST:PORT`` (default:
              the NNVIS_CONNECT environment variable); ``token`` is the one it printed
              (default: NNVIS_TOKEN). A wrong token or no app there raises ConnectionError.
    record    a ``.nnvisrec`` file to write (File ▸ Open recording… replays it).
    optimizer optional: its learning rate and name go into the snapshots.

    Returns a :class:`Watcher`, or a :class:`NullWatcher` on a ``torch.distributed`` rank
    other than 0 or when there is nowhere to send snapshots (with a warning).
    """
    if _rank() != 0:
        return NullWatcher()
    connect = connect or os.environ.get("NNVIS_CONNECT")
    sinks = []
    if record is not None:
        sinks.append(FileSink(record))
    if connect:
        token = token or os.environ.get("NNVIS_TOKEN")
        if not token:
            raise ValueError("connect= needs the token the nnvis app printed: pass token=... "
                             "or set NNVIS_TOKEN")
        sinks.append(SocketSink(connect, token))
    if not sinks:
        warnings.warn("nnvis.watch.attach: no record= file and no app to connect= to "
                      "(nor NNVIS_CONNECT): nothing is watched", RuntimeWarning, stacklevel=2)
        return NullWatcher()
    try:
        return Watcher(model, every, sinks, optimizer=optimizer, name=name)
    except BaseException:
        for sink in sinks:
            sink.close()
        raise
