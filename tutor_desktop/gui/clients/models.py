"""Table models of the client window and the client list: clients, packages, a package's history, sessions.
Each shows records as the database returned them; none computes a count."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from tutor_desktop.domain import (
    DEFAULT_CURRENCY, Client, HistoryEntry, HistoryKind, Package, PackageMoney, PackageState, Session, SessionStatus,
)
from tutor_desktop.gui.kit.money import money_text
from tutor_desktop.gui.kit.formatting import amount, clock, day, when
from tutor_desktop.gui.kit.tables import RowsModel, muted_text, status_dot

# Mid-tone colours that read on the light and on the dark palette.
STATE_COLOURS = {PackageState.ACTIVE: "#2e9e5b", PackageState.USED_UP: "#d64545", PackageState.EXPIRED: "#d9822b",
                 PackageState.CANCELLED: "#8a8f98"}
LOW_BALANCE = 2  # sessions left at which a client stands out in the list
LOW_COLOUR = "#d9822b"
STATE_TIPS = {PackageState.CANCELLED: "This package was cancelled.", PackageState.EXPIRED: "This package has expired.",
              PackageState.USED_UP: "Every session of this package is used."}
KIND_TEXT = {
    HistoryKind.SESSION_CONSUMED: "Session used",
    HistoryKind.SESSION_GIVEN_BACK: "Session given back",
    HistoryKind.MANUAL_USE: "Used by hand",
    HistoryKind.MANUAL_REINSTATE: "Reinstated by hand",
    HistoryKind.USED_BEFORE: "Used before Tutor Desk",
    HistoryKind.PACKAGE_SOLD: "Sold",
    HistoryKind.PACKAGE_IMPORTED: "Imported",
    HistoryKind.PACKAGE_CANCELLED: "Cancelled",
    HistoryKind.EXPIRY_CHANGED: "Expiry changed",
    HistoryKind.PAYMENT_RECORDED: "Payment",
    HistoryKind.REFUND_RECORDED: "Refund",
    HistoryKind.PRICE_CHANGED: "Price set",
}


class ClientsModel(RowsModel):
    headers = ("Name", "Email", "Phone", "Sessions left")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.packages: Mapping[int, Sequence[Package]] = {}

    def set_packages(self, packages: Mapping[int, Sequence[Package]]) -> None:
        self.packages = packages
        if self.rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.rows) - 1, 3))

    def text(self, client: Client, column: int) -> str:
        if column == 0:
            return client.full_name + ("  (archived)" if client.archived else "")
        if column == 1:
            return client.email or ""
        if column == 2:
            return client.phone or ""
        active = self._active(client)
        if not active:
            packages = self.packages.get(client.id, ())
            newest = max(packages, key=lambda p: p.purchased_at, default=None)
            return f"No active package ({newest.state.label.lower()})" if newest else "No active package"
        return ", ".join(f"{p.sessions_remaining} of {p.sessions_total}" for p in active)

    def _active(self, client: Client) -> list[Package]:
        return [p for p in self.packages.get(client.id, ()) if p.state == PackageState.ACTIVE]

    def left(self, client: Client) -> int | None:
        """Sessions left on the client's active packages; None without one."""
        active = self._active(client)
        return sum(p.sessions_remaining for p in active) if active else None

    def style(self, client: Client, column: int, role: int) -> Any:
        if client.archived and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(muted_text())
        if column != 3:
            return None
        left = self.left(client)
        # A used-up or expired last package stands out as much as a low balance: the client needs a new one.
        ran_out = left is None and bool(self.packages.get(client.id))
        low = (left is not None and left <= LOW_BALANCE) or ran_out
        if role == Qt.ItemDataRole.ForegroundRole and (left is None or low):
            return QBrush(QColor(LOW_COLOUR)) if low else QBrush(muted_text())
        if role == Qt.ItemDataRole.FontRole and low:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and low:
            return ("Nothing left to use: time to offer a new package." if ran_out
                    else f"Only {left} left: time to offer a new package.")
        return None

    def sort_key(self, client: Client, column: int) -> Any:
        if column == 3:
            left = self.left(client)
            return -1 if left is None else left  # by sessions left, those without a package first
        return super().sort_key(client, column)


MONEY_COLUMNS = (6, 7, 8)  # hidden where the desk may not read money (a tutor's)


class PackagesModel(RowsModel):
    headers = ("Package", "Used", "Remaining", "Bookable", "Expires", "Status", "Price", "Paid", "Due")
    numeric = frozenset({1, 2, 3, *MONEY_COLUMNS})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.money: Mapping[UUID, PackageMoney] = {}
        self.currency = DEFAULT_CURRENCY

    def text(self, package: Package, column: int) -> str:
        if column in MONEY_COLUMNS:
            money = self.money.get(package.id)
            if money is None or money.price is None:
                return ""
            return money_text((money.price, money.paid, money.due)[column - MONEY_COLUMNS[0]], self.currency)
        return (
            package.label,
            f"{package.sessions_used} / {package.sessions_total}",
            str(package.sessions_remaining),
            str(package.sessions_bookable),
            day(package.expires_at) or "Never",
            package.state.label,
        )[column]

    def style(self, package: Package, column: int, role: int) -> Any:
        state = package.state
        cancelled = state == PackageState.CANCELLED
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 8 and (money := self.money.get(package.id)) and money.due and money.due > 0:
                return QBrush(QColor(LOW_COLOUR))
            if column == 5:
                return QBrush(QColor(STATE_COLOURS[state]))
            if state != PackageState.ACTIVE:
                return QBrush(muted_text())
        if role == Qt.ItemDataRole.FontRole and (column == 5 or cancelled):
            font = QFont()
            font.setBold(column == 5)
            font.setStrikeOut(cancelled and column != 5)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return STATE_TIPS.get(state)
        return None

    def find(self, package_id: UUID) -> Package | None:
        row = self.row_of(package_id)
        return self.rows[row] if row >= 0 else None


def reason_text(reason: str) -> str:
    """The ledger's reasons as people say them: "session no_show_student" -> "Marked Student No-show"."""
    if reason == "auto-complete":
        return "Session ended (auto-complete)"
    prefix, _, code = reason.partition(" ")
    if prefix == "session" and code in {status.code for status in SessionStatus}:
        return f"Marked {SessionStatus.from_code(code).label}"
    return reason


class LedgerModel(RowsModel):
    """A package's history: its ledger's uses and give-backs, its sale, its cancellation and expiry changes."""

    headers = ("When", "Who", "What", "Change", "Session", "Reason")
    numeric = frozenset({3})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sessions: Mapping[UUID, Session] = {}
        self.labels: Mapping[UUID, str] = {}
        self.currency = DEFAULT_CURRENCY

    def set_history(self, entries: Sequence[HistoryEntry], sessions: Mapping[UUID, Session],
                    labels: Mapping[UUID, str] | None = None) -> None:
        self.sessions, self.labels = sessions, labels or {}
        self.set_rows(list(reversed(entries)))  # newest first

    def text(self, entry: HistoryEntry, column: int) -> str:
        if column == 0:
            return when(entry.created_at)
        if column == 1:
            return entry.actor_name
        if column == 2:
            return KIND_TEXT.get(entry.kind, str(entry.kind)) + self._event_text(entry)
        if column == 3:
            return "−1" if entry.change < 0 else "+1" if entry.change > 0 else ""
        if column == 4:
            session = self.sessions.get(entry.session_id) if entry.session_id else None
            if session is not None:
                return f"{day(session.starts_at)}, {clock(session.starts_at)}"
            return "" if entry.session_id is None else "Another session"
        return reason_text(entry.reason)

    def _event_text(self, entry: HistoryEntry) -> str:
        """What the audit log says of a sale, a cancellation or an expiry change, in a person's words."""
        d = entry.details
        if entry.kind == HistoryKind.PACKAGE_SOLD:
            return (f": {d.get('sessions_total')} sessions"
                    + (f", expires {_day(d.get('expires_at'))}" if d.get("expires_at") else "")
                    + (f", {self._money(d.get('price'))}" if d.get("price") is not None else ""))
        if entry.kind == HistoryKind.PACKAGE_IMPORTED:
            return (f" from a spreadsheet: {d.get('sessions_total')} sessions, {d.get('sessions_used', 0)} used before"
                    + (f", expires {_day(d.get('expires_at'))}" if d.get("expires_at") else ""))
        if entry.kind in (HistoryKind.PAYMENT_RECORDED, HistoryKind.REFUND_RECORDED):
            method = d.get("method")
            return f": {self._money(d.get('amount'))}" + (f" {method.replace('_', ' ')}" if method else "")
        if entry.kind == HistoryKind.PRICE_CHANGED:
            before = self._money(d.get("from")) if d.get("from") is not None else "none"
            return f": {before} → {self._money(d.get('to'))}"
        if entry.kind == HistoryKind.EXPIRY_CHANGED:
            return f": {_day(d.get('from')) or 'never'} → {_day(d.get('to')) or 'never'}"
        if entry.kind == HistoryKind.PACKAGE_CANCELLED:
            n = len(d.get("sessions") or ())
            if not n:
                return ""
            to = self.labels.get(_uuid(d.get("move_to"))) or d.get("move_to_label") or "another package"
            done = {"move": f"moved to {to}", "cancel": "cancelled", "keep": "kept with no package"}
            return f"; {amount(n, 'booked session')} {done.get(str(d.get('booked')), '')}"
        return ""

    def _money(self, value: object) -> str:
        return money_text(Decimal(str(value)), self.currency) if value is not None else ""

    def style(self, entry: HistoryEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and entry.change:
            return QBrush(QColor("#d64545" if entry.change < 0 else "#2e9e5b"))
        if role == Qt.ItemDataRole.ToolTipRole and column in (2, 5):
            return self.text(entry, column) or None
        return None


def _day(value: object) -> str:
    """An ISO moment from the audit log as the desk's day ("" for none)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return day(value) if isinstance(value, datetime) else ""


def _uuid(value: object) -> UUID | None:
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


class SessionsModel(RowsModel):
    headers = ("Date", "Time", "Tutor", "Status", "Notes")

    def text(self, session: Session, column: int) -> str:
        return (
            day(session.starts_at),
            f"{clock(session.starts_at)}–{clock(session.ends_at)}",
            session.tutor_name,
            session.status.label,
            session.tutor_notes,
        )[column]

    def style(self, session: Session, column: int, role: int) -> Any:
        if column == 3 and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(session.status.colour))
        if column == 3 and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column == 3 and role == Qt.ItemDataRole.DecorationRole:
            return status_dot(session.status.colour)
        if role == Qt.ItemDataRole.ToolTipRole and session.tutor_notes:
            return session.tutor_notes
        return None
