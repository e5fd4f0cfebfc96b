"""Backups and restore on the real embedded server: the restored studio is the backed-up one row for row,
a damaged, truncated or newer file is refused with nothing changed, a killed backup leaves the earlier ones
intact and nothing that looks complete, and the weekly test restore reports a damaged backup."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest

from tutor_desktop.db.backups import manifest
from tutor_desktop.db.backups.restoring import check_file, drop_database
from tutor_desktop.db.current_database import current_database
from tutor_desktop.domain.backups import BackupRefused

from .backup_helpers import backups_of, canonical, databases, fill_studio
from .conftest import with_database

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# The app backs up only its own embedded database, with the pg_dump and pg_restore of the embedded server's
# version; a studio server is backed up by its own tools (README), so these run on the embedded server only.
pytestmark = pytest.mark.skipif(bool(os.environ.get("TUTOR_DESKTOP_TEST_DSN")),
                                reason="backups are of the embedded database only")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DESKTOP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TUTOR_DESKTOP_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def backups(folder, server_url, database):
    made = backups_of(folder, server_url, database.name)
    before = databases(server_url)
    yield made
    for name in databases(server_url) - before:
        drop_database(server_url, name)


def test_backup_change_restore_gives_back_the_backed_up_studio(backups, repo, database, server_url, folder):
    fill_studio(repo)
    at_backup = canonical(database.admin_url)
    backup = backups.backup_now()
    assert Path(backup.path).is_file() and backup.counts.clients == 5 and backup.counts.ledger_rows == 11
    assert backups.list() == [backup]

    package = repo.studio_packages()[0][1].id
    repo.use_session(package, reason="After the backup")
    repo.create_client("Made after the backup")
    changed = canonical(database.admin_url)
    assert changed != at_backup

    result = backups.restore(backup.path)
    assert current_database(folder) == result.database != database.name
    restored_url = with_database(server_url, result.database)
    assert canonical(restored_url) == at_backup
    assert result.counts == backup.counts
    with psycopg.connect(restored_url) as conn:
        assert conn.execute("SELECT count(*) FROM tutor.reconcile()").fetchone()[0] == 0
    # the state before the restore is kept as a safety backup, and the old database is untouched
    assert result.safety_backup.kind == "before restore"
    assert result.safety_backup.counts.clients == 6
    assert canonical(database.admin_url) == changed
    # the restored studio works: its sequences go on after the restored rows
    with psycopg.connect(restored_url) as conn:
        next_id = conn.execute("SELECT nextval(pg_get_serial_sequence('tutor.clients', 'id'))").fetchone()[0]
        assert next_id > conn.execute("SELECT max(id) FROM tutor.clients").fetchone()[0]


def assert_nothing_changed(backups, database, server_url, folder, before_rows, before_dbs, before_files):
    assert canonical(database.admin_url) == before_rows
    assert current_database(folder) == database.name
    assert databases(server_url) == before_dbs
    assert sorted(p.name for p in Path(backups.folder()).iterdir()) == before_files


def test_a_truncated_or_damaged_backup_is_refused_and_nothing_changes(backups, repo, database, server_url, folder,
                                                                      tmp_path):
    fill_studio(repo)
    backup = backups.backup_now()
    repo.create_client("After the backup")
    snapshot = (canonical(database.admin_url), databases(server_url),
                sorted(p.name for p in Path(backups.folder()).iterdir()))
    elsewhere = tmp_path / "copies"
    elsewhere.mkdir()
    size = Path(backup.path).stat().st_size

    # truncated, with its manifest beside it: the size and checksum give it away before anything is done
    cut = elsewhere / Path(backup.path).name
    shutil.copy(manifest.manifest_path(Path(backup.path)), manifest.manifest_path(cut))
    cut.write_bytes(Path(backup.path).read_bytes()[: size * 2 // 3])
    with pytest.raises(BackupRefused, match="damaged or incomplete.*Nothing was changed"):
        backups.restore(str(cut))
    assert_nothing_changed(backups, database, server_url, folder, *snapshot)

    # truncated, alone: its contents end early, so the restore into the new database fails and it is dropped
    for keep in (size * 2 // 3, size - 200, 100):
        alone = elsewhere / f"alone-{keep}.dump"
        alone.write_bytes(Path(backup.path).read_bytes()[:keep])
        with pytest.raises(BackupRefused, match="damaged|incomplete"):
            backups.restore(str(alone))
        assert_nothing_changed(backups, database, server_url, folder, *snapshot)

    # not a backup at all
    other = elsewhere / "notes.dump"
    other.write_text("shopping list")
    with pytest.raises(BackupRefused, match="not a readable backup"):
        backups.restore(str(other))
    assert_nothing_changed(backups, database, server_url, folder, *snapshot)


def test_a_backup_from_a_newer_app_is_refused(backups, repo, database, server_url, folder, tmp_path):
    fill_studio(repo, 2)
    backup = backups.backup_now()
    # by its manifest
    newer = tmp_path / "newer.dump"
    shutil.copy(backup.path, newer)
    text = manifest.manifest_path(Path(backup.path)).read_text().replace(f'"{backup.app_version}"', '"99.0"')
    manifest.manifest_path(newer).write_text(text)
    snapshot = (canonical(database.admin_url), databases(server_url),
                sorted(p.name for p in Path(backups.folder()).iterdir()))
    with pytest.raises(BackupRefused, match="made by Tutor Desk 99.0.*Update Tutor Desk"):
        backups.restore(str(newer))
    assert_nothing_changed(backups, database, server_url, folder, *snapshot)

    # by its schema: a newer app brought the database's functions further
    with database.admin() as conn:
        conn.execute("UPDATE public.tutor_schema_repeatables SET app_version = '99.0', checksum = 'newer'")
    from_newer = backups.backup_now(folder=str(tmp_path / "elsewhere"))
    with database.admin() as conn:
        conn.execute("UPDATE public.tutor_schema_repeatables SET app_version = %s", (backup.app_version,))
    snapshot = (canonical(database.admin_url), databases(server_url),
                sorted(p.name for p in Path(backups.folder()).iterdir()))
    with pytest.raises(BackupRefused, match="brought up to date by Tutor Desk 99.0.*Nothing was changed"):
        backups.restore(from_newer.path)
    assert_nothing_changed(backups, database, server_url, folder, *snapshot)


KILLED_BACKUP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tutor_desktop.db.backups.service import EmbeddedBackups
    data_dir, url = Path(sys.argv[1]), sys.argv[2]
    EmbeddedBackups(data_dir, lambda name: url).backup_now()
""")


def test_a_backup_killed_midway_leaves_the_earlier_ones_and_nothing_that_looks_complete(backups, repo, database,
                                                                                         folder):
    fill_studio(repo, 3)
    earlier = backups.backup_now()
    with database.admin() as conn:  # enough rows that pg_dump is still writing when the kill comes
        conn.execute("CREATE TABLE tutor.bulk AS SELECT n, md5(n::text) || md5((n + 1)::text) AS t"
                     " FROM generate_series(1, 600000) n")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    child = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, str(folder), database.admin_url], env=env,
                             cwd=PROJECT_ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    partial = []
    while not partial and time.monotonic() < deadline and child.poll() is None:
        partial = [p for p in Path(backups.folder()).glob(".*.partial") if p.stat().st_size > 0]
        time.sleep(0.01)
    os.killpg(child.pid, signal.SIGKILL)  # the app and its pg_dump, as a power cut would
    child.wait()
    assert partial, "the backup finished before it could be killed: the test proves nothing"

    assert backups.list() == [earlier]
    assert check_file(Path(earlier.path)) == earlier
    dumps = sorted(p.name for p in Path(backups.folder()).glob("*.dump"))
    assert dumps == [Path(earlier.path).name]
    assert all(p.name.startswith(".") for p in Path(backups.folder()).iterdir() if p.name not in (
        Path(earlier.path).name, manifest.manifest_path(Path(earlier.path)).name))
    # the next backup clears what the killed one left
    after = backups.backup_now()
    assert backups.list() == [after, earlier]
    assert not list(Path(backups.folder()).glob("*.partial"))


def test_the_weekly_test_restore_runs_and_reports_a_damaged_backup(backups, repo, database):
    fill_studio(repo, 2)
    now = datetime.now(timezone.utc)
    first = backups.run_due(now)
    assert first.made is not None and first.check is not None and first.check.ok and first.problem is None
    quiet = backups.run_due(now + timedelta(hours=1))  # at most once a day, the check once a week
    assert (quiet.made, quiet.check, quiet.problem) == (None, None, None)

    backup = backups.list()[0]
    data = bytearray(Path(backup.path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    Path(backup.path).write_bytes(bytes(data))
    damaged = backups.check(backup, now + timedelta(days=7))
    assert not damaged.ok and "damaged" in damaged.message
    assert backups.last_check() == damaged
    shown = backups.run_due(now + timedelta(hours=2))  # shown on the desk until a check passes
    assert shown.check is None and shown.problem and "weekly test restore" in shown.problem
    assert backup.name in shown.problem
    # the next daily backup is checked at once, not a week later, and a pass clears the problem
    fixed = backups.run_due(now + timedelta(days=1, hours=2))
    assert fixed.made is not None and fixed.check is not None and fixed.check.backup == fixed.made.name
    assert fixed.check.ok and fixed.problem is None


def test_at_quit_backs_up_only_when_something_changed(backups, repo):
    fill_studio(repo, 1)
    first = backups.at_quit()
    assert first is not None and first.kind == "at quit"
    assert backups.at_quit() is None
    repo.create_client("Someone new")
    assert backups.at_quit() is not None
