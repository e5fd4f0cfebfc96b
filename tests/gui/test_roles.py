"""A tutor's desk shows what a tutor may do: their own sessions, marking them, and nothing that hands out or
moves sessions; an admin's desk has the staff window. The database refuses the rest regardless."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.calendar_helpers import mark_early
from tests.db.conftest import hours_from_now
from tutor_desktop.app import start_desk
from tutor_desktop.domain import NotAllowed, SessionStatus, StaffRole
from tutor_desktop.gui.main_window import MainWindow


@pytest.fixture
def tutor_window(qtbot, login_as, database):  # noqa: ANN001 - fixtures
    made = []

    def make(tutor):  # noqa: ANN001, ANN202 - a StaffLogin
        desk = start_desk(tutor.repo, tutor.url)
        desk.ctx.staff = tutor.repo.current_staff()
        qtbot.waitUntil(desk.listener.listening.is_set, timeout=5000)
        window = MainWindow(desk.ctx)
        qtbot.addWidget(window)
        window.show()
        made.append(desk)
        return window

    yield make
    for desk in made:
        desk.close(close_studio=False)


def test_a_tutor_sees_and_marks_only_their_own_sessions(qtbot, tutor_window, login_as, repo, studio):
    tutor = login_as(StaffRole.TUTOR, "Tia Tutor")
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(3)
    mine = repo.book_session(studio.client, tutor.staff_id, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    theirs = repo.book_session(studio.client, studio.tutor, start + timedelta(hours=1), start + timedelta(hours=2),
                               package, time_zone="UTC")[0]
    window = tutor_window(tutor)
    window.calendar.anchor = start.astimezone().date()
    with qtbot.waitSignal(window.calendar.loaded, timeout=5000):
        window.start()
    calendar = window.calendar
    assert [s.id for s in calendar.view.sessions] == [mine]
    assert calendar.view.block_rect(theirs) is None
    assert not window.staff_button.isVisible() and not calendar.tutor_filter.isVisible()
    assert not window.clients.new_button.isVisible()  # hidden before use, not refused after the form is filled
    QTest.keySequence(window.clients.table, "Ctrl+N")
    assert window.clients.client_dialog is None
    assert not calendar.panel.reschedule_button.isVisible()

    QTest.mouseClick(calendar.view, Qt.MouseButton.LeftButton, pos=calendar.view.block_rect(mine).center().toPoint())
    QTest.mouseClick(calendar.panel.action_buttons[SessionStatus.DONE], Qt.MouseButton.LeftButton)
    mark_early(qtbot, calendar)
    qtbot.waitUntil(lambda: calendar.panel.count.remaining_label.text() == "9")
    assert repo.get_package(package).sessions_remaining == 9
    with pytest.raises(NotAllowed):  # hidden in the window, and refused by the database all the same
        tutor.repo.use_session(package, reason="free session")
    with pytest.raises(NotAllowed):
        tutor.repo.set_session_status(theirs, SessionStatus.DONE)
    assert repo.get_package(package).sessions_remaining == 9


def test_an_admin_has_the_staff_window(qtbot, tutor_window, login_as):
    admin = login_as(StaffRole.ADMIN, "Ada Admin")
    window = tutor_window(admin)
    assert window.staff_button.isVisible()
    QTest.mouseClick(window.staff_button, Qt.MouseButton.LeftButton)
    from tutor_desktop.gui.staff.window import StaffWindow

    qtbot.waitUntil(lambda: any(isinstance(w, StaffWindow) and w.isVisible() for w in window.findChildren(StaffWindow)))


def test_a_tutors_client_window_hands_out_nothing_and_history_names_people(qtbot, tutor_window, login_as, repo,
                                                                             studio):
    from PySide6.QtWidgets import QPushButton

    from tutor_desktop.gui.clients.window import ClientWindow

    tutor = login_as(StaffRole.TUTOR, "Tia Tutor")
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(3)
    session = repo.book_session(studio.client, tutor.staff_id, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    tutor.repo.set_session_status(session, SessionStatus.DONE)
    window = tutor_window(tutor)
    client = window._ctx.windows.show(ClientWindow, studio.client, window)
    qtbot.waitUntil(client.isVisible, timeout=5000)
    for name in ("useSessionButton", "reinstateButton", "sellPackageButton", "bookSessionButton", "editClientButton"):
        assert not client.findChild(QPushButton, name).isVisible(), name
    assert client.findChild(QPushButton, "useSessionButton") is not None
    QTest.keySequence(client, "Ctrl+U")  # the shortcut of a hidden button does nothing either
    assert client.card.reason_dialog is None
    qtbot.waitUntil(lambda: client.history.rowCount() == 1)
    assert client.history.text(client.history.rows[0], 1) == "Tia Tutor"
    client.close()


def test_a_deactivated_staff_members_desk_says_so_and_signs_out(qtbot, tutor_window, login_as, repo, studio):
    front = login_as(StaffRole.FRONT_DESK, "Fran Desk")
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(3)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package,
                                time_zone="UTC")[0]
    window = tutor_window(front)
    window.calendar.anchor = start.astimezone().date()
    with qtbot.waitSignal(window.calendar.loaded, timeout=5000):
        window.start()
    window.show_client(studio.client)
    qtbot.waitUntil(lambda: any(w.isVisible() for w in window._ctx.windows.open_windows()), timeout=5000)
    repo.deactivate_staff(front.staff_id)  # an admin, at another desk

    calendar = window.calendar
    QTest.mouseClick(calendar.view, Qt.MouseButton.LeftButton,
                     pos=calendar.view.block_rect(session).center().toPoint())
    with qtbot.waitSignal(window.signed_out, timeout=5000) as signed_out:
        QTest.mouseClick(calendar.panel.action_buttons[SessionStatus.DONE], Qt.MouseButton.LeftButton)
        mark_early(qtbot, calendar)
    message = signed_out.args[0]
    assert message.startswith("This login is disabled: the staff account was deactivated.")
    assert "signed out" in message and "TD420" not in message
    assert not window.isVisible() and window._ctx.windows.open_windows() == []
    assert repo.get_package(package).sessions_remaining == 10


def test_a_desk_open_when_its_account_is_deactivated_signs_out_at_once(qtbot, tutor_window, login_as, repo):
    front = login_as(StaffRole.FRONT_DESK, "Fran Desk")
    window = tutor_window(front)
    with qtbot.waitSignal(window.calendar.loaded, timeout=5000):
        window.start()
    # Nothing is asked after this: no read in flight, and the badge's recount (after the calendar's load) done.
    qtbot.waitUntil(lambda: window._ctx.runner.pending == 0 and not window.reports._recount.isActive(), timeout=5000)
    with qtbot.waitSignal(window.signed_out, timeout=5000) as signed_out:  # no click: the change feed tells
        repo.deactivate_staff(front.staff_id)  # an admin, at another desk
    assert signed_out.args[0].startswith("This login is disabled: the staff account was deactivated.")
    assert not window.isVisible()
