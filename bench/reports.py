"""Reports: each report over a whole year of the 200,000-session studio (bench/calendar_week.py builds it), with
prices on every package, 20,000 payments and refunds, pay rates, no-shows and cancellations; through the
repository as a front-desk desk reads it, and the index that serves each (EXPLAIN of its main scan).

    uv run python bench/reports.py [--dsn ADMIN_URL] [--quick]
"""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg
from calendar_week import WEEKS, seed
from common import APP_LOGIN, Section, Target, arguments, ms, percentile, server  # noqa: I001

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import Period

PAYMENTS = 20_000
TARGET = 0.300

# The main scan of each report, as its SQL function runs it, for EXPLAIN (the functions' own plans are hidden).
MAIN_SCANS = {
    "tutor activity": "SELECT s.tutor_id, s.status, sum(s.ends_at - s.starts_at) FROM tutor.sessions s"
                      " WHERE s.starts_at >= %(a)s AND s.starts_at < %(b)s GROUP BY 1, 2",
    "revenue": "SELECT y.method, sum(y.amount) FROM tutor.payments y WHERE y.paid_on BETWEEN %(a)s::date"
               " AND %(b)s::date GROUP BY 1 UNION ALL SELECT NULL, count(*) FROM tutor.packages p"
               " WHERE p.purchased_at >= %(a)s AND p.purchased_at < %(b)s",
    "unused prepaid (26 weeks ago)": "SELECT l.package_id, sum(l.delta) FROM tutor.package_ledger l"
                                   " WHERE l.created_at <= %(a)s GROUP BY l.package_id",
    "attendance": "SELECT s.client_id, count(*) FROM tutor.sessions s WHERE s.starts_at >= %(a)s"
                  " AND s.starts_at < %(b)s AND s.status IN ('done', 'no_show_student', 'no_show_tutor')"
                  " GROUP BY GROUPING SETS ((s.client_id), (s.tutor_id))",
    "needs attention": "SELECT p.id, (SELECT count(*) FROM tutor.sessions s WHERE s.package_id = p.id"
                       " AND s.status = 'scheduled'), (SELECT sum(amount) FROM tutor.payments y"
                       " WHERE y.package_id = p.id) FROM tutor.packages p WHERE p.status = 'active'",
}


def add_money(admin_url: str, first, payments: int) -> None:  # noqa: ANN001
    """Prices, payments spread over the 100 weeks (one in twenty a refund), pay rates, some no-shows and
    cancellations; ledger rows dated across the weeks as if they were written when each session was marked."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("INSERT INTO tutor.package_prices (package_id, price) SELECT id, sessions_total * 45"
                     " FROM tutor.packages")
        conn.execute(
            "INSERT INTO tutor.payments (package_id, amount, method, paid_on, note)"
            " SELECT p.id, CASE WHEN n %% 20 = 0 THEN -10 ELSE 50 END,"
            "        (ARRAY['cash', 'card', 'bank_transfer', 'other'])[1 + n %% 4],"
            "        (%s::timestamptz + n * %s * interval '1 second')::date,"
            "        CASE WHEN n %% 20 = 0 THEN 'refund' ELSE '' END"
            "   FROM generate_series(0, %s - 1) n"
            "   JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM tutor.packages) p"
            "     ON p.k = n %% (SELECT count(*) FROM tutor.packages)",
            (first, WEEKS * 7 * 86400 / payments, payments))
        # Statements without parameters: a % is a %.
        conn.execute("INSERT INTO tutor.tutor_pay_rates (staff_id, amount, per)"
                     " SELECT id, 30, CASE WHEN id % 2 = 0 THEN 'session' ELSE 'hour' END FROM tutor.staff")
        conn.execute("UPDATE tutor.sessions SET status = 'no_show_student' WHERE status = 'done'"
                     " AND abs(hashtext(id::text)) % 12 = 0")
        conn.execute("UPDATE tutor.sessions SET status = 'cancelled' WHERE status = 'scheduled'"
                     " AND abs(hashtext(id::text)) % 15 = 0")
        conn.execute("UPDATE tutor.package_ledger l SET created_at = s.ends_at + interval '1 hour'"
                     " FROM tutor.sessions s WHERE s.id = l.session_id")
        conn.execute("VACUUM ANALYZE")


def explain(admin_url: str, statement: str, a, b) -> str:  # noqa: ANN001
    with psycopg.connect(admin_url) as conn:
        plan = [line for (line,) in conn.execute("EXPLAIN (COSTS OFF) " + statement, {"a": a, "b": b})]
    scans = [line.strip().removeprefix("->  ") for line in plan if "Scan" in line]
    return "; ".join(f"`{s}`" for s in dict.fromkeys(scans))


def run(srv, quick: bool = False) -> Section:  # noqa: ANN001
    sessions = 20_000 if quick else 200_000
    admin_url, desk_url = srv.fresh_database("reports")
    first = seed(admin_url, sessions)
    add_money(admin_url, first, PAYMENTS // 10 if quick else PAYMENTS)
    create_first_admin(admin_url, "Front Desk", APP_LOGIN)
    year = Period((first + timedelta(weeks=WEEKS // 2 - 26)).date(), (first + timedelta(weeks=WEEKS // 2 + 26)).date())
    half_a_year_ago = first + timedelta(weeks=WEEKS // 2 - 26)
    engine = make_engine(desk_url, pool_size=1)
    rows, targets, plans = [], [], []
    try:
        repo = Repository(engine)
        calls = {
            "tutor activity": lambda: repo.report_tutor_activity(year, "UTC"),
            "revenue": lambda: repo.report_revenue(year, "UTC"),
            "unused prepaid (now)": lambda: repo.report_unused_prepaid(),
            "unused prepaid (26 weeks ago)": lambda: repo.report_unused_prepaid(half_a_year_ago),
            "attendance": lambda: repo.report_attendance(year, "UTC"),
            "needs attention": lambda: repo.report_needs_attention(),
        }
        for label, call in calls.items():
            call()  # warm the cache and the connection
            times, shown = [], 0
            for _ in range(3 if quick else 20):
                started = time.perf_counter()
                shown = len(call())
                times.append(time.perf_counter() - started)
            if shown == 0:
                raise RuntimeError(f"{label}: no rows; the figures would measure an empty report")
            p50, p99 = percentile(times, 50), percentile(times, 99)
            rows.append([label, f"{shown:,}", ms(p50), ms(p99), ms(max(times))])
            print(" | ".join(rows[-1]), flush=True)
            targets.append(Target(f"{label} under 300 ms", f"max {ms(max(times))}", max(times) < TARGET))
            if label in MAIN_SCANS:
                start = half_a_year_ago if "ago" in label else first + timedelta(weeks=WEEKS // 2 - 26)
                plans.append(f"- {label}: " + explain(admin_url, MAIN_SCANS[label], start, start + timedelta(weeks=52)))
        month = first + timedelta(weeks=WEEKS // 2)
        plans.append("- tutor activity over one month, for comparison: "
                     + explain(admin_url, MAIN_SCANS["tutor activity"], month, month + timedelta(days=31)))
    finally:
        engine.dispose()
    return Section(
        title="Reports",
        intro=(f"The calendar's studio ({sessions:,} sessions over {WEEKS} weeks, 2,000 packages, the past half "
               f"done and in the ledger, one in twelve a student no-show, one in fifteen upcoming cancelled) with a "
               f"price on every package, {PAYMENTS // 10 if quick else PAYMENTS:,} payments and refunds and a pay "
               "rate per tutor. Each report over one whole year (52 weeks around today; unused prepaid now and as it "
               "stood 26 weeks ago), through the repository as a front-desk login reads it (row security on), "
               "including turning rows into records; 20 runs each, warm cache."),
        headers=["report", "rows", "p50", "p99", "max"],
        rows=rows,
        targets=targets,
        notes=("The scan that serves each report's main statement (EXPLAIN as the superuser):\n\n" + "\n".join(plans)
               + "\n\nA year is about half of this studio's sessions: there the planner reads `sessions` whole, "
               "which is cheaper than half of it through an index, and a shorter period takes "
               "`sessions_starts_idx (starts_at)` (the month above). Payments by day are found through "
               "`payments_paid_on_idx (paid_on)`, packages sold through `packages_purchased_idx (purchased_at)` "
               "(both added for the reports). The ledger as it stood at a past moment is an index-only scan of "
               "`package_ledger_created_idx (created_at) INCLUDE (package_id, delta)`. Needs attention reads the "
               "packages whole (one row a client here), counts each one's booked sessions through "
               "`sessions_pending_package_idx (package_id) WHERE status = 'scheduled'` and sums its payments through "
               "`payments_package_idx (package_id, id)`. Each report is one statement inside its SQL function; the "
               "plans above are of its main scan written out, since a function's own plan is not shown by EXPLAIN."),
    )


if __name__ == "__main__":
    args = arguments(__doc__.splitlines()[0])
    with server(args.dsn) as srv:
        run(srv, args.quick).print()
