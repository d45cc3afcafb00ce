"""Notices a trainer that stopped answering while it trains.

The trainer says something (a snapshot, a message, at least a heartbeat every second) all
the time it trains. A trainer process that was stopped (``kill -STOP``, a debugger), hangs,
or spends many seconds in one step says nothing: after SILENCE_SECONDS of that the window
says so and offers a restart from the autosave, and when it speaks again the alarm ends.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

SILENCE_SECONDS = 5.0
CHECK_MS = 1000


class TrainerWatchdog(QObject):
    """``heard()`` on every word from the trainer; ``expect(True)`` while it should train."""

    #: Seconds without a word while training (once per silence).
    silent = Signal(int)
    #: It spoke again after ``silent``.
    answering = Signal()

    def __init__(self, parent=None, clock=time.monotonic):
        super().__init__(parent)
        self._clock = clock
        self._expecting = False
        self.is_silent = False
        self._last_word = self._last_check = clock()
        self._grace_until = -float("inf")
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def heard(self):
        self._last_word = self._clock()
        if self.is_silent:
            self.is_silent = False
            self.answering.emit()

    def allow(self, seconds: float):
        """The trainer may be silent ``seconds`` longer than usual from now (it was asked to
        write a save, which it does between two steps)."""
        self._grace_until = max(self._grace_until, self._clock() + seconds)

    def stop(self):
        self.timer.stop()

    def expect(self, training: bool):
        """Training (True) or paused, stopped, watching a script (False)."""
        if training and not self._expecting:
            self._last_word = self._clock()   # the silence counts from now
        self._expecting = training
        if not training and self.is_silent:
            self.is_silent = False
            self.answering.emit()

    def check(self):
        now = self._clock()
        if now - self._last_check > 2 * CHECK_MS / 1000:
            # This thread was busy itself (a modal loop, a long paint): what the trainer
            # said meanwhile may still wait in the queue. Count from now.
            self._last_word = now
        self._last_check = now
        silence = now - self._last_word
        if (self._expecting and not self.is_silent and silence >= SILENCE_SECONDS
                and now - self._grace_until >= SILENCE_SECONDS):
            self.is_silent = True
            self.silent.emit(int(round(silence)))
