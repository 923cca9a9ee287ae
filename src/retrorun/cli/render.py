"""Terminal rendering of plans and sessions with Rich (no logic, only layout)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from retrorun.domain.catalogue import Program, StageDose
from retrorun.domain.evidence import SOURCES
from retrorun.domain.model import Plan, Repeat, Session, Step, StepOrRepeat, Target
from retrorun.domain.paces import format_pace

KM_PER_MILE = 1.609344
SESSIONS_SHOWN = 3  # of a plan change's sessions, in the terminal


def clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def target_text(target: Target, imperial: bool) -> str:
    low, high = target.low, target.high
    if target.type == "pace" and low is not None and high is not None:
        return f"pace {format_pace(low, imperial)}-{format_pace(high, imperial)}"
    if target.type == "hr":
        return f"HR {low:g}-{high:g} bpm"
    if target.type == "rpe":
        return f"RPE {low:g}-{high:g}/10"
    if target.type == "effort":
        return f"{low:g}-{high:g} % effort"
    return ""


def _distance(meters: int, imperial: bool) -> str:
    if imperial:
        return f"{meters * 1.0936:.0f} yd"
    return f"{meters} m"


def step_line(step: Step, imperial: bool) -> str:
    size = _distance(step.meters, imperial) if step.meters else clock(step.seconds)
    parts = [f"{size} {step.name}".strip(), target_text(step.target, imperial)]
    return "  ".join(p for p in parts if p)


def step_lines(steps: tuple[StepOrRepeat, ...], imperial: bool, indent: str = "") -> list[str]:
    lines = []
    for item in steps:
        if isinstance(item, Repeat):
            lines.append(f"{indent}{item.count} x")
            lines += step_lines(item.steps, imperial, indent + "    ")
        else:
            lines.append(indent + step_line(item, imperial))
    return lines


def plan_tables(plan: Plan, logs: Mapping[str, str] | None = None) -> list[Table]:
    """A table a week; `logs` (session id -> its log's status) adds a column for a stored
    plan's logged sessions."""
    tables = []
    for week in plan.weeks:
        title = (f"Week {week.index} · stage: backward {week.stage}"
                 + (" · lighter week" if week.lighter else "")
                 + f" · {week.running_seconds // 60} min on foot,"
                   f" {clock(week.backward_seconds)} backward")
        table = Table(title=title, title_justify="left", expand=False)
        for column in ("Date", "Session", "Time", "Backward", "Where"):
            table.add_column(column)
        table.add_column("Id", no_wrap=True)
        if logs is not None:
            table.add_column("Log")
        for s in week.sessions:
            table.add_row(f"{s.date:%a %d %b}", s.title, clock(s.running_seconds or
                                                              s.exercise_seconds),
                          clock(s.backward_seconds) if s.backward_seconds else "",
                          s.surface.value, s.id,
                          *([logs.get(s.id, "")] if logs is not None else []))
        tables.append(table)
    return tables


def print_plan(console: Console, plan: Plan, imperial: bool,
               logs: Mapping[str, str] | None = None) -> None:
    console.print(f"[bold]retrorun plan: {plan.program}[/bold] (v{plan.program_version}),"
                  f" from {plan.start_date:%A %d %B %Y}")
    for notice in plan.notices:
        console.print(f"[yellow]![/yellow] {notice}", markup=True, highlight=False)
    del imperial  # the calendar shows times; paces appear in `explain`
    for table in plan_tables(plan, logs):
        console.print(table)
    console.print("Not medical advice. `retrorun explain ID` shows a session's steps, cues "
                  "and sources.")


def print_session(console: Console, session: Session, imperial: bool) -> None:
    console.print(f"[bold]{session.title}[/bold]  ({session.id})")
    console.print(f"{session.date:%A %d %B %Y} · {session.kind} · on {session.surface}"
                  + (" · hard day" if session.hard else ""))
    console.print("\n[bold]Steps[/bold]")
    for line in step_lines(session.steps, imperial):
        console.print("  " + line, markup=False, highlight=False)
    cues = sorted({s.cue for s in session.flat_steps if s.cue})
    if cues:
        console.print("\n[bold]Cues[/bold]")
        for cue in cues:
            console.print("  " + cue, markup=False, highlight=False)
    console.print("\n[bold]Why[/bold]")
    console.print("  " + session.why, markup=False, highlight=False)
    console.print("\n[bold]Sources[/bold]")
    for source_id in session.evidence:
        source = SOURCES[source_id]
        console.print(f"  - {source.citation} ({source.design}; strength: {source.strength})",
                      markup=False, highlight=False)


def stage_dose_words(dose: StageDose) -> str:
    """A stage's dose in a few words: "run 6-15 min", "sprint 2-3 x 7 x 20 m at 90-100 %"."""
    if dose.format == "sprint_sets":
        first, last = dose.sets
        sets = f"{first}" if first == last else f"{first}-{last}"
        return (f"{dose.stage} {sets} x {dose.reps} x {dose.distance_m} m at "
                f"{dose.effort[0]}-{dose.effort[1]} %")
    low, high = dose.minutes
    minutes = f"{low:g}" if low == high else f"{low:g}-{high:g}"
    return f"{dose.stage} {minutes} min"


def programs_table(programs: list[Program]) -> Table:
    table = Table(title="retrorun programs", show_lines=True)
    for column in ("Id", "Weeks", "For", "Shape", "Sources"):
        table.add_column(column)
    for p in programs:
        shape = "; ".join(stage_dose_words(d) for d in p.stages)
        table.add_row(p.id, str(p.weeks), p.audience, shape,
                      "\n".join(SOURCES[s].citation.split(". ")[0] for s in p.sources))
    return table


def change_details(change: Mapping[str, Any]) -> str:
    """What a stored plan's change ("changes" of the plan document) is, besides its reason."""
    sessions = change.get("sessions") or []
    parts = [f"from {change.get('effective_from')} (decided {change.get('decided_on')})",
             f"rule {change.get('rule')}"]
    if change.get("evidence"):
        parts.append(f"evidence {change['evidence']}")
    parts += [f"by {change.get('by', 'rules')}", f"version {change.get('version')}"]
    if sessions:
        # The first few ids: a change to the rest of a plan touches dozens (--json has all).
        shown = ", ".join(str(s) for s in sessions[:SESSIONS_SHOWN])
        more = len(sessions) - SESSIONS_SHOWN
        parts.append(f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} changed: "
                     + shown + (f" and {more} more" if more > 0 else ""))
    if change.get("undone_by"):
        parts.append(f"lifted or undone in version {change['undone_by']}")
    return " · ".join(parts)


def print_changes(console: Console, changes: Sequence[Mapping[str, Any]]) -> None:
    """The plan page's "What changed and why", newest first."""
    console.print("[bold]What changed and why[/bold]")
    if not changes:
        console.print("  Nothing yet: this is the plan as it was kept (version 1).")
        return
    for change in reversed(changes):
        # Padding keeps wrapped lines under their own indent.
        console.print(Padding(Text(f"- {change.get('reason')}"), (0, 0, 0, 2)))
        console.print(Padding(Text(change_details(change), style="dim"), (0, 0, 0, 4)))
