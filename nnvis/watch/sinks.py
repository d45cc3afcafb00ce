"""Where a watcher's messages go: a recording file or a listening nnvis app.

Both take ``send(kind, payload)``, ``poll()`` once per training step and ``close()``. The
socket sink also carries the app's Pause back to the script: ``poll`` blocks while the app
says "pause". A training run must never die or hang because of its viewer, so a socket
that fails, or an app that stays silent for PAUSE_TIMEOUT_SECONDS while paused (it sends a
heartbeat every second), is dropped with one warning and training goes on unwatched.
"""
from __future__ import annotations

import select
import sys
import warnings

from nnvis.core import link
from nnvis.core.recording import RecordingWriter
from nnvis.core.wire import WireError, read_message


class FileSink:
    def __init__(self, path):
        self.writer = RecordingWriter(path)

    def send(self, kind: str, payload=None):
        self.writer.write(kind, payload)

    def poll(self):
        pass

    def close(self):
        self.writer.close()


class SocketSink:
    def __init__(self, address: str, token: str):
        self.address = address
        self.sock = link.connect(address, token)
        self.paused = False
        self._read = link.reader(self.sock)

    def send(self, kind: str, payload=None):
        if self.sock is None:
            return
        try:
            link.send(self.sock, kind, payload)
        except OSError as exc:
            self._lose(f"sending failed ({exc})")

    def poll(self):
        """Take the app's pause/play; while paused, wait here (heartbeats keep us waiting)."""
        while self.sock is not None:
            wait = link.PAUSE_TIMEOUT_SECONDS if self.paused else 0.0
            ready, _, _ = select.select([self.sock], [], [], wait)
            if not ready:
                if self.paused:
                    self._lose(f"no word from it for {link.PAUSE_TIMEOUT_SECONDS:.0f} s while "
                               f"paused")
                return
            try:
                msg = read_message(self._read)
            except (OSError, WireError) as exc:
                self._lose(str(exc))
                return
            if msg is None:
                self._lose("it closed the connection")
                return
            if msg[0] == "pause" and not self.paused:
                self.paused = True
                print("nnvis: paused from the app; press Play there to go on", file=sys.stderr,
                      flush=True)
            elif msg[0] == "play":
                self.paused = False

    def _lose(self, why: str):
        warnings.warn(f"nnvis: lost the app at {self.address}: {why}; training goes on "
                      f"unwatched", RuntimeWarning, stacklevel=4)
        self.close()

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None
                self.paused = False
