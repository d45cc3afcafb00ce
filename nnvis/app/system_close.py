"""Closing the app cleanly when the system asks: SIGTERM (a logout, ``kill``), SIGHUP (the
terminal went away) and SIGINT (Ctrl+C in the terminal that started it).

Python runs a signal handler only when the interpreter gets control, and Qt's event loop
keeps it in C++ while idle: a timer hands control back every ``POLL_MS``. The handler only
notes the signal; the timer closes the window from the event loop, where closing is safe.
"""
from __future__ import annotations

import signal

from PySide6.QtCore import QObject, QTimer

POLL_MS = 200
SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                if hasattr(signal, name))


class CloseOnSignals(QObject):
    """Calls ``target()`` on the GUI thread after one of SIGNALS (once it is set)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.target = None
        self.received: int | None = None
        for sig in SIGNALS:
            signal.signal(sig, self._note)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _note(self, signum, _frame):
        self.received = signum

    def _check(self):
        if self.received is not None and self.target is not None:
            self.timer.stop()
            self.target()
