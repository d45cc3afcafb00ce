"""The engine's English words, in the UI's language.

``nnvis.core`` is Qt-free and its messages stay English (the CLI prints them; scripts
parse them). The app shows some of them — why a value was refused, what a run does
differently from its config. A refusal comes with a code and its parameters
(:mod:`nnvis.core.refusals`), so here each known code has a translated template filled
with the same parameters. A message without a code this module knows is shown as it came:
English, but never lost.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from nnvis.core.refusals import NOTES

from .choices import choice_label
from .i18n import current_language

_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}
translate = QCoreApplication.translate


def _number(p: dict) -> str:
    kind = (translate("EngineText", "an integer") if p["integer"]
            else translate("EngineText", "a finite number"))
    conditions = []
    if p.get("low") is not None:
        conditions.append(f"{_SYMBOL['>' if p.get('low_open') else '>=']} {p['low']}")
    if p.get("high") is not None:
        conditions.append(f"{_SYMBOL['<' if p.get('high_open') else '<=']} {p['high']}")
    if conditions:
        return translate("EngineText", "must be {0}, {1} (got {2})").format(
            kind, translate("EngineText", " and ").join(conditions), p["value"])
    return translate("EngineText", "must be {0} (got {1})").format(kind, p["value"])


def _choice(p: dict) -> str:
    names = translate("EngineText", ", ").join(choice_label(c) for c in p["choices"])
    return translate("EngineText", "must be one of {0} (got {1})").format(names, p["value"])


def _unknown_field(p: dict) -> str:
    known = f" (known: {', '.join(p['known'])})" if p.get("known") else ""
    return translate("EngineText", "unknown field") + known   # field names stay as typed


def _quoted(p: dict) -> dict:
    """The params as the English quotes them: a column or label name in quotes (``!r``)."""
    return {k: repr(v) if k in ("column", "label") and isinstance(v, str) else v
            for k, v in p.items()}


def _filled(source: str):
    """A template whose sentence only fills in named params ({row}, {column}, ...)."""
    return lambda p: translate("EngineText", source).format(**_quoted(p))


# Refused CSV files and data (codes of nnvis.core.refusals.ENGLISH): the sentences that only
# fill in their params. Placeholders are the params' names; a translation keeps them.
_DATA = {
    "csv_unreadable": QT_TRANSLATE_NOOP("EngineText", "cannot read {file}: {error}"),
    "csv_not_utf8": QT_TRANSLATE_NOOP("EngineText", "{file} is not UTF-8 text (line {line})"),
    "csv_not_number": QT_TRANSLATE_NOOP("EngineText",
                                        "row {row}, column {column}: {value} is not a number"),
    "csv_not_number_at": QT_TRANSLATE_NOOP("EngineText",
                                           "row {row}, column {index} is not a number"),
    "csv_not_finite": QT_TRANSLATE_NOOP(
        "EngineText", "row {row}, column {column}: {value} is not a finite number"),
    "csv_not_finite_at": QT_TRANSLATE_NOOP(
        "EngineText", "row {row}, column {index} is not a finite number"),
    "csv_syntax": QT_TRANSLATE_NOOP("EngineText", "line {line}: {error}"),
    "csv_empty": QT_TRANSLATE_NOOP("EngineText", "{file} is empty"),
    "csv_unnamed_column": QT_TRANSLATE_NOOP("EngineText",
                                            "column {index} has no name in the header"),
    "csv_duplicate_column": QT_TRANSLATE_NOOP(
        "EngineText", "column name {name} appears twice (columns {first} and {second})"),
    "csv_duplicate_column_at": QT_TRANSLATE_NOOP(
        "EngineText", "columns {first} and {second} have the same name"),
    "csv_no_label": QT_TRANSLATE_NOOP("EngineText", "no column {label}; columns are: {columns}"),
    "csv_no_label_at": QT_TRANSLATE_NOOP("EngineText",
                                         "{file} has no column {label} in its first line"),
    "csv_only_label": QT_TRANSLATE_NOOP(
        "EngineText", "{file} has only the label column; it needs at least one feature column"),
    "csv_no_rows": QT_TRANSLATE_NOOP("EngineText", "{file} has a header but no data rows"),
    "csv_few_rows": QT_TRANSLATE_NOOP(
        "EngineText", "{file} has only {rows} data rows; at least {least} are needed"),
    "csv_ragged": QT_TRANSLATE_NOOP("EngineText",
                                    "row {row} has {cells} cells, header has {header}"),
    "csv_empty_label": QT_TRANSLATE_NOOP("EngineText",
                                         "row {row}, column {column}: the label is empty"),
    "csv_label_not_finite": QT_TRANSLATE_NOOP(
        "EngineText", "row {row}, column {column}: {value} is not a finite number"),
    "csv_label_not_finite_at": QT_TRANSLATE_NOOP(
        "EngineText", "row {row}, column {column}: the label is not a finite number"),
    "csv_label_not_number": QT_TRANSLATE_NOOP(
        "EngineText", "regression needs a numeric label column: row {row}, column {column} "
                      "holds {value}"),
    "csv_label_not_number_at": QT_TRANSLATE_NOOP(
        "EngineText", "regression needs a numeric label column: row {row}, column {column} is "
                      "not a number"),
    "csv_one_class": QT_TRANSLATE_NOOP(
        "EngineText", "label column {column} has only one class ({value}); at least 2 are "
                      "needed"),
    "csv_one_class_at": QT_TRANSLATE_NOOP(
        "EngineText", "label column {column} has only one class; at least 2 are needed"),
    "early_stopping_needs_val": QT_TRANSLATE_NOOP(
        "EngineText", "needs a validation set: set the validation share above 0"),
    "task_builtin": QT_TRANSLATE_NOOP("EngineText", "{name} is a {actual} set (got {value})"),
    "loss_regression": QT_TRANSLATE_NOOP("EngineText",
                                         "{name} is a regression set: use mse (got {value})"),
    "loss_binary": QT_TRANSLATE_NOOP(
        "EngineText", "binary_cross_entropy needs 2 classes; {name} has {classes}: use "
                      "cross_entropy or hinge"),
}


def _no_file(p: dict) -> str:
    if p["exists"]:
        return translate("EngineText", "not a file: {0}").format(p["file"])
    return translate("EngineText", "no such file: {0}").format(p["file"])


def _too_large(p: dict) -> str:
    if p["mb"] is None:
        return translate("EngineText", "{0} is larger than the limit of {1} MB").format(
            p["file"], p["limit"])
    return translate("EngineText", "{0} is {1:.1f} MB; the limit is {2} MB").format(
        p["file"], p["mb"], p["limit"])


def _overflow(p: dict) -> str:
    if p["name"] is None:
        column = translate("EngineText", "the label column")
    else:
        column = translate("EngineText", "column {0}").format(p["name"])
    return translate("EngineText", "{0} holds numbers too large to use (up to {1:.3g}): "
                                   "rescale it").format(column, p["biggest"])


def _overflow_at(p: dict) -> str:
    if p["name"] is None:
        column = translate("EngineText", "the label column")
    else:
        column = translate("EngineText", "feature column {0}").format(p["index"])
    return translate("EngineText", "{0} holds numbers too large to use").format(column)


def _split_empty(p: dict) -> str:
    side = {"training": translate("EngineText", "training"),
            "validation": translate("EngineText", "validation"),
            "test": translate("EngineText", "test")}.get(p["side"], p["side"])
    return translate("EngineText", "{0:g} of {1} samples leaves no {2} samples").format(
        p["fraction"], p["n"], side)


# code -> the reason in the UI's language, from the refusal's params.
_TEMPLATES = {
    "number": _number,
    "choice": _choice,
    "boolean": lambda p: translate(
        "EngineText", "must be true or false (got {0})").format(p["value"]),
    "hidden_list": lambda p: translate(
        "EngineText", "must be a list of at most {0} layer widths").format(p["most"]),
    "csv_label": lambda p: translate("EngineText", "name the label column of the CSV file"),
    "path_string": lambda p: translate("EngineText", "must be a file path string"),
    "unknown_field": _unknown_field,
    "csv_no_file": _no_file,
    "csv_too_large": _too_large,
    "csv_overflow": _overflow,
    "csv_overflow_at": _overflow_at,
    "split_empty": _split_empty,
    **{code: _filled(source) for code, source in _DATA.items()},
}

# The engine's notes (nnvis.core.refusals.NOTES) in the UI's language: what data.task auto
# read a CSV's label column as, and why; a loss switched to fit the task; an early stop.
_NOTES = {
    "task_text_labels": QT_TRANSLATE_NOOP(
        "EngineText", "Label column {column} holds text: read as {values} classes"),
    "task_few_values": QT_TRANSLATE_NOOP(
        "EngineText", "Label column {column} has {values} distinct values (at most {most}): "
                      "read as classes"),
    "task_fractional_values": QT_TRANSLATE_NOOP(
        "EngineText", "Label column {column} has {values} distinct values, some not whole: "
                      "read as a regression target"),
    "task_sparse_values": QT_TRANSLATE_NOOP(
        "EngineText", "Label column {column} has {values} distinct whole numbers, {sparse} of "
                      "them in fewer than {min_rows} rows each: read as a regression target "
                      "(Task: classification to change)"),
    "task_many_classes": QT_TRANSLATE_NOOP(
        "EngineText", "Label column {column} has {values} distinct whole numbers, most in "
                      "{min_rows} rows or more: read as classes (Task: regression to change)"),
    "loss_for_task": QT_TRANSLATE_NOOP(
        "EngineText", "A {task} target: the loss {old} is switched to {new}"),
    "stopped_early": QT_TRANSLATE_NOOP(
        "EngineText", "Stopped early at step {step}: the validation loss did not improve for "
                      "{patience} evaluations; best step {best_step} restored (validation loss "
                      "{best_val_loss:.4g})"),
}


def note(code: str, params: dict) -> str:
    """An engine note (a code of :data:`nnvis.core.refusals.NOTES` and its params) in the
    UI's language. Unlike a refusal, English too is the app's own sentence: the engine's
    names config paths (data.task) where the app names its controls (Task)."""
    try:
        if code not in _NOTES:
            return NOTES[code](params)
        shown = dict(_quoted(params))
        for key in ("task", "old", "new"):   # the task's and the losses' names as shown
            if key in shown:
                shown[key] = choice_label(shown[key])
        return translate("EngineText", _NOTES[code]).format(**shown)
    except (KeyError, TypeError, ValueError):   # params of another version: nothing to say
        return ""


def task_note(snap: dict) -> str | None:
    """Why the snapshot's data is the task it is (a CSV's task read by data.task auto), in
    the UI's language; None when there is nothing to explain."""
    code = snap.get("task_reason")
    if code not in NOTES:
        return None
    return note(code, snap.get("task_params") or {}) or None


def reason(refusal) -> str:
    """Why a value was refused, in the UI's language: ``refusal`` is a
    :class:`~nnvis.core.refusals.Refusal` (its ``reason`` translated by its code) or any
    text, shown as it is."""
    code = getattr(refusal, "code", None)
    english = getattr(refusal, "reason", None) or str(refusal)
    if current_language() == "en" or code not in _TEMPLATES:
        return english   # the engine's own words
    try:
        return _TEMPLATES[code](refusal.params)
    except (KeyError, TypeError, ValueError):   # params of another version: its English
        return english


def notes(snap: dict) -> list[str]:
    """Where the run differs from what its config seems to say (the engine's
    ``Trainer.notes``), written from the snapshot's own numbers."""
    out = [text for text in [task_note(snap)] if text]
    n_train, n_test = snap.get("n_train"), snap.get("n_test")
    batch = ((snap.get("config") or {}).get("optim") or {}).get("batch_size")
    if isinstance(n_train, int) and isinstance(batch, int) and batch > n_train:
        out.append(QCoreApplication.translate(
            "EngineText", "Batch size {0} is larger than the {1} training samples: each step "
                          "uses all {1} as one batch").format(batch, n_train))
    if n_test == 0:
        out.append(QCoreApplication.translate(
            "EngineText", "Train share is 1: no test set, so no test loss, test accuracy or "
                          "overfitting check"))
    return out
