"""Offscreen grabs of the main window, to show a refactoring changed no pixel.

    python scripts/compare_grabs.py grab OUT_DIR        # default.png, vanishing-gradients.png
    python scripts/compare_grabs.py compare DIR_A DIR_B  # share of differing pixels per image

Each grab is of a window on the thread engine, paused at a fixed seed after STEPS single
steps, with every panel drawn at once (``render(force=True)``): the same code makes the same
picture, so any difference is the change's (or a text cursor's).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

STEPS = 25
SIZE = (1400, 900)


def _isolate():
    """Offscreen, with settings and autosaves of this run's own (never the user's)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NNVIS_SETTINGS_SCOPE"] = "nnvis-grabs"
    home = tempfile.mkdtemp(prefix="nnvis-grabs-")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "data")


def _wait(app, until, seconds=20.0):
    import time

    deadline = time.monotonic() + seconds
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError("the trainer did not answer")
        app.processEvents()
        time.sleep(0.005)


def _settle(app, seconds=0.5):
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _grab(app, lesson: str | None, out: Path):
    from nnvis.app.main_window import MainWindow

    w = MainWindow(engine="thread", restore_layout=False, offer_recovery=False)
    try:
        w.resize(*SIZE)
        w.show()
        if lesson is not None:
            w.load_lesson(lesson)
        _wait(app, lambda: w.latest is not None and w.latest["step"] == 0)
        # Before issue 17 the window stepped itself; since, its TrainingCommands do.
        commands = getattr(w, "commands", w)
        for i in range(1, STEPS + 1):
            commands.step_once()
            _wait(app, lambda i=i: w.latest is not None and w.latest["step"] == i)
        _settle(app, 2.0)   # the docks' layouts and the lesson's text find their sizes
        for panel in w.panels:
            panel.render(force=True)
        _settle(app, 0.1)
        w.grab().save(str(out))
    finally:
        w.close()
        app.processEvents()


def grab(out_dir: str):
    _isolate()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _grab(app, None, out / "default.png")
    _grab(app, "vanishing-gradients", out / "vanishing-gradients.png")


def differing_share(a: str, b: str) -> float:
    """The share of pixels that differ between two images (1.0 if their sizes differ)."""
    import numpy as np
    from PySide6.QtGui import QImage

    ia = QImage(a).convertToFormat(QImage.Format_RGBA8888)
    ib = QImage(b).convertToFormat(QImage.Format_RGBA8888)
    if ia.isNull() or ib.isNull():
        raise FileNotFoundError(a if ia.isNull() else b)
    if ia.size() != ib.size():
        return 1.0

    def pixels(img):
        return np.array(np.frombuffer(img.constBits(), np.uint8).reshape(
            img.height(), img.bytesPerLine())[:, :img.width() * 4].reshape(
            img.height(), img.width(), 4))

    return float(np.any(pixels(ia) != pixels(ib), axis=2).mean())


def compare(dir_a: str, dir_b: str) -> int:
    worst = 0.0
    for path in sorted(Path(dir_a).glob("*.png")):
        share = differing_share(str(path), str(Path(dir_b) / path.name))
        worst = max(worst, share)
        print(f"{path.name}: {share:.6%} of pixels differ")
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "grab":
        grab(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
