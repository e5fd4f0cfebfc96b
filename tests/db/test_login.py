"""Logging in with a password (SCRAM) on a server that asks for one: a separate embedded server whose pg_hba
wants scram-sha-256 for every login but its superuser, or the server named by TUTOR_DESKTOP_TEST_DSN."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tutor_desktop.db.bootstrap import create_first_admin
from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.migrations import apply_migrations
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import DatabaseUnavailable, NotFound, StaffRole

from .conftest import recreate_database, with_database

SCRAM_ONLY = "local all postgres trust\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"


@pytest.fixture(scope="module")
def password_server(server_url, tmp_path_factory):
    """Superuser URL of a server that checks passwords."""
    if os.environ.get("TUTOR_DESKTOP_TEST_DSN"):
        yield server_url
        return
    from tutor_desktop.db.embedded import EmbeddedServer

    server = EmbeddedServer(Path(tmp_path_factory.mktemp("scram")))
    server.start()
    try:
        hba = server.data_dir / "pgdata" / "pg_hba.conf"
        hba.write_text(SCRAM_ONLY + hba.read_text())
        with psycopg.connect(server.superuser_url(), autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
        yield server.superuser_url()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def studio_db(password_server):
    name = f"tutor_login_{os.getpid()}"
    recreate_database(password_server, name)
    url = with_database(password_server, name)
    apply_migrations(url)
    logins: list[str] = []
    yield url, logins
    with psycopg.connect(password_server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        for login in logins:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def _desk(url: str, login: str, password: str | None) -> Repository:
    return Repository(make_engine(with_database(url, make_url(url).database, login, password), pool_size=1))


def test_password_login_for_admin_and_staff(studio_db):
    url, logins = studio_db
    admin, tutor = f"td_admin_{uuid.uuid4().hex[:8]}", f"td_tutor_{uuid.uuid4().hex[:8]}"
    logins += [admin, tutor]
    with pytest.raises(NotFound, match="no login named"):
        create_first_admin(url, "Owner", admin)  # a login that does not exist, and no password to make it with
    create_first_admin(url, "Owner", admin, password="Right-Password-1")
    desk = _desk(url, admin, "Right-Password-1")
    assert desk.current_staff().display_name == "Owner"
    staff_id = desk.create_staff_account("Tia", StaffRole.TUTOR, tutor, "Tutor-Password-1")
    with psycopg.connect(url) as conn:
        before = conn.execute("SELECT count(*), max(id) FROM tutor.audit_log").fetchone()

    for login, password, message in [
        (admin, "wrong password", "refused the password"),
        (tutor, "Right-Password-1", "refused the password"),
        (tutor, None, "password"),
    ]:
        stranger = _desk(url, login, password)
        with pytest.raises(DatabaseUnavailable, match=message):
            stranger.current_staff()
        stranger.close()

    assert _desk(url, tutor, "Tutor-Password-1").current_staff().id == staff_id
    desk.reset_staff_password(staff_id, "Tutor-Password-2")
    with pytest.raises(DatabaseUnavailable, match="refused the password"):
        _desk(url, tutor, "Tutor-Password-1").current_staff()
    assert _desk(url, tutor, "Tutor-Password-2").current_staff().id == staff_id
    desk.deactivate_staff(staff_id)
    with pytest.raises(DatabaseUnavailable, match="deactivated"):
        _desk(url, tutor, "Tutor-Password-2").current_staff()
    with psycopg.connect(url) as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM tutor.audit_log WHERE id > %s ORDER BY id",
                                              (before[1],))]
    assert actions == ["reset_staff_password", "deactivate_staff"]  # failed logins changed nothing


def _command(url: str, login: str, stdin: int, stderr: int, tmp_path: Path) -> subprocess.Popen:
    """`tutor-desktop packages` as a person runs it against the server, with the login and no password."""
    env = {**os.environ, "TUTOR_DESKTOP_DATA_DIR": str(tmp_path / "data"),
           "TUTOR_DESKTOP_CONFIG_DIR": str(tmp_path / "config")}
    for name in ("TUTOR_DESKTOP_DSN", "PGPASSWORD", "TUTOR_DESKTOP_PASSWORD"):
        env.pop(name, None)
    dsn = with_login(url, login, None)  # the login alone: no password of anybody else's travels along
    return subprocess.Popen([sys.executable, "-m", "tutor_desktop", "packages", "--dsn", dsn], stdin=stdin,
                            stdout=subprocess.PIPE, stderr=stderr, env=env, text=True, start_new_session=True)


def test_the_command_line_asks_for_the_password_in_a_terminal_and_says_how_without_one(password_server, tmp_path):
    name, login = f"tutor_cli_{os.getpid()}", f"td_cli_{uuid.uuid4().hex[:8]}"
    recreate_database(password_server, name)
    url = with_database(password_server, name)
    apply_migrations(url)
    create_first_admin(url, "Cli Admin", login, password="Cli-Password-1")
    try:
        _asks_in_a_terminal(url, login, tmp_path)
    finally:
        with psycopg.connect(password_server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def _asks_in_a_terminal(url: str, login: str, tmp_path: Path) -> None:
    without = _command(url, login, subprocess.DEVNULL, subprocess.PIPE, tmp_path)
    out, err = without.communicate(timeout=60)
    assert without.returncode == 2 and "Traceback" not in err
    assert "asks for a password" in err and "PGPASSWORD" in err

    main, terminal = os.openpty()
    child = _command(url, login, terminal, terminal, tmp_path)
    os.close(terminal)
    shown, deadline = b"", time.monotonic() + 60
    while b"Password for " + login.encode() not in shown and time.monotonic() < deadline:
        if select.select([main], [], [], 1)[0]:
            shown += os.read(main, 1024)
    assert b"Password for " + login.encode() in shown, shown
    os.write(main, b"Cli-Password-1\n")
    out, _ = child.communicate(timeout=60)
    os.close(main)
    assert child.returncode == 0 and "No packages yet." in out
