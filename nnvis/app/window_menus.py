"""The main window's toolbar, menus and status bar, and the texts they show."""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QMessageBox, QStyle, QToolBar

from nnvis.lessons import LESSONS

from . import i18n

SPEEDS = [(QT_TRANSLATE_NOOP("MainWindow", "Max speed"), None),
          (QT_TRANSLATE_NOOP("MainWindow", "1000 steps/s"), 1000),
          (QT_TRANSLATE_NOOP("MainWindow", "300 steps/s"), 300),
          (QT_TRANSLATE_NOOP("MainWindow", "100 steps/s"), 100),
          (QT_TRANSLATE_NOOP("MainWindow", "30 steps/s"), 30),
          (QT_TRANSLATE_NOOP("MainWindow", "10 steps/s"), 10),
          (QT_TRANSLATE_NOOP("MainWindow", "1 step/s"), 1)]
WATCH_SECONDS = 15  # a lesson's interesting part should take about this long to watch


def speed_for(steps: int):
    """The slowest speed that shows ``steps`` updates within about WATCH_SECONDS: at full
    speed the default spiral is learned in under a second, before anyone sees it happen."""
    need = max(steps, 1000) / WATCH_SECONDS
    return min((v for _, v in SPEEDS if v is not None and v >= need), default=None)


class WindowMenus:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: the toolbar, menus and status bar."""

    def _build_toolbar(self):
        tb = QToolBar()
        tb.setObjectName("toolbar_training")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.TopToolBarArea, tb)
        style = self.style()
        self._icons = {"play": style.standardIcon(QStyle.SP_MediaPlay),
                       "pause": style.standardIcon(QStyle.SP_MediaPause)}
        self.play_action = QAction(self._icons["play"], "", self)
        self.play_action.setShortcut(QKeySequence(Qt.Key_Space))
        self.play_action.triggered.connect(self.toggle_play)
        self.step_action = QAction(style.standardIcon(QStyle.SP_MediaSkipForward), "", self)
        self.step_action.setShortcut(QKeySequence(Qt.Key_Right))
        self.step_action.triggered.connect(self.step_once)
        self.reset_action = QAction(style.standardIcon(QStyle.SP_BrowserReload), "", self)
        self.reset_action.setShortcut(QKeySequence(Qt.Key_R))
        self.reset_action.triggered.connect(self.reset)
        for a in (self.play_action, self.step_action, self.reset_action):
            tb.addAction(a)
            self.addAction(a)
        tb.addSeparator()
        self.speed_label = QLabel()
        tb.addWidget(self.speed_label)
        self.speed_combo = QComboBox()
        for _ in SPEEDS:
            self.speed_combo.addItem("")
        self.speed_combo.setCurrentIndex(
            next(i for i, (_, v) in enumerate(SPEEDS) if v == speed_for(0)))
        self.speed_combo.currentIndexChanged.connect(self._on_speed_changed)
        tb.addWidget(self.speed_combo)
        self.addToolBarBreak()
        bar = QToolBar()
        bar.setObjectName("toolbar_banner")
        bar.setMovable(False)
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.banner.toolbar_action = bar.addWidget(self.banner)
        self.banner_bar = bar
        self.training_bar = tb
        self.banner.clear()

    def _build_menus(self):
        m = self.menuBar()
        self.menus = {key: m.addMenu("") for key in ("file", "view", "lessons", "engine", "help")}
        f = self.menus["file"]
        self.file_actions = []
        files = self.files
        for key, slot in ((QKeySequence.Open, files.open_dialog),
                          (None, files.open_csv_dialog), (None, self.watch_mode.open_recording_dialog),
                          (QKeySequence.Save, files.save),
                          (QKeySequence.SaveAs, files.save_as_dialog),
                          (None, files.save_screenshot_dialog),
                          (QKeySequence.Quit, self.close)):
            act = f.addAction("")
            if key is not None:
                act.setShortcut(key)
            act.triggered.connect(slot)
            self.file_actions.append(act)
        f.insertMenu(self.file_actions[3], self.session.recover_menu)
        v = self.menus["view"]
        for name, dock in self.docks.items():
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        self.reset_layout_action = v.addAction("")
        self.reset_layout_action.triggered.connect(self.dock_layout.reset)
        v.addSeparator()
        # One language for the whole app, the lessons included (View ▸ Language).
        self.language_menu = v.addMenu("")
        group = QActionGroup(self)
        self.language_actions = {}
        for code, name in i18n.LANGUAGES.items():
            act = self.language_menu.addAction(name)   # each in its own language
            act.setCheckable(True)
            act.setChecked(code == i18n.current_language())
            act.triggered.connect(lambda _=False, c=code: self.set_language(c))
            group.addAction(act)
            self.language_actions[code] = act
        lessons = self.menus["lessons"]
        self.lesson_actions = {}
        for lesson in LESSONS.values():
            act = lessons.addAction("")
            act.triggered.connect(lambda _=False, i=lesson.id: self.load_lesson(i))
            self.lesson_actions[lesson.id] = act
        e = self.menus["engine"]
        group = QActionGroup(self)
        self.engine_actions = {}
        for name in ("process", "thread"):
            act = e.addAction("")
            act.setCheckable(True)
            act.setChecked(name == self.engine_controller.name)
            act.triggered.connect(lambda _=False, n=name: self.switch_engine(n))
            group.addAction(act)
            self.engine_actions[name] = act
        h = self.menus["help"]
        self.help_actions = [h.addAction(""), h.addAction("")]
        self.help_actions[0].triggered.connect(self._on_shortcuts)
        self.help_actions[1].triggered.connect(self._on_about)

    def _build_status_bar(self):
        sb = self.statusBar()
        self.status_labels = {}
        for key in ("step", "epoch", "loss", "rate", "params", "engine"):
            lab = QLabel()
            lab.setMinimumWidth(90)
            lab.setContentsMargins(10, 0, 10, 0)   # long numbers must not run together
            sb.addPermanentWidget(lab)
            self.status_labels[key] = lab

    def set_language(self, code: str):
        """Switch the whole app (lessons included) to ``code`` now and remember it; training
        goes on."""
        code = i18n.set_language(code, save=True)
        self.language_actions[code].setChecked(True)

    def retranslate(self):
        """Every text this window sets itself (each panel retranslates its own)."""
        self.setWindowTitle(self.tr("nnvis — watch a neural network learn"))
        self.dock_layout.retranslate()
        self.training_bar.setWindowTitle(self.tr("Training"))
        self.banner_bar.setWindowTitle(self.tr("Messages"))
        self._on_running_changed(self.engine_controller.running)
        self.play_action.setToolTip(self.tr("Play / pause training (Space)"))
        self.step_action.setText(self.tr("Step"))
        self.step_action.setToolTip(self.tr("Run exactly one training step (→)"))
        self.reset_action.setText(self.tr("Reset"))
        self.reset_action.setToolTip(self.tr("Reinitialise the weights (R)"))
        self.speed_label.setText(" " + self.tr("Speed") + " ")
        for i, (label, _) in enumerate(SPEEDS):
            self.speed_combo.setItemText(i, self.tr(label))
        self.speed_combo.setToolTip(self.tr("Slow training down to watch single updates"))
        for menu, text in zip(self.menus.values(), (self.tr("&File"), self.tr("&View"),
                                                    self.tr("&Lessons"), self.tr("&Engine"),
                                                    self.tr("&Help"))):
            menu.setTitle(text)
        for act, text in zip(self.file_actions, (
                self.tr("&Open experiment…"), self.tr("Open CSV &data…"),
                self.tr("Open &recording…"),
                self.tr("&Save experiment"), self.tr("Save experiment &as…"),
                self.tr("Save &screenshot…"), self.tr("&Quit"))):
            act.setText(text)
        self.session.retranslate()
        self.reset_layout_action.setText(self.tr("Reset layout"))
        self.language_menu.setTitle(self.tr("Language"))
        for lesson_id, act in self.lesson_actions.items():
            act.setText(self.lessons.title_of(lesson_id))
        self.engine_actions["process"].setText(self.tr("Trainer process (fast, default)"))
        self.engine_actions["thread"].setText(self.tr("Worker thread (in-process)"))
        self.help_actions[0].setText(self.tr("Keyboard shortcuts"))
        self.help_actions[1].setText(self.tr("About nnvis"))
        self.status_labels["loss"].setToolTip(self.tr(
            "Loss of the last mini-batch (the Loss panel's numbers are evaluations on the "
            "train and test sets)"))
        self._show_engine_name()
        if self.watch_mode.active:
            self.status_labels["engine"].setText(self.tr("watching"))
        self.watch_mode.retranslate()
        if self.latest is not None:
            self._update_status(self.latest)

    def _engine_label(self, engine: str) -> str:
        return {"process": self.tr("process"), "thread": self.tr("thread")}.get(engine, engine)

    def _show_engine_name(self):
        self.status_labels["engine"].setText(
            self.tr("engine: {0}").format(self._engine_label(self.engine_controller.name)))

    def set_speed(self, steps_per_second):
        """Choose a speed of SPEEDS (None: as fast as possible)."""
        index = next(i for i, (_, v) in enumerate(SPEEDS) if v == steps_per_second)
        if index == self.speed_combo.currentIndex():
            self._on_speed_changed(index)
        self.speed_combo.setCurrentIndex(index)

    def speed(self):
        return SPEEDS[self.speed_combo.currentIndex()][1]

    @Slot(int)
    def _on_speed_changed(self, index: int):
        self.send("speed", SPEEDS[index][1])

    def _update_status(self, snap):
        s, loc = self.status_labels, QLocale()
        s["step"].setText(self.tr("step {0}").format(loc.toString(int(snap["step"]))))
        s["epoch"].setText(self.tr("epoch {0}").format(loc.toString(int(snap["epoch"]))))
        loss = snap.get("batch_loss")
        s["loss"].setText(self.tr("batch loss {0}").format(
            loc.toString(float(loss), "g", 4) if loss == loss else "–"))
        s["rate"].setText(self.tr("{0} steps/s").format(loc.toString(round(self._rate)))
                          if self.engine_controller.running else self.tr("paused"))
        s["params"].setText(self.tr("{0} parameters").format(loc.toString(int(snap["param_count"]))))

    def shortcuts_html(self) -> str:
        """Every window action with a key, as the menus and toolbar define them."""
        rows = []
        for act in self.findChildren(QAction):
            key = act.shortcut().toString(QKeySequence.NativeText)
            if key and act.text():
                rows.append(f"<tr><td><b>{key}</b></td><td>&nbsp;&nbsp;"
                            f"{act.text().replace('&', '')}</td></tr>")
        return "<table>" + "".join(sorted(set(rows))) + "</table>"

    @Slot()
    def _on_shortcuts(self):
        QMessageBox.information(self, self.tr("Keyboard shortcuts"), self.shortcuts_html())

    @Slot()
    def _on_about(self):
        from nnvis import __version__
        QMessageBox.about(self, self.tr("About nnvis"), self.tr(
            "<b>nnvis {0}</b> — watch a neural network learn.<br>A NumPy trainer runs off the "
            "GUI thread; every panel shows what the notes teach: vanishing gradients, dead "
            "ReLUs, saturation, initialisation, dropout and batch norm.").format(__version__))
