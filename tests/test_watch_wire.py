"""The watched-run format: safe to read from strangers, versioned, and torch-free."""
import io
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

from nnvis.core.recording import RecordingError, RecordingWriter, read_recording
from nnvis.core.watched import WatchedRun
from nnvis.core.wire import (MAX_MESSAGE_BYTES, PREAMBLE, WireError, decode_body, encode,
                             read_message)


def _body(msg: bytes) -> bytes:
    return msg[4:]


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
    data = struct.pack(">I", MAX_MESSAGE_BYTES + 1)
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
    with pytest.raises(RecordingError, match="r.nnvisrec: truncated"):
        read_recording(path)


def test_unknown_message_kinds_are_refused():
    with pytest.raises(WireError, match="unknown message kind"):
        WatchedRun().feed("format_c_drive", {})


def test_watch_format_and_app_source_do_not_need_torch_and_nnvis_watch_says_how_to_get_it():
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import nnvis.core.wire, nnvis.core.recording, nnvis.core.watched, nnvis.core.link\n"
        "import nnvis.app.watch_source, nnvis.app.watching\n"
        "try:\n"
        "    import nnvis.watch\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert "nnvis.watch needs PyTorch" in out.stdout and "pip install 'nnvis[torch]'" in out.stdout
