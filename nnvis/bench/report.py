"""Run every part of ``nnvis bench`` in its own child, check the targets, print the report.

See :mod:`nnvis.bench` for what the parts measure and why each runs in a child.
"""
from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
import time

BLAS_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

PROFILES = {
    "full": {"speed": {"seconds": 0.5, "repeats": 5, "adam": True, "squares": [1024, 2048]},
             "gui": {"seconds": 6.0, "repeats": 2, "frames": 40},
             "memory": {"steps": [10_000, 1_000_000]}, "startup_runs": 3,
             "backprop": {"layers": 10, "width": 16, "clicks": 80},
             "watch": {"every": 50, "steps": 100, "repeats": 25},
             "recovery": {"kills": 20}},
    "quick": {"speed": {"seconds": 0.05, "repeats": 3, "adam": False, "squares": [1024],
                        "gap": 0.05},
              "gui": {"seconds": 1.5, "repeats": 1, "frames": 10},
              "memory": {"steps": [10_000, 50_000]}, "startup_runs": 1,
              "backprop": {"layers": 10, "width": 16, "clicks": 30},
              "watch": {"every": 50, "steps": 100, "repeats": 5},
              "recovery": {"kills": 4, "min_s": 3.2, "max_s": 5.0}},
}

# NumPy/PyTorch steps/s, float32, same BLAS threads.
RATIO_TARGETS = {"a": 5.0, "b": 2.7, "c": 1.2, "d": 2.4}
CEILING_TARGET = 0.85
LIVE_TARGET = 0.90
FPS_TARGET = 30.0
FPS_TOLERANCE = 0.95    # a 33 ms timer ticks 30.3 times a second at best
LATENESS_P99_MS, LATENESS_MAX_MS = 20.0, 50.0
FRAME_MS = 10.0
RSS_GROWTH_MB = 50.0
STARTUP_S = 2.0
BACKPROP_CLICK_MS = 16.0
WATCH_OVERHEAD_PERCENT = 5.0
RECOVERY_LOST_S = 3.0


def log(msg: str):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- children
def child_env(threads: int | None = None, **extra) -> dict:
    env = dict(os.environ)
    if threads is not None:
        env.update({k: str(threads) for k in BLAS_ENV})
    env.setdefault("NNVIS_SETTINGS_SCOPE", "nnvis-bench")
    env.update(extra)
    return env


def run_child(module: str, opts: dict, env: dict, timeout: float = 900) -> dict:
    """Run ``python -m module '<opts json>'`` and parse the JSON line it prints last."""
    proc = subprocess.run([sys.executable, "-m", module, json.dumps(opts)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-8:])
        raise RuntimeError(f"{module} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(lines[-1])


def machine_info() -> dict:
    import numpy as np
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            info = f.read()
        fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        cpu = fields.get("model name", cpu)
        if "cpu family" in fields:
            cpu += f" (family {fields['cpu family']}, model {fields.get('model', '?')})"
    except OSError:
        pass
    blas = "unknown BLAS"
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{cfg.get('name')} {cfg.get('version')}"
    except Exception:
        pass
    try:
        from PySide6 import __version__ as pyside
    except Exception:
        pyside = None
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__, "blas": blas, "pyside6": pyside,
            "platform": platform.platform(), "load_start": os.getloadavg()[0]}


# ---------------------------------------------------------------------------- running
def run_all(profile: dict, gui: bool = True, runner=None, parts=None) -> dict:
    """Run every part; a failing part is recorded as {"error": ...} and the rest go on.
    ``runner(module, opts, env)`` defaults to :func:`run_child`."""
    runner = runner or run_child
    parts = parts or ("speed", "gui", "memory", "startup", "backprop", "watch", "recovery")
    report = {"machine": machine_info(), "profile": profile, "started": time.time()}
    cores = os.cpu_count() or 1
    if "speed" in parts:
        report["speed"] = {}
        for threads in sorted({1, cores}):
            log(f"trainer speed, {threads} BLAS thread(s)")
            report["speed"][str(threads)] = _guard(
                lambda t=threads: runner("nnvis.bench.speed", dict(profile["speed"], threads=t),
                                         child_env(t)))
    if gui and "gui" in parts:
        log("live app (offscreen window, both engines)")
        report["gui"] = _guard(lambda: runner("nnvis.bench.gui", profile["gui"],
                                              child_env(1, QT_QPA_PLATFORM="offscreen")))
    if "memory" in parts:
        log(f"memory over {profile['memory']['steps'][-1]:,} steps")
        report["memory"] = _guard(lambda: runner("nnvis.bench.system",
                                                 dict(profile["memory"], what="memory"),
                                                 child_env(1)))
    if gui and "startup" in parts:
        log("start-up")
        runs = []
        for _ in range(profile["startup_runs"]):
            r = _guard(lambda: runner("nnvis.bench.system", {"what": "startup", "t0": time.time()},
                                      child_env(None, QT_QPA_PLATFORM="offscreen")))
            runs.append(r)
        report["startup"] = {"runs": runs}
        ok = [r["first_paint_s"] for r in runs if "first_paint_s" in r]
        if ok:
            report["startup"]["median_s"] = sorted(ok)[len(ok) // 2]
    if gui and "backprop" in parts:
        log("backprop walk (offscreen panel)")
        report["backprop"] = _guard(lambda: runner("nnvis.bench.backprop", profile["backprop"],
                                                   child_env(1, QT_QPA_PLATFORM="offscreen")))
    if "watch" in parts:
        log("watching a PyTorch run: hook overhead")
        report["watch"] = _guard(lambda: runner("nnvis.bench.watch", profile["watch"],
                                                child_env(1)))
    if gui and "recovery" in parts:
        log(f"trainer killed at full speed {profile['recovery']['kills']} times")
        report["recovery"] = _guard(lambda: runner("nnvis.bench.recovery", profile["recovery"],
                                                   child_env(1, QT_QPA_PLATFORM="offscreen")))
    report["machine"]["load_end"] = os.getloadavg()[0]
    report["seconds"] = time.time() - report["started"]
    report["targets"] = evaluate_targets(report)
    return report


def _guard(fn) -> dict:
    try:
        return fn()
    except Exception as exc:  # one broken part must not hide the others
        log(f"FAILED: {exc}")
        return {"error": str(exc)}


# ---------------------------------------------------------------------------- targets
def _target(name, value, limit, higher_is_better=True, unit="", skipped=None, why=""):
    if skipped:
        return {"name": name, "status": "skipped", "note": skipped}
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {"name": name, "status": "no data", "note": why or "not measured"}
    met = value >= limit if higher_is_better else value <= limit
    miss = "" if met else f"missed by {abs(value - limit):.3g}{unit}"
    return {"name": name, "value": value, "target": limit, "unit": unit,
            "higher_is_better": higher_is_better, "status": "met" if met else "missed",
            "note": miss}


def evaluate_targets(report: dict) -> list:
    out = []
    speed = report.get("speed", {})
    for threads, res in sorted(speed.items(), key=lambda kv: int(kv[0])):
        if "error" in res:
            out.append({"name": f"trainer speed, {threads} thread(s)", "status": "no data",
                        "note": res["error"].splitlines()[0]})
            continue
        skipped = None if res.get("torch") else (res.get("torch_skipped") or "no PyTorch")
        for key, limit in RATIO_TARGETS.items():
            e = res["cases"].get(f"{key}/float32/sgd", {})
            out.append(_target(f"({key}) NumPy/PyTorch f32, {threads} BLAS thread(s) ≥ {limit}×",
                               e.get("ratio"), limit, unit="×", skipped=skipped))
        if threads == "1":  # with more threads the products speed up, the rest does not
            c = res["cases"].get("c/float32/sgd", {})
            name = f"(c) share of its matmul ceiling, 1 thread ≥ {CEILING_TARGET:.0%}"
            out.append(_target(name, c.get("fraction_of_ceiling"), CEILING_TARGET))
    gui = report.get("gui")
    if gui is not None and "error" not in gui:
        proc = gui["summary"].get("process", {})
        out.append(_target(f"live, process engine, all panels: ≥ {LIVE_TARGET:.0%} of headless",
                           proc.get("percent_of_headless", float("nan")) / 100, LIVE_TARGET))
        out.append(_target(f"live, process engine: {FPS_TARGET:.0f} fps",
                           proc.get("fps"), FPS_TARGET * FPS_TOLERANCE, unit=" fps"))
        out.append(_target(f"10 ms timer lateness while training, p99 ≤ {LATENESS_P99_MS:.0f} ms",
                           proc.get("lateness_p99_ms"), LATENESS_P99_MS, False, " ms"))
        out.append(_target(f"10 ms timer lateness while training, max ≤ {LATENESS_MAX_MS:.0f} ms",
                           proc.get("lateness_max_ms"), LATENESS_MAX_MS, False, " ms"))
        fc = gui.get("frame_cost", {}).get("default", {})
        out.append(_target(f"default dashboard frame, update+paint p50 ≤ {FRAME_MS:.0f} ms",
                           fc.get("total_ms_p50"), FRAME_MS, False, " ms"))
    elif gui is not None:
        out.append({"name": "live app", "status": "no data", "note": gui["error"].splitlines()[0]})
    mem = report.get("memory")
    if mem is not None:
        out.append(_target(f"RSS growth {_steps(mem, 0)} → {_steps(mem, -1)} steps ≤ "
                           f"{RSS_GROWTH_MB:.0f} MB", mem.get("growth_mb"), RSS_GROWTH_MB,
                           False, " MB", why=mem.get("error", "")))
    st = report.get("startup")
    if st is not None:
        out.append(_target(f"launch → window shown ≤ {STARTUP_S:.0f} s", st.get("median_s"),
                           STARTUP_S, False, " s"))
    wt = report.get("watch")
    if wt is not None:
        out.append(_target(f"watching a PyTorch run, case (c), snapshot every 50 steps: "
                           f"≤ {WATCH_OVERHEAD_PERCENT:.0f} % of step time",
                           wt.get("overhead_percent"), WATCH_OVERHEAD_PERCENT, False, " %",
                           skipped=wt.get("skipped"), why=wt.get("error", "")))
    bp = report.get("backprop")
    if bp is not None:
        out.append(_target(f"backprop walk, {bp.get('layers', '?')}-layer network: one click "
                           f"p95 < {BACKPROP_CLICK_MS:.0f} ms", bp.get("click_ms_p95"),
                           BACKPROP_CLICK_MS, False, " ms", why=bp.get("error", "")))
    rc = report.get("recovery")
    if rc is not None:
        out.append(_target(f"trainer killed at full speed {rc.get('kills', '?')} times: "
                           f"worst training lost ≤ {RECOVERY_LOST_S:.0f} s",
                           rc.get("worst_lost_s"), RECOVERY_LOST_S, False, " s",
                           why=rc.get("error", "")))
    return out


def _steps(mem: dict, i: int) -> str:
    pts = mem.get("points") or []
    return f"{pts[i]['steps']:,}" if pts else "?"


# ---------------------------------------------------------------------------- report
def _f(v, fmt="{:,.0f}"):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return fmt.format(v)


def _section(lines: list, title: str, part: dict | None) -> bool:
    """Open a report section: its title, then why it has no numbers (and a blank line to
    end it). True if the part has numbers to insert before that blank line."""
    if part is None:
        return False
    lines.append(title)
    if "error" in part:
        lines.append(f"   FAILED: {part['error']}")
    elif "skipped" in part:
        lines.append(f"   skipped: {part['skipped']}")
    lines.append("")
    return "error" not in part and "skipped" not in part


def format_report(report: dict) -> str:
    from .cases import CASES
    m = report["machine"]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(report["started"]))
    lines = [f"nnvis bench — {when}",
             f"machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, NumPy {m['numpy']} "
             f"({m['blas']}), PySide6 {m.get('pyside6')}",
             f"load average: {m['load_start']:.2f} at start, {m.get('load_end', float('nan')):.2f} "
             f"at end; {report.get('seconds', 0):.0f} s in all", ""]
    speed = report.get("speed")
    if speed:
        any_res = next((r for r in speed.values() if "error" not in r), None)
        lines.append("1. Trainer speed, steps/s (plain SGD, cross-entropy; median of "
                     + (f"{any_res['repeats']} interleaved runs of {any_res['seconds']} s; "
                        if any_res else "") + "ratio = median of paired ratios)")
        if any_res and not any_res.get("torch"):
            lines.append(f"   PyTorch skipped: {any_res.get('torch_skipped')}")
        elif any_res:
            lines.append(f"   PyTorch {any_res['torch']}: same initial weights, same batches, "
                         f"torch.set_num_threads = BLAS threads")
        lines.append(f"   {'case':<44} {'dtype':<8} {'opt':<5} {'thr':>3} {'nnvis':>9} "
                     f"{'PyTorch':>9} {'ratio':>6}")
        for threads, res in sorted(speed.items(), key=lambda kv: int(kv[0])):
            if "error" in res:
                lines.append(f"   {threads} thread(s): FAILED {res['error'].splitlines()[0]}")
                continue
            for e in res["cases"].values():
                label = f"({e['case']}) {CASES[e['case']].label}"
                lines.append(f"   {label:<44} {e['dtype']:<8} {e['optimizer']:<5} {threads:>3} "
                             f"{_f(e['nnvis']):>9} {_f(e.get('torch')):>9} "
                             f"{_f(e.get('ratio'), '{:.2f}'):>6}")
        lines.append("")
        lines.append("2. Distance to the limit (matmul GFLOP/s)")
        for threads, res in sorted(speed.items(), key=lambda kv: int(kv[0])):
            if "error" in res:
                continue
            c = res["cases"].get("c/float32/sgd")
            squares = ", ".join(f"{k.replace('/', '² ')} {v:.1f}"
                                for k, v in res["ceiling"].items())
            lines.append(f"   {threads} thread(s): large squares: {squares}")
            if c:
                lines.append(f"      case (c) products alone {c['matmul_gflops']:.1f} GFLOP/s "
                             f"({_f(c['matmul'])} steps/s); case (c) training "
                             f"{c['nnvis_gflops']:.1f} GFLOP/s = "
                             f"{c['fraction_of_ceiling']:.0%} of it")
        lines.append("")
    gui = report.get("gui")
    if gui is not None:
        lines.append("3. Live app (real main window, offscreen, 1600×1000, every panel on screen)")
        if "error" in gui:
            lines.append(f"   FAILED: {gui['error']}")
        else:
            c = gui["config"]
            lines.append(f"   default experiment: {c['data']}, hidden {c['hidden']} "
                         f"{c['activation']}, {c['optimizer']}, batch {c['batch']}; "
                         f"{gui['repeats']}× {gui['seconds']} s per engine")
            lines.append(f"   headless: {_f(gui['headless_steps_per_s'])} steps/s (1 BLAS thread)")
            lines.append(f"   {'engine':<8} {'steps/s':>8} {'%head':>6} {'fps':>5} "
                         f"{'update':>7} {'paint':>6} {'GUI busy':>8}  lateness p50/p99/max ms")
            for engine, s in gui["summary"].items():
                lines.append(
                    f"   {engine:<8} {_f(s['steps_per_s']):>8} "
                    f"{_f(s['percent_of_headless'], '{:.0f}%'):>6} {_f(s['fps'], '{:.1f}'):>5} "
                    f"{_f(s['frame_update_ms_p50'], '{:.1f}'):>7} "
                    f"{_f(s['frame_paint_ms_p50'], '{:.1f}'):>6} "
                    f"{_f(s['gui_thread_busy'], '{:.0%}'):>8}  "
                    f"{s['lateness_p50_ms']:.1f} / {s['lateness_p99_ms']:.1f} / "
                    f"{s['lateness_max_ms']:.1f}")
            for name, fc in gui["frame_cost"].items():
                lines.append(f"   frame cost, no trainer, {name} layout: {fc['total_ms_p50']:.1f} ms "
                             f"p50 per frame (update {fc['update_ms_p50']:.1f} + paint "
                             f"{fc['paint_ms_p50']:.1f}), p95 {fc['total_ms_p95']:.1f}, "
                             f"max {fc['total_ms_max']:.1f}; every panel at once "
                             f"{fc['every_panel_at_once_ms']:.1f} ms")
                per = ", ".join(
                    f"{k.replace('Panel', '')} {d['update_ms'] + d['paint_ms']:.1f} "
                    f"@{30 / fc['schedule'][k][0]:.0f} Hz"
                    for k, d in fc["per_panel_draw"].items())
                lines.append(f"      ms per draw (update + paint) by panel: {per}")
        lines.append("")
    mem = report.get("memory")
    if mem is not None:
        lines.append("4. Memory (case (a), a full snapshot every "
                     f"{mem.get('snapshot_every', '?')} steps)")
        if "error" in mem:
            lines.append(f"   FAILED: {mem['error']}")
        else:
            for p in mem["points"]:
                lines.append(f"   after {p['steps']:>9,} steps: peak RSS {p['peak_rss_mb']:.1f} MB "
                             f"(loss history {p['loss_history_points']} points, eval "
                             f"{p['eval_history_points']}; {p['seconds']:.0f} s)")
            lines.append(f"   growth: {mem['growth_mb']:.1f} MB")
        lines.append("")
    st = report.get("startup")
    if st is not None:
        lines.append("5. Start-up (launch → first paint of the main window)")
        for r in st["runs"]:
            if "error" in r:
                lines.append(f"   FAILED: {r['error']}")
            else:
                lines.append(f"   {r['first_paint_s']:.2f} s (imports done {r['imports_s']:.2f} s, "
                             f"window built {r['window_built_s']:.2f} s)")
        lines.append("")
    bp = report.get("backprop")
    if _section(lines, "6. Backprop panel (offscreen, 900×560: one backward-walk click = update "
                       "+ repaint)", bp):
        lines.insert(-1, f"   {bp['layers']} sigmoid layers of {bp['width']}: {bp['nodes']} "
                         f"nodes, {bp['gates']} gates; graph from the engine "
                         f"{bp['graph_ms']:.1f} ms, drawn in {bp['build_ms']:.1f} ms")
        lines.insert(-1, f"   per click: p50 {bp['click_ms_p50']:.1f} ms, p95 "
                         f"{bp['click_ms_p95']:.1f} ms, max {bp['click_ms_max']:.1f} ms "
                         f"({bp['clicks']} clicks)")
    wt = report.get("watch")
    if _section(lines, "7. Watching a PyTorch run (nnvis.watch, CPU, 1 thread)", wt):
        lines.insert(-1, f"   {wt['case']}: plain {wt['plain_step_ms']:.2f} ms/step, watched "
                         f"{wt['watched_step_ms']:.2f} ms/step → +{wt['overhead_percent']:.1f} %"
                         f" (a snapshot every {wt['every']} steps takes "
                         f"{wt['snapshot_ms']:.1f} ms, "
                         f"{wt['recording_bytes_per_snapshot'] / 1024:.0f} KB recorded)")
    rc = report.get("recovery")
    if _section(lines, "8. Nothing lost: the trainer process killed (SIGKILL) at full speed", rc):
        lost = [r["lost_s"] for r in rc["rounds"] if r["lost_s"] is not None]
        lines.insert(-1, f"   {rc['kills']} kills after 4–8 s of training each: training lost "
                         f"median {_f(rc['median_lost_s'], '{:.2f}')} s, worst "
                         f"{_f(rc['worst_lost_s'], '{:.2f}')} s (of {len(lost)} measured); "
                         f"{rc['saves']} autosaves took {_f(rc['save_ms_p50'], '{:.0f}')} ms "
                         f"(p50), {_f(rc['save_ms_max'], '{:.0f}')} ms at most")
    lines.append("Targets")
    for t in report.get("targets", []):
        status = {"met": "met   ", "missed": "MISSED", "skipped": "skip  "}.get(t["status"],
                                                                               "n/a   ")
        value = ""
        if "value" in t:
            v = t["value"]
            value = f": {v:.0%}" if t.get("unit") == "" and t["target"] < 1.5 else \
                f": {v:.3g}{t['unit']}"
        note = f" — {t['note']}" if t.get("note") else ""
        lines.append(f"   [{status}] {t['name']}{value}{note}")
    return "\n".join(lines)


def main(args) -> int:
    profile = PROFILES["quick" if getattr(args, "quick", False) else "full"]
    report = run_all(profile, gui=not getattr(args, "no_gui", False))
    print(format_report(report))
    if getattr(args, "json", None):
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, default=float)
        print(f"\nwrote {args.json}")
    failed = [k for k in ("speed", "gui", "memory") if isinstance(report.get(k), dict)
              and "error" in report[k]]
    return 1 if failed else 0
