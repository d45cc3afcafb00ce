"""The autosave of the running experiment: when to save it, and which step the file holds.

A save is a command to the trainer (it owns the weights), so the file's content is only
known once the trainer confirms it; the step is then read back from the file itself. Any new
experiment (reset, rebuild, lesson, load) makes the file stale until the next save. The
trainer answers in order: a confirmation that arrives before a new experiment's first
("fresh") snapshot was the old experiment's, one that arrives after it the new one's.

What a crash loses is the time from the state the newest *finished* save captured to the
crash. The state is captured when a save is asked for and on disk once it is confirmed, so
just before save k finishes, a crash loses (ask k − ask k−1) + (the save's own time). The
next save is therefore asked for that much earlier than the bound: the bound minus the
longest of the last saves' own times, minus a margin for snapshots' spacing (the moments
at which a save can be asked for) and jitter.
"""
from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from nnvis.core.commands import Save
from nnvis.core.persistence import ExperimentFileError, saved_step

#: A crash loses at most this many seconds of training ...
AUTOSAVE_SECONDS = 30
#: ... and at most this many steps: whichever bound is reached first triggers a save.
AUTOSAVE_STEPS = 2_000
#: At full speed a small network runs 2,000 steps in a tenth of a second: without a gap
#: between saves the trainer would spend its time writing files. Then a crash loses at
#: most this many seconds of training instead (the save's own time included).
AUTOSAVE_MIN_GAP_SECONDS = 3
#: Snapshots come ≥ 10 times a second while training: a save is asked for at most this
#: long after it is due; and a save may take this much longer than the longest before it.
MARGIN_SECONDS = 0.25
#: Never closer together than this, however long saves take (then the bound is missed).
FLOOR_SECONDS = 0.5
#: The gap between saves is at least this many times the longest save: at most a quarter of
#: the trainer's time goes to saving.
SAVE_SHARE = 4
#: A save not confirmed by then has failed (its error was reported): the next may start.
PENDING_SECONDS = 20
#: The save times remembered: the longest of them sets how early the next is asked for.
DURATIONS_KEPT = 8


class Autosaver(QObject):
    """Decides from the snapshots when to send ``("save", path)`` and tracks the result.
    ``path`` None: recovery is off, nothing is ever saved."""

    #: The trainer wrote the autosave (``saved_step`` says whether it holds the running
    #: experiment).
    confirmed = Signal()
    #: The trainer could not write the autosave (the last good one is intact).
    failed = Signal()
    #: A save was asked for; the trainer may be silent this many seconds while it writes.
    requested = Signal(float)

    def __init__(self, path, send, parent=None, clock=time.monotonic, read_step=saved_step):
        super().__init__(parent)
        self._read_step = read_step
        self._path = Path(path) if path is not None else None
        self._send = send
        self._clock = clock
        #: The step of the *running* experiment that the file holds (None: it holds none).
        self._saved_step: int | None = None
        self._last_step = 0
        self._pending = False   # a save is in flight
        self._requested_at = -float("inf")
        self._durations: deque[float] = deque([MARGIN_SECONDS], maxlen=DURATIONS_KEPT)
        self._requests = self._confirmations = self._failures = 0   # no save in flight:
        # requests == confirmations + failures

    # Read-models: the file, and what it holds, for the window and the session.
    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def saved_step(self) -> int | None:
        return self._saved_step

    @property
    def last_step(self) -> int:
        """The step of the last snapshot."""
        return self._last_step

    @property
    def requests(self) -> int:
        return self._requests

    @property
    def confirmations(self) -> int:
        return self._confirmations

    @property
    def failures(self) -> int:
        return self._failures

    @property
    def last_answer_ok(self) -> bool:
        """Whether the trainer's latest answer was a confirmation (saves are answered in
        order: once all are answered, this is the answer to the newest)."""
        return self._last_answer_ok

    _last_answer_ok = False

    @property
    def enabled(self) -> bool:
        """Saving now: recovery is on and the window shows nnvis's own trainer."""
        return self._path is not None and not self._suspended

    _suspended = False

    def suspend(self, suspended: bool):
        """While a watched script is shown there is no trainer to save (and nothing the
        file holds is on screen)."""
        self._suspended = suspended
        if suspended:
            self.abandon()
            self.forget()

    def abandon(self):
        """The trainer is gone (it died, or is being replaced): a save in flight will never
        be answered, and must hold up neither the next save nor a close."""
        self._pending = False
        self._requests = self._confirmations + self._failures

    def forget(self):
        """The running experiment is a new one: the file no longer holds it."""
        self._saved_step = None

    def on_snapshot(self, snap: dict):
        if snap.get("fresh"):
            self.forget()
        self._last_step = int(snap["step"])
        if self.due(self._last_step, bool(snap.get("divergence"))):
            self.save_now()

    def gap(self, bound: float) -> float:
        """Seconds from one ask to the next so that a crash loses at most ``bound`` — but
        saving may take at most 1/SAVE_SHARE of the time: a network so large that its save
        takes half a second or more is saved less often, and a crash then loses more."""
        longest = max(self._durations)
        return max(FLOOR_SECONDS, bound - longest - MARGIN_SECONDS, SAVE_SHARE * longest)

    def due(self, step: int, diverged: bool = False) -> bool:
        if not self.enabled:
            return False
        since = self._clock() - self._requested_at
        if self._pending and since < PENDING_SECONDS:
            return False
        # Step 0 is what a restart with fresh weights gives anyway.
        if (diverged or step == 0 or step == self._saved_step
                or since < self.gap(AUTOSAVE_MIN_GAP_SECONDS)):
            return False
        return (self._saved_step is None or abs(step - self._saved_step) >= AUTOSAVE_STEPS
                or since >= self.gap(AUTOSAVE_SECONDS))

    def save_now(self):
        if not self.enabled:
            return
        self._pending = True
        self._requested_at = self._clock()
        self._requests += 1
        self._send(Save(str(self._path)))
        self.requested.emit(2 * max(self._durations))

    def on_saved(self, path) -> bool:
        """The trainer's "saved" message; True if it was the autosave."""
        if not self.enabled or str(path) != str(self._path):
            return False
        self._pending = False
        self._confirmations += 1
        self._last_answer_ok = True
        self._durations.append(self._clock() - self._requested_at)
        try:
            self._saved_step = self._read_step(self._path)
        except ExperimentFileError:
            self._saved_step = None
        self.confirmed.emit()
        return True

    def on_failed(self, path) -> bool:
        """The trainer could not write ``path``; True if it was the autosave (the file
        that was there is intact, and the next save may start)."""
        if not self.enabled or str(path) != str(self._path):
            return False
        self._pending = False
        self._failures += 1
        self._last_answer_ok = False
        self.failed.emit()
        return True

    def lost_steps(self) -> int | None:
        """Steps a restart from the autosave would lose (None: there is no autosave)."""
        return None if self._saved_step is None else max(0, self._last_step - self._saved_step)
