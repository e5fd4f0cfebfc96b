"""Asks for a session's new time (a date and time picker and a duration). A time that has passed needs "Record a
past session", and a duration outside what the field allows stays as typed and keeps Reschedule off."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QDateTime, Slot
from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton
from PySide6.QtWidgets import QWidget

from tutor_desktop.domain import InvalidInput, Session
from tutor_desktop.gui.kit.assets import load_ui
from tutor_desktop.gui.kit.formatting import desk_moments, desk_time
from tutor_desktop.gui.kit.number_field import NumberField
from tutor_desktop.gui.kit.theme import mark_primary

PAST = "That time has passed. Tick “Record a past session” to record one that already happened."


class RescheduleDialog:
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        self.dialog: QDialog = load_ui("reschedule_dialog", parent)
        self.start_edit: QDateTimeEdit = self.dialog.findChild(QDateTimeEdit, "startEdit")
        self.duration: NumberField = self.dialog.findChild(NumberField, "durationSpin")
        self.past_check = QCheckBox("Record a past session (it already happened)")
        self.past_check.setObjectName("recordPastCheck")
        self.dialog.findChild(QFormLayout, "formLayout").addRow("", self.past_check)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #d64545;")
        self.error_label.setWordWrap(True)
        self.dialog.layout().insertWidget(self.dialog.layout().count() - 1, self.error_label)
        buttons: QDialogButtonBox = self.dialog.findChild(QDialogButtonBox, "buttonBox")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.dialog.reject)
        self.ok: QPushButton = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Reschedule")
        mark_primary(self.ok)
        start = desk_time(session.starts_at)
        self.dialog.findChild(QLabel, "summaryLabel").setText(
            f"{session.client_name} with {session.tutor_name}, now {start:%a} {start.day} {start:%b} at {start:%H:%M}."
        )
        self.start_edit.setDateTime(QDateTime((start + timedelta(days=1)).replace(tzinfo=None)))
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
        self.duration.setValue(max(5, min(600, minutes)))
        self.duration.keep_typed()
        self.duration.valueChanged.connect(self._checked)

    def problem(self) -> str:
        """What keeps the new time from being sent, in a person's words ("" when nothing does)."""
        if not self.duration.is_valid():
            return self.duration.problem("The length")
        try:
            start, _end = desk_moments(*self.times())
        except InvalidInput as refused:  # a time the clocks skip
            return refused.message
        if start < datetime.now(timezone.utc) and not self.past_check.isChecked():
            return PAST
        return ""

    @Slot(int)
    def _checked(self, _value: int) -> None:
        problem = self.duration.problem("The length")
        self.error_label.setText(problem)
        self.ok.setEnabled(not problem)

    @Slot()
    def _accept(self) -> None:
        problem = self.problem()
        self.error_label.setText(problem)
        if not problem:
            self.dialog.accept()

    def times(self) -> tuple[datetime, datetime]:
        """The new start and end on the desk's clock (naive): the page reads them in the desk's time zone."""
        start = self.start_edit.dateTime().toPython().replace(tzinfo=None)
        return start, start + timedelta(minutes=self.duration.value())
