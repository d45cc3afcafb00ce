"""The engine's English words, in the UI's language.

``nnvis.core`` is Qt-free and its messages stay English (the CLI prints them; scripts
parse them). The app shows some of them — why a value was refused, what a run does
differently from its config. A refusal comes with a code and its parameters
(:mod:`nnvis.core.refusals`), so here each known code has a translated template filled
with the same parameters. A message without a code this module knows is shown as it came:
English, but never lost.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

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
}


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
    out = []
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
