"""Fail fast on a broken PySide6 install instead of crashing later.

Some PySide6 builds (6.12 on Python 3.11) release a reference to None/True/False on plain
calls such as ``QTimer.setInterval`` or a ``Signal(bool)`` emit. The refcounts then drift
down until the interpreter frees ``None`` and crashes somewhere unrelated, minutes into a
session. Here 1,000 of each call must leave the refcounts where they were. On Python 3.12+
None and True are immortal (their refcount never changes) and the test passes trivially.
"""
import gc
import sys

from PySide6.QtCore import QObject, QTimer, Signal

CALLS = 1000
TOLERANCE = 50  # a handful of references may come and go with caches; a leak shows ~1000


class Emitter(QObject):
    toggled = Signal(bool)

    def __init__(self):
        super().__init__()
        self.received = 0
        self.toggled.connect(self.on_toggled)

    def on_toggled(self, value):
        self.received += 1


def refcounts():
    gc.collect()
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def assert_steady(before, after, what):
    for name, b, a in zip(("None", "True", "False"), before, after):
        assert abs(a - b) < TOLERANCE, (
            f"{CALLS} {what} changed sys.getrefcount({name}) from {b} to {a}: this PySide6 "
            f"build mishandles references (known for PySide6 6.12 on Python 3.11); install "
            f"another PySide6 version")


def test_qtimer_set_interval_keeps_refcounts(qapp):
    timer = QTimer()
    for i in range(20):  # warm up any lazily created caches first
        timer.setInterval(10 + i)
    before = refcounts()
    for i in range(CALLS):
        timer.setInterval(10 + i % 7)
        timer.setSingleShot(bool(i % 2))
    after = refcounts()
    assert timer.interval() == 10 + (CALLS - 1) % 7
    assert_steady(before, after, "QTimer.setInterval calls")


def test_signal_emits_keep_refcounts(qapp):
    emitter = Emitter()
    for i in range(20):
        emitter.toggled.emit(bool(i % 2))
    before = refcounts()
    for i in range(CALLS):
        emitter.toggled.emit(i % 2 == 0)
    after = refcounts()
    assert emitter.received == CALLS + 20  # a direct connection: the slot ran every time
    assert_steady(before, after, "Signal(bool) emits")
