"""Imported activities as the athlete reads them, and the laps they mark as backward
(issue 12).

A watch that ran one of our exported workouts says by itself which laps were backward
(their workout step index, `activity_matching.mark_backward`). Any other file does not:
the athlete marks the laps here. The laps are stored and, when the activity completed a
planned session, that session's log gets the new forward and backward minutes through
`logs.edit_log`, in the same transaction, so the plan adapts from them (a log edit keeps
its earlier revision, as any edit does).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from retrorun.formats.activities import BlobError, Streams, decode_streams
from retrorun.services import _access, _document, activity_matching, logs
from retrorun.services.activity_records import ActivityRecord
from retrorun.services.errors import InvalidInput, NotFound
from retrorun.services.ports import Clock, UnitOfWork
from retrorun.services.views import LogInput


@dataclass(frozen=True, slots=True)
class ActivityDetail:
    """One activity with its per-second samples decoded, and the log it filled."""

    record: ActivityRecord
    streams: Streams
    log_id: str | None  # the matched session's log, where there is one


def list_activities(uow: UnitOfWork, *, user_id: str) -> tuple[ActivityRecord, ...]:
    """The user's activities, newest first."""
    with uow.read_only():
        athlete = _access.acting_user(uow, user_id)
        return tuple(uow.activities.for_athlete(athlete.id))


def get_activity(uow: UnitOfWork, *, user_id: str, activity_id: str) -> ActivityDetail:
    """The user's own activity; NotFound("activity") for anyone else's or none."""
    with uow.read_only():
        record = _owned(uow, user_id, activity_id)
        return ActivityDetail(record, _streams(record), _log_id(uow, record))


def mark_backward(uow: UnitOfWork, *, user_id: str, activity_id: str,
                  lap_indexes: Sequence[int], clock: Clock) -> ActivityDetail:
    """Mark exactly the laps at `lap_indexes` (0-based) as backward, the others forward;
    the matched session's log follows (see the module). InvalidInput("laps") names an
    index that is not one of the activity's laps."""
    with uow:
        record = _owned(uow, user_id, activity_id)
        chosen = _lap_indexes(lap_indexes, len(record.laps))
        laps = tuple(dataclasses.replace(lap, backward=i in chosen)
                     for i, lap in enumerate(record.laps))
        marked = dataclasses.replace(record, laps=laps)
        uow.activities.set_laps(record.id, laps)
        log_id = _log_id(uow, record)
        if log_id is not None:
            _edit_log(uow, user_id, log_id, marked, clock)
        uow.commit()
    return ActivityDetail(marked, _streams(marked), log_id)


def _owned(uow: UnitOfWork, user_id: str, activity_id: object) -> ActivityRecord:
    athlete = _access.acting_user(uow, user_id)
    record = (uow.activities.get(athlete.id, activity_id)
              if isinstance(activity_id, str) else None)
    if record is None or record.athlete_id != athlete.id:
        raise NotFound("activity")
    return record


def _lap_indexes(indexes: Sequence[object], count: int) -> frozenset[int]:
    chosen: set[int] = set()
    for index in indexes:
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidInput("laps", f"got {index!r}; a lap is named by its number")
        if not 0 <= index < count:
            raise InvalidInput("laps", f"lap {index + 1} is not one of this activity's "
                                       f"{count} laps")
        chosen.add(index)
    return frozenset(chosen)


def _streams(record: ActivityRecord) -> Streams:
    try:
        return decode_streams(record.streams)
    except BlobError:  # a blob from a newer version: the page shows the laps only
        return Streams()


def _log_id(uow: UnitOfWork, record: ActivityRecord) -> str | None:
    if record.session_id is None or record.session_date is None:
        return None
    log = uow.logs.find(record.athlete_id, record.session_id, record.session_date)
    return None if log is None else log.id


def _edit_log(uow: UnitOfWork, user_id: str, log_id: str, record: ActivityRecord,
              clock: Clock) -> None:
    """The log with the activity's forward and backward minutes; the athlete's status,
    RPE, pain, events and notes kept as they are."""
    log = uow.logs.get(log_id)
    if log is None:
        return
    current = _document.current_plan(uow, record.athlete_id)
    session = current[1].session(log.session_id) if current else None
    if session is not None and session.date == log.session_date:
        minutes = activity_matching.log_entry(session, record)
        forward, backward = minutes.forward_minutes, minutes.backward_minutes
    else:  # a session of a replaced plan: the minutes as the laps say
        backward_s = record.backward_seconds
        forward = round(max(0.0, record.running_seconds - backward_s) / 60, 1)
        backward = round(backward_s / 60, 1)
    entry = log.entry
    logs.edit_log(uow, user_id=user_id, log_id=log_id, clock=clock, entry=LogInput(
        status=entry.status.value, forward_minutes=forward, backward_minutes=backward,
        rpe=entry.rpe, pain_during=entry.pain_during,
        pain_next_morning=entry.pain_next_morning,
        events=tuple(event.value for event in entry.events), notes=entry.notes))
