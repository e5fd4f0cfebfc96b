"""tutor-desktop backup, backups and restore, run as a user runs them: separate processes on their own data
folder; on a studio server they are refused with a clear message."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli import assert_one_line_error


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("cli-backups")


@pytest.fixture(scope="module")
def cli(home):
    env = {**os.environ, "TUTOR_DESKTOP_DATA_DIR": str(home / "data"), "TUTOR_DESKTOP_CONFIG_DIR": str(home / "config")}
    env.pop("TUTOR_DESKTOP_DSN", None)

    def run(*args: str, dsn_env: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
        run_env = dict(env, **({"TUTOR_DESKTOP_DSN": dsn_env} if dsn_env else {}))
        return subprocess.run([sys.executable, "-m", "tutor_desktop", *args], env=run_env, capture_output=True,
                              text=True, timeout=120, input=stdin)

    return run


def amelia(cli) -> str:
    return re.search(r"Amelia Hart .*\n", cli("packages").stdout).group(0)


def test_backup_prints_the_file_and_backups_lists_it(cli, home):
    assert cli("overview").returncode == 0
    made = cli("backup")
    assert made.returncode == 0, made.stderr
    path = Path(made.stdout.strip())
    assert path.parent == home / "data" / "backups" and path.suffix == ".dump" and path.is_file()
    described = json.loads(path.with_suffix(".json").read_text())
    assert described["counts"]["clients"] == 40 and described["kind"] == "by hand"

    elsewhere = home / "usb stick"
    to = cli("backup", "--to", str(elsewhere))
    assert to.returncode == 0 and Path(to.stdout.strip()).parent == elsewhere

    listing = cli("backups")
    assert listing.returncode == 0
    lines = listing.stdout.strip().splitlines()
    assert re.search(r"by hand +40 clients +\d+ packages +\d+ sessions", lines[0]) and str(path) in lines[0]
    assert lines[-1] == f"1 backups in {home / 'data' / 'backups'}"


def test_restore_asks_first_and_gives_back_the_studio(cli, home):
    path = re.search(r"(/\S+\.dump)", cli("backups").stdout).group(1)
    before = amelia(cli)
    package = before.split()[-1]
    assert cli("use", package).returncode == 0
    assert amelia(cli) != before

    refused = cli("restore", path)  # no terminal to ask in: refused until --yes
    assert_one_line_error(refused, "add --yes to confirm")
    assert amelia(cli) != before

    restored = cli("restore", path, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "reconcile is empty" in restored.stdout and "before is in" in restored.stdout
    assert amelia(cli) == before
    assert cli("reconcile").returncode == 0
    assert "before restore" in cli("backups").stdout


def test_restore_of_a_truncated_file_is_refused(cli, home):
    path = Path(re.search(r"(/\S+\.dump)", cli("backups").stdout).group(1))
    cut = home / "cut.dump"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    before = cli("packages").stdout
    result = cli("restore", str(cut), "--yes")
    assert_one_line_error(result, r"cut\.dump .*damaged.*Nothing was changed")
    assert cli("packages").stdout == before


def test_backups_are_refused_on_a_studio_server(cli, database):
    for args in (("backup",), ("backups",), ("restore", "x.dump", "--yes")):
        result = cli(*args, dsn_env=database.admin_url)
        assert_one_line_error(result, "studio server: its backups are the server's job")
