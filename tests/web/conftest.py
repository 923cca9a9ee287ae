"""Web tests through the HTTP client, on a real database: SQLite always, PostgreSQL too
when RETRORUN_TEST_POSTGRES=1 (URL in RETRORUN_TEST_POSTGRES_URL).

Each test gets an empty, migrated database: a copy of a migrated SQLite file, or a
PostgreSQL database of its own (created once, emptied between tests).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from retrorun.bootstrap import ConsoleMailer, Services, build_services
from retrorun.config import Settings, load_settings
from retrorun.storage import upgrade
from retrorun.web.app import create_app
from tests.web._client import TestClient
from tests.web.helpers import make_client

SECRET = "test-secret-" + "x" * 40
POSTGRES = os.environ.get("RETRORUN_TEST_POSTGRES") == "1"
POSTGRES_URL = os.environ.get("RETRORUN_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# Like the storage tests: PostgreSQL joins only when scripts/test found it (it then says
# so, and says plainly when the run was on SQLite only).
BACKENDS = ["sqlite", *([pytest.param("postgres", marks=pytest.mark.postgres)]
                        if POSTGRES else [])]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


def _pg_admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url.replace("+psycopg", ""), autocommit=True)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database of our own for this run (not the shared `test` one)."""
    name = f"retrorun_web_{uuid.uuid4().hex[:10]}"
    with _pg_admin(POSTGRES_URL) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with _pg_admin(POSTGRES_URL) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_postgres(url: str) -> None:
    with _pg_admin(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'")]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "retrorun.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    _empty_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(environment="test", secret_key=SECRET, database_url=database_url,
                         data_dir=tmp_path, base_url="https://retrorun.test", seed_demo=False)


@pytest.fixture
def mailer() -> ConsoleMailer:
    return ConsoleMailer()


@pytest.fixture
def services(settings: Settings, mailer: ConsoleMailer) -> Iterator[Services]:
    built = build_services(settings, mailer=mailer)
    yield built
    built.close()


@pytest.fixture
def app(settings: Settings, services: Services) -> Any:
    return create_app(settings, services)


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with make_client(app) as c:
        yield c
