"""Property tests: random (partly invalid) configs and command sequences never crash."""
import math
import os
import tempfile

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import small_config, unchecked
from nnvis.core import (ACTIVATIONS, DATASETS, INITS, LOSSES, OPTIMIZERS, ConfigError, Trainer,
                        commands)
from nnvis.core.session import Session
from nnvis.core.trainer import EVAL_COLUMNS

MISSING = object()
# Derandomized: the same examples every run (a CI failure reproduces locally), < 10 s total.
FUZZ = settings(deadline=None, max_examples=100, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# 10**400: past float's range (an OverflowError once escaped validation). JSON text and file
# bytes are mutated in test_adversarial_files.py.
numbers = st.one_of(st.integers(-3, 10), st.floats(allow_nan=True, allow_infinity=True),
                    st.floats(-2, 2), st.integers(2**31, 2**70), st.just(10**400))
junk = st.one_of(st.none(), st.booleans(), st.text(max_size=4), st.just([1, 2]), st.just({}),
                 st.just("swish"), st.just("float16"), st.just([0, -1]), numbers)


def optional(valid):
    """A valid value, or left out (the default applies)."""
    return st.one_of(st.just(MISSING), valid)


def section(**fields):
    return st.fixed_dictionaries({k: optional(v) for k, v in fields.items()}).map(
        lambda d: {k: v for k, v in d.items() if v is not MISSING})


valid_configs = st.fixed_dictionaries({
    "seed": optional(st.integers(0, 2**32 - 1)),
    "dtype": optional(st.sampled_from(["float32", "float64"])),
    "data": section(
        name=st.sampled_from([d for d in DATASETS if d != "digits"]),
        n_samples=st.integers(8, 200), noise=st.floats(0, 10), classes=st.integers(2, 10),
        train_fraction=st.floats(0.01, 0.99), normalize=st.booleans()),
    "model": section(
        hidden=st.lists(st.integers(1, 10), max_size=3),
        activation=st.sampled_from(ACTIVATIONS), init=st.sampled_from(INITS),
        init_scale=st.floats(0, 50), batch_norm=st.booleans(),
        dropout=st.floats(0, 0.95), residual=st.booleans(), loss=st.sampled_from(LOSSES)),
    "optim": section(
        name=st.sampled_from(OPTIMIZERS), lr=st.floats(1e-6, 1e4),
        momentum=st.floats(0, 0.999), batch_size=st.integers(1, 64), l1=st.floats(0, 100),
        l2=st.floats(0, 100), clip_norm=st.one_of(st.none(), st.floats(1e-3, 1e6))),
}).map(lambda d: {k: v for k, v in d.items() if v is not MISSING})

PATHS = ["version", "seed", "dtype", "data", "model", "optim", "bogus", "data.name",
         "data.path", "data.label_column", "data.n_samples", "data.noise", "data.classes",
         "data.train_fraction", "data.normalize", "data.extra", "model.hidden",
         "model.activation", "model.init", "model.init_scale", "model.batch_norm",
         "model.dropout", "model.residual", "model.loss", "optim.name", "optim.lr",
         "optim.momentum", "optim.batch_size", "optim.l1", "optim.l2", "optim.clip_norm"]


def corrupt(cfg, mutations):
    """Put each (dotted path, value) into cfg, creating or overwriting what is there."""
    for path, value in mutations:
        *parents, last = path.split(".")
        node = cfg
        for p in parents:
            if not isinstance(node.get(p), dict):
                node[p] = {}
            node = node[p]
        node[last] = value
    return cfg


# Valid configs, about half of them with one to three bad or unusual values.
configs = st.builds(corrupt, valid_configs, st.one_of(
    st.just([]), st.lists(st.tuples(st.sampled_from(PATHS), junk), min_size=1, max_size=3)))


@settings(FUZZ, max_examples=300)
@given(configs)
def test_any_config_is_rejected_or_trains(cfg):
    try:
        trainer = Trainer(cfg)
    except ConfigError as exc:
        assert str(exc)
        return
    trainer.step(5)
    if trainer.divergence is None:
        assert trainer.step_count == 5 and math.isfinite(trainer.last_loss)
    else:
        assert isinstance(trainer.divergence["message"], str)
        assert all(np.all(np.isfinite(p)) for p in trainer.parameters().values())


# --------------------------------------------------------------------------- the session

FIELDS = ["optim.lr", "optim.name", "optim.momentum", "optim.batch_size", "optim.l1",
          "optim.l2", "optim.clip_norm", "model.activation", "model.dropout",
          "model.batch_norm", "model.residual", "model.hidden", "model.loss", "data.name",
          "data.noise", "seed", "dtype", "optim.nope", "model", "nope"]
VALUES = st.one_of(
    st.sampled_from(["relu", "tanh", "maxout", "prelu", "rrelu", "sigmoid", "sgd", "adam",
                     "momentum", "rmsprop", "xor", "circle", "sine", "mse", "hinge",
                     "float64", "swish"]),
    st.floats(-1, 2), st.sampled_from([1e-4, 0.01, 0.5, 5.0, 1e4, float("nan")]),
    st.integers(-1, 200), st.booleans(), st.none(), st.just([4, 4]), st.just([]),
    st.just([0]))

def command(cls, **fields):
    """``cls`` with these fields, whether valid or not: built past ``__init__`` as a pipe
    delivers it, so the session's own check on receipt is what is fuzzed."""
    return st.fixed_dictionaries(fields).map(lambda f: unchecked(cls, **f))


C = commands
any_commands = st.one_of(
    command(C.Play), command(C.Pause), command(C.Resume), command(C.Snapshot),
    command(C.Step, n=st.one_of(st.integers(-2, 40), st.just("x"), st.none())),
    command(C.Set, changes=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=2)),
    command(C.Set, changes=st.sampled_from(["not a dict", None, 3, {1: 2}, {"": 1}])),
    command(C.Reset, config=st.one_of(
        st.none(), st.just(small_config()), st.just(small_config(optim__lr=-1)),
        st.just(small_config(model__activation="maxout", model__batch_norm=True)),
        st.just(small_config(data__name="sine", model__loss="mse")), st.just("junk"))),
    command(C.EdgeMode, mode=st.sampled_from(["weights", "gradients", "ratio", "x"])),
    command(C.Probe, neuron=st.one_of(
        st.none(), st.tuples(st.integers(-1, 3), st.integers(-1, 20)), st.just(5),
        st.just(("a", "b")), st.just((1,)))),
    command(C.Speed, steps_per_second=st.one_of(st.none(), st.floats(-1, 1e4),
                                                st.just("fast"))),
    command(C.SnapshotRate, hz=st.one_of(st.floats(0, 120), st.just(0))),
    *(command(cls, path=st.sampled_from(["good", "missing", None, 5, ""]))
      for cls in (C.Save, C.Load)),
    *(command(cls) for cls in (C.Compare, C.EdgeMode, C.Probe, C.Set, C.Save, C.Step)),
    command(C.Compare, changes=st.sampled_from(["junk", {"model.activation": "relu"},
                                                {"optim.lr": -1}, None])),
    st.just(C.Restart()), st.just(()), st.just("play"), st.just((3,)), st.just(("play",)),
)


def float_arrays(obj, path=""):
    """(path, array) for every floating-point array in a snapshot."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from float_arrays(v, f"{path}.{k}")
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from float_arrays(v, f"{path}[{i}]")
    elif isinstance(obj, np.ndarray) and np.issubdtype(obj.dtype, np.floating):
        yield path, obj


def check_message(kind, payload):
    assert isinstance(kind, str)
    if kind == "error":
        assert isinstance(payload, str) and payload
        # A bad command or value is a one-line validation message; a traceback here means
        # an exception escaped validation and only the session's last-resort handler caught it.
        assert "Traceback" not in payload, payload
    elif kind == "snapshot":
        for path, arr in float_arrays(payload):
            if path == ".history.eval_more":
                continue   # validation, R² and MAE: NaN where not measured, by design
            if path == ".history.eval":
                # By design NaN: what the task cannot measure, and the (absent) validation set.
                kept = ["train_loss", "test_loss"] + (
                    ["train_mae", "test_mae"] if payload["task"] == "regression" else
                    ["train_acc", "test_acc"])
                arr = arr[:, [EVAL_COLUMNS.index(c) for c in kept]]
            assert np.all(np.isfinite(arr)), f"non-finite values in snapshot{path}"


@FUZZ
@given(st.lists(any_commands, min_size=1, max_size=10))
# Found by this test: a probe that is not two integers broke every later snapshot, and a
# structural change that fails validation half-rebuilt the trainer.
@example([unchecked(C.Probe, neuron=("a", "b")), C.Play()])
@example([C.Set({"data.name": "sine"}), C.Play()])
# Malformed arguments used to reach the catch-all as ValueError/TypeError/IndexError.
@example([unchecked(C.Step, n="x"), unchecked(C.Set, changes="not a dict"),
          unchecked(C.Speed, steps_per_second="fast"), (), unchecked(C.Save, path=5),
          C.Set({1: 2}), unchecked(C.EdgeMode, mode="x"), unchecked(C.Compare, changes="junk")])
def test_random_command_sequences_never_crash_the_session(cmds):
    messages = []
    checked = 0

    def check_new_messages():
        # Checked here, not inside emit: the session turns exceptions raised in emit into
        # "error" messages, which would hide a failed check.
        nonlocal checked
        for kind, payload in messages[checked:]:
            check_message(kind, payload)
        checked = len(messages)

    with tempfile.TemporaryDirectory() as tmp:
        paths = {"good": os.path.join(tmp, "s.nnvis"), "missing": os.path.join(tmp, "no.nnvis")}
        session = Session(lambda kind, payload: messages.append((kind, payload)),
                          small_config())
        for cmd in cmds:
            if isinstance(cmd, (C.Save, C.Load)) and getattr(cmd, "path", None) in paths:
                cmd = unchecked(type(cmd), path=paths[cmd.path])
            session.handle(cmd)
            check_new_messages()
            for _ in range(3):
                assert session.tick() >= 0.0
                check_new_messages()
        session.handle(commands.Snapshot())
        check_new_messages()
    # However bad the commands were, the session can still report what it is doing.
    assert messages[-1][0] == "snapshot", messages[-3:]
