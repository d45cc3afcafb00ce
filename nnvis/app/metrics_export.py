"""File ▸ Export metrics…: one flat CSV row per logged step, one column per metric (step,
losses, accuracies, learning rate, then ``hidden1.grad_norm_W`` … per layer).

The rows come from the snapshots the window receives (the engine's or a watched run's),
recorded as they arrive whether or not a panel is on screen: the app never asks the trainer
for numbers of its own.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from nnvis.export_csv import metric_row, write_metrics

from .export.file_names import proposed_name

# Rows kept; when full every other row goes and from then on every other snapshot is
# logged, so a long run keeps its whole span in flat memory (like the loss history).
CAPACITY = 50_000


class MetricsLog:
    """The metric rows of the run on screen, in step order."""

    def __init__(self, capacity: int = CAPACITY):
        self._capacity = capacity - capacity % 2
        self.clear()

    def clear(self):
        self._rows: list[dict] = []
        self._every = 1     # log every n-th snapshot
        self._seen = 0

    def add(self, snapshot: dict):
        row = metric_row(snapshot)
        rows = self._rows
        if rows and row["step"] < rows[-1]["step"]:
            self.clear()    # a new run began (as the panels start afresh)
            rows = self._rows
        if rows and row["step"] == rows[-1]["step"]:
            rows[-1] = row  # the same step again (a setting changed while paused): newest
            return
        self._seen += 1
        if len(rows) == self._capacity:   # keep every other row, log every other snapshot
            self._rows = rows = rows[1::2]
            self._every *= 2
        if self._seen % self._every == 0:
            rows.append(row)

    def rows(self) -> list[dict]:
        return list(self._rows)


class MetricsExport(QObject):
    """Keeps the :class:`MetricsLog` of one window and writes it on File ▸ Export metrics…."""

    status = Signal(str, int)   # for the status bar: text, milliseconds
    problem = Signal(str)       # for the banner

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window   # the dialog's parent
        self._log = MetricsLog()
        self._step: int | None = None

    def on_snapshot(self, snapshot: dict):
        self._log.add(snapshot)
        self._step = int(snapshot.get("step", 0))

    def forget(self):
        """The run on screen is gone (the panels were reset)."""
        self._log.clear()

    def rows(self) -> list[dict]:
        return self._log.rows()

    def export(self, path: str) -> int:
        """Write the rows to ``path``; how many."""
        return write_metrics(path, self._log.rows())

    def export_dialog(self):
        path, _ = QFileDialog.getSaveFileName(self._window, self.tr("Export metrics"),
                                              proposed_name("metrics", self._step, "csv"),
                                              self.tr("CSV files (*.csv)"))
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        try:
            n = self.export(path)
        except OSError as e:
            self.problem.emit(self.tr("Could not write {0}: {1}").format(path, e.strerror or e))
            return
        self.status.emit(self.tr("Wrote {0} rows of metrics to {1}").format(n, path), 4000)
