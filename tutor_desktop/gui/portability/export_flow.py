"""File > Export…: the studio as CSV files in a folder the person chooses (clients, packages with their balances,
sessions, the ledger, and for admins the audit log). Read and written in the background; the message says where
the files are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from tutor_desktop.gui.kit.formatting import desk_zone
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query, show_message
from tutor_desktop.portability.csv_export import write_export


class ExportFlow:
    def __init__(self, ctx: DeskContext, parent: QWidget) -> None:
        self.ctx = ctx
        self.parent = parent
        self.query: Query | None = None
        self.written: list[Path] = []

    def choose_folder(self) -> None:
        dialog = QFileDialog(self.parent, "Export the studio to a folder", str(Path.home()))
        dialog.setObjectName("exportFolderDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.open()

    def export_to(self, folder: Path) -> None:
        studio, zone = self.ctx.studio, desk_zone()
        self.query = Query(self.ctx, self.parent, lambda: write_export(studio.export_tables(), folder, zone))
        self.query.on_success(self._written).run()

    def _written(self, paths: list[Path]) -> None:
        self.written = paths
        names = ", ".join(p.name for p in paths)
        show_message(self.parent, f"Exported {len(paths)} files to {paths[0].parent if paths else ''}: {names}.",
                     "success")
