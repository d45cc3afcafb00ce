"""The lessons dock: pick a lesson, read what to look at and what to change, in English or
Simplified Chinese."""
from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QTextBrowser, QVBoxLayout, QWidget)

from nnvis.lessons import LESSONS

UI = {
    "en": {"load": "Load lesson", "lang": "Language", "pick": "Pick a lesson, then press Load."},
    "zh": {"load": "载入课程", "lang": "语言", "pick": "选择一个课程,然后点击“载入课程”。"},
}


class LessonsPanel(QWidget):
    panel_id = "lessons"
    title = "Lessons"
    lesson_requested = Signal(str)

    def __init__(self, lang: str = "en", parent=None):
        super().__init__(parent)
        self.lang = lang if lang in UI else "en"
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.lang_label = QLabel()
        top.addWidget(self.lang_label)
        self.lang_combo = QComboBox()
        self.lang_combo.addItem("English", "en")
        self.lang_combo.addItem("简体中文", "zh")
        self.lang_combo.setCurrentIndex(0 if self.lang == "en" else 1)
        self.lang_combo.currentIndexChanged.connect(self._on_lang_changed)
        top.addWidget(self.lang_combo, 1)
        lay.addLayout(top)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.list.itemDoubleClicked.connect(lambda _: self._on_load_clicked())
        lay.addWidget(self.list, 1)
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self._on_load_clicked)
        lay.addWidget(self.load_button)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        lay.addWidget(self.text, 3)
        self._fill()

    def _fill(self):
        row = max(self.list.currentRow(), 0)
        self.list.blockSignals(True)
        self.list.clear()
        for lesson in LESSONS.values():
            item = QListWidgetItem(lesson.title.get(self.lang, lesson.title.get("en", lesson.id)))
            item.setData(256, lesson.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ui = UI[self.lang]
        self.lang_label.setText(ui["lang"])
        self.load_button.setText(ui["load"])
        self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._on_row_changed(self.list.currentRow())

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    def show_lesson(self, lesson_id: str):
        ids = list(LESSONS)
        if lesson_id in ids:
            self.list.setCurrentRow(ids.index(lesson_id))

    @Slot(int)
    def _on_row_changed(self, row: int):
        lesson_id = self.current_id()
        if lesson_id is None:
            self.text.setHtml(UI[self.lang]["pick"])
            return
        lesson = LESSONS[lesson_id]
        body = lesson.text.get(self.lang) or lesson.text.get("en") or UI[self.lang]["pick"]
        self.text.setHtml(f"<h3>{lesson.title.get(self.lang, lesson_id)}</h3>{body}")

    @Slot(int)
    def _on_lang_changed(self, index: int):
        self.lang = self.lang_combo.itemData(index)
        self._fill()

    @Slot()
    def _on_load_clicked(self):
        lesson_id = self.current_id()
        if lesson_id:
            self.lesson_requested.emit(lesson_id)
