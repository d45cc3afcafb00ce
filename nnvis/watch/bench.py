"""What watching costs a PyTorch training loop: :func:`watch_overhead`.

The bench's case (c) model — 784-256-128-10 ReLU, batch 128, plain SGD, cross-entropy on
synthetic data — trains in blocks of steps that alternate between plain and watched
(``w.log(loss=loss)`` every step, snapshots written to a recording in a temporary folder),
and the median of the watched/plain ratios of neighbouring blocks is reported. Blocks are
timed in the process's CPU time: one PyTorch thread does the training and the recording's
writer thread does the rest, and other processes on a shared machine do not inflate CPU
time as they do wall-clock time. The training thread's own CPU time and the wall-clock time
are reported beside it: the first is what the loop itself loses when a second core takes
the writing, the second checks the CPU-time figure on an idle machine. It is one model and
one loop throughout: two identical plain copies timed side by side differed by up to 15 %
on a shared machine (memory placement), more than the overhead being measured.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import torch

from .watcher import attach

LAYERS = (784, 256, 128, 10)
BATCH = 128


def _model(seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    mods = []
    for i, (a, b) in enumerate(zip(LAYERS, LAYERS[1:])):
        mods.append(torch.nn.Linear(a, b))
        if i < len(LAYERS) - 2:
            mods.append(torch.nn.ReLU())
    return torch.nn.Sequential(*mods)


class _Loop:
    def __init__(self, watcher_factory=None, samples: int = 4096):
        self.model = _model(0)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=0.01)
        g = torch.Generator().manual_seed(1)
        self.X = torch.randn(samples, LAYERS[0], generator=g)
        self.y = torch.randint(0, LAYERS[-1], (samples,), generator=g)
        self.watcher = watcher_factory(self.model, self.opt) if watcher_factory else None
        self.i = 0

    def run(self, steps: int, watch: bool = True) -> tuple[float, float, float]:
        """(process CPU, this thread's CPU, wall-clock) seconds of ``steps`` training steps,
        told to the watcher if ``watch``. A block without it must not follow a step that
        armed the hooks (the step before a snapshot)."""
        model, opt, n = self.model, self.opt, len(self.X) // BATCH
        w = self.watcher if watch else None
        t0, c0, p0 = time.perf_counter(), time.thread_time(), time.process_time()
        for _ in range(steps):
            k = self.i % n
            self.i += 1
            xb, yb = self.X[k * BATCH:(k + 1) * BATCH], self.y[k * BATCH:(k + 1) * BATCH]
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            if w is not None:
                w.log(loss=loss)
        if w is not None:
            w.flush()   # the writer's work on this block's snapshots counts in this block
        return (time.process_time() - p0, time.thread_time() - c0, time.perf_counter() - t0)


def _overhead(watched: list, plain: list) -> float:
    """Percent extra time of the watched blocks: the median of neighbouring blocks' ratios."""
    return (statistics.median(w / p for w, p in zip(watched, plain)) - 1.0) * 100.0


def watch_overhead(every: int = 50, steps: int = 100, repeats: int = 25,
                   threads: int = 1) -> dict:
    """Watched vs plain training speed on case (c), CPU. ``overhead_percent`` is the extra
    process CPU time per step (the target is ≤ 5 at every=50), ``training_thread_percent``
    the training thread's share of it and ``wall_percent`` the extra wall-clock time;
    ``snapshot_ms`` is the median training-thread time of one snapshot, ``write_ms`` the
    writer thread's time to encode and write it, and ``snapshot_share_percent`` the two
    spread over ``every`` plain steps (the rest of the overhead is the hooks during the
    snapshot step, cache misses in the steps after it and ``w.log``)."""
    torch.set_num_threads(threads)
    steps = max(every, steps - steps % every)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "bench.nnvisrec"
        loop = _Loop(lambda m, o: attach(m, every=every, record=record, optimizer=o))
        # Warm-up (allocator, the first snapshots' one-off costs), ending half a cycle on:
        # the watched blocks' snapshots fall mid-block, so the slower steps right after a
        # snapshot are counted in the watched block, not in the plain one that follows.
        loop.run(every + every // 2)
        loop.run(every, watch=False)
        loop.watcher.snapshot_seconds.clear()
        sink = loop.watcher.sinks[0]
        sink.write_seconds.clear()
        t_plain, t_watched = [], []
        for i in range(repeats):   # plain first, then watched first: drift cancels
            for watch in ((False, True) if i % 2 == 0 else (True, False)):
                (t_watched if watch else t_plain).append(loop.run(steps, watch=watch))
        snap_times = list(loop.watcher.snapshot_seconds)
        write_times = list(sink.write_seconds)
        loop.watcher.close()
        size = record.stat().st_size
    cpu_plain, thread_plain, wall_plain = zip(*t_plain)
    cpu_watched, thread_watched, wall_watched = zip(*t_watched)
    plain_step = statistics.median(cpu_plain) / steps
    snapshot = statistics.median(snap_times) if snap_times else float("nan")
    write = statistics.median(write_times) if write_times else float("nan")
    return {
        "case": "c: 784-256-128-10 ReLU, batch 128, SGD, CPU",
        "every": every, "steps": steps, "repeats": repeats, "threads": threads,
        "plain_step_ms": plain_step * 1e3,
        "watched_step_ms": statistics.median(cpu_watched) / steps * 1e3,
        "overhead_percent": _overhead(cpu_watched, cpu_plain),
        "training_thread_percent": _overhead(thread_watched, thread_plain),
        "wall_percent": _overhead(wall_watched, wall_plain),
        "snapshot_ms": snapshot * 1e3,
        "write_ms": write * 1e3,
        "snapshot_share_percent": (snapshot + write) / (every * plain_step) * 100.0,
        "recording_bytes_per_snapshot": size / max(len(snap_times), 1),
        "target_percent": 5.0,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(watch_overhead(), indent=2))
