"""What the user's clicks ask of the trainer: play, step, reset, lessons, live changes,
compare mode, the network and backprop panels' requests and the banner's buttons."""
from __future__ import annotations

from PySide6.QtCore import Slot

from nnvis.core import Config, ConfigError
from nnvis.lessons import LESSONS

from .toolbar import speed_for


class WindowCommands:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: commands sent to the engine."""

    @Slot()
    def toggle_play(self):
        running = self.engine_controller.running
        if running:
            self.send("pause")
        else:
            if self.latest and self.latest.get("divergence"):
                self.send("resume")
            self.send("play")
        self._set_running(not running)

    @Slot()
    def step_once(self):
        if self.engine_controller.running:
            self.send("pause")
            self._set_running(False)
        if self.latest and self.latest.get("divergence"):
            self.send("resume")
        self.send("step", 1)

    @Slot()
    def reset(self):
        self.send("reset", self.controls.commit_pending().to_dict())
        self._set_running(False)
        self.banner.clear()
        self._reset_panels()

    def load_lesson(self, lesson_id: str):
        lesson = LESSONS[lesson_id]
        cfg = Config.from_dict(lesson.config)
        self.controls.set_config(cfg)
        self.send("reset", cfg.to_dict())
        self._set_running(False)
        self.banner.clear()
        self._reset_panels()
        self.activation_panel.set_compared(())   # an overlay from the last lesson is noise here
        self.set_speed(speed_for(lesson.steps))
        self.lessons.show_lesson(lesson_id)
        for panel_id in lesson.panels:
            self.dock_layout.bring_forward(panel_id)
        self.dock_layout.bring_forward("lessons")  # last: the explanation is the point
        if lesson.panels and lesson.panels[0] == "backprop":
            self.dock_layout.make_room_for_backprop()
        self.statusBar().showMessage(
            self.tr("Lesson loaded: {0}").format(self.lessons.title_of(lesson_id)), 5000)

    @Slot(str, str)
    def use_csv(self, path: str, label_column: str):
        """Train on a CSV file. Bad files are refused (row/column named) before training."""
        try:
            cfg = self.controls.config().with_changes(
                {"data.path": path, "data.label_column": label_column})
        except ConfigError as exc:
            self.controls.show_rejection(str(exc))
            return
        self.controls.set_config(cfg)
        self.send("reset", cfg.to_dict())
        self._set_running(False)
        self._reset_panels()

    @Slot(str)
    def _on_opening(self, path: str):
        self._set_running(False)   # the loaded experiment starts paused

    def _set_running(self, running: bool):
        self.engine_controller.set_running(running)


    def _reset_panels(self):
        self.send("probe", None)  # a clicked neuron belongs to the network that is gone
        for p in self.panels:
            p.reset()
        self._last_step = -1
        self.status_line.forget_rate()
        self.session.forget()   # the autosave holds the experiment that is gone
        self.data_view.mark_sample(None)   # the sample belonged to the old data

    @Slot(dict)
    def _on_changes_requested(self, changes: dict):
        self.send("set", changes)

    @Slot(dict)
    def apply_changes(self, changes: dict):
        """Apply changes from outside the controls (a lesson's switch): show them, send them."""
        before = self.controls.config()
        try:
            self.controls.set_config(before.with_changes(changes))
        except ConfigError as exc:
            self.banner.show_error(str(exc))
            return
        self.controls.note_sent(changes, before)   # a refusal then goes back to `before`
        self.send("set", changes)

    @Slot(object)
    def _on_compare_requested(self, changes):
        self._set_running(False)
        self.send("pause")
        lesson = LESSONS.get(self.lessons.loaded_id or "")
        base = self.controls.config()
        if changes and lesson is not None:
            # Compare the lesson's own starting point with its switch, even after a flip.
            base = Config.from_dict(lesson.config)
            self.controls.set_config(base)
            self.send("reset", base.to_dict())
        self.send("compare", changes)
        self._reset_panels()
        if changes:
            self.dock_layout.bring_forward("gradient_flow")
            flipped = {k: v for k, v in changes.items() if base.get(k) != v} or changes
            self.statusBar().showMessage(
                self.tr("Compare mode: a copy with {0} trains alongside (same data, seed and "
                        "batches). Press Play.").format(self.controls.describe_changes(flipped)),
                8000)

    @Slot(dict)
    def _on_backprop_requested(self, request: dict):
        if self.watch_mode.active:   # the panel says why; a script has no graph to send
            return
        self.data_view.mark_sample(request["split"], request["sample"])
        self.send("backprop", request)

    @Slot()
    def _on_handmade_xor(self):
        self._set_running(False)
        self.send("handmade_xor")
        self._reset_panels()

    @Slot(str)
    def _on_edge_mode_changed(self, mode: str):
        self.send("edge_mode", mode)

    @Slot(int, int)
    def _on_neuron_clicked(self, layer: int, unit: int):
        self.send("probe", (layer, unit))
        self.docks["data"].raise_()

    @Slot()
    def _on_probe_closed(self):
        self.send("probe", None)
        self.topology.select_neuron(None)

    @Slot(str)
    def _on_banner_action(self, action: str):
        if action == "lower_lr":
            self.apply_changes({"optim.lr": self.controls.config().get("optim.lr") / 10})
            self.send("resume")
            self.send("play")          # the button says "and resume": training goes on
            self._set_running(True)
            self.banner.clear()
        elif action in ("restart_autosave", "restart_engine"):
            self.restart_trainer(from_autosave=action == "restart_autosave")
        elif action == "reset":
            self.reset()
