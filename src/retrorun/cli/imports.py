"""`retrorun import PATH... --athlete WHO [--json]`: watch files into an athlete's log.

Files, folders (every file inside, in name order) and zips (a Strava or Garmin export)
are read by `formats.activities.read_upload`; `services.imports` stores each activity
once, matches it to its planned session and fills the session's log, so the plan
adapts. A progress bar on stderr; a summary table on stdout, or with --json one JSON
object per line and file (the keys `JSON_KEYS`). Refused files are reported with their
reason and do not stop the others; the exit code is 0 when the command ran.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from retrorun.cli._app import UserError, app

if TYPE_CHECKING:
    from retrorun.services.imports import ImportOutcome

# The contract of --json (issue 12), in this order.
JSON_KEYS = ("file", "status", "sport", "start", "distance_m", "elapsed_s", "records",
             "session_id", "backward_minutes", "message")


def _files(paths: list[Path]) -> Iterator[tuple[str, Path | None]]:
    """(name as shown, path) for every file the paths name; a missing one has no path."""
    for path in paths:
        if path.is_dir():
            for inside in sorted(p for p in path.rglob("*") if p.is_file()
                                 and not any(part.startswith(".") for part in
                                             p.relative_to(path).parts)):
                yield inside.name, inside
        elif path.is_file():
            yield path.name, path
        else:
            yield str(path), None


def outcome_json(outcome: ImportOutcome) -> dict[str, Any]:
    """The outcome as the import job stores it, with the keys of the contract only."""
    from retrorun.services.import_jobs import outcome_json as stored

    values = stored(outcome)
    return {key: values[key] for key in JSON_KEYS}


def _read(name: str, path: Path | None) -> Iterator[Any]:
    """The file's activities one at a time (a bulk export holds a thousand)."""
    from retrorun.formats.activities import DEFAULT_LIMITS, RefusalReason, Refused, iter_upload

    if path is None:
        return iter([Refused(name, RefusalReason.EMPTY, f"{name}: no such file or folder")])
    size = path.stat().st_size
    if size > DEFAULT_LIMITS.upload_bytes:  # refused before reading it into memory
        return iter([Refused(name, RefusalReason.TOO_LARGE, f"{name} is {size:,} bytes, over "
                             f"the upload limit of {DEFAULT_LIMITS.upload_bytes:,}")])
    try:
        data = path.read_bytes()
    except OSError as error:
        return iter([Refused(name, RefusalReason.MALFORMED,
                             f"{name}: cannot be read ({error.strerror})")])
    return iter_upload(name, data)


@app.command("import")
def import_files(
    paths: Annotated[list[Path], typer.Argument(
        help="FIT, GPX or TCX files, .gz of them, zips (Strava or Garmin exports), folders",
        show_default=False)],
    athlete: Annotated[str | None, typer.Option(
        help="The athlete's email or user id (required)")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per line and file instead of the table")] = False,
) -> None:
    """Import watch files into the athlete's log: each activity completes its planned
    session (its day, or a day either side) and the plan adapts.

    Example: retrorun import export.zip run.fit --athlete me@example.com
    """
    from rich.progress import Progress

    from retrorun.cli._athlete import athlete_id, opened
    from retrorun.services import imports

    if athlete is None:
        raise UserError("--athlete: give the athlete's email or user id")
    named = list(_files(paths))
    outcomes: list[ImportOutcome] = []
    with opened() as services:
        user_id = athlete_id(services, athlete)
        with Progress(transient=True, console=_stderr()) as progress:
            task = progress.add_task("importing", total=len(named))
            for name, path in named:
                progress.update(task, description=name[:40])
                for result in _read(name, path):
                    outcomes.append(imports.import_result(services.uow(), user_id=user_id,
                                                          result=result,
                                                          clock=services.clock))
                progress.advance(task)
    if as_json:
        for outcome in outcomes:
            sys.stdout.write(json.dumps(outcome_json(outcome), ensure_ascii=False) + "\n")
        return
    _table(outcomes)


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _table(outcomes: list[ImportOutcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Import", show_lines=False)
    for column in ("File", "Status", "Sport", "Start", "km", "Session", "Backward min",
                   "Message"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        table.add_row(
            o.file, o.status, o.sport or "",
            f"{o.start:%Y-%m-%d %H:%M}" if o.start else "",
            f"{o.distance_m / 1000:.2f}" if o.distance_m else "", o.session_id or "",
            f"{o.backward_minutes:g}" if o.backward_minutes else "", o.message)
    console = Console()
    console.print(table)
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("imported", "duplicate", "refused")}
    console.print(f"{counts['imported']} imported, {counts['duplicate']} duplicates, "
                  f"{counts['refused']} refused", markup=False, highlight=False)
