"""A snapshot source for a watched PyTorch run: a recording replayed, or a live socket.

:class:`WatchSource` is an :class:`~nnvis.app.worker.EngineHandle` whose worker, instead of
training, reads a ``.nnvisrec`` recording or listens for a script that ``nnvis.watch``
connects; the main window draws its snapshots exactly as it draws the trainer's. Commands
it understands: "play", "pause", "step" (on to the next snapshot), "edge_mode" and
"shutdown"; the rest (a trainer's reset, speed...) do not apply and are ignored.

Messages besides snapshots: "watch_error" (one line: a refused file, connection or
message), "watching" ({"mode", "path" | "address", "token"}), "connected" (the run's info),
"disconnected" (why), "state" ({"running"}). Nothing here imports torch.
"""
from __future__ import annotations

import select
import socket
import time
from pathlib import Path

from PySide6.QtCore import QObject

from nnvis.core import link
from nnvis.core.recording import read_recording
from nnvis.core.watched import WatchedRun, with_edge_mode
from nnvis.core.wire import WireError, read_message

from .worker import EngineHandle, QueueWorker

REPLAY_SECONDS = 10.0        # a whole recording replays in about this long...
REPLAY_HZ = (2.0, 30.0)      # ...at 2 to 30 snapshots a second
POLL_SECONDS = 0.02          # commands are read at least this often


class WatchWorker(QueueWorker):
    """Replays a recording or serves a socket; runs on the handle's QThread."""

    def __init__(self, recording=None, server: socket.socket | None = None,
                 token: str | None = None):
        super().__init__()
        self.recording = recording
        self.server = server
        self.token = token
        self.edge_mode = "weights"
        self.running = True
        self._current = None     # the last snapshot shown (as received, all edge modes)

    # -- worker thread ---------------------------------------------------------------
    def _show(self, snap: dict):
        """Hand a snapshot to the GUI; only the newest waits if the GUI is behind."""
        self._current = snap
        out = dict(with_edge_mode(snap, self.edge_mode), running=self.running)
        with self._lock:
            fresh = self._latest is None
            self._latest = out
        if fresh:
            self.snapshot_ready.emit()

    def _set_running(self, running: bool):
        if running != self.running:
            self.running = running
            self.message.emit("state", {"running": running})
            if self._current is not None:   # panels draw a paused network differently
                self._show(self._current)

    def _common(self, cmd) -> bool:
        """Commands both modes treat alike; True if handled."""
        if cmd[0] == "edge_mode" and len(cmd) > 1:
            self.edge_mode = str(cmd[1])
            if self._current is not None:
                self._show(self._current)
            return True
        if cmd[0] == "shutdown":
            self._stop.set()
            return True
        return False

    failure_kind, failure_text = "watch_error", "watching failed"

    def work(self):
        if self.server is not None:
            self._serve()
        else:
            self._replay()

    def finish(self):
        if self.server is not None:
            self.server.close()

    # -- a recording -----------------------------------------------------------------
    def _replay(self):
        name = Path(self.recording).name
        try:
            run = WatchedRun()
            snaps = [s for s in (run.feed(k, p) for k, p in read_recording(self.recording)) if s]
        except (WireError, OSError) as exc:
            text = str(exc) if str(exc).startswith(name) else f"{name}: {exc}"
            self.message.emit("watch_error", text.splitlines()[0])
            return
        first = snaps[0] if snaps else {}
        shape = [first.get("n_features")] + [lay["width"] for lay in first.get("layers", ())]
        self.message.emit("watching", {"mode": "recording", "path": str(self.recording),
                                       "run": run.info, "snapshots": len(snaps),
                                       "shape": shape, "steps": snaps[-1]["step"]})
        interval = 1.0 / min(max(len(snaps) / REPLAY_SECONDS, REPLAY_HZ[0]), REPLAY_HZ[1])
        i, due = 0, time.monotonic()
        while not self._stop.is_set():
            cmd = self._poll_queue(POLL_SECONDS)
            if cmd is not None and not self._common(cmd):
                if cmd[0] == "play":
                    if i >= len(snaps):
                        i = 0       # from the start again
                    self._set_running(True)
                elif cmd[0] == "pause":
                    self._set_running(False)
                elif cmd[0] == "step":
                    self._set_running(False)
                    if i < len(snaps):
                        self._show(snaps[i])
                        i += 1
            if self.running and time.monotonic() >= due and i < len(snaps):
                due = time.monotonic() + interval
                i += 1
                if i == len(snaps):
                    self.running = False   # the last snapshot shows as paused
                    self.message.emit("state", {"running": False})
                self._show(snaps[i - 1])

    # -- a live script ---------------------------------------------------------------
    def _serve(self):
        host, port = self.server.getsockname()[:2]
        self.message.emit("watching", {"mode": "socket", "address": f"{host}:{port}",
                                       "token": self.token})
        while not self._stop.is_set():
            cmd = self._poll_queue(0)
            if cmd is not None:
                self._common(cmd)
            ready, _, _ = select.select([self.server], [], [], POLL_SECONDS)
            if not ready:
                continue
            conn, _ = self.server.accept()
            try:
                link.accept_handshake(conn, self.token)
            except link.LinkError as exc:
                conn.close()
                self.message.emit("watch_error", str(exc))
                continue
            try:
                why = self._follow(conn)
            except OSError as exc:   # the script went away while we wrote to it
                why = str(exc)
            finally:
                conn.close()
            self.message.emit("disconnected", why)

    def _follow(self, conn: socket.socket) -> str:
        """Draw one connected script's snapshots until it leaves; returns why it ended."""
        conn.settimeout(link.SEND_TIMEOUT_SECONDS)
        read = link.reader(conn)
        run = WatchedRun()
        heartbeat = 0.0
        pause_at_next = False
        if not self.running:      # paused before the script came: it waits at its first step
            link.send(conn, "pause")
        while not self._stop.is_set():
            cmd = self._poll_queue(0)
            while cmd is not None:
                if not self._common(cmd) and cmd[0] in ("play", "pause", "step"):
                    pause_at_next = cmd[0] == "step"
                    link.send(conn, "pause" if cmd[0] == "pause" else "play")
                    self._set_running(cmd[0] != "pause")
                cmd = self._poll_queue(0)
            if not self.running and time.monotonic() - heartbeat > link.HEARTBEAT_SECONDS:
                heartbeat = time.monotonic()
                link.send(conn, "heartbeat")
            ready, _, _ = select.select([conn], [], [], POLL_SECONDS)
            if not ready:
                continue
            try:
                msg = read_message(read)
                if msg is None:
                    return "the script closed the connection"
                snap = run.feed(*msg)
            except (WireError, OSError) as exc:
                self.message.emit("watch_error", f"dropped the script: {exc}")
                return str(exc)
            if msg[0] == "run":
                self.message.emit("connected", run.info)
            elif msg[0] == "end":
                return "the run ended"
            if snap is not None:
                if pause_at_next:
                    pause_at_next = False
                    link.send(conn, "pause")
                    self._set_running(False)
                self._show(snap)
        return "nnvis stopped watching"


class WatchSource(EngineHandle):
    """The main window's handle on a :class:`WatchWorker` (see EngineHandle)."""

    def __init__(self, recording=None, listen: str | None = None, parent=None):
        QObject.__init__(self, parent)
        self.engine = "watch"
        self.address = self.token = None
        server = None
        if listen is not None:
            host, port = link.parse_address(listen)
            server = socket.create_server((host, port))   # OSError: the caller says why
            self.address = f"{host}:{server.getsockname()[1]}"
            self.token = link.new_token()
        self._start_worker(WatchWorker(recording, server, self.token), "nnvis-watch")
