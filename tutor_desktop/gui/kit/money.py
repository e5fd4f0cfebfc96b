"""Amounts as the desk's locale writes numbers (its decimal point and thousands separator), in the studio's
currency: the domain's format_money with this computer's separators."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale

from tutor_desktop.domain import DEFAULT_CURRENCY, format_money


def money_text(amount: Decimal | None, currency: str = DEFAULT_CURRENCY) -> str:
    locale = QLocale()
    return format_money(amount, currency, locale.decimalPoint(), locale.groupSeparator())
