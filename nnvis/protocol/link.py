"""The socket between a watched PyTorch script and a listening nnvis app.

The app listens (``nnvis --listen 127.0.0.1:PORT``) and prints a random token. A script
connects and sends the wire preamble and a "hello" message with the token; the app answers
with its own preamble and "welcome" or "refused" (with a reason; then it closes), all
within HANDSHAKE_SECONDS. After that the script sends the same messages a recording holds,
and the app may send "pause", "play" and, while paused, a "heartbeat" every
HEARTBEAT_SECONDS, so a paused script can tell a thinking user from a dead app. A script of
format version 1 (which expects no preamble back) is answered, and read, in version 1.
The token is compared in constant time; the traffic itself is not encrypted, so the app
listens on a loopback address unless told otherwise. The app's side is
:mod:`nnvis.protocol.listener`.
"""
from __future__ import annotations

import ipaddress
import secrets
import socket
import time

from .wire import PREAMBLE, VERSION, WireError, check_preamble, encode, read_message

#: A new connection has this long, in all, to send its preamble and hello (and a script
#: this long to hear the answer).
HANDSHAKE_SECONDS = 5.0
MAX_HELLO_BYTES = 4096
HEARTBEAT_SECONDS = 1.0
#: A paused script that hears nothing from the app for this long goes on training.
PAUSE_TIMEOUT_SECONDS = 10.0
#: A send the app does not take within this long means the app is stuck or gone.
SEND_TIMEOUT_SECONDS = 10.0
BUSY = "another run is being watched"


class LinkError(ConnectionError):
    """The other side is not a matching nnvis, refused us, or went away (one line)."""


def new_token() -> str:
    return secrets.token_urlsafe(16)


def parse_address(text: str) -> tuple[str, int]:
    """'127.0.0.1:5000' -> ('127.0.0.1', 5000); port 0 asks the system for a free one."""
    host, sep, port = str(text).rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"expected HOST:PORT (e.g. 127.0.0.1:5000), got {text!r}")
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` is reachable from this machine only: a loopback
    address, or a name that resolves to loopback addresses alone (``localhost``)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback
                               for a in found)


def not_loopback(address: str) -> str | None:
    """Why listening on ``address`` (HOST:PORT) would open the app to other machines, or
    None (a loopback address, or not an address at all: listening says so)."""
    try:
        host, _ = parse_address(address)
    except ValueError:
        return None
    if is_loopback(host):
        return None
    return (f"{host} is not a loopback address: other machines could connect, and the "
            f"traffic is not encrypted")


def reader(sock: socket.socket, deadline: float | None = None):
    """A ``read(n)`` over a blocking socket for :func:`nnvis.protocol.wire.read_message`:
    returns fewer than n bytes only when the peer closed; past ``deadline`` (a
    ``time.monotonic()``), raises ``TimeoutError`` however the bytes trickle in."""
    def read(n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("timed out")
                sock.settimeout(left)
            chunk = sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                break
            buf += chunk
        return bytes(buf)
    return read


def send(sock: socket.socket, kind: str, payload=None, version: int = VERSION):
    sock.sendall(encode(kind, payload, version))


def _reason(reply) -> str:
    reason = reply[1].get("reason") if reply and isinstance(reply[1], dict) else None
    if not isinstance(reason, str) or not reason:
        return "no reason given"
    return " ".join(reason.split())[:300]


def connect(address: str, token: str, timeout: float = HANDSHAKE_SECONDS) -> socket.socket:
    """A socket to a listening app that accepted ``token``; raises LinkError saying why
    not, within ``timeout`` in all."""
    host, port = parse_address(address)
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise LinkError(f"no nnvis app listens on {address} ({exc.strerror or exc}); start "
                        f"one with: nnvis --listen {address}") from None
    try:
        sock.sendall(PREAMBLE + encode("hello", {"token": token}))
        read = reader(sock, deadline)
        try:
            head = read(len(PREAMBLE))
        except ConnectionResetError:   # hung up on what it had not read: no answer either
            head = b""
        if not head:
            raise LinkError(f"the nnvis app at {address} closed the connection without an "
                            f"answer (an nnvis older than this script's, which cannot read "
                            f"watch format version {VERSION}? update it)")
        version = check_preamble(head, "answer")
        reply = read_message(read, version, MAX_HELLO_BYTES)
    except (OSError, WireError) as exc:
        sock.close()
        if isinstance(exc, LinkError):
            raise
        raise LinkError(f"the nnvis app at {address} did not answer ({exc})") from None
    if reply is None or reply[0] != "welcome" or version != VERSION:
        sock.close()
        raise LinkError(f"the nnvis app at {address} refused the connection: "
                        f"{_reason(reply)}")
    sock.settimeout(SEND_TIMEOUT_SECONDS)
    return sock
