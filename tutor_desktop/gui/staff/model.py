"""The staff table: name (with "(you)"), role, whether they teach, login name and whether the account is active."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QPalette

from tutor_desktop.domain import Staff
from tutor_desktop.gui.kit.tables import RowsModel, status_dot
from tutor_desktop.gui.staff.dialogs import role_text

ACTIVE_COLOUR, DEACTIVATED_COLOUR = "#2e9e5b", "#8a8f98"


class StaffModel(RowsModel):
    headers = ("Name", "Role", "Teaches", "Login name", "Status")
    STATUS = 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.me: int | None = None

    def text(self, staff: Staff, column: int) -> str:
        if column == 0:
            return f"{staff.display_name}  (you)" if staff.id == self.me else staff.display_name
        if column == 1:
            return role_text(staff.role)
        if column == 2:
            return "Yes" if staff.teaches else "No"
        if column == 3:
            return staff.login_role or "No login"
        return "Active" if staff.active else "Deactivated"

    def style(self, staff: Staff, column: int, role: int) -> Any:
        muted = not staff.active or (column == 3 and staff.login_role is None)
        if role == Qt.ItemDataRole.ForegroundRole and muted:
            return QBrush(QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(not staff.active and column != self.STATUS)
            font.setBold(column == 0 and staff.id == self.me)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return status_dot(ACTIVE_COLOUR if staff.active else DEACTIVATED_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and not staff.active:
            return f"{staff.display_name} is deactivated and can no longer sign in."
        return None
