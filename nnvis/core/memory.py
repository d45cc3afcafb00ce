"""How much memory an experiment needs, and how much this process may still take.

A config can pass validation and still ask for more than the machine has: 32 hidden layers
of 4,096 units, or a CSV whose label column is a row id (200,000 "classes": evaluating the
160,000 training samples at once makes 160,000 × 200,000 logits, 119 GiB). NumPy then
allocates gigabytes for seconds and dies with MemoryError. :func:`ensure_fits` refuses
such a config before the network is built, in one line naming the estimate and the limit.

:func:`footprint` estimates one trainer's peak from the config and the data's shape:

* data: the training and test arrays and what the loss compares the logits with (one-hot
  rows for mse on classes), plus the epoch's shuffled copy of a small set;
* model: parameters, gradients, the optimiser's slots and update, and the copy of the last
  healthy weights (parameters and optimiser slots) kept for a divergence;
* the largest pass: a training step (the batch's activations through every layer, and the
  optimiser's temporaries), an evaluation of the whole training and test sets in one
  forward pass (``Trainer.evaluate()`` is not chunked: the CLI calls it for every progress
  line), or a save/load (copies of every array), whichever is largest.

:func:`headroom` is the smallest of what the machine has available (MemAvailable in
/proc/meminfo), what this process's cgroup may still use (v2 memory.max − memory.current,
v1 memory.limit_in_bytes − memory.usage_in_bytes, at every level up to the root) and what
its address space may still grow by (``RLIMIT_AS``, i.e. ``ulimit -v``, minus VmSize):
the headroom, not the limit, since the process already holds memory. Each source is a
function; tests swap :data:`SOURCES` for a small fixed limit instead of allocating
gigabytes.
"""
from __future__ import annotations

import resource
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import Config, ConfigError, one_line
from .file_limits import MAX_MANIFEST_BYTES, MAX_UNCOMPRESSED_BYTES
from .losses import output_width

# Arrays as wide as the widest layer that live at once beyond those the layers keep: in a
# training step (batch norm's backward and an activation's derivative make several) and in
# an evaluation (an activation's or batch norm's intermediate results); and arrays per
# output column (logits, shifted logits, their exponentials, the gradient, a transposed copy).
STEP_TEMP_COLUMNS = 6
#: Activations that keep one more array per layer for their backward pass (ReLU its zeros,
#: RReLU its slopes, PReLU and maxout a mask).
KEEPS_MORE = ("relu", "rrelu", "prelu", "maxout")
EVAL_TEMP_COLUMNS = 2
LOSS_COLUMNS = 5
#: optimiser -> (slots per parameter, a separate update buffer, temporaries of one step),
#: each the size of all the parameters (see nnvis.core.optim).
OPTIMIZER_ARRAYS = {"sgd": (0, 1, 0), "momentum": (1, 0, 1), "nesterov": (1, 1, 2),
                    "rmsprop": (1, 1, 2), "adam": (2, 1, 2)}
SMALL_SET_BYTES = 2 << 20   # trainer.GATHER_ABOVE_BYTES: smaller sets are copied each epoch
#: Rows the app's snapshots run through the network (the decision grid, the probe batch).
SNAPSHOT_ROWS = 2500 + 256
#: Integers above this in a cgroup limit mean "no limit" (v1 writes 2**63 rounded to pages).
NO_LIMIT = 2**60


# ---------------------------------------------------------------- the estimate

@dataclass(frozen=True)
class Footprint:
    """Bytes one trainer needs at its peak. ``held`` stays allocated while it lives;
    ``passes`` is the largest transient on top of it, described by ``largest``."""

    loaded: int        # the dataset's own arrays (allocated before a trainer checks)
    data: int
    model: int
    passes: int
    largest: str       # the largest of the parts, in words
    largest_bytes: int
    field: str         # the config field that shrinks the largest part

    @property
    def held(self) -> int:
        return self.data + self.model

    @property
    def total(self) -> int:
        return self.held + self.passes


@dataclass(frozen=True)
class _Layers:
    parameters: int
    buffers: int
    train_columns: int      # values per sample a training step holds at its peak
    eval_kept: int          # values per sample the layers keep after an evaluation
    eval_kept_block: int    # ... the most of them in one layer
    eval_temps: int         # values per sample an evaluation makes and drops on the way
    output_columns: int     # ... of which the loss on the outputs


def _layers(model: dict, n_features: int, n_out: int) -> _Layers:
    pieces = 2 if model["activation"] == "maxout" else 1
    bn, dropout, residual = model["batch_norm"], model["dropout"] > 0, model["residual"]
    fan_in, params, buffers = n_features, 0, 0
    train, evaluate, block_most, widest = 0, 0, 0, n_features
    for width in model["hidden"]:
        dense = width * pieces
        params += fan_in * dense + dense + (2 * dense if bn else 0) + width  # + PReLU's α
        buffers += 2 * dense if bn else 0
        # Kept for backward: pre-activation, activation, [normalised z], [skip sum],
        # [dropout mask and output].
        kept = dense + width + (dense if bn else 0) + (width if residual else 0) \
            + (dense if model["activation"] in KEEPS_MORE else 0)
        train += kept + width + (2 * width if dropout else 0)   # + ∂L/∂h, kept for snapshots
        evaluate += kept
        block_most = max(block_most, kept)
        widest = max(widest, dense)
        fan_in = width
    params += fan_in * n_out + n_out
    outputs = LOSS_COLUMNS * n_out
    return _Layers(params, buffers,
                   train + STEP_TEMP_COLUMNS * widest + outputs + n_features,
                   evaluate, block_most, EVAL_TEMP_COLUMNS * widest + outputs + n_features,
                   outputs)


def footprint(config: Config, data) -> Footprint:
    """The memory a trainer of ``config`` on ``data`` (a :class:`~nnvis.core.data.Dataset`,
    or anything with its shapes) needs at its peak, by part."""
    itemsize = np.dtype(config.get("dtype")).itemsize
    model, optim = config.get("model"), config.get("optim")
    n_train, n_test = len(data.X_train), len(data.X_test)
    n_features = data.X_train.shape[1]
    n_out = output_width(model["loss"], data)
    csv = config.get("data.path") is not None
    layers = _layers(model, n_features, n_out)

    # The validation split (data.val_fraction) is held as its own rows too.
    val = [a for a in (getattr(data, "X_val", None), getattr(data, "y_val", None))
           if a is not None]
    rows_bytes = sum(np.asarray(a).nbytes for a in [data.X_train, data.X_test, data.y_train,
                                                    data.y_test] + val)
    n_val = len(val[0]) if val else 0
    one_hot = data.task == "classification" and model["loss"] == "mse"
    targets = (n_train + n_test + n_val) * n_out * itemsize if one_hot else 0
    shuffled = rows_bytes + targets if data.X_train.nbytes <= SMALL_SET_BYTES else 8 * n_train
    data_bytes = rows_bytes + targets + shuffled

    slots, update, temps = OPTIMIZER_ARRAYS[optim["name"]]
    weights = layers.parameters * itemsize
    buffers = layers.buffers * itemsize
    # live parameters, gradients, slots and update; the healthy copy of parameters and slots
    model_bytes = weights * (2 + slots + update) + weights * (1 + slots) + 2 * buffers

    batch = min(optim["batch_size"], n_train)
    step = batch * layers.train_columns * itemsize + temps * weights
    # The splits are evaluated one after the other; each layer keeps the training set's
    # activations until the test set's replace them, layer by layer.
    most, least = max(n_train, n_test, SNAPSHOT_ROWS), min(n_train, n_test)
    evaluate = (most * (layers.eval_kept + layers.eval_temps) + least * layers.eval_kept_block
                ) * itemsize + most * 16   # labels and predictions (int64)
    saved = weights * (3 + 2 * slots) + 2 * buffers   # save: state copies; load: every array
    save = saved + data.X_train.nbytes if saved <= MAX_UNCOMPRESSED_BYTES - MAX_MANIFEST_BYTES \
        else 0   # larger experiments are refused before anything is copied

    by_outputs = layers.output_columns > layers.eval_kept + layers.eval_temps \
        - layers.output_columns
    rows_field = "data.path" if csv else "data.n_samples"
    parts = [
        (data_bytes, f"the data ({n_train + n_test:,} samples)", rows_field),
        (model_bytes, f"the weights, gradients, optimiser state and their healthy copy "
                      f"({layers.parameters:,} parameters)", "model.hidden"),
        (step, f"a training step on batches of {batch:,} samples", "optim.batch_size"),
        (evaluate, (f"evaluating all {n_train + n_test:,} samples at once"
                    if most > SNAPSHOT_ROWS else
                    f"a snapshot's pass over {SNAPSHOT_ROWS:,} points of the decision grid")
         + (f" with {n_out:,} outputs each" if by_outputs else ""),
         "data.label_column" if by_outputs and csv else
         rows_field if most > SNAPSHOT_ROWS else "model.hidden"),
        (save, "saving or loading the experiment", "model.hidden"),
    ]
    largest_bytes, largest, field = max(parts, key=lambda p: p[0])
    return Footprint(rows_bytes, data_bytes, model_bytes, max(step, evaluate, save), largest,
                     largest_bytes, field)


# ---------------------------------------------------------------- the headroom

def _read(path) -> str | None:
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError):
        return None


def _kib_field(text: str | None, key: str) -> int | None:
    """A ``Key:   1234 kB`` line of /proc/meminfo or /proc/self/status, in bytes."""
    for line in (text or "").splitlines():
        name, _, value = line.partition(":")
        if name == key:
            try:
                return int(value.split()[0]) * 1024
            except (ValueError, IndexError):
                return None
    return None


def available_memory(meminfo="/proc/meminfo"):
    """("on this machine (MemAvailable)", bytes), or None where there is no such file."""
    value = _kib_field(_read(meminfo), "MemAvailable")
    return None if value is None else ("on this machine (MemAvailable)", value)


def _number_file(path) -> int | None:
    text = _read(path)
    try:
        return int(text.strip()) if text is not None else None
    except ValueError:   # "max": no limit
        return None


def cgroup_room(proc_cgroup="/proc/self/cgroup", root="/sys/fs/cgroup"):
    """("under the cgroup's memory limit", bytes this cgroup may still use) — the least
    room at
    any level from this process's cgroup up to the root — or None without a limit."""
    root = Path(root)
    rooms = []
    for line in (_read(proc_cgroup) or "").splitlines():
        hierarchy, controllers, group = (line.split(":", 2) + ["", ""])[:3]
        if hierarchy == "0" and not controllers:        # v2, unified
            mount, files = root, ("memory.max", "memory.current")
            if (root / "unified").is_dir() and not (root / "cgroup.controllers").exists():
                mount = root / "unified"                 # hybrid layout
        elif "memory" in controllers.split(","):         # v1
            mount, files = root / "memory", ("memory.limit_in_bytes", "memory.usage_in_bytes")
        else:
            continue
        # In a cgroup namespace the path given is not under the mount: start at the mount.
        leaf = mount / group.lstrip("/")
        here = leaf if leaf.is_dir() else mount
        while True:
            limit, used = (_number_file(here / f) for f in files)
            if limit is not None and used is not None and limit < NO_LIMIT:
                rooms.append(max(limit - used, 0))
            if here == mount or here.parent == here:
                break
            here = here.parent
    return ("under the cgroup's memory limit", min(rooms)) if rooms else None


def address_space_room(status="/proc/self/status", limit=None):
    """("under the address-space limit (ulimit -v)", limit − VmSize), or None without one.
    ``limit``: RLIMIT_AS's soft limit (read from this process by default)."""
    if limit is None:
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
    if limit == resource.RLIM_INFINITY or limit < 0:
        return None
    mapped = _kib_field(_read(status), "VmSize") or 0
    return "under the address-space limit (ulimit -v)", max(limit - mapped, 0)


#: Where the headroom comes from: functions returning (what, bytes) or None.
SOURCES = (available_memory, cgroup_room, address_space_room)


def headroom(sources=None) -> tuple[str, int] | None:
    """(where, bytes free there) — the least room any source leaves — or None where no
    source knows (not Linux): then nothing is refused. ``where`` reads after "free"."""
    found = [r for r in (source() for source in (SOURCES if sources is None else sources))
             if r is not None]
    return min(found, key=lambda r: r[1]) if found else None


# ---------------------------------------------------------------- the check

class MemoryLimitError(ConfigError):
    """A config needs more memory than this process may take. ``path`` is the field whose
    change would shrink the largest part."""


def size_text(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n / 1024:.0f} KiB"


def ensure_fits(footprints, held: int = 0, sources=None, what: str = "this experiment"):
    """Raise :class:`MemoryLimitError` if trainers of these footprints, built and run
    together (a comparison trains two), would not fit the headroom. ``held``: bytes of
    theirs already allocated (a trainer's data loaded before the check)."""
    room = headroom(sources)
    if room is None or not footprints:
        return
    need = (sum(f.held for f in footprints) + max(f.passes for f in footprints)) - held
    limit_name, free = room
    if need <= free:
        return
    worst = max(footprints, key=lambda f: f.largest_bytes)
    raise MemoryLimitError(worst.field, f"{what} needs about {size_text(need)} of memory, "
                                        f"more than the {size_text(free)} free {limit_name}; "
                                        f"the largest part is {worst.largest}: "
                                        f"{size_text(worst.largest_bytes)}")


def out_of_memory(exc: MemoryError) -> str:
    """The one line a MemoryError that got past the estimate becomes."""
    detail = str(exc).strip()
    return one_line("out of memory" + (f": {detail}" if detail else ""))

