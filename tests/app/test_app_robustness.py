"""Abuse a user can inflict: rapid clicking, broken files, a dying trainer, bad settings."""
import logging
import random

import numpy as np
import pytest

from helpers import small_config
from nnvis.app import i18n
from nnvis.app import settings as app_settings
from nnvis.app.main_window import MainWindow
from nnvis.app.theme import configure_pyqtgraph
from nnvis.lessons import LESSONS

TIMEOUT = 20_000


def test_200_rapid_actions_then_close_mid_training(make_window, qtbot):
    w = make_window("thread")
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    rng = random.Random(0)
    lessons = [l for l in LESSONS if l != "init-scale"]  # keep the nets small and fast
    actions = [w.commands.toggle_play, w.commands.step_once, w.commands.reset,
               lambda: w.load_lesson(rng.choice(lessons)),
               lambda: w.controls.dropout.setValue(rng.choice([0.0, 0.2, 0.5])),
               lambda: w.controls.activation.activated.emit(rng.randrange(10))]
    for i in range(200):
        rng.choice(actions)()
        if i % 10 == 0:
            qtbot.wait(5)
    w.switch_engine("process")
    for _ in range(20):
        rng.choice(actions[:3])()
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] > 0, timeout=TIMEOUT)
    assert not [m for m in w.messages if m[0] == "error"], w.messages
    thread = w.engine_controller.handle.thread
    w.close()  # mid-training
    assert not thread.isRunning()


def test_trainer_process_death_is_reported_and_restart_works(make_window, qtbot):
    w = make_window("process")
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.engine_controller.handle.worker.process is not None, timeout=TIMEOUT)
    w.engine_controller.handle.worker.process.kill()
    qtbot.waitUntil(lambda: w.banner.kind == "process_died", timeout=TIMEOUT)
    assert "trainer process stopped" in w.banner.text()
    w.latest = None
    w.banner.button.click()  # "Restart trainer"
    qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == 0, timeout=TIMEOUT)
    w.commands.step_once()
    qtbot.waitUntil(lambda: w.latest["step"] == 1, timeout=TIMEOUT)


def test_worker_exception_reaches_the_user(make_window, qtbot, monkeypatch):
    from nnvis.core.trainer import Trainer

    w = make_window("thread")
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)

    def broken(self, n=1):
        raise RuntimeError("simulated engine bug")

    monkeypatch.setattr(Trainer, "step", broken)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
    assert "simulated engine bug" in w.banner.text()
    qtbot.waitUntil(lambda: not w.engine_controller.running, timeout=TIMEOUT)


def test_bad_csv_is_refused_inline_with_row_and_column(make_window, qtbot, tmp_path):
    w = make_window("thread")
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(20))
                   + "3,abc,1\n")
    step_before = w.latest["step"]
    w.csv_opening.open(str(bad), "label")
    qtbot.waitUntil(lambda: any(k == "error" for k, _ in w.messages), timeout=TIMEOUT)
    message = [p for k, p in w.messages if k == "error"][-1]
    assert "row 22" in message and "x2" in message
    assert "row 22" in w.controls.error.text()
    assert w.latest["dataset"] == "xor" and w.latest["step"] == step_before  # session untouched
    good = tmp_path / "good.csv"
    rng = np.random.default_rng(0)
    rows = rng.standard_normal((60, 2))
    good.write_text("a,b,label\n" + "".join(f"{a},{b},{int(a > 0)}\n" for a, b in rows))
    w.csv_opening.open(str(good), "label")
    qtbot.waitUntil(lambda: w.latest["dataset"] == "good.csv", timeout=TIMEOUT)
    assert w.controls.csv_label.isVisibleTo(w.controls)


def test_corrupt_settings_fall_back_to_defaults_with_a_warning(qtbot, caplog):
    s = app_settings.qsettings()
    s.setValue("config/last", "{not json")
    s.setValue("window/state", "garbage")
    s.remove(app_settings.LANGUAGE_KEY)
    s.setValue("lessons/lang", "klingon")    # an old version's key: migrated, then refused
    s.sync()
    with caplog.at_level(logging.WARNING, logger="nnvis.settings"):
        cfg = app_settings.load_last_config()
        lang = i18n.saved_language()
        configure_pyqtgraph()
        w = MainWindow(engine="thread", restore_layout=True, offer_recovery=False)
        qtbot.addWidget(w)
        w.shutdown()
    assert cfg.to_dict()["model"]["hidden"] == [16, 16, 16] and lang in ("en", "zh_CN")
    text = caplog.text
    assert "saved config" in text and "language" in text and "layout" in text
    app_settings.reset_settings()
    assert app_settings.qsettings().value("config/last") is None


def test_reset_settings_flag_resets_and_exits_without_a_window(capsys, monkeypatch):
    import nnvis.app.launch
    from nnvis.cli import main

    s = app_settings.qsettings()
    s.setValue("config/last", "{}")
    s.sync()
    monkeypatch.setattr(nnvis.app.launch, "launch",
                        lambda args: pytest.fail("--reset-settings opened the app"))
    assert main(["--reset-settings"]) == 0
    assert "settings reset" in capsys.readouterr().out
    assert app_settings.qsettings().value("config/last") is None


def test_crash_recovery_offers_the_autosave(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from recovery_helpers import Questions, leave_orphan
    from nnvis.core import Config, Trainer

    crashed = Trainer(Config.from_dict(small_config()))
    crashed.step(1)
    orphan = leave_orphan(crashed)   # a crash: its app gone, its autosave left
    questions = Questions(monkeypatch, QMessageBox.Yes)
    w2 = MainWindow(engine="thread", config=small_config(), restore_layout=False,
                    offer_recovery=True)
    qtbot.addWidget(w2)
    w2.seen = []
    w2.snapshot_received.connect(w2.seen.append)
    qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: any(s["step"] == 1 and s["fresh"] for s in w2.seen), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not orphan.exists(), timeout=TIMEOUT)   # now in w2's own autosave
    w2.shutdown()
    assert not w2.session.autosave_file.exists()  # a clean exit removes it
