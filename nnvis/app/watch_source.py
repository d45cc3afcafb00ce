"""A snapshot source for a watched PyTorch run: a recording replayed, or a live socket.

:class:`WatchSource` is an :class:`~nnvis.app.worker.EngineHandle` whose worker, instead of
training, reads a ``.nnvisrec`` recording or listens for a script that ``nnvis.watch``
connects; the main window draws its snapshots exactly as it draws the trainer's. Commands
(:mod:`nnvis.core.commands`) it understands: Play, Pause, Step (on to the next snapshot),
EdgeMode and Shutdown; the rest (a trainer's Reset, Speed...) do not apply and are ignored.

A recording is streamed: each snapshot is read from the file when it is due, so memory
holds a few messages however long the run. Messages besides snapshots: "watch_error" (one
line: a refused file, connection or message), "watching" ({"mode", "path" | "address",
"token"}), "recording_end" (one line: where and why a cut or damaged recording ends),
"connected" (the run's info), "disconnected" (why), "state" ({"running"}). Nothing here
imports torch.
"""
from __future__ import annotations

import socket
import time
from pathlib import Path

from PySide6.QtCore import QObject

from nnvis.core.commands import EdgeMode, Pause, Play, Shutdown, Step
from nnvis.protocol import link
from nnvis.protocol.listener import Listener
from nnvis.protocol.recording import RecordingReader
from nnvis.protocol.watched import WatchedRun, recorded_snapshots, with_edge_mode
from nnvis.protocol.wire import WireError

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
        self._listener: Listener | None = None
        self._pause_at_next = False

    # -- worker thread ---------------------------------------------------------------
    def _show(self, snap: dict):
        """Hand a snapshot to the GUI; only the newest waits if the GUI is behind."""
        self._current = snap
        out = dict(with_edge_mode(snap, self.edge_mode), running=self.running)
        self._offer_snapshot(out)

    def _set_running(self, running: bool):
        if running != self.running:
            self.running = running
            self._send_message("state", {"running": running})
            if self._current is not None:   # panels draw a paused network differently
                self._show(self._current)

    def _common(self, cmd) -> bool:
        """Commands both modes treat alike; True if handled."""
        if isinstance(cmd, EdgeMode):
            self.edge_mode = cmd.mode
            if self._current is not None:
                self._show(self._current)
            return True
        if isinstance(cmd, Shutdown):
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
        if self._listener is not None:
            self._listener.close()
        elif self.server is not None:
            self.server.close()

    # -- a recording -----------------------------------------------------------------
    def _open(self):
        """A fresh pass over the recording: (reader, its snapshots, the first one)."""
        reader = RecordingReader(self.recording)
        run = WatchedRun()
        feed = recorded_snapshots(reader, run)
        try:
            return reader, run, feed, next(feed)
        except BaseException:
            reader.close()
            raise

    def _replay(self):
        try:
            reader, run, feed, upcoming = self._open()
            count, steps = 0, upcoming["step"]
            for kind, step in reader.skim():     # its length at a glance, for the note
                if kind == "snapshot":
                    count += 1
                    steps = step if step is not None else steps
        except (WireError, OSError) as exc:
            self._refuse_recording(exc)
            return
        shape = [upcoming["n_features"]] + [lay["width"] for lay in upcoming["layers"]]
        self._send_message("watching", {"mode": "recording", "path": str(self.recording),
                                       "run": run.info, "snapshots": count,
                                       "shape": shape, "steps": steps})
        rate = min(max(count / REPLAY_SECONDS, REPLAY_HZ[0]), REPLAY_HZ[1])
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                cmd = self._poll_queue(POLL_SECONDS)
                if cmd is not None and not self._common(cmd):
                    if isinstance(cmd, Play):
                        if upcoming is None:    # from the start again
                            reader.close()
                            reader, run, feed, upcoming = self._open()
                        self._set_running(True)
                    elif isinstance(cmd, Pause):
                        self._set_running(False)
                    elif isinstance(cmd, Step):
                        self._set_running(False)
                        upcoming = self._advance(reader, feed, upcoming)
                if self.running and time.monotonic() >= due and upcoming is not None:
                    due = time.monotonic() + 1.0 / rate
                    upcoming = self._advance(reader, feed, upcoming)
        except (WireError, OSError) as exc:
            self._refuse_recording(exc)
        finally:
            reader.close()

    def _advance(self, reader: RecordingReader, feed, upcoming):
        """Show ``upcoming`` and read the one after it (None at the end: the last snapshot
        shows as paused, and a recording that ends early says where)."""
        if upcoming is None:
            return None
        following = next(feed, None)
        if following is None:
            self.running = False
            self._send_message("state", {"running": False})
        self._show(upcoming)
        if following is None and reader.ending:
            self._send_message("recording_end", reader.ending)
        return following

    def _refuse_recording(self, exc: Exception):
        name = Path(self.recording).name
        text = str(exc) if str(exc).startswith(name) else f"{name}: {exc}"
        self._send_message("watch_error", text.splitlines()[0])

    # -- a live script ---------------------------------------------------------------
    def _serve(self):
        listener = self._listener = Listener(self.server, self.token)
        host, port = self.server.getsockname()[:2]
        self._send_message("watching", {"mode": "socket", "address": f"{host}:{port}",
                                       "token": self.token})
        run = WatchedRun()
        heartbeat = 0.0
        self._pause_at_next = False
        while not self._stop.is_set():
            cmd = self._poll_queue(0)
            while cmd is not None:
                if not self._common(cmd) and isinstance(cmd, (Play, Pause, Step)):
                    self._pause_at_next = isinstance(cmd, Step)
                    listener.send("pause" if isinstance(cmd, Pause) else "play")
                    self._set_running(not isinstance(cmd, Pause))
                cmd = self._poll_queue(0)
            if listener.attached is not None and not self.running and \
                    time.monotonic() - heartbeat > link.HEARTBEAT_SECONDS:
                heartbeat = time.monotonic()
                listener.send("heartbeat")
            for kind, data in listener.poll(POLL_SECONDS):
                if kind == "error":
                    self._send_message("watch_error", data)
                elif kind == "detached":
                    self._send_message("disconnected", data)
                elif kind == "attached":
                    run = WatchedRun()
                    self._pause_at_next = False
                    if not self.running:   # paused before it came: it waits at its first step
                        listener.send("pause")
                elif kind == "message" and listener.attached is not None:
                    self._take(listener, run, data)

    def _take(self, listener: Listener, run: WatchedRun, message):
        """One message of the attached script; one the schema refuses drops the script."""
        try:
            snap = run.feed(*message)
        except WireError as exc:
            listener.drop(str(exc))
            return
        if message[0] == "run":
            self._send_message("connected", run.info)
        elif message[0] == "end":
            listener.detach("the run ended")
        if snap is not None:
            if self._pause_at_next:
                self._pause_at_next = False
                listener.send("pause")
                self._set_running(False)
            self._show(snap)


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
