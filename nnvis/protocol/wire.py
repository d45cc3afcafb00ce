"""The bytes of a watched run: how snapshots travel over a socket or into a recording.

A stream starts with ``MAGIC`` and a big-endian u32 format version, then holds messages.
In version 2 each message is

    u32 body length | u32 CRC-32 of the length and the body | body

and in version 1 (still read) the same without the checksum. A body is

    u32 header length | header (UTF-8 JSON) | raw array bytes

The JSON header is ``{"kind": str, "payload": tree, "arrays": [[dtype, shape], ...]}``;
inside ``tree`` an array is the object ``{"__nd__": i}`` and its bytes are the i-th slice of
the raw part (C order, little-endian, a short list of plain numeric dtypes). Floats may be
NaN/Infinity (Python's JSON extension). Nothing is ever unpickled: decoding only parses JSON
and calls ``np.frombuffer``, so a message from a stranger cannot run code. Every size is
checked against a limit before anything is allocated, and every failure is a
:class:`WireError` whose text is one line saying what is wrong. What the payloads must hold
is :mod:`nnvis.protocol.watched`'s business.
"""
from __future__ import annotations

import json
import math
import struct
import zlib

import numpy as np

MAGIC = b"NNVISREC"
VERSION = 2
#: The versions this code reads (and, on a socket, speaks to a script that wrote them).
READABLE_VERSIONS = (1, 2)

MAX_MESSAGE_BYTES = 64 * 2**20   # one snapshot of a large model is well under 1 MiB
MAX_HEADER_BYTES = 8 * 2**20
MAX_ARRAYS = 20_000
MAX_NDIM = 4
MAX_DIM = 2**31 - 1              # NumPy refuses larger dimensions on 32-bit index types
#: The dtypes a message may carry: plain numbers only (no objects, strings or records).
DTYPES = frozenset(np.dtype(t).str for t in (
    "?", "i1", "u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f2", "<f4", "<f8"))
_ARRAY_KEY = "__nd__"
_U32 = struct.Struct(">I")
_U32_PAIR = struct.Struct(">II")


class WireError(ValueError):
    """A malformed, truncated, foreign or too-new stream; the text is one line."""


class CutShort(WireError):
    """The stream ends inside a message: what a killed writer leaves."""


def preamble(version: int = VERSION) -> bytes:
    return MAGIC + _U32.pack(version)


PREAMBLE = preamble()


def frame_head_bytes(version: int) -> int:
    """Bytes before each message's body: its length, and from version 2 its checksum."""
    return 4 if version == 1 else 8


def _checksum(length: int, body) -> int:
    return zlib.crc32(body, zlib.crc32(_U32.pack(length)))


def _plain(obj, arrays: list):
    """A JSON-ready copy of ``obj``: NumPy scalars become Python numbers, arrays become
    ``{"__nd__": i}`` references into ``arrays``, tuples become lists."""
    if isinstance(obj, dict):
        if _ARRAY_KEY in obj:
            raise WireError(f"a payload dict may not use the key {_ARRAY_KEY!r}")
        return {str(k): _plain(v, arrays) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v, arrays) for v in obj]
    if isinstance(obj, np.ndarray):
        a = np.ascontiguousarray(obj)
        if a.dtype.str not in DTYPES:
            a = a.astype(a.dtype.newbyteorder("<"))
            if a.dtype.str not in DTYPES:
                raise WireError(f"cannot send an array of dtype {obj.dtype}")
        arrays.append(a)
        return {_ARRAY_KEY: len(arrays) - 1}
    if isinstance(obj, np.generic):
        return obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    raise WireError(f"cannot send a {type(obj).__name__}")


def encode(kind: str, payload=None, version: int = VERSION) -> bytes:
    """One framed message, in the framing of ``version`` (a listener answers a script of
    an older version in its own)."""
    arrays: list = []
    tree = _plain(payload, arrays)
    header = json.dumps({"kind": kind, "payload": tree,
                         "arrays": [[a.dtype.str, list(a.shape)] for a in arrays]},
                        separators=(",", ":")).encode()
    body = b"".join([_U32.pack(len(header)), header, *(a.tobytes() for a in arrays)])
    if len(body) > MAX_MESSAGE_BYTES:
        raise WireError(f"message too large ({len(body)} bytes > {MAX_MESSAGE_BYTES})")
    if version == 1:
        return _U32.pack(len(body)) + body
    return _U32_PAIR.pack(len(body), _checksum(len(body), body)) + body


def _array_specs(specs, raw_len: int) -> list:
    """Validated (dtype, shape, offset) for each declared array."""
    if not isinstance(specs, list) or len(specs) > MAX_ARRAYS:
        raise WireError("bad array table")
    out, offset = [], 0
    for spec in specs:
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in DTYPES
                and isinstance(spec[1], list) and len(spec[1]) <= MAX_NDIM
                and all(type(n) is int and 0 <= n <= MAX_DIM for n in spec[1])):
            raise WireError(f"bad array entry {str(spec)[:60]}")
        dtype = np.dtype(spec[0])
        nbytes = dtype.itemsize * math.prod(spec[1])
        if offset + nbytes > raw_len:
            raise WireError("array data shorter than its table says")
        out.append((dtype, tuple(spec[1]), offset))
        offset += nbytes
    if offset != raw_len:
        raise WireError("array data longer than its table says")
    return out


def decode_header(body) -> dict:
    """The JSON header of a message body, checked to have a kind (the arrays unread)."""
    if len(body) < 4:
        raise WireError("message too short")
    (hlen,) = _U32.unpack_from(body)
    if hlen > min(MAX_HEADER_BYTES, len(body) - 4):
        raise WireError("bad message header length")
    try:
        header = json.loads(bytes(body[4:4 + hlen]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"message header is not JSON ({type(exc).__name__})") from None
    if not (isinstance(header, dict) and isinstance(header.get("kind"), str)):
        raise WireError("message header has no kind")
    return header


def decode_body(body: bytes) -> tuple[str, object]:
    """(kind, payload) of one message body (the bytes after its length and checksum)."""
    header = decode_header(body)
    (hlen,) = _U32.unpack_from(body)
    raw = memoryview(body)[4 + hlen:]
    specs = _array_specs(header.get("arrays", []), len(raw))

    def resolve(node):
        if isinstance(node, dict):
            if _ARRAY_KEY in node:
                i = node[_ARRAY_KEY]
                if len(node) != 1 or type(i) is not int or not 0 <= i < len(specs):
                    raise WireError("bad array reference")
                dtype, shape, off = specs[i]
                return np.frombuffer(raw, dtype, math.prod(shape), off).reshape(shape)
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    try:
        return header["kind"], resolve(header.get("payload"))
    except RecursionError:
        raise WireError("message nested too deeply") from None


def body_length(head: bytes, limit: int = MAX_MESSAGE_BYTES) -> int:
    """The body length a message's frame head announces, refused beyond ``limit``."""
    (n,) = _U32.unpack_from(head)
    if n > limit:
        raise WireError(f"damaged: a message of {n} bytes exceeds the limit of {limit}")
    return n


def check_body(head: bytes, body, version: int) -> None:
    """Refuse a body whose checksum (version 2 on) is not the one its head carries."""
    if version != 1 and _checksum(len(body), body) != _U32.unpack_from(head, 4)[0]:
        raise WireError(f"damaged: the checksum of a message of {len(body)} bytes does not "
                        f"match")


def read_message(read, version: int = VERSION,
                 limit: int = MAX_MESSAGE_BYTES) -> tuple[str, object] | None:
    """The next message from ``read(n) -> bytes`` (a file's or socket file's read); None at
    a clean end of stream. A stream that ends inside a message raises :class:`CutShort`."""
    size = frame_head_bytes(version)
    head = read(size)
    if not head:
        return None
    if len(head) < size:
        raise CutShort("cut short inside a message's length")
    n = body_length(head, limit)
    body = read(n)
    if len(body) < n:
        raise CutShort(f"cut short: a message of {n} bytes ends after {len(body)}")
    check_body(head, body, version)
    return decode_body(body)


class Unframer:
    """Messages from a stream that arrives in pieces (a socket read whenever it is ready,
    so that no peer can hold a thread in a blocking read)."""

    def __init__(self, version: int = VERSION, limit: int = MAX_MESSAGE_BYTES):
        self.version = version
        self.limit = limit
        self._head = frame_head_bytes(version)
        self._buf = bytearray()

    @property
    def pending(self) -> int:
        """Bytes received that do not make a whole message yet."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[tuple[str, object]]:
        """The messages ``data`` completes, in order; raises WireError on a bad one."""
        self._buf += data
        out = []
        while len(self._buf) >= self._head:
            n = body_length(self._buf, self.limit)
            end = self._head + n
            if len(self._buf) < end:
                break
            head, body = bytes(self._buf[:self._head]), bytes(self._buf[self._head:end])
            del self._buf[:end]
            check_body(head, body, self.version)
            out.append(decode_body(body))
        return out


def check_preamble(head: bytes, what: str = "stream") -> int:
    """The format version of a stream that starts with ``head``; refuses anything that is
    not an nnvis watch stream of a version this code reads."""
    if len(head) < len(MAGIC) or head[:len(MAGIC)] != MAGIC:
        if head[:2] == b"PK":
            raise WireError(f"not an nnvis recording (a zip file: an .nnvis experiment? "
                            f"open it with File > Open experiment)")
        shown = head[:8].decode("ascii", "replace") if head[:8].isascii() and \
            head[:8].decode("ascii").isprintable() else head[:8].hex(" ")
        raise WireError(f"not an nnvis {what} (it starts with {shown or 'nothing'}, not "
                        f"{MAGIC.decode('ascii')})")
    if len(head) < len(PREAMBLE):
        raise CutShort(f"cut short: the {what} ends inside its header")
    (version,) = _U32.unpack_from(head, len(MAGIC))
    if version not in READABLE_VERSIONS:
        raise WireError(f"{what} format version {version} is not supported (this nnvis reads "
                        f"versions {READABLE_VERSIONS[0]} to {VERSION}"
                        f"{': update nnvis' if version > VERSION else ''})")
    return version
