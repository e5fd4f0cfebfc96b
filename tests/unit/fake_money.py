"""The money and reports half of the fake studio: the catalogue, prices, payments and refunds with the database's
rules (0 <= paid <= received <= price, due = price less received, a refund needs a reason, a package needs a
price before a payment), and the reports computed in Python from the fake's sessions, ledger and payments (sql/10_money.sql, sql/10_reports.sql)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from tests.unit.fake_ledger import FakeLedger, call
from tutor_desktop.domain import (
    DEFAULT_CURRENCY,
    AttendanceLine,
    AttentionItem,
    AttentionKind,
    CatalogueItem,
    HistoryKind,
    InvalidInput,
    NotFound,
    PackageMoney,
    PackageStatus,
    Payment,
    PaymentMethod,
    PayPer,
    PayRate,
    Period,
    RevenueKind,
    RevenueLine,
    SessionStatus,
    StatusCount,
    TutorActivity,
    UnusedPrepaid,
)
from tutor_desktop.zones import wall_clock

_CENT = Decimal("0.01")


def _check_money(amount: Decimal | None, what: str, negative: bool = False) -> Decimal:
    if amount is None:
        raise InvalidInput(f"{what} is missing.")
    if amount < 0 and not negative:
        raise InvalidInput(f"{what} cannot be negative.")
    if amount != amount.quantize(_CENT):
        raise InvalidInput(f"{what} has more than two decimals ({amount}).")
    return amount


class FakeMoney(FakeLedger):
    def __init__(self) -> None:
        super().__init__()
        self._item_ids = itertools.count(1)
        self._payment_ids = itertools.count(1)
        self.catalogue_items: dict[int, CatalogueItem] = {}
        self.prices: dict[UUID, Decimal] = {}
        self.payments: list[Payment] = []
        self._rates: dict[int, tuple[Decimal, PayPer]] = {}
        self._currency = DEFAULT_CURRENCY

    # --- money ---------------------------------------------------------------------------------------------------

    @call
    def catalogue(self, include_retired: bool = False) -> list[CatalogueItem]:
        items = [i for i in self.catalogue_items.values() if i.active or include_retired]
        return sorted(items, key=lambda i: (not i.active, i.name.lower(), i.id))

    def _check_item(self, name: str, sessions: int, price: Decimal, validity_days: int | None,
                    except_id: int | None) -> str:
        name = (name or "").strip()
        if not name:
            raise InvalidInput("The package name is empty or has only spaces.")
        if not 1 <= sessions <= 1000:
            raise InvalidInput(f"A package holds between 1 and 1000 sessions, not {sessions}.")
        _check_money(price, "The price")
        if validity_days is not None and not 1 <= validity_days <= 3660:
            raise InvalidInput(f"A package is valid for 1 to 3660 days (or never expires), not {validity_days}.")
        if except_id != 0 and any(i.active and i.name.lower() == name.lower() and i.id != except_id
                                  for i in self.catalogue_items.values()):
            raise InvalidInput(f"The catalogue already offers a package named {name}.")
        return name

    @call
    def add_catalogue_item(self, name: str, sessions: int, price: Decimal, validity_days: int | None = None,
                           request_id: UUID | None = None) -> int:
        def add() -> int:
            checked = self._check_item(name, sessions, price, validity_days, None)
            item = CatalogueItem(next(self._item_ids), checked, sessions, price, validity_days, True)
            self.catalogue_items[item.id] = item
            return item.id
        return self._once(request_id, f"add_catalogue_item:{name}", add)

    @call
    def update_catalogue_item(self, item_id: int, name: str, sessions: int, price: Decimal,
                              validity_days: int | None, active: bool = True, request_id: UUID | None = None) -> None:
        def update() -> None:
            if item_id not in self.catalogue_items:
                raise NotFound(f"There is no package with id {item_id} in the catalogue.")
            # A retired item's name may repeat (0: no check).
            checked = self._check_item(name, sessions, price, validity_days, item_id if active else 0)
            self.catalogue_items[item_id] = CatalogueItem(item_id, checked, sessions, price, validity_days, active)
        return self._once(request_id, f"update_catalogue_item:{item_id}", update)

    @call
    def currency(self) -> str:
        return self._currency

    @call
    def set_currency(self, code: str, request_id: UUID | None = None) -> str:
        code = (code or "").strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            raise InvalidInput("A currency is a three-letter code such as EUR, USD or GBP.")
        self._currency = code
        return code

    def _money(self, package_id: UUID, payment_id: int | None = None) -> PackageMoney:
        price = self.prices.get(package_id)
        amounts = [p.amount for p in self.payments if p.package_id == package_id]
        paid = sum(amounts, Decimal("0.00"))
        received = sum((a for a in amounts if a > 0), Decimal("0.00"))  # a refund never makes the client owe again
        return PackageMoney(package_id, price, paid, None if price is None else max(price - received, Decimal(0)),
                            payment_id)

    @call
    def package_money(self, package_ids: list[UUID]) -> dict[UUID, PackageMoney]:
        return {i: self._money(i) for i in package_ids if i in self.packages}

    @call
    def payments_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[Payment]]:
        return {i: sorted((p for p in self.payments if p.package_id == i), key=lambda p: (p.paid_on, p.id))
                for i in package_ids}

    @call
    def sell_package(self, client_id: int, label: str, sessions_total: int, expires_at: datetime | None = None,
                     purchased_at: datetime | None = None, request_id: UUID | None = None,
                     price: Decimal | None = None, catalogue_id: int | None = None) -> UUID:
        if catalogue_id is not None:
            item = self.catalogue_items.get(catalogue_id)
            if item is None:
                raise NotFound(f"There is no package with id {catalogue_id} in the catalogue.")
            if not item.active:
                raise InvalidInput(f"{item.name} is retired from the catalogue; it is no longer sold.")
            price = item.price if price is None else price
        if price is not None:
            _check_money(price, "The price")
        package_id = super().sell_package(client_id, label, sessions_total, expires_at, purchased_at, request_id)
        if price is not None:
            self.prices.setdefault(package_id, price)
        return package_id

    @call
    def set_package_price(self, package_id: UUID, price: Decimal, request_id: UUID | None = None) -> PackageMoney:
        _check_money(price, "The price")
        p = self._package(package_id)
        money = self._money(package_id)
        if price < money.paid:
            raise InvalidInput(f"{money.paid} is already paid on {p.label}, more than a price of {price}; "
                               "record a refund first.")
        if self.prices.get(package_id) != price:
            self._event(package_id, HistoryKind.PRICE_CHANGED, **{"from": self.prices.get(package_id), "to": price})
        self.prices[package_id] = price
        return self._money(package_id)

    @call
    def record_payment(self, package_id: UUID, amount: Decimal, method: PaymentMethod, paid_on: date | None = None,
                       note: str | None = None, request_id: UUID | None = None) -> PackageMoney:
        def record() -> int:
            _check_money(amount, "The amount", negative=True)
            if amount == 0:
                raise InvalidInput("The amount is zero; nothing to record.")
            on = paid_on or self.now().date()
            if on > self.now().date() + timedelta(days=1):
                raise InvalidInput("A payment cannot be dated in the future.")
            if amount < 0 and not (note or "").strip():
                raise InvalidInput("A refund needs a reason.")
            p = self._package(package_id)
            money = self._money(package_id)
            if money.price is None:
                raise InvalidInput(f"{p.label} has no price yet; set its price before recording a payment.")
            if amount > money.due:
                raise InvalidInput(f"{p.label} is paid in full; nothing is due." if money.due == 0
                                   else f"{amount} is more than the {money.due} still due on {p.label}.")
            if -amount > money.paid:
                raise InvalidInput(f"A refund of {-amount} is more than the {money.paid} paid on {p.label}.")
            payment = Payment(next(self._payment_ids), package_id, amount, method, on, note or "", self.actor_name,
                              self.now())
            self.payments.append(payment)
            kind = HistoryKind.PAYMENT_RECORDED if amount > 0 else HistoryKind.REFUND_RECORDED
            self._event(package_id, kind, note or "", payment=payment.id, amount=amount, method=method.code,
                        paid_on=on)
            return payment.id
        return self._money(package_id, self._once(request_id, f"record_payment:{package_id}", record))

    @call
    def set_tutor_pay_rate(self, staff_id: int, amount: Decimal | None, per: PayPer = PayPer.SESSION,
                           request_id: UUID | None = None) -> None:
        if amount is None:
            self._rates.pop(staff_id, None)
        else:
            self._rates[staff_id] = (_check_money(amount, "The pay rate"), per)

    @call
    def pay_rates(self) -> dict[int, PayRate]:
        return {staff_id: PayRate(staff_id, amount, per) for staff_id, (amount, per) in self._rates.items()}

    # --- reports -------------------------------------------------------------------------------------------------

    def _in(self, period: Period, zone: str, moment: datetime) -> bool:
        start = wall_clock(datetime.combine(period.first, datetime.min.time()), zone)
        end = wall_clock(datetime.combine(period.last + timedelta(days=1), datetime.min.time()), zone)
        return start <= moment < end

    @call
    def report_tutor_activity(self, period: Period, time_zone: str) -> list[TutorActivity]:
        by: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
        for s in self.sessions.values():
            if self._in(period, time_zone, s.starts_at):
                cell = by[s.tutor_id][s.status.code]
                cell[0] += 1
                cell[1] += Decimal((s.ends_at - s.starts_at).total_seconds()) / 3600
        rows = []
        for tutor_id, cells in by.items():
            counts = [StatusCount(cells[c][0], cells[c][1].quantize(_CENT)) for c in
                      ("done", "no_show_student", "no_show_tutor", "cancelled", "rescheduled", "scheduled")]
            rate, per = self._rates.get(tutor_id, (None, None))
            delivered = cells["done"][0] + cells["no_show_student"][0]
            hours = cells["done"][1] + cells["no_show_student"][1]
            pay = (None if rate is None else rate * delivered if per is PayPer.SESSION
                   else (rate * hours).quantize(_CENT))
            name = self.staff[tutor_id].display_name  # type: ignore[attr-defined]
            rows.append(TutorActivity(tutor_id, name, *counts, rate, per and str(per), pay))
        return sorted(rows, key=lambda r: (r.tutor_name, r.tutor_id))

    @call
    def report_revenue(self, period: Period, time_zone: str) -> list[RevenueLine]:
        sold = [p for p in self.packages.values() if self._in(period, time_zone, p.purchased_at)]
        lines = [RevenueLine(RevenueKind.SOLD, None, len(sold), sum((self.prices.get(p.id, Decimal(0)) for p in sold),
                                                                     Decimal("0.00")))]
        groups: dict[tuple[RevenueKind, str], list[Decimal]] = defaultdict(list)
        for y in self.payments:
            if period.first <= y.paid_on <= period.last:
                groups[(RevenueKind.PAYMENT if y.amount > 0 else RevenueKind.REFUND, y.method.code)].append(y.amount)
        return lines + [RevenueLine(k, m, len(a), sum(a, Decimal(0))) for (k, m), a in sorted(groups.items())]

    @call
    def report_unused_prepaid(self, at: datetime | None = None) -> list[UnusedPrepaid]:
        at = at or self.now()
        rows = []
        for p in self.packages.values():
            left = p.total - sum(e.delta for e in self.ledger if e.package_id == p.id and e.created_at <= at)
            cancelled = p.status is PackageStatus.CANCELLED  # the fake keeps no time of a cancellation
            if p.purchased_at > at or cancelled or left <= 0 or (p.expires_at is not None and p.expires_at <= at):
                continue
            price = self.prices.get(p.id)
            value = None if price is None else (left * price / p.total).quantize(_CENT)
            client = self.clients[p.client_id]
            rows.append(UnusedPrepaid(p.id, p.client_id, client.full_name, p.label, p.purchased_at, p.total, left,
                                      price, value))
        return sorted(rows, key=lambda r: (r.client_name.lower(), r.client_id, r.purchased_at))

    @call
    def report_attendance(self, period: Period, time_zone: str) -> list[AttendanceLine]:
        marked = {SessionStatus.DONE, SessionStatus.NO_SHOW_STUDENT, SessionStatus.NO_SHOW_TUTOR}
        counts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
        for s in self.sessions.values():
            if s.status in marked and self._in(period, time_zone, s.starts_at):
                for key in (("client", s.client_id), ("tutor", s.tutor_id)):
                    counts[key][0] += 1
                    counts[key][1] += s.status is SessionStatus.NO_SHOW_STUDENT
                    counts[key][2] += s.status is SessionStatus.NO_SHOW_TUTOR

        def rate(part: int, whole: int) -> Decimal:
            return (Decimal(100 * part) / whole).quantize(Decimal("0.1"))
        rows = [AttendanceLine(kind, i, self.clients[i].full_name if kind == "client"
                               else self.staff[i].display_name,  # type: ignore[attr-defined]
                               n, nss, nst, rate(nss, n), rate(nst, n)) for (kind, i), (n, nss, nst) in counts.items()]
        return sorted(rows, key=lambda r: (r.kind != "tutor", -r.student_no_show_rate, r.name))

    @call
    def report_needs_attention(self, low: int = 2, days: int = 14) -> list[AttentionItem]:
        now = self.now()
        found: list[AttentionItem] = []
        usable = [self._view(p) for p in self.packages.values() if p.status is PackageStatus.ACTIVE
                  and not self._expired(p) and not self.clients[p.client_id].archived]
        left: dict[int, int] = defaultdict(int)
        for p in usable:
            left[p.client_id] += p.sessions_remaining
            if p.sessions_remaining > 0 and p.expires_at is not None and p.expires_at <= now + timedelta(days=days):
                found.append(self._item(AttentionKind.EXPIRING, p.client_id, p.id, p.label, p.sessions_remaining,
                                        at=p.expires_at))
            if p.sessions_bookable < 0:
                found.append(self._item(AttentionKind.OVERBOOKED, p.client_id, p.id, p.label, p.sessions_bookable))
        for package_id, p in self.packages.items():
            due = self._money(package_id).due
            if due and due > 0 and p.status is PackageStatus.ACTIVE and not self.clients[p.client_id].archived:
                found.append(self._item(AttentionKind.BALANCE_DUE, p.client_id, package_id, p.label, amount=due,
                                        at=p.purchased_at))
        for client_id, n in left.items():
            if n <= low:
                found.append(self._item(AttentionKind.LOW_BALANCE, client_id, sessions=n))
            booked = any(s.client_id == client_id and s.status is SessionStatus.SCHEDULED and s.starts_at > now
                         for s in self.sessions.values())
            if n > 0 and not booked:
                found.append(self._item(AttentionKind.NO_UPCOMING, client_id, sessions=n))
        order = list(AttentionKind)
        return sorted(found, key=lambda i: (order.index(i.kind), i.client_name.lower(), i.client_id, i.label or ""))

    def _item(self, kind: AttentionKind, client_id: int, package_id: UUID | None = None, label: str | None = None,
              sessions: int | None = None, amount: Decimal | None = None, at: datetime | None = None) -> AttentionItem:
        name = self.clients[client_id].full_name
        return AttentionItem(kind, client_id, name, package_id, label, sessions, amount, at)


