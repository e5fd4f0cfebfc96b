"""Clients, staff, package sales and the reads the windows and the command line use."""

import uuid

import pytest

from tutor_desktop.domain import InvalidInput, NotFound, SessionStatus, StaffRole

from .conftest import hours_from_now


def test_clients_are_created_edited_searched_and_archived(repo):
    ada = repo.create_client("Ada Lovelace", "ada@example.com", "+44 1", "Prefers mornings")
    repo.create_client("Alan Turing", "alan@example.com")
    repo.create_client("100% Effort Gym")
    assert [c.full_name for c in repo.list_clients("lov")] == ["Ada Lovelace"]
    assert [c.full_name for c in repo.list_clients("ALAN@")] == ["Alan Turing"]
    assert [c.full_name for c in repo.list_clients("100%")] == ["100% Effort Gym"]
    assert repo.list_clients("%") == repo.list_clients("100%")  # % is searched for, not a wildcard
    repo.update_client(ada, "Ada King", "", "+44 2", "Evenings now", archived=True)
    assert repo.get_client(ada).full_name == "Ada King" and repo.get_client(ada).email is None
    assert [c.full_name for c in repo.list_clients()] == ["100% Effort Gym", "Alan Turing"]
    assert len(repo.list_clients(include_archived=True)) == 3
    staff = repo.add_staff("Tess", StaffRole.TUTOR)
    with pytest.raises(NotFound, match="no active client"):
        repo.book_session(ada, staff, hours_from_now(1), hours_from_now(2), time_zone="UTC")


def test_text_is_stored_verbatim(repo):
    tricky = "Robert'); DROP TABLE tutor.clients;--"
    client = repo.create_client(tricky, notes="<b>not html</b>")
    assert repo.get_client(client).full_name == tricky
    assert repo.get_client(client).notes == "<b>not html</b>"


@pytest.mark.parametrize("call, message", [
    (lambda repo, c: repo.create_client(""), "empty or has only spaces"),
    (lambda repo, c: repo.create_client("x" * 121), "too long"),
    (lambda repo, c: repo.sell_package(c, "Ten", 0), "between 1 and 1000"),
    (lambda repo, c: repo.sell_package(c, "", 5), "empty or has only spaces"),
    (lambda repo, c: repo.sell_package(c, "Ten", 10, expires_at=hours_from_now(-1)), "expire after it is bought"),
    (lambda repo, c: repo.add_staff("Sam", "owner"), "not a staff role"),
])
def test_bad_records_are_refused_with_a_message(repo, studio, database, call, message):
    before = database.scalar("SELECT count(*) FROM tutor.audit_log")
    with pytest.raises(InvalidInput, match=message):
        call(repo, studio.client)
    assert database.scalar("SELECT count(*) FROM tutor.audit_log") == before


def test_unknown_ids_are_not_found(repo, studio):
    with pytest.raises(NotFound):
        repo.sell_package(999_999, "Ten", 10)
    with pytest.raises(NotFound):
        repo.get_package(uuid.uuid4())
    with pytest.raises(NotFound):
        repo.get_client(999_999)
    with pytest.raises(NotFound):
        repo.cancel_package(uuid.uuid4())
    with pytest.raises(NotFound):
        repo.update_client(999_999, "X", None, None, None)


def test_a_booked_package_that_was_cancelled_refuses_as_inactive(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(-2), hours_from_now(-1), package, time_zone="UTC")
    repo.cancel_package(package)
    change = repo.set_session_status(session, SessionStatus.DONE)
    assert (change.applied, change.reason, change.package_id) == (False, "inactive", package)


def test_replayed_reschedule_returns_the_same_new_session(repo, studio):
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(2), hours_from_now(3), time_zone="UTC")
    request = uuid.uuid4()
    first = repo.reschedule_session(session, hours_from_now(26), hours_from_now(27), request, time_zone="UTC")
    again = repo.reschedule_session(session, hours_from_now(26), hours_from_now(27), request, time_zone="UTC")
    assert first.new_session_id == again.new_session_id
    assert len(repo.sessions_for_client(studio.client)) == 2


def test_week_query_filters_by_time_and_tutor(repo, studio):
    other = repo.add_staff("Other Tutor", StaffRole.TUTOR)
    repo.book_session(studio.client, studio.tutor, hours_from_now(1), hours_from_now(2), time_zone="UTC")
    repo.book_session(studio.client, other, hours_from_now(3), hours_from_now(4), time_zone="UTC")
    repo.book_session(studio.client, other, hours_from_now(24 * 9), hours_from_now(24 * 9 + 1), time_zone="UTC")
    week = repo.sessions_between(hours_from_now(0), hours_from_now(24 * 7))
    assert [(s.tutor_name, s.client_name, s.status) for s in week] == [
        ("Test Tutor", "Test Client", SessionStatus.SCHEDULED), ("Other Tutor", "Test Client", SessionStatus.SCHEDULED)]
    assert len(repo.sessions_between(hours_from_now(0), hours_from_now(24 * 7), other)) == 1
    assert [s.display_name for s in repo.list_staff()] == ["Other Tutor", "Test Admin", "Test Tutor"]


def test_ledgers_of_several_packages_in_one_read(repo, studio):
    first = repo.sell_package(studio.client, "A", 5)
    second = repo.sell_package(studio.client, "B", 5)
    untouched = repo.sell_package(studio.client, "C", 5)
    repo.use_session(first, reason="one")
    repo.use_session(second, reason="two")
    repo.reinstate_session(second, reason="back")
    history = repo.ledger_for_packages([first, second, untouched])
    assert [e.reason for e in history[first]] == ["one"]
    assert [e.reason for e in history[second]] == ["two", "back"]
    assert history[untouched] == []
    assert history[second] == repo.ledger_for_package(second)
