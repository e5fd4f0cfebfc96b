"""The calendar on the real database: marking sessions moves the count the database returns, corrections give
the session back, other desks' changes appear by themselves, and keys work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from tests.db.conftest import hours_from_now
from tests.gui.calendar_helpers import mark_early
from tutor_desktop.domain import Change, SessionStatus
from tutor_desktop.gui.calendar.page import CalendarPage
from tutor_desktop.gui.kit.theme import apply_theme


@pytest.fixture
def page(qtbot, qapp, desk):  # noqa: ANN001 - fixtures
    apply_theme(qapp)
    widget = CalendarPage(desk.ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    return widget


def open_on(qtbot, page: CalendarPage, session_start) -> None:  # noqa: ANN001
    page.anchor = session_start.astimezone().date()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()


def click_session(qtbot, page: CalendarPage, session_id) -> None:  # noqa: ANN001
    rect = page.view.block_rect(session_id)
    assert rect is not None, "the session is not on the calendar"
    QTest.mouseClick(page.view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    qtbot.waitUntil(lambda: page.panel.session is not None and page.panel.session.id == session_id)


def button(page: CalendarPage, name: str) -> QPushButton:
    found = page.findChild(QPushButton, name)
    assert found is not None, name
    return found


def remaining(page: CalendarPage) -> str:
    return page.panel.count.remaining_label.text()


def test_done_uses_one_tutor_no_show_does_not_and_a_correction_gives_it_back(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(2)
    first, second = (repo.book_session(studio.client, studio.tutor, start + timedelta(hours=h),
                                       start + timedelta(hours=h + 1), package, time_zone="UTC")[0] for h in (0, 1))
    open_on(qtbot, page, start)
    click_session(qtbot, page, first)
    qtbot.waitUntil(lambda: remaining(page) == "10")

    QTest.mouseClick(button(page, "markDoneButton"), Qt.MouseButton.LeftButton)
    assert not button(page, "markDoneButton").isEnabled()  # while it asks, then until the reply
    mark_early(qtbot, page)
    assert not button(page, "markDoneButton").isEnabled()
    qtbot.waitUntil(lambda: remaining(page) == "9")
    assert repo.get_package(package).sessions_remaining == 9
    qtbot.waitUntil(lambda: page.view.selected().status == SessionStatus.DONE)

    QTest.mouseClick(button(page, "markNoShowTutorButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remaining(page) == "10")
    assert "given back" in page.panel.result_label.text()
    assert repo.get_package(package).sessions_remaining == 10

    click_session(qtbot, page, second)
    QTest.mouseClick(button(page, "markNoShowTutorButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: repo.get_session(second).status == SessionStatus.NO_SHOW_TUTOR)
    qtbot.waitUntil(lambda: page.panel.result_label.text() != "")
    assert remaining(page) == "10" and repo.get_package(package).sessions_remaining == 10


def test_a_double_click_on_done_sends_one_request(qtbot, page, repo, studio, database):
    package = repo.sell_package(studio.client, "5 sessions", 5)
    start = hours_from_now(3)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, session)
    done = button(page, "markDoneButton")
    for _ in range(5):  # the first asks (the session has not started); the others wait for the answer
        QTest.mouseClick(done, Qt.MouseButton.LeftButton)
        page.panel.mark(SessionStatus.DONE)
    mark_early(qtbot, page)
    for _ in range(5):
        QTest.mouseClick(done, Qt.MouseButton.LeftButton)
        page.panel.mark(SessionStatus.DONE)
    qtbot.waitUntil(lambda: remaining(page) == "4")
    assert database.scalar("SELECT count(*) FROM tutor.requests WHERE target = %s", (str(session),)) == 1
    assert database.scalar("SELECT count(*) FROM tutor.package_ledger WHERE package_id = %s", (package,)) == 1


def test_keys_mark_and_move_through_weeks(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "5 sessions", 5)
    start = hours_from_now(4)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_Down)  # selects the first session of the week
    qtbot.waitUntil(lambda: page.panel.session is not None and page.panel.session.id == session)
    QTest.keyClick(page.view, Qt.Key.Key_S)
    mark_early(qtbot, page)
    qtbot.waitUntil(lambda: repo.get_session(session).status == SessionStatus.NO_SHOW_STUDENT)
    qtbot.waitUntil(lambda: remaining(page) == "4")

    week = page.days()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        QTest.keyClick(page.view, Qt.Key.Key_PageDown)
    assert page.days()[0] == week[0] + timedelta(days=7)
    assert page.view.block_rect(session) is None
    with qtbot.waitSignal(page.loaded, timeout=5000):
        QTest.keyClick(page.view, Qt.Key.Key_PageUp)
    assert page.view.block_rect(session) is not None


def test_day_view_and_tutor_filter(qtbot, page, repo, studio):
    other = repo.add_staff("Other Tutor", "tutor")
    start = hours_from_now(5)
    mine = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    theirs = repo.book_session(repo.create_client("Other Client"), other, start, start + timedelta(hours=1),
                               time_zone="UTC")[0]
    open_on(qtbot, page, start)
    repo.add_staff("Front Desk", "front_desk")  # does not teach: not in the filter
    # All tutors, then the teaching staff by name: the first admin teaches too.
    qtbot.waitUntil(lambda: page.tutor_filter.count() == 4)
    assert [page.tutor_filter.itemText(i) for i in range(4)] == ["All tutors", "Other Tutor", "Test Admin", "Test Tutor"]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.tutor_filter.setCurrentIndex(page.tutor_filter.findData(other))
    assert page.view.block_rect(theirs) is not None and page.view.block_rect(mine) is None
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.day_button.click()
    assert page.days() == [start.astimezone().date()]


def test_opening_the_calendar_completes_past_sessions(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "5 sessions", 5)
    start = hours_from_now(-3)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    qtbot.waitUntil(lambda: any(s.id == session and s.status == SessionStatus.DONE for s in page.view.sessions))
    assert repo.get_package(package).sessions_remaining == 4


def test_another_desks_change_shows_within_a_second(qtbot, page, repo, studio, other_desk):
    start = hours_from_now(6)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    open_on(qtbot, page, start)
    far_away = other_desk()
    far_away.ctx.studio.set_session_status(session, SessionStatus.CANCELLED)
    qtbot.waitUntil(
        lambda: any(s.id == session and s.status == SessionStatus.CANCELLED for s in page.view.sessions), timeout=1000
    )


def test_reschedule_moves_the_session_and_uses_nothing(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "5 sessions", 5)
    start = hours_from_now(7)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, session)
    later = start + timedelta(minutes=90)
    page.reschedule_to(page.panel.session, later, later + timedelta(hours=1))
    qtbot.waitUntil(lambda: repo.get_session(session).status == SessionStatus.RESCHEDULED)
    qtbot.waitUntil(lambda: page.panel.session is not None and page.panel.session.id != session)
    assert page.panel.session.starts_at == later
    assert not button(page, "rescheduleButton").isEnabled() or page.panel.session.status == SessionStatus.SCHEDULED
    assert repo.get_package(package).sessions_remaining == 5


def test_marking_done_on_a_used_up_package_says_nothing_was_used_and_re_enables(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "1 session", 1)
    repo.use_session(package, reason="used up")
    start = hours_from_now(8)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, session)
    QTest.mouseClick(button(page, "markDoneButton"), Qt.MouseButton.LeftButton)
    mark_early(qtbot, page)
    qtbot.waitUntil(lambda: "used up" in page.panel.result_label.text())
    assert "no session was used" in page.panel.result_label.text()
    assert remaining(page) == "0" and repo.get_package(package).sessions_remaining == 0
    for name in ("markNoShowStudentButton", "markNoShowTutorButton", "cancelSessionButton", "rescheduleButton"):
        assert button(page, name).isEnabled(), name


def test_the_reschedule_dialog_picks_a_new_time_and_keeps_the_length(qtbot, repo, studio):
    from PySide6.QtCore import QDateTime

    from tutor_desktop.gui.calendar.reschedule_dialog import RescheduleDialog
    from tutor_desktop.gui.kit.formatting import desk_moments

    start = hours_from_now(10).replace(second=0, microsecond=0)
    session = repo.get_session(repo.book_session(studio.client, studio.tutor, start, start + timedelta(minutes=45), time_zone="UTC")[0])
    dialog = RescheduleDialog(session)
    qtbot.addWidget(dialog.dialog)
    assert dialog.duration.value() == 45
    later = start + timedelta(days=2, hours=1)
    dialog.start_edit.setDateTime(QDateTime(later.astimezone().replace(tzinfo=None)))
    new_start, new_end = desk_moments(*dialog.times())  # the desk's wall-clock time, read in its zone
    assert new_start == later and new_end - new_start == timedelta(minutes=45)


def test_the_panel_follows_another_desks_use_of_the_package(qtbot, page, repo, studio, other_desk):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(9)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, session)
    qtbot.waitUntil(lambda: remaining(page) == "10")
    other_desk().ctx.studio.use_session(package, reason="at the front desk")
    qtbot.waitUntil(lambda: remaining(page) == "9", timeout=1000)


def test_a_second_refresh_while_one_runs_sends_nothing_and_refresh_comes_back(qtbot, page, database):
    before = database.scalar("SELECT count(*) FROM tutor.audit_log")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
        page.refresh()
    qtbot.waitUntil(page.refresh_button.isEnabled)
    assert database.scalar("SELECT count(*) FROM tutor.audit_log") == before  # nothing due: nothing written


def test_the_panel_never_shows_another_clients_count(qtbot, page, repo, studio):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    other_client = repo.create_client("Other Client")
    start = hours_from_now(11)
    mine = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")[0]
    theirs = repo.book_session(other_client, studio.tutor, start + timedelta(hours=1), start + timedelta(hours=2), time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, mine)
    qtbot.waitUntil(lambda: remaining(page) == "10")
    click_session(qtbot, page, theirs)
    qtbot.waitUntil(lambda: "No package" in page.panel.count.remaining_caption.text())
    page._ctx.bus.publish(Change.of(repo.use_session(package, reason="front desk")))  # the first client's answer
    assert remaining(page) == "0" and "No package" in page.panel.count.remaining_caption.text()


def test_a_stray_key_is_undone_with_ctrl_z_and_an_early_done_asks_first(qtbot, page, repo, studio, database):
    package = repo.sell_package(studio.client, "5 sessions", 5)
    start = hours_from_now(6)
    session = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package,
                                time_zone="UTC")[0]
    open_on(qtbot, page, start)
    click_session(qtbot, page, session)
    undo = button(page, "undoButton")
    assert not undo.isVisible()
    qtbot.wait(50)  # laid out
    where = {b.objectName(): b.mapTo(page, b.rect().topLeft()) for b in page.panel.action_buttons.values()}
    page.view.setFocus()
    QTest.keyClick(page.view, Qt.Key.Key_C)  # a stray C cancels at once...
    qtbot.waitUntil(lambda: repo.get_session(session).status == SessionStatus.CANCELLED)
    qtbot.waitUntil(undo.isVisible)
    qtbot.wait(50)  # laid out
    # What the mark did and Undo appear below the buttons: nothing a person may click next has moved.
    assert {b.objectName(): b.mapTo(page, b.rect().topLeft()) for b in page.panel.action_buttons.values()} == where
    QTest.keySequence(page.view, "Ctrl+Z")  # ...and Ctrl+Z puts it back, through the same function
    qtbot.waitUntil(lambda: repo.get_session(session).status == SessionStatus.SCHEDULED)
    qtbot.waitUntil(lambda: page.panel.result_label.text().startswith("Undone."))
    assert not undo.isVisible() and page.panel.undo() is False  # one mark, undone once

    QTest.keyClick(page.view, Qt.Key.Key_D)  # done before it started: asked first
    box = page.panel.confirm_box
    qtbot.waitUntil(box.isVisible)
    assert sorted(b.text() for b in box.buttons()) == ["Mark Done", "Not yet"]
    next(b for b in box.buttons() if b.text() == "Not yet").click()
    qtbot.wait(100)
    assert repo.get_session(session).status == SessionStatus.SCHEDULED and remaining(page) == "5"
    QTest.keyClick(page.view, Qt.Key.Key_D)
    mark_early(qtbot, page)
    qtbot.waitUntil(lambda: remaining(page) == "4")
    undo.click()
    qtbot.waitUntil(lambda: remaining(page) == "5")  # the session was given back
    assert repo.get_session(session).status == SessionStatus.SCHEDULED
    kinds = [r[0] for r in database.admin().execute(
        "SELECT kind FROM tutor.package_ledger WHERE package_id = %s ORDER BY id", (package,))]
    assert kinds == ["session_consumed", "session_given_back"]
    assert database.scalar("SELECT count(DISTINCT request_id) FROM tutor.requests WHERE target = %s",
                           (str(session),)) == 4  # cancel, its undo, done, its undo: each its own request


def test_an_empty_week_says_what_to_do_first(qtbot, page, repo, studio):
    start = hours_from_now(24 * 21)  # a week nobody booked yet
    open_on(qtbot, page, start)
    assert page.view.sessions == [] and "Double-click a free hour to book one" in page.view.empty_text()
    repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.reload()
    assert page.view.empty_text() == ""


def test_rescheduling_into_the_past_needs_the_choice_and_a_length_is_never_clamped(qtbot, repo, studio):
    from PySide6.QtCore import QDateTime

    from tutor_desktop.gui.calendar.reschedule_dialog import RescheduleDialog

    start = hours_from_now(10)
    session = repo.get_session(repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1),
                                                 time_zone="UTC")[0])
    dialog = RescheduleDialog(session)
    qtbot.addWidget(dialog.dialog)
    dialog.dialog.show()
    accepted: list[bool] = []
    dialog.dialog.accepted.connect(lambda: accepted.append(True))
    yesterday = hours_from_now(-24).astimezone().replace(tzinfo=None)
    dialog.start_edit.setDateTime(QDateTime(yesterday))
    dialog.ok.click()
    assert accepted == [] and "Record a past session" in dialog.error_label.text()
    dialog.duration.setValue(0)  # typed out of range: kept, said, and Reschedule off
    assert dialog.duration.value() == 0 and not dialog.ok.isEnabled()
    assert dialog.error_label.text() == "The length must be between 5 and 600 (it is 0)."
    dialog.duration.setValue(60)
    dialog.past_check.setChecked(True)
    dialog.ok.click()
    assert accepted == [True]
