"""A Hypothesis state machine of the ledger against a pure-Python model, on the real PostgreSQL.

All examples share the one database of the test function, so every machine works on its own client (and
tutor) and compares only the packages and sessions it made. The model follows the SQL functions:
sql/04_balances.sql (use / reinstate, cancel), sql/05_charging.sql (_change_status, _charge_session,
_give_back_session), sql/06_sessions.sql (reschedule_session) and sql/08_clients.sql (sell, change expiry). As
in _charge_session, a session charged from the client's packages keeps package_id NULL (only the ledger row
says which package paid), so charging it again after a give-back or a reinstate chooses a package afresh.

auto_complete is left out on purpose: its cut-off covers every session of the shared database, so it would
touch the sessions of earlier examples, and it has its own tests (test_auto_complete.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from uuid import UUID

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from tutor_desktop.domain import InvalidInput, NotAllowed, SessionStatus as S, StaffRole


CONSUMING = {S.DONE, S.NO_SHOW_STUDENT}  # the model's own copy of 005's _consumes
CONSUMING_MARKS = [S.DONE, S.NO_SHOW_STUDENT]
# SCHEDULED is refused once a session that has ended is marked (NotAllowed); that is checked too.
OTHER_MARKS = [S.NO_SHOW_TUTOR, S.CANCELLED, S.RESCHEDULED, S.SCHEDULED]

# Expiry offsets in hours from the machine's base time: a few fixed values, so that ties on expires_at (and,
# with the purchase offsets, on purchased_at) happen and the tie-breakers of _charge_session are exercised.
FUTURE_EXPIRIES = [24, 48]
PURCHASE_OFFSETS = [-200, -100]
PAST_EXPIRY = -1  # later than every purchase, earlier than now (a sale with it is refused: sold expired)
# Sessions start at half hours (never at an expiry): past ones before PAST_EXPIRY, moved ones among the futures.
# A sale: sessions, expiry offset, purchase offset.
SALE = st.tuples(st.integers(1, 6), st.sampled_from([None, PAST_EXPIRY, *FUTURE_EXPIRIES]),
                 st.sampled_from(PURCHASE_OFFSETS))


@dataclass
class ModelPackage:
    id: UUID
    total: int
    purchased_at: datetime
    expires_at: datetime | None
    status: str = "active"
    # Live +1 ledger rows of this package in ledger order: None for a manual use, else the session consumed.
    live: list[UUID | None] = field(default_factory=list)

    @property
    def used(self) -> int:
        return len(self.live)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    def usable(self, now: datetime) -> bool:
        return self.status == "active" and not self.expired(now) and self.used < self.total

    def refusal(self, now: datetime) -> str:  # _refusal in 003
        if self.status != "active":
            return "inactive"
        if self.expired(now):
            return "expired"
        return "exhausted"


@dataclass
class ModelSession:
    id: UUID
    package_id: UUID | None
    starts_at: datetime
    status: S = S.SCHEDULED
    rescheduled_to: UUID | None = None


class LedgerMachine(RuleBasedStateMachine):
    packages = Bundle("packages")
    sessions = Bundle("sessions")

    def __init__(self, repo, admin) -> None:  # noqa: ANN001 - the repo fixture, an autocommit superuser connection
        super().__init__()
        self.repo = repo
        self.admin = admin  # database.scalar() would open a connection per check; one for the test is enough
        self.base = datetime.now(timezone.utc)
        self.tutor = repo.add_staff("Machine Tutor", StaffRole.TUTOR)
        self.client = repo.create_client("Machine Client")
        self.pkgs: dict[UUID, ModelPackage] = {}
        self.sess: dict[UUID, ModelSession] = {}
        self.crossings = 0
        self.slots = 0  # each session its own hour: one client is never booked twice at once

    # --- helpers ---------------------------------------------------------------------------------------------

    def _at(self, hours: float | None) -> datetime | None:
        return None if hours is None else self.base + timedelta(hours=hours)

    @staticmethod
    def _now() -> datetime:
        return datetime.now(timezone.utc)

    def _take(self, package: ModelPackage, session: UUID | None) -> None:
        assert package.used < package.total
        package.live.append(session)

    def _live_consumption(self, session: ModelSession) -> ModelPackage | None:
        holders = [p for p in self.pkgs.values() if session.id in p.live]
        assert len(holders) <= 1 and (not holders or holders[0].live.count(session.id) == 1)
        return holders[0] if holders else None

    def _charged(self, session: ModelSession) -> UUID | None:
        holder = self._live_consumption(session)
        return None if holder is None else holder.id

    def _expect_balance(self, balance, package: ModelPackage, applied: bool, reason: str | None) -> None:  # noqa: ANN001
        assert balance.package_id == package.id
        assert (balance.applied, balance.reason) == (applied, reason)
        assert (balance.sessions_used, balance.sessions_total, balance.sessions_remaining) == (
            package.used, package.total, package.total - package.used)

    def _charge(self, session: ModelSession) -> tuple[UUID | None, bool, str | None]:
        """_charge_session: the booked package (no fallback), else the client's package expiring first; expiry
        judged at the session's start."""
        now = session.starts_at
        if session.package_id is not None:
            package = self.pkgs[session.package_id]
            if package.usable(now):
                self._take(package, session.id)
                return package.id, True, "consumed"
            return package.id, False, package.refusal(now)
        # Only packages bought by the session's day (in its zone, UTC here) were the client's then.
        bought = [p for p in self.pkgs.values() if p.purchased_at.date() <= now.date()]
        candidates = sorted(
            (p for p in bought if p.usable(now)),
            key=lambda p: (p.expires_at is None, p.expires_at or now, p.purchased_at, p.id),
        )
        if candidates:
            # The booking is left as it is (package_id stays NULL): the ledger row records which package paid.
            package = candidates[0]
            self._take(package, session.id)
            return package.id, True, "consumed"
        active = [p for p in bought if p.status == "active"]
        if any(not p.expired(now) for p in active):
            return None, False, "exhausted"
        if active:
            return None, False, "expired"
        return None, False, "no_package"

    def _change_status(self, session: ModelSession, new: S) -> tuple[UUID | None, bool, str | None]:
        """_change_status: the ledger moves only when the status crosses the consuming / non-consuming line."""
        old, session.status = session.status, new
        if new in CONSUMING and old not in CONSUMING:
            return self._charge(session)
        if old in CONSUMING and new not in CONSUMING:
            holder = self._live_consumption(session)
            if holder is not None:
                holder.live.remove(session.id)
                return holder.id, True, "given_back"
        holder = self._live_consumption(session)
        return (holder.id if holder is not None else session.package_id), True, "unchanged"

    def _expect_change(self, change, session: ModelSession, outcome) -> None:  # noqa: ANN001
        package_id, applied, reason = outcome
        assert change.session_id == session.id
        assert change.session_status is session.status
        assert (change.package_id, change.applied, change.reason) == (package_id, applied, reason)
        if package_id is None:
            counts = (None, None, None)
        else:
            p = self.pkgs[package_id]
            counts = (p.used, p.total, p.total - p.used)
        assert (change.sessions_used, change.sessions_total, change.sessions_remaining) == counts

    # --- packages --------------------------------------------------------------------------------------------

    def _sell(self, total: int, expiry: int | None, bought: int) -> list[UUID]:
        purchased_at, expires_at = self._at(bought), self._at(expiry)
        if expiry == PAST_EXPIRY:
            with pytest.raises(InvalidInput, match="already expired"):
                self.repo.sell_package(self.client, "Machine", total, expires_at=expires_at, purchased_at=purchased_at)
            return []
        package_id = self.repo.sell_package(self.client, "Machine", total, expires_at=expires_at,
                                            purchased_at=purchased_at)
        assert package_id not in self.pkgs
        self.pkgs[package_id] = ModelPackage(package_id, total, purchased_at, expires_at)
        return [package_id]

    @initialize(target=packages, sales=st.lists(SALE, max_size=3))
    def start_with_packages(self, sales: list[tuple[int, int | None, int]]):  # noqa: ANN201 - package ids
        return multiple(*(i for sale in sales for i in self._sell(*sale)))

    @rule(target=packages, sale=SALE)
    def sell(self, sale: tuple[int, int | None, int]):  # noqa: ANN201 - a package id or nothing
        return multiple(*self._sell(*sale))

    @rule(package=packages, change=st.sampled_from([PAST_EXPIRY, None, *FUTURE_EXPIRIES, "cancel"]))
    def change_package(self, package: UUID, change: int | str | None) -> None:
        """A new expiry (past, none or future), or, less often, cancelling the package."""
        p = self.pkgs[package]
        if change == "cancel":
            applied = p.status == "active"
            p.status = "cancelled"
            self._expect_balance(self.repo.cancel_package(package), p, applied, None if applied else "inactive")
        elif p.status == "cancelled":
            with pytest.raises(InvalidInput, match="is cancelled"):
                self.repo.change_package_expiry(package, self._at(change))
        else:
            p.expires_at = self._at(change)
            self._expect_balance(self.repo.change_package_expiry(package, p.expires_at), p, True, None)

    @rule(package=packages)
    def use_session(self, package: UUID) -> None:
        p = self.pkgs[package]
        now = self._now()
        if p.usable(now):
            self._take(p, None)
            expected = (True, None)
        else:
            expected = (False, p.refusal(now))
        self._expect_balance(self.repo.use_session(package), p, *expected)

    @rule(package=packages)
    def reinstate_session(self, package: UUID) -> None:
        p = self.pkgs[package]
        if p.status == "cancelled":
            expected = (False, "inactive")
        elif p.live:
            p.live.pop()  # the latest live use; a released consumption leaves its session without one
            expected = (True, None)
        else:
            expected = (False, "nothing_to_reinstate")
        self._expect_balance(self.repo.reinstate_session(package), p, *expected)

    # --- sessions --------------------------------------------------------------------------------------------

    def _slot(self, first: float) -> datetime:
        self.slots += 1
        return self._at(first + 2 * self.slots * (1 if first > 0 else -1))

    def _book(self, package: UUID | None) -> UUID:
        start = self._slot(-2.5)
        [session_id] = self.repo.book_session(self.client, self.tutor, start, start + timedelta(hours=1), package,
                                              time_zone="UTC")
        assert session_id not in self.sess
        self.sess[session_id] = ModelSession(session_id, package, start)
        return session_id

    @initialize(target=sessions, count=st.integers(0, 3))
    def start_with_sessions(self, count: int):  # noqa: ANN201 - session ids
        """Sessions booked without a package: marking them draws from the client's packages."""
        return multiple(*(self._book(None) for _ in range(count)))

    @rule(target=sessions, package=st.none() | packages)
    def book(self, package: UUID | None) -> UUID:
        return self._book(package)

    def _set_status(self, session: UUID, status: S) -> None:
        s = self.sess[session]
        ended = s.starts_at + timedelta(hours=1) <= self._now()
        if (status is S.SCHEDULED and s.status is not S.SCHEDULED and ended) or (
                s.rescheduled_to is not None and status is not S.RESCHEDULED):
            with pytest.raises(NotAllowed):
                self.repo.set_session_status(session, status)
            return
        outcome = self._change_status(s, status)
        self._expect_change(self.repo.set_session_status(session, status), s, outcome)

    @rule(session=sessions, status=st.sampled_from(CONSUMING_MARKS))
    def mark_consuming(self, session: UUID, status: S) -> None:
        self._set_status(session, status)

    # Always crosses the consuming / non-consuming line (cycling through the statuses on each side), so that
    # charges, refusals and give-backs happen often and not only when the marks above happen to cross it.
    @rule(session=sessions)
    def cross(self, session: UUID) -> None:
        s = self.sess[session]
        side = OTHER_MARKS[:-1] if s.status in CONSUMING else CONSUMING_MARKS  # never SCHEDULED here
        self.crossings += 1
        self._set_status(session, side[self.crossings % len(side)])

    @rule(session=sessions, status=st.sampled_from(OTHER_MARKS))
    def mark_other(self, session: UUID, status: S) -> None:
        self._set_status(session, status)

    @rule(target=sessions, session=sessions)
    def reschedule(self, session: UUID):  # noqa: ANN201 - a session id or nothing
        s = self.sess[session]
        start = self._slot(20.5)
        if s.rescheduled_to is not None:
            with pytest.raises(NotAllowed):
                self.repo.reschedule_session(session, start, start + timedelta(hours=1), time_zone="UTC")
            return multiple()
        package = s.package_id  # the new booking is on the package the old one was booked on (NULL stays NULL)
        outcome = self._change_status(s, S.RESCHEDULED)
        change = self.repo.reschedule_session(session, start, start + timedelta(hours=1), time_zone="UTC")
        self._expect_change(change, s, outcome)
        new = change.new_session_id
        assert new is not None and new not in self.sess
        s.rescheduled_to = new
        self.sess[new] = ModelSession(new, package, start)
        return new

    # --- invariants ------------------------------------------------------------------------------------------

    @invariant()
    def packages_match(self) -> None:
        now = self._now()
        for p in self.pkgs.values():
            got = self.repo.get_package(p.id)
            assert (got.sessions_used, got.sessions_total, got.sessions_remaining) == (
                p.used, p.total, p.total - p.used), p.id
            assert (got.expired, got.status) == (p.expired(now), p.status), p.id

    @invariant()
    def ledger_matches(self) -> None:
        """Per package: sum(delta) of its ledger equals the model's used, and its live +1 rows (nothing reverses
        them), in ledger order, are the model's stack: NULL for a manual use, else the session consumed."""
        if not self.pkgs:
            return
        [ledger] = self.admin.execute(
            "SELECT coalesce(jsonb_object_agg(p.id::text, jsonb_build_object("
            "  'sum', (SELECT coalesce(sum(l.delta), 0) FROM tutor.package_ledger l WHERE l.package_id = p.id),"
            "  'live', (SELECT coalesce(jsonb_agg(l.session_id ORDER BY l.id), '[]') FROM tutor.package_ledger l"
            "            WHERE l.package_id = p.id AND l.delta = 1"
            "              AND NOT EXISTS (SELECT 1 FROM tutor.package_ledger r WHERE r.reverses = l.id)))), '{}')"
            " FROM tutor.packages p WHERE p.id = ANY (%s)",
            (list(self.pkgs),),
        ).fetchone()
        got = {UUID(k): (v["sum"], [None if s is None else UUID(s) for s in v["live"]]) for k, v in ledger.items()}
        assert got == {p.id: (p.used, p.live) for p in self.pkgs.values()}

    @invariant()
    def sessions_match(self) -> None:
        """Status, booked package, link to the new booking, and the package it holds a used session of."""
        got = {s.id: (s.status, s.package_id, s.rescheduled_to, s.charged_package_id)
               for s in self.repo.sessions_for_client(self.client)}
        assert got == {s.id: (s.status, s.package_id, s.rescheduled_to, self._charged(s)) for s in self.sess.values()}

    @invariant()
    def reconciled(self) -> None:
        assert self.repo.reconcile() == []


def test_ledger_follows_the_model(repo, database):
    with database.admin() as admin:
        run_state_machine_as_test(
            lambda: LedgerMachine(repo, admin),
            settings=settings(
                max_examples=40,
                stateful_step_count=25,
                deadline=None,
                database=None,  # nothing written to .hypothesis/; a failure prints its steps
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
            ),
        )
