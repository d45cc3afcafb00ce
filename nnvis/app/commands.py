"""What the user's clicks ask of the trainer: play, step, reset, lessons, live
changes, compare mode, the hand-made XOR and the banner's "lower the learning rate".
(CSV data: :mod:`nnvis.app.csv_opening`.)"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from nnvis.core import Config, ConfigError
from nnvis.core import commands as cmd
from nnvis.lessons import LESSONS
from nnvis.lessons.handmade_xor import handmade_xor_command

from .banner import Banner
from .controls import ControlsPanel
from .dock_layout import DockLayout
from .engine_controller import EngineController
from .lessons_panel import LessonsPanel
from .panels.activation_curves import ActivationCurvesPanel
from .toolbar import TrainingToolbar, speed_for


class TrainingCommands(QObject):
    panels_reset_needed = Signal()   # a new experiment: what the panels show is gone
    status = Signal(str, int)        # for the status bar: text, milliseconds

    def __init__(self, engine: EngineController, controls: ControlsPanel, banner: Banner,
                 lessons: LessonsPanel, docks: DockLayout, toolbar: TrainingToolbar,
                 activation: ActivationCurvesPanel, parent=None):
        super().__init__(parent)
        self._engine = engine
        self._controls = controls
        self._banner = banner
        self._lessons = lessons
        self._docks = docks
        self._toolbar = toolbar
        self._activation = activation
        self._diverged = False   # the last snapshot's training diverged: Play resumes it

    def send(self, command):
        """Pass one :mod:`nnvis.core.commands` object to the trainer."""
        self._engine.send(command)

    def on_snapshot(self, snap: dict):
        self._diverged = bool(snap.get("divergence"))

    def _reset_panels(self):
        self.panels_reset_needed.emit()

    @Slot()
    def toggle_play(self):
        running = self._engine.running
        if running:
            self.send(cmd.Pause())
        else:
            if self._diverged:
                self.send(cmd.Resume())
            self.send(cmd.Play())

    @Slot()
    def step_once(self):
        if self._engine.running:
            self.send(cmd.Pause())
        if self._diverged:
            self.send(cmd.Resume())
        self.send(cmd.Step(1))

    @Slot()
    def reset(self):
        self.send(cmd.Reset(self._controls.commit_pending().to_dict()))
        self._banner.clear()
        self._reset_panels()

    @Slot(str)
    def load_lesson(self, lesson_id: str):
        lesson = LESSONS[lesson_id]
        cfg = Config.from_dict(lesson.config)
        self._controls.set_config(cfg)
        self.send(cmd.Reset(cfg.to_dict()))
        self._banner.clear()
        self._reset_panels()
        self._activation.set_compared(())   # an overlay from the last lesson is noise here
        self._toolbar.set_speed(speed_for(lesson.steps))
        self._lessons.show_lesson(lesson_id)
        for panel_id in lesson.panels:
            self._docks.bring_forward(panel_id)
        self._docks.bring_forward("lessons")  # last: the explanation is the point
        if lesson.panels and lesson.panels[0] == "backprop":
            self._docks.make_room_for_backprop()
        self.status.emit(
            self.tr("Lesson loaded: {0}").format(self._lessons.title_of(lesson_id)), 5000)

    def _reset_with(self, changes: dict):
        """Train the controls' config with ``changes`` from fresh weights (ConfigError: the
        changes are refused and nothing is sent)."""
        cfg = self._controls.config().with_changes(changes)
        self._controls.set_config(cfg)
        self.send(cmd.Reset(cfg.to_dict()))
        self._reset_panels()

    @Slot(dict)
    def restart_with(self, changes: dict):
        """A lesson's switch whose effect is counted from the start of training: apply it
        and start over from fresh weights (the seed's: the same ones as the lesson's)."""
        try:
            self._reset_with(changes)
        except ConfigError as exc:
            self._banner.show_error(str(exc))
            return
        self._banner.clear()

    @Slot(dict)
    def apply_changes(self, changes: dict):
        """Apply changes from outside the controls (a lesson's switch): show them, send them."""
        before = self._controls.config()
        try:
            self._controls.set_config(before.with_changes(changes))
        except ConfigError as exc:
            self._banner.show_error(str(exc))
            return
        self._controls.note_sent(changes, before)   # a refusal then goes back to `before`
        self.send(cmd.Set(changes))

    @Slot(object)
    def compare(self, changes):
        self.send(cmd.Pause())
        lesson = LESSONS.get(self._lessons.loaded_id or "")
        base = self._controls.config()
        if changes and lesson is not None:
            # Compare the lesson's own starting point with its switch, even after a flip.
            base = Config.from_dict(lesson.config)
            self._controls.set_config(base)
            self.send(cmd.Reset(base.to_dict()))
        self.send(cmd.Compare(changes))
        self._reset_panels()
        if changes:
            self._docks.bring_forward("gradient_flow")
            flipped = {k: v for k, v in changes.items() if base.get(k) != v} or changes
            self.status.emit(
                self.tr("Compare mode: a copy with {0} trains alongside (same data, seed and "
                        "batches). Press Play.").format(self._controls.describe_changes(flipped)),
                8000)

    @Slot()
    def handmade_xor(self):
        self.send(handmade_xor_command())
        self._reset_panels()

    def lower_lr_and_resume(self):
        """The banner's answer to a divergence: a tenth of the learning rate, and go on."""
        self.apply_changes({"optim.lr": self._controls.config().get("optim.lr") / 10})
        self.send(cmd.Resume())
        self.send(cmd.Play())   # the button says "and resume": training goes on
        self._banner.clear()
