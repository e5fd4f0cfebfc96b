"""Moves a studio from this computer's embedded database to a studio server: every row copied with its ids (so
the ledger, the audit log and the sessions stay linked), the local admin given a login of the server, the copy
checked there (reconcile empty, every count equal) before it is committed, and the local studio then marked as
moved, its data left as it was."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from tutor_desktop.db.bootstrap import _only_member_of, group_role
from tutor_desktop.db.engine import with_login
from tutor_desktop.db.errors import translate
from tutor_desktop.db.migrations import apply_migrations, connect
from tutor_desktop.db.passwords import check_password, scram_verifier
from tutor_desktop.domain import DatabaseUnavailable, InvalidInput, MoveOutcome, NotAllowed, StaffRole

# In the order their foreign keys need. Request ids are not copied: they guard replays of calls in flight.
TABLES = ("staff", "clients", "packages", "sessions", "package_ledger", "audit_log", "studio_settings",
          "package_catalogue", "package_prices", "payments", "tutor_pay_rates")
_IDENTITY_TABLES = ("staff", "clients", "package_ledger", "audit_log", "package_catalogue", "payments")
# Columns that name the login that did something; the local admin's login becomes their login on the server.
_ACTOR_COLUMNS = (("package_ledger", "actor"), ("audit_log", "actor"), ("sessions", "updated_by"), ("payments", "actor"))
MOVED_SETTING = "moved_to_server"
# Which rows of a table are the studio's: all, but for the mark of an earlier move, which belongs to this computer.
_ROWS = {"studio_settings": sql.SQL(" WHERE key <> {}").format(sql.Literal(MOVED_SETTING))}


def server_label(url: str) -> str:
    """host:port/database, without logins or passwords."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return f"{host}{parts.path}"


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    return {t: conn.execute(sql.SQL("SELECT count(*) FROM tutor.{}{}").format(
                sql.Identifier(t), _ROWS.get(t, sql.SQL("")))).fetchone()[0] for t in TABLES} | {
        "sessions used": conn.execute("SELECT coalesce(sum(sessions_used), 0) FROM tutor.packages").fetchone()[0]}


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped"
        " ORDER BY attnum", (f"tutor.{table}",))]


def held_studio(conn: psycopg.Connection) -> str | None:
    """What a target database already holds of a studio, in words; None if nothing."""
    if conn.execute("SELECT to_regclass('tutor.staff')").fetchone()[0] is None:
        return None
    staff, clients, packages = conn.execute(
        "SELECT (SELECT count(*) FROM tutor.staff), (SELECT count(*) FROM tutor.clients),"
        " (SELECT count(*) FROM tutor.packages)").fetchone()
    if staff or clients or packages:
        return f"{clients} clients, {packages} packages and {staff} staff members"
    return None


def _check_target(conn: psycopg.Connection) -> None:
    if not conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user").fetchone()[0]:
        raise InvalidInput("Moving to a server needs a superuser URL of it (for example postgresql://postgres@host/"
                           "studio): the move creates the schema and the admin's login.")
    held = held_studio(conn)
    if held:
        raise NotAllowed(f"That database already holds a studio ({held}). Moving there would mix two studios; "
                         "choose an empty database.")


def _admin_login(target: psycopg.Connection, login: str, password: str) -> str | None:
    """The verifier to create the login with, or None when the server has it already."""
    check_password(password)
    if target.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
        if target.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (login,)).fetchone()[0]:
            raise InvalidInput(f"{login} is a superuser of the server; choose a login of its own for the admin.")
        return None
    target.execute("SELECT tutor._check_login_name(%s)", (login,))
    return scram_verifier(target, password, login)


def _copy_tables(source: psycopg.Connection, target: psycopg.Connection) -> None:
    for table in TABLES:
        columns = _columns(source, table)
        missing = set(columns) - set(_columns(target, table))
        if missing:
            raise InvalidInput(f"The server's schema lacks {', '.join(sorted(missing))} of {table}; "
                               "update Tutor Desk on the server first.")
        names = sql.SQL(", ").join(map(sql.Identifier, columns))
        out_sql = sql.SQL("COPY (SELECT {} FROM tutor.{}{}) TO STDOUT").format(
            names, sql.Identifier(table), _ROWS.get(table, sql.SQL("")))
        in_sql = sql.SQL("COPY tutor.{} ({}) FROM STDIN").format(sql.Identifier(table), names)
        with source.cursor().copy(out_sql) as out, target.cursor().copy(in_sql) as into:
            for chunk in out:
                into.write(chunk)
    for table in _IDENTITY_TABLES:
        target.execute(sql.SQL(
            "SELECT setval(pg_get_serial_sequence({0}, 'id'), coalesce(max(id), 0) + 1, false) FROM tutor.{1}").format(
            sql.Literal(f"tutor.{table}"), sql.Identifier(table)))


def _map_logins(target: psycopg.Connection, local_login: str, server_login: str) -> tuple[list[str], list[str]]:
    """The local admin's staff row and history now name their server login. Every other active staff member's
    login is created on the server under the same name (so their history stays theirs), unable to sign in until an
    admin sets its password (Reset password). A name the server already uses for a role is not
    taken over: that staff member is let go of their login. Returns (waiting for a password, let go)."""
    if not target.execute("UPDATE tutor.staff SET login_role = %s WHERE login_role = %s", (server_login, local_login)
                          ).rowcount:
        raise InvalidInput(f"No staff member of this studio logs in as {local_login}; the admin cannot be mapped.")
    for table, column in _ACTOR_COLUMNS:
        target.execute(sql.SQL("UPDATE tutor.{0} SET {1} = %s WHERE {1} = %s").format(
            sql.Identifier(table), sql.Identifier(column)), (server_login, local_login))
    waiting, dropped = [], []
    for staff_id, name, login, role in target.execute(
            "SELECT id, display_name, login_role, role FROM tutor.staff"
            " WHERE login_role IS NOT NULL AND login_role <> %s AND active ORDER BY display_name, id",
            (server_login,)).fetchall():
        if target.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            target.execute("UPDATE tutor.staff SET login_role = NULL WHERE id = %s", (staff_id,))
            dropped.append(name)
        else:
            # No sign-in until an admin sets a password (reset_staff_password makes it a LOGIN then).
            target.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(login)))
            _member_of_group(target, login, StaffRole(role))
            waiting.append(name)
    target.execute("UPDATE tutor.staff SET login_role = NULL WHERE login_role IS NOT NULL AND NOT active"
                   " AND login_role <> %s", (server_login,))
    return waiting, dropped


def _member_of_group(target: psycopg.Connection, login: str, role: StaffRole) -> None:
    _only_member_of(target, login, group_role(role))
    if target.info.server_version >= 160000:  # from 16 the owner needs ADMIN on a login to manage it
        target.execute(sql.SQL("GRANT {} TO tutor_owner WITH ADMIN TRUE, INHERIT FALSE, SET FALSE").format(
            sql.Identifier(login)))


def _create_login(target: psycopg.Connection, login: str, verifier: str | None) -> None:
    if verifier is not None:
        target.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(login), sql.Literal(verifier)))
    _member_of_group(target, login, StaffRole.ADMIN)


def _verify(target: psycopg.Connection, expected: dict[str, int]) -> None:
    mismatches = target.execute("SELECT count(*) FROM tutor.reconcile()").fetchone()[0]
    if mismatches:
        raise InvalidInput(f"On the server {mismatches} packages' counts differ from their ledger; nothing was moved.")
    found = _counts(target)
    if found != expected:
        differ = ", ".join(f"{k} {expected[k]} here, {found[k]} there" for k in expected if found[k] != expected[k])
        raise InvalidInput(f"The copy on the server differs ({differ}); nothing was moved.")


def _login_works(target_admin_url: str, login: str, password: str) -> None:
    try:
        psycopg.connect(with_login(target_admin_url, login, password), connect_timeout=5).close()
    except psycopg.OperationalError:
        raise InvalidInput(f"The server did not accept that password for {login}; nothing was moved.") from None


def move_to_server(source_admin_url: str, target_admin_url: str, local_login: str, server_login: str,
                   password: str) -> MoveOutcome:
    """Copies the studio of `source_admin_url` (a superuser URL of the embedded server) into the empty database
    of `target_admin_url` (a superuser URL of the server) in one transaction there, and marks the source moved."""
    try:
        with connect(target_admin_url) as target:
            _check_target(target)
        apply_migrations(target_admin_url)
        with connect(source_admin_url) as source, connect(target_admin_url) as target:
            source.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            expected = _counts(source)
            with target.transaction():
                target.execute("LOCK TABLE tutor.staff, tutor.clients, tutor.packages IN EXCLUSIVE MODE")
                _check_target(target)
                verifier = _admin_login(target, server_login, password)
                if verifier is None:
                    _login_works(target_admin_url, server_login, password)
                _copy_tables(source, target)
                waiting, dropped = _map_logins(target, local_login, server_login)
                _create_login(target, server_login, verifier)
                _verify(target, expected)
            source.execute("COMMIT")
            desk_url = with_login(target_admin_url, server_login, None)
            mark_moved(source, server_label(target_admin_url), server_login)
        return MoveOutcome(expected, server_login, desk_url, tuple(dropped), tuple(waiting))
    except psycopg.OperationalError as error:
        raise DatabaseUnavailable(f"The server cannot be reached: {str(error).strip().splitlines()[-1]}") from None
    except psycopg.Error as error:
        raise (translate(error) or error) from None


def mark_moved(source: psycopg.Connection, server_label: str, login: str) -> None:
    value = {"server": server_label, "login": login, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    source.execute("SELECT tutor.set_studio_setting(%s, %s::jsonb)", (MOVED_SETTING, json.dumps(value)))


def moved_to(conn: psycopg.Connection) -> str | None:
    """Where and when this studio was moved, in words; None if it was not."""
    row = conn.execute("SELECT value FROM tutor.studio_settings WHERE key = %s", (MOVED_SETTING,)).fetchone()
    if row is None:
        return None
    mark = row[0] if isinstance(row[0], dict) else {}
    return f"{mark.get('server', 'a studio server')} on {str(mark.get('at', ''))[:10]}".strip()
