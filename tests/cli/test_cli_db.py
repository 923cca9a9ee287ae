"""`retrorun db upgrade` and `retrorun db current` through the installed command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from retrorun.storage.migrate import head_revision

RETRORUN = str(Path(sys.executable).with_name("retrorun"))


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RETRORUN_")}
    return subprocess.run([RETRORUN, *args], capture_output=True, text=True, timeout=60,
                          check=False,
                          # The app defaults to production: say development unless told.
                          env={**clean, "RETRORUN_ENVIRONMENT": "development", **env})


def test_db_upgrade_creates_the_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    before = run("db", "current", RETRORUN_DATA_DIR=str(data))
    assert before.returncode == 0, before.stderr
    assert before.stdout.startswith("none")
    assert not data.exists()

    done = run("db", "upgrade", RETRORUN_DATA_DIR=str(data))
    assert done.returncode == 0, done.stderr
    assert f"upgraded from empty to {head_revision()}" in done.stderr
    assert (data / "retrorun.sqlite3").is_file()

    again = run("db", "upgrade", RETRORUN_DATA_DIR=str(data))
    assert "already at" in again.stderr
    now = run("db", "current", RETRORUN_DATA_DIR=str(data))
    assert now.stdout.strip() == f"{head_revision()} (up to date)"


def test_database_url_wins_over_the_data_dir(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.sqlite3"
    done = run("db", "upgrade", RETRORUN_DATA_DIR=str(tmp_path / "data"),
               RETRORUN_DATABASE_URL=f"sqlite:///{target}")
    assert done.returncode == 0, done.stderr
    assert target.is_file()
    assert not (tmp_path / "data").exists()


def test_unsafe_settings_are_one_line_and_exit_2(tmp_path: Path) -> None:
    # The local commands need no secret (they sign nothing), but a weak one set is refused.
    done = run("db", "upgrade", RETRORUN_ENVIRONMENT="production",
               RETRORUN_DATA_DIR=str(tmp_path), RETRORUN_SECRET_KEY=" " * 32)
    assert done.returncode == 2
    assert "RETRORUN_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr
