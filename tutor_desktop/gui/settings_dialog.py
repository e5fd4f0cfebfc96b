"""Chooses the database this desk uses: the built-in one on this computer, or a studio server's URL."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QRadioButton, QWidget

from tutor_desktop import config
from tutor_desktop.domain import TutorDeskError
from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.kit.theme import mark_primary
from tutor_desktop.gui.shell.operations import show_message


class SettingsDialog:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.dialog: QDialog = load_ui("settings_dialog", parent)
        self.embedded: QRadioButton = self.dialog.findChild(QRadioButton, "embeddedRadio")
        self.server: QRadioButton = self.dialog.findChild(QRadioButton, "serverRadio")
        self.url: QLineEdit = self.dialog.findChild(QLineEdit, "urlEdit")
        self.error: QLabel = self.dialog.findChild(QLabel, "errorLabel")
        buttons: QDialogButtonBox = self.dialog.findChild(QDialogButtonBox, "buttonBox")
        buttons.accepted.connect(self.save)
        mark_primary(buttons.button(QDialogButtonBox.StandardButton.Save))
        buttons.rejected.connect(self.dialog.reject)
        self.server.toggled.connect(self.url.setEnabled)
        try:
            current = config.read_config_dsn()
        except TutorDeskError as error:
            current = None
            self.error.setText(error.message)
        self.server.setChecked(bool(current))
        self.url.setText(current or "")
        self.url.setEnabled(bool(current))
        if os.environ.get(config.DSN_ENV):
            self.error.setText(f"{config.DSN_ENV} is set in this desk's environment and wins over these settings.")

    def save(self) -> None:
        try:
            self.saved_path = config.write_config_dsn(self.url.text().strip() if self.server.isChecked() else None)
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
