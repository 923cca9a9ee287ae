"""Progress: the athlete's plan, logs and field tests, summed up by the domain.

The plan is the stored current version's document (its past weeks never change), so
progress is read over what the athlete was shown; the logs of its sessions (by id and
date) and the field-test results go into `domain.progress.progress` as plain values,
with the athlete's today (their calendar time zone). A coach the athlete invited sees
it too, as they see the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrorun.domain.progress import (
    Completion,
    LoggedSession,
    PlanChange,
    Progress,
    changes_of_document,
    progress,
)
from retrorun.services import _access, _document, _today, _validate
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.field_tests import result_of

if TYPE_CHECKING:
    import datetime as dt

    from retrorun.domain.field_tests import FieldTestResult
    from retrorun.services.ports import Clock, UnitOfWork
    from retrorun.services.records import LogRecord


@dataclass(frozen=True, slots=True)
class ProgressView:
    athlete_id: str
    athlete_email: str
    owned: bool  # False: a coach is looking
    plan_id: str
    version: int
    progress: Progress


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What the progress report PDF adds to a plan and its logs (`ExportOptions`)."""

    today: dt.date
    changes: tuple[PlanChange, ...]
    field_tests: tuple[FieldTestResult, ...]


def logged_session(log: LogRecord) -> LoggedSession:
    e = log.entry
    return LoggedSession(log.session_id, log.session_date, Completion(e.status.value),
                         e.forward_seconds, e.backward_seconds, e.rpe, e.pain_during,
                         e.pain_next_morning)


def get_progress(uow: UnitOfWork, *, user_id: str, clock: Clock,
                 athlete_id: str | None = None) -> ProgressView:
    """The user's own progress, or (for a coach) that of an athlete who invited them."""
    with uow.read_only():
        athlete, owned = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="progress")
        current = _document.current_plan(uow, athlete)
        if current is None:
            raise NotFound("plan")
        record, plan = current
        sessions = plan.sessions
        span = (min(s.date for s in sessions), max(s.date for s in sessions)) \
            if sessions else None
        logs = [logged_session(log) for log in uow.logs.for_athlete(athlete, between=span)] \
            if span else []
        results = [result_of(r) for r in uow.field_tests.for_athlete(athlete)]
        today = _today.athlete_today(uow, athlete, clock)
        summary = progress(plan, logs, today=today,
                           changes=changes_of_document(record.document),
                           field_tests=results)
        user = uow.users.get(athlete)
        return ProgressView(athlete, user.email if user else "", owned, record.id,
                            record.version, summary)


def report_inputs(uow: UnitOfWork, *, user_id: str, clock: Clock,
                  athlete_id: str | None = None) -> ReportInputs:
    """Today, the plan's changes and the field tests, for the progress report PDF."""
    with uow.read_only():
        athlete, _ = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="progress")
        current = _document.current_plan(uow, athlete)
        changes = changes_of_document(current[0].document) if current else ()
        return ReportInputs(
            _today.athlete_today(uow, athlete, clock), changes,
            tuple(result_of(r) for r in uow.field_tests.for_athlete(athlete)))


def athlete_named(uow: UnitOfWork, *, who: str) -> str:
    """The user id of an athlete given by email or by user id. For local operator tools
    (the CLI), which already hold the database; the web never calls it."""
    text = who.strip() if isinstance(who, str) else ""
    if not text:
        raise InvalidInput("athlete", "give an email or a user id")
    with uow.read_only():
        if "@" in text:
            try:
                email = _validate.email(text, "athlete")
            except InvalidInput:
                raise NotFound(f"athlete {text!r}") from None
            user = uow.users.by_email(email)
        else:
            user = uow.users.get(text)
    if user is None:
        raise NotFound(f"athlete {text!r}")
    return user.id
