"""nnvis: watch a neural network learn.

``nnvis.core`` is the Qt-free NumPy engine (``from nnvis.core import Config, Trainer``);
``nnvis.app`` is the PySide6 desktop application that renders its snapshots.
"""
from pathlib import Path

__version__ = "0.1.0"

#: Shipped data (digits set, icons, screenshots). The project is installed editable, so the
#: top-level ``resources/`` folder sits beside the package.
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
