"""What the controls say back: a refused value marked on its field and explained next to
it, the engine's answers to what was sent, and error messages in the user's words.

:class:`FieldFeedback` is a part of :class:`~nnvis.app.controls.ControlsPanel`: it owns the
error label, which fields are invalid, and the live changes still on their way to the
trainer; the panel tells it what happened and hears back (``reverted``) when a refusal
puts a field back to the value the trainer still uses.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from nnvis.app import engine_text
from nnvis.app.choices import choice_label
from nnvis.core.config import Config

from .log_slider import LogSlider

INVALID_STYLE = "border: 1px solid #ff6b6b;"
_UNCHANGED = object()   # mark_invalid: the trainer goes on with no value of its own to name


class Still(NamedTuple):
    """A refusal shown with the value training goes on with (described in the language of
    the moment, as the refusal is)."""
    message: object
    value: object


class FieldFeedback(QObject):
    # A refused live change: the field goes back to ``value``, which the trainer still uses.
    reverted = Signal(str, object)

    def __init__(self, label_for: Callable[[str], str], has_field: Callable[[str], bool],
                 field_widget: Callable[[str], QWidget | None], parent=None):
        super().__init__(parent)
        self._label_for = label_for
        self._has_field = has_field
        self._field_widget = field_widget
        self._invalid: dict[str, object] = {}   # path -> why the field's text is refused
        # Live changes on their way to the trainer: the value it is known to use, and how
        # many sends of that field are still unanswered (a refusal goes back to the former
        # only when no later send may still be accepted).
        self._in_use: dict[str, object] = {}
        self._in_flight: dict[str, int] = {}
        self._rejected = False               # the error shown is the trainer's refusal
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #ff6b6b; font-weight: bold;")
        self._error.hide()
        self._error_message = None   # what the label says, kept to be redescribed

    @property
    def error(self) -> QLabel:
        """The label under the fields that says what is wrong (for the panel to place)."""
        return self._error

    def describe(self, message) -> str:
        """Rewrite "optim.lr: reason" as "Learning rate: reason" (and "model.hidden[1]: …"
        as "Hidden layers, layer 2: …"), the reason translated by its code (a
        :class:`~nnvis.core.refusals.Refusal`); other text shows its first line as is."""
        if isinstance(message, Still):
            return self.tr("{0} (still {1})").format(self.describe(message.message),
                                                     choice_label(message.value))
        if getattr(message, "code", None) is None:
            message = str(message).splitlines()[0] if message else ""
        path, sep, _reason = message.partition(": ")
        field, bracket, index = path.partition("[")
        if not sep or not self._has_field(field):
            return engine_text.reason(message)
        where = self.tr(", layer {0}").format(int(index.rstrip("]")) + 1) if bracket and \
            index.rstrip("]").isdigit() else ""
        reason = message if getattr(message, "code", None) else _reason
        return self.tr("{0}: {1}").format(f"{self._label_for(field)}{where}",
                                          engine_text.reason(reason))

    @staticmethod
    def field_of(message: str) -> str:
        """The config path a "path: reason" message is about ("model.hidden[0]" -> "model.hidden")."""
        return message.partition(": ")[0].partition("[")[0]

    def is_field_error(self, message: str) -> bool:
        """Whether a message is about a config field ("optim.lr: …", "data.path: …")."""
        path = self.field_of(message)
        return self._has_field(path) or path.split(".")[0] in ("data", "model", "optim")

    # ---------------------------------------------------------------- invalid fields
    def mark_invalid(self, path: str, message: str, still=_UNCHANGED):
        """A field holds text that cannot be used: say why next to it (and, for a live
        field, the value training goes on with: ``still``)."""
        if still is not _UNCHANGED:
            message = self._still(message, still)
        self._invalid[path] = message
        self._style(path, INVALID_STYLE)
        self.show_error(message)

    def mark_valid(self, path: str):
        if self._invalid.pop(path, None) is not None:
            self._style(path, "")

    def _style(self, path: str, style: str):
        w = self._field_widget(path)
        target = w.field if isinstance(w, LogSlider) else w
        if target is not None:
            target.setStyleSheet(style)

    def invalid_fields(self) -> list[str]:
        return sorted(self._invalid)

    def first_invalid(self) -> str | None:
        """Why the first invalid field is refused (None: every field is valid)."""
        return next(iter(self._invalid.values()), None)

    @staticmethod
    def _still(message, value) -> Still:
        return Still(message, value)

    def show_error(self, message):
        self._error_message = message or None   # redescribed on a new language
        self._error.setVisible(bool(message))
        self._error.setText(self.describe(message) if message else "")

    def shown_error(self) -> str | None:
        """The message shown, as it came (None: none)."""
        return self._error_message

    # ---------------------------------------------------------------- the trainer's answers
    def forget_sent(self):
        """A new config is shown: no change of the old one is on its way any more."""
        self._in_use, self._in_flight = {}, {}

    def note_sent(self, changes: dict, before: Config):
        """Live ``changes`` were sent to the trainer, which used ``before`` until now."""
        for path in changes:
            self._in_use.setdefault(path, before.get(path))
            self._in_flight[path] = self._in_flight.get(path, 0) + 1

    def _answered(self, path: str) -> bool:
        """Count one reply for ``path``; True if no other send of it is unanswered."""
        left = max(self._in_flight.get(path, 0) - 1, 0)
        if left:
            self._in_flight[path] = left
        else:
            self._in_flight.pop(path, None)
        return not left

    def show_rejection(self, message: str):
        """The trainer refused a change (e.g. a batch larger than the data): once no later
        send of the field is pending, it goes back to the value the trainer still uses, and
        the reason stays next to it."""
        path = self.field_of(message)
        if path in self._in_use and self._answered(path):
            before = self._in_use.pop(path)
            self.reverted.emit(path, before)
            message = self._still(message, before)
        self.show_error(message)
        self._rejected = True

    def accepted(self, changes: dict):
        """The trainer applied these changes: they are what it uses now; any refusal shown
        is over."""
        for path, value in changes.items():
            if self._answered(path):
                self._in_use.pop(path, None)
            else:
                self._in_use[path] = value
        if self._rejected and not self._invalid:
            self._rejected = False
            self.show_error(None)
