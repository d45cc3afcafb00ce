"""The socket between a watched PyTorch script and a listening nnvis app.

The app listens (``nnvis --listen 127.0.0.1:PORT``) and prints a random token. A script
connects, sends the wire preamble and a "hello" message with the token; the app answers
"welcome" or "refused" (then closes). After that the script sends the same messages a
recording holds, and the app may send "pause", "play" and, while paused, a "heartbeat"
every HEARTBEAT_SECONDS, so a paused script can tell a thinking user from a dead app.
The token is compared in constant time; the traffic itself is not encrypted, so listen on
a loopback address unless the network between the two is trusted.
"""
from __future__ import annotations

import hmac
import secrets
import socket

from .wire import PREAMBLE, WireError, check_preamble, encode, read_message

HANDSHAKE_SECONDS = 5.0
HEARTBEAT_SECONDS = 1.0
#: A paused script that hears nothing from the app for this long goes on training.
PAUSE_TIMEOUT_SECONDS = 10.0
#: A send the app does not take within this long means the app is stuck or gone.
SEND_TIMEOUT_SECONDS = 10.0


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


def reader(sock: socket.socket):
    """A ``read(n)`` over a blocking socket for :func:`nnvis.core.wire.read_message`:
    returns fewer than n bytes only when the peer closed."""
    def read(n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                break
            buf += chunk
        return bytes(buf)
    return read


def send(sock: socket.socket, kind: str, payload=None):
    sock.sendall(encode(kind, payload))


def connect(address: str, token: str, timeout: float = HANDSHAKE_SECONDS) -> socket.socket:
    """A socket to a listening app that accepted ``token``; raises LinkError."""
    host, port = parse_address(address)
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise LinkError(f"no nnvis app listens on {address} ({exc.strerror or exc}); start "
                        f"one with: nnvis --listen {address}") from None
    try:
        sock.sendall(PREAMBLE + encode("hello", {"token": token}))
        reply = read_message(reader(sock))
    except (OSError, WireError) as exc:
        sock.close()
        raise LinkError(f"the nnvis app at {address} did not answer ({exc})") from None
    if reply is None or reply[0] != "welcome":
        sock.close()
        reason = reply[1].get("reason") if reply and isinstance(reply[1], dict) else None
        raise LinkError(f"the nnvis app at {address} refused the connection: "
                        f"{reason or 'no reason given'}")
    sock.settimeout(SEND_TIMEOUT_SECONDS)
    return sock


def accept_handshake(sock: socket.socket, token: str) -> None:
    """Check a new connection's preamble and token and answer it; raises LinkError (after
    telling the script why) if it is refused."""
    sock.settimeout(HANDSHAKE_SECONDS)
    read = reader(sock)
    try:
        check_preamble(read(len(PREAMBLE)), "watch stream")
        msg = read_message(read)
    except (OSError, WireError) as exc:
        raise LinkError(f"refused a connection: {exc}") from None
    if msg is None or msg[0] != "hello" or not isinstance(msg[1], dict):
        reason = "expected a hello message"
    elif not isinstance(msg[1].get("token"), str) or not hmac.compare_digest(
            msg[1]["token"].encode(), token.encode()):
        reason = "wrong token"
    else:
        send(sock, "welcome")
        return
    try:
        send(sock, "refused", {"reason": reason})
    except OSError:
        pass
    raise LinkError(f"refused a connection: {reason}")
