"""Nothing lost: this app's autosave, what crashed or closed apps left (File ▸ Recover, the
question at start), restoring either, and the save when the system closes the app.

The session owns the :class:`~nnvis.app.recovery.RecoveryStore` and the
:class:`~nnvis.app.autosave.Autosaver`; it asks the trainer through the
:class:`~nnvis.app.engine_controller.EngineController` and is told by the window what the
trainer answered (``on_snapshot``, ``on_saved``, ``on_save_failed``, ``on_loaded``).
"""
from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QDateTime, QEventLoop, QLocale, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget

from nnvis.core import commands as cmd
from nnvis.core.persistence import ExperimentFileError, saved_step

from . import settings as app_settings
from .autosave import Autosaver
from .banner import Banner
from .engine_controller import EngineController
from .recovery import Orphan, RecoveryStore

# How long closing waits for the trainer to write the experiment when the system closes
# the app (a logout gives a few seconds more before it kills what is left).
SAVE_ON_SIGNAL_MS = 5_000


class SessionController(QObject):
    status = Signal(str, int)   # for the status bar: text, milliseconds

    def __init__(self, engine: EngineController, banner: Banner, window: QWidget):
        super().__init__(window)
        self._engine = engine
        self._banner = banner
        self._window = window   # the question's parent; what closing by signal closes
        # Experiments that crashed (or were closed by the system) and were not restored.
        self._recover_menu = QMenu(window)
        self._recover_menu.setEnabled(False)
        self._recovery: RecoveryStore | None = None
        self._autosaver: Autosaver | None = None
        self._orphans: list[Orphan] = []
        self._closed_by_signal = False
        self._restore_note: str | None = None
        self._restoring: Orphan | None = None   # loading it
        self._restoring_own = False             # loading this app's own autosave
        self._trainer_gone = False              # it died: nothing to ask at close
        self._closing = False
        self._watching = False
        self._adopted: Orphan | None = None     # loaded: deleted once saved again as ours
        self._snapshot_shown = False
        self._diverged = False

    def start(self, restore: bool, reopen: bool = True):
        """After the engine started. ``restore``: offer what crashed apps left, and
        (``reopen``) reopen quietly what an app closed by the system saved: not when the
        app starts on an experiment of its own (a lesson, a file, listening), what the user
        asked for — then the orphans wait in File ▸ Recover."""
        self._recovery = RecoveryStore()
        self._autosaver = Autosaver(self._recovery.claim(), self._engine.send, self)
        self._autosaver.confirmed.connect(self._on_autosave_confirmed)
        self._autosaver.requested.connect(self._engine.allow_silence)
        settings_file = app_settings.unwritable()
        if settings_file:
            self.status.emit(self.tr(
                "Settings cannot be saved to {0}: the window layout, language and last "
                "settings will not be remembered").format(settings_file), 15000)
        if not self._autosaver.enabled:
            self._banner.show_recovery_off(self._recovery.problem)
            return
        legacy = app_settings.take_legacy_autosave()
        if legacy is not None:
            self._recovery.adopt_legacy(*legacy)
        self._orphans = self._recovery.orphans()
        self._update_recover_menu()
        if not self._orphans:
            return
        closed = next((o for o in self._orphans if o.closed_by_system), None)
        crashed = any(not o.closed_by_system for o in self._orphans)
        if restore and reopen and closed is not None:
            self.restore_orphan(closed, self.tr("Restored the experiment from before the app "
                                                "was closed by the system (step {0})"))
        elif restore and crashed:   # what the system closed is no crash: it waits in the menu
            QTimer.singleShot(300, self._offer_recovery)
        else:
            self.status.emit(self.tr(
                "An experiment from an earlier session can be restored: File ▸ Recover"), 10000)

    # ------------------------------------------------------------------ read-models
    @property
    def autosaver(self) -> Autosaver:
        """This app's autosave: its file, the step it holds, its requests and answers."""
        return self._autosaver

    @property
    def autosave_file(self):
        return self._autosaver.path

    @property
    def recover_menu(self) -> QMenu:
        """File ▸ Recover: one entry per experiment a gone app left."""
        return self._recover_menu

    @property
    def orphans(self) -> list[Orphan]:
        return list(self._orphans)

    # ------------------------------------------------------------------ the autosave
    @Slot()
    def autosave(self):
        """Save the running experiment to the autosave now (it also saves by itself)."""
        if self._snapshot_shown and not self._diverged:
            self._autosaver.save_now()

    def on_snapshot(self, snap: dict):
        self._snapshot_shown, self._diverged = True, bool(snap.get("divergence"))
        self._autosaver.on_snapshot(snap)

    def forget(self):
        """The experiment is gone (reset, rebuilt, loaded): so is what the autosave holds."""
        self._autosaver.forget()

    def on_saved(self, path: str) -> bool:
        """True if ``path`` was the autosave."""
        return self._autosaver.on_saved(path)

    def on_save_failed(self, path: str, reason: str) -> bool:
        """True if the save that failed was the autosave (said in the banner)."""
        if not self._autosaver.on_failed(path):
            return False
        kept = self._autosaver.saved_step
        self._banner.show_error(
            self.tr("The autosave failed: {0}. The last autosave (step {1}) is kept.")
            .format(reason, QLocale().toString(kept)) if kept is not None else
            self.tr("The autosave failed: {0}.").format(reason))
        return True

    @Slot()
    def _on_autosave_confirmed(self):
        if self._adopted is not None and self._autosaver.saved_step is not None:
            self._recovery.discard(self._adopted)
            self._adopted = None

    # ------------------------------------------------------------------ orphans
    def _offer_recovery(self):
        """Ask about the newest experiment a crashed app left; the others stay in
        File ▸ Recover."""
        crashed = [o for o in self._orphans if not o.closed_by_system]
        if not crashed or self._closing:
            return
        orphan = crashed[0]
        more = len(self._orphans) - 1
        text = self.tr("nnvis did not close cleanly last time. Restore the experiment that "
                       "was running (its weights, optimiser state and history)?")
        if orphan.step is not None:
            text += " " + self.tr("The autosave holds step {0}, saved {1}.").format(
                QLocale().toString(orphan.step), self._when(orphan.modified))
        if more:
            text += " " + self.tr("Other crashed sessions can be restored from "
                                  "File ▸ Recover ({0} more).").format(more)
        box = QMessageBox(QMessageBox.Question, self.tr("Restore the last experiment?"), text,
                          QMessageBox.Yes | QMessageBox.Discard | QMessageBox.Cancel,
                          self._window)
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

    def retranslate(self):
        self._recover_menu.setTitle(self.tr("Re&cover"))
        self._update_recover_menu()

    def _update_recover_menu(self):
        menu = self._recover_menu
        menu.clear()
        for orphan in self._orphans:
            label = (self.tr("Step {0}, saved {1}").format(QLocale().toString(orphan.step),
                                                           self._when(orphan.modified))
                     if orphan.step is not None
                     else self.tr("Unreadable autosave, saved {0}").format(
                         self._when(orphan.modified)))
            act = menu.addAction(label)
            act.triggered.connect(partial(self.restore_orphan, orphan, self.tr(
                "Restored the experiment from the autosave (step {0})")))
        if self._orphans:
            menu.addSeparator()
            menu.addAction(self.tr("Discard all")).triggered.connect(self.discard_orphans)
        menu.setEnabled(bool(self._orphans) and not self._watching)

    def discard_orphan(self, orphan: Orphan):
        self._recovery.discard(orphan)
        self._orphans = [o for o in self._orphans if o is not orphan]
        self._update_recover_menu()

    def discard_orphans(self):
        for orphan in list(self._orphans):
            self.discard_orphan(orphan)

    def restore_orphan(self, orphan: Orphan, note: str) -> bool:
        """Load what a gone app left (``note`` with {0} = its step goes to the status bar
        once loaded). A file that cannot be read is said in the banner, and kept."""
        if not self._load_autosave(orphan.path, note):
            return False
        self._restoring, self._restoring_own = orphan, False   # the latest asked wins
        return True

    def restore_autosave(self, note: str) -> bool:
        """Load this app's own autosave (after its trainer died)."""
        if self.autosave_file is None or not self._load_autosave(self.autosave_file, note):
            return False
        self._restoring, self._restoring_own = None, True
        self._trainer_gone = False
        return True

    def _load_autosave(self, path, note: str) -> bool:
        """Ask the trainer to load an autosave; False (said in the banner) if unreadable."""
        try:
            step = saved_step(path)
        except ExperimentFileError as exc:
            self._banner.show_error(self.tr("Could not restore the autosave: {0}").format(exc))
            return False
        self._restore_note = note.format(QLocale().toString(step))
        self._engine.send(cmd.Pause())
        self._engine.send(cmd.Load(str(path)))
        return True

    def on_loaded(self, path: str) -> bool:
        """The trainer loaded ``path``: True if it was a restore (else a file opened, which
        becomes the save target). A load is a restore only when it is the file the pending
        restore asked for — a restore the trainer refused leaves nothing pending for the
        next file — and a file of the autosave folder is never a save target."""
        restoring = self._restoring
        if restoring is not None and path == str(restoring.path):
            self._restoring = None
            # Kept until this app's own autosave holds it: a crash in between loses nothing.
            self._adopted = restoring
            self._orphans = [o for o in self._orphans if o is not restoring]
            self._update_recover_menu()
            self._autosaver.save_now()
        elif self._restoring_own and path == str(self.autosave_file):
            self._restoring_own = False
        elif not self._in_autosave_folder(path):
            return False
        if self._restore_note:
            self.status.emit(self._restore_note, 10000)
            self._restore_note = None
        return True

    def _in_autosave_folder(self, path: str) -> bool:
        return self._recovery is not None and self._recovery.holds(path)

    # ------------------------------------------------------------------ the trainer
    def trainer_gone(self):
        """The trainer process died: a save in flight is never answered; an experiment
        being adopted is back in File ▸ Recover (its file is still there)."""
        self._trainer_gone = True
        self._autosaver.abandon()
        if self._adopted is not None:
            self._orphans.insert(0, self._adopted)
            self._adopted = None
            self._update_recover_menu()

    def trainer_restarted(self):
        """A new trainer replaces the old one (dead or silent): what was asked of the old
        one is never answered."""
        self._trainer_gone = False
        self._autosaver.abandon()

    def set_watching(self, on: bool):
        """A watched script is shown (or no longer): nothing of nnvis's own to save."""
        self._watching = on
        self._autosaver.suspend(on)
        self._update_recover_menu()

    # ------------------------------------------------------------------ closing
    def close_by_signal(self):
        """Close as a logout would have it: the experiment kept in the autosave, reopened on
        the next start. Open dialogs close first (their event loops would keep the app)."""
        self._closed_by_signal = self._closing = True
        for _ in range(5):
            modal = QApplication.activeModalWidget()
            if modal is None:
                break
            modal.reject() if isinstance(modal, QDialog) else modal.close()
        self._window.close()

    def save_if_closed_by_signal(self) -> bool:
        """Closing by signal: have the trainer write the experiment to the autosave and
        wait for it; True if the file then holds the running experiment. A save that fails
        or does not finish in time leaves the last good autosave as it was (saves are
        atomic)."""
        saver = self._autosaver
        if not (self._closed_by_signal and saver.enabled):
            return False
        if self._trainer_gone:   # no trainer to ask: keep what was saved
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
        answered = saver.confirmations + saver.failures == saver.requests
        # Only the answer to this save counts: an earlier one confirmed meanwhile holds an
        # earlier state, and this one may have failed.
        return (answered and saver.last_answer_ok and saver.confirmations > before
                and saver.saved_step is not None)

    def close(self, saved: bool):
        """The trainer is gone. Closed by the user: nothing to recover. Closed by the
        system: kept, reopened next time if its save worked (``saved``), else offered as
        after a crash (the last good autosave)."""
        self._closing = True
        if self._adopted is not None and not self._closed_by_signal:
            self._recovery.discard(self._adopted)   # restored and closed: done with it
        # Closed while a script was watched: there was nothing of nnvis's own to keep.
        keep = self._closed_by_signal and not self._watching
        self._recovery.close(keep=keep, closed_by_system=saved)
