"""The lesson texts name what is on screen by id (``[[id]]``), never by spelling it out.

A student follows the text literally ("press Flip the switch: ReLU + He init", "tick
Residual: h = f(x) + x"), so the app fills every name in from the labels its widgets show
(nnvis/app/ui_labels.py); tests/app/test_lesson_labels.py finds each one in a live window in
both languages. Here, without a window: every id a text writes exists, and the English and
the Chinese text of a lesson name the same things.
"""
import re

import pytest

from nnvis.app import lesson_text, ui_labels
from nnvis.app.choices import CHOICE_LABELS
from nnvis.lessons import LESSONS

LAYER = re.compile(r"hidden\d+|output|input")


def resolves(lesson, ref: str) -> bool:
    kind, _, arg = ref.partition(":")
    if ref == "flip":
        return bool(lesson.compare)
    if kind in ("variant", "view"):
        items = lesson.variants if kind == "variant" else lesson.views
        return arg.isdigit() and int(arg) < len(items)
    if kind == "choice":
        return arg in CHOICE_LABELS
    if kind == "layer":
        return bool(LAYER.fullmatch(arg))
    return ref in ui_labels.LABELS


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_every_name_a_lesson_writes_is_a_known_label(lesson_id):
    lesson = LESSONS[lesson_id]
    for lang in ("en", "zh"):
        refs = lesson_text.PLACEHOLDER.findall(lesson.text[lang])
        unknown = [r for r in refs if not resolves(lesson, r)]
        assert not unknown, f"{lesson_id} ({lang}): {unknown}"
        assert "[[" not in lesson_text.PLACEHOLDER.sub("", lesson.text[lang]), \
            f"{lesson_id} ({lang}): a malformed [[...]]"


@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_both_languages_name_the_same_labels(lesson_id):
    lesson = LESSONS[lesson_id]
    en, zh = (set(lesson_text.PLACEHOLDER.findall(lesson.text[lang])) for lang in ("en", "zh"))
    assert en == zh, f"{lesson_id}: only English {sorted(en - zh)}, only Chinese {sorted(zh - en)}"


def test_the_xor_lesson_names_its_hand_made_solution_button():
    for lang in ("en", "zh"):
        assert "<b>[[lessons.xor]]</b>" in LESSONS["xor"].text[lang]


def test_a_label_reads_as_the_widget_shows_it_without_its_colon_or_placeholder():
    lesson = LESSONS["vanishing-gradients"]
    assert lesson_text.label(lesson, "histograms.layer", "en") == "Layer"       # "Layer:"
    assert lesson_text.label(lesson, "lessons.flip", "en") == "Flip the switch"
    assert lesson_text.label(lesson, "controls.apply", "en") == \
        "Apply & rebuild (new weights)"                                          # Qt's "&&"
    assert lesson_text.label(lesson, "flip", "en") == "Flip the switch: ReLU + He init"
    assert "Flip the switch: ReLU + He init" in lesson_text.named(lesson, "en")
