"""The autosave of the running experiment: when to save it, and which step the file holds.

A save is a command to the trainer (it owns the weights), so the file's content is only
known once the trainer confirms it; the step is then read back from the file itself. Any new
experiment (reset, rebuild, lesson, load) makes the file stale until the next save.
"""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from nnvis.core.persistence import ExperimentFileError, saved_step

#: A crash loses at most this many seconds of training ...
AUTOSAVE_SECONDS = 30
#: ... and at most this many steps: whichever bound is reached first triggers a save.
AUTOSAVE_STEPS = 2_000
#: At full speed a small network runs 2,000 steps in a tenth of a second: without a gap
#: between saves the trainer would spend its time writing files. Then a crash loses at
#: most this many seconds of training instead.
AUTOSAVE_MIN_GAP_SECONDS = 3
#: A save not confirmed by then has failed (its error was reported): the next may start.
PENDING_SECONDS = 20


class Autosaver(QObject):
    """Decides from the snapshots when to send ``("save", path)`` and tracks the result."""

    #: The trainer wrote the autosave (``saved_step`` says whether it holds the running
    #: experiment).
    confirmed = Signal()

    def __init__(self, path, send, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        self._send = send
        #: The step of the *running* experiment that the file holds (None: it holds none).
        self.saved_step: int | None = None
        self.last_step = 0
        self._experiment = 0            # counts new experiments: a save belongs to one
        self._pending: int | None = None   # the experiment whose save is in flight
        self._requested_at = -float("inf")
        self.requests = self.confirmations = 0   # both equal: no save in flight

    def forget(self):
        """The running experiment is a new one: the file no longer holds it."""
        self._experiment += 1
        self.saved_step = None

    def on_snapshot(self, snap: dict):
        if snap.get("fresh"):
            self.forget()
        self.last_step = int(snap["step"])
        if self.due(self.last_step, bool(snap.get("divergence"))):
            self.save_now()

    def due(self, step: int, diverged: bool = False) -> bool:
        since = time.monotonic() - self._requested_at
        if self._pending is not None and since < PENDING_SECONDS:
            return False
        # Step 0 is what a restart with fresh weights gives anyway, and saving it would
        # overwrite the previous session's autosave before its recovery was offered.
        if diverged or step == 0 or step == self.saved_step or since < AUTOSAVE_MIN_GAP_SECONDS:
            return False
        return (self.saved_step is None or abs(step - self.saved_step) >= AUTOSAVE_STEPS
                or since >= AUTOSAVE_SECONDS)

    def save_now(self):
        self._pending = self._experiment
        self._requested_at = time.monotonic()
        self.requests += 1
        self._send("save", str(self.path))

    def on_saved(self, path) -> bool:
        """The trainer's "saved" message; True if it was the autosave."""
        if str(path) != str(self.path):
            return False
        pending, self._pending = self._pending, None
        self.confirmations += 1
        if pending == self._experiment:
            try:
                self.saved_step = saved_step(self.path)
            except ExperimentFileError:
                self.saved_step = None
        self.confirmed.emit()
        return True

    def lost_steps(self) -> int | None:
        """Steps a restart from the autosave would lose (None: there is no autosave)."""
        return None if self.saved_step is None else max(0, self.last_step - self.saved_step)

    def discard(self):
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        self.forget()
