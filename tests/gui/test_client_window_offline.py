"""The database server stops under an open client window: the desk says so, gives its buttons back, and the
window never stops painting for long."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from PySide6.QtCore import Qt, QTimer

from tests.gui.client_helpers import close_all, confirm_with_reason, open_window, remaining
from tutor_desktop.app import start_desk
from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import StaffRole

MAX_STALL_S = 0.2


class StallMeter:
    """Ticks every 10 ms on the GUI thread and keeps the longest gap between ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer(interval=10)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> None:
        self._timer.stop()
        self._tick()


@pytest.fixture
def stoppable(tmp_path):
    database = open_embedded(tmp_path / "studio")
    repo = Repository(make_engine(database.app_url))
    yield database, repo
    repo.close()
    database.close()


@pytest.mark.parametrize("when", ["before the click", "while the request is out"])
def test_the_server_stops_mid_action(qtbot, stoppable, report_figure, when):
    database, repo = stoppable
    repo.claim_empty_studio("Desk Admin")  # as the app does on a new local database
    repo.add_staff("Tutor", StaffRole.TUTOR)
    client = repo.create_client("Offline Client")
    package = repo.sell_package(client, "10 sessions", 10)
    desk = start_desk(repo, database.app_url)
    window = None
    try:
        qtbot.waitUntil(desk.listener.listening.is_set, timeout=5000)
        window = open_window(qtbot, desk.ctx, client)
        use = window.card.use_button
        meter = StallMeter()
        confirm_with_reason(window)
        if when == "before the click":
            database.server.stop()
            meter.start()
            qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
        else:
            # Another session holds the package's row, so the request waits in the server; then the server
            # stops (on another thread, as an administrator or a crash would) under the waiting request.
            holder = psycopg.connect(database.admin_url)
            holder.execute("SELECT 1 FROM tutor.packages WHERE id = %s FOR UPDATE", (package,))
            meter.start()
            qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
            with psycopg.connect(database.admin_url, autocommit=True) as watcher:
                qtbot.waitUntil(lambda: watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()[0] > 0,
                    timeout=5000)
            stopper = threading.Thread(target=database.server.stop)
            stopper.start()
        assert not use.isEnabled()
        qtbot.waitUntil(lambda: window.message_bar.text() != "" and use.isEnabled(), timeout=15000)
        meter.stop()
        if when != "before the click":
            stopper.join()
            holder.close()

        assert window.card.reinstate_button.isEnabled()
        if when == "before the click" or window.message_bar.kind == "error":
            assert window.message_bar.kind == "error", window.message_bar.text()
            assert "database" in window.message_bar.text().lower()
            assert remaining(window) == "10"  # nothing came back, so nothing changed on screen
        else:
            # The shutdown ended the lock holder first and the request committed before its own end: the
            # reply got through, and the window shows what it said.
            assert window.message_bar.text() == "One session used. 9 remaining."
            assert remaining(window) == "9"
        report_figure(f"longest GUI stall with the server stopped {when}: {meter.longest * 1000:.0f} ms")
        assert meter.longest < MAX_STALL_S
    finally:
        if window is not None:
            close_all(window)
        desk.close(close_studio=False)
