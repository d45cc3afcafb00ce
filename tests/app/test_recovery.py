"""Nothing lost, nothing hangs: what a hostile or unlucky user did to the running app —
failed saves at close, two apps at once, unwritable folders, a crash then a double-click on
a file, Ctrl+S after a refused file, a FIFO, a stopped trainer, no display. Faults are made
on real processes (stopped, signalled, killed, limited) wherever a user's would be."""
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app_process import AppProcess
from helpers import small_config
from recovery_helpers import Questions, leave_orphan
from nnvis.app import autosave as autosave_mod
from nnvis.app import settings as app_settings
from nnvis.app import watchdog as watchdog_mod
from nnvis.app.main_window import MainWindow
from nnvis.app.recovery import default_folder
from nnvis.app.theme import configure_pyqtgraph
from nnvis.core import Config, Trainer
from nnvis.core.persistence import load_experiment, save_experiment

# The faults are made with Linux's /proc, signals, prlimit and FIFOs.
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
TIMEOUT = 20_000
#: A place no one can create a folder in, root included (ENOTDIR): a folder that cannot
#: be written, as a read-only mount or a full disk would be, without chmod (CI is root).
UNWRITABLE = "/dev/null/nnvis-folder"


@pytest.fixture(autouse=True)
def own_scope(monkeypatch):
    """Settings and autosave folder of this test alone (apps it starts share them)."""
    monkeypatch.setenv("NNVIS_SETTINGS_SCOPE", f"nnvis-test-{uuid.uuid4().hex[:8]}")
    yield
    app_settings.reset_settings()
    shutil.rmtree(default_folder(), ignore_errors=True)


def experiment(tmp_path, steps: int):
    """A saved experiment trained ``steps`` steps (what a user double-clicks)."""
    t = Trainer(Config.from_dict(small_config()))
    t.step(steps)
    path = tmp_path / f"run-{steps}.nnvis"
    save_experiment(path, t)
    return path


def window(qtbot, **kwargs):
    configure_pyqtgraph()
    kwargs.setdefault("restore_layout", False)
    w = MainWindow(engine=kwargs.pop("engine", "thread"), **kwargs)
    qtbot.addWidget(w)
    w.seen = []
    w.snapshot_received.connect(w.seen.append)
    return w


def save_action(w):
    """File ▸ Save experiment (Ctrl+S)."""
    return next(a for a in w.menu_bar.file_actions if a.shortcut() == QKeySequence(QKeySequence.Save))


def open_step_and_save(qtbot, w, path, step: int):
    """Open ``path`` (at ``step``), train one step and press Ctrl+S."""
    w.files.open_path(str(path))
    qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == step,
                    timeout=TIMEOUT)
    w.commands.step_once()
    qtbot.waitUntil(lambda: w.latest["step"] == step + 1, timeout=TIMEOUT)
    save_action(w).trigger()
    qtbot.waitUntil(lambda: "Saved" in w.statusBar().currentMessage(), timeout=TIMEOUT)


def rewrite_entries(path, change):
    """Rewrite a .nnvis zip with ``change(name, data) -> data`` applied to every entry."""
    import zipfile

    new = path.with_name(path.name + ".new")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(new, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, change(item.filename, src.read(item)))
    new.replace(path)


def recover_entries(w) -> list[str]:
    return [a.text() for a in w.session.recover_menu.actions() if a.text()]


# ---------------------------------------------------------------------- failed saves
@pytest.mark.parametrize("fault", ["trainer stopped", "disk full"])
def test_a_close_whose_save_fails_keeps_the_last_autosave_and_the_next_start_offers_it(
        tmp_path, qtbot, monkeypatch, fault):
    app = AppProcess(["--load", experiment(tmp_path, 40)])
    try:
        autosave = app.wait_for_autosave(40)
        before = autosave.read_bytes()
        trainer = app.wait_for_trainer_ready()
        if fault == "trainer stopped":
            os.kill(trainer, signal.SIGSTOP)
        else:   # every file the trainer writes from now on fails past 1 kB: EFBIG
            resource.prlimit(trainer, resource.RLIMIT_FSIZE, (1000, 1000))
        app.signal(signal.SIGTERM)   # a logout
        code = app.wait(60)
    finally:
        app.kill()
    assert code == 0, app.output
    assert "Traceback" not in app.output, app.output
    assert autosave.read_bytes() == before   # neither deleted nor replaced
    assert not list(autosave.parent.glob(".*tmp*"))

    questions = Questions(monkeypatch, QMessageBox.Yes)
    w = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
        assert "did not close cleanly" in questions.asked[0]
        assert "step 40" in questions.asked[0]
        qtbot.waitUntil(lambda: w.latest is not None and w.latest["step"] == 40,
                        timeout=TIMEOUT)
    finally:
        w.shutdown()
    assert len(questions.asked) == 1


# ---------------------------------------------------------------------- two apps
def test_two_apps_at_once_each_keep_their_own_autosave(tmp_path, qtbot, monkeypatch):
    first = AppProcess(["--load", experiment(tmp_path, 40)])
    try:
        autosave = first.wait_for_autosave(40)
        before = autosave.read_bytes()
        questions = Questions(monkeypatch, QMessageBox.Yes)
        second = window(qtbot, config=small_config(), offer_recovery=True)
        qtbot.waitUntil(lambda: second.latest is not None, timeout=TIMEOUT)
        second.commands.step_once()
        qtbot.waitUntil(lambda: second.session.autosave_file.exists(), timeout=TIMEOUT)
        assert questions.asked == []   # the first is alive: nothing to restore
        second.shutdown()              # a normal close of the second ...
        assert autosave.read_bytes() == before   # ... leaves the first's autosave alone
        assert first.proc.poll() is None
    finally:
        first.kill()   # the first app crashes

    third = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: third.latest is not None and third.latest["step"] == 40,
                        timeout=TIMEOUT)
    finally:
        third.shutdown()
    assert len(questions.asked) == 1 and "step 40" in questions.asked[0]


# ------------------------------------------------- unwritable settings, crash then a file
def test_a_crashed_run_survives_unwritable_settings_and_a_start_with_a_file(
        tmp_path, qtbot, monkeypatch):
    """A crash; the next start opens a file (a double-click) with settings that cannot be
    written: the crashed run's autosave is neither overwritten nor forgotten."""
    crashed = AppProcess(["--load", experiment(tmp_path, 40)], config_home=UNWRITABLE)
    try:
        autosave = crashed.wait_for_autosave(40)
        before = autosave.read_bytes()
    finally:
        crashed.kill()
    opened = AppProcess(["--load", experiment(tmp_path, 77)], config_home=UNWRITABLE)
    try:
        opened.wait_for_autosave(77)
        assert autosave.read_bytes() == before
        opened.signal(signal.SIGTERM)
        assert opened.wait() == 0, opened.output
    finally:
        opened.kill()
    assert autosave.read_bytes() == before

    questions = Questions(monkeypatch, QMessageBox.Cancel)
    w = window(qtbot, offer_recovery=False)   # as when a file was asked for
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        assert "File ▸ Recover" in w.statusBar().currentMessage()
        entries = recover_entries(w)
        assert any(e.startswith("Step 40,") for e in entries), entries
        assert any(e.startswith("Step 77,") for e in entries), entries
        next(a for a in w.session.recover_menu.actions() if a.text().startswith("Step 40,")).trigger()
        qtbot.waitUntil(lambda: w.latest["step"] == 40, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: not autosave.exists(), timeout=TIMEOUT)   # now w's own
        assert [e for e in recover_entries(w) if e.startswith("Step")] == [
            e for e in entries if e.startswith("Step 77,")]
    finally:
        w.shutdown()
    assert questions.asked == []


def test_the_newest_crashed_run_is_asked_about_and_the_others_wait_in_the_menu(
        qtbot, monkeypatch):
    t = Trainer(Config.from_dict(small_config()))
    t.step(3)
    older = leave_orphan(t, name="20260101-000000-11-aaaaaa")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    t.step(2)
    newer = leave_orphan(t, name="20260102-000000-12-bbbbbb")
    questions = Questions(monkeypatch, QMessageBox.Cancel)   # "Later"
    w = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
        assert "step 5" in questions.asked[0]
        assert "File ▸ Recover (1 more)" in questions.asked[0]
        assert sorted(e.split(",")[0] for e in recover_entries(w) if e.startswith("Step")) \
            == ["Step 3", "Step 5"]
    finally:
        w.shutdown()
    assert older.exists() and newer.exists()   # "Later" keeps both for the next start


def test_discard_deletes_the_crashed_run_and_what_its_killed_saves_left(qtbot, monkeypatch):
    orphan = leave_orphan(Trainer(Config.from_dict(small_config())))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    leftover = orphan.parent / f".{orphan.name}.{dead}@{socket.gethostname()}.abcdefgh.tmp"
    leftover.write_bytes(b"half a save" * 1000)
    questions = Questions(monkeypatch, QMessageBox.Discard)
    w = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: not orphan.exists(), timeout=TIMEOUT)
        assert not w.session.recover_menu.isEnabled()
        assert not leftover.exists()
    finally:
        w.shutdown()


def test_a_truncated_autosave_says_why_it_cannot_be_restored(qtbot, monkeypatch):
    t = Trainer(Config.from_dict(small_config()))
    t.step(4)
    orphan = leave_orphan(t)
    orphan.write_bytes(orphan.read_bytes()[:300])
    questions = Questions(monkeypatch, QMessageBox.Yes)
    w = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: bool(questions.asked), timeout=TIMEOUT)
        qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
        assert "Could not restore the autosave" in w.banner.text()
        assert orphan.name in w.banner.text()
    finally:
        w.shutdown()
    assert orphan.exists()   # kept: perhaps another nnvis can read it


# ---------------------------------------------------------------------- unwritable data
def test_an_unwritable_data_folder_starts_the_app_with_recovery_off_and_says_so(
        qtbot, monkeypatch):
    app = AppProcess(data_home=UNWRITABLE)
    try:
        app.wait_for(lambda: "crash recovery are off" in app.output, "the app to say so")
        app.wait_for_trainer_ready()
        app.signal(signal.SIGTERM)
        code = app.wait()
    finally:
        app.kill()
    assert code == 0, app.output
    assert "Traceback" not in app.output and "QThread" not in app.output, app.output

    monkeypatch.setenv("XDG_DATA_HOME", UNWRITABLE)
    w = window(qtbot, config=small_config())
    try:
        assert w.banner.kind == "recovery_off"
        assert "Autosave and crash recovery are off" in w.banner.text()
        assert UNWRITABLE in w.banner.text()
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        w.commands.step_once()   # and it trains
        qtbot.waitUntil(lambda: w.latest["step"] == 1, timeout=TIMEOUT)
    finally:
        w.shutdown()


# ---------------------------------------------------------------------- the save target
def test_ctrl_s_after_a_refused_file_does_not_overwrite_it(tmp_path, qtbot, monkeypatch):
    import json

    def newer_version(name, data):
        if name != "manifest.json":
            return data
        return json.dumps(dict(json.loads(data), format_version=99)).encode()

    newer = experiment(tmp_path, 5).replace(tmp_path / "from-a-newer-nnvis.nnvis")
    rewrite_entries(newer, newer_version)
    before = newer.read_bytes()
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked.append(a) or ("", ""))
    w = window(qtbot, config=small_config())
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        w.files.open_path(str(newer))
        qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
        save_action(w).trigger()
        assert asked, "Save must ask where: the refused file is not the experiment"
        qtbot.wait(300)
    finally:
        w.shutdown()
    assert newer.read_bytes() == before


def test_save_writes_to_the_file_that_was_opened(tmp_path, qtbot):
    path = experiment(tmp_path, 5)
    w = window(qtbot, config=small_config())
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        open_step_and_save(qtbot, w, path, 5)
    finally:
        w.shutdown()
    assert load_experiment(path).step_count == 6


# ---------------------------------------------------------------------- not a file
def test_load_of_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "pipe.nnvis"
    os.mkfifo(fifo)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for args in (["--load", str(fifo)], ["--load", str(tmp_path)],
                 ["train", "--config", str(fifo)]):
        run = subprocess.run([sys.executable, "-m", "nnvis", *args], env=env, timeout=60,
                             capture_output=True, text=True)
        assert run.returncode == 2
        assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: ")
        assert "not a file nnvis can open" in run.stderr


def test_opening_a_fifo_in_the_app_is_refused_and_training_goes_on(tmp_path, qtbot):
    fifo = tmp_path / "pipe.nnvis"
    os.mkfifo(fifo)
    w = window(qtbot, engine="process", config=small_config())
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        w.files.open_path(str(fifo))
        assert w.banner.kind == "error" and "pipe.nnvis" in w.banner.text()
        w.commands.step_once()
        qtbot.waitUntil(lambda: w.latest["step"] == 1, timeout=TIMEOUT)
    finally:
        w.shutdown()


def test_without_a_display_the_app_says_so_in_one_line():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    run = subprocess.run([sys.executable, "-m", "nnvis"], env=env, timeout=60,
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("error: no display")
    assert "nnvis train" in run.stderr and "QT_QPA_PLATFORM=offscreen" in run.stderr
    assert "xcb" not in run.stderr


# ---------------------------------------------------------------------- a silent trainer
def test_a_stopped_trainer_is_noticed_and_restarted_from_the_autosave(qtbot, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(watchdog_mod, "SILENCE_SECONDS", 2.0)
    w = window(qtbot, engine="process", config=small_config())
    w.set_speed(None)
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        w.commands.toggle_play()
        qtbot.waitUntil(lambda: w.latest["step"] > 50, timeout=TIMEOUT)
        w.session.autosave()
        qtbot.waitUntil(lambda: w.session.autosave_file.exists(), timeout=TIMEOUT)
        [trainer] = [p for p in multiprocessing.active_children() if p.name == "nnvis-trainer"]

        os.kill(trainer.pid, signal.SIGSTOP)
        qtbot.waitUntil(lambda: w.banner.kind == "not_answering", timeout=TIMEOUT)
        assert "The trainer is not answering" in w.banner.text()
        assert w.status_line.labels["rate"].text() == "not answering"
        os.kill(trainer.pid, signal.SIGCONT)   # it was only held up: the alarm ends
        qtbot.waitUntil(lambda: w.banner.kind is None, timeout=TIMEOUT)

        os.kill(trainer.pid, signal.SIGSTOP)
        qtbot.waitUntil(lambda: w.banner.kind == "not_answering", timeout=TIMEOUT)
        assert w.banner.button.text().startswith("Restart from the last autosave (step")
        w.banner.button.click()
        qtbot.waitUntil(lambda: any(p.name == "nnvis-trainer" and p.pid != trainer.pid
                                    for p in multiprocessing.active_children()),
                        timeout=TIMEOUT)
        step = w.latest["step"]
        qtbot.waitUntil(lambda: w.latest["step"] > step + 20, timeout=TIMEOUT)   # trains on
        assert w.banner.kind is None
    finally:
        w.shutdown()


def test_a_paused_trainer_is_never_called_silent(qapp):
    clock = [0.0]
    dog = watchdog_mod.TrainerWatchdog(clock=lambda: clock[0])
    alarms = []
    dog.silent.connect(alarms.append)
    for _ in range(30):   # paused: a minute without a word
        clock[0] += 2
        dog.check()
    assert alarms == []
    dog.expect(True)
    for _ in range(4):
        clock[0] += 1
        dog.check()
    assert alarms == []
    clock[0] += 1
    dog.check()
    assert alarms == [5]


# ---------------------------------------------------------------------- 3 s at full speed
@pytest.mark.parametrize("save_seconds", [0.05, 0.4])
def test_at_full_speed_a_crash_loses_at_most_3_seconds_with_the_save_s_own_time(
        qapp, save_seconds):
    """Snapshots 15 times a second while training runs at full speed; each save takes its
    time (±20 %) before it is on disk. At every moment, a crash would lose the training
    since the state that the newest finished save captured: never more than 3 s."""
    rng = random.Random(7)
    now = [0.0]
    step = [0]
    in_flight = []   # (finishes at, captured at, step captured)
    on_disk = {"captured": None, "step": None}
    saver = autosave_mod.Autosaver(
        "a.nnvis", lambda *command: in_flight.append(
            (now[0] + save_seconds * rng.uniform(0.8, 1.2), now[0], step[0])),
        clock=lambda: now[0], read_step=lambda path: on_disk["step"])
    worst = 0.0
    while now[0] < 600:
        now[0] += 1 / 15
        step[0] += 200
        while in_flight and in_flight[0][0] <= now[0]:
            _, on_disk["captured"], on_disk["step"] = in_flight.pop(0)
            assert saver.on_saved("a.nnvis")
        if on_disk["captured"] is not None:
            worst = max(worst, now[0] - on_disk["captured"])
        saver.on_snapshot({"step": step[0]})
    assert worst <= autosave_mod.AUTOSAVE_MIN_GAP_SECONDS
    assert worst > autosave_mod.AUTOSAVE_MIN_GAP_SECONDS - 1   # and not by saving all the time


def test_a_network_whose_save_takes_seconds_is_saved_at_most_a_quarter_of_the_time(qapp):
    now = [0.0]
    asked = []
    saver = autosave_mod.Autosaver("a.nnvis", lambda *c: asked.append(now[0]),
                                   clock=lambda: now[0], read_step=lambda path: 1)
    step = 0
    while now[0] < 120:
        now[0] += 0.1
        step += 10
        if asked and now[0] >= asked[-1] + 2.0 and saver.requests > saver.confirmations:
            saver.on_saved("a.nnvis")   # each save takes 2 s
        saver.on_snapshot({"step": step})
    busy = 2.0 * len(asked) / now[0]
    assert 0.15 < busy <= 0.25 + 0.02


def test_a_save_confirmed_before_a_new_experiment_reaches_the_window_before_it(qtbot):
    """The worker keeps only the newest waiting snapshot, but never merges one across a
    message: the old experiment's "saved" must not overtake the new one's first snapshot."""
    import threading

    from PySide6.QtCore import QObject, Qt, Slot

    from nnvis.app.worker import TrainingWorker

    worker = TrainingWorker("thread", None)   # not started: its deliver runs in our thread

    class Window(QObject):
        def __init__(self):
            super().__init__()
            self.got = []

        @Slot()
        def on_snapshot_ready(self):
            snap = worker.take_snapshot()
            if snap is not None:
                self.got.append(("snapshot", snap["step"]))

        @Slot(str, object)
        def on_message(self, kind, payload):
            self.got.append((kind, payload))

    window = Window()
    worker.snapshot_ready.connect(window.on_snapshot_ready, Qt.QueuedConnection)
    worker.message.connect(window.on_message, Qt.QueuedConnection)
    sent = [("snapshot", {"step": 500}), ("snapshot", {"step": 600}), ("saved", "a.nnvis"),
            ("snapshot", {"step": 0, "fresh": True}), ("snapshot", {"step": 3})]
    trainer = threading.Thread(target=lambda: [worker.deliver(*m) for m in sent])
    trainer.start()
    trainer.join()
    qtbot.waitUntil(lambda: len(window.got) == 3, timeout=TIMEOUT)
    qtbot.wait(50)
    assert window.got == [("snapshot", 600), ("saved", "a.nnvis"), ("snapshot", 3)]


# ---------------------------------------------------------------------- from the review
def test_a_refused_restore_does_not_take_the_next_opened_file_for_a_restore(
        tmp_path, qtbot, monkeypatch):
    """The autosave's manifest reads but its weights do not: the trainer refuses it. The
    file opened next must still become what Ctrl+S writes to."""
    t = Trainer(Config.from_dict(small_config()))
    t.step(4)
    orphan = leave_orphan(t)
    rewrite_entries(orphan, lambda name, data: b"not an array" if name.endswith(".npy")
                    else data)
    Questions(monkeypatch, QMessageBox.Yes)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    opened = experiment(tmp_path, 17)
    w = window(qtbot, offer_recovery=True)
    try:
        qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)   # refused
        open_step_and_save(qtbot, w, opened, 17)
    finally:
        w.shutdown()
    assert load_experiment(opened).step_count == 18


def test_closed_by_the_system_while_watching_a_recording_keeps_nothing_stale(
        tmp_path, qtbot):
    from recordings import write_numpy_recording

    recording = tmp_path / "run.nnvisrec"
    write_numpy_recording(recording, small_config(), snapshots=3)
    w = window(qtbot, config=small_config())
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    w.commands.step_once()
    qtbot.waitUntil(lambda: w.session.autosave_file.exists(), timeout=TIMEOUT)
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.watch_mode.active and w.latest.get("step") == 30,
                    timeout=TIMEOUT)
    assert not w.session.recover_menu.isEnabled()
    t0 = time.monotonic()
    w.session.close_by_signal()
    assert time.monotonic() - t0 < 3   # no save of a trainer that is not there to wait for
    assert not any(default_folder().glob("*.nnvis"))   # nothing offered next time


def test_the_watchdog_gives_a_save_its_time(qapp):
    clock = [0.0]
    dog = watchdog_mod.TrainerWatchdog(clock=lambda: clock[0])
    alarms = []
    dog.silent.connect(alarms.append)
    dog.expect(True)
    dog.allow(8.0)   # a save that may take 8 s
    for _ in range(12):
        clock[0] += 1
        dog.check()
    assert alarms == []
    clock[0] += 1
    dog.check()
    assert alarms == [13]


def test_a_save_that_will_never_be_answered_holds_nothing_up(qapp):
    now = [0.0]
    sent = []
    saver = autosave_mod.Autosaver("a.nnvis", sent.append, clock=lambda: now[0])
    saver.on_snapshot({"step": 10})
    assert len(sent) == 1
    saver.abandon()   # the trainer died with it in flight
    assert saver.confirmations + saver.failures == saver.requests   # a close waits for none
    now[0] += autosave_mod.AUTOSAVE_SECONDS
    saver.on_snapshot({"step": 20})
    assert len(sent) == 2   # the next save was asked for at once, not 20 s later


def test_a_lesson_start_asks_nothing_about_what_the_system_closed(qtbot, monkeypatch):
    """Reopened quietly on a plain start; on a start with a lesson of its own it waits in
    File ▸ Recover — it was no crash, so no "did not close cleanly" question."""
    t = Trainer(Config.from_dict(small_config()))
    t.step(6)
    orphan = leave_orphan(t, closed_by_system=True)
    questions = Questions(monkeypatch, QMessageBox.Yes)
    w = window(qtbot, config=small_config(), offer_recovery=True)   # as --preset starts
    try:
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        qtbot.wait(500)
        assert questions.asked == []
        assert any(e.startswith("Step 6,") for e in recover_entries(w))
        assert "File ▸ Recover" in w.statusBar().currentMessage()
    finally:
        w.shutdown()
    assert orphan.exists()
