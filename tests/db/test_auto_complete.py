"""auto_complete_sessions: set-based, charges each due session once, a second run changes nothing."""

import pytest

from tutor_desktop.domain import InvalidInput, SessionStatus

from .conftest import hours_from_now


def test_completes_due_sessions_and_consumes_once(repo, studio, database):
    package = repo.sell_package(studio.client, "Ten", 10, purchased_at=hours_from_now(-24 * 30))
    repo.book_session(studio.client, studio.tutor, hours_from_now(-24 * 21), hours_from_now(-24 * 21 + 1), package, 2, time_zone="UTC")
    future = repo.book_session(studio.client, studio.tutor, hours_from_now(2), hours_from_now(3), package, time_zone="UTC")
    result = repo.auto_complete()
    assert (result.completed, result.deducted) == (3, 3)
    assert repo.get_package(package).sessions_used == 3
    assert repo.get_session(future[0]).status is SessionStatus.SCHEDULED
    again = repo.auto_complete()
    assert (again.completed, again.deducted) == (0, 0)
    assert repo.reconcile() == []
    assert database.scalar("SELECT count(*) FROM tutor.audit_log WHERE action = 'auto_complete'") == 3


def test_cut_off_time_is_respected(repo, studio):
    repo.book_session(studio.client, studio.tutor, hours_from_now(-10), hours_from_now(-9), time_zone="UTC")
    repo.book_session(studio.client, studio.tutor, hours_from_now(-3), hours_from_now(-2), time_zone="UTC")
    assert repo.auto_complete(hours_from_now(-5)).completed == 1
    assert repo.auto_complete().completed == 1


def test_room_runs_out_in_time_order_and_spills_to_the_next_package(repo, studio):
    booked = repo.sell_package(studio.client, "Booked", 2, purchased_at=hours_from_now(-24 * 30))
    sooner = repo.sell_package(studio.client, "Sooner", 1, expires_at=hours_from_now(100),
                               purchased_at=hours_from_now(-24 * 30))
    later = repo.sell_package(studio.client, "Later", 2, purchased_at=hours_from_now(-24 * 30))
    on_booked = repo.book_session(studio.client, studio.tutor, hours_from_now(-100), hours_from_now(-99), booked, 0, time_zone="UTC")
    on_booked += repo.book_session(studio.client, studio.tutor, hours_from_now(-90), hours_from_now(-89), booked, 0, time_zone="UTC")
    on_booked += repo.book_session(studio.client, studio.tutor, hours_from_now(-80), hours_from_now(-79), booked, 0, time_zone="UTC")
    free = [repo.book_session(studio.client, studio.tutor, hours_from_now(-h), hours_from_now(1 - h), time_zone="UTC")[0]
            for h in (70, 60, 50, 40)]
    result = repo.auto_complete()
    assert (result.completed, result.deducted) == (7, 5)
    assert [repo.get_package(p).sessions_used for p in (booked, sooner, later)] == [2, 1, 2]
    # The earliest booked sessions got the booked package's two sessions; the last one found it used up.
    assert [repo.get_session(s).charged_package_id for s in free] == [sooner, later, later, None]
    assert all(repo.get_session(s).package_id is None for s in free)
    charged = {e.session_id for p in (booked, sooner, later) for e in repo.ledger_for_package(p)}
    assert charged == set(on_booked[:2]) | set(free[:3])
    assert repo.reconcile() == []


def test_expired_and_cancelled_packages_are_not_drawn_from(repo, studio):
    old = repo.sell_package(studio.client, "Old", 5, expires_at=hours_from_now(1), purchased_at=hours_from_now(-99))
    repo.change_package_expiry(old, hours_from_now(-6))
    gone = repo.sell_package(studio.client, "Gone", 5)
    repo.cancel_package(gone)
    repo.book_session(studio.client, studio.tutor, hours_from_now(-5), hours_from_now(-4), old,  # after the expiry
                      time_zone="UTC")
    repo.book_session(studio.client, studio.tutor, hours_from_now(-3), hours_from_now(-2), time_zone="UTC")
    assert (repo.auto_complete().deducted, repo.get_package(old).sessions_used, repo.get_package(gone).sessions_used) == (0, 0, 0)


def test_a_cut_off_in_the_future_is_refused_and_changes_nothing(repo, studio):
    package = repo.sell_package(studio.client, "Ten", 10)
    repo.book_session(studio.client, studio.tutor, hours_from_now(20), hours_from_now(21), package, time_zone="UTC")
    with pytest.raises(InvalidInput, match="cannot be in the future"):
        repo.auto_complete(hours_from_now(48))
    assert repo.get_package(package).sessions_used == 0


def test_a_session_draws_only_from_packages_bought_by_its_day(repo, studio):
    """One by one or set-based: a package bought after a session's day (in the session's zone) never pays for it."""
    older = repo.sell_package(studio.client, "Older", 1, purchased_at=hours_from_now(-24 * 10))
    first, second, third = (
        repo.book_session(studio.client, studio.tutor, hours_from_now(-24 * d), hours_from_now(1 - 24 * d),
                          time_zone="UTC")[0] for d in (9, 8, 7))
    newer = repo.sell_package(studio.client, "Newer", 5, expires_at=hours_from_now(24),  # drawn from first if it could
                              purchased_at=hours_from_now(-24 * 7 - 1))                  # bought on the third's day
    result = repo.auto_complete()
    assert (result.completed, result.deducted) == (3, 2)
    assert [repo.get_session(s).charged_package_id for s in (first, second, third)] == [older, None, newer]
    assert repo.reconcile() == []
    late = repo.book_session(studio.client, studio.tutor, hours_from_now(-24 * 8 + 3), hours_from_now(-24 * 8 + 4),
                             time_zone="UTC")[0]
    marked = repo.set_session_status(late, SessionStatus.DONE)  # one by one: the same rule
    assert (marked.applied, marked.reason, marked.package_id) == (False, "exhausted", None)
