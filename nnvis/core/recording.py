"""Recordings of watched PyTorch runs (``.nnvisrec``): write them, read them back safely.

A recording is exactly the message stream a watched run sends to a listening app (see
:mod:`nnvis.core.wire`): the preamble, a "run" message describing the model, one
"snapshot" message per snapshot step and an "end" message when the script closes its
watcher. Each message is written with one ``write`` and flushed, so a script that is
killed leaves at most its last message cut short; reading refuses such a file (and any
foreign, damaged or too-new one) with a :class:`RecordingError` saying what is wrong.
"""
from __future__ import annotations

import os
from pathlib import Path

from .wire import PREAMBLE, WireError, check_preamble, encode, read_message

EXTENSION = ".nnvisrec"
MAX_RECORDING_BYTES = 2 * 2**30
MAX_MESSAGES = 1_000_000


class RecordingError(WireError):
    """A recording that cannot be replayed; the text is one line naming the file."""


class RecordingWriter:
    """Append messages to a new recording file (overwritten if it exists)."""

    def __init__(self, path):
        self.path = Path(path)
        self._f = open(self.path, "wb")
        self._f.write(PREAMBLE)
        self._f.flush()

    def write(self, kind: str, payload=None):
        self._f.write(encode(kind, payload))
        self._f.flush()

    def close(self):
        if not self._f.closed:
            self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def is_recording(path) -> bool:
    """Whether the file starts like a recording (any version): how ``--load`` tells a
    recording from an experiment."""
    try:
        with open(path, "rb") as f:
            return f.read(len(PREAMBLE))[:8] == PREAMBLE[:8]
    except OSError:
        return False


def read_recording(path) -> list[tuple[str, object]]:
    """Every message of a recording, checked; raises RecordingError (or OSError)."""
    path = Path(path)
    name = path.name
    size = os.path.getsize(path)
    if size == 0:
        raise RecordingError(f"{name}: the file is empty")
    if size > MAX_RECORDING_BYTES:
        raise RecordingError(f"{name}: {size} bytes is larger than a recording may be")
    messages = []
    with open(path, "rb") as f:
        try:
            check_preamble(f.read(len(PREAMBLE)), "recording")
            while len(messages) < MAX_MESSAGES:
                msg = read_message(f.read)
                if msg is None:
                    break
                messages.append(msg)
        except WireError as exc:
            where = f" (message {len(messages) + 1})" if messages else ""
            raise RecordingError(f"{name}: {exc}{where}") from None
    if not messages or messages[0][0] != "run":
        raise RecordingError(f"{name}: not a watched run (no \"run\" message first)")
    if not any(kind == "snapshot" for kind, _ in messages):
        raise RecordingError(f"{name}: the recording holds no snapshot (did the script reach "
                             f"its first snapshot step?)")
    return messages
