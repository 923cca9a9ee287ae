"""Alembic environment: the same revisions run on SQLite (batch mode) and PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from retrorun.storage.database import make_engine
from retrorun.storage.tables import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    config = context.config
    engine = config.attributes.get("engine")
    owned = engine is None
    if owned:  # run by the `alembic` command: the URL comes from `-x url=...`
        url = context.get_x_argument(as_dictionary=True).get("url")
        if not url:
            raise SystemExit("pass the database with: alembic -x url=<database url> ...")
        engine = make_engine(url, foreign_keys=False)
    assert isinstance(engine, Engine)  # noqa: S101
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported")
run_migrations_online()
