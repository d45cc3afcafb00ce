"""The hidden temporary file a save writes beside its target, and clearing away those that
a killed save left behind.

A save writes ``.<target>.<pid>@<host>.<random>.tmp`` and renames it over the target; a
process killed mid-save leaves it there, hidden, as large as the experiment (25 kills of
the app left 49 MB). Each save first removes the temporaries of its target whose writer
is gone: a process of this host that no longer runs, or any writer whose file has not
been touched for :data:`STALE_AFTER` seconds (a pid reused since, another host sharing the
folder, or a temporary of an nnvis from before writers were named).
"""
from __future__ import annotations

import os
import re
import socket
import tempfile
import time
from pathlib import Path

SUFFIX = ".tmp"
#: Seconds after which an untouched temporary is stale whoever wrote it: a save rewrites
#: its file continuously, so a live one is never this old.
STALE_AFTER = 15 * 60
_RANDOM = r"[a-z0-9_]{8}"   # what tempfile.mkstemp puts in the middle
_NAMED = re.compile(rf"(\d+)@([A-Za-z0-9-]*)\.{_RANDOM}")
_UNNAMED = re.compile(_RANDOM)


def host_name() -> str:
    """This machine's name as temporaries carry it (letters, digits and dashes)."""
    return re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:32]


def _prefix(target: Path) -> str:
    return f".{target.name[:64]}."


def create(target: Path) -> tuple[int, str]:
    """A new temporary beside ``target``, named for this process: (fd, path)."""
    directory = target.parent if str(target.parent) else Path(".")
    return tempfile.mkstemp(prefix=f"{_prefix(target)}{os.getpid()}@{host_name()}.", suffix=SUFFIX,
                            dir=directory)


def _running(pid: int) -> bool:
    """Whether process ``pid`` of this host runs (a zombie, killed but not yet reaped by
    its parent, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def _is_stale(middle: str, age: float, host: str) -> bool:
    named = _NAMED.fullmatch(middle)
    if named is None and _UNNAMED.fullmatch(middle) is None:
        return False    # not a name this module makes: not ours to remove
    if age > STALE_AFTER:
        return True
    return named is not None and named[2] == host and not _running(int(named[1]))


def remove_stale(target: Path) -> int:
    """Remove the temporaries of saves of ``target`` whose writer is gone; how many."""
    directory = target.parent if str(target.parent) else Path(".")
    prefix, host, now, removed = _prefix(target), host_name(), time.time(), 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(SUFFIX)):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if _is_stale(name[len(prefix):-len(SUFFIX)], age, host):
                os.unlink(entry.path)
                removed += 1
        except OSError:   # gone already (another save cleared it), or not ours to remove
            continue
    return removed
