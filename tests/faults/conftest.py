"""Fault tests run on the same real PostgreSQL, template database and desk login as tests/db."""

from tests.db.conftest import database, repo, server_url, template_url  # noqa: F401
