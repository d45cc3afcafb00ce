"""The main window: dock panels around a live network, a toolbar, a status bar and a banner.

It never trains: the :class:`~nnvis.app.engine_controller.EngineController` talks to the
trainer, and the window draws the snapshots that come back, from one ≤30 Hz timer. Every
other job is an object of its own, made and wired here:

* :class:`~nnvis.app.engine_controller.EngineController` — the engine handle, switching it,
  running/paused, the watchdog;
* :class:`~nnvis.app.session_controller.SessionController` — the autosave, what crashed
  apps left (File ▸ Recover), the save when the system closes the app;
* :class:`~nnvis.app.file_controller.FileController` — open, save, save as, the save target;
* :class:`~nnvis.app.commands.TrainingCommands` — play, step, reset, lessons, live changes;
* :class:`~nnvis.app.watching.WatchMode` — drawing a PyTorch run instead of training;
* :class:`~nnvis.app.dock_layout.DockLayout`, :class:`~nnvis.app.toolbar.TrainingToolbar`,
  :class:`~nnvis.app.menus.MenuBar` and :class:`~nnvis.app.status_line.StatusLine`.

They talk through signals and methods; the window routes the trainer's messages to them and
keeps what is the window's own: the panels, the latest snapshot, a dead trainer's banner.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from nnvis.core import Config
from nnvis.core import commands as cmd
from nnvis.lessons import LESSONS

from . import settings as app_settings
from .banner import Banner
from .commands import TrainingCommands
from .controls import ControlsPanel
from .csv_opening import CsvOpening
from .dock_layout import DockLayout
from .engine_controller import EngineController
from .file_controller import FileController
from .metrics_export import MetricsExport
from .model_export import ModelExport
from .i18n import Retranslating
from .lessons_panel import LessonsPanel
from .menus import MenuBar
from .panels.activation_curves import ActivationCurvesPanel
from .panels.backprop import BackpropPanel
from .panels.data_view import DataViewPanel
from .panels.gradient_flow import GradientFlowPanel
from .panels.histograms import HistogramsPanel
from .panels.loss_curves import LossCurvesPanel
from .panels.topology import TopologyPanel
from .run_notes import RunNotes
from .session_controller import SessionController
from .status_line import StatusLine
from .toolbar import TrainingToolbar, speed_for  # noqa: F401  (tests import it from here)
from .watching import WatchMode

FRAME_MS = 33  # ≤ 30 Hz redraw


class MainWindow(Retranslating, QMainWindow):
    snapshot_received = Signal(object)   # after the panels got it (tests wait on this)
    message_received = Signal(str, object)

    def __init__(self, engine: str = "process", config: dict | None = None,
                 restore_layout: bool = True, offer_recovery: bool | None = None):
        super().__init__()
        self.setDockNestingEnabled(True)
        self.latest: dict | None = None
        self._last_step = -1
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
        self.files = FileController(self.send, self)
        self.files.problem.connect(self.banner.show_error)
        self.files.status.connect(self._on_status)
        self.metrics_export = MetricsExport(self)
        self.metrics_export.problem.connect(self.banner.show_error)
        self.metrics_export.status.connect(self._on_status)
        self.engine_controller = EngineController(self)
        self.engine_controller.silent.connect(self._on_trainer_silent)
        self.engine_controller.answering.connect(self._on_trainer_answering)
        self.engine_controller.snapshot.connect(self.show_snapshot)
        self.engine_controller.message.connect(self._on_message)
        self.watch_mode = WatchMode(self.engine_controller, self.banner, self)
        self.model_export = ModelExport(self, self.send, self.watch_mode)
        self.model_export.problem.connect(self.banner.show_error)
        self.model_export.status.connect(self._on_status)
        self.watch_mode.started.connect(self._reset_panels)
        self.watch_mode.changed.connect(self._on_watching_changed)
        self._controls_wrapped = False
        self.session = SessionController(self.engine_controller, self.banner, self)
        self.session.status.connect(self._on_status)
        self.setCentralWidget(None)
        self.dock_layout = DockLayout(self, {
            "controls": self.controls, "lessons": self.lessons, "topology": self.topology,
            "loss": self.loss_panel, "gradient_flow": self.gradient_flow,
            "data": self.data_view, "activation": self.activation_panel,
            "histograms": self.histograms, "backprop": self.backprop}, self.backprop)
        self.toolbar = TrainingToolbar(self, self.banner)
        self.commands = TrainingCommands(self.engine_controller, self.controls, self.banner,
                                         self.lessons, self.dock_layout, self.toolbar,
                                         self.activation_panel, self)
        self.commands.panels_reset_needed.connect(self._reset_panels)
        self.commands.status.connect(self._on_status)
        self.csv_opening = CsvOpening(self.send, self.controls, self.banner, self)
        self.csv_opening.panels_reset_needed.connect(self._reset_panels)
        self.files.csv_chosen.connect(self.csv_opening.open)
        self.run_notes = RunNotes(self.banner, self)
        self.run_notes.status.connect(self._on_status)
        self.toolbar.play_requested.connect(self.commands.toggle_play)
        self.toolbar.step_requested.connect(self.commands.step_once)
        self.toolbar.reset_requested.connect(self.commands.reset)
        self.toolbar.speed_chosen.connect(self._on_speed_chosen)
        self.engine_controller.running_changed.connect(self.toolbar.show_running)
        self.menu_bar = MenuBar(self, self.files, self.metrics_export, self.model_export,
                                self.session, self.watch_mode, self.dock_layout, self.lessons,
                                engine)
        self.menu_bar.lesson_chosen.connect(self.commands.load_lesson)
        self.menu_bar.engine_chosen.connect(self.switch_engine)
        self.status_line = StatusLine(self.statusBar())
        self.retranslate()

        self.controls.changes_requested.connect(self._on_changes_requested)
        self.topology.edge_mode_changed.connect(self._on_edge_mode_changed)
        self.topology.neuron_clicked.connect(self._on_neuron_clicked)
        self.data_view.probe_closed.connect(self._on_probe_closed)
        self.lessons.lesson_requested.connect(self.commands.load_lesson)
        self.lessons.changes_requested.connect(self.commands.apply_changes)
        self.lessons.restart_requested.connect(self.commands.restart_with)
        self.lessons.compare_requested.connect(self.commands.compare)
        self.lessons.handmade_xor_requested.connect(self.commands.handmade_xor)
        self.lessons.view_requested.connect(self.dock_layout.show_view)
        self.backprop.graph_requested.connect(self._on_backprop_requested)
        self.topology.unit_hovered.connect(self.backprop.set_focus)
        self.topology.neuron_clicked.connect(self.backprop.set_focus)
        self.data_view.sample_clicked.connect(self.backprop.pick_sample)
        self.backprop.sample_changed.connect(self.data_view.mark_sample)
        self.banner.action_requested.connect(self._on_banner_action)

        self._start_engine(engine, cfg.to_dict())
        try:
            self.frame_timer = QTimer(self)
            self.frame_timer.setInterval(FRAME_MS)
            self.frame_timer.timeout.connect(self._on_frame)
            self.frame_timer.start()
            if restore_layout:
                self.dock_layout.set_restored(app_settings.restore_window(self))
            self.session.start(restore_layout if offer_recovery is None else offer_recovery,
                               reopen=config is None)
        except BaseException:
            # A window that fails to come up must not leave its worker thread running
            # (Qt aborts the whole process when a running QThread is destroyed).
            self.engine_controller.shutdown()
            raise

    def _start_engine(self, engine: str, config: dict | None):
        self.watch_mode.leave()
        self.engine_controller.start(engine, config)
        self._configure_engine()
        self.status_line.show_engine(engine)

    def _configure_engine(self):
        """What a new trainer needs to know of the window: how often to report, what the
        edges show, how fast to go."""
        self.send(cmd.SnapshotRate(self.snapshot_hz()))
        self.send(cmd.EdgeMode(self.topology.edge_mode))
        self._on_speed_chosen(self.toolbar.speed())

    def snapshot_hz(self) -> float:
        """As many snapshots a second as the busiest panel redraws: more would only cost the
        trainer time and the worker thread unpickling."""
        return 1000.0 / FRAME_MS / min(p.refresh_every for p in self.panels)

    def send(self, command):
        """Pass one :mod:`nnvis.core.commands` object to the trainer."""
        self.engine_controller.send(command)

    def switch_engine(self, engine: str):
        if engine == self.engine_controller.name:
            return
        config = self.controls.config().to_dict()
        self.engine_controller.stop()
        self._reset_panels()
        self._start_engine(engine, config)
        self.menu_bar.check_engine(engine)
        self.statusBar().showMessage(self.tr("Switched to the {0} engine (fresh weights)").format(
            self.status_line.engine_label(engine)), 5000)

    @Slot(object)
    def _on_speed_chosen(self, steps_per_second):
        self.send(cmd.Speed(steps_per_second))

    def set_speed(self, steps_per_second):
        """Choose a speed of :data:`~nnvis.app.toolbar.SPEEDS` (None: as fast as possible)."""
        self.toolbar.set_speed(steps_per_second)

    def retranslate(self):
        """Every text this window sets itself (each panel retranslates its own)."""
        self.setWindowTitle(self.tr("nnvis — watch a neural network learn"))
        self.dock_layout.retranslate()
        self.toolbar.retranslate()
        self.menu_bar.retranslate()
        self.status_line.retranslate()
        self.watch_mode.retranslate()
        if self.latest is not None:
            self._update_status(self.latest)

    def _update_status(self, snap: dict):
        self.status_line.show_snapshot(snap, self.engine_controller.running)

    @property
    def docks(self) -> dict:
        """Each dock by name (see :class:`~nnvis.app.dock_layout.DockLayout`)."""
        return self.dock_layout.docks

    def showEvent(self, event):
        super().showEvent(event)
        self.dock_layout.on_shown()

    @Slot(bool)
    def _on_watching_changed(self, on: bool):
        """The script decides its run: nnvis's own settings would only mislead next to it."""
        if on and not self._controls_wrapped:   # the note goes above the controls
            self._controls_wrapped = True
            wrapper = QWidget()
            layout = QVBoxLayout(wrapper)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.watch_mode.note)
            layout.addWidget(self.controls, 1)
            self.docks["controls"].setWidget(wrapper)
        self.session.set_watching(on)
        for widget in (self.controls, self.lessons):
            widget.setEnabled(not on)
        self.toolbar.set_script_owned(on)
        self.controls.setVisible(not on)
        self.docks["data"].setVisible(not on)   # a PyTorch run sends no input plane
        self.backprop.set_network_unavailable(self.tr(
            "A watched PyTorch run keeps its weights in its own script: the network's graph "
            "is only for nnvis's own trainer. The notes' two graphs work as ever.")
            if on else None)
        if on:
            self.dock_layout.bring_forward("controls")
            self.dock_layout.fit_watching()
            self.status_line.show_engine("watch")

    @Slot(str, int)
    def _on_status(self, text: str, ms: int):
        # Looked up on each message: calling statusBar() while the window is being built
        # would make the bar before the docks and shift where Qt lays them out.
        self.statusBar().showMessage(text, ms)

    def load_lesson(self, lesson_id: str):
        """Load a lesson (its preset, panels and speed), as its button or menu entry does."""
        self.commands.load_lesson(lesson_id)

    def _set_running(self, running: bool):
        self.engine_controller.set_running(running)

    @Slot()
    def _reset_panels(self):
        self.send(cmd.Probe(None))  # a clicked neuron belongs to the network that is gone
        for p in self.panels:
            p.reset()
        self._last_step = -1
        self.status_line.forget_rate()
        self.session.forget()   # the autosave holds the experiment that is gone
        self.metrics_export.forget()   # so do the metrics
        self.data_view.mark_sample(None)   # the sample belonged to the old data

    # ------------------------------------------------------------------ panels' requests
    @Slot(dict)
    def _on_changes_requested(self, changes: dict):
        self.send(cmd.Set(changes))

    @Slot(dict)
    def _on_backprop_requested(self, request: dict):
        if self.watch_mode.active:   # the panel says why; a script has no graph to send
            return
        self.data_view.mark_sample(request["split"], request["sample"])
        self.send(cmd.Backprop(**request))

    @Slot(str)
    def _on_edge_mode_changed(self, mode: str):
        self.send(cmd.EdgeMode(mode))

    @Slot(int, int)
    def _on_neuron_clicked(self, layer: int, unit: int):
        self.send(cmd.Probe((layer, unit)))
        self.docks["data"].raise_()

    @Slot()
    def _on_probe_closed(self):
        self.send(cmd.Probe(None))
        self.topology.select_neuron(None)

    @Slot(str)
    def _on_banner_action(self, action: str):
        if action == "lower_lr":
            self.commands.lower_lr_and_resume()
        elif action in ("restart_autosave", "restart_engine"):
            self.restart_trainer(from_autosave=action == "restart_autosave")
        elif action == "reset":
            self.commands.reset()
        elif action == "play" and not self.engine_controller.running:
            self.commands.toggle_play()   # after an early stop: training goes on

    # ------------------------------------------------------------------ the trainer died
    _running_when_died = False

    def restart_trainer(self, from_autosave: bool):
        """A new trainer process after the last one died: with the autosaved experiment,
        or with fresh weights and the settings shown."""
        self.session.trainer_restarted()
        self.send(cmd.Restart())
        self._configure_engine()    # the new process starts with the defaults
        if not (from_autosave and self.session.restore_autosave(
                self.tr("Restarted the trainer from the autosave (step {0})"))):
            self.send(cmd.Reset(self.controls.config().to_dict()))
        elif self._running_when_died:   # it was training: it goes on where it stood
            self.send(cmd.Play())
        self.banner.clear()

    def _show_process_died(self, exitcode):
        self.session.trainer_gone()
        self._running_when_died = self.engine_controller.running
        self._set_running(False)
        if self.latest is not None:
            self._update_status(self.latest)   # "paused", not the last rate
        saver = self.session.autosaver
        self.banner.show_process_died(exitcode, saver.saved_step, saver.lost_steps() or 0)

    @Slot(int)
    def _on_trainer_silent(self, seconds: int):
        self._running_when_died = True
        self.status_line.show_not_answering()
        if self.banner.kind in (None, "error"):
            saver = self.session.autosaver
            self.banner.show_not_answering(
                seconds, saver.saved_step, saver.lost_steps() or 0,
                can_restart=self.engine_controller.name == "process")

    @Slot()
    def _on_trainer_answering(self):
        if self.banner.kind == "not_answering":
            self.banner.clear()

    # ------------------------------------------------------------------ closing
    def shutdown(self):
        self.frame_timer.stop()
        if self.engine_controller.handle is None:
            return
        saved = self.session.save_if_closed_by_signal()
        self.engine_controller.shutdown()
        self.session.close(saved)

    def closeEvent(self, event):
        try:
            app_settings.save_window(self)
            app_settings.save_last_config(self.controls.config())
        except Exception:  # settings must never block closing
            pass
        self.shutdown()
        super().closeEvent(event)

    def _really_changed(self, changes: dict) -> dict:
        """The changes whose value differs from the config of the snapshot on screen."""
        before = (self.latest or {}).get("config")
        if not before:
            return dict(changes)
        old = Config.from_dict(before)
        return {k: v for k, v in changes.items() if old.get(k) != v}

    @Slot(object)
    def show_snapshot(self, snap: dict):
        """A snapshot from the engine reaches every panel, the controls and the status line
        (drawn on the frame ticks that follow; a lower step starts the panels afresh)."""
        if snap["step"] < self._last_step:
            self._reset_panels()
        self.status_line.measure(snap["step"])
        self._last_step = snap["step"]
        self.latest = snap
        self.commands.on_snapshot(snap)
        self.session.on_snapshot(snap)
        self.metrics_export.on_snapshot(snap)
        for p in self.panels:
            p.set_snapshot(snap)
        if snap.get("fresh") and snap["config"] != self.controls.config().to_dict():
            self.controls.set_config(snap["config"])
        if snap.get("fresh"):   # a new network, maybe new data: what it really is
            self.controls.show_data(snap)
            self.csv_opening.on_snapshot(snap)
        if snap.get("divergence"):
            self.banner.show_divergence(snap["divergence"])
        if snap.get("running") is not None and snap["running"] != self.engine_controller.running:
            self._set_running(snap["running"])
        self._update_status(snap)
        self.run_notes.on_snapshot(snap, self.csv_opening.switched_note)
        self.snapshot_received.emit(snap)

    @Slot(str, object)
    def _on_message(self, kind: str, payload):
        if kind == "error" and self.csv_opening.on_error(payload):
            pass   # the file being opened was refused: said there
        elif kind == "error":
            text = str(payload)
            field_error = self.controls.is_field_error(text)
            if field_error:
                self.controls.show_rejection(text)   # inline, next to the field
            shown = self.controls.isVisible() and not self.controls.visibleRegion().isEmpty()
            if not field_error or not shown:
                # ... and where it is seen when the controls dock is closed or tabbed away
                self.banner.show_error(self.controls.describe(text))
        elif kind == "diverged":
            self._set_running(False)
            self.banner.show_divergence(payload)
        elif kind == "state":
            self._set_running(bool(payload["running"]))
        elif kind == "applied":
            self.controls.accepted(payload["changes"])
            if self.banner.kind == "error":
                self.banner.clear()   # the change that failed has been fixed
            # A lesson's switch sets every field it names; say only what it changed.
            changes = self._really_changed(payload["changes"]) or payload["changes"]
            if payload["rebuilt"]:
                self._reset_panels()
                self.statusBar().showMessage(
                    self.tr("Rebuilt with fresh weights (changed: {0})").format(
                        self.tr(", ").join(sorted(self.controls.label_for(k)
                                                  for k in changes))), 6000)
            else:
                self.statusBar().showMessage(
                    self.tr("Applied live, weights kept: {0}").format(
                        self.controls.describe_changes(changes)), 4000)
        elif kind == "backprop":
            self.backprop.set_network_graph(payload)
        elif kind == "model":
            self.model_export.on_model(payload)
        elif kind == "process_died":
            self._show_process_died(payload)
        elif kind == "save_failed":
            if not self.session.on_save_failed(payload["path"], payload["reason"]):
                self.files.on_save_failed(payload["path"], payload["reason"])
        elif kind == "saved":
            if not self.session.on_saved(payload):
                self.files.on_saved(payload)
        elif kind == "loaded":
            self._reset_panels()
            if not self.session.on_loaded(payload):
                self.files.on_loaded(payload)
        self.message_received.emit(kind, payload)

    def start_frame(self) -> list:
        """Count one frame tick; returns the panels whose turn it is to redraw on it."""
        self._frame_tick += 1
        return [p for p in self.panels if p.due(self._frame_tick)]

    def render_frame(self) -> list:
        """One frame tick: the panels whose turn it is redraw (if they have news); returns
        those that drew."""
        return [p for p in self.start_frame() if p.render()]

    @Slot()
    def _on_frame(self):
        t0 = time.perf_counter()
        self.render_frame()
        dt = time.perf_counter() - t0
        if len(self.frame_times) > 600:
            del self.frame_times[:300]
        self.frame_times.append(dt)
