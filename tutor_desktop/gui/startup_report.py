"""For timing the start-up from outside (bench/startup.py), set by environment variables; without them nothing
here does anything.

TUTOR_DESKTOP_REPORT_STARTUP=path   write {"main_window_painted": wall-clock time} to path at the main window's
                                    first paint (the caller subtracts the process's creation time)
TUTOR_DESKTOP_QUIT_AFTER=seconds    then quit that many seconds later, the way closing the app does
TUTOR_DESKTOP_FIRST_RUN=demo        on a fresh embedded database, load the demo studio without asking
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

REPORT_ENV = "TUTOR_DESKTOP_REPORT_STARTUP"
QUIT_AFTER_ENV = "TUTOR_DESKTOP_QUIT_AFTER"
FIRST_RUN_ENV = "TUTOR_DESKTOP_FIRST_RUN"


def demo_without_asking() -> bool:
    return os.environ.get(FIRST_RUN_ENV) == "demo"


def report_first_paint(window: QWidget) -> None:
    path = os.environ.get(REPORT_ENV)
    if path:
        _FirstPaint(window, Path(path), float(os.environ.get(QUIT_AFTER_ENV) or -1))


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, path: Path, quit_after: float) -> None:
        super().__init__(window)
        self._path = path
        self._quit_after = quit_after
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            painted = time.time()
            watched.removeEventFilter(self)
            self._path.write_text(json.dumps({"main_window_painted": painted}))
            if self._quit_after >= 0:
                QTimer.singleShot(int(self._quit_after * 1000), QApplication.quit)
        return False
