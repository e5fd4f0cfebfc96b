"""Money on PostgreSQL: the catalogue, prices, payments, the currency and pay rates (sql/10_money.sql and
sql/10_payments.sql)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Row

from tutor_desktop.db.gateway import Gateway, new_request_id
from tutor_desktop.domain import (
    DEFAULT_CURRENCY,
    CatalogueItem,
    PackageMoney,
    Payment,
    PaymentMethod,
    PayPer,
    PayRate,
)


def _money(row: Row, payment_id: int | None = None) -> PackageMoney:
    return PackageMoney(row.package_id, row.price, row.paid, row.due, payment_id)


class Money:
    def __init__(self, gateway: Gateway) -> None:
        self.db = gateway

    # --- reads -----------------------------------------------------------------------------------------------

    def catalogue(self, include_retired: bool = False) -> list[CatalogueItem]:
        rows = self.db.rows(
            "SELECT id, name, sessions, price, validity_days, active FROM tutor.package_catalogue"
            " WHERE active OR :all ORDER BY NOT active, lower(name), id", {"all": include_retired})
        return [CatalogueItem(r.id, r.name, r.sessions, r.price, r.validity_days, r.active) for r in rows]

    def currency(self) -> str:
        rows = self.db.rows("SELECT value #>> '{}' AS code FROM tutor.studio_settings WHERE key = 'currency'")
        return rows[0].code if rows else DEFAULT_CURRENCY

    def pay_rates(self) -> dict[int, PayRate]:
        rows = self.db.rows("SELECT staff_id, amount, per FROM tutor.tutor_pay_rates")
        return {r.staff_id: PayRate(r.staff_id, r.amount, PayPer(r.per)) for r in rows}

    def package_money(self, package_ids: list[UUID]) -> dict[UUID, PackageMoney]:
        rows = self.db.rows("SELECT package_id, price, paid, due FROM tutor.package_money WHERE package_id = ANY(:ids)",
                            {"ids": list(package_ids)})
        return {r.package_id: _money(r) for r in rows}

    def payments_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[Payment]]:
        rows = self.db.rows(
            "SELECT id, package_id, amount, method, paid_on, note, actor_name, created_at FROM tutor.payment_entries"
            " WHERE package_id = ANY(:ids) ORDER BY paid_on, id", {"ids": list(package_ids)})
        found: dict[UUID, list[Payment]] = {i: [] for i in package_ids}
        for r in rows:
            found[r.package_id].append(Payment(r.id, r.package_id, r.amount, PaymentMethod.from_code(r.method),
                                               r.paid_on, r.note, r.actor_name, r.created_at))
        return found

    # --- changes ---------------------------------------------------------------------------------------------

    def add_catalogue_item(self, name: str, sessions: int, price: Decimal, validity_days: int | None = None,
                           request_id: UUID | None = None) -> int:
        return self.db.rows(
            "SELECT tutor.add_catalogue_item(:n, :s, :p, :v, :r) AS id",
            {"n": name, "s": sessions, "p": price, "v": validity_days, "r": request_id or new_request_id()})[0].id

    def update_catalogue_item(self, item_id: int, name: str, sessions: int, price: Decimal,
                              validity_days: int | None, active: bool = True, request_id: UUID | None = None) -> None:
        self.db.rows(
            "SELECT tutor.update_catalogue_item(:id, :n, :s, :p, :v, :a, :r)",
            {"id": item_id, "n": name, "s": sessions, "p": price, "v": validity_days, "a": active,
             "r": request_id or new_request_id()})

    def set_currency(self, code: str, request_id: UUID | None = None) -> str:
        return self.db.rows("SELECT tutor.set_currency(:c, :r) AS code",
                            {"c": code, "r": request_id or new_request_id()})[0].code

    def set_package_price(self, package_id: UUID, price: Decimal, request_id: UUID | None = None) -> PackageMoney:
        return _money(self.db.rows("SELECT * FROM tutor.set_package_price(:p, :price, :r)",
                                   {"p": package_id, "price": price, "r": request_id or new_request_id()})[0])

    def record_payment(self, package_id: UUID, amount: Decimal, method: PaymentMethod, paid_on: date | None = None,
                       note: str | None = None, request_id: UUID | None = None) -> PackageMoney:
        row = self.db.rows(
            "SELECT * FROM tutor.record_payment(:p, :amount, :method, :on, :note, :r)",
            {"p": package_id, "amount": amount, "method": method.code, "on": paid_on, "note": note,
             "r": request_id or new_request_id()})[0]
        return _money(row, row.payment_id)

    def set_tutor_pay_rate(self, staff_id: int, amount: Decimal | None, per: PayPer = PayPer.SESSION,
                           request_id: UUID | None = None) -> None:
        self.db.rows("SELECT tutor.set_tutor_pay_rate(:s, :a, :per, :r)",
                     {"s": staff_id, "a": amount, "per": str(per), "r": request_id or new_request_id()})
