"""`retrorun serve`: migrate, seed the demo athlete in development, start the web app."""

from __future__ import annotations

from typing import Annotated

import typer

from retrorun.cli._app import app, err_console, fail


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on "
                                             "[default: RETRORUN_HOST or 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on "
                                             "[default: RETRORUN_PORT or 8000]")] = None,
) -> None:
    """Start the web app (http://127.0.0.1:8000 by default) on the configured database.

    Example: retrorun serve --host 0.0.0.0 --port 8080
    """
    import os

    import uvicorn

    from retrorun.config import SettingsError, check_server_settings, load_settings

    # The server reads its settings from the environment (web.asgi), so the flags go there.
    if host is not None:
        os.environ["RETRORUN_HOST"] = host
    if port is not None:
        os.environ["RETRORUN_PORT"] = str(port)
    try:
        settings = load_settings()  # fail here, with one line and exit code 2, not later
        check_server_settings(settings)
    except SettingsError as error:
        raise fail(str(error)) from None
    where = _database(settings.resolved_database_url)
    err_console.print(f"retrorun: serving on {settings.public_url} "
                      f"({settings.environment.value}, {where}, import jobs: "
                      f"{settings.resolved_jobs.value})", markup=False, highlight=False,
                      soft_wrap=True)
    # By name, in factory mode: the CLI never imports the web layer (import-linter).
    # proxy_headers off: uvicorn would believe X-Forwarded-For from 127.0.0.1 by default;
    # the app itself reads it, and only from RETRORUN_TRUSTED_PROXIES (web.deps.client_key).
    uvicorn.run("retrorun.web.asgi:app", factory=True, host=settings.host,
                port=settings.port, log_level="info", proxy_headers=False)


def _database(url: str) -> str:
    """The database URL without a password, for the start-up line."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, location = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        rest = f"{user}@{location}"
    return f"{scheme}{sep}{rest}"
