"""A client's statement: their packages, balances and what was used when, with which tutor, as it will print.
Copy as text puts it on the clipboard to paste into an e-mail; Save as PDF prints it with Qt's print support."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from tutor_desktop.domain import Statement, TutorDeskError
from tutor_desktop.gui.kit.buttons import action_button
from tutor_desktop.gui.kit.formatting import desk_zone
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query
from tutor_desktop.portability.statement_pdf import write_statement_pdf
from tutor_desktop.portability.statement_text import statement_html, statement_text


def _file_name(statement: Statement) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in statement.client.full_name).strip("-")
    return f"Statement {safe} {statement.made_at.astimezone(desk_zone()):%Y-%m-%d}.pdf"


class StatementDialog(QDialog):
    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement = statement
        self.setObjectName("statementDialog")
        self.setWindowTitle(f"Statement for {statement.client.full_name} · Tutor Desk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(820, 680)
        self.view = QTextBrowser()
        self.view.setObjectName("statementView")
        self.view.setHtml(statement_html(statement, desk_zone()))
        self.copy_button = action_button("&Copy as text", "edit", "copyStatementButton",
                                         "Copy the statement as plain text, to paste into an e-mail")
        self.pdf_button = action_button("&Save as PDF…", "statement", "saveStatementPdfButton")
        mark_primary(self.pdf_button)
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addSpacing(52)  # the message bar floats here, over no button, and nothing moves
        self.message_bar = MessageBar(self)
        self.copy_button.clicked.connect(self.copy_text)
        self.pdf_button.clicked.connect(self.choose_pdf)
        close.clicked.connect(self.close)

    def text(self) -> str:
        return statement_text(self.statement, desk_zone())

    @Slot()
    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.message_bar.show_message("Copied. Paste it into an e-mail.", "success")

    @Slot()
    def choose_pdf(self) -> None:
        dialog = QFileDialog(self, "Save the statement as a PDF", str(Path.home() / _file_name(self.statement)),
                             "PDF (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda name: self.save_pdf(Path(name)))
        dialog.open()

    def save_pdf(self, path: Path) -> bool:
        try:
            write_statement_pdf(self.statement, path, desk_zone())
        except TutorDeskError as error:
            self.message_bar.show_message(error.message, "error")
            return False
        self.message_bar.show_message(f"Saved {path}.", "success")
        return True


def open_statement(ctx: DeskContext, parent: QWidget, client_id: int, busy: list[QWidget]) -> Query:
    """Reads the statement in the background, then shows it (filled, never empty first)."""
    query = Query(ctx, parent, lambda: ctx.studio.client_statement(client_id), busy=busy)

    def show(statement: Statement) -> None:
        parent.statement_dialog = StatementDialog(statement, parent.window())
        parent.statement_dialog.show()

    query.on_success(show).run()
    return query
