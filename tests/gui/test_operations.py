"""Operation objects: disabled from the click until the reply and re-enabled after a failure, one request in
flight at a time, and a Retry that re-sends the same action with the same request id."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton, QToolButton, QVBoxLayout, QWidget

from tutor_desktop.domain import DatabaseUnavailable
from tutor_desktop.gui.shell.bus import ChangeBus
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.shell.operations import Mutation
from tutor_desktop.gui.shell.tasks import TaskRunner


class Window(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.message_bar = MessageBar(self)
        self.button = QPushButton("Act", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.button)


@pytest.fixture
def window(qtbot):  # noqa: ANN001 - fixture
    widget = Window()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def ctx():
    runner = TaskRunner()
    yield DeskContext(runner, ChangeBus(), studio=None)
    runner.shutdown()


def test_a_failed_write_offers_retry_with_the_same_request_id(qtbot, window, ctx):
    seen = []
    succeeded = []

    def work(request_id):  # noqa: ANN001, ANN202 - the action: unreachable once, then fine
        seen.append(request_id)
        if len(seen) == 1:
            raise DatabaseUnavailable("The database cannot be reached.")
        return "ok"

    op = Mutation(ctx, window, work, busy=[window.button]).on_success(succeeded.append)
    assert op.run() and not op.run()  # a second start while in flight sends nothing
    assert not window.button.isEnabled()
    qtbot.waitUntil(lambda: window.message_bar.kind == "error")
    assert window.button.isEnabled() and succeeded == []
    retry = window.message_bar.findChild(QPushButton, "messageAction")
    assert retry.isVisible() and retry.text() == "Retry"
    QTest.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: succeeded == ["ok"])
    assert len(seen) == 2 and seen[0] == seen[1]
    assert not retry.isVisible()


def test_a_retried_use_applies_once_on_the_database(qtbot, window, desk, repo, studio):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    replies = []
    op = Mutation(desk.ctx, window, lambda rid: desk.ctx.studio.use_session(package, request_id=rid, reason="r"),
                  busy=[window.button]).on_success(replies.append)
    op.run()
    qtbot.waitUntil(lambda: len(replies) == 1)
    op.run()  # as if the first reply had been lost and the person pressed Retry
    qtbot.waitUntil(lambda: len(replies) == 2)
    assert [r.sessions_remaining for r in replies] == [9, 9]
    assert repo.get_package(package).sessions_remaining == 9
    assert len(repo.ledger_for_package(package)) == 1


def test_overlapping_operations_on_one_button_give_it_back_when_the_last_ends(qtbot, window, ctx):
    release_first = []
    import threading

    gate = threading.Event()

    def slow(_request_id):  # noqa: ANN001, ANN202
        gate.wait(5)
        release_first.append(True)

    first = Mutation(ctx, window, slow, busy=[window.button])
    second = Mutation(ctx, window, lambda _rid: None, busy=[window.button])
    first.run()
    second.run()  # queued behind the first on the write thread
    assert not window.button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: not first.running and not second.running)
    assert window.button.isEnabled()


def test_a_write_that_failed_offline_says_so_when_the_connection_comes_back(qtbot, window, ctx):
    seen = []

    def work(request_id):  # noqa: ANN001, ANN202 - unreachable once, then fine
        seen.append(request_id)
        if len(seen) == 1:
            raise DatabaseUnavailable("The studio server at db.studio does not answer. Check the network or ask "
                                      "whoever runs the server.", 'connection to server at "db.studio" failed: '
                                      "Connection refused")
        return "ok"

    op = Mutation(ctx, window, work, busy=[window.button])
    op.run()
    qtbot.waitUntil(lambda: window.message_bar.kind == "error")
    bar = window.message_bar
    assert "Connection refused" not in bar.text() and "db.studio does not answer" in bar.text()
    details = bar.findChild(QToolButton, "messageDetailsButton")
    assert details.isVisible() and bar.details() == ""
    QTest.mouseClick(details, Qt.MouseButton.LeftButton)
    assert "Connection refused" in bar.details()
    assert not ctx.bus.online
    ctx.bus.report_reachable()
    assert bar.kind == "warning" and "not applied" in bar.text() and bar.text().startswith("Connected again")
    retry = bar.findChild(QPushButton, "messageAction")
    assert retry.isVisible() and retry.text() == "Retry"
    QTest.mouseClick(retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[0] == seen[1]
