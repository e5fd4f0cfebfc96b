"""Changes (or removes) the expiry date of one package."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from uuid import UUID

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QWidget

from tutor_desktop.domain import Balance, Package
from tutor_desktop.gui.kit.formatting import desk_moments, desk_time
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog


class ExpiryDialog(FormDialog):
    """`saved` carries the Balance the database returned."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, package: Package) -> None:
        super().__init__(ctx, "expiry", parent, "Change expiry")
        self.package_id = package.id
        self.child(QLabel, "titleLabel").setText(f"Expiry of {package.label}")
        self.expires_check: QCheckBox = self.child(QCheckBox, "expiresCheck")
        self.expiry_date: QDateEdit = self.child(QDateEdit, "expiryDate")
        if package.expires_at is None:
            self.expires_check.setChecked(False)
            self.expiry_date.setDate(QDate.currentDate().addMonths(3))
        else:
            self.expiry_date.setDate(QDate(desk_time(package.expires_at).date()))

    def inputs(self) -> Sequence[QWidget]:
        return (self.expires_check, self.expiry_date)

    def validate(self) -> tuple[datetime | None] | None:
        if not self.expires_check.isChecked():
            return (None,)
        return tuple(desk_moments(datetime.combine(self.expiry_date.date().toPython(), time(23, 59, 59))))

    def work(self, values: tuple[datetime | None]) -> Callable[[UUID], Balance]:
        (expires,) = values
        studio, package_id = self.ctx.studio, self.package_id
        return lambda request_id: studio.change_package_expiry(package_id, expires, request_id=request_id)
