"""A client's statement printed to PDF with Qt's own print support (QTextDocument onto a QPdfWriter, A4). Needs a
Qt application; the command line makes an offscreen one."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from tutor_desktop.domain import InvalidInput, Statement
from tutor_desktop.portability.statement_text import statement_html


def ensure_gui_application() -> QGuiApplication:
    """The running application, or an offscreen one. A QApplication (not just a QGuiApplication), so that windows
    can still be made later in the same process."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app


def statement_document(statement: Statement, zone: ZoneInfo) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(statement_html(statement, zone))
    document.setDocumentMargin(0)
    return document


def write_statement_pdf(statement: Statement, path: Path, zone: ZoneInfo) -> Path:
    ensure_gui_application()
    partial = path.with_name(path.name + ".partial")
    writer = QPdfWriter(str(partial))
    writer.setTitle(f"Statement for {statement.client.full_name}")
    writer.setCreator("Tutor Desk")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    statement_document(statement, zone).print_(writer)
    del writer  # finishes the file
    if not partial.exists() or partial.stat().st_size == 0:
        raise InvalidInput(f"The PDF could not be written to {path}.")
    os.replace(partial, path)
    return path
