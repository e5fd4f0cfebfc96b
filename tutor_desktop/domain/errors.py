"""The expected failures, each with a message meant for a person."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID


class TutorDeskError(Exception):
    """An expected failure with a message meant for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(TutorDeskError):
    pass


class InvalidInput(TutorDeskError):
    pass


class BookingConflict(InvalidInput):
    """The tutor or client is busy then; the fields name the session in the way (for words in any time zone)."""
    def __init__(self, message: str, session_id: UUID | None = None, tutor_name: str = "", client_name: str = "",
                 starts_at: datetime | None = None, ends_at: datetime | None = None) -> None:
        super().__init__(message)
        self.session_id, self.tutor_name, self.client_name = session_id, tutor_name, client_name
        self.starts_at, self.ends_at = starts_at, ends_at


class NotAllowed(TutorDeskError):
    """The action does not fit the record's state (e.g. reopening a marked session) or the user's rights."""


class RequestConflict(TutorDeskError):
    pass


class Busy(TutorDeskError):
    pass


class DatabaseUnavailable(TutorDeskError):
    """The database cannot be reached or refused this login. `message` is a person's sentence; `details` what the
    server or the driver said, for whoever runs the server (shown on demand, never as the message)."""

    def __init__(self, message: str, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class AccountDeactivated(DatabaseUnavailable):
    """This desk's staff account was deactivated: its login is refused and its functions refuse to act."""


class PasswordRequired(DatabaseUnavailable):
    """The server asks for a password for this login and none was given."""


class MigrationError(TutorDeskError):
    pass
