"""Nothing lost: the autosave, restarting a dead trainer from it, offering what crashed or
closed apps left (:mod:`.recovery`), and closing."""
from __future__ import annotations

import logging
import time
from functools import partial

from PySide6.QtCore import QDateTime, QEventLoop, QLocale, QTimer, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from nnvis.core.persistence import ExperimentFileError, saved_step

from . import settings as app_settings
from .autosave import Autosaver
from .recovery import Orphan, RecoveryStore

log = logging.getLogger("nnvis.session")
# How long closing waits for the trainer to write the experiment when the system closes
# the app (a logout gives a few seconds more before it kills what is left).
SAVE_ON_SIGNAL_MS = 5_000


class WindowSession:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: the experiment outlives a crash."""

    def _start_session(self, restore: bool, reopen: bool = True):
        """After the engine started. ``restore``: offer what crashed apps left, and
        (``reopen``) reopen quietly what an app closed by the system saved: not when the
        app starts on an experiment of its own (a lesson, a file, listening), what the user
        asked for — then the orphans wait in File ▸ Recover."""
        self.recovery = RecoveryStore()
        self.autosaver = Autosaver(self.recovery.claim(), self.send, self)
        self.autosaver.confirmed.connect(self._on_autosave_confirmed)
        self._closed_by_signal = False
        self._running_when_died = False
        self._restore_note: str | None = None
        self._restoring: Orphan | None = None   # loading it
        self._adopted: Orphan | None = None     # loaded: deleted once saved again as ours
        settings_file = app_settings.unwritable()
        if settings_file:
            self.statusBar().showMessage(self.tr(
                "Settings cannot be saved to {0}: the window layout, language and last "
                "settings will not be remembered").format(settings_file), 15000)
        if not self.autosaver.enabled:
            self.banner.show_recovery_off(self.recovery.problem)
            self.orphans = []
            return
        legacy = app_settings.take_legacy_autosave()
        if legacy is not None:
            self.recovery.adopt_legacy(*legacy)
        self.orphans = self.recovery.orphans()
        self._update_recover_menu()
        if not self.orphans:
            return
        closed = next((o for o in self.orphans if o.closed_by_system), None)
        if restore and reopen and closed is not None:
            self.restore_orphan(closed, self.tr("Restored the experiment from before the app "
                                                "was closed by the system (step {0})"))
        elif restore:
            QTimer.singleShot(300, self._offer_recovery)
        else:
            self.statusBar().showMessage(self.tr(
                "An experiment from an earlier session can be restored: File ▸ Recover"), 10000)

    @property
    def autosave_file(self):
        return self.autosaver.path

    @Slot()
    def autosave(self):
        """Save the running experiment to the autosave now (it also saves by itself)."""
        snap = self.latest
        if snap is not None and not snap.get("divergence"):
            self.autosaver.save_now()

    # ------------------------------------------------------------------ orphans
    def _offer_recovery(self):
        """Ask about the newest experiment a crashed app left; the others stay in
        File ▸ Recover."""
        if not self.orphans:
            return
        orphan = self.orphans[0]
        more = len(self.orphans) - 1
        text = self.tr("nnvis did not close cleanly last time. Restore the experiment that "
                       "was running (its weights, optimiser state and history)?")
        if orphan.step is not None:
            text += " " + self.tr("The autosave holds step {0}, saved {1}.").format(
                QLocale().toString(orphan.step), self._when(orphan.modified))
        if more:
            text += " " + self.tr("Other crashed sessions can be restored from "
                                  "File ▸ Recover ({0} more).").format(more)
        box = QMessageBox(QMessageBox.Question, self.tr("Restore the last experiment?"), text,
                          QMessageBox.Yes | QMessageBox.Discard | QMessageBox.Cancel, self)
        box.button(QMessageBox.Yes).setText(self.tr("Restore"))
        box.button(QMessageBox.Cancel).setText(self.tr("Later"))
        box.setDefaultButton(QMessageBox.Yes)
        answer = box.exec()
        if answer == QMessageBox.Yes:
            self.restore_orphan(orphan, self.tr("Restored the experiment from the autosave "
                                                "(step {0})"))
        elif answer == QMessageBox.Discard:
            self.discard_orphan(orphan)

    @staticmethod
    def _when(timestamp: float) -> str:
        return QLocale().toString(QDateTime.fromSecsSinceEpoch(int(timestamp)),
                                  QLocale.ShortFormat)

    def _update_recover_menu(self):
        menu = getattr(self, "recover_menu", None)
        if menu is None:
            return
        menu.clear()
        for orphan in self.orphans:
            label = (self.tr("Step {0}, saved {1}").format(QLocale().toString(orphan.step),
                                                           self._when(orphan.modified))
                     if orphan.step is not None
                     else self.tr("Unreadable autosave, saved {0}").format(
                         self._when(orphan.modified)))
            act = menu.addAction(label)
            act.triggered.connect(partial(self.restore_orphan, orphan, self.tr(
                "Restored the experiment from the autosave (step {0})")))
        if self.orphans:
            menu.addSeparator()
            menu.addAction(self.tr("Discard all")).triggered.connect(self.discard_orphans)
        menu.setEnabled(bool(self.orphans))

    def discard_orphan(self, orphan: Orphan):
        self.recovery.discard(orphan)
        self.orphans = [o for o in self.orphans if o is not orphan]
        self._update_recover_menu()

    def discard_orphans(self):
        for orphan in list(self.orphans):
            self.discard_orphan(orphan)

    def restore_orphan(self, orphan: Orphan, note: str) -> bool:
        """Load what a gone app left (``note`` with {0} = its step goes to the status bar
        once loaded). A file that cannot be read is said in the banner, and kept."""
        try:
            step = saved_step(orphan.path)
        except ExperimentFileError as exc:
            self.banner.show_error(self.tr("Could not restore the autosave: {0}").format(exc))
            return False
        self._restoring = orphan
        self._restore_note = note.format(QLocale().toString(step))
        self._set_running(False)
        self.send("pause")
        self.send("load", str(orphan.path))
        return True

    def restore_autosave(self, note: str) -> bool:
        """Load this app's own autosave (after its trainer died)."""
        try:
            step = saved_step(self.autosave_file)
        except (ExperimentFileError, TypeError) as exc:
            self.banner.show_error(self.tr("Could not restore the autosave: {0}").format(exc))
            return False
        self._restore_note = note.format(QLocale().toString(step))
        self._set_running(False)
        self.send("pause")
        self.send("load", str(self.autosave_file))
        return True

    def _on_restored(self, path: str) -> bool:
        """The trainer loaded ``path``: True if it was a restore (else a file opened)."""
        restoring, self._restoring = self._restoring, None
        if restoring is not None and path == str(restoring.path):
            # Kept until this app's own autosave holds it: a crash in between loses nothing.
            self._adopted = restoring
            self.orphans = [o for o in self.orphans if o is not restoring]
            self._update_recover_menu()
            self.autosaver.save_now()
        if self._restore_note and (restoring is not None or path == str(self.autosave_file)):
            self.statusBar().showMessage(self._restore_note, 10000)
            self._restore_note = None
            return True
        return False

    @Slot()
    def _on_autosave_confirmed(self):
        if self._adopted is not None and self.autosaver.saved_step is not None:
            self.recovery.discard(self._adopted)
            self._adopted = None

    # ------------------------------------------------------------------ the trainer died
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
        self._running_when_died = self.engine_controller.running
        self._set_running(False)
        if self.latest is not None:
            self._update_status(self.latest)   # "paused", not the last rate
        self.banner.show_process_died(exitcode, self.autosaver.saved_step,
                                      self.autosaver.lost_steps() or 0)

    @Slot(int)
    def _on_trainer_silent(self, seconds: int):
        self._running_when_died = True
        self.status_labels["rate"].setText(self.tr("not answering"))
        if self.banner.kind in (None, "error", "recovery_off"):
            self.banner.show_not_answering(seconds, self.autosaver.saved_step,
                                           self.autosaver.lost_steps() or 0)

    @Slot()
    def _on_trainer_answering(self):
        if self.banner.kind == "not_answering":
            self.banner.clear()

    def _on_autosave_failed(self, path: str, reason: str) -> bool:
        """True if the save that failed was the autosave (said in the banner)."""
        if self.autosaver.on_failed(path):
            kept = self.autosaver.saved_step
            self.banner.show_error(
                self.tr("The autosave failed: {0}. The last autosave (step {1}) is kept.")
                .format(reason, QLocale().toString(kept)) if kept is not None else
                self.tr("The autosave failed: {0}.").format(reason))
            return True
        return False

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
        the file then holds the running experiment. A save that fails or does not finish
        in time leaves the last good autosave as it was (saves are atomic)."""
        saver = self.autosaver
        if not saver.enabled:
            return False
        if self.banner.kind == "process_died":   # no trainer to ask: keep what was saved
            return saver.saved_step is not None
        before = saver.confirmations
        saver.save_now()
        loop, timer = QEventLoop(), QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        saver.confirmed.connect(loop.quit)
        saver.failed.connect(loop.quit)
        deadline = time.monotonic() + SAVE_ON_SIGNAL_MS / 1000
        # Saves are written in order: once all are answered, the last one is ours. (A
        # trainer that is stopped or hung answers nothing: then the deadline ends the wait.)
        while (saver.confirmations + saver.failures < saver.requests
               and time.monotonic() < deadline):
            timer.start(max(1, int((deadline - time.monotonic()) * 1000)))
            loop.exec()
        saver.confirmed.disconnect(loop.quit)
        saver.failed.disconnect(loop.quit)
        return saver.confirmations > before and saver.saved_step is not None

    def shutdown(self):
        self.frame_timer.stop()
        if self.engine_controller.handle is None:
            return
        saved = self._closed_by_signal and self._save_for_next_start()
        self.engine_controller.shutdown()
        # Closed by the user: nothing to recover. Closed by the system: kept, reopened next
        # time if this save worked, else offered as after a crash (the last good autosave).
        self.recovery.close(keep=self._closed_by_signal, closed_by_system=saved)

    def closeEvent(self, event):
        try:
            app_settings.save_window(self)
            app_settings.save_last_config(self.controls.config())
        except Exception:  # settings must never block closing
            pass
        self.shutdown()
        super().closeEvent(event)
