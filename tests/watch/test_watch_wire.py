"""The watched-run format: safe to read from strangers, versioned, and torch-free."""
import copy
import io
import itertools
import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import small_config
from recordings import RUN, write_numpy_recording

from nnvis.protocol.link import is_loopback, not_loopback
from nnvis.protocol.recording import (RecordingError, RecordingReader, RecordingWriter,
                                  read_recording)
from nnvis.protocol.watched import WatchedRun, finite_or_nan
from nnvis.protocol.wire import (MAX_MESSAGE_BYTES, PREAMBLE, WireError, decode_body, encode,
                             preamble, read_message)


def _body(msg: bytes) -> bytes:
    return msg[8:]        # after its length and checksum


def test_messages_round_trip_arrays_scalars_and_non_finite_numbers():
    payload = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": [np.int64(3), 2.5,
               float("nan"), None, True, "x"], "c": (1, 2), "m": np.array([True, False])}
    kind, out = decode_body(_body(encode("snapshot", payload)))
    assert kind == "snapshot"
    assert out["a"].dtype == np.float32 and out["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert out["b"][0] == 3 and out["b"][1] == 2.5 and np.isnan(out["b"][2])
    assert out["b"][3:] == [None, True, "x"] and out["c"] == [1, 2]
    assert out["m"].dtype == bool and not out["a"].flags.writeable   # views of the message


def _raw(header: dict, data: bytes = b"") -> bytes:
    h = json.dumps(header).encode()
    return struct.pack(">I", len(h)) + h + data


@pytest.mark.parametrize("body, says", [
    (_raw({"kind": "x", "payload": {"__nd__": 0}, "arrays": [["|O", [1]]]}, b"\0" * 8),
     "bad array entry"),                                    # objects would mean pickle
    (_raw({"kind": "x", "payload": {"__nd__": 0}, "arrays": [["<f4", [4]]]}, b"\0" * 8),
     "shorter"),
    (_raw({"kind": "x", "payload": {"__nd__": 3}, "arrays": []}), "bad array reference"),
    (_raw({"payload": 1}), "no kind"),
    (b"\0\0\0\x05{{{{{", "not JSON"),
    (_raw({"kind": "x", "payload": json.loads("[" * 50 + "]" * 50)}), ""),   # fine
])
def test_malformed_messages_are_refused_with_a_reason(body, says):
    if not says:
        decode_body(body)
        return
    with pytest.raises(WireError, match=says):
        decode_body(body)


def test_pickled_or_object_arrays_cannot_be_sent():
    with pytest.raises(WireError, match="dtype object"):
        encode("x", {"a": np.array([object()])})
    with pytest.raises(WireError, match="cannot send a"):
        encode("x", {"a": {1, 2}})


def test_a_huge_length_is_refused_before_reading():
    data = struct.pack(">II", MAX_MESSAGE_BYTES + 1, 0)
    with pytest.raises(WireError, match="exceeds the limit"):
        read_message(io.BytesIO(data).read)


def test_recordings_must_start_with_a_run_and_hold_a_snapshot(tmp_path):
    path = tmp_path / "r.nnvisrec"
    with RecordingWriter(path) as rec:
        rec.write("snapshot", {"step": 1})
    with pytest.raises(RecordingError, match="no \"run\" message first"):
        read_recording(path)
    with RecordingWriter(path) as rec:
        rec.write("run", {})
    with pytest.raises(RecordingError, match="no snapshot"):
        read_recording(path)
    path.write_bytes(PREAMBLE + encode("run", {})[:-1])
    with pytest.raises(RecordingError, match=r"r.nnvisrec: the recording holds no snapshot "
                                             r"\(it ends at message 1, byte 12: cut short"):
        read_recording(path)


def test_unknown_message_kinds_are_refused():
    with pytest.raises(WireError, match="unknown message kind"):
        WatchedRun().feed("format_c_drive", {})


def test_watch_format_and_app_source_do_not_need_torch_and_nnvis_watch_says_how_to_get_it():
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import nnvis.protocol.wire, nnvis.protocol.recording, nnvis.protocol.watched, nnvis.protocol.link\n"
        "import nnvis.app.watch_source, nnvis.app.watching\n"
        "try:\n"
        "    import nnvis.watch\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "nnvis.watch needs PyTorch" in out.stdout and "pip install 'nnvis[torch]'" in out.stdout


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A recording of 4 snapshots and the byte offset where each of its 6 messages starts."""
    path = tmp_path_factory.mktemp("rec") / "run.nnvisrec"
    write_numpy_recording(path, small_config(), snapshots=4)
    sizes = [len(encode(kind, payload)) for kind, payload in read_recording(path)]
    return path, list(itertools.accumulate(sizes, initial=len(PREAMBLE)))


def _replayed(path) -> tuple[list, str | None]:
    with RecordingReader(path) as reader:
        return [k for k, _ in reader], reader.ending


def test_a_recording_cut_short_replays_every_whole_message_and_says_where_it_ends(
        tmp_path, recorded):
    path, starts = recorded
    data = path.read_bytes()
    cut = tmp_path / "cut.nnvisrec"
    # The last snapshot (message 5) cut anywhere inside it: killed while writing it.
    for end in (starts[4] + 3, starts[4] + 40, starts[5] - 1):
        cut.write_bytes(data[:end])
        kinds, ending = _replayed(cut)
        assert kinds == ["run", "snapshot", "snapshot", "snapshot"]
        assert ending == (f"cut.nnvisrec: the recording ends at message 5, byte {starts[4]}: "
                          f"cut short (the script was probably killed)")
    cut.write_bytes(data[:starts[5]])          # cut between messages: no "end", all intact
    assert _replayed(cut) == (["run"] + ["snapshot"] * 4, None)
    assert _replayed(path) == (["run"] + ["snapshot"] * 4 + ["end"], None)


def test_a_flipped_bit_ends_the_replay_at_that_message(tmp_path, recorded):
    path, starts = recorded
    data = bytearray(path.read_bytes())
    data[starts[3] + 200] ^= 0x10                 # inside message 4's arrays
    bad = tmp_path / "bad.nnvisrec"
    bad.write_bytes(bytes(data))
    kinds, ending = _replayed(bad)
    assert kinds == ["run", "snapshot", "snapshot"]
    assert ending.startswith(f"bad.nnvisrec: the recording ends at message 4, byte "
                             f"{starts[3]}: damaged: the checksum")
    data[starts[1] + 2] ^= 0x01                   # message 2's length: nothing but the run
    bad.write_bytes(bytes(data))
    with pytest.raises(RecordingError, match="holds no snapshot \\(it ends at message 2"):
        read_recording(bad)


def test_version_1_recordings_still_read_and_a_newer_one_names_both_versions(tmp_path):
    v1 = tmp_path / "v1.nnvisrec"
    snap = read_recording(Path(__file__).resolve().parents[1] / "fixtures" / "recording-v1.nnvisrec")[1][1]
    v1.write_bytes(preamble(1) + encode("run", RUN, 1) + encode("snapshot", snap, 1) +
                   encode("snapshot", snap, 1)[:-5])
    kinds, ending = _replayed(v1)
    assert kinds == ["run", "snapshot"] and "message 3" in ending and "cut short" in ending
    v3 = tmp_path / "v3.nnvisrec"
    v3.write_bytes(preamble(3) + encode("run", RUN))
    with pytest.raises(RecordingError, match="version 3 is not supported \\(this nnvis reads "
                                             "versions 1 to 2: update nnvis\\)"):
        RecordingReader(v3)


def _snapshot(recorded):
    return read_recording(recorded[0])[1][1]


@pytest.mark.parametrize("where, value, says", [
    ("step", 2**70, "snapshot.step: expected a whole number from 0 to 9007199254740991"),
    ("step", -1, "snapshot.step"),
    ("dataset", np.zeros(3), "snapshot.dataset: expected a printable text"),
    ("dataset", "x\n" * 3, "snapshot.dataset"),
    ("train_loss", float("inf"), "snapshot.train_loss: expected NaN or a finite number"),
    ("running", 1, "snapshot.running: expected true or false"),
    ("layers.0.edges", np.zeros((2, 7), np.float32), "snapshot.layers[0].edges: expected an "
                                                     "array of shape (<=2, 6)"),
    ("layers.0.weight_hist", np.ones(39), "layers[0].weight_hist: expected an array of shape "
                                          "(40,)"),
    ("layers.0.weight_hist", -np.ones(40), "entries from 0"),
    ("layers.0.bias", np.ones(6, np.float32) * np.inf, "layers[0].bias: expected no infinite"),
    ("layers.0.shown_out", 33, "snapshot.layers[0].shown_out: expected a whole number from 1 "
                               "to 6"),
    ("layers.0.dead_fraction", 1.5, "from 0 to 1"),
    ("layers.0.act_range", [2.0, 1.0], "act_range: expected a range"),
    ("layers.1.kind", "output", "the last layer, and only it, must be the output"),
    ("layers.1.name", "hidden1", "two layers have the same name"),
    ("losses.loss", np.zeros(2), "snapshot.losses.loss: expected an array of shape"),
    ("losses.step", np.zeros(10**6 + 1, np.int64), "snapshot.losses.step: expected an array of "
                                                   "shape (<=1000000,)"),
    ("layers", [], "snapshot.layers: expected a list of 1 to 4096 items"),
])
def test_every_value_of_a_snapshot_is_checked_by_type_shape_and_range(recorded, where, value,
                                                                      says):
    snap = copy.deepcopy(_snapshot(recorded))
    *path, last = where.split(".")
    node = snap
    for part in path:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    with pytest.raises(WireError) as refused:
        WatchedRun().feed("snapshot", snap)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_a_snapshot_keeps_only_what_its_table_checked(recorded):
    snap = copy.deepcopy(_snapshot(recorded))
    snap["layers"][0]["secret"] = np.zeros(10**6)
    snap["activation"] = {"name": "relu", "formula": "<script>", "max_slope": "huge"}
    out = WatchedRun().feed("snapshot", snap)
    assert "secret" not in out["layers"][0]
    assert out["activation"]["formula"] == "ReLU(z) = max(0, z)"   # the app's own words
    snap["activation"] = {"name": "an activation from the future"}
    assert WatchedRun().feed("snapshot", snap)["activation"] is None


@pytest.mark.parametrize("payload, says", [
    ({"model": np.zeros(2)}, "run.model"), ({"param_count": "many"}, "run.param_count"),
    ({"every": 0}, "run.every"), ([1, 2], "run: expected a mapping"),
])
def test_the_run_message_is_checked_too(payload, says):
    with pytest.raises(WireError, match=re.escape(says)):
        WatchedRun().feed("run", payload)
    run = WatchedRun()
    run.feed("run", {"model": "Net"})
    assert run.info["model"] == "Net" and run.info["device"] == "?"


def test_a_diverging_script_sends_nan_where_it_had_infinities(recorded):
    snap = copy.deepcopy(_snapshot(recorded))
    snap["train_loss"] = float("inf")
    snap["layers"][0]["edges"] = snap["layers"][0]["edges"] * np.float32(np.inf)
    snap["layers"][0]["act_range"] = [-np.inf, 1.0]
    out = WatchedRun().feed("snapshot", finite_or_nan(snap))
    assert np.isnan(out["train_loss"]) and out["layers"][0]["act_range"] is None
    assert not np.isinf(out["layers"][0]["edges"]).any()


def test_only_a_loopback_address_is_listened_on_without_asking():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("::") and not is_loopback("8.8.8.8")
    assert not_loopback("127.0.0.1:5000") is None
    assert "0.0.0.0 is not a loopback address" in not_loopback("0.0.0.0:5000")
