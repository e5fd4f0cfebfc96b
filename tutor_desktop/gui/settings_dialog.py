"""Chooses the database this desk uses: the built-in one on this computer, or a studio server's URL."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QRadioButton, QWidget

from tutor_desktop import config
from tutor_desktop.domain import TutorDeskError
from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.operations import show_message
from tutor_desktop.zones import time_zone


class SettingsDialog:
    def __init__(self, parent: QWidget | None = None, ctx: DeskContext | None = None,
                 switch_to_server: Callable[[str], None] | None = None) -> None:
        """`switch_to_server(message)`: after a move, reopens the desk on the server (else: from the next start)."""
        self.dialog: QDialog = load_ui("settings_dialog", parent)
        self.ctx = ctx
        self.switch_to_server = switch_to_server
        self.embedded: QRadioButton = self.dialog.findChild(QRadioButton, "embeddedRadio")
        self.server: QRadioButton = self.dialog.findChild(QRadioButton, "serverRadio")
        self.url: QLineEdit = self.dialog.findChild(QLineEdit, "urlEdit")
        self.error: QLabel = self.dialog.findChild(QLabel, "errorLabel")
        buttons: QDialogButtonBox = self.dialog.findChild(QDialogButtonBox, "buttonBox")
        buttons.accepted.connect(self.save)
        mark_primary(buttons.button(QDialogButtonBox.StandardButton.Save))
        buttons.rejected.connect(self.dialog.reject)
        self.server.toggled.connect(self.url.setEnabled)
        self.zone: QComboBox = self.dialog.findChild(QComboBox, "zoneCombo")
        self.zone.addItem(f"This computer's ({config.computer_time_zone()})", None)
        for name in sorted(zoneinfo.available_timezones()):
            self.zone.addItem(name, name)
        self.zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        chosen = self.zone.findData(config.read_config_time_zone())
        self.zone.setCurrentIndex(max(0, chosen))
        try:
            current = config.read_config_dsn()
        except TutorDeskError as error:
            current = None
            self.error.setText(error.message)
        self.server.setChecked(bool(current))
        self.url.setText(current or "")
        self.url.setEnabled(bool(current))
        self.move_button: QPushButton | None = None
        if ctx is not None and ctx.move_to_server is not None:
            self._offer_move()
        if os.environ.get(config.DSN_ENV):
            self.error.setText(f"{config.DSN_ENV} is set in this desk's environment and wins over these settings.")

    def _offer_move(self) -> None:
        """On this computer's own database: a button that moves the studio to a studio server."""
        self.move_button = QPushButton("Move this studio to a server…")
        self.move_button.setObjectName("moveToServerButton")
        self.move_button.setToolTip("Copy everything to an empty studio server, then use it")
        self.move_button.clicked.connect(self.open_move)
        layout = self.dialog.layout()
        layout.insertWidget(max(0, layout.count() - 1), self.move_button)

    def open_move(self) -> None:
        from tutor_desktop.gui.move_dialog import MoveDialog

        self.move_dialog = MoveDialog(self.ctx, self.dialog.parentWidget(), self.switch_to_server)
        self.dialog.reject()
        self.move_dialog.open()

    def chosen_zone(self) -> str | None:
        """None: follow the computer; else the IANA name picked or typed (checked when saved)."""
        typed = self.zone.currentText().strip()
        if self.zone.currentIndex() == 0 and typed == self.zone.itemText(0):
            return None
        return typed

    def save(self) -> None:
        try:
            zone = self.chosen_zone()
            if zone is not None:
                time_zone(zone)  # a name that is no time zone is said, and nothing is saved
            self.saved_path = config.write_config_dsn(self.url.text().strip() if self.server.isChecked() else None)
            config.write_config_time_zone(zone)
        except TutorDeskError as error:
            self.error.setText(error.message)
            return
        self.dialog.accept()

    def open_and_report(self, parent: QWidget) -> None:
        """Opens the dialog (window-modal, no nested event loop); on Save, says where the next start goes."""
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.accepted.connect(lambda: self._report(parent))
        self.dialog.open()

    def _report(self, parent: QWidget) -> None:
        where = "the studio server" if self.server.isChecked() else "the built-in database"
        show_message(parent, f"Saved. Tutor Desk will use {where} the next time it starts.", "success")
