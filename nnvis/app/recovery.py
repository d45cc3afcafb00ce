"""Where running experiments are autosaved, one slot per running nnvis, and what a crashed or
closed one left behind.

Each running app claims a slot of its own in the autosave folder: ``<id>.nnvis`` (the
experiment), ``<id>.lock`` (a :class:`QLockFile` held while that app lives: the system frees
it when the process dies, however it dies) and ``<id>.json`` (how it ended: still
"running" — so a crash — or "closed_by_system" after a logout saved it). Two windows open
at once never share or touch each other's slot; a slot whose lock is free is an *orphan*:
its app is gone, and the next start offers it. While one app offers an orphan it holds the
orphan's lock, so a second app started meanwhile does not offer it too.

A slot is deleted only when its app closes normally, or when the user discards or restores
an orphan: a failed save never deletes the last good file (the save is atomic, and the
state stays "running", so the next start offers what is there).
"""
from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

from nnvis.core.persistence import ExperimentFileError, saved_step
from nnvis.core.temporaries import remove_stale

log = logging.getLogger("nnvis.recovery")

RUNNING, CLOSED_BY_SYSTEM = "running", "closed_by_system"


@dataclass(frozen=True)
class Orphan:
    """An autosave whose app is gone."""

    path: Path
    #: The step it holds (None: the file cannot be read; ``problem`` says why).
    step: int | None
    #: Saved because the system closed the app (reopened quietly), not left by a crash.
    closed_by_system: bool
    modified: float
    problem: str | None = None


def default_folder() -> Path:
    """``<data>/nnvis/autosave/<scope>``: ``NNVIS_SETTINGS_SCOPE`` keeps tests apart."""
    base = QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation) or "."
    return Path(base) / "nnvis" / "autosave" / os.environ.get("NNVIS_SETTINGS_SCOPE", "nnvis")


def _write_json(path: Path, data: dict):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)   # stale only when its process is gone, never by age
    return lock


class RecoveryStore:
    """This app's autosave slot and the orphans of apps that are gone."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_folder()
        #: Why recovery is off (None: it is on); English, for the log and the banner.
        self.problem: str | None = None
        self.autosave_path: Path | None = None
        self._own: str | None = None
        self._locks: dict[str, QLockFile] = {}

    def holds(self, path) -> bool:
        """Whether ``path`` is a file of the autosave folder (never a save target)."""
        return Path(path).parent == self.folder

    # ---------------------------------------------------------------- this app's slot
    def claim(self) -> Path | None:
        """Create this app's slot; its autosave path, or None (``problem`` says why)."""
        slot = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = _lock(self.folder / f"{slot}.lock")
            if not lock.tryLock(0):
                raise OSError(f"cannot create a lock file ({lock.error().name})")
            self._locks[slot] = lock
            _write_json(self.folder / f"{slot}.json", {"state": RUNNING, "pid": os.getpid()})
        except OSError as exc:
            self.problem = f"{self.folder}: {exc.strerror or exc}"
            log.warning("autosave and crash recovery are off: %s", self.problem)
            self._drop(slot)
            return None
        self._own = slot
        self.autosave_path = self.folder / f"{slot}.nnvis"
        return self.autosave_path

    def close(self, keep: bool, closed_by_system: bool = False):
        """This app is closing: ``keep`` its autosave for the next start (as left by the
        system when ``closed_by_system``, else as after a crash), or delete its slot. Locks
        of orphans it did not act on are freed: the next start offers them again."""
        own, self._own = self._own, None
        if own is not None:
            if keep and closed_by_system:
                try:
                    _write_json(self.folder / f"{own}.json", {"state": CLOSED_BY_SYSTEM})
                except OSError as exc:   # then it is offered as after a crash: still there
                    log.warning("could not mark the autosave as saved at close: %s", exc)
            if not keep:
                self._drop(own)
        for slot in list(self._locks):
            self._locks.pop(slot).unlock()

    # ---------------------------------------------------------------- orphans
    def orphans(self) -> list[Orphan]:
        """The slots whose app is gone, newest first, now held by this app. Slots that hold
        no experiment (the app died before its first save) are removed."""
        if self._own is None or not self.folder.is_dir():
            return []
        found = []
        for slot in sorted({p.name.split(".", 1)[0] for p in self.folder.iterdir()
                            if p.suffix in (".json", ".nnvis", ".lock")
                            and not p.name.startswith(".")}):
            if slot in self._locks:
                continue
            lock = _lock(self.folder / f"{slot}.lock")
            if not lock.tryLock(0):
                continue   # its app is alive
            self._locks[slot] = lock
            remove_stale(self.folder / f"{slot}.nnvis")   # what its killed saves left
            orphan = self._read(slot)
            if orphan is None:
                self._drop(slot)
            else:
                found.append(orphan)
        return sorted(found, key=lambda o: o.modified, reverse=True)

    def _read(self, slot: str) -> Orphan | None:
        path = self.folder / f"{slot}.nnvis"
        if not path.is_file():
            return None
        try:
            state = json.loads((self.folder / f"{slot}.json").read_text(encoding="utf-8"))
            closed = isinstance(state, dict) and state.get("state") == CLOSED_BY_SYSTEM
        except (OSError, ValueError):
            closed = False   # no readable state: as after a crash, it is offered
        try:
            step, problem = saved_step(path), None
        except ExperimentFileError as exc:
            step, problem = None, str(exc)
        return Orphan(path, step, closed, path.stat().st_mtime, problem)

    def discard(self, orphan: Orphan):
        """Delete an orphan (the user discarded it, or it was restored and saved again)."""
        self._drop(orphan.path.name.split(".", 1)[0])

    def _drop(self, slot: str):
        for ext in (".nnvis", ".json"):
            try:
                (self.folder / f"{slot}{ext}").unlink(missing_ok=True)
            except OSError:
                pass
        # A save killed mid-way left its temporary beside the slot, and no save will ever
        # target this slot again to clear it.
        for leftover in self.folder.glob(f".{slot}.nnvis.*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass
        lock = self._locks.pop(slot, None)
        if lock is not None:
            lock.unlock()

    def adopt_legacy(self, path: Path, closed_by_system: bool):
        """Move the single autosave of nnvis before slots into the folder as an orphan."""
        if self._own is None or not path.is_file():
            return
        slot = f"legacy-{int(path.stat().st_mtime)}"
        try:
            os.replace(path, self.folder / f"{slot}.nnvis")
            _write_json(self.folder / f"{slot}.json",
                        {"state": CLOSED_BY_SYSTEM if closed_by_system else RUNNING})
        except OSError as exc:
            log.warning("could not move the old autosave %s: %s", path, exc)
