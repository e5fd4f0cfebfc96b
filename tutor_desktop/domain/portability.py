"""What goes out of and comes into a studio: the tables of an export, the answer of an import, and a client's
statement (their packages, balances and what was used when, with whom)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from uuid import UUID

from tutor_desktop.domain.errors import InvalidInput
from tutor_desktop.domain.money import DEFAULT_CURRENCY, PaymentMethod, format_money
from tutor_desktop.domain.records import Client, HistoryEntry, Package, Session
from tutor_desktop.domain.words import HistoryKind, PackageState


class ImportKind(enum.StrEnum):
    CLIENTS = "clients"
    PACKAGES = "packages"

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields a row of this kind may give, in the order a person fills them in."""
        return IMPORT_FIELDS[self]

    @property
    def required(self) -> tuple[str, ...]:
        return REQUIRED_FIELDS[self]


IMPORT_FIELDS = {
    ImportKind.CLIENTS: ("external_id", "name", "email", "phone", "notes"),
    ImportKind.PACKAGES: ("external_id", "client_external_id", "client_name", "client_email", "label",
                          "sessions_total", "sessions_used", "purchased", "expires", "status"),
}
REQUIRED_FIELDS = {
    ImportKind.CLIENTS: ("name",),
    ImportKind.PACKAGES: ("label", "sessions_total", "purchased"),
}
FIELD_LABELS = {
    "external_id": "External id", "name": "Name", "email": "E-mail", "phone": "Phone", "notes": "Notes",
    "client_external_id": "Client's external id", "client_name": "Client's name", "client_email": "Client's e-mail",
    "label": "Package label", "sessions_total": "Sessions in package", "sessions_used": "Sessions used",
    "purchased": "Purchase date", "expires": "Expiry date", "status": "Status",
}


@dataclass(frozen=True)
class ImportProblem:
    row: int  # the spreadsheet's row number (the header is row 1)
    message: str


@dataclass(frozen=True)
class ImportResult:
    """applied: the rows were added (never with problems; never on a dry run). added: rows that are (or would be)
    new; existing: rows the studio holds already, left as they are."""

    applied: bool
    added: int
    existing: int
    problems: tuple[ImportProblem, ...] = ()

    @classmethod
    def from_answer(cls, answer: Mapping[str, object]) -> ImportResult:
        problems = tuple(ImportProblem(int(p["row"]), str(p["message"])) for p in answer.get("problems") or ())
        return cls(bool(answer["applied"]), int(answer["added"]), int(answer["existing"]), problems)


@dataclass(frozen=True)
class ExportTable:
    """One file of an export: its name (without .csv), one header row, and rows of plain values (text, numbers,
    datetimes, None), in a fixed order so that equal studios export equal files."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


@dataclass(frozen=True)
class MoveOutcome:
    """A studio moved to a server: what was copied (every count equal there), the admin's login on the server,
    the server's URL for this desk (no password in it), the staff whose login name the server already used (let
    go of it), and the staff whose login was created there with no password (an admin sets one)."""

    counts: Mapping[str, int]
    admin_login: str
    desk_url: str
    logins_dropped: tuple[str, ...] = ()
    logins_waiting: tuple[str, ...] = ()


STATEMENT_WORDS = {
    HistoryKind.SESSION_CONSUMED: "Session",
    HistoryKind.SESSION_GIVEN_BACK: "Session given back",
    HistoryKind.MANUAL_USE: "Used by hand",
    HistoryKind.MANUAL_REINSTATE: "Given back by hand",
    HistoryKind.USED_BEFORE: "Used before Tutor Desk",
    HistoryKind.PACKAGE_SOLD: "Bought",
    HistoryKind.PACKAGE_IMPORTED: "Recorded from earlier records",
    HistoryKind.PACKAGE_CANCELLED: "Cancelled",
    HistoryKind.EXPIRY_CHANGED: "Expiry changed",
}


@dataclass(frozen=True)
class StatementLine:
    at: datetime  # a session's start; a payment's day (whole_day); otherwise when it was recorded
    package_label: str
    what: str
    change: int  # sessions left: -1 used, +1 given back, 0 an event
    tutor: str  # who taught the session ("" for anything but a session)
    package_id: UUID | None = None
    whole_day: bool = False  # `at` stands for a day (the day a payment was made), not a moment


def _amount(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _money_words(e: HistoryEntry, currency: str) -> str:
    """A payment, refund or price change with its amount and how it was paid."""
    d = e.details
    if e.kind is HistoryKind.PRICE_CHANGED:
        before, after = _amount(d.get("from")), _amount(d.get("to"))
        if before is None:
            return f"Price set at {format_money(after, currency)}"
        return f"Price changed from {format_money(before, currency)} to {format_money(after, currency)}"
    amount = _amount(d.get("amount"))
    try:
        label = PaymentMethod.from_code(str(d.get("method"))).label.lower()
    except InvalidInput:
        label = ""
    method = {"": "", "other": " (other)"}.get(label, f" by {label}")
    shown = format_money(abs(amount), currency) if amount is not None else ""
    if e.kind is HistoryKind.REFUND_RECORDED:
        reason = f" ({e.reason})" if e.reason else ""
        return f"Refund of {shown}{method}{reason}"
    return f"Payment of {shown}{method}"


def _paid_on(e: HistoryEntry) -> datetime | None:
    """The day a payment or refund was made, as its details hold it (None: they do not)."""
    try:
        day = date.fromisoformat(str(e.details.get("paid_on")))
    except ValueError:
        return None
    return datetime.combine(day, time(12), timezone.utc)


@dataclass(frozen=True)
class Statement:
    client: Client
    packages: tuple[Package, ...]
    lines: tuple[StatementLine, ...]  # oldest first
    made_at: datetime

    @property
    def sessions_remaining(self) -> int:
        """Sessions the client can still use: of active, unexpired packages."""
        return sum(p.sessions_remaining for p in self.packages if p.state is PackageState.ACTIVE)


MONEY_KINDS = (HistoryKind.PAYMENT_RECORDED, HistoryKind.REFUND_RECORDED, HistoryKind.PRICE_CHANGED)


def build_statement(client: Client, packages: Sequence[Package], history: Mapping[UUID, Sequence[HistoryEntry]],
                    sessions: Sequence[Session], made_at: datetime, currency: str = DEFAULT_CURRENCY) -> Statement:
    by_session = {s.id: s for s in sessions}
    labels = {p.id: p.label for p in packages}
    bought = {p.id: p.purchased_at for p in packages}
    lines = []
    for package_id, entries in history.items():
        for e in entries:
            session = by_session.get(e.session_id) if e.session_id else None
            what = STATEMENT_WORDS.get(e.kind, str(e.kind))
            if e.kind in MONEY_KINDS:
                what = _money_words(e, currency)
            if e.kind is HistoryKind.SESSION_CONSUMED and session is not None and session.status.code != "done":
                what = f"{what} ({session.status.label})"
            at = session.starts_at if session else e.created_at
            if e.kind in (HistoryKind.PACKAGE_SOLD, HistoryKind.PACKAGE_IMPORTED):
                at = bought.get(package_id, at)  # when it was bought, also when recorded later
            paid_on = _paid_on(e) if e.kind in MONEY_KINDS[:2] else None
            lines.append(StatementLine(paid_on or at, labels.get(package_id, ""), what, e.change,
                                       session.tutor_name if session else "", package_id, paid_on is not None))
    lines.sort(key=lambda line: (line.at, line.package_label))
    ordered = tuple(sorted(packages, key=lambda p: (p.purchased_at, str(p.id))))
    return Statement(client, ordered, tuple(lines), made_at)
