"""The privilege matrix: every staff group against every function and table of the schema, checked against the
table below by calling and reading as a real login of that group. Not allowed is SQLSTATE 42501, always."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from tutor_desktop.domain import StaffRole

GROUPS = (StaffRole.TUTOR, StaffRole.FRONT_DESK, StaffRole.ADMIN)
EVERYONE = frozenset(GROUPS)
DESK = frozenset({StaffRole.FRONT_DESK, StaffRole.ADMIN})
ADMIN = frozenset({StaffRole.ADMIN})
NOBODY: frozenset = frozenset()

_ID = str(uuid.UUID(int=7))
_VERIFIER = "not-a-verifier"

# function -> (a call with arguments that change nothing even where allowed, who may execute it)
FUNCTIONS: dict[str, tuple[str, frozenset]] = {
    "use_session": (f"SELECT * FROM tutor.use_session('{_ID}')", DESK),
    "reinstate_session": (f"SELECT * FROM tutor.reinstate_session('{_ID}', NULL, 'r')", DESK),
    "set_session_status": (f"SELECT * FROM tutor.set_session_status('{_ID}', 'done')", EVERYONE),
    "set_session_notes": (f"SELECT tutor.set_session_notes('{_ID}', 'n')", EVERYONE),
    "session_package": (f"SELECT tutor.session_package('{_ID}')", EVERYONE),
    "reschedule_session": (f"SELECT * FROM tutor.reschedule_session('{_ID}', now(), now() + interval '1 hour', 'UTC')", DESK),
    "auto_complete_sessions": ("SELECT * FROM tutor.auto_complete_sessions('2000-01-01')", DESK),
    "add_staff": ("SELECT tutor.add_staff('', 'tutor')", ADMIN),
    "create_client": ("SELECT tutor.create_client('')", DESK),
    "update_client": ("SELECT tutor.update_client(-1, 'x', NULL, NULL, NULL)", DESK),
    "sell_package": ("SELECT tutor.sell_package(-1, 'x', 5)", DESK),
    "cancel_package": (f"SELECT * FROM tutor.cancel_package('{_ID}')", DESK),
    "change_package_expiry": (f"SELECT * FROM tutor.change_package_expiry('{_ID}', NULL)", DESK),
    "book_session": ("SELECT * FROM tutor.book_session(-1, -1, now(), now() + interval '1 hour', 'UTC')", DESK),
    "reconcile": ("SELECT * FROM tutor.reconcile()", DESK),
    "schedule_conflicts": ("SELECT * FROM tutor.schedule_conflicts()", DESK),
    "create_staff_account": (f"SELECT tutor.create_staff_account('x', 'tutor', '', '{_VERIFIER}')", ADMIN),
    "deactivate_staff": ("SELECT tutor.deactivate_staff(-1)", ADMIN),
    "reset_staff_password": (f"SELECT tutor.reset_staff_password(-1, '{_VERIFIER}')", ADMIN),
    "claim_empty_studio": ("SELECT tutor.claim_empty_studio('x')", ADMIN),
    "set_studio_setting": ("SELECT tutor.set_studio_setting('', '1')", ADMIN),
    "prune_requests": ("SELECT tutor.prune_requests()", ADMIN),
    "viewer_scope": ("SELECT tutor.viewer_scope()", EVERYONE),
    "viewer_staff_id": ("SELECT tutor.viewer_staff_id()", EVERYONE),
    "studio_is_empty": ("SELECT tutor.studio_is_empty()", EVERYONE),
    "set_staff_teaches": ("SELECT tutor.set_staff_teaches(-1, true)", ADMIN),
    "import_clients": ("SELECT tutor.import_clients('[]', true)", DESK),
    "import_packages": ("SELECT tutor.import_packages('[]', 'UTC', true)", DESK),
    "add_catalogue_item": ("SELECT tutor.add_catalogue_item('', 1, 1)", ADMIN),
    "update_catalogue_item": ("SELECT tutor.update_catalogue_item(-1, '', 1, 1, NULL, true)", ADMIN),
    "set_currency": ("SELECT tutor.set_currency('x')", ADMIN),
    "set_tutor_pay_rate": ("SELECT tutor.set_tutor_pay_rate(-1, 1)", ADMIN),
    "set_package_price": (f"SELECT * FROM tutor.set_package_price('{_ID}', -1)", DESK),
    "record_payment": (f"SELECT * FROM tutor.record_payment('{_ID}', 0, 'cash')", DESK),
    "report_tutor_activity": ("SELECT * FROM tutor.report_tutor_activity('2026-01-01', '2026-01-31')", EVERYONE),
    "report_revenue": ("SELECT * FROM tutor.report_revenue('2026-01-01', '2026-01-31')", DESK),
    "report_unused_prepaid": ("SELECT * FROM tutor.report_unused_prepaid()", DESK),
    "report_attendance": ("SELECT * FROM tutor.report_attendance('2026-01-01', '2026-01-31')", DESK),
    "report_needs_attention": ("SELECT * FROM tutor.report_needs_attention()", DESK),
}

# table or view -> who may SELECT all of it. Nobody may INSERT, UPDATE or DELETE anything.
TABLES: dict[str, frozenset] = {
    "staff": DESK,
    "clients": EVERYONE,
    "packages": EVERYONE,
    "sessions": DESK,
    "package_ledger": DESK,
    "package_balances": EVERYONE,
    "staff_directory": EVERYONE,
    "ledger_entries": EVERYONE,
    "package_history": EVERYONE,
    "studio_settings": EVERYONE,
    "audit_log": DESK,
    "requests": NOBODY,
    # Money: a tutor reads none of it.
    "package_catalogue": DESK,
    "package_prices": DESK,
    "payments": DESK,
    "tutor_pay_rates": DESK,
    "package_money": DESK,
    "payment_entries": DESK,
    "change_feed": EVERYONE,  # row security leaves each login what it may see
    "change_feed_pruned": EVERYONE,
}

# The columns that name a login, which a tutor may not read (the rest of those tables they may).
LOGIN_COLUMNS = {"staff": "login_role", "package_ledger": "actor", "sessions": "updated_by"}

VIEWS = {"package_balances", "staff_directory", "ledger_entries", "package_history", "package_money", "payment_entries"}

WRITES = {
    "INSERT": "INSERT INTO tutor.{t} DEFAULT VALUES",
    "UPDATE": "UPDATE tutor.{t} SET {c} = {c}",
    "DELETE": "DELETE FROM tutor.{t}",
}


def sqlstate(url: str, statement: str) -> str | None:
    """Runs the statement as that login in a transaction that is rolled back: None if it ran, else its SQLSTATE."""
    with psycopg.connect(url) as conn:
        try:
            conn.execute(statement).fetchall()
            return None
        except psycopg.Error as error:
            return error.sqlstate
        finally:
            conn.rollback()


@pytest.fixture
def logins(login_as):
    return {role: login_as(role) for role in GROUPS}


def test_the_matrix_names_every_function_and_table(database):
    with database.admin() as conn:
        functions = {r[0] for r in conn.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'tutor' AND p.proname NOT LIKE '\\_%'")}
        tables = {r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'tutor' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')")}
    assert functions == set(FUNCTIONS)
    assert tables == set(TABLES)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_functions(logins, database, function):
    call, allowed = FUNCTIONS[function]
    audit_before = database.scalar("SELECT count(*) FROM tutor.audit_log")
    for role, staff in logins.items():
        state = sqlstate(staff.url, call)
        if role in allowed:
            assert state != "42501", (function, role)
        else:
            assert state == "42501", (function, role, state)
    assert database.scalar("SELECT count(*) FROM tutor.audit_log") == audit_before


@pytest.mark.parametrize("table", sorted(TABLES))
def test_tables(logins, database, table):
    column = database.scalar(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND attidentity = ''"
        " ORDER BY attnum LIMIT 1", (f"tutor.{table}",))
    for role, staff in logins.items():
        state = sqlstate(staff.url, f"SELECT * FROM tutor.{table} LIMIT 1")
        assert state == (None if role in TABLES[table] else "42501"), (table, role, state)
        for verb, statement in WRITES.items():
            assert not database.scalar("SELECT has_table_privilege(%s, %s, %s)", (staff.login, f"tutor.{table}", verb))
            state = sqlstate(staff.url, statement.format(t=table, c=column))
            # A view that cannot be written at all says so (55000) before privileges are checked, and one whose
            # first column is an identity says that it cannot be set (428C9).
            assert state in (("42501", "55000", "428C9") if table in VIEWS else ("42501",)), (table, role, verb, state)


def test_internal_functions_are_executable_by_no_desk(logins, database):
    with database.admin() as conn:
        internal = conn.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'tutor' AND p.proname LIKE '\\_%'").fetchall()
        assert len(internal) > 20
        for (signature,) in internal:
            for staff in logins.values():
                assert not conn.execute(
                    "SELECT has_function_privilege(%s, %s, 'EXECUTE')", (staff.login, signature)).fetchone()[0]
    assert sqlstate(logins[StaffRole.ADMIN].url, "SELECT tutor._first_admin('x', 'y')") == "42501"


@pytest.mark.parametrize("table", sorted(LOGIN_COLUMNS))
def test_a_tutor_reads_every_column_but_the_logins(logins, database, table):
    column = LOGIN_COLUMNS[table]
    others = database.scalar(
        "SELECT string_agg(quote_ident(attname), ', ') FROM pg_attribute WHERE attrelid = %s::regclass"
        " AND attnum > 0 AND NOT attisdropped AND attname <> %s", (f"tutor.{table}", column))
    tutor = logins[StaffRole.TUTOR].url
    assert sqlstate(tutor, f"SELECT {others} FROM tutor.{table}") is None
    assert sqlstate(tutor, f"SELECT {column} FROM tutor.{table}") == "42501"
    for role in (StaffRole.FRONT_DESK, StaffRole.ADMIN):
        assert sqlstate(logins[role].url, f"SELECT {column} FROM tutor.{table}") is None


LARGE_OBJECTS = {
    "lo_from_bytea": "SELECT lo_from_bytea(0, 'secret')",
    "lo_create": "SELECT lo_create(0)",
    "lo_creat": "SELECT lo_creat(-1)",
    "lo_import": "SELECT lo_import('/etc/hostname')",
    "lo_put": "SELECT lo_put(1, 0, 'x')",
    "lo_open": "SELECT lo_open(1, 131072)",
    "loread": "SELECT loread(0, 1)",
    "lo_unlink": "SELECT lo_unlink(1)",
}


@pytest.mark.parametrize("function", sorted(LARGE_OBJECTS))
def test_no_login_stores_large_objects(logins, database, function):
    for staff in logins.values():
        assert sqlstate(staff.url, LARGE_OBJECTS[function]) == "42501", (function, staff.login)
    assert database.scalar("SELECT count(*) FROM pg_largeobject_metadata") == 0


def test_every_view_a_desk_reads_is_a_security_barrier_or_runs_as_the_reader(database):
    options = dict(database.scalar(
        "SELECT coalesce(jsonb_object_agg(c.relname, coalesce(c.reloptions, '{}')), '{}') FROM pg_class c"
        " WHERE c.relnamespace = 'tutor'::regnamespace AND c.relkind = 'v'"))
    assert set(options) == VIEWS
    for view, opts in options.items():
        assert {"security_barrier=true", "security_invoker=true"} & set(opts), view
