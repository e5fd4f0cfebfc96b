"""Tutor notes on the real database: saved on a session whatever its status by Save, Ctrl+Enter, leaving the field
or choosing another session; another desk's change shows, or, over unsaved edits, is offered as a choice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.db.conftest import hours_from_now
from tests.gui.test_calendar import click_session, open_on, page  # noqa: F401 - the page fixture
from tutor_desktop.domain import SessionStatus


def _two_done_sessions(repo, studio):  # noqa: ANN001, ANN202
    package = repo.sell_package(studio.client, "10 sessions", 10)
    start = hours_from_now(3)
    ids = [repo.book_session(studio.client, studio.tutor, start + timedelta(hours=h), start + timedelta(hours=h + 1),
                             package, time_zone="UTC")[0] for h in (0, 2)]
    for session in ids:
        repo.set_session_status(session, SessionStatus.DONE)
    return start, ids


def _type(qtbot, page, text: str) -> None:  # noqa: ANN001
    page.panel.notes.setFocus()
    qtbot.waitUntil(page.panel.notes.hasFocus)
    page.panel.notes.moveCursor(page.panel.notes.textCursor().MoveOperation.End)
    QTest.keyClicks(page.panel.notes, text)


def test_notes_of_a_done_session_are_saved_by_save_ctrl_enter_leaving_and_choosing_another(qtbot, page, repo, studio):
    start, (first, second) = _two_done_sessions(repo, studio)
    open_on(qtbot, page, start)
    click_session(qtbot, page, first)
    editor = page.panel.notes_editor
    assert editor.edit.objectName() == "sessionNotesEdit" and not editor.edit.isReadOnly()
    assert editor.state_label.text() == "Saved" and not editor.save_button.isEnabled()

    _type(qtbot, page, "Fractions")
    assert editor.state_label.text() == "Not saved yet"
    editor.save_button.click()
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == "Fractions")
    qtbot.waitUntil(lambda: editor.state_label.text() == "Saved")

    _type(qtbot, page, "; homework p. 12")
    QTest.keyClick(page.panel.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == "Fractions; homework p. 12")
    assert page.panel.notes.toPlainText() == "Fractions; homework p. 12"  # Ctrl+Enter saved, no new line

    _type(qtbot, page, "!")
    page.view.setFocus()  # leaving the field
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == "Fractions; homework p. 12!")

    _type(qtbot, page, " Next: decimals")
    page.view.select(second)  # choosing another session (the field keeps the focus meanwhile)
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == "Fractions; homework p. 12! Next: decimals")
    assert page.panel.notes.toPlainText() == "" and editor.state_label.text() == "Saved"
    assert repo.get_session(first).status == SessionStatus.DONE


def test_another_desks_notes_show_or_over_unsaved_edits_are_offered(qtbot, page, repo, studio, other_desk):
    start, (first, _second) = _two_done_sessions(repo, studio)
    open_on(qtbot, page, start)
    click_session(qtbot, page, first)
    editor = page.panel.notes_editor
    far_away = other_desk()

    far_away.ctx.studio.set_session_notes(first, "From the front desk")
    qtbot.waitUntil(lambda: page.panel.notes.toPlainText() == "From the front desk", timeout=3000)
    assert editor.state_label.text() == "Saved" and not editor.conflict.isVisible()

    _type(qtbot, page, " and mine")
    far_away.ctx.studio.set_session_notes(first, "Theirs, again")
    qtbot.waitUntil(editor.conflict.isVisible, timeout=3000)
    assert "Theirs, again" in editor.conflict_label.text()
    assert page.panel.notes.toPlainText() == "From the front desk and mine"  # nothing typed is lost
    editor.take_button.click()
    assert page.panel.notes.toPlainText() == "Theirs, again" and not editor.conflict.isVisible()
    assert editor.state_label.text() == "Saved"

    _type(qtbot, page, " plus mine")
    far_away.ctx.studio.set_session_notes(first, "Third word")
    qtbot.waitUntil(editor.conflict.isVisible, timeout=3000)
    editor.keep_button.click()
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == "Theirs, again plus mine")
    qtbot.waitUntil(lambda: editor.state_label.text() == "Saved" and not editor.conflict.isVisible())



@pytest.mark.parametrize("answer", ["Keep theirs", "Save mine"])
def test_leaving_a_session_before_choosing_asks_and_writes_over_nothing_unasked(qtbot, page, repo, studio, other_desk,
                                                                               answer):
    start, (first, second) = _two_done_sessions(repo, studio)
    open_on(qtbot, page, start)
    click_session(qtbot, page, first)
    editor = page.panel.notes_editor
    editor.edit.insertPlainText("mine")  # typed without taking the focus: no other window can take it away
    other_desk().ctx.studio.set_session_notes(first, "Theirs")
    qtbot.waitUntil(editor.conflict.isVisible, timeout=3000)
    click_session(qtbot, page, second)  # the choice is still open
    qtbot.waitUntil(lambda: editor.left_choice is not None and editor.left_choice.isVisible())
    assert "“Theirs”" in editor.left_choice.informativeText()
    assert repo.get_session(first).tutor_notes == "Theirs"  # nothing written over yet
    next(b for b in editor.left_choice.buttons() if b.text() == answer).click()
    expected = "mine" if answer == "Save mine" else "Theirs"
    qtbot.waitUntil(lambda: repo.get_session(first).tutor_notes == expected, timeout=10000)
    assert not editor.conflict.isVisible() and editor.session_id == second
    click_session(qtbot, page, first)  # the week is read again after the save: a loaded machine may take a while
    qtbot.waitUntil(lambda: page.panel.notes.toPlainText() == expected, timeout=10000)
    assert editor.state_label.text() == "Saved"  # what shows is what the database holds, nothing left unsaved
