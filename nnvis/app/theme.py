"""Colours and pens shared by every panel (readable on a projector, colour-blind aware)."""
from __future__ import annotations

import pyqtgraph as pg

BACKGROUND = "#14161b"
FOREGROUND = "#d8dee9"
GRID_ALPHA = 0.15
POSITIVE = (235, 120, 50)      # orange: positive weights / values
NEGATIVE = (60, 140, 230)      # blue: negative weights / values
DEAD = (120, 120, 120)
SATURATED = (230, 60, 90)
TRAIN = (80, 170, 255)
TEST = (255, 170, 60)
ACCENT = (120, 220, 140)
# The validation split: violet (and dotted where drawn), never taken for test's orange.
VALIDATION = (195, 150, 255)
# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
CLASS_COLORS = [(0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
                (213, 94, 0), (240, 228, 66), (150, 150, 150), (255, 255, 255), (120, 60, 200)]
LAYER_COLORS = [(102, 194, 165), (252, 141, 98), (141, 160, 203), (231, 138, 195),
                (166, 216, 84), (255, 217, 47), (229, 196, 148), (179, 179, 179)]


def hex_color(c) -> str:
    """(r, g, b[, a]) -> "#rrggbb" for rich-text labels."""
    return "#%02x%02x%02x" % tuple(int(v) for v in c[:3])


def layer_color(i: int):
    return LAYER_COLORS[i % len(LAYER_COLORS)]


def configure_pyqtgraph():
    pg.setConfigOptions(antialias=True, background=BACKGROUND, foreground=FOREGROUND,
                        imageAxisOrder="row-major")


def style_plot(plot: pg.PlotItem, title: str, x_label: str, y_label: str):
    """Title, labelled axes and a faint grid: every plot in nnvis says what it shows."""
    plot.setTitle(title, size="10pt")
    plot.setLabel("bottom", x_label)
    plot.setLabel("left", y_label)
    plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def apply_app_style(app):
    """Fusion with a dark palette, so widgets match the dark plots on any desktop."""
    from PySide6.QtGui import QColor, QPalette

    app.setStyle("Fusion")
    pal = QPalette()
    base, window, text = QColor("#1b1e24"), QColor("#23272e"), QColor(FOREGROUND)
    for role, color in ((QPalette.Window, window), (QPalette.WindowText, text),
                        (QPalette.Base, base), (QPalette.AlternateBase, window),
                        (QPalette.Text, text), (QPalette.Button, window),
                        (QPalette.ButtonText, text), (QPalette.ToolTipBase, QColor("#2c313a")),
                        (QPalette.ToolTipText, text), (QPalette.Highlight, QColor("#3d6fb4")),
                        (QPalette.HighlightedText, QColor("#ffffff")),
                        (QPalette.PlaceholderText, QColor("#7f8796")),
                        # Links in lesson texts: the default pure blue is unreadable here.
                        (QPalette.Link, QColor("#7cc4ff")),
                        (QPalette.LinkVisited, QColor("#b59cff"))):
        pal.setColor(role, color)
    pal.setColor(QPalette.Disabled, QPalette.Text, QColor("#6b7280"))
    pal.setColor(QPalette.Disabled, QPalette.ButtonText, QColor("#6b7280"))
    app.setPalette(pal)
