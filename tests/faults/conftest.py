"""Fault tests run on the same real PostgreSQL, template database and desk login as tests/db; the crash tests
on an embedded data folder of their own, which they may crash and kill without disturbing anything else."""

import os
from pathlib import Path

import pytest

from tests.db.conftest import database, repo, server_url, template_url  # noqa: F401
from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An app data folder whose embedded database exists, is migrated and has its desk as the studio's admin
    (as the app's first run makes it), the server stopped again."""
    if os.environ.get("TUTOR_DESKTOP_TEST_DSN"):
        pytest.skip("crashing a server needs the embedded one")
    data_dir = tmp_path_factory.mktemp("crash-app")
    opened = open_embedded(data_dir)
    engine = make_engine(opened.app_url, pool_size=1)
    try:
        Repository(engine).claim_empty_studio("Desk Admin")
    finally:
        engine.dispose()
        opened.close()
    return data_dir
