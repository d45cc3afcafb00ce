"""Common panel behaviour: keep the newest snapshot, redraw only when it changed."""
from __future__ import annotations

import time

from PySide6.QtWidgets import (QGraphicsView, QHBoxLayout, QLabel, QLayout, QVBoxLayout,
                               QWidget)

from nnvis.app.export.export_menu import ExportMenu
from nnvis.app.export.table import Table
from nnvis.app.i18n import Retranslating


def _add(layout, part):
    item, stretch = part if isinstance(part, tuple) else (part, 0)
    if item is None:
        layout.addSpacing(8)
    elif isinstance(item, QLayout):
        layout.addLayout(item, stretch)
    else:
        layout.addWidget(QLabel(item) if isinstance(item, str) else item, stretch)


def toolbar_row(*parts, margins=(4, 2, 4, 0)) -> QHBoxLayout:
    """A panel's control row: strings become labels, None a gap, (widget, stretch) stretches."""
    row = QHBoxLayout()
    row.setContentsMargins(*margins)
    for part in parts:
        _add(row, part)
    return row


class Panel(Retranslating, QWidget):
    """A dock panel. The main window calls :meth:`set_snapshot` whenever a snapshot arrives
    (cheap: it only stores it) and :meth:`render` from its ≤30 Hz GUI timer; ``render``
    draws only if a newer snapshot arrived and the panel is visible. Subclasses implement
    ``_draw(snapshot)`` by calling ``setData`` on items they created once."""

    #: Names the panel's dock; the dock's title is ``dock_layout.DOCK_TITLES[panel_id]``.
    panel_id = "panel"
    #: Redraw on every n-th tick of the window's 30 Hz frame timer, offset by
    #: ``refresh_phase``: panels that change slowly (or cost more) take turns, so one
    #: frame never pays for every panel at once and the GUI thread stays responsive.
    refresh_every = 1
    refresh_phase = 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.snapshot: dict | None = None
        self._dirty = False
        self._label_times: dict[int, float] = {}   # id(label) -> when set_live_text last set it
        self._views: list | None = None            # the panel's graphics views, found once
        self.exports: ExportMenu | None = None     # see offer_exports

    def offer_exports(self, what: str, picture):
        """Right-click the panel: export ``picture`` (see ``nnvis.app.export.pictures``) as
        PNG or SVG, and :meth:`export_table` as CSV; ``what`` names the panel in file
        names. Reached as ``self.exports``."""
        self.exports = ExportMenu(self, what, picture, self.export_table, self.shown_step)

    def export_table(self) -> Table:
        """The data behind the panel (its read-model, not what it drew), for CSV."""
        raise NotImplementedError

    def shown_step(self) -> int | None:
        """The step of the snapshot the panel holds (None: none yet)."""
        return None if self.snapshot is None else int(self.snapshot.get("step", 0))

    def stack_vertically(self, *parts, spacing: int = 2) -> QVBoxLayout:
        """Lay the panel out top to bottom (widgets, layouts, (item, stretch) tuples)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(spacing)
        for part in parts:
            _add(layout, part)
        return layout

    #: Live numbers in labels change at most this often while training (seconds).
    LABEL_INTERVAL = 0.25

    def set_live_text(self, label, text: str, tooltip: str | None = None) -> bool:
        """Show ``text`` in a label — at most 4 times a second while training. Digits that
        change 15 times a second cannot be read, and laying out a rich-text label on every
        draw cost the loss panel ~2 ms. Paused, a change shows at once. True if it was set."""
        if text == label.text():
            return False
        now = time.perf_counter()
        times = self._label_times
        running = bool(self.snapshot and self.snapshot.get("running"))
        if running and now - times.get(id(label), 0.0) < self.LABEL_INTERVAL:
            self._dirty = True   # draw again soon: the label must catch up
            return False
        times[id(label)] = now
        label.setText(text)
        if tooltip is not None:
            label.setToolTip(tooltip)
        return True

    def retranslate(self):
        """Set every text again in the current language (called at the end of ``__init__``
        and on ``QEvent.LanguageChange``). Texts drawn from snapshots are composed with
        ``tr()`` in ``_draw``: the next draw renews them. Subclasses set their own texts
        and call this too. (Not ``self.tr`` here: in a base class it would look up the
        wrong translation context.)"""
        self._label_times.clear()   # a label in the old language waits for no interval
        if self.exports is not None:
            self.exports.retranslate()
        self._dirty = True
        if self.snapshot is not None:
            self.render(force=True)

    def set_snapshot(self, snapshot: dict):
        self.snapshot = snapshot
        self._dirty = True

    @property
    def needs_redraw(self) -> bool:
        """Whether something waits for the next frame: a new snapshot, or a live label
        held back to catch up (read-only: ``render`` clears it)."""
        return self._dirty

    def render(self, force: bool = False) -> bool:
        """Draw the newest snapshot if it is new (or ``force``) and the panel is visible;
        True if it drew."""
        if self.snapshot is None or not (self._dirty or force):
            return False
        if not force and not self.on_screen():
            return False
        self._dirty = False
        self._draw(self.snapshot)
        self._settle_views()
        return True

    def _settle_views(self):
        """Apply new axis ranges now. pyqtgraph applies them when a paint begins, which
        dirties the view again: every range change cost a second full paint."""
        views = self._views
        if views is None:
            views = self._views = self.findChildren(QGraphicsView)
        for view in views:
            prepare = getattr(view.scene(), "prepareForPaint", None)
            if prepare is not None:
                prepare()

    def on_screen(self) -> bool:
        """Visible and not covered: a dock tabbed behind another stays "visible" to Qt
        (moved out of sight), and drawing it would be wasted work."""
        return self.isVisible() and not self.visibleRegion().isEmpty()

    def due(self, tick: int) -> bool:
        """Whether frame tick ``tick`` is this panel's turn to redraw."""
        return (tick + self.refresh_phase) % self.refresh_every == 0

    def reset(self):
        """Called when the trainer is rebuilt: forget accumulated history."""

    def _draw(self, snapshot: dict):
        raise NotImplementedError
