"""PySide6 6.12 returns the result of `SignalInstance.emit()` (True) without taking a reference to it, so every
emit takes one reference from `True`. On Python before 3.12, where True is not immortal, a busy desk (or a test
run) drives its count to zero and the interpreter aborts ("bool_dealloc: deallocating True or False"). When the
installed PySide6 shows the fault, True and False get a reference count no program can use up."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

_PINNED = 1 << 48


class _Probe(QObject):
    ping = Signal()


def emit_loses_references() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def pin_booleans() -> None:
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # immortal there
    if not emit_loses_references():
        return
    for value in (True, False):
        refcount = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt is a PyObject's first field
        if refcount.value < _PINNED:
            refcount.value += _PINNED
