"""The status bar's permanent labels: step, epoch, batch loss, speed, parameters, engine."""
from __future__ import annotations

import time

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QLabel, QStatusBar


class StatusLine(QObject):
    def __init__(self, bar: QStatusBar):
        super().__init__(bar)
        self._labels: dict[str, QLabel] = {}
        for key in ("step", "epoch", "loss", "rate", "params", "engine"):
            lab = QLabel()
            lab.setMinimumWidth(90)
            lab.setContentsMargins(10, 0, 10, 0)   # long numbers must not run together
            bar.addPermanentWidget(lab)
            self._labels[key] = lab
        self._rate = 0.0
        self._rate_mark = None   # (when, step) the rate is measured from
        self._engine = ""        # the engine shown (or "watch")

    @property
    def labels(self) -> dict[str, QLabel]:
        """Each label by name ("step", "epoch", "loss", "rate", "params", "engine")."""
        return self._labels

    def measure(self, step: int):
        """A snapshot of ``step`` came now: the steps a second, over half a second or more."""
        now = time.perf_counter()
        if self._rate_mark is None or step < self._rate_mark[1]:
            self._rate_mark = (now, step)
        elif now - self._rate_mark[0] > 0.5:
            t0, s0 = self._rate_mark
            self._rate = (step - s0) / (now - t0)
            self._rate_mark = (now, step)

    def forget_rate(self):
        """A new experiment: the rate starts again from its next snapshot."""
        self._rate_mark = None

    def show_snapshot(self, snap: dict, running: bool):
        s, loc = self._labels, QLocale()
        s["step"].setText(self.tr("step {0}").format(loc.toString(int(snap["step"]))))
        s["epoch"].setText(self.tr("epoch {0}").format(loc.toString(int(snap["epoch"]))))
        loss = snap.get("batch_loss")
        s["loss"].setText(self.tr("batch loss {0}").format(
            loc.toString(float(loss), "g", 4) if loss == loss else "–"))
        s["rate"].setText(self.tr("{0} steps/s").format(loc.toString(round(self._rate)))
                          if running else self.tr("paused"))
        s["params"].setText(self.tr("{0} parameters").format(
            loc.toString(int(snap["param_count"]))))

    def show_not_answering(self):
        self._labels["rate"].setText(self.tr("not answering"))

    def show_engine(self, engine: str):
        """"process", "thread" or "watch"."""
        self._engine = engine
        self._labels["engine"].setText(self.tr("watching") if engine == "watch" else
                                       self.tr("engine: {0}").format(self.engine_label(engine)))

    def engine_label(self, engine: str) -> str:
        return {"process": self.tr("process"), "thread": self.tr("thread")}.get(engine, engine)

    def retranslate(self):
        self._labels["loss"].setToolTip(self.tr(
            "Loss of the last mini-batch (the Loss panel's numbers are evaluations on the "
            "train and test sets)"))
        if self._engine:
            self.show_engine(self._engine)
