"""The progress report as plain values: planned vs done, the progress charts, every log.

The charts are the web progress page's (`formats.progress_charts`, over the domain's
`progress`): one code path for both. Pain thresholds follow evidence B6 (more than 5/10
during, or any rise the next morning, is flagged); the report shows trends and flags, it
does not diagnose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from retrorun.domain.field_tests import FieldTestResult
from retrorun.domain.model import Plan, Week
from retrorun.domain.profile import Units
from retrorun.domain.progress import Completion, LoggedSession, PlanChange, progress
from retrorun.formats._athlete import athlete_rows
from retrorun.formats._story import plan_story
from retrorun.formats._text import total_words
from retrorun.formats.logs import LogStatus, SessionLog
from retrorun.formats.plan_view import long_date, short_date
from retrorun.formats.progress_charts import Chart, progress_charts

# Evidence B6: pain above 5/10 during a session needs action.
PAIN_FLAG_ABOVE = 5
# B6: 4-5/10 is acceptable only if it has settled by the next morning.
NEXT_MORNING_FLAG_FROM = 4


@dataclass(frozen=True, slots=True)
class ReportWeek:
    index: int
    planned_sessions: int
    done_sessions: int
    planned: str
    done: str
    planned_backward: str
    done_backward: str
    mean_rpe: str
    max_pain: str


@dataclass(frozen=True, slots=True)
class ReportLog:
    date: str
    title: str
    status: str
    forward: str
    backward: str
    rpe: str
    pain: str
    pain_next: str
    events: str
    notes: str
    flagged: bool


@dataclass(frozen=True, slots=True)
class ReportView:
    title: str
    generated_on: str
    athlete: tuple[tuple[str, str], ...]
    logged: int
    planned: int
    done: int
    weeks: tuple[ReportWeek, ...]
    charts: dict[str, Chart]  # by key: "minutes", "load", "pain", "stages", "test-..."
    logs: tuple[ReportLog, ...]
    flags: tuple[str, ...]


def _mean(values: Sequence[float]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "–"


def _done(log: SessionLog) -> bool:
    return log.status is not LogStatus.SKIPPED


def report_week(week: Week, logs: dict[str, SessionLog]) -> ReportWeek:
    week_logs = [logs[s.id] for s in week.sessions if s.id in logs]
    done = [log for log in week_logs if _done(log)]
    pains = [
        p for log in week_logs for p in (log.pain_during, log.pain_next_morning) if p is not None
    ]
    return ReportWeek(
        index=week.index,
        planned_sessions=len(week.sessions),
        done_sessions=len(done),
        planned=total_words(week.running_seconds),
        done=total_words(sum(log.seconds for log in done)),
        planned_backward=total_words(week.backward_seconds),
        done_backward=total_words(sum(log.backward_seconds for log in done)),
        mean_rpe=_mean([log.rpe for log in done if log.rpe is not None]),
        max_pain=str(max(pains)) if pains else "–",
    )


def is_flagged(log: SessionLog) -> bool:
    """Evidence B6: an event, pain above 5/10 during, or 4+/10 next morning that did not ease."""
    during = log.pain_during or 0
    morning = log.pain_next_morning
    not_settled = morning is not None and morning >= NEXT_MORNING_FLAG_FROM and morning >= during
    return bool(log.events) or during > PAIN_FLAG_ABOVE or not_settled


def _report_log(log: SessionLog, title: str) -> ReportLog:
    def num(value: float | None) -> str:
        return "–" if value is None else f"{value:g}"

    return ReportLog(
        date=short_date(log.date),
        title=title,
        status=log.status.value,
        forward=total_words(log.forward_seconds),
        backward=total_words(log.backward_seconds),
        rpe=num(log.rpe),
        pain=num(log.pain_during),
        pain_next=num(log.pain_next_morning),
        events=", ".join(log.events),
        notes=log.notes,
        flagged=is_flagged(log),
    )


def logged_session(log: SessionLog) -> LoggedSession:
    return LoggedSession(log.session_id, log.date, Completion(log.status.value),
                         log.forward_seconds, log.backward_seconds,
                         None if log.rpe is None else round(log.rpe),
                         log.pain_during, log.pain_next_morning)


def report_view(
    plan: Plan, logs: Sequence[SessionLog], units: Units, generated_on: dt.date, *,
    today: dt.date | None = None, changes: Sequence[PlanChange] = (),
    field_tests: Sequence[FieldTestResult] = (),
) -> ReportView:
    """`today` bounds what counts as due; by default the report's date or, when later, the
    last logged session's (the report of a plan made weeks ago still counts its logs)."""
    as_of = today or max([generated_on, *(log.date for log in logs)])
    charts = progress_charts(progress(plan, [logged_session(log) for log in logs],
                                      today=as_of, changes=changes, field_tests=field_tests))
    by_id = {log.session_id: log for log in logs}
    titles = {s.id: s.title for s in plan.sessions}
    ordered = sorted(logs, key=lambda log: (log.date, log.session_id))
    report_logs = tuple(
        _report_log(log, titles.get(log.session_id, log.session_id)) for log in ordered
    )
    return ReportView(
        title=plan_story(plan).title,
        generated_on=long_date(generated_on),
        athlete=athlete_rows(plan.athlete, units),
        logged=len(logs),
        planned=len(plan.sessions),
        done=sum(1 for log in logs if _done(log)),
        weeks=tuple(report_week(w, by_id) for w in plan.weeks),
        charts={chart.key: chart for chart in charts},
        logs=report_logs,
        flags=tuple(
            f"{r.date}: {r.title} ({r.events or 'pain'})" for r in report_logs if r.flagged
        ),
    )
