"""nnvis.watch on real PyTorch models (skipped where torch is not installed)."""
import math
import socket
import subprocess
import sys
import threading
import time
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import nnvis.watch  # noqa: E402
from nnvis.core import Config, Trainer  # noqa: E402
from nnvis.protocol import link, listener  # noqa: E402
from nnvis.protocol.recording import read_recording  # noqa: E402
from nnvis.core.snapshot import (GRAD_LOG10_RANGE, HIST_BINS, histogram_sample,  # noqa: E402
                                 nice_range, stacked_histograms)
from nnvis.protocol.watched import WatchedRun, check_snapshot  # noqa: E402
from nnvis.lessons import preset_config  # noqa: E402
from nnvis.watch import stats  # noqa: E402
from nnvis.watch.watcher import Watcher  # noqa: E402

nn = torch.nn


class Capture:
    """A sink that keeps what it is sent."""

    def __init__(self):
        self.messages = []

    def send(self, kind, payload=None):
        self.messages.append((kind, payload))

    def poll(self):
        pass

    def close(self):
        pass

    def snapshots(self):
        return [p for k, p in self.messages if k == "snapshot"]


def _data(n=256, d=20, k=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    return X, (X[:, 0] > 0).long() + (X[:, 1] > 0.5).long()


def _train(model, watcher, X, y, steps, lr=0.1, batch=64, after_backward=None):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for i in range(steps):
        k = (i * batch) % len(X)
        xb, yb = X[k:k + batch], y[k:k + batch]
        opt.zero_grad()
        out = model(xb)
        loss = nn.functional.cross_entropy(out, yb)
        loss.backward()
        if after_backward is not None:
            after_backward(i, xb, yb, out)
        opt.step()
        watcher.log(loss=loss, acc=(out.argmax(1) == yb).float().mean())
    return opt


def test_snapshot_norms_and_histograms_equal_those_of_p_grad():
    torch.manual_seed(0)
    # The first layer has 200·100 = 20,000 weights: histograms of a fixed 16k sample.
    model = nn.Sequential(nn.Linear(200, 100), nn.ReLU(), nn.Linear(100, 16), nn.Tanh(),
                          nn.Linear(16, 3))
    X, y = _data(d=200)
    sink = Capture()
    w = Watcher(model, 5, [sink])
    seen = {}

    def keep(i, xb, yb, out):   # the last step's gradients and logits, as PyTorch has them
        seen.update(grads=[m.weight.grad.clone() for m in model if isinstance(m, nn.Linear)],
                    out=out.detach().clone(), yb=yb, xb=xb)

    _train(model, w, X, y, steps=5, after_backward=keep)
    snap = sink.snapshots()[-1]
    assert snap["step"] == 5 and [l["name"] for l in snap["layers"]] == \
        ["hidden1", "hidden2", "output"]
    assert [l["activation"] for l in snap["layers"]] == ["relu", "tanh", "linear"]
    check_snapshot(snap)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer, m, g in zip(snap["layers"], linears, seen["grads"]):
        g = g.numpy()
        assert layer["grad_norm_W"] == pytest.approx(float(np.linalg.norm(g)), rel=1e-5)
        W = m.weight.detach().numpy()          # after the update, as the snapshot shows it
        wr = nice_range(float(np.abs(W).max()))
        assert layer["weight_range"] == wr
        ref = []
        for a, lo, hi in ((W, -wr, wr), (g, *GRAD_LOG10_RANGE)):
            values, scale = histogram_sample(a)
            if a is g:
                values = np.log10(np.abs(values) + 1e-30)
            h = stacked_histograms([values], [lo], [hi], HIST_BINS)[0]
            ref.append(np.rint(h * scale).astype(np.int64))
        for got, want in zip((layer["weight_hist"], layer["grad_hist"]), ref):
            # float32 binning: at most a value on a bin edge may land next door
            assert abs(got.sum() - m.weight.numel()) <= 2    # scaled-up sample counts round
            assert np.abs(got - want).sum() <= 2 * max(1, m.weight.numel() // 16384)
    # ∂L/∂logits of a mean cross-entropy: (softmax − onehot) / N
    p = torch.softmax(seen["out"], 1)
    p[torch.arange(len(p)), seen["yb"]] -= 1
    assert snap["layers"][-1]["grad_norm_act"] == pytest.approx(
        float(torch.linalg.norm(p / len(p))), rel=1e-5)
    assert snap["losses"]["step"].tolist() == [2, 3, 4, 5]   # logged since the snapshot at 1


def test_every_layer_number_matches_a_direct_computation_across_changing_batches():
    """The statistics that are reduced on the device and finished on the host (update
    ratio, dead and saturated units, unit means, edges) against plain torch/NumPy."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(30, 40), nn.Tanh(), nn.Linear(40, 50), nn.ReLU(),
                          nn.Linear(50, 3))
    with torch.no_grad():
        model[0].weight.mul_(6.0)           # tanh units that saturate
        model[2].bias[:7] = -50.0           # ReLU units that are dead
    X, y = _data(n=256, d=30)
    sink = Capture()
    w = Watcher(model, 1, [sink])
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for step, batch in enumerate((64, 48, 64)):   # batch sizes change the histograms' rows
        xb, yb = X[:batch], y[:batch]
        before = [p.detach().clone() for p in model.parameters()]
        opt.zero_grad()
        out = model(xb)
        nn.functional.cross_entropy(out, yb).backward()
        opt.step()
        w.log(loss=out.sum())
        snap = sink.snapshots()[-1]
        check_snapshot(snap)
        W1b, b1b, W2b, b2b, W3b, _ = before
        z1 = nn.functional.linear(xb, W1b, b1b)
        a1 = torch.tanh(z1)
        z2 = nn.functional.linear(a1, W2b, b2b)
        a2 = torch.relu(z2)
        hid1, hid2, output = snap["layers"]
        for layer, m, Wb in ((hid1, model[0], W1b), (hid2, model[2], W2b),
                             (output, model[4], W3b)):
            Wa = m.weight.detach()
            assert layer["update_ratio"] == pytest.approx(
                float(torch.linalg.norm(Wa - Wb) / (torch.linalg.norm(Wa) + 1e-12)), rel=1e-5)
            wa, wb = Wa.numpy()[:32, :32], Wb.numpy()[:32, :32]
            np.testing.assert_allclose(layer["edges_ratio"],
                                       (np.abs(wa - wb) / (np.abs(wa) + 1e-8)).T, rtol=1e-6)
            np.testing.assert_array_equal(layer["edges"], wa.T)
            np.testing.assert_array_equal(layer["bias"], m.bias.detach().numpy()[:32])
        sat = (z1.abs() > 2.65).double().numpy()
        assert 0.05 < hid1["saturated_fraction"] == pytest.approx(sat.mean(), rel=1e-9)
        np.testing.assert_allclose(hid1["unit_saturated"], sat.mean(axis=0)[:32], rtol=1e-6)
        dead = (z2 <= 0).all(dim=0).numpy()
        assert hid2["dead_fraction"] == pytest.approx(dead.mean()) and dead[:7].all()
        np.testing.assert_array_equal(hid2["unit_dead"], dead[:32])
        for layer, a, z in ((hid1, a1, z1), (hid2, a2, z2)):
            assert layer["act_mean"] == pytest.approx(float(a.mean()), rel=1e-5)
            assert layer["act_std"] == pytest.approx(float(a.std(correction=0)), rel=1e-5)
            np.testing.assert_allclose(layer["unit_mean"], a.mean(dim=0).numpy()[:32],
                                       rtol=1e-5, atol=1e-7)
            assert layer["preact_hist"].sum() == z.numel() == batch * layer["width"]
            want = stacked_histograms([z.numpy()], [-8.0], [8.0], HIST_BINS)[0]
            assert np.abs(layer["preact_hist"] - want).sum() <= 2
        hist = stacked_histograms([a2.numpy()], [0.0], [hid2["act_range"][1]], HIST_BINS)[0]
        assert np.abs(hid2["act_hist"] - hist).sum() <= 2
    w.close()


def test_a_recording_that_cannot_be_written_warns_and_training_goes_on(tmp_path, monkeypatch):
    from nnvis.protocol.recording import RecordingWriter
    model = nn.Sequential(nn.Linear(4, 3))
    X, y = torch.randn(16, 4), torch.randint(0, 3, (16,))
    w = nnvis.watch.attach(model, every=2, record=tmp_path / "full.nnvisrec")

    def disk_full(self, kind, payload=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RecordingWriter, "write", disk_full)
    with pytest.warns(RuntimeWarning, match="No space left on device"):
        _train(model, w, X, y, steps=6, batch=8)     # the writer thread failed, not the loop
        w.close()
    assert w.steps == 6


def test_a_script_that_never_closes_its_watcher_still_leaves_every_snapshot(tmp_path):
    path = tmp_path / "unclosed.nnvisrec"
    code = f"""
import torch, nnvis.watch
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
w = nnvis.watch.attach(model, every=2, record={str(path)!r}, optimizer=opt)
for _ in range(9):
    opt.zero_grad()
    loss = model(torch.randn(16, 4)).pow(2).mean()
    loss.backward()
    opt.step()
    w.log(loss=loss)
raise SystemExit("the script dies without w.close()")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert "dies without" in out.stderr
    messages = list(read_recording(path))
    # Steps 1, 2, 4, 6, 8, then at the interpreter's exit the last step's losses and "end".
    assert [k for k, _ in messages] == ["run"] + ["snapshot"] * 6 + ["end"]
    assert messages[-2][1]["step"] == 9 and list(messages[-2][1]["losses"]["step"]) == [9]


def test_closing_sends_the_losses_and_the_evaluation_logged_after_the_last_snapshot():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 3))
    cap = Capture()
    w = Watcher(model, 20, [cap])
    X, y = _data()
    _train(model, w, X, y, steps=64)                    # snapshots at steps 1, 20, 40, 60
    w.log_eval(test_loss=0.25, test_acc=0.875, epoch=9)
    w.close()
    snaps = cap.snapshots()
    assert [s["step"] for s in snaps] == [1, 20, 40, 60, 64]
    last = snaps[-1]
    assert list(last["losses"]["step"]) == [61, 62, 63, 64]
    assert (last["test_loss"], last["test_acc"], last["epoch"]) == (0.25, 0.875, 9)
    assert [lay["name"] for lay in last["layers"]] == [lay["name"] for lay in snaps[-2]["layers"]]
    assert cap.messages[-1] == ("end", {"step": 64})
    w.close()                                            # twice: nothing more is sent
    assert cap.messages[-1] == ("end", {"step": 64}) and len(cap.snapshots()) == 5


def test_the_last_snapshot_is_the_last_trained_one_and_a_failure_still_ends_the_run(
        monkeypatch):
    import gc
    import weakref

    from nnvis.watch import watcher as watcher_module

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 3))
    cap = Capture()
    w = Watcher(model, 20, [cap])
    X, y = _data()
    _train(model, w, X, y, steps=79)        # the hooks are armed for step 80
    model(X)                                 # a validation pass with gradients on, no backward
    w.log_eval(test_loss=0.5)
    w.close()
    before, last = cap.snapshots()[-2:]
    assert last["step"] == 79 and last["test_loss"] == 0.5
    assert [lay["update_ratio"] for lay in last["layers"]] == \
        [lay["update_ratio"] for lay in before["layers"]]      # not the pass without backward

    closed = []
    cap = Capture()
    cap.close = lambda: closed.append(True)
    w = Watcher(model, 20, [cap])
    _train(model, w, X, y, steps=3)

    def broken(values):
        raise RuntimeError("device lost")
    monkeypatch.setattr(watcher_module, "_to_floats", broken)
    with pytest.warns(RuntimeWarning, match="last metrics"):
        w.close()
    assert cap.messages[-1] == ("end", {"step": 3}) and closed == [True]

    # A watcher dropped without close() does not keep its model alive.
    other = nn.Sequential(nn.Linear(4, 2))
    ref = weakref.ref(other)
    dropped = Watcher(other, 5, [Capture()])
    del other, dropped
    gc.collect()
    assert ref() is None


def _torch_twin(trainer):
    """A PyTorch copy of an nnvis trainer's network (same initial weights)."""
    acts = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}
    layers = []
    denses = [b.dense for b in trainer.net.blocks] + [trainer.net.output]
    for i, dense in enumerate(denses):
        W, b = dense.params["W"], dense.params["b"]
        lin = nn.Linear(*W.shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if i < len(trainer.net.blocks):
            layers.append(acts[trainer.net.blocks[i].act.name]())
    return nn.Sequential(*layers)


def test_the_vanishing_gradients_lesson_shows_the_same_gradient_fall_in_pytorch():
    cfg = Config.from_dict(preset_config("vanishing-gradients"))
    trainer = Trainer(cfg)
    model = _torch_twin(trainer)
    X = torch.from_numpy(np.ascontiguousarray(trainer.X_train[:256]))
    y = torch.from_numpy(np.ascontiguousarray(trainer.data.y_train[:256])).long()
    sink = Capture()
    w = Watcher(model, 20, [sink])
    _train(model, w, X, y, steps=20, lr=cfg.get("optim.lr"), batch=cfg.get("optim.batch_size"))
    trainer.step(20)
    from nnvis.core import layer_stats
    ours = [s["grad_norm_W"] for s in layer_stats(trainer)][:8]
    theirs = [l["grad_norm_W"] for l in sink.snapshots()[-1]["layers"]][:8]
    fall_numpy = math.log10(ours[-1] / ours[0])
    fall_torch = math.log10(theirs[-1] / theirs[0])
    assert fall_numpy > 3                       # the lesson's ~10⁴–10⁵ fall
    assert abs(fall_torch - fall_numpy) < 1.0, (fall_numpy, fall_torch)


def test_a_recorded_run_replays_through_the_schema_check(tmp_path):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(inplace=True), nn.Flatten(),
                          nn.Linear(4 * 6 * 6, 10))
    X = torch.randn(64, 1, 8, 8)
    y = torch.randint(0, 10, (64,))
    path = tmp_path / "conv.nnvisrec"
    with nnvis.watch.attach(model, every=3, record=path) as w:
        _train(model, w, X, y, steps=7, batch=16)
    kinds = [k for k, _ in read_recording(path)]
    assert kinds == ["run"] + ["snapshot"] * 4 + ["end"]   # steps 1, 3, 6 and the last, 7
    run = WatchedRun()
    snaps = [s for s in (run.feed(k, p) for k, p in read_recording(path)) if s]
    conv = snaps[-1]["layers"][0]
    assert conv["type"] == "Conv2d" and conv["width"] == 4 and conv["fan_in"] == 1
    assert conv["edges"].shape == (1, 4) and conv["unit_dead"].shape == (4,)
    # In-place ReLU: the pre-activations were kept before it overwrote them.
    assert conv["preact_hist"][:HIST_BINS // 2].sum() > 0
    assert snaps[-1]["history"]["step"].tolist() == list(range(1, 8))
    assert snaps[-1]["task"] == "classification" and snaps[-1]["n_classes"] == 10


def test_hooks_exist_only_on_snapshot_steps():
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    w = Watcher(model, 10, [Capture()])
    X, y = torch.randn(8, 4), torch.randint(0, 2, (8,))
    hooked = []
    for i in range(12):
        hooked.append(bool(model[0]._forward_hooks))
        _train(model, w, X, y, steps=1, batch=8)
    # step 1 (the first), then step 10: armed after step 9 and off again after it
    assert hooked == [True] + [False] * 8 + [True] + [False] * 2


def test_pause_blocks_the_script_until_play_and_a_silent_app_is_dropped(monkeypatch):
    token = "tok"
    server = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{server.getsockname()[1]}"
    events = []

    def app():
        conn, _ = server.accept()
        with conn:
            listener.accept_handshake(conn, token)
            link.send(conn, "pause")
            time.sleep(0.6)
            events.append("play")
            link.send(conn, "play")
            time.sleep(0.3)
            link.send(conn, "pause")      # ...then silence: the script must not hang
            time.sleep(2.0)

    t = threading.Thread(target=app)
    t.start()
    monkeypatch.setattr(link, "PAUSE_TIMEOUT_SECONDS", 0.5)
    model = nn.Sequential(nn.Linear(3, 2))
    w = nnvis.watch.attach(model, every=100, connect=address, token=token)
    X, y = torch.randn(4, 3), torch.randint(0, 2, (4,))
    time.sleep(0.2)
    t0 = time.monotonic()
    _train(model, w, X, y, steps=1, batch=4)          # paused: waits for "play"
    events.append("stepped")
    assert events == ["play", "stepped"] and time.monotonic() - t0 > 0.3
    time.sleep(0.5)
    with pytest.warns(RuntimeWarning, match="no word from it"):
        _train(model, w, X, y, steps=1, batch=4)      # paused again, then the app is silent
    _train(model, w, X, y, steps=3, batch=4)          # unwatched now, no waiting
    w.close()
    t.join(5)
    server.close()


def test_a_wrong_token_raises_and_no_destination_or_other_ranks_do_nothing(monkeypatch):
    server = socket.create_server(("127.0.0.1", 0))
    address = f"127.0.0.1:{server.getsockname()[1]}"

    def app():
        conn, _ = server.accept()
        with conn:
            with pytest.raises(link.LinkError):
                listener.accept_handshake(conn, "right")

    t = threading.Thread(target=app)
    t.start()
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(ConnectionError, match="wrong token"):
        nnvis.watch.attach(model, connect=address, token="wrong")
    t.join(5)
    server.close()
    with pytest.raises(ConnectionError, match="nnvis --listen"):
        nnvis.watch.attach(model, connect=address, token="x")     # nobody listens now
    monkeypatch.delenv("NNVIS_CONNECT", raising=False)
    with pytest.warns(RuntimeWarning, match="nothing is watched"):
        assert not nnvis.watch.attach(model).active
    monkeypatch.setattr(nnvis.watch.watcher, "_rank", lambda: 1)
    w = nnvis.watch.attach(model, record="never-written.nnvisrec")
    assert not w.active
    w.log(loss=1.0)
    w.close()


def test_device_helpers_match_the_numpy_ones():
    for v in (0.0, -1.0, 1e-9, 0.3, 1.0, 1.5, 4.0, 1000.0, float("inf"), float("nan")):
        assert float(stats.nice_ranges(torch.tensor(v))) == nice_range(v)
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=n).astype(np.float32) * s for n, s in ((100, 1), (5000, 3))]
    lo, hi = np.array([-2.0, -4.0]), np.array([2.0, 4.0])
    want = stacked_histograms(arrays, lo, hi, HIST_BINS)
    got = stats.stacked_histograms([torch.from_numpy(a) for a in arrays],
                                   torch.tensor(lo, dtype=torch.float32),
                                   torch.tensor(hi, dtype=torch.float32), HIST_BINS)
    assert np.abs(got.numpy() - want).sum() <= 2


def test_the_app_draws_a_conv_net_with_mixed_and_unknown_activations(make_window, qtbot,
                                                                      tmp_path):
    torch.manual_seed(2)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.GELU(), nn.Flatten(), nn.Linear(3 * 6 * 6, 12),
                          nn.Tanh(), nn.Linear(12, 5))
    X, y = torch.randn(32, 1, 8, 8), torch.randint(0, 5, (32,))
    path = tmp_path / "mixed.nnvisrec"
    with nnvis.watch.attach(model, every=2, record=path) as w:
        _train(model, w, X, y, steps=6, batch=16)
    win = make_window()
    win.watch_mode.open_recording(str(path))
    qtbot.waitUntil(lambda: win.latest is not None and "watch" in win.latest
                    and win.latest["step"] == 6, timeout=10_000)
    snap = win.latest
    assert snap["activation"] is None                  # mixed: no single curve to draw
    assert [l["activation"] for l in snap["layers"]] == ["gelu", "tanh", "linear"]
    for p in win.panels:
        p.render(force=True)                           # nothing warns or raises
    assert [c.kind for c in win.topology.columns] == ["input", "hidden", "hidden", "output"]
