"""Scenarios every Studio must pass: the real one (tests/db/test_studio_contract.py, on PostgreSQL) and the fake
(tests/unit/test_fake_studio.py). The same assertions on both, so the fake says what the database says."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tutor_desktop.domain import (
    BookedSessions,
    HistoryKind,
    ImportKind,
    InvalidInput,
    LedgerKind,
    NotFound,
    PackageState,
    PaymentMethod,
    PayPer,
    Period,
    SessionStatus,
    StaffRole,
)
from tutor_desktop.ports import Studio


def _hours(hours: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(hours=hours)


def _booked(studio: Studio, tutor_id: int, sessions: int = 5) -> tuple[uuid.UUID, uuid.UUID]:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Five", sessions)
    start = _hours(24)
    return package, studio.book_session(client, tutor_id, start, start + timedelta(hours=1), package, time_zone="UTC")[0]


def use_until_exhausted_then_refuse(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Two", 2)
    assert [studio.use_session(package).sessions_remaining for _ in range(2)] == [1, 0]
    refused = studio.use_session(package, reason="one more")
    assert (refused.applied, refused.reason, refused.sessions_used, refused.sessions_remaining) == (
        False, "exhausted", 2, 0)
    assert studio.packages_for_client(client)[0].state is PackageState.USED_UP


def refusals_say_expired_and_inactive(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    old = studio.sell_package(client, "Old", 3, expires_at=_hours(1), purchased_at=_hours(-48))
    studio.change_package_expiry(old, _hours(-24))  # a sale already expired is refused
    assert (studio.use_session(old).applied, studio.use_session(old).reason) == (False, "expired")
    cancelled = studio.sell_package(client, "Cancelled", 3)
    assert studio.cancel_package(cancelled).applied
    assert studio.cancel_package(cancelled).reason == "inactive"
    assert studio.use_session(cancelled).reason == "inactive"
    states = {p.id: p.state for p in studio.packages_for_client(client)}
    assert states == {old: PackageState.EXPIRED, cancelled: PackageState.CANCELLED}


def reinstate_gives_back_the_latest_use(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Three", 3)
    assert studio.reinstate_session(package).reason == "nothing_to_reinstate"
    studio.use_session(package, reason="first")
    back = studio.reinstate_session(package, reason="by mistake")
    assert (back.applied, back.sessions_used, back.sessions_remaining) == (True, 0, 3)
    again = studio.reinstate_session(package)
    assert (again.applied, again.reason) == (False, "nothing_to_reinstate")
    use, reinstate = studio.ledger_for_packages([package])[package]
    assert (use.kind, use.delta, reinstate.kind, reinstate.delta) == (
        LedgerKind.MANUAL_USE, 1, LedgerKind.MANUAL_REINSTATE, -1)
    assert reinstate.reverses == use.id and reinstate.reason == "by mistake"


def reinstate_gives_back_the_chosen_use(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Three", 3)
    other = studio.sell_package(client, "Other", 3)
    for reason in ("first", "second"):
        studio.use_session(package, reason=reason)
    studio.use_session(other, reason="elsewhere")
    first, second = studio.ledger_for_packages([package])[package]
    elsewhere = studio.ledger_for_packages([other])[other][0]
    with pytest.raises(InvalidInput, match="given back already"):
        studio.reinstate_session(package, reason="r", entry_id=elsewhere.id)  # not one of this package's
    back = studio.reinstate_session(package, reason="the first was wrong", entry_id=first.id)
    assert (back.applied, back.sessions_used) == (True, 1)
    entries = studio.ledger_for_packages([package])[package]
    assert entries[-1].reverses == first.id and entries[-1].kind == LedgerKind.MANUAL_REINSTATE
    with pytest.raises(InvalidInput, match="given back already"):
        studio.reinstate_session(package, reason="again", entry_id=first.id)
    assert studio.get_package(package).sessions_used == 1
    assert studio.reinstate_session(package).applied  # the latest live use: the second
    assert studio.ledger_for_packages([package])[package][-1].reverses == second.id


def done_then_tutor_no_show_gives_back(studio: Studio, tutor_id: int) -> None:
    package, session = _booked(studio, tutor_id)
    done = studio.set_session_status(session, SessionStatus.DONE, "went well")
    assert (done.session_status, done.package_id, done.applied, done.reason, done.sessions_remaining) == (
        SessionStatus.DONE, package, True, "consumed", 4)
    back = studio.set_session_status(session, SessionStatus.NO_SHOW_TUTOR)
    assert (back.session_status, back.reason, back.sessions_used, back.sessions_remaining) == (
        SessionStatus.NO_SHOW_TUTOR, "given_back", 0, 5)
    assert [e.kind for e in studio.ledger_for_packages([package])[package]] == [
        LedgerKind.SESSION_CONSUMED, LedgerKind.SESSION_GIVEN_BACK]


def notes_are_saved_whatever_the_status(studio: Studio, tutor_id: int) -> None:
    package, session = _booked(studio, tutor_id)
    studio.set_session_status(session, SessionStatus.DONE)
    assert studio.set_session_notes(session, "Fractions; homework p. 12") == "Fractions; homework p. 12"
    client = studio.get_package(package).client_id
    [stored] = studio.sessions_for_client(client)
    assert (stored.status, stored.tutor_notes) == (SessionStatus.DONE, "Fractions; homework p. 12")
    assert studio.set_session_notes(session, "") == ""
    assert studio.get_package(package).sessions_remaining == 4


def reschedule_moves_to_a_new_session(studio: Studio, tutor_id: int) -> None:
    package, session = _booked(studio, tutor_id)
    start = _hours(48)
    moved = studio.reschedule_session(session, start, start + timedelta(hours=1), time_zone="UTC")
    assert (moved.session_status, moved.reason, moved.sessions_remaining) == (SessionStatus.RESCHEDULED, "unchanged", 5)
    old, new = sorted(studio.sessions_between(_hours(0), _hours(72), tutor_id), key=lambda s: s.starts_at)
    assert (old.id, old.status, old.rescheduled_to) == (session, SessionStatus.RESCHEDULED, moved.new_session_id)
    assert (new.id, new.status, new.package_id, new.starts_at) == (moved.new_session_id, SessionStatus.SCHEDULED,
                                                                   package, start)


def replaying_a_request_id_returns_the_first_outcome(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "One", 1)
    request = uuid.uuid4()
    first = studio.use_session(package, request_id=request)
    assert studio.use_session(package, request_id=request) == first
    assert (first.applied, first.sessions_remaining) == (True, 0)
    assert studio.reinstate_session(package).applied
    replay = studio.use_session(package, request_id=request)  # the first outcome, today's counts, nothing used
    assert (replay.applied, replay.reason, replay.sessions_used, replay.sessions_remaining) == (True, None, 0, 1)
    start = _hours(24)
    booking = uuid.uuid4()
    ids = studio.book_session(client, tutor_id, start, start + timedelta(hours=1), weekly_repeats=2,
                              request_id=booking, time_zone="UTC")
    assert len(ids) == 3 and studio.book_session(client, tutor_id, start, start + timedelta(hours=1),
                                                 weekly_repeats=2, request_id=booking, time_zone="UTC") == ids
    assert len(studio.sessions_for_client(client)) == 3


def unknown_ids_raise_not_found(studio: Studio, tutor_id: int) -> None:
    nowhere = uuid.uuid4()
    for call in (lambda: studio.use_session(nowhere), lambda: studio.reinstate_session(nowhere),
                 lambda: studio.cancel_package(nowhere), lambda: studio.change_package_expiry(nowhere, None),
                 lambda: studio.set_session_status(nowhere, SessionStatus.DONE),
                 lambda: studio.get_client(987_654_321)):
        with pytest.raises(NotFound):
            call()


def only_teaching_staff_are_booked(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    desk = studio.add_staff("Contract Desk", StaffRole.FRONT_DESK)  # type: ignore[attr-defined]  # both have it
    assert {s.id: s.teaches for s in studio.list_staff()}[desk] is False
    with pytest.raises(InvalidInput, match="does not teach"):
        studio.book_session(client, desk, _hours(30), _hours(31), time_zone="UTC")
    with pytest.raises(InvalidInput, match="A tutor always teaches"):
        studio.set_staff_teaches(tutor_id, False)
    studio.set_staff_teaches(desk, True)
    assert studio.book_session(client, desk, _hours(30), _hours(31), time_zone="UTC")


def search_ignores_accents_and_case(studio: Studio, _tutor_id: int) -> None:
    rosa = studio.create_client("Rosa Jiménez", "rosa@example.com")
    studio.create_client("Chloé Martin")
    for typed in ("jimenez", "JIMÉNEZ", "Jimé", "rosa@EXAMPLE"):
        assert [c.id for c in studio.list_clients(typed)] == [rosa], typed
    assert [c.full_name for c in studio.list_clients("chloe")] == ["Chloé Martin"]
    assert studio.list_clients("100%") == []  # LIKE's own characters are only characters


def cancelling_says_what_became_of_the_booked_sessions(studio: Studio, tutor_id: int) -> None:
    package, session = _booked(studio, tutor_id)
    client = studio.get_package(package).client_id
    other = studio.sell_package(client, "Other", 4)
    with pytest.raises(InvalidInput):
        studio.cancel_package(package, booked=BookedSessions.MOVE)  # moving needs a package to move to
    request = uuid.uuid4()
    answer = studio.cancel_package(package, reason="refund", request_id=request, booked=BookedSessions.MOVE,
                                   move_to=other)
    assert (answer.applied, answer.moved, answer.cancelled, answer.kept, answer.sessions_remaining) == (
        True, 1, 0, 0, 5)
    assert studio.cancel_package(package, reason="refund", request_id=request, booked=BookedSessions.MOVE,
                                 move_to=other) == answer
    assert [(s.id, s.package_id) for s in studio.sessions_for_client(client)] == [(session, other)]
    cancelled = studio.get_package(package)
    assert (cancelled.state, cancelled.sessions_bookable) == (PackageState.CANCELLED, 0)
    assert studio.get_package(other).sessions_bookable == 3
    studio.change_package_expiry(other, _hours(24 * 30), reason="moved sessions need time")
    assert [e.kind for e in studio.package_history([package])[package]] == [
        HistoryKind.PACKAGE_SOLD, HistoryKind.PACKAGE_CANCELLED]
    assert [(e.kind, e.reason) for e in studio.package_history([other])[other]] == [
        (HistoryKind.PACKAGE_SOLD, ""), (HistoryKind.EXPIRY_CHANGED, "moved sessions need time")]


def a_cancelled_package_changes_no_more(studio: Studio, tutor_id: int) -> None:
    """Nothing is used, given back by hand or re-dated on a cancelled package; its count stays as it was."""
    client = studio.create_client("Contract Cancelled")
    package = studio.sell_package(client, "Ten", 10)
    assert studio.use_session(package, reason="late cancellation").applied
    assert studio.cancel_package(package, reason="refund").applied
    refused = studio.reinstate_session(package, reason="by mistake")
    assert (refused.applied, refused.reason, refused.sessions_used) == (False, "inactive", 1)
    with pytest.raises(InvalidInput, match="cancelled"):
        studio.change_package_expiry(package, _hours(24 * 30), reason="goodwill")
    assert studio.get_package(package).sessions_used == 1


def import_reports_every_bad_row_and_adds_each_row_once(studio: Studio, tutor_id: int) -> None:
    clients = [{"row": "2", "name": "Imported Ana", "email": "ana@example.com"}, {"row": "3", "name": " "},
               {"row": "4", "name": "imported ana", "email": "ANA@example.com"}]
    refused = studio.import_rows(ImportKind.CLIENTS, clients)
    assert (refused.applied, [p.row for p in refused.problems]) == (False, [3, 4])
    assert studio.list_clients("Imported") == []
    assert studio.import_rows(ImportKind.CLIENTS, clients[:1], dry_run=True).added == 1
    assert studio.list_clients("Imported") == []
    first = studio.import_rows(ImportKind.CLIENTS, clients[:1])
    again = studio.import_rows(ImportKind.CLIENTS, clients[:1])
    assert (first.applied, first.added, again.added, again.existing) == (True, 1, 0, 1)
    packages = [{"row": "2", "client_name": "Imported Ana", "label": "Old", "sessions_total": "5",
                 "sessions_used": "5", "purchased": "2024-01-01", "expires": "2024-12-31"},
                {"row": "3", "client_name": "Nobody", "label": "X", "sessions_total": "5", "purchased": "2024-01-01"},
                {"row": "4", "client_name": "Imported Ana", "label": "Y", "sessions_total": "5", "sessions_used": "6",
                 "purchased": "2024-13-01"}]
    assert [p.row for p in studio.import_rows(ImportKind.PACKAGES, packages).problems] == [3, 4, 4]
    assert studio.import_rows(ImportKind.PACKAGES, packages[:1]).added == 1
    assert studio.import_rows(ImportKind.PACKAGES, packages[:1]).existing == 1
    [client] = studio.list_clients("Imported")
    [old] = studio.packages_for_client(client.id)
    assert (old.sessions_used, old.state) == (5, PackageState.EXPIRED)
    entries = studio.ledger_for_packages([old.id])[old.id]
    assert [(e.kind, e.delta) for e in entries] == [(LedgerKind.USED_BEFORE, 1)] * 5


def a_statement_holds_the_balances_and_who_taught(studio: Studio, tutor_id: int) -> None:
    package, session = _booked(studio, tutor_id)
    studio.use_session(package, reason="by hand")
    studio.set_session_status(session, SessionStatus.DONE)
    client = next(c for c, p in studio.studio_packages() if p.id == package).id
    tutor = next(s.display_name for s in studio.list_staff() if s.id == tutor_id)
    statement = studio.client_statement(client)
    assert statement.sessions_remaining == 3 and [p.sessions_used for p in statement.packages] == [2]
    whats = [(line.what, line.change, line.tutor) for line in statement.lines]
    assert ("Used by hand", -1, "") in whats and ("Session", -1, tutor) in whats
    assert whats[0][0] == "Bought"


def payments_stay_between_nothing_and_the_price(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Ten", 10, price=Decimal("400.00"))
    unpriced = studio.sell_package(client, "Gift", 2)
    with pytest.raises(InvalidInput, match="no price yet"):
        studio.record_payment(unpriced, Decimal("10"), PaymentMethod.CASH)
    request = uuid.uuid4()
    first = studio.record_payment(package, Decimal("150.00"), PaymentMethod.CARD, request_id=request)
    assert (first.price, first.paid, first.due) == (Decimal("400.00"), Decimal("150.00"), Decimal("250.00"))
    assert studio.record_payment(package, Decimal("150.00"), PaymentMethod.CARD, request_id=request) == first
    with pytest.raises(InvalidInput, match="more than the 250.00 still due"):
        studio.record_payment(package, Decimal("250.01"), PaymentMethod.CASH)
    with pytest.raises(InvalidInput, match="refund needs a reason"):
        studio.record_payment(package, Decimal("-20"), PaymentMethod.CARD)
    with pytest.raises(InvalidInput, match="more than the 150.00 paid"):
        studio.record_payment(package, Decimal("-150.01"), PaymentMethod.CARD, note="too much")
    with pytest.raises(InvalidInput, match="cannot be negative"):
        studio.set_package_price(package, Decimal("-1"))
    with pytest.raises(InvalidInput, match="record a refund first"):
        studio.set_package_price(package, Decimal("100"))
    refund = studio.record_payment(package, Decimal("-50.00"), PaymentMethod.CARD, note="one lesson less")
    # Due is the price less what was received: the 50.00 given back is not owed again.
    assert (refund.paid, refund.due) == (Decimal("100.00"), Decimal("250.00"))
    lowered = studio.set_package_price(package, Decimal("360.00"))
    assert (lowered.paid, lowered.due) == (Decimal("100.00"), Decimal("210.00"))
    assert studio.record_payment(package, Decimal("210.00"), PaymentMethod.BANK_TRANSFER).due == Decimal("0.00")
    with pytest.raises(InvalidInput, match="paid in full"):
        studio.record_payment(package, Decimal("0.01"), PaymentMethod.CASH)
    payments = studio.payments_for_packages([package])[package]
    assert [(p.amount, p.method, p.is_refund) for p in payments] == [
        (Decimal("150.00"), PaymentMethod.CARD, False), (Decimal("-50.00"), PaymentMethod.CARD, True),
        (Decimal("210.00"), PaymentMethod.BANK_TRANSFER, False)]
    assert payments[1].note == "one lesson less"
    history = [(e.kind, e.reason) for e in studio.package_history([package])[package]]
    assert history == [(HistoryKind.PACKAGE_SOLD, ""), (HistoryKind.PAYMENT_RECORDED, ""),
                       (HistoryKind.REFUND_RECORDED, "one lesson less"), (HistoryKind.PRICE_CHANGED, ""),
                       (HistoryKind.PAYMENT_RECORDED, "")]
    money = studio.package_money([package, unpriced])
    assert (money[unpriced].price, money[unpriced].paid, money[unpriced].due) == (None, Decimal("0"), None)
    with pytest.raises(NotFound):
        studio.record_payment(uuid.uuid4(), Decimal("1"), PaymentMethod.CASH)


def selling_from_the_catalogue_takes_its_price(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    item = studio.add_catalogue_item("Ten lessons", 10, Decimal("450.00"), 90)
    with pytest.raises(InvalidInput, match="cannot be negative"):
        studio.add_catalogue_item("Cheap", 5, Decimal("-1.00"))
    with pytest.raises(InvalidInput, match="already offers"):
        studio.add_catalogue_item("ten LESSONS", 5, Decimal("1.00"))
    sold = studio.sell_package(client, "Ten lessons", 10, catalogue_id=item)
    edited = studio.sell_package(client, "Ten lessons (friend)", 10, catalogue_id=item, price=Decimal("400.00"))
    money = studio.package_money([sold, edited])
    assert (money[sold].price, money[edited].price) == (Decimal("450.00"), Decimal("400.00"))
    studio.update_catalogue_item(item, "Ten lessons", 10, Decimal("450.00"), 90, active=False)
    assert studio.catalogue() == [] and [i.active for i in studio.catalogue(include_retired=True)] == [False]
    with pytest.raises(InvalidInput, match="retired"):
        studio.sell_package(client, "Ten lessons", 10, catalogue_id=item)
    with pytest.raises(NotFound):
        studio.sell_package(client, "Ten lessons", 10, catalogue_id=987_654)
    assert len(studio.packages_for_client(client)) == 2
    assert studio.set_currency("eur") == "EUR" and studio.currency() == "EUR"
    studio.set_tutor_pay_rate(tutor_id, Decimal("32.50"), PayPer.HOUR)
    rate = studio.pay_rates()[tutor_id]
    assert (rate.amount, rate.per) == (Decimal("32.50"), PayPer.HOUR)
    with pytest.raises(InvalidInput, match="cannot be negative"):
        studio.set_tutor_pay_rate(tutor_id, Decimal("-1"))
    studio.set_tutor_pay_rate(tutor_id, None)
    assert tutor_id not in studio.pay_rates()
    with pytest.raises(InvalidInput, match="three-letter"):
        studio.set_currency("euro")


def reports_count_what_happened(studio: Studio, tutor_id: int) -> None:
    client = studio.create_client("Contract Client")
    package = studio.sell_package(client, "Four", 4, price=Decimal("100.00"), purchased_at=_hours(-72))
    studio.record_payment(package, Decimal("60.00"), PaymentMethod.CASH)
    start = _hours(-50)
    done, missed = (studio.book_session(client, tutor_id, start + timedelta(hours=h), start + timedelta(hours=h + 1),
                                        package, time_zone="UTC")[0] for h in (0, 2))
    studio.set_session_status(done, SessionStatus.DONE)
    studio.set_session_status(missed, SessionStatus.NO_SHOW_STUDENT)
    today = datetime.now(timezone.utc).date()
    period = Period(today - timedelta(days=7), today)
    [mine] = [r for r in studio.report_tutor_activity(period, "UTC") if r.tutor_id == tutor_id]
    assert (mine.done.sessions, mine.done.hours, mine.no_show_student.sessions) == (1, Decimal("1.00"), 1)
    revenue = {(r.kind, r.method): (r.count, r.amount) for r in studio.report_revenue(period, "UTC")}
    assert revenue[("payment", "cash")] == (1, Decimal("60.00"))
    [unused] = [r for r in studio.report_unused_prepaid() if r.package_id == package]
    assert (unused.sessions_remaining, unused.value) == (2, Decimal("50.00"))
    [rate] = [r for r in studio.report_attendance(period, "UTC") if r.kind == "client" and r.id == client]
    assert (rate.sessions, rate.student_no_shows, rate.student_no_show_rate) == (2, 1, Decimal("50.0"))
    kinds = {i.kind.code for i in studio.report_needs_attention() if i.client_id == client}
    assert kinds == {"low_balance", "balance_due", "no_upcoming"}
    with pytest.raises(InvalidInput, match="before it starts"):
        Period(today, today - timedelta(days=1))


SCENARIOS = [
    payments_stay_between_nothing_and_the_price,
    selling_from_the_catalogue_takes_its_price,
    reports_count_what_happened,
    cancelling_says_what_became_of_the_booked_sessions,
    use_until_exhausted_then_refuse,
    refusals_say_expired_and_inactive,
    a_cancelled_package_changes_no_more,
    reinstate_gives_back_the_latest_use,
    reinstate_gives_back_the_chosen_use,
    done_then_tutor_no_show_gives_back,
    notes_are_saved_whatever_the_status,
    reschedule_moves_to_a_new_session,
    replaying_a_request_id_returns_the_first_outcome,
    unknown_ids_raise_not_found,
    only_teaching_staff_are_booked,
    search_ignores_accents_and_case,
    import_reports_every_bad_row_and_adds_each_row_once,
    a_statement_holds_the_balances_and_who_taught,
]
