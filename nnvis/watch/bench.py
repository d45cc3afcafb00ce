"""What watching costs a PyTorch training loop: :func:`watch_overhead`.

The bench's case (c) model — 784-256-128-10 ReLU, batch 128, plain SGD, cross-entropy on
synthetic data — trains side by side as a plain copy and as a watched copy (hooks on,
``w.log(loss=loss)`` every step, snapshots written to a recording in a temporary folder).
Blocks of steps alternate between the two and the medians are compared, so a machine shared
with other work slows both alike.
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

    def run(self, steps: int) -> float:
        """Seconds for ``steps`` training steps."""
        model, opt, w, n = self.model, self.opt, self.watcher, len(self.X) // BATCH
        t0 = time.perf_counter()
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
        return time.perf_counter() - t0


def watch_overhead(every: int = 50, steps: int = 200, repeats: int = 7,
                   threads: int = 1) -> dict:
    """Watched vs plain training speed on case (c), CPU. ``overhead_percent`` is the extra
    time per step (the target is ≤ 5 at every=50); ``snapshot_ms`` the median time one
    snapshot took and ``snapshot_share_percent`` that time spread over ``every`` plain steps
    (the rest of the overhead is the hooks' flag checks and ``w.log``)."""
    torch.set_num_threads(threads)
    with tempfile.TemporaryDirectory() as tmp:
        record = Path(tmp) / "bench.nnvisrec"
        plain = _Loop()
        watched = _Loop(lambda m, o: attach(m, every=every, record=record, optimizer=o))
        plain.run(every)        # warm-up: allocator, first snapshot's one-off costs
        watched.run(every)
        watched.watcher.snapshot_seconds.clear()
        t_plain, t_watched = [], []
        for _ in range(repeats):
            t_plain.append(plain.run(steps))
            t_watched.append(watched.run(steps))
        snap_times = list(watched.watcher.snapshot_seconds)
        watched.watcher.close()
        size = record.stat().st_size
    plain_step = statistics.median(t_plain) / steps
    watched_step = statistics.median(t_watched) / steps
    snapshot = statistics.median(snap_times) if snap_times else float("nan")
    return {
        "case": "c: 784-256-128-10 ReLU, batch 128, SGD, CPU",
        "every": every, "steps": steps, "repeats": repeats, "threads": threads,
        "plain_step_ms": plain_step * 1e3,
        "watched_step_ms": watched_step * 1e3,
        "overhead_percent": (watched_step / plain_step - 1.0) * 100.0,
        "snapshot_ms": snapshot * 1e3,
        "snapshot_share_percent": snapshot / (every * plain_step) * 100.0,
        "recording_bytes_per_snapshot": size / max(len(snap_times), 1),
        "target_percent": 5.0,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(watch_overhead(), indent=2))
