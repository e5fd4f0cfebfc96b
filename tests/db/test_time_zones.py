"""A weekly series repeats at the same wall-clock time in the booking desk's IANA zone across daylight-saving
changes, whatever the server's TimeZone; spring gaps are refused, autumn repeats take the earlier time; and a
package that expires after a session started still pays for it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from psycopg import sql

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import InvalidInput, SessionStatus as S
from tutor_desktop.zones import wall_clock

from .conftest import hours_from_now

NY = "America/New_York"


@pytest.fixture(params=["UTC", "Europe/London"])
def server_repo(request, database):
    """A desk whose database (and so every connection) has the server TimeZone of the parameter."""
    with database.admin() as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} SET timezone = {}").format(
            sql.Identifier(database.name), sql.Literal(request.param)))
    engine = make_engine(database.app_url, pool_size=2)
    repo = Repository(engine)
    assert repo.rows("SHOW timezone")[0][0] == request.param
    yield repo
    engine.dispose()


def _series(repo, studio, start, repeats):  # noqa: ANN001, ANN202
    ids = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), None, repeats, time_zone=NY)
    return [repo.get_session(i) for i in ids]


@pytest.mark.parametrize("first,utc_hours", [
    (datetime(2026, 3, 1, 17, 0), [22, 21, 21, 21]),   # clocks go forward on 8 March
    (datetime(2026, 10, 25, 17, 0), [21, 22, 22, 22]),  # and back on 1 November
])
def test_a_new_york_series_keeps_its_wall_clock_time(server_repo, studio, first, utc_hours):
    sessions = _series(server_repo, studio, wall_clock(first, NY), 3)
    local = [s.starts_at.astimezone(ZoneInfo(NY)) for s in sessions]
    assert [(t.hour, t.minute) for t in local] == [(17, 0)] * 4
    assert [t.date() for t in local] == [first.date() + timedelta(weeks=k) for k in range(4)]
    assert [s.starts_at.astimezone(timezone.utc).hour for s in sessions] == utc_hours
    assert all(s.ends_at - s.starts_at == timedelta(hours=1) for s in sessions)
    stored = server_repo.rows("SELECT DISTINCT time_zone, series_id FROM tutor.sessions")
    assert len(stored) == 1 and stored[0].time_zone == NY and stored[0].series_id is not None


def test_a_time_the_clocks_skip_is_refused(server_repo, studio):
    with pytest.raises(InvalidInput, match=r"02:30 on Sun 8 Mar 2026 does not exist in America/New_York"):
        _series(server_repo, studio, wall_clock(datetime(2026, 3, 1, 2, 30), NY), 2)
    with pytest.raises(InvalidInput, match="does not exist"):  # the desk's own conversion, the same rule
        wall_clock(datetime(2026, 3, 8, 2, 30), NY)
    assert server_repo.sessions_for_client(studio.client) == []


def test_a_time_that_happens_twice_is_the_earlier(server_repo, studio):
    sessions = _series(server_repo, studio, wall_clock(datetime(2026, 10, 25, 1, 30), NY), 1)
    assert sessions[1].starts_at == datetime(2026, 11, 1, 5, 30, tzinfo=timezone.utc)  # 01:30 EDT, not EST
    assert wall_clock(datetime(2026, 11, 1, 1, 30), NY) == sessions[1].starts_at


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "EST5EDT+", "../etc/passwd", "x" * 200])
def test_an_unknown_zone_is_refused(repo, studio, zone):
    with pytest.raises(InvalidInput, match="time zone"):
        repo.book_session(studio.client, studio.tutor, hours_from_now(1), hours_from_now(2), time_zone=zone)


def test_expiry_is_judged_at_the_session(repo, studio, database):
    package = repo.sell_package(studio.client, "Five", 5, expires_at=hours_from_now(1), purchased_at=hours_from_now(-24))
    [before] = repo.book_session(studio.client, studio.tutor, hours_from_now(-3), hours_from_now(-2), package,
                                 time_zone="UTC")
    [free] = repo.book_session(studio.client, studio.tutor, hours_from_now(-5), hours_from_now(-4), time_zone="UTC")
    [after] = repo.book_session(studio.client, studio.tutor, hours_from_now(3), hours_from_now(4), package,
                                time_zone="UTC")
    assert repo.get_package(package).sessions_bookable == 4  # the session after the expiry will never use one
    with database.admin() as conn:  # it expires after both past sessions began, before they were marked
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '1 hour' WHERE id = %s", (package,))
    assert repo.set_session_status(before, S.DONE).reason == "consumed"
    assert repo.set_session_status(free, S.DONE).package_id == package
    assert repo.use_session(package).reason == "expired"  # by hand: judged now
    refused = repo.set_session_status(after, S.DONE)
    assert (refused.applied, refused.reason) == (False, "expired")
    assert repo.get_package(package).sessions_used == 2
    assert repo.reconcile() == []
