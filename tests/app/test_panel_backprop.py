"""The Backprop panel as a user drives it: forward, then one gate per click, reading the
numbers off the drawing; the live network's graph comes from the engine."""
import numpy as np
from PySide6.QtCore import Qt
import pytest

from panel_helpers import show_on_screen
from nnvis.app.panels.backprop import BackpropPanel
from nnvis.app.panels.backprop_layout import chain_layout, fmt, layered_layout, vector_lines
from nnvis.core import Config, Trainer
from nnvis.core.backprop import add_mul_graph, network_graph
from nnvis.lessons import preset_config

TIMEOUT = 20_000


@pytest.fixture
def panel(qtbot):
    return show_on_screen(qtbot, BackpropPanel(), (900, 560))


def test_add_mul_graph_steps_forward_and_backward_to_the_notes_numbers(panel, qtbot):
    assert panel.wire_texts("x", "q") == ("", "")           # nothing before Forward
    qtbot.mouseClick(panel.forward_button, Qt.LeftButton)
    assert panel.wire_texts("x", "q") == ("−2", "")
    assert panel.wire_texts("q", "f") == ("3", "")
    assert panel.scene.output_texts() == ("−12", "")
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)                   # the multiply gate
    assert panel.wire_texts("q", "f") == ("3", "−4")
    assert panel.wire_texts("z", "f") == ("−4", "3")
    assert panel.wire_texts("x", "q")[1] == ""               # not reached yet
    assert "multiply gate: swaps the inputs × upstream" in panel.rule_label.text()
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)                   # the add gate
    assert panel.wire_texts("x", "q") == ("−2", "−4")
    assert panel.wire_texts("y", "q") == ("5", "−4")
    text = panel.rule_label.text()
    assert "add gate: passes the gradient to both inputs" in text
    assert "∂f/∂x = " in text and "∂f/∂z = " in text
    assert not panel.step_button.isEnabled()                 # the walk is done
    # Editing an input redoes the numbers where the walk stands.
    panel.add_mul_spins["z"].setValue(2.0)
    assert panel.wire_texts("x", "q") == ("−2", "2") and panel.wire_texts("z", "f")[1] == "3"


def test_sigmoid_neuron_shows_its_local_gradient_arithmetic(panel, qtbot):
    panel.show_graph("sigmoid_neuron")
    assert [p.isVisible() for p in panel.pages] == [False, True, False]
    assert set(panel.neuron_spins) == {
        "w0", "x0", "w1", "x1", "w2"}
    panel.forward()
    panel.step_backward()
    assert "sigmoid: σ(x)(1 − σ(x)) × upstream" in panel.rule_label.text()
    assert "0.731" in panel.rule_label.text() and "0.197" in panel.rule_label.text()
    panel.show_all()
    assert panel.wire_texts("x0", "p0") == ("−1", "0.393")
    assert panel.wire_texts("w0", "p0") == ("2", "−0.197")
    assert panel.wire_texts("x1", "p1") == ("−2", "−0.59")


def test_play_walks_to_the_end_and_reset_hides_the_gradients(panel, qtbot):
    panel.show_graph("sigmoid_neuron")
    panel.timer.setInterval(10)
    qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.walk.finished and not panel.play_button.isChecked(),
                    timeout=5000)
    assert panel.wire_texts("w2", "z")[1] == "0.197"
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert panel.wire_texts("w2", "z") == ("", "")


def _deep_sigmoid(**changes):
    cfg = Config.from_dict(preset_config("vanishing-gradients")).with_changes(
        {"dtype": "float64", **changes})
    return Trainer(cfg)


def test_network_graph_shows_the_gradient_shrinking_at_each_sigmoid(panel):
    t = _deep_sigmoid()
    graph = network_graph(t, 0)
    panel.show_graph("network")
    requests = []
    panel.graph_requested.connect(requests.append)
    panel.forward()
    assert requests == [{"sample": 0, "split": "train"}]     # the engine computes it
    panel.set_network_graph(graph)
    assert panel.wire_texts("x", "hidden1.matmul")[0] == " ".join(
        fmt(v) for v in graph.nodes["x"].value)
    shrinks = []
    while not panel.walk.finished:
        panel.step_backward()
        if panel.walk.current.node.endswith(".act"):
            text = panel.rule_label.text()
            assert "× f′(z)" in text and "smaller" in text
            shrinks.append(text)
    assert len(shrinks) == 8
    final = panel.rule_label.text()
    assert "‖∂L/∂W‖ from the first layer to the output" in final
    assert "vanishing gradients" in final
    # The first layer's ∂L/∂W as the engine computed it, written on its wire.
    norm = float(np.sqrt((graph.grads["hidden1.W"] ** 2).sum()))
    assert panel.wire_texts("hidden1.W", "hidden1.matmul")[1] == f"‖·‖ {fmt(norm)}"
    # Wide layers (16 units) are summarised; the unit hovered in the Network panel is
    # written out.
    value, grad = panel.wire_texts("hidden3.z", "hidden3.act")
    assert value.startswith("‖·‖") and "#" not in value
    panel.set_focus(2, 5)
    value, grad = panel.wire_texts("hidden3.z", "hidden3.act")
    assert value.startswith(f"#5: {fmt(graph.nodes['hidden3.z'].value[5])}")
    assert grad.startswith(f"#5: {fmt(graph.grads['hidden3.z'][5])}")
    assert panel.table.rowCount() > 0


def test_batch_norm_graph_says_why_it_uses_running_statistics(panel):
    panel.show_graph("network")
    panel.set_network_graph(network_graph(_deep_sigmoid(**{"model.batch_norm": True}), 1))
    assert "a batch of one sample has variance 0" in panel.rule_label.text()
    assert "hidden1.bn" in panel.scene.node_items


def test_layouts_put_inputs_left_and_parameters_under_their_gate():
    pos = layered_layout(add_mul_graph())
    assert pos["x"][0] == pos["y"][0] == pos["z"][0] == 0
    assert pos["q"] == (1, 0.5) and pos["f"][0] == 2
    g = network_graph(_deep_sigmoid(**{"model.hidden": [3, 3], "model.residual": True}), 0)
    chain = chain_layout(g)
    assert chain["hidden1.W"] == (chain["hidden1.matmul"][0], 1.0)
    assert chain["hidden1.b"] == (chain["hidden1.z"][0], 1.0)
    assert all(chain[n][1] == 0.0 for n in ("x", "hidden1.act", "hidden2.skip", "loss"))
    xs = [chain[n][0] for n in g.nodes if chain[n][1] == 0.0]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)


def test_vector_lines_write_short_vectors_and_summarise_long_ones():
    assert vector_lines(np.array(-4.0)) == ["−4"]
    assert vector_lines(np.array([0.5, -1.25])) == ["0.5 −1.25"]
    long = np.linspace(-1, 2, 16)
    assert vector_lines(long) == ["‖·‖ 4.195", "[−1, 2]"]
    assert vector_lines(long, focus=3)[0] == "#3: −0.4"
    assert vector_lines(np.ones((16, 2))) == ["‖·‖ 5.657", "16×2"]


def test_in_the_app_the_engine_answers_and_a_clicked_point_picks_the_sample(make_window,
                                                                            qtbot):
    w = make_window("thread")
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    w.dock_layout.show_view("backprop:network")
    assert w.backprop.isVisible() and w.backprop.kind == "network"
    w.backprop.forward()
    qtbot.waitUntil(lambda: w.backprop.network_graph is not None, timeout=TIMEOUT)
    graph = w.backprop.network_graph
    assert graph.meta["sample"] == 0 and graph.meta["step"] == w.latest["step"]
    assert w.data_view.picked == ("train", 0)
    # A click on a data point asks for that sample's graph.
    qtbot.waitUntil(lambda: w.data_view.points is not None, timeout=TIMEOUT)
    w.data_view.render(force=True)
    X = w.data_view.points["X_test"]
    hit = w.data_view.sample_at(float(X[4, 0]), float(X[4, 1]))
    assert hit is not None and hit[0] == "test"
    w.backprop.pick_sample(*hit)
    qtbot.waitUntil(lambda: w.backprop.network_graph.meta["sample"] == hit[1] and
                    w.backprop.network_graph.meta["split"] == "test", timeout=TIMEOUT)
    # Hovering a unit in the Network panel singles it out.
    w.topology.unit_hovered.emit(0, 2)
    assert w.backprop.focus == (0, 2)


def test_backprop_lesson_buttons_show_each_graph(make_window, qtbot):
    w = make_window("thread")
    w.load_lesson("backprop")
    assert w.docks["backprop"].isVisible()
    buttons = w.lessons.view_buttons()
    assert [b.text() for b in buttons] == ["1. f = (x + y)·z", "2. The sigmoid neuron",
                                          "3. The network on one sample"]
    buttons[1].click()
    assert w.backprop.kind == "sigmoid_neuron"
    buttons[2].click()
    assert w.backprop.kind == "network"
    # The text links to the vanishing-gradients lesson, which loads on click.
    from PySide6.QtCore import QUrl
    w.lessons.text.anchorClicked.emit(QUrl("lesson:vanishing-gradients"))
    assert w.lessons.loaded_id == "vanishing-gradients"


def test_a_clicked_node_is_marked_and_listed_until_the_walk_moves_on(panel):
    panel.show_graph("network")
    panel.set_network_graph(network_graph(_deep_sigmoid(), 0))
    for _ in range(4):
        panel.step_backward()
    panel.view.node_clicked.emit("hidden2.act")
    assert panel.scene.node_items["hidden2.act"].pen().style() == Qt.DashLine
    assert panel.table.rowCount() == 16 and panel.table.item(0, 1).text() != ""
    assert panel.rule_label.text().startswith("<b>")            # the node, not the gate
    panel.view.node_clicked.emit("")                                   # the background
    assert panel.selected is None and "hidden8" in panel.rule_label.text()
    panel.view.node_clicked.emit("hidden2.act")
    panel.step_backward()                                        # the walk goes on: its gate
    assert panel.selected is None
    assert panel.scene.node_items["hidden2.act"].pen().style() != Qt.DashLine
    # Fit shows the whole graph; the automatic view keeps the numbers readable.
    panel.fit(whole=True)
    shown = panel.view.mapToScene(panel.view.viewport().rect()).boundingRect()
    assert shown.contains(panel.scene.sceneRect().adjusted(2, 2, -2, -2))
    panel.fit()
    assert panel.view.transform().m11() >= 0.8
    assert "green" in panel.rule_pane.legend.text() and "‖·‖" in panel.rule_pane.legend.text()


@pytest.mark.parametrize("kind", ["add_mul", "sigmoid_neuron"])
def test_the_notes_graphs_numbers_do_not_run_into_each_other(panel, kind):
    """After the whole walk every wire carries a value and a gradient: no two of them (x's
    gradient and y's value into the + gate, once) and none of them and a node overlap."""
    panel.show_graph(kind)
    panel.forward()
    while not panel.walk.finished:
        panel.step_backward()
    scene = panel.scene
    texts = [(f"{source}→{gate} {part}", item)
             for (source, gate), (_path, value, grad, _kind, _ends) in scene.wire_items.items()
             for part, item in (("value", value), ("gradient", grad))]
    texts += [("output value", scene.output_item[0]), ("output gradient", scene.output_item[1])]
    assert all(item.text() for _, item in texts)
    boxes = [(name, item.sceneBoundingRect()) for name, item in texts]
    boxes += [(f"node {nid}", scene.node_rect(nid)) for nid in scene.node_items]
    clashes = [(a, b) for i, (a, ra) in enumerate(boxes) for b, rb in boxes[i + 1:]
               if ra.intersects(rb) and not (a.startswith("node") and b.startswith("node"))]
    assert not clashes, clashes


def test_the_penalty_gate_says_l1_adds_lambda_times_sign_w(make_window, qtbot):
    """The engine adds λ₂·W + λ₁·sign(W) (nnvis.core.penalty): so does the rule line, in
    both languages (it said "adds λ·W … (L1 …)", the Chinese "λ·W 的符号")."""
    from nnvis.app import i18n
    w = make_window("thread", optim__l1=0.001, optim__l2=0.001)
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    try:
        for code in ("en", "zh_CN"):
            w.menu_bar.set_language(code)
            w.dock_layout.show_view("backprop:network")
            w.backprop.reset_button.click()      # the second language walks it again
            w.backprop.forward()
            qtbot.waitUntil(lambda: w.backprop.walk.forward_shown
                            and not w.backprop.walk.finished, timeout=TIMEOUT)
            lines = []
            while not w.backprop.walk.finished:
                w.backprop.step_backward()
                lines.append(w.backprop.rule_label.text())
            penalty = [line for line in lines if "λ₂·W" in line]
            assert penalty, (code, lines[-3:])
            assert all("λ₂·W + λ₁·sign(W)" in line and "的符号" not in line for line in penalty)
            assert "λ₁ = 0.001" in penalty[0] and "λ₂ = 0.001" in penalty[0]
    finally:
        w.menu_bar.set_language("en")
    assert i18n.current_language() == "en"
