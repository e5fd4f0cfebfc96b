"""One task runner for every database call: work runs on worker threads, results come back to the GUI thread
by a queued signal. Writes are serialised on one thread so a desk's own actions apply in the order clicked."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

Done = Callable[[Any, BaseException | None], None]

SLOW_AFTER_MS = 300
log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Lives in the GUI thread. `submit` never blocks; `done(result, error)` is called in the GUI thread."""

    _finished = Signal(int, object, object)  # token, result, error
    slow_work = Signal(bool)  # true while some task has been running longer than SLOW_AFTER_MS
    idle = Signal()  # no task is running any more

    def __init__(self, parent: QObject | None = None, readers: int = 2) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="tutor-write")
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="tutor-read")
        self._tokens = itertools.count(1)
        self._pending: dict[int, Done] = {}
        self._started: dict[int, float] = {}
        self._slow_timer = QTimer(self, singleShot=True, interval=SLOW_AFTER_MS)
        self._slow_timer.timeout.connect(self._on_slow)
        self._slow_shown = False
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(self, work: Callable[[], Any], done: Done, *, write: bool) -> None:
        if self._closed:  # the app is closing: a late timer's reload has nowhere to go
            return
        token = next(self._tokens)
        self._pending[token] = done
        self._started[token] = time.monotonic()
        if not self._slow_timer.isActive() and not self._slow_shown:
            self._slow_timer.start(SLOW_AFTER_MS)
        (self._writer if write else self._readers).submit(self._run, token, work)

    def _run(self, token: int, work: Callable[[], Any]) -> None:
        # Worker thread: no Qt calls here but the signal emission, which Qt queues to the GUI thread.
        try:
            result = work()
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the window that asked
            self._finished.emit(token, None, error)
        else:
            self._finished.emit(token, result, None)

    @Slot(int, object, object)
    def _deliver(self, token: int, result: object, error: object) -> None:
        done = self._pending.pop(token, None)
        self._started.pop(token, None)
        if not self._pending:
            self._slow_timer.stop()
            if self._slow_shown:
                self._slow_shown = False
                self.slow_work.emit(False)
        try:
            if done is not None:
                done(result, error)
        except Exception:  # noqa: BLE001 - one window's broken callback must not stop the others' replies
            log.exception("a reply could not be shown")
        finally:
            if not self._pending:
                self.idle.emit()

    @Slot()
    def _on_slow(self) -> None:
        if not self._started:
            return
        oldest = (time.monotonic() - min(self._started.values())) * 1000
        if oldest >= SLOW_AFTER_MS - 5:
            self._slow_shown = True
            self.slow_work.emit(True)
        else:  # the slow one finished; a newer task has not been running long enough yet
            self._slow_timer.start(int(SLOW_AFTER_MS - oldest))

    def shutdown(self) -> None:
        self._closed = True
        self._pending.clear()
        self._started.clear()
        self._writer.shutdown(wait=True, cancel_futures=True)
        self._readers.shutdown(wait=True, cancel_futures=True)
