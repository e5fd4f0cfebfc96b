"""Staff accounts: admins create logins, deactivate them and reset passwords through the functions; bad input
and unknown ids are refused with a message and change nothing; passwords are stored nowhere but as a verifier."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import DatabaseUnavailable, InvalidInput, NotAllowed, NotFound, RequestConflict, StaffRole

from .conftest import STAFF_PASSWORD, with_database


def _state(database) -> str:
    return database.scalar(
        "SELECT row((SELECT string_agg(id || display_name || role || active || coalesce(login_role, ''), ','"
        " ORDER BY id) FROM tutor.staff), (SELECT count(*) FROM tutor.audit_log),"
        " (SELECT count(*) FROM pg_roles))::text")


def test_an_admin_creates_a_login_that_can_act_as_its_role(repo, login_as, database):
    desk = login_as(StaffRole.FRONT_DESK, "Priya")
    me = desk.repo.current_staff()
    assert (me.id, me.display_name, me.role, me.login_role) == (desk.staff_id, "Priya", StaffRole.FRONT_DESK, desk.login)
    assert database.scalar(
        "SELECT array_agg(g.rolname::text ORDER BY g.rolname) FROM pg_auth_members m"
        " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = %s",
        (desk.login,)) == ["tutor_desk_front_desk"]
    assert database.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (desk.login,)).startswith(
        "SCRAM-SHA-256$")
    assert repo.current_staff().role is StaffRole.ADMIN
    assert desk.login in {s.login_role for s in repo.list_staff()}


def test_passwords_are_in_no_record(repo, login_as, database):
    staff = login_as(StaffRole.TUTOR)
    repo.reset_staff_password(staff.staff_id, "Another-Secret-42")
    for table in ("audit_log", "requests", "staff", "package_ledger"):
        text = database.scalar(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM tutor.{table} t")
        assert STAFF_PASSWORD not in text and "Another-Secret-42" not in text and "SCRAM" not in text, table
    actions = [r[0] for r in database.admin().execute("SELECT action FROM tutor.audit_log ORDER BY id")]
    assert actions[-2:] == ["create_staff_account", "reset_staff_password"]


def test_a_deactivated_staff_member_can_neither_log_in_nor_act(repo, login_as, database):
    desk = login_as(StaffRole.FRONT_DESK)
    client = desk.repo.create_client("Before")
    with psycopg.connect(desk.url) as still_open:
        repo.deactivate_staff(desk.staff_id)
        with pytest.raises(psycopg.DatabaseError, match="deactivated") as refused:
            still_open.execute("SELECT tutor.create_client('After')")
        assert refused.value.sqlstate == "TD420"
        still_open.rollback()
        assert still_open.execute("SELECT count(*) FROM tutor.clients").fetchone()[0] == 0
    assert database.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (desk.login,)) is False
    desk.repo.close()
    with pytest.raises(DatabaseUnavailable, match="deactivated"):
        desk.repo.list_clients()
    assert [c.id for c in repo.list_clients()] == [client]
    repo.deactivate_staff(desk.staff_id)  # again: nothing more to do
    assert database.scalar("SELECT count(*) FROM tutor.audit_log WHERE action = 'deactivate_staff'") == 1


def test_an_admin_cannot_lock_the_studio_out(repo, database):
    me = repo.current_staff()
    before = _state(database)
    with pytest.raises(NotAllowed, match="your own account"):
        repo.deactivate_staff(me.id)
    assert _state(database) == before


BAD_ACCOUNTS = [
    (dict(display_name="x" * 121), InvalidInput, "name is too long"),
    (dict(display_name="  "), InvalidInput, "empty or has only spaces"),
    (dict(role="owner"), InvalidInput, "not a staff role"),
    (dict(login_name="x" * 64), InvalidInput, "Login name is too long"),
    (dict(login_name="Robert'); DROP TABLE tutor.staff;--"), InvalidInput, "lower-case letters"),
    (dict(login_name="bad\nname"), InvalidInput, "lower-case letters"),
    (dict(login_name="pg_monitor"), InvalidInput, "reserved"),
    (dict(login_name="tutor_owner"), InvalidInput, "reserved"),
    (dict(login_name="tutor_test_desk"), RequestConflict, "already has a login named"),
    (dict(password="short"), InvalidInput, "at least 8 characters"),
    (dict(password="p" * 201), InvalidInput, "at most 200 characters"),
]


@pytest.mark.parametrize("change, error, message", BAD_ACCOUNTS)
def test_bad_accounts_are_refused_and_change_nothing(repo, database, change, error, message):
    args = dict(display_name="Sam", role=StaffRole.TUTOR, login_name="td_sam_never_made", password="long enough")
    before = _state(database)
    with pytest.raises(error, match=message):
        repo.create_staff_account(**{**args, **change})
    assert _state(database) == before


def test_a_raw_password_is_refused_by_the_function(repo, database):
    before = _state(database)
    with pytest.raises(InvalidInput, match="SCRAM-SHA-256 verifier"):
        repo.rows("SELECT tutor.create_staff_account('Sam', 'tutor', 'td_sam_raw', 'plain-password')")
    assert _state(database) == before


def test_unknown_staff_ids_are_not_found(repo, database):
    before = _state(database)
    with pytest.raises(NotFound, match="no staff member with id 999999"):
        repo.deactivate_staff(999_999)
    with pytest.raises(NotFound, match="no staff member with id 999999"):
        repo.reset_staff_password(999_999, "long enough")
    assert _state(database) == before


def test_a_staff_member_without_a_login_has_no_password(repo, database):
    tess = repo.add_staff("Tess", StaffRole.TUTOR)
    with pytest.raises(InvalidInput, match="Tess has no login"):
        repo.reset_staff_password(tess, "long enough")


def test_a_login_without_a_staff_row_may_not_act(server_url, database):
    login = "td_unmapped_front_desk"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE tutor_desk_front_desk").format(
            sql.Identifier(login), sql.Literal(STAFF_PASSWORD)))
    engine = make_engine(with_database(server_url, database.name, login, STAFF_PASSWORD))
    try:
        stranger = Repository(engine)
        assert stranger.current_staff() is None
        assert stranger.list_clients() == [] and stranger.studio_packages() == []
        with pytest.raises(NotAllowed, match="not a staff account of this studio"):
            stranger.create_client("Someone")
        with pytest.raises(NotAllowed):
            stranger.claim_empty_studio("Me")
    finally:
        engine.dispose()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def test_the_first_admin_is_made_once(database):
    with pytest.raises(NotAllowed, match="already has an admin"):
        create_first_admin(database.admin_url, "Second", "tutor_test_desk")
    with pytest.raises(InvalidInput, match="superuser"):
        create_first_admin(database.app_url, "Me", "tutor_test_desk")
    assert database.scalar("SELECT count(*) FROM tutor.staff WHERE role = 'admin'") == 1


def test_an_empty_studio_is_claimed_only_while_empty(repo, login_as):
    desk = login_as(StaffRole.FRONT_DESK)
    with pytest.raises(NotAllowed, match="not allowed"):
        desk.repo.claim_empty_studio("Me")
    with pytest.raises(NotAllowed, match="not empty"):
        repo.claim_empty_studio("Me again")
