"""What the controls show of the data the trainer really has: the task a CSV was read as and
why, and the file's own numbers of classes and samples.

:class:`DataFacts` is a part of :class:`~nnvis.app.controls.ControlsPanel`: it owns the task
line and the last facts a snapshot told, and fills the Classes and Samples fields, which a
CSV greys out (they set the built-in sets only), with the file's numbers instead of the
built-in sets' settings, so that the greyed fields do not say 2 classes and 400 samples
for a file of 3 and 150.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QSpinBox

from nnvis.app import engine_text
from nnvis.app.choices import choice_label
from nnvis.core.config import Config


class DataFacts(QObject):
    def __init__(self, task_label: QLabel, classes: QSpinBox, samples: QSpinBox, parent=None):
        super().__init__(parent)
        self._task_label = task_label
        self._classes = classes
        self._samples = samples
        self._ranges = {classes: (classes.minimum(), classes.maximum()),
                        samples: (samples.minimum(), samples.maximum())}
        self._facts: dict | None = None   # the last snapshot's data, for its CSV file
        self._task_label.hide()

    def show_snapshot(self, snap: dict, cfg: Config):
        """A snapshot of the trainer's data: remembered for its CSV, shown while the
        controls show that CSV."""
        path = (snap.get("config") or {}).get("data", {}).get("path")
        if not path:
            self._facts = None
        else:
            n = sum(int(snap.get(k) or 0) for k in ("n_train", "n_test", "n_val"))
            self._facts = {"path": path, "task": snap.get("task"),
                           "classes": int(snap.get("n_classes") or 0), "samples": n,
                           "snap": {k: snap.get(k) for k in ("task_reason", "task_params")}}
        self.show_config(cfg)

    def show_config(self, cfg: Config):
        """The controls show ``cfg``: its CSV's facts, if they are known, else the fields'
        own values within their own ranges."""
        facts = self._facts if self._facts and self._facts["path"] == cfg.get(
            "data.path") else None
        self._task_label.setVisible(facts is not None)
        if facts is None:
            for spin in self._ranges:
                self._restore(spin)
            return
        self._show_number(self._classes, facts["classes"])
        self._show_number(self._samples, facts["samples"])
        self.retranslate()

    def retranslate(self):
        facts = self._facts
        if facts is None or self._task_label.isHidden():
            return
        why = engine_text.task_note(facts["snap"])
        task = choice_label(facts["task"])
        # The reason names the task it was read as; a task set or built in is only named.
        self._task_label.setText(why or self.tr("Task: {0}").format(task))
        # A regression has no classes: the field says so rather than showing a 0.
        self._classes.setSpecialValueText(self.tr("none (regression)")
                                          if facts["task"] == "regression" else "")

    def _show_number(self, spin: QSpinBox, value: int):
        """Show the file's number in a greyed field: its range widened to hold it (the
        field never sends it: its signals are blocked)."""
        lo, hi = self._ranges[spin]
        spin.blockSignals(True)
        spin.setRange(min(lo, value), max(hi, value))
        spin.setValue(value)
        spin.blockSignals(False)

    def _restore(self, spin: QSpinBox):
        lo, hi = self._ranges[spin]
        spin.blockSignals(True)
        spin.setSpecialValueText("")
        value = min(max(spin.value(), lo), hi)
        spin.setRange(lo, hi)
        spin.setValue(value)
        spin.blockSignals(False)
