"""The tutor-desktop command, run as a user runs it: a separate process on its own embedded database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import psycopg
import pytest
from psycopg import sql

from .conftest import recreate_database, with_database


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "TUTOR_DESKTOP_DATA_DIR": str(home / "data"), "TUTOR_DESKTOP_CONFIG_DIR": str(home / "config")}
    env.pop("TUTOR_DESKTOP_DSN", None)

    def run(*args: str, dsn_env: str | None = None, password: str | None = None,
            pgpassword: str | None = None) -> subprocess.CompletedProcess:
        run_env = dict(env, **({"TUTOR_DESKTOP_DSN": dsn_env} if dsn_env else {}))
        run_env.pop("TUTOR_DESKTOP_PASSWORD", None)
        run_env.pop("PGPASSWORD", None)
        if password is not None:
            run_env["TUTOR_DESKTOP_PASSWORD"] = password
        if pgpassword is not None:  # a server login's password, as a script gives it
            run_env["PGPASSWORD"] = pgpassword
        return subprocess.run([sys.executable, "-m", "tutor_desktop", *args], env=run_env, capture_output=True,
                              text=True, timeout=120)

    return run


def assert_one_line_error(result: subprocess.CompletedProcess, pattern: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("Running as root")]
    assert len(lines) == 1 and re.search(pattern, lines[0]), result.stderr


def test_first_start_loads_the_demo_once_and_reconciles(cli):
    first = cli("overview")
    assert first.returncode == 0, first.stderr
    assert "demo studio was loaded" in first.stdout
    assert "Amelia Hart" in first.stdout and "expired" in first.stdout and "used up" in first.stdout
    again = cli("demo")
    assert again.returncode == 0 and "not loaded again" in again.stdout
    assert cli("packages").stdout == first.stdout.split("\n\n", 1)[1]
    reconcile = cli("reconcile")
    assert (reconcile.returncode, reconcile.stdout.strip()) == (0, "No mismatches: every counter equals its ledger.")


def test_the_local_user_is_the_embedded_studios_admin(cli):
    listing = cli("staff", "list")
    assert listing.returncode == 0
    assert re.search(r"Studio Admin +admin +tutor_local +yes", listing.stdout), listing.stdout
    assert re.search(r"Priya Nair +front_desk +- +no +yes", listing.stdout)


def test_db_commands_and_autocomplete(cli):
    url = cli("db", "url")
    assert url.returncode == 0 and url.stdout.startswith("postgresql://tutor_local@/tutor_desk?host=")
    assert cli("db", "upgrade").stdout.strip() == "Database is up to date."
    done = cli("autocomplete", "--before", "2000-01-01T00:00")
    assert (done.returncode, done.stdout.strip()) == (0, "completed 0 sessions, used 0 package sessions, "
                                                         "skipped 0 held by another desk (a later run completes them)")
    pruned = cli("prune")
    assert (pruned.returncode, pruned.stdout.strip()) == (0, "removed 0 request ids older than 7 days")


def test_use_and_reinstate_by_package_id(cli):
    package = re.search(r"Amelia Hart .* ([0-9a-f-]{36})", cli("packages").stdout).group(1)
    used = cli("use", package, "--reason", "Trial")
    assert used.returncode == 0 and re.fullmatch(r"Used one session\. \d+ of 10 left \(\d+ used\)\.\n", used.stdout)
    back = cli("reinstate", package)
    assert back.returncode == 0 and back.stdout.startswith("Reinstated one session.")
    assert cli("reconcile").returncode == 0


def test_an_empty_shared_server_is_not_filled_with_the_demo(cli, database):
    result = cli("--dsn", database.admin_url, "overview")
    assert (result.returncode, result.stdout.strip()) == (0, "No packages yet.")
    assert database.scalar("SELECT count(*) FROM tutor.clients") == 0


def test_reconcile_exits_1_on_a_mismatch(cli, database):
    with database.admin() as conn:
        conn.execute("INSERT INTO tutor.clients (full_name) VALUES ('X')")
        conn.execute("INSERT INTO tutor.packages (client_id, label, sessions_total, sessions_used) VALUES (1, 'X', 5, 2)")
    result = cli("reconcile", "--dsn", database.admin_url)
    assert result.returncode == 1 and "counter 2, ledger 0" in result.stdout


BAD_INPUT = [
    (("--dsn", "mysql://x@y/z", "reconcile"), "Not a PostgreSQL URL"),
    (("--dsn", "postgresql://nobody@127.0.0.1:1/studio", "reconcile"), "does not answer"),
    (("--dsn", "postgresql://nobody@127.0.0.1:99999/studio", "reconcile"), "Not a PostgreSQL URL"),
    (("use", "not-an-id"), "is not an id"),
    (("use", str(uuid.UUID(int=7))), "no package with id"),
    (("mark", str(uuid.UUID(int=7)), "done"), "no session with id"),
    (("mark", str(uuid.UUID(int=7)), "finished"), "not a session status"),
    (("autocomplete", "--before", "yesterday"), "not a date and time"),
]


def test_bad_input_is_one_line_and_changes_nothing(cli):
    before = cli("packages").stdout
    for args, message in BAD_INPUT:
        assert_one_line_error(cli(*args), message)
    assert cli("packages").stdout == before


def test_dsn_from_the_environment_is_used(cli):
    assert_one_line_error(cli("reconcile", dsn_env="postgresql://nobody@127.0.0.1:1/studio"), "does not answer")


def test_staff_commands_on_a_shared_server(cli, database):
    login = f"td_cli_{uuid.uuid4().hex[:8]}"
    dsn = ("--dsn", database.admin_url)
    try:
        made = cli("staff", "add", "--name", "Maya Okafor", "--role", "tutor", "--login", login, *dsn,
                   password="Maya-Password-1")
        assert made.returncode == 0, made.stderr
        staff_id = re.search(r"staff id (\d+)", made.stdout).group(1)
        assert re.search(rf"{staff_id} +Maya Okafor +tutor +{login} +yes +yes", cli("staff", "list", *dsn).stdout)
        assert_one_line_error(cli("staff", "teaches", staff_id, "no", *dsn), "A tutor always teaches")
        reset = cli("staff", "reset-password", staff_id, *dsn, password="Maya-Password-2")
        assert reset.returncode == 0 and "was changed" in reset.stdout
        assert cli("staff", "deactivate", staff_id, *dsn).returncode == 0
        assert "Maya" not in cli("staff", "list", *dsn).stdout
        assert re.search(rf"Maya Okafor +tutor +{login} +yes +no", cli("staff", "list", "--all", *dsn).stdout)
        assert database.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (login,)) is False
        before = database.scalar("SELECT count(*) FROM tutor.audit_log")
        for args, password, message in [
            (("staff", "add", "--name", "X", "--role", "tutor", "--login", "Bad Name"), "long enough", "lower-case"),
            (("staff", "add", "--name", "X", "--role", "tutor", "--login", login), "long enough", "already has a login"),
            (("staff", "add", "--name", "X", "--role", "tutor", "--login", "td_cli_short"), "short", "at least 8"),
            (("staff", "add", "--name", "X", "--role", "owner", "--login", "td_cli_x"), "long enough", "invalid choice"),
            (("staff", "add", "--name", "X" * 121, "--role", "tutor", "--login", "td_cli_x"), "long enough", "too long"),
            (("staff", "deactivate", "999999"), None, "no staff member with id 999999"),
            (("staff", "reset-password", "999999"), "long enough", "no staff member with id 999999"),
            (("first-admin", "--name", "Second", "--login", login), None, "already has an admin"),
        ]:
            assert_one_line_error(cli(*args, *dsn, password=password), message)
        assert database.scalar("SELECT count(*) FROM tutor.audit_log") == before
    finally:
        with database.admin() as conn:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def test_first_admin_of_a_fresh_shared_server(cli, server_url):
    name, login = f"tutor_cli_fresh_{os.getpid()}", f"td_cli_owner_{uuid.uuid4().hex[:8]}"
    recreate_database(server_url, name)
    url = with_database(server_url, name)
    try:
        first = cli("first-admin", "--dsn", url, "--name", "Olu Owner", "--login", login, password="Owner-Password-1")
        assert first.returncode == 0, first.stderr
        assert "Olu Owner (login " + login + ") is the studio's admin" in first.stdout
        assert re.search(rf"Olu Owner +admin +{login} +yes +yes", cli("staff", "list", "--dsn", url).stdout)
        owner_id = re.search(r"staff id (\d+)", first.stdout).group(1)
        assert "does not teach now" in cli("staff", "teaches", owner_id, "no", "--dsn", url).stdout
        assert re.search(rf"Olu Owner +admin +{login} +no +yes", cli("staff", "list", "--dsn", url).stdout)
        assert_one_line_error(cli("first-admin", "--dsn", url, "--name", "Again", "--login", "tutor_local"),
                              "already has an admin")
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def test_reports_print_as_tables_and_csv_and_refuse_a_backwards_period(cli, tmp_path):
    assert cli("demo").returncode == 0  # the demo studio, loaded now unless an earlier test did
    unused = cli("report", "unused", "--csv", "-")
    assert unused.returncode == 0, unused.stderr
    lines = unused.stdout.splitlines()
    assert lines[0].startswith("client,package,left,of,price (GBP),value (GBP)")
    total = lines[-1].split(",")
    assert total[0] == "Total" and float(total[-1]) == round(sum(float(r.split(",")[-1]) for r in lines[1:-1]), 2)
    tutors = cli("report", "tutors", "--from", "2000-01-01", "--to", "2099-12-31")
    assert tutors.returncode == 0 and "Maya Okafor" in tutors.stdout and "pay (GBP)" in tutors.stdout
    assert_one_line_error(cli("report", "revenue", "--from", "2026-12-01", "--to", "2026-11-01"), "before it starts")
    assert_one_line_error(cli("report", "revenue", "--from", "first of May"), "is not a date")
