"""Nothing lost: the autosave, restarting a dead trainer from it, restoring it after a crash
or after the system closed the app (a signal: SIGTERM at logout, Ctrl+C), and closing."""
from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEventLoop, QLocale, QTimer, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from nnvis.core.persistence import ExperimentFileError, saved_step

from . import settings as app_settings
from .autosave import Autosaver

log = logging.getLogger("nnvis.session")
#: How long closing waits for the trainer to write the experiment when the system closes
#: the app (a logout gives a few seconds more before it kills what is left).
SAVE_ON_SIGNAL_MS = 5_000


class WindowSession:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: the experiment outlives a crash."""

    def _start_session(self, restore: bool, reopen: bool = True):
        """After the engine started. ``restore``: offer what a crashed session left in the
        autosave, and (``reopen``) reopen what a session closed by the system saved there:
        not when the app starts on an experiment of its own (a lesson), what the user
        asked for."""
        self.autosaver = Autosaver(app_settings.autosave_path(), self.send, self)
        self._closed_by_signal = False
        self._running_when_died = False
        self._restore_note: str | None = None
        crashed = app_settings.previous_session_crashed()
        asks_restore = app_settings.previous_session_asks_restore()
        app_settings.mark_session(clean=False)
        if not restore or not self.autosave_file.exists():
            return
        if asks_restore and reopen:
            self.restore_autosave(self.tr("Restored the experiment from before the app was "
                                          "closed by the system (step {0})"))
        elif crashed:
            QTimer.singleShot(300, self._offer_recovery)

    @property
    def autosave_file(self):
        return self.autosaver.path

    @Slot()
    def autosave(self):
        """Save the running experiment to the autosave now (it also saves by itself)."""
        snap = self.latest
        if snap is not None and not snap.get("divergence"):
            self.autosaver.save_now()

    def _offer_recovery(self):
        answer = QMessageBox.question(
            self, self.tr("Restore the last experiment?"),
            self.tr("nnvis did not close cleanly last time. Restore the experiment that was "
                    "running (its weights, optimiser state and history)?"),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        if answer == QMessageBox.Yes:
            self.restore_autosave(self.tr("Restored the experiment from the autosave (step {0})"))

    def restore_autosave(self, note: str) -> bool:
        """Load the autosave (not as the file Save writes to); ``note`` with {0} = its step
        goes to the status bar once it is loaded."""
        try:
            step = saved_step(self.autosave_file)
        except ExperimentFileError as exc:
            log.warning("not restoring the autosave: %s", exc)
            return False
        self._restore_note = note.format(QLocale().toString(step))
        self._set_running(False)
        self.send("pause")
        self.send("load", str(self.autosave_file))
        return True

    def restart_trainer(self, from_autosave: bool):
        """A new trainer process after the last one died: with the autosaved experiment,
        or with fresh weights and the settings shown."""
        self.send("restart")
        self._configure_engine()    # the new process starts with the defaults
        if not (from_autosave and self.restore_autosave(
                self.tr("Restarted the trainer from the autosave (step {0})"))):
            self.send("reset", self.controls.config().to_dict())
        elif self._running_when_died:   # it was training: it goes on where it stood
            self.send("play")
            self._set_running(True)
        self.banner.clear()

    def _show_process_died(self, exitcode):
        self._running_when_died = self.running
        self._set_running(False)
        if self.latest is not None:
            self._update_status(self.latest)   # "paused", not the last rate
        self.banner.show_process_died(exitcode, self.autosaver.saved_step,
                                      self.autosaver.lost_steps() or 0)

    def _on_loaded(self, path: str):
        if path == str(self.autosave_file) and self._restore_note:
            self.statusBar().showMessage(self._restore_note, 10000)
            self._restore_note = None
        else:
            self.statusBar().showMessage(self.tr("Opened {0}").format(path), 4000)

    # ------------------------------------------------------------------ closing
    def close_by_signal(self):
        """Close as a logout would have it: the experiment kept in the autosave, reopened on
        the next start. Open dialogs close first (their event loops would keep the app)."""
        self._closed_by_signal = True
        for _ in range(5):
            modal = QApplication.activeModalWidget()
            if modal is None:
                break
            modal.reject() if isinstance(modal, QDialog) else modal.close()
        self.close()

    def _save_for_next_start(self) -> bool:
        """Have the trainer write the experiment to the autosave and wait for it; True if
        the file then holds the running experiment."""
        if self.banner.kind == "process_died":   # no trainer to ask: keep what was saved
            return self.autosaver.saved_step is not None
        saver = self.autosaver
        before = saver.confirmations
        saver.save_now()
        loop, timer = QEventLoop(), QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        saver.confirmed.connect(loop.quit)
        deadline = time.monotonic() + SAVE_ON_SIGNAL_MS / 1000
        # Saves are written in order: once all are confirmed, the last one is ours. (A save
        # that failed is never confirmed: then the deadline ends the wait.)
        while saver.confirmations < saver.requests and time.monotonic() < deadline:
            timer.start(max(1, int((deadline - time.monotonic()) * 1000)))
            loop.exec()
        saver.confirmed.disconnect(loop.quit)
        return saver.confirmations > before and self.autosave_file.exists()

    def shutdown(self):
        self.frame_timer.stop()
        if self.engine is None:
            return
        keep = self._closed_by_signal and self._save_for_next_start()
        self.engine.shutdown()
        self.engine = None
        if not keep:   # a clean exit needs no recovery
            self.autosaver.discard()
        app_settings.mark_session(clean=True, restore=keep)

    def closeEvent(self, event):
        try:
            app_settings.save_window(self)
            app_settings.save_last_config(self.controls.config())
        except Exception:  # settings must never block closing
            pass
        self.shutdown()
        super().closeEvent(event)
