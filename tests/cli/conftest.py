"""Fixtures for the commands on stored data: a real database the command reaches through
RETRORUN_DATABASE_URL (a SQLite file; PostgreSQL too where a test asks for `backend` and
scripts/test found it, RETRORUN_TEST_POSTGRES=1)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli._stored import Cli

BACKENDS = ["sqlite", *([pytest.param("postgres", marks=pytest.mark.postgres)]
                        if os.environ.get("RETRORUN_TEST_POSTGRES") == "1" else [])]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from retrorun.storage import upgrade

    path = tmp_path_factory.mktemp("cli-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def cli(tmp_path: Path, migrated_sqlite: Path) -> Cli:
    """The command on a migrated SQLite file of this test's own."""
    path = tmp_path / "retrorun.sqlite3"
    shutil.copy(migrated_sqlite, path)
    return Cli(f"sqlite:///{path}", tmp_path)


@pytest.fixture(params=BACKENDS)
def backend_cli(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Cli]:
    """The installed command on an empty, never migrated database: `users add` sets it
    up."""
    if request.param == "sqlite":
        yield Cli(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path, installed=True)
        return
    from tests.storage.database import PostgresSchemas

    schemas = PostgresSchemas()
    try:
        yield Cli(schemas.new(), tmp_path, installed=True)
    finally:
        schemas.drop_all()
