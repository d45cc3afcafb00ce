"""Nothing lost: a killed trainer restarts from the autosave with the same weights, the
autosave bounds what a crash loses, and the system closing the app (SIGTERM, Ctrl+C) saves
the experiment and reopens it on the next start."""
import configparser
import os
import signal
import subprocess
import sys
import time
import uuid

import numpy as np
import pytest
from PySide6.QtCore import QLocale

from conftest import small_config
from nnvis.app import autosave as autosave_mod
from nnvis.app import settings as app_settings
from nnvis.core import Config, Trainer, take_snapshot
from nnvis.core.persistence import load_experiment, save_experiment

TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def own_settings(monkeypatch):
    """Settings and autosave of this test alone: other test runs on the machine share the
    tests' scope, and a window closing there removes the autosave."""
    monkeypatch.setenv("NNVIS_SETTINGS_SCOPE", f"nnvis-test-{uuid.uuid4().hex[:8]}")
    yield
    app_settings.reset_settings()
    app_settings.autosave_path().unlink(missing_ok=True)


def test_a_killed_trainer_restarts_from_the_autosave_with_its_weights(make_window, qtbot,
                                                                    monkeypatch):
    w = make_window("process")
    qtbot.waitUntil(lambda: w.latest is not None and w.engine.worker.process is not None,
                    timeout=TIMEOUT)
    w.toggle_play()
    qtbot.waitUntil(lambda: (w.autosaver.saved_step or 0) > 0, timeout=TIMEOUT)
    monkeypatch.setattr(autosave_mod, "AUTOSAVE_MIN_GAP_SECONDS", 1e9)   # no more saves
    saved = w.autosaver.saved_step
    qtbot.waitUntil(lambda: w.latest["step"] > saved, timeout=TIMEOUT)
    w.toggle_play()
    qtbot.waitUntil(lambda: w.latest.get("running") is False, timeout=TIMEOUT)
    last = w.latest["step"]

    os.kill(w.engine.worker.process.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: w.banner.kind == "process_died", timeout=TIMEOUT)
    assert "exit code -9" in w.banner.text()
    button = w.banner.button
    assert button.isDefault() and button.isVisible()
    n = QLocale().toString   # as the status bar writes step numbers
    assert button.text() == (f"Restart from the last autosave (step {n(saved)}, "
                             f"{n(last - saved)} steps lost)")
    assert w.banner.second_button.text() == "Restart with fresh weights"

    w.seen.clear()
    button.click()
    qtbot.waitUntil(lambda: any(s["fresh"] and s["step"] == saved for s in w.seen),
                    timeout=TIMEOUT)
    first = next(s for s in w.seen if s["step"] != 0)   # 0: the new process's own first net
    assert first["step"] == saved
    assert w.banner.kind is None
    assert "from the autosave (step" in w.statusBar().currentMessage()

    restored = load_experiment(w.autosave_file)
    assert restored.step_count == saved
    params = restored.parameters()
    expected = take_snapshot(restored, grid=False)
    for lay, want in zip(first["layers"], expected["layers"]):
        n_in, n_out = np.shape(lay["edges"])
        np.testing.assert_array_equal(lay["edges"], params[f"{lay['name']}.W"][:n_in, :n_out])
        np.testing.assert_array_equal(lay["bias"], params[f"{lay['name']}.b"][:n_out])
        np.testing.assert_array_equal(lay["weight_hist"], want["weight_hist"])
    assert w.controls.config() == restored.config
    w.step_once()   # and it trains on from there
    qtbot.waitUntil(lambda: w.latest["step"] == saved + 1, timeout=TIMEOUT)


def test_fresh_weights_stay_the_second_choice(make_window, qtbot):
    w = make_window("process")
    qtbot.waitUntil(lambda: w.latest is not None and w.engine.worker.process is not None,
                    timeout=TIMEOUT)
    w.step_once()
    qtbot.waitUntil(lambda: w.latest["step"] == 1, timeout=TIMEOUT)
    w.autosave()
    qtbot.waitUntil(lambda: w.autosaver.saved_step == 1, timeout=TIMEOUT)
    w.engine.worker.process.kill()
    qtbot.waitUntil(lambda: w.banner.kind == "process_died", timeout=TIMEOUT)
    w.seen.clear()
    w.banner.second_button.click()
    qtbot.waitUntil(lambda: any(s["fresh"] for s in w.seen), timeout=TIMEOUT)
    qtbot.wait(300)
    assert [s["step"] for s in w.seen] == [0] * len(w.seen)


class Clock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t


def test_the_autosave_bounds_what_a_crash_loses_in_time_and_in_steps(qapp, monkeypatch,
                                                                    tmp_path):
    clock = Clock()
    monkeypatch.setattr(autosave_mod.time, "monotonic", clock)
    sent = []
    saver = autosave_mod.Autosaver(tmp_path / "a.nnvis", lambda *c: sent.append(c))

    def snap(step, seconds, fresh=False):
        clock.t += seconds
        saver.on_snapshot({"step": step, "fresh": fresh})

    def confirm(step):
        save_experiment(saver.path, trained(step))
        assert saver.on_saved(str(saver.path))

    snap(0, 0, fresh=True)
    assert not sent              # fresh weights: nothing to lose (and an old autosave stays)
    snap(10, 0.1)
    assert len(sent) == 1        # the first steps of an experiment are saved at once
    snap(20, 0.1)
    assert len(sent) == 1        # one save at a time
    confirm(10)
    assert saver.saved_step == 10
    # Slow training: by time.
    snap(30, autosave_mod.AUTOSAVE_SECONDS - 1)
    assert len(sent) == 1
    snap(31, 1.5)
    assert len(sent) == 2
    confirm(31)
    # Fast training: by steps, but not more often than the gap allows.
    step = 31 + autosave_mod.AUTOSAVE_STEPS
    snap(step, autosave_mod.AUTOSAVE_MIN_GAP_SECONDS + 0.1)
    assert len(sent) == 3
    confirm(step)
    snap(step + 10 * autosave_mod.AUTOSAVE_STEPS, 0.2)
    assert len(sent) == 3
    snap(step + 11 * autosave_mod.AUTOSAVE_STEPS, autosave_mod.AUTOSAVE_MIN_GAP_SECONDS)
    assert len(sent) == 4
    assert autosave_mod.AUTOSAVE_MIN_GAP_SECONDS < autosave_mod.AUTOSAVE_SECONDS
    # A new experiment: the file no longer holds the running one, even if a save of the
    # old one is confirmed afterwards.
    saver.forget()
    confirm(99)
    assert saver.saved_step is None and saver.lost_steps() is None


def trained(steps):
    t = Trainer(Config.from_dict(small_config()))
    t.step(steps)
    return t


def test_after_a_close_by_the_system_the_next_start_reopens_the_experiment(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from nnvis.app.main_window import MainWindow
    from nnvis.app.theme import configure_pyqtgraph

    save_experiment(app_settings.autosave_path(), trained(37))
    app_settings.mark_session(clean=True, restore=True)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: pytest.fail("a session restore asks nothing"))
    configure_pyqtgraph()
    w = MainWindow(engine="thread", restore_layout=False, offer_recovery=True)
    qtbot.addWidget(w)
    try:
        assert not app_settings.previous_session_asks_restore()   # once only
        qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == 37,
                        timeout=TIMEOUT)
        qtbot.waitUntil(lambda: "step 37" in w.statusBar().currentMessage(), timeout=TIMEOUT)
        assert w.statusBar().currentMessage() == ("Restored the experiment from before the "
                                                  "app was closed by the system (step 37)")
        assert w.current_path is None   # Save does not write into the autosave
    finally:
        w.shutdown()
    assert not w.autosave_file.exists()   # a normal close: nothing to restore next time


def _session(config_home, scope):
    path = config_home / "nnvis" / f"{scope}.conf"
    parser = configparser.ConfigParser()
    parser.read(path)
    return dict(parser["session"]) if parser.has_section("session") else {}


@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C"])
def test_the_system_closing_the_app_saves_the_experiment_and_exits_0(tmp_path, how):
    scope = f"nnvis-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIS_SETTINGS_SCOPE=scope,
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen([sys.executable, "-m", "nnvis", "--lang", "en"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)   # its own process group, as in a terminal
    try:
        deadline = time.monotonic() + 60
        while _session(tmp_path / "config", scope).get("clean_exit") != "false":
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the app did not come up"
            time.sleep(0.1)
        time.sleep(1.0)   # the window is up; let the trainer process start too
        if how == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:   # a terminal sends Ctrl+C to the whole foreground group, the trainer included
            os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    output = proc.stdout.read().decode()
    assert code == 0, output
    assert "Traceback" not in output, output
    autosave = tmp_path / "data" / "nnvis" / f"{scope}-autosave.nnvis"
    assert autosave.exists()
    assert load_experiment(autosave).config == Config()   # the default experiment, intact
    session = _session(tmp_path / "config", scope)
    assert session == {"clean_exit": "true", "restore_autosave": "true"}
