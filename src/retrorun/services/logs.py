"""Session logs: what the athlete did. Edits add revisions; history is never lost."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from retrorun.services import _access, _document, _today, _validate, adapting
from retrorun.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from retrorun.services.records import LogEntry, LogEvent, LogRecord, LogStatus
from retrorun.services.views import LogInput, LogRevisionView, LogView

if TYPE_CHECKING:
    from retrorun.domain.model import Session
    from retrorun.services.ports import Clock, UnitOfWork

# Longer than any planned session by far; beyond it the number is a typing slip.
MAX_SESSION_MINUTES = 600
MAX_NOTES = 2000
# [A] A logged part may run long (an extra loop, a longer cool-down) but not by orders of
# magnitude: at most twice the planned minutes plus ten. 500 backward minutes on a
# 5-minute backward part is a slip of the keyboard, and it would feed the load rules.
LOGGED_MINUTES_FACTOR = 2
LOGGED_MINUTES_SLACK = 10
_OTHER_CONTENT = "this session was just logged with other content; reload it and edit its log"


def log_session(
    uow: UnitOfWork, *, user_id: str, session_id: str, entry: LogInput, clock: Clock
) -> LogView:
    """Log a session of the user's current plan. Logging it again with the same content
    (a double submit, a retry, requests racing) answers the log that is there; other
    content over an existing log is a Conflict naming the session.

    Every wrong field is reported at once (InvalidFields); then the plan adapts to the
    new log in the same transaction, so the log and the version it causes land together.
    """
    try:
        return _first_log(uow, user_id=user_id, session_id=session_id, entry=entry,
                          clock=clock)
    except Conflict:
        # Lost a race to another first log of this session (the database's unique key
        # stopped this one): the same content is that log, anything else a conflict.
        with uow.read_only():
            athlete = _access.acting_user(uow, user_id)
            current = _document.current_plan(uow, athlete.id)
            session = current[1].session(session_id) if current else None
            logged = (uow.logs.find(athlete.id, session.id, session.date)
                      if session is not None else None)
            checked = check_entry(entry, session=session, date=None, latest=None)
        if logged is not None and logged.entry == checked:
            return LogView.of(logged)
        raise Conflict("session_id", _OTHER_CONTENT) from None


def _first_log(uow: UnitOfWork, *, user_id: str, session_id: str, entry: LogInput,
               clock: Clock) -> LogView:
    with uow:
        athlete = _access.acting_user(uow, user_id)
        current = _document.current_plan(uow, athlete.id)
        session = current[1].session(session_id) if current else None
        if current is None or session is None:
            raise NotFound("session")
        plan = current[0]
        checked = check_entry(entry, session=session, date=session.date,
                              latest=_today.latest_loggable_day(uow, athlete.id, clock))
        logged = uow.logs.find(athlete.id, session.id, session.date)
        if logged is not None:
            if logged.entry == checked:
                return LogView.of(logged)
            raise Conflict("session_id", _OTHER_CONTENT)
        log = uow.logs.add(athlete_id=athlete.id, plan_id=plan.id, session_id=session.id,
                           session_date=session.date, entry=checked, by=athlete.id,
                           at=clock.now())
        adapting.refresh(uow, athlete_id=athlete.id, clock=clock)
        uow.commit()
    return LogView.of(log)


def edit_log(
    uow: UnitOfWork, *, user_id: str, log_id: str, entry: LogInput, clock: Clock
) -> LogView:
    """Change a log; the previous content stays as an earlier revision. The plan adapts."""
    with uow:
        log = _owned_log(uow, user_id, log_id)
        current = _document.current_plan(uow, log.athlete_id)
        session = current[1].session(log.session_id) if current else None
        if session is not None and session.date != log.session_date:
            session = None  # a log of a replaced plan: no planned minutes to compare with
        checked = check_entry(entry, session=session, date=log.session_date,
                              latest=_today.latest_loggable_day(uow, log.athlete_id, clock))
        if checked == log.entry:
            return LogView.of(log)  # the same content again: no revision to add
        revised = uow.logs.revise(log.id, checked, by=user_id, at=clock.now())
        adapting.refresh(uow, athlete_id=log.athlete_id, clock=clock)
        uow.commit()
    return LogView.of(revised)


def log_opens(uow: UnitOfWork, *, user_id: str, day: dt.date, clock: Clock) -> dt.date | None:
    """None when the user may log a session on `day` now; else the day they may (the
    session's own day): the session page then says so instead of offering the form."""
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        return None if day <= _today.latest_loggable_day(uow, athlete.id, clock) else day


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
    """Check every field of a log on its own (no session to compare with); InvalidFields
    lists every wrong field."""
    return check_entry(entry, session=None, date=None, latest=None)


def check_entry(entry: LogInput, *, session: Session | None, date: dt.date | None,
                latest: dt.date | None) -> LogEntry:
    """Check every field of a log for `session` (on `date`, loggable up to `latest`) and
    report every wrong one at once. "done" without minutes means as planned."""
    problems = _validate.Problems()
    status = _status(entry.status, problems)
    if date is not None and latest is not None and date > latest:
        problems.add("session_id", f"this session is on {date:%a} {date.day} {date:%b}; "
                                   "log it on or after that day")
    forward_given, backward_given = entry.forward_minutes, entry.backward_minutes
    if status is LogStatus.DONE and session is not None and _absent(forward_given) and _absent(
            backward_given):
        # Done, no minutes typed: done as planned. An explicit 0 next to a number stays.
        forward_given = _planned_minutes(session.running_seconds - session.backward_seconds)
        backward_given = _planned_minutes(session.backward_seconds)
    forward = problems.check(_validate.minutes, forward_given, "forward_minutes",
                             MAX_SESSION_MINUTES)
    backward = problems.check(_validate.minutes, backward_given, "backward_minutes",
                              MAX_SESSION_MINUTES)
    if session is not None:
        # Core and strength minutes have no field of their own, so an athlete may type
        # them as forward minutes: the bound counts them (the filled-in minutes do not).
        _against_plan(problems, "forward", forward, session.running_seconds
                      - session.backward_seconds + session.exercise_seconds)
        _against_plan(problems, "backward", backward, session.backward_seconds)
    if status is LogStatus.SKIPPED and (forward or backward):
        problems.add("forward_minutes" if forward else "backward_minutes",
                     "a skipped session has no minutes; choose partial instead")
    rpe = problems.check(_validate.whole, entry.rpe, "rpe", 0, 10, optional=True)
    pain_during = problems.check(_validate.whole, entry.pain_during, "pain_during", 0, 10,
                                 optional=True)
    pain_next = problems.check(_validate.whole, entry.pain_next_morning, "pain_next_morning",
                               0, 10, optional=True)
    events = problems.check(_events, entry.events)
    notes = problems.check(_validate.text, entry.notes, "notes", MAX_NOTES)
    problems.raise_any()
    if status is None:  # reported, so raise_any has raised; this only narrows the type
        raise InvalidInput("status", "choose done, partial or skipped")
    return LogEntry(status=status, forward_seconds=forward or 0,
                    backward_seconds=backward or 0, rpe=rpe, pain_during=pain_during,
                    pain_next_morning=pain_next, events=events or (), notes=notes or "")


def _status(value: object, problems: _validate.Problems) -> LogStatus | None:
    cleaned = value.strip().lower() if isinstance(value, str) else None
    if cleaned in {s.value for s in LogStatus}:
        return LogStatus(cleaned)
    problems.add("status", "choose done, partial or skipped")
    return None


def _absent(minutes: object) -> bool:
    """Not typed, or left at zero (a list or text is not absent: it is refused)."""
    return minutes is None or (
        isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes == 0)


def _planned_minutes(seconds: int) -> float:
    return round(seconds / 60, 1)


def max_logged_minutes(planned_seconds: int) -> float:
    """The most minutes a log may give for a part planned at `planned_seconds`."""
    return _planned_minutes(planned_seconds) * LOGGED_MINUTES_FACTOR + LOGGED_MINUTES_SLACK


def _against_plan(problems: _validate.Problems, direction: str, seconds: int | None,
                  planned_seconds: int) -> None:
    if seconds is None:
        return
    most = max_logged_minutes(planned_seconds)
    if seconds > most * 60:
        problems.add(f"{direction}_minutes",
                     f"{seconds / 60:g} is far more than the "
                     f"{_planned_minutes(planned_seconds):g} planned; at most {most:g}")


def _events(values: object) -> tuple[LogEvent, ...]:
    allowed = [e.value for e in LogEvent]
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise InvalidInput("events", f"must be a list of {', '.join(allowed)}")
    chosen = set()
    for value in values:
        if value not in allowed:
            raise InvalidInput("events", f"allowed: {', '.join(allowed)}")
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
