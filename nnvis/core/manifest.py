"""The ``.nnvis`` manifest's fields as a table: where each is, its kind and what it means.

Loading reads each field through :func:`field`, which checks it as the table says: the
kinds (and the one wording of each refusal) live here, not at every place a field is read.
Fields are read in the order the restore needs them, so the first refusal a damaged file
gets is the one that always was. (The format name and version, the config and the array
index entries are checked where they are read: they decide what the rest means.)
"""
from __future__ import annotations

from .refusals import ConfigError, shown
from .schema import Field

#: Integers in the manifest are counts and cursors; anything beyond this is damage (and
#: would overflow the int64 arrays the histories keep).
MAX_MANIFEST_INT = 2**62


class ExperimentFileError(ConfigError):
    """A ``.nnvis`` file cannot be saved or loaded; the message says what is wrong."""

    def __init__(self, reason: str):
        super().__init__("file", reason)


def decode_float(x, where: str) -> float:
    """A float the manifest stores (JSON has no NaN/inf: those are the strings "NaN",
    "Infinity", "-Infinity")."""
    if isinstance(x, str) and x in ("NaN", "Infinity", "-Infinity"):
        return float(x.replace("Infinity", "inf"))
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        try:
            return float(x)
        except OverflowError:
            pass
    raise ExperimentFileError(f"manifest field {where} must be a number (got {shown(x)})")


def encoded_float(where: str, v) -> float:
    return decode_float(v, where)


def count(where: str, v) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or \
            not -MAX_MANIFEST_INT <= v <= MAX_MANIFEST_INT:
        raise ExperimentFileError(f"manifest field {where} must be an integer of at most "
                                  f"2**62 (got {shown(v)})")
    return v


def of_type(kind: type):
    def check(where: str, v):
        if not isinstance(v, kind):
            raise ExperimentFileError(f"manifest field {where} has the wrong type "
                                      f"({type(v).__name__})")
        return v
    return check


def anything(where: str, v):
    return v


def _report(where: str, v, floats=("best_val_loss",)):
    """A report of why training stopped (a message and its numbers), or null."""
    if v is None:
        return None
    if not isinstance(v, dict) or not isinstance(v.get("message"), str):
        raise ExperimentFileError(f"manifest field {where} is malformed")
    for key in floats:
        if key in v:
            v[key] = decode_float(v[key], f"{where}.{key}")
    return v


def _divergence(where: str, v):
    return _report(where, v, ("loss", "lr"))


def optional_count(where: str, v):
    return None if v is None else count(where, v)


#: Manifest fields, by dotted path ("histories.*" stands for each history's name; a
#: history's own fields are named in refusals as they are in its entry).
MANIFEST_FIELDS = (
    Field("arrays", {}, of_type(dict), "Index of the array members: file, dtype, shape."),
    Field("data.fingerprint", "", of_type(str), "Hash of the training data the run used."),
    Field("state.step", 0, count, "Steps trained."),
    Field("state.epoch", 0, count, "Epochs completed."),
    Field("state.cursor", 0, count, "Position in the current epoch's order."),
    Field("state.last_loss", None, encoded_float, "The last batch's loss."),
    Field("state.best_loss", None, encoded_float, "The lowest loss so far."),
    Field("state.divergence", None, _divergence,
          "Why training stopped (message, loss, lr), or null."),
    Field("rng", {}, of_type(dict), "Random-generator states: shuffle, noise, epoch_order."),
    Field("optimizer.name", "", of_type(str), "The optimiser whose state is saved."),
    Field("optimizer.t", 0, count, "The optimiser's step count."),
    Field("checkpoint", None, anything, "The last healthy weights' entry, or null."),
    Field("checkpoint.step", 0, count, "The step of the last healthy weights."),
    Field("checkpoint.optimizer.name", "", of_type(str), "Their optimiser."),
    Field("checkpoint.optimizer.t", 0, count, "Their optimiser's step count."),
    Field("early_stopping.best_step", None, optional_count,
          "The step of the best validation loss so far, or null (format 2)."),
    Field("early_stopping.best_val_loss", None, encoded_float, "That validation loss."),
    Field("early_stopping.bad_evals", 0, count, "Validation checks since it improved."),
    Field("early_stopping.has_best", False, of_type(bool),
          "Whether best/params/* and best/buffers/* hold the best weights."),
    Field("early_stopping.stop", None, _report,
          "Why training stopped early (message, step, best_step, ...), or null."),
    Field("histories.*", {}, of_type(dict), "A history's entry (loss or eval)."),
    Field("histories.*.n", 0, count, "Points the history holds."),
    Field("histories.*.stride", 1, count, "Steps per point."),
)
_BY_PATH = {f.path: f for f in MANIFEST_FIELDS}


def field(manifest: dict, dotted: str, kind: str | None = None, node=None):
    """The manifest's field at ``dotted`` (in ``node`` if given), checked as the table's
    ``kind`` entry (default: ``dotted``) says."""
    node = manifest if node is None else node
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ExperimentFileError(f"the manifest is missing {dotted!r}")
        node = node[part]
    return _BY_PATH[kind or dotted].check(dotted, node)
