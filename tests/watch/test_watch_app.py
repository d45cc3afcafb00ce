"""The app watching a PyTorch run, without PyTorch: recordings written with the real writer
from NumPy-engine snapshots, and a thread that speaks the socket protocol like a script."""
import socket
import threading

import numpy as np
import pytest

from helpers import small_config
from recordings import RUN, write_numpy_recording
from watch_clients import script, trained_payloads

from nnvis.protocol import link
from nnvis.protocol.recording import read_recording
from nnvis.protocol.wire import PREAMBLE, encode

TIMEOUT = 10_000


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "run.nnvisrec"
    write_numpy_recording(path, small_config(model__hidden=[8, 8, 8]), snapshots=6)
    return path


def test_a_recording_fills_the_panels_and_greys_out_the_controls(make_window, qtbot, recording):
    w = make_window()
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest
                    and w.latest["step"] == 60, timeout=TIMEOUT)
    assert w.watch_mode.active and not w.controls.isEnabled() and not w.lessons.isEnabled()
    assert not w.toolbar.reset_action.isEnabled() and w.toolbar.play_action.isEnabled()
    assert "Watching a PyTorch run" in w.watch_mode.note_text()
    note = w.watch_mode.note_text()
    assert "run.nnvisrec" in note and "6 snapshots" in note and "2 → 8 → 8 → 8 → 2" in note
    assert not w.docks["data"].isVisible()           # no input plane in a PyTorch run
    # paused at the last snapshot
    qtbot.waitUntil(lambda: not w.engine_controller.running, timeout=TIMEOUT)
    for p in w.panels:
        p.render(force=True)
    # Loss curve: every logged step, the evaluation points at each snapshot.
    assert len(w.loss_panel.smooth_curve.getData()[0]) > 10
    assert len(w.loss_panel.eval_train_curve.getData()[0]) >= 2
    # Histograms over time are non-empty; the topology shows the 3 hidden layers + output.
    hist = w.histograms.histories["hidden1"]
    assert hist.n >= 2 and np.asarray(w.latest["layers"][0]["weight_hist"]).sum() > 0
    assert [c.kind for c in w.topology.columns] == ["input", "hidden", "hidden", "hidden",
                                                     "output"]
    assert w.gradient_flow.history.names == ["hidden1", "hidden2", "hidden3", "output"]
    # The backprop graph of the network needs nnvis's own trainer: it says so, not waits.
    w.dock_layout.show_view("backprop:network")
    assert "watched PyTorch run" in w.backprop.rule_label.text()   # before any click
    assert not w.backprop.forward_button.isEnabled()
    assert not w.backprop.sample_spin.isEnabled()
    w.backprop.forward()
    assert "watched PyTorch run" in w.backprop.rule_label.text()
    assert w.backprop.walk.graph is None and not w.backprop.waiting_for_graph


def test_watching_keeps_the_emptied_controls_dock_narrow(make_window, qtbot, recording):
    """Controls hold only a note while watching; with the Data dock hidden they must not
    spread over its space and squeeze the network (they took 45 % of the window)."""
    w = make_window()
    # As `nnvis --load run.nnvisrec` does it: right after show, before the docks have their
    # default sizes (they take on the next turn of the event loop).
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.watch_mode.active and not w.docks["data"].isVisible(),
                    timeout=TIMEOUT)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: w.docks["controls"].width() <= 0.25 * w.width(), timeout=TIMEOUT)
    assert w.docks["topology"].width() > 1.5 * w.docks["controls"].width()


def test_a_watched_run_has_no_model_to_export(make_window, qtbot, tmp_path, monkeypatch,
                                              recording):
    from PySide6.QtWidgets import QFileDialog
    w = make_window("thread")
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.watch_mode.active, timeout=TIMEOUT)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "net.py"), ""))
    w.menu_bar.model_actions["pytorch"].trigger()
    assert w.banner.kind == "error" and "own script" in w.banner.text()
    assert not (tmp_path / "net.py").exists()


def test_replay_pause_step_and_edge_modes(make_window, qtbot, recording):
    w = make_window()
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest, timeout=TIMEOUT)
    w.commands.toggle_play()                                   # pause
    qtbot.waitUntil(lambda: not w.latest["running"], timeout=TIMEOUT)
    step = w.latest["step"]
    if step < 60:
        w.commands.step_once()                                 # the next snapshot, still paused
        qtbot.waitUntil(lambda: w.latest["step"] == step + 10, timeout=TIMEOUT)
    w.topology.edge_mode_changed.emit("gradients")
    qtbot.waitUntil(lambda: w.latest["edge_mode"] == "gradients", timeout=TIMEOUT)
    assert not w.engine_controller.running


@pytest.mark.parametrize("content, says", [
    (b"", "empty"),
    (b"PK\x03\x04" + b"\0" * 40, "not an nnvis recording (a zip file"),
    (b"hello world, not a recording at all", "not an nnvis recording"),
    (b"NNVISREC\x00\x00\x00\x07", "version 7 is not supported"),
])
def test_a_foreign_or_too_new_file_is_refused_with_one_line(make_window, qtbot, tmp_path,
                                                            content, says):
    path = tmp_path / "bad.nnvisrec"
    path.write_bytes(content)
    w = make_window()
    w.watch_mode.open_recording(str(path))
    qtbot.waitUntil(lambda: any(k == "watch_error" for k, _ in w.messages), timeout=TIMEOUT)
    text = w.banner.text()
    assert says in text and "bad.nnvisrec" in text and "\n" not in text
    assert w.latest is None or w.latest.get("watch") is None   # nothing drawn from it


def test_a_cut_or_damaged_recording_replays_what_is_whole_and_says_where_it_ends(
        make_window, qtbot, tmp_path, recording):
    data = recording.read_bytes()
    last = data.rindex(encode("end", {"step": 60}))
    end_of_snapshot_5 = last - len(encode("snapshot", read_recording(recording)[6][1]))
    cut = tmp_path / "cut.nnvisrec"
    cut.write_bytes(data[:last - 700])             # killed while writing snapshot 6
    w = make_window()
    w.watch_mode.open_recording(str(cut))
    qtbot.waitUntil(lambda: "ends at" in w.banner.text(), timeout=TIMEOUT)
    said = (f"cut.nnvisrec: the recording ends at message 7, byte {end_of_snapshot_5}: cut "
            f"short (the script was probably killed); every snapshot before it was replayed.")
    assert w.banner.text().endswith(said) and said in w.watch_mode.note_text()
    assert [s["step"] for s in w.seen if "watch" in s][-1] == 50 and not w.engine_controller.running
    assert "6 snapshots" not in w.watch_mode.note_text()   # the note counts what is whole

    damaged = bytearray(data)
    damaged[end_of_snapshot_5 - 100] ^= 0x04           # a bit of snapshot 5
    bad = tmp_path / "damaged.nnvisrec"
    bad.write_bytes(bytes(damaged))
    w.seen.clear()
    w.watch_mode.open_recording(str(bad))
    qtbot.waitUntil(lambda: "damaged.nnvisrec" in w.banner.text(), timeout=TIMEOUT)
    assert "ends at message 6" in w.banner.text() and "damaged: the checksum" in w.banner.text()
    assert [s["step"] for s in w.seen if "watch" in s][-1] == 40


def test_a_recording_with_nothing_to_replay_is_refused(make_window, qtbot, tmp_path):
    bad = tmp_path / "bad.nnvisrec"
    bad.write_bytes(PREAMBLE + encode("run", RUN) + encode("snapshot", {"step": 1}))
    w = make_window()
    w.watch_mode.open_recording(str(bad))
    qtbot.waitUntil(lambda: "bad.nnvisrec" in w.banner.text(), timeout=TIMEOUT)
    assert "holds no snapshot (it ends at message 2" in w.banner.text()
    assert "snapshot: missing 'epoch'" in w.banner.text()
    assert w.latest is None or w.latest.get("watch") is None


def test_a_script_with_the_right_token_is_watched_and_paused(make_window, qtbot):
    w = make_window()
    source = w.watch_mode.listen("127.0.0.1:0")
    assert source is not None and source.token and source.address.startswith("127.0.0.1:")
    qtbot.waitUntil(lambda: source.token in w.watch_mode.note_text(), timeout=TIMEOUT)
    payloads = trained_payloads()
    result, hold = {}, threading.Event()
    t = threading.Thread(target=script, args=(source.address, source.token, payloads, result,
                                               hold))
    t.start()
    try:
        qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest
                        and w.latest["step"] == 15, timeout=TIMEOUT)
        assert [k for k, _ in w.messages].count("connected") == 1
        w.commands.toggle_play()                               # Pause: sent back to the script
        qtbot.waitUntil(lambda: "heard" in result, timeout=TIMEOUT)
        assert result["heard"][0] == "pause" and "heartbeat" in result["heard"]
    finally:
        hold.set()
        t.join(10)
    qtbot.waitUntil(lambda: any(k == "disconnected" for k, _ in w.messages), timeout=TIMEOUT)


def test_a_wrong_token_or_a_stranger_is_refused(make_window, qtbot):
    w = make_window()
    source = w.watch_mode.listen("127.0.0.1:0")
    result = {}
    script(source.address, "not-the-token", [], result)
    assert "refused" in result and "wrong token" in result["refused"]
    qtbot.waitUntil(lambda: "wrong token" in w.banner.text(), timeout=TIMEOUT)
    host, port = link.parse_address(source.address)
    with socket.create_connection((host, port), timeout=5) as s:   # not nnvis at all
        s.sendall(b"GET / HTTP/1.1\r\n\r\n")
        qtbot.waitUntil(lambda: "not an nnvis watch stream" in w.banner.text(),
                        timeout=TIMEOUT)
    assert w.latest is None or w.latest.get("watch") is None


def test_listening_on_a_taken_port_says_so(make_window, qtbot):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        w = make_window()
        port = taken.getsockname()[1]
        assert w.watch_mode.listen(f"127.0.0.1:{port}") is None
        assert "Cannot listen" in w.banner.text()
        assert not w.watch_mode.active


def test_choosing_an_engine_leaves_watching_mode(make_window, qtbot, recording):
    w = make_window()
    w.watch_mode.open_recording(str(recording))
    qtbot.waitUntil(lambda: w.latest is not None and "watch" in w.latest, timeout=TIMEOUT)
    w.switch_engine("thread")
    assert not w.watch_mode.active and w.controls.isEnabled() and w.toolbar.reset_action.isEnabled()
    qtbot.waitUntil(lambda: w.latest is not None and "watch" not in w.latest, timeout=TIMEOUT)
