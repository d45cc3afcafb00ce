"""The main window's menus: File, View, Lessons, Engine and Help, each action handed to the
object that does its job (the files, the session's File ▸ Recover, watching, the docks)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from nnvis.lessons import LESSONS

from . import i18n
from .dock_layout import DockLayout
from .file_controller import FileController
from .lessons_panel import LessonsPanel
from .metrics_export import MetricsExport
from .model_export import ModelExport
from .session_controller import SessionController
from .watching import WatchMode

ENGINES = ("process", "thread")


class MenuBar(QObject):
    lesson_chosen = Signal(str)
    engine_chosen = Signal(str)

    def __init__(self, window: QMainWindow, files: FileController, metrics: MetricsExport,
                 model: ModelExport, session: SessionController, watch_mode: WatchMode,
                 docks: DockLayout, lessons: LessonsPanel, engine: str):
        super().__init__(window)
        self._window = window
        self._session = session
        self._docks = docks
        self._lessons = lessons
        m = window.menuBar()
        self._menus = {key: m.addMenu("") for key in ("file", "view", "lessons", "engine",
                                                       "help")}
        f = self._menus["file"]
        self._file_actions = []
        for key, slot in ((QKeySequence.Open, files.open_dialog),
                          (None, files.open_csv_dialog), (None, watch_mode.open_recording_dialog),
                          (QKeySequence.Save, files.save),
                          (QKeySequence.SaveAs, files.save_as_dialog),
                          (None, files.save_screenshot_dialog),
                          (None, metrics.export_dialog),
                          (QKeySequence.Quit, window.close)):
            act = f.addAction("")
            if key is not None:
                act.setShortcut(key)
            act.triggered.connect(slot)
            self._file_actions.append(act)
        f.insertMenu(self._file_actions[3], session.recover_menu)
        self._model_menu = QMenu(window)
        self._model_actions = {}
        for kind in ("pytorch", "onnx"):
            act = self._model_menu.addAction("")
            act.triggered.connect(lambda _=False, k=kind: model.export_dialog(k))
            self._model_actions[kind] = act
        f.insertMenu(self._file_actions[-1], self._model_menu)   # before Quit
        v = self._menus["view"]
        for dock in docks.docks.values():
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        self._reset_layout = v.addAction("")
        self._reset_layout.triggered.connect(docks.reset)
        v.addSeparator()
        # One language for the whole app, the lessons included (View ▸ Language).
        self._language_menu = v.addMenu("")
        group = QActionGroup(window)
        self._language_actions = {}
        for code, name in i18n.LANGUAGES.items():
            act = self._language_menu.addAction(name)   # each in its own language
            act.setCheckable(True)
            act.setChecked(code == i18n.current_language())
            act.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(act)
            self._language_actions[code] = act
        self._lesson_actions = {}
        for lesson in LESSONS.values():
            act = self._menus["lessons"].addAction("")
            act.triggered.connect(lambda _=False, i=lesson.id: self.lesson_chosen.emit(i))
            self._lesson_actions[lesson.id] = act
        group = QActionGroup(window)
        self._engine_actions = {}
        for name in ENGINES:
            act = self._menus["engine"].addAction("")
            act.setCheckable(True)
            act.setChecked(name == engine)
            act.triggered.connect(lambda _=False, n=name: self.engine_chosen.emit(n))
            group.addAction(act)
            self._engine_actions[name] = act
        h = self._menus["help"]
        self._help_actions = [h.addAction(""), h.addAction("")]
        self._help_actions[0].triggered.connect(self._on_shortcuts)
        self._help_actions[1].triggered.connect(self._on_about)

    @property
    def file_actions(self) -> list[QAction]:
        """Open, Open CSV, Open recording, Save, Save as, Screenshot, Export metrics, Quit (in
        that order)."""
        return list(self._file_actions)

    @property
    def model_actions(self) -> dict[str, QAction]:
        """File ▸ Export model ▸ PyTorch… and ONNX…, by kind."""
        return dict(self._model_actions)

    @property
    def lesson_actions(self) -> dict[str, QAction]:
        return dict(self._lesson_actions)

    def check_engine(self, engine: str):
        self._engine_actions[engine].setChecked(True)

    def set_language(self, code: str):
        """Switch the whole app (lessons included) to ``code`` now and remember it; training
        goes on."""
        code = i18n.set_language(code, save=True)
        self._language_actions[code].setChecked(True)

    def retranslate(self):
        for menu, text in zip(self._menus.values(), (self.tr("&File"), self.tr("&View"),
                                                     self.tr("&Lessons"), self.tr("&Engine"),
                                                     self.tr("&Help"))):
            menu.setTitle(text)
        for act, text in zip(self._file_actions, (
                self.tr("&Open experiment…"), self.tr("Open CSV &data…"),
                self.tr("Open &recording…"),
                self.tr("&Save experiment"), self.tr("Save experiment &as…"),
                self.tr("Save &screenshot…"), self.tr("Export &metrics…"),
                self.tr("&Quit"))):
            act.setText(text)
        self._model_menu.setTitle(self.tr("Export &model"))
        self._model_actions["pytorch"].setText(self.tr("&PyTorch…"))
        self._model_actions["onnx"].setText(self.tr("&ONNX…"))
        self._session.retranslate()
        self._reset_layout.setText(self.tr("Reset layout"))
        self._language_menu.setTitle(self.tr("Language"))
        for lesson_id, act in self._lesson_actions.items():
            act.setText(self._lessons.title_of(lesson_id))
        self._engine_actions["process"].setText(self.tr("Trainer process (fast, default)"))
        self._engine_actions["thread"].setText(self.tr("Worker thread (in-process)"))
        self._help_actions[0].setText(self.tr("Keyboard shortcuts"))
        self._help_actions[1].setText(self.tr("About nnvis"))

    def shortcuts_html(self) -> str:
        """Every window action with a key, as the menus and toolbar define them."""
        rows = []
        for act in self._window.findChildren(QAction):
            key = act.shortcut().toString(QKeySequence.NativeText)
            if key and act.text():
                rows.append(f"<tr><td><b>{key}</b></td><td>&nbsp;&nbsp;"
                            f"{act.text().replace('&', '')}</td></tr>")
        return "<table>" + "".join(sorted(set(rows))) + "</table>"

    @Slot()
    def _on_shortcuts(self):
        QMessageBox.information(self._window, self.tr("Keyboard shortcuts"),
                                self.shortcuts_html())

    @Slot()
    def _on_about(self):
        from nnvis import __version__
        QMessageBox.about(self._window, self.tr("About nnvis"), self.tr(
            "<b>nnvis {0}</b> — watch a neural network learn.<br>A NumPy trainer runs off the "
            "GUI thread; every panel shows what the notes teach: vanishing gradients, dead "
            "ReLUs, saturation, initialisation, dropout and batch norm.").format(__version__))
