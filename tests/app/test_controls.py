"""The controls dock on its own: what a user types, scrolls past, or gets refused."""
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from nnvis.app.controls import ControlsPanel


def make_controls(qtbot):
    c = ControlsPanel()
    qtbot.addWidget(c)
    c.resize(330, 400)      # short: the dock must scroll, as at 1280×800
    c.show()
    qtbot.waitExposed(c)
    sent = []
    c.changes_requested.connect(sent.append)
    return c, sent


def type_hidden(qtbot, c, text):
    c.hidden.setFocus()
    c.hidden.selectAll()
    qtbot.keyClicks(c.hidden, text)


def test_invalid_hidden_layers_disable_apply_instead_of_building_an_older_edit(qtbot):
    c, sent = make_controls(qtbot)
    type_hidden(qtbot, c, "8, 8")
    # Apply comes alive while typing, before the field loses focus.
    assert c.apply_button.isEnabled()
    c.hidden.editingFinished.emit()
    type_hidden(qtbot, c, "5000, 5000")
    c.hidden.editingFinished.emit()
    assert not c.apply_button.isEnabled()          # never builds the [8, 8] the field no longer shows
    assert c.error.text().startswith("Hidden layers, layer 1: must be")
    assert "ff6b6b" in c.hidden.styleSheet()       # the field itself is marked
    type_hidden(qtbot, c, "4, 4")
    c.hidden.editingFinished.emit()
    assert c.apply_button.isEnabled() and c.hidden.styleSheet() == "" and not c.error.isVisible()
    c.apply_button.click()
    assert sent[-1] == {"model.hidden": [4, 4]}


def test_typing_back_the_current_layers_leaves_nothing_to_apply(qtbot):
    c, _ = make_controls(qtbot)
    current = c.hidden.text()
    type_hidden(qtbot, c, "3")
    assert c.apply_button.isEnabled()
    type_hidden(qtbot, c, current)
    assert not c.apply_button.isEnabled()


def test_the_wheel_scrolls_the_dock_and_never_changes_an_unfocused_setting(qtbot):
    c, sent = make_controls(qtbot)
    combo = c.optimizer
    c.ensureWidgetVisible(combo)
    before_text, before_scroll = combo.currentText(), c.verticalScrollBar().value()
    pos = QPointF(combo.width() / 2, combo.height() / 2)
    wheel = QWheelEvent(pos, combo.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -120),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(combo, wheel)
    assert combo.currentText() == before_text and not sent
    assert c.verticalScrollBar().value() != before_scroll
    # A deliberately focused control still takes the wheel.
    c.activateWindow()
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus, timeout=2000)
    up = QWheelEvent(pos, combo.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120),
                     Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(combo, up)
    assert combo.currentText() != before_text and sent


def test_a_refused_live_change_goes_back_to_the_value_in_use(qtbot):
    c, sent = make_controls(qtbot)
    before = c.batch_size.value()
    c.batch_size.setValue(999)
    assert sent[-1] == {"optim.batch_size": 999}
    c.show_rejection("optim.batch_size: batch of 999 is larger than the 320 training samples")
    assert c.batch_size.value() == before and c.config().get("optim.batch_size") == before
    assert c.error.text().startswith("Batch size: batch of 999") and f"still {before}" in c.error.text()
    c.batch_size.setValue(16)
    c.accepted(sent[-1])
    assert not c.error.isVisible() and c.config().get("optim.batch_size") == 16


def test_the_learning_rate_slider_offers_round_rates_and_a_groove_click_is_x10(qtbot):
    c, sent = make_controls(qtbot)
    lr = c.lr
    lr.set_value(0.01)
    start = lr.slider.value()
    seen = set()
    for i in range(lr.slider.minimum(), lr.slider.maximum() + 1):
        lr.slider.setValue(i)
        seen.add(lr.value())
    assert {1e-5, 1e-3, 0.002, 0.005, 0.01, 0.1, 1.0, 10.0} <= seen
    assert all(float(f"{v:.2g}") == v for v in seen)          # never 0.000288
    lr.set_value(0.01)
    assert lr.slider.value() == start
    lr.slider.triggerAction(lr.slider.SliderAction.SliderPageStepAdd)
    assert lr.value() == 0.1 and sent[-1] == {"optim.lr": 0.1}


def test_a_refusal_after_accepted_sends_goes_back_to_the_last_accepted_value(qtbot):
    c, sent = make_controls(qtbot)
    for v in (1, 10, 100, 1000):                 # four sends before any reply
        c.batch_size.setValue(v)
    assert [s["optim.batch_size"] for s in sent] == [1, 10, 100, 1000]
    for v in (1, 10, 100):
        c.accepted({"optim.batch_size": v})
    c.show_rejection("optim.batch_size: batch of 1000 is larger than the 320 training samples")
    assert c.batch_size.value() == 100 and c.config().get("optim.batch_size") == 100
    assert "still 100" in c.error.text()


def test_a_refusal_while_a_later_send_is_pending_waits_for_it(qtbot):
    c, sent = make_controls(qtbot)
    before = c.batch_size.value()
    c.batch_size.setValue(1000)
    c.batch_size.setValue(100)
    c.show_rejection("optim.batch_size: batch of 1000 is larger than the 320 training samples")
    assert c.batch_size.value() == 100               # 100 may still be accepted
    c.accepted({"optim.batch_size": 100})
    assert c.config().get("optim.batch_size") == 100 and not c.error.isVisible()
    assert before != 100
