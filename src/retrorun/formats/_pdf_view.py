"""The printed plan as plain values, ready for the Jinja2 templates.

All wording and unit conversion happens here (through `_text`), so the templates only lay
things out. The same values could feed an HTML page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from retrorun.domain.model import Direction, Plan, Repeat, Session, SessionKind, Step, Week
from retrorun.domain.profile import Units
from retrorun.formats._athlete import athlete_rows
from retrorun.formats._chart import Bar, weekly_minutes_svg
from retrorun.formats._story import Story, plan_story
from retrorun.formats._text import (
    session_totals,
    step_amount,
    step_name,
    target_words,
    total_words,
)

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GRID_LABELS: dict[SessionKind, str] = {
    SessionKind.EASY: "Easy run",
    SessionKind.LONG: "Long run",
    SessionKind.TEMPO: "Tempo",
    SessionKind.INTERVALS: "Intervals",
    SessionKind.STRIDES: "Strides",
    SessionKind.BACKWARD: "Backward",
    SessionKind.BACKWARD_SPRINTS: "Backward sprints",
    SessionKind.CORE: "Core",
    SessionKind.STRENGTH: "Strength",
    SessionKind.TEST: "Field test",
    SessionKind.REST: "Rest",
}


@dataclass(frozen=True, slots=True)
class StepRow:
    name: str
    amount: str
    target: str
    cue: str
    backward: bool
    in_repeat: bool
    repeat_header: str = ""  # "3×" on the first row of a repeat block


@dataclass(frozen=True, slots=True)
class SessionCard:
    id: str
    week: int
    date: str
    title: str
    kind: str
    surface: str
    totals: str
    hard: bool
    backward: bool
    rows: tuple[StepRow, ...]
    cues: tuple[str, ...]
    why: str
    # Exercise-only sessions (core, strength) print as one paragraph instead of rows:
    # the core routine page explains each exercise, and a row per exercise on every card
    # doubled the time WeasyPrint needed for a 16-week plan.
    exercises: str = ""
    label: str = ""  # a short name for the week grid: "Backward · 50 min"
    same_as: str = ""  # the date of an identical session earlier the same week


@dataclass(frozen=True, slots=True)
class DayRow:
    weekday: str
    date: str
    sessions: tuple[SessionCard, ...]


@dataclass(frozen=True, slots=True)
class WeekGrid:
    index: int
    stage: str
    lighter: bool
    advance_when: str
    running: str
    backward: str
    days: tuple[DayRow, ...]


@dataclass(frozen=True, slots=True)
class Exercise:
    name: str
    amount: str
    cue: str


@dataclass(frozen=True, slots=True)
class PlanView:
    story: Story
    units: str
    start: str
    end: str
    weeks_count: int
    generated_on: str
    athlete: tuple[tuple[str, str], ...]
    screen: str
    screened_out: bool
    notices: tuple[str, ...]
    backward_surfaces: tuple[str, ...]
    uses_treadmill: bool
    chart_svg: str
    weeks: tuple[WeekGrid, ...]
    cards: tuple[SessionCard, ...]
    core: tuple[Exercise, ...]


def short_date(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b')}"


def long_date(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b %Y')}"


def step_row(step: Step, units: Units, *, in_repeat: bool = False, header: str = "") -> StepRow:
    return StepRow(
        name=step_name(step),
        amount=step_amount(step, units),
        target=target_words(step.target, units),
        cue=step.cue,
        backward=step.direction is Direction.BACKWARD,
        in_repeat=in_repeat,
        repeat_header=header,
    )


def session_rows(session: Session, units: Units) -> tuple[StepRow, ...]:
    rows: list[StepRow] = []
    for item in session.steps:
        if isinstance(item, Repeat):
            for i, step in enumerate(item.steps):
                header = f"{item.count}×" if i == 0 else ""
                rows.append(step_row(step, units, in_repeat=True, header=header))
        else:
            rows.append(step_row(item, units))
    return tuple(_cue_once(rows))


def _cue_once(rows: list[StepRow]) -> list[StepRow]:
    """A cue repeated on several steps of one card is printed on the first of them only."""
    seen: set[str] = set()
    out = []
    for row in rows:
        out.append(replace(row, cue="") if row.cue in seen else row)
        seen.add(row.cue)
    return out


def exercise_line(session: Session, units: Units) -> str:
    """ "2 rounds: Plank 0:40 · Side plank 0:30": an exercise-only session in one line."""
    parts = []
    for item in session.steps:
        if isinstance(item, Repeat):
            inner = " · ".join(f"{step_name(s)} {step_amount(s, units)}" for s in item.steps)
            parts.append(f"{item.count} rounds: {inner}" if item.count > 1 else inner)
        else:
            parts.append(f"{step_name(item)} {step_amount(item, units)}")
    return "; ".join(parts)


def session_card(session: Session, week: int, units: Units) -> SessionCard:
    exercise_only = not any(step.on_foot for step in session.flat_steps)
    total_seconds = session.running_seconds + session.exercise_seconds
    return SessionCard(
        id=session.id,
        week=week,
        date=long_date(session.date),
        title=session.title,
        kind=session.kind.value.replace("_", " "),
        surface=session.surface.value,
        totals=session_totals(session),
        hard=session.hard,
        backward=session.backward_seconds > 0,
        rows=() if exercise_only else session_rows(session, units),
        cues=session.cues,
        why=session.why,
        exercises=exercise_line(session, units) if exercise_only else "",
        label=f"{GRID_LABELS[session.kind]} · {total_words(total_seconds)}",
    )


def week_grid(week: Week, cards: dict[str, SessionCard], monday: dt.date) -> WeekGrid:
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        on_day = tuple(cards[s.id] for s in week.sessions if s.date == day)
        days.append(DayRow(WEEKDAY_NAMES[offset], f"{day.day} {day.strftime('%b')}", on_day))
    return WeekGrid(
        index=week.index,
        stage=week.stage.value,
        lighter=week.lighter,
        advance_when=week.advance_when,
        running=total_words(week.running_seconds),
        backward=total_words(week.backward_seconds),
        days=tuple(days),
    )


def _monday(week: Week, plan: Plan) -> dt.date:
    first = min((s.date for s in week.sessions), default=plan.start_date)
    return first - dt.timedelta(days=first.weekday())


def core_exercises(plan: Plan, units: Units) -> tuple[Exercise, ...]:
    """The distinct exercises of the plan's core and strength sessions, first seen first."""
    seen: dict[str, Exercise] = {}
    for session in plan.sessions:
        if session.kind not in (SessionKind.CORE, SessionKind.STRENGTH):
            continue
        for step in session.flat_steps:
            if not step.on_foot and step.name not in seen:
                seen[step.name] = Exercise(step.name, step_amount(step, units), step.cue)
    return tuple(seen.values())


def weekly_bars(plan: Plan) -> tuple[Bar, ...]:
    return tuple(
        Bar(f"W{w.index}", (w.running_seconds - w.backward_seconds) / 60, w.backward_seconds / 60)
        for w in plan.weeks
    )


def is_screened_out(athlete: Mapping[str, object]) -> bool:
    screen = athlete.get("screen")
    return isinstance(screen, Mapping) and not (screen.get("passed") and not screen.get("yes"))


def screen_outcome(athlete: Mapping[str, object]) -> str:
    """One sentence on the safety screen (evidence B1); the generator's notices add detail."""
    screen = athlete.get("screen")
    if not isinstance(screen, Mapping):
        return "The safety screen's answers are not part of this plan."
    if screen.get("passed") and not screen.get("yes"):
        return (
            "You answered no to every safety-screen question, so every backward stage "
            "this program uses is open to you."
        )
    return (
        "You answered yes to at least one safety-screen question: this plan keeps to "
        "backward walking, on a treadmill with handrails or indoors. Please see a "
        "clinician before you start."
    )


def _content(card: SessionCard) -> tuple[object, ...]:
    return (card.title, card.kind, card.surface, card.rows, card.exercises, card.cues)


def same_as_earlier(cards: list[SessionCard]) -> list[SessionCard]:
    """A session identical to one earlier in its week points to it instead of repeating it.

    Only within a week, so each week's pages stand on their own when torn out.
    """
    first: dict[tuple[int, tuple[object, ...]], str] = {}
    out = []
    for card in cards:
        key = (card.week, _content(card))
        if key in first:
            out.append(replace(card, rows=(), exercises="", cues=(), why="", same_as=first[key]))
        else:
            first[key] = card.date
            out.append(card)
    return out


def without_repeated_why(cards: list[SessionCard]) -> list[SessionCard]:
    """Print each reason once: later cards with the same reason leave it out."""
    seen: set[str] = set()
    out = []
    for card in cards:
        out.append(replace(card, why="") if card.why in seen else card)
        seen.add(card.why)
    return out


def plan_view(plan: Plan, units: Units, generated_on: dt.date) -> PlanView:
    ordered = [session_card(s, w.index, units) for w in plan.weeks for s in w.sessions]
    cards = {card.id: card for card in without_repeated_why(same_as_earlier(ordered))}
    backward_sessions = [s for s in plan.sessions if s.backward_seconds]
    surfaces = tuple(sorted({s.surface.value for s in backward_sessions}))
    end = max((s.date for s in plan.sessions), default=plan.start_date)
    return PlanView(
        story=plan_story(plan),
        units=units.value,
        start=long_date(plan.start_date),
        end=long_date(end),
        weeks_count=len(plan.weeks),
        generated_on=long_date(generated_on),
        athlete=athlete_rows(plan.athlete, units),
        screen=screen_outcome(plan.athlete),
        screened_out=is_screened_out(plan.athlete),
        notices=plan.notices,
        backward_surfaces=surfaces,
        uses_treadmill="treadmill" in surfaces,
        chart_svg=weekly_minutes_svg(weekly_bars(plan), "Planned minutes per week"),
        weeks=tuple(week_grid(w, cards, _monday(w, plan)) for w in plan.weeks),
        cards=tuple(cards[s.id] for s in plan.sessions if s.kind is not SessionKind.REST),
        core=core_exercises(plan, units),
    )
