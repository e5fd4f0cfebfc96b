"""The selected package's money, under its card: price, paid and due as the database answered, its payments and
refunds, and Record payment… / Set price…. Front desk and admins only: a tutor's window neither reads nor shows
money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from uuid import UUID

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tutor_desktop.domain import Package, PackageMoney, Payment
from tutor_desktop.gui.clients.payment_dialogs import PackagePriceDialog, RecordPaymentDialog
from tutor_desktop.gui.kit.buttons import action_button
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.shell.context import DeskContext

SHOWN_PAYMENTS = 3


def money_figures(money: PackageMoney, refunded: Decimal, currency: str) -> str:
    """Paid is what was received less what was given back; a refund is not owed again, so it never shows as due."""
    text = f"Paid {money_text(money.paid, currency)} of {money_text(money.price, currency)}"
    if refunded > 0:
        text += f" ({money_text(refunded, currency)} refunded)"
    if money.due:
        return f"{text} · {money_text(money.due, currency)} due"
    return f"{text} · {'nothing due' if refunded > 0 else 'paid in full'}"


class MoneyCard(QFrame):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("moneyCard")
        self.setProperty("card", True)
        self.currency = "USD"
        self.package: Package | None = None
        self.money: Mapping[UUID, PackageMoney] = {}
        self.payments: Mapping[UUID, Sequence[Payment]] = {}
        self.dialog: RecordPaymentDialog | PackagePriceDialog | None = None
        self.figures = QLabel("", objectName="moneyFigures")
        self.figures.setProperty("subheading", True)
        self.figures.setWordWrap(True)  # with a refund the line is long; a narrow window wraps it, never widens
        self.history = QLabel("", objectName="paymentsLabel")
        self.history.setProperty("muted", True)
        self.history.setWordWrap(True)
        self.pay_button = action_button("Record &payment…", "sell", "recordPaymentButton",
                                        "Record money received, or a refund, for this package")
        self.price_button = action_button("Set pr&ice…", "edit", "setPriceButton", "Set or correct the price")
        buttons = QHBoxLayout()
        buttons.addWidget(self.pay_button)
        buttons.addWidget(self.price_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(6)
        layout.addWidget(self.figures)
        layout.addWidget(self.history)
        layout.addLayout(buttons)
        self.pay_button.clicked.connect(self.record_payment)
        self.price_button.clicked.connect(self.set_price)
        self.show_package(None)

    def show_money(self, money: Mapping[UUID, PackageMoney], payments: Mapping[UUID, Sequence[Payment]],
                   currency: str) -> None:
        self.money, self.payments, self.currency = money, payments, currency
        self.show_package(self.package)

    def show_package(self, package: Package | None) -> None:
        self.package = package
        money = self.money.get(package.id) if package else None
        if package is None:
            self.figures.setText("")
            self.history.setText("")
        elif money is None or money.price is None:
            self.figures.setText("No price recorded")
            self.history.setText("Set the price to record payments.")
        else:
            payments = list(self.payments.get(package.id, ()))
            refunded = -sum((p.amount for p in payments if p.is_refund), Decimal(0))
            self.figures.setText(money_figures(money, refunded, self.currency))
            shown = payments[-SHOWN_PAYMENTS:]
            self.history.setText("\n".join(
                f"{p.paid_on:%a} {p.paid_on.day} {p.paid_on:%b %Y} · "
                f"{'Refund ' if p.is_refund else ''}{money_text(p.amount, self.currency)} "
                f"{p.method.label.lower()}{f' · {p.note}' if p.note else ''}" for p in shown) or "No payments yet.")
        has_price = money is not None and money.price is not None
        self.pay_button.setEnabled(has_price)
        self.price_button.setEnabled(package is not None)

    def record_payment(self) -> None:
        if self.package is None or self.money.get(self.package.id) is None:
            return
        self.dialog = RecordPaymentDialog(self.ctx, self.window(), self.package, self.money[self.package.id],
                                          self.currency)
        self.dialog.open()

    def set_price(self) -> None:
        if self.package is None:
            return
        self.dialog = PackagePriceDialog(self.ctx, self.window(), self.package, self.money.get(self.package.id),
                                         self.currency)
        self.dialog.open()
