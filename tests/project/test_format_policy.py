"""The format policy (docs/formats.md), held: an older nnvis refuses a newer experiment,
recording or watch stream with one line naming both versions; every version before the
current one has a fixture that loads (tests/test_format_fixtures.py loads them)."""
import json
import re
import socket
import zipfile
from pathlib import Path

import pytest

from nnvis.core.persistence import FORMAT_VERSION, ExperimentFileError, load_experiment
from nnvis.protocol import wire
from nnvis.protocol.listener import Handshake
from nnvis.protocol.recording import RecordingError, read_recording
from nnvis.protocol.wire import PREAMBLE, preamble, read_message

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NEWER = wire.VERSION + 1


def one_line_naming(text: str, *versions: int):
    assert "\n" not in text and "update nnvis" in text, text
    for v in versions:
        assert re.search(rf"\b{v}\b", text), (v, text)


def test_an_experiment_of_a_newer_format_is_refused_naming_both_versions(tmp_path):
    newer = tmp_path / "newer.nnvis"
    with zipfile.ZipFile(FIXTURES / "experiment-v1.nnvis") as old, \
            zipfile.ZipFile(newer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["format_version"] = FORMAT_VERSION + 1
                data = json.dumps(manifest)
            new.writestr(info.filename, data)
    with pytest.raises(ExperimentFileError) as info:
        load_experiment(newer)
    one_line_naming(str(info.value), FORMAT_VERSION, FORMAT_VERSION + 1)


def test_a_recording_of_a_newer_format_is_refused_naming_both_versions(tmp_path):
    path = tmp_path / "newer.nnvisrec"
    path.write_bytes(preamble(NEWER) + b"\0" * 40)
    with pytest.raises(RecordingError) as info:
        read_recording(path)
    one_line_naming(str(info.value), NEWER, wire.VERSION)


def test_a_script_of_a_newer_wire_format_hears_one_line_naming_both_versions():
    app, script = socket.socketpair()
    with app, script:
        verdict = Handshake(app, "token").feed(preamble(NEWER) + b"\0" * 40)
        assert not verdict.welcome
        read = lambda n: script.recv(n, socket.MSG_WAITALL)   # noqa: E731
        assert wire.check_preamble(read(len(PREAMBLE)), "answer") == wire.VERSION
        kind, payload = read_message(read)
    assert kind == "refused"
    one_line_naming(payload["reason"], NEWER, wire.VERSION)


@pytest.mark.parametrize("pattern, current", [
    ("experiment-v{}.nnvis", FORMAT_VERSION), ("recording-v{}.nnvisrec", wire.VERSION)])
def test_every_older_format_version_has_a_fixture(pattern, current):
    """A format change commits a file of the version before it (docs/formats.md)."""
    missing = [pattern.format(v) for v in range(1, current)
               if not (FIXTURES / pattern.format(v)).exists()]
    assert not missing, f"add these fixtures, written by the nnvis before the change: {missing}"


def test_this_nnvis_reads_every_older_recording_version():
    assert set(range(1, wire.VERSION + 1)) <= set(wire.READABLE_VERSIONS)
