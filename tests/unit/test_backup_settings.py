"""Backup settings: written and read back, bad counts and folders refused in a person's words, and the folders
of cloud drives found in the home folder suggested."""

import pytest

from tutor_desktop.db.backups.settings import read_settings, suggested_folders, write_settings
from tutor_desktop.domain import BackupSettings, InvalidInput


def test_defaults_then_saved_settings_read_back(tmp_path):
    path = tmp_path / "config" / "backups.toml"
    assert read_settings(tmp_path / "data", path) == BackupSettings(str(tmp_path / "data" / "backups"), 7, 4, 12)
    chosen = BackupSettings(str(tmp_path / "Dropbox" / "Tutor Desk backups"), 3, 2, 24)
    write_settings(chosen, path)
    assert read_settings(tmp_path / "data", path) == chosen


@pytest.mark.parametrize("settings, words", [
    (BackupSettings("/backups", -1, 4, 12), "daily backups to keep must be a whole number from 0 to 1000"),
    (BackupSettings("/backups", 7, 1001, 12), "weekly"),
    (BackupSettings("relative/folder"), "full folder path"),
    (BackupSettings("   "), "full folder path"),
])
def test_bad_settings_are_refused_and_nothing_is_written(tmp_path, settings, words):
    path = tmp_path / "backups.toml"
    with pytest.raises(InvalidInput, match=words):
        write_settings(settings, path)
    assert not path.exists()


def test_a_file_is_no_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InvalidInput, match="is a file, not a folder"):
        write_settings(BackupSettings(str(tmp_path / "notes.txt")), tmp_path / "backups.toml")


def test_cloud_drives_in_the_home_folder_are_suggested(tmp_path):
    assert suggested_folders(tmp_path) == []
    (tmp_path / "Dropbox").mkdir()
    (tmp_path / "Nextcloud").mkdir()
    (tmp_path / "Library" / "CloudStorage" / "GoogleDrive-ada@example.com").mkdir(parents=True)
    (tmp_path / "OneDrive").write_text("a file, not the drive")
    assert suggested_folders(tmp_path) == [
        str(tmp_path / "Dropbox" / "Tutor Desk backups"), str(tmp_path / "Nextcloud" / "Tutor Desk backups"),
        str(tmp_path / "Library" / "CloudStorage" / "GoogleDrive-ada@example.com" / "Tutor Desk backups")]
