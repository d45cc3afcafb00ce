"""The whole UI in another language, the Qt way: every string through tr(), a complete and
current .ts, a .qm that matches it, and a live switch that leaves no English behind."""
import ast
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nnvis.app import i18n

from window_texts import visible_texts

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "nnvis" / "app"
TS = ROOT / "resources" / "i18n" / "nnvis_zh_CN.ts"
BIN = Path(sys.executable).parent
TIMEOUT = 20_000

#: Words that stay Latin in the Chinese UI: names of functions, methods and people that
#: Chinese texts (and nnvis/lessons/texts_zh.py) write in Latin letters, file formats, key
#: names as printed on the keyboard, and the app's name.
LATIN = {"nnvis", "ReLU", "Leaky", "PReLU", "RReLU", "ELU", "tanh", "sigmoid", "softplus",
         "maxout", "softmax", "hinge", "SVM", "XOR", "Xavier", "LeCun", "He", "SGD", "Adam",
         "RMSprop", "Nesterov", "MSE", "Dropout", "BN", "CSV", "PNG", "SVG", "log", "logit", "logits",
         "std", "exp", "NumPy", "max", "sign", "Ctrl", "linear", "PyTorch", "ONNX"}
ASCII_WORD = re.compile(r"[A-Za-z]{3,}")


def lupdate(*args):
    sources = sorted(str(p) for p in APP.rglob("*.py"))
    return subprocess.run([str(BIN / "pyside6-lupdate"), *sources, *args], capture_output=True,
                          text=True, check=True)


def messages(path):
    """{(context, source): (translation, type)} of a .ts file."""
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            out[(name, msg.findtext("source"))] = (tr.text or "", tr.get("type"))
    return out


# ---------------------------------------------------------------------------- the catalogue

def test_the_ts_has_every_message_of_a_fresh_lupdate_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    lupdate("-ts", str(fresh), "-locations", "none")
    want, have = messages(fresh), messages(TS)
    missing = sorted(set(want) - set(have))
    obsolete = sorted(k for k, (_, kind) in have.items() if k not in want or kind in
                      ("obsolete", "vanished"))
    unfinished = sorted(k for k, (text, kind) in have.items()
                        if kind == "unfinished" or not text.strip())
    assert not missing, f"run pyside6-lupdate and translate: {missing[:5]}"
    assert not obsolete, f"run pyside6-lupdate -no-obsolete: {obsolete[:5]}"
    assert not unfinished, f"untranslated: {unfinished[:5]}"


def test_translations_keep_the_placeholders():
    for (ctx, source), (text, _) in messages(TS).items():
        assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", text)), \
            f"{ctx}: {source!r} -> {text!r}"


def test_the_checked_in_qm_is_compiled_from_the_ts(tmp_path):
    qm = tmp_path / "nnvis_zh_CN.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(qm)],
                   capture_output=True, check=True)
    assert qm.read_bytes() == i18n.qm_path("zh_CN").read_bytes(), \
        "run pyside6-lrelease resources/i18n/nnvis_zh_CN.ts"


# Calls whose string arguments a user sees (QMessageBox's only on QMessageBox).
SHOWN = {"setText", "setToolTip", "setTitle", "setWindowTitle", "setLabel", "setHtml",
         "addItem", "addItems", "addAction", "addMenu", "showMessage", "setItemText",
         "QLabel", "QAction", "QPushButton", "QCheckBox", "QGroupBox", "QToolBar",
         "QDockWidget", "getOpenFileName", "getSaveFileName", "getItem", "show_error",
         "style_plot", "toolbar_row", "addRow", "TextItem", "_text", "setPlaceholderText",
         "_small", "set_live_text"}
DIALOGS = {"information", "question", "warning", "critical", "about"}
# Text that is not words: symbols, numbers, markup, axis sides, names that stay Latin.
NOT_WORDS = re.compile(r"^([\w-]+\.(nnvis|png|csv)|bottom|left|right|top|x1|x2|x|f\(z\), f′\(z\)|log10 \|∂L/∂W\|)$")
# Only through these does a literal reach the text (not as a dict key or another call's
# argument).
PASS = (ast.BinOp, ast.IfExp, ast.BoolOp, ast.JoinedStr, ast.FormattedValue, ast.Tuple,
        ast.List)


def _call_name(node):
    f = node.func
    return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")


def _shown_literals(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node, node.value
    elif isinstance(node, ast.JoinedStr):
        yield node, "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, PASS) and not isinstance(node, ast.JoinedStr):
        for child in ast.iter_child_nodes(node):
            yield from _shown_literals(child)


def _words(text: str) -> bool:
    text = re.sub(r"<[^>]*(>|$)|^[^<]*>|&\w+;|\{[^}]*\}", " ", text)
    return bool(ASCII_WORD.search(text)) and not NOT_WORDS.match(text.strip())


def _untranslated_literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        dialog = name in DIALOGS and getattr(node.func, "value", None) is not None and \
            getattr(node.func.value, "id", "") == "QMessageBox"
        if name not in SHOWN and not dialog:
            continue
        for arg in list(node.args) + [k.value for k in node.keywords]:
            for sub, text in _shown_literals(arg):
                if _words(text):
                    yield f"{path.name}:{sub.lineno}: {text!r}"


def test_no_user_visible_literal_escapes_tr():
    found = [hit for path in sorted(APP.rglob("*.py")) for hit in _untranslated_literals(path)]
    assert not found, "wrap in self.tr() / QCoreApplication.translate():\n" + "\n".join(found)


def test_the_scan_catches_an_unwrapped_label(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(self, label):\n    label.setText('Learning rate')\n"
                   "    label.setToolTip(self.tr('fine'))\n")
    assert [h for h in _untranslated_literals(bad)] == ["bad.py:2: 'Learning rate'"]


def test_every_config_choice_has_a_label():
    from nnvis.app.choices import CHOICE_LABELS
    from nnvis.core.config import ACTIVATIONS, DATASETS, INITS, LOSSES, OPTIMIZERS

    for names in (ACTIVATIONS, DATASETS, INITS, LOSSES, OPTIMIZERS):
        assert set(names) <= set(CHOICE_LABELS)


def test_language_codes_and_the_old_setting_migrate(qapp):
    from nnvis.app import settings as app_settings

    assert i18n.normalize("zh") == i18n.normalize("zh_CN") == "zh_CN"
    assert i18n.normalize("en") == "en" and i18n.normalize("klingon") is None
    s = app_settings.qsettings()
    s.remove(app_settings.LANGUAGE_KEY)
    s.setValue("lessons/lang", "zh")
    s.sync()
    try:
        assert i18n.saved_language() == "zh_CN"
        assert s.value("lessons/lang") is None     # moved to the one app-wide key
        assert app_settings.load_language() == "zh"
    finally:
        app_settings.reset_settings()


def test_the_cli_accepts_the_language_codes():
    from nnvis.cli import build_parser

    for code in ("en", "zh_CN", "zh"):
        assert build_parser().parse_args(["--lang", code]).lang == code


# ---------------------------------------------------------------------------- live switch

def english_words(texts):
    bad = []
    for where, text in texts:
        text = re.sub(r"\S+\.(nnvis|csv|png)\b|[\w.]*\.[\w.]+", " ", text or "")  # file names
        if text in i18n.LANGUAGES.values():
            continue   # View ▸ Language names each language in that language
        words = [w for w in ASCII_WORD.findall(text.replace("&", ""))
                 if w.lower() not in {t.lower() for t in LATIN}]
        if words:
            bad.append(f"{where}: {text!r}")
    return bad


def test_switching_language_live_retranslates_every_widget(make_window, qtbot):
    w = make_window("thread", data__name="spiral", model__dropout=0.1, model__batch_norm=True)
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.latest["step"] > 30, timeout=TIMEOUT)
    w.docks["lessons"].raise_()
    w.lessons.list.setCurrentRow(1)
    try:
        w.menu_bar.set_language("zh_CN")
        assert i18n.current_language() == "zh_CN"
        qtbot.waitUntil(lambda: w.toolbar.play_action.text() == "暂停", timeout=TIMEOUT)
        step = w.latest["step"]
        qtbot.waitUntil(lambda: w.latest["step"] > step + 20, timeout=TIMEOUT)   # still training
        for p in w.panels:
            p.render(force=True)
        w.statusBar().showMessage(w.commands.tr("Lesson loaded: {0}").format(w.lessons.title_of("xor")))
        bad = english_words(visible_texts(w))
        assert not bad, "English left in the Chinese UI:\n" + "\n".join(bad[:40])
        assert w.docks["loss"].windowTitle() == "损失与准确率"
        assert "训练" in w.loss_panel.readout_text() or "损失" in w.loss_panel.readout_text()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in w.lessons.text.toPlainText())
        assert w.controls.activation.currentData() == "tanh"    # values are not translated
        # Qt's own strings come from qtbase_zh_CN.qm.
        from PySide6.QtCore import QCoreApplication
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        w.menu_bar.set_language("en")
    assert i18n.current_language() == "en"
    qtbot.waitUntil(lambda: w.toolbar.play_action.text() == "Pause", timeout=TIMEOUT)
    assert w.docks["loss"].windowTitle() == "Loss && accuracy"   # "&&": no mnemonic
    assert w.controls.apply_button.text() == "Apply && rebuild (new weights)"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in w.lessons.text.toPlainText())
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: not w.latest["running"], timeout=TIMEOUT)


def test_the_walk_would_see_an_english_leftover(make_window, qtbot):
    w = make_window("thread")
    try:
        w.menu_bar.set_language("zh_CN")
        w.topology.mode_title.setText("Edges:")
        assert any("Edges" in b for b in english_words(visible_texts(w)))
    finally:
        w.menu_bar.set_language("en")


def test_a_cjk_font_is_picked_for_chinese(qapp):
    from PySide6.QtWidgets import QApplication

    family = i18n.cjk_family()
    if family is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk)")
    try:
        i18n.set_language("zh_CN")
        assert family in QApplication.font().families()
    finally:
        i18n.set_language("en")
    assert family not in QApplication.font().families()


def test_the_backprop_walk_reads_in_chinese_at_every_gate(make_window, qtbot):
    """Every rule, number line, layer band and table header of a whole backward walk
    through the live network (batch norm and ReLU: every kind of gate) is Chinese."""
    from nnvis.app.panels.backprop_walk import Walk  # noqa: F401  (the panel's own walk)
    w = make_window("thread", model__activation="relu", model__batch_norm=True,
                    optim__l2=0.001)
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    try:
        w.menu_bar.set_language("zh_CN")
        w.dock_layout.show_view("backprop:network")
        w.backprop.forward()
        qtbot.waitUntil(lambda: w.backprop.walk.forward_shown, timeout=TIMEOUT)
        scene_texts = [("graph", item.text()) for item in w.backprop.scene.items()
                       if hasattr(item, "text") and callable(item.text)]
        seen = []
        while not w.backprop.walk.finished:
            w.backprop.step_backward()
            seen.append(("rule line", re.sub(r"<[^>]*>", " ", w.backprop.rule_label.text())))
        texts = seen + scene_texts + visible_texts(w)
        bad = english_words(texts)
        assert not bad, "English left in the Chinese backprop walk:\n" + "\n".join(bad[:20])
        assert any("批归一化" in t for _, t in seen)   # the one-sample note, translated
        assert any("max 门" in t for _, t in seen)
    finally:
        w.menu_bar.set_language("en")


@pytest.mark.parametrize("changes", [{"optim.lr": -1}, {"model.activation": 7},
                                     {"model.batch_norm": 3}, {"data.train_fraction": 2},
                                     {"optim.batch_size": 2.5}, {"model.hidden": [4] * 33}])
def test_the_engines_refusals_read_in_chinese(qtbot, changes):
    """What the Qt-free engine says when it refuses a value (English, for the CLI) is shown
    translated next to the field: the real message of a real refusal, not a copy."""
    from nnvis.app.controls import ControlsPanel
    from nnvis.core import Config, ConfigError
    with pytest.raises(ConfigError) as refused:
        Config().with_changes(changes)
    panel = ControlsPanel()
    qtbot.addWidget(panel)
    try:
        i18n.set_language("zh_CN")
        shown = panel.describe(str(refused.value))
        assert "必须" in shown, shown
        assert not english_words([("refusal", shown)]), shown
    finally:
        i18n.set_language("en")
    assert panel.describe(str(refused.value)).split(": ", 1)[1] == refused.value.reason


def test_the_engines_notes_read_in_chinese(qapp):
    from nnvis.app import engine_text
    from nnvis.core import Trainer, take_snapshot
    t = Trainer({"data": {"name": "xor", "n_samples": 40, "train_fraction": 1.0},
                 "optim": {"batch_size": 64}})
    snap = take_snapshot(t, grid=False)
    assert len(t.notes) == 2
    try:
        i18n.set_language("zh_CN")
        notes = engine_text.notes(snap)
        assert len(notes) == 2 and "40" in notes[0] and "64" in notes[0]
        assert not english_words([("note", n) for n in notes]), notes
    finally:
        i18n.set_language("en")
    assert engine_text.notes(snap)[0].startswith("Batch size 64 is larger than the 40")


def test_a_refusal_with_a_code_the_app_does_not_know_reads_in_english(qapp):
    from nnvis.app import engine_text
    from nnvis.core.refusals import Refusal
    new = Refusal("optim.lr: must be prime (got 4)", "optim.lr", "must be prime (got 4)",
                  "prime", {"value": "4"})
    try:
        i18n.set_language("zh_CN")
        assert engine_text.reason(new) == "must be prime (got 4)"
        assert engine_text.reason("a sentence with no code") == "a sentence with no code"
    finally:
        i18n.set_language("en")


def test_qts_own_file_dialog_reads_in_chinese(qapp):
    """Qt's widget file dialog (what nnvis's Open/Save show where there is no native one):
    Qt's catalogue and nnvis's fill in every label, mnemonics included ("查找范围(&L)：")."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QFileDialog, QLabel
    try:
        i18n.set_language("zh_CN")
        for mode in (QFileDialog.AcceptOpen, QFileDialog.AcceptSave):
            dialog = QFileDialog(None, "", "", "实验 (*.nnvis)")
            dialog.setOption(QFileDialog.DontUseNativeDialog)
            dialog.setAcceptMode(mode)
            dialog.show()
            qapp.processEvents()
            texts = [("label", lab.text()) for lab in dialog.findChildren(QLabel)]
            texts += [("button", b.text() + " " + b.toolTip())
                      for b in dialog.findChildren(QAbstractButton)]
            texts += [("combo", box.itemText(i)) for box in dialog.findChildren(QComboBox)
                      for i in range(box.count()) if "/" not in box.itemText(i)]
            dialog.close()
            dialog.deleteLater()
            bad = english_words(texts)
            assert not bad, bad
            assert ("label", "查找范围(&L)：") in texts
    finally:
        i18n.set_language("en")
