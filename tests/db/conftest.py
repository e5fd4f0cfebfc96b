"""Real PostgreSQL for the database tests: the embedded server (or the server named by TUTOR_DESKTOP_TEST_DSN,
an admin URL, to check a plain PostgreSQL 15+), one template database with the migrations applied and an
admin staff account for the tests' desk login, and a fresh database cloned from it for every test."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tutor_desktop.db.bootstrap import create_first_admin, ensure_app_login
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.migrations import apply_migrations
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import StaffRole

TEMPLATE = "tutor_test_template"
APP_ROLE = "tutor_test_desk"  # the desk login of `repo`: mapped to the admin "Test Admin" in the template
STAFF_PASSWORD = "Correct-Horse-7-Battery"
_counter = itertools.count()


def with_database(url: str, database: str, user: str | None = None, password: str | None = None) -> str:
    u = make_url(url).set(database=database)
    if user:
        u = u.set(username=user, password=password)
    return u.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory):
    """Superuser URL of the server the tests run on."""
    external = os.environ.get("TUTOR_DESKTOP_TEST_DSN")
    if external:
        yield external
        return
    from tutor_desktop.db.embedded import EmbeddedServer

    server = EmbeddedServer(Path(tmp_path_factory.mktemp("embedded")))
    server.start()
    try:
        yield server.superuser_url()
    finally:
        server.stop()


def recreate_database(admin_url: str, name: str, template: str | None = None) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        conn.execute(create)


@pytest.fixture(scope="session")
def template_url(server_url: str) -> str:
    recreate_database(server_url, TEMPLATE)
    url = with_database(server_url, TEMPLATE)
    apply_migrations(url)
    ensure_app_login(url, APP_ROLE)
    with psycopg.connect(url, autocommit=True) as conn:  # for a server that checks passwords
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(APP_ROLE), sql.Literal(STAFF_PASSWORD)))
    create_first_admin(url, "Test Admin", APP_ROLE)
    return url


@dataclass(frozen=True)
class TestDatabase:
    name: str
    admin_url: str  # superuser: for inspecting and for what the app may not do
    app_url: str  # the desk's login: in the admin group, mapped to the active admin "Test Admin"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.admin_url, autocommit=True)

    def scalar(self, query: str, params: tuple = ()):  # noqa: ANN201 - any value
        with self.admin() as conn:
            return conn.execute(query, params).fetchone()[0]


@pytest.fixture
def database(server_url: str, template_url: str):
    name = f"tutor_test_{os.getpid()}_{next(_counter)}"
    recreate_database(server_url, name, TEMPLATE)
    yield TestDatabase(name, with_database(server_url, name), with_database(server_url, name, APP_ROLE, STAFF_PASSWORD))
    try:
        strangers = _rows_not_written_by_staff(with_database(server_url, name))
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    assert strangers == [], "ledger or audit rows written under a login that is no staff account"


def _rows_not_written_by_staff(url: str) -> list:
    """Whatever a test did: every ledger and audit row names a staff login or a superuser (session_user)."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(
                "SELECT actor FROM tutor.audit_log UNION SELECT actor FROM tutor.package_ledger EXCEPT"
                " (SELECT login_role FROM tutor.staff UNION SELECT rolname FROM pg_roles WHERE rolsuper)").fetchall()
    except psycopg.Error:  # a test that took the server or the schema away has nothing left to check
        return []


@pytest.fixture
def repo(database: TestDatabase):
    engine = make_engine(database.app_url, pool_size=8)
    yield Repository(engine)
    engine.dispose()


@dataclass(frozen=True)
class StaffLogin:
    """A staff member with their own login (password, SCRAM where the server asks for one)."""

    staff_id: int
    login: str
    url: str
    repo: Repository


@pytest.fixture
def login_as(server_url: str, database: TestDatabase, repo: Repository):
    """login_as(StaffRole.TUTOR) -> a new staff account of that role, created by the admin, and its desk."""
    made: list[StaffLogin] = []

    def login(role: StaffRole, name: str | None = None) -> StaffLogin:
        name_on_server = f"td_{role}_{uuid.uuid4().hex[:10]}"
        staff_id = repo.create_staff_account(name or f"{role} {len(made) + 1}", role, name_on_server, STAFF_PASSWORD)
        url = with_database(server_url, database.name, name_on_server, STAFF_PASSWORD)
        made.append(StaffLogin(staff_id, name_on_server, url, Repository(make_engine(url, pool_size=2))))
        return made[-1]

    yield login
    for staff in made:
        staff.repo.close()
    with psycopg.connect(server_url, autocommit=True) as conn:
        for staff in made:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(staff.login)))


LoginAs = Callable[[StaffRole], StaffLogin]


@dataclass(frozen=True)
class Studio:
    tutor: int
    client: int


@pytest.fixture
def studio(repo: Repository) -> Studio:
    return Studio(repo.add_staff("Test Tutor", StaffRole.TUTOR), repo.create_client("Test Client"))


def hours_from_now(hours: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(hours=hours)


def book_days_ahead(repo: Repository, studio: Studio, package, *days: int) -> list:  # noqa: ANN001 - a package id
    """Books the studio's client with its tutor on `package`, one hour `days` days from now each; the ids."""
    ids = []
    for d in days:
        start = hours_from_now(24 * d)
        ids += repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), package,
                                 time_zone="UTC")
    return ids
