"""The real main window, driven as a user would, with both training engines."""
import numpy as np
import pytest

from helpers import small_config
from nnvis.core import commands


ENGINES = ["thread", "process"]
TIMEOUT = 20_000  # ms: a spawned trainer process imports NumPy first


def wait_snapshot(qtbot, w, predicate=lambda s: True, timeout=TIMEOUT):
    """Wait for a snapshot received from now on (or the latest one) that satisfies predicate."""
    mark = len(w.seen)
    found = []

    def match():
        if w.latest is not None and predicate(w.latest):
            found.append(w.latest)
            return True
        hits = [s for s in w.seen[mark:] if predicate(s)]
        found.extend(hits)
        return bool(hits)

    qtbot.waitUntil(match, timeout=timeout)
    return found[-1]


@pytest.mark.parametrize("engine", ENGINES)
def test_opens_with_every_panel_and_play_fills_the_plots(make_window, qtbot, engine):
    w = make_window(engine)
    for name in ("controls", "lessons", "topology", "loss", "gradient_flow", "data",
                 "activation", "histograms"):
        assert name in w.docks
    snap = wait_snapshot(qtbot, w)
    assert snap["step"] == 0
    w.commands.toggle_play()
    snap = wait_snapshot(qtbot, w, lambda s: s["step"] > 50)
    assert w.engine_controller.running
    qtbot.waitUntil(lambda: len(w.loss_panel.snapshot["history"]["step"]) > 10, timeout=TIMEOUT)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: not w.latest["running"], timeout=TIMEOUT)
    assert "steps/s" in w.status_line.labels["rate"].text() or "paused" in w.status_line.labels["rate"].text()
    assert "parameters" in w.status_line.labels["params"].text()


def test_training_starts_at_a_speed_you_can_watch_and_lessons_pick_theirs(qtbot):
    from nnvis.app.main_window import MainWindow, speed_for
    from nnvis.lessons import LESSONS

    w = MainWindow(engine="thread", config=small_config(), restore_layout=False)
    qtbot.addWidget(w)
    try:
        assert w.toolbar.speed() == 100     # the default spiral takes ~10 s to learn, not 0.5 s
        qtbot.waitUntil(lambda: w.latest is not None, timeout=TIMEOUT)
        w.commands.toggle_play()
        qtbot.wait(600)
        assert 20 <= w.latest["step"] <= 150
        w.commands.toggle_play()
        long_lesson = next(k for k, v in LESSONS.items() if v.steps >= 2000)
        w.load_lesson(long_lesson)
        assert w.toolbar.speed() == speed_for(LESSONS[long_lesson].steps) == 300
        w.set_speed(None)
        assert w.toolbar.speed() is None
    finally:
        w.shutdown()


def test_panels_take_turns_and_a_dock_tabbed_away_is_not_drawn(make_window, qtbot):
    """No frame pays for every panel at once; a panel hidden behind another tab costs
    nothing until it is brought forward, then it shows the newest snapshot."""
    w = make_window("thread")
    w.frame_timer.stop()
    snap = wait_snapshot(qtbot, w)
    w.docks["gradient_flow"].raise_()   # the histograms dock shares its tab group
    qtbot.waitUntil(lambda: not w.histograms.on_screen(), timeout=TIMEOUT)
    drawn = {p.panel_id: 0 for p in w.panels}
    per_tick = []
    for _ in range(6):
        w.show_snapshot(dict(snap))
        names = [p.panel_id for p in w.render_frame()]
        per_tick.append(len(names))
        for name in names:
            drawn[name] += 1
    assert drawn["topology"] == 3 and drawn["loss"] == 3          # 15 Hz
    assert drawn["gradient_flow"] == drawn["activation"] == drawn["data"] == 2  # 10 Hz
    assert drawn["histograms"] == 0 and max(per_tick) <= 3
    w.docks["histograms"].raise_()
    qtbot.waitUntil(lambda: w.histograms.on_screen(), timeout=TIMEOUT)
    for _ in range(3):
        w.render_frame()
    assert w.histograms.w_curve.getData()[1] is not None and w.histograms.w_curve.getData()[1].sum() > 0


@pytest.mark.parametrize("engine", ENGINES)
def test_step_advances_exactly_one_step_and_reset_reinitialises(make_window, qtbot, engine):
    w = make_window(engine)
    wait_snapshot(qtbot, w)
    w.commands.step_once()
    wait_snapshot(qtbot, w, lambda s: s["step"] == 1)
    w.commands.step_once()
    snap = wait_snapshot(qtbot, w, lambda s: s["step"] == 2)
    before = snap["layers"][0]["edges"].copy()
    w.controls.seed.setValue(7)  # structural: waits for Apply
    w.commands.reset()
    snap = wait_snapshot(qtbot, w, lambda s: s["step"] == 0 and s["config"]["seed"] == 7)
    assert not np.array_equal(before, snap["layers"][0]["edges"])


@pytest.mark.parametrize("engine", ENGINES)
def test_live_controls_change_the_running_trainer(make_window, qtbot, engine):
    w = make_window(engine)
    wait_snapshot(qtbot, w)
    w.commands.toggle_play()
    wait_snapshot(qtbot, w, lambda s: s["step"] > 5)
    w.controls.activation.setCurrentText("relu")
    w.controls.activation.activated.emit(w.controls.activation.currentIndex())
    snap = wait_snapshot(qtbot, w, lambda s: s["activation"]["name"] == "relu")
    assert snap["layers"][0]["activation"] == "relu"
    steps_at_switch = snap["step"]
    w.controls.lr.set_value(0.002)
    w.controls.lr.value_committed.emit(0.002)
    wait_snapshot(qtbot, w, lambda s: s["lr"] == pytest.approx(0.002))
    w.controls.dropout.setValue(0.25)
    wait_snapshot(qtbot, w, lambda s: s["layers"][0]["dropout"] == pytest.approx(0.25))
    w.controls.batch_norm.setChecked(True)
    snap = wait_snapshot(qtbot, w, lambda s: s["layers"][0]["batch_norm"])
    assert snap["step"] >= steps_at_switch  # live: the weights and step count were kept
    # The activation panel follows the trainer's activation.
    w.activation_panel.render(force=True)
    assert w.activation_panel.snapshot["activation"]["name"] == "relu"
    w.commands.toggle_play()


def test_invalid_value_is_shown_inline_and_not_sent(make_window, qtbot):
    w = make_window("thread")
    wait_snapshot(qtbot, w)
    w.controls.lr.field.setText("-3")
    w.controls.lr.field.editingFinished.emit()
    assert w.controls.error.isVisible() or not w.controls.error.isHidden()
    # Named as the control is labelled, not by its config path.
    assert w.controls.error.text().startswith("Learning rate: must be")
    assert w.latest["lr"] == pytest.approx(0.02)
    w.controls.lr.field.setText("fast")
    w.controls.lr.field.editingFinished.emit()
    assert "'fast' is not a number" in w.controls.error.text()
    assert "(still 0.02)" in w.controls.error.text()      # what training goes on with
    assert w.latest["lr"] == pytest.approx(0.02)


@pytest.mark.parametrize("engine", ENGINES)
def test_huge_learning_rate_shows_the_divergence_banner(make_window, qtbot, engine):
    w = make_window(engine, optim__name="sgd", optim__lr=1e4, model__activation="relu",
                    model__hidden=[16, 16])
    wait_snapshot(qtbot, w)
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: w.banner.kind == "divergence", timeout=TIMEOUT)
    assert "diverged" in w.banner.text().lower()
    assert w.banner.isVisible() and w.banner.button.isVisible() and w.banner.button.isEnabled()
    assert w.banner.width() > 400  # laid out across the window, not a hidden 640x480 orphan
    qtbot.waitUntil(lambda: not w.engine_controller.running, timeout=TIMEOUT)
    snap = wait_snapshot(qtbot, w, lambda s: s["divergence"] is not None)
    for layer in snap["layers"]:
        assert np.all(np.isfinite(layer["edges"]))
    # The banner's fix: lower the rate and resume — training goes on by itself (at 1e3 it
    # may blow up again: then the banner is back and another click lowers it further).
    w.banner.button.click()
    assert w.controls.config().get("optim.lr") == pytest.approx(1e3)
    for _ in range(6):
        assert w.banner.kind is None
        # Running as the trainer reports it (unless it blew up again at once).
        qtbot.waitUntil(lambda: w.engine_controller.running or w.banner.kind == "divergence", timeout=TIMEOUT)
        start = w.latest["step"]
        qtbot.waitUntil(lambda: w.banner.kind == "divergence" or
                        (w.latest["step"] > start + 20 and w.latest["divergence"] is None),
                        timeout=TIMEOUT)
        if w.banner.kind is None:
            break
        w.banner.button.click()
    assert w.banner.kind is None and w.latest["running"]


@pytest.mark.parametrize("engine", ENGINES)
def test_closing_while_training_stops_cleanly(make_window, qtbot, engine):
    w = make_window(engine)
    wait_snapshot(qtbot, w)
    w.commands.toggle_play()
    wait_snapshot(qtbot, w, lambda s: s["step"] > 10)
    thread = w.engine_controller.handle.thread
    w.close()
    assert not thread.isRunning()


def test_switching_engine_keeps_the_window_working(make_window, qtbot):
    w = make_window("thread")
    wait_snapshot(qtbot, w)
    w.switch_engine("process")
    w.latest = None
    snap = wait_snapshot(qtbot, w)
    assert w.engine_controller.handle.engine == "process" and snap["step"] == 0
    w.commands.step_once()
    wait_snapshot(qtbot, w, lambda s: s["step"] == 1)


def test_lesson_loads_its_config(make_window, qtbot):
    from nnvis.lessons import LESSONS

    w = make_window("thread")
    wait_snapshot(qtbot, w)
    w.activation_panel.set_compared(["relu"])
    lesson_id = list(LESSONS)[-1]
    w.load_lesson(lesson_id)
    # An activation overlay picked before does not follow into the lesson.
    assert not any(a.isChecked() for a in w.activation_panel.compare_actions.values())
    expected = LESSONS[lesson_id].config.get("model", {}).get("hidden")
    snap = wait_snapshot(qtbot, w, lambda s: expected is None or
                         s["config"]["model"]["hidden"] == expected)
    assert snap["step"] == 0


def test_lesson_switches_flip_compare_and_handmade_xor(make_window, qtbot):
    w = make_window("thread")
    wait_snapshot(qtbot, w)
    w.load_lesson("vanishing-gradients")
    wait_snapshot(qtbot, w, lambda s: s["activation"]["name"] == "sigmoid" and s["fresh"])
    assert w.lessons.flip_button.isEnabled() and "ReLU" in w.lessons.flip_button.text()
    w.lessons.compare_button.click()
    snap = wait_snapshot(qtbot, w, lambda s: "compare" in s)
    changes = snap["compare"]["changes"]
    assert changes["model.activation"] == "relu" and changes["model.init"] == "he"
    # The status bar names only what the switch really flips, as the controls label it.
    message = w.statusBar().currentMessage()
    assert "Activation = relu" in message and "Init = he" in message
    assert "Batch norm" not in message and "model." not in message
    # The copy's loss is drawn next to the original's.
    w.commands.toggle_play()
    snap = wait_snapshot(qtbot, w, lambda s: len((s.get("compare") or {}).get(
        "history", {}).get("step", ())) > 5)
    w.commands.toggle_play()
    w.loss_panel.render(force=True)
    assert w.loss_panel.compare_curve.isVisible()
    assert len(w.loss_panel.compare_curve.getData()[0]) > 5
    assert "flipped copy" in w.loss_panel.readout_text()
    w.lessons.compare_button.click()
    wait_snapshot(qtbot, w, lambda s: "compare" not in s)
    w.lessons.flip_button.click()
    snap = wait_snapshot(qtbot, w, lambda s: s["activation"]["name"] != "sigmoid")
    assert w.controls.activation.currentText() == snap["activation"]["name"]
    # Compare after a flip still compares the lesson's baseline with its switch.
    w.lessons.compare_button.click()
    snap = wait_snapshot(qtbot, w, lambda s: "compare" in s)
    assert snap["activation"]["name"] == "sigmoid"
    w.lessons.compare_button.click()
    w.load_lesson("xor")
    wait_snapshot(qtbot, w, lambda s: s["fresh"])
    assert w.lessons.xor_button.isVisible()
    w.lessons.xor_button.click()
    snap = wait_snapshot(qtbot, w, lambda s: [l["width"] for l in s["layers"]] == [2, 2])
    assert snap["test_acc"] == 1.0


def test_lessons_follow_the_app_language(make_window, qtbot):
    w = make_window("thread")
    try:
        w.menu_bar.set_language("zh_CN")
        qtbot.waitUntil(lambda: w.lessons.load_button.text() == "载入课程", timeout=TIMEOUT)
        # The Lessons menu and the status bar follow the chosen language too.
        title = w.menu_bar.lesson_actions["vanishing-gradients"].text()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in title)
        w.load_lesson("vanishing-gradients")
        assert title in w.statusBar().currentMessage()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in w.lessons.text.toPlainText())
    finally:
        w.menu_bar.set_language("en")


def test_help_lists_the_keyboard_shortcuts(make_window):
    w = make_window("thread")
    text = w.menu_bar.shortcuts_html()
    for key, what in (("Space", "Play"), ("Right", "Step"), ("R", "Reset")):
        assert f"<b>{key}</b>" in text and what in text


def test_a_window_opened_on_a_lesson_preset_shows_that_lesson_loaded(qtbot):
    from nnvis.app.main_window import MainWindow
    from nnvis.lessons import preset_config

    w = MainWindow(engine="thread", config=preset_config("dead-relu"), restore_layout=False)
    qtbot.addWidget(w)
    try:
        assert w.lessons.loaded_id == "dead-relu" and w.lessons.current_id() == "dead-relu"
        assert w.lessons.flip_button.isEnabled()
    finally:
        w.shutdown()


def test_snapshots_come_as_often_as_the_busiest_panel_redraws(make_window, qtbot):
    import time

    w = make_window("thread")
    assert w.snapshot_hz() == pytest.approx(1000 / 33 / 2)    # network and loss: 15 Hz
    wait_snapshot(qtbot, w)
    w.commands.toggle_play()
    qtbot.wait(300)
    n0, t0 = len(w.seen), time.perf_counter()
    qtbot.wait(1500)
    rate = (len(w.seen) - n0) / (time.perf_counter() - t0)
    w.commands.toggle_play()
    assert 5 <= rate <= 18


def test_the_window_shows_running_only_as_the_trainer_reports_it(make_window, qtbot):
    """The session owns "running": a click asks, the Play button changes when the trainer
    says so — and a refused reset leaves a running trainer shown as running."""
    w = make_window("thread")
    wait_snapshot(qtbot, w)
    w.commands.toggle_play()
    assert not w.engine_controller.running                     # asked, not yet told
    qtbot.waitUntil(lambda: w.engine_controller.running, timeout=TIMEOUT)
    w.send(commands.Reset(small_config(optim__lr=-1)))   # refused: the trainer goes on
    qtbot.waitUntil(lambda: "must be" in w.controls.error.text() + w.banner.text(),
                    timeout=TIMEOUT)
    wait_snapshot(qtbot, w, lambda s: s["running"])
    assert w.engine_controller.running and w.toolbar.play_action.text() == "Pause"
    w.commands.toggle_play()
    qtbot.waitUntil(lambda: not w.engine_controller.running, timeout=TIMEOUT)
