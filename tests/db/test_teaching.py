"""Who may teach: only active staff who teach can be booked as a session's tutor. A tutor always teaches, the
person who starts a studio teaches, admins and front desk teach when an admin says so."""

from __future__ import annotations

import psycopg
import pytest

from tutor_desktop.domain import InvalidInput, NotAllowed, StaffRole

from .conftest import hours_from_now


def _teaches(repo) -> dict[int, bool]:
    return {s.id: s.teaches for s in repo.list_staff(include_inactive=True)}


def test_who_teaches_by_default(repo, studio, login_as):
    desk = repo.add_staff("Dee", StaffRole.FRONT_DESK)
    boss = repo.add_staff("Bo", StaffRole.ADMIN)
    helper = repo.add_staff("Hal", StaffRole.FRONT_DESK, teaches=True)
    account = login_as(StaffRole.FRONT_DESK)
    teaches = _teaches(repo)
    assert teaches[studio.tutor] and teaches[helper]
    assert not teaches[desk] and not teaches[boss] and not teaches[account.staff_id]
    assert repo.current_staff().teaches  # the first admin, made when the studio was set up


def test_a_tutor_always_teaches(repo, studio, database):
    with pytest.raises(InvalidInput, match="A tutor always teaches"):
        repo.add_staff("Tia", StaffRole.TUTOR, teaches=False)
    with pytest.raises(InvalidInput, match="A tutor always teaches"):
        repo.set_staff_teaches(studio.tutor, False)
    with pytest.raises(psycopg.errors.CheckViolation):
        database.scalar("UPDATE tutor.staff SET teaches = false WHERE id = %s RETURNING id", (studio.tutor,))


def test_only_teaching_staff_can_be_booked(repo, studio):
    desk = repo.add_staff("Dee", StaffRole.FRONT_DESK)
    before = len(repo.sessions_for_client(studio.client))
    with pytest.raises(InvalidInput, match="Dee does not teach"):
        repo.book_session(studio.client, desk, hours_from_now(1), hours_from_now(2), time_zone="UTC")
    repo.set_staff_teaches(desk, True)
    [session] = repo.book_session(studio.client, desk, hours_from_now(1), hours_from_now(2), time_zone="UTC")
    assert _teaches(repo)[desk]
    repo.set_staff_teaches(desk, False)
    # Sessions already booked stay; moving one to a new time books the same person again, and is refused.
    with pytest.raises(InvalidInput, match="Dee does not teach"):
        repo.reschedule_session(session, hours_from_now(3), hours_from_now(4), time_zone="UTC")
    assert len(repo.sessions_for_client(studio.client)) == before + 1


def test_a_deactivated_tutor_cannot_be_booked_or_rescheduled(repo, studio, login_as):
    tutor = login_as(StaffRole.TUTOR, "Tom")
    [session] = repo.book_session(studio.client, tutor.staff_id, hours_from_now(1), hours_from_now(2), time_zone="UTC")
    repo.deactivate_staff(tutor.staff_id)
    with pytest.raises(InvalidInput, match="Tom is deactivated"):
        repo.reschedule_session(session, hours_from_now(3), hours_from_now(4), time_zone="UTC")
    with pytest.raises(Exception, match="no active staff member"):
        repo.book_session(studio.client, tutor.staff_id, hours_from_now(5), hours_from_now(6), time_zone="UTC")


def test_only_an_admin_changes_who_teaches(repo, login_as, database):
    desk = login_as(StaffRole.FRONT_DESK)
    tutor = login_as(StaffRole.TUTOR)
    before = database.scalar("SELECT count(*) FROM tutor.audit_log")
    for other in (desk, tutor):
        with pytest.raises(NotAllowed):
            other.repo.set_staff_teaches(desk.staff_id, True)
    assert database.scalar("SELECT count(*) FROM tutor.audit_log") == before
    request = __import__("uuid").uuid4()
    repo.set_staff_teaches(desk.staff_id, True, request)
    repo.set_staff_teaches(desk.staff_id, True, request)  # a replay changes nothing
    assert database.scalar("SELECT count(*) FROM tutor.audit_log WHERE action = 'set_staff_teaches'") == 1
    assert desk.repo.current_staff().teaches


def test_the_person_who_claims_an_empty_studio_teaches(server_url, template_url):
    from .conftest import APP_ROLE, STAFF_PASSWORD, recreate_database, with_database
    from tutor_desktop.db.engine import make_engine
    from tutor_desktop.db.migrations import apply_migrations
    from tutor_desktop.db.repository import Repository

    name = "tutor_test_claim_teaches"
    recreate_database(server_url, name)
    try:
        apply_migrations(with_database(server_url, name))
        engine = make_engine(with_database(server_url, name, APP_ROLE, STAFF_PASSWORD), pool_size=1)
        repo = Repository(engine)
        assert repo.studio_is_empty()
        me = repo.claim_empty_studio("Solo Tutor")
        assert not repo.studio_is_empty()
        assert repo.current_staff().id == me and repo.current_staff().teaches
        client = repo.create_client("First client")
        assert repo.book_session(client, me, hours_from_now(1), hours_from_now(2), time_zone="UTC")
        engine.dispose()
    finally:
        recreate_database(server_url, name)
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
