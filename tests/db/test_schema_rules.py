"""The rules of the database itself: migrations once and checksummed, definer functions locked down, the app's
role unable to write tables (what changed is in the change feed: test_change_feed.py)."""

from __future__ import annotations

import shutil
import threading

import psycopg
import pytest

from tutor_desktop.db.migrations import apply_migrations, migrations_dir, sql_dir
from tutor_desktop.domain import MigrationError, NotAllowed

from .conftest import recreate_database, with_database


def test_applying_again_does_nothing(database):
    assert apply_migrations(database.admin_url) == []
    names = [r[0] for r in database.admin().execute("SELECT name FROM public.tutor_schema_migrations ORDER BY name")]
    assert names == sorted(p.name for p in migrations_dir().glob("*.sql"))


def test_an_applied_file_that_changed_is_refused(database, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder)
    edited = sorted(folder.glob("*.sql"))[0]
    edited.write_text(edited.read_text() + "\n-- edited\n")
    with pytest.raises(MigrationError, match=f"{edited.name} was changed after it was applied"):
        apply_migrations(database.admin_url, folder)


def test_a_failing_migration_is_rolled_back_and_named(database, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder)
    (folder / "999_broken.sql").write_text("CREATE TABLE tutor.half_done (id int);\nSELECT * FROM no_such_table;\n")
    with pytest.raises(MigrationError, match="999_broken.sql failed"):
        apply_migrations(database.admin_url, folder)
    assert database.scalar("SELECT to_regclass('tutor.half_done')") is None


def test_two_desks_migrating_at_once_apply_each_file_once(server_url):
    recreate_database(server_url, "tutor_race")
    url = with_database(server_url, "tutor_race")
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def desk() -> None:
        barrier.wait()
        results.append(apply_migrations(url))

    threads = [threading.Thread(target=desk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    applied = sorted(results, key=len)
    assert applied[0] == [] and len(applied[1]) == len(list(migrations_dir().glob("*.sql"))) + len(
        list(sql_dir().glob("*.sql")))
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE tutor_race WITH (FORCE)")


def test_every_definer_function_pins_search_path_and_is_not_public(database):
    rows = database.admin().execute(
        "SELECT p.proname, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE'),"
        "       pg_get_userbyid(p.proowner)"
        "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'tutor'"
    ).fetchall()
    definers = [r for r in rows if r[0][0] != "_"]
    assert len(definers) >= 15
    for name, config, public_exec, owner in rows:
        assert config is not None and "search_path=tutor, pg_temp" in config, name
        assert not public_exec, name
        assert owner == "tutor_owner", name
    owner = database.admin().execute(
        "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'tutor_owner'").fetchone()
    assert owner == (False, False, False)


@pytest.mark.parametrize("statement", [
    "UPDATE tutor.packages SET sessions_used = 0",
    "INSERT INTO tutor.package_ledger (package_id, delta, kind) SELECT id, 1, 'manual_use' FROM tutor.packages",
    "DELETE FROM tutor.audit_log",
    "UPDATE tutor.sessions SET status = 'done'",
    "SELECT * FROM tutor._take_one(gen_random_uuid())",
])
def test_the_app_role_cannot_write_tables_or_call_internals(repo, studio, statement):
    repo.sell_package(studio.client, "Five", 5)
    with pytest.raises(NotAllowed):
        repo.rows(statement)


def test_a_desk_login_checks_the_schema_but_cannot_upgrade_it(database, tmp_path):
    assert apply_migrations(database.app_url) == []
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder)
    (folder / "999_new.sql").write_text("CREATE TABLE tutor.extra (id int);\n")
    with pytest.raises(MigrationError, match="cannot be upgraded with this login"):
        apply_migrations(database.app_url, folder)


def test_staff_groups_may_execute_exactly_definer_functions(database):
    rows = database.admin().execute(
        "SELECT p.proname, p.prosecdef,"
        "       bool_or(has_function_privilege(g, p.oid, 'EXECUTE')) FILTER (WHERE g <> 'tutor_app')"
        "  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,"
        "       unnest(ARRAY['tutor_app', 'tutor_desk_tutor', 'tutor_desk_front_desk', 'tutor_desk_admin']) AS g"
        " WHERE n.nspname = 'tutor' GROUP BY p.proname, p.prosecdef").fetchall()
    for name, definer, executable in rows:
        assert executable == definer == (not name.startswith("_")), name


def test_a_function_added_later_is_executable_by_nobody_until_granted(database):
    with database.admin() as conn:
        conn.execute("SET ROLE tutor_owner")
        conn.execute("CREATE FUNCTION tutor._later() RETURNS int LANGUAGE sql AS 'SELECT 1'")
        conn.execute("RESET ROLE")
        assert conn.execute("SELECT has_function_privilege('tutor_app', 'tutor._later()', 'EXECUTE')").fetchone()[0] is False


def test_the_sql_files_are_applied_again_when_one_changes(database, tmp_path):
    folder = tmp_path / "sql"
    shutil.copytree(sql_dir(), folder)
    assert apply_migrations(database.admin_url, sql_folder=folder) == []
    edited = folder / "04_balances.sql"
    edited.write_text(edited.read_text().replace(
        "-- Every package whose counter differs from its ledger. Always empty.",
        "-- Every package whose counter differs from its ledger. Always empty.\n"
        "COMMENT ON SCHEMA tutor IS 'edited';"))
    # A desk only reads: it cannot re-apply them, and says so.
    with pytest.raises(MigrationError, match="cannot be upgraded with this login"):
        apply_migrations(database.app_url, sql_folder=folder)
    applied = apply_migrations(database.admin_url, sql_folder=folder)
    assert applied == [f"sql/{p.name}" for p in sorted(folder.glob("*.sql"))]
    assert database.scalar("SELECT obj_description('tutor'::regnamespace)") == "edited"
    assert apply_migrations(database.admin_url, sql_folder=folder) == []
    assert apply_migrations(database.app_url, sql_folder=folder) == []
    # Applying them again kept every grant: a desk still works.
    assert database.scalar("SELECT has_function_privilege('tutor_desk_front_desk', 'tutor.use_session(uuid, uuid, text)',"
                           " 'EXECUTE')")


def test_a_failing_sql_file_is_rolled_back_with_the_migrations_before_it(database, tmp_path):
    migrations, folder = tmp_path / "migrations", tmp_path / "sql"
    shutil.copytree(migrations_dir(), migrations)
    shutil.copytree(sql_dir(), folder)
    (migrations / "999_new.sql").write_text("CREATE TABLE tutor.extra (id int);\n")
    (folder / "99_broken.sql").write_text("SELECT * FROM no_such_table;\n")
    with pytest.raises(MigrationError, match="sql/99_broken.sql failed"):
        apply_migrations(database.admin_url, migrations, folder)
    assert database.scalar("SELECT to_regclass('tutor.extra')") is None


def test_an_older_desk_never_puts_its_older_functions_back(database, tmp_path):
    folder = tmp_path / "sql"
    shutil.copytree(sql_dir(), folder)
    edited = folder / "04_balances.sql"
    edited.write_text(edited.read_text() + "\nCOMMENT ON SCHEMA tutor IS 'newer';\n")
    assert apply_migrations(database.admin_url, sql_folder=folder, version="99.0")  # a newer app upgraded it
    with pytest.raises(MigrationError, match="brought up to date by Tutor Desk 99.0; this desk runs 0.1"):
        apply_migrations(database.admin_url, version="0.1.0")  # this app's sql/ differs: it must not apply it
    assert database.scalar("SELECT obj_description('tutor'::regnamespace)") == "newer"
    assert apply_migrations(database.admin_url, sql_folder=folder, version="99.0") == []
