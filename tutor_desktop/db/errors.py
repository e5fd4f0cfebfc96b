"""Turns what PostgreSQL and the driver say into domain errors a person can read."""

from __future__ import annotations

import json
import re
from datetime import datetime
from uuid import UUID

import psycopg
from sqlalchemy import exc as sa_exc

from tutor_desktop.domain import (
    AccountDeactivated,
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

DEACTIVATED_MESSAGE = "This login is disabled: the staff account was deactivated."
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


def _server_named(text: str) -> str:
    """The host a libpq message names ("connection to server at "db.studio" (10.0.0.5), port 5432 failed")."""
    found = re.search(r'server at "([^"]+)"', text)
    if found:
        return f"The studio server at {found.group(1)}"
    if 'server on socket "' in text:
        return "The database on this computer"
    return "The studio server"


def connection_message(error: BaseException) -> str:
    """A person's sentence for a connection that failed; the driver's own words are `connection_details`."""
    text = connection_details(error)
    if "password authentication failed" in text:
        return "The server refused the password (wrong user name or password)."
    if "is not permitted to log in" in text:
        return DEACTIVATED_MESSAGE
    if "no password supplied" in text:
        return "The server asks for a password for this login."
    if "does not exist" in text and 'role "' in text:
        return "The server has no login of that name. Check the user name in the settings."
    if "does not exist" in text and "database" in text:
        return "The studio's database does not exist on that server. Check the database name in the settings."
    return f"{_server_named(text)} does not answer. Check the network or ask whoever runs the server."


def connection_details(error: BaseException) -> str:
    return str(getattr(error, "orig", error)).strip() or type(error).__name__


def unavailable(error: BaseException, cls: type[DatabaseUnavailable] = DatabaseUnavailable) -> DatabaseUnavailable:
    message = connection_message(error)
    return (AccountDeactivated if message == DEACTIVATED_MESSAGE else cls)(message, connection_details(error))


def translate(error: BaseException) -> TutorDeskError | None:
    """The domain error for a driver error, or None when it is unexpected (a bug: let it propagate)."""
    if isinstance(error, TutorDeskError):
        return error
    state = sqlstate_of(error)
    orig = getattr(error, "orig", error)
    if state == "28P01" or state == "28000":
        return unavailable(error)
    if state in _BY_SQLSTATE:
        cls = _BY_SQLSTATE[state]
        if cls is Busy:
            return Busy(_BUSY_MESSAGE)
        if cls is NotAllowed and state == "42501":
            return NotAllowed("You are not allowed to do that.")
        diag = getattr(orig, "diag", None)
        message = getattr(diag, "message_primary", None) or str(orig)
        if state == "TD420" and message == "This staff account is deactivated.":  # sql/02_actor.sql
            return AccountDeactivated(DEACTIVATED_MESSAGE, message)
        if state in _READABLE:
            message = _READABLE[state].format(message)
        if cls is BookingConflict:
            return _booking_conflict(message, getattr(diag, "message_detail", None))
        return cls(message)
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, psycopg.OperationalError)) or (
        isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated
    ):
        return unavailable(error)
    return None
