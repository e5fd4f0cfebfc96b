"""What each staff member sees and may change: a tutor their own sessions, those clients and their packages;
the definer functions still see every row they need; a tutor cannot mark another tutor's session."""

from __future__ import annotations

import pytest

from tutor_desktop.domain import InvalidInput, NotAllowed, NotFound, SessionStatus, StaffRole

from .conftest import hours_from_now


@pytest.fixture
def two_tutors(repo, login_as):
    ana, ben = login_as(StaffRole.TUTOR, "Ana"), login_as(StaffRole.TUTOR, "Ben")
    ana_client, ben_client = repo.create_client("Ana's client"), repo.create_client("Ben's client")
    shared = repo.sell_package(ana_client, "Ten", 10)
    repo.sell_package(ben_client, "Five", 5)
    [ana_session] = repo.book_session(ana_client, ana.staff_id, hours_from_now(-2), hours_from_now(-1), shared, time_zone="UTC")
    # Ben also teaches Ana's client once, booked on the same package.
    [ben_on_shared] = repo.book_session(ana_client, ben.staff_id, hours_from_now(1), hours_from_now(2), shared, time_zone="UTC")
    [ben_session] = repo.book_session(ben_client, ben.staff_id, hours_from_now(-4), hours_from_now(-3), time_zone="UTC")
    return ana, ben, shared, ana_session, ben_on_shared, ben_session


def test_a_tutor_sees_own_sessions_those_clients_and_their_packages(two_tutors, repo):
    ana, _ben, shared, ana_session, ben_on_shared, ben_session = two_tutors
    sessions = ana.repo.sessions_between(hours_from_now(-48), hours_from_now(48))
    assert [s.id for s in sessions] == [ana_session]
    assert [c.full_name for c in ana.repo.list_clients()] == ["Ana's client"]
    assert [(c.full_name, p.id) for c, p in ana.repo.studio_packages()] == [("Ana's client", shared)]
    with pytest.raises(NotFound):
        ana.repo.get_session(ben_session)
    with pytest.raises(NotFound):
        ana.repo.get_session(ben_on_shared)
    # The balance counts every tutor's pending bookings on the package, not only the ones this tutor sees.
    assert ana.repo.get_package(shared).sessions_bookable == repo.get_package(shared).sessions_bookable == 8
    assert len(repo.sessions_between(hours_from_now(-48), hours_from_now(48))) == 3


def test_a_tutor_marks_own_sessions_and_the_functions_see_every_row(two_tutors, repo, database):
    ana, _ben, shared, ana_session, _ben_on_shared, _ben_session = two_tutors
    change = ana.repo.set_session_status(ana_session, SessionStatus.DONE, "Worked on fractions.")
    assert (change.applied, change.package_id, change.sessions_remaining) == (True, shared, 9)
    assert repo.get_session(ana_session).tutor_notes == "Worked on fractions."
    # A tutor reads who did it by name, not by login.
    [entry] = ana.repo.ledger_for_package(shared)
    assert (entry.actor, entry.actor_name) == ("", "Ana")
    assert repo.ledger_for_package(shared)[0].actor == ana.login
    assert database.scalar("SELECT actor FROM tutor.audit_log ORDER BY id DESC LIMIT 1") == ana.login
    assert repo.reconcile() == []


def test_a_tutor_cannot_mark_another_tutors_session(two_tutors, repo, database):
    ana, _ben, shared, _ana_session, ben_on_shared, ben_session = two_tutors
    before = _snapshot(database)
    for session in (ben_session, ben_on_shared):
        with pytest.raises(NotAllowed, match="only their own sessions"):
            ana.repo.set_session_status(session, SessionStatus.DONE, "Not mine")
    with pytest.raises(NotFound, match="no session"):
        ana.repo.set_session_status(shared, SessionStatus.DONE)  # an id that is no session
    assert _snapshot(database) == before
    assert repo.get_session(ben_session).status is SessionStatus.SCHEDULED


@pytest.mark.parametrize("action", [
    lambda r, pkg, client: r.use_session(pkg, reason="free one"),
    lambda r, pkg, client: r.reinstate_session(pkg),
    lambda r, pkg, client: r.sell_package(client, "Free", 10),
    lambda r, pkg, client: r.create_client("Someone"),
    lambda r, pkg, client: r.cancel_package(pkg),
    lambda r, pkg, client: r.add_staff("Friend", StaffRole.ADMIN),
    lambda r, pkg, client: r.auto_complete(),
])
def test_a_tutor_cannot_hand_out_sessions_or_sell(two_tutors, database, action):
    ana, _ben, shared, *_ = two_tutors
    client = database.scalar("SELECT client_id FROM tutor.packages WHERE id = %s", (shared,))
    before = _snapshot(database)
    with pytest.raises(NotAllowed):
        action(ana.repo, shared, client)
    assert _snapshot(database) == before


def test_front_desk_does_everything_on_clients_packages_and_sessions_but_not_staff(two_tutors, login_as, database):
    _ana, _ben, shared, ana_session, ben_on_shared, _ = two_tutors
    desk = login_as(StaffRole.FRONT_DESK)
    assert len(desk.repo.sessions_between(hours_from_now(-48), hours_from_now(48))) == 3
    assert desk.repo.use_session(shared, reason="Trial").applied
    assert desk.repo.reinstate_session(shared).applied
    desk.repo.set_session_status(ana_session, SessionStatus.NO_SHOW_STUDENT)
    desk.repo.reschedule_session(ben_on_shared, hours_from_now(5), hours_from_now(6), time_zone="UTC")
    desk.repo.sell_package(desk.repo.create_client("Walk-in"), "Five", 5)
    before = _snapshot(database)
    with pytest.raises(NotAllowed):
        desk.repo.add_staff("Friend", StaffRole.ADMIN)
    with pytest.raises(NotAllowed):
        desk.repo.create_staff_account("Friend", StaffRole.ADMIN, "friend_login", "long enough secret")
    assert _snapshot(database) == before
    assert {e.actor for e in desk.repo.ledger_for_package(shared)} == {desk.login}


def test_over_long_notes_from_a_tutor_are_refused(two_tutors, database):
    ana, _ben, _shared, ana_session, *_ = two_tutors
    before = _snapshot(database)
    with pytest.raises(InvalidInput, match="Tutor notes is too long"):
        ana.repo.set_session_status(ana_session, SessionStatus.DONE, "x" * 2001)
    assert _snapshot(database) == before


def test_tricky_notes_are_stored_verbatim(two_tutors, repo):
    ana, _ben, _shared, ana_session, *_ = two_tutors
    tricky = "'); UPDATE tutor.packages SET sessions_used = 0; --\r\n\t\x1b[31mred\x00".replace("\x00", "")
    ana.repo.set_session_status(ana_session, SessionStatus.DONE, tricky)
    assert repo.get_session(ana_session).tutor_notes == tricky


def _snapshot(database) -> tuple:
    return database.scalar(
        "SELECT row(coalesce(sum(sessions_used), 0), (SELECT count(*) FROM tutor.package_ledger),"
        " (SELECT count(*) FROM tutor.audit_log), (SELECT count(*) FROM tutor.packages),"
        " (SELECT count(*) FROM tutor.clients), (SELECT count(*) FROM tutor.staff),"
        " (SELECT string_agg(status || tutor_notes, ',' ORDER BY id) FROM tutor.sessions))::text"
        " FROM tutor.packages")


LEAK = """CREATE FUNCTION pg_temp.leak(p anyelement) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
    RAISE NOTICE 'saw %', p;
    RETURN true;
END
$$"""


@pytest.mark.parametrize("view, column", [
    ("package_balances", "package_id"), ("ledger_entries", "package_id"), ("package_history", "package_id"),
    ("staff_directory", "display_name"),
    ("packages", "id"), ("clients", "full_name"), ("sessions", "id"),
])
def test_a_function_in_a_tutors_where_clause_sees_only_their_rows(two_tutors, repo, view, column):
    import psycopg

    ana, _ben, shared, *_ = two_tutors
    assert repo.use_session(shared, reason="so the ledger has a row").applied
    for other in repo.list_clients():  # every client has a package with a ledger row
        for package in repo.packages_for_client(other.id):
            if package.id != shared:
                repo.use_session(package.id, reason="another")
    seen: list[str] = []
    with psycopg.connect(ana.url, autocommit=True) as conn:
        conn.add_notice_handler(lambda notice: seen.append(notice.message_primary))
        conn.execute(LEAK)
        visible = {str(r[0]) for r in conn.execute(f"SELECT {column} FROM tutor.{view}")}
        conn.execute(f"SELECT {column} FROM tutor.{view} WHERE pg_temp.leak({column})").fetchall()
        conn.execute("DISCARD TEMP")
    assert seen and {s.removeprefix("saw ") for s in seen} <= visible, (view, seen, visible)


def test_a_tutor_reads_the_ledger_of_a_packages_history_but_not_the_audit_log(two_tutors, repo, login_as):
    ana, ben, shared, ana_session, *_ = two_tutors
    ana.repo.set_session_status(ana_session, SessionStatus.DONE)
    repo.change_package_expiry(shared, hours_from_now(24 * 30))
    desk = login_as(StaffRole.FRONT_DESK, "Dee")
    assert [e.kind for e in desk.repo.package_history([shared])[shared]] == [
        "package_sold", "session_consumed", "expiry_changed"]
    assert [(e.kind, e.actor_name) for e in ana.repo.package_history([shared])[shared]] == [
        ("session_consumed", "Ana")]  # the audit log is front desk's and admins' only
    [ben_package] = [p.id for c, p in repo.studio_packages() if c.full_name == "Ben's client"]
    assert ana.repo.package_history([ben_package]) == {ben_package: []}


def test_a_deactivated_staff_members_open_connection_reads_nothing(two_tutors, repo):
    import psycopg

    ana, *_ = two_tutors
    with psycopg.connect(ana.url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM tutor.staff_directory").fetchone()[0] > 1
        repo.deactivate_staff(ana.staff_id)
        for table in ("staff", "staff_directory", "clients", "packages", "package_balances", "ledger_entries",
                      "package_history"):
            assert conn.execute(f"SELECT count(*) FROM tutor.{table}").fetchone()[0] == 0, table
        assert conn.execute("SELECT count(*) FROM tutor.sessions").fetchone()[0] == 0


def test_a_tutor_reads_names_not_logins(two_tutors, login_as):
    ana, ben, *_ = two_tutors
    desk = login_as(StaffRole.FRONT_DESK, "Dee")
    staff = {s.display_name: s for s in ana.repo.list_staff()}
    assert {"Ana", "Ben", "Dee"} <= set(staff) and all(s.login_role is None for s in staff.values())
    assert ana.repo.current_staff().login_role == ana.login
    assert {s.display_name: s.login_role for s in desk.repo.list_staff()}["Ben"] == ben.login
