"""The labels a lesson may name, by id: one translated source for the widget that shows a
label and for the lesson text that tells the student to press or read it.

Each id maps to the (context, source) of the widget's own message, so ``text(id)`` is, in
every language, exactly what that widget shows. The widgets take their label from here
(``text`` or, where a widget translates a table itself, ``source``), and the lessons write
``[[id]]`` where they name it (rendered by :mod:`nnvis.app.lesson_text`). A lesson therefore
cannot name a label the window does not show in the lesson's language.
"""
from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

LABELS = {
    # Dock titles: the panels.
    "panel.controls": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Controls")),
    "panel.lessons": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Lessons")),
    "panel.topology": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Network")),
    "panel.loss": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Loss & accuracy")),
    "panel.gradient_flow": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Gradient flow")),
    "panel.data": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Data & prediction")),
    "panel.activation": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Activation")),
    "panel.histograms": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Weights & gradients")),
    "panel.backprop": ("DockLayout", QT_TRANSLATE_NOOP("DockLayout", "Backprop")),
    # The training toolbar.
    "toolbar.play": ("TrainingToolbar", QT_TRANSLATE_NOOP("TrainingToolbar", "Play")),
    "toolbar.step": ("TrainingToolbar", QT_TRANSLATE_NOOP("TrainingToolbar", "Step")),
    "toolbar.reset": ("TrainingToolbar", QT_TRANSLATE_NOOP("TrainingToolbar", "Reset")),
    "toolbar.speed": ("TrainingToolbar", QT_TRANSLATE_NOOP("TrainingToolbar", "Speed")),
    "toolbar.speed_10": ("TrainingToolbar", QT_TRANSLATE_NOOP("TrainingToolbar", "10 steps/s")),
    # The controls.
    "controls.activation": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Activation")),
    "controls.init": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Init")),
    "controls.init_scale": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Init scale")),
    "controls.loss": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Loss")),
    "controls.batch_norm": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Batch norm")),
    "controls.residual": ("ControlsPanel",
                          QT_TRANSLATE_NOOP("ControlsPanel", "Residual: h = f(x) + x")),
    "controls.dropout": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Dropout")),
    "controls.l2": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "L2")),
    "controls.lr": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Learning rate")),
    "controls.hidden": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Hidden layers")),
    "controls.task": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Task")),
    "controls.val_fraction": ("ControlsPanel",
                              QT_TRANSLATE_NOOP("ControlsPanel", "Validation share")),
    "controls.init_seed": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Init seed")),
    "controls.early_stopping": ("ControlsPanel",
                                QT_TRANSLATE_NOOP("ControlsPanel", "Early stopping")),
    "controls.patience": ("ControlsPanel", QT_TRANSLATE_NOOP("ControlsPanel", "Patience")),
    "controls.apply": ("ControlsPanel",
                       QT_TRANSLATE_NOOP("ControlsPanel", "Apply && rebuild (new weights)")),
    # The backprop panel's walk.
    "backprop.forward": ("BackpropPanel", QT_TRANSLATE_NOOP("BackpropPanel", "Forward")),
    "backprop.step": ("BackpropPanel", QT_TRANSLATE_NOOP("BackpropPanel", "Backward step")),
    "backprop.play": ("BackpropPanel", QT_TRANSLATE_NOOP("BackpropPanel", "Play backward")),
    # Weights & gradients.
    "histograms.layer": ("HistogramsPanel", QT_TRANSLATE_NOOP("HistogramsPanel", "Layer:")),
    "histograms.activations_now": ("HistogramsPanel",
                                   QT_TRANSLATE_NOOP("HistogramsPanel", "Activations now")),
    "histograms.activations": ("HistogramsPanel",
                               QT_TRANSLATE_NOOP("HistogramsPanel", "Activations")),
    "histograms.act_std": ("HistogramsPanel",
                           QT_TRANSLATE_NOOP("HistogramsPanel", "activation std")),
    # The network.
    "topology.weights": ("TopologyPanel", QT_TRANSLATE_NOOP("TopologyPanel", "Weights")),
    "topology.gradients": ("TopologyPanel", QT_TRANSLATE_NOOP("TopologyPanel", "Gradients")),
    "topology.dead": ("TopologyLabels", QT_TRANSLATE_NOOP("TopologyLabels", "dead")),
    # Gradient flow's verdict, data view's overlay.
    "gradient_flow.vanish": ("GradientFlowPanel", QT_TRANSLATE_NOOP(
        "GradientFlowPanel", "gradients vanish toward the input")),
    "data.hidden_units": ("DataViewPanel", QT_TRANSLATE_NOOP("DataViewPanel", "hidden units")),
    # The lessons panel's own buttons.
    "lessons.flip": ("LessonsPanel", QT_TRANSLATE_NOOP("LessonsPanel", "Flip the switch: {0}")),
    "lessons.compare": ("LessonsPanel",
                        QT_TRANSLATE_NOOP("LessonsPanel", "Compare side by side: {0}")),
    "lessons.also_try": ("LessonsPanel", QT_TRANSLATE_NOOP("LessonsPanel", "Also try:")),
    "lessons.xor": ("LessonsPanel", QT_TRANSLATE_NOOP(
        "LessonsPanel", "Load the notes' hand-made XOR solution")),
}


def source(label_id: str) -> str:
    """The English source of a label, for a widget that translates it in its own context."""
    return LABELS[label_id][1]


def text(label_id: str) -> str:
    """The label in the UI's language, as the widget's ``tr()`` gives it."""
    context, src = LABELS[label_id]
    return QCoreApplication.translate(context, src)
