"""The server goes away under the main window and comes back: a banner, then by itself a reconnect, a refresh,
and changes from other desks showing again, with no click."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.db.conftest import hours_from_now
from tutor_desktop.app import start_desk
from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import SessionStatus, StaffRole
from tutor_desktop.gui.main_window import MainWindow


@pytest.fixture
def local_studio(tmp_path):
    database = open_embedded(tmp_path / "studio")
    repo = Repository(make_engine(database.app_url))
    repo.claim_empty_studio("Desk Admin")
    yield database, repo
    repo.close()
    database.close()


def test_banner_reconnect_and_refresh(qtbot, local_studio):
    database, repo = local_studio
    tutor = repo.add_staff("Tutor", StaffRole.TUTOR)
    client = repo.create_client("Client")
    start = hours_from_now(2)
    session = repo.book_session(client, tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    desk = start_desk(repo, database.app_url)
    try:
        qtbot.waitUntil(desk.listener.listening.is_set, timeout=5000)
        window = MainWindow(desk.ctx)
        qtbot.addWidget(window)
        window.calendar.anchor = start.astimezone().date()
        window.show()
        with qtbot.waitSignal(window.calendar.loaded, timeout=5000):
            window.start()

        database.server.stop()
        qtbot.waitUntil(lambda: window.message_bar.kind == "warning", timeout=10_000)
        assert "cannot be reached" in window.message_bar.text()

        database.server.start()
        qtbot.waitUntil(lambda: window.message_bar.kind == "success", timeout=15_000)
        assert "Connected again" in window.message_bar.text()

        other = Repository(make_engine(database.app_url, pool_size=1))
        try:
            other.set_session_status(session, SessionStatus.CANCELLED)  # another desk, after the outage
        finally:
            other.close()
        qtbot.waitUntil(lambda: any(s.id == session and s.status == SessionStatus.CANCELLED
                                    for s in window.calendar.view.sessions), timeout=3000)
    finally:
        desk.close(close_studio=False)
