"""What the reports return: one frozen row type per report, and a report's period."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from tutor_desktop.domain.errors import InvalidInput


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included, in the desk's time zone."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidInput(f"The period ends on {self.last:%d %b %Y}, before it starts on {self.first:%d %b %Y}.")

    @classmethod
    def this_week(cls, today: date) -> Period:
        monday = today - timedelta(days=today.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def this_month(cls, today: date) -> Period:
        first = today.replace(day=1)
        return cls(first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1))

    @classmethod
    def last_month(cls, today: date) -> Period:
        last = today.replace(day=1) - timedelta(days=1)
        return cls(last.replace(day=1), last)

    def describe(self) -> str:
        if self.first == self.last:
            return f"{self.first:%a} {self.first.day} {self.first:%b %Y}"
        return f"{self.first.day} {self.first:%b %Y} – {self.last.day} {self.last:%b %Y}"


@dataclass(frozen=True)
class StatusCount:
    sessions: int
    hours: Decimal


@dataclass(frozen=True)
class TutorActivity:
    tutor_id: int
    tutor_name: str
    done: StatusCount
    no_show_student: StatusCount
    no_show_tutor: StatusCount
    cancelled: StatusCount
    rescheduled: StatusCount
    upcoming: StatusCount
    pay_rate: Decimal | None  # None: no rate, or the reader may not see money (a tutor)
    pay_per: str | None
    pay: Decimal | None

    @property
    def delivered(self) -> StatusCount:
        """What a tutor is paid for: done and student no-show."""
        return StatusCount(self.done.sessions + self.no_show_student.sessions,
                           self.done.hours + self.no_show_student.hours)


class RevenueKind(enum.StrEnum):
    SOLD = "sold"
    PAYMENT = "payment"
    REFUND = "refund"


@dataclass(frozen=True)
class RevenueLine:
    kind: RevenueKind
    method: str | None  # a PaymentMethod code for payments and refunds
    count: int
    amount: Decimal


@dataclass(frozen=True)
class UnusedPrepaid:
    package_id: UUID
    client_id: int
    client_name: str
    label: str
    purchased_at: datetime
    sessions_total: int
    sessions_remaining: int
    price: Decimal | None
    value: Decimal | None  # remaining x price per session; None without a price


@dataclass(frozen=True)
class AttendanceLine:
    kind: str  # "client" or "tutor"
    id: int
    name: str
    sessions: int  # done, student no-show and tutor no-show
    student_no_shows: int
    tutor_no_shows: int
    student_no_show_rate: Decimal  # percent, one decimal
    tutor_no_show_rate: Decimal


class AttentionKind(enum.Enum):
    OVERBOOKED = ("overbooked", "Overbooked")
    BALANCE_DUE = ("balance_due", "Balance due")
    LOW_BALANCE = ("low_balance", "Low balance")
    EXPIRING = ("expiring", "Expiring soon")
    NO_UPCOMING = ("no_upcoming", "Nothing booked")

    def __init__(self, code: str, label: str) -> None:
        self.code = code
        self.label = label

    @classmethod
    def from_code(cls, code: str) -> AttentionKind:
        return next(k for k in cls if k.code == code)


@dataclass(frozen=True)
class AttentionItem:
    kind: AttentionKind
    client_id: int
    client_name: str
    package_id: UUID | None
    label: str | None
    sessions: int | None  # left (low balance, expiring, nothing booked) or bookable (overbooked, below 0)
    amount: Decimal | None  # due
    at: datetime | None  # the expiry; for a balance due, when the package was bought

    def describe(self) -> str:
        """The finding in a few words (the package is named beside it)."""
        if self.kind is AttentionKind.OVERBOOKED:
            return f"{-(self.sessions or 0)} more booked than left"
        if self.kind is AttentionKind.BALANCE_DUE:
            return f"not paid in full (bought {self.at:%d %b %Y})" if self.at else "not paid in full"
        if self.kind is AttentionKind.LOW_BALANCE:
            return f"{self.sessions} session{'s' if self.sessions != 1 else ''} left in all"
        if self.kind is AttentionKind.EXPIRING:
            return f"{self.sessions} left, expires {self.at:%d %b %Y}" if self.at else f"{self.sessions} left"
        return f"{self.sessions} session{'s' if self.sessions != 1 else ''} left, nothing booked"
