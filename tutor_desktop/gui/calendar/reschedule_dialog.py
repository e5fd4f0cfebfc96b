"""Asks for a session's new time (a date and time picker and a duration)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QLabel, QPushButton, QSpinBox, QWidget

from tutor_desktop.domain import Session
from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.kit.formatting import desk_time
from tutor_desktop.gui.kit.theme import mark_primary


class RescheduleDialog:
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.dialog: QDialog = load_ui("reschedule_dialog", parent)
        self.start_edit: QDateTimeEdit = self.dialog.findChild(QDateTimeEdit, "startEdit")
        self.duration: QSpinBox = self.dialog.findChild(QSpinBox, "durationSpin")
        buttons: QDialogButtonBox = self.dialog.findChild(QDialogButtonBox, "buttonBox")
        buttons.accepted.connect(self.dialog.accept)
        buttons.rejected.connect(self.dialog.reject)
        ok: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Reschedule")
        mark_primary(ok)
        start = desk_time(session.starts_at)
        self.dialog.findChild(QLabel, "summaryLabel").setText(
            f"{session.client_name} with {session.tutor_name}, now {start:%a} {start.day} {start:%b} at {start:%H:%M}."
        )
        self.start_edit.setDateTime(QDateTime((start + timedelta(days=1)).replace(tzinfo=None)))
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
        self.duration.setValue(max(5, min(600, minutes)))

    def times(self) -> tuple[datetime, datetime]:
        """The new start and end on the desk's clock (naive): the page reads them in the desk's time zone."""
        start = self.start_edit.dateTime().toPython().replace(tzinfo=None)
        return start, start + timedelta(minutes=self.duration.value())
