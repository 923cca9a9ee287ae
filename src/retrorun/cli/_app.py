"""The Typer application and the one place where errors become exit codes."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from retrorun.domain.errors import DomainError

app = typer.Typer(
    name="retrorun",
    help="retrorun: an evidence-based coach for running backwards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# For progress and status lines; errors go through `fail`/`main` as one unwrapped line.
err_console = Console(stderr=True, highlight=False)


class UserError(Exception):
    """A mistake by the person at the terminal: shown as one line, exit code 2."""


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line to stderr (never wrapped) and give the exit to raise."""
    sys.stderr.write(f"error: {message}\n")
    return typer.Exit(code)


def main() -> None:
    try:
        app()
    except (DomainError, UserError) as error:
        sys.stderr.write(f"error: {error}\n")
        sys.exit(2)
