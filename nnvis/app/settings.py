"""Remembered window layout, last config and language (QSettings).

Corrupt or foreign values fall back to defaults with a logged warning, never a crash.
``NNVIS_SETTINGS_SCOPE`` picks another settings file (the tests use their own).
"""
from __future__ import annotations

import json
import logging
import os

from PySide6.QtCore import QByteArray, QSettings

from nnvis.core import Config, ConfigError

log = logging.getLogger("nnvis.settings")


def qsettings() -> QSettings:
    return QSettings("nnvis", os.environ.get("NNVIS_SETTINGS_SCOPE", "nnvis"))


def unwritable() -> str | None:
    """The settings file, if it cannot be written (then nothing is remembered)."""
    s = qsettings()
    return None if s.isWritable() else s.fileName()


def reset_settings():
    s = qsettings()
    s.clear()
    s.sync()


def _bytes(value):
    if isinstance(value, QByteArray):
        return value
    if isinstance(value, (bytes, bytearray)):
        return QByteArray(bytes(value))
    return None


def restore_window(window) -> bool:
    """Restore the saved geometry and dock layout; True if a saved layout was applied."""
    s = qsettings()
    geometry, state = _bytes(s.value("window/geometry")), _bytes(s.value("window/state"))
    if s.value("window/geometry") is not None and (geometry is None or
                                                   not window.restoreGeometry(geometry)):
        log.warning("ignoring unreadable saved window geometry")
    if s.value("window/state") is None:
        return False
    if state is None or not window.restoreState(state):
        log.warning("ignoring unreadable saved window layout")
        return False
    return True


def save_window(window):
    s = qsettings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    s.sync()


def load_last_config() -> Config:
    raw = qsettings().value("config/last")
    if raw is None:
        return Config()
    try:
        return Config.from_dict(json.loads(str(raw)))
    except (ConfigError, ValueError, TypeError) as exc:
        log.warning("ignoring unreadable saved config (%s); using defaults", exc)
        return Config()


def save_last_config(config: Config):
    s = qsettings()
    s.setValue("config/last", config.to_json())
    s.sync()


LANGUAGE_KEY = "ui/language"
_OLD_LESSON_LANG = "lessons/lang"   # before the whole UI was translated: "en" | "zh"


def load_language() -> str | None:
    """The saved UI language code as stored (None: never chosen). A value saved by an older
    nnvis for the lessons only is moved to the app-wide key once."""
    s = qsettings()
    value = s.value(LANGUAGE_KEY)
    old = s.value(_OLD_LESSON_LANG)
    if old is not None:
        s.remove(_OLD_LESSON_LANG)
        if value is None:
            value = str(old)
            s.setValue(LANGUAGE_KEY, value)
        s.sync()
    return None if value is None else str(value)


def save_language(code: str):
    s = qsettings()
    s.setValue(LANGUAGE_KEY, code)
    s.sync()


def take_legacy_autosave():
    """The single autosave of nnvis before one per running app, once: (its path, whether
    the system closed that app), or None. Its session marks are removed."""
    from pathlib import Path

    from PySide6.QtCore import QStandardPaths

    s = qsettings()
    closed = str(s.value("session/restore_autosave", "false")).lower() == "true"
    for key in ("session/clean_exit", "session/restore_autosave"):
        s.remove(key)
    s.sync()
    base = QStandardPaths.writableLocation(QStandardPaths.GenericDataLocation) or "."
    scope = os.environ.get("NNVIS_SETTINGS_SCOPE", "nnvis")
    path = Path(base) / "nnvis" / f"{scope}-autosave.nnvis"
    return (path, closed) if path.is_file() else None
