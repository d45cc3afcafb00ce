"""A layout that puts its widgets in a row and wraps to the next row when the width runs
out (Qt's FlowLayout example): a dock that shares its width stays usable when narrow,
without a minimum width that squeezes its neighbours."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QSizePolicy


class FlowLayout(QLayout):
    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self.setSpacing(spacing)
        self.setContentsMargins(4, 2, 4, 2)

    def addItem(self, item):
        self._items.append(item)

    def count(self):
        return len(self._items)

    def itemAt(self, index):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation(0)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect):
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self):
        return self.minimumSize()

    def minimumSize(self):
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = area.x(), area.y(), 0
        space = self.spacing()
        for item in self._items:
            if item.widget() is not None and not item.widget().isVisible() and \
                    item.widget().parentWidget() is not None and \
                    item.widget().parentWidget().isVisible():
                continue   # a hidden widget takes no room
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_h > 0:
                x, y = area.x(), y + line_h + space
                line_h = 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + space
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()


def flow_widget(parent_layout_owner, widgets, spacing: int = 6):
    """A plain QWidget holding ``widgets`` in a FlowLayout, growing in height as it wraps."""
    from PySide6.QtWidgets import QWidget
    holder = QWidget(parent_layout_owner)
    layout = FlowLayout(holder, spacing)
    for w in widgets:
        layout.addWidget(w)
    policy = QSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
    policy.setHeightForWidth(True)
    holder.setSizePolicy(policy)
    return holder
