"""What keeps the studio running: auto-complete never waits for a desk, judges expiry at the session and prunes
old request ids; a call that changes nothing writes no audit row."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from tutor_desktop.db.mutations import REQUEST_WINDOW_DAYS
from tutor_desktop.domain import SessionStatus

from .conftest import hours_from_now


def _past(repo, studio, hours_ago: float, package=None, client=None):  # noqa: ANN001, ANN202
    start = hours_from_now(-hours_ago)
    return repo.book_session(client or studio.client, studio.tutor, start, start + timedelta(minutes=15), package,
                             time_zone="UTC")[0]


def test_a_package_held_by_an_open_transaction_is_skipped_not_waited_for(repo, studio, database):
    held = repo.sell_package(studio.client, "Held", 10)
    other_client = repo.create_client("Other")
    free = repo.sell_package(other_client, "Free", 10)
    on_held = [_past(repo, studio, 5, held), _past(repo, studio, 4)]  # booked on it; drawing from the client's
    on_free = _past(repo, studio, 3, free, other_client)
    with database.admin() as desk, desk.transaction():  # a desk that left its transaction open on one package
        desk.execute("SELECT 1 FROM tutor.packages WHERE id = %s FOR NO KEY UPDATE", (held,))
        started = time.perf_counter()
        result = repo.auto_complete()
        assert time.perf_counter() - started < 2  # the lock timeout is 5 s: it did not wait
        assert (result.completed, result.deducted, result.skipped) == (1, 1, 2)
        assert repo.get_session(on_free).status is SessionStatus.DONE
        assert {repo.get_session(s).status for s in on_held} == {SessionStatus.SCHEDULED}
    later = repo.auto_complete()  # the lock is gone: the next run completes what was skipped
    assert (later.completed, later.deducted, later.skipped) == (2, 2, 0)
    assert repo.get_package(held).sessions_used == 2
    assert repo.reconcile() == []


def test_a_session_held_by_a_desk_is_skipped(repo, studio, database):
    package = repo.sell_package(studio.client, "Ten", 10)
    session = _past(repo, studio, 2, package)
    with database.admin() as desk, desk.transaction():
        desk.execute("SELECT 1 FROM tutor.sessions WHERE id = %s FOR NO KEY UPDATE", (session,))
        assert repo.auto_complete().skipped == 1
    assert (repo.auto_complete().completed, repo.get_package(package).sessions_used) == (1, 1)


def test_expiry_is_judged_at_the_session(repo, studio, database):
    booked = repo.sell_package(studio.client, "Booked", 3, purchased_at=hours_from_now(-100))
    sooner = repo.sell_package(studio.client, "Sooner", 1, purchased_at=hours_from_now(-100))
    later = repo.sell_package(studio.client, "Later", 5)
    with database.admin() as conn:  # expiries in the past, set as they would have been long ago
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '150 minutes' WHERE id = %s", (booked,))
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '30 minutes' WHERE id = %s", (sooner,))
    paid = _past(repo, studio, 3, booked)          # started before its package expired: it pays
    unpaid = _past(repo, studio, 2, booked)        # started after: nothing to take
    first = _past(repo, studio, 1.5)               # the client's package that expires first and had not yet
    spilled = _past(repo, studio, 1.2)             # ... which has no room left for this one
    after = _past(repo, studio, 0.4)               # started after "Sooner" expired
    result = repo.auto_complete()
    assert (result.completed, result.deducted) == (5, 4)
    charged = dict(database.admin().execute(
        "SELECT session_id, package_id FROM tutor.package_ledger WHERE kind = 'session_consumed'").fetchall())
    assert charged == {paid: booked, first: sooner, spilled: later, after: later}
    assert unpaid not in charged
    assert repo.reconcile() == []


def test_request_ids_are_kept_for_their_window_then_pruned(repo, studio, database):
    assert database.scalar("SELECT tutor._request_window()") == timedelta(days=REQUEST_WINDOW_DAYS)
    package = repo.sell_package(studio.client, "Ten", 10)
    old, recent = uuid.uuid4(), uuid.uuid4()
    repo.use_session(package, old)
    repo.use_session(package, recent)
    with database.admin() as conn:
        conn.execute("UPDATE tutor.requests SET created_at = now() - interval '8 days' WHERE request_id = %s", (old,))
    assert repo.use_session(package, old).sessions_used == 2  # still kept: a replay
    repo.auto_complete()  # prunes in the same call
    assert database.scalar("SELECT count(*) FROM tutor.requests WHERE request_id = %s", (old,)) == 0
    assert database.scalar("SELECT count(*) FROM tutor.requests WHERE request_id = %s", (recent,)) == 1
    again = repo.use_session(package, old)  # pruned: a replay of it is a new request
    assert (again.applied, again.sessions_used) == (True, 3)
    kept = database.scalar("SELECT count(*) FROM tutor.requests")
    with database.admin() as conn:
        conn.execute("UPDATE tutor.requests SET created_at = now() - interval '8 days'")
    assert repo.prune_requests() == kept
    assert repo.prune_requests() == 0
    assert repo.reconcile() == []


def _audit_rows(database) -> int:  # noqa: ANN001
    return database.scalar("SELECT count(*) FROM tutor.audit_log")


def test_a_call_that_changes_nothing_writes_no_audit_row(repo, studio, database):
    expiry = hours_from_now(24 * 30)
    package = repo.sell_package(studio.client, "Ten", 10, expires_at=expiry)
    session = _past(repo, studio, 2, package)
    repo.set_session_status(session, SessionStatus.DONE)
    client = repo.get_client(studio.client)
    before = _audit_rows(database)
    assert repo.change_package_expiry(package, expiry).applied
    repo.update_client(client.id, client.full_name, client.email, client.phone, client.notes)
    assert repo.set_session_status(session, SessionStatus.DONE).reason == "unchanged"
    assert _audit_rows(database) == before
    repo.change_package_expiry(package, expiry + timedelta(days=1))
    repo.update_client(client.id, client.full_name + " Jr", client.email, client.phone, client.notes)
    repo.set_session_status(session, SessionStatus.NO_SHOW_STUDENT)
    assert _audit_rows(database) == before + 3
