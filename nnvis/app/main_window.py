"""The main window: dock panels around a live network, a toolbar, a status bar and a banner.

It never trains: it sends commands to the :class:`~nnvis.app.worker.EngineHandle` and draws
the snapshots that come back, from one ≤30 Hz timer.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDockWidget, QFileDialog, QInputDialog, QLabel,
                               QMainWindow, QMessageBox, QStyle, QToolBar)

from nnvis.core import Config, ConfigError
from nnvis.lessons import LESSONS

from . import engine_text, i18n
from . import settings as app_settings
from .banner import Banner
from .controls import ControlsPanel
from .i18n import Retranslating
from .lessons_panel import LessonsPanel
from .panels.activation_curves import ActivationCurvesPanel
from .panels.backprop import BackpropPanel
from .panels.data_view import DataViewPanel
from .panels.gradient_flow import GradientFlowPanel
from .panels.histograms import HistogramsPanel
from .panels.loss_curves import LossCurvesPanel
from .panels.topology import TopologyPanel
from .watching import WatchingMixin
from .worker import EngineHandle

FRAME_MS = 33  # ≤ 30 Hz redraw


def csv_header(path: str) -> list[str]:
    """The column names of a CSV file's first row ([] if unreadable)."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            return [c.strip() for c in next(csv.reader(f), []) if c.strip()]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
AUTOSAVE_MS = 30_000
SPEEDS = [(QT_TRANSLATE_NOOP("MainWindow", "Max speed"), None),
          (QT_TRANSLATE_NOOP("MainWindow", "1000 steps/s"), 1000),
          (QT_TRANSLATE_NOOP("MainWindow", "300 steps/s"), 300),
          (QT_TRANSLATE_NOOP("MainWindow", "100 steps/s"), 100),
          (QT_TRANSLATE_NOOP("MainWindow", "30 steps/s"), 30),
          (QT_TRANSLATE_NOOP("MainWindow", "10 steps/s"), 10),
          (QT_TRANSLATE_NOOP("MainWindow", "1 step/s"), 1)]
#: Dock titles (translated when shown).
DOCK_TITLES = {"controls": QT_TRANSLATE_NOOP("MainWindow", "Controls"),
               "lessons": QT_TRANSLATE_NOOP("MainWindow", "Lessons"),
               "topology": QT_TRANSLATE_NOOP("MainWindow", "Network"),
               "loss": QT_TRANSLATE_NOOP("MainWindow", "Loss & accuracy"),
               "gradient_flow": QT_TRANSLATE_NOOP("MainWindow", "Gradient flow"),
               "data": QT_TRANSLATE_NOOP("MainWindow", "Data & prediction"),
               "activation": QT_TRANSLATE_NOOP("MainWindow", "Activation"),
               "histograms": QT_TRANSLATE_NOOP("MainWindow", "Weights & gradients"),
               "backprop": QT_TRANSLATE_NOOP("MainWindow", "Backprop")}
WATCH_SECONDS = 15  # a lesson's interesting part should take about this long to watch


def speed_for(steps: int):
    """The slowest speed that shows ``steps`` updates within about WATCH_SECONDS: at full
    speed the default spiral is learned in under a second, before anyone sees it happen."""
    need = max(steps, 1000) / WATCH_SECONDS
    return min((v for _, v in SPEEDS if v is not None and v >= need), default=None)


class MainWindow(WatchingMixin, Retranslating, QMainWindow):
    snapshot_received = Signal(object)   # after the panels got it (tests wait on this)
    message_received = Signal(str, object)

    def __init__(self, engine: str = "process", config: dict | None = None,
                 restore_layout: bool = True, offer_recovery: bool | None = None):
        super().__init__()
        self.setDockNestingEnabled(True)
        self.engine_name = engine
        self.latest: dict | None = None
        self.running = False
        self.current_path: str | None = None
        self._last_step = -1
        self._rate = 0.0
        self._rate_mark = None
        self._notes_shown: list[str] = []
        self.frame_times: list[float] = []
        self._frame_tick = 0
        cfg = Config.from_dict(config) if config is not None else app_settings.load_last_config()

        self.topology = TopologyPanel()
        self.activation_panel = ActivationCurvesPanel()
        self.loss_panel = LossCurvesPanel()
        self.histograms = HistogramsPanel()
        self.gradient_flow = GradientFlowPanel()
        self.data_view = DataViewPanel()
        self.backprop = BackpropPanel()
        self.panels = [self.topology, self.activation_panel, self.loss_panel, self.histograms,
                       self.gradient_flow, self.data_view, self.backprop]
        self.controls = ControlsPanel()
        self.controls.set_config(cfg)
        self.lessons = LessonsPanel()
        # A restored experiment that is a lesson's preset shows that lesson as loaded; any
        # other leaves the dock on its list, with no lesson's switches pretending to apply.
        same = next((k for k, v in LESSONS.items() if Config.from_dict(v.config) == cfg), None)
        if same is not None:
            self.lessons.show_lesson(same)

        self.banner = Banner()
        self.setCentralWidget(None)
        self._shown_once = False
        self._layout_restored = False
        self._build_docks()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        self.retranslate()

        self.controls.changes_requested.connect(self._on_changes_requested)
        self.topology.edge_mode_changed.connect(self._on_edge_mode_changed)
        self.topology.neuron_clicked.connect(self._on_neuron_clicked)
        self.data_view.probe_closed.connect(self._on_probe_closed)
        self.lessons.lesson_requested.connect(self.load_lesson)
        self.lessons.changes_requested.connect(self.apply_changes)
        self.lessons.compare_requested.connect(self._on_compare_requested)
        self.lessons.handmade_xor_requested.connect(self._on_handmade_xor)
        self.lessons.view_requested.connect(self.show_view)
        self.backprop.graph_requested.connect(self._on_backprop_requested)
        self.topology.unit_hovered.connect(self.backprop.set_focus)
        self.topology.neuron_clicked.connect(self.backprop.set_focus)
        self.data_view.sample_clicked.connect(self.backprop.pick_sample)
        self.banner.action_requested.connect(self._on_banner_action)

        self.engine: EngineHandle | None = None
        self._start_engine(engine, cfg.to_dict())

        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self._on_frame)
        self.frame_timer.start()
        if restore_layout:
            self._layout_restored = app_settings.restore_window(self)

        self.autosave_file = app_settings.autosave_path()
        self._autosaved_step = 0
        crashed = app_settings.previous_session_crashed()
        app_settings.mark_session(clean=False)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        if (restore_layout if offer_recovery is None else offer_recovery) and crashed \
                and self.autosave_file.exists():
            QTimer.singleShot(300, self._offer_recovery)

    # ------------------------------------------------------------------ layout
    def _dock(self, widget, area, name):
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable |
                         QDockWidget.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self):
        self.docks = {}
        d = self.docks
        d["controls"] = self._dock(self.controls, Qt.LeftDockWidgetArea, "controls")
        d["lessons"] = self._dock(self.lessons, Qt.LeftDockWidgetArea, "lessons")
        self.tabifyDockWidget(d["controls"], d["lessons"])
        d["controls"].raise_()
        d["topology"] = self._dock(self.topology, Qt.RightDockWidgetArea, "topology")
        d["loss"] = self._dock(self.loss_panel, Qt.RightDockWidgetArea, "loss")
        self.splitDockWidget(d["topology"], d["loss"], Qt.Horizontal)
        d["gradient_flow"] = self._dock(self.gradient_flow, Qt.RightDockWidgetArea,
                                        "gradient_flow")
        self.splitDockWidget(d["loss"], d["gradient_flow"], Qt.Vertical)
        d["data"] = self._dock(self.data_view, Qt.RightDockWidgetArea, "data")
        self.splitDockWidget(d["topology"], d["data"], Qt.Vertical)
        d["activation"] = self._dock(self.activation_panel, Qt.RightDockWidgetArea, "activation")
        self.splitDockWidget(d["data"], d["activation"], Qt.Horizontal)
        d["histograms"] = self._dock(self.histograms, Qt.RightDockWidgetArea, "histograms")
        self.tabifyDockWidget(d["gradient_flow"], d["histograms"])
        d["gradient_flow"].raise_()
        # Beside the data (to click a sample) and under the network (to hover a unit).
        d["backprop"] = self._dock(self.backprop, Qt.RightDockWidgetArea, "backprop")
        self.tabifyDockWidget(d["activation"], d["backprop"])
        d["activation"].raise_()
        self._default_state = None

    def _apply_default_sizes(self):
        """Dock sizes only take once the window has its real size, so this runs after show."""
        d = self.docks
        w, h = max(self.width(), 1000), max(self.height(), 700)
        left = min(340, max(300, int(w * 0.22)))
        right = int((w - left) * 0.34)
        self.resizeDocks([d["controls"], d["topology"], d["loss"]],
                         [left, w - left - right, right], Qt.Horizontal)
        self.resizeDocks([d["topology"], d["data"]], [int(h * 0.52), int(h * 0.48)], Qt.Vertical)
        self.resizeDocks([d["data"], d["activation"]], [int((w - left - right) * 0.47),
                                                        int((w - left - right) * 0.53)],
                         Qt.Horizontal)
        self.resizeDocks([d["loss"], d["gradient_flow"]], [int(h * 0.5), int(h * 0.5)],
                         Qt.Vertical)
        if self._default_state is None:
            self._default_state = self.saveState()

    @property
    def layout_restored(self) -> bool:
        return self._layout_restored

    def showEvent(self, event):
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._layout_restored:
                QTimer.singleShot(0, self._apply_default_sizes)

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
        for key, slot in ((QKeySequence.Open, self.open_file), (None, self.open_csv),
                          (None, self.open_recording_dialog),
                          (QKeySequence.Save, self.save_file),
                          (QKeySequence.SaveAs, self.save_file_as),
                          (None, self.save_screenshot), (QKeySequence.Quit, self.close)):
            act = f.addAction("")
            if key is not None:
                act.setShortcut(key)
            act.triggered.connect(slot)
            self.file_actions.append(act)
        v = self.menus["view"]
        for name, dock in self.docks.items():
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        self.reset_layout_action = v.addAction("")
        self.reset_layout_action.triggered.connect(self.reset_layout)
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
            act.setChecked(name == self.engine_name)
            act.triggered.connect(lambda _=False, n=name: self.switch_engine(n))
            group.addAction(act)
            self.engine_actions[name] = act
        h = self.menus["help"]
        self.help_actions = [h.addAction(""), h.addAction("")]
        self.help_actions[0].triggered.connect(self._on_shortcuts)
        self.help_actions[1].triggered.connect(self._on_about)

    def set_language(self, code: str):
        """Switch the whole app (lessons included) to ``code`` now and remember it; training
        goes on."""
        code = i18n.set_language(code, save=True)
        self.language_actions[code].setChecked(True)

    def retranslate(self):
        """Every text this window sets itself (each panel retranslates its own)."""
        self.setWindowTitle(self.tr("nnvis — watch a neural network learn"))
        for name, dock in self.docks.items():
            # "&" would be a mnemonic
            dock.setWindowTitle(self.tr(DOCK_TITLES[name]).replace("&", "&&"))
        self.training_bar.setWindowTitle(self.tr("Training"))
        self.banner_bar.setWindowTitle(self.tr("Messages"))
        self._set_running(self.running)
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
        self.retranslate_watching()
        if self.latest is not None:
            self._update_status(self.latest)

    def _build_status_bar(self):
        sb = self.statusBar()
        self.status_labels = {}
        for key in ("step", "epoch", "loss", "rate", "params", "engine"):
            lab = QLabel()
            lab.setMinimumWidth(90)
            lab.setContentsMargins(10, 0, 10, 0)   # long numbers must not run together
            sb.addPermanentWidget(lab)
            self.status_labels[key] = lab

    def _engine_label(self, engine: str) -> str:
        return {"process": self.tr("process"), "thread": self.tr("thread")}.get(engine, engine)

    def _show_engine_name(self):
        self.status_labels["engine"].setText(
            self.tr("engine: {0}").format(self._engine_label(self.engine_name)))

    # ------------------------------------------------------------------ engine
    def _start_engine(self, engine: str, config: dict | None):
        self._set_watching(False)
        self.engine_name = engine
        self.engine = EngineHandle(engine, config, self)
        self.engine.snapshot.connect(self._on_snapshot)
        self.engine.message.connect(self._on_message)
        self.engine.send("snapshot_rate", self.snapshot_hz())
        self.engine.send("edge_mode", self.topology_edge_mode())
        if hasattr(self, "speed_combo"):
            self._on_speed_changed(self.speed_combo.currentIndex())
        if hasattr(self, "status_labels"):
            self._show_engine_name()

    def snapshot_hz(self) -> float:
        """As many snapshots a second as the busiest panel redraws: more would only cost the
        trainer time and the worker thread unpickling."""
        return 1000.0 / FRAME_MS / min(p.refresh_every for p in self.panels)

    def topology_edge_mode(self) -> str:
        return getattr(self.topology, "edge_mode", "weights")

    def send(self, *command):
        if self.engine is not None:
            self.engine.send(*command)

    def switch_engine(self, engine: str):
        if engine == self.engine_name and self.engine is not None:
            return
        config = self.controls.config().to_dict()
        if self.engine is not None:
            self.engine.shutdown()
            self.engine.deleteLater()
        self._reset_panels()
        self._start_engine(engine, config)
        self.engine_actions[engine].setChecked(True)
        self.statusBar().showMessage(self.tr("Switched to the {0} engine (fresh weights)").format(
            self._engine_label(engine)), 5000)

    # ------------------------------------------------------------------ commands
    @Slot()
    def toggle_play(self):
        if self.running:
            self.send("pause")
        else:
            if self.latest and self.latest.get("divergence"):
                self.send("resume")
            self.send("play")
        self._set_running(not self.running)

    @Slot()
    def step_once(self):
        if self.running:
            self.send("pause")
            self._set_running(False)
        if self.latest and self.latest.get("divergence"):
            self.send("resume")
        self.send("step", 1)

    @Slot()
    def reset(self):
        self.send("reset", self.controls.commit_pending().to_dict())
        self._set_running(False)
        self.banner.clear()
        self._reset_panels()

    def load_lesson(self, lesson_id: str):
        lesson = LESSONS[lesson_id]
        cfg = Config.from_dict(lesson.config)
        self.controls.set_config(cfg)
        self.send("reset", cfg.to_dict())
        self._set_running(False)
        self.banner.clear()
        self._reset_panels()
        self.activation_panel.set_compared(())   # an overlay from the last lesson is noise here
        self.set_speed(speed_for(lesson.steps))
        self.lessons.show_lesson(lesson_id)
        for panel_id in lesson.panels:
            dock = self.docks.get(panel_id)
            if dock is not None:
                dock.show()
                dock.raise_()
        self.docks["lessons"].show()
        self.docks["lessons"].raise_()  # last: the explanation is the point of a lesson
        if lesson.panels and lesson.panels[0] == "backprop":
            self._make_room_for_backprop()
        self.statusBar().showMessage(
            self.tr("Lesson loaded: {0}").format(self.lessons.title_of(lesson_id)), 5000)

    def _set_running(self, running: bool):
        self.running = running
        self.play_action.setText(self.tr("Pause") if running else self.tr("Play"))
        self.play_action.setIcon(self._icons["pause" if running else "play"])

    def _reset_panels(self):
        self.send("probe", None)  # a clicked neuron belongs to the network that is gone
        for p in self.panels:
            p.reset()
        self._last_step = -1
        self._rate_mark = None

    @Slot(dict)
    def _on_changes_requested(self, changes: dict):
        self.send("set", changes)

    @Slot(dict)
    def apply_changes(self, changes: dict):
        """Apply changes from outside the controls (a lesson's switch): show them, send them."""
        before = self.controls.config()
        try:
            self.controls.set_config(before.with_changes(changes))
        except ConfigError as exc:
            self.banner.show_error(str(exc))
            return
        self.controls.note_sent(changes, before)   # a refusal then goes back to `before`
        self.send("set", changes)

    @Slot(object)
    def _on_compare_requested(self, changes):
        self._set_running(False)
        self.send("pause")
        lesson = LESSONS.get(self.lessons.loaded_id or "")
        base = self.controls.config()
        if changes and lesson is not None:
            # Compare the lesson's own starting point with its switch, even after a flip.
            base = Config.from_dict(lesson.config)
            self.controls.set_config(base)
            self.send("reset", base.to_dict())
        self.send("compare", changes)
        self._reset_panels()
        if changes:
            self.docks["gradient_flow"].show()
            self.docks["gradient_flow"].raise_()
            flipped = {k: v for k, v in changes.items() if base.get(k) != v} or changes
            self.statusBar().showMessage(
                self.tr("Compare mode: a copy with {0} trains alongside (same data, seed and "
                        "batches). Press Play.").format(self.controls.describe_changes(flipped)),
                8000)

    @Slot(dict)
    def _on_backprop_requested(self, request: dict):
        if self.watching:
            self.backprop.set_network_unavailable(self.tr(
                "A watched PyTorch run keeps its weights in its own script: the network's "
                "graph is only for nnvis's own trainer. The notes' two graphs work as ever."))
            return
        self.data_view.mark_sample(request["split"], request["sample"])
        self.send("backprop", request)

    @Slot(str)
    def show_view(self, view: str):
        """A lesson's view button: "backprop:<graph>" shows that graph in the Backprop dock."""
        panel, _, what = view.partition(":")
        dock = self.docks.get(panel)
        if dock is not None:
            dock.show()
            dock.raise_()
        if panel == "backprop" and what in BackpropPanel.KINDS:
            self.backprop.show_graph(what)
            self._make_room_for_backprop()

    def _make_room_for_backprop(self):
        """The graph needs height and width; the Network above it (to hover a unit) and the
        Data beside it (to click a sample) can give some."""
        d = self.docks
        h = max(self.height(), 700)
        self.resizeDocks([d["topology"], d["data"]], [int(h * 0.36), int(h * 0.64)],
                         Qt.Vertical)
        mid = d["data"].width() + d["backprop"].width()   # backprop: the tab on show
        self.resizeDocks([d["data"], d["backprop"]], [int(mid * 0.36), int(mid * 0.64)],
                         Qt.Horizontal)

    @Slot()
    def _on_handmade_xor(self):
        self._set_running(False)
        self.send("handmade_xor")
        self._reset_panels()

    @Slot(str)
    def _on_edge_mode_changed(self, mode: str):
        self.send("edge_mode", mode)

    @Slot(int, int)
    def _on_neuron_clicked(self, layer: int, unit: int):
        self.send("probe", (layer, unit))
        self.docks["data"].raise_()

    @Slot()
    def _on_probe_closed(self):
        self.send("probe", None)
        self.topology.select_neuron(None)

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

    @Slot(str)
    def _on_banner_action(self, action: str):
        if action == "lower_lr":
            self.apply_changes({"optim.lr": self.controls.config().get("optim.lr") / 10})
            self.send("resume")
            self.send("play")          # the button says "and resume": training goes on
            self._set_running(True)
            self.banner.clear()
        elif action == "restart_engine":
            self.send("restart")
            self.send("reset", self.controls.config().to_dict())
            self.banner.clear()
        elif action == "reset":
            self.reset()

    # ------------------------------------------------------------------ incoming
    @Slot(object)
    def _on_snapshot(self, snap: dict):
        if snap["step"] < self._last_step:
            self._reset_panels()
        now = time.perf_counter()
        if self._rate_mark is None or snap["step"] < self._rate_mark[1]:
            self._rate_mark = (now, snap["step"])
        elif now - self._rate_mark[0] > 0.5:
            t0, s0 = self._rate_mark
            self._rate = (snap["step"] - s0) / (now - t0)
            self._rate_mark = (now, snap["step"])
        self._last_step = snap["step"]
        self.latest = snap
        for p in self.panels:
            p.set_snapshot(snap)
        if snap.get("fresh") and snap["config"] != self.controls.config().to_dict():
            self.controls.set_config(snap["config"])
        if snap.get("divergence"):
            self.banner.show_divergence(snap["divergence"])
        if snap.get("running") is not None and snap["running"] != self.running:
            self._set_running(snap["running"])
        self._update_status(snap)
        notes = engine_text.notes(snap)
        if notes != self._notes_shown:   # the engine's notes (e.g. batch = whole set), once
            self._notes_shown = notes
            if notes:
                self.statusBar().showMessage(" · ".join(notes), 10000)
        self.snapshot_received.emit(snap)

    @Slot(str, object)
    def _on_message(self, kind: str, payload):
        if kind == "error":
            text = str(payload)
            field_error = self.controls.is_field_error(text)
            if field_error:
                self.controls.show_rejection(text)   # inline, next to the field
            shown = self.controls.isVisible() and not self.controls.visibleRegion().isEmpty()
            if not field_error or not shown:
                # ... and where it is seen when the controls dock is closed or tabbed away
                self.banner.show_error(self.controls.describe(text.splitlines()[0]))
        elif kind == "diverged":
            self._set_running(False)
            self.banner.show_divergence(payload)
        elif kind == "state":
            self._set_running(bool(payload["running"]))
        elif kind == "applied":
            self.controls.accepted(payload["changes"])
            if self.banner.kind == "error":
                self.banner.clear()   # the change that failed has been fixed
            if payload["rebuilt"]:
                self._reset_panels()
                self.statusBar().showMessage(
                    self.tr("Rebuilt with fresh weights (changed: {0})").format(
                        self.tr(", ").join(sorted(self.controls.label_for(k)
                                                  for k in payload["changes"]))), 6000)
            else:
                self.statusBar().showMessage(
                    self.tr("Applied live, weights kept: {0}").format(
                        self.controls.describe_changes(payload["changes"])), 4000)
        elif kind == "backprop":
            self.backprop.set_network_graph(payload)
        elif kind == "process_died":
            self._set_running(False)
            self.banner.show_process_died(payload)
        elif kind == "saved":
            if payload != str(self.autosave_file):
                self.statusBar().showMessage(self.tr("Saved {0}").format(payload), 4000)
        elif kind == "loaded":
            self._reset_panels()
            self.statusBar().showMessage(self.tr("Opened {0}").format(payload), 4000)
        self.message_received.emit(kind, payload)

    def _update_status(self, snap):
        s, loc = self.status_labels, QLocale()
        s["step"].setText(self.tr("step {0}").format(loc.toString(int(snap["step"]))))
        s["epoch"].setText(self.tr("epoch {0}").format(loc.toString(int(snap["epoch"]))))
        loss = snap.get("batch_loss")
        s["loss"].setText(self.tr("batch loss {0}").format(
            loc.toString(float(loss), "g", 4) if loss == loss else "–"))
        s["rate"].setText(self.tr("{0} steps/s").format(loc.toString(round(self._rate)))
                          if self.running else self.tr("paused"))
        s["params"].setText(self.tr("{0} parameters").format(loc.toString(int(snap["param_count"]))))

    def render_frame(self) -> list:
        """One frame tick: the panels whose turn it is redraw (if they have news); returns
        those that drew."""
        self._frame_tick += 1
        return [p for p in self.panels if p.due(self._frame_tick) and p.render()]

    @Slot()
    def _on_frame(self):
        t0 = time.perf_counter()
        self.render_frame()
        dt = time.perf_counter() - t0
        if len(self.frame_times) > 600:
            del self.frame_times[:300]
        self.frame_times.append(dt)

    # ------------------------------------------------------------------ autosave
    @Slot()
    def autosave(self):
        """Save the running experiment so a crash loses at most AUTOSAVE_MS of training."""
        snap = self.latest
        if snap is None or snap["step"] == self._autosaved_step or snap.get("divergence"):
            return
        self._autosaved_step = snap["step"]
        self.send("save", str(self.autosave_file))

    def _offer_recovery(self):
        answer = QMessageBox.question(
            self, self.tr("Restore the last experiment?"),
            self.tr("nnvis did not close cleanly last time. Restore the experiment that was "
                    "running (its weights, optimiser state and history)?"),
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        if answer == QMessageBox.Yes:
            self.open_path(str(self.autosave_file))

    # ------------------------------------------------------------------ files
    def open_file(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open experiment"), "",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            self.open_path(path)

    def open_csv(self):
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open CSV data"), "",
                                              self.tr("CSV files (*.csv);;All files (*)"))
        if not path:
            return
        columns = csv_header(path)
        if not columns:
            self.banner.show_error(self.tr("{0}: no header row (the first row must name the "
                                           "columns)").format(path))
            return
        guess = next((c for c in columns if c.lower() in ("label", "class", "target", "y")),
                     columns[-1])
        label, ok = QInputDialog.getItem(self, self.tr("Label column"),
                                         self.tr("Which column is the label?"),
                                         columns, columns.index(guess), False)
        if ok:
            self.use_csv(path, label)

    def use_csv(self, path: str, label_column: str):
        """Train on a CSV file. Bad files are refused (row/column named) before training."""
        try:
            cfg = self.controls.config().with_changes(
                {"data.path": path, "data.label_column": label_column})
        except ConfigError as exc:
            self.controls.show_rejection(str(exc))
            return
        self.controls.set_config(cfg)
        self.send("reset", cfg.to_dict())
        self._set_running(False)
        self._reset_panels()

    def open_path(self, path: str):
        self._set_running(False)
        self.send("pause")
        self.send("load", path)
        self.current_path = path

    def save_file(self):
        if self.current_path:
            self.send("save", self.current_path)
        else:
            self.save_file_as()

    def save_file_as(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save experiment"), "experiment.nnvis",
                                              self.tr("nnvis experiments (*.nnvis)"))
        if path:
            if not path.endswith(".nnvis"):
                path += ".nnvis"
            self.current_path = path
            self.send("save", path)

    def save_screenshot(self):
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save screenshot"), "nnvis.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.grab().save(path)

    def reset_layout(self):
        if self._default_state is not None:
            self.restoreState(self._default_state)
        for dock in self.docks.values():
            dock.show()
        self._apply_default_sizes()

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

    # ------------------------------------------------------------------ closing
    def shutdown(self):
        self.frame_timer.stop()
        self.autosave_timer.stop()
        if self.engine is not None:
            self.engine.shutdown()
            self.engine = None
            # A clean exit needs no recovery: drop the autosave and say we closed cleanly.
            try:
                self.autosave_file.unlink(missing_ok=True)
            except OSError:
                pass
            app_settings.mark_session(clean=True)

    def closeEvent(self, event):
        try:
            app_settings.save_window(self)
            app_settings.save_last_config(self.controls.config())
        except Exception:  # settings must never block closing
            pass
        self.shutdown()
        super().closeEvent(event)
