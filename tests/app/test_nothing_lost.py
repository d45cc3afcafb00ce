"""Nothing lost: a killed trainer restarts from the autosave with the same weights, the
autosave bounds what a crash loses, and the system closing the app (SIGTERM, Ctrl+C) saves
the experiment and reopens it on the next start."""
import json
import os
import shutil
import signal
import sys
import uuid

import numpy as np
import pytest
from PySide6.QtCore import QLocale

from app_process import AppProcess
from helpers import small_config
from recovery_helpers import Questions, leave_orphan
from nnvis.app import autosave as autosave_mod
from nnvis.app import settings as app_settings
from nnvis.app.recovery import RecoveryStore, default_folder
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
    shutil.rmtree(default_folder(), ignore_errors=True)


def test_a_killed_trainer_restarts_from_the_autosave_with_its_weights(make_window, qtbot,
                                                                    monkeypatch):
    w = make_window("process")
    qtbot.waitUntil(lambda: w.latest is not None
                    and w.engine_controller.handle.worker.process is not None, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: (w.session.autosaver.saved_step or 0) > 0, timeout=TIMEOUT)
    monkeypatch.setattr(autosave_mod, "AUTOSAVE_MIN_GAP_SECONDS", 1e9)   # no more saves
    saved = w.session.autosaver.saved_step
    qtbot.waitUntil(lambda: w.latest["step"] > saved, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.latest.get("running") is False, timeout=TIMEOUT)
    last = w.latest["step"]

    os.kill(w.engine_controller.handle.worker.process.pid, signal.SIGKILL)
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

    restored = load_experiment(w.session.autosave_file)
    assert restored.step_count == saved
    params = restored.parameters()
    expected = take_snapshot(restored, grid=False)
    for lay, want in zip(first["layers"], expected["layers"]):
        n_in, n_out = np.shape(lay["edges"])
        np.testing.assert_array_equal(lay["edges"], params[f"{lay['name']}.W"][:n_in, :n_out])
        np.testing.assert_array_equal(lay["bias"], params[f"{lay['name']}.b"][:n_out])
        np.testing.assert_array_equal(lay["weight_hist"], want["weight_hist"])
    assert w.controls.config() == restored.config
    w.commands.step_once()   # and it trains on from there
    qtbot.waitUntil(lambda: w.latest["step"] == saved + 1, timeout=TIMEOUT)


def test_fresh_weights_stay_the_second_choice(make_window, qtbot):
    w = make_window("process")
    qtbot.waitUntil(lambda: w.latest is not None
                    and w.engine_controller.handle.worker.process is not None, timeout=TIMEOUT)
    w.commands.step_once()
    qtbot.waitUntil(lambda: w.latest["step"] == 1, timeout=TIMEOUT)
    w.session.autosave()
    qtbot.waitUntil(lambda: w.session.autosaver.saved_step == 1, timeout=TIMEOUT)
    w.engine_controller.handle.worker.process.kill()
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
    sent = []
    saver = autosave_mod.Autosaver(tmp_path / "a.nnvis", lambda *c: sent.append(c),
                                   clock=clock)

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
    # A new experiment: the trainer confirms the old one's save before the new one's first
    # snapshot, which makes the file stale.
    confirm(99)
    assert saver.saved_step == 99
    snap(0, 0.1, fresh=True)
    assert saver.saved_step is None and saver.lost_steps() is None


def trained(steps):
    t = Trainer(Config.from_dict(small_config()))
    t.step(steps)
    return t


def test_after_a_close_by_the_system_the_next_start_reopens_the_experiment(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from nnvis.app.main_window import MainWindow
    from nnvis.app.theme import configure_pyqtgraph

    orphan = leave_orphan(trained(37), closed_by_system=True)
    questions = Questions(monkeypatch, QMessageBox.Yes)
    configure_pyqtgraph()
    w = MainWindow(engine="thread", restore_layout=False, offer_recovery=True)
    qtbot.addWidget(w)
    try:
        qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == 37,
                        timeout=TIMEOUT)
        qtbot.waitUntil(lambda: "step 37" in w.statusBar().currentMessage(), timeout=TIMEOUT)
        assert w.statusBar().currentMessage() == ("Restored the experiment from before the "
                                                  "app was closed by the system (step 37)")
        assert w.files.current_path is None   # Save does not write into the autosave
        # Once this app's own autosave holds it, the old one goes: reopened once only.
        qtbot.waitUntil(lambda: not orphan.exists(), timeout=TIMEOUT)
        assert load_experiment(w.session.autosave_file).step_count == 37
    finally:
        w.shutdown()
    assert questions.asked == []   # a session restore asks nothing
    assert not w.session.autosave_file.exists()   # a normal close: nothing to restore next time
    assert not any(default_folder().glob("*.nnvis"))


def _slots(data_home, scope):
    """The app's autosave folder: {slot: state} for each experiment kept there."""
    folder = data_home / "nnvis" / "autosave" / scope
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.with_suffix(".json").read_text())["state"]
            for p in folder.glob("*.nnvis")}


def _lock_files(data_home, scope):
    return list((data_home / "nnvis" / "autosave" / scope).glob("*.lock"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
@pytest.mark.parametrize("how", ["SIGTERM", "Ctrl+C"])
def test_the_system_closing_the_app_saves_the_experiment_and_exits_0(how):
    app = AppProcess()
    try:
        app.wait_until_up()
        app.wait_for_trainer_ready()
        if how == "SIGTERM":
            app.signal(signal.SIGTERM)
        else:   # a terminal sends Ctrl+C to the whole foreground group, the trainer included
            os.killpg(app.proc.pid, signal.SIGINT)
        code = app.wait()
    finally:
        app.kill()
    assert code == 0, app.output
    assert "Traceback" not in app.output, app.output
    [(slot, state)] = _slots(app.data_home, app.scope).items()
    assert state == "closed_by_system"   # the next start reopens it
    assert load_experiment(app.folder / f"{slot}.nnvis").config == Config()   # intact
    assert _lock_files(app.data_home, app.scope) == []
