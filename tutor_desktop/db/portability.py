"""What leaves and enters the studio in bulk: the tables of an export, an import of clients or packages (one SQL
function call each), and a client's statement. Every read runs as the desk's login, so row security decides
what an export holds; the audit log goes only to admins."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from uuid import UUID

from tutor_desktop.db.gateway import Gateway, new_request_id
from tutor_desktop.db.reads import Reads
from tutor_desktop.domain import (
    DEFAULT_CURRENCY, ExportTable, ImportKind, ImportResult, InvalidInput, Statement, StaffRole, build_statement)

# Each export: its file name, its header, and the query whose columns are the header's, in a fixed order.
_EXPORTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("clients", ("client_id", "external_id", "name", "email", "phone", "notes", "archived", "created"),
     "SELECT id, external_id, full_name, email, phone, notes, archived, created_at FROM tutor.clients ORDER BY id"),
    ("packages", ("package_id", "external_id", "client_id", "client_external_id", "client_name", "client_email",
                  "label", "sessions_total", "sessions_used", "sessions_remaining", "status", "purchased", "expires"),
     "SELECT b.package_id, p.external_id, b.client_id, c.external_id, c.full_name, c.email, b.label,"
     " b.sessions_total, b.sessions_used, b.sessions_remaining,"
     " CASE WHEN b.status = 'cancelled' THEN 'Cancelled' WHEN b.expired THEN 'Expired'"
     "      WHEN b.sessions_remaining <= 0 THEN 'Used up' ELSE 'Active' END,"
     " b.purchased_at, b.expires_at"
     " FROM tutor.package_balances b JOIN tutor.packages p ON p.id = b.package_id"
     " JOIN tutor.clients c ON c.id = b.client_id ORDER BY b.client_id, b.purchased_at, b.package_id"),
    ("sessions", ("session_id", "starts", "ends", "client_id", "client_name", "tutor_id", "tutor_name", "package_id",
                  "status", "notes", "time_zone"),
     "SELECT s.id, s.starts_at, s.ends_at, s.client_id, c.full_name, s.tutor_id, t.display_name, s.package_id,"
     " s.status, s.tutor_notes, s.time_zone"
     " FROM tutor.sessions s JOIN tutor.clients c ON c.id = s.client_id"
     " LEFT JOIN tutor.staff_directory t ON t.id = s.tutor_id ORDER BY s.starts_at, s.id"),
    ("ledger", ("entry_id", "at", "package_id", "client_name", "kind", "sessions_used_change", "session_id",
                "reverses", "reason", "who"),
     "SELECT l.id, l.created_at, l.package_id, c.full_name, l.kind, l.delta, l.session_id, l.reverses, l.reason,"
     " l.actor_name"
     " FROM tutor.ledger_entries l JOIN tutor.packages p ON p.id = l.package_id"
     " JOIN tutor.clients c ON c.id = p.client_id ORDER BY l.id"),
)
# Money: front desk and admins (a tutor's login reads none of it).
_PAYMENTS = ("payments", ("payment_id", "paid_on", "package_id", "client_name", "package_price", "amount", "method",
                          "note", "who", "recorded"),
             "SELECT y.id, y.paid_on, y.package_id, c.full_name, pr.price, y.amount, y.method, y.note,"
             " coalesce(st.display_name, y.actor), y.created_at"
             " FROM tutor.payments y JOIN tutor.packages p ON p.id = y.package_id"
             " JOIN tutor.clients c ON c.id = p.client_id LEFT JOIN tutor.package_prices pr ON pr.package_id = p.id"
             " LEFT JOIN tutor.staff_directory st ON st.login_role = y.actor ORDER BY y.id")
_AUDIT = ("audit_log", ("entry_id", "at", "login", "action", "entity_type", "entity_id", "details"),
          "SELECT id, created_at, actor, action, entity_type, entity_id, details::text"
          " FROM tutor.audit_log ORDER BY id")

_IMPORT_CALLS = {
    ImportKind.CLIENTS: "SELECT tutor.import_clients(CAST(:rows AS jsonb), :dry, :rid) AS answer",
    ImportKind.PACKAGES: "SELECT tutor.import_packages(CAST(:rows AS jsonb), :zone, :dry, :rid) AS answer",
}


class Portability:
    def __init__(self, gateway: Gateway, reads: Reads) -> None:
        self.db = gateway
        self.reads = reads

    def export_tables(self) -> list[ExportTable]:
        """Clients, packages with their balances, sessions and the ledger (front desk and admins: the payments;
        admins: the audit log), read in
        one transaction so the files agree with each other."""
        with self.db.unit_of_work():
            self.db.rows("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            me = self.reads.current_staff()
            role = me.role if me is not None else None
            exports = (_EXPORTS + ((_PAYMENTS,) if role in (StaffRole.FRONT_DESK, StaffRole.ADMIN) else ())
                       + ((_AUDIT,) if role is StaffRole.ADMIN else ()))
            return [ExportTable(name, header, tuple(tuple(r) for r in self.db.rows(query)))
                    for name, header, query in exports]

    def import_rows(self, kind: ImportKind, rows: Sequence[Mapping[str, str]], dry_run: bool = False,
                    time_zone: str = "UTC", request_id: UUID | None = None) -> ImportResult:
        """Checks every row and, unless dry_run or a row has a problem, adds the new ones in one call."""
        allowed = set(kind.fields) | {"row"}
        unknown = sorted({key for row in rows for key in row} - allowed)
        if unknown:
            raise InvalidInput(f"An import of {kind} has no field {', '.join(unknown)}.")
        payload = json.dumps([{k: (None if v is None else str(v)) for k, v in row.items()} for row in rows])
        answer = self.db.rows(_IMPORT_CALLS[kind], {
            "rows": payload, "dry": dry_run, "zone": time_zone,
            "rid": None if dry_run else (request_id or new_request_id())})[0].answer
        return ImportResult.from_answer(answer)

    def client_statement(self, client_id: int) -> Statement:
        """The client, their packages and each package's history, with the tutor of every session, as of now."""
        with self.db.unit_of_work():
            client = self.reads.get_client(client_id)
            packages = self.reads.packages_for_client(client_id)
            history = self.reads.package_history([p.id for p in packages])
            sessions = self.reads.sessions_for_client(client_id)
            currency = self.db.rows("SELECT value #>> '{}' AS code FROM tutor.studio_settings WHERE key = 'currency'")
        return build_statement(client, packages, history, sessions, datetime.now(timezone.utc),
                               currency[0].code if currency else DEFAULT_CURRENCY)
