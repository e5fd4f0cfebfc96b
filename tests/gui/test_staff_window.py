"""The staff window on the real database: adding a tutor, deactivating, a password reset, and the refusals the
studio answers with."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg import sql
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.gui.client_helpers import close_all
from tutor_desktop.domain import Change, StaffRole
from tutor_desktop.gui.staff.window import StaffWindow

PASSWORD = "correct horse battery"


@pytest.fixture
def new_login(server_url):
    """Fresh login names; the logins are server-wide, so they are dropped again afterwards."""
    made: list[str] = []

    def make() -> str:
        made.append(f"td_staff_{uuid.uuid4().hex[:10]}")
        return made[-1]

    yield make
    with psycopg.connect(server_url, autocommit=True) as conn:
        for login in made:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


@pytest.fixture
def window(qtbot, desk):
    window = desk.ctx.windows.show(StaffWindow)
    qtbot.waitUntil(lambda: window.data is not None and window.isVisible(), timeout=5000)
    yield window
    close_all(window)


def row_of(window: StaffWindow, name: str) -> int:
    names = [window.model.index(r, 0).data() for r in range(window.model.rowCount())]
    return next((r for r, n in enumerate(names) if n.removesuffix("  (you)") == name), -1)


def cell(window: StaffWindow, name: str, column: int) -> str | None:
    row = row_of(window, name)
    return None if row < 0 else window.model.index(row, column).data()


def select(qtbot, window: StaffWindow, name: str) -> None:  # noqa: ANN001 - pytest-qt's bot
    qtbot.waitUntil(lambda: row_of(window, name) >= 0, timeout=5000)
    window.view.selectRow(row_of(window, name))
    assert window.selected().display_name == name


def confirm(window: StaffWindow, answer: str) -> None:
    box = window.confirm_box
    assert box is not None and box.isVisible()
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == answer]
    button.click()


def buttons_settled(window: StaffWindow) -> bool:
    return window._in_flight is not None and not window._in_flight.running


def test_lists_the_staff_with_roles_in_words(qtbot, studio, window):
    qtbot.waitUntil(lambda: row_of(window, "Test Tutor") >= 0, timeout=5000)
    assert cell(window, "Test Admin", 1) == "Admin"
    assert window.model.index(row_of(window, "Test Admin"), 0).data() == "Test Admin  (you)"
    assert cell(window, "Test Tutor", 1) == "Tutor"
    assert cell(window, "Test Tutor", 3) == "No login"
    assert cell(window, "Test Tutor", 2) == "Yes" and cell(window, "Test Admin", 2) == "Yes"  # the first admin teaches
    assert cell(window, "Test Tutor", 4) == "Active"
    assert window.add_button.isEnabled()
    assert not window.deactivate_button.isEnabled()  # nobody selected yet


def test_add_a_tutor_through_the_dialog(qtbot, window, repo, new_login):
    login = new_login()
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    dialog = window.add_dialog
    assert dialog is not None and dialog.dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(dialog.name_edit, "Maria")
    assert dialog.login_edit.text() == "maria"
    dialog.name_edit.setText("Maria López")  # QTest types ASCII only
    assert dialog.login_edit.text() == "maria_lopez"  # suggested from the name
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(StaffRole.FRONT_DESK))
    assert dialog.teaches_check.isEnabled() and not dialog.teaches_check.isChecked()
    dialog.fill("Maria López", StaffRole.TUTOR, login, PASSWORD)
    assert dialog.teaches_check.isChecked() and not dialog.teaches_check.isEnabled()  # a tutor always teaches
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: cell(window, "Maria López", 3) == login, timeout=5000)
    assert cell(window, "Maria López", 1) == "Tutor"
    assert cell(window, "Maria López", 4) == "Active"
    assert window.selected().display_name == "Maria López"
    assert window.message_bar.text() == "Maria López was added and can sign in now."
    assert PASSWORD not in window.message_bar.text()
    [maria] = [s for s in repo.list_staff() if s.login_role == login]
    assert maria.display_name == "Maria López" and maria.role == StaffRole.TUTOR and maria.active
    qtbot.waitUntil(window.add_button.isEnabled, timeout=2000)


def test_mismatched_passwords_keep_ok_off_and_send_nothing(qtbot, window, repo, new_login):
    before = repo.list_staff(include_inactive=True)
    window.add_staff()
    dialog = window.add_dialog
    dialog.fill("Sam Lee", StaffRole.FRONT_DESK, new_login(), PASSWORD, repeat=PASSWORD + "!")
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_label.isVisibleTo(dialog.dialog)
    assert dialog.error_label.text() == "The two passwords do not match."
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog._on_accept()  # even pressed through: nothing is sent
    assert dialog._mutation is None
    dialog.repeat_edit.clear()
    assert not dialog.ok_button.isEnabled()
    assert dialog.error_label.text() == "Type the password once more."
    dialog.password_edit.clear()
    assert dialog.error_label.text() == "Choose a password." or not dialog.error_label.isVisibleTo(dialog.dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.dialog.reject()
    qtbot.waitUntil(window.add_button.isEnabled, timeout=2000)
    assert repo.list_staff(include_inactive=True) == before


def test_deactivate_shows_the_account_deactivated(qtbot, window, repo, login_as):
    tutor = login_as(StaffRole.TUTOR, "Olu Ade")
    window.ctx.bus.publish(Change(everything=True))  # another desk's change: the window reloads
    select(qtbot, window, "Olu Ade")
    qtbot.mouseClick(window.deactivate_button, Qt.MouseButton.LeftButton)
    assert "Olu Ade" in window.confirm_box.text()
    confirm(window, "Deactivate")
    assert not window.add_button.isEnabled()  # in flight: disabled in the same slot that sent it

    qtbot.waitUntil(lambda: cell(window, "Olu Ade", 4) == "Deactivated", timeout=5000)
    assert window.message_bar.text() == "Olu Ade was deactivated."
    assert not window.deactivate_button.isEnabled() and not window.reset_button.isEnabled()
    assert window.add_button.isEnabled()
    [olu] = [s for s in repo.list_staff(include_inactive=True) if s.id == tutor.staff_id]
    assert not olu.active
    window.show_deactivated.setChecked(False)
    assert row_of(window, "Olu Ade") < 0


def test_cancelled_confirmation_sends_nothing(qtbot, window, repo, login_as):
    tutor = login_as(StaffRole.TUTOR, "Kim Park")
    window.load()
    select(qtbot, window, "Kim Park")
    window.deactivate()
    confirm(window, "Cancel")
    assert window._in_flight is None
    assert [s.active for s in repo.list_staff(include_inactive=True) if s.id == tutor.staff_id] == [True]


def test_deactivating_yourself_is_refused_with_a_message(qtbot, window, repo):
    select(qtbot, window, "Test Admin")
    qtbot.mouseClick(window.deactivate_button, Qt.MouseButton.LeftButton)
    confirm(window, "Deactivate")
    qtbot.waitUntil(lambda: window.message_bar.kind == "error", timeout=5000)
    assert "cannot deactivate your own account" in window.message_bar.text()
    qtbot.waitUntil(lambda: buttons_settled(window), timeout=2000)
    assert window.add_button.isEnabled()
    assert window.deactivate_button.isEnabled() and window.reset_button.isEnabled()
    assert [s.active for s in repo.list_staff(include_inactive=True) if s.display_name == "Test Admin"] == [True]


def test_reset_password_through_the_dialog(qtbot, window, database, login_as):
    tutor = login_as(StaffRole.TUTOR, "Ana Ruiz")

    def verifier() -> str:
        return database.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (tutor.login,))

    before = verifier()
    window.load()
    select(qtbot, window, "Ana Ruiz")
    qtbot.mouseClick(window.reset_button, Qt.MouseButton.LeftButton)
    dialog = window.reset_dialog
    assert "Ana Ruiz" in dialog.dialog.windowTitle()
    dialog.fill("new password 42", "new password 4")
    assert not dialog.ok_button.isEnabled()
    dialog.fill("new password 42")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.message_bar.text() == "The password of Ana Ruiz was reset.", timeout=5000)
    assert verifier() != before and "new password 42" not in verifier()
    qtbot.waitUntil(window.reset_button.isEnabled, timeout=2000)


def test_a_short_password_is_caught_in_the_form(qtbot, window, new_login):
    window.add_staff()
    dialog = window.add_dialog
    dialog.fill("Jo Kay", StaffRole.ADMIN, new_login(), "short")
    assert not dialog.ok_button.isEnabled()
    assert "at least 8 characters" in dialog.error_label.text()
    dialog.fill("Jo Kay", StaffRole.ADMIN, "9lives", PASSWORD)
    assert not dialog.ok_button.isEnabled()
    assert "lower-case letters" in dialog.error_label.text()
    dialog.dialog.reject()


def test_a_taken_login_name_comes_back_in_the_dialog(qtbot, window, repo, login_as):
    taken = login_as(StaffRole.FRONT_DESK, "Existing").login
    window.add_staff()
    dialog = window.add_dialog
    dialog.fill("Someone New", StaffRole.TUTOR, taken, PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message_bar.kind == "error", timeout=5000)
    assert "already has a login" in dialog.message_bar.text()
    assert dialog.dialog.isVisible() and dialog.ok_button.isEnabled()
    assert not any(s.display_name == "Someone New" for s in repo.list_staff())
    dialog.dialog.reject()


def test_open_staff_window_reuses_the_open_one(qtbot, window, desk):
    assert desk.ctx.windows.show(StaffWindow) is window
    window.close()
    again = desk.ctx.windows.show(StaffWindow)
    try:
        assert again is not window
        qtbot.waitUntil(lambda: again.data is not None, timeout=5000)
    finally:
        close_all(again)


def test_confirmation_is_a_window_modal_box(qtbot, window, login_as):
    login_as(StaffRole.TUTOR, "Lee Chan")
    window.load()
    select(qtbot, window, "Lee Chan")
    window.deactivate()
    box = window.confirm_box
    assert isinstance(box, QMessageBox) and box.windowModality() != Qt.WindowModality.NonModal
    confirm(window, "Cancel")


def test_a_front_desk_member_who_teaches(qtbot, window, repo, new_login):
    login = new_login()
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    dialog = window.add_dialog
    dialog.fill("Fran Desk", StaffRole.FRONT_DESK, login, PASSWORD, teaches=True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(window, "Fran Desk", 3) == login, timeout=5000)
    assert cell(window, "Fran Desk", 2) == "Yes"
    assert {s.display_name: s.teaches for s in repo.list_staff()}["Fran Desk"] is True
