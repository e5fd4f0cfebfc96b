"""Many desks at once, through the repository, threads released together by a barrier.

Each property is also run against a deliberately naive read-then-write deduction (the way web tools do it),
and the same check must catch it: that is what shows these tests can fail."""

from __future__ import annotations

import threading
import uuid
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import AutoCompleteResult, SessionStatus

from .conftest import hours_from_now


def naive_use_session(admin_url: str) -> Callable:
    """Reads the count, decides in Python, writes the count back: two transactions, no guard."""

    local = threading.local()

    def use(package_id) -> bool:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(admin_url, autocommit=True)
        conn = local.conn
        used, total = conn.execute(
            "SELECT sessions_used, sessions_total FROM tutor.packages WHERE id = %s", (package_id,)
        ).fetchone()
        if used >= total:
            return False
        with conn.transaction():
            conn.execute("UPDATE tutor.packages SET sessions_used = %s WHERE id = %s", (used + 1, package_id))
            conn.execute(
                "INSERT INTO tutor.package_ledger (package_id, delta, kind) VALUES (%s, 1, 'manual_use')", (package_id,)
            )
        return True

    return use


def run_together(threads: int, work: Callable[[int], object]) -> list:
    barrier = threading.Barrier(threads)

    def start(i: int):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(start, range(threads)))


@pytest.fixture
def desks(database):
    """A repository whose pool gives each of 32 threads its own connection."""
    engine = make_engine(database.app_url, pool_size=32)
    yield Repository(engine)
    engine.dispose()


@pytest.fixture(params=["atomic", pytest.param("naive", marks=pytest.mark.xfail(strict=True, reason="read-then-write loses updates"))])
def use_one(request, desks, database):
    if request.param == "atomic":
        return lambda package: desks.use_session(package).applied
    return naive_use_session(database.admin_url)


def assert_counter_matches_ledger(repo, database, package, expected_used):
    assert repo.get_package(package).sessions_used == expected_used
    assert database.scalar("SELECT count(*) FROM tutor.package_ledger WHERE package_id = %s", (package,)) == expected_used
    assert repo.reconcile() == []


def test_32_desks_1000_calls_each_on_a_500_session_package(desks, studio, database, use_one, request, report_figure):
    package = desks.sell_package(studio.client, "Big", 500)
    started = time.perf_counter()
    applied = run_together(32, lambda _i: sum(use_one(package) for _ in range(1000)))
    elapsed = time.perf_counter() - started
    report_figure(f"{request.node.name}: {sum(applied)} applied of 32,000 calls in {elapsed:.1f} s "
                  f"({32000 / elapsed:.0f} calls/s)")
    assert sum(applied) == 500
    assert_counter_matches_ledger(desks, database, package, 500)


def test_one_session_left_and_32_callers_gives_one_winner_per_round(desks, studio, database, use_one, request,
                                                                  report_figure):
    packages = [desks.sell_package(studio.client, f"Last {i}", 1) for i in range(200)]
    barrier = threading.Barrier(32)
    winners = [0] * 200

    def desk(_i: int) -> None:
        for round_no, package in enumerate(packages):
            barrier.wait()
            if use_one(package):
                winners[round_no] += 1  # one writer per round when correct; a lost race shows up as 2+

    started = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(desk, range(32)))
    report_figure(f"{request.node.name}: {time.perf_counter() - started:.1f} s, winners per round "
                  f"min {min(winners)} max {max(winners)}")
    assert winners == [1] * 200
    for package in packages[:5]:
        assert_counter_matches_ledger(desks, database, package, 1)


def naive_mark_done(conn: psycopg.Connection, session_id, package_id) -> str:
    """Checks the status, then marks and charges in a second step: no row lock between the two."""
    status = conn.execute("SELECT status FROM tutor.sessions WHERE id = %s", (session_id,)).fetchone()[0]
    if status == "done":
        return "unchanged"
    naive_charge(conn, session_id, package_id)
    return "consumed"


def naive_charge(conn: psycopg.Connection, session_id, package_id) -> None:
    with conn.transaction():
        conn.execute("UPDATE tutor.sessions SET status = 'done' WHERE id = %s", (session_id,))
        conn.execute("UPDATE tutor.packages SET sessions_used = sessions_used + 1 WHERE id = %s", (package_id,))
        conn.execute(
            "INSERT INTO tutor.package_ledger (package_id, delta, kind, session_id)"
            " VALUES (%s, 1, 'session_consumed', %s)", (package_id, session_id))


def naive_auto_complete(conn: psycopg.Connection) -> AutoCompleteResult:
    """The per-row loop of older systems: list what is due, then mark and charge one by one, no locks."""
    due = conn.execute(
        "SELECT s.id, coalesce(s.package_id, p.id) FROM tutor.sessions s JOIN tutor.packages p ON p.client_id = s.client_id"
        " WHERE s.status = 'scheduled' AND s.ends_at < now()").fetchall()
    for session_id, package_id in due:
        naive_charge(conn, session_id, package_id)
    return AutoCompleteResult(len(due), len(due))


@pytest.mark.parametrize("variant", ["atomic", pytest.param("naive", marks=pytest.mark.xfail(
    strict=True, raises=psycopg.errors.UniqueViolation, reason="a second live consumption hits the unique index"))])
def test_done_from_8_desks_on_one_session_consumes_once(desks, studio, database, variant):
    package = desks.sell_package(studio.client, "Ten", 10)
    [session] = desks.book_session(studio.client, studio.tutor, hours_from_now(-2), hours_from_now(-1), package, time_zone="UTC")
    if variant == "atomic":
        results = run_together(8, lambda _i: desks.set_session_status(session, SessionStatus.DONE).reason)
    else:
        conns = [database.admin() for _ in range(8)]
        try:
            results = run_together(8, lambda i: naive_mark_done(conns[i], session, package))
        finally:
            for conn in conns:
                conn.close()
    assert sorted(results) == ["consumed"] + ["unchanged"] * 7
    assert_counter_matches_ledger(desks, database, package, 1)


@pytest.mark.parametrize("variant", ["atomic", pytest.param("naive", marks=pytest.mark.xfail(
    strict=True, raises=psycopg.errors.UniqueViolation, reason="overlapping loops charge a session twice"))])
def test_auto_complete_from_3_connections_over_1000_past_sessions(desks, studio, database, variant, request,
                                                                 report_figure):
    clients = [desks.create_client(f"Client {i}") for i in range(50)]
    bought = hours_from_now(-24 * 60)  # before every session
    packages = [desks.sell_package(c, "Twenty", 20, purchased_at=bought) for c in clients]
    with database.admin() as conn:  # 1,000 past sessions, 20 per client, half booked on the package, one an hour
        conn.execute(
            "INSERT INTO tutor.sessions (client_id, tutor_id, package_id, starts_at, ends_at)"
            " SELECT client_id, %s, package_id, now() - (k + 2) * interval '1 hour', now() - (k + 1) * interval '1 hour'"
            "   FROM (SELECT c.id AS client_id, CASE WHEN n %% 2 = 0 THEN p.id END AS package_id,"
            "                row_number() OVER (ORDER BY n, c.id) AS k"
            "           FROM tutor.clients c JOIN tutor.packages p ON p.client_id = c.id, generate_series(1, 20) n) x",
            (studio.tutor,),
        )
    assert database.scalar("SELECT count(*) FROM tutor.sessions WHERE ends_at < now()") == 1000
    started = time.perf_counter()
    if variant == "atomic":
        results = run_together(3, lambda _i: desks.auto_complete())
    else:
        conns = [database.admin() for _ in range(3)]
        try:
            results = run_together(3, lambda i: naive_auto_complete(conns[i]))
        finally:
            for conn in conns:
                conn.close()
    report_figure(f"{request.node.name}: {time.perf_counter() - started:.2f} s, "
                  f"sessions completed per connection {[r.completed for r in results]}")
    assert sum(r.completed for r in results) == 1000
    assert sum(r.deducted for r in results) == 1000
    assert database.scalar(
        "SELECT count(*) FROM (SELECT session_id FROM tutor.package_ledger GROUP BY session_id HAVING count(*) = 1) x"
    ) == 1000
    assert all(desks.get_package(p).sessions_used == 20 for p in packages)
    assert desks.auto_complete().completed == 0
    assert desks.reconcile() == []


def test_desks_and_auto_complete_on_the_same_packages_at_once(desks, studio, database):
    clients = [desks.create_client(f"Client {i}") for i in range(10)]
    packages = [desks.sell_package(c, "Ten", 10) for c in clients]
    with database.admin() as conn:  # 12 past sessions per client, none booked on a package: more than fits
        conn.execute(
            "INSERT INTO tutor.sessions (client_id, tutor_id, starts_at, ends_at)"
            " SELECT id, %s, now() - (k + 2) * interval '1 hour', now() - (k + 1) * interval '1 hour'"
            "   FROM (SELECT c.id, row_number() OVER (ORDER BY n, c.id) AS k"
            "           FROM tutor.clients c, generate_series(1, 12) n WHERE c.id <> %s) x",
            (studio.tutor, studio.client),
        )

    def work(i: int) -> int:
        if i < 2:
            return desks.auto_complete().deducted
        return sum(desks.use_session(packages[(i + k) % 10]).applied for k in range(40))

    results = run_together(8, work)
    later = desks.auto_complete()  # whatever a run skipped because a desk held its package, this one completes
    assert later.skipped == 0
    total_used = sum(desks.get_package(p).sessions_used for p in packages)
    assert total_used == sum(results) + later.deducted == database.scalar("SELECT count(*) FROM tutor.package_ledger")
    assert total_used == 100  # every package full, none over
    assert database.scalar("SELECT count(*) FROM tutor.sessions WHERE status = 'scheduled'") == 0
    assert database.scalar(
        "SELECT count(*) FROM (SELECT session_id FROM tutor.package_ledger WHERE session_id IS NOT NULL"
        " GROUP BY session_id HAVING count(*) > 1) twice") == 0
    assert desks.reconcile() == []


def test_a_replay_racing_its_first_attempt_applies_once(desks, studio, database):
    package = desks.sell_package(studio.client, "Ten", 10)
    request = uuid.uuid4()
    results = run_together(8, lambda _i: desks.use_session(package, request))
    assert all(r.applied for r in results)
    assert_counter_matches_ledger(desks, database, package, 1)
