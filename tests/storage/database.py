"""Database fixtures shared by the storage and service tests.

Every test that takes `database` runs on SQLite, and also on PostgreSQL when
scripts/test found it (RETRORUN_TEST_POSTGRES=1). Isolation: each backend gets a fresh,
migrated database per test session (a temporary SQLite file; a PostgreSQL schema with a
random name, dropped at the end), and every table is emptied after each test.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from retrorun.storage import Database, upgrade
from retrorun.storage.tables import metadata

POSTGRES_URL = os.environ.get(
    "RETRORUN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def backends() -> list[str]:
    if os.environ.get("RETRORUN_TEST_POSTGRES") == "1":
        return ["sqlite", "postgres"]
    return ["sqlite"]


class PostgresSchemas:
    """Throw-away schemas in the test database, so runs never see each other's rows."""

    def __init__(self) -> None:
        self._admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        self._created: list[str] = []

    def new(self) -> str:
        """A URL whose connections use a new empty schema."""
        name = f"rr_test_{secrets.token_hex(6)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        self._created.append(name)
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{name}"

    def drop_all(self) -> None:
        with self._admin.connect() as connection:
            for name in self._created:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        self._admin.dispose()


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[PostgresSchemas]:
    schemas = PostgresSchemas()
    yield schemas
    schemas.drop_all()


def fresh_url(backend: str, folder: Path, request: pytest.FixtureRequest) -> str:
    """An empty database of that backend, not yet migrated."""
    if backend == "sqlite":
        return f"sqlite:///{folder / f'{secrets.token_hex(4)}.sqlite3'}"
    schemas: PostgresSchemas = request.getfixturevalue("postgres_schemas")
    return schemas.new()


class SqlDatabases:
    """One migrated database per backend, made on first use and kept for the session."""

    def __init__(self, folder: Path, request: pytest.FixtureRequest) -> None:
        self._folder = folder
        self._request = request
        self._made: dict[str, Database] = {}

    def get(self, backend: str) -> Database:
        if backend not in self._made:
            url = fresh_url(backend, self._folder, self._request)
            upgrade(url)
            self._made[backend] = Database(url)
        return self._made[backend]

    def dispose(self) -> None:
        for database in self._made.values():
            database.dispose()


@pytest.fixture(scope="session")
def sql_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SqlDatabases]:
    databases = SqlDatabases(tmp_path_factory.mktemp("dbs"), request)
    yield databases
    databases.dispose()


def empty_all_tables(database: Database) -> None:
    with database.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(scope="session", params=backends())
def migrated_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    url = fresh_url(request.param, tmp_path_factory.mktemp("db"), request)
    upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def database(migrated_database: Database) -> Iterator[Database]:
    yield migrated_database
    empty_all_tables(migrated_database)
