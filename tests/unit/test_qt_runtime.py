"""The installed Qt binding does not leak or steal references on signal emission: PySide6 6.12.0 took one
reference from True per emit, which aborts Python 3.11 in a long session. This catches such a version."""

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


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
