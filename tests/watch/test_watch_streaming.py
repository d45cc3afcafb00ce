"""A recording is streamed: its first snapshot is drawn while memory has grown by a small
part of the file's size (it used to be read whole, up to 2 GiB, before the first frame)."""
import time

from helpers import small_config
from recordings import RUN, watched_payload

from nnvis.core import Config, Trainer
from nnvis.protocol.wire import PREAMBLE, encode

TIMEOUT = 15_000
FILE_BYTES = 200 * 2**20


def rss_bytes() -> int:
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def test_a_large_recording_shows_its_first_snapshot_without_being_read_whole(
        make_window, qtbot, tmp_path):
    trainer = Trainer(Config.from_dict(small_config(model__hidden=[32] * 30)))
    trainer.step(1)
    big = encode("snapshot", watched_payload(trainer, -1))     # ~0.4 MB: 31 layers' arrays
    path = tmp_path / "long.nnvisrec"
    with open(path, "wb") as f:
        f.write(PREAMBLE + encode("run", RUN))
        for _ in range(FILE_BYTES // len(big)):
            f.write(big)
    size = path.stat().st_size
    w = make_window()
    before = rss_bytes()
    t0 = time.monotonic()
    w.watch_mode.open_recording(str(path))
    qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest, timeout=TIMEOUT)
    w.commands.toggle_play()                                   # pause: one snapshot is enough
    grown = rss_bytes() - before
    assert grown < size / 4, f"memory grew by {grown / 2**20:.0f} MiB for a " \
                             f"{size / 2**20:.0f} MiB recording"
    assert time.monotonic() - t0 < 5                  # no pass over the whole file first
    assert f"{size // len(big)} snapshots" in w.watch_mode.note_text()
