"""Desks recording payments on one package at the same moment, threads released together by a barrier: what was
paid never passes the price and never goes below nothing. A deliberately naive read-then-write payment (read what is
due, decide in Python, insert) is caught by the same check, which shows the test can fail."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal

import psycopg
import pytest

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import InvalidInput, PaymentMethod

from .test_concurrency import run_together

DESKS = 8
PRICE, AMOUNT = Decimal("400.00"), Decimal("100.00")  # room for four payments of eight


def _paid(database, package) -> Decimal:  # noqa: ANN001
    return database.scalar("SELECT coalesce(sum(amount), 0) FROM tutor.payments WHERE package_id = %s", (package,))


OPENED: list = []  # each thread's connection, closed after each test


@pytest.fixture(autouse=True)
def _close_connections():
    yield
    while OPENED:
        OPENED.pop().close()


def _through_the_function(database) -> Callable:  # noqa: ANN001
    local = threading.local()

    def pay(package, amount: Decimal, note: str | None = None) -> bool:  # noqa: ANN001
        if not hasattr(local, "repo"):
            local.repo = Repository(make_engine(database.app_url, pool_size=1))
            OPENED.append(local.repo)
        try:
            local.repo.record_payment(package, amount, PaymentMethod.CARD, note=note)
            return True
        except InvalidInput:
            return False

    return pay


def _naive(database) -> Callable:  # noqa: ANN001
    """Reads what is due, decides in Python, then inserts: two statements and no lock."""
    local = threading.local()

    def pay(package, amount: Decimal, note: str | None = None) -> bool:  # noqa: ANN001
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(database.admin_url, autocommit=True)
            OPENED.append(local.conn)
        price, paid = local.conn.execute(
            "SELECT pp.price, coalesce((SELECT sum(amount) FROM tutor.payments y WHERE y.package_id = pp.package_id), 0)"
            " FROM tutor.package_prices pp WHERE pp.package_id = %s", (package,)).fetchone()
        if not (0 <= paid + amount <= price):
            return False
        time.sleep(0.01)  # what any desk's round trip gives the others
        local.conn.execute("INSERT INTO tutor.payments (package_id, amount, method, paid_on, note)"
                           " VALUES (%s, %s, 'card', current_date, %s)", (package, amount, note or ""))
        return True

    return pay


@pytest.mark.parametrize("strategy", [
    pytest.param(_through_the_function, id="record_payment"),
    pytest.param(_naive, id="naive", marks=pytest.mark.xfail(strict=True, reason="read-then-write overpays")),
])
def test_eight_desks_paying_at_once_never_pass_the_price(repo, studio, database, strategy):
    package = repo.sell_package(studio.client, "Ten", 10, price=PRICE)
    pay = strategy(database)
    results = run_together(DESKS, lambda _i: pay(package, AMOUNT))
    assert _paid(database, package) == PRICE
    assert results.count(True) == PRICE / AMOUNT


@pytest.mark.parametrize("strategy", [
    pytest.param(_through_the_function, id="record_payment"),
    pytest.param(_naive, id="naive", marks=pytest.mark.xfail(strict=True, reason="read-then-write over-refunds")),
])
def test_eight_desks_refunding_at_once_never_give_back_more_than_was_paid(repo, studio, database, strategy):
    package = repo.sell_package(studio.client, "Ten", 10, price=PRICE)
    repo.record_payment(package, Decimal("150.00"), PaymentMethod.CASH)
    pay = strategy(database)
    results = run_together(DESKS, lambda _i: pay(package, -AMOUNT, "refund"))
    assert results.count(True) == 1 and _paid(database, package) == Decimal("50.00")
