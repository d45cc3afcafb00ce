"""The Backprop panel's backward walk on a deep network: what one click costs.

``python -m nnvis.bench.backprop '{"layers": 10, "width": 16, "clicks": 60}'`` builds the
network graph of one sample (as the trainer process does between steps), shows it in the
real panel offscreen at a dock's size, then times each "Backward step" click: the walk's
update of the drawing plus a synchronous repaint of the view (what the user waits for).
"""
from __future__ import annotations

import json
import os
import sys
import time

import numpy as np


def run(layers: int = 10, width: int = 16, clicks: int = 60, size=(900, 560)) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from nnvis.app.panels.backprop import BackpropPanel
    from nnvis.app.theme import apply_app_style, configure_pyqtgraph
    from nnvis.core import Config, Trainer
    from nnvis.core.backprop import network_graph

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_pyqtgraph()
    apply_app_style(app)
    trainer = Trainer(Config.from_dict({
        "seed": 0, "data": {"name": "circle", "n_samples": 200},
        "model": {"hidden": [width] * layers, "activation": "sigmoid", "init": "xavier"}}))
    t0 = time.perf_counter()
    graph = network_graph(trainer, 0)
    graph_ms = 1e3 * (time.perf_counter() - t0)
    panel = BackpropPanel()
    panel.resize(*size)
    panel.show()
    panel.show_graph("network")
    app.processEvents()
    t0 = time.perf_counter()
    panel.set_network_graph(graph)
    panel.view.viewport().repaint()
    build_ms = 1e3 * (time.perf_counter() - t0)
    app.processEvents()
    costs = []
    for _ in range(clicks):
        if panel.walk.finished:
            panel.reset_walk()
            panel.walk.forward()
            app.processEvents()
        t0 = time.perf_counter()
        panel.step_backward()
        panel.view.viewport().repaint()
        panel.rule_label.repaint()
        costs.append(1e3 * (time.perf_counter() - t0))
        app.processEvents()
    panel.close()
    costs = np.array(costs)
    return {"layers": layers, "width": width, "nodes": len(graph.nodes),
            "gates": len(graph.steps), "clicks": clicks, "graph_ms": graph_ms,
            "build_ms": build_ms, "click_ms_p50": float(np.percentile(costs, 50)),
            "click_ms_p95": float(np.percentile(costs, 95)), "click_ms_max": float(costs.max())}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    opts = json.loads(argv[0]) if argv else {}
    print(json.dumps(run(**opts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
