"""What the windows ask of the studio, and nothing else. The database side (tutor_desktop.db.repository) and the
tests' fake both provide it. Every change takes a request id made once per user action: a replay with the same
id returns the first outcome and changes nothing. Refusals come back as Balance/StatusChange with applied=False
and a reason; errors are the domain's (NotFound, InvalidInput, NotAllowed, Busy, DatabaseUnavailable, ...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from tutor_desktop.domain import (
    AutoCompleteResult,
    Balance,
    BookedSessions,
    Cancellation,
    Client,
    HistoryEntry,
    LedgerEntry,
    Package,
    ScheduleConflict,
    Session,
    SessionStatus,
    Staff,
    StaffRole,
    StatusChange,
)


class Studio(Protocol):
    # --- start-up ---------------------------------------------------------------------------------------------

    def ping(self) -> None:
        """Raises DatabaseUnavailable when the studio cannot be reached."""

    def close(self) -> None:
        """Lets go of every connection."""

    def studio_is_empty(self) -> bool:
        """No staff and no clients yet."""

    def claim_empty_studio(self, display_name: str) -> int:
        """Makes this login the first admin of an empty studio; returns the staff id."""

    # --- staff ------------------------------------------------------------------------------------------------

    def current_staff(self) -> Staff | None:
        """The active staff member at this desk, None if the login is no staff account."""

    def list_staff(self, include_inactive: bool = False) -> list[Staff]:
        """By name."""

    def create_staff_account(
        self, display_name: str, role: StaffRole, login_name: str, password: str, request_id: UUID | None = None,
        teaches: bool | None = None,
    ) -> int:
        """A staff member with their own login; returns the staff id. teaches None: tutors teach, others not."""

    def set_staff_teaches(self, staff_id: int, teaches: bool, request_id: UUID | None = None) -> None:
        """Whether the staff member may be booked as a session's tutor (a tutor always is)."""

    def deactivate_staff(self, staff_id: int, request_id: UUID | None = None) -> None:
        """The staff member can no longer sign in."""

    def reset_staff_password(self, staff_id: int, password: str, request_id: UUID | None = None) -> None:
        """A new password for the staff member's login."""

    # --- clients ----------------------------------------------------------------------------------------------

    def list_clients(self, search: str = "", include_archived: bool = False) -> list[Client]:
        """By name; search matches a part of the name, email or phone."""

    def get_client(self, client_id: int) -> Client:
        """Raises NotFound."""

    def create_client(
        self,
        full_name: str,
        email: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        request_id: UUID | None = None,
    ) -> int:
        """Returns the new client's id."""

    def update_client(
        self,
        client_id: int,
        full_name: str,
        email: str | None,
        phone: str | None,
        notes: str | None,
        archived: bool = False,
        request_id: UUID | None = None,
    ) -> None:
        """Replaces the client's details."""

    # --- packages ---------------------------------------------------------------------------------------------

    def packages_for_client(self, client_id: int) -> list[Package]:
        """Newest first."""

    def studio_packages(self) -> list[tuple[Client, Package]]:
        """Every package with its client, by client name."""

    def package_for_session(self, session_id: UUID) -> Package | None:
        """The package a session draws on, None when it has none."""

    def ledger_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[LedgerEntry]]:
        """Each package's ledger, oldest first (an empty list for a package without entries)."""

    def package_history(self, package_ids: list[UUID]) -> dict[UUID, list[HistoryEntry]]:
        """Each package's whole story, oldest first: its ledger, and its sale, cancellation and expiry changes
        (those only where the reader may see the audit log: not a tutor)."""

    def sell_package(
        self,
        client_id: int,
        label: str,
        sessions_total: int,
        expires_at: datetime | None = None,
        purchased_at: datetime | None = None,
        request_id: UUID | None = None,
    ) -> UUID:
        """Returns the new package's id."""

    def cancel_package(
        self,
        package_id: UUID,
        reason: str | None = None,
        request_id: UUID | None = None,
        booked: BookedSessions = BookedSessions.KEEP,
        move_to: UUID | None = None,
    ) -> Cancellation:
        """Refused with "inactive" when it is already cancelled. The sessions still booked on it move to `move_to`
        (another active package of the client's; only with MOVE), are cancelled, or keep no package; the answer
        counts them."""

    def change_package_expiry(
        self, package_id: UUID, expires_at: datetime | None, request_id: UUID | None = None
    ) -> Balance:
        """None: never expires."""

    def use_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None) -> Balance:
        """Uses one session by hand; refused with "exhausted", "expired" or "inactive"."""

    def reinstate_session(
        self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None,
        entry_id: int | None = None,
    ) -> Balance:
        """Gives back the use `entry_id` names (a ledger entry of this package that nothing reversed yet; another
        raises InvalidInput), or the latest; refused with "nothing_to_reinstate"."""

    # --- sessions ---------------------------------------------------------------------------------------------

    def sessions_between(self, start: datetime, end: datetime, tutor_id: int | None = None) -> list[Session]:
        """Sessions starting in [start, end), by start."""

    def sessions_for_client(self, client_id: int) -> list[Session]:
        """Latest first."""

    def book_session(
        self,
        client_id: int,
        tutor_id: int,
        starts_at: datetime,
        ends_at: datetime,
        package_id: UUID | None = None,
        weekly_repeats: int = 0,
        request_id: UUID | None = None,
        *,
        time_zone: str,
    ) -> list[UUID]:
        """One session, or that many more a week apart at the same wall-clock time in `time_zone` (the IANA zone
        of the desk that books, config.desk_time_zone()); returns their ids by start. Refused with
        BookingConflict when the tutor or the client already has a live session then (a series: anywhere)."""

    def set_session_status(
        self, session_id: UUID, status: SessionStatus, notes: str | None = None, request_id: UUID | None = None
    ) -> StatusChange:
        """Done and student no-show use a session; moving back to another status gives it back."""

    def set_session_notes(self, session_id: UUID, notes: str, request_id: UUID | None = None) -> str:
        """Saves a session's tutor notes whatever its status (its tutor, front desk, admins); the notes as stored."""

    def reschedule_session(
        self, session_id: UUID, starts_at: datetime, ends_at: datetime, request_id: UUID | None = None, *,
        time_zone: str,
    ) -> StatusChange:
        """Marks the session rescheduled and books a new one (in the desk's `time_zone`); its id is in
        new_session_id. Refused with BookingConflict when the new time is taken."""

    def schedule_conflicts(self) -> list[ScheduleConflict]:
        """Live sessions of one tutor or client that overlap (only ever ones booked before overlaps were
        refused), earlier first."""

    def auto_complete(self, before: datetime | None = None) -> AutoCompleteResult:
        """Marks every upcoming session that ended before `before` (default now) done."""


class Listening(Protocol):
    """A running listener for other desks' changes."""

    listening: object  # a threading.Event, set while connected

    def stop(self) -> None:
        """Stops listening and lets go of its connection."""


class OpenedStudio(Protocol):
    """The studio a desk opened: the port itself, where it lives, and how to hear other desks."""

    studio: Studio

    @property
    def embedded(self) -> bool:
        """The studio lives in this computer's own database."""

    def listen(self, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> Listening:
        """Starts following other desks' changes: `on_change(payload)` with what one read of the change feed
        found (the ids touched, or everything when the changes missed can no longer be served), `on_state(online,
        message)`, from its own thread."""

    def load_demo(self) -> None:
        """Fills an empty studio with the demo studio, this login as its admin."""

    def close(self) -> None:
        """Lets go of the studio and stops the embedded server if this desk started it."""
