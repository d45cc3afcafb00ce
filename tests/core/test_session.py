"""The session loop both hosts run: commands in, throttled snapshots out."""
import multiprocessing
import pickle
import time

import numpy as np
import pytest

from helpers import Recorder, small_config, unchecked
from nnvis.core import ConfigError, commands
from nnvis.core.session import Session, process_main
from nnvis.lessons.handmade_xor import HANDMADE_XOR, HANDMADE_XOR_CONFIG, handmade_xor_command




def test_reset_reports_a_snapshot_with_data_points():
    rec = Recorder()
    Session(rec, small_config())
    snap = rec.last("snapshot")
    assert snap["step"] == 0 and "points" in snap


def test_step_command_runs_exactly_n_steps():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Step(1))
    assert rec.last("snapshot")["step"] == 1
    s.handle(commands.Step(5))
    assert rec.last("snapshot")["step"] == 6


def play_for_a_second(rec) -> tuple:
    """A session playing for one second: (the session, snapshots it sent meanwhile)."""
    s = Session(rec, small_config())
    s.handle(commands.Play())
    t0 = time.perf_counter()
    n0 = rec.kinds().count("snapshot")
    while time.perf_counter() - t0 < 1.0:
        s.tick()
    return s, rec.kinds().count("snapshot") - n0


def test_play_is_throttled_to_about_30_snapshots_per_second():
    rec = Recorder()
    _, n = play_for_a_second(rec)
    assert 5 <= n <= 32
    assert rec.last("snapshot")["step"] > 100


def test_a_costly_snapshot_comes_less_often_so_training_keeps_most_of_the_time(monkeypatch):
    import nnvis.core.session as session_mod

    real = session_mod.take_snapshot

    def slow_snapshot(*args, **kwargs):   # as for a 10×500 network: 0.05 s of real work
        t0 = time.thread_time()
        while time.thread_time() - t0 < 0.05:
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(session_mod, "take_snapshot", slow_snapshot)
    _, n = play_for_a_second(Recorder())
    assert 2 <= n <= 6      # ≤ 20% of the second, instead of 30 × 0.05 s = all of it


def test_invalid_set_is_reported_and_the_trainer_untouched():
    rec = Recorder()
    s = Session(rec, small_config())
    trainer = s.trainer
    s.handle(commands.Set({"optim.lr": 0}))
    assert rec.last("error").startswith("optim.lr")
    assert s.trainer is trainer and trainer.config.get("optim.lr") == 0.02
    s.handle(commands.Reset({"model": {"hidden": [0]}}))
    assert "model.hidden[0]" in rec.last("error") and s.trainer is trainer


def test_divergence_pauses_and_reports():
    rec = Recorder()
    s = Session(rec, small_config(optim__name="sgd", optim__lr=1e4, model__activation="relu",
                                  model__hidden=[16, 16]))
    s.handle(commands.Play())
    for _ in range(200):
        s.tick()
        if not s.running:
            break
    assert not s.running and "diverged" in rec.kinds()
    assert rec.last("snapshot")["divergence"]["step"] >= 1


def test_an_early_stop_pauses_and_play_carries_on():
    rec = Recorder()
    s = Session(rec, small_config(data__name="spiral", data__noise=0.4, data__val_fraction=0.25,
                                  model__hidden=[32, 32], optim__lr=0.03,
                                  optim__early_stopping=True, optim__patience=2,
                                  optim__eval_every=10))
    s.handle(commands.Play())
    for _ in range(2000):
        s.tick()
        if not s.running:
            break
    s.report()
    stop = rec.last("snapshot")["early_stop"]
    assert not s.running and stop["best_step"] < stop["step"] == rec.last("snapshot")["step"]
    assert rec.last("state") == {"running": False}
    s.handle(commands.Play())
    assert s.running and s.trainer.early_stop is None


def test_speed_limit_slows_training():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Speed(20))
    s.handle(commands.Play())
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.5:
        time.sleep(max(0.0, s.tick()))
    assert 3 <= s.trainer.step_count <= 15


def test_probe_adds_the_neuron_map():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Probe((1, 2)))
    snap = rec.last("snapshot")
    assert snap["neuron"] == (1, 2) and snap["neuron_grid"].shape == (50, 50)


def test_unknown_command_is_an_error_not_a_crash():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Restart())   # the app worker's command, not a session's
    assert "unknown command" in rec.last("error")


def test_every_command_pickles_as_it_crosses_the_pipe_to_the_trainer():
    every = [commands.Reset(small_config()), commands.Reset(), commands.Play(),
             commands.Pause(), commands.Step(3), commands.Set({"optim.lr": 0.1}),
             commands.Resume(), commands.EdgeMode("ratio"), commands.Probe((1, 2)),
             commands.Probe(None), commands.Speed(None), commands.Speed(5),
             commands.SnapshotRate(30), commands.Snapshot(), commands.Save("a.nnvis"),
             commands.Load("a.nnvis"), commands.Compare(None), handmade_xor_command(),
             commands.Backprop(sample=2, split="test"), commands.Shutdown(),
             commands.Restart()]
    for cmd in every:
        assert pickle.loads(pickle.dumps(cmd)) == cmd
        assert commands.checked(cmd) == cmd


def test_process_host_speaks_the_same_protocol():
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=process_main, args=(child, small_config()), daemon=True)
    proc.start()
    try:
        def recv_until(kind, timeout=20):
            deadline = time.time() + timeout
            while time.time() < deadline:
                if parent.poll(0.1):
                    k, payload = parent.recv()
                    if k == kind:
                        return payload
            raise AssertionError(f"no {kind} message")

        snap = recv_until("snapshot")
        assert snap["step"] == 0
        parent.send(commands.Step(3))
        snap = recv_until("snapshot")
        assert snap["step"] == 3 and np.all(np.isfinite(snap["layers"][0]["edges"]))
        parent.send(commands.Shutdown())
        recv_until("stopped")
    finally:
        proc.join(5)
        if proc.is_alive():
            proc.kill()
            proc.join()


def test_compare_mode_trains_a_flipped_copy_in_lockstep():
    rec = Recorder()
    cfg = {"seed": 0, "data": {"name": "circle", "n_samples": 200},
           "model": {"hidden": [8] * 6, "activation": "sigmoid"}, "optim": {"name": "sgd", "lr": 0.5}}
    s = Session(rec, cfg)
    s.handle(commands.Step(3))
    s.handle(commands.Compare({"model.activation": "relu", "model.init": "he"}))
    snap = rec.last("snapshot")
    assert snap["step"] == 0 and snap["compare"]["step"] == 0  # a fair, fresh start for both
    s.handle(commands.Step(5))
    snap = rec.last("snapshot")
    assert snap["compare"]["step"] == snap["step"] == 5
    main = [l["grad_norm_W"] for l in snap["layers"][:-1]]
    other = [l["grad_norm_W"] for l in snap["compare"]["layers"][:-1]]
    # Sigmoid's first/last ratio collapses; ReLU + He keeps it near 1.
    assert main[0] / main[-1] < 1e-2 < other[0] / other[-1]
    s.handle(commands.Compare(None))
    assert "compare" not in rec.last("snapshot")
    s.handle(commands.Compare({"model.activation": "nope"}))
    assert rec.last("error").startswith("model.activation")


def test_handmade_xor_solution_loads():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(handmade_xor_command())
    snap = rec.last("snapshot")
    assert snap["test_acc"] == 1.0 and [l["width"] for l in snap["layers"]] == [2, 2]


def test_a_handmade_network_that_does_not_fit_is_refused_and_the_run_kept():
    rec = Recorder()
    s = Session(rec, small_config())
    before = s.trainer
    corners = handmade_xor_command().samples
    for params, samples in (({"hidden1.W": [[1.0]]}, corners),          # wrong shape
                            ({"nope.W": [[1.0]]}, corners),              # no such parameter
                            (HANDMADE_XOR, {**corners, "X": "not rows"}),
                            (HANDMADE_XOR, {**corners, "bounds": None})):
        errors = rec.kinds().count("error")
        s.handle(commands.Handmade(HANDMADE_XOR_CONFIG, params, samples))
        assert rec.kinds().count("error") == errors + 1, params
        assert s.trainer is before


def test_malformed_commands_are_one_line_errors_naming_the_command():
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Step(4))
    trainer, weights = s.trainer, {k: v.copy() for k, v in s.trainer.parameters().items()}
    cases = [(commands.Step, {"n": "x"}, "step"), (commands.Step, {"n": 2.5}, "step"),
             (commands.Set, {"changes": "lr=1"}, "set"), (commands.Set, {}, "set"),
             (commands.Set, {"changes": {3: 1}}, "3"),
             (commands.Speed, {"steps_per_second": "fast"}, "speed"),
             (commands.Speed, {"steps_per_second": float("nan")}, "speed"),
             (commands.SnapshotRate, {"hz": None}, "snapshot_rate"),
             (commands.EdgeMode, {"mode": "colour"}, "edge_mode"),
             (commands.Save, {"path": 5}, "save"), (commands.Load, {"path": ""}, "load"),
             (commands.Compare, {"changes": "relu"}, "compare"),
             (commands.Probe, {"neuron": ("a", "b")}, "probe")]
    for cls, fields, name in cases:
        if fields and name == cls.name:   # built here, the mistake is refused at once
            with pytest.raises(ConfigError, match=f"^{name}: "):
                cls(**fields)
        rec.messages.clear()
        s.handle(unchecked(cls, **fields))   # built past __init__, as unpickled
        assert rec.kinds() == ["error"], (cls, fields, rec.messages)
        msg = rec.messages[0][1]
        assert "\n" not in msg and "Traceback" not in msg, (cls, msg)
        assert msg.startswith(f"{name}: "), (cls, msg)
    for junk in [(), "play", ("step", 1), None, commands.Command()]:   # not a command
        rec.messages.clear()
        s.handle(junk)
        assert rec.kinds() == ["error"] and "command" in rec.messages[0][1], (junk, rec.messages)
    assert s.trainer is trainer and trainer.step_count == 4 and s.edge_mode == "weights"
    assert all(np.array_equal(v, weights[k]) for k, v in trainer.parameters().items())
    s.handle(commands.Speed(np.float32(50.0)))  # NumPy numbers are numbers
    s.handle(commands.Step(np.int64(2)))
    assert s.speed == 50.0 and trainer.step_count == 6
