"""Import watch files: store each activity once, match it to its planned session and fill
that session's log, so the plan adapts (issue 12).

The readers (`formats.activities.read_upload`) turn bytes into activities or refusals;
this module takes their results. Each activity lands in one transaction together with
its log (the log's own use case runs inside it), so a crash leaves either both or
neither. A file is a duplicate when the athlete has one with the same hash, or one that
started within `DUPLICATE_START` with a distance within `DUPLICATE_DISTANCE_SHARE` (the
same run as FIT and as GPX): nothing is stored twice, and a duplicate whose match was
never logged (an import cut short) is logged now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from retrorun.domain.model import Plan, Session
from retrorun.formats.activities import Activity, FileResult, Refused, encode_streams
from retrorun.services import _access, _document, activity_matching, logs
from retrorun.services.activity_records import ActivityLap, ActivityRecord
from retrorun.services.errors import Conflict, InvalidInput
from retrorun.services.ports import Clock, UnitOfWork

DUPLICATE_START = dt.timedelta(minutes=2)  # issue 12: "start within 2 minutes"
DUPLICATE_DISTANCE_SHARE = 0.02  # issue 12: "distance within 2 %"


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """One file's result, as `retrorun import --json` prints it."""

    file: str
    status: str  # imported, duplicate or refused
    message: str
    sport: str | None = None
    start: dt.datetime | None = None  # local time, with its offset
    distance_m: float | None = None
    elapsed_s: float | None = None
    records: int | None = None
    session_id: str | None = None
    backward_minutes: float | None = None
    activity_id: str | None = None


def import_results(uow: UnitOfWork, *, user_id: str, results: Sequence[FileResult],
                   clock: Clock) -> tuple[ImportOutcome, ...]:
    """Every file's outcome, in order; refusals pass through with their message."""
    return tuple(import_result(uow, user_id=user_id, result=r, clock=clock) for r in results)


def import_result(uow: UnitOfWork, *, user_id: str, result: FileResult,
                  clock: Clock) -> ImportOutcome:
    if isinstance(result, Refused):
        return ImportOutcome(result.file, "refused", result.message)
    try:
        return _import(uow, user_id, result.file, result.sha256, result.activity, clock)
    except Conflict:  # the same file (or its log) stored by a racing import: look again
        return _import(uow, user_id, result.file, result.sha256, result.activity, clock)


def _import(uow: UnitOfWork, user_id: str, file: str, sha256: str, activity: Activity,
            clock: Clock) -> ImportOutcome:
    with uow:
        athlete = _access.acting_user(uow, user_id)
        stored = _duplicate_of(uow, athlete.id, sha256, activity)
        record = stored or _record(athlete.id, file, sha256, activity, clock.now())
        current = _document.current_plan(uow, athlete.id)
        session = None
        note = ""
        if current is not None and (stored is None or stored.session_id is None
                                    or _unlogged(uow, stored)):
            session, record, note = _match(uow, user_id, current[1], record, stored, clock)
        if stored is None:
            uow.activities.add(record)
        uow.commit()
    if stored is not None:
        return _outcome(file, "duplicate", record,
                        f"{file}: already imported ({stored.file_name})" + note)
    return _outcome(file, "imported", record, _message(file, record, session) + note)


def _match(uow: UnitOfWork, user_id: str, plan: Plan, record: ActivityRecord,
           stored: ActivityRecord | None, clock: Clock
           ) -> tuple[Session | None, ActivityRecord, str]:
    """Find the session, mark backward laps, log it (inside the caller's transaction)."""
    day, near = record.local_start.date(), dt.timedelta(days=activity_matching.MATCH_DAYS)
    logged = {(log.session_id, log.session_date) for log in uow.logs.for_athlete(
        record.athlete_id, between=(day - near, day + near))}
    session = activity_matching.session_for(plan, record, logged)
    if session is None:
        return None, record, ""
    laps = activity_matching.mark_backward(session, record.laps)
    matched = dataclasses.replace(record, laps=laps, session_id=session.id,
                                  session_date=session.date)
    try:
        logs.log_session(uow, user_id=user_id, session_id=session.id,
                         entry=activity_matching.log_entry(session, matched), clock=clock)
    except InvalidInput as refused:  # e.g. a session later than today in the athlete's zone
        return None, record, f"; not logged: {refused.message}"
    if stored is not None:
        uow.activities.set_match(stored.id, session.id, session.date)
        uow.activities.set_laps(stored.id, laps)
    return session, matched, ""


def _unlogged(uow: UnitOfWork, stored: ActivityRecord) -> bool:
    if stored.session_id is None or stored.session_date is None:
        return True
    return uow.logs.find(stored.athlete_id, stored.session_id, stored.session_date) is None


def _duplicate_of(uow: UnitOfWork, athlete_id: str, sha256: str,
                  activity: Activity) -> ActivityRecord | None:
    same_file = uow.activities.by_hash(athlete_id, sha256)
    if same_file is not None:
        return same_file
    near = uow.activities.starting_between(athlete_id, activity.start - DUPLICATE_START,
                                           activity.start + DUPLICATE_START)
    return next((a for a in near if _same_distance(a.distance_m, activity.distance_m)), None)


def _same_distance(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= DUPLICATE_DISTANCE_SHARE * max(a, b, 1.0)


def _record(athlete_id: str, file: str, sha256: str, activity: Activity,
            now: dt.datetime) -> ActivityRecord:
    offset = activity.utc_offset
    heart = [hr for hr in (activity.streams.heart_rate or ()) if hr]
    return ActivityRecord(
        id=uuid.uuid4().hex, athlete_id=athlete_id, file_name=file[:300], file_hash=sha256,
        source_format=activity.source_format, sport=activity.sport,
        sub_sport=activity.sub_sport, on_foot=activity.on_foot, start=activity.start,
        utc_offset_s=None if offset is None else int(offset.total_seconds()),
        elapsed_s=activity.elapsed_s, moving_s=activity.moving_s,
        distance_m=activity.distance_m, records=activity.records,
        avg_heart_rate=round(sum(heart) / len(heart), 1) if heart else None,
        laps=tuple(ActivityLap(lap.start, lap.elapsed_s, lap.timer_s, lap.distance_m,
                               lap.avg_heart_rate, lap.avg_speed_mps, lap.wkt_step_index)
                   for lap in activity.laps),
        streams=encode_streams(activity.streams), warnings=activity.warnings,
        device=activity.device, session_id=None, session_date=None, created_at=now)


def _message(file: str, record: ActivityRecord, session: Session | None) -> str:
    if session is not None:
        return f"{file}: logged as {session.title} of {session.date:%a %d %b}"
    if not activity_matching.counts_as_on_foot(record):
        return f"{file}: {record.sport} stored; only sessions on foot are matched"
    return f"{file}: stored; no open planned session within a day of it"


def _outcome(file: str, status: str, record: ActivityRecord, message: str) -> ImportOutcome:
    return ImportOutcome(
        file=file, status=status, message=message, sport=record.sport,
        start=record.local_start, distance_m=record.distance_m, elapsed_s=record.elapsed_s,
        records=record.records, session_id=record.session_id,
        backward_minutes=round(record.backward_seconds / 60, 1), activity_id=record.id)
