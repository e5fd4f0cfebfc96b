"""The main window's menu bar: File (Back up now, Backups, Import, Export, Settings, Quit) and Help (keyboard shortcuts, About). Each action carries
its platform role, so on macOS Settings and Quit move to the application menu as people expect there."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QMessageBox, QTableView, QVBoxLayout
from PySide6.QtWidgets import QWidget

from tutor_desktop.config import app_version
from tutor_desktop.gui.kit.assets import app_icon
from tutor_desktop.gui.kit.tables import table_view

# (keys, what they do), as the windows define them
SHORTCUTS = [
    ("Ctrl+F", "Find a client"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Calendar / Clients / Reports"),
    ("← / →, Page Up / Page Down", "Previous / next week (day in day view)"),
    ("Home", "Today"),
    ("↑ / ↓", "Previous / next session"),
    ("Enter", "Open the selected session's client"),
    ("D, S, T, C", "Mark the selected session Done, Student no-show, Tutor no-show, Cancelled"),
    ("R", "Reschedule the selected session"),
    ("Ctrl+Z", "Undo the last mark (for two minutes)"),
    ("F5", "Mark past sessions done and reload"),
    ("Ctrl+N", "New client (client list)"),
    ("Ctrl+U / Ctrl+R", "Use 1 session / Reinstate (client window)"),
    ("Ctrl+Shift+S / Ctrl+B / Ctrl+E", "Sell package / Book session / Edit client (client window)"),
    ("Ctrl+W", "Close a client or staff window"),
    ("Ctrl+Q", "Quit"),
]


def add_menus(window: QMainWindow, open_settings: object, open_import: object = None, open_export: object = None,
              may_import: bool = True, backups: tuple[object, object] | None = None) -> None:
    """`open_settings`, `open_import`, `open_export`: the slots that open them (import: front desk and admins);
    `backups`: the slots (open the Backups window, back up now), on this computer's own database only."""
    file_menu = window.menuBar().addMenu("&File")
    if backups is not None:
        open_backups, backup_now = backups
        now = QAction("&Back up now", window, objectName="backupNowAction")
        now.triggered.connect(backup_now)
        file_menu.addAction(now)
        listing = QAction("Back&ups…", window, objectName="backupsAction")
        listing.triggered.connect(open_backups)
        file_menu.addAction(listing)
        file_menu.addSeparator()
    if open_import is not None:
        importing = QAction("&Import from a spreadsheet…", window)
        importing.setObjectName("importAction")
        importing.setEnabled(may_import)
        importing.triggered.connect(open_import)
        file_menu.addAction(importing)
    if open_export is not None:
        exporting = QAction("&Export to CSV files…", window)
        exporting.setObjectName("exportAction")
        exporting.triggered.connect(open_export)
        file_menu.addAction(exporting)
    if open_import is not None or open_export is not None:
        file_menu.addSeparator()
    settings = QAction("&Settings…", window, menuRole=QAction.MenuRole.PreferencesRole)
    settings.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
    settings.triggered.connect(open_settings)
    file_menu.addAction(settings)
    file_menu.addSeparator()
    quit_action = QAction("&Quit", window, menuRole=QAction.MenuRole.QuitRole)
    quit_action.setObjectName("quitAction")
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)

    help_menu = window.menuBar().addMenu("&Help")
    keys = QAction("&Keyboard shortcuts", window)
    keys.triggered.connect(lambda: shortcuts_dialog(window).open())
    help_menu.addAction(keys)
    about = QAction("&About Tutor Desk", window, menuRole=QAction.MenuRole.AboutRole)
    about.triggered.connect(lambda: about_box(window).open())
    help_menu.addAction(about)


def shortcuts_dialog(parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle("Keyboard shortcuts · Tutor Desk")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    model = QStandardItemModel(0, 2, dialog)
    model.setHorizontalHeaderLabels(["Keys", "Does"])
    for keys, does in SHORTCUTS:
        model.appendRow([QStandardItem(keys), QStandardItem(does)])
    table = table_view(model, "shortcutsTable", stretch=1)
    table.setSelectionMode(QTableView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel("In the calendar, the single keys act on the selected session."))
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(760, 610)
    return dialog


def about_box(parent: QWidget) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Tutor Desk")
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Tutor Desk {app_version()}")
    box.setInformativeText("Prepaid session packages for tutors and studios, kept right by the database: every "
                           "session used, given back or reinstated is in the ledger.")
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 360px; }")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box
