"""The training toolbar (Play/Pause, Step, Reset, the speed) and the banner's bar under it."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QStyle, QToolBar

from . import ui_labels
from .banner import Banner

SPEEDS = [(QT_TRANSLATE_NOOP("TrainingToolbar", "Max speed"), None),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "1000 steps/s"), 1000),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "300 steps/s"), 300),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "100 steps/s"), 100),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "30 steps/s"), 30),
          (ui_labels.source("toolbar.speed_10"), 10),
          (QT_TRANSLATE_NOOP("TrainingToolbar", "1 step/s"), 1)]
WATCH_SECONDS = 15  # a lesson's interesting part should take about this long to watch


def speed_for(steps: int):
    """The slowest speed that shows ``steps`` updates within about WATCH_SECONDS: at full
    speed the default spiral is learned in under a second, before anyone sees it happen."""
    need = max(steps, 1000) / WATCH_SECONDS
    return min((v for _, v in SPEEDS if v is not None and v >= need), default=None)


class TrainingToolbar(QObject):
    play_requested = Signal()      # Play or Pause (Space)
    step_requested = Signal()
    reset_requested = Signal()
    speed_chosen = Signal(object)  # steps a second; None: as fast as possible

    def __init__(self, window: QMainWindow, banner: Banner):
        super().__init__(window)
        tb = QToolBar()
        tb.setObjectName("toolbar_training")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        window.addToolBar(Qt.TopToolBarArea, tb)
        style = window.style()
        self._icons = {"play": style.standardIcon(QStyle.SP_MediaPlay),
                       "pause": style.standardIcon(QStyle.SP_MediaPause)}
        # Parented to the window: its shortcuts work wherever the focus is in it.
        self._play = QAction(self._icons["play"], "", window)
        self._play.setShortcut(QKeySequence(Qt.Key_Space))
        self._play.triggered.connect(self.play_requested)
        self._step = QAction(style.standardIcon(QStyle.SP_MediaSkipForward), "", window)
        self._step.setShortcut(QKeySequence(Qt.Key_Right))
        self._step.triggered.connect(self.step_requested)
        self._reset = QAction(style.standardIcon(QStyle.SP_BrowserReload), "", window)
        self._reset.setShortcut(QKeySequence(Qt.Key_R))
        self._reset.triggered.connect(self.reset_requested)
        for a in (self._play, self._step, self._reset):
            tb.addAction(a)
            window.addAction(a)
        tb.addSeparator()
        self._speed_label = QLabel()
        tb.addWidget(self._speed_label)
        self._speed_combo = QComboBox()
        for _ in SPEEDS:
            self._speed_combo.addItem("")
        self._speed_combo.setCurrentIndex(
            next(i for i, (_, v) in enumerate(SPEEDS) if v == speed_for(0)))
        self._speed_combo.currentIndexChanged.connect(self._on_speed_index_changed)
        tb.addWidget(self._speed_combo)
        window.addToolBarBreak()
        bar = QToolBar()
        bar.setObjectName("toolbar_banner")
        bar.setMovable(False)
        window.addToolBar(Qt.TopToolBarArea, bar)
        banner.set_toolbar_action(bar.addWidget(banner))
        self._banner_bar = bar
        self._training_bar = tb
        self._running = False
        banner.clear()

    @property
    def play_action(self) -> QAction:
        return self._play

    @property
    def reset_action(self) -> QAction:
        return self._reset

    def speed(self):
        """The speed chosen (steps a second; None: as fast as possible)."""
        return SPEEDS[self._speed_combo.currentIndex()][1]

    def set_speed(self, steps_per_second):
        """Choose a speed of SPEEDS (None: as fast as possible); said again if unchanged."""
        index = next(i for i, (_, v) in enumerate(SPEEDS) if v == steps_per_second)
        if index == self._speed_combo.currentIndex():
            self._on_speed_index_changed(index)
        self._speed_combo.setCurrentIndex(index)

    @Slot(int)
    def _on_speed_index_changed(self, index: int):
        self.speed_chosen.emit(SPEEDS[index][1])

    def set_script_owned(self, on: bool):
        """A watched script decides its speed and its weights: no Reset, no speed."""
        self._speed_combo.setEnabled(not on)
        self._reset.setEnabled(not on)

    @Slot(bool)
    def show_running(self, running: bool):
        self._running = running
        self._play.setText(self.tr("Pause") if running else ui_labels.text("toolbar.play"))
        self._play.setIcon(self._icons["pause" if running else "play"])

    def retranslate(self):
        self._training_bar.setWindowTitle(self.tr("Training"))
        self._banner_bar.setWindowTitle(self.tr("Messages"))
        self.show_running(self._running)
        self._play.setToolTip(self.tr("Play / pause training (Space)"))
        self._step.setText(ui_labels.text("toolbar.step"))
        self._step.setToolTip(self.tr("Run exactly one training step (→)"))
        self._reset.setText(ui_labels.text("toolbar.reset"))
        self._reset.setToolTip(self.tr("Reinitialise the weights (R)"))
        self._speed_label.setText(" " + ui_labels.text("toolbar.speed") + " ")
        for i, (label, _) in enumerate(SPEEDS):
            self._speed_combo.setItemText(i, self.tr(label))
        self._speed_combo.setToolTip(self.tr("Slow training down to watch single updates"))
