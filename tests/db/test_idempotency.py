"""A request id seen before returns the first outcome and changes nothing; reused elsewhere, it is an error."""

import uuid

import pytest

from tutor_desktop.domain import RequestConflict, SessionStatus

from .conftest import hours_from_now


def test_replayed_use_returns_first_outcome_with_current_counts(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    request = uuid.uuid4()
    first = repo.use_session(package, request)
    repo.use_session(package)  # another action in between
    replay = repo.use_session(package, request)
    assert first.applied and replay.applied
    assert replay.sessions_used == 2  # current counts, not a second deduction
    assert len(repo.ledger_for_package(package)) == 2


def test_replayed_refusal_stays_a_refusal(repo, studio):
    package = repo.sell_package(studio.client, "One", 1)
    repo.use_session(package)
    request = uuid.uuid4()
    assert repo.use_session(package, request).reason == "exhausted"
    repo.reinstate_session(package)
    replay = repo.use_session(package, request)
    assert (replay.applied, replay.reason, replay.sessions_used) == (False, "exhausted", 0)


def test_same_request_for_another_package_or_operation_is_an_error(repo, studio, database):
    a = repo.sell_package(studio.client, "A", 5)
    b = repo.sell_package(studio.client, "B", 5)
    request = uuid.uuid4()
    repo.use_session(a, request)
    with pytest.raises(RequestConflict):
        repo.use_session(b, request)
    with pytest.raises(RequestConflict):
        repo.reinstate_session(a, request)
    assert repo.get_package(b).sessions_used == 0
    assert repo.get_package(a).sessions_used == 1


def test_replayed_status_change_consumes_once(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(-2), hours_from_now(-1), package, time_zone="UTC")
    request = uuid.uuid4()
    first = repo.set_session_status(session, SessionStatus.DONE, request_id=request)
    replay = repo.set_session_status(session, SessionStatus.DONE, request_id=request)
    assert first.reason == replay.reason == "consumed"
    assert replay.sessions_used == 1
    with pytest.raises(RequestConflict):
        repo.set_session_status(session, SessionStatus.NO_SHOW_TUTOR, request_id=request)


def test_replayed_booking_and_sale_create_nothing_new(repo, studio, database):
    request = uuid.uuid4()
    first = repo.book_session(studio.client, studio.tutor, hours_from_now(1), hours_from_now(2), None, 2, request, time_zone="UTC")
    again = repo.book_session(studio.client, studio.tutor, hours_from_now(1), hours_from_now(2), None, 2, request, time_zone="UTC")
    assert first == again and len(first) == 3
    sale = uuid.uuid4()
    assert repo.sell_package(studio.client, "X", 5, request_id=sale) == repo.sell_package(studio.client, "X", 5, request_id=sale)
    assert database.scalar("SELECT count(*) FROM tutor.packages") == 1
    assert database.scalar("SELECT count(*) FROM tutor.sessions") == 3
