"""A client's statement from the client window, on the real database: shown filled, copied as text to paste into
an e-mail, saved as a PDF whose text holds the balances."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from pypdf import PdfReader

from tests.gui.client_helpers import close_all, open_window
from tutor_desktop.domain import SessionStatus

from tests.db.conftest import book_days_ahead


def test_the_statement_shows_copies_and_saves_the_balances(qtbot, desk, repo, studio, tmp_path):
    package = repo.sell_package(studio.client, "Zehn Stunden", 10)
    repo.use_session(package, reason="Nachholtermin")
    session = book_days_ahead(repo, studio, package, 1)[0]
    repo.set_session_status(session, SessionStatus.NO_SHOW_STUDENT)
    window = open_window(qtbot, desk.ctx, studio.client)
    window.header.statement_button.click()
    qtbot.waitUntil(lambda: getattr(window.header, "statement_dialog", None) is not None, timeout=5000)
    dialog = window.header.statement_dialog
    shown = dialog.view.toPlainText()
    assert "Statement for Test Client" in shown and "Zehn Stunden" in shown and "Test Tutor" in shown
    assert "Sessions left to use: 8" in shown and "Session (Student No-show)" in shown
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "Zehn Stunden: 2 of 10 used, 8 sessions left" in copied and dialog.message_bar.kind == "success"
    assert dialog.save_pdf(tmp_path / "statement.pdf")
    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "statement.pdf").pages)
    assert "Zehn Stunden" in words and "Sessions left to use: 8" in words
    assert not dialog.save_pdf(tmp_path / "no-such-folder" / "x.pdf")
    assert dialog.message_bar.kind == "error"
    close_all(dialog, window)
