"""The operating system asking the app to end: the desktop session logging out, SIGTERM (shutdown, `kill`),
SIGHUP and SIGINT (Ctrl+C in a terminal) close it as a normal close does, so what it started, the embedded
server included, is stopped.

Qt's event loop runs in C++, where Python's signal handlers cannot run; the signal also writes a byte to a socket
that Qt watches, which wakes the loop, so the handler runs at once."""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier, Slot
from PySide6.QtWidgets import QApplication


class QuitOnTermination(QObject):
    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._previous = {sig: signal.signal(sig, self._asked_to_end) for sig in _SIGNALS}
        app.commitDataRequest.connect(self._session_ending)

    def _asked_to_end(self, _signum: int, _frame: object) -> None:
        self._app.quit()

    @Slot(object)
    def _session_ending(self, _manager: object) -> None:
        self._app.quit()  # nothing is left unsaved: every action was sent when it was made

    @Slot()
    def _woken(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except OSError:  # drained
            pass

    def restore(self) -> None:
        """Hands the signals back (for tests that install this in a long-lived process)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()


_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name))
