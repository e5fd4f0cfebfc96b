"""Packages tell the truth on the real database: a cancelled package is cancelled in the card, the table, the list
and the calendar at once; cancelling lists its booked sessions and does what was chosen; the history tells the
sale, the cancellation and expiry changes; an expiry before booked sessions warns and waits for a confirmation."""

from __future__ import annotations


import pytest
from PySide6.QtCore import QDate, Qt

from tests.db.conftest import book_days_ahead, hours_from_now
from tests.gui.client_helpers import button, confirm_with_reason, open_window
from tutor_desktop.domain import BookedSessions, SessionStatus
from tutor_desktop.gui.calendar.remaining_count import RemainingCount
from tutor_desktop.gui.clients.models import ClientsModel
from tutor_desktop.gui.kit.formatting import desk_time


def test_a_cancelled_package_shows_as_cancelled_everywhere_at_once(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "12 sessions", 12)
    # Started, not marked yet: it keeps the package (a booked future one would be asked about).
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(-1), hours_from_now(1), package,
                                  time_zone="UTC")
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    count = RemainingCount(desk.ctx)
    qtbot.addWidget(count)
    count.show_for(repo.get_session(session))
    qtbot.waitUntil(lambda: count.remaining_label.text() == "12")
    confirm_with_reason(window)
    qtbot.mouseClick(button(window, "cancelPackageButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.packages.index(0, 5).data() == "Cancelled" and not window.card.busy, timeout=5000)
    assert window.packages.index(0, 3).data() == "0"  # bookable
    assert "0 bookable" in window.card.details.text() and "cancelled" in window.card.caption.text()
    assert [b.isEnabled() for b in window.card.buttons()] == [False] * 4
    # The calendar's panel showed the session's package: it says cancelled, not "12 of 12".
    qtbot.waitUntil(lambda: "cancelled" in count.remaining_caption.text(), timeout=5000)
    assert count.remaining_label.text() != "12"
    model = ClientsModel()
    model.set_rows([repo.get_client(studio.client)])
    model.set_packages({studio.client: repo.packages_for_client(studio.client)})
    assert model.index(0, 3).data() == "No active package (cancelled)"


def test_a_used_up_package_keeps_reinstate_and_an_expired_one_its_expiry(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "1 session", 1)
    repo.use_session(package, reason="taken")
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    use, reinstate, expiry, cancel = window.card.buttons()
    assert (use.isEnabled(), reinstate.isEnabled(), expiry.isEnabled(), cancel.isEnabled()) == (
        False, True, True, True)


@pytest.mark.parametrize("choice", ["move", "cancel"])
def test_cancelling_lists_the_booked_sessions_and_does_what_was_chosen(qtbot, desk, repo, studio, windows, choice):
    package = repo.sell_package(studio.client, "12 sessions", 12)
    other = repo.sell_package(studio.client, "Other", 5)
    booked = book_days_ahead(repo, studio, package, 2, 9)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    window.select_package(package)
    qtbot.mouseClick(button(window, "cancelPackageButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.reason_dialog
    qtbot.waitUntil(dialog.dialog.isVisible)
    first = desk_time(repo.get_session(booked[0]).starts_at)
    assert "2 booked sessions still use this package" in dialog.booked_label.text()
    assert f"{first:%a} {first.day} {first:%b} {first:%H:%M}" in dialog.booked_label.text()
    assert dialog.move_radio.isChecked() and dialog.target_combo.currentData() == other
    (dialog.move_radio if choice == "move" else dialog.cancel_radio).setChecked(True)
    dialog.reason_edit.setText("moving away")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cancelled" in window.message_bar.text() and not window.card.busy, timeout=5000)
    sessions = [repo.get_session(s) for s in booked]
    if choice == "move":
        assert {s.package_id for s in sessions} == {other}
        assert "2 booked sessions moved to Other" in window.message_bar.text()
    else:
        assert {s.status for s in sessions} == {SessionStatus.CANCELLED}
        assert "2 booked sessions cancelled" in window.message_bar.text()


def test_the_history_tells_the_sale_the_cancellation_and_expiry_changes(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "12 sessions", 12)
    other = repo.sell_package(studio.client, "Other", 5)
    book_days_ahead(repo, studio, package, 2)
    repo.use_session(package, reason="by hand")
    repo.change_package_expiry(package, hours_from_now(24 * 90))
    repo.cancel_package(package, reason="refund", booked=BookedSessions.MOVE, move_to=other)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    window.select_package(package)
    qtbot.waitUntil(lambda: window.history.rowCount() == 4)
    what = [window.history.index(r, 2).data() for r in range(4)]  # newest first
    assert what[0] == "Cancelled; 1 booked session moved to Other"
    assert what[1].startswith("Expiry changed: never → ")
    assert what[2] == "Used by hand" and what[3] == "Sold: 12 sessions"
    assert window.history.index(0, 5).data() == "refund" and window.history.index(0, 1).data() == "Test Admin"


def test_an_expiry_before_booked_sessions_warns_and_waits_for_a_confirmation(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "12 sessions", 12)
    booked = book_days_ahead(repo, studio, package, 10, 17)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    qtbot.mouseClick(button(window, "changeExpiryButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.expiry_dialog
    qtbot.waitUntil(dialog.dialog.isVisible)
    dialog.expires_check.setChecked(True)
    dialog.expiry_date.setDate(QDate(desk_time(hours_from_now(24 * 5)).date()))
    starts = [desk_time(repo.get_session(s).starts_at) for s in booked]
    text = dialog.warning_label.text()
    assert text.startswith("2 booked sessions start after ") and "they will not be able to use this package" in text
    assert all(f"{s:%a} {s.day} {s:%b} {s:%H:%M}" in text for s in starts)
    assert not dialog.ok_button.isEnabled()
    dialog.expiry_date.setDate(QDate(desk_time(hours_from_now(24 * 12)).date()))  # one session left out
    assert dialog.warning_label.text().startswith("1 booked session starts after ")
    dialog.confirm_check.setChecked(True)
    assert dialog.ok_button.isEnabled()
    dialog.expiry_date.setDate(QDate(desk_time(hours_from_now(24 * 30)).date()))  # none: no warning
    assert dialog.warning_label.isHidden() and dialog.ok_button.isEnabled()
    dialog.expiry_date.setDate(QDate(desk_time(hours_from_now(24 * 12)).date()))
    assert not dialog.ok_button.isEnabled()  # a new date asks again
    dialog.confirm_check.setChecked(True)
    qtbot.keyClicks(dialog.reason_edit, "Term ends early")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: repo.get_package(package).expires_at is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.history.rowCount() == 2)  # newest first: the expiry change, then the sale
    assert window.history.index(0, 2).data().startswith("Expiry changed: never → ")
    assert window.history.index(0, 5).data() == "Term ends early"


def test_moving_booked_sessions_says_when_the_target_has_too_little_room(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "12 sessions", 12)
    small = repo.sell_package(studio.client, "Small", 2)
    repo.use_session(small, reason="by hand")  # 1 bookable left
    roomy = repo.sell_package(studio.client, "Roomy", 10)
    book_days_ahead(repo, studio, package, 2, 9, 16)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    window.select_package(package)
    qtbot.mouseClick(button(window, "cancelPackageButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.reason_dialog
    qtbot.waitUntil(dialog.dialog.isVisible)
    choose(dialog.target_combo, small)
    assert dialog.room_label.isVisibleTo(dialog.dialog)
    assert dialog.room_label.text() == "Small has 1 session bookable: 2 of the 3 moved sessions would have none to use."
    choose(dialog.target_combo, roomy)
    assert not dialog.room_label.isVisibleTo(dialog.dialog)
    choose(dialog.target_combo, small)
    dialog.cancel_radio.setChecked(True)  # nothing moves: nothing to say
    assert not dialog.room_label.isVisibleTo(dialog.dialog)
    dialog.dialog.reject()


def choose(combo, data) -> None:  # noqa: ANN001 - a combo box and its item's data
    """findData does not match a UUID, so the item is looked for one by one."""
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemData(i) == data))
