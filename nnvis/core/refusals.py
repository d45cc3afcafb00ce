"""Why a value was refused, as data: a code, the field's path and named parameters.

The English sentence is rendered here from code + params, byte for byte what the CLI has
always printed (scripts parse its ``error:`` lines). The app translates by code instead of
by parsing the sentence; a code it does not know is shown in English, never lost.

A refusal crosses to the app as a :class:`Refusal`: a ``str`` (the English message, so
every reader of the text keeps working) that also carries ``path``, ``code`` and
``params``, and pickles with them through the trainer's pipe.
"""
from __future__ import annotations


def _bounds(p: dict) -> str:
    rng = ""
    if p.get("low") is not None:
        rng += f" {'>' if p.get('low_open') else '>='} {p['low']}"
    if p.get("high") is not None:
        rng += (" and" if p.get("low") is not None else "") + \
            f" {'<' if p.get('high_open') else '<='} {p['high']}"
    return rng


def _known(p: dict) -> str:
    return f" (known: {', '.join(p['known'])})" if p.get("known") else ""


def _column(p: dict, named: str) -> str:
    return "the label column" if p["name"] is None else named


def _purpose(p: dict) -> str:
    return "to standardise" if p["purpose"] == "standardise" else f"for {p['purpose']}"


def template(text: str):
    """The English of a code whose sentence only fills in its params (``str.format``)."""
    return lambda p: text.format(**p)


#: code -> the English reason, from the params. ``value`` params are already quoted
#: (``shown()``), as the message quotes them.
ENGLISH = {
    # params: integer (bool), low, high, low_open, high_open, value
    "number": lambda p: (f"must be {'an integer' if p['integer'] else 'a finite number'}"
                         f"{_bounds(p)} (got {p['value']})"),
    # params: choices (list of str), value
    "choice": lambda p: f"must be one of {', '.join(p['choices'])} (got {p['value']})",
    # params: value
    "boolean": lambda p: f"must be true or false (got {p['value']})",
    # params: most
    "hidden_list": lambda p: f"must be a list of at most {p['most']} layer widths",
    "csv_label": lambda p: "name the label column of the CSV file",
    "path_string": lambda p: "must be a file path string",
    # params: known (the fields there are; may be absent)
    "unknown_field": lambda p: f"unknown field{_known(p)}",
    "early_stopping_needs_val": lambda p: "needs a validation set: set data.val_fraction "
                                          "above 0",
    # params: name (the built-in set), actual, value (the task asked for)
    "task_builtin": lambda p: f"{p['name']} is a {p['actual']} set (got {p['value']})",
    # params: name (the data set), value (the loss) / classes
    "loss_regression": template("{name} is a regression set: use mse (got {value})"),
    "loss_binary": template("binary_cross_entropy needs 2 classes; {name} has {classes}: use "
                            "cross_entropy or hinge"),
    # params: fraction, n (samples), side ("training", "validation" or "test")
    "split_empty": lambda p: f"{p['fraction']:g} of {p['n']} samples leaves no "
                             f"{p['side']} samples",

    # A CSV file refused (path data.path). ``file``: its name, ``row``/``line``: a line of
    # the file, ``column``: a column's name, ``index``: its number from 1; the ``*_at``
    # codes are the same reason without the file's content (a saved experiment's CSV).
    "csv_no_file": lambda p: f"{'not a file' if p['exists'] else 'no such file'}: {p['file']}",
    "csv_too_large": lambda p: (f"{p['file']} is {p['mb']:.1f} MB; the limit is "
                                f"{p['limit']} MB" if p['mb'] is not None else
                                f"{p['file']} is larger than the limit of {p['limit']} MB"),
    "csv_unreadable": template("cannot read {file}: {error}"),
    "csv_not_utf8": template("{file} is not UTF-8 text (line {line})"),
    "csv_not_number": template("row {row}, column {column!r}: {value} is not a number"),
    "csv_not_number_at": template("row {row}, column {index} is not a number"),
    "csv_not_finite": template("row {row}, column {column!r}: {value} is not a finite number"),
    "csv_not_finite_at": template("row {row}, column {index} is not a finite number"),
    "csv_syntax": template("line {line}: {error}"),
    "csv_empty": template("{file} is empty"),
    "csv_unnamed_column": template("column {index} has no name in the header"),
    "csv_duplicate_column": template("column name {name} appears twice (columns {first} and "
                                     "{second})"),
    "csv_duplicate_column_at": template("columns {first} and {second} have the same name"),
    "csv_no_label": template("no column {label!r}; columns are: {columns}"),
    "csv_no_label_at": template("{file} has no column {label!r} in its first line"),
    "csv_only_label": template("{file} has only the label column; it needs at least one "
                               "feature column"),
    "csv_no_rows": template("{file} has a header but no data rows"),
    "csv_few_rows": template("{file} has only {rows} data rows; at least {least} are needed"),
    "csv_ragged": template("row {row} has {cells} cells, header has {header}"),
    "csv_empty_label": template("row {row}, column {column!r}: the label is empty"),
    "csv_label_not_finite": template("row {row}, column {column!r}: {value} is not a finite "
                                     "number"),
    "csv_label_not_finite_at": template("row {row}, column {column!r}: the label is not a "
                                        "finite number"),
    "csv_label_not_number": template("regression needs a numeric label column: row {row}, "
                                     "column {column!r} holds {value}"),
    "csv_label_not_number_at": template("regression needs a numeric label column: row {row}, "
                                        "column {column!r} is not a number"),
    "csv_one_class": template("label column {column!r} has only one class ({value}); at "
                              "least 2 are needed"),
    "csv_one_class_at": template("label column {column!r} has only one class; at least 2 are "
                                 "needed"),
    # params: name (quoted; None: the label column), index, purpose ("standardise" or the
    # dtype), biggest
    "csv_overflow": lambda p: (f"{_column(p, 'column ' + str(p['name']))} holds numbers too "
                               f"large {_purpose(p)} (up to {p['biggest']:.3g}): rescale it"),
    "csv_overflow_at": lambda p: (f"{_column(p, 'feature column ' + str(p['index']))} holds "
                                  f"numbers too large {_purpose(p)}"),
    # params: missing, extra (column names); new samples to predict (nnvis predict)
    "csv_columns_differ": lambda p: (
        f"{p['file']} must have the model's feature columns"
        + (f"; missing: {', '.join(p['missing'])}" if p['missing'] else "")
        + (f"; not in the model: {', '.join(p['extra'])}" if p['extra'] else "")),
}

#: code -> the English note (``Trainer.notes``; the app translates by code, as refusals).
#: The task's reasons: params column (the label column), values (distinct labels), most,
#: sparse, min_rows, task.
NOTES = {
    "task_text_labels": template("data.task auto: label column {column!r} holds text, read "
                                 "as {values} classes"),
    "task_few_values": template("data.task auto: label column {column!r} has {values} "
                                "distinct values (at most {most}), read as classes"),
    "task_fractional_values": template("data.task auto: label column {column!r} has {values} "
                                       "distinct values, some not whole, read as a regression "
                                       "target"),
    "task_sparse_values": template("data.task auto: label column {column!r} has {values} "
                                   "distinct whole numbers, {sparse} of them in fewer than "
                                   "{min_rows} rows each, read as a regression target "
                                   "(data.task=classification to change)"),
    "task_many_classes": template("data.task auto: label column {column!r} has {values} "
                                  "distinct whole numbers, most in {min_rows} rows or more, "
                                  "read as classes (data.task=regression to change)"),
    # params: task, old, new (losses)
    "loss_for_task": template("a {task} target: model.loss {old} switched to {new}"),
    # params: step, best_step, patience, best_val_loss
    "stopped_early": template("stopped early at step {step}: the validation loss did not "
                              "improve for {patience} evaluations; best step {best_step} "
                              "restored (validation loss {best_val_loss:.4g})"),
}


def note(code: str, params: dict) -> "Refusal":
    """The English note for ``code`` with ``params``, carrying both (as a refusal does)."""
    text = NOTES[code](params)
    return Refusal(text, "", text, code, params)


def english(code: str, params: dict) -> str:
    """The English reason for ``code`` with ``params``."""
    return ENGLISH[code](params)


class Refusal(str):
    """The one-line English message "path: reason", carrying what it was made from:
    ``path``, ``reason`` (English), ``code`` (None: a sentence with no code) and
    ``params``."""

    def __new__(cls, text: str, path: str = "", reason: str = "", code: str | None = None,
                params: dict | None = None):
        self = super().__new__(cls, text)
        self.path, self.reason, self.code = path, reason, code
        self.params = dict(params or {})
        return self

    def __str__(self):
        return self   # str() of a Refusal keeps its code (str's own would drop it)

    def __reduce__(self):
        return (Refusal, (str.__str__(self), self.path, self.reason, self.code, self.params))


#: Every character str.splitlines() breaks a line at, as an escape that keeps one line.
LINE_BREAKS = {c: repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def one_line(text: str) -> str:
    """``text`` with its line breaks escaped: an error is one line, whatever a file name or
    a field name it quotes holds (scripts read the CLI's ``error:`` line)."""
    return text.translate(str.maketrans(LINE_BREAKS))


class ConfigError(ValueError):
    """A config value is invalid. ``path`` is the dotted field path ("" for the whole doc).
    The message is always one line. A refusal the app translates has a ``code`` and
    ``params`` (see :mod:`nnvis.core.refusals`): :meth:`coded` renders its English reason.
    ``str()`` of it is a :class:`Refusal`, which keeps them."""

    def __init__(self, path: str, reason: str, code: str | None = None,
                 params: dict | None = None):
        self.path = path
        self.reason = one_line(reason)
        self.code = code
        self.params = dict(params or {})
        super().__init__(one_line(f"{path}: {reason}" if path else reason))

    @classmethod
    def coded(cls, path: str, code: str, **params) -> "ConfigError":
        return cls(path, english(code, params), code=code, params=params)

    def __str__(self):
        return Refusal(super().__str__(), self.path, self.reason, self.code, self.params)


#: Longest value quoted whole in an error message; longer ones are cut (one readable line).
MAX_SHOWN = 40


def shown(v) -> str:
    """``repr(v)`` for an error message, cut short: a 5,000-digit number or a deeply nested
    list would turn the one error line into a screenful."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 10 ** MAX_SHOWN:
        return f"an integer of {len(str(abs(v)))} digits"
    text = repr(v)
    return text if len(text) <= MAX_SHOWN else f"{text[:MAX_SHOWN]}… ({len(text)} characters)"
