"""Session logs: what the athlete did. Edits add revisions; history is never lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrorun.services import _access, _document, _validate
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from retrorun.services.records import LogEntry, LogEvent, LogRecord, LogStatus
from retrorun.services.views import LogInput, LogRevisionView, LogView

if TYPE_CHECKING:
    from retrorun.services.ports import Clock, UnitOfWork

# Longer than any planned session by far; beyond it the number is a typing slip.
MAX_SESSION_MINUTES = 600
MAX_NOTES = 2000


def log_session(
    uow: UnitOfWork, *, user_id: str, session_id: str, entry: LogInput, clock: Clock
) -> LogView:
    """Log a session of the user's current plan; Conflict if it is already logged."""
    checked = validate_entry(entry)
    with uow:
        athlete = _access.acting_user(uow, user_id)
        current = _document.current_plan(uow, athlete.id)
        session = current[1].session(session_id) if current else None
        if current is None or session is None:
            raise NotFound("session")
        plan = current[0]
        if uow.logs.find(athlete.id, session.id, session.date) is not None:
            raise Conflict("session_id", "this session is already logged; edit its log")
        log = uow.logs.add(athlete_id=athlete.id, plan_id=plan.id, session_id=session.id,
                           session_date=session.date, entry=checked, by=athlete.id,
                           at=clock.now())
        uow.commit()
    return LogView.of(log)


def edit_log(
    uow: UnitOfWork, *, user_id: str, log_id: str, entry: LogInput, clock: Clock
) -> LogView:
    """Change a log; the previous content stays as an earlier revision."""
    checked = validate_entry(entry)
    with uow:
        log = _owned_log(uow, user_id, log_id)
        revised = uow.logs.revise(log.id, checked, by=user_id, at=clock.now())
        uow.commit()
    return LogView.of(revised)


def get_log(uow: UnitOfWork, *, user_id: str, log_id: str) -> LogView:
    with uow:
        return LogView.of(_readable_log(uow, user_id, log_id))


def log_history(uow: UnitOfWork, *, user_id: str, log_id: str) -> tuple[LogRevisionView, ...]:
    """Every revision of a log, oldest first (the last one is the current content)."""
    with uow:
        log = _readable_log(uow, user_id, log_id)
        return tuple(LogRevisionView.of(r) for r in uow.logs.revisions(log.id))


def list_logs(
    uow: UnitOfWork, *, user_id: str, athlete_id: str | None = None
) -> tuple[LogView, ...]:
    """The user's logs, or (for a coach) an inviting athlete's, by session date."""
    with uow:
        athlete, _ = _access.readable_athlete(
            uow, user_id=user_id, athlete_id=athlete_id, what="athlete")
        return tuple(LogView.of(log) for log in uow.logs.for_athlete(athlete))


def validate_entry(entry: LogInput) -> LogEntry:
    """Check every field of a log and name the first one that is wrong."""
    status = entry.status.strip().lower() if isinstance(entry.status, str) else entry.status
    if status not in {s.value for s in LogStatus}:
        raise InvalidInput("status", f"got {entry.status!r}; allowed: done, partial, skipped")
    forward = _validate.minutes(entry.forward_minutes, "forward_minutes", MAX_SESSION_MINUTES)
    backward = _validate.minutes(entry.backward_minutes, "backward_minutes", MAX_SESSION_MINUTES)
    if status == LogStatus.SKIPPED and (forward or backward):
        raise InvalidInput("forward_minutes" if forward else "backward_minutes",
                           "a skipped session has no minutes; choose partial instead")
    return LogEntry(
        status=LogStatus(status),
        forward_seconds=forward,
        backward_seconds=backward,
        rpe=_validate.whole(entry.rpe, "rpe", 0, 10, optional=True),
        pain_during=_validate.whole(entry.pain_during, "pain_during", 0, 10, optional=True),
        pain_next_morning=_validate.whole(entry.pain_next_morning, "pain_next_morning", 0, 10,
                                          optional=True),
        events=_events(entry.events),
        notes=_validate.text(entry.notes, "notes", MAX_NOTES),
    )


def _events(values: object) -> tuple[LogEvent, ...]:
    allowed = [e.value for e in LogEvent]
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise InvalidInput("events", f"got {values!r}; must be a list of {', '.join(allowed)}")
    chosen = set()
    for value in values:
        if value not in allowed:
            raise InvalidInput("events", f"got {value!r}; allowed: {', '.join(allowed)}")
        chosen.add(value)
    return tuple(LogEvent(v) for v in allowed if v in chosen)  # a stable order


def _readable_log(uow: UnitOfWork, user_id: str, log_id: str) -> LogRecord:
    log = uow.logs.get(log_id)
    if log is None:
        raise NotFound("log")
    _access.readable_athlete(uow, user_id=user_id, athlete_id=log.athlete_id, what="log")
    return log


def _owned_log(uow: UnitOfWork, user_id: str, log_id: str) -> LogRecord:
    log = _readable_log(uow, user_id, log_id)
    if log.athlete_id != user_id:
        # A coach may read the log (so the id is no secret to them) but not change it.
        raise PermissionDenied("only the athlete can change their log")
    return log
