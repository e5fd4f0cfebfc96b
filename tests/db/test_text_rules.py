"""Text as a person sees it: a required field that looks empty is refused whatever invisible characters it is
made of, text is stored in NFC, and single-line fields refuse control characters while notes keep their lines."""

from __future__ import annotations

import pytest

from tutor_desktop.domain import InvalidInput, StaffRole

from .conftest import STAFF_PASSWORD

BLANKS = {
    "spaces": "   ",
    "tab": "\t",
    "newline": "\n",
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
    "em space": "\u2003",
    "zero-width space": "\u200b",
    "zero-width joiners": "\u200c\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "direction marks": "\u200e\u200f",
    "embeddings and overrides": "\u202a\u202b\u202c\u202d\u202e",
    "isolates": "\u2066\u2067\u2068\u2069",
    "a mix": " \u00a0\u200b\u2060\u3000\u200e\ufeff\t",
}

# Every required text a person types: (the call with that text, the words of the refusal).
REQUIRED = {
    "client name": (lambda repo, c, text: repo.create_client(text), "The client's name"),
    "client name, edited": (lambda repo, c, text: repo.update_client(c, text, None, None, ""), "The client's name"),
    "package label": (lambda repo, c, text: repo.sell_package(c, text, 5), "The package label"),
    "staff name": (lambda repo, c, text: repo.add_staff(text, StaffRole.TUTOR), "The staff member's name"),
    "staff account name": (lambda repo, c, text: repo.create_staff_account(
        text, StaffRole.FRONT_DESK, "td_never_made", STAFF_PASSWORD), "The staff member's name"),
}


def _state(database) -> tuple:
    return database.scalar("SELECT row((SELECT count(*) FROM tutor.audit_log), (SELECT count(*) FROM tutor.staff),"
                           " (SELECT string_agg(full_name, ',') FROM tutor.clients))::text")


@pytest.mark.parametrize("blank", sorted(BLANKS))
@pytest.mark.parametrize("field", sorted(REQUIRED))
def test_text_that_looks_empty_is_refused(repo, studio, database, field, blank):
    call, words = REQUIRED[field]
    before = _state(database)
    with pytest.raises(InvalidInput, match=f"^{words} is empty or has only spaces"):
        call(repo, studio.client, BLANKS[blank])
    assert _state(database) == before


def test_text_is_stored_composed(repo, studio):
    decomposed = "Rene\u0301e Dupre\u0301"
    client = repo.create_client(decomposed, notes="cafe\u0301")
    assert repo.get_client(client).full_name == "Ren\u00e9e Dupr\u00e9"
    assert repo.get_client(client).notes == "caf\u00e9"
    package = repo.sell_package(client, "Fort\u0065\u0301", 5)
    assert repo.get_package(package).label == "Fort\u00e9"
    staff = repo.add_staff("Jose\u0301", StaffRole.TUTOR)
    assert {s.id: s.display_name for s in repo.list_staff()}[staff] == "Jos\u00e9"


def test_invisible_characters_around_a_name_are_dropped_and_inside_kept(repo):
    client = repo.create_client("\u200b\u00a0Ana\u200dBen\u3000\u200f")
    assert repo.get_client(client).full_name == "Ana\u200dBen"


@pytest.mark.parametrize("control", ["\t", "\n", "\r", "\x07", "\x1b", "\x7f", "\x85", "\x9f"])
@pytest.mark.parametrize("field", ["name", "email", "phone", "label", "staff"])
def test_control_characters_are_refused_in_single_line_fields(repo, studio, database, field, control):
    text = f"Ana{control}Ben"
    calls = {
        "name": lambda: repo.create_client(text),
        "email": lambda: repo.create_client("Ana", email=text),
        "phone": lambda: repo.create_client("Ana", phone=text),
        "label": lambda: repo.sell_package(studio.client, text, 5),
        "staff": lambda: repo.add_staff(text, StaffRole.FRONT_DESK),
    }
    before = _state(database)
    with pytest.raises(InvalidInput, match="control character"):
        calls[field]()
    assert _state(database) == before


def test_notes_keep_their_lines_and_tabs(repo, studio):
    notes = "Line one\n\tindented\r\nline three"
    client = repo.create_client("Ana", notes=notes)
    assert repo.get_client(client).notes == notes
    package = repo.sell_package(client, "Ten", 10)
    assert repo.use_session(package, reason="first\nsecond").applied
    assert repo.ledger_for_package(package)[0].reason == "first\nsecond"


def test_the_studio_database_is_utf8(database):
    assert database.scalar("SELECT current_setting('server_encoding')") == "UTF8"
