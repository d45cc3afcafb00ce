"""The commands a training session understands: one small frozen object per command.

The app builds them in the GUI thread and they reach the session through a queue (thread
engine) or a multiprocessing pipe (process engine), so they must pickle. Each one checks its
fields when built: a bad value is a :class:`~nnvis.core.config.ConfigError` naming the
command (``"step: expected a whole number, got 'x'"``), raised where the mistake was made.
Unpickling skips ``__init__``, so the session checks again on receipt (:func:`checked`):
whatever arrives down a pipe, a malformed command becomes an "error" message, never a crash.
"""
from __future__ import annotations

import dataclasses
import math
import numbers
import operator
import os
from dataclasses import dataclass

from .config import Config, ConfigError

EDGE_MODES = ("weights", "gradients", "ratio")


# --------------------------------------------------------------------- field checks
def _integer(name: str, v) -> int:
    if isinstance(v, bool):
        raise ConfigError(name, f"expected a whole number, got {v!r}")
    try:
        return operator.index(v)
    except TypeError:
        raise ConfigError(name, f"expected a whole number, got {v!r}") from None


def _finite(name: str, v) -> float:
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
        raise ConfigError(name, f"expected a finite number, got {v!r}")
    return float(v)


def _mapping(name: str, v, allow_none: bool = False):
    if v is None and allow_none:
        return None
    if not isinstance(v, dict):
        raise ConfigError(name, f"expected {'None or ' if allow_none else ''}a "
                                f"{{field: value}} mapping, got {v!r}")
    return dict(v)


def _mapping_or_none(name: str, v):
    return _mapping(name, v, allow_none=True)


def _finite_or_none(name: str, v):
    return None if v is None else _finite(name, v)


def _file_path(name: str, v) -> str:
    if not isinstance(v, (str, os.PathLike)) or not os.fspath(v):
        raise ConfigError(name, f"expected a file path, got {v!r}")
    return os.fspath(v)


class Command:
    """Base of every command. ``name`` is what an error about it starts with; ``checks``
    maps a field to its check, ``check(name, value)`` -> the value to keep (or a
    ConfigError)."""

    name = ""
    checks: "dict[str, object]" = {}

    def __post_init__(self):
        for field, value in self._checked_fields().items():
            object.__setattr__(self, field, value)   # frozen: normalised once, here

    def _checked_fields(self) -> dict:
        """The fields, checked and normalised (ConfigError if one is bad)."""
        return {field: check(self.name, getattr(self, field))
                for field, check in self.checks.items()}


def checked(cmd) -> Command:
    """``cmd`` checked again as the session receives it (an unpickled command never ran
    ``__init__``); anything else is a ConfigError, so the session answers with an error."""
    if not isinstance(cmd, Command) or not dataclasses.is_dataclass(cmd):
        raise ConfigError("", f"expected a command object, got {cmd!r}")
    try:
        values = {f.name: getattr(cmd, f.name) for f in dataclasses.fields(cmd)}
    except AttributeError:   # a pickle made by hand may lack a field
        raise ConfigError(cmd.name, "missing argument") from None
    return type(cmd)(**values)


def _plain(cls):
    """A frozen dataclass command (hashable, comparable, picklable)."""
    return dataclass(frozen=True)(cls)


@_plain
class Reset(Command):
    """Rebuild the trainer from ``config`` (a config dict; None: same config, fresh
    weights). The config itself is validated by the session, as a Config."""
    config: dict | None = None
    name = "reset"

    def _checked_fields(self):
        if isinstance(self.config, Config):   # already validated
            return {}
        return {"config": _mapping_or_none(self.name, self.config)}


@_plain
class Play(Command):
    """Train continuously (ignored while the trainer has diverged)."""
    name = "play"


@_plain
class Pause(Command):
    """Stop between steps and report."""
    name = "pause"


@_plain
class Step(Command):
    """Run exactly ``n`` steps, then report."""
    n: int = 1
    name = "step"
    checks = {"n": _integer}


@_plain
class Set(Command):
    """A live change, ``{"optim.lr": 0.1}`` (a rebuild for structural fields)."""
    changes: dict
    name = "set"
    checks = {"changes": _mapping}


@_plain
class Resume(Command):
    """Clear a divergence so Play works again."""
    name = "resume"


@_plain
class EdgeMode(Command):
    """What the network's edges show: one of EDGE_MODES."""
    mode: str
    name = "edge_mode"

    def _checked_fields(self):
        if self.mode not in EDGE_MODES:
            raise ConfigError.coded(self.name, "choice", choices=list(EDGE_MODES),
                                    value=repr(self.mode))
        return {}


@_plain
class Probe(Command):
    """The neuron ``(layer, unit)`` whose output map the data panel shows (None: none)."""
    neuron: tuple | None
    name = "probe"

    def _checked_fields(self):
        if self.neuron is None:
            return {}
        try:
            layer, unit = (operator.index(v) for v in self.neuron)
        except (TypeError, ValueError):
            raise ConfigError(self.name, f"expected None or (layer, unit) integers, "
                                         f"got {self.neuron!r}") from None
        return {"neuron": (layer, unit)}


@_plain
class Speed(Command):
    """At most ``steps_per_second`` steps a second (None: as fast as possible)."""
    steps_per_second: float | None
    name = "speed"
    checks = {"steps_per_second": _finite_or_none}


@_plain
class SnapshotRate(Command):
    """At most ``hz`` snapshots a second while training."""
    hz: float
    name = "snapshot_rate"
    checks = {"hz": _finite}


@_plain
class Snapshot(Command):
    """Report now."""
    name = "snapshot"


@_plain
class _FileCommand(Command):
    """A command about one file (its path is a non-empty string or path-like)."""
    path: str
    checks = {"path": _file_path}


@_plain
class Save(_FileCommand):
    """Save the experiment to ``path`` ("saved", or "save_failed" with the old file
    intact)."""
    name = "save"


@_plain
class Load(_FileCommand):
    """Replace the experiment with the one saved at ``path``."""
    name = "load"


@_plain
class Compare(Command):
    """Also train a copy with ``changes`` applied (same data and seed, fresh weights) in
    lockstep; its per-layer stats ride along in each snapshot. None turns it off."""
    changes: dict | None
    name = "compare"
    checks = {"changes": _mapping_or_none}


def _samples(name: str, v) -> dict:
    v = _mapping(name, v)
    missing = [key for key in ("name", "X", "y", "bounds") if key not in v]
    if missing:
        raise ConfigError(name, f"samples need {', '.join(missing)}")
    return v


@_plain
class Handmade(Command):
    """A network whose weights are set, not learned (the lessons' hand-made XOR): ``config``
    (a config dict) with ``params`` (name -> nested lists) on ``samples`` — see
    :func:`nnvis.core.handmade.samples_dataset` — in place of the data its config names.
    Plain lists, so the command pickles and compares like every other."""
    config: dict
    params: dict
    samples: dict
    name = "handmade"
    checks = {"config": _mapping, "params": _mapping, "samples": _samples}


@_plain
class DescribeModel(Command):
    """Send the trained network as a :class:`~nnvis.core.model_spec.ModelSpec` ("model"
    message), for the app to export as PyTorch code or ONNX."""
    name = "describe_model"


@_plain
class Backprop(Command):
    """One sample's computation graph with the current weights ("backprop" message).
    ``split`` is checked against the data's splits by the session."""
    sample: int = 0
    split: str = "train"
    name = "backprop"
    checks = {"sample": _integer}


@_plain
class Shutdown(Command):
    """Stop the session loop ("stopped")."""
    name = "shutdown"


@_plain
class Restart(Command):
    """A new trainer process in place of the last one: for the app's worker, which owns
    the process; a session itself refuses it as unknown."""
    name = "restart"
