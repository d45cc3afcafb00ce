"""What the engine says about the run, said once where the user looks: its notes (the task a
CSV was read as and why, a loss switched to fit it, a batch larger than the data) in the
status bar, and an early stop in the banner and the status bar."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from . import engine_text
from .banner import Banner

NOTE_MS = 10_000


class RunNotes(QObject):
    status = Signal(str, int)   # for the status bar: text, milliseconds

    def __init__(self, banner: Banner, parent=None):
        super().__init__(parent)
        self._banner = banner
        self._shown: list[str] = []      # the notes last said (said again only if they change)
        self._stop_shown: dict | None = None   # the early stop the banner says

    def on_snapshot(self, snap: dict, switched: str | None = None):
        """``switched``: what the app itself changed to fit the data (the loss), said with
        the engine's notes."""
        notes = ([switched] if switched else []) + engine_text.notes(snap)
        if notes != self._shown:
            self._shown = notes
            if notes:
                self.status.emit(" · ".join(notes), NOTE_MS)
        stop = snap.get("early_stop")
        if stop and stop != self._stop_shown:
            self._stop_shown = dict(stop)
            self._banner.show_early_stop(stop)
            self.status.emit(engine_text.note("stopped_early", stop.get("params") or stop),
                             NOTE_MS)
        elif not stop and self._stop_shown is not None:
            self._stop_shown = None
            if self._banner.kind == "early_stop":   # training went on, or a new network
                self._banner.clear()
