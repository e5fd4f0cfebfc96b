"""The schedule's rules: no tutor or client has two overlapping live sessions (exclusion constraints, also with 8
desks booking the same hour at once), refusals that name the session in the way, and a database that already
held overlaps before the rule: it upgrades, lists them, and refuses new ones."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tutor_desktop.db.bootstrap import ensure_app_login
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.migrations import apply_migrations
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import BookingConflict, SessionStatus as S, TutorDeskError

from .conftest import APP_ROLE, hours_from_now
from .test_cli import cli  # noqa: F401 - the fixture
from .test_upgrade import OldRepository, old_database  # noqa: F401 - the fixture

UTC = "UTC"


def _book(repo, client, tutor, start, hours=1.0, repeats=0, zone=UTC):  # noqa: ANN001, ANN202
    return repo.book_session(client, tutor, start, start + timedelta(hours=hours), None, repeats, time_zone=zone)


def test_a_tutor_or_a_client_busy_then_is_refused_by_name(repo, studio):
    other_client, other_tutor = repo.create_client("Ben Carter"), repo.add_staff("Ana Silva", "tutor")
    start = hours_from_now(24)
    [first] = _book(repo, studio.client, studio.tutor, start)
    with pytest.raises(BookingConflict) as tutor_busy:
        _book(repo, other_client, studio.tutor, start + timedelta(minutes=30))
    assert tutor_busy.value.message.startswith("Test Tutor already has Test Client on ")
    assert (tutor_busy.value.session_id, tutor_busy.value.tutor_name, tutor_busy.value.client_name) == (
        first, "Test Tutor", "Test Client")
    assert tutor_busy.value.starts_at == repo.get_session(first).starts_at
    with pytest.raises(BookingConflict, match="Test Client already has a session with Test Tutor"):
        _book(repo, studio.client, other_tutor, start - timedelta(minutes=30))
    # Touching ends do not overlap; a cancelled session frees its hour.
    _book(repo, other_client, studio.tutor, start + timedelta(hours=1))
    repo.set_session_status(first, S.CANCELLED)
    _book(repo, studio.client, other_tutor, start)
    # Cancelled -> done would make it live again over the new booking: refused by name too.
    with pytest.raises(BookingConflict):
        repo.set_session_status(first, S.DONE)


def test_a_series_that_collides_anywhere_is_refused_whole(repo, studio):
    start = hours_from_now(24)
    [busy] = _book(repo, studio.client, studio.tutor, start + timedelta(weeks=3))
    other = repo.create_client("Other")
    with pytest.raises(BookingConflict) as refused:
        _book(repo, other, studio.tutor, start, repeats=5)
    assert refused.value.session_id == busy
    assert repo.sessions_for_client(other) == []


def test_rescheduling_into_a_busy_slot_is_refused_and_next_to_itself_is_not(repo, studio):
    start = hours_from_now(24)
    [moving] = _book(repo, studio.client, studio.tutor, start)
    [busy] = _book(repo, repo.create_client("Other"), studio.tutor, start + timedelta(hours=3))
    with pytest.raises(BookingConflict) as refused:
        repo.reschedule_session(moving, start + timedelta(hours=3.5), start + timedelta(hours=4.5), time_zone=UTC)
    assert refused.value.session_id == busy
    assert repo.get_session(moving).status is S.SCHEDULED
    moved = repo.reschedule_session(moving, start + timedelta(minutes=30), start + timedelta(hours=1.5), time_zone=UTC)
    assert repo.get_session(moved.new_session_id).status is S.SCHEDULED


def test_8_desks_booking_the_same_free_hour_one_wins(database, studio, repo):
    engine = make_engine(database.app_url, pool_size=8)
    desks = Repository(engine)
    clients = [repo.create_client(f"Client {i}") for i in range(8)]
    start, barrier, results = hours_from_now(48), threading.Barrier(8), [None] * 8

    def desk(i: int) -> None:
        barrier.wait()
        try:
            results[i] = _book(desks, clients[i], studio.tutor, start)
        except TutorDeskError as refused:
            results[i] = refused

    try:
        threads = [threading.Thread(target=desk, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        engine.dispose()
    won = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, BookingConflict)]
    assert len(won) == 1 and len(refused) == 7, results
    assert {r.session_id for r in refused} == {won[0][0]}
    assert all("Test Tutor already has" in r.message for r in refused)


def test_overlaps_made_before_the_rule_survive_the_upgrade_are_listed_and_refuse_more(old_database, cli):  # noqa: F811
    admin_url, desk_url = old_database
    ensure_app_login(admin_url, APP_ROLE)
    engine = make_engine(desk_url, pool_size=2)
    try:
        old = OldRepository(engine)
        old.claim_empty_studio("Old Admin")
        tutor, client = old.add_staff("Maya Okafor", "tutor"), old.create_client("Ben Carter")
        start = hours_from_now(24)
        [a] = _book(old, client, tutor, start)
        [b] = _book(old, old.create_client("Cleo Diaz"), tutor, start + timedelta(minutes=30))  # the tutor twice
        [c] = _book(old, client, old.add_staff("Ana Silva", "tutor"), start + timedelta(minutes=45))  # the client
        [cancelled] = _book(old, client, tutor, start)
        old.set_session_status(cancelled, S.CANCELLED)

        apply_migrations(admin_url)

        repo = Repository(engine)
        pairs = {(x.first.id, x.second.id) for x in repo.schedule_conflicts()}
        assert pairs == {(a, b), (a, c)}  # b and c share neither tutor nor client
        ana = repo.get_session(c).tutor_id
        with pytest.raises(BookingConflict) as refused:  # overlapping only c, a row the constraints leave out
            _book(repo, repo.create_client("Dan"), ana, start + timedelta(minutes=100))
        assert refused.value.session_id == c
        result = cli("conflicts", "--dsn", admin_url)
        assert result.returncode == 1 and result.stdout.count(" overlaps ") == 2, result
        assert "Maya Okafor with Ben Carter overlaps" in result.stdout
        repo.set_session_status(b, S.CANCELLED)
        repo.set_session_status(c, S.CANCELLED)
        assert repo.schedule_conflicts() == []
        assert cli("conflicts", "--dsn", admin_url).returncode == 0
    finally:
        engine.dispose()
