"""Sells a package of N sessions to one client, with an optional price and expiry date, bought today or on an
earlier day; choosing a package of the studio's catalogue fills them in (each stays editable)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time
from decimal import Decimal
from uuid import UUID

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QSpinBox, QWidget

from tutor_desktop.domain import CatalogueItem, Change, InvalidInput, parse_amount
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.kit.formatting import desk_moments
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog
from tutor_desktop.gui.shell.operations import Query


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
        self.catalogue_combo: QComboBox = self.child(QComboBox, "catalogueCombo")
        self.price_edit: QLineEdit = self.child(QLineEdit, "priceEdit")
        self.catalogue_combo.addItem("A package of my own", None)
        self.catalogue_combo.setEnabled(False)  # until the catalogue is read
        self.catalogue_combo.currentIndexChanged.connect(self._from_catalogue)
        studio = ctx.studio
        Query(ctx, self.dialog, lambda: (studio.catalogue(), studio.currency())).on_success(self._show_catalogue).run()
        self._suggested = ""
        self.sessions_spin.valueChanged.connect(self._suggest_label)
        self._suggest_label(self.sessions_spin.value())
        self.sessions_spin.setFocus()
        self.sessions_spin.selectAll()

    def _show_catalogue(self, answer: tuple[list[CatalogueItem], str]) -> None:
        items, currency = answer
        for item in items:
            validity = f", {item.validity_days} days" if item.validity_days else ""
            self.catalogue_combo.addItem(
                f"{item.name} · {item.sessions} sessions, {money_text(item.price, currency)}{validity}", item)
        self.catalogue_combo.setEnabled(bool(items))
        if items:
            self.catalogue_combo.setCurrentIndex(1)

    @Slot(int)
    def _from_catalogue(self, _index: int) -> None:
        item: CatalogueItem | None = self.catalogue_combo.currentData()
        if item is None:
            return
        self.sessions_spin.setValue(item.sessions)
        self.label_edit.setText(item.name)
        self.price_edit.setText(f"{item.price:.2f}")
        self.expires_check.setChecked(item.validity_days is not None)
        if item.validity_days is not None:
            self.expiry_date.setDate(QDate.currentDate().addDays(item.validity_days))

    @Slot(int)
    def _suggest_label(self, sessions: int) -> None:
        # Follows the count until the desk types a label of its own.
        if self.label_edit.text() in ("", self._suggested):
            self._suggested = f"{sessions}-session pack"
            self.label_edit.setText(self._suggested)

    def inputs(self) -> Sequence[QWidget]:
        return (self.catalogue_combo, self.sessions_spin, self.label_edit, self.price_edit, self.expires_check,
                self.expiry_date, self.purchase_date)

    def purchased_at(self) -> datetime | None:
        """None for today (the database's now); else the start of the chosen day, in this computer's time zone."""
        chosen = self.purchase_date.date()
        if chosen >= QDate.currentDate():
            return None
        return desk_moments(datetime.combine(chosen.toPython(), time(0, 0)))[0]

    def validate(self) -> tuple[str, int, datetime | None, Decimal | None, int | None, datetime | None] | None:
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
        price = None
        if self.price_edit.text().strip():
            try:
                price = parse_amount(self.price_edit.text(), "The price")
            except InvalidInput as error:
                self.show_error(error.message)
                self.price_edit.setFocus()
                return None
            if price < 0:
                self.show_error("The price cannot be negative.")
                return None
        item = self.catalogue_combo.currentData()
        return label, self.sessions_spin.value(), expires, price, item.id if item else None, self.purchased_at()

    def work(self, values: tuple[str, int, datetime | None, Decimal | None, int | None, datetime | None]
             ) -> Callable[[UUID], UUID]:
        label, sessions, expires, price, item, bought = values
        studio, client_id = self.ctx.studio, self.client_id
        return lambda request_id: studio.sell_package(client_id, label, sessions, expires, bought,
                                                      request_id=request_id, price=price, catalogue_id=item)

    def change(self, result: UUID) -> Change:
        return Change(client_ids=frozenset({self.client_id}), package_ids=frozenset({result}))
