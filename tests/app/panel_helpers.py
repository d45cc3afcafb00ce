"""Showing and drawing panels in tests as the window would."""


def show(qtbot, panel, size=(700, 450)):
    """Register a panel with qtbot at a realistic dock size."""
    qtbot.addWidget(panel)
    panel.resize(*size)
    return panel


def show_on_screen(qtbot, panel, size):
    """Register a panel and show it at a dock's size: layouts follow the real width."""
    show(qtbot, panel, size)
    panel.show()
    return panel


def settle(panel):
    """Let pending layout events run, then draw the panel's snapshot again."""
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
    panel.render(force=True)
    QApplication.processEvents()


def draw(panel, snapshot):
    """Hand a panel a snapshot and draw it now, as the window's frame timer would."""
    panel.set_snapshot(snapshot)
    panel.render(force=True)
