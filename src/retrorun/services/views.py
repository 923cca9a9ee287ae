"""What the use cases return to the shells (web pages, JSON API, CLI).

Views are frozen values built from records and domain objects; each page and its JSON
twin render the same view. Minutes are shown as floats (the log form asks for minutes);
storage keeps whole seconds.
"""

from __future__ import annotations

# Imported at run time on purpose (not under TYPE_CHECKING): shells may hand these
# dataclasses to pydantic/FastAPI, which resolve the annotations.
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from retrorun.domain.model import Gait, Plan, Session
from retrorun.domain.profile import Units
from retrorun.services.records import (
    CoachLimits,
    GrantStatus,
    JSONObject,
    LogEntry,
    LogEvent,
    LogRecord,
    LogRevisionRecord,
    LogStatus,
    UserRecord,
)


@dataclass(frozen=True, slots=True)
class UserView:
    id: str
    email: str
    created_at: dt.datetime
    credentials_changed_at: dt.datetime
    email_verified_at: dt.datetime | None = None

    @classmethod
    def of(cls, user: UserRecord) -> UserView:
        return cls(user.id, user.email, user.created_at, user.credentials_changed_at,
                   user.email_verified_at)


@dataclass(frozen=True, slots=True)
class LogInput:
    """A log as the athlete typed it; `logs.log_session` validates every field.

    `events` is a subset of {"stumble", "dizziness", "neck_pain"}; RPE is the session
    RPE on the CR-10 scale (0-10); pain is 0-10. None means "not answered".
    """

    status: str
    forward_minutes: float = 0
    backward_minutes: float = 0
    rpe: int | None = None
    pain_during: int | None = None
    pain_next_morning: int | None = None
    events: Sequence[str] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LogView:
    id: str
    athlete_id: str
    session_id: str
    session_date: dt.date
    revision: int
    status: LogStatus
    forward_minutes: float
    backward_minutes: float
    rpe: int | None
    pain_during: int | None
    pain_next_morning: int | None
    events: tuple[LogEvent, ...]
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, log: LogRecord) -> LogView:
        e = log.entry
        return cls(
            log.id, log.athlete_id, log.session_id, log.session_date, log.revision,
            e.status, e.forward_seconds / 60, e.backward_seconds / 60, e.rpe,
            e.pain_during, e.pain_next_morning, e.events, e.notes,
            log.created_at, log.updated_at,
        )


@dataclass(frozen=True, slots=True)
class LogRevisionView:
    """One earlier (or the current) state of a log: edits keep history."""

    revision: int
    status: LogStatus
    forward_minutes: float
    backward_minutes: float
    rpe: int | None
    pain_during: int | None
    pain_next_morning: int | None
    events: tuple[LogEvent, ...]
    notes: str
    recorded_at: dt.datetime
    recorded_by: str

    @classmethod
    def of(cls, rev: LogRevisionRecord) -> LogRevisionView:
        e: LogEntry = rev.entry
        return cls(
            rev.revision, e.status, e.forward_seconds / 60, e.backward_seconds / 60, e.rpe,
            e.pain_during, e.pain_next_morning, e.events, e.notes,
            rev.recorded_at, rev.recorded_by,
        )


@dataclass(frozen=True, slots=True)
class PlanPreview:
    """A plan generated without an account (the free plan): nothing is stored."""

    plan: Plan
    document: JSONObject


@dataclass(frozen=True, slots=True)
class PlanView:
    """The athlete's current plan, the limits it honours, and the logs on its sessions.

    `plan` is the typed domain plan for pages; `document` is the stored
    retrorun.plan/1 JSON for the API twin. `logs` maps session id -> its log.
    `owned` is False when a coach is looking at an athlete's plan. `plan_key` is what
    its exports carry in calendar UIDs and FIT serials (`ExportOptions.plan_key`): the
    key of the free preview it was made from, else its id.

    `plan` and `document` are shared by every reader of this plan version (they are
    cached): read them, never mutate them. Sessions' `evidence` holds source ids, as
    the generator made them.
    """

    id: str
    athlete_id: str
    version: int
    plan: Plan
    document: JSONObject
    profile: JSONObject
    limits: CoachLimits
    created_at: dt.datetime
    updated_at: dt.datetime
    plan_key: str
    owned: bool = True
    logs: Mapping[str, LogView] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeekSummary:
    index: int
    stage: Gait
    lighter: bool


@dataclass(frozen=True, slots=True)
class SessionView:
    """One planned session, the week it belongs to and its log if any.

    `can_log` is True only for the athlete (a coach sees but does not log); `units` are
    the athlete's choice, for the words the session is shown in.
    """

    plan_id: str
    athlete_id: str
    week: WeekSummary
    session: Session
    log: LogView | None
    can_log: bool
    units: Units = Units.METRIC


@dataclass(frozen=True, slots=True)
class GrantView:
    """A coach the athlete invited (the athlete's side)."""

    id: str
    coach_email: str
    # invited | active | declined: never whether the address has an account.
    status: GrantStatus
    created_at: dt.datetime
    limits: CoachLimits
    responded_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class InvitationView:
    """An athlete's invitation (the invited coach's side, on the Invitations page)."""

    id: str
    athlete_email: str
    status: GrantStatus
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AthleteView:
    """An athlete who invited this coach (the coach's side)."""

    athlete_id: str
    email: str
    granted_at: dt.datetime
    limits: CoachLimits
    has_plan: bool
