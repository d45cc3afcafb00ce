"""The Backprop panel: watch the chain rule, gate by gate.

**Forward** writes each value above its wire (green); the **backward walk** then visits one
gate per click, from the output to the inputs, writes the gradient it sends each input below
that wire (red) and says which rule it used. Three graphs: the notes' f = (x + y)·z and
sigmoid neuron (editable inputs, built by :mod:`nnvis.core.backprop`), and the running
network on one sample, whose numbers the trainer computes between steps and sends as a
``"backprop"`` message — this panel never computes a gradient itself.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSplitter, QWidget

from nnvis.core.backprop import add_mul_graph, sigmoid_neuron_graph

from .. import ui_labels
from ..export.graph_tables import node_table
from ..export.pictures import ScenePicture
from ..export.table import Table
from ..flow_layout import flow_widget
from .backprop_explain import Explainer
from .backprop_scene import GraphScene
from .backprop_table import UnitTable
from .backprop_walk import Walk
from .backprop_widgets import GraphView, RulePane, SamplePicker, pair, spin
from .base import Panel, toolbar_row

PLAY_MS = 650           # one gate per 0.65 s: slow enough to read the rule as it changes
PLAY_MS_NETWORK = 350   # the network has ~30 gates, most of them alike
COMPACT_BUTTON = "QPushButton { padding: 3px 8px; min-width: 0px; }"
ADD_MUL_DEFAULTS = (("x", -2.0), ("y", 5.0), ("z", -4.0))
NEURON_DEFAULTS = (("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0))


class BackpropPanel(Panel):
    panel_id = "backprop"
    refresh_every, refresh_phase = 3, 2
    #: {"sample": i, "split": "train"|"test"}: the main window asks the engine for it.
    graph_requested = Signal(dict)
    #: ("train" | "test", index): the sample chosen here, for the Data panel to ring.
    sample_changed = Signal(str, int)

    KINDS = ("add_mul", "sigmoid_neuron", "network")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.walk = Walk()
        self.kind = "add_mul"
        self.focus: tuple | None = None        # (hidden layer index, unit) from the network
        self.selected: str | None = None       # node whose units the table lists
        self.network_graph = None
        self._waiting = False                  # a network graph was requested
        self._unavailable: str | None = None   # why the engine cannot send one
        self._step_on_arrival = False
        self._live_step = None
        self.explainer = Explainer(self)

        self.graph_box = QComboBox()
        for kind in self.KINDS:
            self.graph_box.addItem("", kind)
        self.graph_box.currentIndexChanged.connect(self._on_graph_chosen)
        # One page of inputs per graph, only the current one shown. Pages and buttons wrap
        # (FlowLayout): the dock shares its width with the Data panel.
        self.pages: list[QWidget] = []
        self.add_mul_spins = self._spin_page(ADD_MUL_DEFAULTS)
        self.neuron_spins = self._spin_page(NEURON_DEFAULTS)
        self._network_page()

        self.forward_button = QPushButton()
        self.forward_button.clicked.connect(self.forward)
        self.step_button = QPushButton()
        self.step_button.clicked.connect(self.step_backward)
        self.play_button = QPushButton()
        self.play_button.setCheckable(True)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.all_button = QPushButton()
        self.all_button.clicked.connect(self.show_all)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_walk)
        self.fit_button = QPushButton()
        self.fit_button.clicked.connect(lambda: self.fit(whole=True))
        self.progress = QLabel()

        self.rule_pane = RulePane()
        self.rule_label = self.rule_pane.rule

        self.scene = GraphScene(self)
        self.view = GraphView(self.scene)
        self.view.node_clicked.connect(self._on_node_clicked)
        self.table = UnitTable()
        # The graph first; the rule text and the table give way to it (and scroll).
        self.split = QSplitter(Qt.Vertical)
        for part, stretch in ((self.rule_pane, 0), (self.view, 1), (self.table, 0)):
            self.split.addWidget(part)
            self.split.setStretchFactor(self.split.count() - 1, stretch)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([70, 400, 70])

        self.timer = QTimer(self)
        self.timer.setInterval(PLAY_MS)
        self.timer.timeout.connect(self._on_play_tick)

        top = toolbar_row((self.graph_box, 1), self.progress)
        walk_buttons = (self.forward_button, self.step_button, self.play_button,
                        self.all_button, self.reset_button, self.fit_button)
        for b in walk_buttons:   # compact: all six fit one row of a shared dock
            b.setStyleSheet(COMPACT_BUTTON)
        buttons = flow_widget(self, walk_buttons)
        self.stack_vertically(top, *self.pages, buttons, (self.split, 1))
        self.offer_exports("backprop", ScenePicture(self.scene))
        self.retranslate()
        self._show_kind("add_mul")

    # ------------------------------------------------------------------ widgets
    def _spin_page(self, defaults) -> dict:
        spins = {}
        pairs = []
        for name, value in defaults:
            spins[name] = spin(value)
            spins[name].valueChanged.connect(self._on_inputs_edited)
            pairs.append(pair(QLabel(name), spins[name]))
        self.pages.append(flow_widget(self, pairs))
        return spins

    def _network_page(self):
        self.picker = SamplePicker()
        self.picker.edited.connect(self._on_sample_edited)
        # The spin box and the set are the picker's; tests and the watching mode reach them.
        self.sample_spin, self.split_box = self.picker.spin, self.picker.split_box
        self.pages.append(self.picker)

    def export_table(self) -> Table:
        """The graph shown, node by node."""
        return node_table(self.walk.graph)

    def retranslate(self):
        names = {"add_mul": self.tr("f = (x + y)·z"),
                 "sigmoid_neuron": self.tr("Sigmoid neuron σ(w0·x0 + w1·x1 + w2)"),
                 "network": self.tr("The network on one sample")}
        for i, kind in enumerate(self.KINDS):
            self.graph_box.setItemText(i, names[kind])
        self.graph_box.setToolTip(self.tr("Which computation graph to walk through"))
        self.forward_button.setText(ui_labels.text("backprop.forward"))
        self.forward_button.setToolTip(self.tr(
            "Compute every node's value from the inputs (for the network: with its current "
            "weights, taken between two training steps)"))
        self.step_button.setText(ui_labels.text("backprop.step"))
        self.step_button.setToolTip(self.tr(
            "Visit the next gate from the output back: it multiplies its local gradient by "
            "the gradient arriving from above"))
        self.play_button.setText(self.tr("Pause") if self.play_button.isChecked()
                                 else ui_labels.text("backprop.play"))
        self.play_button.setToolTip(self.tr("Walk the whole backward pass, one gate at a time"))
        self.all_button.setText(self.tr("Show all"))
        self.all_button.setToolTip(self.tr("Show every gradient at once"))
        self.reset_button.setText(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Hide the values and gradients again"))
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Fit the graph to the panel (Ctrl + wheel zooms)"))
        self.picker.retranslate()
        self.table.retranslate()
        self.exports.retranslate()   # (the base's retranslate, which would, redraws)
        self._refresh()

    # ------------------------------------------------------------------ choosing a graph
    @Slot(int)
    def _on_graph_chosen(self, index: int):
        self._show_kind(self.graph_box.itemData(index))

    def show_graph(self, kind: str):
        """Switch to one of KINDS (the lesson's steps do this)."""
        self.graph_box.setCurrentIndex(self.KINDS.index(kind))

    def _show_kind(self, kind: str):
        self.timer.stop()
        self.play_button.setChecked(False)
        self.kind = kind
        for i, page in enumerate(self.pages):
            page.setVisible(i == self.KINDS.index(kind))
        self.table.setVisible(kind == "network")
        self.selected = None
        if kind == "network":
            self._set_graph(self.network_graph)
        else:
            self._set_graph(self._toy_graph())
        self.fit()
        QTimer.singleShot(0, self.fit)   # again once the layout has given the view its size

    def _toy_graph(self):
        if self.kind == "add_mul":
            return add_mul_graph(**{k: s.value() for k, s in self.add_mul_spins.items()})
        return sigmoid_neuron_graph(**{k: s.value() for k, s in self.neuron_spins.items()})

    def _set_graph(self, graph, keep_walk: bool = False):
        old = self.walk
        self.walk = Walk(graph)
        if keep_walk and graph is not None:
            self.walk.carry_on(old.forward_shown, old.done)
        if graph is None:
            self.scene.empty()
        else:
            self.scene.build(graph)
        self._refresh()

    @Slot()
    def _on_inputs_edited(self):
        # Editing an input redoes the arithmetic at once, where the walk has got to.
        self._set_graph(self._toy_graph(), keep_walk=True)

    # ------------------------------------------------------------------ the network
    @Slot()
    def _on_sample_edited(self):
        self.sample_changed.emit(self.picker.split, self.picker.index)
        if self.kind == "network" and self.network_graph is not None:
            self.request_graph()

    def pick_sample(self, split: str, index: int):
        """A sample chosen elsewhere (a click in the Data panel): show its graph."""
        self.picker.pick(split, index)
        if self.kind == "network":
            self.request_graph()

    def set_focus(self, layer: int, unit: int):
        """The hidden unit to single out in wide layers (hovered in the Network panel)."""
        focus = (layer, unit) if layer >= 0 and unit >= 0 else None
        if focus != self.focus:
            self.focus = focus
            if self.kind == "network":
                self._refresh()

    def set_network_unavailable(self, reason: str | None):
        """The engine cannot answer (a watched PyTorch run keeps its weights in its own
        script): say why, and grey out what would ask it (None: it can again)."""
        self._waiting = False
        self._unavailable = reason
        if reason is not None and self.kind == "network":
            self._set_graph(None)
        self._refresh()

    def request_graph(self):
        if self._unavailable:
            return
        self._waiting = True
        self.graph_requested.emit({"sample": self.picker.index, "split": self.picker.split})
        self._refresh()

    def set_network_graph(self, graph):
        """The engine's answer to ``graph_requested``: show it with its forward pass."""
        self._waiting = False
        self.network_graph = graph
        if self.kind != "network":
            return
        self._set_graph(graph)
        self.selected = None
        self.walk.forward()
        step_now, self._step_on_arrival = self._step_on_arrival, False
        if step_now:
            self.walk.step()
        self._refresh()
        QTimer.singleShot(0, self.fit)   # once the layout has given the view its size

    # ------------------------------------------------------------------ walking
    @Slot()
    def forward(self):
        if self.kind == "network":
            self.request_graph()
            return
        self._set_graph(self._toy_graph())
        self.walk.forward()
        self._refresh()

    @Slot()
    def step_backward(self):
        """One gate of the backward walk (the forward pass first, if not shown yet)."""
        if self.kind == "network" and self.walk.graph is None:
            self._step_on_arrival = True
            self.request_graph()
            return
        if self.walk.step() is None:
            self.timer.stop()
            self.play_button.setChecked(False)
        self.selected = None
        self._refresh()
        if self.walk.current is not None:
            r = self.scene.node_rect(self.walk.current.node)
            self.view.ensureVisible(r, 120, 40)

    @Slot()
    def show_all(self):
        if self.walk.graph is None:
            return
        self.selected = None
        self.walk.show_all()
        self._refresh()
        if self.walk.current is not None:
            self.view.ensureVisible(self.scene.node_rect(self.walk.current.node), 120, 40)

    @Slot()
    def reset_walk(self):
        self.timer.stop()
        self.play_button.setChecked(False)
        self.walk.reset()
        self.selected = None
        self._refresh()

    @Slot(bool)
    def _on_play_toggled(self, on: bool):
        self.play_button.setText(self.tr("Pause") if on else ui_labels.text("backprop.play"))
        if on:
            self.timer.setInterval(PLAY_MS_NETWORK if self.kind == "network" else PLAY_MS)
            if self.walk.finished:
                self.walk.reset()
            self.step_backward()
            self.timer.start()
        else:
            self.timer.stop()

    @Slot()
    def _on_play_tick(self):
        if self.walk.finished:
            self.play_button.setChecked(False)
            return
        self.step_backward()

    @Slot(str)
    @property
    def waiting_for_graph(self) -> bool:
        """Whether a network graph was requested and has not come yet."""
        return self._waiting

    def _on_node_clicked(self, nid: str):
        self.selected = nid or None    # the background: back to the walk's own text
        self._refresh()

    # ------------------------------------------------------------------ drawing
    def _refresh(self):
        walk = self.walk
        if walk.graph is not None:
            self.scene.update_walk(walk, self.focus, self.selected)
        if walk.graph is None and self.kind == "network" and self._unavailable:
            self.rule_label.setText(self._unavailable)
        else:
            self.rule_label.setText(self.explainer.describe(walk, self.kind, self.focus,
                                                           self._waiting, self.selected))
        self.progress.setText(self.explainer.progress(walk))
        blocked = self.kind == "network" and bool(self._unavailable)
        for w in (self.forward_button, self.play_button, self.all_button, self.reset_button,
                  self.sample_spin, self.split_box):
            w.setEnabled(not blocked)
        self.rule_pane.legend.setText(self.explainer.legend(self.kind))
        self.step_button.setEnabled(not walk.finished and not blocked)
        if self.kind == "network":
            node = self.selected or (walk.current.node if walk.current else None)
            self.table.show_node(walk, node, self.focus)
            self._show_sample_info()

    def _show_sample_info(self):
        g = self.network_graph
        text = self.explainer.sample_info(g, self._live_step)
        if self.picker.info.text() != text:
            self.picker.info.setText(text)

    def fit(self, whole: bool = False):
        """Scale the graph to the view. A deep network is long: unless ``whole``, fit its
        height at a readable scale (≥ 0.8) and scroll along it to the gate being visited
        (the output before the walk begins); ``whole`` shows all of it, however small."""
        rect = self.scene.sceneRect()
        if rect.isEmpty():
            return
        self.view.resetTransform()
        vw, vh = max(self.view.viewport().width(), 50), max(self.view.viewport().height(), 50)
        scale = min(vw / rect.width(), vh / rect.height(), 1.6)
        readable = self.kind == "network" and not whole
        if readable:
            scale = max(min(vh / rect.height(), 1.0), 0.8)
        self.view.scale(scale, scale)
        if readable and self.walk.graph is not None:
            current = self.walk.current.node if self.walk.current else self.walk.graph.output
            self.view.ensureVisible(self.scene.node_rect(current), 60, 20)
        else:
            self.view.centerOn(rect.center())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self.kind != "network":
            self.fit()

    def set_snapshot(self, snapshot: dict):
        # The sample range is kept even while the panel is hidden: a click in the Data panel
        # may pick a sample before this panel ever drew.
        self.picker.set_sizes(snapshot.get("n_train"), snapshot.get("n_test"))
        super().set_snapshot(snapshot)

    def _draw(self, snap: dict):
        self._live_step = snap.get("step")
        if self.kind == "network":
            self._show_sample_info()

    def reset(self):
        """A rebuilt trainer: the graph taken from the old one no longer applies."""
        self.network_graph = None
        if self.kind == "network":
            self._set_graph(None)

    # ------------------------------------------------------------------ reading (tests)
    def wire_texts(self, source: str, gate: str) -> tuple[str, str]:
        """(value, gradient) as written on the wire source → gate."""
        return self.scene.wire_texts(source, gate)

