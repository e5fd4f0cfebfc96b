"""The five reports as the Reports tab shows them: how each is fetched, its table (text, numbers right-aligned),
its chart, and one line that sums it up. Money is formatted in the studio's currency; CSV gets plain numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from tutor_desktop.domain import (
    AttentionKind,
    PaymentMethod,
    Period,
    RevenueKind,
    SessionStatus,
)
from tutor_desktop.gui.kit.formatting import amount, day
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.reports.bar_chart import Bar, Part
from tutor_desktop.ports import Studio

PAID, REFUND, SOLD = "#2e9e5b", "#d64545", "#2f6fde"
TOP = 12  # bars in a chart of a long list


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # as shown
    plain: list[list[str]]  # as exported: numbers without currency signs or thousands separators
    numeric: frozenset[int]


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    periodic: bool  # False: a report of one moment (unused prepaid at the period's end, needs attention now)
    money: bool  # front desk and admins only
    fetch: Callable[[Studio, Period, str, datetime | None], list[Any]]
    table: Callable[[list[Any], str], Table]
    bars: Callable[[list[Any], str], list[Bar]]
    summary: Callable[[list[Any], str], str]


def _table(headers: list[str], rows: list[list[object]], numeric: set[int], currency: str,
           money: frozenset[int] | set[int] = frozenset()) -> Table:
    """Shown: money in the currency; exported: money as a plain number with two decimals; empty for none."""
    def cell(i: int, v: object, shown: bool) -> str:
        if v is None:
            return ""
        if i in money:
            return money_text(v, currency) if shown else f"{v:.2f}"  # type: ignore[arg-type]
        return str(v)
    return Table(headers, [[cell(i, v, True) for i, v in enumerate(row)] for row in rows],
                 [[cell(i, v, False) for i, v in enumerate(row)] for row in rows], frozenset(numeric | set(money)))


# --- tutor activity ------------------------------------------------------------------------------------------------

_ACTIVITY = (("done", SessionStatus.DONE), ("no_show_student", SessionStatus.NO_SHOW_STUDENT),
             ("no_show_tutor", SessionStatus.NO_SHOW_TUTOR), ("cancelled", SessionStatus.CANCELLED),
             ("rescheduled", SessionStatus.RESCHEDULED), ("upcoming", SessionStatus.SCHEDULED))


def _activity_table(rows: list, currency: str) -> Table:
    headers = ["Tutor", *(s.label for _, s in _ACTIVITY), "Hours delivered", "Rate", "Pay"]
    body = [[r.tutor_name, *(getattr(r, f).sessions for f, _ in _ACTIVITY), r.delivered.hours,
             "" if r.pay_rate is None else f"{money_text(r.pay_rate, currency)} / {r.pay_per}", r.pay] for r in rows]
    return _table(headers, body, set(range(1, 9)), currency, {9})


def _activity_bars(rows: list, currency: str) -> list[Bar]:
    return [Bar(r.tutor_name, tuple(Part(getattr(r, f).sessions, s.colour, s.label) for f, s in _ACTIVITY),
                f"{r.delivered.sessions} delivered"
                + (f" · {money_text(r.pay, currency)}" if r.pay is not None else ""))
            for r in rows]


def _activity_summary(rows: list, currency: str) -> str:
    delivered = sum(r.delivered.sessions for r in rows)
    hours = sum((r.delivered.hours for r in rows), Decimal(0))
    pay = [r.pay for r in rows if r.pay is not None]
    text = f"{amount(delivered, 'session')} delivered, {hours:.2f} hours"
    return text + (f"; pay {money_text(sum(pay, Decimal(0)), currency)}" if pay else "")


# --- revenue -------------------------------------------------------------------------------------------------------

def _method(code: str | None) -> str:
    return PaymentMethod.from_code(code).label if code else ""


def _revenue_table(rows: list, currency: str) -> Table:
    kinds = {RevenueKind.SOLD: "Packages sold", RevenueKind.PAYMENT: "Payments", RevenueKind.REFUND: "Refunds"}
    return _table(["", "Method", "Count", "Amount"],
                  [[kinds[r.kind], _method(r.method), r.count, r.amount] for r in rows], {2}, currency, {3})


def _revenue_bars(rows: list, currency: str) -> list[Bar]:
    bars = []
    for r in rows:
        colour = {RevenueKind.SOLD: SOLD, RevenueKind.PAYMENT: PAID, RevenueKind.REFUND: REFUND}[r.kind]
        refunds = " refunds" if r.kind is RevenueKind.REFUND else ""
        label = "Sold" if r.kind is RevenueKind.SOLD else f"{_method(r.method)}{refunds}"
        bars.append(Bar(label, (Part(float(abs(r.amount)), colour, str(r.kind)),), money_text(r.amount, currency)))
    return bars


def _revenue_summary(rows: list, currency: str) -> str:
    received = sum((r.amount for r in rows if r.kind is not RevenueKind.SOLD), Decimal(0))
    sold = next((r for r in rows if r.kind is RevenueKind.SOLD), None)
    value = money_text(sold.amount if sold else Decimal(0), currency)
    return (f"{amount(sold.count if sold else 0, 'package')} sold for {value}"
            f"; received {money_text(received, currency)} after refunds")


# --- unused prepaid ------------------------------------------------------------------------------------------------

def _unused_table(rows: list, currency: str) -> Table:
    return _table(["Client", "Package", "Bought", "Left", "Of", "Price", "Value"],
                  [[r.client_name, r.label, day(r.purchased_at), r.sessions_remaining, r.sessions_total, r.price,
                    r.value] for r in rows], {3, 4}, currency, {5, 6})


def _unused_bars(rows: list, currency: str) -> list[Bar]:
    by_client: Counter = Counter()
    for r in rows:
        by_client[r.client_name] += r.value or Decimal(0)
    return [Bar(name, (Part(float(v), SOLD, "value"),), money_text(v, currency))
            for name, v in by_client.most_common(TOP)]


def _unused_summary(rows: list, currency: str) -> str:
    total = sum((r.value for r in rows if r.value is not None), Decimal(0))
    return (f"{money_text(total, currency)} owed in "
            f"{amount(sum(r.sessions_remaining for r in rows), 'prepaid session')} on {amount(len(rows), 'package')}")


# --- attendance ----------------------------------------------------------------------------------------------------

def _attendance_table(rows: list, currency: str) -> Table:
    headers = ["", "Name", "Sessions", "Student no-shows", "Tutor no-shows", "Student no-show %", "Tutor no-show %"]
    return _table(headers,
                  [[r.kind.capitalize(), r.name, r.sessions, r.student_no_shows, r.tutor_no_shows,
                    r.student_no_show_rate, r.tutor_no_show_rate] for r in rows], {2, 3, 4, 5, 6}, currency)


def _attendance_bars(rows: list, currency: str) -> list[Bar]:
    tutors = [r for r in rows if r.kind == "tutor"]
    clients = [r for r in rows if r.kind == "client" and r.student_no_shows][:TOP - len(tutors)]
    student, tutor = SessionStatus.NO_SHOW_STUDENT, SessionStatus.NO_SHOW_TUTOR
    return [Bar(r.name if r.kind == "client" else f"{r.name} (tutor)",
                (Part(float(r.student_no_show_rate), student.colour, student.label),
                 Part(float(r.tutor_no_show_rate), tutor.colour, tutor.label)),
                f"{r.student_no_show_rate}% · {r.tutor_no_show_rate}%") for r in tutors + clients]


def _attendance_summary(rows: list, currency: str) -> str:
    tutors = [r for r in rows if r.kind == "tutor"]
    n = sum(r.sessions for r in tutors)
    missed = sum(r.student_no_shows for r in tutors)
    return f"{amount(n, 'session')} took place or should have; {amount(missed, 'student no-show')} ({(100 * missed / n) if n else 0:.1f}%)"


# --- needs attention -----------------------------------------------------------------------------------------------

def _attention_table(rows: list, currency: str) -> Table:
    return _table(["Finding", "Client", "Package", "Detail", "Due"],
                  [[i.kind.label, i.client_name, i.label or "", _attention_detail(i), i.amount] for i in rows],
                  set(), currency, {4})


def _attention_detail(i: Any) -> str:
    if i.kind is AttentionKind.EXPIRING and i.at is not None:
        return f"{i.sessions} left, expires {day(i.at)}"
    if i.kind is AttentionKind.BALANCE_DUE and i.at is not None:
        return f"not paid in full (bought {day(i.at)})"
    return i.describe()


def _attention_bars(rows: list, currency: str) -> list[Bar]:
    counts = Counter(i.kind for i in rows)
    colours = {AttentionKind.OVERBOOKED: REFUND, AttentionKind.BALANCE_DUE: "#ee8a2d",
               AttentionKind.LOW_BALANCE: "#e0b020", AttentionKind.EXPIRING: "#8a63d2", AttentionKind.NO_UPCOMING: SOLD}
    return [Bar(k.label, (Part(counts[k], colours[k], k.label),), str(counts[k])) for k in AttentionKind]


def _attention_summary(rows: list, currency: str) -> str:
    due = sum((i.amount for i in rows if i.amount is not None), Decimal(0))
    clients = amount(len({i.client_id for i in rows}), "client")
    return f"{amount(len(rows), 'finding')} for {clients}; {money_text(due, currency)} due"


REPORTS: Sequence[Report] = (
    Report("tutors", "Tutor activity", True, False,
           lambda s, p, z, _at: s.report_tutor_activity(p, z), _activity_table, _activity_bars, _activity_summary),
    Report("revenue", "Revenue", True, True,
           lambda s, p, z, _at: s.report_revenue(p, z), _revenue_table, _revenue_bars, _revenue_summary),
    Report("unused", "Unused prepaid", False, True,
           lambda s, _p, _z, at: s.report_unused_prepaid(at), _unused_table, _unused_bars, _unused_summary),
    Report("attendance", "Attendance", True, True,
           lambda s, p, z, _at: s.report_attendance(p, z), _attendance_table, _attendance_bars, _attendance_summary),
    Report("attention", "Needs attention", False, True,
           lambda s, _p, _z, _at: s.report_needs_attention(), _attention_table, _attention_bars, _attention_summary),
)
