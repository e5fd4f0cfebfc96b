"""Desk fixtures for the window tests: the real widgets on the real database, with the same task runner,
change bus and change-feed listener the app wires up."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.db.conftest import database, login_as, repo, server_url, studio, template_url  # noqa: F401 - shared fixtures
from tutor_desktop.app import Desk, start_desk
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository


@pytest.fixture
def desk(qtbot, database, repo) -> Iterator[Desk]:  # noqa: ANN001, F811 - fixtures
    """This desk: the windows' context on the test database, listening for other desks."""
    running = start_desk(repo, database.app_url)
    qtbot.waitUntil(running.listener.listening.is_set, timeout=5000)
    yield running
    running.close(close_studio=False)


@pytest.fixture
def other_desk(qtbot, database) -> Iterator[Callable[[], Desk]]:  # noqa: ANN001, F811 - fixtures
    """Another desk on its own connections, as a second machine at the studio would be."""
    made: list[Desk] = []

    def make() -> Desk:
        running = start_desk(Repository(make_engine(database.app_url, pool_size=2)), database.app_url)
        qtbot.waitUntil(running.listener.listening.is_set, timeout=5000)
        made.append(running)
        return running

    yield make
    for running in made:
        running.close(close_studio=True)


@pytest.fixture
def windows():
    """Windows a test opened, closed at its end."""
    from tests.gui.client_helpers import close_all

    opened: list = []
    yield opened
    close_all(*opened)
