"""File ▸ Open experiment, Open CSV data, Save, Save as and Save screenshot, and the path
Save writes to.

A path becomes the save target only once the trainer has loaded or written it: a refused
file never is (Ctrl+S would overwrite it with the experiment still running), nor a Save as
that failed.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from nnvis.core import commands as cmd
from nnvis.core.files import is_regular_file


def csv_header(path: str) -> list[str]:
    """The column names of a CSV file's first row ([] if unreadable)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return [c.strip() for c in next(csv.reader(f), []) if c.strip()]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


class FileController(QObject):
    """Reads and writes experiment files through the trainer (``send``), for one window."""

    csv_chosen = Signal(str, str)  # path, label column: train on it
    problem = Signal(str)          # for the banner
    status = Signal(str, int)      # for the status bar: text, milliseconds

    def __init__(self, send, window: QWidget):
        super().__init__(window)
        self._send = send
        self._window = window      # the dialogs' parent, and what a screenshot shows
        self._current_path: str | None = None
        self._saving_as: str | None = None

    @property
    def current_path(self) -> str | None:
        """What Save writes to: the last file opened or saved (as) successfully."""
        return self._current_path

    def open_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self._window, self.tr("Open experiment"), "",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            self.open_path(path)

    def open_csv_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self._window, self.tr("Open CSV data"), "",
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        columns = csv_header(path)
        if not columns:
            self.problem.emit(self.tr("{0}: no header row (the first row must name the "
                                      "columns)").format(path))
            return
        guess = next((c for c in columns if c.lower() in ("label", "class", "target", "y")),
                     columns[-1])
        label, ok = QInputDialog.getItem(self._window, self.tr("Label column"),
                                         self.tr("Which column is the label?"),
                                         columns, columns.index(guess), False)
        if ok:
            self.csv_chosen.emit(path, label)

    def open_path(self, path: str):
        """Load an experiment; it becomes what Save writes to once it has loaded."""
        if not is_regular_file(path):
            self.problem.emit(self.tr("{0} is not a file nnvis can open (a folder, a pipe or "
                                      "a device, or it does not exist)").format(path))
            return
        self._send(cmd.Pause())
        self._send(cmd.Load(path))

    def save(self):
        if self._current_path:
            self._send(cmd.Save(self._current_path))
        else:
            self.save_as_dialog()

    def save_as_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self._window, self.tr("Save experiment"),
                                              "experiment.nnvis",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            if not path.endswith(".nnvis"):
                path += ".nnvis"
            self._saving_as = path   # the save target once the trainer has written it
            self._send(cmd.Save(path))

    def save_screenshot_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self._window, self.tr("Save screenshot"),
                                              "nnvis.png", self.tr("PNG images (*.png)"))
        if path:
            self._window.grab().save(path)

    def on_loaded(self, path: str):
        """The trainer loaded ``path`` as an opened file: from now on what Save writes to."""
        self._current_path = path
        self.status.emit(self.tr("Opened {0}").format(path), 4000)

    def on_saved(self, path: str):
        """The trainer wrote ``path`` (not the autosave)."""
        if path == self._saving_as:
            self._current_path, self._saving_as = path, None
        self.status.emit(self.tr("Saved {0}").format(path), 4000)

    def on_save_failed(self, path: str, reason: str):
        if path == self._saving_as:
            self._saving_as = None
        self.problem.emit(self.tr("Could not save {0}: {1}. The file that was there, if any, "
                                  "is unchanged.").format(path, reason))
