"""The Studio contract on PostgreSQL: the scenarios the fake studio passes too (tests/studio_contract.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.studio_contract import SCENARIOS
from tutor_desktop.domain import SessionStatus

from .conftest import hours_from_now


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_repository_passes_the_contract(repo, studio, scenario):
    scenario(repo, studio.tutor)


def test_package_for_session_is_the_package_it_draws_on(repo, studio):
    start = hours_from_now(24)
    unpaid = repo.book_session(studio.client, studio.tutor, start, start + timedelta(hours=1), time_zone="UTC")[0]
    assert repo.package_for_session(unpaid) is None
    package = repo.sell_package(studio.client, "Five", 5)
    booked = repo.book_session(studio.client, studio.tutor, start + timedelta(days=1),
                               start + timedelta(days=1, hours=1), package, time_zone="UTC")[0]
    assert repo.package_for_session(booked).id == package
    repo.set_session_status(unpaid, SessionStatus.DONE)
    assert repo.package_for_session(unpaid).id == package
