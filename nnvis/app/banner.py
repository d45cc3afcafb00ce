"""The message banner above the panels: divergence, engine failures, errors."""
from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from . import engine_text
from .i18n import Retranslating
from .panels.axes import layer_label

STYLES = {
    "danger": ("#5c1d24", "#ffd7d7", "#ff6b6b"),     # background, text, border
    "warning": ("#4d3b12", "#ffe9b0", "#e5c07b"),
    "info": ("#173a4d", "#d7f0ff", "#61afef"),
}
#: The banner's kinds that are no failure: what the user asked for happened.
INFO = ("early_stop",)
MAX_LINES = 3


class Banner(Retranslating, QWidget):
    """Hidden until something needs the user's attention. Emits ``action_requested`` with
    "lower_lr", "restart_autosave", "restart_engine", "reset" or "play" when a button is pressed:
    ``button`` is the suggested action, ``second_button`` (if shown) the alternative."""

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
        self.button.setDefault(True)   # drawn as the one to press
        self.button.clicked.connect(lambda: self.action_requested.emit(self._action))
        lay.addWidget(self.button)
        self.second_button = QPushButton()
        self.second_button.clicked.connect(lambda: self.action_requested.emit(self._second))
        lay.addWidget(self.second_button)
        self.close_button = QPushButton("✕")
        self.close_button.setFixedWidth(28)
        self.close_button.clicked.connect(self.clear)
        lay.addWidget(self.close_button)
        self._action = self._second = ""
        self._kind = None
        self._shown = None   # shows the message on show again: redone on a new language
        # Widgets inside a QToolBar are shown and hidden through the QAction that
        # addWidget returned, never with setVisible (see set_toolbar_action).
        self._toolbar_action = None
        self.clear()
        self.retranslate()

    def set_toolbar_action(self, action):
        """The banner sits in a toolbar: ``action`` (what addWidget returned) shows it."""
        self._toolbar_action = action

    @property
    def kind(self) -> str | None:
        """What the banner says now ("error", "process_died", …), None when hidden."""
        return self._kind

    def retranslate(self):
        self.close_button.setToolTip(self.tr("Dismiss"))
        if self._shown is not None:
            self._shown()

    def _show(self, kind, text, action="", button_text="", second=("", "")):
        self._kind = kind
        style = "info" if kind in INFO else "warning" if kind in ("error", "recovery_off") \
            else "danger"
        bg, fg, border = STYLES[style]
        self.setStyleSheet(f"#banner {{ background: {bg}; border: 1px solid {border}; "
                           f"border-radius: 4px; }} QLabel {{ color: {fg}; }}")
        self.label.setText(text)
        self._action = action
        self.button.setVisible(bool(action))
        self.button.setText(button_text)
        self._second = second[0]
        self.second_button.setVisible(bool(second[0]))
        self.second_button.setText(second[1])
        self._set_shown(True)

    def show_divergence(self, report: dict):
        self._shown = partial(self.show_divergence, report)
        self._show("divergence", self.divergence_html(report), "lower_lr",
                   self.tr("Lower rate ÷10 and resume"))

    def divergence_html(self, report: dict) -> str:
        """The trainer's report composed from its fields (its ``message`` is English)."""
        if report.get("step") is None or report.get("layer") is None:
            head, _, rest = report["message"].partition(": ")
            return f"<b>{head}:</b> {rest}" if rest else report["message"]
        quantity = str(report.get("quantity", ""))
        what = self._quantity(quantity)
        if quantity != "loss":   # the loss is the whole network's, not a layer's
            what = self.tr("{0} in layer '{1}'").format(what, layer_label(str(report["layer"])))
        return self.tr(
            "<b>Training diverged at step {0}:</b> {1} became non-finite (infinite or NaN). "
            "Restored the last healthy weights (from step {2}); the curves drop the steps "
            "since. Try a lower learning rate (now {3}), gradient clipping, batch norm or a "
            "smaller initial scale.").format(
                report["step"], what, report.get("restored_step", 0), f"{report.get('lr', 0):g}")

    def _quantity(self, what: str) -> str:
        """"gradient of hidden1.W" and the like, as the trainer names them."""
        kind, _, name = what.partition(" ")
        if what.startswith("gradient of "):
            return self.tr("the gradient of {0}").format(what[len("gradient of "):])
        if kind == "weights" and name:
            return self.tr("the weights {0}").format(name)
        return {"activations": self.tr("the activations"), "logits": self.tr("the logits"),
                "loss": self.tr("the loss")}.get(what, what)

    def show_process_died(self, exitcode, autosave_step=None, lost=0):
        """``autosave_step``: the step of the running experiment in the autosave (None:
        there is none); ``lost``: the steps trained since."""
        self._shown = partial(self.show_process_died, exitcode, autosave_step, lost)
        if autosave_step is None:
            self._show("process_died", self.tr(
                "<b>The trainer process stopped</b> (exit code {0}). Your settings are kept; "
                "restart it to continue with fresh weights.").format(exitcode),
                "restart_engine", self.tr("Restart trainer"))
            return
        loc = QLocale()
        self._show("process_died", self.tr(
            "<b>The trainer process stopped</b> (exit code {0}). The autosave holds the "
            "experiment at step {1}: restart from there, or with fresh weights.").format(
                exitcode, loc.toString(int(autosave_step))), "restart_autosave",
            self.tr("Restart from the last autosave (step {0}, {1} steps lost)").format(
                loc.toString(int(autosave_step)), loc.toString(int(lost))),
            ("restart_engine", self.tr("Restart with fresh weights")))

    def show_recovery_off(self, problem: str | None):
        """The autosave folder cannot be written: a crash would lose the experiment."""
        self._shown = partial(self.show_recovery_off, problem)
        self._show("recovery_off", self.tr(
            "<b>Autosave and crash recovery are off:</b> {0}. Save your experiment with "
            "File ▸ Save.").format(problem or ""))

    def show_not_answering(self, seconds: int, autosave_step=None, lost=0, can_restart=True):
        """The trainer has said nothing for ``seconds`` while training (stopped, hung, or
        one very long step). It may still answer: then the banner goes by itself. A trainer
        in the window's own thread (``can_restart`` False) cannot be replaced."""
        self._shown = partial(self.show_not_answering, seconds, autosave_step, lost,
                              can_restart)
        text = self.tr("<b>The trainer is not answering</b> (nothing for {0} s while "
                       "training). It may be stopped or stuck.").format(seconds)
        if not can_restart:
            self._show("not_answering", text)
            return
        if autosave_step is None:
            self._show("not_answering", text, "restart_engine", self.tr("Restart trainer"))
            return
        loc = QLocale()
        self._show("not_answering", text, "restart_autosave",
                   self.tr("Restart from the last autosave (step {0}, {1} steps lost)").format(
                       loc.toString(int(autosave_step)), loc.toString(int(lost))))

    def show_early_stop(self, stop: dict):
        """Training stopped early (the snapshot's ``early_stop``): where, and which weights
        it went back to; the button trains on (patience starts over)."""
        self._shown = partial(self.show_early_stop, stop)
        params = stop.get("params") or stop
        text = engine_text.note("stopped_early", params) or str(stop.get("message", ""))
        head, _, rest = text.partition(": ")
        self._show("early_stop", f"<b>{head}:</b> {rest}" if rest else text, "play",
                   self.tr("Train on"))

    def show_file_refused(self, name: str, refusal, loss_only: bool = False):
        """A CSV file ``name`` refused, why in the UI's language (by the refusal's code,
        redone on a new language). ``loss_only``: the file is good but the loss cannot
        train it; it waits in the controls for another loss."""
        self._shown = partial(self.show_file_refused, name, refusal, loss_only)
        why = html.escape(engine_text.reason(refusal), quote=False)
        name = html.escape(name, quote=False)
        if loss_only:
            text = self.tr("{0} is not opened yet: {1}. Choose another loss in Controls and "
                           "press Apply.").format(name, why)
        else:
            text = self.tr("Could not open {0}: {1}").format(name, why)
        self._show("error", self.tr("<b>Error:</b> {0}").format(text))

    def show_error(self, text: str):
        self._shown = partial(self.show_error, text)
        self._show("error", self.tr("<b>Error:</b> {0}").format(text))

    def clear(self):
        self._shown = None
        self._kind = None
        self.label.setText("")
        self._set_shown(False)

    def _set_shown(self, shown: bool):
        if self._toolbar_action is not None:
            self._toolbar_action.setVisible(shown)
            self._toolbar_action.setEnabled(shown)
            bar = self.parentWidget()
            if bar is not None:
                bar.setVisible(shown)  # no empty strip under the toolbar
        else:
            self.setVisible(shown)
        self.setEnabled(True)

    def text(self) -> str:
        return self.label.text()
