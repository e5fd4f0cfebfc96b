"""The Backups window: the backups of the studio on this computer with their manifests, Backup now, Restore…
(the selected backup, or a file), the latest weekly test restore, and where backups go and how many are kept.
Every call runs in the background; a restore ends with the desk opening the restored studio."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from tutor_desktop.domain import Backup, BackupSettings, CheckResult, RestoreResult
from tutor_desktop.gui.backups.model import BackupsModel
from tutor_desktop.gui.backups.settings_form import BackupSettingsForm
from tutor_desktop.gui.kit.assets import icon
from tutor_desktop.gui.kit.confirm import confirm
from tutor_desktop.gui.kit.formatting import when
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.kit.tables import table_view
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.latest_read import Read
from tutor_desktop.gui.shell.loaded_window import LoadedWindow
from tutor_desktop.gui.shell.operations import Query

SLOW_MS = 300


@dataclass(frozen=True)
class BackupsData:
    backups: list[Backup]
    settings: BackupSettings
    suggested: list[str]
    last_check: CheckResult | None


class BackupsWindow(LoadedWindow):
    """Opened through `ctx.windows.show(BackupsWindow)` on a desk with `ctx.backups`: one per desk."""

    loaded = Signal()
    restored = Signal(str)  # what was restored: the desk opens the restored studio now
    restoring = Signal(bool)  # a restore started (True) or ended (False): the desk takes no changes meanwhile

    def __init__(self, ctx: DeskContext, key: None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, key, parent)
        self.setObjectName("backupsWindow")
        self.setWindowTitle("Backups · Tutor Desk")
        self.setWindowIcon(icon("database"))
        self.resize(1080, 640)
        self.data: BackupsData | None = None
        self.confirm_box: QMessageBox | None = None
        self._restoring_now = False
        self.message_bar = MessageBar(self)
        self.model = BackupsModel(self)
        self.view = table_view(self.model, "backupsTable", stretch=9)
        self.backup_button = self._button("Back up now", "database", "backupNowButton", primary=True)
        self.restore_button = self._button("Restore…", "reinstate", "restoreButton")
        self.restore_file_button = self._button("Restore from a file…", "reinstate", "restoreFileButton")
        self.check_label = QLabel(objectName="checkLabel")
        self.check_label.setWordWrap(True)
        self.form = BackupSettingsForm(self)
        self._slow = QTimer(self, singleShot=True, interval=SLOW_MS)
        self._slow_text = ""
        self._slow.timeout.connect(lambda: self.message_bar.show_message(self._slow_text, "info", sticky=True))
        self._layout()

        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.form.save_requested.connect(self.save_settings)
        self.view.doubleClicked.connect(self.restore_selected)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)

    def _button(self, text: str, glyph: str, name: str, primary: bool = False) -> QPushButton:
        button = QPushButton(icon(glyph, "#ffffff" if primary else None), text, objectName=name)
        button.setAccessibleName(text.rstrip("…"))
        button.setProperty("primary", primary)
        return button

    def _layout(self) -> None:
        title = QLabel("Backups")
        title.setProperty("heading", True)
        intro = QLabel("Copies of the studio on this computer: one a day while Tutor Desk runs, one when you quit "
                       "after a change, and one before every restore. Each is checked when written, and once a week "
                       "one is restored on the side to prove it works.")
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.backup_button, self.restore_button, self.restore_file_button):
            actions.addWidget(button)
        actions.addStretch(1)
        root = QVBoxLayout(self)
        root.setContentsMargins(20, 16, 20, 18)
        root.setSpacing(12)
        root.addWidget(title)
        root.addWidget(intro)
        root.addLayout(actions)
        root.addWidget(self.view, 1)
        root.addWidget(self.check_label)
        root.addWidget(self.form)
        root.addSpacing(44)  # the message bar floats here, over nothing one might be about to click

    # --- loading ---------------------------------------------------------------------------------------------

    def read(self) -> Read:
        backups = self.ctx.backups

        def work() -> BackupsData:
            return BackupsData(backups.list(), backups.settings(), backups.suggested_folders(), backups.last_check())

        return work, self._show_data

    def _show_data(self, data: BackupsData) -> None:
        selected = self.selected()
        self.data = data
        self.model.set_rows(data.backups)
        if selected is not None and (row := self.model.row_of(selected.path)) >= 0:
            self.view.selectRow(row)
        self.form.show_settings(data.settings, data.suggested)
        self.check_label.setText(_check_text(data.last_check))
        self.check_label.setProperty("muted", data.last_check is None or data.last_check.ok)
        self.check_label.setStyleSheet("" if data.last_check is None or data.last_check.ok else "color: #c0392b;")
        self.loaded_once()
        self.loaded.emit()

    def first_focus(self) -> None:
        self.view.setFocus()

    def selected(self) -> Backup | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _buttons(self) -> list[QWidget]:
        return [self.backup_button, self.restore_button, self.restore_file_button, self.form.save_button]

    # --- actions ---------------------------------------------------------------------------------------------

    def _run(self, work, busy_text: str, done) -> Query:  # noqa: ANN001 - a callable and its answer's slot
        query = Query(self.ctx, self, work, busy=self._buttons())
        self._slow_text = busy_text
        query.on_start(self._slow.start)
        query.on_finished(self._slow.stop)
        query.on_success(done)
        self.message_bar.dismiss()
        query.run()
        return query

    @Slot()
    def backup_now(self) -> None:
        backups = self.ctx.backups
        self._run(backups.backup_now, "Backing up…", self._backed_up)

    def _backed_up(self, backup: Backup) -> None:
        self.message_bar.show_message(f"Backed up: {backup.counts.describe()} in {backup.name}.", "success")
        self.load()

    @Slot()
    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            self.message_bar.show_message("Choose the backup to restore in the list first, or restore from a file.")
        else:
            self.ask_restore(backup.path, f"the backup of {when(backup.made_at)} ({backup.counts.describe()})")

    @Slot()
    def restore_from_file(self) -> None:
        start = self.data.settings.folder if self.data else str(Path.home())
        path, _filter = QFileDialog.getOpenFileName(self, "Restore a backup", start,
                                                    "Tutor Desk backups (*.dump);;All files (*)")
        if path:
            self.ask_restore(path, Path(path).name)

    def ask_restore(self, path: str, what: str) -> None:
        self.confirm_box = confirm(
            self, "Restore this backup?",
            f"The studio on this computer is replaced by {what}. A backup of the studio as it is now is made first, "
            "and the desk opens the restored studio when it is ready.", "Restore",
            lambda: self.restore(path))

    def restore(self, path: str) -> None:
        backups = self.ctx.backups
        self._restoring_now = True
        self.restoring.emit(True)
        query = self._run(lambda: backups.restore(path), "Restoring… a backup of the current state first, then the "
                                                         "file into a new database, checked before the desk switches "
                                                         "to it.", self._restored)
        query.on_finished(self._restore_ended)

    def _restore_ended(self) -> None:
        self._restoring_now = False
        self.restoring.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._restoring_now:  # the desk hears of the outcome through this window: it stays until then
            event.ignore()
            self.message_bar.show_message("The restore is still running; close this window once it is done.",
                                          "info")
            return
        super().closeEvent(event)

    def _restored(self, result: RestoreResult) -> None:
        text = f"Restored: {result.counts.describe()}; every package reconciles."
        self.message_bar.show_message(text, "success", sticky=True)
        self._restoring_now = False  # the desk may close this window now, as it reopens the studio
        self.load()
        self.restored.emit(text)

    @Slot(object)
    def save_settings(self, settings: BackupSettings) -> None:
        backups = self.ctx.backups
        self._run(lambda: backups.save_settings(settings), "Saving…", self._saved)

    def _saved(self, settings: BackupSettings) -> None:
        self.message_bar.show_message(f"Saved: backups go to {settings.folder}.", "success")
        self.load()


def _check_text(check: CheckResult | None) -> str:
    if check is None:
        return "No test restore yet: the first runs with the first daily backup."
    if check.ok:
        return f"Last test restore {when(check.checked_at)}: {check.backup} restored and reconciled."
    return f"The test restore of {when(check.checked_at)} failed: {check.message}"
