"""The server crashes in the middle of a burst (pg_ctl stop -m immediate) and comes back.

The same repository reconnects by itself; every operation it acknowledged is in the ledger, none twice, and the
counters agree with the ledger. Desks that turn synchronous_commit off acknowledge commits that are not yet on
disk, and the same check finds them missing after the crash."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from sqlalchemy import event

from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository

from .desks import new_ids, until_answered
from .postmaster import crash, start_again

DESKS = 4
PER_DESK = 400
CRASH_AFTER = 300  # acknowledged operations


def relax_durability(engine) -> None:  # noqa: ANN001
    @event.listens_for(engine, "connect")
    def _no_wait_for_disk(dbapi_connection, _record) -> None:  # noqa: ANN001
        with dbapi_connection.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
        dbapi_connection.commit()


@pytest.mark.parametrize("durable", [True, pytest.param(False, marks=pytest.mark.xfail(
    strict=True, reason="with synchronous_commit off a crash loses acknowledged commits"))])
def test_a_crash_mid_burst_loses_no_acknowledged_operation(app_data_dir, durable, request, report_figure):
    db = open_embedded(app_data_dir)
    pgdata = app_data_dir / "pgdata"
    engine = make_engine(db.app_url, pool_size=DESKS)
    if not durable:
        relax_durability(engine)
    desk = Repository(engine)
    try:
        packages = [desk.sell_package(desk.create_client(f"Crash {i}"), "Big", 1000) for i in range(DESKS)]
        acknowledged: list[tuple] = []
        enough = threading.Event()

        def work(d: int) -> None:
            for request_id in new_ids(PER_DESK):
                until_answered(lambda: desk.use_session(packages[d], request_id))
                acknowledged.append((request_id, time.monotonic()))
                if len(acknowledged) >= CRASH_AFTER:
                    enough.set()

        with ThreadPoolExecutor(DESKS) as pool:
            burst = [pool.submit(work, d) for d in range(DESKS)]
            assert enough.wait(60), "the burst never got going"
            crash(pgdata)
            crashed_at = time.monotonic()
            time.sleep(0.5)
            start_again(pgdata)
            back_at = time.monotonic()
            for f in burst:
                f.result(timeout=120)

        before_crash = sum(1 for _, at in acknowledged if at < crashed_at)
        after_restart = sum(1 for _, at in acknowledged if at > back_at)
        report_figure(f"{request.node.name}: {len(acknowledged)} acknowledged, {before_crash} before the crash, "
                      f"{after_restart} after the restart, server down {back_at - crashed_at:.1f} s")
        assert after_restart > 0, "the repository did not reconnect by itself"
        with psycopg.connect(db.admin_url, autocommit=True) as conn:
            # Only this test's packages: the data folder is shared with the other crash tests.
            in_ledger = {r for (r,) in conn.execute(
                "SELECT request_id FROM tutor.package_ledger WHERE package_id = ANY(%s)", (packages,))}
            used = conn.execute(
                "SELECT sum(sessions_used) FROM tutor.packages WHERE id = ANY(%s)", (packages,)).fetchone()[0]
        missing = [r for r, _ in acknowledged if r not in in_ledger]
        assert len(missing) == 0, f"{len(missing)} acknowledged operations are missing after the crash"
        assert used == len(acknowledged), f"{used - len(acknowledged)} duplicates"
        assert [m for m in desk.reconcile() if m.package_id in packages] == []
    finally:
        engine.dispose()
        db.close()
