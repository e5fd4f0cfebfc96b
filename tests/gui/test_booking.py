"""Booking tells the truth, on the real database: a past start needs "Record a past session" and never precedes
the package's purchase; a session in the way is named on the desk's clock; too many sessions for the package are
warned about once; the tutor is the client's usual one; a double click on an empty slot books there."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from tests.db.conftest import hours_from_now
from tests.gui.client_helpers import close_all, open_window
from tests.gui.test_calendar import open_on, page  # noqa: F401 - the page fixture
from tutor_desktop.domain import InvalidInput
from tutor_desktop.gui.clients.booking_words import PAST
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, desk, studio):  # noqa: ANN001
    window = open_window(qtbot, desk.ctx, studio.client)
    yield window
    close_all(window)


def _book_dialog(qtbot, window):  # noqa: ANN001, ANN202
    window.header.book_dialog = None
    qtbot.mouseClick(window.header.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.header.book_dialog is not None, timeout=5000)
    return window.header.book_dialog


def test_a_past_start_needs_record_a_past_session_and_never_precedes_the_purchase(qtbot, window, repo, studio):
    bought = datetime.now(timezone.utc) - timedelta(days=10)
    package = repo.sell_package(studio.client, "10 sessions", 10, purchased_at=bought)
    qtbot.waitUntil(lambda: window.packages.rowCount() == 1, timeout=2000)
    dialog = _book_dialog(qtbot, window)
    dialog.tutor_combo.setCurrentIndex(dialog.tutor_combo.findData(studio.tutor))
    assert dialog.package_combo.currentData() == package
    dialog.start_date.setDate(QDate.currentDate().addDays(-2))
    dialog.start_time.setTime(QTime(10, 0))
    dialog.ok_button.click()
    assert dialog.error_label.text() == PAST and dialog.dialog.isVisible()
    assert repo.sessions_for_client(studio.client) == []

    dialog.start_date.setDate(QDate(2020, 12, 1))  # long before the package was bought
    dialog.past_check.setChecked(True)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: "before the package" in dialog.message_bar.text(), timeout=5000)
    assert dialog.dialog.isVisible() and repo.sessions_for_client(studio.client) == []
    with pytest.raises(InvalidInput, match="before the package"):
        start = datetime(2020, 12, 1, 10, tzinfo=timezone.utc)
        repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")

    dialog.start_date.setDate(QDate.currentDate().addDays(-2))  # a past session after the purchase: recorded
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(repo.sessions_for_client(studio.client)) == 1, timeout=5000)


def test_a_session_in_the_way_is_named_on_the_desks_clock_and_the_dialog_stays(qtbot, window, repo, studio):
    other = repo.create_client("Ben Carter")
    start = hours_from_now(48).replace(minute=0, second=0, microsecond=0)
    repo.book_session(other, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")
    dialog = _book_dialog(qtbot, window)
    dialog.tutor_combo.setCurrentIndex(dialog.tutor_combo.findData(studio.tutor))
    local = desk_time(start)
    dialog.start_date.setDate(QDate(local.year, local.month, local.day))
    dialog.start_time.setTime(QTime(local.hour, local.minute))
    dialog.ok_button.click()  # no package: warned first
    dialog.ok_button.click()
    end = desk_time(start + timedelta(hours=1))
    expected = f"Test Tutor already has Ben Carter on {local:%a} {local.day} {local:%b} {local:%H:%M}–{end:%H:%M}"
    qtbot.waitUntil(lambda: dialog.error_label.text().startswith(expected), timeout=5000)
    assert dialog.dialog.isVisible() and dialog.ok_button.isEnabled()


def test_more_sessions_than_bookable_are_warned_once_and_the_usual_tutor_is_chosen(qtbot, window, repo, studio):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    past = hours_from_now(-30)
    repo.book_session(studio.client, studio.tutor, past, past + timedelta(hours=1), time_zone="UTC")
    qtbot.waitUntil(lambda: window.packages.rowCount() == 1, timeout=2000)
    dialog = _book_dialog(qtbot, window)
    assert dialog.tutor_combo.currentData() == studio.tutor  # not the first in the list (Test Admin)
    assert dialog.package_combo.currentData() == package
    dialog.start_date.setDate(QDate.currentDate().addDays(2))
    dialog.repeat_spin.setValue(12)
    dialog.ok_button.click()
    assert dialog.error_label.text().startswith("13 sessions on a package with 10 bookable: 3 would have none to use.")
    assert repo.sessions_for_client(studio.client)[0].starts_at == past  # nothing booked yet
    dialog.repeat_spin.setValue(9)  # fewer: no warning
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(repo.sessions_for_client(studio.client)) == 11, timeout=5000)


def test_a_double_click_on_an_empty_slot_books_there_after_choosing_the_client(qtbot, desk, repo, studio):
    repo.sell_package(studio.client, "10 sessions", 10)
    main = MainWindow(desk.ctx)
    qtbot.addWidget(main)
    main.resize(1300, 800)
    main.show()
    page = main.calendar
    day = (datetime.now() + timedelta(days=2)).date()
    page.anchor = day
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    slot = datetime.combine(day, datetime.min.time()).replace(hour=10)
    QTest.mouseDClick(page.view, Qt.MouseButton.LeftButton, pos=page.view.slot_point(slot).toPoint())
    qtbot.waitUntil(lambda: getattr(main, "book_at_dialog", None) is not None, timeout=2000)
    chooser = main.book_at_dialog
    title = chooser.findChild(QLabel, "bookAtTitle").text()
    assert title == f"Book a session at {slot:%a} {slot.day} {slot:%b} 10:00"
    qtbot.waitUntil(lambda: chooser.client_combo.count() > 0, timeout=5000)
    chooser.client_combo.setEditText("Test Client")
    chooser.next_button.click()
    qtbot.waitUntil(lambda: chooser.booking is not None, timeout=5000)
    dialog = chooser.booking
    assert dialog.client_id == studio.client
    assert dialog.start_date.date().toPython() == day and dialog.start_time.time().toPython().hour == 10
    dialog.tutor_combo.setCurrentIndex(dialog.tutor_combo.findData(studio.tutor))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: len(repo.sessions_for_client(studio.client)) == 1, timeout=5000)
    [session] = repo.sessions_for_client(studio.client)
    assert desk_time(session.starts_at).replace(tzinfo=None) == slot
    main.close()
