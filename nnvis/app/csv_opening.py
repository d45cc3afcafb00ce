"""File ▸ Open CSV data: train on the file, with a loss that fits the task the trainer reads
from its label column, and say where the user looks why a file is refused.

The window only sends commands, so the task is learnt from the trainer's answer to the
Reset: a regression CSV refused because the loss is not mse (``loss_regression``) is sent
again with mse, and a classification CSV trained with mse (regression's loss, left over)
again with cross-entropy (:func:`nnvis.core.fitting_loss`), each with a note. A file refused
only because of the loss (binary cross-entropy on three classes) stays pending in the
controls, its loss field marked: choosing a loss and Apply trains on it. Any other refusal
puts the controls back to what the trainer still trains, and the banner says why.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal, Slot

from nnvis.core import Config, ConfigError, fitting_loss
from nnvis.core import commands as cmd
from nnvis.core.config import LIVE_FIELDS

from . import engine_text
from .banner import Banner
from .controls import LOSS_REFUSALS, ControlsPanel


class CsvOpening(QObject):
    panels_reset_needed = Signal()   # a new experiment: what the panels show is gone

    def __init__(self, send, controls: ControlsPanel, banner: Banner, parent=None):
        super().__init__(parent)
        self._send = send
        self._controls = controls
        self._banner = banner
        # The open waiting for the trainer's answer: the config the controls showed before
        # it, and the CSV's fields (None: no open is waiting).
        self._before: Config | None = None
        self._changes: dict = {}
        self._switched = None   # the note of the loss switched for the last file opened

    @property
    def switched_note(self) -> str | None:
        """What was switched to fit the last file opened (the loss), in the UI's language;
        None if nothing was."""
        if self._switched is None:
            return None
        return engine_text.note(self._switched.code, self._switched.params) or None

    @Slot(str, str)
    def open(self, path: str, label_column: str):
        """Train on a CSV file from fresh weights; refused files are said (row and column
        named) and leave the running experiment as it is."""
        before = self._controls.config()
        changes = {"data.path": path, "data.label_column": label_column}
        try:
            cfg = before.with_changes(changes)
        except ConfigError as exc:
            self._banner.show_file_refused(os.path.basename(path), str(exc))
            return
        self._before, self._changes, self._switched = before, changes, None
        self._reset(cfg)

    def _reset(self, cfg: Config):
        self._controls.set_config(cfg)
        self._send(cmd.Reset(cfg.to_dict()))
        self.panels_reset_needed.emit()

    def on_error(self, message) -> bool:
        """The trainer refused something: True if it was the file being opened (then
        handled here)."""
        if self._before is None:
            return False
        code = getattr(message, "code", None)
        path = str(message).partition(": ")[0]
        if path in LIVE_FIELDS:   # a live change sent before the open: not about the file
            return False
        loss = self._controls.config().get("model.loss")
        if code == "loss_regression" and self._switched is None:
            self._switch_loss("regression", loss)
            return True
        before, changes = self._before, self._changes
        self._before, self._changes = None, {}
        name = os.path.basename(changes["data.path"])
        if code in LOSS_REFUSALS:
            self._controls.hold_refused(before, changes, message)
            self._banner.show_file_refused(name, message, loss_only=True)
        else:
            self._controls.set_config(before)
            self._controls.show_rejection(message)
            self._banner.show_file_refused(name, message)
        return True

    def on_snapshot(self, snap: dict):
        """A fresh snapshot answers the open: the file is trained on. Classes trained with
        mse (left over from a regression) go on with cross-entropy."""
        if self._before is None or not snap.get("fresh"):
            return
        loss = self._controls.config().get("model.loss")
        if snap.get("task") == "classification" and self._switched is None and \
                fitting_loss("classification", loss)[1] is not None:
            self._switch_loss("classification", loss)
            return
        self._before, self._changes = None, {}

    def _switch_loss(self, task: str, loss: str):
        new, self._switched = fitting_loss(task, loss)
        self._reset(self._controls.config().with_changes({"model.loss": new}))
