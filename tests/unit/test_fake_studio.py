"""The fake studio: the contract scenarios the database passes too, and what only the fake offers (failures on
demand, a lock for the task runner's threads)."""

from __future__ import annotations

import inspect
import threading
from datetime import datetime, timedelta, timezone

import pytest

from tests.studio_contract import SCENARIOS
from tests.unit.fake_studio import FakeStudio
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import Busy, DatabaseUnavailable, SessionStatus, StaffRole
from tutor_desktop.ports import Studio

PORT_METHODS = sorted(name for name, value in vars(Studio).items() if inspect.isfunction(value)
                      and not name.startswith("_"))


@pytest.fixture
def fake() -> FakeStudio:
    return FakeStudio()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_fake_passes_the_contract(fake, scenario):
    scenario(fake, fake.add_staff("Contract Tutor", StaffRole.TUTOR))


def _parameters(function) -> list[tuple[str, object, object]]:  # noqa: ANN001
    return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("implementation", [Repository, FakeStudio], ids=lambda c: c.__name__)
@pytest.mark.parametrize("name", PORT_METHODS)
def test_every_port_method_is_provided_with_the_same_parameters(implementation, name):
    assert _parameters(getattr(implementation, name)) == _parameters(getattr(Studio, name))


def test_the_port_lists_what_the_windows_call():
    assert len(PORT_METHODS) == 51
    assert "reinstate_session" in PORT_METHODS and "release_session" not in PORT_METHODS


def test_a_queued_failure_raises_once_and_changes_nothing(fake):
    client = fake.create_client("Ann")
    package = fake.sell_package(client, "Two", 2)
    fake.fail_next(DatabaseUnavailable("The database cannot be reached."))
    with pytest.raises(DatabaseUnavailable):
        fake.use_session(package)
    fake.fail_next(Busy("Every connection is in use."), times=2)
    for _ in range(2):
        with pytest.raises(Busy):
            fake.packages_for_client(client)
    assert fake.packages_for_client(client)[0].sessions_used == 0


def test_auto_complete_marks_past_sessions_done_and_uses_their_sessions(fake):
    tutor = fake.add_staff("Tutor", StaffRole.TUTOR)
    client = fake.create_client("Ann")
    package = fake.sell_package(client, "One", 1, purchased_at=datetime.now(timezone.utc) - timedelta(days=30))
    start = datetime.now(timezone.utc) - timedelta(days=14)
    fake.book_session(client, tutor, start, start + timedelta(hours=1), weekly_repeats=3, time_zone="UTC")  # the last is ahead
    result = fake.auto_complete()
    assert (result.completed, result.deducted) == (2, 1)
    assert [s.status for s in fake.sessions_for_client(client)].count(SessionStatus.DONE) == 2
    assert fake.package_for_session(fake.sessions_for_client(client)[-1].id).id == package


def test_an_empty_studio_is_claimed_once():
    fake = FakeStudio(admin=None)
    assert fake.studio_is_empty() and fake.current_staff() is None
    staff = fake.claim_empty_studio("Ada")
    assert fake.current_staff().id == staff and not fake.studio_is_empty()


def test_calls_from_many_threads_use_each_session_once(fake):
    client = fake.create_client("Ann")
    package = fake.sell_package(client, "Fifty", 50)
    barrier = threading.Barrier(8)

    def desk() -> None:
        barrier.wait()
        for _ in range(10):
            fake.use_session(package)

    threads = [threading.Thread(target=desk) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fake.packages_for_client(client)[0].sessions_used == 50
    assert len(fake.ledger_for_packages([package])[package]) == 50


def test_package_for_session_is_the_charged_or_the_booked_package(fake):
    tutor = fake.add_staff("Tutor", StaffRole.TUTOR)
    client = fake.create_client("Ann")
    start = datetime.now(timezone.utc) + timedelta(days=1)
    unpaid = fake.book_session(client, tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    assert fake.package_for_session(unpaid) is None
    package = fake.sell_package(client, "Five", 5)
    booked = fake.book_session(client, tutor, start + timedelta(days=1), start + timedelta(days=1, hours=1),
                               package, time_zone="UTC")[0]
    assert fake.package_for_session(booked).id == package
    fake.set_session_status(unpaid, SessionStatus.DONE)
    assert fake.package_for_session(unpaid).id == package
