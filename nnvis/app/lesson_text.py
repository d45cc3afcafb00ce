"""A lesson's text as the student reads it: every ``[[...]]`` it writes where it names
something on screen, filled in from what the window shows in the UI's language.

``[[panel.data]]`` and the other ids of :mod:`nnvis.app.ui_labels` are widget labels;
``[[choice:relu]]`` a value as the controls' menus name it; ``[[layer:hidden1]]`` a layer
as the plots' axes name it ("h1"); ``[[flip]]`` the lesson's own
"Flip the switch: …" button; ``[[variant:N]]`` and ``[[view:N]]`` its N-th "Also try" and
view buttons. The lesson texts (Qt-free, in nnvis/lessons) never spell a label out, so they
cannot drift from the window.
"""
from __future__ import annotations

import html
import re

from nnvis.lessons import Lesson

from . import ui_labels
from .choices import choice_label
from .panels.axes import short_name

PLACEHOLDER = re.compile(r"\[\[([\w.:-]+)\]\]")
# What a label carries for its widget and not for a sentence naming it: Qt's "&&" (a
# literal "&"), the "{0}" a button fills in, a field label's trailing colon.
_FILLED = re.compile(r"\s*[:：]?\s*\{0\}$")
_COLON = re.compile(r"[:：]$")


def _as_named(label: str) -> str:
    return _COLON.sub("", _FILLED.sub("", label.replace("&&", "&"))).strip()


def label(lesson: Lesson, ref: str, lang: str) -> str:
    """The plain text ``[[ref]]`` stands for in ``lesson``, shown in language ``lang``."""
    kind, _, arg = ref.partition(":")
    if ref == "flip":
        return ui_labels.text("lessons.flip").format(lesson.compare_label[lang])
    if kind == "variant":
        return lesson.variants[int(arg)]["label"][lang]
    if kind == "view":
        return lesson.views[int(arg)]["label"][lang]
    if kind == "choice":
        return choice_label(arg)
    if kind == "layer":
        return short_name(arg)
    return _as_named(ui_labels.text(ref))


def named(lesson: Lesson, lang: str) -> list[str]:
    """Every label the lesson's text names, in order, as it reads in ``lang``."""
    return [label(lesson, ref, lang) for ref in PLACEHOLDER.findall(lesson.text[lang])]


def render(lesson: Lesson, lang: str) -> str:
    """The lesson's HTML in ``lang`` with every label filled in."""
    return PLACEHOLDER.sub(lambda m: html.escape(label(lesson, m.group(1), lang), quote=False),
                           lesson.text[lang])
