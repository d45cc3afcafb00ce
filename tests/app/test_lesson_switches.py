"""A lesson's buttons do in the window what its text says they do."""
from PySide6.QtWidgets import QPushButton

from nnvis.core import commands as cmd
from nnvis.lessons import LESSONS

TIMEOUT = 30_000


def test_the_learning_rate_1_button_starts_over_and_diverges_at_the_step_the_text_says(
        make_window, qtbot):
    """"press Learning rate 1.0, from the start (diverges) … and at step 18 the loss
    explodes": pressed after some training, the button must start over (a live change
    would diverge some 20 steps after wherever the run stood, and the banner counts from
    the start)."""
    lesson = LESSONS["learning-rate"]
    w = make_window("thread")
    w.commands.load_lesson(lesson.id)
    qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == 0
                    and w.latest["config"]["optim"]["lr"] == 0.001, timeout=TIMEOUT)
    w.send(cmd.Step(100))
    qtbot.waitUntil(lambda: w.latest["step"] == 100, timeout=TIMEOUT)
    label = lesson.variants[0]["label"]["en"]
    button = next(b for b in w.lessons.findChildren(QPushButton) if b.text() == label)
    button.click()
    assert w.controls.config().get("optim.lr") == 1.0
    qtbot.waitUntil(lambda: w.latest["step"] == 0
                    and w.latest["config"]["optim"]["lr"] == 1.0, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: bool(w.latest.get("divergence")), timeout=TIMEOUT)
    assert 15 <= w.latest["divergence"]["step"] <= 21                  # 18
    qtbot.waitUntil(lambda: not w.latest["running"], timeout=TIMEOUT)   # training stopped
