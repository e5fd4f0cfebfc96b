"""Money against one package: record a payment or a refund, and set (or correct) its price. The database keeps
what was paid between nothing and the price and answers with the package's money as it now is; the payment form
checks the amount against what is due (or, for a refund, what was paid) as it is typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLabel, QLineEdit, QWidget

from tutor_desktop.domain import Change, InvalidInput, Package, PackageMoney, PaymentMethod, parse_amount
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.shell.context import DeskContext
from tutor_desktop.gui.shell.form import FormDialog


def money_change(package: Package) -> Callable[[PackageMoney], Change]:
    return lambda _money: Change(package_ids=frozenset({package.id}), client_ids=frozenset({package.client_id}))


def money_words(money: PackageMoney | None, currency: str) -> str:
    if money is None or money.price is None:
        return "No price recorded yet."
    return (f"Price {money_text(money.price, currency)} · paid {money_text(money.paid, currency)} · "
            f"due {money_text(money.due, currency)}")


class RecordPaymentDialog(FormDialog):
    """`saved` carries the package's PackageMoney after the payment."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None, package: Package, money: PackageMoney,
                 currency: str) -> None:
        super().__init__(ctx, "record_payment", parent, "Record")
        self.package, self.money, self.currency = package, money, currency
        self.child(QLabel, "titleLabel").setText(f"Record a payment for {package.label}")
        self.child(QLabel, "moneyLabel").setText(money_words(money, currency))
        self.amount_edit: QLineEdit = self.child(QLineEdit, "amountEdit")
        self.refund_check: QCheckBox = self.child(QCheckBox, "refundCheck")
        self.method_combo: QComboBox = self.child(QComboBox, "methodCombo")
        self.paid_on: QDateEdit = self.child(QDateEdit, "paidOnDate")
        self.note_edit: QLineEdit = self.child(QLineEdit, "noteEdit")
        for method in PaymentMethod:
            self.method_combo.addItem(method.label, method)
        self.paid_on.setDate(QDate.currentDate())
        self.paid_on.setMaximumDate(QDate.currentDate())
        if money.due is not None and money.due > 0:
            self.amount_edit.setText(f"{money.due:.2f}")  # the usual case: the rest is paid
        self.refund_check.setEnabled(money.paid > 0)
        self.amount_edit.textChanged.connect(self._amount_checked)
        self.refund_check.toggled.connect(self._amount_checked)
        self._amount_checked()
        self.amount_edit.setFocus()
        self.amount_edit.selectAll()

    def amount_problem(self) -> str:
        """What is wrong with the typed amount for this package, in a person's words ("" when nothing is)."""
        text = self.amount_edit.text()
        if not text.strip():
            return ""
        try:
            amount = parse_amount(text)
        except InvalidInput as error:
            return error.message
        if amount <= 0:
            return "Type the amount without a sign; tick “refund” for money given back."
        if self.refund_check.isChecked():
            if amount > self.money.paid:
                return f"A refund is at most the {money_text(self.money.paid, self.currency)} paid."
        elif self.money.due is not None and amount > self.money.due:
            return (f"{self.package.label} is paid in full; nothing is due." if self.money.due == 0
                    else f"At most {money_text(self.money.due, self.currency)} is due.")
        return ""

    @Slot()
    def _amount_checked(self) -> None:
        problem = self.amount_problem()
        edit = self.amount_edit
        edit.setProperty("invalid", bool(problem))
        edit.style().unpolish(edit)
        edit.style().polish(edit)
        limit = self.money.paid if self.refund_check.isChecked() else self.money.due
        edit.setToolTip(f"At most {money_text(limit, self.currency)}" if problem and limit is not None else "")
        self.show_error(problem)
        self.ok_button.setEnabled(bool(edit.text().strip()) and not problem)

    def inputs(self) -> Sequence[QWidget]:
        return (self.amount_edit, self.refund_check, self.method_combo, self.paid_on, self.note_edit)

    def validate(self) -> tuple[Decimal, PaymentMethod, date, str] | None:
        if problem := self.amount_problem():  # Enter with an amount out of range: nothing is sent
            self.show_error(problem)
            return None
        try:
            amount = parse_amount(self.amount_edit.text())
        except InvalidInput as error:
            self.show_error(error.message)
            self.amount_edit.setFocus()
            return None
        if amount <= 0:
            self.show_error("Type the amount without a sign; tick “refund” for money given back.")
            return None
        note = self.note_edit.text().strip()
        if self.refund_check.isChecked():
            if not note:
                self.show_error("A refund needs a reason in the note.")
                self.note_edit.setFocus()
                return None
            amount = -amount
        return amount, self.method_combo.currentData(), self.paid_on.date().toPython(), note

    def work(self, values: tuple[Decimal, PaymentMethod, date, str]) -> Callable[[UUID], PackageMoney]:
        amount, method, paid_on, note = values
        studio, package_id = self.ctx.studio, self.package.id
        return lambda request_id: studio.record_payment(package_id, amount, method, paid_on, note or None,
                                                        request_id=request_id)

    def change(self, result: PackageMoney) -> Change:
        return money_change(self.package)(result)


class PackagePriceDialog(FormDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None, package: Package, money: PackageMoney | None,
                 currency: str) -> None:
        super().__init__(ctx, "package_price", parent, "Save price")
        self.package = package
        self.child(QLabel, "titleLabel").setText(f"The price of {package.label}")
        self.child(QLabel, "moneyLabel").setText(money_words(money, currency) + f" Amounts in {currency}.")
        self.price_edit: QLineEdit = self.child(QLineEdit, "priceEdit")
        if money is not None and money.price is not None:
            self.price_edit.setText(f"{money.price:.2f}")
        self.price_edit.setFocus()
        self.price_edit.selectAll()

    def inputs(self) -> Sequence[QWidget]:
        return (self.price_edit,)

    def validate(self) -> Decimal | None:
        try:
            price = parse_amount(self.price_edit.text(), "The price")
        except InvalidInput as error:
            self.show_error(error.message)
            return None
        if price < 0:
            self.show_error("The price cannot be negative.")
            return None
        return price

    def work(self, price: Decimal) -> Callable[[UUID], PackageMoney]:
        studio, package_id = self.ctx.studio, self.package.id
        return lambda request_id: studio.set_package_price(package_id, price, request_id=request_id)

    def change(self, result: PackageMoney) -> Change:
        return money_change(self.package)(result)
