"""Hears other desks: one thread LISTENs on the channel the SQL functions NOTIFY, hands each payload to a
callback, and reconnects by itself when the server goes away, saying so through a second callback."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

CHANNEL = "tutor_desk_changes"
log = logging.getLogger(__name__)


class ChangeListener:
    def __init__(
        self,
        conninfo: str,
        on_change: Callable[[str], None],
        on_state: Callable[[bool, str], None] = lambda online, message: None,
        *,
        poll_seconds: float = 0.25,
        retry_seconds: float = 1.0,
    ) -> None:
        self._conninfo = conninfo
        self._on_change = on_change
        self._on_state = on_state
        self._poll = poll_seconds
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tutor-listen", daemon=True)
        self.listening = threading.Event()

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        online: bool | None = None
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self._conninfo, autocommit=True, connect_timeout=3, application_name="tutor-desktop listener",
                    keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2,
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if online is not True:
                        online = True
                        self._tell(self._on_state, True, "")
                    rounds = 0
                    while not self._stop.is_set():
                        for notify in conn.notifies(timeout=self._poll):
                            self._tell(self._on_change, notify.payload)
                        rounds += 1
                        if rounds % 8 == 0:  # notifies() returns quietly on timeout; a round trip shows a dead server
                            conn.execute("SELECT 1")
            except psycopg.Error as error:
                self.listening.clear()
                if online is not False:
                    online = False
                    self._tell(self._on_state, False, _short(error))
                log.debug("listener lost its connection: %s", error)
                self._stop.wait(self._retry)


    @staticmethod
    def _tell(callback: Callable[..., None], *args: object) -> None:
        # A receiver's failure must not end the thread: the desk would stop hearing other desks for good.
        try:
            callback(*args)
        except Exception:  # noqa: BLE001
            log.exception("a change could not be passed on")


def _short(error: psycopg.Error) -> str:
    """What the driver said, as the banner's details."""
    return str(error).strip() or type(error).__name__


def listen(conninfo: str, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> ChangeListener:
    """A listener on `conninfo`, started."""
    listener = ChangeListener(conninfo, on_change=on_change, on_state=on_state)
    listener.start()
    return listener
