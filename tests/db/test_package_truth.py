"""A cancelled package tells the truth: nothing bookable, its booked sessions moved, cancelled or kept with no
package in the same call, and its history holds its sale, its cancellation and its expiry changes."""

import uuid

import pytest

from tutor_desktop.domain import BookedSessions, HistoryKind, InvalidInput, PackageState, SessionStatus

from .conftest import book_days_ahead, hours_from_now


def test_a_cancelled_or_expired_package_has_nothing_bookable(repo, studio, database):
    package = repo.sell_package(studio.client, "Twelve", 12)
    book_days_ahead(repo, studio, package, 1)
    assert repo.get_package(package).sessions_bookable == 11
    repo.cancel_package(package, reason="refund")
    cancelled = repo.get_package(package)
    assert cancelled.state == PackageState.CANCELLED and cancelled.sessions_bookable == 0
    assert cancelled.sessions_remaining == 12  # what is left is still said; it is just not bookable
    soon = repo.sell_package(studio.client, "Soon", 5, expires_at=hours_from_now(1),
                             purchased_at=hours_from_now(-2))
    with database.admin() as conn:
        conn.execute("UPDATE tutor.packages SET expires_at = now() - interval '1 minute' WHERE id = %s", (soon,))
    assert repo.get_package(soon).sessions_bookable == 0


@pytest.mark.parametrize("booked", list(BookedSessions))
def test_cancelling_does_what_was_chosen_with_the_booked_sessions(repo, studio, booked):
    package = repo.sell_package(studio.client, "Twelve", 12)
    other = repo.sell_package(studio.client, "Other", 5)
    sessions = book_days_ahead(repo, studio, package, 1, 8)
    request = uuid.uuid4()
    move_to = other if booked is BookedSessions.MOVE else None
    answer = repo.cancel_package(package, reason="moving away", request_id=request, booked=booked, move_to=move_to)
    assert answer.applied and answer.sessions_remaining == 12
    assert (answer.moved, answer.cancelled, answer.kept) == {
        BookedSessions.MOVE: (2, 0, 0), BookedSessions.CANCEL: (0, 2, 0), BookedSessions.KEEP: (0, 0, 2)}[booked]
    after = [repo.get_session(s) for s in sessions]
    if booked is BookedSessions.MOVE:
        assert {s.package_id for s in after} == {other} and repo.get_package(other).sessions_bookable == 3
    elif booked is BookedSessions.CANCEL:
        assert {s.status for s in after} == {SessionStatus.CANCELLED}
    else:
        assert {s.package_id for s in after} == {None} and {s.status for s in after} == {SessionStatus.SCHEDULED}
    replay = repo.cancel_package(package, reason="moving away", request_id=request, booked=booked, move_to=move_to)
    assert replay == answer  # the first outcome, counts included
    again = repo.cancel_package(package, booked=booked, move_to=move_to)
    assert not again.applied and again.reason == "inactive" and again.sessions_touched == 0
    [audit] = repo.rows("SELECT details FROM tutor.audit_log WHERE action = 'cancel_package'")
    assert audit.details["booked"] == booked and len(audit.details["sessions"]) == 2


def test_sessions_move_only_to_another_active_package_of_the_client(repo, studio):
    package = repo.sell_package(studio.client, "Twelve", 12)
    book_days_ahead(repo, studio, package, 1)
    stranger = repo.sell_package(repo.create_client("Someone Else"), "Theirs", 5)
    gone = repo.sell_package(studio.client, "Gone", 5)
    repo.cancel_package(gone)
    for target, words in ((stranger, "same client"), (package, "same client"), (gone, "not active")):
        with pytest.raises(InvalidInput, match=words):
            repo.cancel_package(package, booked=BookedSessions.MOVE, move_to=target)
    with pytest.raises(InvalidInput, match="only when they move"):
        repo.cancel_package(package, booked=BookedSessions.MOVE)
    assert repo.get_package(package).state == PackageState.ACTIVE  # nothing of a refused call stays


def test_the_history_holds_the_sale_the_cancellation_and_expiry_changes(repo, studio):
    package = repo.sell_package(studio.client, "Twelve", 12)
    book_days_ahead(repo, studio, package, 1)
    repo.use_session(package, reason="by hand")
    repo.change_package_expiry(package, hours_from_now(24 * 60))
    repo.cancel_package(package, reason="refund", booked=BookedSessions.CANCEL)
    history = repo.package_history([package])[package]
    assert [e.kind for e in history] == [HistoryKind.PACKAGE_SOLD, HistoryKind.MANUAL_USE,
                                         HistoryKind.EXPIRY_CHANGED, HistoryKind.PACKAGE_CANCELLED]
    assert [e.change for e in history] == [0, -1, 0, 0]
    sold, used, expiry, cancelled = history
    assert sold.details["sessions_total"] == 12 and used.reason == "by hand"
    assert expiry.details["from"] is None and expiry.details["to"]
    assert cancelled.reason == "refund" and cancelled.details["booked"] == "cancel"
    assert all(e.actor_name for e in history)
