"""Selling a package, booking a session and editing the client through their dialogs, on the real database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QDate, Qt, QTime

from tests.gui.client_helpers import close_all, open_window, remaining
from tutor_desktop.config import desk_time_zone
from tutor_desktop.domain import SessionStatus
from tutor_desktop.gui.kit.formatting import desk_time


@pytest.fixture
def window(qtbot, desk, studio):
    window = open_window(qtbot, desk.ctx, studio.client)
    yield window
    close_all(window)


def test_sell_a_package(qtbot, window, repo, studio):
    qtbot.mouseClick(window.header.sell_button, Qt.MouseButton.LeftButton)
    dialog = window.header.sell_dialog
    dialog.sessions_spin.setValue(5)
    assert dialog.label_edit.text() == "5-session pack"
    dialog.label_edit.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisibleTo(dialog.dialog)  # a label is needed
    qtbot.keyClicks(dialog.label_edit, "Five for summer")
    dialog.expires_check.setChecked(True)
    dialog.expiry_date.setDate(QDate.currentDate().addDays(30))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.selected_package() is not None
                    and window.selected_package().label == "Five for summer", timeout=5000)
    assert remaining(window) == "5"
    [package] = repo.packages_for_client(studio.client)
    assert package.sessions_total == 5 and package.expires_at is not None
    assert window.packages.index(0, 2).data() == "5"
    assert package.purchased_at.date() >= datetime.now(timezone.utc).date() - timedelta(days=1)  # today


def test_a_package_sold_earlier_is_bought_on_that_day_and_pays_for_its_sessions(qtbot, window, repo, studio):
    qtbot.mouseClick(window.header.sell_button, Qt.MouseButton.LeftButton)
    dialog = window.header.sell_dialog
    dialog.purchase_date.setDate(QDate.currentDate().addDays(5))
    assert dialog.purchase_date.date() == QDate.currentDate()  # never a day to come
    dialog.purchase_date.setDate(QDate.currentDate().addDays(-10))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(repo.packages_for_client(studio.client)) == 1, timeout=5000)
    [package] = repo.packages_for_client(studio.client)
    bought = desk_time(package.purchased_at)
    assert (bought.date(), bought.hour, bought.minute) == (QDate.currentDate().addDays(-10).toPython(), 0, 0)
    start = datetime.now(timezone.utc) - timedelta(days=9)  # a session recorded after the purchase day
    [session] = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package.id,
                                  time_zone=desk_time_zone())
    assert repo.set_session_status(session, SessionStatus.DONE).applied


def test_book_a_session(qtbot, window, repo, studio):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    repo.add_staff("Front Desk", "front_desk")  # does not teach: not offered
    qtbot.waitUntil(lambda: window.packages.rowCount() == 1, timeout=2000)
    qtbot.mouseClick(window.header.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.header.book_dialog is not None, timeout=5000)
    dialog = window.header.book_dialog
    # The teaching staff: the tutor, and the first admin, who teaches.
    tutors = [dialog.tutor_combo.itemText(i) for i in range(dialog.tutor_combo.count())]
    assert tutors == ["Test Admin", "Test Tutor"]
    dialog.tutor_combo.setCurrentIndex(dialog.tutor_combo.findData(studio.tutor))
    assert dialog.package_combo.count() == 2  # any usable, and the one package
    assert dialog.package_combo.currentData() == package
    dialog.start_date.setDate(QDate.currentDate().addDays(2))
    dialog.start_time.setTime(QTime(10, 30))
    dialog.repeat_spin.setValue(1)
    starts = dialog.starts_at()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.sessions.rowCount() == 2, timeout=5000)
    sessions = sorted(repo.sessions_for_client(studio.client), key=lambda s: s.starts_at)
    assert [s.starts_at for s in sessions] == [starts, starts + timedelta(weeks=1)]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=60) for s in sessions)
    assert window.message_bar.text() == "2 weekly sessions booked."
    qtbot.waitUntil(lambda: window.packages.index(0, 3).data() == "8", timeout=2000)  # bookable


def test_edit_the_client(qtbot, window, repo, studio):
    qtbot.mouseClick(window.header.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.header.client_dialog
    assert dialog.name_edit.text() == "Test Client"
    dialog.name_edit.clear()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "name" in dialog.error_label.text()
    qtbot.keyClicks(dialog.name_edit, "Tess Client")
    qtbot.keyClicks(dialog.phone_edit, "+44 20 7946 0999")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.header.name_label.text() == "Tess Client", timeout=5000)
    assert "+44 20 7946 0999" in window.header.contact_label.text()
    assert repo.get_client(studio.client).full_name == "Tess Client"


def test_a_database_refusal_shows_in_the_dialog(qtbot, window, repo, studio):
    repo.update_client(studio.client, "Test Client", None, None, None, archived=True)
    qtbot.mouseClick(window.header.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.header.book_dialog is not None, timeout=5000)
    dialog = window.header.book_dialog
    dialog.start_date.setDate(QDate.currentDate().addDays(2))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "no package with a session to book" in dialog.error_label.text()  # warned once; Book again goes on
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # the client was archived meanwhile
    qtbot.waitUntil(lambda: dialog.message_bar.text() != "", timeout=5000)
    assert dialog.message_bar.kind == "error"
    assert "no active client" in dialog.message_bar.text()
    assert dialog.dialog.isVisible() and dialog.ok_button.isEnabled()
    assert repo.sessions_for_client(studio.client) == []


@pytest.mark.parametrize("typed", ["0", "999999"])
def test_a_number_out_of_range_stays_as_typed_shows_invalid_and_sells_nothing(qtbot, desk, repo, studio, typed):
    window = open_window(qtbot, desk.ctx, studio.client)
    qtbot.mouseClick(window.header.sell_button, Qt.MouseButton.LeftButton)
    dialog = window.header.sell_dialog
    spin = dialog.sessions_spin
    qtbot.waitUntil(dialog.dialog.isVisible)
    ok_at = dialog.ok_button.mapTo(dialog.dialog, dialog.ok_button.rect().topLeft())
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), typed)
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.lineEdit().text() == typed and spin.value() == int(typed)  # never clamped to 1 or to 200
    assert not dialog.ok_button.isEnabled() and spin.property("invalid")
    assert dialog.error_label.text() == f"Sessions must be between 1 and 200 (it is {typed})."
    assert dialog.ok_button.mapTo(dialog.dialog, dialog.ok_button.rect().topLeft()) == ok_at  # nothing moved
    dialog.ok_button.click()
    qtbot.wait(100)
    assert dialog.dialog.isVisible() and repo.packages_for_client(studio.client) == []
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "12")
    assert dialog.ok_button.isEnabled() and dialog.error_label.isHidden()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert spin.value() == 13
    spin.setValue(200)
    qtbot.keyClick(spin, Qt.Key.Key_Up)  # the arrows stay inside what is allowed
    assert spin.value() == 200
    close_all(window)
