"""Databases made before sql/ existed: migrations 001..015 applied (tests/db/data/migrations_before_sql, copied
verbatim as they were), recorded with their checksums by the runner of that time. Such a database upgrades with
its studio, ledger and audit intact, and ends up with the same schema as a database made new."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tutor_desktop.db.bootstrap import ensure_app_login
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.migrations import MIGRATIONS_TABLE, apply_migrations
from tutor_desktop.db.repository import Repository
from tutor_desktop.db.schema_files import load_migrations, load_repeatables
from tutor_desktop.domain import AutoCompleteResult, MigrationError, SessionStatus

from .conftest import APP_ROLE, STAFF_PASSWORD, hours_from_now, recreate_database, with_database

OLD_MIGRATIONS = Path(__file__).parent / "data" / "migrations_before_sql"


def apply_old_migrations(url: str) -> None:
    """What the runner of that time did: each file once, in its own transaction, recorded with its checksum."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {MIGRATIONS_TABLE} (name text PRIMARY KEY, checksum text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT session_user)")
        for path in sorted(OLD_MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
            text = path.read_text(encoding="utf-8")
            with conn.transaction():
                conn.execute(text)
                conn.execute("RESET ROLE")
                conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, checksum) VALUES (%s, %s)",
                             (path.name, hashlib.sha256(text.encode("utf-8")).hexdigest()))
        conn.execute(f"GRANT SELECT ON {MIGRATIONS_TABLE} TO tutor_app")


class OldRepository(Repository):
    """The desk of that time: the by-hand functions had other names and argument orders."""

    def use_session(self, package_id, request_id=None, reason=None):  # noqa: ANN001, ANN201
        return self._old("use_session_with_reason", package_id, request_id, reason)

    def release_session(self, package_id, request_id=None, reason=None):  # noqa: ANN001, ANN201
        return self._old("release_session_with_reason", package_id, request_id, reason)

    def add_staff(self, display_name, role, request_id=None, teaches=None):  # noqa: ANN001, ANN201
        assert teaches is None  # nobody "teaches" yet
        return self.rows("SELECT tutor.add_staff(:n, :role, :r) AS id",
                         {"n": display_name, "role": str(role), "r": request_id or uuid.uuid4()})[0].id

    def change_package_expiry(self, package_id, expires_at, request_id=None, reason=None):  # noqa: ANN001, ANN201
        assert reason is None  # an expiry change had no reason yet
        return self.rows("SELECT * FROM tutor.change_package_expiry(:p, :exp, :r)",
                         {"p": package_id, "exp": expires_at, "r": request_id or uuid.uuid4()})[0]

    def studio_is_empty(self):  # noqa: ANN201
        return not self.rows("SELECT 1 FROM tutor.staff UNION ALL SELECT 1 FROM tutor.clients LIMIT 1")

    def current_staff(self):  # noqa: ANN201
        return self.rows("SELECT id FROM tutor.staff WHERE login_role = session_user AND active")[0]

    def auto_complete(self, before=None):  # noqa: ANN001, ANN201 - its answer had no `skipped` yet
        row = self.rows("SELECT * FROM tutor.auto_complete_sessions()")[0]
        return AutoCompleteResult(row.completed, row.deducted)

    def book_session(self, client_id, tutor_id, starts_at, ends_at, package_id=None, weekly_repeats=0,  # noqa: ANN001, ANN201
                     request_id=None, *, time_zone):  # noqa: ANN001 - the old function had no time zone
        return [r.session_id for r in self.rows(
            "SELECT session_id FROM tutor.book_session(:c, :t, :s, :e, :p, :n, :r)",
            {"c": client_id, "t": tutor_id, "s": starts_at, "e": ends_at, "p": package_id, "n": weekly_repeats,
             "r": request_id or uuid.uuid4()})]

    def reschedule_session(self, session_id, starts_at, ends_at, request_id=None, *, time_zone):  # noqa: ANN001, ANN201
        from tutor_desktop.db.mutations import _status_change
        row = self.rows("SELECT * FROM tutor.reschedule_session(:s, :a, :b, :r)",
                        {"s": session_id, "a": starts_at, "b": ends_at, "r": request_id or uuid.uuid4()})[0]
        return _status_change(session_id, row, row.new_session_id)

    # No money yet: the demo of that time had no catalogue, prices, payments or pay rates.
    def set_tutor_pay_rate(self, *_args, **_kwargs):  # noqa: ANN002, ANN003, ANN201
        return None

    def set_currency(self, code, request_id=None):  # noqa: ANN001, ANN201
        return code

    def add_catalogue_item(self, *_args, **_kwargs):  # noqa: ANN002, ANN003, ANN201
        return None

    def sell_package(self, client_id, label, sessions_total, expires_at=None, purchased_at=None,  # noqa: ANN001, ANN201
                     request_id=None, price=None, catalogue_id=None):  # noqa: ANN001
        return self.rows("SELECT tutor.sell_package(:c, :l, :n, :e, :b, :r) AS id",
                         {"c": client_id, "l": label, "n": sessions_total, "e": expires_at, "b": purchased_at,
                          "r": request_id or uuid.uuid4()})[0].id

    def packages_for_client(self, client_id):  # noqa: ANN001, ANN201 - no payments to record against them
        return []

    def _old(self, function, package_id, request_id, reason):  # noqa: ANN001, ANN202
        return self.rows(f"SELECT * FROM tutor.{function}(:p, :reason, :r)",
                         {"p": package_id, "reason": reason, "r": request_id or uuid.uuid4()})[0]


@pytest.fixture
def old_database(server_url, template_url):
    """(superuser URL, desk URL) of a database at migration 015 of the old layout."""
    name = f"tutor_upgrade_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    recreate_database(server_url, name)
    url = with_database(server_url, name)
    apply_old_migrations(url)
    yield url, with_database(server_url, name, APP_ROLE, STAFF_PASSWORD)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _rows(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


STATE = {
    # (a cancelled or expired package's bookable count is 0 since 021; the rest must not change)
    "balances": "SELECT package_id, client_id, label, status, sessions_used, sessions_total, sessions_remaining,"
                " CASE WHEN status = 'active' AND NOT expired THEN sessions_bookable END"
                " FROM tutor.package_balances ORDER BY package_id",
    "ledger": "SELECT * FROM tutor.package_ledger ORDER BY id",
    "audit": "SELECT * FROM tutor.audit_log ORDER BY id",
    "sessions": "SELECT id, client_id, tutor_id, package_id, starts_at, ends_at, status, tutor_notes, rescheduled_to,"
                " updated_by, updated_at FROM tutor.sessions ORDER BY id",
}


def test_an_old_database_upgrades_without_loss(old_database):
    admin_url, desk_url = old_database
    ensure_app_login(admin_url, APP_ROLE)
    engine = make_engine(desk_url, pool_size=2)
    try:
        old = OldRepository(engine)
        assert load_demo(old).loaded
        client = old.create_client("Upgrade Client")
        package = old.sell_package(client, "Ten", 10)
        tutor = old.current_staff().id
        old.use_session(package, reason="by hand")
        old.use_session(package, reason="and again")
        reinstated = uuid.uuid4()
        assert old.release_session(package, reinstated, "a mistake").applied
        [marked] = old.book_session(client, tutor, hours_from_now(-30), hours_from_now(-29), package, time_zone="UTC")
        assert old.set_session_status(marked, SessionStatus.DONE).reason == "consumed"
        assert old.set_session_status(marked, SessionStatus.NO_SHOW_TUTOR).reason == "given_back"
        empty = old.sell_package(client, "Empty", 5)
        refused = uuid.uuid4()
        assert old.release_session(empty, refused).reason == "nothing_to_release"
        [upcoming] = old.book_session(client, tutor, hours_from_now(24), hours_from_now(25), time_zone="UTC")
        before = {key: _rows(admin_url, query) for key, query in STATE.items()}

        applied = apply_migrations(admin_url)

        assert applied == [m.name for m in load_migrations() if m.name != "015_baseline.sql"] + [
            f"sql/{r.name}" for r in load_repeatables()]
        recorded = {r[0] for r in _rows(admin_url, f"SELECT name FROM {MIGRATIONS_TABLE}")}
        assert {"015_linear_auto_complete.sql", "015_baseline.sql", "016_functions_move_to_sql.sql"} <= recorded
        assert {key: _rows(admin_url, query) for key, query in STATE.items()} == before
        repo = Repository(engine)
        assert repo.reconcile() == []
        # Requests answered before replay under the new names and words, and change nothing.
        replay = repo.reinstate_session(empty, refused)
        assert (replay.applied, replay.reason) == (False, "nothing_to_reinstate")
        assert repo.reinstate_session(package, reinstated).applied
        assert _rows(admin_url, STATE["ledger"]) == before["ledger"]
        # The new functions work on the old data.
        used = repo.use_session(package, reason="after the upgrade")
        assert (used.applied, used.sessions_used) == (True, 2)
        assert repo.rows("SELECT tutor.session_package(:s) AS p", {"s": upcoming})[0].p == package
        assert repo.reinstate_session(package).sessions_used == 1
        assert repo.reconcile() == []
        assert apply_migrations(desk_url) == []
    finally:
        engine.dispose()


CATALOGUE = {
    "functions": """
        SELECT p.oid::regprocedure::text, pg_get_function_result(p.oid), pg_get_functiondef(p.oid), p.prosecdef,
               p.provolatile, p.proconfig, pg_get_userbyid(p.proowner),
               ARRAY(SELECT a::text FROM unnest(p.proacl) a ORDER BY 1)
          FROM pg_proc p WHERE p.pronamespace = 'tutor'::regnamespace ORDER BY 1""",
    "relations": """
        SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, pg_get_userbyid(c.relowner),
               ARRAY(SELECT a::text FROM unnest(c.relacl) a ORDER BY 1),
               CASE c.relkind WHEN 'v' THEN pg_get_viewdef(c.oid) END
          FROM pg_class c WHERE c.relnamespace = 'tutor'::regnamespace ORDER BY 1""",
    "columns": """
        SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity,
               pg_get_expr(d.adbin, d.adrelid)
          FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = 'tutor'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2""",
    "constraints": """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
         WHERE connamespace = 'tutor'::regnamespace ORDER BY 1, 2""",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'tutor' ORDER BY 1, 2",
    "policies": """
        SELECT tablename, policyname, permissive, roles::text[], cmd, qual, with_check FROM pg_policies
         WHERE schemaname = 'tutor' ORDER BY 1, 2""",
    "schema": """
        SELECT nspname, pg_get_userbyid(nspowner), ARRAY(SELECT a::text FROM unnest(nspacl) a ORDER BY 1)
          FROM pg_namespace WHERE nspname = 'tutor'""",
    "types": """
        SELECT t.typname, t.typtype FROM pg_type t WHERE t.typnamespace = 'tutor'::regnamespace ORDER BY 1""",
}


def test_an_upgraded_database_has_the_schema_of_a_new_one(old_database, database):
    admin_url, _ = old_database
    apply_migrations(admin_url)
    for part, query in CATALOGUE.items():
        new, upgraded = _rows(database.admin_url, query), _rows(admin_url, query)
        assert new, part
        assert upgraded == new, part


def test_a_database_that_stopped_before_the_baseline_is_refused(server_url, template_url):
    name = f"tutor_partial_{os.getpid()}"
    recreate_database(server_url, name)
    url = with_database(server_url, name)
    try:
        apply_old_migrations(url)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = '015_linear_auto_complete.sql'")
        with pytest.raises(MigrationError, match="stopped before 015_linear_auto_complete.sql"):
            apply_migrations(url)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

