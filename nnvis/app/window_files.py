"""File ▸ Open experiment, Open CSV data, Save, Save as and Save screenshot."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog

from nnvis.core import ConfigError, commands
from nnvis.core.files import is_regular_file


def csv_header(path: str) -> list[str]:
    """The column names of a CSV file's first row ([] if unreadable)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return [c.strip() for c in next(csv.reader(f), []) if c.strip()]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


class WindowFiles:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: reading and writing files."""

    def open_file(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open experiment"), "",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            self.open_path(path)

    def open_csv(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open CSV data"), "",
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        columns = csv_header(path)
        if not columns:
            self.banner.show_error(self.tr("{0}: no header row (the first row must name the "
                                           "columns)").format(path))
            return
        guess = next((c for c in columns if c.lower() in ("label", "class", "target", "y")),
                     columns[-1])
        label, ok = QInputDialog.getItem(self, self.tr("Label column"),
                                         self.tr("Which column is the label?"),
                                         columns, columns.index(guess), False)
        if ok:
            self.use_csv(path, label)

    def use_csv(self, path: str, label_column: str):
        """Train on a CSV file. Bad files are refused (row/column named) before training."""
        try:
            cfg = self.controls.config().with_changes(
                {"data.path": path, "data.label_column": label_column})
        except ConfigError as exc:
            self.controls.show_rejection(str(exc))
            return
        self.controls.set_config(cfg)
        self.send(commands.Reset(cfg.to_dict()))
        self._reset_panels()

    def open_path(self, path: str):
        """Load an experiment; it becomes what Save writes to once it has loaded (a refused
        file never is: Ctrl+S would overwrite it with the experiment still running)."""
        if not is_regular_file(path):
            self.banner.show_error(self.tr("{0} is not a file nnvis can open (a folder, a "
                                           "pipe or a device, or it does not exist)").format(path))
            return
        self.send(commands.Pause())
        self.send(commands.Load(path))

    def save_file(self):
        if self.current_path:
            self.send(commands.Save(self.current_path))
        else:
            self.save_file_as()

    def save_file_as(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save experiment"), "experiment.nnvis",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            if not path.endswith(".nnvis"):
                path += ".nnvis"
            self._saving_as = path   # the save target once the trainer has written it
            self.send(commands.Save(path))

    def _on_saved(self, path: str):
        """The trainer wrote ``path`` (not the autosave)."""
        if path == getattr(self, "_saving_as", None):
            self.current_path, self._saving_as = path, None
        self.statusBar().showMessage(self.tr("Saved {0}").format(path), 4000)

    def save_screenshot(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save screenshot"), "nnvis.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.grab().save(path)
