"""The training session loop, shared by both hosts (a worker thread or a child process).

Protocol. Commands are the frozen objects of :mod:`nnvis.core.commands` (``Reset(cfg)``,
``Play()``, ``Step(3)``, ``Set({"optim.lr": 0.1})``, ``Save(path)``...), each handled by the
method :attr:`Session._HANDLERS` names for its type; their docstrings say what they do.
Messages emitted are ``(kind, payload)``: "snapshot" (dict), "error" (str), "diverged"
(report dict), "applied" ({"rebuilt": bool, "changes": dict}), "saved" (path), "save_failed"
({"path", "reason"}: the file that was there is intact), "loaded" (path), "state"
({"running": bool}), "backprop" (Graph), "model" (ModelSpec), "heartbeat" ({"step"}: every second while
training), "stopped" (None).
"""
from __future__ import annotations

import os
import time
import traceback

import numpy as np

from . import commands, memory
from .backprop import network_graph
from .config import Config, ConfigError
from .files import not_a_regular_file
from .snapshot import layer_stats, take_snapshot
from .trainer import Trainer

GRID_INTERVAL = 0.15   # decision boundary at ~7 Hz: the costliest view
SNAPSHOT_SHARE = 0.2   # snapshots may take at most this share of a training session's time
CHUNK_SECONDS = 0.008  # commands are read at least this often while training
HEARTBEAT_SECONDS = 1.0   # the app calls a trainer silent for ~5 s while training stuck


# Overflow on the way to a divergence is expected: the trainer detects non-finite values
# and reports them itself, so NumPy's floating-point warnings would only flood the console.
def quiet_floats():
    return np.errstate(all="ignore")


class Session:
    def __init__(self, emit, config: dict | None = None):
        self.emit = emit
        self.trainer: Trainer | None = None
        self.shadow: Trainer | None = None
        self.shadow_changes: dict | None = None
        self.running = False
        self.alive = True
        self.speed: float | None = None
        self.edge_mode = "weights"
        self.probe = None
        self.snapshot_interval = 1.0 / 30.0
        self._last_snapshot = 0.0
        self._last_grid = 0.0
        self._snapshot_cost = 0.0   # seconds the last snapshot took
        self._send_data = True
        self._chunk = 1
        self._speed_budget_t = time.perf_counter()
        self._speed_budget_steps = 0
        self._build(config)

    # ---------------------------------------------------------------- commands
    def handle(self, cmd) -> None:
        """Apply one command; every failure becomes an "error" message, never an exception.
        A malformed command is a ConfigError naming it (an "error" message like any bad
        value), so the catch-all here is left for real bugs."""
        try:
            cmd = commands.checked(cmd)
            handler = self._HANDLERS.get(type(cmd))
            if handler is None:
                raise ConfigError("", f"unknown command {cmd.name!r}")
            with quiet_floats():
                handler(self, cmd)
        except ConfigError as exc:
            self.emit("error", str(exc))
        except MemoryError as exc:   # past the estimate: one line, as a refusal would be
            self._stop_with(memory.out_of_memory(exc))
        except Exception as exc:  # a bug must reach the user, not kill the session silently
            self.running = False
            self.emit("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
            self.emit("state", {"running": False})

    def _reset(self, cmd: commands.Reset):
        self._build(cmd.config)

    def _play(self, cmd: commands.Play):
        if self.trainer is not None and self.trainer.early_stop is not None:
            self.trainer.resume()   # after an early stop: patience starts over
        if self.trainer is not None and self.trainer.divergence is None:
            self.running = True
            self._speed_budget_t, self._speed_budget_steps = time.perf_counter(), 0
        self.emit("state", {"running": self.running})

    def _pause(self, cmd: commands.Pause):
        self.running = False
        self.emit("state", {"running": False})
        self.report()

    def _step(self, cmd: commands.Step):
        if self.trainer is not None:
            self._step_both(cmd.n)
            self._after_steps()
            self.report()

    def _set(self, cmd: commands.Set):
        changes = dict(cmd.changes)
        trainer = self.trainer.apply_changes(changes)
        rebuilt = trainer is not self.trainer
        if rebuilt:
            self.trainer = trainer
            self._send_data = True
        self.emit("applied", {"rebuilt": rebuilt, "changes": changes})
        self.report()

    def _resume(self, cmd: commands.Resume):
        self.trainer.resume()
        self.report()

    def _edge_mode(self, cmd: commands.EdgeMode):
        self.edge_mode = cmd.mode
        self.report()

    def _probe(self, cmd: commands.Probe):
        self.probe = cmd.neuron
        self.report()

    def _speed(self, cmd: commands.Speed):
        speed = cmd.steps_per_second
        self.speed = None if speed is None else max(0.1, speed)
        self._speed_budget_t, self._speed_budget_steps = time.perf_counter(), 0

    def _snapshot_rate(self, cmd: commands.SnapshotRate):
        self.snapshot_interval = 1.0 / max(1.0, cmd.hz)

    def _snapshot(self, cmd: commands.Snapshot):
        self.report()

    def _save(self, cmd: commands.Save):
        from .persistence import save_experiment
        try:
            save_experiment(cmd.path, self.trainer)
        except (OSError, ConfigError) as exc:   # the file that was there is intact
            self.emit("save_failed", {"path": cmd.path,
                                      "reason": getattr(exc, "strerror", None) or str(exc)})
            return
        self.emit("saved", cmd.path)

    def _load(self, cmd: commands.Load):
        from .persistence import load_experiment
        problem = os.path.exists(cmd.path) and not_a_regular_file(cmd.path)
        if problem:   # a FIFO would block the trainer until someone writes to it
            raise ConfigError(cmd.name, problem)
        trainer = load_experiment(cmd.path)
        self.running = False
        self.trainer = trainer
        self._send_data = True
        self.emit("loaded", cmd.path)
        self.emit("state", {"running": False})
        self.report()

    def _compare(self, cmd: commands.Compare):
        self._set_compare(cmd.changes)
        self.report()

    def _handmade(self, cmd: commands.Handmade):
        from .handmade import handmade_trainer
        try:
            trainer = handmade_trainer(cmd.config, cmd.params, cmd.samples)
        except (KeyError, TypeError, ValueError, IndexError) as exc:   # from down a pipe
            raise ConfigError(cmd.name, f"malformed samples ({exc})") from None
        self.trainer = trainer
        self.running = False
        self.shadow = None
        self._send_data = True
        self.emit("state", {"running": False})
        self.report()

    def _describe_model(self, cmd: commands.DescribeModel):
        from .model_spec import model_spec
        self.emit("model", model_spec(self.trainer))

    def _backprop(self, cmd: commands.Backprop):
        try:
            graph = network_graph(self.trainer, cmd.sample, cmd.split)
        except ValueError as exc:
            raise ConfigError(cmd.name, str(exc)) from None
        self.emit("backprop", graph)

    def _shutdown(self, cmd: commands.Shutdown):
        self.running = False
        self.alive = False

    #: Which method handles which command (Restart is the app worker's, not a session's).
    _HANDLERS = {
        commands.Reset: _reset, commands.Play: _play, commands.Pause: _pause,
        commands.Step: _step, commands.Set: _set, commands.Resume: _resume,
        commands.EdgeMode: _edge_mode, commands.Probe: _probe, commands.Speed: _speed,
        commands.SnapshotRate: _snapshot_rate, commands.Snapshot: _snapshot,
        commands.Save: _save, commands.Load: _load, commands.Compare: _compare,
        commands.Handmade: _handmade, commands.Backprop: _backprop,
        commands.DescribeModel: _describe_model,
        commands.Shutdown: _shutdown,
    }

    def _set_compare(self, changes):
        if not changes:
            self.shadow, self.shadow_changes = None, None
            return
        cfg = self.trainer.config.with_changes(dict(changes))  # validates
        # Two trainers will run side by side: each alone may fit where both do not.
        data = self.trainer.data
        memory.ensure_fits([memory.footprint(self.trainer.config, data),
                            memory.footprint(cfg, data)], what="comparing two networks")
        shadow = Trainer(cfg)
        base = Trainer(self.trainer.config)
        # Both start from step 0 so the comparison is fair: same data, seed and batches.
        self.trainer, self.shadow, self.shadow_changes = base, shadow, dict(changes)
        self._send_data = True

    def _step_both(self, n: int):
        before = self.trainer.step_count
        self.trainer.step(n)
        if self.shadow is not None and self.shadow.divergence is None:
            self.shadow.step(self.trainer.step_count - before)

    def _build(self, config):
        cfg = Config.from_dict(config) if not isinstance(config, Config) else config
        if config is None and self.trainer is not None:
            cfg = self.trainer.config
        trainer = Trainer(cfg)  # raises ConfigError before the old trainer is dropped
        self.trainer = trainer
        self.shadow = self.shadow_changes = None
        self.running = False
        self._send_data = True
        self._chunk = 1
        self.emit("state", {"running": False})
        self.report()

    # ---------------------------------------------------------------- stepping
    def report(self, grid: bool = True):
        if self.trainer is None:
            return
        now = time.perf_counter()
        cpu0 = time.thread_time()
        snap = take_snapshot(self.trainer, edge_mode=self.edge_mode, grid=grid,
                             probe=self.probe, include_data=self._send_data)
        snap["running"] = self.running
        if self.shadow is not None:
            stats = layer_stats(self.shadow)   # under quiet_floats, as every command is
            steps, values = self.shadow.loss_history.arrays()
            snap["compare"] = {"changes": dict(self.shadow_changes), "layers": stats,
                               "step": self.shadow.step_count,
                               "history": {"step": steps, "train_loss": values[:, 0]},
                               "batch_loss": self.shadow.last_loss,
                               "divergence": self.shadow.divergence}
        # "fresh": first report of a new trainer (reset, rebuild, load): the app then shows
        # its config; other snapshots may be older than the user's latest edit.
        snap["fresh"] = self._send_data
        self._send_data = False
        self._last_snapshot = now
        # The snapshot's own work, in this thread's CPU time: in the thread engine its wall
        # time also counts the waits for the GIL while Qt paints, and throttling on those
        # starved the panels to ~2 snapshots a second on a busy machine.
        self._snapshot_cost = time.thread_time() - cpu0
        if grid:
            self._last_grid = now
        self.emit("snapshot", snap)

    def _snapshot_due(self, now: float) -> bool:
        """Every snapshot_interval, but a wide network's snapshot (0.1 s for 10×500 units)
        comes less often, so that training keeps most of the time."""
        wait = max(self.snapshot_interval, self._snapshot_cost / SNAPSHOT_SHARE)
        return now - self._last_snapshot >= wait

    def _after_steps(self):
        t = self.trainer
        if t.early_stop is not None and self.running:
            # Training is over (the snapshot's early_stop says why); Play carries on.
            self.running = False
            self.emit("state", {"running": False})
        if t.divergence is not None and self.running:
            self.running = False
            self.emit("diverged", dict(t.divergence))
            self.emit("state", {"running": False})
        elif t.divergence is not None:
            self.emit("diverged", dict(t.divergence))

    def tick(self) -> float:
        """Run one chunk of steps if playing; report when due. Returns how long the host
        may block waiting for a command (0 while training). Never raises: a failure pauses
        training and reaches the user as an "error" message."""
        try:
            with quiet_floats():
                return self._tick()
        except MemoryError as exc:
            self._stop_with(memory.out_of_memory(exc))
            return 0.05
        except Exception as exc:
            self.running = False
            self.emit("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}")
            self.emit("state", {"running": False})
            return 0.05

    def _stop_with(self, message: str):
        self.running = False
        self.emit("error", message)
        self.emit("state", {"running": False})

    def _tick(self) -> float:
        if not self.running or self.trainer is None:
            return 0.05
        n = self._chunk
        if self.speed is not None:
            elapsed = time.perf_counter() - self._speed_budget_t
            allowed = int(elapsed * self.speed) - self._speed_budget_steps
            if allowed <= 0:
                return min(0.02, 1.0 / self.speed)
            n = min(n, allowed)
        t0 = time.perf_counter()
        before = self.trainer.step_count
        self._step_both(n)
        self._speed_budget_steps += self.trainer.step_count - before
        dt = time.perf_counter() - t0
        # Grow or shrink the chunk so each takes ~CHUNK_SECONDS (few checks, low latency).
        if dt < CHUNK_SECONDS / 2:
            self._chunk = min(self._chunk * 2, 4096)
        elif dt > CHUNK_SECONDS * 2 and self._chunk > 1:
            self._chunk //= 2
        self._after_steps()
        now = time.perf_counter()
        if self._snapshot_due(now) or not self.running:
            self.report(grid=(now - self._last_grid >= GRID_INTERVAL) or not self.running)
        return 0.0

    def run(self, poll, should_stop=lambda: False):
        """Host loop: ``poll(timeout)`` returns the next command or None. While training it
        says "heartbeat" every HEARTBEAT_SECONDS, whatever the speed, so the app can tell a
        slow run from a stopped or hung trainer."""
        last_beat = time.monotonic()
        while self.alive and not should_stop():
            wait = self.tick()
            now = time.monotonic()
            if self.running and now - last_beat >= HEARTBEAT_SECONDS:
                last_beat = now
                self.emit("heartbeat", {"step": self.trainer.step_count})
            cmd = poll(wait)
            while cmd is not None:
                self.handle(cmd)
                if not self.alive:
                    break
                cmd = poll(0)
        self.emit("stopped", None)


def process_main(conn, config: dict | None):
    """Entry point of the trainer child process: the same Session, fed through a pipe."""
    import signal
    # Ctrl+C in a terminal reaches the whole process group: the app saves the experiment
    # through this process and then stops it, so the trainer must not die first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .allocator import keep_freed_memory
    keep_freed_memory()  # snapshots make and drop many arrays: reuse their pages

    def emit(kind, payload):
        conn.send((kind, payload))

    def poll(timeout):
        try:
            return conn.recv() if conn.poll(timeout) else None
        except (EOFError, OSError):  # the GUI went away: stop quietly
            return commands.Shutdown()

    try:
        session = Session(emit, config)
    except Exception as exc:
        emit("error", f"could not start the session: {exc}")
        session = Session(emit, None)
    try:
        session.run(poll)
    except (BrokenPipeError, EOFError, OSError):
        pass
