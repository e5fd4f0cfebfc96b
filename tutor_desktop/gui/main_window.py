"""The main window: the calendar and the client list as tabs, one message bar (refusals, confirmations, the
lost-connection banner), a busy indicator that appears only when work is slow, and the settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tutor_desktop.domain.backups import SERVER_BACKUPS
from tutor_desktop.gui.backups.scheduler import BackupScheduler
from tutor_desktop.gui.backups.window import BackupsWindow
from tutor_desktop.gui.kit.assets import app_icon, icon
from tutor_desktop.gui.kit.formatting import amount
from tutor_desktop.gui.calendar.page import CalendarPage
from tutor_desktop.gui.catalogue.window import CatalogueWindow
from tutor_desktop.gui.clients.book_at_dialog import BookAtDialog
from tutor_desktop.gui.clients.list_page import ClientListPage
from tutor_desktop.gui.clients.window import ClientWindow
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import Query
from tutor_desktop.gui.kit.message_bar import MessageBar
from tutor_desktop.gui.menus import add_menus
from tutor_desktop.gui.portability.export_flow import ExportFlow
from tutor_desktop.gui.portability.import_window import ImportWindow
from tutor_desktop.gui.reports.page import ReportsPage
from tutor_desktop.gui.shell.permissions import manages_packages, manages_staff
from tutor_desktop.gui.staff.window import StaffWindow


class MainWindow(QMainWindow):
    signed_out = Signal(str)  # the staff account was deactivated: a person's message; the window has closed
    reopen = Signal(str)  # a backup was restored: the desk opens the studio afresh (a person's message)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._signing_out = False
        self.setObjectName("mainWindow")
        self.setWindowTitle("Tutor Desk")
        self.setWindowIcon(app_icon())
        self.resize(1360, 860)
        self._build()
        ctx.bus.connection_lost.connect(self._connection_lost)
        ctx.bus.connection_restored.connect(self._connection_restored)
        ctx.bus.account_deactivated.connect(self._account_deactivated)
        ctx.runner.slow_work.connect(self._slow_work)

    def _build(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(10)

        header = QHBoxLayout()
        title = QLabel("Tutor Desk")
        title.setProperty("heading", True)
        header.addWidget(QLabel(pixmap=app_icon().pixmap(28, 28)))
        header.addWidget(title)
        header.addStretch(1)
        self.who_label = QLabel(self._who())
        self.who_label.setObjectName("whoLabel")
        self.who_label.setProperty("muted", True)
        header.addWidget(self.who_label)
        self.attention_badge = QToolButton(objectName="attentionBadge", visible=False)
        self.attention_badge.setIcon(icon("warning", "#ee8a2d"))
        self.attention_badge.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.attention_badge.setToolTip("Clients who need attention: open the report")
        self.attention_badge.clicked.connect(self.show_attention)
        header.addWidget(self.attention_badge)
        self.staff_button = QToolButton()
        self.staff_button.setObjectName("staffButton")
        self.staff_button.setIcon(icon("staff"))
        self.staff_button.setText("Staff")
        self.staff_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.staff_button.setToolTip("Staff accounts: add, deactivate, reset passwords")
        self.staff_button.clicked.connect(self.open_staff)
        self.staff_button.setVisible(manages_staff(self._ctx.staff))
        header.addWidget(self.staff_button)
        self.catalogue_button = QToolButton(objectName="catalogueButton", text="Catalogue", icon=icon("sell"))
        self.catalogue_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.catalogue_button.setToolTip("The packages the studio sells, their prices, and the currency")
        self.catalogue_button.clicked.connect(self.open_catalogue)
        self.catalogue_button.setVisible(manages_staff(self._ctx.staff))
        header.addWidget(self.catalogue_button)
        self.settings_button = QToolButton()
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setIcon(icon("settings"))
        self.settings_button.setToolTip("Settings: which database this desk uses")
        self.settings_button.clicked.connect(self.open_settings)
        header.addWidget(self.settings_button)
        layout.addLayout(header)

        self.message_bar = MessageBar(central)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.calendar = CalendarPage(self._ctx)
        self.clients = ClientListPage(self._ctx)
        self.tabs.addTab(self.calendar, icon("calendar"), "Calendar")
        self.tabs.addTab(self.clients, icon("clients"), "Clients")
        self.reports = ReportsPage(self._ctx)
        self.tabs.addTab(self.reports, icon("reports"), "Reports")
        self.reports.attention_counted.connect(self._show_attention_count)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().showMessage(self._ctx.server_label)

        add_menus(self, self.open_settings, self.open_import, self.open_export, manages_packages(self._ctx.staff),
                  (self.open_backups, self.backup_now))
        self.backup_scheduler = None
        if self._ctx.backups is not None:
            self.backup_scheduler = BackupScheduler(self._ctx.backups, self)
            self.backup_scheduler.problem.connect(self._backup_problem)
        self.calendar.open_client.connect(self.show_client)
        self.calendar.book_at.connect(self.book_at)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_client)
        QShortcut(QKeySequence("Ctrl+1"), self, lambda: self.tabs.setCurrentWidget(self.calendar))
        QShortcut(QKeySequence("Ctrl+2"), self, lambda: self.tabs.setCurrentWidget(self.clients))
        QShortcut(QKeySequence("Ctrl+3"), self, lambda: self.tabs.setCurrentWidget(self.reports))

    def _who(self) -> str:
        staff = self._ctx.staff
        where = self._ctx.server_label
        return f"{staff.display_name} · {where}" if staff else where

    @Slot(object, object)
    def book_at(self, starts_at, tutor_id) -> None:  # noqa: ANN001 - an aware datetime, a staff id or None
        """A double click on an empty slot of the calendar: choose the client, then book there."""
        self.book_at_dialog = BookAtDialog(self._ctx, self, starts_at, tutor_id)
        self.book_at_dialog.open()

    def start(self) -> None:
        """Fetch, then show: auto-complete and the first week load in the background."""
        self.calendar.refresh()
        self.calendar.view.setFocus()
        if self.backup_scheduler is not None:
            self.backup_scheduler.start()
        self.reports.count_attention()

    @Slot()
    def find_client(self) -> None:
        self.tabs.setCurrentWidget(self.clients)
        self.clients.focus_search()

    @Slot(int)
    def show_client(self, client_id: int) -> None:
        self._ctx.windows.show(ClientWindow, client_id, self)

    @Slot(int, int)
    def _show_attention_count(self, clients: int, findings: int) -> None:
        self.attention_badge.setText(f"{amount(clients, 'client')} {'needs' if clients == 1 else 'need'} attention")
        self.attention_badge.setToolTip(f"{amount(findings, 'finding')} for {amount(clients, 'client')}: "
                                        "open the Needs attention report")
        self.attention_badge.setVisible(clients > 0)

    @Slot()
    def show_attention(self) -> None:
        self.tabs.setCurrentWidget(self.reports)
        self.reports.choose("attention")

    @Slot()
    def open_catalogue(self) -> None:
        self._ctx.windows.show(CatalogueWindow, None, self)

    @Slot()
    def open_staff(self) -> None:
        self._ctx.windows.show(StaffWindow, None, self)

    @Slot()
    def open_import(self) -> None:
        self.import_window = ImportWindow(self._ctx, self)
        self.import_window.show()

    @Slot()
    def open_export(self) -> None:
        self.export_flow = ExportFlow(self._ctx, self)
        self.export_flow.choose_folder()

    @Slot()
    def open_settings(self) -> None:
        from tutor_desktop.gui.settings_dialog import SettingsDialog

        self._settings = SettingsDialog(self, self._ctx, self.reopen.emit)
        self._settings.open_and_report(self)

    @Slot()
    def open_backups(self) -> None:
        if self._ctx.backups is None:
            self.message_bar.show_message(SERVER_BACKUPS, "info")
            return
        window = self._ctx.windows.show(BackupsWindow, None, self)
        window.restored.connect(self.reopen, Qt.ConnectionType.UniqueConnection)
        window.restoring.connect(self._restoring, Qt.ConnectionType.UniqueConnection)

    @Slot(bool)
    def _restoring(self, running: bool) -> None:
        """While a backup is restored, changes here would land in the studio being replaced: none are taken."""
        self.centralWidget().setEnabled(not running)
        if running:
            self.message_bar.show_message("Restoring a backup: the desk takes no changes until it is done.", "info",
                                          sticky=True)
        else:
            self.message_bar.dismiss()

    @Slot()
    def backup_now(self) -> None:
        if self._ctx.backups is None:
            self.message_bar.show_message(SERVER_BACKUPS, "info")
            return
        query = Query(self._ctx, self, self._ctx.backups.backup_now)
        query.on_success(lambda b: self.message_bar.show_message(
            f"Backed up: {b.counts.describe()}. File > Backups… lists it.", "success",
            action=("Backups…", self.open_backups)))
        query.run()

    @Slot(str)
    def _backup_problem(self, text: str) -> None:
        self.message_bar.show_message(text, "warning", sticky=True, action=("Backups…", self.open_backups))

    @Slot(str)
    def _connection_lost(self, details: str) -> None:
        self.message_bar.show_message(
            "The studio's database cannot be reached. Reconnecting by itself; your last action was not lost "
            "if it was confirmed.", "warning", sticky=True, details=details,
        )
        self.statusBar().showMessage(f"{self._ctx.server_label}: reconnecting…")

    @Slot()
    def _connection_restored(self) -> None:
        self.message_bar.show_message("Connected again; what changed meanwhile is on screen.", "success")
        self.statusBar().showMessage(self._ctx.server_label)

    @Slot(str)
    def _account_deactivated(self, message: str) -> None:
        """The database refuses this login: close the desk (every window) and hand back to the sign-in."""
        if self._signing_out:
            return
        self._signing_out = True
        for window in self._ctx.windows.open_windows():
            window.close()
        self.close()
        self.signed_out.emit(f"{message} This desk signed out; ask an admin if that is a mistake.")

    @Slot(bool)
    def _slow_work(self, slow: bool) -> None:
        self.busy.setVisible(slow)
        if slow:
            self.statusBar().showMessage("Working…")
        else:
            self.statusBar().showMessage(self._ctx.server_label)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.backup_scheduler is not None:
            self.backup_scheduler.stop(wait_s=0)
        super().closeEvent(event)
        app = QApplication.instance()
        if app is not None and not app.quitOnLastWindowClosed() and not self._signing_out:
            app.quit()  # the client windows close with the main window

