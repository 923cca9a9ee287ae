"""Progress, descriptive: what was planned, what was done and how it felt, week by week.

Pure: the plan (a stored plan's current version, whose past weeks never change), the
logs as plain values, the plan's changes, the field-test results and today, in; a
`Progress` value out. Nothing here decides anything about the plan.

Counting rules, chosen here and shown on the page:

- Only sessions dated up to today count as done, due or missed; a log of a later
  session (impossible through the forms, possible in old data) is left out, and so is a
  log that matches no session of the plan (id and date).
- `sessions_done` counts sessions logged done or partial (some of it was done);
  `sessions_partial` says how many of them were partial. Adherence is over the sessions
  due so far, a partial session earning `PARTIAL_CREDIT` of a done one [A].
- Session-RPE load is RPE x minutes done (Foster 2001, evidence B4 [E]); a session
  logged without an RPE adds no load and is counted in `unrated_sessions`.
- The planned intensity split is each session's intense seconds (above easy) against
  the rest; the done split assumes the athlete did the same fraction of the hard part
  as of the whole session (done minutes / planned minutes, at most all of it) [A].
- The 7- and 42-day averages of daily load are a trend only: no thresholds, no ratio,
  no zones (evidence B4: acute:chronic ratios are not to be used as gates [E]).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from retrorun.domain.field_tests import (
    FieldTestResult,
    Measure,
    MeasureTrend,
    measure_trends,
    measures_of,
)
from retrorun.domain.model import Gait, Plan, Session, SessionKind, Week

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# [A] A partial session counts half a done one toward adherence.
PARTIAL_CREDIT = 0.5
# [X] The customary windows of a short-term and a long-term load average (7-day "acute"
# and 42-day "chronic" training load, as training-load software shows them). Descriptive.
ACUTE_DAYS, CHRONIC_DAYS = 7, 42
DAYS_A_WEEK = 7


class Completion(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class LoggedSession:
    """One session's log as plain values, in seconds, CR-10 RPE and 0-10 pain."""

    session_id: str
    date: dt.date
    completion: Completion
    forward_seconds: int = 0
    backward_seconds: int = 0
    rpe: int | None = None
    pain_during: int | None = None
    pain_next_morning: int | None = None

    @property
    def seconds(self) -> int:
        return self.forward_seconds + self.backward_seconds

    @property
    def did_some(self) -> bool:
        return self.completion is not Completion.SKIPPED

    @property
    def load(self) -> float | None:
        """Session-RPE load (Foster 2001): RPE x minutes done."""
        if self.rpe is None or not self.did_some:
            return None
        return self.rpe * self.seconds / 60


@dataclass(frozen=True, slots=True)
class PlanChange:
    """One entry of the plan document's "changes" (shared/contracts/plan.schema.json)."""

    version: int
    decided_on: dt.date
    effective_from: dt.date
    rule: str
    reason: str
    evidence: str = ""
    by: str = "rules"
    sessions: tuple[str, ...] = ()


class WeekState(StrEnum):
    PAST = "past"
    CURRENT = "current"
    FUTURE = "future"


@dataclass(frozen=True, slots=True)
class WeekProgress:
    index: int
    start: dt.date
    state: WeekState
    stage: Gait
    lighter: bool
    planned_forward_seconds: int
    planned_backward_seconds: int
    planned_hard_seconds: int  # above easy intensity: the "20" of 80/20
    planned_due_seconds: int  # forward and backward, of the sessions dated up to today
    done_forward_seconds: int
    done_backward_seconds: int
    done_hard_seconds: int  # estimated: see the module docstring
    sessions_planned: int
    sessions_due: int  # dated up to today
    sessions_done: int  # logged done or partial
    sessions_partial: int
    sessions_skipped: int
    srpe_load: float
    unrated_sessions: int  # done or partial without an RPE: no load counted
    pain_max: int | None
    changes: tuple[PlanChange, ...]  # changes that take effect this week

    @property
    def planned_easy_seconds(self) -> int:
        return self.planned_forward_seconds + self.planned_backward_seconds \
            - self.planned_hard_seconds

    @property
    def done_easy_seconds(self) -> int:
        return self.done_forward_seconds + self.done_backward_seconds - self.done_hard_seconds

    @property
    def adherence(self) -> float | None:
        return _adherence(self.sessions_due, self.sessions_done, self.sessions_partial)


@dataclass(frozen=True, slots=True)
class DayLoad:
    date: dt.date
    load: float
    acute_mean: float  # mean daily load over the last 7 days of the plan so far
    chronic_mean: float  # ... over the last 42 days of the plan so far


@dataclass(frozen=True, slots=True)
class PainPoint:
    date: dt.date
    session_id: str
    title: str
    during: int | None
    next_morning: int | None


@dataclass(frozen=True, slots=True)
class TestSession:
    """A session of the plan that measures something (a field test or economy check)."""

    session_id: str
    date: dt.date
    week: int
    title: str
    measures: tuple[Measure, ...]


@dataclass(frozen=True, slots=True)
class Progress:
    today: dt.date
    start: dt.date
    weeks: tuple[WeekProgress, ...]
    days: tuple[DayLoad, ...]  # from the plan's first day to today (or its last day)
    pain: tuple[PainPoint, ...]
    changes: tuple[PlanChange, ...]
    tests: tuple[TestSession, ...]
    field_tests: tuple[MeasureTrend, ...]

    @property
    def sessions_due(self) -> int:
        return sum(w.sessions_due for w in self.weeks)

    @property
    def sessions_done(self) -> int:
        return sum(w.sessions_done for w in self.weeks)

    @property
    def sessions_partial(self) -> int:
        return sum(w.sessions_partial for w in self.weeks)

    @property
    def sessions_skipped(self) -> int:
        return sum(w.sessions_skipped for w in self.weeks)

    @property
    def sessions_unlogged(self) -> int:
        """Due sessions with no log at all."""
        return self.sessions_due - self.sessions_done - self.sessions_skipped

    @property
    def adherence(self) -> float | None:
        return _adherence(self.sessions_due, self.sessions_done, self.sessions_partial)

    @property
    def planned_due_seconds(self) -> int:
        return sum(w.planned_due_seconds for w in self.weeks)

    @property
    def done_seconds(self) -> int:
        return sum(w.done_forward_seconds + w.done_backward_seconds for w in self.weeks)

    @property
    def current_week(self) -> WeekProgress | None:
        return next((w for w in self.weeks if w.state is WeekState.CURRENT), None)


def _adherence(due: int, done: int, partial: int) -> float | None:
    if due == 0:
        return None
    return (done - partial + PARTIAL_CREDIT * partial) / due


def counted(session: Session) -> bool:
    """A session the athlete is asked to do (a rest day is not one)."""
    return session.kind is not SessionKind.REST


def week_start(plan: Plan, week: Week) -> dt.date:
    """A plan's weeks run seven days each from its start date."""
    return plan.start_date + dt.timedelta(days=DAYS_A_WEEK * (week.index - 1))


def progress(plan: Plan, logs: Iterable[LoggedSession], *, today: dt.date,
             changes: Sequence[PlanChange] = (),
             field_tests: Iterable[FieldTestResult] = ()) -> Progress:
    """Planned and done per week, load, pain, stages, changes and field tests."""
    by_session = _logs_of_plan(plan, logs, today)
    ordered_changes = tuple(sorted(changes, key=lambda c: (c.effective_from, c.version)))
    weeks = tuple(_week(plan, week, by_session, today, ordered_changes) for week in plan.weeks)
    tests = tuple(
        TestSession(s.id, s.date, w.index, s.title, found)
        for w in plan.weeks for s in w.sessions if (found := measures_of(s)))
    dated = sorted(by_session.values(), key=lambda log: (log.date, log.session_id))
    titles = {s.id: s.title for s in plan.sessions}
    return Progress(
        today=today, start=plan.start_date, weeks=weeks,
        days=_daily_loads(plan, dated, today),
        pain=tuple(PainPoint(log.date, log.session_id, titles.get(log.session_id, ""),
                             log.pain_during, log.pain_next_morning)
                   for log in dated
                   if log.pain_during is not None or log.pain_next_morning is not None),
        changes=ordered_changes, tests=tests,
        field_tests=measure_trends(field_tests, today=today,
                                   tested={m for t in tests for m in t.measures}))


def _logs_of_plan(plan: Plan, logs: Iterable[LoggedSession],
                  today: dt.date) -> dict[tuple[str, dt.date], LoggedSession]:
    """The logs of this plan's sessions (by id and date) dated up to today."""
    sessions = {(s.id, s.date) for s in plan.sessions if counted(s)}
    return {(log.session_id, log.date): log for log in logs
            if log.date <= today and (log.session_id, log.date) in sessions}


def _week(plan: Plan, week: Week, logs: dict[tuple[str, dt.date], LoggedSession],
          today: dt.date, changes: Sequence[PlanChange]) -> WeekProgress:
    start = week_start(plan, week)
    end = start + dt.timedelta(days=DAYS_A_WEEK - 1)
    sessions = [s for s in week.sessions if counted(s)]
    done = [(s, log) for s in sessions
            if (log := logs.get((s.id, s.date))) is not None and log.did_some]
    week_logs = [log for s in sessions if (log := logs.get((s.id, s.date))) is not None]
    loads = [log.load for _, log in done]
    pains = [p for log in week_logs for p in (log.pain_during, log.pain_next_morning)
             if p is not None]
    return WeekProgress(
        index=week.index, start=start, state=_state(start, end, today),
        stage=week.stage, lighter=week.lighter,
        planned_forward_seconds=sum(s.running_seconds - s.backward_seconds for s in sessions),
        planned_backward_seconds=sum(s.backward_seconds for s in sessions),
        planned_hard_seconds=sum(s.intense_seconds for s in sessions),
        planned_due_seconds=sum(s.running_seconds for s in sessions if s.date <= today),
        done_forward_seconds=sum(log.forward_seconds for _, log in done),
        done_backward_seconds=sum(log.backward_seconds for _, log in done),
        done_hard_seconds=sum(done_hard_seconds(s, log) for s, log in done),
        sessions_planned=len(sessions),
        sessions_due=sum(1 for s in sessions if s.date <= today),
        sessions_done=len(done),
        sessions_partial=sum(1 for _, log in done if log.completion is Completion.PARTIAL),
        sessions_skipped=sum(1 for log in week_logs if not log.did_some),
        srpe_load=sum(load for load in loads if load is not None),
        unrated_sessions=sum(1 for load in loads if load is None),
        pain_max=max(pains) if pains else None,
        changes=tuple(c for c in changes if start <= c.effective_from <= end),
    )


def _state(start: dt.date, end: dt.date, today: dt.date) -> WeekState:
    if end < today:
        return WeekState.PAST
    return WeekState.CURRENT if start <= today else WeekState.FUTURE


def done_hard_seconds(session: Session, log: LoggedSession) -> int:
    """The hard part done: the planned hard part times the fraction of the session done."""
    if session.running_seconds <= 0 or not log.did_some:
        return 0
    fraction = min(1.0, log.seconds / session.running_seconds)
    return min(log.seconds, round(session.intense_seconds * fraction))


def _daily_loads(plan: Plan, logs: Sequence[LoggedSession], today: dt.date
                 ) -> tuple[DayLoad, ...]:
    """Each day's load and its rolling means, from the plan's first day to today.

    A window reaching back before the plan's start averages over the plan's days only,
    so the first weeks are not diluted by days the plan did not cover.
    """
    sessions = plan.sessions
    if not sessions:
        return ()
    last = min(today, max(plan.start_date, *(s.date for s in sessions)))
    if last < plan.start_date:
        return ()
    per_day: dict[dt.date, float] = defaultdict(float)
    for log in logs:
        if log.load is not None:
            per_day[log.date] += log.load
    span = (last - plan.start_date).days + 1
    loads = [per_day.get(plan.start_date + dt.timedelta(days=n), 0.0) for n in range(span)]
    days = []
    for n, load in enumerate(loads):
        acute = loads[max(0, n - ACUTE_DAYS + 1): n + 1]
        chronic = loads[max(0, n - CHRONIC_DAYS + 1): n + 1]
        days.append(DayLoad(plan.start_date + dt.timedelta(days=n), load,
                            sum(acute) / len(acute), sum(chronic) / len(chronic)))
    return tuple(days)


def changes_of_document(document: Mapping[str, Any]) -> tuple[PlanChange, ...]:
    """The "changes" of a stored plan document, oldest first; an entry without its
    dates (not written by this code) is left out rather than failing the page."""
    found = []
    for raw in document.get("changes") or ():
        if not isinstance(raw, Mapping):
            continue
        try:
            found.append(PlanChange(
                version=int(raw["version"]),
                decided_on=dt.date.fromisoformat(str(raw["decided_on"])),
                effective_from=dt.date.fromisoformat(str(raw["effective_from"])),
                rule=str(raw.get("rule", "")), reason=str(raw.get("reason", "")),
                evidence=str(raw.get("evidence", "")), by=str(raw.get("by", "rules")),
                sessions=tuple(str(s) for s in raw.get("sessions") or ())))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(sorted(found, key=lambda c: (c.effective_from, c.version)))
