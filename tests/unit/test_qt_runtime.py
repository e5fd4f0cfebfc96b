"""The installed Qt binding does not leak or steal references on signal emission: PySide6 6.12.0 took one
reference from True per emit, which aborts Python 3.11 in a long session. This catches such a version."""

import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    flag = Signal(bool)
    thing = Signal(object)


def test_emitting_signals_keeps_the_reference_counts_of_true_and_false(qapp):
    assert QCoreApplication.instance() is not None
    emitter = _Emitter()
    received: list[object] = []
    emitter.thing.connect(received.append)
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for _ in range(200):
        emitter.plain.emit()
        emitter.flag.emit(True)
        emitter.thing.emit(False)
    received.clear()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before


class _Filter(QObject):
    def eventFilter(self, watched, event):  # noqa: ANN001, ANN201, N802 - Qt's name
        return False


def test_processing_events_and_filtering_keeps_the_reference_count_of_none(qapp):
    target, event_filter = QObject(), _Filter()
    target.installEventFilter(event_filter)
    before = sys.getrefcount(None)
    for _ in range(500):
        qapp.processEvents()
        QCoreApplication.sendEvent(target, QEvent(QEvent.Type.User))
    assert sys.getrefcount(None) >= before - 10  # a leak here loses one per call: hundreds
