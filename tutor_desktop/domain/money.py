"""Money: the catalogue of packages, a package's price and payments, and how an amount is written. Amounts are
Decimal with two decimals (numeric(12,2) in the database), never float."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from tutor_desktop.domain.errors import InvalidInput

DEFAULT_CURRENCY = "USD"  # until an admin sets the studio's currency
MAX_AMOUNT = Decimal(10_000_000_000)  # numeric(12,2): below ten billion (the database refuses the same)
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}


class PaymentMethod(enum.Enum):
    CASH = ("cash", "Cash")
    CARD = ("card", "Card")
    BANK_TRANSFER = ("bank_transfer", "Bank transfer")
    OTHER = ("other", "Other")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label = label

    @classmethod
    def from_code(cls, code: str) -> PaymentMethod:
        for method in cls:
            if method.code == code:
                return method
        raise InvalidInput(f'"{code}" is not a way of paying (cash, card, bank transfer or other).')


class PayPer(enum.StrEnum):
    SESSION = "session"
    HOUR = "hour"


def parse_amount(text: str, what: str = "The amount") -> Decimal:
    """An amount as a person types it ("40", "40.5", "1,200.00"); at most two decimals."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    for symbol in set(_SYMBOLS.values()):
        cleaned = cleaned.replace(symbol.strip(), "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(f"{what} is not a number: {text.strip() or 'empty'}.") from None
    if not amount.is_finite():
        raise InvalidInput(f"{what} is not a number: {text.strip()}.")
    if abs(amount) >= MAX_AMOUNT:
        raise InvalidInput(f"{what} is too large ({text.strip()}).")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(f"{what} has more than two decimals ({text.strip()}).")
    return amount.quantize(Decimal("0.01"))


def format_money(amount: Decimal | None, currency: str = DEFAULT_CURRENCY, decimal_point: str = ".",
                 group_separator: str = ",") -> str:
    """1234.5 EUR -> "€1,234.50" (the separators as the desk's locale has them); a negative amount keeps its sign
    in front; None -> "—"."""
    if amount is None:
        return "—"
    symbol = _SYMBOLS.get(currency)
    sign = "-" if amount < 0 else ""
    number = f"{abs(amount):,.2f}".replace(",", "\0").replace(".", decimal_point).replace("\0", group_separator)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


@dataclass(frozen=True)
class CatalogueItem:
    id: int
    name: str
    sessions: int
    price: Decimal
    validity_days: int | None  # None: never expires
    active: bool  # False: retired, no longer offered


@dataclass(frozen=True)
class PackageMoney:
    """A package's money as the database answered: its price (None: none recorded), paid (payments less
    refunds) and due (the price less the payments received: a refund never makes the client owe it again; None
    without a price). payment_id: the payment a record_payment call made."""

    package_id: UUID
    price: Decimal | None
    paid: Decimal
    due: Decimal | None
    payment_id: int | None = None


@dataclass(frozen=True)
class PayRate:
    """What a tutor is paid per session or per hour delivered (done or student no-show)."""

    staff_id: int
    amount: Decimal
    per: PayPer


@dataclass(frozen=True)
class Payment:
    id: int
    package_id: UUID
    amount: Decimal  # negative: a refund
    method: PaymentMethod
    paid_on: date
    note: str  # a refund's reason
    actor_name: str
    created_at: datetime

    @property
    def is_refund(self) -> bool:
        return self.amount < 0
