"""Turns what PostgreSQL and the driver say into domain errors a person can read."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

import psycopg
from sqlalchemy import exc as sa_exc

from tutor_desktop.domain import (
    BookingConflict,
    Busy,
    DatabaseUnavailable,
    InvalidInput,
    NotAllowed,
    NotFound,
    RequestConflict,
    TutorDeskError,
)

# SQLSTATEs raised by our own functions (class TD) and the standard ones a desk can meet.
_BY_SQLSTATE: dict[str, type[TutorDeskError]] = {
    "TD404": NotFound,
    "TD409": RequestConflict,
    "TD420": NotAllowed,
    "TD422": InvalidInput,
    "TD423": BookingConflict,  # the tutor or client is busy then; DETAIL names the session in the way (JSON)
    "23P01": BookingConflict,  # an exclusion constraint (overlap) the functions did not name: a fallback
    "22P02": InvalidInput,  # invalid text representation, e.g. a malformed uuid
    "22007": InvalidInput,  # invalid datetime format
    "22008": InvalidInput,  # datetime field overflow
    "22003": InvalidInput,  # numeric value out of range
    "23514": InvalidInput,  # check constraint
    "42501": NotAllowed,
    "55P03": Busy,  # lock not available (lock_timeout)
    "57014": Busy,  # statement timeout
    "40001": Busy,  # serialization failure, still failing after the retries
    "40P01": Busy,  # deadlock, still failing after the retries
}

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock: nothing was applied

_BUSY_MESSAGE = "Another desk is changing this record right now; please try again."
_READABLE = {
    "22007": "That is not a date and time: {0}",
    "22008": "That date and time is out of range: {0}",
    "22003": "A number is out of range: {0}",
    "23P01": "The tutor or the client already has a session at that time.",
}


def _booking_conflict(message: str, detail: str | None) -> BookingConflict:
    try:
        d = json.loads(detail or "{}")
        return BookingConflict(
            message, UUID(d["session_id"]), d["tutor_name"], d["client_name"],
            datetime.fromisoformat(d["starts_at"]), datetime.fromisoformat(d["ends_at"]),
        )
    except (ValueError, KeyError, TypeError):
        return BookingConflict(message)


def sqlstate_of(error: BaseException) -> str | None:
    orig = getattr(error, "orig", error)
    return getattr(orig, "sqlstate", None)


def connection_message(error: BaseException) -> str:
    text = str(getattr(error, "orig", error)).strip().splitlines()
    first = text[0] if text else "no answer"
    if "password authentication failed" in first:
        return "The server refused the password (wrong user name or password)."
    if "is not permitted to log in" in first:
        return "This login is disabled: the staff account was deactivated."
    if "no password supplied" in first:
        return "The server asks for a password for this login."
    if "does not exist" in first and "database" in first:
        return f"The database does not exist on the server: {first}"
    return f"Cannot reach the database server: {first}"


def translate(error: BaseException) -> TutorDeskError | None:
    """The domain error for a driver error, or None when it is unexpected (a bug: let it propagate)."""
    if isinstance(error, TutorDeskError):
        return error
    state = sqlstate_of(error)
    orig = getattr(error, "orig", error)
    if state == "28P01" or state == "28000":
        return DatabaseUnavailable(connection_message(error))
    if state in _BY_SQLSTATE:
        cls = _BY_SQLSTATE[state]
        if cls is Busy:
            return Busy(_BUSY_MESSAGE)
        if cls is NotAllowed and state == "42501":
            return NotAllowed("You are not allowed to do that.")
        diag = getattr(orig, "diag", None)
        message = getattr(diag, "message_primary", None) or str(orig)
        if state in _READABLE:
            message = _READABLE[state].format(message)
        if cls is BookingConflict:
            return _booking_conflict(message, getattr(diag, "message_detail", None))
        return cls(message)
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, psycopg.OperationalError)) or (
        isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated
    ):
        return DatabaseUnavailable(connection_message(error))
    return None
