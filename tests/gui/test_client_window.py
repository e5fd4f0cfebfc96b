"""The client window on the real database: using and reinstating sessions, refusals, and two desks."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from tests.gui.client_helpers import TEST_REASON, button, confirm_with_reason, open_window, remaining
from tutor_desktop.domain import LedgerKind
from tutor_desktop.gui.clients.window import ClientWindow


def test_use_one_session_disables_the_buttons_until_the_reply_and_shows_the_database_count(
    qtbot, desk, repo, studio, windows
):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)
    use, reinstate = button(window, "useSessionButton"), button(window, "reinstateButton")
    assert remaining(window) == "10"

    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert not use.isEnabled() and not reinstate.isEnabled()
    assert not window.packages_view.isEnabled()  # the target cannot change while the request is out

    qtbot.waitUntil(use.isEnabled, timeout=5000)
    assert reinstate.isEnabled()
    assert remaining(window) == str(repo.get_package(package).sessions_remaining) == "9"
    assert window.message_bar.text() == "One session used. 9 remaining."
    [entry] = repo.ledger_for_package(package)
    assert entry.kind == LedgerKind.MANUAL_USE and entry.reason == TEST_REASON


def test_ten_rapid_clicks_use_one_session(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)
    use = button(window, "useSessionButton")

    started = time.perf_counter()
    for _ in range(10):
        qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 0.05

    qtbot.waitUntil(lambda: use.isEnabled() and desk.ctx.runner.pending == 0, timeout=5000)
    assert len(repo.ledger_for_package(package)) == 1
    assert remaining(window) == str(repo.get_package(package).sessions_remaining) == "9"


def test_rapid_clicks_open_one_confirmation_which_needs_a_reason(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    use = button(window, "useSessionButton")

    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    dialog = window.card.reason_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    for _ in range(9):
        qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert window.card.reason_dialog is dialog
    assert "Use 1 session of 10 sessions?" in dialog.dialog.findChild(object, "promptLabel").text()
    assert not dialog.ok_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.reason_edit, "   ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Came late, charged as agreed")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: use.isEnabled() and remaining(window) == "9", timeout=5000)
    [entry] = repo.ledger_for_package(package)
    assert entry.reason == "Came late, charged as agreed"


def test_a_cancelled_confirmation_sends_nothing_and_gives_the_buttons_back(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    reinstate = button(window, "reinstateButton")
    qtbot.mouseClick(reinstate, Qt.MouseButton.LeftButton)
    assert not reinstate.isEnabled()
    qtbot.keyClick(window.card.reason_dialog.reason_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(reinstate.isEnabled, timeout=2000)
    assert repo.ledger_for_package(package) == []


def test_a_change_on_one_desk_shows_on_the_other_within_a_second(qtbot, desk, other_desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    here = open_window(qtbot, desk.ctx, studio.client)
    there = open_window(qtbot, other_desk().ctx, studio.client)
    windows.extend([here, there])
    confirm_with_reason(here)
    confirm_with_reason(there)

    qtbot.mouseClick(button(here, "useSessionButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remaining(here) == "9", timeout=5000)
    qtbot.waitUntil(lambda: remaining(there) == "9", timeout=1000)
    qtbot.waitUntil(lambda: there.history.rowCount() == 2, timeout=1000)  # the use, and the sale

    qtbot.mouseClick(button(there, "reinstateButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: remaining(there) == "10", timeout=5000)
    qtbot.waitUntil(lambda: remaining(here) == "10", timeout=1000)
    assert repo.get_package(package).sessions_remaining == 10


def test_an_exhausted_package_refuses_with_its_message_and_the_buttons_come_back(
    qtbot, desk, repo, studio, windows
):
    package = repo.sell_package(studio.client, "1 session", 1)
    repo.use_session(package, reason="taken before")
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)
    use, reinstate = button(window, "useSessionButton"), button(window, "reinstateButton")
    assert not use.isEnabled() and reinstate.isEnabled()  # a used-up package offers what still makes sense

    window.card._send("use", package, TEST_REASON)  # as a click that left before another desk took the last one
    qtbot.waitUntil(lambda: window.message_bar.text() != "", timeout=5000)
    assert "All sessions of the package are used up." in window.message_bar.text()
    assert window.message_bar.kind == "error"
    qtbot.waitUntil(lambda: not use.isEnabled() and reinstate.isEnabled() and not window.card.busy, timeout=2000)
    assert remaining(window) == "0"
    assert len(repo.ledger_for_package(package)) == 1


def test_reinstate_with_nothing_to_give_back_is_refused(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)
    reinstate = button(window, "reinstateButton")

    qtbot.mouseClick(reinstate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.message_bar.text() != "", timeout=5000)
    assert "Nothing to reinstate" in window.message_bar.text()
    assert window.message_bar.kind == "error"
    qtbot.waitUntil(reinstate.isEnabled, timeout=2000)
    assert remaining(window) == "10"
    assert repo.ledger_for_package(package) == []


def test_history_names_the_kind_the_actor_and_the_session(qtbot, desk, repo, studio, windows):
    from datetime import datetime, timedelta, timezone

    from tutor_desktop.domain import SessionStatus

    package = repo.sell_package(studio.client, "10 sessions", 10, purchased_at=datetime.now(timezone.utc) - timedelta(days=30))
    start = datetime.now(timezone.utc) - timedelta(days=1)
    [session] = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package, time_zone="UTC")
    repo.set_session_status(session, SessionStatus.DONE)
    repo.use_session(package, reason="Extra hour")
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    rows = [[window.history.index(r, c).data() for c in range(6)] for r in range(window.history.rowCount())]
    assert rows[0][2] == "Used by hand" and rows[0][5] == "Extra hour" and rows[0][3] == "−1"
    assert rows[1][2] == "Session used"
    local = start.astimezone()
    assert rows[1][4].endswith(local.strftime("%H:%M"))
    assert rows[0][1]  # who
    assert window.sessions.index(0, 3).data() == SessionStatus.DONE.label


def test_the_same_client_opens_in_the_same_window(qtbot, desk, studio, windows):
    first = open_window(qtbot, desk.ctx, studio.client)
    windows.append(first)
    assert desk.ctx.windows.show(ClientWindow, studio.client) is first


def test_expired_used_up_and_cancelled_packages_say_so(qtbot, desk, repo, studio, windows):
    from datetime import datetime, timedelta, timezone

    used_up = repo.sell_package(studio.client, "Used up", 1)
    repo.use_session(used_up)
    cancelled = repo.sell_package(studio.client, "Cancelled", 5)
    repo.cancel_package(cancelled, reason="refund")
    now = datetime.now(timezone.utc)
    expired = repo.sell_package(studio.client, "Expired", 5, now + timedelta(days=1), purchased_at=now - timedelta(days=30))
    repo.change_package_expiry(expired, now - timedelta(days=1))  # a sale already expired is refused
    repo.sell_package(studio.client, "Active", 5)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    states = {window.packages.index(r, 0).data(): window.packages.index(r, 5).data() for r in range(4)}
    assert states == {"Used up": "Used up", "Cancelled": "Cancelled", "Expired": "Expired", "Active": "Active"}
    assert window.selected_package().label == "Active"
    row = window.packages.row_of(cancelled)
    assert window.packages.index(row, 0).data(Qt.ItemDataRole.FontRole).strikeOut()


def test_keyboard_use_and_reinstate(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)
    window.activateWindow()
    window.packages_view.setFocus()
    qtbot.keyClick(window.packages_view, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: remaining(window) == "9" and button(window, "useSessionButton").isEnabled(), timeout=5000)
    qtbot.keyClick(window.packages_view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: remaining(window) == "10" and button(window, "reinstateButton").isEnabled(), timeout=5000)
    assert [e.kind for e in repo.ledger_for_package(package)] == [LedgerKind.MANUAL_USE, LedgerKind.MANUAL_REINSTATE]
    window.packages_view.setFocus()
    qtbot.keyClick(window.packages_view, Qt.Key.Key_Tab)
    assert window.focusWidget() is button(window, "useSessionButton")


def test_cancel_package_and_change_expiry(qtbot, desk, repo, studio, windows):
    package = repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    confirm_with_reason(window)

    qtbot.mouseClick(button(window, "changeExpiryButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.expiry_dialog
    assert not dialog.expires_check.isChecked()
    dialog.expires_check.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "never expires" not in window.card.details.text()
                    and button(window, "changeExpiryButton").isEnabled(), timeout=5000)
    assert repo.get_package(package).expires_at is not None

    qtbot.mouseClick(button(window, "cancelPackageButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.packages.index(0, 5).data() == "Cancelled", timeout=5000)
    assert repo.get_package(package).status == "cancelled"
    assert window.message_bar.text() == "The package was cancelled. 10 sessions left on it."


def test_a_message_moves_nothing_under_the_mouse(qtbot, desk, repo, studio, windows):
    repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    watched = [button(window, name) for name in ("useSessionButton", "editClientButton", "bookSessionButton")]
    watched.append(window.packages_view)
    before = [w.mapTo(window, w.rect().topLeft()) for w in watched]
    window.message_bar.show_message("A long message that wraps: " + "the database answered, " * 12, "error",
                                    action=("Retry", lambda: None))
    qtbot.waitUntil(lambda: window.message_bar.isVisible())
    qtbot.wait(50)
    assert [w.mapTo(window, w.rect().topLeft()) for w in watched] == before
    bar = window.message_bar.geometry()
    assert window.rect().contains(bar) and bar.height() >= 2 * window.message_bar.fontMetrics().height()
    window.resize(window.width() - 200, window.height())  # it follows the window's size
    qtbot.waitUntil(lambda: window.rect().contains(window.message_bar.geometry()))


def test_the_cancel_package_dialog_never_offers_two_cancels(qtbot, desk, repo, studio, windows):
    from PySide6.QtWidgets import QDialogButtonBox

    repo.sell_package(studio.client, "10 sessions", 10)
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    qtbot.mouseClick(button(window, "cancelPackageButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.reason_dialog
    qtbot.waitUntil(dialog.dialog.isVisible)
    texts = [b.text() for b in dialog.child(QDialogButtonBox, "buttonBox").buttons()]
    assert sorted(texts) == ["Cancel package", "Keep package"]
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: button(window, "cancelPackageButton").isEnabled())


def test_reinstate_names_the_use_and_gives_back_the_one_chosen(qtbot, desk, repo, studio, windows):
    from datetime import datetime, timedelta, timezone

    from tutor_desktop.domain import SessionStatus
    from tutor_desktop.gui.kit.formatting import clock, day

    start = datetime.now(timezone.utc) - timedelta(days=1)
    package = repo.sell_package(studio.client, "10 sessions", 10, purchased_at=start - timedelta(days=1))
    [session] = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package,
                                  time_zone="UTC")
    repo.set_session_status(session, SessionStatus.DONE)
    repo.use_session(package, reason="Extra hour")
    window = open_window(qtbot, desk.ctx, studio.client)
    windows.append(window)
    qtbot.mouseClick(button(window, "reinstateButton"), Qt.MouseButton.LeftButton)
    dialog = window.card.reason_dialog
    assert "Which of the 2 used sessions" in dialog.child(QLabel, "promptLabel").text()
    items = [dialog.use_list.item(i).text() for i in range(dialog.use_list.count())]
    assert items[0].startswith("The session used by hand on") and "Extra hour" in items[0]
    assert items[1] == f"The session used on {day(start)} {clock(start)} with Test Tutor"
    dialog.use_list.setCurrentRow(1)  # the session, not the latest use
    qtbot.keyClicks(dialog.reason_edit, "Marked done by mistake")
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: remaining(window) == "9" and window.history.rowCount() == 4, timeout=5000)  # with the sale
    consumed = next(e for e in repo.ledger_for_package(package) if e.session_id == session and e.delta == 1)
    assert repo.ledger_for_package(package)[-1].reverses == consumed.id

    qtbot.mouseClick(button(window, "reinstateButton"), Qt.MouseButton.LeftButton)  # one live use left: named
    dialog = window.card.reason_dialog
    prompt = dialog.child(QLabel, "promptLabel").text()
    assert prompt.startswith("Give back the session used by hand on") and not dialog.use_list.isVisible()
    qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Escape)
