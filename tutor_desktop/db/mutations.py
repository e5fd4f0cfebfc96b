"""Every change the studio makes: one SQL function call each, answered with the authoritative counts."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import UUID

from tutor_desktop.db.gateway import Gateway, new_request_id
from tutor_desktop.domain import (
    AutoCompleteResult,
    Balance,
    BookedSessions,
    Cancellation,
    InvalidInput,
    SessionStatus,
    StaffRole,
    StatusChange,
)

# How long the database keeps a request id (tutor._request_window() in sql/01_helpers.sql; a test checks they agree).
REQUEST_WINDOW_DAYS = 7


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


class Mutations:
    def __init__(self, gateway: Gateway) -> None:
        self.db = gateway

    def _balance(self, sql: str, package_id: UUID, request_id: UUID | None, **params: object) -> Balance:
        """Calls a function that answers with a package's counts (:p the package, :r the request id)."""
        row = self.db.rows(sql, {"p": package_id, "r": request_id or new_request_id(), **params})[0]
        return Balance(package_id, row.applied, row.sessions_used, row.sessions_total, row.sessions_remaining,
                       row.reason)

    # --- balances --------------------------------------------------------------------------------------------

    def use_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None) -> Balance:
        return self._balance(
            "SELECT * FROM tutor.use_session(:p, :r, :reason)", package_id, request_id, reason=reason
        )

    def reinstate_session(self, package_id: UUID, request_id: UUID | None = None, reason: str | None = None,
                          entry_id: int | None = None) -> Balance:
        return self._balance(
            "SELECT * FROM tutor.reinstate_session(:p, :r, :reason, :entry)", package_id, request_id, reason=reason,
            entry=entry_id,
        )

    # --- sessions --------------------------------------------------------------------------------------------

    def set_session_status(
        self, session_id: UUID, status: SessionStatus, notes: str | None = None, request_id: UUID | None = None
    ) -> StatusChange:
        row = self.db.rows(
            "SELECT * FROM tutor.set_session_status(:s, :status, :notes, :r)",
            {"s": session_id, "status": status.code, "notes": notes, "r": request_id or new_request_id()},
        )[0]
        return _status_change(session_id, row)

    def set_session_notes(self, session_id: UUID, notes: str, request_id: UUID | None = None) -> str:
        return self.db.rows(
            "SELECT tutor.set_session_notes(:s, :notes, :r) AS notes",
            {"s": session_id, "notes": notes, "r": request_id or new_request_id()},
        )[0].notes

    def reschedule_session(
        self, session_id: UUID, starts_at: datetime, ends_at: datetime, request_id: UUID | None = None, *,
        time_zone: str,
    ) -> StatusChange:
        _require_aware(starts_at, ends_at)
        row = self.db.rows(
            "SELECT * FROM tutor.reschedule_session(:s, :start, :end, :zone, :r)",
            {"s": session_id, "start": starts_at, "end": ends_at, "zone": time_zone,
             "r": request_id or new_request_id()},
        )[0]
        return _status_change(session_id, row, row.new_session_id)

    def auto_complete(self, before: datetime | None = None) -> AutoCompleteResult:
        if before is None:
            row = self.db.rows("SELECT * FROM tutor.auto_complete_sessions()")[0]
        else:
            _require_aware(before)
            row = self.db.rows("SELECT * FROM tutor.auto_complete_sessions(:b)", {"b": before})[0]
        return AutoCompleteResult(row.completed, row.deducted, row.skipped)

    def prune_requests(self) -> int:
        """Removes request ids older than their window (REQUEST_WINDOW_DAYS); admins only. How many went."""
        return self.db.rows("SELECT tutor.prune_requests() AS n")[0].n

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
        _require_aware(starts_at, ends_at)
        rows = self.db.rows(
            "SELECT session_id FROM tutor.book_session(:c, :t, :start, :end, :zone, :p, :n, :r)",
            {
                "c": client_id, "t": tutor_id, "start": starts_at, "end": ends_at, "zone": time_zone,
                "p": package_id, "n": weekly_repeats, "r": request_id or new_request_id(),
            },
        )
        return [row.session_id for row in rows]

    # --- clients, packages and staff -------------------------------------------------------------------

    def add_staff(
        self, display_name: str, role: StaffRole, request_id: UUID | None = None, teaches: bool | None = None
    ) -> int:
        return self.db.rows(
            "SELECT tutor.add_staff(:n, :role, :r, :t) AS id",
            {"n": display_name, "role": str(role), "r": request_id or new_request_id(), "t": teaches},
        )[0].id

    def create_client(
        self,
        full_name: str,
        email: str | None = None,
        phone: str | None = None,
        notes: str | None = None,
        request_id: UUID | None = None,
    ) -> int:
        return self.db.rows(
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
        self.db.rows(
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
        price: Decimal | None = None,
        catalogue_id: int | None = None,
    ) -> UUID:
        _require_aware(expires_at, purchased_at)
        return self.db.rows(
            "SELECT tutor.sell_package(:c, :label, :n, :exp, :bought, :r, :price, :item) AS id",
            {"c": client_id, "label": label, "n": sessions_total, "exp": expires_at, "bought": purchased_at,
             "r": request_id or new_request_id(), "price": price, "item": catalogue_id},
        )[0].id

    def cancel_package(
        self,
        package_id: UUID,
        reason: str | None = None,
        request_id: UUID | None = None,
        booked: BookedSessions = BookedSessions.KEEP,
        move_to: UUID | None = None,
    ) -> Cancellation:
        r = self.db.rows(
            "SELECT * FROM tutor.cancel_package(:p, :reason, :r, :booked, :to)",
            {"p": package_id, "reason": reason, "r": request_id or new_request_id(), "booked": str(booked),
             "to": move_to},
        )[0]
        return Cancellation(package_id, r.applied, r.sessions_used, r.sessions_total, r.sessions_remaining, r.reason,
                            r.sessions_moved, r.sessions_cancelled, r.sessions_kept, move_to)

    def change_package_expiry(
        self, package_id: UUID, expires_at: datetime | None, request_id: UUID | None = None, reason: str | None = None
    ) -> Balance:
        _require_aware(expires_at)
        return self._balance(
            "SELECT * FROM tutor.change_package_expiry(:p, :exp, :r, :why)", package_id, request_id, exp=expires_at,
            why=reason,
        )


def _require_aware(*moments: datetime | None) -> None:
    for moment in moments:
        if moment is not None and moment.tzinfo is None:
            raise InvalidInput(f"The time {moment.isoformat()} has no time zone.")
