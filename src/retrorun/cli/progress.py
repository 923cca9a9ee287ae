"""`retrorun progress`: a stored plan's progress, as a table or as the API's JSON.

The JSON is `formats.progress_json.progress_document`, byte for byte what
`/api/v1/progress` serves; the table's sentences are the web charts' summaries.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from retrorun.cli._app import UserError, app

if TYPE_CHECKING:
    from retrorun.services.progress import ProgressView


def _load(athlete: str) -> ProgressView:
    """The athlete's progress through the services (database from the settings)."""
    from retrorun.cli._athlete import athlete_id, opened
    from retrorun.services import progress
    from retrorun.services.errors import NotFound

    with opened() as services:
        user_id = athlete_id(services, athlete)
        try:
            return progress.get_progress(services.uow(), user_id=user_id,
                                         clock=services.clock)
        except NotFound as error:
            raise UserError(f"--athlete {athlete}: has no plan yet") from error


def _table(view: ProgressView) -> None:
    from rich.console import Console
    from rich.table import Table

    from retrorun.formats.progress_charts import minutes, progress_charts

    p = view.progress
    console = Console(highlight=False, soft_wrap=False)
    # Two-line headers and short cells: the table fits an 80-column terminal.
    table = Table(title=f"Progress of {view.athlete_email or view.athlete_id}, up to "
                        f"{p.today:%a %d %b %Y} (minutes)",
                  caption="(L): a lighter week. sRPE load: RPE x minutes (Foster 2001).")
    for name in ("Week", "Starts", "Stage", "Planned\nfwd/bwd", "Done\nfwd/bwd",
                 "Sessions\ndone/plan", "sRPE\nload", "Max\npain"):
        table.add_column(name, justify="left" if name in ("Starts", "Stage") else "right")
    for w in p.weeks:
        due = w.sessions_due > 0
        table.add_row(
            str(w.index), f"{w.start:%d %b}", w.stage.value + (" (L)" if w.lighter else ""),
            f"{minutes(w.planned_forward_seconds)}/{minutes(w.planned_backward_seconds)}",
            f"{minutes(w.done_forward_seconds)}/{minutes(w.done_backward_seconds)}"
            if due else "–",
            f"{w.sessions_done}/{w.sessions_planned}", f"{w.srpe_load:.0f}" if due else "–",
            "–" if w.pain_max is None else f"{w.pain_max}/10")
    console.print(table)
    for chart in progress_charts(p):
        if chart.key == "minutes":
            continue
        console.print(f"{chart.title}: {chart.summary}")
        if chart.key == "load":
            console.print(f"  {chart.note}", style="dim")


@app.command()
def progress(
    athlete: Annotated[str, typer.Option(help="The athlete's email or user id")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the progress as JSON "
                                          "(the shape /api/v1/progress serves)")] = False,
) -> None:
    """Planned and done per week, adherence, load, pain, stages and field tests.

    Example: retrorun progress --athlete runner@example.com --json

    Reads the athlete's stored plan and logs from the database of the settings
    (RETRORUN_DATABASE_URL or RETRORUN_DATA_DIR). Descriptive only: the load averages are
    a trend, never a limit.
    """
    view = _load(athlete)
    if as_json:
        from retrorun.formats.progress_json import progress_document

        sys.stdout.write(json.dumps(progress_document(view.progress), indent=2,
                                    ensure_ascii=False) + "\n")
        return
    _table(view)
