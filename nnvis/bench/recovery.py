"""What a crash at full speed loses: the trainer process killed (SIGKILL) again and again.

``python -m nnvis.bench.recovery '{"kills": 20}'`` runs the app's own engine handle and
autosaver (no window) on the default experiment at full speed. Each round trains for a
random 4–8 s, kills the trainer process, and measures the seconds of training lost: from
the moment the trainer stood at the step the autosave holds (interpolated between the
snapshots' arrival times) to the kill. The trainer is then restarted for the next round.
README promises at most 3 s (the autosave's cadence plus the save's own time).
"""
from __future__ import annotations

import json
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path


def _pump(app, until, timeout: float):
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout
    while not until() and time.monotonic() < deadline:
        app.processEvents(QEventLoop.AllEvents, 20)
        time.sleep(0.002)
    return until()


def _time_at_step(progress: list, step: int) -> float | None:
    """When the trainer stood at ``step``, from (arrival time, step) pairs in order."""
    for (t0, s0), (t1, s1) in zip(progress, progress[1:]):
        if s0 <= step <= s1:
            return t0 if s1 == s0 else t0 + (t1 - t0) * (step - s0) / (s1 - s0)
    return None


def measure(kills: int = 20, min_s: float = 4.0, max_s: float = 8.0, seed: int = 0) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from nnvis.app.autosave import AUTOSAVE_MIN_GAP_SECONDS, Autosaver
    from nnvis.app.worker import EngineHandle
    from nnvis.core import Config, commands
    from nnvis.core.persistence import saved_step

    app = QCoreApplication.instance() or QCoreApplication(["nnvis-bench"])
    rng = random.Random(seed)
    config = Config().to_dict()
    path = Path(tempfile.mkdtemp(prefix="nnvis-bench-")) / "autosave.nnvis"
    engine = EngineHandle("process", config)
    asked: list[float] = []
    save_seconds: list[float] = []
    saver = Autosaver(path, lambda c: (asked.append(time.monotonic()), engine.send(c)))
    progress: list[tuple[float, int]] = []
    died = []

    def on_snapshot(snap):
        progress.append((time.monotonic(), int(snap["step"])))
        saver.on_snapshot(snap)

    def on_message(kind, payload):
        if kind == "saved" and saver.on_saved(payload):
            save_seconds.append(time.monotonic() - asked[-1])
        elif kind == "process_died":
            died.append(payload)

    engine.snapshot.connect(on_snapshot)
    engine.message.connect(on_message)
    rounds = []
    try:
        for _ in range(kills):
            path.unlink(missing_ok=True)
            progress.clear()
            died.clear()
            saver.forget()
            for command in (commands.SnapshotRate(15.0), commands.Speed(None),
                            commands.Reset(config), commands.Play()):
                engine.send(command)
            if not _pump(app, lambda: len(progress) > 2, 60):
                raise RuntimeError("the trainer sent no snapshots")
            _pump(app, lambda: False, rng.uniform(min_s, max_s))
            pid = engine.worker.process.pid
            killed_at = time.monotonic()
            os.kill(pid, signal.SIGKILL)
            if not _pump(app, lambda: bool(died), 30):
                raise RuntimeError("the trainer's death was not noticed")
            step = saved_step(path) if path.exists() else None
            at = _time_at_step(progress, step) if step is not None else None
            rounds.append({"trained_s": killed_at - progress[0][0], "autosave_step": step,
                           "last_step_seen": progress[-1][1],
                           "lost_s": None if at is None else killed_at - at})
            engine.send(commands.Restart())
    finally:
        engine.shutdown()
    lost = [r["lost_s"] for r in rounds if r["lost_s"] is not None]
    ordered = sorted(save_seconds)
    return {"kills": kills, "rounds": rounds, "bound_s": float(AUTOSAVE_MIN_GAP_SECONDS),
            "worst_lost_s": max(lost) if len(lost) == len(rounds) else None,
            "median_lost_s": sorted(lost)[len(lost) // 2] if lost else None,
            "save_ms_p50": 1000 * ordered[len(ordered) // 2] if ordered else None,
            "save_ms_max": 1000 * ordered[-1] if ordered else None,
            "saves": len(ordered)}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(measure(**(json.loads(argv[0]) if argv else {}))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
