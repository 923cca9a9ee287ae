"""What the commands on stored data share: the services over the settings' database, and
the athlete an `--athlete` option names (an email or a user id, in every command).

Imported only inside commands: it pulls in the services and the database, which
`retrorun plan --profile` never needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from retrorun.cli._app import UserError

if TYPE_CHECKING:
    from retrorun.bootstrap import Services


@contextmanager
def opened(*, migrate: bool = False) -> Iterator[Services]:
    """The services over the database of the settings (RETRORUN_DATABASE_URL or
    RETRORUN_DATA_DIR), closed afterwards.

    A database that was never set up (or is behind) is one line telling what to run, not
    a traceback. `migrate` brings it to the newest schema first, as `retrorun serve` does:
    for `retrorun users add`, the first step on a fresh install.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from retrorun.bootstrap import build_services
    from retrorun.bootstrap import migrate as run_migrations
    from retrorun.config import SettingsError, load_operator_settings

    try:
        settings = load_operator_settings()
        if migrate:
            run_migrations(settings)
        services = build_services(settings)
    except SettingsError as error:
        raise UserError(str(error)) from error
    except SQLAlchemyError as error:
        raise UserError(_database_problem(str(error))) from error
    try:
        yield services
    except SQLAlchemyError as error:
        raise UserError(_database_problem(str(error), settings.resolved_database_url)
                        ) from error
    finally:
        services.close()


def _database_problem(message: str, url: str | None = None) -> str:
    """One line for a database error: what to run when the schema is missing or behind."""
    if url is not None:
        from retrorun.storage import current_revision
        from retrorun.storage.migrate import head_revision

        try:
            behind = current_revision(url) != head_revision()
        except Exception:  # only choosing the words of a message
            behind = False
        if behind:
            return "the database is not set up or is behind: run `retrorun db upgrade`"
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return f"the database failed: {first}"


def athlete_id(services: Services, who: str) -> str:
    """The user id of the athlete `--athlete WHO` names, by email or by user id."""
    from retrorun.services import progress
    from retrorun.services.errors import ServiceError

    try:
        return progress.athlete_named(services.uow(), who=who)
    except ServiceError as error:
        raise UserError(f"--athlete {shown(who)}: no such athlete (give an email or a "
                        f"user id)") from error


SHOWN_CHARACTERS = 80  # of what was typed, in a one-line message


def shown(text: str) -> str:
    """What the user typed, stripped, and cut short enough for a one-line message."""
    text = text.strip()
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 3] + "..."
