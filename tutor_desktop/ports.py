"""What the windows ask of the studio, and nothing else. The database side (tutor_desktop.db.repository) and the
tests' fake both provide it. Every change takes a request id made once per user action: a replay with the same
id returns the first outcome and changes nothing. Refusals come back as Balance/StatusChange with applied=False
and a reason; errors are the domain's (NotFound, InvalidInput, NotAllowed, Busy, DatabaseUnavailable, ...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from tutor_desktop.domain import (
    AttendanceLine,
    AttentionItem,
    AutoCompleteResult,
    Backup,
    BackupSettings,
    CatalogueItem,
    PackageMoney,
    Payment,
    PaymentMethod,
    PayPer,
    PayRate,
    Period,
    RevenueLine,
    TutorActivity,
    UnusedPrepaid,
    Balance,
    BookedSessions,
    Cancellation,
    CheckResult,
    Client,
    DueWork,
    ExportTable,
    HistoryEntry,
    ImportKind,
    ImportResult,
    LedgerEntry,
    MoveOutcome,
    Package,
    RestoreResult,
    ScheduleConflict,
    Session,
    SessionStatus,
    Staff,
    StaffRole,
    Statement,
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
        price: Decimal | None = None,
        catalogue_id: int | None = None,
    ) -> UUID:
        """Returns the new package's id. `catalogue_id`: the catalogue item it is sold from (its price when `price`
        is None); `price` None and no item: no price recorded."""

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
        self, package_id: UUID, expires_at: datetime | None, request_id: UUID | None = None, reason: str | None = None
    ) -> Balance:
        """None: never expires. The reason is kept in the package's history; a cancelled package is refused."""

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

    # --- export, import and statements ---------------------------------------------------------------------

    def export_tables(self) -> list[ExportTable]:
        """Clients, packages with balances, sessions, the ledger and (admins) the audit log, as this login sees them."""

    def import_rows(self, kind: ImportKind, rows: Sequence[Mapping[str, str]], dry_run: bool = False,
                    time_zone: str = "UTC", request_id: UUID | None = None) -> ImportResult:
        """Every row checked (problems with their row numbers); unless dry_run or a problem, the new rows added,
        all or nothing. Rows the studio already holds are left as they are."""

    def client_statement(self, client_id: int) -> Statement:
        """One client's packages, balances and history, with the tutor of each session."""
    # --- money (front desk and admins; the catalogue, currency and pay rates: admins) ---------------------------

    def catalogue(self, include_retired: bool = False) -> list[CatalogueItem]:
        """Active items by name (then retired ones, when asked)."""

    def add_catalogue_item(self, name: str, sessions: int, price: Decimal, validity_days: int | None = None,
                           request_id: UUID | None = None) -> int:
        """validity_days None: never expires. Returns the item's id."""

    def update_catalogue_item(self, item_id: int, name: str, sessions: int, price: Decimal,
                              validity_days: int | None, active: bool = True, request_id: UUID | None = None) -> None:
        """active False retires the item (it is no longer sold; packages sold keep their price)."""

    def currency(self) -> str:
        """The studio's ISO 4217 currency code."""

    def set_currency(self, code: str, request_id: UUID | None = None) -> str:
        """Admins; returns the code as stored (upper case)."""

    def package_money(self, package_ids: list[UUID]) -> dict[UUID, PackageMoney]:
        """Price, paid and due of each package."""

    def payments_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[Payment]]:
        """Each package's payments and refunds, by date paid."""

    def set_package_price(self, package_id: UUID, price: Decimal, request_id: UUID | None = None) -> PackageMoney:
        """Never below what was paid (InvalidInput)."""

    def record_payment(self, package_id: UUID, amount: Decimal, method: PaymentMethod, paid_on: date | None = None,
                       note: str | None = None, request_id: UUID | None = None) -> PackageMoney:
        """A payment (at most what is due) or, negative, a refund (at most what was paid; the note is its
        reason). Refused with InvalidInput otherwise, and for a package with no price."""

    def set_tutor_pay_rate(self, staff_id: int, amount: Decimal | None, per: PayPer = PayPer.SESSION,
                           request_id: UUID | None = None) -> None:
        """Admins; amount None removes the rate."""

    def pay_rates(self) -> dict[int, PayRate]:
        """Each tutor's pay rate, by staff id (front desk and admins)."""

    # --- reports ---------------------------------------------------------------------------------------------

    def report_tutor_activity(self, period: Period, time_zone: str) -> list[TutorActivity]:
        """Per tutor, sessions and hours by status in the period (days in `time_zone`); a tutor gets only their
        own row and no pay."""

    def report_revenue(self, period: Period, time_zone: str) -> list[RevenueLine]:
        """Packages sold, and payments and refunds by method."""

    def report_unused_prepaid(self, at: datetime | None = None) -> list[UnusedPrepaid]:
        """Packages active at `at` (default now) with sessions left then, and their value."""

    def report_attendance(self, period: Period, time_zone: str) -> list[AttendanceLine]:
        """No-show rates per client and per tutor."""

    def report_needs_attention(self, low: int = 2, days: int = 14) -> list[AttentionItem]:
        """Overbooked, balance due, low balance (at most `low` left), expiring within `days`, nothing booked."""


class Listening(Protocol):
    """A running listener for other desks' changes."""

    listening: object  # a threading.Event, set while connected

    def stop(self) -> None:
        """Stops listening and lets go of its connection."""


class Backups(Protocol):
    """The backups of the studio on this computer's own database (a studio server's are the server's job).
    Every call may take seconds: run it off the GUI thread. Refusals are BackupRefused with a person's words."""

    def list(self) -> list[Backup]:
        """The complete backups in the backup folder, newest first."""

    def backup_now(self, kind: str = "by hand", folder: str | None = None) -> Backup:
        """Backs up now into the backup folder (then rotates it), or into `folder` (no rotation there)."""

    def restore(self, path: str) -> RestoreResult:
        """A safety backup, then the file restored into a new database, migrated and reconciled; the desk opens
        that database from its next start. Refused, nothing changed, for a damaged or newer file."""

    def settings(self) -> BackupSettings:
        """Where backups go and how many of each kind are kept."""

    def save_settings(self, new: BackupSettings) -> BackupSettings:
        """Checked and saved; InvalidInput for a count or folder that cannot be."""

    def suggested_folders(self) -> list[str]:
        """Folders a cloud drive on this computer syncs, for the backups."""

    def last_check(self) -> CheckResult | None:
        """The latest weekly test restore."""

    def run_due(self, now: datetime | None = None) -> DueWork:
        """The daily backup and the weekly test restore, when due; what to show if something failed."""

    def at_quit(self) -> Backup | None:
        """A backup when the studio changed since the newest one."""


class OpenedStudio(Protocol):
    """The studio a desk opened: the port itself, where it lives, and how to hear other desks."""

    studio: Studio
    backups: Backups | None  # the embedded database's; None on a studio server
    notes: list[str]  # what happened while opening that a person should hear (an upgraded data folder)

    @property
    def embedded(self) -> bool:
        """The studio lives in this computer's own database."""

    def listen(self, on_change: Callable[[str], None], on_state: Callable[[bool, str], None]) -> Listening:
        """Starts following other desks' changes: `on_change(payload)` with what one read of the change feed
        found (the ids touched, or everything when the changes missed can no longer be served), `on_state(online,
        message)`, from its own thread."""

    def moved_to(self) -> str | None:
        """Where (and when) this computer's studio was moved to a server, if it was."""

    def move_to_server(self, server_url: str, login: str, password: str) -> MoveOutcome:
        """Copies this computer's studio into the empty database of `server_url` (a superuser URL), the admin
        given `login` there; checked there before it counts; the local studio then marked as moved."""

    def load_demo(self) -> None:
        """Fills an empty studio with the demo studio, this login as its admin."""

    def close(self) -> None:
        """Lets go of the studio and stops the embedded server if this desk started it."""
