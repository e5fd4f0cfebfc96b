"""session_package: the package a session draws from, answered by the database with the choice _charge_session
makes, and only for a session the reader may see."""

import uuid

from tutor_desktop.domain import SessionStatus as S, StaffRole

from .conftest import hours_from_now


def _session_package(repo, session):
    return repo.rows("SELECT tutor.session_package(:s) AS p", {"s": session})[0].p


def _book(repo, client, tutor, package=None, start=-2):
    [session] = repo.book_session(client, tutor, hours_from_now(start), hours_from_now(start + 1), package, time_zone="UTC")
    return session


def _charged(database, session):
    return database.scalar("SELECT package_id FROM tutor.package_ledger WHERE session_id = %s AND delta = 1"
                           " ORDER BY id DESC LIMIT 1", (session,))


def test_held_then_booked_then_the_package_that_expires_first(repo, studio, database):
    later = repo.sell_package(studio.client, "Later", 5, hours_from_now(24 * 60))
    sooner = repo.sell_package(studio.client, "Sooner", 1, hours_from_now(24 * 30))
    repo.sell_package(studio.client, "No expiry", 5)
    free = _book(repo, studio.client, studio.tutor, start=-4)
    booked = _book(repo, studio.client, studio.tutor, later, start=-2)
    assert _session_package(repo, free) == sooner
    assert _session_package(repo, booked) == later
    # Charged where the read said; the session then holds that package's session.
    repo.set_session_status(free, S.DONE)
    assert _charged(database, free) == sooner
    assert _session_package(repo, free) == sooner
    # Sooner is used up: the next session without a booked package would draw from the later one, and does.
    other = _book(repo, studio.client, studio.tutor, start=-6)
    assert _session_package(repo, other) == later
    repo.set_session_status(other, S.NO_SHOW_STUDENT)
    assert _charged(database, other) == later
    # Given back: the session holds nothing again, and the read looks afresh (Sooner has room again).
    repo.set_session_status(free, S.NO_SHOW_TUTOR)
    assert _session_package(repo, free) == sooner


def test_none_when_nothing_is_usable_or_the_session_is_unknown(repo, studio, database):
    session = _book(repo, studio.client, studio.tutor)
    assert _session_package(repo, session) is None
    expired = repo.sell_package(studio.client, "Old", 5, hours_from_now(1), hours_from_now(-24))
    with database.admin() as conn:  # expired after the session started: it still pays for it
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '1 hour' WHERE id = %s", (expired,))
    assert _session_package(repo, session) == expired
    with database.admin() as conn:  # expired before the session started: it does not
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '3 hours' WHERE id = %s", (expired,))
    assert _session_package(repo, session) is None
    assert _session_package(repo, uuid.uuid4()) is None


def test_a_tutor_learns_only_of_their_own_sessions(repo, studio, login_as):
    tutor, other = login_as(StaffRole.TUTOR), login_as(StaffRole.TUTOR)
    desk = login_as(StaffRole.FRONT_DESK)
    package = repo.sell_package(studio.client, "Five", 5)
    mine = _book(repo, studio.client, tutor.staff_id, start=-2)
    theirs = _book(repo, studio.client, other.staff_id, start=-4)
    assert _session_package(tutor.repo, mine) == package
    assert _session_package(tutor.repo, theirs) is None
    assert _session_package(other.repo, theirs) == package
    assert _session_package(desk.repo, mine) == _session_package(desk.repo, theirs) == package
