import pytest

from tutor_desktop.domain import Balance, InvalidInput, SessionStatus, describe_reason


def test_status_labels_and_colours_are_defined_once_here():
    assert [(s.code, s.label) for s in SessionStatus] == [
        ("scheduled", "Upcoming"), ("done", "Done"), ("rescheduled", "Rescheduled"),
        ("no_show_student", "Student No-show"), ("no_show_tutor", "Tutor No-show"), ("cancelled", "Cancelled"),
    ]
    assert len({s.colour for s in SessionStatus}) == len(SessionStatus)


def test_only_done_and_student_no_show_use_a_session():
    assert {s for s in SessionStatus if s.uses_a_session} == {SessionStatus.DONE, SessionStatus.NO_SHOW_STUDENT}


def test_unknown_status_code_is_a_clear_error():
    assert SessionStatus.from_code("no_show_tutor") is SessionStatus.NO_SHOW_TUTOR
    with pytest.raises(InvalidInput, match='"finished" is not a session status'):
        SessionStatus.from_code("finished")


def test_every_reason_the_database_returns_has_words():
    for reason in ("consumed", "given_back", "unchanged", "exhausted", "expired", "inactive", "no_package",
                   "nothing_to_reinstate"):
        assert describe_reason(reason) and describe_reason(reason) != reason
    assert Balance(None, False, 5, 5, 0, "exhausted").message == "All sessions of the package are used up."
