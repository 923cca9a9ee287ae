"""`retrorun db upgrade` and `retrorun db current`: the database schema.

SQLAlchemy and Alembic are imported inside the commands, so other commands start fast.
"""

from __future__ import annotations

import typer

from retrorun.cli._app import app, err_console, fail

db_app = typer.Typer(help="The database: migrate it, or show its schema revision.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


def _database_url() -> str:
    from retrorun.config import SettingsError, load_operator_settings

    try:
        return load_operator_settings().resolved_database_url
    except SettingsError as error:
        raise fail(str(error)) from None


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database to the newest schema; creates the SQLite file if missing.

    Example: RETRORUN_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/test retrorun db upgrade
    """
    from retrorun.storage import current_revision
    from retrorun.storage import upgrade as run_upgrade
    from retrorun.storage.migrate import head_revision

    url = _database_url()
    before = current_revision(url)
    run_upgrade(url)
    head = head_revision()
    if before == head:
        err_console.print(f"database already at {head}", markup=False)
    else:
        err_console.print(f"database upgraded from {before or 'empty'} to {head}", markup=False)


@db_app.command("current")
def current() -> None:
    """Print the schema revision of the database ("none" if never migrated).

    Example: retrorun db current
    """
    from retrorun.storage import current_revision
    from retrorun.storage.migrate import head_revision

    revision = current_revision(_database_url())
    head = head_revision()
    state = "up to date" if revision == head else f"behind; newest is {head}"
    typer.echo(f"{revision or 'none'} ({state})")
