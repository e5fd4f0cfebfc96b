"""Every time a function accepts lies in one window (2000..2099), sessions last at most 12 hours, packages are
not bought in the future nor sold expired: odd values are refused with a person's message, and afterwards every
row of every table can still be read by the driver."""

from __future__ import annotations

import psycopg
import pytest

from tutor_desktop.domain import TutorDeskError

from .conftest import hours_from_now

ODD_TIMES = ["infinity", "-infinity", "9999-12-20 10:00+00", "10000-01-01 00:00+00", "1900-01-01 00:00+00",
             "NaN", "not a time", "2100-01-01 00:00+00", "1999-12-31 23:59+00"]


def _calls(studio, package, session):  # noqa: ANN001, ANN202 - (sql, params) that must each be refused
    c, t = studio.client, studio.tutor
    soon = hours_from_now(1).isoformat()
    for odd in ODD_TIMES:
        yield "SELECT * FROM tutor.book_session(:c, :t, CAST(:x AS timestamptz), CAST(:x AS timestamptz) + interval '1 hour', 'UTC')", {"c": c, "t": t, "x": odd}
        yield "SELECT * FROM tutor.book_session(:c, :t, CAST(:s AS timestamptz), CAST(:x AS timestamptz), 'UTC')", {"c": c, "t": t, "s": soon, "x": odd}
        yield "SELECT * FROM tutor.reschedule_session(:id, CAST(:s AS timestamptz), CAST(:x AS timestamptz), 'UTC')", {"id": session, "s": soon, "x": odd}
        yield "SELECT tutor.sell_package(:c, 'Odd', 5, CAST(:x AS timestamptz))", {"c": c, "x": odd}
        yield "SELECT tutor.sell_package(:c, 'Odd', 5, NULL, CAST(:x AS timestamptz))", {"c": c, "x": odd}
        yield "SELECT * FROM tutor.change_package_expiry(:p, CAST(:x AS timestamptz))", {"p": package, "x": odd}
        if odd not in ("-infinity", "1900-01-01 00:00+00", "1999-12-31 23:59+00"):  # a cut-off in the past is fine
            yield "SELECT * FROM tutor.auto_complete_sessions(CAST(:x AS timestamptz))", {"x": odd}
    start = "2099-12-20 10:00+00"  # a series from near the end of the window runs out of it
    yield "SELECT * FROM tutor.book_session(:c, :t, CAST(:x AS timestamptz), CAST(:x AS timestamptz) + interval '1 hour', 'UTC', NULL, 4)", {"c": c, "t": t, "x": start}
    for repeats in ("105", "-1", "2147483647", "1000000000000"):
        yield "SELECT * FROM tutor.book_session(:c, :t, now(), now() + interval '1 hour', 'UTC', NULL, CAST(:n AS int))", {"c": c, "t": t, "n": repeats}
    for length in ("-1 hour", "0", "12 hours 1 second", "30 days"):
        yield "SELECT * FROM tutor.book_session(:c, :t, now(), now() + CAST(:l AS interval), 'UTC')", {"c": c, "t": t, "l": length}
        yield "SELECT * FROM tutor.reschedule_session(:id, now() + interval '1 day', now() + interval '1 day' + CAST(:l AS interval), 'UTC')", {"id": session, "l": length}
    yield "SELECT tutor.sell_package(:c, 'Future', 5, NULL, now() + interval '1 day')", {"c": c}
    yield "SELECT tutor.sell_package(:c, 'Expired', 5, now() - interval '1 hour', now() - interval '1 day')", {"c": c}
    yield "SELECT tutor.sell_package(:c, 'Huge', CAST(:n AS int))", {"c": c, "n": "1000000000000"}


def test_odd_values_are_refused_with_a_message_and_everything_stays_readable(repo, studio, database):
    package = repo.sell_package(studio.client, "Five", 5)
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(5), hours_from_now(6), package,
                                  time_zone="UTC")
    refused = 0
    for statement, params in _calls(studio, package, session):
        with pytest.raises(TutorDeskError) as error:
            repo.rows(statement, params)
        message = error.value.message
        assert message and "\n" not in message and "Traceback" not in message and "tutor." not in message, message
        refused += 1
    assert refused >= 76
    with psycopg.connect(database.admin_url) as conn:  # the driver reads every row of every table
        tables = [r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'tutor'::regnamespace AND relkind IN ('r', 'v')")]
        for table in tables:
            conn.execute(f"SELECT * FROM tutor.{table}").fetchall()
    assert len(repo.studio_packages()) == 1 and len(repo.sessions_for_client(studio.client)) == 1


def test_the_tables_refuse_times_outside_the_window_too(database, studio, repo):
    package = repo.sell_package(studio.client, "Five", 5)
    repo.book_session(studio.client, studio.tutor, hours_from_now(5), hours_from_now(6), package, time_zone="UTC")
    with psycopg.connect(database.admin_url, autocommit=True) as conn:
        for statement in ("UPDATE tutor.packages SET expires_at = 'infinity'",
                          "UPDATE tutor.packages SET purchased_at = '1900-01-01'",
                          "UPDATE tutor.sessions SET ends_at = 'infinity'"):
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute(statement)
