"""`retrorun doses`: each program beside the protocol of its studies (docs/doses.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from retrorun.cli._app import UserError, app


@app.command()
def doses(write: Annotated[Path | None, typer.Option(
        "--write", help="Write the table to this file (docs/doses.md) instead of printing "
                        "it")] = None) -> None:
    """The dose table: what each program's studies did and what its plans contain."""
    from retrorun.formats.doses import dose_table

    table = dose_table()
    if write is None:
        typer.echo(table, nl=False)
        return
    try:
        write.write_text(table, encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {write}: {error.strerror}") from error
