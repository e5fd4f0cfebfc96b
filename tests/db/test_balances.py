"""Manual use and reinstate: the guarded statement, its refusals, and the ledger behind the counter."""

import uuid

import pytest

from tutor_desktop.domain import LedgerKind, NotFound

from .conftest import hours_from_now


def test_use_session_returns_the_new_counts_and_writes_one_ledger_row(repo, studio):
    package = repo.sell_package(studio.client, "Ten", 10)
    first = repo.use_session(package, reason="Paid lesson outside the calendar")
    second = repo.use_session(package)
    assert (first.applied, first.sessions_used, first.sessions_remaining, first.reason) == (True, 1, 9, None)
    assert (second.sessions_used, second.sessions_total, second.sessions_remaining) == (2, 10, 8)
    ledger = repo.ledger_for_package(package)
    assert [(e.kind, e.delta) for e in ledger] == [(LedgerKind.MANUAL_USE, 1)] * 2
    assert ledger[0].reason == "Paid lesson outside the calendar"
    assert ledger[0].actor == "tutor_test_desk"


def test_exhausted_package_refuses_with_current_counts(repo, studio):
    package = repo.sell_package(studio.client, "Two", 2)
    repo.use_session(package)
    repo.use_session(package)
    refused = repo.use_session(package)
    assert (refused.applied, refused.reason, refused.sessions_used, refused.sessions_remaining) == (False, "exhausted", 2, 0)
    assert len(repo.ledger_for_package(package)) == 2


def test_expired_package_refuses_by_the_database_clock(repo, studio):
    package = repo.sell_package(studio.client, "Old", 5, expires_at=hours_from_now(1), purchased_at=hours_from_now(-100))
    repo.change_package_expiry(package, hours_from_now(-1))
    refused = repo.use_session(package)
    assert (refused.applied, refused.reason, refused.sessions_used) == (False, "expired", 0)
    assert repo.get_package(package).expired


def test_cancelled_package_refuses_as_inactive(repo, studio):
    package = repo.sell_package(studio.client, "Gone", 5)
    assert repo.cancel_package(package, "Refunded").applied
    assert repo.use_session(package).reason == "inactive"
    again = repo.cancel_package(package)
    assert (again.applied, again.reason) == (False, "inactive")


def test_unknown_package_is_an_error_and_changes_nothing(repo, database):
    with pytest.raises(NotFound, match="no package"):
        repo.use_session(uuid.uuid4())
    with pytest.raises(NotFound):
        repo.reinstate_session(uuid.uuid4())
    assert database.scalar("SELECT count(*) FROM tutor.requests") == 0


def test_release_reverses_the_latest_live_use_exactly_once(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    repo.use_session(package)
    repo.use_session(package)
    released = repo.reinstate_session(package, reason="Charged by mistake")
    assert (released.applied, released.sessions_used) == (True, 1)
    ledger = repo.ledger_for_package(package)
    assert ledger[-1].kind == LedgerKind.MANUAL_REINSTATE and ledger[-1].delta == -1
    assert ledger[-1].reverses == ledger[1].id
    repo.reinstate_session(package)
    assert repo.ledger_for_package(package)[-1].reverses == ledger[0].id


def test_reinstate_at_zero_is_a_no_op_not_an_error(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    result = repo.reinstate_session(package)
    assert (result.applied, result.reason, result.sessions_used) == (False, "nothing_to_reinstate", 0)
    assert repo.ledger_for_package(package) == []


def test_release_works_on_an_expired_package(repo, studio):
    package = repo.sell_package(studio.client, "Old", 5, expires_at=hours_from_now(1), purchased_at=hours_from_now(-100))
    repo.use_session(package)
    repo.change_package_expiry(package, hours_from_now(-1))
    assert repo.reinstate_session(package).applied
    assert repo.get_package(package).sessions_used == 0


def test_the_fixed_signatures_work_as_specified(repo, studio, database):
    package = repo.sell_package(studio.client, "Three", 3)
    row = repo.rows("SELECT * FROM tutor.use_session(:p)", {"p": package})[0]
    assert tuple(row) == (True, 1, 3, 2, None)
    row = repo.rows("SELECT * FROM tutor.reinstate_session(:p, :r)", {"p": package, "r": uuid.uuid4()})[0]
    assert tuple(row) == (True, 0, 3, 3, None)


def test_every_change_is_audited(repo, studio, database):
    package = repo.sell_package(studio.client, "Three", 3)
    repo.use_session(package, reason="why")
    repo.reinstate_session(package)
    repo.cancel_package(package)
    actions = [r[0] for r in database.admin().execute(
        "SELECT action FROM tutor.audit_log WHERE entity_type = 'package' ORDER BY id")]
    assert actions == ["sell_package", "manual_use", "manual_reinstate", "cancel_package"]


def test_reconcile_finds_a_counter_edited_behind_the_ledger(repo, studio, database):
    package = repo.sell_package(studio.client, "Three", 3)
    repo.use_session(package)
    assert repo.reconcile() == []
    with database.admin() as conn:
        conn.execute("UPDATE tutor.packages SET sessions_used = 2 WHERE id = %s", (package,))
    [mismatch] = repo.reconcile()
    assert (mismatch.package_id, mismatch.sessions_used, mismatch.ledger_sum) == (package, 2, 1)
