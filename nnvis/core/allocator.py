"""Keep freed memory in the process instead of handing it back to the OS (glibc only).

NumPy allocates every array above 128 KiB with ``mmap`` and glibc trims the heap as soon as
a little is free at its top, so a loop that makes and drops arrays of that size (a training
step of a wide layer, a snapshot, a redraw) pays for fresh zeroed pages every time: a
snapshot took ~240 page faults and ~2× its time that way. Raising both thresholds keeps
those pages mapped and reused. Peak memory is unchanged (the pages were in use at the peak);
the process just does not shrink back below it.
"""
from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD = 256 << 20
MMAP_THRESHOLD = 32 << 20  # glibc's own upper limit for its dynamic threshold


def keep_freed_memory() -> bool:
    """Tune glibc's malloc for this process; True if it took effect (False elsewhere)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
