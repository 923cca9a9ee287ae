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
err_console = Console(stderr=True, highlight=False)


class UserError(Exception):
    """A mistake by the person at the terminal: shown as one line, exit code 2."""


def fail(message: str, code: int = 2) -> typer.Exit:
    err_console.print(f"error: {message}", markup=False)
    return typer.Exit(code)


def main() -> None:
    try:
        app()
    except (DomainError, UserError) as error:
        err_console.print(f"error: {error}", markup=False)
        sys.exit(2)
