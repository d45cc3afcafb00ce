"""The engine's English words, in the UI's language.

``nnvis.core`` is Qt-free and its messages stay English (the CLI prints them; scripts
parse them). The app shows some of them — why a value was refused, what a run does
differently from its config — so here they are recognised by their fixed wording and
rewritten with translated templates. A message this module does not know is shown as it
came: English, but never lost.
"""
from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from .choices import choice_label
from .i18n import current_language

_NUMBER = re.compile(r"must be (a finite number|an integer)((?: (?:>|>=|<|<=) [^ ()]+"
                     r"(?: and)?)*) \(got (.*?)\)(.*)$", re.S)
_CONDITION = re.compile(r"(>=|<=|>|<) ([^ ()]+)")
_CHOICE = re.compile(r"must be one of (.*) \(got (.*?)\)(.*)$", re.S)
_BOOL = re.compile(r"must be true or false \(got (.*?)\)(.*)$", re.S)
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _fixed() -> dict:
    """Whole reasons without numbers in them."""
    return {
        "must be a list of at most 32 layer widths": QCoreApplication.translate(
            "EngineText", "must be a list of at most 32 layer widths"),
        "name the label column of the CSV file": QCoreApplication.translate(
            "EngineText", "name the label column of the CSV file"),
        "must be a file path string": QCoreApplication.translate(
            "EngineText", "must be a file path string"),
        "unknown field": QCoreApplication.translate("EngineText", "unknown field"),
    }


def reason(text: str) -> str:
    """One refusal reason ("must be a finite number > 0 (got -1)") in the UI's language."""
    if current_language() == "en":
        return text   # the engine's own words
    m = _NUMBER.match(text)
    if m:
        kind = (QCoreApplication.translate("EngineText", "a finite number")
                if m.group(1) == "a finite number"
                else QCoreApplication.translate("EngineText", "an integer"))
        conditions = [f"{_SYMBOL[op]} {v}" for op, v in _CONDITION.findall(m.group(2))]
        if conditions:
            both = QCoreApplication.translate("EngineText", " and ").join(conditions)
            out = QCoreApplication.translate(
                "EngineText", "must be {0}, {1} (got {2})").format(kind, both, m.group(3))
        else:
            out = QCoreApplication.translate(
                "EngineText", "must be {0} (got {1})").format(kind, m.group(3))
        return out + m.group(4)
    m = _CHOICE.match(text)
    if m:
        names = QCoreApplication.translate("EngineText", ", ").join(
            choice_label(c) for c in m.group(1).split(", "))
        return QCoreApplication.translate(
            "EngineText", "must be one of {0} (got {1})").format(names, m.group(2)) + \
            m.group(3)
    m = _BOOL.match(text)
    if m:
        return QCoreApplication.translate(
            "EngineText", "must be true or false (got {0})").format(m.group(1)) + m.group(2)
    for english, translated in _fixed().items():
        if text.startswith(english):
            return translated + text[len(english):]
    return text


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
