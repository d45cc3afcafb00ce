"""What the controls say back: a refused value marked on its field and explained next to
it, the engine's answers to what was sent, and error messages in the user's words."""
from __future__ import annotations

from typing import NamedTuple

from nnvis.app import engine_text
from nnvis.app.choices import choice_label
from nnvis.core.config import LIVE_FIELDS, Config

from .log_slider import LogSlider

INVALID_STYLE = "border: 1px solid #ff6b6b;"


class Still(NamedTuple):
    """A refusal shown with the value training goes on with (described in the language of
    the moment, as the refusal is)."""
    message: object
    value: object


class ControlsFeedback:
    """Mixin of :class:`~nnvis.app.controls.ControlsPanel`: valid and invalid fields."""

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
        if not sep or field not in self._labels:
            return engine_text.reason(message)
        where = self.tr(", layer {0}").format(int(index.rstrip("]")) + 1) if bracket and \
            index.rstrip("]").isdigit() else ""
        reason = message if getattr(message, "code", None) else _reason
        return self.tr("{0}: {1}").format(f"{self.label_for(field)}{where}",
                                          engine_text.reason(reason))

    @staticmethod
    def field_of(message: str) -> str:
        """The config path a "path: reason" message is about ("model.hidden[0]" -> "model.hidden")."""
        return message.partition(": ")[0].partition("[")[0]

    def _mark_invalid(self, path: str, message: str):
        """A field holds text that cannot be used: say why next to it, and never let Apply
        build something other than what the field shows."""
        if path in LIVE_FIELDS:   # training goes on with the value it had
            message = self._still(message, self._config.get(path))
        self._invalid[path] = message
        self._pending.pop(path, None)
        w = self._widgets.get(path)
        target = w.field if isinstance(w, LogSlider) else w
        if target is not None:
            target.setStyleSheet(INVALID_STYLE)
        self._show_error(message)
        self._update_pending()

    @staticmethod
    def _still(message, value) -> Still:
        return Still(message, value)

    def _mark_valid(self, path: str):
        if self._invalid.pop(path, None) is not None:
            w = self._widgets.get(path)
            target = w.field if isinstance(w, LogSlider) else w
            if target is not None:
                target.setStyleSheet("")

    def is_field_error(self, message: str) -> bool:
        """Whether a message is about a config field ("optim.lr: …", "data.path: …")."""
        path = self.field_of(message)
        return path in self._labels or path.split(".")[0] in ("data", "model", "optim")

    def invalid_fields(self) -> list[str]:
        return sorted(self._invalid)

    def _show_error(self, message):
        self.error_message = message or None   # redescribed on a new language
        self.error.setVisible(bool(message))
        self.error.setText(self.describe(message) if message else "")

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
            self._config = self._config.with_changes({path: before})
            self._show_value(path, before)
            self._update_enabled(self._config)
            message = self._still(message, before)
        self._show_error(message)
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
            self._show_error(None)
