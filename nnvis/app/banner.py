"""The message banner above the panels: divergence, engine failures, errors."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

STYLES = {
    "danger": ("#5c1d24", "#ffd7d7", "#ff6b6b"),     # background, text, border
    "warning": ("#4d3b12", "#ffe9b0", "#e5c07b"),
}
MAX_LINES = 3


class Banner(QWidget):
    """Hidden until something needs the user's attention. Emits ``action_requested`` with
    "lower_lr", "restart_engine" or "reset" when its button is pressed."""

    action_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAttribute(Qt.WA_StyledBackground, True)   # one coloured box around it all
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.RichText)
        self.label.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        # A toolbar sizes a wrapped label for a narrow width: cap it at a few lines.
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * MAX_LINES + 14)
        lay.addWidget(self.label, 1)
        self.button = QPushButton()
        self.button.clicked.connect(lambda: self.action_requested.emit(self._action))
        lay.addWidget(self.button)
        self.close_button = QPushButton("✕")
        self.close_button.setFixedWidth(28)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.clear)
        lay.addWidget(self.close_button)
        self._action = ""
        self.kind = None
        #: Set by the window: widgets inside a QToolBar are shown and hidden through the
        #: QAction that addWidget returned, never with setVisible.
        self.toolbar_action = None
        self.clear()

    def _show(self, kind, text, action="", button_text=""):
        self.kind = kind
        bg, fg, border = STYLES["danger" if kind != "error" else "warning"]
        self.setStyleSheet(f"#banner {{ background: {bg}; border: 1px solid {border}; "
                           f"border-radius: 4px; }} QLabel {{ color: {fg}; }}")
        self.label.setText(text)
        self._action = action
        self.button.setVisible(bool(action))
        self.button.setText(button_text)
        self._set_shown(True)

    def show_divergence(self, report: dict):
        head, _, rest = report["message"].partition(": ")
        self._show("divergence", f"<b>{head}:</b> {rest}" if rest else report["message"],
                   "lower_lr", "Lower rate ÷10 and resume")

    def show_process_died(self, exitcode):
        self._show("process_died",
                   f"<b>The trainer process stopped</b> (exit code {exitcode}). Your settings "
                   f"are kept; restart it to continue with fresh weights.",
                   "restart_engine", "Restart trainer")

    def show_error(self, text: str):
        self._show("error", f"<b>Error:</b> {text}")

    def clear(self):
        self.kind = None
        self.label.setText("")
        self._set_shown(False)

    def _set_shown(self, shown: bool):
        if self.toolbar_action is not None:
            self.toolbar_action.setVisible(shown)
            self.toolbar_action.setEnabled(shown)
            bar = self.parentWidget()
            if bar is not None:
                bar.setVisible(shown)  # no empty strip under the toolbar
        else:
            self.setVisible(shown)
        self.setEnabled(True)

    def text(self) -> str:
        return self.label.text()
