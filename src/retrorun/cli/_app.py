"""The Typer application and the one place where errors become exit codes."""

from __future__ import annotations

import sys
from typing import Any

import typer

from retrorun.domain.errors import DomainError
from retrorun.services.errors import ServiceError

app = typer.Typer(
    name="retrorun",
    help="retrorun: an evidence-based coach for running backwards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _LazyConsole:
    """A Rich console on stderr, made on first use: importing Rich costs ~30 ms of every
    start, and `retrorun plan --json` never prints a status line."""

    def print(self, *objects: object, **options: Any) -> None:
        from rich.console import Console

        Console(stderr=True, highlight=False).print(*objects, **options)


# For progress and status lines; errors go through `fail`/`main` as one unwrapped line.
err_console = _LazyConsole()


class UserError(Exception):
    """A mistake by the person at the terminal: shown as one line, exit code 2."""


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line to stderr (never wrapped) and give the exit to raise."""
    sys.stderr.write(f"error: {message}\n")
    return typer.Exit(code)


def main() -> None:
    # A terminal that cannot show a character ("·", "≥") gets a stand-in, not a traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    try:
        app()
    # A use case's error a command did not put in its own words is still one line.
    except (DomainError, ServiceError, UserError) as error:
        sys.stderr.write(f"error: {error}\n")
        sys.exit(2)
