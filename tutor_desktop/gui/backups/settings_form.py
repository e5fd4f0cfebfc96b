"""Where backups go and how many are kept: a folder (with a cloud-synced one suggested) and three counts."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QSpinBox, QWidget,
)

from tutor_desktop.domain import BackupSettings
from tutor_desktop.gui.kit.elided_label import ElidedLabel

MAX_COUNT = 1000


class BackupSettingsForm(QGroupBox):
    save_requested = Signal(object)  # BackupSettings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where and how many", parent)
        self.setObjectName("backupSettings")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # the table takes the room
        self.folder_edit = QLineEdit(objectName="backupFolderEdit")
        self.folder_edit.setAccessibleName("Backup folder")
        self.choose_button = QPushButton("Choose…", objectName="chooseFolderButton")
        self.suggestion = ElidedLabel()  # one line: a long cloud path ends in "…", whole in its tooltip
        self.suggestion.setObjectName("cloudSuggestion")
        self.suggestion.setProperty("muted", True)
        self.use_suggestion = QPushButton("Use it", objectName="useSuggestionButton")
        self.daily = self._count("dailyCount", "Daily backups kept")
        self.weekly = self._count("weeklyCount", "Weekly backups kept")
        self.monthly = self._count("monthlyCount", "Monthly backups kept")
        self.save_button = QPushButton("Save settings", objectName="saveBackupSettingsButton")
        self._suggested: str | None = None

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_button)
        suggestion_row = QHBoxLayout()
        suggestion_row.addWidget(self.suggestion, 1)
        suggestion_row.addWidget(self.use_suggestion)
        counts = QHBoxLayout()
        for label, spin in (("daily", self.daily), ("weekly", self.weekly), ("monthly", self.monthly)):
            counts.addWidget(spin)
            counts.addWidget(QLabel(label))
            counts.addSpacing(12)
        counts.addStretch(1)
        counts.addWidget(self.save_button)
        form = QFormLayout(self)
        form.addRow("Folder", folder_row)
        form.addRow("", suggestion_row)
        form.addRow("Keep", counts)

        self.choose_button.clicked.connect(self._choose)
        self.use_suggestion.clicked.connect(self._use_suggestion)
        self.save_button.clicked.connect(self._save)

    @staticmethod
    def _count(name: str, accessible: str) -> QSpinBox:
        spin = QSpinBox(objectName=name)
        spin.setRange(0, MAX_COUNT)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0000") + 44)
        spin.setMaximumWidth(spin.minimumWidth())
        spin.setAccessibleName(accessible)
        return spin

    def show_settings(self, settings: BackupSettings, suggested: list[str]) -> None:
        self.folder_edit.setText(settings.folder)
        self.daily.setValue(settings.daily)
        self.weekly.setValue(settings.weekly)
        self.monthly.setValue(settings.monthly)
        offer = next((s for s in suggested if s != settings.folder), None)
        self._suggested = offer
        if offer:
            self.suggestion.setText(f"Your cloud drive syncs {offer}: backups there survive this computer.")
        elif suggested:
            self.suggestion.setText("The backups go to your cloud drive, so they survive this computer.")
        else:
            self.suggestion.setText("Tip: a folder that a cloud drive (Dropbox, OneDrive, Google Drive, Nextcloud) "
                                    "syncs keeps the backups safe if this computer is lost.")
        self.use_suggestion.setVisible(offer is not None)

    def settings(self) -> BackupSettings:
        return BackupSettings(self.folder_edit.text().strip(), self.daily.value(), self.weekly.value(),
                              self.monthly.value())

    @Slot()
    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Backup folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    @Slot()
    def _use_suggestion(self) -> None:
        if self._suggested:
            self.folder_edit.setText(self._suggested)

    @Slot()
    def _save(self) -> None:
        self.save_requested.emit(self.settings())
