"""``nnvis bench``: how fast nnvis trains and draws on this machine, against its targets.

Every part runs in its own child process (so the BLAS thread count, Qt's offscreen platform
and the peak RSS are its own): trainer speed with one BLAS thread and with all of them
(:mod:`nnvis.bench.speed`, against the PyTorch loop of :mod:`nnvis.bench.torch` on the
cases of :mod:`nnvis.bench.cases`), the live app (:mod:`nnvis.bench.gui`), memory over long
runs and start-up (:mod:`nnvis.bench.system`). :mod:`nnvis.bench.report` runs the children,
checks the targets and prints the report. Comparisons are ratios of runs taken side by side
in one child — interleaved repeats, medians — because the machine may be shared and noisy.
"""
from .report import main

__all__ = ["main"]
