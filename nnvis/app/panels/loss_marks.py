"""The loss panel's mark of early stopping's best step: a vertical line through both plots
at the step whose validation loss was lowest (the weights that are kept), labelled on the
loss plot. A part the loss panel composes: it owns the two lines."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt

from nnvis.app import theme


class BestStepMark(QObject):
    """A labelled vertical line on ``loss_plot`` and a bare one on ``lower_plot``."""

    def __init__(self, loss_plot: pg.PlotItem, lower_plot: pg.PlotItem, parent=None):
        super().__init__(parent)
        pen = pg.mkPen(*theme.ACCENT, 220, width=1.5, style=Qt.DashLine)
        # The label sits near the top, where falling loss curves are least likely to hide
        # it; pyqtgraph puts it on the line's wider side (right of it in the left half).
        self._loss_line = pg.InfiniteLine(angle=90, pen=pen, movable=False)
        self._label = pg.InfLineLabel(self._loss_line, "", position=0.93, color=theme.ACCENT,
                                      anchors=[(0, 0.5), (1, 0.5)])
        self._lower_line = pg.InfiniteLine(angle=90, pen=pen, movable=False)
        self._step: int | None = None
        for line, plot in ((self._loss_line, loss_plot), (self._lower_line, lower_plot)):
            line.setZValue(4)
            line.hide()
            plot.addItem(line, ignoreBounds=True)
        self._text = ""

    # ---- what is on screen (read-only)
    @property
    def step(self) -> int | None:
        """The step marked, or None (no mark)."""
        return self._step

    @property
    def loss_line(self) -> pg.InfiniteLine:
        return self._loss_line

    def label_text(self) -> str:
        return self._label.toPlainText() if self._step is not None else ""

    # ---- told by the panel
    def update(self, step, text: str):
        """Mark ``step`` (None: no best step, no mark) with the label ``text``."""
        step = None if step is None else int(step)
        if step != self._step:
            self._step = step
            for line in (self._loss_line, self._lower_line):
                line.setVisible(step is not None)
                if step is not None:
                    line.setValue(step)
        if step is not None and text != self._text:
            self._text = text
            # (setFormat runs str.format on the text: braces would be taken for fields)
            self._label.setFormat(text.replace("{", "{{").replace("}", "}}"))
