"""The packages half of the fake studio: balances kept as a ledger, as in the database (sessions_used is the sum
of a package's ledger), with the rules of migrations 003-006: the refusal reasons, which package a marked session
draws on, give-backs that point at what they reverse, and request ids that replay the first outcome."""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, TypeVar
from uuid import UUID, uuid4

from tutor_desktop.domain import (
    Balance,
    BookedSessions,
    Cancellation,
    Client,
    HistoryEntry,
    HistoryKind,
    InvalidInput,
    LedgerEntry,
    LedgerKind,
    NotAllowed,
    NotFound,
    Package,
    PackageStatus,
    RequestConflict,
    Session,
    SessionStatus,
    StatusChange,
)

CONSUMING = {SessionStatus.DONE, SessionStatus.NO_SHOW_STUDENT}  # the fake's copy of 005's _consumes
Method = TypeVar("Method", bound=Callable[..., Any])


def call(method: Method) -> Method:
    """A public call: under the lock, and raising the error a test queued with fail_next instead, if any."""

    @functools.wraps(method)
    def guarded(self: FakeLedger, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            if self._failures:
                raise self._failures.pop(0)
            return method(self, *args, **kwargs)
    return guarded  # type: ignore[return-value]


def require_aware(*moments: datetime | None) -> None:
    for moment in moments:
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(f"The time {moment.isoformat()} has no time zone.")


@dataclass
class FakePackage:
    id: UUID
    client_id: int
    label: str
    total: int
    purchased_at: datetime
    expires_at: datetime | None
    status: PackageStatus = PackageStatus.ACTIVE


class FakeLedger:
    actor = "fake_desk"
    actor_name = "Fake Desk"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._failures: list[Exception] = []
        self._requests: dict[UUID, tuple[str, object]] = {}
        self._entry_ids = itertools.count(1)
        self._reversed: set[int] = set()
        self.ledger: list[LedgerEntry] = []
        self.packages: dict[UUID, FakePackage] = {}
        self.sessions: dict[UUID, Session] = {}
        self.clients: dict[int, Client] = {}
        self.events: list[HistoryEntry] = []  # the audit log's sales, cancellations and expiry changes

    def now(self) -> datetime:
        """The studio's clock; a test may replace it."""
        return datetime.now(timezone.utc)

    def fail_next(self, error: Exception, times: int = 1) -> None:
        """The next `times` calls raise `error` (e.g. DatabaseUnavailable, Busy) and change nothing."""
        with self._lock:
            self._failures.extend([error] * times)

    def _once(self, request_id: UUID | None, action: str, do: Callable[[], Any]) -> Any:
        """The first outcome of a request id, with the counts as they are now (as the database answers)."""
        if request_id is None:
            return do()
        if request_id in self._requests:
            first_action, outcome = self._requests[request_id]
            if first_action != action:
                raise RequestConflict(f"Request {request_id} was already used for a different action.")
            if isinstance(outcome, Cancellation):
                return replace(outcome, **vars(self._balance(outcome.package_id, outcome.applied, outcome.reason)))
            if isinstance(outcome, Balance):
                return self._balance(outcome.package_id, outcome.applied, outcome.reason)
            if isinstance(outcome, StatusChange):
                again = self._change(self._session(outcome.session_id), outcome.package_id, outcome.applied,
                                     outcome.reason)
                return replace(again, new_session_id=outcome.new_session_id)
            return outcome
        outcome = do()
        self._requests[request_id] = (action, outcome)
        return outcome

    # --- records -------------------------------------------------------------------------------------------------

    def _package(self, package_id: UUID) -> FakePackage:
        if package_id not in self.packages:
            raise NotFound(f"There is no package with id {package_id}.")
        return self.packages[package_id]

    def _session(self, session_id: UUID) -> Session:
        if session_id not in self.sessions:
            raise NotFound(f"There is no session with id {session_id}.")
        return self.sessions[session_id]

    def _used(self, package_id: UUID) -> int:
        return sum(e.delta for e in self.ledger if e.package_id == package_id)

    def _expired(self, p: FakePackage, at: datetime | None = None) -> bool:  # at: a session's start, else now
        return p.expires_at is not None and p.expires_at <= (at or self.now())

    def _view(self, p: FakePackage) -> Package:
        used = self._used(p.id)
        closed = p.status is PackageStatus.CANCELLED or self._expired(p)  # nothing bookable, as package_balances
        pending = sum(s.package_id == p.id and s.status is SessionStatus.SCHEDULED and not self._expired(p, s.starts_at)
                      for s in self.sessions.values())
        return Package(p.id, p.client_id, p.label, p.status, p.purchased_at, p.expires_at, used, p.total,
                       p.total - used, 0 if closed else p.total - used - pending, self._expired(p))

    def _balance(self, package_id: UUID, applied: bool, reason: str | None) -> Balance:
        p = self._view(self.packages[package_id])
        return Balance(package_id, applied, p.sessions_used, p.sessions_total, p.sessions_remaining, reason)

    def _change(self, s: Session, package_id: UUID | None, applied: bool, reason: str | None) -> StatusChange:
        p = self._view(self.packages[package_id]) if package_id is not None else None
        counts = (p.sessions_used, p.sessions_total, p.sessions_remaining) if p else (None, None, None)
        return StatusChange(s.id, self.sessions[s.id].status, package_id, applied, *counts, reason)

    # --- the ledger ----------------------------------------------------------------------------------------------

    def _write(self, package_id: UUID, delta: int, kind: LedgerKind, session_id: UUID | None = None,
               reverses: int | None = None, reason: str = "") -> None:
        if reverses is not None:
            self._reversed.add(reverses)
        self.ledger.append(LedgerEntry(next(self._entry_ids), package_id, delta, kind, session_id, reverses, reason,
                                       self.actor, self.now(), self.actor_name))

    def _live(self, entry: LedgerEntry) -> bool:
        return entry.delta == 1 and entry.id not in self._reversed

    def _live_consumption(self, session_id: UUID) -> LedgerEntry | None:
        return next((e for e in self.ledger if e.session_id == session_id and e.kind is LedgerKind.SESSION_CONSUMED
                     and self._live(e)), None)

    def _refusal(self, p: FakePackage, at: datetime | None = None) -> str | None:
        """Why the package cannot give a session at `at` (003's _refusal); None: it can."""
        if p.status is not PackageStatus.ACTIVE:
            return "inactive"
        if self._expired(p, at):
            return "expired"
        return "exhausted" if self._used(p.id) >= p.total else None

    def _charge(self, s: Session) -> tuple[UUID | None, bool, str]:
        """005's _charge_session: the booked package, else the client's usable one that expires first."""
        if s.package_id is not None:
            refusal = self._refusal(self.packages[s.package_id], s.starts_at)
            chosen = None if refusal else self.packages[s.package_id]
        else:
            mine = [p for p in self.packages.values()  # bought by the session's day (the fake's zone is UTC)
                    if p.client_id == s.client_id and p.purchased_at.astimezone(timezone.utc).date()
                    <= s.starts_at.astimezone(timezone.utc).date()]
            usable = sorted((p for p in mine if self._refusal(p, s.starts_at) is None),
                            key=lambda p: (p.expires_at is None, p.expires_at or p.purchased_at, p.purchased_at, p.id))
            chosen = usable[0] if usable else None
            live = [p for p in mine if p.status is PackageStatus.ACTIVE]
            refusal = ("exhausted" if any(not self._expired(p, s.starts_at) for p in live) else "expired" if live
                       else "no_package")
        if chosen is None:
            return s.package_id, False, refusal
        self._write(chosen.id, 1, LedgerKind.SESSION_CONSUMED, s.id, reason=f"session {s.status.code}")
        return chosen.id, True, "consumed"

    def _mark(self, s: Session, status: SessionStatus, notes: str | None) -> StatusChange:
        """005's _change_status: the ledger moves only when a session crosses into or out of CONSUMING."""
        old = s.status
        if status is SessionStatus.SCHEDULED and old is not SessionStatus.SCHEDULED and s.ends_at <= self.now():
            raise NotAllowed("A session that has ended cannot go back to upcoming; mark it as it went.")
        if s.rescheduled_to is not None and status is not SessionStatus.RESCHEDULED:
            raise NotAllowed("This session was moved to another time; mark the new session instead.")
        s = self.sessions[s.id] = replace(s, status=status, tutor_notes=s.tutor_notes if notes is None else notes)
        live = self._live_consumption(s.id)
        package_id, applied, reason = (live.package_id if live else s.package_id), True, "unchanged"
        if status in CONSUMING and old not in CONSUMING:
            package_id, applied, reason = self._charge(s)
        elif old in CONSUMING and status not in CONSUMING and live is not None:
            self._write(live.package_id, -1, LedgerKind.SESSION_GIVEN_BACK, s.id, live.id, f"session {status.code}")
            reason = "given_back"
        return self._change(s, package_id, applied, reason)

    # --- the port's package calls --------------------------------------------------------------------------------

    @call
    def get_package(self, package_id: UUID) -> Package:
        return self._view(self._package(package_id))

    @call
    def packages_for_client(self, client_id: int) -> list[Package]:
        mine = sorted((p for p in self.packages.values() if p.client_id == client_id), key=lambda p: p.id)
        return [self._view(p) for p in sorted(mine, key=lambda p: p.purchased_at, reverse=True)]

    @call
    def studio_packages(self) -> list[tuple[Client, Package]]:
        def order(p: FakePackage) -> tuple:
            client = self.clients[p.client_id]
            return client.full_name.lower(), client.id, p.purchased_at
        return [(self.clients[p.client_id], self._view(p)) for p in sorted(self.packages.values(), key=order)]

    @call
    def package_for_session(self, session_id: UUID) -> Package | None:
        live = self._live_consumption(self._session(session_id).id)
        package_id = live.package_id if live else self.sessions[session_id].package_id
        return None if package_id is None else self._view(self.packages[package_id])

    @call
    def ledger_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[LedgerEntry]]:
        return {i: [e for e in self.ledger if e.package_id == i] for i in package_ids}

    @call
    def package_history(self, package_ids: list[UUID]) -> dict[UUID, list[HistoryEntry]]:
        rows = [HistoryEntry(e.package_id, e.created_at, HistoryKind(e.kind), -e.delta, e.session_id, e.reason,
                             e.actor_name) for e in self.ledger] + self.events
        return {i: sorted((r for r in rows if r.package_id == i), key=lambda r: r.created_at) for i in package_ids}

    def _event(self, package_id: UUID, kind: HistoryKind, reason: str = "", **details: object) -> None:
        self.events.append(HistoryEntry(package_id, self.now(), kind, 0, None, reason, self.actor_name, details))

    @call
    def sell_package(
        self,
        client_id: int,
        label: str,
        sessions_total: int,
        expires_at: datetime | None = None,
        purchased_at: datetime | None = None,
        request_id: UUID | None = None,
    ) -> UUID:
        require_aware(expires_at, purchased_at)
        bought = purchased_at or self.now()
        if not 1 <= sessions_total <= 1000:
            raise InvalidInput(f"A package holds between 1 and 1000 sessions, not {sessions_total}.")
        if expires_at is not None and expires_at <= bought:
            raise InvalidInput("A package must expire after it is bought.")
        if expires_at is not None and expires_at <= self.now():
            raise InvalidInput("A package cannot be sold already expired; its expiry must be in the future.")
        if client_id not in self.clients:
            raise NotFound(f"There is no client with id {client_id}.")

        def sell() -> UUID:
            package = FakePackage(uuid4(), client_id, label, sessions_total, bought, expires_at)
            self.packages[package.id] = package
            self._event(package.id, HistoryKind.PACKAGE_SOLD, sessions_total=sessions_total, expires_at=expires_at)
            return package.id
        return self._once(request_id, f"sell_package:{client_id}", sell)

    @call
    def cancel_package(self, package_id: UUID, reason: str | None = None, request_id: UUID | None = None,
                       booked: BookedSessions = BookedSessions.KEEP, move_to: UUID | None = None) -> Cancellation:
        if (booked is BookedSessions.MOVE) != (move_to is not None):
            raise InvalidInput("A package to move the booked sessions to is given only when they move.")

        def cancel() -> Cancellation:
            p = self._package(package_id)
            if p.status is not PackageStatus.ACTIVE:
                return Cancellation(**vars(self._balance(package_id, False, "inactive")))
            booked_ids = [s.id for s in self.sessions.values()
                          if s.package_id == package_id and s.status is SessionStatus.SCHEDULED
                          and s.starts_at > self.now()]
            if move_to is not None:
                target = self.packages.get(move_to)
                if target is None or target.client_id != p.client_id or move_to == package_id:
                    raise InvalidInput("The booked sessions can move only to another package of the same client.")
                if target.status is not PackageStatus.ACTIVE or self._expired(target):
                    raise InvalidInput(f"{target.label} is not active; the booked sessions cannot move to it.")
            for i in booked_ids:
                s = self.sessions[i]
                self.sessions[i] = (replace(s, status=SessionStatus.CANCELLED) if booked is BookedSessions.CANCEL
                                    else replace(s, package_id=move_to))
            p.status = PackageStatus.CANCELLED
            n = len(booked_ids)
            self._event(package_id, HistoryKind.PACKAGE_CANCELLED, reason or "", booked=str(booked),
                        sessions=[str(i) for i in booked_ids], move_to=move_to and str(move_to))
            return Cancellation(**vars(self._balance(package_id, True, None)),
                                moved=n if move_to else 0, cancelled=n if booked is BookedSessions.CANCEL else 0,
                                kept=n if booked is BookedSessions.KEEP else 0, move_to=move_to)
        return self._once(request_id, f"cancel_package:{package_id}", cancel)

    @call
    def change_package_expiry(
        self, package_id: UUID, expires_at: datetime | None, request_id: UUID | None = None, reason: str | None = None
    ) -> Balance:
        require_aware(expires_at)

        def change() -> Balance:
            p = self._package(package_id)
            if p.status is PackageStatus.CANCELLED:
                raise InvalidInput(f'The package "{p.label}" is cancelled; its expiry can no longer change.')
            if expires_at is not None and expires_at <= p.purchased_at:
                raise InvalidInput("A package must expire after it is bought.")
            if p.expires_at != expires_at:
                self._event(package_id, HistoryKind.EXPIRY_CHANGED, reason=reason or "",
                            **{"from": p.expires_at, "to": expires_at})
            p.expires_at = expires_at
            return self._balance(package_id, True, None)
        return self._once(request_id, f"change_package_expiry:{package_id}", change)

    @call
    def use_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None) -> Balance:
        def use() -> Balance:
            refusal = self._refusal(self._package(package_id))
            if refusal is None:
                self._write(package_id, 1, LedgerKind.MANUAL_USE, reason=reason or "")
            return self._balance(package_id, refusal is None, refusal)
        return self._once(request_id, f"use_session:{package_id}", use)

    @call
    def reinstate_session(
        self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None,
        entry_id: int | None = None,
    ) -> Balance:
        def reinstate() -> Balance:
            if self._package(package_id).status is PackageStatus.CANCELLED:
                return self._balance(package_id, False, "inactive")
            target = next((e for e in reversed(self.ledger) if e.package_id == package_id and self._live(e)
                           and entry_id in (None, e.id)), None)
            if target is None and entry_id is not None:
                raise InvalidInput("That use of the package was given back already (or is not one of this "
                                   "package's), so it cannot be reinstated. The window now shows the uses left.")
            if target is None:
                return self._balance(package_id, False, "nothing_to_reinstate")
            self._write(package_id, -1, LedgerKind.MANUAL_REINSTATE, target.session_id, target.id, reason or "")
            return self._balance(package_id, True, None)
        key = f"reinstate_session:{package_id}" + (f"/{entry_id}" if entry_id is not None else "")
        return self._once(request_id, key, reinstate)
