"""Adversarial recordings and wire messages, thousands of them (seeded: the same cases every
run). Each is either accepted and works — every snapshot delivered goes through the
panels' converter, and a sample of them is drawn by the real panels — or refused in one
line (a RecordingError naming the file, a WireError): never another exception, never a
hang (a reader must end on any input: every length is bounded).

Bytes are flipped, cut, spliced, duplicated, inserted and deleted in recordings of format
versions 2 (checksummed) and 1 (not: mutations reach the schema checks), in socket streams
fed to the listener's incremental reader in random pieces, and in handshakes; decoded
snapshots and "run" messages have their values replaced by hostile ones.
"""
import copy
import random
import signal
import socket
import time

import numpy as np
import pytest
from helpers import small_config
from recordings import RUN, write_numpy_recording

from nnvis.protocol import link
from nnvis.protocol.listener import Handshake
from nnvis.protocol.recording import RecordingError, RecordingReader, read_recording
from nnvis.protocol.watched import EDGE_MODES, WatchedRun, recorded_snapshots, with_edge_mode
from nnvis.protocol.wire import (PREAMBLE, Unframer, WireError, decode_body, encode, preamble)

SEED = 16
DRAWN = 40          # accepted, mutated snapshots drawn by the real panels


@pytest.fixture(autouse=True)
def no_hang():
    """A case that does not end fails the test (instead of hanging the suite)."""
    def hung(*_):
        raise TimeoutError("an adversarial case did not end within 60 s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def messages(tmp_path_factory):
    path = tmp_path_factory.mktemp("adv") / "base.nnvisrec"
    write_numpy_recording(path, small_config(model__hidden=[5, 4]), snapshots=3)
    return read_recording(path)


def _recording(messages, version: int) -> bytes:
    return preamble(version) + b"".join(encode(k, p, version) for k, p in messages)


# -- byte mutations ---------------------------------------------------------------------
def _flip(data: bytearray, rng):
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)


def _cut(data: bytearray, rng):
    del data[rng.randrange(len(data) + 1):]


def _splice(data: bytearray, rng):
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    at = rng.randrange(len(data) + 1)
    data[at:at + (b - a)] = data[a:b]


def _duplicate(data: bytearray, rng):
    a, b = sorted(rng.randrange(len(data) + 1) for _ in range(2))
    data[b:b] = data[a:b]


def _insert(data: bytearray, rng):
    at = rng.randrange(len(data) + 1)
    data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))


def _delete(data: bytearray, rng):
    a = rng.randrange(len(data) + 1)
    del data[a:a + rng.randint(1, 256)]


def _number(data: bytearray, rng):
    """A u32 somewhere (a length, a checksum, a version) set to an extreme."""
    at = rng.randrange(max(len(data) - 3, 1))
    data[at:at + 4] = rng.choice([0, 1, 3, 4, 2**31, 2**32 - 1, 64 * 2**20,
                                  rng.randrange(2**32)]).to_bytes(4, "big")


BYTE_MUTATIONS = [_flip, _cut, _splice, _duplicate, _insert, _delete, _number]


def mutated(data: bytes, rng) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if out:
            rng.choice(BYTE_MUTATIONS)(out, rng)
    return bytes(out)


def _one_line(exc: Exception) -> str:
    text = str(exc)
    assert text and "\n" not in text, repr(text)
    return text


def _usable(snap: dict):
    """What the window does with a snapshot before its panels draw it."""
    for mode in EDGE_MODES:
        shown = with_edge_mode(snap, mode)
        assert all(isinstance(lay["edges"], np.ndarray) for lay in shown["layers"])


def _replay(path, data: bytes) -> list:
    path.write_bytes(data)
    try:
        with RecordingReader(path) as reader:
            snaps = list(recorded_snapshots(reader, WatchedRun()))
            if reader.ending is not None:
                assert _one_line(reader.ending).startswith(f"{path.name}: the recording ends "
                                                           f"at message ")
    except RecordingError as exc:
        assert _one_line(exc).startswith(f"{path.name}: ")
        return []
    assert snaps        # a recording that replays holds a snapshot
    for snap in snaps:
        _usable(snap)
    return snaps


@pytest.mark.parametrize("version, cases", [(2, 1500), (1, 1500)])
def test_mutated_recordings_replay_what_is_whole_or_are_refused_in_one_line(
        tmp_path, messages, version, cases):
    rng = random.Random(SEED + version)
    base = _recording(messages, version)
    path = tmp_path / "mutant.nnvisrec"
    outcomes = {"refused": 0, "replayed": 0}
    for _ in range(cases):
        snaps = _replay(path, mutated(base, rng))
        outcomes["replayed" if snaps else "refused"] += 1
    assert min(outcomes.values()) > cases // 20, outcomes   # both kinds are exercised


def test_a_checksum_lets_no_flipped_bit_through(tmp_path, messages):
    """Version 2: a flipped bit anywhere after the preamble is never drawn as if fine."""
    rng = random.Random(SEED)
    base = _recording(messages, 2)
    path = tmp_path / "flipped.nnvisrec"
    whole = [copy.deepcopy(p) for k, p in messages if k == "snapshot"]
    for _ in range(300):
        data = bytearray(base)
        i = rng.randrange(len(PREAMBLE), len(data))
        data[i] ^= 1 << rng.randrange(8)
        for snap, original in zip(_replay(path, bytes(data)), whole):
            assert snap["step"] == original["step"]
            assert all(np.array_equal(a["edges"], b["edges"]) for a, b in
                       zip(snap["layers"], original["layers"]))


# -- value mutations --------------------------------------------------------------------
JUNK = [None, True, False, 0, -1, 1, 7, 32, 33, 2**31, 2**53, 2**70, -2**70, 0.5, -0.0, 1e308,
        float("nan"), float("inf"), -float("inf"), "", "x", "y" * 300, "two\nlines", "\ud800",
        [], [1, 2], [2.0, 1.0], [1.0, float("nan")], [0.0, 0.0], [5.0, 5.0], [-1e300, 1e300],
        [None, "a", {}], {}, {"name": 3}, {"name": "relu"}, np.zeros(0), np.zeros(40), np.zeros((32, 32)),
        np.zeros((33, 6), np.float32), np.full(6, np.nan), np.full(6, np.inf),
        np.arange(6, dtype=np.uint8), np.zeros(6, bool), np.zeros((2, 2, 2)),
        np.full(40, -1), np.full(40, 2**62, np.int64), np.float16([65504] * 6),
        np.zeros((5, 4), np.float16), np.zeros((0, 4)), np.ones((4, 0))]


def _nodes(tree):
    """Every (container, key) pair of a payload tree."""
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in list(items):
        yield tree, key
        if isinstance(value, (dict, list)):
            yield from _nodes(value)


def _mutate_values(payload, rng):
    payload = copy.deepcopy(payload)
    for _ in range(rng.randint(1, 3)):
        container, key = rng.choice(list(_nodes(payload)) or [(payload, None)])
        if key is None:
            break
        value = container[key]
        roll = rng.random()
        if roll < 0.5:
            container[key] = copy.deepcopy(rng.choice(JUNK))
        elif roll < 0.6 and isinstance(container, dict):
            del container[key]
        elif roll < 0.7 and isinstance(container, list):
            container.insert(rng.randrange(len(container) + 1), copy.deepcopy(value))
        elif isinstance(value, np.ndarray) and value.size:
            choice = rng.randrange(3)
            if choice == 0:
                dtype = rng.choice(["u1", "i2", "<f2", "f8", "?", "i8"])
                with np.errstate(invalid="ignore", over="ignore"):
                    container[key] = value.astype(dtype)
            elif choice == 1:
                container[key] = value.reshape(-1)[:rng.randrange(value.size)]
            else:
                out = value.astype(np.float64).copy()
                out.flat[rng.randrange(out.size)] = rng.choice([np.nan, np.inf, -1e300, 2**60])
                container[key] = out
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            container[key] = rng.choice([-value, value * 10 ** rng.randint(1, 30), value + 1,
                                         value - 1, float(value)])
        else:
            container[key] = copy.deepcopy(rng.choice(JUNK))
    return payload


def _through_the_wire(kind, payload):
    """The payload as it arrives: encoded, framed and decoded."""
    return decode_body(encode(kind, payload)[8:])[1]


@pytest.fixture
def watching(make_window, qtbot, tmp_path, messages):
    """A window in watching mode (a recording, paused on its first snapshot)."""
    path = tmp_path / "base.nnvisrec"
    path.write_bytes(_recording(messages, 2))
    w = make_window()
    w.watch_mode.open_recording(str(path))
    qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest, timeout=10_000)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: not w.latest["running"], timeout=10_000)
    return w


def _draw(w, snap: dict):
    """What the window does with a snapshot from its source, drawn at once."""
    for mode in EDGE_MODES:
        w.watch_mode.source.snapshot.emit(dict(with_edge_mode(snap, mode), running=False))
        for panel in w.panels:
            if panel is not w.data_view:       # hidden while watching
                panel.render(force=True)


def test_hostile_snapshot_values_are_refused_or_drawn(watching, messages):
    w = watching
    rng = random.Random(SEED)
    snapshot = next(p for k, p in messages if k == "snapshot")
    accepted, refused = [], 0
    for _ in range(3000):
        payload = _through_the_wire("snapshot", _mutate_values(snapshot, rng))
        run = WatchedRun()
        try:
            snap = run.feed("snapshot", payload)
        except WireError as exc:
            _one_line(exc)
            refused += 1
            continue
        _usable(snap)
        accepted.append(snap)
    assert refused > 1000 and len(accepted) > 100, (refused, len(accepted))
    for snap in rng.sample(accepted, DRAWN):
        _draw(w, snap)
    assert w.latest["step"] in {s["step"] for s in accepted}


def test_hostile_run_messages_are_refused_or_shown(watching):
    w = watching
    rng = random.Random(SEED)
    run_message = dict(RUN, torch="2.4.0", nnvis="0.9")
    shown = 0
    for _ in range(1000):
        run = WatchedRun()
        try:
            run.feed("run", _through_the_wire("run", _mutate_values(run_message, rng)))
        except WireError as exc:
            _one_line(exc)
            continue
        w.watch_mode.source.message.emit("connected", run.info)
        shown += 1
    assert shown > 100 and "Watching" in w.watch_mode.note_text()


@pytest.mark.parametrize("version", [2, 1])
def test_a_mutated_socket_stream_is_read_or_refused_in_any_pieces(messages, version):
    rng = random.Random(SEED + version)
    stream = b"".join(encode(k, p, version) for k, p in messages)
    for _ in range(1500):
        data = mutated(stream, rng)
        unframer, run = Unframer(version), WatchedRun()
        try:
            at = 0
            while at < len(data):
                step = rng.choice([1, 7, 100, 4096, len(data)])
                for kind, payload in unframer.feed(data[at:at + step]):
                    snap = run.feed(kind, payload)
                    if snap is not None:
                        _usable(snap)
                at += step
        except WireError as exc:
            _one_line(exc)


def test_mutated_handshakes_get_an_answer_and_a_verdict(monkeypatch):
    monkeypatch.setattr(link, "HANDSHAKE_SECONDS", 0.0)    # every one has expired at once
    rng = random.Random(SEED)
    hello = PREAMBLE + encode("hello", {"token": "tok"})
    welcomed = 0
    app_end, script_end = socket.socketpair()
    with app_end, script_end:
        script_end.setblocking(False)
        for _ in range(1500):
            handshake = Handshake(app_end, "tok")
            data = mutated(hello, rng) if rng.random() < 0.9 else hello
            verdict = None
            for i in range(0, len(data), 5):
                verdict = handshake.feed(data[i:i + 5])
                if verdict is not None:
                    break
            verdict = verdict or handshake.expired(time.monotonic())
            assert verdict is not None
            welcomed += verdict.welcome
            if not verdict.welcome:
                assert _one_line(verdict.why).startswith("refused a connection: ")
            try:
                while script_end.recv(65536):     # the answers: drained, never piled up
                    pass
            except BlockingIOError:
                pass
    assert 0 < welcomed < 1500
