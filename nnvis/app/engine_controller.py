"""The trainer a window talks to, and whether it runs.

One object owns the :class:`~nnvis.app.worker.EngineHandle` (a trainer process or thread)
or the :class:`~nnvis.app.watch_source.WatchSource` that stands in for it, replaces it
(switching engines, watching a script), and keeps the :class:`~nnvis.app.watchdog.TrainerWatchdog`
told: every snapshot or message is a sign of life, and only a running trainer of nnvis's
own is expected to speak.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from .watchdog import TrainerWatchdog
from .worker import EngineHandle

# The engines that train here (a watched script answers when it likes).
TRAINERS = ("process", "thread")


class EngineController(QObject):
    snapshot = Signal(object)        # what the trainer reported, after the watchdog heard it
    message = Signal(str, object)
    running_changed = Signal(bool)
    silent = Signal(int)             # a running trainer said nothing for this many seconds
    answering = Signal()             # ... and then spoke again

    def __init__(self, parent=None):
        super().__init__(parent)
        self._handle: EngineHandle | None = None
        self._name: str | None = None
        self._running = False
        self._watchdog = TrainerWatchdog(self)
        self._watchdog.silent.connect(self.silent)
        self._watchdog.answering.connect(self.answering)

    @property
    def handle(self) -> EngineHandle | None:
        """The engine handle itself (its thread and worker), None once shut down."""
        return self._handle

    @property
    def name(self) -> str | None:
        """"process", "thread" or "watch"."""
        return self._name

    @property
    def running(self) -> bool:
        """As last asked of the trainer, or as it last reported."""
        return self._running

    def start(self, name: str, config: dict | None):
        """A new trainer (the one before, if any, is shut down first)."""
        self.stop()
        self._attach(EngineHandle(name, config, self), name)

    def watch(self, source: EngineHandle):
        """Draw what ``source`` (a WatchSource) sends instead of training."""
        self.stop()
        self._attach(source, "watch")

    def _attach(self, handle: EngineHandle, name: str):
        self._handle, self._name = handle, name
        handle.snapshot.connect(self._on_snapshot)
        handle.message.connect(self._on_message)

    def stop(self):
        if self._handle is not None:
            self._handle.shutdown()
            self._handle.deleteLater()
            self._handle = None

    def allow_silence(self, seconds: float):
        """The trainer was asked for something that keeps it busy up to ``seconds``."""
        self._watchdog.allow(seconds)

    def shutdown(self):
        """Shut the trainer down and wait for it (closing: nothing is deleted later)."""
        self._watchdog.stop()
        if self._handle is not None:
            self._handle.shutdown()
            self._handle = None

    def send(self, command):
        if self._handle is not None:
            self._handle.send(command)

    def set_running(self, running: bool):
        self._running = running
        self._watchdog.expect(running and self._name in TRAINERS)
        self.running_changed.emit(running)

    @Slot(object)
    def _on_snapshot(self, snap: dict):
        self._watchdog.heard()
        self.snapshot.emit(snap)

    @Slot(str, object)
    def _on_message(self, kind: str, payload):
        self._watchdog.heard()
        self.message.emit(kind, payload)
