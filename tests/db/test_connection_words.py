"""A connection that fails is told in a person's words; what the driver said is kept as details."""

from __future__ import annotations

import pytest

from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.migrations import connect
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import DatabaseUnavailable


def test_a_server_that_does_not_answer_is_named_without_driver_text():
    with pytest.raises(DatabaseUnavailable) as refused:
        connect("postgresql://nobody@127.0.0.1:1/studio")
    assert refused.value.message == ("The studio server at 127.0.0.1 does not answer. Check the network or ask "
                                     "whoever runs the server.")
    assert "port 1 failed" in refused.value.details


def test_the_repository_says_the_same(database):
    url = database.app_url.split("@")[0] + "@127.0.0.1:1/studio"
    repo = Repository(make_engine(url, pool_size=1))
    try:
        with pytest.raises(DatabaseUnavailable) as refused:
            repo.list_clients()
    finally:
        repo.close()
    assert refused.value.message.startswith("The studio server at 127.0.0.1 does not answer.")
    assert "connection" in refused.value.details and "connection" not in refused.value.message
