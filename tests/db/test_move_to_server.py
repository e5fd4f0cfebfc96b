"""Moving this computer's studio to a studio server: a second server (a second embedded one, or a fresh database
on the server of TUTOR_DESKTOP_TEST_DSN), every row there with its ids, reconcile empty and the counts equal, the
admin working under their new login, the local studio unchanged and marked moved; a target that holds a studio
refused with nothing changed."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tutor_desktop.db.engine import make_engine, with_login
from tutor_desktop.db.moving import MOVED_SETTING, TABLES, move_to_server
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import NotAllowed, PaymentMethod, PayPer, SessionStatus, StaffRole

from .conftest import APP_ROLE, book_days_ahead, recreate_database, with_database
from .test_cli import cli  # noqa: F401 - the command in its own process, on its own embedded database

PASSWORD = "Moved-Studio-42"


@pytest.fixture(scope="module")
def target_server(tmp_path_factory):
    """A superuser URL of a second server (or of the test server, when it is an outside one)."""
    external = os.environ.get("TUTOR_DESKTOP_TEST_DSN")
    if external:
        yield external
        return
    from tutor_desktop.db.embedded import EmbeddedServer

    server = EmbeddedServer(Path(tmp_path_factory.mktemp("second_server")))
    server.start()
    try:
        yield server.superuser_url()
    finally:
        server.stop()


@pytest.fixture
def target(target_server):
    name = f"studio_target_{uuid.uuid4().hex[:8]}"
    recreate_database(target_server, name)
    login = f"td_moved_{uuid.uuid4().hex[:8]}"
    yield with_database(target_server, name), login
    with psycopg.connect(target_server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(login)))


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(sql.SQL("SELECT count(*) FROM tutor.{}").format(sql.Identifier(t))).fetchone()[0]
                for t in TABLES}


def _ids(url: str) -> list:
    """Every id and link: clients, packages with their counters, sessions, the ledger with what each row reverses."""
    queries = ("SELECT id, full_name FROM tutor.clients ORDER BY id",
               "SELECT id::text, client_id, sessions_used, status FROM tutor.packages ORDER BY id",
               "SELECT id::text, package_id::text, status, rescheduled_to::text FROM tutor.sessions ORDER BY id",
               "SELECT id, package_id::text, kind, session_id::text, reverses FROM tutor.package_ledger ORDER BY id",
               "SELECT id, action, entity_id FROM tutor.audit_log ORDER BY id",
               "SELECT id, package_id::text, amount, method, actor <> '' FROM tutor.payments ORDER BY id",
               "SELECT package_id::text, price, catalogue_id FROM tutor.package_prices ORDER BY package_id")
    with psycopg.connect(url) as conn:
        return [conn.execute(q).fetchall() for q in queries]


def _a_studio_with_history(repo: Repository, login_as) -> None:  # noqa: ANN001
    tutor = repo.add_staff("Maya Tutor", StaffRole.TUTOR)
    login_as(StaffRole.FRONT_DESK, "Fay Front")  # a login of this server only: let go by the move
    client = repo.create_client("Zoë Jiménez", email="zoe@example.com")
    package = repo.sell_package(client, "Ten", 10)
    other = repo.sell_package(client, "Two", 2)
    repo.use_session(package, reason="makeup")
    repo.use_session(package)
    repo.reinstate_session(package, reason="by mistake")
    studio = type("S", (), {"client": client, "tutor": tutor})
    first, second = book_days_ahead(repo, studio, package, 1, 2)
    repo.set_session_status(first, SessionStatus.DONE)
    repo.set_session_status(first, SessionStatus.NO_SHOW_TUTOR)  # a correction gives it back
    repo.set_session_status(second, SessionStatus.NO_SHOW_STUDENT)
    repo.cancel_package(other, reason="changed plans")
    item = repo.add_catalogue_item("Ten pack", 10, Decimal("300.00"), 90)
    priced = repo.sell_package(client, "Ten pack", 10, catalogue_id=item)
    repo.record_payment(priced, Decimal("100.00"), PaymentMethod.CASH)
    repo.set_tutor_pay_rate(tutor, Decimal("25.00"), PayPer.SESSION)


def test_the_studio_arrives_whole_with_its_ids_and_the_desk_works_there(repo, database, login_as, target):
    target_url, login = target
    _a_studio_with_history(repo, login_as)
    before = _counts(database.admin_url)
    ids = _ids(database.admin_url)
    result = move_to_server(database.admin_url, target_url, APP_ROLE, login, PASSWORD)

    assert _counts(target_url) == before
    assert _ids(target_url) == ids
    # Fay's login is created on a second server with no password; a server that already has the name (the test
    # server itself, when it is an outside one) lets her go of it.
    assert (result.logins_waiting, result.logins_dropped) in ((("Fay Front",), ()), ((), ("Fay Front",)))
    assert result.desk_url == with_login(target_url, login, None)
    moved = Repository(make_engine(with_login(target_url, login, PASSWORD), pool_size=2))
    try:
        assert moved.reconcile() == []
        assert moved.current_staff().display_name == "Test Admin"
        [(client, package)] = [(c, p) for c, p in moved.studio_packages() if p.label == "Ten"]
        assert (client.full_name, package.sessions_used) == ("Zoë Jiménez", 2)
        history = moved.package_history([package.id])[package.id]
        assert {h.actor_name for h in history} == {"Test Admin"}  # the admin's history follows their new login
        newer = moved.create_client("After The Move")
        assert newer > max(c.id for c in repo.list_clients())  # the server's ids go on past the copied ones
        assert moved.use_session(package.id).sessions_used == 3
        [fay] = [s for s in moved.list_staff() if s.display_name == "Fay Front"]
        if result.logins_waiting:  # her login waits for a password: nobody signs in as her until an admin sets one
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(with_login(target_url, fay.login_role, "anything"), connect_timeout=5).close()
            moved.reset_staff_password(fay.id, "Fay-Is-Back-7")
            as_fay = Repository(make_engine(with_login(target_url, fay.login_role, "Fay-Is-Back-7"), pool_size=1))
            try:
                assert as_fay.current_staff().display_name == "Fay Front"  # the same staff row, her history with it
            finally:
                as_fay.close()
    finally:
        moved.close()

    after = _counts(database.admin_url)  # the local studio is as it was, but for the mark
    assert {t: after[t] for t in TABLES if t not in ("studio_settings", "audit_log")} == {
        t: before[t] for t in TABLES if t not in ("studio_settings", "audit_log")}
    with psycopg.connect(database.admin_url) as conn:
        mark = conn.execute("SELECT value FROM tutor.studio_settings WHERE key = %s", (MOVED_SETTING,)).fetchone()[0]
    assert mark["login"] == login and mark["server"] in target_url.replace("postgres@", "")


def test_a_target_that_holds_a_studio_is_refused_and_nothing_changes(repo, database, login_as, target, target_server):
    target_url, login = target
    _a_studio_with_history(repo, login_as)
    first = move_to_server(database.admin_url, target_url, APP_ROLE, login, PASSWORD)
    assert first.counts["clients"] == 1
    held = _counts(target_url)
    with psycopg.connect(database.admin_url, autocommit=True) as conn:
        conn.execute("DELETE FROM tutor.studio_settings WHERE key = %s", (MOVED_SETTING,))
    local = _counts(database.admin_url)
    with pytest.raises(NotAllowed, match="already holds a studio"):
        move_to_server(database.admin_url, target_url, APP_ROLE, f"{login}_2", PASSWORD)
    assert _counts(target_url) == held and _counts(database.admin_url) == local
    with psycopg.connect(target_server) as conn:
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (f"{login}_2",)).fetchone()[0] == 0


def test_a_studio_moved_before_is_moved_again_without_the_mark(repo, database, target, target_server):
    target_url, login = target
    with psycopg.connect(database.admin_url, autocommit=True) as conn:
        conn.execute("SELECT tutor.set_studio_setting(%s, '{\"server\": \"elsewhere\"}')", (MOVED_SETTING,))
        conn.execute("SELECT tutor.set_studio_setting('reminder_hours', '24')")
    move_to_server(database.admin_url, target_url, APP_ROLE, login, PASSWORD)
    with psycopg.connect(target_url) as conn:
        assert conn.execute("SELECT array_agg(key) FROM tutor.studio_settings").fetchone()[0] == ["reminder_hours"]


def test_an_empty_schema_on_the_server_is_no_studio(repo, database, target):
    target_url, login = target
    from tutor_desktop.db.migrations import apply_migrations

    apply_migrations(target_url)  # a server prepared with db upgrade, nothing in it yet
    assert move_to_server(database.admin_url, target_url, APP_ROLE, login, PASSWORD).counts["staff"] == 1


def test_the_command_moves_the_demo_studio_and_points_this_desk_at_the_server(cli, target):  # noqa: F811
    target_url, login = target
    assert cli("demo").returncode == 0
    moved = cli("move-to-server", "--dsn", target_url, "--login", login, password=PASSWORD)
    assert moved.returncode == 0, moved.stderr
    assert "every count matches there and reconcile found nothing" in moved.stdout
    assert f"This desk now uses the server as {login}" in moved.stdout
    # This desk's next command runs on the server, as the admin (a script gives the password as PGPASSWORD; the
    # move kept it in the system keyring, which a test's process may not have).
    server = cli("reconcile", pgpassword=PASSWORD)
    assert server.returncode == 0 and "No mismatches" in server.stdout, server.stderr
    with psycopg.connect(target_url) as conn:
        assert conn.execute("SELECT count(*) FROM tutor.clients").fetchone()[0] == 40
    again = cli("move-to-server", "--dsn", target_url, "--login", login, password=PASSWORD, pgpassword=PASSWORD)
    assert again.returncode == 2 and "only the studio on this computer" in again.stderr
