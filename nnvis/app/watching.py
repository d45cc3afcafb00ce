"""Watching mode: draw a PyTorch run instead of training one.

:class:`WatchMode` swaps the trainer for a :class:`~nnvis.app.watch_source.WatchSource`
(through the :class:`~nnvis.app.engine_controller.EngineController`) and writes the note
that says what is watched and, when listening, how a script connects. It says when the mode
starts and changes (``started``, ``changed``); the window then clears its panels and greys
out what belongs to the script (the controls, lessons, reset and speed) and hides the data
panel (a PyTorch run sends no input plane). Play/Pause and Step still work: they pause the
replay, or the script at its next ``w.step()``. Choosing a training engine in the Engine
menu leaves watching mode.
"""
from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from .banner import Banner
from .engine_controller import EngineController
from .watch_source import WatchSource

NOTE_STYLE = "color: #e5c07b; padding: 6px;"


class WatchMode(QObject):
    started = Signal()       # a new source took over the trainer's place: clear the panels
    changed = Signal(bool)   # watching mode entered (True) or left

    def __init__(self, engine: EngineController, banner: Banner, window: QWidget):
        super().__init__(window)
        self._engine = engine
        self._banner = banner
        self._window = window   # the dialogs' parent
        self._active = False
        self._source: WatchSource | None = None
        self._note_lines: tuple = ()
        self._watch_said: list = []      # the last messages the note was written from
        self._watch_note = QLabel()
        self._watch_note.setWordWrap(True)
        self._watch_note.setTextFormat(Qt.RichText)
        self._watch_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self._watch_note.setStyleSheet(NOTE_STYLE)
        self._watch_note.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self._watch_note.setVisible(False)

    @property
    def active(self) -> bool:
        return self._active

    @property
    def source(self) -> WatchSource | None:
        """What is watched (a recording or a listener), None when not watching."""
        return self._source

    @property
    def note(self) -> QLabel:
        """The note on what is watched, for the window to place (in the controls dock)."""
        return self._watch_note

    def note_text(self) -> str:
        return self._watch_note.text()

    def open_recording_dialog(self):
        path, _ = QFileDialog.getOpenFileName(
            self._window, self.tr("Open recording"), "",
            self.tr("nnvis recordings (*.nnvisrec);;All files (*)"))
        if path:
            self.open_recording(path)

    def open_recording(self, path: str) -> WatchSource:
        """Replay a recording (a bad file is refused in the banner; nothing else changes
        until then... the panels are cleared for it at once)."""
        return self._watch(WatchSource(recording=path, parent=self))

    def listen(self, address: str) -> WatchSource | None:
        """Wait for scripts on HOST:PORT; the source knows the address and token."""
        try:
            source = WatchSource(listen=address, parent=self)
        except (OSError, ValueError) as exc:
            self._banner.show_error(self.tr("Cannot listen on {0}: {1}").format(address, exc))
            return None
        return self._watch(source)

    def _watch(self, source: WatchSource) -> WatchSource:
        self._engine.watch(source)
        self._source = source
        source.message.connect(self._on_watch_message)
        self._banner.clear()
        self.started.emit()
        self._engine.set_running(True)
        self._set_active(True)
        return source

    def leave(self):
        """A training engine took over."""
        self._set_active(False)

    def _set_active(self, on: bool):
        if on == self._active:
            return
        self._active = on
        if not on:
            self._source = None
        self.changed.emit(on)   # first: the window places the note before it shows
        self._watch_note.setVisible(on)

    def _note(self, *lines: str):
        title = html.escape(self.tr("Watching a PyTorch run"))
        self._watch_note.setText("<br>".join([f"<b>{title}</b>", *lines]))

    def retranslate(self):
        """Say again, in the new language, what is being watched."""
        if not self._active:
            return
        for kind, payload in list(self._watch_said):
            self._on_watch_message(kind, payload)

    @Slot(str, object)
    def _on_watch_message(self, kind: str, payload):
        # The note is written from the last "watching" message and what came after it:
        # kept (reassigned, never mutated) to write it again in another language.
        if kind == "watching":
            self._watch_said = [(kind, payload)]
        elif kind in ("connected", "disconnected", "recording_end"):
            self._watch_said = self._watch_said[:1] + [(kind, payload)]
        esc = html.escape
        if kind == "watch_error":
            self._banner.show_error(str(payload))
            self._engine.set_running(False)   # nothing plays: the Play button must say so
        elif kind == "recording_end":
            ended = self.tr("{0}; every snapshot before it was replayed.").format(payload)
            self._banner.show_error(ended)
            self._note(*self._note_lines, esc(ended))
        elif kind == "watching" and payload.get("mode") == "recording":
            run = payload.get("run") or {}
            # (kept: a recording that ends early adds a line under them)
            self._note_lines = (
                esc(self.tr("Recording {0}").format(payload["path"])),
                esc(self.tr("{0} ({1}, {2:,} parameters, on {3}): {4} steps, {5} snapshots, "
                            "one every {6} steps.").format(
                    run.get("model", "?"), " → ".join(map(str, payload["shape"])),
                    int(run.get("param_count") or 0), run.get("device", "?"),
                    payload["steps"], payload["snapshots"], run.get("every") or "?")),
                esc(self.tr("Play replays the run; Step shows the next snapshot.")))
            self._note(*self._note_lines)
        elif kind == "watching":
            self._note_lines = (
                esc(self.tr("Listening on {0}. In your training script:")
                    .format(payload["address"])),
                "<code>" + esc(f'w = nnvis.watch.attach(model, every=50, connect='
                               f'"{payload["address"]}", token="{payload["token"]}")')
                + "</code>",
                esc(self.tr("or set NNVIS_CONNECT={0} and NNVIS_TOKEN={1}.")
                    .format(payload["address"], payload["token"])))
            self._note(*self._note_lines, esc(self.tr("Waiting for a script…")))
        elif kind == "connected":
            self._banner.clear()
            self._note(*self._note_lines, esc(self.tr(
                "Watching {0} on {1}: a snapshot every {2} steps. Pause stops the script at "
                "its next step.").format(payload.get("model", "?"), payload.get("device", "?"),
                                         payload.get("every") or "?")))
        elif kind == "disconnected":
            self._engine.set_running(False)
            self._note(*self._note_lines, esc(self.tr(
                "The script disconnected ({0}); waiting for the next one.").format(payload)))
