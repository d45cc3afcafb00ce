"""What watching a PyTorch run costs its training loop, as a ``nnvis bench`` part.

``python -m nnvis.bench.watch '{"repeats": 25}'`` runs :func:`nnvis.watch.bench.watch_overhead`
(case (c) on the CPU, a snapshot every 50 steps) and prints one JSON line; without PyTorch
it says so instead (PyTorch is an optional extra: ``pip install nnvis[torch]``).
"""
from __future__ import annotations

import json
import sys


def run(**opts) -> dict:
    try:
        from nnvis.watch.bench import watch_overhead
    except ImportError as exc:
        return {"skipped": f"no PyTorch ({exc})"}
    return watch_overhead(**opts)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print(json.dumps(run(**(json.loads(argv[0]) if argv else {}))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
