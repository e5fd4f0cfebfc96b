"""Read queries of the repository: what windows and the command line show."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Row

from tutor_desktop.db.gateway import Gateway
from tutor_desktop.domain import (
    Client,
    HistoryEntry,
    HistoryKind,
    LedgerEntry,
    LedgerKind,
    Mismatch,
    NotFound,
    Package,
    PackageStatus,
    ScheduleConflict,
    Session,
    SessionStatus,
    Staff,
    StaffRole,
)

_PACKAGE_COLUMNS = (
    "package_id, client_id, label, status, purchased_at, expires_at, sessions_used, sessions_total,"
    " sessions_remaining, sessions_bookable, expired"
)
# charged_package_id: the package whose session this one holds now (its live consumption), if any.
# Names come from scalar subqueries, not joins: under row security a join lets the planner filter every client
# against every session (a week of 2,000 sessions took 100 ms); one index lookup per row keeps it near 20 ms.
_SESSION_SELECT = """
    SELECT s.id, s.client_id,
           coalesce((SELECT c.full_name FROM tutor.clients c WHERE c.id = s.client_id), '') AS client_name,
           s.tutor_id,
           coalesce((SELECT t.display_name FROM tutor.staff t WHERE t.id = s.tutor_id), '') AS tutor_name,
           s.package_id, s.starts_at, s.ends_at, s.status, s.tutor_notes, s.rescheduled_to,
           (SELECT l.package_id FROM tutor.package_ledger l
             WHERE l.session_id = s.id AND l.kind = 'session_consumed'
               AND NOT EXISTS (SELECT 1 FROM tutor.package_ledger r WHERE r.reverses = l.id)) AS charged_package_id
      FROM tutor.sessions s
"""


# A name as search compares it: lower case, accents taken off their letters (NFD, then no combining marks), so
# "jimenez" finds Jiménez. No extension needed (unaccent is not on every studio server).
_FOLDED = "lower(regexp_replace(normalize({}, NFD), '[\\u0300-\\u036f]', '', 'g'))"


def _package(row: Row) -> Package:
    return Package(
        row.package_id, row.client_id, row.label, PackageStatus(row.status), row.purchased_at, row.expires_at, row.sessions_used,
        row.sessions_total, row.sessions_remaining, row.sessions_bookable, row.expired,
    )


def _session(row: Row) -> Session:
    # The select's columns are the dataclass's fields in order; by position it is a third of the cost per row.
    values = tuple(row)
    return Session(*values[:8], SessionStatus.from_code(values[8]), *values[9:])


def _staff(row: Row) -> Staff:
    return Staff(row.id, row.display_name, StaffRole(row.role), row.active, row.login_role, row.teaches)


def _client(row: Row) -> Client:
    return Client(row.id, row.full_name, row.email, row.phone, row.notes, row.archived)


class Reads:
    def __init__(self, gateway: Gateway) -> None:
        self.db = gateway

    def list_staff(self, include_inactive: bool = False) -> list[Staff]:
        rows = self.db.rows(
            "SELECT id, display_name, role, active, login_role, teaches FROM tutor.staff_directory WHERE active OR :all"
            " ORDER BY display_name, id",
            {"all": include_inactive},
        )
        return [_staff(r) for r in rows]

    def current_staff(self) -> Staff | None:
        """The active staff member this connection's login belongs to (None: the login is no staff account)."""
        rows = self.db.rows(
            "SELECT id, display_name, role, active, session_user AS login_role, teaches FROM tutor.staff_directory"
            " WHERE id = tutor.viewer_staff_id()"
        )
        return _staff(rows[0]) if rows else None

    def studio_is_empty(self) -> bool:
        """No staff and no clients yet: a fresh studio, the only kind the demo may be loaded into."""
        return self.db.rows("SELECT tutor.studio_is_empty() AS empty")[0].empty

    def list_clients(self, search: str = "", include_archived: bool = False) -> list[Client]:
        name, term = _FOLDED.format("full_name"), _FOLDED.format(":q")
        rows = self.db.rows(
            "SELECT id, full_name, email, phone, notes, archived FROM tutor.clients"
            " WHERE (NOT archived OR :all)"
            f"   AND (:q = '' OR {name} LIKE '%' || {term} || '%' OR email ILIKE '%' || :q || '%'"
            "        OR phone LIKE '%' || :q || '%')"
            " ORDER BY lower(full_name), id",
            {"q": search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"), "all": include_archived},
        )
        return [_client(r) for r in rows]

    def get_client(self, client_id: int) -> Client:
        rows = self.db.rows(
            "SELECT id, full_name, email, phone, notes, archived FROM tutor.clients WHERE id = :id", {"id": client_id}
        )
        if not rows:
            raise NotFound(f"There is no client with id {client_id}.")
        return _client(rows[0])

    def get_package(self, package_id: UUID) -> Package:
        rows = self.db.rows(f"SELECT {_PACKAGE_COLUMNS} FROM tutor.package_balances WHERE package_id = :id", {"id": package_id})
        if not rows:
            raise NotFound(f"There is no package with id {package_id}.")
        return _package(rows[0])

    def packages_for_client(self, client_id: int) -> list[Package]:
        rows = self.db.rows(
            f"SELECT {_PACKAGE_COLUMNS} FROM tutor.package_balances WHERE client_id = :id"
            " ORDER BY purchased_at DESC, package_id",
            {"id": client_id},
        )
        return [_package(r) for r in rows]

    def studio_packages(self) -> list[tuple[Client, Package]]:
        rows = self.db.rows(
            f"SELECT c.id, c.full_name, c.email, c.phone, c.notes, c.archived, {_PACKAGE_COLUMNS}"
            " FROM tutor.package_balances b JOIN tutor.clients c ON c.id = b.client_id"
            " ORDER BY lower(c.full_name), c.id, b.purchased_at"
        )
        return [(_client(r), _package(r)) for r in rows]

    def get_session(self, session_id: UUID) -> Session:
        rows = self.db.rows(_SESSION_SELECT + " WHERE s.id = :id", {"id": session_id})
        if not rows:
            raise NotFound(f"There is no session with id {session_id}.")
        return _session(rows[0])

    def sessions_between(self, start: datetime, end: datetime, tutor_id: int | None = None) -> list[Session]:
        rows = self.db.rows(
            _SESSION_SELECT
            + " WHERE s.starts_at >= :start AND s.starts_at < :end AND (CAST(:tutor AS bigint) IS NULL OR s.tutor_id = :tutor)"
            " ORDER BY s.starts_at, s.id",
            {"start": start, "end": end, "tutor": tutor_id},
        )
        return [_session(r) for r in rows]

    def sessions_for_client(self, client_id: int) -> list[Session]:
        rows = self.db.rows(_SESSION_SELECT + " WHERE s.client_id = :id ORDER BY s.starts_at DESC", {"id": client_id})
        return [_session(r) for r in rows]

    def ledger_for_package(self, package_id: UUID) -> list[LedgerEntry]:
        return self.ledger_for_packages([package_id]).get(package_id, [])

    def ledger_for_packages(self, package_ids: list[UUID]) -> dict[UUID, list[LedgerEntry]]:
        """Each package's ledger, oldest first, in one query (a client window shows all its packages')."""
        rows = self.db.rows(
            "SELECT id, package_id, delta, kind, session_id, reverses, reason, actor, created_at, actor_name"
            " FROM tutor.ledger_entries WHERE package_id = ANY(:ids) ORDER BY id",
            {"ids": list(package_ids)},
        )
        history: dict[UUID, list[LedgerEntry]] = {package_id: [] for package_id in package_ids}
        for r in rows:
            history[r.package_id].append(LedgerEntry(
                r.id, r.package_id, r.delta, LedgerKind(r.kind), r.session_id, r.reverses, r.reason, r.actor or "",
                r.created_at, r.actor_name))
        return history

    def package_history(self, package_ids: list[UUID]) -> dict[UUID, list[HistoryEntry]]:
        """Each package's ledger and its events from the audit log, oldest first, in one query."""
        rows = self.db.rows(
            "SELECT package_id, created_at, kind, change, session_id, reason, actor_name, details"
            " FROM tutor.package_history WHERE package_id = ANY(:ids) ORDER BY created_at, ledger_id",
            {"ids": list(package_ids)},
        )
        history: dict[UUID, list[HistoryEntry]] = {package_id: [] for package_id in package_ids}
        for r in rows:
            history[r.package_id].append(HistoryEntry(
                r.package_id, r.created_at, HistoryKind(r.kind), r.change, r.session_id, r.reason, r.actor_name,
                r.details or {}))
        return history

    def package_for_session(self, session_id: UUID) -> Package | None:
        """The package a session draws on, as tutor.session_package says; None when it has none."""
        package_id = self.db.rows("SELECT tutor.session_package(:s) AS id", {"s": session_id})[0].id
        return None if package_id is None else self.get_package(package_id)

    def reconcile(self) -> list[Mismatch]:
        rows = self.db.rows("SELECT package_id, sessions_used, ledger_sum FROM tutor.reconcile()")
        return [Mismatch(r.package_id, r.sessions_used, r.ledger_sum) for r in rows]

    def schedule_conflicts(self) -> list[ScheduleConflict]:
        pairs = self.db.rows("SELECT session_id, other_session_id FROM tutor.schedule_conflicts()")
        ids = list({i for pair in pairs for i in pair})
        sessions = {s.id: s for s in map(_session, self.db.rows(_SESSION_SELECT + " WHERE s.id = ANY(:ids)",
                                                                   {"ids": ids}))} if ids else {}
        return [ScheduleConflict(sessions[a], sessions[b]) for a, b in pairs]
