"""The live app's cost: the real main window, offscreen, training the default experiment.

Run as ``python -m nnvis.bench.gui '<json options>'`` in a child with
``QT_QPA_PLATFORM=offscreen`` and one BLAS thread (what the trainer process gets), so a
headless run of the same config in the same child is the fair reference.

How each number is taken:

* training speed: steps/s between snapshots received by the window (after a warm-up) while
  it plays for a fixed time, as a % of headless ``Trainer.step`` runs of the same config
  taken before and after in this process;
* frames: the window's own 30 Hz frame timer is replaced by the same work, instrumented: for
  each tick, the visible panels that got a new snapshot ``render()`` (update), then each of
  them is ``repaint()``-ed at once (paint; the offscreen platform really rasterises). fps is
  the number of ticks that drew something per second;
* event-loop lateness: a 10 ms precise QTimer in the GUI thread; lateness = interval − 10 ms;
* frame cost: with no trainer running, a series of real snapshots (marked as running) is
  fed to the window, one per frame tick at the timer's pace: ``show_snapshot`` + the panels
  whose turn it is (``start_frame``, the schedule ``render_frame`` keeps) ``render`` (update), then Qt paints what changed (paint). Each panel's cost per
  draw is reported too, and their sum (every panel redrawn on one frame).
  "default" is the layout a new user sees (some docks tabbed behind others); "all" splits
  the tabbed docks so every panel is on screen.
"""
from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def _pct(values, q):
    return float(np.percentile(values, q)) if len(values) else float("nan")


class PaintClock:
    """Total time spent delivering Paint events to any widget (QApplication.notify), and
    per panel when ``by_panel`` is a dict (widgets outside the panels: "window")."""
    total = 0.0
    count = 0
    by_panel: dict | None = None

    @classmethod
    def add(cls, receiver, dt: float):
        cls.total += dt
        cls.count += 1
        if cls.by_panel is not None:
            from nnvis.app.panels.base import Panel
            owner, w = "window", receiver
            while w is not None:
                if isinstance(w, Panel):
                    owner = type(w).__name__
                    break
                w = w.parent()
            cls.by_panel[owner] = cls.by_panel.get(owner, 0.0) + dt


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("NNVIS_SETTINGS_SCOPE", "nnvis-bench")
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from nnvis.app.theme import apply_app_style, configure_pyqtgraph

    class TimingApp(QApplication):
        def notify(self, receiver, event):
            if event.type() != QEvent.Paint:
                return super().notify(receiver, event)
            t0 = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                PaintClock.add(receiver, time.perf_counter() - t0)

    app = QApplication.instance() or TimingApp(["nnvis-bench"])
    configure_pyqtgraph()
    apply_app_style(app)
    return app


def wait(app, seconds: float, until=None):
    """Run the real event loop (``QEventLoop.exec``) for ``seconds``, or until ``until()``
    is true (checked every 20 ms)."""
    from PySide6.QtCore import QEventLoop, QTimer
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    poll = None
    if until is not None:
        if until():
            return True
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: until() and loop.quit())
        poll.start()
    loop.exec()
    if poll is not None:
        poll.stop()
    return until() if until is not None else True


def show_every_panel(window):
    """Split the docks the default layout tabs behind others, so every panel is on screen."""
    from PySide6.QtCore import Qt
    d = window.docks
    for a, b in (("gradient_flow", "histograms"), ("controls", "lessons"),
                 ("activation", "backprop")):
        if a in d and b in d:
            # splitDockWidget leaves a tabified dock in its tab: take it out first.
            window.removeDockWidget(d[b])
            window.addDockWidget(window.dockWidgetArea(d[a]), d[b])
            window.splitDockWidget(d[a], d[b], Qt.Vertical)
    for dock in d.values():
        dock.show()


def make_window(app, engine: str, config: dict, all_visible: bool):
    from nnvis.app.main_window import MainWindow
    window = MainWindow(engine=engine, config=config, restore_layout=False,
                        offer_recovery=False)
    window.resize(1600, 1000)
    window.set_speed(None)   # measure the full rate, not the watching speed a user starts with
    if all_visible:
        show_every_panel(window)
    window.show()
    from nnvis.app.launch import freeze_startup_objects
    freeze_startup_objects()   # as the app does after showing its window
    ok = wait(app, 30.0, lambda: window.latest is not None)
    if not ok:
        raise RuntimeError(f"the {engine} engine sent no snapshot within 30 s")
    wait(app, 0.3)
    return window


def close_window(app, window):
    window.shutdown()
    window.close()
    window.deleteLater()
    wait(app, 0.2)


class FrameProbe:
    """Replaces the window's frame timer with one that does the same work, timed: update =
    the panels' ``render()`` in a tick; paint = Paint-event time (all widgets) from that
    tick to the next, which is when Qt paints what the tick changed. ``stop`` it before the
    window closes (the window's shutdown stops only its own timer)."""

    def __init__(self, window):
        from PySide6.QtCore import QTimer
        self.window = window
        window.frame_timer.stop()
        self.timer = QTimer()
        self.timer.setTimerType(window.frame_timer.timerType())
        self.timer.setInterval(window.frame_timer.interval())
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.reset()

    def stop(self):
        self.timer.stop()

    def reset(self):
        self.update_ms: list[float] = []
        self.paint_ms: list[float] = []
        self.drawn = 0
        self._pending = None  # paint clock at the end of the last tick that drew

    def tick(self):
        w = self.window
        if self._pending is not None:
            self.paint_ms.append(1e3 * (PaintClock.total - self._pending))
            self._pending = None
        t0 = time.perf_counter()
        drawn = w.render_frame()
        t1 = time.perf_counter()
        if drawn:
            self.drawn += 1
            self.update_ms.append(1e3 * (t1 - t0))
            self._pending = PaintClock.total

class LatenessProbe:
    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import Qt, QTimer
        self.interval = interval_ms / 1e3
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self):
        self.ticks.clear()
        self.timer.start()

    def stop(self) -> dict:
        self.timer.stop()
        late = np.maximum(np.diff(self.ticks) - self.interval, 0.0) * 1e3
        return {"p50_ms": _pct(late, 50), "p99_ms": _pct(late, 99),
                "max_ms": float(late.max()) if len(late) else float("nan"),
                "ticks": len(self.ticks)}


def headless_rate(config: dict, seconds: float) -> float:
    from nnvis.core import Config, Trainer
    from .cases import calibrate, nnvis_loop
    run = nnvis_loop(Trainer(Config.from_dict(config)))
    n = max(1, int(calibrate(run, seconds) * seconds))
    t0 = time.perf_counter()
    done = run(n)
    return done / (time.perf_counter() - t0)


def live_run(app, engine: str, config: dict, seconds: float, warmup: float = 1.0) -> dict:
    window = make_window(app, engine, config, all_visible=True)
    visible = {p.__class__.__name__: p.on_screen() for p in window.panels}
    frames = FrameProbe(window)
    lateness = LatenessProbe()
    marks: list[tuple[float, int]] = []
    window.snapshot_received.connect(lambda s: marks.append((time.perf_counter(), s["step"])))
    window.commands.toggle_play()
    wait(app, warmup)
    marks.clear()
    frames.reset()
    lateness.start()
    t0, cpu0 = time.perf_counter(), time.thread_time()
    wait(app, seconds)
    elapsed = time.perf_counter() - t0
    busy = (time.thread_time() - cpu0) / elapsed
    late = lateness.stop()
    window.commands.toggle_play()
    frames.stop()
    close_window(app, window)
    rate = float("nan")
    if len(marks) >= 2 and marks[-1][0] > marks[0][0]:
        rate = (marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])
    total = [u + p for u, p in zip(frames.update_ms, frames.paint_ms)]
    return {"engine": engine, "steps_per_s": rate, "snapshots_per_s": len(marks) / elapsed,
            "fps": frames.drawn / elapsed, "panels_visible": visible,
            "gui_thread_busy": busy,
            "frame_update_ms_p50": _pct(frames.update_ms, 50),
            "frame_paint_ms_p50": _pct(frames.paint_ms, 50),
            "frame_ms_p50": _pct(total, 50), "frame_ms_p95": _pct(total, 95),
            "lateness": late}


def frame_cost(app, config: dict, all_visible: bool, frames: int) -> dict:
    """Update and paint time per frame tick, with no trainer competing: one real snapshot
    per tick (as while training, ≤ 30 a second) through ``show_snapshot`` and the window's own
    ``render_frame`` schedule (``start_frame``). Also each panel's cost per draw, and their sum: what one
    frame would cost if every panel redrew on it."""
    from nnvis.core import Config, Trainer, take_snapshot
    trainer = Trainer(Config.from_dict(config))
    snaps = []
    for i in range(frames + 6):
        trainer.step(25)
        snaps.append(take_snapshot(trainer, grid=True, include_data=(i == 0)))
    window = make_window(app, "thread", config, all_visible)
    window.frame_timer.stop()
    visible = [p for p in window.panels if p.on_screen()]
    names = {p: p.__class__.__name__ for p in window.panels}
    update, paint = [], []
    draws = {names[p]: 0 for p in visible}
    draw_update = {names[p]: 0.0 for p in visible}
    from nnvis.app.main_window import FRAME_MS
    tick = time.perf_counter()
    for i, snap in enumerate(snaps):
        # As while training: "running" snapshots, one per frame tick, at the timer's pace.
        snap["running"] = True
        tick += FRAME_MS / 1e3
        time.sleep(max(0.0, tick - time.perf_counter()))
        t0 = time.perf_counter()
        window.show_snapshot(snap)
        drawn = []
        for p in window.start_frame():
            a = time.perf_counter()
            if p.render():
                drawn.append((p, time.perf_counter() - a))
        t1 = time.perf_counter()
        painted = PaintClock.total
        for _ in range(3):  # queued scene updates, then the paint events they post
            app.processEvents()
        if i == 5:
            PaintClock.by_panel = {}
        if i >= 6:  # the first frames build items and lay out
            update.append(1e3 * (t1 - t0))
            paint.append(1e3 * (PaintClock.total - painted))
            for p, dt in drawn:
                draws[names[p]] += 1
                draw_update[names[p]] += 1e3 * dt
    by_panel, PaintClock.by_panel = PaintClock.by_panel or {}, None
    close_window(app, window)
    total = [u + p for u, p in zip(update, paint)]
    per_draw = {name: {"draws": n, "update_ms": draw_update[name] / max(n, 1),
                       "paint_ms": 1e3 * by_panel.get(name, 0.0) / max(n, 1)}
                for name, n in draws.items()}
    window_paint = 1e3 * by_panel.get("window", 0.0) / max(1, len(total))
    every_panel = sum(d["update_ms"] + d["paint_ms"] for d in per_draw.values()) + window_paint
    return {"layout": "all" if all_visible else "default", "frames": len(total),
            "panels_visible": [names[p] for p in visible],
            "schedule": {names[p]: [p.refresh_every, p.refresh_phase] for p in window.panels},
            "update_ms_p50": _pct(update, 50), "paint_ms_p50": _pct(paint, 50),
            "total_ms_p50": _pct(total, 50), "total_ms_p95": _pct(total, 95),
            "total_ms_max": max(total) if total else float("nan"),
            "per_panel_draw": per_draw, "window_paint_ms_per_frame": window_paint,
            "every_panel_at_once_ms": every_panel}


def run(seconds: float = 6.0, repeats: int = 2, frames: int = 40,
        engines=("process", "thread")) -> dict:
    from nnvis.core import Config
    app = _app()
    config = Config().to_dict()  # the default experiment a new user starts with
    out = {"config": {"data": config["data"]["name"], "hidden": config["model"]["hidden"],
                      "activation": config["model"]["activation"],
                      "optimizer": config["optim"]["name"], "batch": config["optim"]["batch_size"]},
           "seconds": seconds, "repeats": repeats, "headless": [], "live": {e: [] for e in engines}}
    for _ in range(repeats):
        out["headless"].append(headless_rate(config, seconds / 2))
        for engine in engines:
            out["live"][engine].append(live_run(app, engine, config, seconds))
            out["headless"].append(headless_rate(config, seconds / 2))
    headless = float(np.median(out["headless"]))
    out["headless_steps_per_s"] = headless
    summary = {}
    for engine, runs in out["live"].items():
        pick = lambda key: float(np.median([r[key] for r in runs]))  # noqa: E731
        summary[engine] = {
            "steps_per_s": pick("steps_per_s"),
            "percent_of_headless": 100.0 * pick("steps_per_s") / headless,
            "fps": pick("fps"), "frame_ms_p50": pick("frame_ms_p50"),
            "frame_ms_p95": pick("frame_ms_p95"),
            "gui_thread_busy": pick("gui_thread_busy"),
            "frame_update_ms_p50": pick("frame_update_ms_p50"),
            "frame_paint_ms_p50": pick("frame_paint_ms_p50"),
            "lateness_p50_ms": float(np.median([r["lateness"]["p50_ms"] for r in runs])),
            "lateness_p99_ms": float(max(r["lateness"]["p99_ms"] for r in runs)),
            "lateness_max_ms": float(max(r["lateness"]["max_ms"] for r in runs)),
            "all_panels_visible": all(all(r["panels_visible"].values()) for r in runs)}
    out["summary"] = summary
    out["frame_cost"] = {"default": frame_cost(app, config, False, frames),
                         "all": frame_cost(app, config, True, frames)}
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from nnvis.core.allocator import keep_freed_memory
    keep_freed_memory()  # as the nnvis command and the trainer process do
    print(json.dumps(run(**(json.loads(argv[0]) if argv else {}))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
