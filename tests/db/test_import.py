"""Importing clients and packages from a spreadsheet: every bad row reported with its row number and nothing
changed; a clean file applied whole; the same file twice adds nothing; sessions used before Tutor Desk arrive as
ledger rows of their own, so reconcile holds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tutor_desktop.domain import HistoryKind, ImportKind, LedgerKind, NotAllowed, PackageState, StaffRole

CLIENTS = ImportKind.CLIENTS
PACKAGES = ImportKind.PACKAGES


def _counts(database) -> tuple[int, int, int, int]:  # noqa: ANN001
    return database.scalar("SELECT row(count(*), (SELECT count(*) FROM tutor.packages),"
                           " (SELECT count(*) FROM tutor.package_ledger), (SELECT count(*) FROM tutor.audit_log))"
                           "::text FROM tutor.clients")


def _client_rows() -> list[dict[str, str]]:
    return [
        {"row": "2", "name": "Zoë Jiménez", "email": "zoe@example.com", "phone": "+34 600 000 000"},
        {"row": "3", "name": "Ann Lee", "email": "", "external_id": "A-7"},
        {"row": "4", "name": "Ann Lee", "email": "ann@example.com"},  # same name, other e-mail: another client
    ]


def test_clients_are_added_once_and_the_same_file_again_adds_nothing(repo, database):
    first = repo.import_rows(CLIENTS, _client_rows())
    assert (first.applied, first.added, first.existing, first.problems) == (True, 3, 0, ())
    before = _counts(database)
    again = repo.import_rows(CLIENTS, _client_rows())
    assert (again.applied, again.added, again.existing) == (True, 0, 3)
    assert _counts(database) == before
    names = sorted(c.full_name for c in repo.list_clients())
    assert names == ["Ann Lee", "Ann Lee", "Zoë Jiménez"]
    assert database.scalar("SELECT external_id FROM tutor.clients WHERE email IS NULL") == "A-7"


def test_every_bad_client_row_is_reported_and_nothing_changes(repo, database):
    before = _counts(database)
    rows = [
        {"row": "2", "name": "  ", "email": "x@example.com"},
        {"row": "3", "name": "Good Name"},
        {"row": "4", "name": "Line\nbreak"},
        {"row": "5", "name": "good name"},  # the same client as row 3 (case does not make another)
        {"row": "6", "name": "Other", "external_id": "E1"},
        {"row": "7", "name": "Other Again", "external_id": "E1"},
        {"row": "8", "name": "x" * 121},
    ]
    for dry_run in (True, False):
        result = repo.import_rows(CLIENTS, rows, dry_run=dry_run)
        assert not result.applied
        assert [p.row for p in result.problems] == [2, 4, 5, 7, 8]
        assert "empty" in result.problems[0].message and "row 3" in result.problems[2].message
        assert "row 6" in result.problems[3].message and "too long" in result.problems[4].message
    assert _counts(database) == before


def test_a_dry_run_of_a_clean_file_says_what_it_would_add_and_adds_nothing(repo, database):
    before = _counts(database)
    result = repo.import_rows(CLIENTS, _client_rows(), dry_run=True)
    assert (result.applied, result.added, result.problems) == (False, 3, ())
    assert _counts(database) == before


def _package_rows(today: str) -> list[dict[str, str]]:
    return [
        {"row": "2", "client_name": "Zoë Jiménez", "label": "Ten", "sessions_total": "10", "sessions_used": "3",
         "purchased": "2025-01-10", "expires": ""},
        {"row": "3", "client_external_id": "A-7", "label": "Old five", "sessions_total": "5", "sessions_used": "2",
         "purchased": "2024-01-01", "expires": "2024-06-30", "external_id": "P-1"},
        {"row": "4", "client_name": "Ann Lee", "client_email": "ann@example.com", "label": "Done",
         "sessions_total": "4", "sessions_used": "4", "purchased": today, "status": "Used up"},
        {"row": "5", "client_name": "Zoë Jiménez", "label": "Stopped", "sessions_total": "6", "sessions_used": "1",
         "purchased": "2025-02-01", "status": "Cancelled"},
    ]


def test_packages_arrive_with_their_used_sessions_as_opening_rows_and_reconcile_holds(repo, database):
    repo.import_rows(CLIENTS, _client_rows())
    today = datetime.now(timezone.utc).date().isoformat()
    result = repo.import_rows(PACKAGES, _package_rows(today), time_zone="Europe/Madrid")
    assert (result.applied, result.added, result.problems) == (True, 4, ())
    assert repo.reconcile() == []
    by_label = {p.label: p for _, p in repo.studio_packages()}
    assert {k: (p.sessions_used, p.sessions_total, p.state) for k, p in by_label.items()} == {
        "Ten": (3, 10, PackageState.ACTIVE), "Old five": (2, 5, PackageState.EXPIRED),
        "Done": (4, 4, PackageState.USED_UP), "Stopped": (1, 6, PackageState.CANCELLED)}
    assert by_label["Ten"].purchased_at == datetime(2025, 1, 10, tzinfo=timezone.utc) - timedelta(hours=1)
    ledger = repo.ledger_for_package(by_label["Ten"].id)
    assert [(e.kind, e.delta, e.session_id) for e in ledger] == [(LedgerKind.USED_BEFORE, 1, None)] * 3
    history = repo.package_history([by_label["Ten"].id])[by_label["Ten"].id]
    assert [h.kind for h in history][0] == HistoryKind.PACKAGE_IMPORTED
    assert [h.kind for h in history].count(HistoryKind.USED_BEFORE) == 3
    before = _counts(database)
    again = repo.import_rows(PACKAGES, _package_rows(today), time_zone="Europe/Madrid")
    assert (again.added, again.existing) == (0, 4) and _counts(database) == before


def test_a_used_before_session_can_be_reinstated_and_the_package_used_on(repo):
    repo.import_rows(CLIENTS, _client_rows())
    today = datetime.now(timezone.utc).date().isoformat()
    repo.import_rows(PACKAGES, _package_rows(today)[:1])
    package = repo.studio_packages()[0][1]
    assert repo.reinstate_session(package.id, reason="counted twice").sessions_used == 2
    assert repo.use_session(package.id).sessions_used == 3
    assert repo.reconcile() == []


def test_every_bad_package_row_is_reported_and_nothing_changes(repo, database):
    repo.import_rows(CLIENTS, _client_rows())
    before = _counts(database)
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=2)).date().isoformat()
    good = {"client_name": "Zoë Jiménez", "label": "Ten", "sessions_total": "10", "sessions_used": "0",
            "purchased": "2025-01-10"}
    bad = [
        {**good, "label": ""},                                   # 2 blank label
        {**good, "purchased": "31/01/2025"},                     # 3 not ISO
        {**good, "purchased": "2025-02-30"},                     # 4 no such day
        {**good, "sessions_total": "-5"},                        # 5 negative
        {**good, "sessions_total": "ten"},                       # 6 not a number
        {**good, "sessions_used": "11"},                         # 7 used above total
        {**good, "client_name": "Nobody Here"},                  # 8 unknown client
        {**good, "label": "Dup"},                                # 9
        {**good, "label": "dup"},                                # 10 duplicate of 9 in the file
        {**good, "purchased": tomorrow},                         # 11 bought in the future
        {**good, "expires": "2024-01-01"},                       # 12 expires before bought
        {**good, "client_name": "Ann Lee"},                      # 13 two clients of that name
        {**good, "status": "paused"},                            # 14 unknown status
        {**good, "sessions_total": "0"},                         # 15 out of range
        {**good, "purchased": ""},                               # 16 missing
        {**good, "client_external_id": "NOPE", "client_name": ""},  # 17 unknown external id
        {**good, "sessions_used": "-1"},                         # 18 negative used
    ]
    rows = [{"row": str(n), **r, "label": r["label"] if r["label"] != "Ten" else f"Package {n}"}
            for n, r in enumerate(bad, start=2)]
    result = repo.import_rows(PACKAGES, rows)
    assert not result.applied
    reported = {p.row for p in result.problems}
    assert reported == set(range(2, 19)) - {9}
    words = {row: " ".join(p.message for p in result.problems if p.row == row) for row in reported}
    assert "YYYY-MM-DD" in words[3] and "calendar" in words[4] and "negative" in words[5]
    assert "whole number" in words[6] and "more than" in words[7] and "No client is named Nobody Here" in words[8]
    assert "row 9" in words[10] and "future" in words[11] and "expire after" in words[12]
    assert "More than one client" in words[13] and "status" in words[14] and "missing" in words[16]
    assert "NOPE" in words[17] and "negative" in words[18]
    assert _counts(database) == before


def test_only_front_desk_and_admins_import(repo, login_as, database):
    tutor = login_as(StaffRole.TUTOR)
    with pytest.raises(NotAllowed):
        tutor.repo.import_rows(CLIENTS, _client_rows())
    front = login_as(StaffRole.FRONT_DESK)
    assert front.repo.import_rows(CLIENTS, _client_rows()).added == 3
