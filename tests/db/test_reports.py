"""The reports on a fixed studio built here: every figure is worked out by hand below (in the comments) and
compared with what the SQL reports return; the unused-prepaid total at a moment in the past agrees with the ledger
up to that moment. A tutor reads their own activity and no money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest

from tutor_desktop.domain import (
    BookedSessions,
    InvalidInput,
    NotAllowed,
    PaymentMethod,
    PayPer,
    Period,
    SessionStatus,
    StaffRole,
)

D = Decimal
TODAY = datetime.now(timezone.utc).date()


def at(days: int, hour: float = 10) -> datetime:
    return datetime.combine(TODAY + timedelta(days=days), time(0), timezone.utc) + timedelta(hours=hour)


def on(days: int) -> date:
    return TODAY + timedelta(days=days)


@dataclass
class Studio:
    maya: int
    leo: int
    ann: int
    ben: int
    cleo: int
    packages: dict[str, UUID]
    middle: datetime  # a moment between the first marks and the corrections, cancellation and expiry change
    maya_login: object


@pytest.fixture
def studio(repo, login_as, database) -> Studio:
    maya_login = login_as(StaffRole.TUTOR, "Maya")
    maya, leo = maya_login.staff_id, repo.add_staff("Leo", StaffRole.TUTOR)
    repo.set_tutor_pay_rate(maya, D("30.00"), PayPer.SESSION)
    repo.set_tutor_pay_rate(leo, D("40.00"), PayPer.HOUR)
    ann, ben, cleo = (repo.create_client(n) for n in ("Ann", "Ben", "Cleo"))
    p = {
        "A": repo.sell_package(ann, "Ten", 10, purchased_at=at(-20), price=D("400.00")),
        "B": repo.sell_package(ben, "Five", 5, expires_at=at(10), purchased_at=at(-15), price=D("250.00")),
        "C": repo.sell_package(cleo, "Four", 4, expires_at=datetime.now(timezone.utc) + timedelta(hours=1),
                               purchased_at=at(-30), price=D("200.00")),
        "D": repo.sell_package(ben, "Trial", 2, purchased_at=at(-8), price=D("60.00")),
        "E": repo.sell_package(cleo, "Two", 2, price=D("80.00")),
    }
    pay = repo.record_payment
    pay(p["A"], D("150.00"), PaymentMethod.CASH, on(-20))
    pay(p["A"], D("100.00"), PaymentMethod.CARD, on(-10))
    pay(p["B"], D("250.00"), PaymentMethod.BANK_TRANSFER, on(-15))
    pay(p["B"], D("-50.00"), PaymentMethod.CARD, on(-2), "one lesson less")
    pay(p["C"], D("200.00"), PaymentMethod.CASH, on(-30))
    pay(p["D"], D("20.00"), PaymentMethod.CASH, on(-1))

    def book(client: int, tutor: int, package: str, start: datetime, hours: float = 1) -> UUID:
        return repo.book_session(client, tutor, start, start + timedelta(hours=hours), p[package], time_zone="UTC")[0]

    s1 = book(ann, maya, "A", at(-5))
    s2 = book(ann, maya, "A", at(-4), 1.5)
    s3 = book(ben, maya, "B", at(-3))
    s4 = book(ben, maya, "B", at(-2))
    s5 = book(cleo, leo, "C", at(-5, 14))
    s6 = book(ann, leo, "A", at(-3, 14))
    book(ann, leo, "A", at(3, 14))
    for d in (4, 5, 6):  # three booked on a package of two: overbooked
        book(cleo, leo, "E", at(d, 14))
    for s in (s1, s5, s2):
        repo.set_session_status(s, SessionStatus.DONE)
    middle = database.scalar("SELECT clock_timestamp()")
    repo.set_session_status(s2, SessionStatus.NO_SHOW_TUTOR)  # a correction gives the session back ...
    repo.set_session_status(s2, SessionStatus.DONE)  # ... and back to done uses it again
    repo.set_session_status(s3, SessionStatus.NO_SHOW_STUDENT)
    repo.set_session_status(s6, SessionStatus.NO_SHOW_TUTOR)
    repo.set_session_status(s4, SessionStatus.CANCELLED)
    repo.cancel_package(p["D"], "changed their mind", booked=BookedSessions.KEEP)
    repo.change_package_expiry(p["C"], at(-1))  # expired yesterday
    return Studio(maya, leo, ann, ben, cleo, p, middle, maya_login)


PERIOD = Period(on(-10), on(7))


def test_tutor_activity_counts_sessions_hours_and_pay(repo, studio):
    rows = {r.tutor_name: r for r in repo.report_tutor_activity(PERIOD, "UTC")}
    maya, leo = rows["Maya"], rows["Leo"]
    # Maya: s1 done 1 h, s2 done 1.5 h (after done -> tutor no-show -> done), s3 student no-show 1 h, s4 cancelled.
    assert (maya.done.sessions, maya.done.hours) == (2, D("2.50"))
    assert (maya.no_show_student.sessions, maya.no_show_tutor.sessions, maya.cancelled.sessions) == (1, 0, 1)
    assert (maya.upcoming.sessions, maya.rescheduled.sessions) == (0, 0)
    assert maya.pay == D("30.00") * 3  # done and student no-show are paid: 3 sessions at 30.00
    # Leo: s5 done 1 h, s6 tutor no-show 1 h, four upcoming (one on A, three on E).
    assert (leo.done.sessions, leo.no_show_tutor.sessions, leo.upcoming.sessions, leo.upcoming.hours) == (
        1, 1, 4, D("4.00"))
    assert (leo.pay_per, leo.pay) == ("hour", D("40.00"))  # 1 hour delivered at 40.00


def test_revenue_counts_sales_payments_and_refunds_in_the_period(repo, studio):
    lines = {(r.kind, r.method): (r.count, r.amount) for r in repo.report_revenue(PERIOD, "UTC")}
    assert lines == {
        ("sold", None): (2, D("140.00")),  # D (60.00, eight days ago) and E (80.00, today)
        ("payment", "card"): (1, D("100.00")),  # ten days ago: the period's first day counts
        ("payment", "cash"): (1, D("20.00")),
        ("refund", "card"): (1, D("-50.00")),
    }


def test_unused_prepaid_now_and_in_the_past_follows_the_ledger(repo, studio, database):
    now = {r.label: (r.sessions_remaining, r.value) for r in repo.report_unused_prepaid()}
    # A: 10 - 2 used = 8 x 40.00; B: 5 - 1 = 4 x 50.00; E: 2 x 40.00. C expired, D cancelled.
    assert now == {"Ten": (8, D("320.00")), "Five": (4, D("200.00")), "Two": (2, D("80.00"))}
    then = {r.label: (r.sessions_remaining, r.value) for r in repo.report_unused_prepaid(studio.middle)}
    # Then: A had s1 and s2 used (8 left), B none used, C one used and not yet expired, D not yet cancelled.
    assert then == {"Ten": (8, D("320.00")), "Five": (5, D("250.00")), "Four": (3, D("150.00")),
                    "Two": (2, D("80.00")), "Trial": (2, D("60.00"))}
    assert sum(v for _, v in then.values()) == D("860.00")
    ledger = dict(database.scalar(
        "SELECT jsonb_object_agg(p.label, p.sessions_total - coalesce((SELECT sum(l.delta) FROM tutor.package_ledger l"
        " WHERE l.package_id = p.id AND l.created_at <= %s), 0)) FROM tutor.packages p", (studio.middle,)))
    assert {label: left for label, (left, _) in then.items()} == {k: v for k, v in ledger.items() if k in then}
    assert repo.report_unused_prepaid(at(-40)) == []  # before anything was bought


def test_attendance_rates_per_client_and_tutor(repo, studio):
    rows = {(r.kind, r.name): (r.sessions, r.student_no_shows, r.tutor_no_shows, r.student_no_show_rate,
                               r.tutor_no_show_rate) for r in repo.report_attendance(PERIOD, "UTC")}
    assert rows == {
        ("client", "Ann"): (3, 0, 1, D("0.0"), D("33.3")),  # s1, s2 done; s6 tutor no-show
        ("client", "Ben"): (1, 1, 0, D("100.0"), D("0.0")),  # s3 (s4 was cancelled: not counted)
        ("client", "Cleo"): (1, 0, 0, D("0.0"), D("0.0")),
        ("tutor", "Maya"): (3, 1, 0, D("33.3"), D("0.0")),
        ("tutor", "Leo"): (2, 0, 1, D("0.0"), D("50.0")),
    }


def test_needs_attention_lists_each_finding(repo, studio):
    found = [(i.kind.code, i.client_name, i.label, i.sessions, i.amount) for i in repo.report_needs_attention()]
    assert found == [
        ("overbooked", "Cleo", "Two", -1, None),  # 2 left, 3 booked
        ("balance_due", "Ann", "Ten", None, D("150.00")),  # 400 less 150 + 100 received
        # B: 250 received on a price of 250, then 50 given back: a refund is not owed again, nothing is due.
        ("balance_due", "Cleo", "Two", None, D("80.00")),  # D is cancelled, C paid in full
        ("low_balance", "Cleo", None, 2, None),
        ("expiring", "Ben", "Five", 4, None),  # in ten days
        ("no_upcoming", "Ben", None, 4, None),
    ]
    assert ("low_balance", "Ben") in {(i.kind.code, i.client_name) for i in repo.report_needs_attention(low=4)}
    assert "expiring" not in {i.kind.code for i in repo.report_needs_attention(days=5)}


def test_a_refund_is_not_owed_again(repo, studio):
    five = studio.packages["B"]
    money = repo.package_money([five])[five]
    # B: 250 received on a price of 250, 50 given back: 200 paid, nothing due.
    assert (money.price, money.paid, money.due) == (D("250.00"), D("200.00"), D("0.00"))
    with pytest.raises(InvalidInput, match="paid in full"):
        repo.record_payment(five, D("50.00"), PaymentMethod.CASH)
    with pytest.raises(InvalidInput, match="more than the 200.00 paid"):  # a refund: at most what was paid
        repo.record_payment(five, D("-200.01"), PaymentMethod.CARD, note="all of it")
    after = repo.set_package_price(five, D("200.00"))  # the price lowered to what was paid: still nothing due
    assert (after.paid, after.due) == (D("200.00"), D("0.00"))
    with pytest.raises(InvalidInput, match="record a refund first"):
        repo.set_package_price(five, D("199.99"))
    ten = studio.packages["A"]  # 400, 250 received: a refund of 100 leaves 150 due, not 250
    assert repo.record_payment(ten, D("-100.00"), PaymentMethod.CARD, note="two lessons less").due == D("150.00")


def test_a_tutor_sees_only_their_own_activity_and_no_money(studio):
    tutor = studio.maya_login.repo
    [mine] = tutor.report_tutor_activity(PERIOD, "UTC")
    assert (mine.tutor_name, mine.done.sessions, mine.pay_rate, mine.pay) == ("Maya", 2, None, None)
    for read in (lambda: tutor.report_revenue(PERIOD, "UTC"), tutor.report_unused_prepaid,
                 lambda: tutor.report_attendance(PERIOD, "UTC"), tutor.report_needs_attention,
                 lambda: tutor.package_money(list(studio.packages.values())),
                 lambda: tutor.payments_for_packages(list(studio.packages.values())), tutor.catalogue):
        with pytest.raises(NotAllowed):
            read()


def test_a_period_that_ends_before_it_starts_is_refused(repo, studio):
    with pytest.raises(InvalidInput, match="before it starts"):
        repo.rows("SELECT * FROM tutor.report_revenue(:f, :t)", {"f": on(0), "t": on(-1)})
    with pytest.raises(InvalidInput, match="not a time zone"):
        repo.report_tutor_activity(PERIOD, "Mars/Olympus")


def test_payments_are_audited_and_bad_ones_change_nothing(repo, studio, database):
    actions = database.scalar("SELECT array_agg(action ORDER BY id) FROM tutor.audit_log WHERE action LIKE 'record_%%'")
    # A 150, A 100, B 250, B's refund, C 200, D 20: in the order they were recorded
    assert actions == ["record_payment"] * 3 + ["record_refund"] + ["record_payment"] * 2
    before = database.scalar("SELECT count(*) FROM tutor.payments")
    for bad in (D("-1"), D("10.001")):
        with pytest.raises(InvalidInput):
            repo.set_package_price(studio.packages["A"], bad)
    with pytest.raises(InvalidInput, match="more than the 150.00 still due"):
        repo.record_payment(studio.packages["A"], D("150.01"), PaymentMethod.CASH)
    with pytest.raises(InvalidInput, match="in the future"):
        repo.record_payment(studio.packages["A"], D("1"), PaymentMethod.CASH, on(5))
    assert database.scalar("SELECT count(*) FROM tutor.payments") == before
    assert repo.package_money([studio.packages["A"]])[studio.packages["A"]].price == D("400.00")


def test_the_command_line_prints_and_writes_the_same_figures(repo, studio, capsys, tmp_path):
    from tutor_desktop.cli import build_parser
    from tutor_desktop.cli_report import run_report

    def report(*words: str) -> str:
        assert run_report(repo, build_parser().parse_args(["report", *words])) == 0
        return capsys.readouterr().out

    dates = ["--from", str(PERIOD.first), "--to", str(PERIOD.last)]
    printed = report("revenue", *dates).splitlines()
    assert [line.split() for line in printed[2:]] == [
        ["sold", "2", "140.00"], ["payment", "card", "1", "100.00"], ["payment", "cash", "1", "20.00"],
        ["refund", "card", "1", "-50.00"]]
    out = tmp_path / "tutors.csv"
    report("tutors", *dates, "--csv", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["Leo,1,1.00,0,1,0,0,4,1.00,40.00/hour,40.00", "Maya,2,2.50,1,0,1,0,0,3.50,30.00/session,90.00"]
    unused = report("unused", "--to", str(on(0)), "--csv", "-").splitlines()
    assert unused[-1] == "Total,,14,,,600.00"  # 8 + 4 + 2 left; 320.00 + 200.00 + 80.00
    with pytest.raises(InvalidInput, match="one moment"):
        report("unused", "--from", str(on(0)))


def test_the_demo_studio_has_a_catalogue_prices_and_payments(repo, database):
    from tutor_desktop.db.demo import CATALOGUE, load_demo

    with database.admin() as conn:  # an empty studio: the demo loads only into one
        conn.execute("DELETE FROM tutor.staff")
    assert load_demo(repo).loaded
    assert [i.name for i in repo.catalogue()] == sorted(CATALOGUE)
    assert repo.currency() == "GBP"
    packages = [p for _, p in repo.studio_packages()]
    money = repo.package_money([p.id for p in packages])
    assert all(m.price is not None for m in money.values())
    assert {m.due == 0 for m in money.values()} == {True, False}  # some paid in full, some not
    kinds = {i.kind.code for i in repo.report_needs_attention()}
    assert {"balance_due", "low_balance"} <= kinds
    assert repo.reconcile() == []
