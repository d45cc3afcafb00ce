"""The controls dock: every config field a user can change, validated inline.

Live fields (activation, learning rate, dropout, batch norm, L1/L2, optimiser, ...) are sent
to the running trainer at once and keep the weights; structural fields (data, layers, loss,
init, seed) wait for "Apply & rebuild" because they start from fresh weights.
"""
from __future__ import annotations

from PySide6.QtCore import (QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, Qt, Signal,
                            Slot)
from PySide6.QtWidgets import (QAbstractSlider, QAbstractSpinBox, QApplication, QCheckBox,
                               QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QSpinBox, QVBoxLayout,
                               QWidget)

from nnvis.app.choices import choice_label
from nnvis.app.i18n import Retranslating
from nnvis.core.config import (ACTIVATIONS, DATASETS, INITS, LIVE_FIELDS, LOSSES, OPTIMIZERS,
                               TASKS, Config, ConfigError)

from . import ui_labels
from .controls_data import DataFacts
from .controls_feedback import FieldFeedback
from .log_slider import LogSlider

#: Refusals that only the loss causes (the data is good): the change waits for another loss.
LOSS_REFUSALS = ("loss_regression", "loss_binary")

TOOLTIPS = {
    "data.name": QT_TRANSLATE_NOOP(
        "ControlsPanel", "The data set. 2-D sets show a decision boundary; sine is 1-D regression; "
        "digits is the real 8×8 handwritten digits set (64 features, 10 classes)."),
    "data.classes": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Number of classes (spiral and blobs)."),
    "data.noise": QT_TRANSLATE_NOOP(
        "ControlsPanel", "How much the points are jittered: more noise, more overlap between "
        "classes."),
    "data.train_fraction": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Share of the points used for training; the rest is the test set."),
    "data.task": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Classification or regression. auto: a built-in set's own; for a CSV, "
        "read from its label column (text or few values: classes; many values, some not "
        "whole or most in only a few rows: regression)."),
    "data.val_fraction": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Share of the training points held out as a validation set: early "
        "stopping watches its loss. The test set never chooses the weights."),
    "model.init_seed": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Seeds the initial weights alone, so that only the initialisation "
        "changes (same data, same batches)."),
    "optim.early_stopping": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Stop when the validation loss has not improved for Patience "
        "evaluations and restore the best weights. Needs a validation share above 0."),
    "optim.patience": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Evaluations on the validation set without improvement before "
        "training stops early."),
    "data.normalize": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Standardise each feature with the training mean and std: data centred on "
        "the origin trains faster (the notes' reason for normalising inputs)."),
    "model.activation": QT_TRANSLATE_NOOP(
        "ControlsPanel", "The non-linearity of every hidden layer. Live: the weights are kept."),
    "model.init": QT_TRANSLATE_NOOP(
        "ControlsPanel", "How weights start. zeros/constant keep every unit of a layer identical "
        "forever (symmetry); xavier suits tanh/sigmoid, he suits ReLU."),
    "model.init_scale": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Std for normal, half-width for uniform, value for constant, a gain for "
        "xavier/he/lecun."),
    "model.loss": QT_TRANSLATE_NOOP(
        "ControlsPanel", "cross_entropy: softmax probabilities; hinge: multiclass SVM margins; "
        "binary_cross_entropy: one sigmoid output; mse: squared error "
        "(regression)."),
    "model.batch_norm": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Normalise each neuron's pre-activation over the batch, then scale and "
        "shift (learned γ, β). Keeps deep sigmoid nets out of saturation."),
    "model.residual": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Add each layer's input to its output where widths match: gradients get a "
        "direct path to early layers."),
    "model.dropout": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Zero each hidden unit with this probability during training (inverted "
        "dropout: survivors are scaled by 1/(1−p)). Off at test time."),
    "optim.name": QT_TRANSLATE_NOOP(
        "ControlsPanel", "sgd, momentum, nesterov, rmsprop or adam. Live: switching resets the "
        "optimiser's memory, not the weights."),
    "optim.momentum": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Momentum for momentum/nesterov; β₁ for adam."),
    "optim.batch_size": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Samples per update. Batch norm needs more than a handful."),
    "optim.l1": QT_TRANSLATE_NOOP(
        "ControlsPanel", "L1 penalty λ·Σ|w|: pushes weights to exactly zero."),
    "optim.l2": QT_TRANSLATE_NOOP(
        "ControlsPanel", "L2 penalty ½λ·Σw²: weight decay, the notes' \"gradual forgetting\"."),
    "optim.clip_norm": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Rescale the gradient when its global norm exceeds this (0: off)."),
    "seed": QT_TRANSLATE_NOOP(
        "ControlsPanel", "Same seed, same data, same initial weights, same batches: runs repeat "
        "exactly."),
}



def parse_hidden(text: str) -> list[int]:
    """'16, 16,8' -> [16, 16, 8]; '' -> [] (no hidden layer)."""
    text = text.strip().strip("[]")
    if not text:
        return []
    try:
        return [int(part) for part in text.replace(" ", ",").split(",") if part]
    except ValueError:
        raise ConfigError("model.hidden", QCoreApplication.translate(
            "ControlsPanel", "write layer widths as numbers separated by commas, e.g. 16, 16, "
            "8")) from None


class WheelGuard(QObject):
    """Scrolling the dock with the mouse wheel must not change a setting the pointer passes
    over: an unfocused spin box, combo box or slider hands the wheel to the scroll bar."""

    def __init__(self, scroll_bar):
        super().__init__()
        self.scroll_bar = scroll_bar

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Wheel and not obj.hasFocus():
            QApplication.sendEvent(self.scroll_bar, event)
            return True
        return False


class WrapFit(QObject):
    """A form sizes a word-wrapped label's row for a width it guessed, not the one the
    label gets (the CSV and task lines came out cut in half): each resize asks the label
    for the height of its real width."""

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Resize and obj.wordWrap():
            need = obj.heightForWidth(event.size().width())
            if need > 0 and need != obj.minimumHeight():
                obj.setMinimumHeight(need)
        return False


class ControlsPanel(Retranslating, QScrollArea):
    """Emits ``changes_requested({path: value})``; the window validates and forwards them."""

    panel_id = "controls"
    changes_requested = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        # Fields shrink with the dock instead of scrolling sideways.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        inner = QWidget()
        self.setWidget(inner)
        root = QVBoxLayout(inner)
        self._config = Config()
        self._pending: dict = {}
        # Apply's structural changes and the config before them, until the trainer answers:
        # a refusal because of the loss puts them back (hold_refused).
        self._applying: tuple[Config, dict] | None = None
        self._widgets: dict[str, QWidget] = {}
        self._feedback = FieldFeedback(self.label_for, lambda path: path in self._labels,
                                       self._widgets.get, self)
        self._feedback.reverted.connect(self._on_reverted)
        # path -> its label's English source text (translated when shown)
        self._labels: dict[str, str] = {
            "model.hidden": ui_labels.source("controls.hidden"),
            "optim.lr": ui_labels.source("controls.lr"),
            "data.path": QT_TRANSLATE_NOOP("ControlsPanel", "CSV file"),
            "data.label_column": QT_TRANSLATE_NOOP("ControlsPanel", "Label column")}
        self._groups = {}

        data_box, data = self._group(QT_TRANSLATE_NOOP("ControlsPanel", "Data"))
        self.dataset = self._combo("data.name", DATASETS, data,
                                   QT_TRANSLATE_NOOP("ControlsPanel", "Dataset"))
        self.csv_label = QLabel()
        self.csv_label.setWordWrap(True)
        self.csv_label.setStyleSheet("color: #e5c07b;")
        data.addRow("", self.csv_label)
        self.task = self._combo("data.task", TASKS, data,
                                ui_labels.source("controls.task"))
        self.task_label = QLabel()
        self.task_label.setWordWrap(True)
        self.task_label.setStyleSheet("color: #8a93a6;")
        data.addRow(self.task_label)   # the whole width: a long line wraps less
        self.classes = self._spin("data.classes", 2, 10, data,
                                  QT_TRANSLATE_NOOP("ControlsPanel", "Classes"))
        self.n_samples = self._spin("data.n_samples", 20, 20000, data,
                                    QT_TRANSLATE_NOOP("ControlsPanel", "Samples"), step=50)
        self.noise = self._spin("data.noise", 0, 3, data,
                                QT_TRANSLATE_NOOP("ControlsPanel", "Noise"),
                                step=0.05, decimals=2)
        self.train_fraction = self._spin("data.train_fraction", 0.05, 0.95, data,
                                         QT_TRANSLATE_NOOP("ControlsPanel", "Train share"),
                                         step=0.05, decimals=2)
        self.val_fraction = self._spin("data.val_fraction", 0, 0.9, data,
                                       ui_labels.source("controls.val_fraction"),
                                       step=0.05, decimals=2)
        self.normalize = self._check("data.normalize",
                                     QT_TRANSLATE_NOOP("ControlsPanel", "Standardise features"), data)

        net_box, net = self._group(QT_TRANSLATE_NOOP("ControlsPanel", "Network"))
        self.hidden = QLineEdit()
        self.hidden.editingFinished.connect(self._on_hidden_edited)
        self.hidden.textEdited.connect(self._on_hidden_typed)
        net.addRow(QLabel(), self.hidden)
        self._widgets["model.hidden"] = self.hidden
        self.activation = self._combo("model.activation", ACTIVATIONS, net,
                                      ui_labels.source("controls.activation"))
        self.init = self._combo("model.init", INITS, net,
                                ui_labels.source("controls.init"))
        self.init_scale = self._spin("model.init_scale", 0, 100, net,
                                     ui_labels.source("controls.init_scale"),
                                     step=0.01, decimals=3)
        self.loss = self._combo("model.loss", LOSSES, net,
                                ui_labels.source("controls.loss"))
        self.batch_norm = self._check("model.batch_norm",
                                      ui_labels.source("controls.batch_norm"), net)
        self.residual = self._check("model.residual",
                                    ui_labels.source("controls.residual"), net)
        self.dropout = self._spin("model.dropout", 0, 0.95, net,
                                  ui_labels.source("controls.dropout"),
                                  step=0.05, decimals=2)

        opt_box, opt = self._group(QT_TRANSLATE_NOOP("ControlsPanel", "Optimiser"))
        self.optimizer = self._combo("optim.name", OPTIMIZERS, opt,
                                     QT_TRANSLATE_NOOP("ControlsPanel", "Optimiser"))
        self.lr = LogSlider()
        self.lr.value_committed.connect(lambda v: self._request("optim.lr", v))
        self.lr.invalid_text.connect(
            lambda t: self._mark_invalid(
                "optim.lr", self.tr("optim.lr: '{0}' is not a number").format(t)))
        opt.addRow(QLabel(), self.lr)
        self._widgets["optim.lr"] = self.lr
        self.momentum = self._spin("optim.momentum", 0, 0.999, opt,
                                   QT_TRANSLATE_NOOP("ControlsPanel", "Momentum"),
                                   step=0.05, decimals=3)
        self.batch_size = self._spin("optim.batch_size", 1, 5000, opt,
                                     QT_TRANSLATE_NOOP("ControlsPanel", "Batch size"))
        self.l1 = self._spin("optim.l1", 0, 1, opt,
                             QT_TRANSLATE_NOOP("ControlsPanel", "L1"), step=0.0001, decimals=4)
        self.l2 = self._spin("optim.l2", 0, 1, opt,
                             ui_labels.source("controls.l2"), step=0.0001, decimals=4)
        self.clip = self._spin("optim.clip_norm", 0, 1000, opt,
                               QT_TRANSLATE_NOOP("ControlsPanel", "Clip norm"),
                               step=0.5, decimals=2)
        self.early_stopping = self._check("optim.early_stopping",
                                          ui_labels.source("controls.early_stopping"), opt)
        self.patience = self._spin("optim.patience", 1, 100_000, opt,
                                   ui_labels.source("controls.patience"))
        self.seed = self._spin("seed", 0, 2**31 - 1, opt,
                               QT_TRANSLATE_NOOP("ControlsPanel", "Seed"))
        # -1 shows "same as Seed": the config's null (the weights drawn from the seed).
        self.init_seed = self._spin("model.init_seed", -1, 2**31 - 1, opt,
                                    ui_labels.source("controls.init_seed"))
        self._facts = DataFacts(self.task_label, self.classes, self.n_samples, self)

        for box in (data_box, net_box, opt_box):
            root.addWidget(box)
        root.addWidget(self._feedback.error)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.pending_label.setStyleSheet("color: #e5c07b;")
        root.addWidget(self.pending_label)
        self.apply_button = QPushButton()
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.apply_button.setEnabled(False)
        root.addWidget(self.apply_button)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a93a6; font-size: 9pt;")
        root.addWidget(self.hint)
        root.addStretch(1)
        self._wrap_fit = WrapFit(self)
        for label in (self.csv_label, self.task_label):
            label.installEventFilter(self._wrap_fit)
        self._wheel_guard = WheelGuard(self.verticalScrollBar())
        for w in inner.findChildren(QWidget):
            if isinstance(w, (QAbstractSpinBox, QComboBox, QAbstractSlider)):
                w.setFocusPolicy(Qt.StrongFocus)   # the wheel alone never focuses it
                w.installEventFilter(self._wheel_guard)
        self.retranslate()
        self.set_config(self._config)

    def retranslate(self):
        for title, box in self._groups.items():
            box.setTitle(self.tr(title))
        for path, w in self._widgets.items():
            label = self.label_for(path)
            if isinstance(w, QCheckBox):
                w.setText(label)
            else:
                self._form_label(w).setText(label)
            if isinstance(w, QComboBox):
                for i in range(w.count()):
                    w.setItemText(i, choice_label(w.itemData(i)))
        for path, tip in TOOLTIPS.items():
            self._widgets[path].setToolTip(self.tr(tip))
        self.hidden.setToolTip(self.tr("Hidden layer widths, e.g. 16, 16, 8 (empty: no hidden "
                                       "layer)"))
        self.init_seed.setSpecialValueText(self.tr("same as Seed"))
        self._facts.retranslate()
        self.apply_button.setText(ui_labels.text("controls.apply"))
        self.apply_button.setToolTip(self.tr("Structural changes start a fresh network"))
        self.hint.setText(self.tr("Live: activation, learning rate, dropout, batch norm, "
                                  "residual, L1/L2, optimiser, batch size — they apply between "
                                  "steps and keep the weights."))
        self._update_enabled(self._config)
        self._show_csv(self._config)
        self._update_pending()
        self._feedback.show_error(self._feedback.first_invalid()
                                  or self._feedback.shown_error())

    # ---------------------------------------------------------------- widget helpers
    def _group(self, title):
        box = QGroupBox()
        self._groups[title] = box
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        return box, form

    def label_for(self, path: str) -> str:
        """The control's label for a config path (what the user sees), else the path."""
        return self.tr(self._labels[path]) if path in self._labels else path

    def describe_changes(self, changes: dict) -> str:
        """"Activation = ReLU, Learning rate = 0.1": changes as the controls name them."""
        return self.tr(", ").join(f"{self.label_for(k)} = {choice_label(v)}"
                                  for k, v in changes.items())

    def _combo(self, path, items, form, label):
        w = QComboBox()
        for value in items:
            w.addItem(value, value)   # the label is set (translated) by retranslate
        # Long names (binary_cross_entropy) must not set the dock's minimum width.
        w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        w.setMinimumContentsLength(6)
        w.activated.connect(lambda _i, p=path, w=w: self._request(p, w.currentData()))
        form.addRow(QLabel(), w)   # its text: retranslate
        self._widgets[path] = w
        self._labels[path] = label
        return w

    def _spin(self, path, lo, hi, form, label, step=1, decimals=0):
        """A spin box for a number field: whole numbers when ``decimals`` is 0, else a
        decimal box (its value reaches the config as an int or a float accordingly)."""
        w = QDoubleSpinBox() if decimals else QSpinBox()
        kind = float if decimals else int
        w.setRange(lo, hi)
        w.setSingleStep(step)
        if decimals:
            w.setDecimals(decimals)
        w.setKeyboardTracking(False)
        w.valueChanged.connect(lambda v, p=path: self._request(p, kind(v)))
        form.addRow(QLabel(), w)   # its text: retranslate
        self._widgets[path] = w
        self._labels[path] = label
        return w

    def _check(self, path, label, form):
        w = QCheckBox()
        w.toggled.connect(lambda v, p=path: self._request(p, bool(v)))
        form.addRow("", w)
        self._widgets[path] = w
        self._labels[path] = label
        return w

    # ---------------------------------------------------------------- what it says back
    @property
    def error(self) -> QLabel:
        """The label that says why a value is refused."""
        return self._feedback.error

    def describe(self, message: str) -> str:
        return self._feedback.describe(message)

    def is_field_error(self, message: str) -> bool:
        return self._feedback.is_field_error(message)

    def note_sent(self, changes: dict, before: Config):
        self._feedback.note_sent(changes, before)

    def show_rejection(self, message: str):
        applying = self._applying
        if self._feedback.field_of(message) not in LIVE_FIELDS:
            self._applying = None   # the answer to Apply
        if applying and getattr(message, "code", None) in LOSS_REFUSALS:
            self.hold_refused(*applying, message)
            return
        self._feedback.show_rejection(message)

    def hold_refused(self, before: Config, changes: dict, message):
        """The trainer refused ``changes`` only because of the loss (a regression target
        with cross-entropy, three classes with binary cross-entropy): the fields go back to
        what the network has, the changes wait for Apply, and the loss field is marked with
        the reason. Choosing a loss that fits then applies them all, the file included."""
        self.set_config(before)
        for path, value in changes.items():
            if path == "model.loss":
                continue   # the refused value itself: the field waits for another
            self._pending[path] = value
            if path in self._widgets:
                self._show_value(path, value)
        self._mark_invalid("model.loss", message)

    def accepted(self, changes: dict):
        self._applying = None
        self._feedback.accepted(changes)

    def _mark_invalid(self, path: str, message: str):
        """A field holds text that cannot be used: say why next to it, and never let Apply
        build something other than what the field shows."""
        self._pending.pop(path, None)
        if path in LIVE_FIELDS:   # training goes on with the value it had
            self._feedback.mark_invalid(path, message, self._config.get(path))
        else:
            self._feedback.mark_invalid(path, message)
        self._update_pending()

    @Slot(str, object)
    def _on_reverted(self, path: str, value):
        self._config = self._config.with_changes({path: value})
        self._show_value(path, value)
        self._update_enabled(self._config)

    # ---------------------------------------------------------------- state
    def config(self) -> Config:
        return self._config

    def set_config(self, config: Config | dict):
        """Show a config (e.g. from a snapshot or a lesson) without emitting changes."""
        cfg = config if isinstance(config, Config) else Config.from_dict(config)
        self._config = cfg
        self._pending = {}
        self._applying = None
        self._feedback.forget_sent()
        for path in self._feedback.invalid_fields():
            self._feedback.mark_valid(path)
        for path in self._widgets:
            self._show_value(path, cfg.get(path))
        self._update_enabled(cfg)
        self._show_csv(cfg)
        self._facts.show_config(cfg)
        self._feedback.show_error(None)
        self._update_pending()

    def show_data(self, snap: dict):
        """What the trainer's data really is (a snapshot of it): the task it was read as and
        why, and a CSV's own numbers of classes and samples in the greyed fields."""
        self._facts.show_snapshot(snap, self._config)

    def _show_csv(self, cfg: Config):
        path = cfg.get("data.path")
        self.csv_label.setVisible(bool(path))
        if path:
            import os
            self.csv_label.setText(self.tr("CSV: {0} (label: {1}) — pick a dataset above to go "
                                           "back to the built-in sets").format(
                os.path.basename(path), cfg.get("data.label_column")))

    def _show_value(self, path: str, value):
        """Put a value in a field without emitting a change."""
        w = self._widgets[path]
        w.blockSignals(True)
        if isinstance(w, QComboBox):
            w.setCurrentIndex(w.findData(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(0.0 if value is None else float(value))
        elif isinstance(w, QSpinBox):
            w.setValue(w.minimum() if value is None else int(value))
        elif isinstance(w, LogSlider):
            w.set_value(float(value))
        elif isinstance(w, QLineEdit):
            w.setText(", ".join(str(v) for v in value))
        w.blockSignals(False)

    def _update_enabled(self, cfg: Config):
        """Grey out what the current choices ignore, so no control silently does nothing."""
        self.momentum.setEnabled(cfg.get("optim.name") in ("momentum", "nesterov", "adam"))
        self._form_label(self.momentum).setText(
            "β₁" if cfg.get("optim.name") == "adam" else self.label_for("optim.momentum"))
        builtin = not cfg.get("data.path")
        self.classes.setEnabled(builtin and cfg.get("data.name") in ("spiral", "blobs"))
        self.noise.setEnabled(builtin and cfg.get("data.name") != "digits")
        self.n_samples.setEnabled(builtin and cfg.get("data.name") != "digits")
        # (Early stopping stays enabled without a validation split: ticking it then says
        # why it needs one, which a greyed box would not.)
        self.patience.setEnabled(bool(cfg.get("optim.early_stopping")))

    def _form_label(self, widget) -> QLabel:
        form = widget.parentWidget().layout()
        return form.labelForField(widget)

    def _update_pending(self):
        self.apply_button.setEnabled(bool(self._pending) and not self._feedback.invalid_fields())
        if self._pending:
            names = self.tr(", ").join(sorted({self.label_for(p) for p in self._pending}))
            self.pending_label.setText(self.tr("Changed: {0}. Press Apply & rebuild — these "
                                               "start a fresh network.").format(names))
        else:
            self.pending_label.setText("")

    @Slot()
    def _on_hidden_edited(self):
        try:
            self._request("model.hidden", parse_hidden(self.hidden.text()))
        except ConfigError as exc:
            self._mark_invalid("model.hidden", str(exc))

    @Slot(str)
    def _on_hidden_typed(self, text: str):
        """While typing: Apply comes alive as soon as the text is a valid new network (the
        error, if any, waits until editing ends)."""
        try:
            value = parse_hidden(text)
            self._config.with_changes({**self._pending, "model.hidden": value})
        except ConfigError:
            self._pending.pop("model.hidden", None)
            self._update_pending()
            return
        self._request("model.hidden", value)

    def _request(self, path, value):
        if path == "optim.clip_norm" and value == 0:
            value = None
        if path == "model.init_seed" and value < 0:
            value = None   # "same as Seed"
        if path == "data.name" and self._config.get("data.path"):
            # Choosing a built-in set leaves the CSV file.
            self._pending.update({"data.path": None, "data.label_column": None})
        try:
            merged = dict(self._pending)
            merged[path] = value
            candidate = self._config.with_changes(merged)  # validates every field
        except ConfigError as exc:
            self._mark_invalid(path, str(exc))
            return
        self._feedback.mark_valid(path)
        self._feedback.show_error(self._feedback.first_invalid())
        if path not in LIVE_FIELDS and candidate.get(path) == self._config.get(path):
            self._pending.pop(path, None)   # back to what the network has: nothing to apply
            self._update_pending()
        elif path in LIVE_FIELDS and not self._pending:
            self._feedback.note_sent({path: value}, self._config)
            self._config = candidate
            self._update_enabled(candidate)
            self.changes_requested.emit({path: value})
        elif path in LIVE_FIELDS:
            self._pending[path] = value
            self._update_enabled(candidate)   # e.g. Patience, with Early stopping pending
            self._update_pending()
        else:
            self._pending[path] = value
            self._update_pending()

    @Slot()
    def _on_apply_clicked(self):
        if not self._pending:
            return
        try:
            candidate = self._config.with_changes(self._pending)
        except ConfigError as exc:
            self._feedback.show_error(str(exc))
            return
        changes, self._pending = self._pending, {}
        self._applying = (self._config, changes)   # until the trainer answers
        self._config = candidate
        self._update_enabled(candidate)
        self._update_pending()
        self.changes_requested.emit(changes)

    def commit_pending(self) -> Config:
        """Fold pending structural edits into the config (Reset rebuilds anyway)."""
        if self._pending:
            try:
                self._config = self._config.with_changes(self._pending)
            except ConfigError as exc:
                self._feedback.show_error(str(exc))
            self._pending = {}
            self._update_pending()
        return self._config

