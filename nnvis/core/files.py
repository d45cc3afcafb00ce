"""What may be opened as a file: opening a FIFO blocks until someone writes to it, and a
device or a folder is no experiment either, so anything else is refused before it is
opened (``os.stat`` does not block)."""
from __future__ import annotations

import os
import stat


def is_regular_file(path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def not_a_regular_file(path) -> str | None:
    """None if ``path`` is a regular file, else one English line saying what it is."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"{path}: no such file"
    except (OSError, ValueError) as exc:
        return f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})"
    if stat.S_ISREG(mode):
        return None
    what = ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"{path}: {what}, not a file nnvis can open"
