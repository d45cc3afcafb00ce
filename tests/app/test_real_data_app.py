"""Real data in the app (issue 19): the task a CSV is read as and why, a loss switched to fit
it, a refused file said in the banner in the UI's language, the controls of a validation set,
the initial weights' seed and early stopping, and an early stop said."""
import contextlib

from PySide6.QtCore import QCoreApplication, QTranslator

from nnvis.app import i18n
from real_data import three_species_csv, whole_number_regression_csv, write_csv

TIMEOUT = 20_000


class Marking(QTranslator):
    """A stand-in translation: every message of ``context`` comes back in 【】, so a test
    sees which words went through the UI's language (the real .ts is the integrator's)."""

    def __init__(self, context):
        super().__init__()
        self.context = context

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"【{source}】" if context == self.context else None

    def isEmpty(self):
        return False


@contextlib.contextmanager
def marked(context):
    """The UI in another language whose ``context`` messages are marked."""
    translator = Marking(context)
    try:
        i18n.set_language("zh_CN")
        QCoreApplication.installTranslator(translator)
        QCoreApplication.processEvents()   # every widget retranslates
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
        i18n.set_language("en")


def started(make_window, qtbot, **overrides):
    w = make_window("thread", **overrides)
    qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
    return w


def opened(w, qtbot, path, label, task):
    w.csv_opening.open(path, label)
    name = path.rsplit("/", 1)[-1]
    qtbot.waitUntil(lambda: w.latest["dataset"] == name and w.latest["task"] == task
                    and w.controls.config().get("data.path") == path, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not w.csv_opening.switched_note or
                    w.latest["config"]["model"]["loss"] == w.controls.config().get(
                        "model.loss"), timeout=TIMEOUT)


def test_a_whole_number_regression_csv_switches_the_loss_to_mse_and_says_why(
        make_window, qtbot, tmp_path):
    w = started(make_window, qtbot)
    assert w.controls.loss.currentData() == "cross_entropy"
    path = whole_number_regression_csv(tmp_path)
    opened(w, qtbot, path, "score", "regression")
    qtbot.waitUntil(lambda: w.latest["config"]["model"]["loss"] == "mse", timeout=TIMEOUT)
    # Switched, never refused: no banner, no error under the controls.
    assert w.controls.loss.currentData() == "mse" and w.banner.kind is None
    assert not w.controls.error.isVisibleTo(w.controls)
    said = w.statusBar().currentMessage()
    assert said.startswith("A regression target: the loss cross_entropy is switched to mse"), said
    assert "Label column 'score' has 175 distinct whole numbers, 175 of them in fewer than " \
           "20 rows each: read as a regression target (Task: classification to change)" in said
    line = w.controls.task_label.text()
    assert "175 distinct whole numbers" in line and "read as a regression target" in line
    assert w.controls.task_label.isVisibleTo(w.controls)
    # The greyed fields say the file's numbers, not the built-in sets' 2 and 120.
    assert w.controls.n_samples.value() == 400 and not w.controls.n_samples.isEnabled()
    assert w.controls.classes.text() == "none (regression)"


def test_a_text_label_csv_while_mse_switches_back_to_cross_entropy(make_window, qtbot,
                                                                   tmp_path):
    w = started(make_window, qtbot, model__loss="mse")
    path = three_species_csv(tmp_path)
    opened(w, qtbot, path, "species", "classification")
    qtbot.waitUntil(lambda: w.latest["config"]["model"]["loss"] == "cross_entropy",
                    timeout=TIMEOUT)
    assert w.controls.loss.currentData() == "cross_entropy"
    said = w.statusBar().currentMessage()
    assert "switched to cross_entropy" in said and "holds text: read as 3 classes" in said
    assert w.controls.classes.value() == 3 and w.controls.n_samples.value() == 150
    assert "holds text" in w.controls.task_label.text()
    w.csv_opening.open(whole_number_regression_csv(tmp_path), "score")   # and back: mse
    qtbot.waitUntil(lambda: w.latest["task"] == "regression", timeout=TIMEOUT)
    assert w.latest["config"]["model"]["loss"] == "mse"


def test_the_task_line_and_notes_read_in_the_ui_language(make_window, qtbot, tmp_path):
    w = started(make_window, qtbot)
    opened(w, qtbot, three_species_csv(tmp_path), "species", "classification")
    with marked("EngineText"):
        line = w.controls.task_label.text()
        assert "【Label column 'species' holds text: read as 3 classes】" in line, line
        w.csv_opening.open(whole_number_regression_csv(tmp_path), "score")
        qtbot.waitUntil(lambda: w.latest["task"] == "regression" and
                        w.latest["config"]["model"]["loss"] == "mse", timeout=TIMEOUT)
        said = w.statusBar().currentMessage()
        # Params filled in, the losses named as the loss field names them.
        assert "【A 回归 target: the loss 交叉熵（softmax） is switched to 均方误差（MSE）】" \
            in said, said
        assert "【Label column 'score' has 175 distinct whole numbers" in said, said


def test_a_refused_csv_is_said_in_the_banner_in_the_ui_language(make_window, qtbot, tmp_path):
    w = started(make_window, qtbot)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(20))
                   + "3,abc,1\n")
    w.controls.setVisible(False)   # the dock may be closed or behind Lessons: still said
    w.csv_opening.open(str(bad), "label")
    qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
    assert "Could not open bad.csv: row 22, column 'x2': 'abc' is not a number" in \
        w.banner.text(), w.banner.text()
    # The controls go back to what is trained (the Dataset field does not name the file).
    assert w.controls.config().get("data.path") is None and w.latest["dataset"] == "xor"
    assert not w.controls.csv_label.isVisibleTo(w.controls)
    few = write_csv(tmp_path / "few.csv", ["a", "label"], [[1, 0], [2, 1], [3, 0]])
    with marked("EngineText"):   # said again in the new language
        assert "无法打开 bad.csv：【row 22, column 'x2': 'abc' is not a number】" in \
            w.banner.text(), w.banner.text()
        w.banner.clear()
        w.csv_opening.open(few, "label")
        qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
        assert "【few.csv has only 3 data rows; at least 8 are needed】" in w.banner.text()


def test_a_csv_refused_only_for_its_loss_waits_for_another_loss(make_window, qtbot, tmp_path):
    w = started(make_window, qtbot, model__loss="binary_cross_entropy")
    path = three_species_csv(tmp_path)
    w.csv_opening.open(path, "species")
    qtbot.waitUntil(lambda: w.banner.kind == "error", timeout=TIMEOUT)
    assert "species.csv is not opened yet: binary_cross_entropy needs 2 classes" in \
        w.banner.text()
    c = w.controls
    assert w.latest["dataset"] == "xor" and c.dataset.currentData() == "xor"
    assert "CSV file" in c.pending_label.text() and not c.apply_button.isEnabled()
    assert "ff6b6b" in c.loss.styleSheet() and c.error.text().startswith("Loss: ")
    c.loss.setCurrentIndex(c.loss.findData("cross_entropy"))
    c.loss.activated.emit(c.loss.currentIndex())
    assert c.apply_button.isEnabled()
    c.apply_button.click()   # the file is remembered: Apply trains on it
    qtbot.waitUntil(lambda: w.latest["dataset"] == "species.csv", timeout=TIMEOUT)
    assert w.latest["config"]["model"]["loss"] == "cross_entropy"


def test_a_rebuild_refused_for_its_loss_applies_with_mse_on_the_same_csv(make_window, qtbot,
                                                                       tmp_path):
    w = started(make_window, qtbot)
    numbers = write_csv(tmp_path / "numbers.csv", ["a", "b", "y"],
                        [[i % 7, i % 5, i % 3] for i in range(60)])
    opened(w, qtbot, numbers, "y", "classification")
    c = w.controls
    c.task.setCurrentIndex(c.task.findData("regression"))
    c.task.activated.emit(c.task.currentIndex())
    c.apply_button.click()   # cross-entropy cannot train a regression: refused
    qtbot.waitUntil(lambda: "ff6b6b" in c.loss.styleSheet(), timeout=TIMEOUT)
    assert c.task.currentData() == "regression" and "Task" in c.pending_label.text()
    c.loss.setCurrentIndex(c.loss.findData("mse"))
    c.loss.activated.emit(c.loss.currentIndex())
    c.apply_button.click()
    qtbot.waitUntil(lambda: w.latest["task"] == "regression", timeout=TIMEOUT)
    assert w.latest["dataset"] == "numbers.csv"   # not the previous data


def test_validation_share_init_seed_early_stopping_and_patience(make_window, qtbot):
    w = started(make_window, qtbot)
    c = w.controls
    c.early_stopping.setChecked(True)   # no validation set yet: said why, nothing sent
    assert "needs a validation set" in c.error.text(), c.error.text()
    assert not c.patience.isEnabled()
    c.early_stopping.setChecked(False)
    c.val_fraction.setValue(0.25)
    c.early_stopping.setChecked(True)   # with the validation share, on Apply
    assert c.patience.isEnabled() and not c.error.isVisibleTo(c)
    c.early_stopping.setChecked(False)
    assert c.init_seed.text() == "same as Seed"
    c.init_seed.setValue(7)
    c.apply_button.click()
    qtbot.waitUntil(lambda: w.latest["n_val"] > 0 and
                    w.latest["config"]["model"]["init_seed"] == 7, timeout=TIMEOUT)
    c.early_stopping.setChecked(True)   # live
    qtbot.waitUntil(lambda: w.latest["config"]["optim"]["early_stopping"], timeout=TIMEOUT)
    assert c.patience.isEnabled()
    c.patience.setValue(3)
    qtbot.waitUntil(lambda: w.latest["config"]["optim"]["patience"] == 3, timeout=TIMEOUT)
    c.init_seed.setValue(-1)   # back to the seed's weights: null
    c.apply_button.click()
    qtbot.waitUntil(lambda: w.latest["config"]["model"]["init_seed"] is None, timeout=TIMEOUT)


def test_an_early_stop_is_said_and_play_trains_on(make_window, qtbot):
    w = started(make_window, qtbot, data__val_fraction=0.3, optim__early_stopping=True,
                optim__patience=1, optim__eval_every=1, optim__lr=0.5)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.banner.kind == "early_stop", timeout=TIMEOUT)
    stop = w.latest["early_stop"]
    assert not w.engine_controller.running
    text = w.banner.text()
    assert f"Stopped early at step {stop['step']}" in text, text
    assert f"best step {stop['best_step']} restored (validation loss" in text, text
    assert w.statusBar().currentMessage().startswith(f"Stopped early at step {stop['step']}")
    assert w.banner.button.text() == "Train on"
    w.banner.button.click()   # patience starts over from the best weights: it trains on
    qtbot.waitUntil(lambda: w.latest["step"] > stop["step"], timeout=TIMEOUT)
    with marked("EngineText"):
        w.banner.show_early_stop(stop)
        text = w.banner.text()   # the params filled in the translated sentence
        assert f"<b>【Stopped early at step {stop['step']}:</b>" in text, text
        assert f"best step {stop['best_step']} restored (validation loss" in text, text


def test_every_way_a_csv_is_refused_reads_in_the_ui_language(qapp, tmp_path):
    from nnvis.app import engine_text
    from nnvis.core.config import ConfigError
    from nnvis.core.data import load_dataset

    rows = [[i, i % 2] for i in range(20)]
    files = {   # name: (header, rows, label column)
        "not_number.csv": (["a", "y"], rows + [["x", 1]], "y"),
        "few.csv": (["a", "y"], rows[:3], "y"),
        "ragged.csv": (["a", "y"], rows + [[1, 2, 3]], "y"),
        "one_class.csv": (["a", "y"], [[i, 1] for i in range(20)], "y"),
        "empty_label.csv": (["a", "y"], rows + [[1, ""]], "y"),
        "duplicate.csv": (["a", "a", "y"], [[1, 2, 0]] * 20, "y"),
        "no_label.csv": (["a", "y"], rows, "z"),
        "only_label.csv": (["y"], [[i % 2] for i in range(20)], "y"),
        "no_rows.csv": (["a", "y"], [], "y"),
    }
    refusals = []
    for name, (header, body, label) in files.items():
        path = write_csv(tmp_path / name, header, body)
        try:
            load_dataset({"path": path, "label_column": label}, 0)
        except ConfigError as exc:
            refusals.append(str(exc))
    refusals.append(str(_refused({"path": str(tmp_path / "missing.csv"),
                                  "label_column": "y"})))
    assert len(refusals) == len(files) + 1 and all(r.code for r in refusals), refusals
    assert engine_text.reason(refusals[0]) == refusals[0].reason   # English: the engine's
    with marked("EngineText"):
        for refusal in refusals:
            shown = engine_text.reason(refusal)
            assert shown.startswith("【") and "{" not in shown, (refusal.code, shown)


def _refused(data):
    from nnvis.core.config import ConfigError
    from nnvis.core.data import load_dataset
    try:
        load_dataset(data, 0)
    except ConfigError as exc:
        return exc
    raise AssertionError("not refused")
