"""The worker thread that owns the training session.

PySide6 holds the GIL while Qt paints, so NumPy stepping inside a QThread keeps only ~25%
of its headless speed under a 30 Hz dashboard. By default the worker therefore relays to a
trainer *process* through a pipe; with ``engine="thread"`` it runs the very same
:class:`~nnvis.core.session.Session` loop itself. Either way the GUI sees one protocol.

Snapshots never queue up: the worker keeps only the newest one and signals when a new one is
waiting, so a slow frame drops stale snapshots instead of lagging behind. Snapshots and
messages still arrive in the order they were sent: a snapshot is never merged with one
sent before a message (a save's confirmation must not overtake the next experiment's first
snapshot, or the autosave would be taken for the new experiment).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import weakref
from collections import deque

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from nnvis.core.commands import Restart, Shutdown
from nnvis.core.session import Session, process_main

_LIVE_THREADS: "weakref.WeakSet[QThread]" = weakref.WeakSet()
BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def live_threads():
    """Worker QThreads that exist (the test suite fails a test that leaves one running)."""
    return list(_LIVE_THREADS)


class QueueWorker(QObject):
    """The thread-safe side of a worker (parentless, moved to a QThread): commands come in
    through :meth:`send`, :meth:`stop` sets a flag, the newest snapshot waits in
    :meth:`take_snapshot`. Subclasses implement :meth:`work`; a failure in it reaches the
    user as a ``failure_kind`` message (``failure_text`` says what failed)."""

    failure_kind = "error"
    failure_text = "training engine failed"

    message = Signal(str, object)     # kind, payload (everything but snapshots)
    snapshot_ready = Signal()         # a new snapshot waits in take_snapshot()
    finished = Signal()

    def __init__(self):
        super().__init__()
        self._commands: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        #: Snapshots waiting for the GUI: [snapshot, sealed]; a message sent after a slot's
        #: snapshot seals it, and later snapshots wait in a new slot behind it.
        self._waiting: deque[list] = deque()

    # -- called from the GUI thread --------------------------------------------------
    def send(self, command):
        """Queue one :mod:`nnvis.core.commands` object."""
        self._commands.put(command)

    def stop(self):
        self._stop.set()

    def take_snapshot(self):
        with self._lock:
            if not self._waiting:
                return None
            snap = self._waiting.popleft()[0]
            more = bool(self._waiting)
        if more:   # queued behind the messages that were sent before it
            self.snapshot_ready.emit()
        return snap

    def _offer_snapshot(self, snap, merge=None):
        """Worker thread: make ``snap`` the one the GUI takes next after what it has been
        sent already (``merge(dropped, snap)`` keeps what a dropped snapshot carried)."""
        with self._lock:
            if self._waiting and not self._waiting[-1][1]:
                slot = self._waiting[-1]
                slot[0] = merge(slot[0], snap) if merge else snap
                return
            self._waiting.append([snap, False])
            first = len(self._waiting) == 1
        if first:
            self.snapshot_ready.emit()

    def _send_message(self, kind, payload):
        """Worker thread: a message, after every snapshot offered before it."""
        with self._lock:
            if self._waiting:
                self._waiting[-1][1] = True
        self.message.emit(kind, payload)

    # -- worker thread ---------------------------------------------------------------
    @Slot()
    def run(self):
        try:
            self.work()
        except Exception as exc:  # a worker failure must reach the user
            self._send_message(self.failure_kind, f"{self.failure_text}: "
                                               f"{type(exc).__name__}: {exc}")
        finally:
            self.finish()
            self.finished.emit()

    def work(self):
        raise NotImplementedError

    def finish(self):
        """Clean up in the worker thread, whatever happened."""

    def _poll_queue(self, timeout):
        try:
            return self._commands.get(timeout=timeout) if timeout > 0 else \
                self._commands.get_nowait()
        except queue.Empty:
            return None


def _keep_first_of_trainer(dropped: dict, snap: dict) -> dict:
    """The dropped snapshot was the first of a new trainer: keep what only it carried (the
    data points, the "fresh" mark) so no panel misses it."""
    if not dropped.get("fresh"):
        return snap
    snap = dict(snap, fresh=True)
    if "points" in dropped and "points" not in snap:
        snap["points"] = dropped["points"]
    return snap


class TrainingWorker(QueueWorker):
    """Runs a training session (in this thread or a child process). Thread-safe API:
    :meth:`send`, :meth:`stop`."""

    def __init__(self, engine: str, config: dict | None):
        super().__init__()
        if engine not in ("thread", "process"):
            raise ValueError(f"unknown engine {engine!r}")
        self.engine = engine
        self.config = config
        self.process = None

    # -- worker thread ---------------------------------------------------------------
    def deliver(self, kind, payload):
        """Worker thread: what the session says reaches the GUI: snapshots through the
        newest-only mailbox, every other message in order after them."""
        if kind == "snapshot":
            self._offer_snapshot(payload, _keep_first_of_trainer)
        else:
            self._send_message(kind, payload)

    def work(self):
        if self.engine == "thread":
            self._run_thread()
        else:
            self._run_process()

    def _run_thread(self):
        try:
            session = Session(self.deliver, self.config)
        except Exception as exc:
            self._send_message("error", str(exc))
            session = Session(self.deliver, None)
        session.run(self._poll_queue, self._stop.is_set)

    def _start_process(self):
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        # One BLAS thread for the trainer leaves the other core to the GUI; the child reads
        # these when it imports NumPy, so set them only around the spawn.
        saved = {k: os.environ.get(k) for k in BLAS_ENV}
        os.environ.update({k: "1" for k in BLAS_ENV})
        try:
            proc = ctx.Process(target=process_main, args=(child, self.config), daemon=True,
                               name="nnvis-trainer")
            proc.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        child.close()
        return proc, parent

    def _run_process(self):
        proc, conn = self._start_process()
        self.process = proc
        try:
            while not self._stop.is_set():
                cmd = self._poll_queue(0)
                while cmd is not None:
                    if isinstance(cmd, Restart):
                        self._shutdown_process(proc, conn)
                        proc, conn = self._start_process()
                        self.process = proc
                    else:
                        conn.send(cmd)
                    cmd = self._poll_queue(0)
                try:
                    if conn.poll(0.01):
                        kind, payload = conn.recv()
                        self.deliver(kind, payload)
                        continue
                except (EOFError, OSError):
                    pass
                if not proc.is_alive():
                    self._send_message("process_died", proc.exitcode)
                    # Wait for the user to restart (a Restart command) or close.
                    while not self._stop.is_set():
                        cmd = self._poll_queue(0.05)
                        if isinstance(cmd, Restart):
                            proc, conn = self._start_process()
                            self.process = proc
                            break
        finally:
            self._shutdown_process(proc, conn)

    @staticmethod
    def _shutdown_process(proc, conn):
        try:
            if proc.is_alive():
                conn.send(Shutdown())
        except (OSError, BrokenPipeError, ValueError):
            pass
        proc.join(timeout=3)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()
            proc.join()
        conn.close()


class EngineHandle(QObject):
    """Owns one worker + QThread pair: start, send commands, shut down cleanly."""

    message = Signal(str, object)
    snapshot = Signal(object)

    def __init__(self, engine: str, config: dict | None, parent=None):
        super().__init__(parent)
        self.engine = engine
        self._start_worker(TrainingWorker(engine, config), f"nnvis-worker-{engine}")

    def _start_worker(self, worker, name: str):
        """Run ``worker`` (signals message/snapshot_ready/finished; send/stop/take_snapshot)
        on a new QThread: other snapshot sources reuse this handle with their own worker."""
        self.thread = QThread()
        self.thread.setObjectName(name)
        _LIVE_THREADS.add(self.thread)
        self.worker = worker
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self.thread.quit)
        self.worker.message.connect(self.message)
        # Queued even when take_snapshot emits it from this thread: the next snapshot then
        # comes after the messages already waiting.
        self.worker.snapshot_ready.connect(self._on_snapshot_ready, Qt.QueuedConnection)
        self.thread.start()

    def send(self, command):
        self.worker.send(command)

    @Slot()
    def _on_snapshot_ready(self):
        snap = self.worker.take_snapshot()
        if snap is not None:
            self.snapshot.emit(snap)

    def shutdown(self, timeout_ms: int = 8000):
        """Stop the session, quit the thread and wait for it (and any child process)."""
        if not self.thread.isRunning():
            return
        self.worker.send(Shutdown())
        self.worker.stop()
        self.thread.quit()
        if not self.thread.wait(timeout_ms):
            self.thread.terminate()
            self.thread.wait()
