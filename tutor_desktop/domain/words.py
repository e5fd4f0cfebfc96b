"""The words of Tutor Desk: session statuses with their labels and colours, package states, staff roles, ledger
kinds, why a balance did or did not change, and how search compares names."""

from __future__ import annotations

import enum
import unicodedata

from tutor_desktop.domain.errors import InvalidInput


class SessionStatus(enum.Enum):
    SCHEDULED = ("scheduled", "Upcoming", "#2f6fde")
    DONE = ("done", "Done", "#2e9e5b")
    RESCHEDULED = ("rescheduled", "Rescheduled", "#e0b020")
    NO_SHOW_STUDENT = ("no_show_student", "Student No-show", "#d64545")
    NO_SHOW_TUTOR = ("no_show_tutor", "Tutor No-show", "#ee8a2d")
    CANCELLED = ("cancelled", "Cancelled", "#8a8f98")

    def __init__(self, code: str, label: str, colour: str) -> None:
        self.code = code
        self.label = label
        self.colour = colour

    @property
    def uses_a_session(self) -> bool:
        """Done and student no-show use one (the database decides which package; a desk asks before marking a
        session that has not started yet with one of these)."""
        return self in (SessionStatus.DONE, SessionStatus.NO_SHOW_STUDENT)

    @classmethod
    def from_code(cls, code: str) -> SessionStatus:
        status = _STATUS_BY_CODE.get(code)
        if status is None:
            raise InvalidInput(f'"{code}" is not a session status; use one of: {", ".join(s.code for s in cls)}.')
        return status


_STATUS_BY_CODE = {status.code: status for status in SessionStatus}  # a week of sessions reads thousands


class PackageStatus(enum.StrEnum):
    """A package's stored status (the CHECK on packages.status)."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class PackageState(enum.Enum):
    """What a person is told about a package: its status, expiry and balance in one word."""

    ACTIVE = "Active"
    EXPIRED = "Expired"
    USED_UP = "Used up"
    CANCELLED = "Cancelled"

    @property
    def label(self) -> str:
        return self.value


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    FRONT_DESK = "front_desk"
    TUTOR = "tutor"


class LedgerKind(enum.StrEnum):
    SESSION_CONSUMED = "session_consumed"
    SESSION_GIVEN_BACK = "session_given_back"
    MANUAL_USE = "manual_use"
    MANUAL_REINSTATE = "manual_reinstate"
    USED_BEFORE = "used_before"  # an opening balance: a session used before the package was imported


class BookedSessions(enum.StrEnum):
    """What cancelling a package does with the sessions still booked on it."""

    MOVE = "move"  # to another active package of the same client
    CANCEL = "cancel"
    KEEP = "keep"  # booked on no package: marked, they draw from the client's usable package


class HistoryKind(enum.StrEnum):
    """A row of a package's history: a ledger kind, or an event of the package itself from the audit log."""

    SESSION_CONSUMED = "session_consumed"
    SESSION_GIVEN_BACK = "session_given_back"
    MANUAL_USE = "manual_use"
    MANUAL_REINSTATE = "manual_reinstate"
    USED_BEFORE = "used_before"
    PACKAGE_SOLD = "package_sold"
    PACKAGE_IMPORTED = "package_imported"
    PACKAGE_CANCELLED = "package_cancelled"
    EXPIRY_CHANGED = "expiry_changed"
    PAYMENT_RECORDED = "payment_recorded"
    REFUND_RECORDED = "refund_recorded"
    PRICE_CHANGED = "price_changed"


# Why a change of a balance did or did not happen, as the database functions say it.
REASON_TEXT = {
    None: "",
    "consumed": "One session was used.",
    "given_back": "The session was given back to the package.",
    "unchanged": "No session was used or given back.",
    "exhausted": "All sessions of the package are used up.",
    "expired": "The package has expired.",
    "inactive": "The package was cancelled.",
    "no_package": "The client has no package to use a session from.",
    "nothing_to_reinstate": "Nothing to reinstate: no session of this package is used.",
}


def folded(text: str) -> str:
    """A name as search compares it: lower case, accents off their letters ("Jiménez" -> "jimenez"); the
    database's search folds the same way."""
    return "".join(ch for ch in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(ch))


def describe_reason(reason: str | None) -> str:
    return REASON_TEXT.get(reason, reason or "")
