"""The UI language: which ones exist, installing Qt translators, a font with CJK glyphs.

English is the source language (every ``tr()`` string is English), so English needs no
translator. Another language installs two QTranslators: nnvis's own messages
(``resources/i18n/nnvis_<code>.qm``, compiled from the Qt Linguist ``.ts`` beside it) and
Qt's (``qtbase_<code>.qm`` shipped with PySide6: file dialogs, standard buttons, context
menus; the few it lacks are in nnvis's own, see :mod:`nnvis.app.qt_gaps`). Installing or
removing a translator makes Qt send ``QEvent.LanguageChange`` to every widget, which is what
lets each one retranslate itself live.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from nnvis import RESOURCES

from . import settings as app_settings

#: Language code -> its name in that language (what the View ▸ Language menu lists).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
DEFAULT = "en"
#: Other spellings accepted on the command line and in old settings ("zh": the lessons-only
#: language setting of earlier versions).
ALIASES = {"zh": "zh_CN", "zh-cn": "zh_CN", "zh_cn": "zh_CN", "zh-hans": "zh_CN",
           "en_us": "en", "en-us": "en", "en_gb": "en"}
QM_DIR = RESOURCES / "i18n"
#: Fonts with Simplified Chinese glyphs, best first (Linux, Linux, Linux, Windows, macOS).
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "Microsoft YaHei", "PingFang SC", "Noto Sans SC", "Droid Sans Fallback")

_state = {"code": DEFAULT, "translators": [], "latin_font": None}


class Retranslating:
    """Mixin for a widget that sets its texts in ``retranslate()``: it runs again whenever
    the language changes. List it before the Qt class: ``class Panel(Retranslating,
    QWidget)``."""

    def changeEvent(self, event):
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self):
        raise NotImplementedError


def normalize(code) -> str | None:
    """A known language code for ``code`` ("zh" -> "zh_CN"), or None."""
    if code is None:
        return None
    text = str(code).strip()
    if text in LANGUAGES:
        return text
    return ALIASES.get(text.lower())


def system_language() -> str:
    """The system locale's language if nnvis has it (any Chinese locale gets Simplified
    Chinese: the only Chinese there is), else English."""
    name = QLocale.system().name()
    return "zh_CN" if name.lower().startswith("zh") else normalize(name) or DEFAULT


def saved_language() -> str:
    """The remembered choice, else the system's language."""
    raw = app_settings.load_language()
    code = normalize(raw)
    if raw is not None and code is None:
        app_settings.log.warning("ignoring unknown saved language %r", raw)
    return code or system_language()


def current_language() -> str:
    return _state["code"]


def lesson_language() -> str:
    """The key of the lesson texts for the UI language ("en" | "zh")."""
    return "zh" if _state["code"].startswith("zh") else "en"


def qm_path(code: str) -> Path:
    return QM_DIR / f"nnvis_{code}.qm"


def _load(name: str, folder) -> QTranslator | None:
    translator = QTranslator(QCoreApplication.instance())
    if translator.load(name, str(folder)):
        return translator
    translator.deleteLater()
    return None


def cjk_family() -> str | None:
    """An installed font family that has Chinese glyphs (None: let Qt fall back)."""
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), None)


def _apply_font(code: str):
    """Chinese text in a font made for it: Qt's per-glyph fallback picks any font that has
    the glyph, often a mismatched or bitmap one, and on a bare Linux finds none (boxes).
    The CJK family comes after the usual one: CJK fonts draw ‖, ∂ and digits full-width,
    which spread the formulas apart."""
    app = QGuiApplication.instance()
    if app is None:
        return
    if _state["latin_font"] is None:
        _state["latin_font"] = QFont(app.font())
    font = QFont(_state["latin_font"])
    family = cjk_family() if code.startswith("zh") else None
    if family is not None:
        font.setFamilies(font.families() + [family])
    if font != app.font():
        app.setFont(font)


def set_language(code: str, save: bool = False) -> str:
    """Install ``code``'s translators (removing the previous ones), so every widget
    retranslates now; optionally remember the choice. Returns the code in use."""
    code = normalize(code) or DEFAULT
    app = QCoreApplication.instance()
    for translator in _state["translators"]:
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()
    _state["translators"] = []
    _state["code"] = code
    QLocale.setDefault(QLocale(code))   # numbers: QLocale().toString(...)
    _apply_font(code)
    if code != DEFAULT and app is not None:
        for translator in (_load(f"nnvis_{code}", QM_DIR),
                           _load(f"qtbase_{code}",
                                 QLibraryInfo.path(QLibraryInfo.TranslationsPath))):
            if translator is not None:
                QCoreApplication.installTranslator(translator)
                _state["translators"].append(translator)
    if save:
        app_settings.save_language(code)
    return code
