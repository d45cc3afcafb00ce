"""Memory over long runs and start-up time, each measured in a fresh child process.

``python -m nnvis.bench.system '{"what": "memory", ...}'`` trains case (a) and reports the
peak RSS (``ru_maxrss``) after each step count, taking a full snapshot (what the app draws,
histories included) every ``snapshot_every`` steps so the histories it keeps are exercised.

``python -m nnvis.bench.system '{"what": "startup", "t0": <time.time() at launch>}'`` does
what ``nnvis`` does at start (Qt application, style, the main window with its trainer
process, resize, show) and reports the seconds from ``t0`` — taken by the parent just
before it started this interpreter — to the window's first paint.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def memory(steps=(10_000, 1_000_000), snapshot_every: int = 2000, case: str = "a") -> dict:
    from nnvis.core import take_snapshot

    from .cases import CASES, make_trainer
    trainer = make_trainer(CASES[case])
    out = {"case": case, "snapshot_every": snapshot_every, "start_rss_mb": peak_rss_mb(),
           "points": []}
    t0 = time.perf_counter()
    for target in steps:
        while trainer.step_count < target:
            trainer.step(min(snapshot_every, target - trainer.step_count))
            take_snapshot(trainer, grid=True)
            if trainer.divergence is not None:
                raise RuntimeError(trainer.divergence["message"])
        out["points"].append({"steps": trainer.step_count, "peak_rss_mb": peak_rss_mb(),
                              "loss_history_points": trainer.loss_history.n,
                              "eval_history_points": trainer.eval_history.n,
                              "seconds": time.perf_counter() - t0})
    first, last = out["points"][0], out["points"][-1]
    out["growth_mb"] = last["peak_rss_mb"] - first["peak_rss_mb"]
    return out


def startup(t0: float) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("NNVIS_SETTINGS_SCOPE", "nnvis-bench")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from nnvis.app.main_window import MainWindow
    from nnvis.app.theme import apply_app_style, configure_pyqtgraph
    from nnvis.core import Config
    imported = time.time()
    app = QApplication.instance() or QApplication(["nnvis"])
    configure_pyqtgraph()
    apply_app_style(app)
    window = MainWindow(engine="process", config=Config().to_dict(), restore_layout=False,
                        offer_recovery=False)
    window.resize(1600, 1000)
    built = time.time()
    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint and not painted:
                painted.append(time.time())
                QTimer.singleShot(0, app.quit)
            return False

    spy = FirstPaint()
    window.installEventFilter(spy)
    window.show()
    QTimer.singleShot(20_000, app.quit)
    app.exec()
    window.shutdown()
    shown = painted[0] if painted else float("nan")
    return {"imports_s": imported - t0, "window_built_s": built - t0, "first_paint_s": shown - t0}


def run(what: str, **opts) -> dict:
    return {"memory": memory, "startup": startup}[what](**opts)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from nnvis.core.allocator import keep_freed_memory
    keep_freed_memory()  # as the nnvis command and the trainer process do
    opts = json.loads(argv[0]) if argv else {"what": "memory"}
    if opts.get("what") == "memory" and "steps" in opts:
        opts["steps"] = tuple(opts["steps"])
    print(json.dumps(run(**opts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
