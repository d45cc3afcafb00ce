"""The main window's watching mode: draw a PyTorch run instead of training one.

A mixin for :class:`~nnvis.app.main_window.MainWindow` (kept apart so the window's own file
changes little): it swaps the engine for a :class:`~nnvis.app.watch_source.WatchSource`,
greys out what belongs to the script (the controls, lessons, reset and speed), hides the
data panel (a PyTorch run sends no input plane) and says in the controls dock what is
watched and, when listening, how a script connects. Play/Pause and Step still work: they
pause the replay, or the script at its next ``w.step()``. Choosing a training engine in the
Engine menu leaves watching mode.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFileDialog, QLabel, QVBoxLayout, QWidget

from .watch_source import WatchSource

NOTE_STYLE = "color: #e5c07b; padding: 6px;"


class WatchingMixin:
    watching = False
    watch_source: WatchSource | None = None
    _watch_note: QLabel | None = None
    _note_lines: tuple = ()
    _watch_said: list = []      # the last messages the note was written from

    def open_recording_dialog(self):
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open recording"), "",
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
            self.banner.show_error(self.tr("Cannot listen on {0}: {1}").format(address, exc))
            return None
        return self._watch(source)

    def _watch(self, source: WatchSource) -> WatchSource:
        self.engine_controller.watch(source)
        self.watch_source = source
        source.message.connect(self._on_watch_message)
        self.banner.clear()
        self._reset_panels()
        self._set_running(True)
        self._set_watching(True)
        return source

    def _set_watching(self, on: bool):
        """Enter or leave watching mode (the window's controls, docks and note)."""
        if on == self.watching:
            return
        self.watching = on
        if self._watch_note is None:
            self._watch_note = QLabel()
            self._watch_note.setWordWrap(True)
            self._watch_note.setTextFormat(Qt.RichText)
            self._watch_note.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self._watch_note.setStyleSheet(NOTE_STYLE)
            self._watch_note.setAlignment(Qt.AlignTop | Qt.AlignLeft)
            wrapper = QWidget()
            layout = QVBoxLayout(wrapper)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self._watch_note)
            layout.addWidget(self.controls, 1)
            self.docks["controls"].setWidget(wrapper)
        self._watch_note.setVisible(on)
        for widget in (self.controls, self.lessons, self.speed_combo):
            widget.setEnabled(not on)
        # The script decides its run: nnvis's own settings would only mislead next to it.
        self.controls.setVisible(not on)
        self.reset_action.setEnabled(not on)
        self.docks["data"].setVisible(not on)
        self.backprop.set_network_unavailable(self.tr(
            "A watched PyTorch run keeps its weights in its own script: the network's graph "
            "is only for nnvis's own trainer. The notes' two graphs work as ever.")
            if on else None)
        if on:
            self.docks["controls"].show()
            self.docks["controls"].raise_()
            self.status_labels["engine"].setText(self.tr("watching"))
        else:
            self.watch_source = None

    def _note(self, *lines: str):
        title = html.escape(self.tr("Watching a PyTorch run"))
        self._watch_note.setText("<br>".join([f"<b>{title}</b>", *lines]))

    def retranslate_watching(self):
        """Say again, in the new language, what is being watched."""
        if not self.watching:
            return
        self.status_labels["engine"].setText(self.tr("watching"))
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
            self.banner.show_error(str(payload))
            self._set_running(False)   # nothing plays: the Play button must say so
        elif kind == "recording_end":
            ended = self.tr("{0}; every snapshot before it was replayed.").format(payload)
            self.banner.show_error(ended)
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
            self.banner.clear()
            self._note(*self._note_lines, esc(self.tr(
                "Watching {0} on {1}: a snapshot every {2} steps. Pause stops the script at "
                "its next step.").format(payload.get("model", "?"), payload.get("device", "?"),
                                         payload.get("every") or "?")))
        elif kind == "disconnected":
            self._set_running(False)
            self._note(*self._note_lines, esc(self.tr(
                "The script disconnected ({0}); waiting for the next one.").format(payload)))
