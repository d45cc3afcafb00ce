"""Trainer speed and the matmul ceiling, for one BLAS thread setting.

Run as ``python -m nnvis.bench.speed '<json options>'`` in a child whose environment fixes
the BLAS thread count (OpenBLAS reads it once, at import): it prints one JSON object.
"""
from __future__ import annotations

import json
import sys
import time

import numpy as np

from .cases import (CASES, make_trainer, median, nnvis_loop, paired_ratio,
                          rates_interleaved, step_flops)
from .torch import TorchLoop, agreement, import_torch


def matmul_products(case, batch: int, dtype: str):
    """run(n): the step's matrix products alone, n times, shaped and laid out as the trainer
    computes them (x @ W, x.T @ δ, δ @ W.T), on fresh outputs."""
    rng = np.random.default_rng(0)
    shapes = case.layers
    xs = [rng.standard_normal((batch, fi)).astype(dtype) for fi, _ in shapes]
    ws = [(rng.standard_normal((fi, fo)) * 0.05).astype(dtype) for fi, fo in shapes]
    ds = [rng.standard_normal((batch, fo)).astype(dtype) for _, fo in shapes]

    def run(n: int) -> int:
        for _ in range(n):
            for i, (x, W, d) in enumerate(zip(xs, ws, ds)):
                x @ W
                x.T @ d
                if i:
                    d @ W.T
        return n
    return run


def square_gflops(size: int, dtype: str, repeats: int) -> float:
    rng = np.random.default_rng(0)
    A = rng.standard_normal((size, size)).astype(dtype)
    B = rng.standard_normal((size, size)).astype(dtype)
    A @ B
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        A @ B
        times.append(time.perf_counter() - t0)
    return 2.0 * size ** 3 / min(times) / 1e9


def run_speed(threads: int, cases: str = "abcd", dtypes=("float32", "float64"),
              seconds: float = 0.5, repeats: int = 5, use_torch: bool = True,
              adam: bool = False, squares=(1024, 2048), gap: float = 0.15) -> dict:
    torch, why = import_torch() if use_torch else (None, "PyTorch comparison disabled")
    out = {"threads": threads, "numpy": np.__version__,
           "torch": getattr(torch, "__version__", None), "torch_skipped": why,
           "seconds": seconds, "repeats": repeats, "cases": {}, "ceiling": {}}
    jobs = [(key, dtype, "sgd") for key in cases for dtype in dtypes]
    if adam:
        jobs += [(key, "float32", "adam") for key in cases]
    for key, dtype, optimizer in jobs:
        case = CASES[key]
        trainer = make_trainer(case, dtype, optimizer)
        runs = {"nnvis": nnvis_loop(trainer)}
        if torch is not None:
            runs["torch"] = TorchLoop(torch, make_trainer(case, dtype, optimizer), threads).run
        with_ceiling = key == "c" and optimizer == "sgd"
        if with_ceiling:
            runs["matmul"] = matmul_products(case, trainer.batch_size, dtype)
        # With several BLAS threads, idle pools spin for ~0.1 s after a call (OpenBLAS).
        rates = rates_interleaved(runs, seconds, repeats, gap=gap if threads > 1 else 0.0)
        entry = {"case": key, "dtype": dtype, "optimizer": optimizer,
                 "nnvis": median(rates["nnvis"]), "nnvis_runs": rates["nnvis"]}
        if torch is not None:
            entry.update(torch=median(rates["torch"]), torch_runs=rates["torch"],
                         ratio=paired_ratio(rates["nnvis"], rates["torch"]),
                         agreement=agreement(lambda: make_trainer(case, dtype, optimizer),
                                             torch, threads))
        if with_ceiling:
            flops = step_flops(case, trainer.batch_size)
            entry.update(matmul=median(rates["matmul"]), matmul_runs=rates["matmul"],
                         fraction_of_ceiling=paired_ratio(rates["nnvis"], rates["matmul"]),
                         step_gflop=flops / 1e9,
                         matmul_gflops=flops * median(rates["matmul"]) / 1e9,
                         nnvis_gflops=flops * median(rates["nnvis"]) / 1e9)
        out["cases"][f"{key}/{dtype}/{optimizer}"] = entry
    for dtype in dtypes:
        for size in squares:
            out["ceiling"][f"{size}/{dtype}"] = square_gflops(size, dtype, max(2, repeats // 2))
    return out


run = run_speed


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from nnvis.core.allocator import keep_freed_memory
    keep_freed_memory()  # as the nnvis command and the trainer process do
    opts = json.loads(argv[0]) if argv else {}
    result = run_speed(**opts)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
