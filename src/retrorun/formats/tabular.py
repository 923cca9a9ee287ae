"""CSV of the plan's sessions (with what was done, when logs are given) and of logs.

`steps` and `cues` hold a session's lines joined by " | "; `cues` lists each cue of the
session and of its steps once, in order. Cells that a spreadsheet would run as a formula
(starting with = + - @ or a tab) get a leading apostrophe: titles and notes are text, and
a log note is typed by a person.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from retrorun.formats._text import plan_units, session_cues, steps_lines

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from retrorun.domain.model import Plan
    from retrorun.domain.profile import Units
    from retrorun.formats.logs import SessionLog

SESSION_COLUMNS = (
    "week",
    "date",
    "weekday",
    "session_id",
    "kind",
    "title",
    "surface",
    "hard",
    "running_min",
    "backward_min",
    "intense_min",
    "exercise_min",
    "steps",
    "cues",
)
LOG_COLUMNS = (
    "session_id",
    "date",
    "status",
    "forward_min",
    "backward_min",
    "rpe",
    "pain_during",
    "pain_next_morning",
    "events",
    "notes",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _minutes(seconds: int) -> str:
    return f"{seconds / 60:.1f}".removesuffix(".0")


def _write(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def _log_cells(log: SessionLog | None) -> list[object]:
    if log is None:
        return [""] * len(LOG_COLUMNS)
    return [
        log.session_id,
        log.date.isoformat(),
        log.status.value,
        _minutes(log.forward_seconds),
        _minutes(log.backward_seconds),
        "" if log.rpe is None else f"{log.rpe:g}",
        log.pain_during,
        log.pain_next_morning,
        "; ".join(log.events),
        log.notes,
    ]


def plan_csv(plan: Plan, logs: Sequence[SessionLog] = (), *, units: Units | None = None) -> str:
    """One row per session; with logs, the log's columns follow as `done_*`."""
    chosen = plan_units(plan, units)
    by_session = {log.session_id: log for log in logs}
    columns = list(SESSION_COLUMNS)
    if logs:
        columns += [f"done_{c}" for c in LOG_COLUMNS[2:]]
    rows = []
    for week in plan.weeks:
        for s in week.sessions:
            row: list[object] = [
                week.index,
                s.date.isoformat(),
                s.date.strftime("%a"),
                s.id,
                s.kind.value,
                s.title,
                s.surface.value,
                "yes" if s.hard else "no",
                _minutes(s.running_seconds),
                _minutes(s.backward_seconds),
                _minutes(s.intense_seconds),
                _minutes(s.exercise_seconds),
                " | ".join(line.strip() for line in steps_lines(s.steps, chosen)),
                " | ".join(session_cues(s)),
            ]
            if logs:
                row += _log_cells(by_session.get(s.id))[2:]
            rows.append(row)
    return _write(columns, rows)


def logs_csv(logs: Sequence[SessionLog]) -> str:
    """The logs alone, oldest first."""
    ordered = sorted(logs, key=lambda log: (log.date, log.session_id))
    return _write(LOG_COLUMNS, (_log_cells(log) for log in ordered))
