"""Nothing hangs: a listening app keeps watching whatever connects to it. Real sockets on
127.0.0.1, bounded in time and count: a client that trickles its hello or stays silent,
two hundred idle connections, a second script, a script that sends malformed snapshots,
scripts of an older and a newer format version; and --listen on a non-loopback address."""
import copy
import select
import socket
import threading

import numpy as np
import pytest
from watch_clients import script, trained_payloads

from nnvis.protocol import link
from nnvis.protocol.recording import read_recording
from nnvis.protocol.wire import PREAMBLE, check_preamble, encode, preamble, read_message

TIMEOUT = 10_000


@pytest.fixture
def listening(make_window, qtbot, monkeypatch):
    """A window listening on a free port, whose handshakes must be done within 1 s."""
    monkeypatch.setattr(link, "HANDSHAKE_SECONDS", 1.0)
    w = make_window()
    source = w.watch_mode.listen("127.0.0.1:0")
    qtbot.waitUntil(lambda: source.token in w.watch_mode.note_text(), timeout=TIMEOUT)
    return w, source


@pytest.fixture(scope="module")
def payloads():
    return trained_payloads()


def _watch(qtbot, w, source, payloads) -> tuple[threading.Thread, dict]:
    """A script that sends ``payloads``; returns once the window has drawn the last one."""
    result = {}
    t = threading.Thread(target=script, args=(source.address, source.token, payloads, result))
    t.start()
    step = payloads[-1]["step"]
    qtbot.waitUntil(lambda: "refused" in result or _drew(w, step), timeout=TIMEOUT)
    assert "refused" not in result, result
    return t, result


def _drew(w, step=None) -> bool:
    """Whether the window's newest snapshot is a watched run's (at ``step``)."""
    return w.latest is not None and "watch" in w.latest and step in (None, w.latest["step"])


def _connect(source) -> socket.socket:
    return socket.create_connection(link.parse_address(source.address), timeout=5)


def test_a_client_that_trickles_its_hello_locks_no_one_out(listening, qtbot, payloads):
    w, source = listening
    stop, heard = threading.Event(), []

    def trickle():   # a byte every 0.25 s: ~20 s for its hello, if it were let be
        with _connect(source) as s:
            try:
                for byte in PREAMBLE + encode("hello", {"token": source.token}):
                    s.sendall(bytes([byte]))
                    if select.select([s], [], [], 0)[0] or stop.wait(0.25):
                        break
                s.settimeout(5)
                heard.append(s.recv(4096))
            except ConnectionResetError:
                # Closed while its bytes still came in: the kernel may then reset the
                # connection and drop the refusal before it is read.
                heard.append(b"reset")

    slow = threading.Thread(target=trickle)
    slow.start()
    try:
        t, _ = _watch(qtbot, w, source, payloads)   # drawn while the slow one trickles
        t.join(5)
        slow.join(5)                                # cut off after 1 s in all
    finally:
        stop.set()
        slow.join(5)
    assert heard, "the trickling client was not cut off"
    assert b"no hello within 1 s" in heard[0] or heard[0] == b"reset"
    qtbot.waitUntil(lambda: "refused a connection: no hello within 1 s" in w.banner.text(),
                    timeout=TIMEOUT)


def test_two_hundred_idle_connections_lock_no_one_out(listening, qtbot, payloads):
    w, source = listening
    idle = [_connect(source) for _ in range(200)]
    try:
        t, _ = _watch(qtbot, w, source, payloads)
        t.join(5)
    finally:
        for s in idle:
            s.close()


def test_a_second_script_is_told_another_run_is_being_watched(listening, qtbot, payloads):
    w, source = listening
    with link.connect(source.address, source.token) as first:
        link.send(first, "run", {"model": "First"})
        link.send(first, "snapshot", payloads[0])
        qtbot.waitUntil(lambda: _drew(w), timeout=TIMEOUT)
        with pytest.raises(ConnectionError, match="refused the connection: another run is "
                                                  "being watched"):
            link.connect(source.address, source.token)
        qtbot.waitUntil(lambda: "refused a connection: another run is being watched"
                        in w.banner.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "disconnected" in [k for k, _ in w.messages], timeout=TIMEOUT)
    t, _ = _watch(qtbot, w, source, payloads[:1])      # free again once the first left
    t.join(5)


@pytest.mark.parametrize("where, value, says", [
    ("dataset", np.zeros(3), "snapshot.dataset: expected a printable text"),
    ("step", 2**70, "snapshot.step: expected a whole number from 0 to 9007199254740991"),
])
def test_a_malformed_snapshot_drops_its_script_and_the_app_keeps_listening(
        listening, qtbot, payloads, where, value, says):
    w, source = listening
    bad = copy.deepcopy(payloads[0])
    bad[where] = value
    with link.connect(source.address, source.token) as sock:
        link.send(sock, "run", {"model": "Bad"})
        link.send(sock, "snapshot", bad)
        sock.settimeout(5)
        try:
            assert read_message(link.reader(sock)) is None  # the app hung up on it
        except ConnectionResetError:
            pass
    qtbot.waitUntil(lambda: says in w.banner.text(), timeout=TIMEOUT)
    assert f"dropped the script: {says}" in w.banner.text() and "\n" not in w.banner.text()
    qtbot.waitUntil(lambda: "waiting for the next one" in w.watch_mode.note_text(), timeout=TIMEOUT)
    assert not _drew(w)
    t, _ = _watch(qtbot, w, source, payloads)               # a good script is drawn after it
    t.join(5)


def test_a_script_of_format_version_1_is_still_watched(listening, qtbot, payloads):
    w, source = listening
    with _connect(source) as sock:
        sock.sendall(preamble(1) + encode("hello", {"token": source.token}, 1))
        assert read_message(link.reader(sock), 1)[0] == "welcome"   # no preamble back
        link.send(sock, "run", {"model": "Old"}, 1)
        for p in payloads:
            link.send(sock, "snapshot", p, 1)
        qtbot.waitUntil(lambda: _drew(w, payloads[-1]["step"]), timeout=TIMEOUT)
    assert w.latest["watch"]["model"] == "Old"


def test_a_script_newer_than_the_app_is_refused_naming_both_versions(listening, qtbot):
    w, source = listening
    with _connect(source) as sock:
        sock.sendall(preamble(3) + b"\0" * 40)      # whatever version 3 frames look like
        read = link.reader(sock)
        assert check_preamble(read(len(PREAMBLE)), "answer") == 2
        kind, payload = read_message(read)
    says = "watch stream format version 3 is not supported (this nnvis reads versions 1 to 2"
    assert kind == "refused" and payload["reason"].startswith(says)
    qtbot.waitUntil(lambda: says in w.banner.text(), timeout=TIMEOUT)


def test_a_script_hears_why_when_an_app_too_old_to_answer_hangs_up():
    with socket.create_server(("127.0.0.1", 0)) as server:
        address = f"127.0.0.1:{server.getsockname()[1]}"

        def old_app():            # a version-1 app: a newer preamble is refused, unanswered
            conn, _ = server.accept()
            with conn:
                conn.recv(len(PREAMBLE))

        t = threading.Thread(target=old_app)
        t.start()
        with pytest.raises(ConnectionError, match="closed the connection without an answer "
                                                  r"\(an nnvis older than this script's"):
            link.connect(address, "token")
        t.join(5)


def test_listening_on_a_non_loopback_address_needs_allow_remote(capsys):
    from nnvis.cli import main

    assert main(["--listen", "0.0.0.0:0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: 0.0.0.0 is not a loopback address")
    assert "--allow-remote" in err
    assert main(["--listen", "[::]:0"]) == 2


def test_a_recording_written_today_is_format_2(tmp_path, payloads):
    from nnvis.protocol.recording import RecordingWriter

    path = tmp_path / "r.nnvisrec"
    with RecordingWriter(path) as rec:
        rec.write("run", {})
        rec.write("snapshot", payloads[0])
    assert path.read_bytes()[:12] == preamble(2)
    assert [k for k, _ in read_recording(path)] == ["run", "snapshot"]
