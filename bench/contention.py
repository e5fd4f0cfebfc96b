"""Contention: N desks (threads, each with its own connection) using sessions through the repository, on one hot
package and spread over 1,000 packages, against a bare single-row UPDATE through psycopg on the same server.

    uv run python bench/contention.py [--dsn ADMIN_URL] [--quick]
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable

import psycopg

from common import APP_LOGIN, Section, Target, arguments, ms, percentile, server  # noqa: I001

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository

DESKS = (1, 8, 32)
PACKAGES = 1000
TARGET_SHARE = 0.60


def seed(admin_url: str) -> tuple[object, list[object]]:
    """One hot package and 1,000 others, with room enough never to run out during the run; the desk login is the
    studio's admin."""
    create_first_admin(admin_url, "Front Desk", APP_LOGIN)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # The app caps a package at 1,000 sessions; the benchmark's own database lifts the cap so that the hot
        # package keeps applying instead of turning into cheaper refusals.
        conn.execute("ALTER TABLE tutor.packages DROP CONSTRAINT packages_sessions_total_check")
        conn.execute("INSERT INTO tutor.clients (full_name) SELECT 'Client ' || n FROM generate_series(0, %s) n",
                     (PACKAGES,))
        ids = [r[0] for r in conn.execute(
            "INSERT INTO tutor.packages (client_id, label, sessions_total)"
            " SELECT id, 'Bench', 100000000 FROM tutor.clients RETURNING id").fetchall()]
        conn.execute("CREATE TABLE public.bare_counter (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)")
        conn.execute("INSERT INTO public.bare_counter (id) SELECT generate_series(0, %s)", (PACKAGES,))
    return ids[0], ids[1:]


def drive(desks: int, seconds: float, make_call: Callable[[int], Callable[[], None]]) -> tuple[float, list[float]]:
    """(calls per second, latencies) of `desks` threads calling for `seconds`, released together."""
    calls = [make_call(d) for d in range(desks)]
    for call in calls:
        call()  # connect and warm up before the clock starts
    barrier = threading.Barrier(desks + 1)
    latencies: list[list[float]] = [[] for _ in range(desks)]
    stop_at = [0.0]

    def desk(d: int) -> None:
        barrier.wait()
        mine, call = latencies[d], calls[d]
        while (now := time.perf_counter()) < stop_at[0]:
            call()
            mine.append(time.perf_counter() - now)

    threads = [threading.Thread(target=desk, args=(d,)) for d in range(desks)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + seconds
    barrier.wait()
    for t in threads:
        t.join()
    flat = [x for part in latencies for x in part]
    return len(flat) / seconds, flat


def bare_update(admin_url: str, hot: bool) -> Callable[[int], Callable[[], None]]:
    def make(_d: int) -> Callable[[], None]:
        conn = psycopg.connect(admin_url, autocommit=True)
        rng = random.Random(_d)
        return lambda: conn.execute("UPDATE public.bare_counter SET n = n + 1 WHERE id = %s",
                                    (0 if hot else rng.randint(1, PACKAGES),))
    return make


def function_call(desk_url: str, hot_package, spread: list, hot: bool) -> Callable[[int], Callable[[], None]]:  # noqa: ANN001
    """The same SQL function the repository calls, straight through psycopg in autocommit: the server's share."""
    def make(d: int) -> Callable[[], None]:
        conn = psycopg.connect(desk_url, autocommit=True)
        rng = random.Random(d)
        return lambda: conn.execute("SELECT * FROM tutor.use_session(%s, %s)",
                                    (hot_package if hot else rng.choice(spread), uuid.uuid4())).fetchall()
    return make


def repository_use(repo: Repository, hot_package, spread: list, hot: bool) -> Callable[[int], Callable[[], None]]:  # noqa: ANN001
    def make(d: int) -> Callable[[], None]:
        rng = random.Random(d)
        return lambda: repo.use_session(hot_package if hot else rng.choice(spread))
    return make


def run(srv, quick: bool = False) -> Section:  # noqa: ANN001
    seconds = 1.0 if quick else 3.0
    admin_url, desk_url = srv.fresh_database("contention")
    hot_package, spread = seed(admin_url)
    rows, hot8, function8 = [], None, None
    for hot in (True, False):
        for desks in DESKS:
            bare_rate, bare_lat = drive(desks, seconds, bare_update(admin_url, hot))
            engine = make_engine(desk_url, pool_size=desks)
            try:
                repo_rate, repo_lat = drive(desks, seconds, repository_use(Repository(engine), hot_package, spread, hot))
            finally:
                engine.dispose()
            function_rate, _ = drive(desks, seconds, function_call(desk_url, hot_package, spread, hot))
            share = repo_rate / bare_rate
            if hot and desks == 8:
                hot8, function8 = share, function_rate / bare_rate
            rows.append([
                "one hot package" if hot else f"spread over {PACKAGES:,}", str(desks),
                f"{repo_rate:,.0f}", ms(percentile(repo_lat, 50)), ms(percentile(repo_lat, 99)),
                f"{bare_rate:,.0f}", ms(percentile(bare_lat, 50)), ms(percentile(bare_lat, 99)), f"{share:.0%}",
                f"{function_rate:,.0f} ({function_rate / bare_rate:.0%})",
            ])
            print(" | ".join(rows[-1]), flush=True)
    return Section(
        title="Contention",
        intro=(f"N desks (threads, each with its own connection) call `use_session` through the repository for "
               f"{seconds:g} s; in the same run, the same threads do a bare single-row "
               "`UPDATE ... SET n = n + 1` through psycopg (autocommit) on the same server: the limit. The last "
               "column calls the same SQL function straight through psycopg in autocommit (no SQLAlchemy, no "
               "pool, no BEGIN/COMMIT round trips): what the server's work costs by itself."),
        headers=["packages", "desks", "repository calls/s", "p50", "p99", "bare UPDATE/s", "p50", "p99",
                 "repository / bare", "function alone/s (/ bare)"],
        rows=rows,
        targets=[Target("8 desks on one hot package: at least 60 % of the bare UPDATE's throughput",
                        f"{hot8:.0%}", hot8 >= TARGET_SHARE)],
        notes="" if hot8 >= TARGET_SHARE else GAP.format(hot8=hot8, function8=function8),
    )


GAP = """
**Why the target is missed, and what it would take.** At 8 desks on one hot package the repository reaches
{hot8:.0%} of the bare UPDATE, and the SQL function called straight through psycopg in autocommit reaches
{function8:.0%}: even with no client overhead at all the server's work stays below 60 %, so the target is out of
reach for this function on this machine; the rest of the gap is the client's.

- *The server.* The bare statement writes one row. `use_session` writes five (the request id's claim, the counter,
  the ledger row, the audit row, the request's outcome) and sends a NOTIFY, and on a hot package every desk queues
  for that package's row lock, which the function holds from its guarded UPDATE until its commit has been written.
  The commit of every transaction that notified also takes PostgreSQL's single notification-queue lock: replacing
  `_announce` by a no-op in a scratch copy of the database raised the function alone by about a fifth on this
  machine (from 39 % to 46 % of the bare UPDATE, at 8 desks in one quiet run). The ledger, the request ids and the
  announcements are what make the count trustworthy and every desk current; they are not up for removal.
- *The client.* A repository call used to check its connection out of the pool with a ping (`pool_pre_ping`, one
  round trip); now only a connection that sat in the pool for more than a second is pinged, and a busy desk's
  connection that died all the same fails as a dropped connection and is retried with the same request id (a
  server killed and restarted under a desk, a unit of work and an unretried ping after a restart were checked by
  hand). What remains is BEGIN, the call and COMMIT, three round trips with the row lock held across the reply
  and the COMMIT, plus SQLAlchemy's own work per call, with 8 threads sharing 2 cores and one GIL.

Running a single call in autocommit (one round trip; the function is one statement, so it stays atomic) was
tried: in one quick run on a busy machine the repository reached 25 % at 8 desks on the hot package, against
39 % for the function alone in the same run. It is not taken: the fault test for lost replies drops the server's reply
to COMMIT, and in autocommit there is no COMMIT, so that test could no longer lose a reply and prove that the
retry with the same request id applies once. Taking it needs that test to drop the reply to the call itself.
Beyond that, what would move the server's share: hold the hot row for less time inside the function (claim the
request and write the ledger and audit rows first, take the package row with the guarded UPDATE last) and batch
the announcements (one NOTIFY per transaction on a coarse channel, or a change-log table the listeners read);
both change the migrations and what every desk listens for. For a desk, {hot8:.0%} means several hundred uses per
second on a single package: far beyond what a front desk clicks.
"""


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    with server(args.dsn) as srv:
        run(srv, args.quick).print()
