"""Marking sessions: which statuses use a session, corrections, refusals, package choice and rescheduling."""

import uuid

import pytest

from tutor_desktop.domain import InvalidInput, LedgerKind, NotAllowed, NotFound, SessionStatus as S

from .conftest import hours_from_now


def _book(repo, studio, package=None, start=-2):
    [session] = repo.book_session(studio.client, studio.tutor, hours_from_now(start), hours_from_now(start + 1), package, time_zone="UTC")
    return session


@pytest.mark.parametrize(
    ("status", "used"),
    [(S.DONE, 1), (S.NO_SHOW_STUDENT, 1), (S.NO_SHOW_TUTOR, 0), (S.RESCHEDULED, 0), (S.CANCELLED, 0)],
)
def test_each_status_uses_one_session_or_none(repo, studio, status, used):
    package = repo.sell_package(studio.client, "Five", 5)
    change = repo.set_session_status(_book(repo, studio, package), status, "notes")
    assert change.session_status is status
    assert (change.applied, change.sessions_used, change.sessions_remaining) == (True, used, 5 - used)
    assert change.reason == ("consumed" if used else "unchanged")
    assert repo.get_package(package).sessions_used == used


def test_done_then_tutor_no_show_gives_back_once_and_back_to_done_consumes(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    session = _book(repo, studio, package)
    assert repo.set_session_status(session, S.DONE).sessions_used == 1
    back = repo.set_session_status(session, S.NO_SHOW_TUTOR)
    assert (back.reason, back.sessions_used) == ("given_back", 0)
    again = repo.set_session_status(session, S.CANCELLED)
    assert (again.reason, again.sessions_used) == ("unchanged", 0)
    redo = repo.set_session_status(session, S.DONE)
    assert (redo.reason, redo.sessions_used) == ("consumed", 1)
    same_class = repo.set_session_status(session, S.NO_SHOW_STUDENT)
    assert (same_class.reason, same_class.sessions_used) == ("unchanged", 1)
    kinds = [e.kind for e in repo.ledger_for_package(package)]
    assert kinds == [LedgerKind.SESSION_CONSUMED, LedgerKind.SESSION_GIVEN_BACK, LedgerKind.SESSION_CONSUMED]
    assert repo.reconcile() == []


def test_a_session_can_never_hold_two_live_consumptions(repo, studio, database):
    """The unique index, not the function's logic, refuses a second consumption of one booking."""
    package = repo.sell_package(studio.client, "Five", 5)
    session = _book(repo, studio, package)
    repo.set_session_status(session, S.DONE)
    import psycopg

    with database.admin() as conn, pytest.raises(psycopg.errors.UniqueViolation):
        conn.execute(
            "INSERT INTO tutor.package_ledger (package_id, delta, kind, session_id) VALUES (%s, 1, 'session_consumed', %s)",
            (package, session),
        )


@pytest.mark.parametrize("setup,reason", [("none", "no_package"), ("used_up", "exhausted"), ("expired", "expired")])
def test_status_is_recorded_even_when_nothing_can_be_deducted(repo, studio, setup, reason):
    if setup == "used_up":
        repo.use_session(repo.sell_package(studio.client, "One", 1))
    if setup == "expired":
        p = repo.sell_package(studio.client, "Old", 3, expires_at=hours_from_now(1), purchased_at=hours_from_now(-50))
        repo.change_package_expiry(p, hours_from_now(-3))  # before the session (at -2 h) started
    session = _book(repo, studio)
    change = repo.set_session_status(session, S.DONE)
    assert (change.session_status, change.applied, change.reason) == (S.DONE, False, reason)
    assert repo.get_session(session).status is S.DONE


def test_booked_package_refusal_names_the_package(repo, studio):
    package = repo.sell_package(studio.client, "One", 1)
    session = _book(repo, studio, package)
    repo.use_session(package)
    change = repo.set_session_status(session, S.NO_SHOW_STUDENT)
    assert (change.package_id, change.applied, change.reason, change.sessions_remaining) == (package, False, "exhausted", 0)


def test_without_a_booked_package_the_one_expiring_first_is_used(repo, studio):
    no_expiry = repo.sell_package(studio.client, "Open", 5, purchased_at=hours_from_now(-300))
    later = repo.sell_package(studio.client, "Later", 5, expires_at=hours_from_now(500))
    sooner = repo.sell_package(studio.client, "Sooner", 1, expires_at=hours_from_now(100))
    charged = [repo.set_session_status(_book(repo, studio, start=-2 - 2 * k), S.DONE).package_id for k in range(3)]
    assert charged == [sooner, later, later]
    for k in range(3, 7):
        repo.set_session_status(_book(repo, studio, start=-2 - 2 * k), S.DONE)
    assert repo.get_package(no_expiry).sessions_used == 1


def test_only_a_session_that_has_not_ended_goes_back_to_upcoming(repo, studio):
    ended = _book(repo, studio)
    repo.set_session_status(ended, S.CANCELLED)
    with pytest.raises(NotAllowed, match="has ended"):
        repo.set_session_status(ended, S.SCHEDULED)
    package = repo.sell_package(studio.client, "Five", 5)
    coming = _book(repo, studio, package, start=20)
    assert repo.set_session_status(coming, S.DONE).sessions_used == 1  # a stray key
    undone = repo.set_session_status(coming, S.SCHEDULED)  # its undo
    assert (undone.session_status, undone.reason, undone.sessions_used) == (S.SCHEDULED, "given_back", 0)


def test_unknown_session_and_bad_status_are_clear_errors(repo, studio, database):
    with pytest.raises(NotFound, match="no session"):
        repo.set_session_status(uuid.uuid4(), S.DONE)
    session = _book(repo, studio)
    with pytest.raises(InvalidInput, match="not a session status"):
        repo.rows("SELECT * FROM tutor.set_session_status(:s, 'finished')", {"s": session})
    with pytest.raises(InvalidInput, match="too long"):
        repo.set_session_status(session, S.DONE, "x" * 2001)
    assert repo.get_session(session).status is S.SCHEDULED


def test_reschedule_links_a_new_session_and_gives_back_a_done_one(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    session = _book(repo, studio, package)
    repo.set_session_status(session, S.DONE)
    moved = repo.reschedule_session(session, hours_from_now(24), hours_from_now(25), time_zone="UTC")
    assert (moved.session_status, moved.reason, moved.sessions_used) == (S.RESCHEDULED, "given_back", 0)
    old, new = repo.get_session(session), repo.get_session(moved.new_session_id)
    assert old.rescheduled_to == new.id and new.status is S.SCHEDULED and new.package_id == package
    with pytest.raises(NotAllowed):
        repo.reschedule_session(session, hours_from_now(48), hours_from_now(49), time_zone="UTC")
    with pytest.raises(NotAllowed):
        repo.set_session_status(session, S.DONE)
    with pytest.raises(InvalidInput):
        repo.reschedule_session(new.id, hours_from_now(5), hours_from_now(4), time_zone="UTC")


def test_bookable_counts_sessions_still_booked_on_the_package(repo, studio):
    package = repo.sell_package(studio.client, "Five", 5)
    repo.book_session(studio.client, studio.tutor, hours_from_now(24), hours_from_now(25), package, weekly_repeats=2, time_zone="UTC")
    repo.use_session(package)
    balance = repo.get_package(package)
    assert (balance.sessions_remaining, balance.sessions_bookable, balance.expired) == (4, 1, False)


def test_weekly_repeat_books_a_series_one_week_apart(repo, studio):
    ids = repo.book_session(studio.client, studio.tutor, hours_from_now(24), hours_from_now(25), weekly_repeats=3, time_zone="UTC")
    starts = [repo.get_session(i).starts_at for i in ids]
    assert [(b - a).days for a, b in zip(starts, starts[1:])] == [7, 7, 7]


def test_booking_refuses_bad_input(repo, studio):
    with pytest.raises(InvalidInput, match="end after it starts"):
        repo.book_session(studio.client, studio.tutor, hours_from_now(2), hours_from_now(1), time_zone="UTC")
    with pytest.raises(NotFound):
        repo.book_session(999_999, studio.tutor, hours_from_now(1), hours_from_now(2), time_zone="UTC")
    other = repo.create_client("Someone Else")
    with pytest.raises(NotFound, match="has no package"):
        repo.book_session(studio.client, studio.tutor, hours_from_now(1), hours_from_now(2),
                          repo.sell_package(other, "Theirs", 5), time_zone="UTC")
