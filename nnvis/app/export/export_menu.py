"""The right-click menu of every panel: Export image (PNG at 1× and 2×), Export SVG and
Export data (CSV), each proposing a file name that says what and when
(``gradient-flow_step-1500.svg``).

pyqtgraph's own plot menu stays off (``theme.style_plot``): its log axes and transforms
fight the app's own axes. This menu hangs on the panel widget instead, so a right-click
anywhere on the panel (plots included: they leave the event to their parent) offers it.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from nnvis.export_csv import write_table

from .file_names import proposed_name

# (file kind, scale) of each entry, in menu order.
ENTRIES = (("png", 1), ("png", 2), ("svg", 1), ("csv", 1))


class ExportMenu(QObject):
    """Exports ``widget``'s ``picture`` (see :mod:`.pictures`) and the table ``table()``
    returns (a :class:`~.table.Table` from the panel's read-model). ``what`` names the panel
    in file names; ``step()`` says which step it shows (None: nothing yet)."""

    def __init__(self, widget: QWidget, what: str, picture, table, step):
        super().__init__(widget)
        self._widget = widget
        self._what = what
        self._picture = picture
        self._table = table
        self._step = step
        self._menu = QMenu(widget)
        self._actions: list[QAction] = []
        for kind, scale in ENTRIES:
            act = self._menu.addAction("")
            act.triggered.connect(lambda _=False, k=kind, s=scale: self._on_export(k, s))
            self._actions.append(act)
        self.retranslate()   # and again with the panel's texts when the language changes
        widget.setContextMenuPolicy(Qt.CustomContextMenu)
        widget.customContextMenuRequested.connect(self._on_menu_requested)

    @property
    def actions(self) -> list[QAction]:
        """PNG 1×, PNG 2×, SVG, CSV (in menu order)."""
        return list(self._actions)

    def retranslate(self):
        for act, text in zip(self._actions, (self.tr("Export image (PNG, 1×)…"),
                                             self.tr("Export image (PNG, 2×)…"),
                                             self.tr("Export SVG…"),
                                             self.tr("Export data (CSV)…"))):
            act.setText(text)

    # ------------------------------------------------------------------ the writers
    def export_png(self, path: str, scale: int = 1):
        self._picture.save_png(path, scale)

    def export_svg(self, path: str):
        self._picture.save_svg(path)

    def export_csv(self, path: str) -> int:
        """Write the panel's table; how many rows."""
        table = self._table()
        return write_table(path, table.header, table.rows)

    def file_name(self, ext: str, scale: int = 1) -> str:
        return proposed_name(self._what, self._step(), ext, scale)

    # ------------------------------------------------------------------ the menu
    @Slot("QPoint")
    def _on_menu_requested(self, pos):
        self._menu.popup(self._widget.mapToGlobal(pos))

    def _on_export(self, kind: str, scale: int):
        filters = {"png": self.tr("PNG images (*.png)"), "svg": self.tr("SVG images (*.svg)"),
                   "csv": self.tr("CSV files (*.csv)")}
        path, _ = QFileDialog.getSaveFileName(self._widget, self.tr("Export"),
                                              self.file_name(kind, scale), filters[kind])
        if not path:
            return
        if not path.lower().endswith("." + kind):
            path += "." + kind
        try:
            if kind == "png":
                self.export_png(path, scale)
            elif kind == "svg":
                self.export_svg(path)
            else:
                self.export_csv(path)
        except OSError as e:
            QMessageBox.warning(self._widget, self.tr("Export"),
                                self.tr("Could not write {0}: {1}").format(path, e.strerror or e))
