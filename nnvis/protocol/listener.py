"""The app's end of the socket (see :mod:`nnvis.protocol.link`): scripts connect, each new
connection is handshaken, and one run at a time is watched.

Everything happens in the caller's thread, in :meth:`Listener.poll`, on non-blocking
sockets read only when they are ready: no peer can hold it in a read. A new connection has
HANDSHAKE_SECONDS in all (not per read) to send its preamble and hello, and at most
MAX_PENDING wait at once (the oldest makes room for a newcomer), so a slow, silent or
flooding client delays no one. While a run is attached a second script, token and all, is
told "another run is being watched".
"""
from __future__ import annotations

import hmac
import selectors
import socket
import time
from dataclasses import dataclass, field

from . import link
from .wire import (MAGIC, MAX_MESSAGE_BYTES, PREAMBLE, VERSION, Unframer, WireError,
                   check_preamble, encode, preamble)

MAX_PENDING = 32
RECV_BYTES = 1 << 20


@dataclass
class Verdict:
    welcome: bool
    why: str = ""                  # the app's one line about a refused connection
    messages: list = field(default_factory=list)   # what came right after the hello


class Handshake:
    """One new connection, from its first byte to its answer: feed it what arrives."""

    def __init__(self, sock: socket.socket, token: str, busy=lambda: False):
        self.sock = sock
        self.token = token
        self.busy = busy
        self.deadline = time.monotonic() + link.HANDSHAKE_SECONDS
        self.version: int | None = None
        self.unframer: Unframer | None = None
        self._head = bytearray()

    def feed(self, data: bytes) -> Verdict | None:
        """The verdict once there is one (the answer is sent), None while it needs more;
        ``data`` empty means the peer closed."""
        if not data:
            return self.refuse("it closed the connection before its hello", answer=False)
        try:
            if self.unframer is None:
                self._head += data
                if len(self._head) < len(PREAMBLE):
                    if not MAGIC.startswith(bytes(self._head[:len(MAGIC)])):
                        check_preamble(bytes(self._head), "watch stream")   # says what it is
                    return None
                self.version = check_preamble(bytes(self._head[:len(PREAMBLE)]),
                                              "watch stream")
                self.unframer = Unframer(self.version, link.MAX_HELLO_BYTES)
                data = bytes(self._head[len(PREAMBLE):])
            messages = self.unframer.feed(data)
        except WireError as exc:
            return self.refuse(str(exc))
        if not messages:
            return None
        (kind, payload), rest = messages[0], messages[1:]
        token = payload.get("token") if kind == "hello" and isinstance(payload, dict) else None
        if not isinstance(token, str):
            return self.refuse("expected a hello message")
        if not hmac.compare_digest(token.encode(), self.token.encode()):
            return self.refuse("wrong token")
        if self.busy():
            return self.refuse(link.BUSY)
        self._answer("welcome")
        self.unframer.limit = MAX_MESSAGE_BYTES
        return Verdict(True, messages=rest)

    def expired(self, now: float) -> Verdict | None:
        if now < self.deadline:
            return None
        return self.refuse(f"no hello within {link.HANDSHAKE_SECONDS:g} s")

    def refuse(self, reason: str, answer: bool = True) -> Verdict:
        if answer:
            self._answer("refused", {"reason": reason})
        return Verdict(False, f"refused a connection: {reason}")

    def _answer(self, kind: str, payload=None):
        """In the script's own version; a version-1 script expects no preamble back."""
        version = self.version or VERSION
        data = (b"" if version == 1 else preamble(version)) + encode(kind, payload, version)
        try:
            self.sock.sendall(data)   # a few dozen bytes: a fresh socket's buffer takes them
        except OSError:
            pass


class Listener:
    """Serves one listening socket. :meth:`poll` returns what happened, in order:
    ``("error", line)`` (a refused connection, a dropped script), ``("attached", None)``,
    ``("message", (kind, payload))`` from the attached script, ``("detached", why)``."""

    def __init__(self, server: socket.socket, token: str):
        self.server = server
        self.token = token
        server.setblocking(False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(server, selectors.EVENT_READ, None)
        self._pending: dict[socket.socket, Handshake] = {}   # oldest first
        self.attached: socket.socket | None = None
        self.version = VERSION
        self._unframer: Unframer | None = None
        self._events: list = []

    # -- the caller's side -----------------------------------------------------------
    def poll(self, timeout: float) -> list[tuple[str, object]]:
        now = time.monotonic()
        soonest = min((h.deadline for h in self._pending.values()), default=now + timeout)
        wait = 0 if self._events else max(0.0, min(timeout, soonest - now))
        for key, _ in self._selector.select(wait):
            sock = key.fileobj
            if sock is self.server:
                self._accept()
            elif sock is self.attached:
                self._read_attached()
            elif sock in self._pending:
                self._read_pending(sock)
        now = time.monotonic()
        for sock, handshake in list(self._pending.items()):
            verdict = handshake.expired(now)
            if verdict is not None:
                self._settle(sock, verdict)
        events, self._events = self._events, []
        return events

    def send(self, kind: str, payload=None):
        """To the attached script (nothing if none); a failed send detaches it."""
        if self.attached is not None:
            try:
                link.send(self.attached, kind, payload, self.version)
            except OSError as exc:
                self.detach(f"sending failed ({exc})")

    def drop(self, why: str):
        """Refuse the attached script's last message: say so and hang up on it."""
        if self.attached is not None:
            self._events.append(("error", f"dropped the script: {why}"))
            self.detach(why)

    def detach(self, why: str):
        if self.attached is not None:
            self._forget(self.attached)
            self.attached = self._unframer = None
            self._events.append(("detached", why))

    def close(self):
        for sock in [*self._pending, self.attached]:
            if sock is not None:
                self._forget(sock)
        self._pending.clear()
        self.attached = None
        self._selector.close()
        self.server.close()

    # -- connections -----------------------------------------------------------------
    def _accept(self):
        for _ in range(MAX_PENDING):
            try:
                conn, _ = self.server.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:    # out of file descriptors, a reset: the next one
                self._events.append(("error", f"could not accept a connection ({exc})"))
                return
            conn.setblocking(False)
            if len(self._pending) >= MAX_PENDING:
                oldest = next(iter(self._pending))
                self._settle(oldest, self._pending[oldest].refuse(
                    "too many connections waiting for their hello"))
            self._pending[conn] = Handshake(conn, self.token, lambda: self.attached is not None)
            self._selector.register(conn, selectors.EVENT_READ, None)

    def _read_pending(self, sock: socket.socket):
        try:
            data = sock.recv(link.MAX_HELLO_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        verdict = self._pending[sock].feed(data)
        if verdict is not None:
            self._settle(sock, verdict)

    def _settle(self, sock: socket.socket, verdict: Verdict):
        handshake = self._pending.pop(sock)
        if not verdict.welcome:
            self._forget(sock)
            self._events.append(("error", verdict.why))
            return
        sock.settimeout(link.SEND_TIMEOUT_SECONDS)   # sends may wait; reads only when ready
        self.attached, self.version = sock, handshake.version
        self._unframer = handshake.unframer
        self._events.append(("attached", None))
        self._events.extend(("message", m) for m in verdict.messages)

    def _read_attached(self):
        try:
            data = self.attached.recv(RECV_BYTES)
        except (BlockingIOError, InterruptedError, TimeoutError):
            return
        except OSError as exc:
            self.detach(str(exc))
            return
        if not data:
            self.detach("the script closed the connection")
            return
        try:
            messages = self._unframer.feed(data)
        except WireError as exc:
            self.drop(str(exc))
            return
        self._events.extend(("message", m) for m in messages)

    def _forget(self, sock: socket.socket):
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        sock.close()


def accept_handshake(sock: socket.socket, token: str) -> int:
    """One connection's handshake, blocking (a test's stand-in for an app): answers it and
    returns the script's format version; raises LinkError (after telling the script why)
    if it is refused. The app itself uses :class:`Listener`."""
    handshake = Handshake(sock, token)
    read = link.reader(sock, handshake.deadline)
    verdict = None
    try:
        while verdict is None:
            verdict = handshake.feed(read(1) or b"")
    except (OSError, WireError) as exc:
        verdict = handshake.refuse(f"refused a connection: {exc}")
    if not verdict.welcome:
        raise link.LinkError(verdict.why)
    return handshake.version
