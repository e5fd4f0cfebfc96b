"""The records the studio returns (frozen), and the Change an action makes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from tutor_desktop.domain.words import HistoryKind, LedgerKind, PackageState, PackageStatus, SessionStatus, StaffRole, describe_reason


@dataclass(frozen=True)
class Balance:
    """The authoritative counts of one package, as a database function returned them."""

    package_id: UUID
    applied: bool
    sessions_used: int
    sessions_total: int
    sessions_remaining: int
    reason: str | None = None

    @property
    def message(self) -> str:
        return describe_reason(self.reason)


@dataclass(frozen=True)
class Cancellation(Balance):
    """A cancelled package's counts, and what became of the sessions booked on it (how many moved to `move_to`,
    were cancelled, or were kept with no package)."""

    moved: int = 0
    cancelled: int = 0
    kept: int = 0
    move_to: UUID | None = None

    @property
    def sessions_touched(self) -> int:
        return self.moved + self.cancelled + self.kept


@dataclass(frozen=True)
class StatusChange:
    session_id: UUID
    session_status: SessionStatus
    package_id: UUID | None
    applied: bool
    sessions_used: int | None
    sessions_total: int | None
    sessions_remaining: int | None
    reason: str | None
    new_session_id: UUID | None = None

    @property
    def message(self) -> str:
        return describe_reason(self.reason)

    @property
    def balance(self) -> Balance | None:
        """The counts of the package the status change used or gave back, when it has one."""
        if self.package_id is None or self.sessions_remaining is None:
            return None
        return Balance(self.package_id, self.applied, self.sessions_used, self.sessions_total,
                       self.sessions_remaining, self.reason)


@dataclass(frozen=True)
class Change:
    """What one action changed: the records it touched and, when the database answered with one, the package's
    authoritative Balance. This desk's mutations and other desks' announcements both arrive as a Change."""

    package_ids: frozenset[UUID] = frozenset()
    session_ids: frozenset[UUID] = frozenset()
    client_ids: frozenset[int] = frozenset()
    staff_ids: frozenset[int] = frozenset()
    balance: Balance | None = None
    everything: bool = False  # too much to name (auto-complete, a reconnect): reload whatever is shown

    @classmethod
    def of(cls, result: object) -> Change:
        """The Change a mutation's result describes by itself."""
        if isinstance(result, Cancellation):
            # The counts did not change, the package's state did (and its booked sessions may have): read again.
            return cls(package_ids=frozenset({result.package_id} | ({result.move_to} if result.move_to else set())),
                       everything=result.sessions_touched > 0)
        if isinstance(result, Balance):
            return cls(package_ids=frozenset({result.package_id}), balance=result)
        if isinstance(result, StatusChange):
            sessions = {result.session_id} | ({result.new_session_id} if result.new_session_id else set())
            return cls(
                package_ids=frozenset({result.package_id} if result.package_id else ()),
                session_ids=frozenset(sessions),
                balance=result.balance,
            )
        if isinstance(result, AutoCompleteResult):
            return cls(everything=result.completed > 0)
        raise TypeError(f"A {type(result).__name__} does not say what it changed; name the Change.")

    def touches(self, *, packages: object = (), sessions: object = (), clients: object = ()) -> bool:
        """Whether this change concerns any of the given records (or everything)."""
        return (self.everything or not self.package_ids.isdisjoint(packages)
                or not self.session_ids.isdisjoint(sessions) or not self.client_ids.isdisjoint(clients))


@dataclass(frozen=True)
class AutoCompleteResult:
    completed: int
    deducted: int
    skipped: int = 0  # due sessions left for the next run because another transaction held them


@dataclass(frozen=True)
class Staff:
    id: int
    display_name: str
    role: StaffRole
    active: bool
    login_role: str | None = None  # the PostgreSQL login of this staff member, if they have one (tutors see none)
    teaches: bool = False  # may be booked as a session's tutor (a tutor always teaches)


@dataclass(frozen=True)
class Client:
    id: int
    full_name: str
    email: str | None
    phone: str | None
    notes: str
    archived: bool


@dataclass(frozen=True)
class Package:
    id: UUID
    client_id: int
    label: str
    status: PackageStatus
    purchased_at: datetime
    expires_at: datetime | None
    sessions_used: int
    sessions_total: int
    sessions_remaining: int
    sessions_bookable: int
    expired: bool

    @property
    def state(self) -> PackageState:
        """Cancelled first, then expired, then used up; the database decides whether it may give a session."""
        if self.status == PackageStatus.CANCELLED:
            return PackageState.CANCELLED
        if self.expired:
            return PackageState.EXPIRED
        if self.sessions_remaining <= 0:
            return PackageState.USED_UP
        return PackageState.ACTIVE


@dataclass(frozen=True)
class Session:
    id: UUID
    client_id: int
    client_name: str
    tutor_id: int
    tutor_name: str
    package_id: UUID | None  # the package it was booked on
    starts_at: datetime
    ends_at: datetime
    status: SessionStatus
    tutor_notes: str
    rescheduled_to: UUID | None
    charged_package_id: UUID | None = None  # the package this session holds a used session of, if any


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    package_id: UUID
    delta: int
    kind: LedgerKind
    session_id: UUID | None
    reverses: int | None
    reason: str
    actor: str  # the login that made the change ("" where the reader may not see logins: a tutor)
    created_at: datetime
    actor_name: str = ""  # that staff member's name, for "Who"


@dataclass(frozen=True)
class HistoryEntry:
    """One row of a package's history: a use or give-back from its ledger, or its sale, cancellation or an expiry
    change from the audit log. `change`: the change of sessions left (-1, +1, or 0 for an event); `details`: what
    the audit log holds about an event (the expiry before and after, what became of the booked sessions)."""

    package_id: UUID
    created_at: datetime
    kind: HistoryKind
    change: int
    session_id: UUID | None
    reason: str
    actor_name: str
    details: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def id(self) -> tuple[UUID, datetime, str]:
        return (self.package_id, self.created_at, str(self.kind))


@dataclass(frozen=True)
class ScheduleConflict:
    """Two overlapping live sessions of one tutor or client (booked before overlaps were refused), earlier first."""
    first: Session
    second: Session


@dataclass(frozen=True)
class Mismatch:
    package_id: UUID
    sessions_used: int
    ledger_sum: int
