"""Lost replies: the commit happens, the answer never arrives, the desk asks again.

With a request id per operation the replay returns the first outcome, so every operation counts once. The same
run without request ids counts the retried ones twice: that is what shows the check can fail."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository

from .desks import new_ids, until_answered
from .lossy_proxy import LossyProxy

DESKS = 4
OPERATIONS = 2000
DROP_SHARE = 0.05


def use_without_request_id(desk: Repository, package) -> bool:  # noqa: ANN001 - package id
    return desk.rows("SELECT applied FROM tutor.use_session(:p, NULL, NULL)", {"p": package})[0].applied


@pytest.mark.parametrize("with_request_ids", [True, pytest.param(False, marks=pytest.mark.xfail(
    strict=True, reason="without request ids a retry after a lost reply applies twice"))])
def test_2000_uses_through_a_proxy_that_loses_5_percent_of_commit_replies(
        repo, database, with_request_ids, request, report_figure):
    client = repo.create_client("Lossy Line")
    # Four packages with room to spare, so that every operation can apply: a refusal would hide a duplicate.
    packages = [repo.sell_package(client, f"Big {i}", 1000) for i in range(4)]
    ids = new_ids(OPERATIONS)
    with LossyProxy(database.app_url, DROP_SHARE) as proxy:
        engine = make_engine(proxy.url(database.app_url), pool_size=DESKS)
        desk = Repository(engine)

        def work(d: int) -> list:
            mine = list(enumerate(ids))[d::DESKS]
            if with_request_ids:
                return [r for i, r in mine if until_answered(lambda: desk.use_session(packages[i % 4], r).applied)]
            return [r for i, r in mine if until_answered(lambda: use_without_request_id(desk, packages[i % 4]))]

        started = time.perf_counter()
        try:
            with ThreadPoolExecutor(DESKS) as pool:
                acknowledged = [r for part in pool.map(work, range(DESKS)) for r in part]
        finally:
            engine.dispose()
        elapsed = time.perf_counter() - started
    report_figure(f"{request.node.name}: {OPERATIONS} uses in {elapsed:.1f} s, {proxy.replies_dropped} of "
                  f"{proxy.commits_seen} commit replies lost")
    assert proxy.replies_dropped >= OPERATIONS * DROP_SHARE / 2, "the proxy lost too few replies to prove anything"

    used = sum(repo.get_package(p).sessions_used for p in packages)
    assert len(acknowledged) == OPERATIONS
    assert used - OPERATIONS == 0, f"{used - OPERATIONS} duplicates: {used} sessions used for {OPERATIONS} operations"
    in_ledger = {row[0] for row in _ledger_request_ids(database)}
    missing = [r for r in acknowledged if r not in in_ledger]
    assert len(missing) == 0, f"{len(missing)} acknowledged operations are not in the ledger"
    assert repo.reconcile() == []


def _ledger_request_ids(database) -> list[tuple]:  # noqa: ANN001
    with database.admin() as conn:
        return conn.execute("SELECT request_id FROM tutor.package_ledger").fetchall()
