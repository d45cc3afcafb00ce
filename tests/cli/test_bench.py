"""The benchmark machinery on tiny runs. No timing assertions: speed is measured by
``nnvis bench``, never in unit tests (the machine may be shared and noisy)."""
import json
import re
import sys

import numpy as np
import pytest

from nnvis.bench import report as bench_report
from nnvis.bench import speed as bench_speed
from nnvis.bench import system as bench_system
from nnvis.bench.cases import CASES, make_trainer, paired_ratio, rates_interleaved, step_flops

TINY_SPEED = {"cases": "a", "dtypes": ["float32"], "seconds": 0.02, "repeats": 1,
              "squares": [64]}


def test_cases_build_the_models_they_name():
    shapes = {k: [b.dense.params["W"].shape for b in make_trainer(c).net.blocks] +
              [make_trainer(c).net.output.params["W"].shape] for k, c in CASES.items()}
    assert shapes["a"] == [(2, 8), (8, 8), (8, 2)]
    assert shapes["b"] == [(2, 32)] + [(32, 32)] * 7 + [(32, 2)]
    assert shapes["c"] == [(784, 256), (256, 128), (128, 10)]
    assert shapes["d"] == [(64, 128), (128, 128), (128, 10)]
    assert make_trainer(CASES["c"], "float64").X_train.dtype == np.float64
    assert step_flops(CASES["a"], 1) == 2 * 2 * 16 + 3 * 2 * 64 + 3 * 2 * 16


def test_interleaved_rates_and_paired_ratio():
    calls = []

    def loop(name):
        def run(n):
            calls.append(name)
            return n
        return run

    rates = rates_interleaved({"x": loop("x"), "y": loop("y")}, seconds=0.001, repeats=3)
    assert set(rates) == {"x", "y"} and all(len(v) == 3 for v in rates.values())
    assert paired_ratio([2.0, 4.0, 6.0], [1.0, 1.0, 1.0]) == 4.0


def test_speed_part_reports_ratios_and_the_ceiling():
    torch = pytest.importorskip("torch")
    res = bench_speed.run(threads=1, **dict(TINY_SPEED, cases="ac"))
    assert res["torch"] == torch.__version__ and res["torch_skipped"] is None
    a = res["cases"]["a/float32/sgd"]
    assert a["nnvis"] > 0 and a["torch"] > 0 and a["ratio"] > 0
    # Same weights, same batches: the first losses agree to float32 rounding.
    assert a["agreement"] < 1e-4
    c = res["cases"]["c/float32/sgd"]
    assert 0 < c["fraction_of_ceiling"] and c["matmul_gflops"] > 0
    assert res["ceiling"]["64/float32"] > 0
    json.dumps(res)


def test_speed_part_skips_pytorch_when_it_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    res = bench_speed.run(threads=1, **TINY_SPEED)
    assert res["torch"] is None and "not importable" in res["torch_skipped"]
    entry = res["cases"]["a/float32/sgd"]
    assert entry["nnvis"] > 0 and "torch" not in entry and "ratio" not in entry
    targets = bench_report.evaluate_targets({"speed": {"1": res}})
    skipped = [t for t in targets if t["status"] == "skipped"]
    assert len(skipped) == 4 and all("not importable" in t["note"] for t in skipped)


def test_memory_part_keeps_histories_bounded():
    res = bench_system.run("memory", steps=(200, 1200), snapshot_every=400)
    assert [p["steps"] for p in res["points"]] == [200, 1200]
    assert res["points"][-1]["loss_history_points"] <= 2048
    assert 0 <= res["growth_mb"] < 20          # bounded histories: no growth to speak of


def test_run_all_report_structure_and_text(monkeypatch, tmp_path):
    """The whole pipeline with children run in-process on tiny settings."""
    monkeypatch.setitem(sys.modules, "torch", None)

    def runner(module, opts, env):
        mod = {"nnvis.bench.speed": bench_speed, "nnvis.bench.system": bench_system}[module]
        opts = dict(opts)
        if module == "nnvis.bench.speed":
            opts.update(TINY_SPEED, threads=opts["threads"])
        else:
            opts.update(steps=(100, 300), snapshot_every=100)
        return mod.run(**opts)

    profile = dict(bench_report.PROFILES["quick"])
    report = bench_report.run_all(profile, gui=False, runner=runner)
    assert set(report) >= {"machine", "speed", "memory", "targets"}
    assert "gui" not in report and "startup" not in report
    for key in ("cpu", "cores", "python", "numpy", "blas"):
        assert report["machine"][key]
    statuses = {t["status"] for t in report["targets"]}
    assert statuses <= {"met", "missed", "skipped", "no data"}
    text = bench_report.format_report(report)
    assert "Trainer speed" in text and "PyTorch skipped" in text and "Targets" in text
    json.loads(json.dumps(report, default=float))


def test_a_failing_part_is_reported_not_raised():
    def runner(module, opts, env):
        raise RuntimeError("child crashed")

    report = bench_report.run_all(bench_report.PROFILES["quick"], gui=False, runner=runner,
                           parts=("memory",))
    assert report["memory"] == {"error": "child crashed"}
    assert any(t["status"] == "no data" for t in report["targets"])
    assert "FAILED" in bench_report.format_report(report)


def test_gui_part_on_the_real_window(qapp):
    from nnvis.bench import gui as bench_gui
    res = bench_gui.run(seconds=0.4, repeats=1, frames=2, engines=("thread",))
    live = res["summary"]["thread"]
    assert live["all_panels_visible"]
    assert live["steps_per_s"] > 0 and live["fps"] > 0
    assert set(res["frame_cost"]) == {"default", "all"}
    assert res["frame_cost"]["all"]["frames"] == 2
    assert res["headless_steps_per_s"] > 0
    targets = bench_report.evaluate_targets({"gui": dict(res, summary={"process": live})})
    assert len(targets) == 5
    json.dumps(res)


def test_allocator_tuning_is_safe_to_call_twice():
    from nnvis.core.allocator import keep_freed_memory
    first = keep_freed_memory()
    assert keep_freed_memory() == first
    assert first == sys.platform.startswith("linux")


def test_every_child_the_report_runs_is_a_module_of_the_bench_package():
    import importlib.util
    import inspect

    from nnvis.bench import main
    source = inspect.getsource(bench_report.run_all)
    children = set(re.findall(r'"(nnvis\.bench\.\w+)"', source))
    assert children == {"nnvis.bench.speed", "nnvis.bench.gui", "nnvis.bench.system",
                        "nnvis.bench.backprop", "nnvis.bench.watch", "nnvis.bench.recovery"}
    for name in children:
        assert importlib.util.find_spec(name) is not None, name
    assert main is bench_report.main


def test_backprop_part_times_clicks_on_the_real_panel(qapp):
    from nnvis.bench import backprop as bench_backprop
    res = bench_backprop.run(layers=10, width=16, clicks=5)
    assert res["gates"] == 33 and res["nodes"] == 56      # 10 × (x·W, +b, σ) + output + loss
    assert 0 < res["click_ms_p50"] <= res["click_ms_max"]
    targets = bench_report.evaluate_targets({"backprop": res})
    assert [t["name"] for t in targets] == [
        "backprop walk, 10-layer network: one click p95 < 16 ms"]
    text = bench_report.format_report({"machine": {
        "cpu": "x", "cores": 2, "python": "3", "numpy": "2", "blas": "b", "load_start": 0.0},
        "started": 0.0, "backprop": res, "targets": targets})
    assert "6. Backprop panel" in text and "per click: p50" in text


def test_watch_part_reports_the_overhead_or_why_it_was_skipped(monkeypatch):
    from nnvis.bench import watch as bench_watch
    monkeypatch.setitem(sys.modules, "torch", None)     # as on a machine without PyTorch
    monkeypatch.delitem(sys.modules, "nnvis.watch.bench", raising=False)
    res = bench_watch.run(every=50)
    assert res["skipped"].startswith("no PyTorch")
    targets = bench_report.evaluate_targets({"watch": res})
    assert [t["status"] for t in targets] == ["skipped"]
    measured = {"case": "c", "every": 50, "plain_step_ms": 2.0, "watched_step_ms": 2.08,
                "overhead_percent": 4.0, "snapshot_ms": 3.5,
                "recording_bytes_per_snapshot": 38_000}
    assert bench_report.evaluate_targets({"watch": measured})[0]["status"] == "met"
    text = bench_report.format_report({"machine": {
        "cpu": "x", "cores": 2, "python": "3", "numpy": "2", "blas": "b", "load_start": 0.0},
        "started": 0.0, "watch": measured, "targets": []})
    assert "+4.0 %" in text


def test_recovery_part_kills_the_trainer_and_measures_the_training_lost(qapp):
    from nnvis.bench import recovery as bench_recovery

    out = bench_recovery.measure(kills=1, min_s=3.2, max_s=3.2)
    [r] = out["rounds"]
    assert r["autosave_step"] > 0 and r["last_step_seen"] >= r["autosave_step"]
    assert 0 < r["lost_s"] == out["worst_lost_s"]
    assert out["saves"] >= 1 and out["save_ms_p50"] > 0
    report = {"recovery": out}
    [target] = bench_report.evaluate_targets(report)
    assert target["name"].startswith("trainer killed at full speed 1 times")
