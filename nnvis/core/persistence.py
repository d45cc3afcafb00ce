"""Saved experiments (``.nnvis`` files): save a trainer, load it back, continue exactly.

A ``.nnvis`` file is a zip archive (deflated) holding

* ``manifest.json`` -- format version, nnvis version, the validated config, step / epoch /
  batch cursor, the RNG states (``bit_generator.state`` dicts), optimiser scalars, history
  metadata, a fingerprint of the data and an index ``name -> {file, dtype, shape}`` of
* one ``.npy`` file per array (parameters, batch-norm buffers, optimiser slots, the last
  healthy-weights checkpoint, the bounded loss/evaluation histories), written with
  ``np.save(allow_pickle=False)`` and read with ``allow_pickle=False``. Nothing is pickled.

The data are not stored: loading rebuilds the trainer from the saved config, which
regenerates a built-in dataset from the seed (a CSV dataset is read again from
``data.path``, so that file must still exist). Training N steps, saving, loading and
training M more gives the same losses, bit for bit, as N + M uninterrupted steps.

Saving is atomic: the archive is written to a temporary file beside the target, flushed,
``fsync``-ed and moved over it with ``os.replace``, so a crash mid-save leaves any older
file intact; the next save removes the temporary such a crash left (see
:mod:`nnvis.core.temporaries`). Loading checks everything (archive integrity, sizes, format version, manifest
keys, every array's presence, dtype and shape against the model the config describes)
before it returns, and raises :class:`ExperimentFileError` saying what is wrong; nothing
outside the new trainer is touched until it has succeeded.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

from . import temporaries
from .config import Config, ConfigError
from .file_limits import (MAX_COMPRESSION_RATIO, MAX_FILE_BYTES,  # noqa: F401 (re-exported)
                          MAX_MANIFEST_BYTES, MAX_MEMBERS, MAX_UNCOMPRESSED_BYTES,
                          NPY_HEADER_SLACK)
from .history import DecimatingSeries
from .manifest import ExperimentFileError, decode_float, field

FORMAT_NAME = "nnvis-experiment"
#: 2 (issue 19): the config pins ``data.task`` (and ``data.normalize_target``), the
#: eval history has the columns of :data:`~nnvis.core.trainer.EVAL_COLUMNS` (12, was 4),
#: and ``early_stopping`` (manifest) with ``best/params/*``, ``best/buffers/*`` (arrays)
#: holds early stopping's best weights. Format 1 is read as the run it was: the task it
#: was trained as (see :func:`format_1_task`), the target not standardised, 4 eval columns.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MANIFEST = "manifest.json"

#: The slot arrays each optimiser keeps per parameter ("t" is Adam's per-parameter step).
OPTIMIZER_SLOTS = {"sgd": (), "momentum": ("v",), "nesterov": ("v",), "rmsprop": ("cache",),
                   "adam": ("m", "v", "t")}
SCALAR_SLOTS = {"t": ((1,), np.dtype(np.float64))}
#: State that a square root is taken of (Adam's and RMSProp's squared-gradient averages,
#: Adam's step count, batch norm's variance): a negative value would poison the run.
NONNEGATIVE_SLOTS = {"adam": ("v", "t"), "rmsprop": ("cache",)}
NONNEGATIVE_BUFFERS = ("running_var",)
HISTORIES = ("loss_history", "eval_history")


# --------------------------------------------------------------------------- helpers

def _enc_float(x) -> float | str | None:
    """JSON has no NaN/inf: store those as strings."""
    if x is None:
        return None
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def _json_safe(obj):
    """Copy of a JSON-like structure with non-finite floats replaced by strings."""
    if isinstance(obj, dict):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(v) for v in obj]
    if isinstance(obj, (bool, str)) or obj is None:
        return obj
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return _enc_float(obj)
    raise TypeError(f"cannot store {type(obj).__name__} in the manifest")


def _data_fingerprint(trainer) -> str:
    h = hashlib.sha256()
    d = trainer.data
    for a in (d.X_train, d.y_train, d.X_test, d.y_test):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _array_entries(state: dict) -> dict:
    """name -> array for everything the manifest indexes, from a trainer's state."""
    arrays = {}
    params = state["params"]
    for name, value in params.items():
        arrays[f"params/{name}"] = value
    for name, value in state["buffers"].items():
        arrays[f"buffers/{name}"] = value
    for pname, slots in state["optimizer"]["state"].items():
        for key, value in slots.items():
            # A slot whose shape no longer fits its parameter (after a live switch to or
            # from maxout) is replaced by zeros on the next step anyway: dropping it is exact.
            if pname in params and key not in SCALAR_SLOTS and value.shape != params[pname].shape:
                continue
            arrays[f"optim/{pname}/{key}"] = value
    for pname, update in state["last_update"].items():
        # The last update of each parameter, for the update/weight ratios the app shows.
        if pname in params and np.shape(update) == params[pname].shape:
            arrays[f"last_update/{pname}"] = np.asarray(update, dtype=params[pname].dtype)
    early = state["early_stopping"]
    for kind in ("params", "buffers"):
        for name, value in (early[kind] or {}).items():
            arrays[f"best/{kind}/{name}"] = value
    ck = state["checkpoint"]
    if ck is not None:
        for name, value in ck["params"].items():
            arrays[f"checkpoint/params/{name}"] = value
        for name, value in ck["buffers"].items():
            arrays[f"checkpoint/buffers/{name}"] = value
        for pname, slots in ck["optimizer"]["state"].items():
            for key, value in slots.items():
                arrays[f"checkpoint/optim/{pname}/{key}"] = value
    for hname in HISTORIES:
        arrays[f"history/{hname}/steps"] = state[hname]["steps"]
        arrays[f"history/{hname}/values"] = state[hname]["values"]
    return arrays


def _history_meta(series: DecimatingSeries, saved: dict) -> dict:
    return {"capacity": series.capacity, "columns": series.values.shape[1],
            "stride": saved["stride"], "n": len(saved["steps"]),
            "acc": [_enc_float(a) for a in saved["acc"]], "acc_n": saved["acc_n"]}


def _build_manifest(trainer, state: dict, index: dict) -> dict:
    from nnvis import __version__

    ck = state["checkpoint"]
    early = state["early_stopping"]
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "nnvis_version": __version__,
        "config": pinned_config(trainer),
        "data": {"fingerprint": _data_fingerprint(trainer),
                 "n_train": int(len(trainer.X_train)), "n_test": int(len(trainer.X_test)),
                 "features": [str(f) for f in trainer.data.feature_names]},
        "state": {
            "step": int(state["step"]), "epoch": int(state["epoch"]),
            "cursor": int(state["cursor"]), "last_loss": _enc_float(state["last_loss"]),
            "best_loss": _enc_float(state["best_loss"]),
            "divergence": _json_safe(state["divergence"]),
        },
        "rng": {"shuffle": _json_safe(state["rng"]["shuffle"]),
                "noise": _json_safe(state["rng"]["noise"]),
                "epoch_order": _json_safe(state["order"])},
        "optimizer": {"name": state["optimizer"]["name"], "t": int(state["optimizer"]["t"])},
        "checkpoint": None if ck is None else {
            "step": int(ck["step"]),
            "optimizer": {"name": ck["optimizer"]["name"], "t": int(ck["optimizer"]["t"])}},
        "histories": {h: _history_meta(getattr(trainer, h), state[h]) for h in HISTORIES},
        "early_stopping": {"best_step": early["best_step"],
                           "best_val_loss": _enc_float(early["best_val_loss"]),
                           "bad_evals": int(early["bad_evals"]),
                           "has_best": early["params"] is not None,
                           "stop": _json_safe(early["stop"])},
        "arrays": index,
    }


def pinned_config(trainer) -> dict:
    """The trainer's config as saved. A CSV's: ``data.task`` the task it trains (not
    ``auto``) and ``data.normalize_target`` whether its target is standardised (not null),
    so the experiment loads as what it was trained as whatever a later rule would read.
    (A built-in set's task is its own.)"""
    config = trainer.config.to_dict()
    data = config["data"]
    if data["path"] is not None:
        data["task"] = trainer.data.task
        if data["normalize_target"] is None:
            data["normalize_target"] = trainer.data.task == "regression"
    return config


def format_1_task(manifest: dict) -> dict:
    """A format-1 manifest's config with the task it was trained as, which format 1 did
    not save: a regression's loss was mse with one output per target column (one, for a
    CSV or a built-in set), so anything else was classes. Its target was not standardised.
    A malformed manifest is returned as it is, for the checks that refuse it."""
    config = manifest.get("config")
    entry = manifest.get("arrays", {}).get("params/output.W") \
        if isinstance(manifest.get("arrays"), dict) else None
    if not isinstance(config, dict) or not isinstance(config.get("data", {}), dict) or \
            not isinstance(entry, dict) or not isinstance(entry.get("shape"), list):
        return config
    model = config.get("model") if isinstance(config.get("model"), dict) else {}
    width = entry["shape"][-1:] or [0]
    regression = model.get("loss", "cross_entropy") == "mse" and width == [1]
    data = dict(config.get("data", {}))
    data.setdefault("task", "regression" if regression else "classification")
    data.setdefault("normalize_target", False)
    return {**config, "data": data}


# --------------------------------------------------------------------------- save

def save_experiment(path, trainer) -> None:
    """Write ``trainer`` to ``path`` (a ``.nnvis`` zip) atomically.

    Raises :class:`ExperimentFileError` if the file cannot be written; an existing file at
    ``path`` is then left as it was and no temporary file remains.
    """
    path = Path(path)
    # The live arrays, not copies (written out before the trainer steps again).
    state = trainer.state_dict(copy=False)
    arrays = _array_entries(state)
    index = {}
    for i, (name, value) in enumerate(arrays.items()):
        index[name] = {"file": f"arrays/{i:04d}.npy", "dtype": np.asarray(value).dtype.str,
                       "shape": list(np.shape(value))}
    total = sum(np.asarray(v).nbytes for v in arrays.values())
    if total > MAX_UNCOMPRESSED_BYTES - MAX_MANIFEST_BYTES:
        raise ExperimentFileError(f"the experiment is too large to save ({total / 2**20:.0f} "
                                  f"MB of arrays; the limit is "
                                  f"{(MAX_UNCOMPRESSED_BYTES - MAX_MANIFEST_BYTES) // 2**20} MB)")
    manifest = _build_manifest(trainer, state, index)
    text = json.dumps(manifest, indent=1, allow_nan=False)

    directory = path.parent if str(path.parent) else Path(".")
    temporaries.remove_stale(path)   # what saves killed midway left
    fd, tmp = None, None
    try:
        fd, tmp = temporaries.create(path)
        with os.fdopen(fd, "wb") as fh:
            fd = None  # owned by fh now
            with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(MANIFEST, text)
                for name, value in arrays.items():
                    buf = io.BytesIO()
                    np.save(buf, np.ascontiguousarray(value), allow_pickle=False)
                    zf.writestr(index[name]["file"], buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file readable by its owner only; keep an older file's mode.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
        tmp = None
        _fsync_directory(directory)
    except OSError as exc:
        raise ExperimentFileError(f"cannot save {path}: {exc.strerror or exc}") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _fsync_directory(directory: Path):
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


# --------------------------------------------------------------------------- load

class _Reader:
    """Checked access to the manifest and the array members of an open archive."""

    def __init__(self, zf: zipfile.ZipFile, manifest: dict, trainer_dtype):
        self.zf = zf
        self.m = manifest
        self.dtype = np.dtype(trainer_dtype)
        self.index = self.get("arrays")

    def get(self, dotted: str, kind: str | None = None, node=None):
        """A manifest field, checked as :data:`~nnvis.core.manifest.MANIFEST_FIELDS` says."""
        return field(self.m, dotted, kind, node)

    def entry(self, name: str) -> tuple[str, np.dtype, tuple]:
        e = self.index.get(name)
        if e is None:
            raise ExperimentFileError(f"array {name!r} is missing from the file")
        if not isinstance(e, dict) or not isinstance(e.get("file"), str) \
                or not isinstance(e.get("dtype"), str) or not isinstance(e.get("shape"), list):
            raise ExperimentFileError(f"the manifest entry for array {name!r} is malformed")
        try:
            dtype = np.dtype(e["dtype"])
        except (TypeError, ValueError, SyntaxError):
            raise ExperimentFileError(f"array {name!r} has an unknown dtype "
                                      f"{e['dtype']!r}") from None
        shape = e["shape"]
        if len(shape) > 4 or not all(isinstance(s, int) and not isinstance(s, bool)
                                     and 0 <= s <= 2**31 for s in shape):
            raise ExperimentFileError(f"array {name!r} has an invalid shape {shape!r}")
        return e["file"], dtype, tuple(shape)

    def read_state(self, name: str, dtype=None, shape=None, nonnegative=False) -> np.ndarray:
        """:meth:`read` for training state (weights, buffers, optimiser slots), which must be
        finite: NaN weights would load, and every "restore the last healthy weights" would
        restore the NaNs. ``nonnegative``: state a square root is taken of."""
        arr = self.read(name, dtype, shape)
        if not np.isfinite(arr).all():
            raise ExperimentFileError(f"array {name!r} holds NaN or infinite values: the file "
                                      f"is damaged")
        if nonnegative and (arr < 0).any():
            raise ExperimentFileError(f"array {name!r} holds negative values, which it cannot: "
                                      f"the file is damaged")
        return arr

    def read(self, name: str, dtype=None, shape=None, max_ndim: int = 2) -> np.ndarray:
        """The array ``name``, checked against the index and the expected dtype/shape."""
        member, declared_dtype, declared_shape = self.entry(name)
        want_dtype = self.dtype if dtype is None else np.dtype(dtype)
        if declared_dtype != want_dtype:
            raise ExperimentFileError(f"array {name!r} has dtype {declared_dtype} but this "
                                      f"model needs {want_dtype}")
        if shape is not None and declared_shape != tuple(shape):
            raise ExperimentFileError(f"array {name!r} has shape {declared_shape} but the "
                                      f"model in the config needs {tuple(shape)}")
        if len(declared_shape) > max_ndim:
            raise ExperimentFileError(f"array {name!r} has {len(declared_shape)} dimensions "
                                      f"(at most {max_ndim} expected)")
        try:
            info = self.zf.getinfo(member)
        except KeyError:
            raise ExperimentFileError(f"array {name!r} ({member}) is missing from the "
                                      f"archive") from None
        nbytes = int(np.prod(declared_shape, dtype=np.int64)) * want_dtype.itemsize
        limit = nbytes + NPY_HEADER_SLACK
        if info.file_size > limit:
            raise ExperimentFileError(f"array {name!r} ({member}) unpacks to "
                                      f"{info.file_size} bytes; at most {limit} expected")
        with self.zf.open(info) as fh:
            raw = fh.read(limit + 1)
        if len(raw) > limit:
            raise ExperimentFileError(f"array {name!r} ({member}) is larger than declared")
        # Check the .npy header before reading: a header claiming a huge shape would make
        # NumPy allocate it before noticing the data are missing.
        fp = io.BytesIO(raw)
        try:
            version = npy_format.read_magic(fp)
            if version == (1, 0):
                npy_shape, _, npy_dtype = npy_format.read_array_header_1_0(fp)
            elif version == (2, 0):
                npy_shape, _, npy_dtype = npy_format.read_array_header_2_0(fp)
            else:
                raise ValueError(f"unsupported .npy version {version}")
        except (ValueError, SyntaxError, TypeError, EOFError) as exc:
            raise ExperimentFileError(f"array {name!r} ({member}) is not a valid .npy "
                                      f"array: {exc}") from None
        if npy_dtype.hasobject:
            raise ExperimentFileError(f"array {name!r} ({member}) holds Python objects "
                                      f"(pickled data), which nnvis never loads")
        if npy_dtype != want_dtype:
            raise ExperimentFileError(f"array {name!r} has dtype {npy_dtype} but this model "
                                      f"needs {want_dtype}")
        if npy_shape != declared_shape:
            raise ExperimentFileError(f"array {name!r} has shape {npy_shape} but the "
                                      f"manifest says {declared_shape}")
        fp.seek(0)
        try:
            arr = npy_format.read_array(fp, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise ExperimentFileError(f"array {name!r} ({member}) is damaged: {exc}") from None
        return arr

    def names(self, prefix: str) -> list[str]:
        return [n for n in self.index if n.startswith(prefix)]


def _open_archive(path: Path) -> tuple[zipfile.ZipFile, dict]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExperimentFileError(f"no such file: {path}") from None
    except OSError as exc:
        raise ExperimentFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not path.is_file():
        raise ExperimentFileError(f"not a file: {path}")
    if size > MAX_FILE_BYTES:
        raise ExperimentFileError(f"{path.name} is {size / 2**20:.0f} MB; saved experiments "
                                  f"are at most {MAX_FILE_BYTES // 2**20} MB")
    try:
        zf = zipfile.ZipFile(path, "r")
    except zipfile.BadZipFile:
        raise ExperimentFileError(f"{path.name} is not a saved nnvis experiment (not a zip "
                                  f"archive, or the file is truncated)") from None
    except OSError as exc:
        raise ExperimentFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        manifest = _check_archive(zf, path)
    except BaseException:
        zf.close()
        raise
    return zf, manifest


def _check_archive(zf: zipfile.ZipFile, path: Path) -> dict:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ExperimentFileError(f"{path.name} holds {len(infos)} files; at most "
                                  f"{MAX_MEMBERS} expected")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ExperimentFileError(f"{path.name}: member {info.filename} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ExperimentFileError(f"{path.name}: member {info.filename} uses an "
                                      f"unsupported compression method")
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise ExperimentFileError(f"{path.name}: member {info.filename} claims a "
                                      f"compression ratio over {MAX_COMPRESSION_RATIO}:1 "
                                      f"(a zip bomb?)")
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ExperimentFileError(f"{path.name} would unpack to {total / 2**20:.0f} MB; the "
                                  f"limit is {MAX_UNCOMPRESSED_BYTES // 2**20} MB")
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise ExperimentFileError(f"{path.name} is not a saved nnvis experiment (no "
                                  f"{MANIFEST})") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise ExperimentFileError(f"{MANIFEST} is {info.file_size} bytes; at most "
                                  f"{MAX_MANIFEST_BYTES} expected")
    with zf.open(info) as fh:
        raw = fh.read(MAX_MANIFEST_BYTES + 1)
    try:
        manifest = json.loads(raw.decode("utf-8-sig"))  # -sig: a hand edit may add a BOM
    except UnicodeDecodeError:
        raise ExperimentFileError(f"{MANIFEST} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ExperimentFileError(f"{MANIFEST} is not valid JSON: {exc.msg} at line "
                                  f"{exc.lineno}") from None
    except RecursionError:
        raise ExperimentFileError(f"{MANIFEST} is nested too deeply") from None
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        raise ExperimentFileError(f"{path.name}: {MANIFEST} holds a number with too many "
                                  f"digits") from None
    if not isinstance(manifest, dict):
        raise ExperimentFileError(f"{MANIFEST} must hold a JSON object")
    if manifest.get("format", FORMAT_NAME) != FORMAT_NAME:
        raise ExperimentFileError(f"{path.name} is not a saved nnvis experiment "
                                  f"(format {manifest.get('format')!r})")
    if "format_version" not in manifest:
        raise ExperimentFileError("the manifest is missing 'format_version'")
    version = manifest["format_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExperimentFileError(f"unknown format version {version!r}")
    if version > FORMAT_VERSION:
        raise ExperimentFileError(
            f"{path.name} was saved by a newer nnvis ({manifest.get('nnvis_version', '?')}, "
            f"format version {version}); this nnvis reads format version {FORMAT_VERSION}: "
            f"update nnvis to open it")
    if version not in READABLE_VERSIONS:
        raise ExperimentFileError(f"unsupported format version {version}; this nnvis reads "
                                  f"format version {FORMAT_VERSION}")
    if version == 1 and "config" in manifest:
        manifest["config"] = format_1_task(manifest)
    return manifest


def _build_trainer(manifest: dict):
    from .trainer import Trainer

    if "config" not in manifest:
        raise ExperimentFileError("the manifest is missing 'config'")
    try:
        config = Config.from_dict(manifest["config"])
    except ConfigError as exc:
        raise ExperimentFileError(f"the saved config is invalid: {exc}") from None
    # The weights must be in the file, within its size limit: a config that implies more is
    # refused before the model is allocated.
    hidden = config.get("model.hidden")
    pieces = 2 if config.get("model.activation") == "maxout" else 1
    weight_bytes = (sum(a * b * pieces for a, b in zip(hidden, hidden[1:]))
                    * np.dtype(config.get("dtype")).itemsize)
    if weight_bytes > MAX_UNCOMPRESSED_BYTES:
        raise ExperimentFileError(f"the saved config describes a model with "
                                  f"{weight_bytes / 2**20:.0f} MB of weights; saved experiments "
                                  f"hold at most {MAX_UNCOMPRESSED_BYTES // 2**20} MB")
    from .memory import MemoryLimitError

    csv = config.get("data.path")
    try:
        trainer = Trainer(config)
    except MemoryLimitError as exc:
        raise ExperimentFileError(f"{exc.reason} ({exc.path})") from None
    except ConfigError as exc:
        if csv is not None and exc.path == "data.path":
            # The summary: the file may be any file the crafted manifest names, and what
            # it holds is not to be shown.
            raise ExperimentFileError(f"the experiment's data file {csv} (data.path) cannot be "
                                      f"loaded: {getattr(exc, 'summary', exc.reason)}. The "
                                      f"data are not stored in the .nnvis file: put the CSV "
                                      f"file back") from None
        raise ExperimentFileError(f"the saved config does not fit its data: {exc}") from None
    return trainer


def _read_optimizer_state(r: _Reader, prefix: str, opt_name: str, params: dict | None) -> dict:
    """{param name: {slot: array}} from arrays named ``<prefix><param>/<slot>``.

    ``params`` (name -> live array) checks the slots of current parameters exactly; slots
    of parameters the model no longer has (after a live change) are kept, as the trainer
    keeps them, and only need the right dtype.
    """
    allowed = OPTIMIZER_SLOTS.get(opt_name)
    nonnegative = NONNEGATIVE_SLOTS.get(opt_name, ())
    state: dict = {}
    for name in r.names(prefix):
        rest = name[len(prefix):]
        pname, sep, key = rest.rpartition("/")
        if not sep or not pname or (allowed is not None and key not in allowed):
            raise ExperimentFileError(f"array {name!r} is not state of the {opt_name} "
                                      f"optimiser")
        if key in SCALAR_SLOTS:
            shape, dtype = SCALAR_SLOTS[key]
        elif params is not None and pname in params:
            dtype, shape = params[pname].dtype, params[pname].shape
        else:
            dtype = shape = None
        value = r.read_state(name, dtype, shape, nonnegative=key in nonnegative)
        state.setdefault(pname, {})[key] = value
    return state


def _read_history(r: _Reader, hname: str, series: DecimatingSeries) -> dict:
    """A history's saved state, as :meth:`DecimatingSeries.load_state_dict` takes it."""
    meta = r.get(f"histories.{hname}", "histories.*")
    columns = series.values.shape[1]
    # Format 1's eval history had 4 columns (train/test loss and accuracy): the later
    # ones were not measured, NaN.
    saved_columns = 4 if hname == "eval_history" and r.m["format_version"] == 1 else columns
    n = r.get("n", "histories.*.n", meta) if "n" in meta else None
    stride = r.get("stride", "histories.*.stride", meta) if "stride" in meta else None
    if n is None or stride is None:
        raise ExperimentFileError(f"the manifest is missing histories.{hname}.n/stride")
    if not 0 <= n <= series.capacity or stride < 1 or stride > 2**62:
        raise ExperimentFileError(f"histories.{hname}: {n} points with stride {stride} do "
                                  f"not fit a history of {series.capacity}")
    acc = meta.get("acc", [0.0] * saved_columns)
    acc_n = meta.get("acc_n", 0)
    if not isinstance(acc, list) or len(acc) != saved_columns or not isinstance(acc_n, int) \
            or isinstance(acc_n, bool) or not 0 <= acc_n < stride:
        raise ExperimentFileError(f"histories.{hname}: malformed running average")
    acc = [decode_float(a, f"histories.{hname}.acc") for a in acc]
    steps = r.read(f"history/{hname}/steps", np.int64, (n,), max_ndim=1)
    values = r.read(f"history/{hname}/values", np.float64, (n, saved_columns))
    if saved_columns < columns:
        values = np.hstack([values, np.full((n, columns - saved_columns), np.nan)])
        acc += [math.nan] * (columns - saved_columns)
    return {"steps": steps, "values": values, "stride": stride, "acc": acc, "acc_n": acc_n}


def _read_early_stopping(r: _Reader, params: dict, buffers: dict) -> dict | None:
    """Early stopping's saved state (as :meth:`Trainer.early_stopping_state` gives it), or
    None in a format-1 file; its best weights must fit the model exactly."""
    if r.m["format_version"] == 1:
        return None
    best = {"best_step": r.get("early_stopping.best_step"),
            "best_val_loss": r.get("early_stopping.best_val_loss"),
            "bad_evals": r.get("early_stopping.bad_evals"),
            "stop": r.get("early_stopping.stop"), "params": None, "buffers": None}
    names = set(r.names("best/"))
    if r.get("early_stopping.has_best"):
        best["params"] = {n: r.read_state(f"best/params/{n}", p.dtype, p.shape)
                          for n, p in params.items()}
        best["buffers"] = {n: r.read_state(f"best/buffers/{n}", b.dtype, b.shape,
                                           nonnegative=n.endswith(NONNEGATIVE_BUFFERS))
                           for n, b in buffers.items()}
        names -= {f"best/params/{n}" for n in params} | {f"best/buffers/{n}" for n in buffers}
    if names:
        raise ExperimentFileError(f"array {sorted(names)[0]!r} does not belong to the model "
                                  f"in the config")
    return best


def load_experiment(path):
    """Read a ``.nnvis`` file and return a new, fully restored :class:`Trainer`.

    Raises :class:`ExperimentFileError` (a :class:`ConfigError`, path ``"file"``) naming
    what is wrong with the file. Nothing but the returned trainer is created or changed.
    """
    path = Path(path)
    try:
        zf, manifest = _open_archive(path)
        with zf:
            return _restore(zf, manifest, path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ExperimentFileError(f"{path.name} is damaged ({exc}): the file is corrupt or "
                                  f"truncated") from None
    except OSError as exc:
        raise ExperimentFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (NotImplementedError, RuntimeError) as exc:
        raise ExperimentFileError(f"{path.name} cannot be read: {exc}") from None


def saved_step(path) -> int:
    """The training step a ``.nnvis`` file holds, from its manifest alone (no arrays read):
    cheap enough to ask after every autosave. Raises :class:`ExperimentFileError`."""
    path = Path(path)
    try:
        zf, manifest = _open_archive(path)
        zf.close()
        step = manifest["state"]["step"]
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, TypeError) as exc:
        raise ExperimentFileError(f"{path.name} is damaged ({exc})") from None
    except OSError as exc:
        raise ExperimentFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not isinstance(step, int) or step < 0:
        raise ExperimentFileError(f"{path.name}: state step={step!r} is not a step count")
    return step


def _feature_mismatch(r: _Reader, trainer) -> str:
    """How a changed CSV's feature columns differ from those the saved model takes ("" if
    their number is the same). The saved width comes from the first weight matrix, so
    files written before the manifest listed the feature names are explained too."""
    first = trainer.net.names[0]  # hidden1.W, or output.W without hidden layers
    _, _, shape = r.entry(f"params/{first}")
    saved_n, now = (shape[0] if shape else 0), list(trainer.data.feature_names)
    if saved_n == len(now):
        return ""
    saved = r.m.get("data", {}).get("features")
    text = (f"it now has {len(now)} feature column{'s' * (len(now) != 1)} ({', '.join(now)}) "
            f"but the saved model takes {saved_n} input{'s' * (saved_n != 1)}")
    if isinstance(saved, list) and len(saved) == saved_n and all(isinstance(c, str) for c in saved):
        added = [c for c in now if c not in saved]
        missing = [c for c in saved if c not in now]
        text += f" ({', '.join(saved)})"
        for names, what in ((missing, "missing"), (added, "new")):
            if names:
                text += (f"; column{'s' * (len(names) > 1)} {', '.join(map(repr, names))} "
                         f"{'are' if len(names) > 1 else 'is'} {what}")
    return text


def _restore(zf: zipfile.ZipFile, manifest: dict, path: Path):
    trainer = _build_trainer(manifest)
    r = _Reader(zf, manifest, trainer.dtype)

    # ---- data: built-in sets are regenerated from the seed; a CSV file must be unchanged
    fingerprint = r.get("data.fingerprint")
    if fingerprint != _data_fingerprint(trainer) and trainer.config.get("data.path"):
        csv = trainer.config.get("data.path")
        mismatch = _feature_mismatch(r, trainer)
        raise ExperimentFileError(
            f"the data file {csv} (data.path) has changed since the experiment was saved"
            + (f": {mismatch}" if mismatch else "")
            + "; put the original file back to continue it")

    # ---- scalars
    step = r.get("state.step")
    epoch = r.get("state.epoch")
    cursor = r.get("state.cursor")
    n_train = len(trainer.X_train)
    if step < 0 or epoch < 0 or not 0 <= cursor <= n_train:
        raise ExperimentFileError(f"state step={step}, epoch={epoch}, cursor={cursor} is out "
                                  f"of range ({n_train} training samples)")
    last_loss = r.get("state.last_loss")
    best_loss = r.get("state.best_loss")
    divergence = r.get("state.divergence")
    rng = r.get("rng")
    for key in ("shuffle", "noise", "epoch_order"):
        if key not in rng:
            raise ExperimentFileError(f"the manifest is missing 'rng.{key}'")
    if rng["noise"] is None and trainer.net.blocks:
        raise ExperimentFileError("rng.noise is missing for a model with hidden layers")
    if rng["epoch_order"] is None and cursor != n_train:
        raise ExperimentFileError("rng.epoch_order is missing for a run part-way through "
                                  "an epoch")
    opt_name = r.get("optimizer.name")
    opt_t = r.get("optimizer.t")
    if opt_name != trainer.optimizer.name:
        raise ExperimentFileError(f"the saved optimiser state is for {opt_name!r} but the "
                                  f"config uses {trainer.optimizer.name!r}")

    # ---- arrays that must fit the model exactly
    params, buffers = trainer.parameters(), trainer.buffers()
    for kind, store in (("params", params), ("buffers", buffers), ("last_update", params)):
        expected = {f"{kind}/{n}" for n in store}
        extra = sorted(set(r.names(f"{kind}/")) - expected)
        if extra:
            raise ExperimentFileError(f"array {extra[0]!r} does not belong to the model in "
                                      f"the config")
    saved_params = {n: r.read_state(f"params/{n}", p.dtype, p.shape) for n, p in params.items()}
    saved_buffers = {n: r.read_state(f"buffers/{n}", b.dtype, b.shape,
                                     nonnegative=n.endswith(NONNEGATIVE_BUFFERS))
                     for n, b in buffers.items()}
    opt_state = _read_optimizer_state(r, "optim/", opt_name, params)
    last_update = {n: r.read(f"last_update/{n}", params[n].dtype, params[n].shape)
                   for n in params if f"last_update/{n}" in r.index}

    # ---- last healthy weights (may predate a live change, so shapes are free)
    ck_meta = r.get("checkpoint")
    checkpoint = None
    if ck_meta is not None:
        ck_step = r.get("checkpoint.step")
        ck_opt = r.get("checkpoint.optimizer.name")
        ck_t = r.get("checkpoint.optimizer.t")
        checkpoint = {
            "step": ck_step,
            "params": {n[len("checkpoint/params/"):]: r.read_state(n)
                       for n in r.names("checkpoint/params/")},
            "buffers": {n[len("checkpoint/buffers/"):]:
                        r.read_state(n, nonnegative=n.endswith(NONNEGATIVE_BUFFERS))
                        for n in r.names("checkpoint/buffers/")},
            "optimizer": {"name": ck_opt, "t": ck_t,
                          "state": _read_optimizer_state(r, "checkpoint/optim/", ck_opt, None)},
        }
    histories = {h: _read_history(r, h, getattr(trainer, h)) for h in HISTORIES}
    early = _read_early_stopping(r, params, buffers)

    state = {
        "config": trainer.config.to_dict(),
        "params": saved_params, "buffers": saved_buffers,
        "optimizer": {"name": opt_name, "t": opt_t, "state": opt_state},
        "last_update": last_update,
        "step": step, "epoch": epoch, "cursor": cursor,
        "order": rng["epoch_order"],
        "rng": {"shuffle": rng["shuffle"], "noise": rng["noise"]},
        **histories,
        "last_loss": last_loss, "best_loss": best_loss,
        "checkpoint": checkpoint, "divergence": divergence,
        "early_stopping": early,
    }
    try:
        trainer.load_state_dict(state)
    except ConfigError as exc:
        raise ExperimentFileError(f"the saved state does not fit the model: {exc}") from None
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ExperimentFileError(f"the saved random-generator state is invalid "
                                  f"({type(exc).__name__}: {exc})") from None
    return trainer
