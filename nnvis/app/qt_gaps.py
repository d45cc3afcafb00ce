"""Qt's own file-dialog labels that Qt's Chinese catalogue lacks.

Qt 6 gave them mnemonics ("&Look in:") and the ``qtbase_zh_CN.qm`` shipped with PySide6
still has them without, so a Chinese file dialog said "Look in:" and "Files of type:".
Declared here in Qt's own context, lupdate puts them in nnvis's .ts, where they are
translated; Qt asks nnvis's translator (installed by :mod:`nnvis.app.i18n`) when its own
has no answer. Nothing imports this module: it exists for lupdate.
"""
from PySide6.QtCore import QT_TRANSLATE_NOOP

MISSING_FROM_QTBASE = (QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
                       QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"))
