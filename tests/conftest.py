"""Shared test set-up: Qt runs offscreen; no test may leave a QThread or child process;
real main windows for the app and watch tests (``make_window``). Plain helpers live in
``helpers.py`` (Qt-free) and in each folder's own helper modules."""
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

from helpers import small_config  # noqa: E402


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
