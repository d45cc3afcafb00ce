"""The learning-rate control: a log-scale slider of round rates paired with an exact field."""
from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSlider, QWidget

from nnvis.app.i18n import Retranslating

LR_MIN_EXP, LR_MAX_EXP = -5, 1      # the log slider spans 1e-5 … 10
# Round rates only (the field takes any other): 0.001, 0.0015, 0.002, 0.003, 0.005, 0.007, …
LR_MANTISSAS = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
LR_VALUES = [float(f"{m * 10.0 ** e:.3g}") for e in range(LR_MIN_EXP, LR_MAX_EXP)
             for m in LR_MANTISSAS] + [10.0 ** LR_MAX_EXP]


class LogSlider(Retranslating, QWidget):
    """A log-scale slider paired with an exact numeric field (for the learning rate)."""

    value_committed = Signal(float)
    invalid_text = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, len(LR_VALUES) - 1)
        self.slider.setPageStep(len(LR_MANTISSAS))   # a click on the groove: ×10
        self.field = QLineEdit()
        self.field.setMaximumWidth(64)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.field)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.field.editingFinished.connect(self._on_field_edited)
        self._value = 0.01
        self.retranslate()

    def retranslate(self):
        self.field.setToolTip(self.tr("Exact learning rate (any positive number)"))
        self.slider.setToolTip(self.tr("Learning rate on a log scale (1e-5 … 10). Too small "
                                       "crawls, too large diverges. Live."))

    def value(self) -> float:
        return self._value

    def set_value(self, v: float):
        self._value = v
        self.field.setText(f"{v:g}")
        self.slider.blockSignals(True)
        if v > 0 and math.isfinite(v):   # the nearest round rate, on a log scale
            lv = math.log10(v)
            self.slider.setValue(min(range(len(LR_VALUES)),
                                     key=lambda i: abs(math.log10(LR_VALUES[i]) - lv)))
        self.slider.blockSignals(False)

    def _slider_value(self) -> float:
        return LR_VALUES[self.slider.value()]

    @Slot(int)
    def _on_slider_moved(self, _):
        self._value = self._slider_value()
        self.field.setText(f"{self._value:g}")
        if not self.slider.isSliderDown():  # keyboard / click: commit at once
            self.value_committed.emit(self._value)

    @Slot()
    def _on_slider_released(self):
        self.value_committed.emit(self._value)

    @Slot()
    def _on_field_edited(self):
        text = self.field.text().strip()
        try:
            v = float(text)
        except ValueError:
            self.invalid_text.emit(text)
            return
        if v > 0 and math.isfinite(v):
            self.set_value(v)  # the slider follows the exact value
        else:
            self._value = v
        self.value_committed.emit(v)
