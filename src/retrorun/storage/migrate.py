"""Run the Alembic migrations from code: `retrorun db upgrade` and server start use this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from retrorun.storage.database import make_engine

_HERE = Path(__file__).parent


def _config() -> Config:
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`; creates a SQLite file if missing."""
    _run(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str) -> None:
    _run(url, lambda config: command.downgrade(config, revision))


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    parsed = make_url(url)
    file = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if file and file != ":memory:" and not Path(file).expanduser().exists():
        return None  # asking must not create the file
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None  # noqa: S101  (the package ships its revisions)
    return head


def _run(url: str, step: object) -> None:
    config = _config()
    engine = make_engine(url, foreign_keys=False)
    config.attributes["engine"] = engine
    try:
        step(config)  # type: ignore[operator]
    finally:
        engine.dispose()
