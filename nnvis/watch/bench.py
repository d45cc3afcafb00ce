"""What watching costs a PyTorch training loop: :func:`watch_overhead`.

The bench's case (c) model — 784-256-128-10 ReLU, batch 128, plain SGD, cross-entropy on
synthetic data — trains in blocks of steps that alternate between plain and watched
(``w.log(loss=loss)`` every step, snapshots written to a recording in a temporary folder),
and the median of the watched/plain ratios of neighbouring blocks is reported. Blocks are
timed in this thread's CPU time (one PyTorch thread does all the work), which other
processes on a shared machine do not inflate as they do wall-clock time. It is one model and one loop throughout: two
identical plain copies timed side by side differed by up to 15 % on a shared machine
(memory placement), more than the overhead being measured.
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

    def run(self, steps: int, watch: bool = True) -> float:
        """CPU seconds of ``steps`` training steps, told to the watcher if ``watch``. A block
        without it must follow a whole number of ``every`` watched steps (hooks are off)."""
        model, opt, n = self.model, self.opt, len(self.X) // BATCH
        w = self.watcher if watch else None
        t0 = time.thread_time()
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
        return time.thread_time() - t0


def watch_overhead(every: int = 50, steps: int = 100, repeats: int = 25,
                   threads: int = 1) -> dict:
    """Watched vs plain training speed on case (c), CPU. ``overhead_percent`` is the extra
    time per step (the target is ≤ 5 at every=50); ``snapshot_ms`` the median time one
    snapshot took and ``snapshot_share_percent`` that time spread over ``every`` plain steps
    (the rest of the overhead is the hooks' flag checks and ``w.log``)."""
    torch.set_num_threads(threads)
    steps = max(every, steps - steps % every)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "bench.nnvisrec"
        loop = _Loop(lambda m, o: attach(m, every=every, record=record, optimizer=o))
        loop.run(every)       # warm-up: allocator, the first snapshots' one-off costs
        loop.run(every, watch=False)
        loop.watcher.snapshot_seconds.clear()
        t_plain, t_watched = [], []
        for _ in range(repeats):
            t_plain.append(loop.run(steps, watch=False))
            t_watched.append(loop.run(steps))
        snap_times = list(loop.watcher.snapshot_seconds)
        loop.watcher.close()
        size = record.stat().st_size
    plain_step = statistics.median(t_plain) / steps
    watched_step = statistics.median(t_watched) / steps
    ratio = statistics.median(w / p for w, p in zip(t_watched, t_plain))
    snapshot = statistics.median(snap_times) if snap_times else float("nan")
    return {
        "case": "c: 784-256-128-10 ReLU, batch 128, SGD, CPU",
        "every": every, "steps": steps, "repeats": repeats, "threads": threads,
        "plain_step_ms": plain_step * 1e3,
        "watched_step_ms": watched_step * 1e3,
        "overhead_percent": (ratio - 1.0) * 100.0,
        "snapshot_ms": snapshot * 1e3,
        "snapshot_share_percent": snapshot / (every * plain_step) * 100.0,
        "recording_bytes_per_snapshot": size / max(len(snap_times), 1),
        "target_percent": 5.0,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(watch_overhead(), indent=2))
