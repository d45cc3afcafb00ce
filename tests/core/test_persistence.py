"""Saved experiments (.nnvis): exact continuation, atomic writes, and refusing bad files."""
import io
import json
import os
import struct
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from helpers import Recorder, small_config
from nnvis.core import ConfigError, Trainer, commands, layer_stats
from nnvis.core import persistence
from nnvis.core.persistence import (FORMAT_VERSION, ExperimentFileError, load_experiment,
                                    save_experiment)
from nnvis.core.session import Session

# Adam (per-parameter step counts) + dropout + batch norm + RReLU: every RNG stream and
# every kind of optimiser/buffer state is in play. 96 training samples / 16 = 6 steps/epoch.
RICH = small_config(model__activation="rrelu", model__dropout=0.2, model__batch_norm=True)


def losses(trainer):
    return trainer.loss_history.arrays()[1][:, 0]


def assert_same_state(a, b):
    assert a.step_count == b.step_count and a.epoch == b.epoch
    for (na, pa), (nb, pb) in zip(a.parameters().items(), b.parameters().items()):
        assert na == nb and pa.dtype == pb.dtype and np.array_equal(pa, pb), na
    for name, buf in a.buffers().items():
        assert np.array_equal(buf, b.buffers()[name]), name


def save_load(trainer, path):
    save_experiment(path, trainer)
    return load_experiment(path)


# --------------------------------------------------------------------------- continuation

@pytest.mark.parametrize("n", [0, 7, 12, 31])  # fresh, mid-epoch, epoch end, past checkpoint
def test_save_load_continues_bit_for_bit(tmp_path, n):
    whole = Trainer(RICH)
    whole.step(n + 20)
    first = Trainer(RICH)
    first.step(n)
    resumed = save_load(first, tmp_path / "run.nnvis")
    assert resumed is not first and resumed.step_count == n
    assert np.array_equal(losses(resumed), losses(first))  # history restored
    # What the app shows right after loading: update/weight ratios need the last updates.
    assert ([s["update_ratio"] for s in layer_stats(resumed)]
            == [s["update_ratio"] for s in layer_stats(first)])
    resumed.step(20)
    assert np.array_equal(losses(resumed), losses(whole))
    assert resumed.last_loss == whole.last_loss
    assert_same_state(resumed, whole)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop"])
def test_every_optimiser_continues_exactly(tmp_path, optimizer):
    cfg = small_config(optim__name=optimizer, optim__lr=0.05, model__dropout=0.1)
    whole, first = Trainer(cfg), Trainer(cfg)
    whole.step(17)
    first.step(9)
    resumed = save_load(first, tmp_path / "o.nnvis")
    resumed.step(8)
    assert np.array_equal(losses(resumed), losses(whole))
    assert_same_state(resumed, whole)


def test_live_changes_before_saving_continue_exactly(tmp_path):
    """Orphaned optimiser slots (prelu's alpha after a switch to tanh) and slots a maxout
    switch made stale must not break loading or continuation."""
    def script(t, stop):
        t.apply_changes({"model.activation": "prelu"})
        t.step(5)
        t.apply_changes({"model.activation": "tanh", "optim.lr": 0.03})
        t.step(5)
        t.apply_changes({"model.activation": "maxout"})
        if stop:
            return
        t.step(5)
        t.apply_changes({"model.activation": "prelu"})
        t.step(5)

    whole, first = Trainer(RICH), Trainer(RICH)
    script(whole, False)
    script(first, True)
    resumed = save_load(first, tmp_path / "live.nnvis")
    assert resumed.config == first.config
    resumed.step(5)
    resumed.apply_changes({"model.activation": "prelu"})
    resumed.step(5)
    assert np.array_equal(losses(resumed), losses(whole))
    assert_same_state(resumed, whole)


def test_recovery_from_a_later_divergence_matches_an_uninterrupted_run(tmp_path):
    """The last healthy-weights checkpoint is saved too: after loading, a divergence restores
    the same weights (step 20) as it would have without the save."""
    cfg = small_config(optim__name="sgd", optim__lr=0.05, model__activation="relu",
                       model__hidden=[16, 16])
    whole, first = Trainer(cfg), Trainer(cfg)
    whole.step(30)
    first.step(30)
    resumed = save_load(first, tmp_path / "d.nnvis")
    for t in (whole, resumed):
        t.apply_changes({"optim.lr": 1e4})
        t.step(200)
    assert whole.divergence is not None
    assert repr(resumed.divergence) == repr(whole.divergence)  # NaN-safe comparison
    assert whole.divergence["restored_step"] == 20
    assert_same_state(resumed, whole)


def test_a_diverged_run_stays_diverged_after_loading(tmp_path):
    cfg = small_config(optim__name="sgd", optim__lr=1e4, model__activation="relu",
                       model__hidden=[16, 16])
    t = Trainer(cfg)
    t.step(500)
    assert t.divergence is not None
    resumed = save_load(t, tmp_path / "div.nnvis")
    assert repr(resumed.divergence) == repr(t.divergence)
    steps = resumed.step_count
    resumed.step(5)
    assert resumed.step_count == steps  # still stopped until resumed, like the original
    for x in (t, resumed):
        x.apply_changes({"optim.lr": 0.01})
        x.resume()
        x.step(10)
    assert np.array_equal(losses(resumed), losses(t))


def test_long_histories_keep_their_running_average(tmp_path):
    """Histories are decimated (stride > 1): the half-filled running average is saved too,
    so the curve continues exactly as it would have."""
    a = Trainer(small_config())
    for i in range(1, 5004):
        a.loss_history.append(i, 1.0 / i)
    for i in range(1, 3004):
        a.eval_history.append(i, 1.0 / i, 2.0, 0.5, float(i % 3))
    assert a.loss_history.stride > 1 and a.loss_history.state_dict()["acc_n"] > 0
    b = save_load(a, tmp_path / "h.nnvis")
    for name in ("loss_history", "eval_history"):
        sa, sb = getattr(a, name), getattr(b, name)
        da, db = sa.state_dict(), sb.state_dict()
        assert (db["stride"], db["acc_n"], db["acc"]) == (da["stride"], da["acc_n"], da["acc"])
        for i in range(5004, 5020):
            sa.append(i, *([0.25] * sa.values.shape[1]))
            sb.append(i, *([0.25] * sb.values.shape[1]))
        for x, y in zip(sa.arrays(), sb.arrays()):
            assert np.array_equal(x, y)


# --------------------------------------------------------------------------- the format

def test_the_file_is_a_zip_of_a_json_manifest_and_plain_npy_arrays(tmp_path):
    t = Trainer(RICH)
    t.step(9)
    path = tmp_path / "f.nnvis"
    save_experiment(path, t)
    with zipfile.ZipFile(path) as zf:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())

        def no_nan(token):
            raise AssertionError(f"non-standard JSON token {token}")
        m = json.loads(zf.read("manifest.json"), parse_constant=no_nan)
        assert m["format_version"] == FORMAT_VERSION and m["nnvis_version"]
        assert m["config"] == t.config.to_dict()
        assert (m["state"]["step"], m["state"]["epoch"], m["state"]["cursor"]) == (9, 1, 48)
        assert m["rng"]["shuffle"] == json.loads(json.dumps(t.state_dict()["rng"]["shuffle"]))
        assert m["optimizer"] == {"name": "adam", "t": 9}
        names = set(m["arrays"])
        assert {f"params/{n}" for n in t.parameters()} <= names
        assert {f"buffers/{n}" for n in t.buffers()} <= names
        assert "optim/hidden1.W/m" in names and "optim/hidden1.W/t" in names
        assert "last_update/hidden1.W" in names
        assert "history/loss_history/values" in names
        for name, entry in m["arrays"].items():
            arr = np.load(io.BytesIO(zf.read(entry["file"])), allow_pickle=False)
            assert arr.dtype == np.dtype(entry["dtype"]) and list(arr.shape) == entry["shape"]
        assert np.array_equal(np.load(io.BytesIO(zf.read(m["arrays"]["params/output.W"]["file"]))),
                              t.parameters()["output.W"])


def test_nan_losses_are_stored_as_strict_json(tmp_path):
    t = Trainer(small_config())  # last_loss is NaN before the first step
    path = tmp_path / "nan.nnvis"
    save_experiment(path, t)
    with zipfile.ZipFile(path) as zf:
        m = json.loads(zf.read("manifest.json"), parse_constant=lambda c: 1 / 0)
    assert m["state"]["last_loss"] == "NaN"
    assert np.isnan(load_experiment(path).last_loss)


# --------------------------------------------------------------------------- atomic writes

def test_a_crash_mid_save_leaves_the_old_file_and_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "exp.nnvis"
    t = Trainer(small_config())
    t.step(5)
    save_experiment(path, t)
    before = path.read_bytes()
    t.step(5)
    real_save, calls = np.save, []

    def crashing_save(*args, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("power cut")
        return real_save(*args, **kwargs)

    monkeypatch.setattr(np, "save", crashing_save)
    with pytest.raises(RuntimeError, match="power cut"):
        save_experiment(path, t)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["exp.nnvis"]
    assert load_experiment(path).step_count == 5


def test_a_failed_rename_is_reported_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    path = tmp_path / "exp.nnvis"
    t = Trainer(small_config())
    save_experiment(path, t)
    before = path.read_bytes()
    t.step(3)

    def failing_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(ExperimentFileError, match="cannot save.*Permission denied"):
        save_experiment(path, t)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["exp.nnvis"]


def test_save_writes_a_temporary_file_fsyncs_then_replaces(tmp_path, monkeypatch):
    log = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (log.append(("fsync", fd)), real_fsync(fd)))
    monkeypatch.setattr(os, "replace",
                        lambda a, b: (log.append(("replace", str(a), str(b))), real_replace(a, b)))
    path = tmp_path / "x.nnvis"
    save_experiment(path, Trainer(small_config()))
    kinds = [e[0] for e in log]
    assert "fsync" in kinds and "replace" in kinds
    assert kinds.index("fsync") < kinds.index("replace")
    _, src, dst = log[kinds.index("replace")]
    assert dst == str(path) and os.path.dirname(src) == str(tmp_path) and src != dst
    assert load_experiment(path).step_count == 0


SAVE_FOREVER = """
import sys
from nnvis.core import Trainer
from nnvis.core.persistence import save_experiment
t = Trainer({"seed": 1, "model": {"hidden": [512, 512, 512]}})
t.step(1)
while True:
    save_experiment(sys.argv[1], t)
"""


def hidden_temporaries(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def size_of(path):
    try:
        return path.stat().st_size
    except FileNotFoundError:   # renamed over the target meanwhile
        return 0


def test_saves_killed_midway_leave_no_temporaries_once_the_next_save_is_done(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "big.nnvis"
    save_experiment(target, Trainer(small_config()))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
               OPENBLAS_NUM_THREADS="1")
    for _ in range(4):
        before = set(hidden_temporaries(tmp_path))
        writer = subprocess.Popen([sys.executable, "-c", SAVE_FOREVER, str(target)], env=env)
        try:
            deadline = time.monotonic() + 60
            # Killed once its temporary holds data: mid-save, the target not yet replaced.
            while not any(size_of(tmp_path / name) for name in
                          set(hidden_temporaries(tmp_path)) - before):
                assert writer.poll() is None and time.monotonic() < deadline
                time.sleep(0.005)
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
    # Each new writer's first save cleared what the kill before it left; the last kill's is here.
    assert len(hidden_temporaries(tmp_path)) == 1
    assert load_experiment(target).step_count == 0  # the target is intact

    t = Trainer(small_config())
    t.step(2)
    save_experiment(target, t)
    assert hidden_temporaries(tmp_path) == []
    assert load_experiment(target).step_count == 2


def test_only_temporaries_of_gone_writers_are_removed(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "exp.nnvis"
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        host = persistence.temporaries.host_name()
        live = tmp_path / f".exp.nnvis.{alive.pid}@{host}.abcd1234.tmp"
        old_unnamed = tmp_path / ".exp.nnvis.k2j4h5g6.tmp"   # an earlier nnvis's
        young_unnamed = tmp_path / ".exp.nnvis.z9y8x7w6.tmp"
        elsewhere = tmp_path / f".exp.nnvis.{alive.pid}@otherhost.abcd1234.tmp"
        others = [tmp_path / ".exp.nnvis.notes.tmp", tmp_path / "exp.nnvis.bak",
                  tmp_path / ".other.nnvis.k2j4h5g6.tmp"]
        for f in (live, old_unnamed, young_unnamed, elsewhere, *others):
            f.write_bytes(b"partial")
        hour_ago = time.time() - 3600
        os.utime(old_unnamed, (hour_ago, hour_ago))
        save_experiment(target, Trainer(small_config()))
        left = set(hidden_temporaries(tmp_path)) | {p.name for p in tmp_path.iterdir()}
        assert old_unnamed.name not in left
        assert {live.name, young_unnamed.name, elsewhere.name} <= left
        assert {f.name for f in others} <= left
    finally:
        alive.kill()
        alive.wait()


def test_an_experiment_too_large_to_load_is_not_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(persistence, "MAX_UNCOMPRESSED_BYTES", persistence.MAX_MANIFEST_BYTES + 64)
    with pytest.raises(ExperimentFileError, match="too large to save"):
        save_experiment(tmp_path / "big.nnvis", Trainer(small_config()))
    assert os.listdir(tmp_path) == []


def test_save_into_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(ExperimentFileError, match="cannot save") as info:
        save_experiment(tmp_path / "nope" / "x.nnvis", Trainer(small_config()))
    assert info.value.path == "file" and isinstance(info.value, ConfigError)


# --------------------------------------------------------------------------- refusing files

@pytest.fixture(scope="module")
def good(tmp_path_factory):
    t = Trainer(RICH)
    t.step(25)
    path = tmp_path_factory.mktemp("good") / "good.nnvis"
    save_experiment(path, t)
    return path


def members_of(path):
    with zipfile.ZipFile(path) as zf:
        items = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    return json.loads(items.pop("manifest.json")), items


def write_zip(path, manifest, items, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        zf.writestr("manifest.json", manifest if isinstance(manifest, bytes)
                    else json.dumps(manifest))
        for name, data in items.items():
            zf.writestr(name, data)
    return path


def npy(arr, **kw):
    buf = io.BytesIO()
    np.save(buf, arr, **kw)
    return buf.getvalue()


def variant(good, tmp_path, change):
    """A copy of the good file with change(manifest, items) applied."""
    m, items = members_of(good)
    change(m, items)
    return write_zip(tmp_path / "bad.nnvis", m, items)


def refuse(path, *fragments):
    with pytest.raises(ExperimentFileError) as info:
        load_experiment(path)
    err = info.value
    assert isinstance(err, ConfigError) and err.path == "file"
    text = str(err)
    for f in fragments:
        assert f in text, text
    return text


def member(m, name):
    return m["arrays"][name]["file"]


def test_refuses_a_missing_file_and_a_directory(tmp_path):
    refuse(tmp_path / "missing.nnvis", "no such file")
    refuse(tmp_path, "not a file")


@pytest.mark.parametrize("cut", [0, 100, 0.5, -1])
def test_refuses_a_truncated_file(good, tmp_path, cut):
    data = good.read_bytes()
    n = cut if isinstance(cut, int) and cut >= 0 else (len(data) - 1 if cut == -1
                                                       else int(len(data) * cut))
    bad = tmp_path / "cut.nnvis"
    bad.write_bytes(data[:n])
    refuse(bad, "truncated")


def test_refuses_something_that_is_not_a_zip(tmp_path):
    bad = tmp_path / "text.nnvis"
    bad.write_text("hello, I am a config file\n" * 50)
    refuse(bad, "not a saved nnvis experiment")


@pytest.mark.parametrize("target", ["manifest.json", "params/hidden1.W"])
def test_refuses_corrupted_bytes(good, tmp_path, target):
    m, _ = members_of(good)
    name = target if target == "manifest.json" else member(m, target)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo(name)
    fn_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + fn_len + extra_len
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x5A
    bad = tmp_path / "flipped.nnvis"
    bad.write_bytes(bytes(data))
    refuse(bad, "damaged")


def test_a_zip_bomb_member_is_refused_before_it_is_read(good, tmp_path, monkeypatch):
    m, items = members_of(good)
    items[member(m, "params/hidden1.W")] = bytes(40 * 2**20)  # 40 MB of zeros, ~40 kB packed
    bad = write_zip(tmp_path / "bomb.nnvis", m, items)
    opened = []
    real_open = zipfile.ZipFile.open

    def spy_open(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy_open)
    refuse(bad, "params/hidden1.W", "unpacks to 41943040 bytes")
    assert member(m, "params/hidden1.W") not in opened


def test_the_total_unpacked_size_is_capped(good, monkeypatch):
    monkeypatch.setattr(persistence, "MAX_UNCOMPRESSED_BYTES", 4096)
    refuse(good, "would unpack to", "limit")


def test_a_member_claiming_an_impossible_compression_ratio_is_refused(good, tmp_path):
    """Patch the central directory so one member claims to unpack to ~4 GB."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("manifest.json")
    sig = struct.pack("<I", 0x02014B50)
    pos = data.index(sig)
    while struct.unpack("<I", data[pos + 42:pos + 46])[0] != info.header_offset:
        pos = data.index(sig, pos + 4)
    data[pos + 24:pos + 28] = struct.pack("<I", 0xFFFF0000)
    bad = tmp_path / "claims.nnvis"
    bad.write_bytes(bytes(data))
    refuse(bad, "zip bomb")


def test_refuses_unsupported_compression(good, tmp_path):
    m, items = members_of(good)
    bad = write_zip(tmp_path / "bz.nnvis", m, items, compression=zipfile.ZIP_BZIP2)
    refuse(bad, "unsupported compression")


@pytest.mark.parametrize("version, fragment", [
    (FORMAT_VERSION + 1, "newer nnvis"), (0, "unknown format version"),
    ("1", "unknown format version"), (None, "unknown format version")])
def test_refuses_wrong_format_versions(good, tmp_path, version, fragment):
    refuse(variant(good, tmp_path, lambda m, _: m.update(format_version=version)), fragment)


def test_refuses_a_manifest_without_a_format_version(good, tmp_path):
    refuse(variant(good, tmp_path, lambda m, _: m.pop("format_version")), "format_version")


@pytest.mark.parametrize("key", ["config", "state", "state.cursor", "state.step", "rng",
                                 "rng.noise", "optimizer.t", "histories.loss_history",
                                 "arrays", "data.fingerprint"])
def test_refuses_a_manifest_missing_a_key(good, tmp_path, key):
    def drop(m, _):
        node = m
        *parents, last = key.split(".")
        for p in parents:
            node = node[p]
        del node[last]
    refuse(variant(good, tmp_path, drop), key.split(".")[-1])


@pytest.mark.parametrize("manifest, fragment", [
    (b"{not json", "not valid JSON"), (b"\xff\xfe\x00junk", "not UTF-8"),
    (b"[1, 2, 3]", "JSON object")])
def test_refuses_a_manifest_that_is_not_a_json_object(good, tmp_path, manifest, fragment):
    _, items = members_of(good)
    refuse(write_zip(tmp_path / "m.nnvis", manifest, items), "manifest.json", fragment)


def test_refuses_an_archive_without_a_manifest(good, tmp_path):
    _, items = members_of(good)
    bad = tmp_path / "nomanifest.nnvis"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in items.items():
            zf.writestr(name, data)
    refuse(bad, "manifest.json")


def test_refuses_a_config_that_fails_validation(good, tmp_path):
    bad = variant(good, tmp_path, lambda m, _: m["config"]["optim"].update(lr=-1))
    refuse(bad, "saved config is invalid", "optim.lr")


def test_refuses_a_config_too_big_for_any_file_before_building_it(good, tmp_path):
    huge = variant(good, tmp_path, lambda m, _: m["config"].update(
        dtype="float64", model={**m["config"]["model"], "hidden": [4096] * 32}))
    refuse(huge, "MB of weights")  # 4 GB: refused at once, nothing allocated


def test_refuses_an_array_member_missing_from_the_archive(good, tmp_path):
    bad = variant(good, tmp_path, lambda m, items: items.pop(member(m, "params/hidden2.b")))
    refuse(bad, "params/hidden2.b", "missing from the archive")


def test_refuses_an_array_missing_from_the_index(good, tmp_path):
    bad = variant(good, tmp_path, lambda m, _: m["arrays"].pop("buffers/hidden1.running_var"))
    refuse(bad, "buffers/hidden1.running_var", "missing")


def test_refuses_arrays_that_do_not_fit_the_model_in_the_config(good, tmp_path):
    bad = variant(good, tmp_path, lambda m, _: m["config"]["model"].update(hidden=[7, 6]))
    refuse(bad, "params/hidden1.W", "shape")


def test_refuses_an_array_of_the_wrong_shape(good, tmp_path):
    def change(m, items):
        items[member(m, "params/hidden1.W")] = npy(np.zeros((3, 6), np.float32))
        m["arrays"]["params/hidden1.W"]["shape"] = [3, 6]
    refuse(variant(good, tmp_path, change), "params/hidden1.W", "shape (3, 6)")


def test_refuses_an_array_whose_contents_contradict_the_index(good, tmp_path):
    def change(m, items):
        items[member(m, "params/output.b")] = npy(np.zeros(1, np.float32))
    refuse(variant(good, tmp_path, change), "params/output.b", "shape")


def test_refuses_an_optimiser_slot_of_the_wrong_shape(good, tmp_path):
    def change(m, items):
        items[member(m, "optim/hidden1.W/m")] = npy(np.zeros((6, 2), np.float32))
        m["arrays"]["optim/hidden1.W/m"]["shape"] = [6, 2]
    refuse(variant(good, tmp_path, change), "optim/hidden1.W/m", "shape")


@pytest.mark.parametrize("lie", [False, True])
def test_refuses_the_wrong_dtype(good, tmp_path, lie):
    def change(m, items):
        items[member(m, "params/hidden1.b")] = npy(np.zeros(6, np.float64))
        if not lie:
            m["arrays"]["params/hidden1.b"]["dtype"] = "<f8"
    refuse(variant(good, tmp_path, change), "params/hidden1.b", "dtype float64")


PICKLE_RAN = []


def _side_effect(x):
    PICKLE_RAN.append(x)
    return x


class Payload:
    def __reduce__(self):
        return _side_effect, ("unpickled!",)


@pytest.mark.parametrize("declare_object", [False, True])
def test_refuses_object_arrays_without_unpickling_them(good, tmp_path, declare_object):
    def change(m, items):
        items[member(m, "params/hidden1.b")] = npy(np.array([Payload()] * 6, dtype=object),
                                                   allow_pickle=True)
        if declare_object:
            m["arrays"]["params/hidden1.b"]["dtype"] = "|O"
    text = refuse(variant(good, tmp_path, change), "params/hidden1.b")
    assert ("Python objects" in text) if not declare_object else ("dtype object" in text)
    assert PICKLE_RAN == []


def test_an_npy_header_claiming_a_huge_shape_is_refused_before_allocating(good, tmp_path):
    def change(m, items):
        buf = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            buf, {"descr": "<f4", "fortran_order": False, "shape": (2**20, 2**20)})
        items[member(m, "params/hidden1.b")] = buf.getvalue() + bytes(24)  # 4 TB claimed
    refuse(variant(good, tmp_path, change), "params/hidden1.b", "(1048576, 1048576)")


def test_refuses_a_member_that_is_not_npy_data(good, tmp_path):
    import pickle

    def change(m, items):
        items[member(m, "params/hidden1.b")] = pickle.dumps(Payload())
    refuse(variant(good, tmp_path, change), "params/hidden1.b", "not a valid .npy")
    assert PICKLE_RAN == []


def alias(new, existing):
    """Index an extra array ``new`` that reuses the member of ``existing``."""
    return lambda m, _: m["arrays"].__setitem__(new, m["arrays"][existing])


@pytest.mark.parametrize("change, fragment", [
    (lambda m, _: m["rng"]["shuffle"].update(bit_generator="MT19937"), "random-generator"),
    (lambda m, _: m["rng"].update(shuffle="seed"), "random-generator"),
    (lambda m, _: m["state"].update(cursor=10**6), "out of range"),
    (lambda m, _: m["state"].update(step=-3), "out of range"),
    (lambda m, _: m["state"].update(step=2.5), "state.step must be an integer"),
    (lambda m, _: m["optimizer"].update(name="sgd"), "optimiser"),
    (alias("params/hidden9.W", "params/hidden1.W"), "does not belong"),
    (alias("optim/hidden1.W/cache", "optim/hidden1.W/m"), "not state of the adam optimiser"),
    (lambda m, _: m["histories"]["loss_history"].update(n=10**6), "do not fit"),
    (alias("last_update/hidden7.b", "params/hidden1.b"), "does not belong"),
])
def test_refuses_inconsistent_state(good, tmp_path, change, fragment):
    refuse(variant(good, tmp_path, change), fragment)


def with_number(good, tmp_path, key, digits):
    """The good file with manifest field state.<key> replaced by a ``digits``-digit integer
    (written as text: Python will not even print one of 5,000 digits)."""
    m, items = members_of(good)
    m["state"][key] = "BIG"
    text = json.dumps(m).replace('"BIG"', "9" * digits).encode()
    return write_zip(tmp_path / "big.nnvis", text, items)


@pytest.mark.parametrize("key, digits", [("step", 401), ("last_loss", 401), ("cursor", 30),
                                         ("step", 5000)])
def test_a_manifest_number_with_hundreds_of_digits_is_refused_in_one_line(good, tmp_path, key,
                                                                          digits):
    text = refuse(with_number(good, tmp_path, key, digits))
    assert "\n" not in text and len(text) < 300, text
    if digits > 4300:  # past what Python converts: the file is named, as the app shows it
        assert "big.nnvis" in text and "too many digits" in text
    else:
        assert f"state.{key}" in text


@pytest.mark.parametrize("array, value, fragment", [
    ("params/hidden1.W", np.nan, "NaN or infinite"),
    ("params/output.b", np.inf, "NaN or infinite"),
    ("buffers/hidden1.running_mean", np.nan, "NaN or infinite"),
    ("buffers/hidden1.running_var", -1.0, "negative"),
    ("optim/hidden1.W/m", np.nan, "NaN or infinite"),
    ("optim/hidden1.W/v", -1.0, "negative"),
    ("checkpoint/params/hidden2.W", np.nan, "NaN or infinite"),
    ("checkpoint/optim/output.W/v", np.inf, "NaN or infinite"),
])
def test_weights_and_state_that_are_not_finite_are_refused_naming_the_array(
        good, tmp_path, array, value, fragment):
    def change(m, items):
        entry = m["arrays"][array]
        arr = np.zeros(entry["shape"], np.dtype(entry["dtype"]))
        arr.flat[-1] = value
        items[entry["file"]] = npy(arr)
    text = refuse(variant(good, tmp_path, change), repr(array), fragment)
    assert len(text.splitlines()) == 1


SECRET_FILES = {
    "passwd": ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/nologin\n", "y"),
    "header_known": ("user,password\nalice,hunter2\n" + "bob,swordfish\n" * 9, "user"),
    "duplicate": ("token,token,y\n" + "1,2,3\n" * 9, "y"),
    "one_class": ("apikey,y\n" + "1,sk-live-123456\n" * 9, "y"),
    "not_finite": ("k,y\n" + "1,nan\n" * 9, "y"),
    "binary": (bytes(range(256)) * 8, "y"),
}


@pytest.mark.parametrize("kind", sorted(SECRET_FILES))
def test_a_crafted_data_path_names_the_file_but_never_shows_its_content(good, tmp_path, kind):
    content, label = SECRET_FILES[kind]
    secret = tmp_path / "secret"
    if isinstance(content, bytes):
        secret.write_bytes(content)
        words = []
    else:
        secret.write_text(content)
        words = {w for w in content.replace(",", "\n").replace(":", "\n").split()
                 if len(w) >= 4 and w != label}
    crafted = variant(good, tmp_path, lambda m, _: m["config"]["data"].update(
        path=str(secret), label_column=label))
    text = refuse(crafted, str(secret), "cannot be loaded")
    leaked = [w for w in words if w in text.replace(str(secret), "")]
    assert not leaked, text


def test_the_etc_passwd_of_this_machine_is_not_echoed(good, tmp_path):
    passwd = "/etc/passwd"
    if not os.path.isfile(passwd):
        pytest.skip("no /etc/passwd here")
    crafted = variant(good, tmp_path, lambda m, _: m["config"]["data"].update(
        path=passwd, label_column="label"))
    text = refuse(crafted, passwd)
    first_line = open(passwd, encoding="utf-8", errors="replace").readline().strip()
    assert first_line and first_line not in text and first_line.split(":")[0] + ":" not in text


def write_csv(path, rows=40, shift=0.0, columns=("x1", "x2")):
    rng = np.random.default_rng(0)
    lines = [",".join([*columns, "label"])]
    for i in range(rows):
        v = rng.normal(size=len(columns)) + shift
        label = "yes" if (v[0] * v[1] if len(v) > 1 else v[0]) > 0 else "no"
        lines.append(",".join(f"{x:.4f}" for x in v) + f",{label}")
    path.write_text("\n".join(lines) + "\n")


def test_a_csv_experiment_needs_its_unchanged_data_file(tmp_path):
    csv = tmp_path / "points.csv"
    write_csv(csv)
    cfg = small_config(data__path=str(csv), data__label_column="label", optim__batch_size=8)
    t = Trainer(cfg)
    t.step(6)
    path = tmp_path / "csv.nnvis"
    save_experiment(path, t)
    assert_same_state(load_experiment(path), t)  # the file is there: fine

    write_csv(csv, shift=0.3)  # edited: same shape, other numbers
    refuse(path, str(csv), "has changed")
    csv.unlink()
    refuse(path, str(csv), "no such file", "put the CSV file back")


@pytest.mark.parametrize("columns, fragments", [
    (("x1", "x2", "x3"), ["now has 3 feature columns (x1, x2, x3)", "takes 2 inputs (x1, x2)",
                          "column 'x3' is new"]),
    (("x1",), ["now has 1 feature column (x1)", "column 'x2' is missing"]),
    (("a", "x2"), None),  # same count, other numbers: just "has changed"
])
def test_a_csv_with_other_feature_columns_is_refused_naming_them(tmp_path, columns, fragments):
    csv = tmp_path / "points.csv"
    write_csv(csv)
    t = Trainer(small_config(data__path=str(csv), data__label_column="label",
                             optim__batch_size=8))
    t.step(3)
    path = tmp_path / "csv.nnvis"
    save_experiment(path, t)
    write_csv(csv, shift=0.3, columns=columns)
    text = refuse(path, str(csv), "has changed", "put the original file back", *(fragments or []))
    if fragments is None:
        assert "feature column" not in text


# --------------------------------------------------------------------------- the session



def test_a_bad_file_is_reported_and_leaves_the_session_untouched(tmp_path):
    rec = Recorder()
    s = Session(rec, small_config())
    s.handle(commands.Step(5))
    path = str(tmp_path / "s.nnvis")
    s.handle(commands.Save(path))
    assert ("saved", path) in rec.messages
    trainer = s.trainer
    weights = {k: v.copy() for k, v in trainer.parameters().items()}

    truncated = tmp_path / "truncated.nnvis"
    truncated.write_bytes(open(path, "rb").read()[:300])
    not_json = write_zip(tmp_path / "notjson.nnvis", b"{", members_of(path)[1])
    for bad in (truncated, not_json, tmp_path / "missing.nnvis"):
        rec.messages.clear()
        s.handle(commands.Load(str(bad)))
        kinds = [k for k, _ in rec.messages]
        assert kinds == ["error"], rec.messages
        msg = rec.messages[0][1]
        assert isinstance(msg, str) and msg.startswith("file: ") and "Traceback" not in msg
        assert s.trainer is trainer and trainer.step_count == 5
        assert all(np.array_equal(v, weights[k]) for k, v in trainer.parameters().items())

    rec.messages.clear()
    s.handle(commands.Load(path))
    assert ("loaded", path) in rec.messages
    assert s.trainer is not trainer and s.trainer.step_count == 5


def test_every_manifest_field_is_in_the_table_and_a_saved_file_meets_it(tmp_path):
    from nnvis.core.manifest import MANIFEST_FIELDS, field
    t = Trainer(small_config())
    t.step(3)
    path = tmp_path / "t.nnvis"
    save_experiment(path, t)
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert all(f.doc.strip() for f in MANIFEST_FIELDS)
    for f in MANIFEST_FIELDS:
        if "*" not in f.path and not f.path.startswith("checkpoint."):
            field(manifest, f.path)   # raises if the saver and the table disagree
    assert field(manifest, "state.step") == 3
