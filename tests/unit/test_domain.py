import uuid
from datetime import datetime, timezone

import pytest

from tutor_desktop.domain import (
    Balance,
    InvalidInput,
    Package,
    PackageState,
    PackageStatus,
    SessionStatus,
    describe_reason,
)


def test_status_labels_and_colours_are_defined_once_here():
    assert [(s.code, s.label) for s in SessionStatus] == [
        ("scheduled", "Upcoming"), ("done", "Done"), ("rescheduled", "Rescheduled"),
        ("no_show_student", "Student No-show"), ("no_show_tutor", "Tutor No-show"), ("cancelled", "Cancelled"),
    ]
    assert len({s.colour for s in SessionStatus}) == len(SessionStatus)


@pytest.mark.parametrize(("status", "expired", "remaining", "state"), [
    ("active", False, 3, PackageState.ACTIVE),
    ("active", False, 0, PackageState.USED_UP),
    ("active", True, 3, PackageState.EXPIRED),
    ("active", True, 0, PackageState.EXPIRED),
    ("cancelled", False, 3, PackageState.CANCELLED),
    ("cancelled", True, 0, PackageState.CANCELLED),
])
def test_a_packages_state_says_cancelled_then_expired_then_used_up(status, expired, remaining, state):
    package = Package(uuid.uuid4(), 1, "Ten", PackageStatus(status), datetime.now(timezone.utc), None,
                      5 - remaining, 5, remaining, remaining, expired)
    assert package.state is state
    assert [s.label for s in PackageState] == ["Active", "Expired", "Used up", "Cancelled"]


def test_unknown_status_code_is_a_clear_error():
    assert SessionStatus.from_code("no_show_tutor") is SessionStatus.NO_SHOW_TUTOR
    with pytest.raises(InvalidInput, match='"finished" is not a session status'):
        SessionStatus.from_code("finished")


def test_every_reason_the_database_returns_has_words():
    for reason in ("consumed", "given_back", "unchanged", "exhausted", "expired", "inactive", "no_package",
                   "nothing_to_reinstate"):
        assert describe_reason(reason) and describe_reason(reason) != reason
    assert Balance(None, False, 5, 5, 0, "exhausted").message == "All sessions of the package are used up."

