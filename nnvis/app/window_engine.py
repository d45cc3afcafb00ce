"""The main window's side of the engine: starting it, talking to it, switching it."""
from __future__ import annotations

from nnvis.core import commands

from .worker import EngineHandle

FRAME_MS = 33  # ≤ 30 Hz redraw


class WindowEngine:
    """Mixin of :class:`~nnvis.app.main_window.MainWindow`: its EngineHandle."""

    def _start_engine(self, engine: str, config: dict | None):
        self._set_watching(False)
        self.engine_name = engine
        self.engine = EngineHandle(engine, config, self)
        self.engine.snapshot.connect(self._on_snapshot)
        self.engine.message.connect(self._on_message)
        self._configure_engine()
        if hasattr(self, "status_labels"):
            self._show_engine_name()

    def _configure_engine(self):
        """What a new trainer needs to know of the window: how often to report, what the
        edges show, how fast to go."""
        self.send(commands.SnapshotRate(self.snapshot_hz()))
        self.send(commands.EdgeMode(self.topology_edge_mode()))
        if hasattr(self, "speed_combo"):
            self._on_speed_changed(self.speed_combo.currentIndex())

    def snapshot_hz(self) -> float:
        """As many snapshots a second as the busiest panel redraws: more would only cost the
        trainer time and the worker thread unpickling."""
        return 1000.0 / FRAME_MS / min(p.refresh_every for p in self.panels)

    def topology_edge_mode(self) -> str:
        return getattr(self.topology, "edge_mode", "weights")

    def send(self, command):
        """Pass one :mod:`nnvis.core.commands` object to the engine (if there is one)."""
        if self.engine is not None:
            self.engine.send(command)

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
