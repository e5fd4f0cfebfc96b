"""Changes (or removes) the expiry date of one package."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from uuid import UUID

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from tutor_desktop.domain import Balance, Package, Session
from tutor_desktop.gui.clients.cancel_dialog import session_list
from tutor_desktop.gui.kit.formatting import amount, day, desk_moments, desk_time
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog


class ExpiryDialog(FormDialog):
    """`saved` carries the Balance the database returned. An expiry before sessions booked on the package (judged
    at a session's start) lists them, and OK waits until the person confirms it or changes the date."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, package: Package,
                 booked: Sequence[Session] = ()) -> None:
        super().__init__(ctx, "expiry", parent, "Change expiry")
        self.booked = list(booked)
        self.warning_label = QLabel()
        self.warning_label.setObjectName("expiryWarningLabel")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #d9822b;")
        self.confirm_check = QCheckBox("Set this expiry anyway")
        self.confirm_check.setObjectName("confirmExpiryCheck")
        main: QVBoxLayout = self.dialog.layout()
        at = main.indexOf(self.child(QDialogButtonBox, "buttonBox"))
        main.insertWidget(at, self.confirm_check)
        main.insertWidget(at, self.warning_label)
        self.package_id = package.id
        self.child(QLabel, "titleLabel").setText(f"Expiry of {package.label}")
        self.expires_check: QCheckBox = self.child(QCheckBox, "expiresCheck")
        self.expiry_date: QDateEdit = self.child(QDateEdit, "expiryDate")
        self.reason_edit: QLineEdit = self.child(QLineEdit, "reasonEdit")
        if package.expires_at is None:
            self.expires_check.setChecked(False)
            self.expiry_date.setDate(QDate.currentDate().addMonths(3))
        else:
            self.expiry_date.setDate(QDate(desk_time(package.expires_at).date()))
        self.expiry_date.dateChanged.connect(self._check_booked)
        self.expires_check.toggled.connect(self._check_booked)
        self.confirm_check.toggled.connect(self._check_booked)
        self._check_booked()

    def left_out(self) -> list[Session]:
        """The booked sessions that start at or after the expiry chosen: they could not use this package."""
        values = self.validate_date()
        return [s for s in self.booked if values is not None and s.starts_at >= values]

    def validate_date(self) -> datetime | None:
        if not self.expires_check.isChecked():
            return None
        return desk_moments(datetime.combine(self.expiry_date.date().toPython(), time(23, 59, 59)))[0]

    @Slot()
    def _check_booked(self, *_args: object) -> None:
        left_out = self.left_out()
        if left_out:
            self.warning_label.setText(
                f"{amount(len(left_out), 'booked session').capitalize()} {'starts' if len(left_out) == 1 else 'start'} after"
                f" {day(self.validate_date())}: {session_list(left_out)} — they will not be able to use this package.")
        self.warning_label.setVisible(bool(left_out))
        self.confirm_check.setVisible(bool(left_out))
        if not left_out:
            self.confirm_check.setChecked(False)
        self.ok_button.setEnabled(not left_out or self.confirm_check.isChecked())
        self.warning_label.setMinimumWidth(360)
        # The warning's lines are shown whole: a wrapped label's height is not always asked for its width.
        self.warning_label.setMinimumHeight(self.warning_label.heightForWidth(360) if left_out else 0)
        self.dialog.adjustSize()

    def inputs(self) -> Sequence[QWidget]:
        return (self.expires_check, self.expiry_date, self.reason_edit)

    def validate(self) -> tuple[datetime | None, str | None] | None:
        reason = self.reason_edit.text().strip() or None
        if not self.expires_check.isChecked():
            return (None, reason)
        if self.left_out() and not self.confirm_check.isChecked():
            return None
        return (self.validate_date(), reason)

    def work(self, values: tuple[datetime | None, str | None]) -> Callable[[UUID], Balance]:
        expires, reason = values
        studio, package_id = self.ctx.studio, self.package_id
        return lambda request_id: studio.change_package_expiry(package_id, expires, request_id=request_id,
                                                               reason=reason)
