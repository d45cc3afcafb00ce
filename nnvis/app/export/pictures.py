"""A panel's picture as PNG (at a scale: 2× for print and slides) or SVG.

Two kinds of picture, one interface (``save_png(path, scale)``, ``save_svg(path)``):
pyqtgraph views go through pyqtgraph's own exporters, which redraw each item for the target
(pens and text stay crisp at 2×); the backprop graph is a plain ``QGraphicsScene`` that Qt
renders itself, into a ``QImage`` or through ``QSvgGenerator``.

pyqtgraph 0.14's ``SVGExporter`` cannot parse the closed paths (``… Z``) Qt 6 writes, and
every ViewBox draws one (pyqtgraph issue 3495): when it fails, Qt writes the plots' SVG the
way it writes the backprop graph's. The SVG is then Qt's drawing of the view as it is on
screen, still vectors and text.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QBrush, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from pyqtgraph.exporters import ImageExporter, SVGExporter


class PlotPicture:
    """Everything a pyqtgraph view shows (all its plots, titles and axes)."""

    def __init__(self, view):
        self._view = view
        self._scene = view.scene()   # a pyqtgraph view keeps its scene for life

    def save_png(self, path: str, scale: int = 1):
        exporter = ImageExporter(self._scene)
        params = exporter.parameters()
        # pyqtgraph keeps the aspect ratio when one side changes, rounding down: set both
        # so that 2× is exactly twice the pixels of 1×.
        width, height = int(params["width"]), int(params["height"])
        params.param("width").setValue(width * scale, blockSignal=exporter.widthChanged)
        params.param("height").setValue(height * scale, blockSignal=exporter.heightChanged)
        if not exporter.export(fileName=path):
            raise OSError(f"could not write {path}")

    def save_svg(self, path: str):
        exporter = SVGExporter(self._scene)
        try:
            exporter.export(fileName=path)
        except ValueError:   # pyqtgraph issue 3495 (see the module's doc)
            # The view paints the background, not the scene; and in export mode the items
            # draw for a file (a scatter's symbols as paths, not cached pixmaps).
            background = self._view.backgroundBrush()
            exporter.setExportMode(True, {"antialias": True, "background": background.color()})
            try:
                render_svg(self._scene, self._view.viewRect(), path, background)
            finally:
                exporter.setExportMode(False)


class ScenePicture:
    """The whole of a plain ``QGraphicsScene`` (its scene rect), not only the part in view."""

    def __init__(self, scene):
        self._scene = scene

    def save_png(self, path: str, scale: int = 1):
        source = self._scene.sceneRect()
        size = source.size().toSize() * scale
        image = QImage(size, QImage.Format_ARGB32)
        image.fill(self._scene.backgroundBrush().color())
        _render(self._scene, source, image, QRectF(0, 0, size.width(), size.height()))
        if not image.save(path, "PNG"):
            raise OSError(f"could not write {path}")

    def save_svg(self, path: str):
        render_svg(self._scene, self._scene.sceneRect(), path)   # (the scene has a background)


def _render(scene, source: QRectF, device, target: QRectF, background: QBrush | None = None):
    painter = QPainter(device)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    if background is not None:
        painter.fillRect(target, background)
    scene.render(painter, target, source)
    painter.end()


def render_svg(scene, source: QRectF, path: str, background: QBrush | None = None):
    """Qt's SVG of the part ``source`` of ``scene``, at its size in scene units, on
    ``background`` if given."""
    target = QRectF(0, 0, source.width(), source.height())
    svg = QSvgGenerator()
    svg.setFileName(path)
    svg.setResolution(96)   # CSS pixels: the file's size in mm shows it at its size on screen
    svg.setSize(QSize(int(source.width()), int(source.height())))
    svg.setViewBox(target)
    _render(scene, source, svg, target, background)
    if not os.path.exists(path):
        raise OSError(f"could not write {path}")
