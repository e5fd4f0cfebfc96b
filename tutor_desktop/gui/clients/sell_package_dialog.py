"""Sells a package of N sessions to one client, with an optional expiry date, bought today or on an earlier day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from uuid import UUID

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLabel, QLineEdit, QSpinBox, QWidget

from tutor_desktop.domain import Change
from tutor_desktop.gui.kit.formatting import desk_moments
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog


class SellPackageDialog(FormDialog):
    """`saved` carries the new package's id."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, client_id: int, client_name: str) -> None:
        super().__init__(ctx, "sell_package", parent, "Sell package")
        self.client_id = client_id
        self.child(QLabel, "titleLabel").setText(f"Sell a package to {client_name}")
        self.sessions_spin: QSpinBox = self.child(QSpinBox, "sessionsSpin")
        self.label_edit: QLineEdit = self.child(QLineEdit, "labelEdit")
        self.expires_check: QCheckBox = self.child(QCheckBox, "expiresCheck")
        self.expiry_date: QDateEdit = self.child(QDateEdit, "expiryDate")
        self.expiry_date.setMinimumDate(QDate.currentDate().addDays(1))
        self.expiry_date.setDate(QDate.currentDate().addMonths(3))
        self.purchase_date: QDateEdit = self.child(QDateEdit, "purchaseDate")
        self.purchase_date.setMaximumDate(QDate.currentDate())
        self.purchase_date.setDate(QDate.currentDate())
        self._suggested = ""
        self.sessions_spin.valueChanged.connect(self._suggest_label)
        self._suggest_label(self.sessions_spin.value())
        self.sessions_spin.setFocus()
        self.sessions_spin.selectAll()

    @Slot(int)
    def _suggest_label(self, sessions: int) -> None:
        # Follows the count until the desk types a label of its own.
        if self.label_edit.text() in ("", self._suggested):
            self._suggested = f"{sessions}-session pack"
            self.label_edit.setText(self._suggested)

    def inputs(self) -> Sequence[QWidget]:
        return (self.sessions_spin, self.label_edit, self.expires_check, self.expiry_date, self.purchase_date)

    def purchased_at(self) -> datetime | None:
        """None for today (the database's now); else the start of the chosen day, in this computer's time zone."""
        chosen = self.purchase_date.date()
        if chosen >= QDate.currentDate():
            return None
        return desk_moments(datetime.combine(chosen.toPython(), time(0, 0)))[0]

    def validate(self) -> tuple[str, int, datetime | None, datetime | None] | None:
        label = self.label_edit.text().strip()
        if not label:
            self.show_error("Please give the package a label, e.g. “10-session pack”.")
            self.label_edit.setFocus()
            return None
        expires = None
        if self.expires_check.isChecked():
            # The end of the chosen day, in this computer's time zone.
            [expires] = desk_moments(datetime.combine(self.expiry_date.date().toPython(), time(23, 59, 59)))
            if expires <= datetime.now().astimezone():
                self.show_error("The expiry date must be in the future.")
                return None
        return label, self.sessions_spin.value(), expires, self.purchased_at()

    def work(self, values: tuple[str, int, datetime | None, datetime | None]) -> Callable[[UUID], UUID]:
        label, sessions, expires, bought = values
        studio, client_id = self.ctx.studio, self.client_id
        return lambda request_id: studio.sell_package(client_id, label, sessions, expires, bought,
                                                      request_id=request_id)

    def change(self, result: UUID) -> Change:
        return Change(client_ids=frozenset({self.client_id}), package_ids=frozenset({result}))
