"""Amounts as a person types and reads them: exact Decimals, two decimals, the currency's sign, the locale's
separators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tutor_desktop.domain import InvalidInput, Period, format_money, parse_amount


@pytest.mark.parametrize(("typed", "amount"), [("40", "40.00"), (" 40.5 ", "40.50"), ("1,200.00", "1200.00"),
                                               ("£12", "12.00"), ("-5", "-5.00")])
def test_amounts_are_read_exactly(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", ["", "abc", "10.001", "1e400", "NaN"])
def test_an_amount_that_is_no_amount_is_refused_in_words(typed):
    with pytest.raises(InvalidInput, match="The price"):
        parse_amount(typed, "The price")


def test_amounts_are_written_in_the_currency_with_the_locales_separators():
    assert format_money(Decimal("1234.5"), "GBP") == "£1,234.50"
    assert format_money(Decimal("-45"), "EUR") == "-€45.00"
    assert format_money(Decimal("1234567.891"), "SEK") == "1,234,567.89 SEK"
    assert format_money(Decimal("1234.5"), "EUR", ",", ".") == "€1.234,50"
    assert format_money(None) == "—"


def test_periods_of_the_reports_tab():
    from datetime import date

    today = date(2026, 3, 18)  # a Wednesday
    assert Period.this_week(today) == Period(date(2026, 3, 16), date(2026, 3, 22))
    assert Period.this_month(today) == Period(date(2026, 3, 1), date(2026, 3, 31))
    assert Period.last_month(date(2026, 1, 5)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    with pytest.raises(InvalidInput, match="before it starts"):
        Period(date(2026, 3, 2), date(2026, 3, 1))
