"""Two auto-complete runs at once while a third, earlier one is killed in the middle of its work.

A blocker holds the audit log (and one package, which the per-row loop waits for) so that the first run (cut-off
two days ago) stops half-way: its older sessions marked done but not yet charged. (A held package alone would not
stop it: auto-complete skips what is held.) Two runs over everything that is due then start together and skip
what it holds (the per-row loops queue behind it); the first run's connection is terminated; the blocker lets go. The killed run leaves nothing behind, a
later run completes what it had taken, and the run after that changes nothing. The naive per-row loop of older
systems (list what is due, then mark and charge one by one, no locks) charges sessions twice in the same setting.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from tests.db.test_concurrency import naive_charge
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import DatabaseUnavailable, StaffRole

CLIENTS = 50
OLD_PER_CLIENT = NEW_PER_CLIENT = 20  # hours ago: old ones end 60-79 h ago, new ones 1-20 h ago
VICTIM = "auto-complete-killed"


def naive_run(admin_url: str, application_name: str, before: datetime) -> int:
    with psycopg.connect(admin_url, autocommit=True, application_name=application_name) as conn:
        due = conn.execute(
            "SELECT s.id, coalesce(s.package_id, p.id) FROM tutor.sessions s JOIN tutor.packages p ON p.client_id = s.client_id"
            " WHERE s.status = 'scheduled' AND s.ends_at < %s", (before,)).fetchall()
        for session_id, package_id in due:
            naive_charge(conn, session_id, package_id)
        return len(due)


def waiting_on_locks(database, names: tuple[str, ...]) -> list[int]:  # noqa: ANN001
    with database.admin() as conn:
        return [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = ANY(%s)"
            " AND wait_event_type = 'Lock'", (database.name, list(names))).fetchall()]


def wait_for(condition, what: str, within_s: float = 15.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + within_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}", pytrace=False)
        time.sleep(0.02)


def seed(repo: Repository, database) -> list:  # noqa: ANN001
    tutor = repo.add_staff("Night Tutor", StaffRole.TUTOR)
    clients = [repo.create_client(f"Client {i}") for i in range(CLIENTS)]
    bought = datetime.now(timezone.utc) - timedelta(days=100)  # before every session (2,000 hours): each may use it
    packages = [repo.sell_package(c, "Fifty", 50, purchased_at=bought) for c in clients]
    with database.admin() as conn:
        conn.execute(
            "INSERT INTO tutor.sessions (client_id, tutor_id, starts_at, ends_at)"
            " SELECT c, %s, now() - (k + 1) * interval '1 hour', now() - k * interval '1 hour'"
            "   FROM (SELECT c, row_number() OVER (ORDER BY h, c) AS k"
            "           FROM unnest(%s::bigint[]) c, generate_series(1, 40) h) x",  # one an hour: the tutor's
            (tutor, clients))
    return packages


@pytest.mark.parametrize("variant", ["set-based", pytest.param("naive", marks=pytest.mark.xfail(
    strict=True, raises=psycopg.errors.UniqueViolation, reason="overlapping per-row loops charge a session twice"))])
def test_two_runs_at_once_and_one_killed_consume_each_session_once(repo, database, variant, report_figure):
    packages = seed(repo, database)
    total = CLIENTS * (OLD_PER_CLIENT + NEW_PER_CLIENT)
    two_days_ago = datetime.now(timezone.utc) - timedelta(hours=48)
    engines = []

    def run(name: str, before: datetime | None):  # noqa: ANN202
        if variant == "naive":
            return naive_run(database.admin_url, name, before or datetime.now(timezone.utc))
        engine = make_engine(database.app_url, pool_size=1, application_name=name)
        engines.append(engine)
        desk = Repository(engine)
        if before is None:
            return desk.auto_complete().completed
        # A killed process does not retry: one attempt only.
        return desk.rows("SELECT * FROM tutor.auto_complete_sessions(:b)", {"b": before}, retry=False)[0].completed

    blocker = database.admin()
    pool = ThreadPoolExecutor(3)
    try:
        blocker.execute("BEGIN")
        blocker.execute("SELECT 1 FROM tutor.packages WHERE id = %s FOR UPDATE", (max(packages),))
        blocker.execute("LOCK TABLE tutor.audit_log IN SHARE MODE")
        killed = pool.submit(run, VICTIM, two_days_ago)
        wait_for(lambda: waiting_on_locks(database, (VICTIM,)), "the first run to stop at what the blocker holds")
        together = [pool.submit(run, f"auto-complete-{i}", None) for i in range(2)]
        # Each of the two either queues behind the first run or skips everything the first run holds.
        wait_for(lambda: len(waiting_on_locks(database, ("auto-complete-0", "auto-complete-1")))
                 + sum(f.done() for f in together) == 2, "the two runs to queue behind the first or skip its work")
        [victim_pid] = waiting_on_locks(database, (VICTIM,))
        database.scalar("SELECT pg_terminate_backend(%s)", (victim_pid,))
        blocker.execute("ROLLBACK")
        done_together = [f.result(timeout=60) for f in together]
        with pytest.raises((DatabaseUnavailable, psycopg.OperationalError)):
            killed.result(timeout=60)
    finally:
        blocker.close()
        pool.shutdown(wait=True)
        for engine in engines:
            engine.dispose()

    left_by_the_killed_run = database.scalar("SELECT count(*) FROM tutor.sessions WHERE status = 'scheduled'")
    later = repo.auto_complete()
    report_figure(f"auto-complete killed mid-run: two runs together completed {done_together}, "
                  f"the killed run left {left_by_the_killed_run}, a later run completed {later.completed}")
    assert sum(done_together) + later.completed == total
    assert repo.auto_complete().completed == 0, "a run after everything is done must change nothing"
    charged_twice = database.scalar(
        "SELECT count(*) FROM (SELECT session_id FROM tutor.package_ledger GROUP BY session_id HAVING count(*) > 1) x")
    assert charged_twice == 0, f"{charged_twice} sessions were consumed more than once"
    assert database.scalar("SELECT count(DISTINCT session_id) FROM tutor.package_ledger") == total
    assert sum(repo.get_package(p).sessions_used for p in packages) == total
    assert repo.reconcile() == []
