"""The export, import and statement calls of the fake studio, with the database's rules for an import (every
row's problems with its row number, all or nothing, rows already there left alone, sessions used before as
ledger rows of their own). Messages are shorter than the database's; the row numbers are the same."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from tests.unit.fake_ledger import FakePackage, call
from tutor_desktop.domain import (
    Client,
    ExportTable,
    HistoryKind,
    ImportKind,
    ImportProblem,
    ImportResult,
    InvalidInput,
    LedgerKind,
    PackageStatus,
    Statement,
    build_statement,
)
from tutor_desktop.zones import time_zone as zone_named

_STATUSES = {"": PackageStatus.ACTIVE, "active": PackageStatus.ACTIVE, "expired": PackageStatus.ACTIVE,
             "used up": PackageStatus.ACTIVE, "cancelled": PackageStatus.CANCELLED, "canceled": PackageStatus.CANCELLED}


def _text(row: Mapping[str, str], field: str) -> str:
    return " ".join((row.get(field) or "").split())


def _count(text: str, what: str, problems: list[str], required: bool = True) -> int | None:
    if not text:
        if required:
            problems.append(f"{what} is missing.")
        return None if required else 0
    if not re.fullmatch(r"[+-]?\d{1,6}", text):
        problems.append(f'{what} "{text}" is not a whole number.')
        return None
    if int(text) < 0:
        problems.append(f"{what} cannot be negative ({text}).")
        return None
    return int(text)


def _moment(text: str, what: str, zone: str, problems: list[str], required: bool) -> datetime | None:
    if not text:
        if required:
            problems.append(f"{what} is missing.")
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?", text):
            raise ValueError(text)
        return datetime.fromisoformat(text.replace("T", " ")).replace(tzinfo=zone_named(zone))
    except ValueError:
        problems.append(f'{what} "{text}" is not a date.')
        return None


class FakePortability:
    @call
    def export_tables(self) -> list[ExportTable]:
        clients = tuple((c.id, self.client_external.get(c.id), c.full_name, c.email, c.phone, c.notes, c.archived)
                        for c in sorted(self.clients.values(), key=lambda c: c.id))
        packages = tuple((p.id, self.clients[p.client_id].full_name, p.label, p.total, self._used(p.id),
                          p.status.value, p.purchased_at, p.expires_at)
                         for p in sorted(self.packages.values(), key=lambda p: (p.client_id, p.purchased_at, p.id)))
        ledger = tuple((e.id, e.created_at, e.package_id, e.kind.value, e.delta, e.session_id, e.reverses, e.reason)
                       for e in self.ledger)
        return [ExportTable("clients", ("client_id", "external_id", "name", "email", "phone", "notes", "archived"),
                            clients),
                ExportTable("packages", ("package_id", "client_name", "label", "sessions_total", "sessions_used",
                                         "status", "purchased", "expires"), packages),
                ExportTable("ledger", ("entry_id", "at", "package_id", "kind", "sessions_used_change", "session_id",
                                       "reverses", "reason"), ledger)]

    @call
    def import_rows(self, kind: ImportKind, rows: Sequence[Mapping[str, str]], dry_run: bool = False,
                    time_zone: str = "UTC", request_id: UUID | None = None) -> ImportResult:
        unknown = sorted({k for row in rows for k in row} - set(kind.fields) - {"row"})
        if unknown:
            raise InvalidInput(f"An import of {kind} has no field {', '.join(unknown)}.")
        check = self._check_client if kind is ImportKind.CLIENTS else self._check_package
        problems: list[ImportProblem] = []
        seen: dict[object, int] = {}
        new, existing = [], 0
        for n, row in enumerate(rows, start=2):
            number = int(row.get("row") or n)
            said: list[str] = []
            key, there, value = check(row, time_zone, said)
            if key is not None and key in seen:
                said.append(f"The same row as row {seen[key]}.")
            elif key is not None:
                seen[key] = number
            problems += [ImportProblem(number, m) for m in said]
            existing += there
            if not there and not said:
                new.append(value)
        if problems or dry_run:
            return ImportResult(False, len(rows) - existing, existing, tuple(sorted(problems, key=lambda p: p.row)))
        return self._once(request_id, f"import_{kind}", lambda: self._add_imported(kind, new, existing))

    def _check_client(self, row: Mapping[str, str], _zone: str, said: list[str]) -> tuple:
        name, email, external = _text(row, "name"), _text(row, "email") or None, _text(row, "external_id") or None
        if not name:
            said.append("The client's name is empty or has only spaces.")
            return None, False, None
        key = ("id", external) if external else ("name", name.lower(), (email or "").lower())
        there = any((external and self.client_external.get(c.id) == external) or (
            not external and c.full_name.lower() == name.lower() and (c.email or "").lower() == (email or "").lower())
            for c in self.clients.values())
        return key, there, (name, email, _text(row, "phone") or None, row.get("notes") or "", external)

    def _check_package(self, row: Mapping[str, str], zone: str, said: list[str]) -> tuple:
        label = _text(row, "label")
        if not label:
            said.append("The package label is empty or has only spaces.")
        total = _count(_text(row, "sessions_total"), "The number of sessions", said)
        used = _count(_text(row, "sessions_used"), "The number of sessions used", said, required=False)
        bought = _moment(_text(row, "purchased"), "The purchase date", zone, said, True)
        expires = _moment(_text(row, "expires"), "The expiry date", zone, said, False)
        status = _STATUSES.get(_text(row, "status").lower())
        if status is None:
            said.append(f'The status "{row.get("status")}" is not one of Active, Expired, Used up or Cancelled.')
        if total is not None and not 1 <= total <= 1000:
            said.append(f"A package holds between 1 and 1000 sessions, not {total}.")
        if total is not None and used is not None and used > total:
            said.append(f"{used} sessions used is more than the package's {total}.")
        if bought and bought > self.now() + timedelta(minutes=5):
            said.append("A package cannot be bought in the future.")
        if bought and expires and expires <= bought:
            said.append("A package must expire after it is bought.")
        name, email = _text(row, "client_name"), _text(row, "client_email")
        external = _text(row, "client_external_id")
        matches = [c for c in self.clients.values() if (external and self.client_external.get(c.id) == external) or (
            not external and name and c.full_name.lower() == name.lower()
            and (not email or (c.email or "").lower() == email.lower()))]
        if not (external or name):
            said.append("The client is missing: give the client's external id or name.")
        elif not matches:
            said.append(f"No client has the external id {external}." if external else f"No client is named {name}.")
        elif len(matches) > 1:
            said.append(f"More than one client is named {name}.")
        if said or not matches:
            return None, False, None
        client: Client = matches[0]
        own = _text(row, "external_id") or None
        key = ("id", own) if own else ("sale", client.id, label.lower(), bought)
        there = any((own and self.package_external.get(p.id) == own) or (
            not own and p.client_id == client.id and p.label.lower() == label.lower()
            and p.purchased_at.replace(microsecond=0) == bought) for p in self.packages.values())
        return key, there, (client.id, label, total, used, bought, expires, status, own)

    def _add_imported(self, kind: ImportKind, new: list[tuple], existing: int) -> ImportResult:
        for value in new:
            if kind is ImportKind.CLIENTS:
                client_id = next(self._ids)
                name, email, phone, notes, external = value
                self.clients[client_id] = Client(client_id, name, email, phone, notes, False)
                if external:
                    self.client_external[client_id] = external
                continue
            client_id, label, total, used, bought, expires, status, own = value
            package = FakePackage(uuid4(), client_id, label, total, bought, expires, status)
            self.packages[package.id] = package
            self._event(package.id, HistoryKind.PACKAGE_IMPORTED, sessions_total=total)
            if own:
                self.package_external[package.id] = own
            for _ in range(used):
                self._write(package.id, 1, LedgerKind.USED_BEFORE, reason="Used before Tutor Desk")
        return ImportResult(True, len(new), existing)

    @call
    def client_statement(self, client_id: int) -> Statement:
        client = self._client(client_id)
        packages = [self._view(p) for p in self.packages.values() if p.client_id == client_id]
        history = self.package_history([p.id for p in packages])
        sessions = [self._shown(s) for s in self.sessions.values() if s.client_id == client_id]
        currency = getattr(self, "_currency", "USD")  # the money half's, in the whole fake studio
        return build_statement(client, packages, history, sessions, self.now(), currency)
