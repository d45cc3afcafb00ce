"""Recordings of watched PyTorch runs (``.nnvisrec``): write them, read them back safely.

A recording is exactly the message stream a watched run sends to a listening app (see
:mod:`nnvis.protocol.wire`): the preamble, a "run" message describing the model, one
"snapshot" message per snapshot step and an "end" message when the script closes its
watcher. Each message is written with one ``write`` and flushed, so a script that is
killed leaves at most its last message cut short. Reading streams the file a message at a
time (memory holds one message, however long the run) and replays every whole message: a
cut, or a message whose checksum fails, ends the replay there and :attr:`RecordingReader.
ending` says where and why. A foreign, empty or too-new file, or one with nothing to
replay, is refused with a :class:`RecordingError` naming the file.
"""
from __future__ import annotations

import os
from pathlib import Path

from .wire import (MAX_HEADER_BYTES, PREAMBLE, CutShort, WireError, body_length,
                   check_preamble, decode_header, encode, frame_head_bytes, read_message)

EXTENSION = ".nnvisrec"


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


class RecordingReader:
    """A recording's messages, one at a time. Opening it checks the preamble (raises
    RecordingError or OSError); iterating yields each whole, intact message as
    ``(kind, payload)`` and stops at the end of the file, at a cut or at a damaged message,
    leaving :attr:`ending` None only after a clean end. A recording that does not start
    with a "run" message, or holds no snapshot at all, raises RecordingError instead."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.name
        self.ending: str | None = None
        self._where = ""           # "message N, byte B: why" once it ends early
        self.messages = 0          # whole messages read so far
        self.snapshots = 0
        self._offset = 0           # where the last message read starts...
        self._kind = None          # ...and its kind
        self._f = open(self.path, "rb")
        try:
            head = self._f.read(len(PREAMBLE))
            if not head:
                raise RecordingError(f"{self.name}: the file is empty")
            self.version = check_preamble(head, "recording")
        except WireError as exc:
            self._f.close()
            raise exc if isinstance(exc, RecordingError) else \
                RecordingError(f"{self.name}: {exc}") from None

    def __iter__(self):
        while not self._f.closed and self.ending is None:
            offset = self._f.tell()
            try:
                msg = read_message(self._f.read, self.version)
            except WireError as exc:
                self._end_at(self.messages + 1, offset, exc)
                break
            if msg is None:
                break
            self.messages += 1
            self._offset, self._kind = offset, msg[0]
            if self.messages == 1 and msg[0] != "run":
                raise RecordingError(f"{self.name}: not a watched run (no \"run\" message "
                                     f"first)")
            self.snapshots += msg[0] == "snapshot"
            yield msg
        if not self.snapshots:
            why = f"it ends at {self._where}" if self.ending else \
                "did the script reach its first snapshot step?"
            raise RecordingError(f"{self.name}: the recording holds no snapshot ({why})")

    def stop(self, reason) -> None:
        """Take the recording as ending at the message just read (its content was refused:
        ``reason``); iteration stops."""
        self._end_at(self.messages, self._offset, reason)
        self.messages -= 1
        self.snapshots -= self._kind == "snapshot"

    def _end_at(self, number: int, offset: int, reason) -> None:
        why = "cut short (the script was probably killed)" if isinstance(reason, CutShort) \
            else str(reason).splitlines()[0] if str(reason) else type(reason).__name__
        self._where = f"message {number}, byte {offset}: {why}"
        self.ending = f"{self.name}: the recording ends at {self._where}"

    def skim(self):
        """``(kind, step)`` of each message, from its JSON header alone (no arrays read, no
        checksum checked: fast however large the file): how long a recording is, before
        replaying it. Stops quietly where the framing does; ``step`` is None if absent."""
        size = os.fstat(self._f.fileno()).st_size
        head_bytes = frame_head_bytes(self.version)
        offset = len(PREAMBLE)
        with open(self.path, "rb") as f:    # its own handle: iteration keeps its place
            while offset + head_bytes <= size:
                f.seek(offset)
                try:
                    n = body_length(f.read(head_bytes))
                    if offset + head_bytes + n > size or n < 4:
                        return
                    start = f.read(4)
                    hlen = min(int.from_bytes(start, "big"), MAX_HEADER_BYTES, n - 4)
                    header = decode_header(start + f.read(hlen))
                except WireError:
                    return
                payload = header.get("payload")
                step = payload.get("step") if isinstance(payload, dict) else None
                yield header["kind"], step if type(step) is int else None
                offset += head_bytes + n

    def close(self):
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_recording(path) -> list[tuple[str, object]]:
    """Every whole, intact message of a recording, in memory (tests and tools: the app
    streams with :class:`RecordingReader`); a cut or damaged tail is left out."""
    with RecordingReader(path) as reader:
        return list(reader)
