"""What the windows, the command line and the tests call. Every change goes through one SQL function and
comes back as the authoritative counts; every record comes back as a frozen dataclass."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from tutor_desktop.db.staff_accounts import StaffAccounts
from tutor_desktop.domain import (
    AutoCompleteResult,
    Balance,
    InvalidInput,
    SessionStatus,
    StaffRole,
    StatusChange,
)


def new_request_id() -> UUID:
    """One per user action; reuse it when the same action is retried."""
    return uuid.uuid4()


def _balance(package_id: UUID, row) -> Balance:  # noqa: ANN001 - a result row of the balance shape
    return Balance(package_id, row.applied, row.sessions_used, row.sessions_total, row.sessions_remaining, row.reason)


def _status_change(session_id: UUID, row, new_session_id: UUID | None = None) -> StatusChange:  # noqa: ANN001
    return StatusChange(
        session_id=session_id,
        session_status=SessionStatus.from_code(row.session_status),
        package_id=row.package_id,
        applied=row.applied,
        sessions_used=row.sessions_used,
        sessions_total=row.sessions_total,
        sessions_remaining=row.sessions_remaining,
        reason=row.reason,
        new_session_id=new_session_id,
    )


class Repository(StaffAccounts):
    # --- balances --------------------------------------------------------------------------------------------

    def use_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None) -> Balance:
        row = self.rows(
            "SELECT * FROM tutor.use_session(:p, :r, :reason)",
            {"p": package_id, "reason": reason, "r": request_id or new_request_id()},
        )[0]
        return _balance(package_id, row)

    def release_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None) -> Balance:
        row = self.rows(
            "SELECT * FROM tutor.reinstate_session(:p, :r, :reason)",
            {"p": package_id, "reason": reason, "r": request_id or new_request_id()},
        )[0]
        return _balance(package_id, row)

    # --- sessions --------------------------------------------------------------------------------------------

    def set_session_status(
        self, session_id: UUID, status: SessionStatus, notes: str | None = None, request_id: UUID | None = None
    ) -> StatusChange:
        row = self.rows(
            "SELECT * FROM tutor.set_session_status(:s, :status, :notes, :r)",
            {"s": session_id, "status": status.code, "notes": notes, "r": request_id or new_request_id()},
        )[0]
        return _status_change(session_id, row)

    def reschedule_session(
        self, session_id: UUID, starts_at: datetime, ends_at: datetime, request_id: UUID | None = None
    ) -> StatusChange:
        _require_aware(starts_at, ends_at)
        row = self.rows(
            "SELECT * FROM tutor.reschedule_session(:s, :start, :end, :r)",
            {"s": session_id, "start": starts_at, "end": ends_at, "r": request_id or new_request_id()},
        )[0]
        return _status_change(session_id, row, row.new_session_id)

    def auto_complete(self, before: datetime | None = None) -> AutoCompleteResult:
        if before is None:
            row = self.rows("SELECT * FROM tutor.auto_complete_sessions()")[0]
        else:
            _require_aware(before)
            row = self.rows("SELECT * FROM tutor.auto_complete_sessions(:b)", {"b": before})[0]
        return AutoCompleteResult(row.completed, row.deducted)

    def book_session(
        self,
        client_id: int,
        tutor_id: int,
        starts_at: datetime,
        ends_at: datetime,
        package_id: UUID | None = None,
        weekly_repeats: int = 0,
        request_id: UUID | None = None,
    ) -> list[UUID]:
        _require_aware(starts_at, ends_at)
        rows = self.rows(
            "SELECT session_id FROM tutor.book_session(:c, :t, :start, :end, :p, :n, :r)",
            {
                "c": client_id, "t": tutor_id, "start": starts_at, "end": ends_at, "p": package_id,
                "n": weekly_repeats, "r": request_id or new_request_id(),
            },
        )
        return [row.session_id for row in rows]

    # --- studio records --------------------------------------------------------------------------------------

    def add_staff(self, display_name: str, role: StaffRole, request_id: UUID | None = None) -> int:
        return self.rows(
            "SELECT tutor.add_staff(:n, :role, :r) AS id",
            {"n": display_name, "role": str(role), "r": request_id or new_request_id()},
        )[0].id

    def create_client(
        self,
        full_name: str,
        email: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        request_id: UUID | None = None,
    ) -> int:
        return self.rows(
            "SELECT tutor.create_client(:n, :e, :ph, :notes, :r) AS id",
            {"n": full_name, "e": email, "ph": phone, "notes": notes, "r": request_id or new_request_id()},
        )[0].id

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
        self.rows(
            "SELECT tutor.update_client(:id, :n, :e, :ph, :notes, :a, :r)",
            {"id": client_id, "n": full_name, "e": email, "ph": phone, "notes": notes, "a": archived,
             "r": request_id or new_request_id()},
        )

    def sell_package(
        self,
        client_id: int,
        label: str,
        sessions_total: int,
        expires_at: datetime | None = None,
        purchased_at: datetime | None = None,
        request_id: UUID | None = None,
    ) -> UUID:
        _require_aware(*(d for d in (expires_at, purchased_at) if d is not None))
        return self.rows(
            "SELECT tutor.sell_package(:c, :label, :n, :exp, :bought, :r) AS id",
            {"c": client_id, "label": label, "n": sessions_total, "exp": expires_at, "bought": purchased_at,
             "r": request_id or new_request_id()},
        )[0].id

    def cancel_package(self, package_id: UUID, reason: str | None = None, request_id: UUID | None = None) -> Balance:
        row = self.rows(
            "SELECT * FROM tutor.cancel_package(:p, :reason, :r)",
            {"p": package_id, "reason": reason, "r": request_id or new_request_id()},
        )[0]
        return _balance(package_id, row)

    def change_package_expiry(
        self, package_id: UUID, expires_at: datetime | None, request_id: UUID | None = None
    ) -> Balance:
        if expires_at is not None:
            _require_aware(expires_at)
        row = self.rows(
            "SELECT * FROM tutor.change_package_expiry(:p, :exp, :r)",
            {"p": package_id, "exp": expires_at, "r": request_id or new_request_id()},
        )[0]
        return _balance(package_id, row)


def _require_aware(*moments: datetime) -> None:
    for moment in moments:
        if moment.tzinfo is None:
            raise InvalidInput(f"The time {moment.isoformat()} has no time zone.")
