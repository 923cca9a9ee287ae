"""The plan as plain values for the shared templates: the PDF and the web pages use these.

One function builds each part (`session_card`, `safety_view`, `core_exercises`,
`plan_view` for the whole printed plan), and the templates in `formats/templates/plan/`
lay them out, so a session reads the same on its web page, on the printable web page and
in the PDF. All wording and unit conversion happens here (through `_text`); the templates
only lay things out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from retrorun.domain.model import Direction, Plan, Repeat, Session, SessionKind, Step, Week
from retrorun.domain.profile import Units
from retrorun.formats._athlete import athlete_rows
from retrorun.formats._chart import Bar, weekly_minutes_svg
from retrorun.formats._story import Citation, Story, citation, plan_story
from retrorun.formats._text import (
    plan_units,
    session_totals,
    step_amount,
    step_name,
    target_words,
    total_words,
)

__all__ = [
    "WEEKDAY_NAMES",
    "Citation",
    "Exercise",
    "PlanView",
    "SafetyView",
    "SessionCard",
    "StepBlock",
    "StepRow",
    "core_exercises",
    "long_date",
    "plan_units",
    "plan_view",
    "safety_view",
    "session_card",
    "short_date",
    "step_row",
    "step_words",
]

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
EXERCISE_KINDS = frozenset({SessionKind.CORE, SessionKind.STRENGTH})


@dataclass(frozen=True, slots=True)
class StepRow:
    name: str
    amount: str
    target: str
    cue: str
    backward: bool


@dataclass(frozen=True, slots=True)
class StepBlock:
    """One step (`repeat` 1), or the steps of a repeat done `repeat` times."""

    repeat: int
    rows: tuple[StepRow, ...]


@dataclass(frozen=True, slots=True)
class SessionCard:
    """A session as the card template shows it (`templates/plan/card.html`)."""

    id: str
    week: int
    date: str
    title: str
    kind: str
    surface: str
    totals: str
    hard: bool
    backward: bool
    blocks: tuple[StepBlock, ...]
    cues: tuple[str, ...]
    why: str
    sources: tuple[Citation, ...]
    # Exercise-only sessions (core, strength) show as one paragraph instead of rows: the
    # core routine explains each exercise, and a row per exercise on every printed card
    # doubled the time WeasyPrint needed for a 16-week plan.
    exercises: str = ""
    label: str = ""  # a short name for the week grid: "Backward · 50 min", unbroken time
    # Set by the printed plan only, to keep its pages short:
    same_as: str = ""  # the date of an identical session earlier the same week
    refs: str = ""  # "1, 4": numbers in the cover's source list, printed instead of sources


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
class SafetyView:
    """What the safety template shows: the screen's outcome and where backward work goes."""

    screen: str
    screened_out: bool
    notices: tuple[str, ...]
    backward_surfaces: str
    treadmill_start: str  # the belt speed to step on at, in the athlete's units


@dataclass(frozen=True, slots=True)
class PlanView:
    story: Story
    units: str
    start: str
    end: str
    weeks_count: int
    generated_on: str
    athlete: tuple[tuple[str, str], ...]
    safety: SafetyView
    chart_svg: str
    weekday_names: tuple[str, ...]  # the week grid's columns, from the plan's first weekday
    weeks: tuple[WeekGrid, ...]
    core: tuple[Exercise, ...]


def unbroken(words: str) -> str:
    """ "1 h 5 min" with no-break spaces: a narrow column moves it to a line whole."""
    return words.replace(" ", "\u00a0")


def short_date(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b')}"


def long_date(day: dt.date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {day.strftime('%b %Y')}"


# --- one session ---------------------------------------------------------------------


def step_row(step: Step, units: Units) -> StepRow:
    return StepRow(
        name=step_name(step),
        amount=step_amount(step, units),
        target=target_words(step.target, units),
        cue=step.cue,
        backward=step.direction is Direction.BACKWARD,
    )


def step_words(row: StepRow) -> str:
    """ "BACKWARD walk 1:40 · RPE 2–3/10": a step's row as one line (no cue)."""
    return f"{row.name} {row.amount} · {row.target}" if row.target else f"{row.name} {row.amount}"


def step_blocks(session: Session, units: Units) -> tuple[StepBlock, ...]:
    blocks = []
    seen: set[str] = set()  # a cue shared by several steps is shown on the first only
    for item in session.steps:
        steps, count = (item.steps, item.count) if isinstance(item, Repeat) else ((item,), 1)
        rows = []
        for step in steps:
            row = step_row(step, units)
            rows.append(replace(row, cue="") if row.cue in seen else row)
            seen.add(row.cue)
        blocks.append(StepBlock(count, tuple(rows)))
    return tuple(blocks)


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
    """The card of one session: the web session page and each card of the PDF."""
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
        blocks=() if exercise_only else step_blocks(session, units),
        cues=session.cues,
        why=session.why,
        sources=tuple(citation(s) for s in session.evidence),
        exercises=exercise_line(session, units) if exercise_only else "",
        label=f"{GRID_LABELS[session.kind]} · {unbroken(total_words(total_seconds))}",
    )


def core_exercises(sessions: Iterable[Session], units: Units) -> tuple[Exercise, ...]:
    """The distinct exercises of the core and strength sessions given, first seen first."""
    seen: dict[str, Exercise] = {}
    for session in sessions:
        if session.kind not in EXERCISE_KINDS:
            continue
        for step in session.flat_steps:
            if not step.on_foot and step.name not in seen:
                seen[step.name] = Exercise(step.name, step_amount(step, units), step.cue)
    return tuple(seen.values())


# --- safety --------------------------------------------------------------------------


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


def safety_view(plan: Plan, units: Units) -> SafetyView:
    """The safety page of the PDF, and the plan's safety page on the web."""
    surfaces = sorted({s.surface.value for s in plan.sessions if s.backward_seconds})
    return SafetyView(
        screen=screen_outcome(plan.athlete),
        screened_out=is_screened_out(plan.athlete),
        notices=plan.notices,
        backward_surfaces=", ".join(surfaces) or "no surface (no backward work)",
        treadmill_start="1.2–1.9 mph" if units is Units.IMPERIAL else "2–3 km/h",
    )


# --- the printed plan ----------------------------------------------------------------


def week_grid(week: Week, cards: dict[str, SessionCard], first_day: dt.date) -> WeekGrid:
    days = []
    for offset in range(7):
        day = first_day + dt.timedelta(days=offset)
        on_day = tuple(cards[s.id] for s in week.sessions if s.date == day)
        days.append(DayRow(WEEKDAY_NAMES[day.weekday()], f"{day.day} {day.strftime('%b')}",
                           on_day))
    return WeekGrid(
        index=week.index,
        stage=week.stage.value,
        lighter=week.lighter,
        advance_when=week.advance_when,
        running=total_words(week.running_seconds),
        backward=total_words(week.backward_seconds),
        days=tuple(days),
    )


def first_day(week: Week, plan: Plan) -> dt.date:
    """A plan's weeks run seven days from its start date, whatever weekday that is: a
    Monday-to-Sunday grid lost the sessions of a plan starting on a Sunday."""
    return plan.start_date + dt.timedelta(days=7 * (week.index - 1))


def weekday_names(plan: Plan) -> tuple[str, ...]:
    """The grid's columns, from the weekday the plan starts on."""
    start = plan.start_date.weekday()
    return WEEKDAY_NAMES[start:] + WEEKDAY_NAMES[:start]


def weekly_bars(plan: Plan) -> tuple[Bar, ...]:
    return tuple(
        Bar(f"W{w.index}", (w.running_seconds - w.backward_seconds) / 60, w.backward_seconds / 60)
        for w in plan.weeks
    )


def _content(card: SessionCard) -> tuple[object, ...]:
    return (card.title, card.kind, card.surface, card.blocks, card.exercises, card.cues)


def same_as_earlier(cards: list[SessionCard]) -> list[SessionCard]:
    """A session identical to one earlier in its week points to it instead of repeating it.

    Only within a week, so each week's pages stand on their own when torn out.
    """
    first: dict[tuple[int, tuple[object, ...]], str] = {}
    out = []
    for card in cards:
        key = (card.week, _content(card))
        if key in first:
            out.append(replace(card, blocks=(), exercises="", cues=(), why="", sources=(),
                               same_as=first[key]))
        else:
            first[key] = card.date
            out.append(card)
    return out


def numbered_sources(cards: list[SessionCard], story: Story) -> list[SessionCard]:
    """Cards cite sources by their number in the cover's list rather than in full."""
    numbers = {source.id: str(n) for n, source in enumerate(story.sources, start=1)}
    return [
        replace(card, sources=(), refs=", ".join(numbers[s.id] for s in card.sources))
        for card in cards
    ]


def without_repeated_why(cards: list[SessionCard]) -> list[SessionCard]:
    """Print each reason, with its sources, once: later cards leave the same pair out."""
    seen: set[tuple[str, str]] = set()
    out = []
    for card in cards:
        key = (card.why, card.refs)
        out.append(replace(card, why="", refs="") if key in seen else card)
        seen.add(key)
    return out


def printed_cards(plan: Plan, units: Units, story: Story) -> dict[str, SessionCard]:
    ordered = [session_card(s, w.index, units) for w in plan.weeks for s in w.sessions]
    cards = without_repeated_why(numbered_sources(same_as_earlier(ordered), story))
    return {card.id: card for card in cards}


def plan_view(plan: Plan, units: Units, generated_on: dt.date) -> PlanView:
    """The whole printed plan (`templates/plan/document.html`), PDF and web alike."""
    story = plan_story(plan)
    cards = printed_cards(plan, units, story)
    end = max((s.date for s in plan.sessions), default=plan.start_date)
    return PlanView(
        story=story,
        units=units.value,
        start=long_date(plan.start_date),
        end=long_date(end),
        weeks_count=len(plan.weeks),
        generated_on=long_date(generated_on),
        athlete=athlete_rows(plan.athlete, units),
        safety=safety_view(plan, units),
        chart_svg=weekly_minutes_svg(weekly_bars(plan), "Planned minutes per week"),
        weekday_names=weekday_names(plan),
        weeks=tuple(week_grid(w, cards, first_day(w, plan)) for w in plan.weeks),
        core=core_exercises(plan.sessions, units),
    )
