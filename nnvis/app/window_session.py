"""The main window's side of a trainer that died or stopped answering, and of closing: what
the banner and status bar say, restarting the trainer; the experiment itself is kept by the
:class:`~nnvis.app.session_controller.SessionController`."""
from __future__ import annotations

from PySide6.QtCore import Slot

from . import settings as app_settings


class WindowSession:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: the experiment outlives a crash."""

    _running_when_died = False

    def restart_trainer(self, from_autosave: bool):
        """A new trainer process after the last one died: with the autosaved experiment,
        or with fresh weights and the settings shown."""
        self.send("restart")
        self._configure_engine()    # the new process starts with the defaults
        if not (from_autosave and self.session.restore_autosave(
                self.tr("Restarted the trainer from the autosave (step {0})"))):
            self.send("reset", self.controls.config().to_dict())
        elif self._running_when_died:   # it was training: it goes on where it stood
            self.send("play")
            self._set_running(True)
        self.banner.clear()

    def _show_process_died(self, exitcode):
        self._running_when_died = self.engine_controller.running
        self._set_running(False)
        if self.latest is not None:
            self._update_status(self.latest)   # "paused", not the last rate
        saver = self.session.autosaver
        self.banner.show_process_died(exitcode, saver.saved_step, saver.lost_steps() or 0)

    @Slot(int)
    def _on_trainer_silent(self, seconds: int):
        self._running_when_died = True
        self.status_line.show_not_answering()
        if self.banner.kind in (None, "error", "recovery_off"):
            saver = self.session.autosaver
            self.banner.show_not_answering(seconds, saver.saved_step, saver.lost_steps() or 0)

    @Slot()
    def _on_trainer_answering(self):
        if self.banner.kind == "not_answering":
            self.banner.clear()

    def shutdown(self):
        self.frame_timer.stop()
        if self.engine_controller.handle is None:
            return
        saved = self.session.save_if_closed_by_signal()
        self.engine_controller.shutdown()
        self.session.close(saved)

    def closeEvent(self, event):
        try:
            app_settings.save_window(self)
            app_settings.save_last_config(self.controls.config())
        except Exception:  # settings must never block closing
            pass
        self.shutdown()
        super().closeEvent(event)
