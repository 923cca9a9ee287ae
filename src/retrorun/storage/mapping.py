"""Explicit row <-> record mapping. Rows stop here; records go up to the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retrorun.services.records import (
    CalendarSettings,
    CoachLimits,
    DraftRecord,
    GrantRecord,
    GrantStatus,
    LogEntry,
    LogEvent,
    LogRecord,
    LogRevisionRecord,
    LogStatus,
    PlanRecord,
    PlanVersionRecord,
    ResetRecord,
    SessionRecord,
    UserRecord,
    VersionKind,
)

if TYPE_CHECKING:
    from sqlalchemy import Row


def user(row: Row[Any]) -> UserRecord:
    return UserRecord(row.id, row.email, row.password_hash, row.created_at,
                      row.credentials_changed_at, row.email_verified_at)


def session(row: Row[Any]) -> SessionRecord:
    return SessionRecord(row.id, row.user_id, row.user_agent, row.created_at,
                         row.last_seen_at, row.ended_at)


def draft(row: Row[Any]) -> DraftRecord:
    return DraftRecord(row.id, row.answers, row.created_at, row.updated_at)


def reset(row: Row[Any]) -> ResetRecord:
    return ResetRecord(row.token_hash, row.user_id, row.created_at, row.expires_at, row.used_at,
                       row.password_hash)


def plan(row: Row[Any]) -> PlanRecord:
    return PlanRecord(
        id=row.id, athlete_id=row.athlete_id, version=row.version, profile=row.profile,
        limits=CoachLimits.from_json(row.limits), document=row._mapping.get("document", {}),
        created_at=row.created_at, updated_at=row.updated_at, calendar_key=row.calendar_key,
        replaced_at=row.replaced_at)


def plan_version(row: Row[Any]) -> PlanVersionRecord:
    return PlanVersionRecord(
        id=row.id, athlete_id=row.athlete_id, plan_id=row.plan_id, version=row.version,
        kind=VersionKind(row.kind), profile=row.profile,
        limits=CoachLimits.from_json(row.limits), document=row._mapping.get("document", {}),
        created_at=row.created_at)


def entry(row: Row[Any]) -> LogEntry:
    return LogEntry(
        status=LogStatus(row.status),
        forward_seconds=row.forward_seconds,
        backward_seconds=row.backward_seconds,
        rpe=row.rpe,
        pain_during=row.pain_during,
        pain_next_morning=row.pain_next_morning,
        events=tuple(LogEvent(e) for e in row.events.split(",") if e),
        notes=row.notes,
    )


def entry_values(value: LogEntry) -> dict[str, Any]:
    return {
        "status": value.status.value,
        "forward_seconds": value.forward_seconds,
        "backward_seconds": value.backward_seconds,
        "rpe": value.rpe,
        "pain_during": value.pain_during,
        "pain_next_morning": value.pain_next_morning,
        "events": ",".join(e.value for e in value.events),
        "notes": value.notes,
    }


def log(row: Row[Any]) -> LogRecord:
    return LogRecord(
        id=row.id, athlete_id=row.athlete_id, plan_id=row.plan_id, session_id=row.session_id,
        session_date=row.session_date, revision=row.revision, entry=entry(row),
        created_at=row.created_at, updated_at=row.updated_at)


def revision(row: Row[Any]) -> LogRevisionRecord:
    return LogRevisionRecord(row.revision, entry(row), row.recorded_at, row.recorded_by)


def grant(row: Row[Any]) -> GrantRecord:
    return GrantRecord(
        id=row.id, athlete_id=row.athlete_id, coach_email=row.coach_email,
        created_at=row.created_at,
        limits=CoachLimits(row.max_backward_minutes_per_week, row.pain_threshold),
        limits_set_at=row.limits_set_at, note=row.note, note_at=row.note_at,
        status=GrantStatus(row.status), responded_at=row.responded_at)


def calendar_settings(row: Row[Any]) -> CalendarSettings:
    return CalendarSettings(timezone=row.timezone, start_time=row.start_time,
                            reminder_minutes=row.reminder_minutes, updated_at=row.updated_at)


def calendar_settings_values(value: CalendarSettings) -> dict[str, Any]:
    if value.updated_at is None:
        raise ValueError("calendar settings are saved with the time they were made")
    return {"timezone": value.timezone, "start_time": value.start_time,
            "reminder_minutes": value.reminder_minutes, "updated_at": value.updated_at}
