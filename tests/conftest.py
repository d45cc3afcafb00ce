"""Shared test set-up: Qt runs offscreen; no test may leave a QThread or child process."""
import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NNVIS_SETTINGS_SCOPE", "nnvis-tests")  # never touch the user's settings
# Settings and autosaves in a folder of this run's own: two test runs at once (two checkouts
# on one machine) must not see each other's "did not close cleanly" marks or autosaves.
_HOME = tempfile.mkdtemp(prefix="nnvis-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)

import multiprocessing  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_dangling_threads_or_processes(request):
    """Fail any test that leaves a QThread running or a trainer process alive."""
    yield
    if "qtbot" in request.fixturenames or "qapp" in request.fixturenames:
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            running = [t for t in app.findChildren(QThread) if t.isRunning()]
            from nnvis.app import worker as worker_mod
            running += [t for t in worker_mod.live_threads() if t.isRunning()]
            assert not running, f"test left {len(running)} QThread(s) running"
            # Collect this test's Qt objects now, while no worker thread runs: a collection
            # that happened to run during a later test, beside that test's trainer thread,
            # once aborted the whole run.
            import gc
            gc.collect()
    children = [p for p in multiprocessing.active_children() if p.is_alive()]
    assert not children, f"test left trainer process(es) alive: {children}"


def small_config(**overrides):
    """A tiny, fast config for tests (merged over the defaults)."""
    cfg = {"seed": 1, "data": {"name": "xor", "n_samples": 120},
           "model": {"hidden": [6, 6], "activation": "tanh"},
           "optim": {"name": "adam", "lr": 0.02, "batch_size": 16}}
    for path, value in overrides.items():
        node = cfg
        parts = path.split("__")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return cfg


def show(qtbot, panel, size=(700, 450)):
    """Register a panel with qtbot at a realistic dock size."""
    qtbot.addWidget(panel)
    panel.resize(*size)
    return panel


def show_on_screen(qtbot, panel, size):
    """Register a panel and show it at a dock's size: layouts follow the real width."""
    show(qtbot, panel, size)
    panel.show()
    return panel


def settle(panel):
    """Let pending layout events run, then draw the panel's snapshot again."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    panel.render(force=True)
    QApplication.processEvents()


def snapshot_after(trainer, steps=0):
    """A snapshot (without the decision grid) after ``steps`` more training steps."""
    from nnvis.core import take_snapshot

    if steps:
        trainer.step(steps)
    return take_snapshot(trainer, grid=False)


def draw(panel, snapshot):
    """Hand a panel a snapshot and draw it now, as the window's frame timer would."""
    panel.set_snapshot(snapshot)
    panel.render(force=True)


def unchecked(cls, **fields):
    """A command as a pipe may deliver it: unpickling skips ``__init__``, so its fields were
    never checked (and a hand-made pickle may lack some)."""
    cmd = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(cmd, name, value)
    return cmd


class Recorder:
    """Collects a Session's (kind, payload) messages, as a host would receive them."""

    def __init__(self):
        self.messages = []

    def __call__(self, kind, payload):
        self.messages.append((kind, payload))

    def kinds(self):
        return [k for k, _ in self.messages]

    def last(self, kind):
        return [p for k, p in self.messages if k == kind][-1]


@pytest.fixture
def make_window(qtbot):
    """Build real main windows (offscreen) that record every snapshot and message; all are
    shut down after the test."""
    from nnvis.app.main_window import MainWindow
    from nnvis.app.theme import configure_pyqtgraph

    configure_pyqtgraph()
    windows = []

    def make(engine="thread", **overrides):
        w = MainWindow(engine=engine, config=small_config(**overrides), restore_layout=False)
        w.set_speed(None)   # tests wait for steps: no watching speed here
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        w.seen, w.messages = [], []
        w.snapshot_received.connect(w.seen.append)
        w.message_received.connect(lambda k, p: w.messages.append((k, p)))
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.shutdown()


def leave_orphan(trainer, closed_by_system=False, name="20260101-000000-1-abcdef"):
    """What an app that is gone leaves in the autosave folder: its experiment and how it
    ended (no live lock). Returns the experiment's path."""
    import json

    from nnvis.app.recovery import default_folder
    from nnvis.core.persistence import save_experiment

    folder = default_folder()
    folder.mkdir(parents=True, exist_ok=True)
    save_experiment(folder / f"{name}.nnvis", trainer)
    state = "closed_by_system" if closed_by_system else "running"
    (folder / f"{name}.json").write_text(json.dumps({"state": state}))
    return folder / f"{name}.nnvis"


class Questions:
    """Stands in for the recovery question: records each text asked, answers ``answer``
    (a QMessageBox.StandardButton)."""

    def __init__(self, monkeypatch, answer):
        from PySide6.QtWidgets import QMessageBox

        self.asked = []
        questions = self

        def exec_(box):
            questions.asked.append(box.text())
            return answer

        monkeypatch.setattr(QMessageBox, "exec", exec_)
