"""A studio in memory for window logic without a database: the whole tutor_desktop.ports.Studio, thread-safe
(the task runner calls it from worker threads), with the database's rules for balances, marks, request ids and
refusal reasons (tests/studio_contract.py runs the same scenarios on both), and overlapping sessions refused. Not
modelled: roles and row security, text limits, bounds of times, the change feed, concurrency beyond one lock."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from tests.unit.fake_ledger import call, require_aware
from tests.unit.fake_money import FakeMoney
from tests.unit.fake_portability import FakePortability
from tutor_desktop.domain import (
    AutoCompleteResult,
    BookingConflict,
    Client,
    InvalidInput,
    NotAllowed,
    NotFound,
    ScheduleConflict,
    Session,
    SessionStatus,
    Staff,
    StaffRole,
    StatusChange,
    folded,
)
from tutor_desktop.zones import time_zone, wall_clock


class FakeStudio(FakePortability, FakeMoney):
    def __init__(self, admin: str | None = "Test Admin") -> None:
        """With admin=None an empty studio (claim_empty_studio makes its first admin)."""
        super().__init__()
        self._ids = itertools.count(1)
        self.staff: dict[int, Staff] = {}
        self.me: int | None = None
        self.closed = False
        self.client_external: dict[int, str] = {}
        self.package_external: dict[UUID, str] = {}
        if admin is not None:
            self.claim_empty_studio(admin)

    # --- start-up and staff --------------------------------------------------------------------------------------

    @call
    def ping(self) -> None:
        pass

    @call
    def close(self) -> None:
        self.closed = True

    @call
    def studio_is_empty(self) -> bool:
        return not self.staff and not self.clients

    @call
    def claim_empty_studio(self, display_name: str) -> int:
        if self.staff or self.clients:
            raise NotAllowed("This studio is not empty.")
        self.me = self._new_staff(display_name, StaffRole.ADMIN, None, teaches=True)
        return self.me

    @call
    def current_staff(self) -> Staff | None:
        staff = self.staff.get(self.me)
        return staff if staff is not None and staff.active else None

    @call
    def list_staff(self, include_inactive: bool = False) -> list[Staff]:
        found = [s for s in self.staff.values() if s.active or include_inactive]
        return sorted(found, key=lambda s: (s.display_name, s.id))

    @call
    def add_staff(
        self, display_name: str, role: StaffRole, request_id: UUID | None = None, teaches: bool | None = None
    ) -> int:
        """Not part of the port (the command line's): a staff member without a login."""
        return self._once(request_id, "add_staff", lambda: self._new_staff(display_name, role, None, teaches))

    def _new_staff(self, display_name: str, role: StaffRole, login: str | None, teaches: bool | None = None) -> int:
        staff_id = next(self._ids)
        role = StaffRole(role)
        self.staff[staff_id] = Staff(staff_id, display_name, role, True, login, _teaches(role, teaches))
        return staff_id

    @call
    def create_staff_account(
        self, display_name: str, role: StaffRole, login_name: str, password: str, request_id: UUID | None = None,
        teaches: bool | None = None,
    ) -> int:
        return self._once(request_id, "create_staff_account",
                          lambda: self._new_staff(display_name, role, login_name, teaches))

    @call
    def set_staff_teaches(self, staff_id: int, teaches: bool, request_id: UUID | None = None) -> None:
        staff = self._staff_member(staff_id)
        self.staff[staff_id] = replace(staff, teaches=_teaches(staff.role, teaches))

    def _teacher(self, staff_id: int) -> None:
        """As the database's trigger on sessions: only an active staff member who teaches is booked."""
        staff = self._staff_member(staff_id)
        if not staff.active:
            raise InvalidInput(f"{staff.display_name} is deactivated, so no session can be booked with them.")
        if not staff.teaches:
            raise InvalidInput(f"{staff.display_name} does not teach, so no session can be booked with them.")

    def _staff_member(self, staff_id: int) -> Staff:
        if staff_id not in self.staff:
            raise NotFound(f"There is no staff member with id {staff_id}.")
        return self.staff[staff_id]

    @call
    def deactivate_staff(self, staff_id: int, request_id: UUID | None = None) -> None:
        self.staff[staff_id] = replace(self._staff_member(staff_id), active=False)

    @call
    def reset_staff_password(self, staff_id: int, password: str, request_id: UUID | None = None) -> None:
        self._staff_member(staff_id)

    # --- clients -------------------------------------------------------------------------------------------------

    @call
    def list_clients(self, search: str = "", include_archived: bool = False) -> list[Client]:
        q = folded(search)
        found = [c for c in self.clients.values() if (include_archived or not c.archived) and (
            q in folded(c.full_name) or search.lower() in (c.email or "").lower() or search in (c.phone or ""))]
        return sorted(found, key=lambda c: (c.full_name.lower(), c.id))

    @call
    def get_client(self, client_id: int) -> Client:
        return self._client(client_id)

    def _client(self, client_id: int) -> Client:
        if client_id not in self.clients:
            raise NotFound(f"There is no client with id {client_id}.")
        return self.clients[client_id]

    @call
    def create_client(
        self,
        full_name: str,
        email: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        request_id: UUID | None = None,
    ) -> int:
        def create() -> int:
            client_id = next(self._ids)
            self.clients[client_id] = Client(client_id, _required(full_name), email, phone, notes or "", False)
            return client_id
        return self._once(request_id, "create_client", create)

    @call
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
        self._client(client_id)
        self.clients[client_id] = Client(client_id, _required(full_name), email, phone, notes or "", archived)

    # --- sessions ------------------------------------------------------------------------------------------------

    @call
    def sessions_between(self, start: datetime, end: datetime, tutor_id: int | None = None) -> list[Session]:
        found = [s for s in self.sessions.values()
                 if start <= s.starts_at < end and tutor_id in (None, s.tutor_id)]
        return [self._shown(s) for s in sorted(found, key=lambda s: (s.starts_at, str(s.id)))]

    @call
    def sessions_for_client(self, client_id: int) -> list[Session]:
        found = sorted((s for s in self.sessions.values() if s.client_id == client_id), key=lambda s: s.starts_at)
        return [self._shown(s) for s in reversed(found)]

    def _shown(self, s: Session) -> Session:
        live = self._live_consumption(s.id)
        return replace(s, client_name=self.clients[s.client_id].full_name,
                       tutor_name=self.staff[s.tutor_id].display_name, charged_package_id=live and live.package_id)

    @call
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
        require_aware(starts_at, ends_at)
        _check_span(starts_at, ends_at)
        if not 0 <= weekly_repeats <= 104:
            raise InvalidInput("A weekly series repeats between 0 and 104 times.")
        if client_id not in self.clients or self.clients[client_id].archived:
            raise NotFound(f"There is no active client with id {client_id}.")
        if tutor_id not in self.staff or not self.staff[tutor_id].active:
            raise NotFound(f"There is no active staff member with id {tutor_id}.")
        self._teacher(tutor_id)
        if package_id is not None and self._package(package_id).client_id != client_id:
            raise NotFound(f"Client {client_id} has no package with id {package_id}.")
        bought = self._package(package_id).purchased_at if package_id is not None else None
        if bought is not None and starts_at.astimezone(_zone(time_zone)).date() < bought.astimezone(_zone(time_zone)).date():
            raise InvalidInput("The session would start before the package was bought.")

        local = starts_at.astimezone(_zone(time_zone)).replace(tzinfo=None)
        starts = [starts_at] + [wall_clock(local + timedelta(days=7 * n), time_zone).astimezone(starts_at.tzinfo)
                                for n in range(1, weekly_repeats + 1)]
        spans = [(start, start + (ends_at - starts_at)) for start in starts]

        def book() -> list[UUID]:
            for start, end in spans:
                self._refuse_overlap(client_id, tutor_id, start, end)
            return [self._new_session(client_id, tutor_id, package_id, start, end) for start, end in spans]
        return self._once(request_id, "book_session", book)

    def _refuse_overlap(self, client_id: int, tutor_id: int, start: datetime, end: datetime,
                        but: UUID | None = None) -> None:
        """sql/06_schedule.sql's _overlap and _refuse_overlap: the earliest live session in the way, by name."""
        busy = sorted((s for s in self.sessions.values()
                       if s.id != but and s.status not in (SessionStatus.CANCELLED, SessionStatus.RESCHEDULED)
                       and (s.tutor_id == tutor_id or s.client_id == client_id)
                       and s.starts_at < end and s.ends_at > start), key=lambda s: (s.starts_at, str(s.id)))
        if busy:
            c = self._shown(busy[0])
            who = (f"{c.tutor_name} already has {c.client_name}" if c.tutor_id == tutor_id
                   else f"{c.client_name} already has a session with {c.tutor_name}")
            raise BookingConflict(f"{who} on {c.starts_at:%a %d %b %H:%M}–{c.ends_at:%H:%M}.", c.id, c.tutor_name,
                                  c.client_name, c.starts_at, c.ends_at)

    @call
    def schedule_conflicts(self) -> list[ScheduleConflict]:
        return []  # the fake refuses every overlap, and holds nothing booked before that rule

    def _new_session(self, client_id: int, tutor_id: int, package_id: UUID | None, start: datetime,
                     end: datetime) -> UUID:
        session_id = uuid.uuid4()
        self.sessions[session_id] = Session(session_id, client_id, "", tutor_id, "", package_id, start, end,
                                            SessionStatus.SCHEDULED, "", None)
        return session_id

    @call
    def set_session_status(
        self, session_id: UUID, status: SessionStatus, notes: str | None = None, request_id: UUID | None = None
    ) -> StatusChange:
        return self._once(request_id, f"set_session_status:{status.code}",
                          lambda: self._mark(self._session(session_id), status, notes))

    @call
    def set_session_notes(self, session_id: UUID, notes: str, request_id: UUID | None = None) -> str:
        def save() -> str:
            self.sessions[session_id] = replace(self._session(session_id), tutor_notes=notes)
            return notes
        return self._once(request_id, "set_session_notes", save)

    @call
    def reschedule_session(
        self, session_id: UUID, starts_at: datetime, ends_at: datetime, request_id: UUID | None = None, *,
        time_zone: str,
    ) -> StatusChange:
        require_aware(starts_at, ends_at)

        def move() -> StatusChange:
            _check_span(starts_at, ends_at)
            _zone(time_zone)
            old = self._session(session_id)
            if old.rescheduled_to is not None:
                raise NotAllowed("This session was already moved to another time; reschedule the new session instead.")
            self._teacher(old.tutor_id)
            self._refuse_overlap(old.client_id, old.tutor_id, starts_at, ends_at, but=session_id)
            new_id = self._new_session(old.client_id, old.tutor_id, old.package_id, starts_at, ends_at)
            change = self._mark(old, SessionStatus.RESCHEDULED, None)
            self.sessions[session_id] = replace(self.sessions[session_id], rescheduled_to=new_id)
            return replace(change, new_session_id=new_id)
        return self._once(request_id, "reschedule_session", move)

    @call
    def auto_complete(self, before: datetime | None = None) -> AutoCompleteResult:
        before = before or self.now()
        require_aware(before)
        if before > self.now():
            raise InvalidInput("Auto-complete only marks sessions that are over; the cut-off cannot be in the future.")
        due = sorted((s for s in self.sessions.values() if s.status is SessionStatus.SCHEDULED and s.ends_at < before),
                     key=lambda s: (s.ends_at, str(s.id)))
        deducted = sum(self._mark(s, SessionStatus.DONE, None).reason == "consumed" for s in due)
        return AutoCompleteResult(len(due), deducted, skipped=0)  # one process: nothing is ever held


def _check_span(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput("A session must end after it starts.")
    if ends_at - starts_at > timedelta(hours=12):
        raise InvalidInput("A session lasts at most 12 hours.")


_zone = time_zone  # the parameter of the same name hides the function inside the methods


def _required(name: str) -> str:
    if not name or not name.strip():
        raise InvalidInput("Full name must not be empty.")
    return name


def _teaches(role: StaffRole, teaches: bool | None) -> bool:
    if role is StaffRole.TUTOR and teaches is False:
        raise InvalidInput("A tutor always teaches.")
    return role is StaffRole.TUTOR if teaches is None else teaches
