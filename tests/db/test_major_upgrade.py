"""A data folder made by the older PostgreSQL major version the package ships (16) is upgraded to the app's (18):
a backup first, a copy beside it, migrated and reconciled, and only then the folders change places, the old one
kept. An upgrade that cannot prove the copy leaves the folder as it was."""

from __future__ import annotations

import pytest

from tutor_desktop.db.backups import tools
from tutor_desktop.db.backups.service import EmbeddedBackups
from tutor_desktop.db.backups.upgrade import UPGRADING, folder_major, upgrade_ahead
from tutor_desktop.db.bootstrap import open_embedded
from tutor_desktop.db.demo import load_demo
from tutor_desktop.db.embedded import EmbeddedServer
from tutor_desktop.db.engine import make_engine
from tutor_desktop.db.repository import Repository
from tutor_desktop.domain import DatabaseUnavailable

from .backup_helpers import canonical

OLD, NEW = 16, 18
both_shipped = pytest.mark.skipif({OLD, NEW} - set(tools.shipped_majors()), reason="needs PostgreSQL 16 and 18")


@pytest.mark.parametrize("version, words", [("15", "which this Tutor Desk no longer ships"),
                                            ("19", "newer than this Tutor Desk's PostgreSQL 18. Update Tutor Desk")])
def test_a_folder_that_cannot_be_upgraded_here_is_left_alone(tmp_path, version, words):
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text(f"{version}\n")
    assert upgrade_ahead(tmp_path) is None  # nothing to upgrade here: opening says why
    with pytest.raises(DatabaseUnavailable, match=f"made by PostgreSQL {version}.*{words}.*nothing was changed"):
        open_embedded(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pgdata"]
    assert [p.name for p in pgdata.iterdir()] == ["PG_VERSION"]


def change_a_counter(data_dir, delta: int) -> None:
    """Makes one package's counter disagree with its ledger (or agree again), behind the functions' back."""
    with EmbeddedServer(data_dir, major=OLD) as server:
        import psycopg

        with psycopg.connect(server.superuser_url("tutor_desk"), autocommit=True) as conn:
            conn.execute("SET session_replication_role = replica")
            conn.execute("UPDATE tutor.packages SET sessions_used = sessions_used + %s"
                         " WHERE id = (SELECT min(id::text)::uuid FROM tutor.packages"
                         "             WHERE sessions_used > 0 AND sessions_used < sessions_total)",  # room either way
                         (delta,))


@pytest.mark.slow
@both_shipped
def test_a_folder_of_the_older_major_version_is_upgraded_and_the_old_one_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    data_dir = tmp_path / "data"
    monkeypatch.setenv(tools.TARGET_ENV, str(OLD))
    opened = open_embedded(data_dir)
    try:
        repo = Repository(make_engine(opened.app_url))
        assert load_demo(repo).loaded
        package = repo.studio_packages()[0][1].id
        repo.use_session(package, reason="Before the upgrade")
        repo.engine.dispose()
        before = canonical(opened.admin_url)
    finally:
        opened.close()
    assert folder_major(data_dir) == OLD and upgrade_ahead(data_dir) is None  # 16 is the target still
    monkeypatch.delenv(tools.TARGET_ENV)
    assert f"made by PostgreSQL {OLD}; Tutor Desk now runs PostgreSQL {NEW}" in upgrade_ahead(data_dir)

    # a copy that does not reconcile is not switched to: the folder stays the old version's, untouched
    change_a_counter(data_dir, +1)
    with pytest.raises(DatabaseUnavailable, match=f"made by PostgreSQL {OLD} and could not be upgraded.*reconcile"):
        open_embedded(data_dir)
    assert folder_major(data_dir) == OLD
    assert not (data_dir / UPGRADING).exists() and not list(data_dir.glob("pgdata-pg*"))
    with pytest.raises(DatabaseUnavailable):  # tried again: the backup of the same state is found, not made again
        open_embedded(data_dir)
    assert len(list((data_dir / "backups").glob("*.dump"))) == 1
    change_a_counter(data_dir, -1)

    opened = open_embedded(data_dir)
    try:
        assert folder_major(data_dir) == NEW
        assert opened.notes and f"made by PostgreSQL {OLD}" in opened.notes[0]
        assert canonical(opened.admin_url) == before
        repo = Repository(make_engine(opened.app_url))
        assert repo.reconcile() == []
        assert repo.current_staff() is not None  # the desk's login came along, still the studio's admin
        repo.engine.dispose()
        backups = EmbeddedBackups(data_dir, opened.server.superuser_url).list()
        # the failed attempt's backup, and the one of the studio as it was when it worked
        assert [b.kind for b in backups] == ["before upgrade"] * 2
        assert backups[0].postgres_version.startswith(f"{OLD}.") and backups[0].counts.clients == 40
    finally:
        opened.close()
    kept = list(data_dir.glob(f"pgdata-pg{OLD}-*"))
    assert len(kept) == 1 and (kept[0] / "PG_VERSION").read_text().strip() == str(OLD)
    assert not (data_dir / UPGRADING).exists()

    assert upgrade_ahead(data_dir) is None
    again = open_embedded(data_dir)  # once upgraded, it simply opens
    try:
        assert again.notes == [] and canonical(again.admin_url) == before
    finally:
        again.close()
