"""Where a watcher's messages go: a recording file or a listening nnvis app.

Both take ``send(kind, payload)``, ``poll()`` once per training step and ``close()``. The
socket sink also carries the app's Pause back to the script: ``poll`` blocks while the app
says "pause". A training run must never die or hang because of its viewer, so a socket
that fails, or an app that stays silent for PAUSE_TIMEOUT_SECONDS while paused (it sends a
heartbeat every second), is dropped with one warning and training goes on unwatched; so is
a recording that cannot be written (a full disk).
"""
from __future__ import annotations

import atexit
import queue
import select
import sys
import threading
import time
import warnings

from nnvis.protocol import link
from nnvis.protocol.recording import RecordingWriter
from nnvis.protocol.wire import WireError, read_message


class FileSink:
    """A recording written by a background thread: ``send`` queues the message and
    returns, the thread encodes and writes it (0.3–0.4 ms a snapshot of case (c) that the
    training thread no longer spends). At most QUEUE_MESSAGES wait; beyond that ``send``
    waits for the writer, so memory stays bounded. ``close`` writes everything queued; so
    does the interpreter's exit for a script that never closes its watcher (or dies of an
    exception), and each message is one ``write`` and a flush, so a killed script leaves
    at most its last message cut short."""

    QUEUE_MESSAGES = 8

    def __init__(self, path):
        self.writer = RecordingWriter(path)   # a bad path raises here, in attach
        self._queue: queue.Queue = queue.Queue(self.QUEUE_MESSAGES)
        self._failed: BaseException | None = None
        self._warned = False
        self.write_seconds: list[float] = []   # the writer thread's CPU time per message
        self._thread = threading.Thread(target=self._write_all, daemon=True,
                                        name=f"nnvis recording {self.writer.path.name}")
        self._thread.start()
        atexit.register(self.close)

    def _write_all(self):
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self._failed is None:
                    t0 = time.thread_time()
                    self.writer.write(*item)
                    self.write_seconds.append(time.thread_time() - t0)
            except BaseException as exc:   # told in the training thread, by send/close
                self._failed = exc
            finally:
                self._queue.task_done()

    def send(self, kind: str, payload=None):
        if self._failed is not None:
            self._warn()
        elif self._thread.is_alive():
            self._queue.put((kind, payload))

    def poll(self):
        pass

    def flush(self):
        """Wait until everything sent so far is written."""
        if self._thread.is_alive():
            self._queue.join()

    def close(self):
        atexit.unregister(self.close)
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self.writer.close()
        if self._failed is not None:
            self._warn()

    def _warn(self):
        if not self._warned:
            self._warned = True
            warnings.warn(f"nnvis: writing the recording {self.writer.path} failed "
                          f"({self._failed}); training goes on unrecorded", RuntimeWarning,
                          stacklevel=4)


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

    def flush(self):
        pass

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
