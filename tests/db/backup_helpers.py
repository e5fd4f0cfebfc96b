"""What the backup tests share: a small studio with history, a canonical text of every table's rows, and the
backups of a data folder whose current database is a test database on the tests' server."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from tutor_desktop.db.backups.service import EmbeddedBackups
from tutor_desktop.db.current_database import switch_database
from tutor_desktop.db.repository import Repository

from .conftest import APP_ROLE, with_database


def fill_studio(repo: Repository, clients: int = 5) -> None:
    for n in range(clients):
        client = repo.create_client(f"Élodie Client {n}", email=f"c{n}@example.com")
        package = repo.sell_package(client, "10-session pack", 10)
        for _ in range(n % 3 + 1):
            repo.use_session(package, reason="Trial")
        if n % 2:
            repo.reinstate_session(package, reason="Given back")


def canonical(url: str) -> dict[str, str]:
    """Every table of the studio (and the schema records), its rows as text in a fixed order."""
    with psycopg.connect(url) as conn:
        tables = conn.execute("SELECT schemaname, tablename FROM pg_tables WHERE schemaname = 'tutor' OR tablename"
                              " LIKE 'tutor_schema_%' ORDER BY 1, 2").fetchall()
        return {f"{schema}.{table}": conn.execute(sql.SQL(
            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {}.{} t").format(
            sql.Identifier(schema), sql.Identifier(table))).fetchone()[0] for schema, table in tables}


def databases(server_url: str) -> set[str]:
    with psycopg.connect(server_url) as conn:
        return {n for (n,) in conn.execute("SELECT datname FROM pg_database")}


def backups_of(folder: Path, server_url: str, database: str) -> EmbeddedBackups:
    """The backups of a data folder whose desk uses `database` on the tests' server."""
    switch_database(folder, database, None)
    return EmbeddedBackups(folder, lambda name: with_database(server_url, name), app_role=APP_ROLE)
