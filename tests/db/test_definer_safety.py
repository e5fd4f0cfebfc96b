"""The definer functions cannot be steered: pinned search_path, no EXECUTE for PUBLIC, an owner that cannot
log in, no schema on their path an app role can create objects in, and temporary objects that shadow what the
functions use change nothing. Every ledger and audit row names the login that made it."""

from __future__ import annotations

import psycopg
import pytest

from tutor_desktop.domain import SessionStatus, StaffRole

from .conftest import hours_from_now

APP_ROLES = ("tutor_app", "tutor_desk_tutor", "tutor_desk_front_desk", "tutor_desk_admin")


def test_definer_functions_pin_search_path_and_the_owner_is_powerless_to_log_in(database, login_as):
    staff = login_as(StaffRole.ADMIN)
    with database.admin() as conn:
        rows = conn.execute(
            "SELECT p.proname, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE')"
            "  FROM pg_proc p WHERE p.prosecdef AND pg_get_userbyid(p.proowner) IN ('tutor_owner')"
            "    OR p.pronamespace = 'tutor'::regnamespace").fetchall()
        schemas = set()
        for name, config, public_exec in rows:
            paths = [c.removeprefix("search_path=") for c in config or [] if c.startswith("search_path=")]
            assert paths and paths[0].split(", ")[-1] == "pg_temp", name  # pg_temp last: it cannot shadow
            assert not public_exec, name
            schemas.update(s for s in paths[0].split(", ") if s != "pg_temp")
        assert schemas == {"tutor"}
        owner = conn.execute("SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'tutor_owner'")
        assert owner.fetchone() == (False, False, False)
        for role in (*APP_ROLES, staff.login):
            for schema in schemas:
                assert not conn.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", (role, schema)).fetchone()[0]
            assert not conn.execute("SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb FROM pg_roles"
                                    " WHERE rolname = %s", (role,)).fetchone()[0], role


def test_temporary_objects_do_not_change_what_the_functions_touch(repo, studio, login_as, database):
    package = repo.sell_package(studio.client, "Ten", 10)
    desk = login_as(StaffRole.FRONT_DESK)
    tutor = login_as(StaffRole.TUTOR)
    with psycopg.connect(tutor.url, autocommit=True) as conn:
        # A tutor makes themselves look like an admin and a package with room, in their own temp schema.
        conn.execute("CREATE TEMP TABLE staff AS SELECT * FROM tutor.staff_directory")
        conn.execute("UPDATE pg_temp.staff SET role = 'admin'")
        conn.execute("CREATE FUNCTION pg_temp._require_staff(VARIADIC text[]) RETURNS int LANGUAGE sql AS 'SELECT 1'")
        conn.execute("CREATE FUNCTION pg_temp._actor() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        conn.execute("SET search_path = pg_temp, tutor")
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT tutor.add_staff('Friend', 'admin')")
        assert refused.value.sqlstate == "42501"
        [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(-2), hours_from_now(-1), package, time_zone="UTC")
        with pytest.raises(psycopg.Error) as refused:
            conn.execute("SELECT * FROM tutor.set_session_status(%s, 'done')", (session,))
        assert refused.value.sqlstate == "TD420"
    with psycopg.connect(desk.url, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE packages (LIKE tutor.packages)")
        conn.execute("CREATE TEMP TABLE package_ledger (LIKE tutor.package_ledger)")
        conn.execute("SET search_path = pg_temp, tutor")
        row = conn.execute("SELECT applied, sessions_used FROM tutor.use_session(%s)", (package,)).fetchone()
        assert row == (True, 1)
        assert conn.execute("SELECT count(*) FROM pg_temp.package_ledger").fetchone()[0] == 0
    assert repo.get_package(package).sessions_used == 1
    assert [e.actor for e in repo.ledger_for_package(package)] == [desk.login]
    assert database.scalar("SELECT count(*) FROM tutor.staff WHERE display_name = 'Friend'") == 0


def test_ledger_and_audit_name_the_login_of_every_change(repo, studio, login_as, database):
    desk, tutor = login_as(StaffRole.FRONT_DESK), login_as(StaffRole.TUTOR)
    admin_login = repo.current_staff().login_role

    def by(login, action):  # noqa: ANN001, ANN202
        marks = database.scalar("SELECT row((SELECT max(id) FROM tutor.audit_log),"
                                " (SELECT coalesce(max(id), 0) FROM tutor.package_ledger))::text")
        action()
        with database.admin() as conn:
            audit_max, ledger_max = (int(x) for x in marks.strip("()").split(","))
            written = conn.execute(
                "SELECT actor FROM tutor.audit_log WHERE id > %s UNION ALL"
                " SELECT actor FROM tutor.package_ledger WHERE id > %s", (audit_max, ledger_max)).fetchall()
        assert written and {a for (a,) in written} == {login}

    client = studio.client
    package = desk.repo.sell_package(client, "Ten", 10)
    by(desk.login, lambda: desk.repo.use_session(package, reason="Trial"))
    [session] = repo.book_session(client, tutor.staff_id, hours_from_now(-2), hours_from_now(-1), package, time_zone="UTC")
    by(tutor.login, lambda: tutor.repo.set_session_status(session, SessionStatus.DONE))
    by(desk.login, lambda: desk.repo.set_session_status(session, SessionStatus.NO_SHOW_TUTOR))
    by(admin_login, lambda: repo.reinstate_session(package))
    repo.book_session(client, tutor.staff_id, hours_from_now(-4), hours_from_now(-3), package, time_zone="UTC")
    by(desk.login, lambda: desk.repo.auto_complete())
    by(admin_login, lambda: repo.create_staff_account("Zoe", StaffRole.TUTOR, f"{tutor.login}_z", "long enough"))
    database.admin().execute("DROP ROLE IF EXISTS " + f"{tutor.login}_z")
