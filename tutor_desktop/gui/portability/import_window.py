"""File > Import…: clients or packages from a spreadsheet saved as CSV. The file is read here (its delimiter and
encoding sniffed), each field is given the column its header suggests (changeable), the first rows show as they
will be imported, Check lists every row's problems without changing anything, and Import adds the new rows all
at once or not at all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain import FIELD_LABELS, Change, ImportKind, ImportResult, TutorDeskError
from tutor_desktop.gui.kit.buttons import action_button
from tutor_desktop.gui.kit.formatting import amount, desk_zone
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.tables import table_view
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.portability.column_mapping import ColumnMapping
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Mutation, Query
from tutor_desktop.portability.mapping import guess_mapping, missing_fields, rows_for_import
from tutor_desktop.portability.spreadsheet import Sheet, read_sheet

PREVIEW_ROWS = 50
MESSAGE_ROOM = 52
_DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
_KIND_WORDS = {ImportKind.CLIENTS: ("client", "clients"), ImportKind.PACKAGES: ("package", "packages")}


def _rows(n: int, kind: ImportKind) -> str:
    return amount(n, *_KIND_WORDS[kind])


class ImportWindow(QDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: Sheet | None = None
        self.path: Path | None = None
        self.setObjectName("importWindow")
        self.setWindowTitle("Import from a spreadsheet · Tutor Desk")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(980, 640)

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("importKindCombo")
        self.kind_combo.setAccessibleName("importKindCombo")
        self.kind_combo.addItem("Clients", ImportKind.CLIENTS)
        self.kind_combo.addItem("Packages (their clients must be here already)", ImportKind.PACKAGES)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("importFileEdit")
        self.file_edit.setReadOnly(True)
        self.file_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.file_edit.setPlaceholderText("A spreadsheet saved as CSV (comma or semicolon separated)")
        self.choose_button = QPushButton("Choose &file…")
        self.choose_button.setObjectName("chooseFileButton")
        top = QHBoxLayout()
        top.addWidget(QLabel("Import"))
        top.addWidget(self.kind_combo)
        top.addWidget(QLabel("from"))
        top.addWidget(self.file_edit, 1)
        top.addWidget(self.choose_button)

        self.file_info = QLabel("Choose a file to see its columns.")
        self.file_info.setObjectName("importFileInfo")
        self.file_info.setProperty("muted", True)
        self.mapping = ColumnMapping()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        heading = QLabel("Which column holds what")
        heading.setProperty("subheading", True)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.mapping)
        left_layout.addStretch(1)

        self.preview_model = QStandardItemModel(0, 0, self)
        self.preview = table_view(self.preview_model, "importPreview")
        self.problems_model = QStandardItemModel(0, 2, self)
        self.problems_model.setHorizontalHeaderLabels(["Row", "Problem"])
        self.problems = table_view(self.problems_model, "importProblems", stretch=1)
        self.problems.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        self.preview_label = QLabel("Preview")
        self.preview_label.setProperty("subheading", True)
        right_layout.addWidget(self.preview_label)
        right_layout.addWidget(self.preview, 3)
        self.problems_label = QLabel("Problems")
        self.problems_label.setProperty("subheading", True)
        right_layout.addWidget(self.problems_label)
        right_layout.addWidget(self.problems, 2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)

        self.check_button = action_button("&Check", "done", "checkImportButton",
                                          "List every row's problems; nothing is changed")
        self.import_button = action_button("&Import", "client-plus", "runImportButton",
                                           "Add the new rows, all of them or none")
        mark_primary(self.import_button)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.file_info, 1)
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addSpacing(MESSAGE_ROOM)  # the message bar floats here, over no button, and nothing moves
        self.message_bar = MessageBar(self)

        self.choose_button.clicked.connect(self.choose_file)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.mapping.changed.connect(self._refresh_preview)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self.close)
        self._kind_changed()

    @property
    def kind(self) -> ImportKind:
        return ImportKind(self.kind_combo.currentData())

    @Slot()
    def choose_file(self) -> None:
        dialog = QFileDialog(self, "Choose a spreadsheet saved as CSV", str(Path.home()),
                             "Spreadsheets saved as CSV (*.csv *.txt);;All files (*)")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.load_file(Path(name)))
        dialog.open()

    def load_file(self, path: Path) -> bool:
        try:
            sheet = read_sheet(path)
        except TutorDeskError as error:
            self.message_bar.show_message(error.message, "error")
            return False
        self.sheet, self.path = sheet, path
        self.file_edit.setText(str(path))
        self.file_info.setText(f"{amount(len(sheet.rows), 'row')}, {amount(len(sheet.headers), 'column')}, separated by "
                               f"{_DELIMITERS.get(sheet.delimiter, repr(sheet.delimiter))}.")
        self._kind_changed()
        return True

    @Slot()
    def _kind_changed(self) -> None:
        headers = self.sheet.headers if self.sheet else ()
        self.mapping.show_fields(self.kind, headers, guess_mapping(self.kind, headers))
        self._refresh_preview()

    @Slot()
    def _refresh_preview(self) -> None:
        self.problems_model.removeRows(0, self.problems_model.rowCount())
        self.problems_label.setText("Problems")
        mapping = self.mapping.mapping()
        fields = [f for f in self.kind.fields if mapping.get(f) is not None]
        self.preview_model.clear()
        self.preview_model.setHorizontalHeaderLabels(["Row", *(FIELD_LABELS[f] for f in fields)])
        if self.sheet is not None:
            for number, cells in self.sheet.rows[:PREVIEW_ROWS]:
                values = [cells[mapping[f]] if mapping[f] < len(cells) else "" for f in fields]
                self.preview_model.appendRow([QStandardItem(str(number)), *map(QStandardItem, values)])
        shown = min(len(self.sheet.rows), PREVIEW_ROWS) if self.sheet else 0
        total = len(self.sheet.rows) if self.sheet else 0
        self.preview_label.setText(f"Preview: the first {shown} of {total} rows" if total > shown else "Preview")
        missing = missing_fields(self.kind, mapping)
        ready = self.sheet is not None and not missing
        for button in (self.check_button, self.import_button):
            button.setEnabled(ready)
            button.setToolTip("" if ready or self.sheet is None else
                              "Choose a column for: " + ", ".join(FIELD_LABELS[f] for f in missing))

    def _import_rows(self) -> list[dict[str, str]] | None:
        try:
            return rows_for_import(self.kind, self.sheet, self.mapping.mapping())
        except TutorDeskError as error:
            self.message_bar.show_message(error.message, "error")
            return None

    def _busy(self) -> list[QWidget]:
        return [self.check_button, self.import_button, self.kind_combo, self.choose_button, self.mapping]

    @Slot()
    def check(self) -> None:
        rows, kind, zone = self._import_rows(), self.kind, desk_zone().key
        if rows is None:
            return
        self.check_query = Query(self.ctx, self, lambda: self.ctx.studio.import_rows(kind, rows, True, zone),
                                 busy=self._busy())
        self.check_query.on_success(self._checked).run()

    @Slot()
    def run_import(self) -> None:
        rows, kind, zone = self._import_rows(), self.kind, desk_zone().key
        if rows is None:
            return
        self.import_mutation = Mutation(
            self.ctx, self, lambda request_id: self.ctx.studio.import_rows(kind, rows, False, zone, request_id),
            busy=self._busy(), change=lambda _result: Change(everything=True))
        self.import_mutation.on_success(self._imported).run()

    def _show_problems(self, result: ImportResult) -> None:
        self.problems_model.removeRows(0, self.problems_model.rowCount())
        for problem in result.problems:
            row = QStandardItem(str(problem.row))
            row.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.problems_model.appendRow([row, QStandardItem(problem.message)])
        rows = len({p.row for p in result.problems})
        self.problems_label.setText(f"Problems: {len(result.problems)} in {amount(rows, 'row')}" if result.problems
                                    else "Problems: none")

    def _checked(self, result: ImportResult) -> None:
        self._show_problems(result)
        if result.problems:
            self.message_bar.show_message(f"{amount(len(result.problems), 'problem')}; fix them in the file and choose it "
                                          "again. Nothing was changed.", "warning")
        else:
            self.message_bar.show_message(f"No problems: {_rows(result.added, self.kind)} would be added, "
                                          f"{result.existing} are here already.", "success")

    def _imported(self, result: ImportResult) -> None:
        self._show_problems(result)
        if result.applied:
            self.message_bar.show_message(f"Imported {_rows(result.added, self.kind)}; {result.existing} were here "
                                          "already and were left as they are.", "success")
        else:
            self.message_bar.show_message(f"{amount(len(result.problems), 'problem')}; nothing was imported.", "warning")
