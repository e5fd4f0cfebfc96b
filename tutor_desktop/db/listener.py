"""Hears other desks: one thread reads the change feed (db/feed.py) every few hundred milliseconds on a connection
of its own, hands what changed to a callback, and keeps its place in the feed, so after the server went away and
came back it reads exactly what happened meanwhile. It reconnects by itself, saying so through a second callback.

No NOTIFY: a notification takes a server-wide lock at every notifying commit, and anything a channel carries any
login can hear and send. A poll costs one indexed read that finds nothing most of the time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

from tutor_desktop.db.feed import announcement, read_feed

log = logging.getLogger(__name__)
GAP_CHECK_EVERY = 64  # polls; and after every (re)connect


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
        self.place: int | None = None  # where the next read of the feed starts; kept across reconnects
        self._was_staff = False  # a staff member's login was seen: losing that is a deactivation
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
                    self._read(conn, check_gap=True)  # the first read only finds the place; after a reconnect,
                    self.listening.set()                 # what was missed, or that it can no longer be served
                    if online is not True:
                        online = True
                        self._tell(self._on_state, True, "")
                    reads = 0
                    while not self._stop.wait(self._poll):
                        reads += 1
                        self._read(conn, check_gap=reads % GAP_CHECK_EVERY == 0)
            except psycopg.Error as error:
                self.listening.clear()
                if online is not False:
                    online = False
                    self._tell(self._on_state, False, _short(error))
                log.debug("listener lost its connection: %s", error)
                self._stop.wait(self._retry)

    def _read(self, conn: psycopg.Connection, check_gap: bool) -> None:
        read = read_feed(conn, self.place, check_gap=check_gap)
        self.place = read.place
        if read.staff:
            self._was_staff = True
        elif self._was_staff:  # deactivated while this desk was open: it signs out now, not at its next action
            self._was_staff = False
            self._tell(self._on_change, announcement((), deactivated=True))
            return
        if read.gap or read.changes:
            self._tell(self._on_change, announcement(read.changes, everything=read.gap))

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
