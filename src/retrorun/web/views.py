"""View models: what each page shows, used by its HTML template and its JSON twin alike.

Each is a pydantic model built from domain values by one function, so the page and
``/api/v1/...`` can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from retrorun.domain.evidence import CLAIMS, SOURCES, STRENGTH_LEGEND, Strength
from retrorun.domain.model import Plan, Repeat, Session, Step, StepOrRepeat
from retrorun.domain.profile import Units
from retrorun.formats.plan_view import plan_units, step_row, step_words
from retrorun.web._lru import LRU

# --- landing -------------------------------------------------------------------------


class SourceView(BaseModel):
    id: str
    citation: str
    design: str
    strength: str


class ClaimView(BaseModel):
    id: str
    text: str
    strength: str
    proven: bool
    sources: list[SourceView]


class LegendEntry(BaseModel):
    strength: str
    meaning: str


class LandingView(BaseModel):
    legend: list[LegendEntry]
    does: list[ClaimView]
    unproven: list[ClaimView]
    not_claimed: list[str]


# Evidence B10, in words that do not repeat the forbidden phrases themselves.
NOT_CLAIMED = (
    "that backward running raises BDNF or improves the brain: no study has measured it;",
    "that it keeps you from getting injured: injury rates were never reported "
    "systematically;",
    "that it is a treatment for knee pain: backward walking helped only as an add-on to "
    "physiotherapy, and a plan here is not medical advice;",
    "that it will make every runner faster: the studies are small, mostly in teenage boys "
    "and young men.",
)


def _source(source_id: str) -> SourceView:
    s = SOURCES[source_id]
    return SourceView(id=s.id, citation=s.citation, design=s.design, strength=s.strength.value)


def landing_view() -> LandingView:
    claims = [
        ClaimView(id=c.id, text=c.text, strength=c.strength.value,
                  proven=c.shown and c.strength is not Strength.ASSUMPTION,
                  sources=[_source(s) for s in c.sources])
        for c in CLAIMS.values()
    ]
    return LandingView(legend=[LegendEntry(strength=strength.value, meaning=meaning)
                               for strength, meaning in STRENGTH_LEGEND],
                       does=[c for c in claims if c.proven],
                       unproven=[c for c in claims if not c.proven],
                       not_claimed=list(NOT_CLAIMED))


# --- plan calendar -------------------------------------------------------------------


class LogSummary(BaseModel):
    status: str
    forward_minutes: float
    backward_minutes: float
    rpe: int | None = None


class LogModel(BaseModel):
    """A session log as pages and the API show it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    session_id: str
    session_date: dt.date
    revision: int
    status: str
    forward_minutes: float
    backward_minutes: float
    rpe: int | None
    pain_during: int | None
    pain_next_morning: int | None
    events: list[str]
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime


class RevisionModel(BaseModel):
    """One revision of a log: edits keep the earlier ones."""

    model_config = ConfigDict(from_attributes=True)

    revision: int
    status: str
    forward_minutes: float
    backward_minutes: float
    rpe: int | None
    pain_during: int | None
    pain_next_morning: int | None
    events: list[str]
    notes: str
    recorded_at: dt.datetime
    recorded_by: str


def log_summary(log: LogModel) -> LogSummary:
    return LogSummary(status=log.status, forward_minutes=log.forward_minutes,
                      backward_minutes=log.backward_minutes, rpe=log.rpe)


class SessionCell(BaseModel):
    id: str
    title: str
    kind: str
    hard: bool
    minutes: int
    backward_minutes: int
    surface: str
    log: LogSummary | None = None


class DayCell(BaseModel):
    date: dt.date
    weekday: str
    label: str
    today: bool
    sessions: list[SessionCell]


class WeekRow(BaseModel):
    index: int
    stage: str
    lighter: bool
    backward_minutes: int
    running_minutes: int
    current: bool
    days: list[DayCell]


class CalendarView(BaseModel):
    plan_id: str | None
    version: int | None = None
    title: str
    program: str
    program_version: str
    start_date: dt.date
    today: dt.date
    notices: list[str]
    weeks: list[WeekRow]
    sessions_logged: int
    sessions_planned: int


def _minutes(seconds: int) -> int:
    return round(seconds / 60)


@dataclass(frozen=True, slots=True)
class _DayLayout:
    date: dt.date
    weekday: str
    label: str
    sessions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class _WeekLayout:
    index: int
    stage: str
    lighter: bool
    backward_minutes: int
    running_minutes: int
    start: dt.date
    days: tuple[_DayLayout, ...]


@dataclass(frozen=True, slots=True)
class _Layout:
    weeks: tuple[_WeekLayout, ...]
    planned: frozenset[str]


# A plan version never changes, so its grid is computed once per process and kept for
# the most recently viewed plans (the calendar is the most visited page).
_LAYOUTS: LRU[_Layout] = LRU(512)
# The whole calendar of a stored plan, keyed by everything it shows.
_CALENDARS: LRU[CalendarView] = LRU(1024)


def _cell(session: Session) -> dict[str, Any]:
    return {"id": session.id, "title": session.title, "kind": session.kind.value,
            "hard": session.hard,
            "minutes": _minutes(session.running_seconds + session.exercise_seconds),
            "backward_minutes": _minutes(session.backward_seconds),
            "surface": session.surface.value}


def _layout(plan: Plan) -> _Layout:
    weeks = []
    for week in plan.weeks:
        start = plan.start_date + dt.timedelta(days=7 * (week.index - 1))
        days = []
        for offset in range(7):
            day = start + dt.timedelta(days=offset)
            days.append(_DayLayout(day, day.strftime("%a"), day.strftime("%a %d %b"), tuple(
                _cell(s) for s in week.sessions if s.date == day)))
        weeks.append(_WeekLayout(week.index, week.stage.value, week.lighter,
                                 _minutes(week.backward_seconds),
                                 _minutes(week.running_seconds), start, tuple(days)))
    planned = frozenset(s.id for s in plan.sessions if s.kind.value != "rest")
    return _Layout(tuple(weeks), planned)


def calendar_view(plan: Plan, *, today: dt.date, plan_id: str | None = None,
                  version: int | None = None, title: str = "",
                  logs: Mapping[str, LogSummary] | None = None) -> CalendarView:
    """The week grid; `plan_id` and `version` (when stored) let it be reused."""
    logs = logs or {}
    if plan_id is None or version is None:
        return _calendar(plan, today, None, None, title, logs)
    shown = tuple(sorted((sid, *log.model_dump().values()) for sid, log in logs.items()))
    return _CALENDARS.get_or_make(
        (plan_id, version, today, title, shown),
        lambda: _calendar(plan, today, plan_id, version, title, logs))


def _calendar(plan: Plan, today: dt.date, plan_id: str | None, version: int | None,
              title: str, logs: Mapping[str, LogSummary]) -> CalendarView:
    key = (plan_id, version) if plan_id is not None and version is not None else None
    layout = _LAYOUTS.get_or_make(key, lambda: _layout(plan))
    week_length = dt.timedelta(days=7)
    weeks = [
        WeekRow.model_construct(
            index=w.index, stage=w.stage, lighter=w.lighter,
            backward_minutes=w.backward_minutes, running_minutes=w.running_minutes,
            current=w.start <= today < w.start + week_length,
            days=[DayCell.model_construct(
                date=d.date, weekday=d.weekday, label=d.label, today=d.date == today,
                sessions=[SessionCell.model_construct(**cell, log=logs.get(cell["id"]))
                          for cell in d.sessions])
                  for d in w.days])
        for w in layout.weeks
    ]
    return CalendarView(
        plan_id=plan_id, version=version, title=title or f"Your {plan.program} plan",
        program=plan.program,
        program_version=plan.program_version, start_date=plan.start_date, today=today,
        notices=list(plan.notices), weeks=weeks,
        sessions_logged=sum(1 for sid in layout.planned if sid in logs),
        sessions_planned=len(layout.planned))


# --- session page --------------------------------------------------------------------


class TargetView(BaseModel):
    type: str
    low: float | None
    high: float | None
    unit: str | None
    text: str


class StepView(BaseModel):
    kind: str
    seconds: int
    meters: int | None
    direction: str
    gait: str
    intensity: str
    name: str
    cue: str
    backward: bool
    target: TargetView
    text: str


class BlockView(BaseModel):
    """One step, or a repeat of several steps."""

    repeat: int
    steps: list[StepView]


class SessionView(BaseModel):
    plan_id: str | None
    id: str
    date: dt.date
    week: int
    stage: str
    kind: str
    title: str
    hard: bool
    surface: str
    minutes: int
    backward_minutes: int
    blocks: list[BlockView]
    cues: list[str]
    why: str
    sources: list[SourceView]
    log: LogModel | None = None
    history: list[RevisionModel] = []


def _step(step: Step, units: Units) -> StepView:
    # The words are the printed card's (`plan_view.step_row`), so the page, its JSON twin
    # and the PDF say a step the same way, in the athlete's units.
    row = step_row(step, units)
    return StepView(kind=step.kind.value, seconds=step.seconds, meters=step.meters,
                    direction=step.direction.value, gait=step.gait.value,
                    intensity=step.intensity.value, name=step.name, cue=step.cue,
                    backward=row.backward,
                    target=TargetView(type=step.target.type.value, low=step.target.low,
                                      high=step.target.high,
                                      unit=step.target.unit.value if step.target.unit else None,
                                      text=row.target),
                    text=step_words(row))


def _block(item: StepOrRepeat, units: Units) -> BlockView:
    if isinstance(item, Repeat):
        return BlockView(repeat=item.count, steps=[_step(s, units) for s in item.steps])
    return BlockView(repeat=1, steps=[_step(item, units)])


def session_view(session: Session, *, week: int, stage: str, units: Units,
                 plan_id: str | None = None, log: LogModel | None = None,
                 history: list[RevisionModel] | None = None) -> SessionView:
    return SessionView(
        plan_id=plan_id, id=session.id, date=session.date, week=week, stage=stage,
        kind=session.kind.value, title=session.title,
        hard=session.hard, surface=session.surface.value,
        minutes=_minutes(session.running_seconds + session.exercise_seconds),
        backward_minutes=_minutes(session.backward_seconds),
        blocks=[_block(item, units) for item in session.steps], cues=list(session.cues),
        why=session.why, sources=[_source(s) for s in session.evidence if s in SOURCES],
        log=log, history=history or [])


def preview_session_view(plan: Plan, session: Session) -> SessionView:
    week = next(w for w in plan.weeks if session in w.sessions)
    return session_view(session, week=week.index, stage=week.stage.value,
                        units=plan_units(plan))
