"""The backups table: when, what made it, the studio's counts in it, its size, the versions that made it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tutor_desktop.domain import Backup
from tutor_desktop.gui.kit.formatting import when
from tutor_desktop.gui.kit.tables import RowsModel

KIND_TEXT = {"daily": "Daily", "at quit": "At quit", "by hand": "By hand", "before restore": "Before a restore",
             "before upgrade": "Before an upgrade"}


def size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(1, round(size / 1024))} KB"


class BackupsModel(RowsModel):
    headers = ("Made", "Kind", "Clients", "Packages", "Sessions", "Ledger rows", "Size", "Tutor Desk", "PostgreSQL",
               "File")
    numeric = frozenset({2, 3, 4, 5, 6})

    def text(self, backup: Backup, column: int) -> str:
        counts = backup.counts
        return (
            when(backup.made_at), KIND_TEXT.get(backup.kind, backup.kind), f"{counts.clients:,}",
            f"{counts.packages:,}", f"{counts.sessions:,}", f"{counts.ledger_rows:,}", size_text(backup.size),
            backup.app_version, backup.postgres_version, backup.name,
        )[column]

    def sort_key(self, backup: Backup, column: int) -> Any:
        return backup.made_at if column == 0 else super().sort_key(backup, column)

    def style(self, backup: Backup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return backup.path
        return None

    def row_of(self, record_id: Any) -> int:
        return next((i for i, r in enumerate(self.rows) if r.path == record_id), -1)
