"""File ▸ Export model ▸ PyTorch… / ONNX…: the trained network as a runnable PyTorch file
(weights beside it) or as ONNX.

The trainer runs in another process, so the window asks it to describe the network
(:class:`~nnvis.core.commands.DescribeModel`); the description arrives as a "model" message
and is written here. The window never holds the weights itself.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from nnvis.core import commands
from nnvis.model_export import onnx_available

from .watching import WatchMode

# The file suffix of each choice.
KINDS = {"pytorch": ".py", "onnx": ".onnx"}
# The name proposed: the exported file's docstring says `import model`.
PROPOSED_NAME = "model"


class ModelExport(QObject):
    """Asks the trainer for its network and writes the file the user chose."""

    status = Signal(str, int)   # for the status bar: text, milliseconds
    problem = Signal(str)       # for the banner

    def __init__(self, window: QWidget, send, watch_mode: WatchMode):
        super().__init__(window)
        self._window = window   # the dialog's parent
        self._send = send       # hands a command to the trainer
        self._watch_mode = watch_mode
        self._pending: str | None = None

    def export_dialog(self, kind: str):
        suffix = KINDS[kind]
        title = self.tr("Export model as PyTorch") if kind == "pytorch" else \
            self.tr("Export model as ONNX")
        filters = (self.tr("Python files (*.py)") if kind == "pytorch" else
                   self.tr("ONNX models (*.onnx)"))
        path, _ = QFileDialog.getSaveFileName(self._window, title, PROPOSED_NAME + suffix,
                                              filters)
        if path:
            self.export(path if path.lower().endswith(suffix) else path + suffix)

    def export(self, path: str):
        """Export the trained network to ``path`` (.py or .onnx) once the trainer sends it."""
        if self._watch_mode.active:   # a PyTorch run's weights are in its own script
            self.problem.emit(self.tr("A watched PyTorch run keeps its model in its own "
                                      "script: export it there (torch.save or torch.onnx)."))
            return
        if path.lower().endswith(".onnx") and not onnx_available():
            self.problem.emit(self.tr("Exporting ONNX needs the onnx package: pip install "
                                      "\"nnvis[onnx]\""))
            return
        self._pending = path
        self._send(commands.DescribeModel())

    def on_model(self, spec):
        """The trainer's description of its network: write the file asked for."""
        path, self._pending = self._pending, None
        if path is None:
            return
        from nnvis.model_export import write_model
        try:
            written = write_model(spec, path)
        except (OSError, ValueError) as e:
            self.problem.emit(self.tr("Could not write {0}: {1}").format(
                path, getattr(e, "strerror", None) or e))
            return
        self.status.emit(self.tr("Exported the network (step {0}) to {1}").format(
            spec.about.get("step", 0), ", ".join(str(p) for p in written)), 6000)
