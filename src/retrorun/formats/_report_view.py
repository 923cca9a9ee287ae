"""The progress report as plain values: planned vs done, pain and RPE over time.

Pain thresholds follow evidence B6 (more than 5/10 during, or any rise the next morning, is
flagged); the report shows trends and flags, it does not diagnose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from retrorun.domain.model import Plan, Week
from retrorun.domain.profile import Units
from retrorun.formats._athlete import athlete_rows
from retrorun.formats._chart import Bar, Series, trend_svg, weekly_minutes_svg
from retrorun.formats._story import plan_story
from retrorun.formats._text import total_words
from retrorun.formats.logs import LogStatus, SessionLog
from retrorun.formats.plan_view import long_date, short_date

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
    minutes_svg: str
    trend_svg: str
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


def _bars(plan: Plan, logs: dict[str, SessionLog]) -> tuple[Bar, ...]:
    bars = []
    for week in plan.weeks:
        done = sum(logs[s.id].seconds for s in week.sessions if s.id in logs)
        bars.append(
            Bar(
                f"W{week.index}",
                (week.running_seconds - week.backward_seconds) / 60,
                week.backward_seconds / 60,
                done / 60,
            )
        )
    return tuple(bars)


def _trend(ordered: Sequence[SessionLog]) -> str:
    def points(pick: str) -> tuple[tuple[dt.date, float], ...]:
        values = ((log.date, getattr(log, pick)) for log in ordered)
        return tuple((day, float(v)) for day, v in values if v is not None)

    return trend_svg(
        [
            Series("pain during", "#c2410c", points("pain_during")),
            Series("pain next morning", "#7c2d12", points("pain_next_morning")),
            Series("session RPE", "#1f4e79", points("rpe")),
        ],
        "Pain and RPE over time",
    )


def report_view(
    plan: Plan, logs: Sequence[SessionLog], units: Units, generated_on: dt.date
) -> ReportView:
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
        minutes_svg=weekly_minutes_svg(_bars(plan, by_id), "Planned and done minutes per week"),
        trend_svg=_trend(ordered),
        logs=report_logs,
        flags=tuple(
            f"{r.date}: {r.title} ({r.events or 'pain'})" for r in report_logs if r.flagged
        ),
    )
