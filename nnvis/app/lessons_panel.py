"""The lessons dock: pick a lesson, read what to look at and what to change — in the app's
language (English or Simplified Chinese: View ▸ Language)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QGridLayout, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QTextBrowser, QVBoxLayout, QWidget)

from nnvis.lessons import LESSONS

from . import i18n, lesson_text, ui_labels
from .i18n import Retranslating

class LessonsPanel(Retranslating, QWidget):
    panel_id = "lessons"
    lesson_requested = Signal(str)
    changes_requested = Signal(dict)     # flip a switch on the running trainer
    restart_requested = Signal(dict)     # a switch applied to fresh weights
    compare_requested = Signal(object)   # dict: train a flipped copy alongside; None: stop
    handmade_xor_requested = Signal()
    view_requested = Signal(str)         # a lesson's view button: "panel:what"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.lang = i18n.lesson_language()   # the texts follow the app's language
        lay = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setWordWrap(True)   # long titles wrap instead of scrolling sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.list.currentRowChanged.connect(self._on_row_changed)
        self.list.itemDoubleClicked.connect(lambda _: self._on_load_clicked())
        lay.addWidget(self.list, 1)
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self._on_load_clicked)
        lay.addWidget(self.load_button)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        # Links between lessons ("lesson:ID") load that lesson instead of navigating.
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._on_anchor_clicked)
        self.views_box = QVBoxLayout()
        lay.addWidget(self.text, 3)
        # The lesson's switches: flip on the running net, or train both side by side.
        self.flip_button = QPushButton()
        self.flip_button.clicked.connect(self._on_flip_clicked)
        self.compare_button = QPushButton()
        self.compare_button.setCheckable(True)
        self.compare_button.toggled.connect(self._on_compare_toggled)
        self.xor_button = QPushButton()
        self.xor_button.clicked.connect(self.handmade_xor_requested)
        self.try_label = QLabel()
        self.variants_box = QGridLayout()
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #8a93a6;")
        lay.addLayout(self.views_box)
        for w in (self.flip_button, self.compare_button, self.xor_button, self.try_label):
            lay.addWidget(w)
        lay.addLayout(self.variants_box)
        lay.addWidget(self.hint)
        self._loaded_id: str | None = None
        self._variant_buttons: list[QPushButton] = []
        self._view_buttons: list[QPushButton] = []
        self._fill()

    @property
    def loaded_id(self) -> str | None:
        """The lesson loaded (its switches apply to it), None when none is."""
        return self._loaded_id

    def view_buttons(self) -> list[QPushButton]:
        """The shown lesson's view buttons, in the order its text walks through them."""
        return list(self._view_buttons)

    def retranslate(self):
        self.lang = i18n.lesson_language()
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
        self.load_button.setText(self.tr("Load lesson"))
        self.compare_button.setToolTip(self.tr("Train a copy with the switch flipped (same data, "
                                               "seed and batches); the gradient-flow panel "
                                               "overlays both"))
        self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._on_row_changed(self.list.currentRow())

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    def show_lesson(self, lesson_id: str):
        """Select a lesson and mark it as the one running (its switches become active)."""
        ids = list(LESSONS)
        self._loaded_id = lesson_id
        self.compare_button.blockSignals(True)
        self.compare_button.setChecked(False)
        self.compare_button.blockSignals(False)
        if lesson_id in ids:
            self.list.setCurrentRow(ids.index(lesson_id))
        self._update_switches()

    def _label(self, d: dict, fallback: str = "") -> str:
        return d.get(self.lang) or d.get("en") or fallback

    def _update_switches(self):
        lesson = LESSONS.get(self.current_id() or "")
        active = lesson is not None and lesson.id == self._loaded_id
        has_compare = bool(lesson and lesson.compare)
        switch = self._label(lesson.compare_label, "") if has_compare else ""
        self.flip_button.setText(ui_labels.text("lessons.flip").format(switch))
        self.compare_button.setText(ui_labels.text("lessons.compare").format(switch))
        for w in (self.flip_button, self.compare_button):
            w.setVisible(has_compare)
            w.setEnabled(active)
        self.xor_button.setText(ui_labels.text("lessons.xor"))
        self.xor_button.setVisible(bool(lesson and lesson.id == "xor"))
        self.xor_button.setEnabled(active)
        for box, buttons in ((self.variants_box, self._variant_buttons),
                             (self.views_box, self._view_buttons)):
            for b in buttons:
                box.removeWidget(b)
                b.deleteLater()
        self._variant_buttons = []
        self._view_buttons = []
        for view in (lesson.views if lesson else ()):
            b = QPushButton(self._label(view["label"]))
            b.setEnabled(active)
            b.clicked.connect(lambda _=False, v=view["view"]: self.view_requested.emit(v))
            self.views_box.addWidget(b)
            self._view_buttons.append(b)
        variants = lesson.variants if lesson else ()
        self.try_label.setText(ui_labels.text("lessons.also_try"))
        self.try_label.setVisible(bool(variants))
        for i, variant in enumerate(variants):
            b = QPushButton(self._label(variant["label"]))
            b.setEnabled(active)
            wanted = self.restart_requested if variant.get("restart") else self.changes_requested
            b.clicked.connect(lambda _=False, c=variant["changes"], s=wanted: s.emit(dict(c)))
            self.variants_box.addWidget(b, i // 2, i % 2)
            self._variant_buttons.append(b)
        self.hint.setText("" if active or lesson is None else
                          self.tr("Load this lesson first to use its switches."))

    def _on_anchor_clicked(self, url):
        if url.scheme() == "lesson" and url.path() in LESSONS:
            self.list.setCurrentRow(list(LESSONS).index(url.path()))
            self.lesson_requested.emit(url.path())

    @Slot()
    def _on_flip_clicked(self):
        lesson = LESSONS.get(self._loaded_id or "")
        if lesson and lesson.compare:
            self.changes_requested.emit(dict(lesson.compare))

    @Slot(bool)
    def _on_compare_toggled(self, on: bool):
        lesson = LESSONS.get(self._loaded_id or "")
        self.compare_requested.emit(dict(lesson.compare) if on and lesson else None)

    @Slot(int)
    def _on_row_changed(self, row: int):
        lesson_id = self.current_id()
        if lesson_id is None:
            self.text.setHtml(self.tr("Pick a lesson, then press Load."))
            if hasattr(self, "flip_button"):
                self._update_switches()
            return
        lesson = LESSONS[lesson_id]
        body = lesson_text.render(lesson, self.lang if self.lang in lesson.text else "en")
        self.text.setHtml(f"<h3>{lesson.title.get(self.lang, lesson_id)}</h3>{body}")
        self._update_switches()

    def title_of(self, lesson_id: str) -> str:
        """A lesson's title in the chosen language."""
        lesson = LESSONS.get(lesson_id)
        if lesson is None:
            return lesson_id
        # The app's language, not ``self.lang``: the window may retranslate before this panel.
        return lesson.title.get(i18n.lesson_language()) or lesson.title.get("en", lesson_id)

    @Slot()
    def _on_load_clicked(self):
        lesson_id = self.current_id()
        if lesson_id:
            self.lesson_requested.emit(lesson_id)
