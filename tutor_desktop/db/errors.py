"""Turns what PostgreSQL and the driver say into domain errors a person can read."""

from __future__ import annotations

import psycopg
from sqlalchemy import exc as sa_exc

from tutor_desktop.domain import (
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
    "22P02": InvalidInput,  # invalid text representation, e.g. a malformed uuid
    "22007": InvalidInput,  # invalid datetime format
    "22008": InvalidInput,  # datetime field overflow
    "23514": InvalidInput,  # check constraint
    "42501": NotAllowed,
    "55P03": Busy,  # lock not available (lock_timeout)
    "57014": Busy,  # statement timeout
    "40001": Busy,  # serialization failure, still failing after the retries
    "40P01": Busy,  # deadlock, still failing after the retries
}

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock: nothing was applied

_BUSY_MESSAGE = "Another desk is changing this record right now; please try again."


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
        return cls(message)
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, psycopg.OperationalError)) or (
        isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated
    ):
        return DatabaseUnavailable(connection_message(error))
    return None
