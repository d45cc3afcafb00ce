"""File ▸ Export model ▸ PyTorch… / ONNX…: the trainer (in its own process) describes its
network, the window writes it; the file predicts what the run on screen predicts."""
import importlib.util

import numpy as np
import pytest

torch = pytest.importorskip("torch")      # optional extras: CI installs them
onnx = pytest.importorskip("onnx")

TIMEOUT = 20000


def _run_a_little(w, qtbot):
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: len(w.seen) >= 3 and w.seen[-1]["step"] > 20, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: not w.engine_controller.running, timeout=TIMEOUT)


def _choose(monkeypatch, path):
    from PySide6.QtWidgets import QFileDialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(path), ""))


@pytest.mark.parametrize("engine", ["process", "thread"])
def test_export_model_writes_a_runnable_pytorch_file_of_the_run_on_screen(
        make_window, qtbot, tmp_path, monkeypatch, engine):
    w = make_window(engine)
    _run_a_little(w, qtbot)
    _choose(monkeypatch, tmp_path / "net")          # the suffix is added
    w.menu_bar.model_actions["pytorch"].trigger()
    qtbot.waitUntil(lambda: (tmp_path / "net.py").exists(), timeout=TIMEOUT)
    assert (tmp_path / "net_weights.npz").exists()
    spec = importlib.util.spec_from_file_location(f"net_{engine}", tmp_path / "net.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.load()
    assert [name for name, _ in net.named_children()] == ["hidden1", "hidden2", "output"]
    snap = w.seen[-1]
    # The exported weights are the run's: its output layer's edges as the snapshot shows them.
    weight = net.output.weight.detach().numpy().T
    edges = snap["layers"][-1]["edges"]
    np.testing.assert_allclose(weight[:edges.shape[0], :edges.shape[1]], edges, rtol=1e-6)
    assert "Exported the network" in w.statusBar().currentMessage()


def test_export_model_as_onnx_passes_the_checker(make_window, qtbot, tmp_path, monkeypatch):
    w = make_window("thread")
    _run_a_little(w, qtbot)
    _choose(monkeypatch, tmp_path / "net.onnx")
    w.menu_bar.model_actions["onnx"].trigger()
    qtbot.waitUntil(lambda: (tmp_path / "net.onnx").exists(), timeout=TIMEOUT)
    model = onnx.load(str(tmp_path / "net.onnx"))
    onnx.checker.check_model(model, full_check=True)
    assert {"hidden1/linear", "hidden2/linear"} <= {n.name for n in model.graph.node}
