"""A realistic demo studio: its admin (the login that loads it), 3 tutors with pay rates and a front desk, a
catalogue of packages in pounds, 40 clients with packages of 5, 10, 12 and 20 sessions sold from it (some expired,
some used up, some nearly used up; most paid, some in part, some not yet, a few partly refunded) and four weeks
of sessions around today. Loaded through
the same functions the desks use, in one transaction, and only into an empty studio."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from tutor_desktop import config
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import PaymentMethod, PayPer, SessionStatus, StaffRole

DEMO_LOCK_KEY = 0x64656D6F  # "demo": two desks loading at once load once

TUTORS = ["Maya Okafor", "Daniel Brandt", "Lucía Fernández"]
FRONT_DESK = "Priya Nair"
ADMIN = "Studio Admin"
CLIENTS = [
    "Amelia Hart", "Ben Carter", "Chloé Martin", "David Kim", "Elena Rossi", "Farid Haddad", "Grace Liu",
    "Hugo Schmidt", "Isla MacLeod", "Jonas Weber", "Keiko Tanaka", "Liam O'Brien", "Mila Novak", "Noah Fischer",
    "Olivia Brown", "Pablo Ortega", "Quinn Taylor", "Rosa Jiménez", "Samuel Adeyemi", "Tara Singh", "Umar Sheikh",
    "Vera Petrova", "William Scott", "Xenia Popescu", "Yusuf Demir", "Zoe Clarke", "Aarav Patel", "Beatriz Souza",
    "Connor Walsh", "Dana Cohen", "Emil Larsen", "Fatima Zahra", "George Evans", "Hana Yamamoto", "Ivan Horvat",
    "Julia Nowak", "Kofi Mensah", "Lena Vogel", "Marco Bianchi", "Nora Lindqvist",
]
HISTORY_REASON = "Sessions taken before Tutor Desk"
CURRENCY = "GBP"
# name -> (sessions, price, valid for days or None)
CATALOGUE = {
    "5-session starter": (5, Decimal("225.00"), 60),
    "10-session pack": (10, Decimal("420.00"), None),
    "12-session term": (12, Decimal("480.00"), 90),
    "20-session pack": (20, Decimal("780.00"), 180),
}
PAY_RATES = [(Decimal("28.00"), PayPer.SESSION), (Decimal("32.50"), PayPer.HOUR), (Decimal("30.00"), PayPer.SESSION)]


@dataclass(frozen=True)
class DemoResult:
    loaded: bool
    clients: int = 0
    sessions: int = 0


def load_demo(repo: Repository, now: datetime | None = None) -> DemoResult:
    zone = config.desk_time_zone()  # the week is laid out on this desk's clock, series in its zone
    now = (now or datetime.now(timezone.utc)).astimezone(ZoneInfo(zone))
    with repo.unit_of_work():
        repo.rows("SELECT pg_advisory_xact_lock(:k)", {"k": DEMO_LOCK_KEY})
        if not repo.studio_is_empty():
            return DemoResult(loaded=False)
        repo.claim_empty_studio(ADMIN)  # this desk's login becomes the studio's admin
        tutors = [repo.add_staff(name, StaffRole.TUTOR) for name in TUTORS]
        for tutor, (rate, per) in zip(tutors, PAY_RATES):
            repo.set_tutor_pay_rate(tutor, rate, per)
        repo.set_currency(CURRENCY)
        catalogue = {name: repo.add_catalogue_item(name, n, price, days) for name, (n, price, days) in CATALOGUE.items()}
        repo.add_staff(FRONT_DESK, StaffRole.FRONT_DESK)
        monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        sessions = 0
        for i, name in enumerate(CLIENTS):
            client = repo.create_client(name, _email(name), f"+44 20 7946 {1000 + i * 37:04d}")
            package = _sell_packages(repo, client, i, now, catalogue)
            _record_payments(repo, client, i)
            # A weekly slot per client (weekday i % 5, hour 9 + (i // 5) % 8: no two clients share one), from
            # two weeks ago until next week.
            start = monday - timedelta(weeks=2) + timedelta(days=i % 5, hours=9 + (i // 5) % 8)
            booked = repo.book_session(client, tutors[i % 3], start, start + timedelta(hours=1), package, 3,
                                       time_zone=zone)
            sessions += len(booked)
            _mark_some_past_sessions(repo, i, booked, start, zone)
            _mark_some_of_this_week(repo, i, booked, start + timedelta(weeks=2), now, zone)
        repo.auto_complete()
        return DemoResult(loaded=True, clients=len(CLIENTS), sessions=sessions)


def _email(name: str) -> str:
    """chloe.martin@example.com for Chloé Martin: accents come off their letters instead of taking them along."""
    plain = unicodedata.normalize("NFKD", name.lower().replace(" ", ".").replace("'", ""))
    local = "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == "."))
    return f"{local}@example.com"


def _record_payments(repo: Repository, client: int, i: int) -> None:
    """Most packages paid in full, some in part, some not yet; one in eleven paid and partly refunded."""
    for package in repo.packages_for_client(client):
        price = repo.package_money([package.id])[package.id].price
        method = list(PaymentMethod)[i % 3]
        day = package.purchased_at.date()
        if i % 5 in (0, 3, 4):
            repo.record_payment(package.id, price, method, day)
        elif i % 5 == 1:
            repo.record_payment(package.id, (price / 2).quantize(Decimal("0.01")), PaymentMethod.CASH, day,
                                "Half now, half next month.")
        if i % 11 == 3 and i % 5 in (0, 3, 4):
            repo.record_payment(package.id, Decimal("-45.00"), method, day + timedelta(days=7),
                                "One lesson refunded: moved the day before.")


def _sell_packages(repo: Repository, client: int, i: int, now: datetime, catalogue: dict[str, int]):  # noqa: ANN202
    """Returns the package the client's sessions are booked on (None: drawn from whichever fits). Each is sold from
    the catalogue, at its price."""

    def sell(label: str, n: int, expires: datetime | None, bought: datetime):  # noqa: ANN202 - a package id
        return repo.sell_package(client, label, n, expires, bought, catalogue_id=catalogue[label])

    plan = i % 8
    if plan == 0:
        return sell("10-session pack", 10, None, now - timedelta(days=26))
    if plan == 1:
        return sell("20-session pack", 20, now + timedelta(days=90), now - timedelta(days=30))
    if plan == 2:
        return sell("12-session term", 12, now + timedelta(days=35), now - timedelta(days=50))
    if plan == 3:  # used up: the last sessions of the month cannot be taken from it
        package = sell("5-session starter", 5, None, now - timedelta(days=60))
        for _ in range(3):
            repo.use_session(package, reason=HISTORY_REASON)
        return package
    if plan == 4:  # an expired pack with sessions left over, and a new one
        old = sell("10-session pack", 10, now + timedelta(days=1), now - timedelta(days=120))
        for _ in range(6):
            repo.use_session(old, reason=HISTORY_REASON)
        repo.change_package_expiry(old, now - timedelta(days=15))
        sell("10-session pack", 10, now + timedelta(days=120), now - timedelta(days=15))
        return None
    if plan == 5:  # a few left
        package = sell("10-session pack", 10, None, now - timedelta(days=70))
        for _ in range(5):
            repo.use_session(package, reason=HISTORY_REASON)
        return package
    if plan == 6:
        return sell("20-session pack", 20, now + timedelta(days=180), now - timedelta(days=24))
    return sell("5-session starter", 5, now + timedelta(days=10), now - timedelta(days=25))  # expires soon


def _mark_some_past_sessions(repo: Repository, i: int, booked: list, first_start: datetime, zone: str) -> None:
    """Two weeks of history that is not all 'done'; what is left is completed by auto-complete."""
    if i % 7 == 3:
        repo.set_session_status(booked[0], SessionStatus.NO_SHOW_STUDENT, "Did not come, no message.")
    if i % 11 == 4:
        repo.set_session_status(booked[1], SessionStatus.NO_SHOW_TUTOR, "Tutor ill.")
    if i % 9 == 2:
        repo.set_session_status(booked[1], SessionStatus.CANCELLED, "Cancelled two days ahead.")
    if i % 13 == 5 and i % 7 != 3:
        moved = (first_start + timedelta(days=1)).replace(hour=17)  # after every weekly slot: the tutor is free
        repo.reschedule_session(booked[0], moved, moved + timedelta(hours=1), time_zone=zone)


def _mark_some_of_this_week(repo: Repository, i: int, booked: list, start: datetime, now: datetime,
                            zone: str) -> None:
    """This week's sessions that are over are not all 'done' either: the calendar opens on a real-looking week."""
    if start + timedelta(hours=1) > now:
        return
    if i % 6 == 1:
        repo.set_session_status(booked[2], SessionStatus.NO_SHOW_STUDENT, "No-show; reminder sent.")
    elif i % 8 == 5:
        repo.set_session_status(booked[2], SessionStatus.CANCELLED, "Exam week.")
    elif i % 10 == 7:
        repo.set_session_status(booked[2], SessionStatus.NO_SHOW_TUTOR, "Tutor stuck in traffic; not charged.")
    elif i % 9 == 4:
        # After every weekly slot (they end by 17:00), at an hour of its own: the tutor and the client are free.
        moved = (start + timedelta(days=1) if start.weekday() < 4 else start - timedelta(days=1)).replace(hour=17 + i % 4)
        repo.reschedule_session(booked[2], moved, moved + timedelta(hours=1), time_zone=zone)
