"""The backups' own clock: a while after the desk opens and every hour after, the daily backup and the weekly
test restore run when due, on a thread of their own (never in the way of the desk's reads and writes, and
silent unless something fails: then `problem` says what)."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from tutor_desktop.domain import DueWork, TutorDeskError
from tutor_desktop.ports import Backups

FIRST_AFTER_MS = 60_000
EVERY_MS = 3_600_000
log = logging.getLogger(__name__)


class BackupScheduler(QObject):
    problem = Signal(str)  # a person's words: what failed
    ran = Signal(object)  # the DueWork of each look

    _answered = Signal(object, object)  # DueWork or None, error: from the worker thread

    def __init__(self, backups: Backups, parent: QObject | None = None, first_after_ms: int = FIRST_AFTER_MS,
                 every_ms: int = EVERY_MS) -> None:
        super().__init__(parent)
        self._backups = backups
        self._thread: threading.Thread | None = None
        self._every_ms = every_ms
        self._timer = QTimer(self, singleShot=True, interval=first_after_ms)
        self._timer.timeout.connect(self.look)
        self._answered.connect(self._deliver)

    def start(self) -> None:
        self._timer.start()

    @Slot()
    def look(self) -> None:
        self._timer.start(self._every_ms)
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._work, name="tutor-backups", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            self._answered.emit(self._backups.run_due(), None)
        except BaseException as error:  # noqa: BLE001 - reported on the desk, the desk goes on
            self._answered.emit(None, error)

    @Slot(object, object)
    def _deliver(self, work: DueWork | None, error: BaseException | None) -> None:
        if error is not None:
            if not isinstance(error, TutorDeskError):
                log.error("the automatic backup failed", exc_info=error)
            self.problem.emit(f"The automatic backup failed: {getattr(error, 'message', error)}")
            return
        if work.problem:
            self.problem.emit(work.problem)
        self.ran.emit(work)

    def stop(self, wait_s: float = 120) -> None:
        """Stops the clock and lets a backup that is under way finish."""
        self._timer.stop()
        if self._thread is not None:
            self._thread.join(wait_s)
