"""A lesson names only what the window shows, in the language it is read in.

The lessons write ``[[id]]`` where they name a button, panel, control or plot label; the
window fills it in from the registry its widgets take their labels from. Here every lesson
is loaded in a real window in English and in Chinese, trained and flipped as its text says,
and every label it names must be found among the texts the window then shows. And no lesson
may spell a label out itself (emphasised, as a student would look for it): the window's
labels in either language may not appear as a literal in a lesson's emphasis.
"""
import re

from nnvis.app import i18n, lesson_text
from nnvis.core import commands as cmd
from nnvis.lessons import LESSONS

from window_texts import visible_texts

TIMEOUT = 30_000
LANGS = {"en": "en", "zh_CN": "zh"}    # UI language -> the lessons' key
# Emphasis a student reads as "find this on screen": bold, italics, quotes.
EMPHASIS = re.compile(r"<(b|i|em|strong)>(.*?)</\1>|“(.*?)”", re.S)
MOST_STEPS = 300     # enough for the dead-ReLU lesson's dead units and every curve


def plain(text: str) -> str:
    """A label or a lesson's literal as it reads: markup, Qt's "&&", ▶/⟲ icons, a field
    label's trailing colon and extra spaces gone."""
    text = re.sub(r"<[^>]*>", "", text).replace("&amp;", "&").replace("&&", "&")
    return re.sub(r"[:：]$", "", " ".join(text.split()).lstrip("▶⟲ ")).strip()


def shown(name: str, texts: set[str]) -> bool:
    """``name`` is on screen: a whole text, the start or end of one ("dead 16%", a verdict
    "ratio 4e-6 — gradients vanish toward the input") or a readout's name ("… · activation
    std = 0.01")."""
    quoted = re.escape(name)
    return any(t == name or (len(name) >= 4 and t.endswith(name))
               or re.match(quoted + r"[ :：（(]", t) or re.search(r"(^|[ ·])" + quoted + " = ", t)
               for t in texts)


def lesson_states(w, qtbot, lesson):
    """The window's texts while a lesson runs: loaded, trained, its switch flipped."""
    texts = set()

    def look():
        for panel in w.panels:
            panel.render(force=True)
        texts.update(plain(t) for _where, t in visible_texts(w) if t)

    def wait_for(step):
        qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == step
                        and w.latest["config"]["model"] == want["model"], timeout=TIMEOUT)

    w.commands.load_lesson(lesson.id)
    want = {"model": dict(w.controls.config().to_dict()["model"])}
    wait_for(0)
    look()
    # As the init-scale lesson says: a hidden layer in Weights & gradients' menu, and in a
    # narrow panel its first column switched to the activations.
    w.histograms.select_layer("hidden1")
    box = w.histograms.first_column_box
    box.setCurrentIndex(max(box.findData("Activations"), 0))
    look()
    steps = min(max(lesson.steps, 20), MOST_STEPS)
    w.send(cmd.Step(steps))
    wait_for(steps)
    look()
    if lesson.compare:
        w.lessons.flip_button.click()
        want = {"model": dict(w.controls.config().to_dict()["model"])}
        qtbot.waitUntil(lambda: w.latest["config"]["model"] == want["model"], timeout=TIMEOUT)
        look()
    return texts


def test_every_label_a_lesson_names_is_on_screen_and_none_is_spelled_out(make_window, qtbot):
    w = make_window("thread")
    seen = {}        # UI language -> lesson id -> the texts shown while it ran
    try:
        for code in LANGS:
            w.menu_bar.set_language(code)
            seen[code] = {lesson_id: lesson_states(w, qtbot, lesson)
                          for lesson_id, lesson in LESSONS.items()}
    finally:
        w.menu_bar.set_language("en")
    missing = []
    for code, key in LANGS.items():
        i18n.set_language(code)
        try:
            for lesson_id, lesson in LESSONS.items():
                missing += [f"{lesson_id} ({key}): {name!r}"
                            for name in lesson_text.named(lesson, key)
                            if not shown(plain(name), seen[code][lesson_id])]
        finally:
            i18n.set_language("en")
    assert not missing, "lessons name labels the window does not show:\n" + "\n".join(missing)

    # Short texts only: a label, not a sentence (a literal may start with a label + a value).
    labels = {t for per_lang in seen.values() for texts in per_lang.values() for t in texts
              if t and len(t) <= 40 and not re.fullmatch(r"[\W\d_]*", t)}
    spelled = []
    for lesson_id, lesson in LESSONS.items():
        for key in LANGS.values():
            for m in EMPHASIS.finditer(lesson.text[key]):
                literal = plain(lesson_text.PLACEHOLDER.sub("", m.group(2) or m.group(3) or ""))
                hits = [lab for lab in labels if literal == lab or
                        literal.startswith(lab + " ")]
                if hits:
                    spelled.append(f"{lesson_id} ({key}): {literal!r} is the label {hits[0]!r}")
    assert not spelled, "write [[id]] instead of the label:\n" + "\n".join(spelled)
