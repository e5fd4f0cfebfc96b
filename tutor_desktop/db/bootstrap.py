"""Opens the database the configuration names: a shared server's URL as given, or the embedded server in the
data folder, started (and on first run created) here, with migrations applied and the desk's login role in the
admin group, so the embedded desk runs under the same rules as a studio's."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from tutor_desktop.config import DatabaseChoice
from tutor_desktop.db.current_database import DEFAULT_DATABASE, current_database
from tutor_desktop.db.errors import translate
from tutor_desktop.db.migrations import apply_migrations, connect
from tutor_desktop.db.passwords import scram_verifier
from tutor_desktop.domain import DatabaseUnavailable, InvalidInput, NotAllowed, NotFound, StaffRole

EMBEDDED_DATABASE = DEFAULT_DATABASE  # until a restore switches to the database it restored into
EMBEDDED_APP_ROLE = "tutor_local"


def ensure_database(admin_conninfo: str, name: str) -> None:
    """Creates the database if it is missing."""
    with connect(admin_conninfo) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:  # another desk created it a moment ago
            pass


def group_role(role: StaffRole) -> str:
    """The group role a staff login of this kind is a member of (role names are shared server-wide)."""
    return f"tutor_desk_{StaffRole(role)}"


GROUP_ROLES = tuple(group_role(r) for r in StaffRole)


def ensure_app_login(admin_conninfo: str, role: str, staff_role: StaffRole = StaffRole.ADMIN) -> None:
    """A login role that is a member of exactly one staff group (no password: for the embedded server's trusted
    socket and for tests). It may act once a staff row is mapped to it (create_first_admin)."""
    with connect(admin_conninfo) as conn, conn.transaction():
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        _only_member_of(conn, role, group_role(staff_role))


def _only_member_of(conn: psycopg.Connection, login: str, group: str) -> None:
    for other in ("tutor_app", *GROUP_ROLES):
        if other != group and conn.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", (login, other)).fetchone()[0]:
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), sql.Identifier(login)))
    conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))


def create_first_admin(admin_url: str, display_name: str, login_role: str, *, password: str | None = None) -> int:
    """With a superuser URL: makes login_role the studio's first admin (a staff row mapped to it, the login in
    the admin group). The login must exist, unless a password is given to create it with. Refused (clear
    message, nothing changed) once the studio has an admin."""
    with connect(admin_url) as conn:
        try:
            with conn.transaction():
                if not conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = session_user").fetchone()[0]:
                    raise InvalidInput("Creating the first admin needs a superuser URL (for example postgres).")
                if conn.execute("SELECT EXISTS (SELECT 1 FROM tutor.staff WHERE role = 'admin' AND active"
                                " AND login_role IS NOT NULL)").fetchone()[0]:
                    raise NotAllowed("This studio already has an admin; ask them for an account.")
                exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login_role,)).fetchone()
                if not exists and password is None:
                    raise NotFound(f"There is no login named {login_role} on the server.")
                if not exists:
                    verifier = scram_verifier(conn, password, login_role)
                    conn.execute(sql.SQL("SELECT tutor._check_login_name({})").format(sql.Literal(login_role)))
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(login_role), sql.Literal(verifier)))
                _only_member_of(conn, login_role, group_role(StaffRole.ADMIN))
                if conn.info.server_version >= 160000:
                    # From PostgreSQL 16 the owner needs ADMIN on a login to disable it or reset its password.
                    conn.execute(sql.SQL("GRANT {} TO tutor_owner WITH ADMIN TRUE, INHERIT FALSE, SET FALSE").format(
                        sql.Identifier(login_role)))
                return conn.execute("SELECT tutor._first_admin(%s, %s)", (display_name, login_role)).fetchone()[0]
        except psycopg.Error as error:
            raise (translate(error) or error) from None


@dataclass
class OpenDatabase:
    """What the composition root needs: the URL the repository connects with, and the embedded server to stop."""

    app_url: str
    admin_url: str
    server: object | None = None
    migrations_applied: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what happened on the way that a person should hear

    @property
    def embedded(self) -> bool:
        return self.server is not None

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def open_embedded(data_dir: Path) -> OpenDatabase:
    from tutor_desktop.db.backups.upgrade import record_major, upgrade_if_needed
    from tutor_desktop.db.embedded import EmbeddedServer, EmbeddedServerError

    upgraded = upgrade_if_needed(data_dir, EMBEDDED_APP_ROLE)  # a folder of another PostgreSQL major version
    server = EmbeddedServer(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        server.start()
        record_major(data_dir, server.major)
    except (EmbeddedServerError, OSError) as exc:
        raise DatabaseUnavailable(f"The local database could not start: {exc}") from None
    try:
        name = current_database(data_dir)
        if name == EMBEDDED_DATABASE:
            ensure_database(server.superuser_url(), name)
        admin_url = server.superuser_url(name)
        applied = apply_migrations(admin_url)
        ensure_app_login(admin_url, EMBEDDED_APP_ROLE)
        adopt_existing_studio(admin_url)
    except BaseException:
        server.stop()
        raise
    app_url = admin_url.replace("postgresql://postgres@", f"postgresql://{EMBEDDED_APP_ROLE}@", 1)
    notes = [upgraded.describe()] if upgraded else []
    return OpenDatabase(app_url, admin_url, server, migrations_applied=applied, notes=notes)


def adopt_existing_studio(admin_url: str) -> None:
    """A studio made before staff accounts has records but no admin: its local user becomes the admin."""
    with connect(admin_url) as conn:
        has_records = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM tutor.staff) OR EXISTS (SELECT 1 FROM tutor.clients)").fetchone()[0]
        has_admin = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM tutor.staff WHERE role = 'admin' AND active AND login_role IS NOT NULL)"
        ).fetchone()[0]
    if has_records and not has_admin:
        create_first_admin(admin_url, "Studio Admin", EMBEDDED_APP_ROLE)


def open_database(choice: DatabaseChoice, data_dir: Path, *, upgrade: bool = True) -> OpenDatabase:
    if choice.embedded:
        return open_embedded(data_dir)
    applied = apply_migrations(choice.dsn) if upgrade else []
    return OpenDatabase(choice.dsn, choice.dsn, None, migrations_applied=applied)

