"""What the use cases and storage hand each other: plain frozen values.

Storage maps its rows to and from these (rows never leave storage); shells never see
them — they get the views of `views.py` (a `UserRecord` carries a password hash, a
`UserView` does not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JSONObject = Mapping[str, Any]


class LogStatus(StrEnum):
    DONE = "done"
    PARTIAL = "partial"
    SKIPPED = "skipped"


class LogEvent(StrEnum):
    """Things that happened during a session that the adaptation rules react to (B6)."""

    STUMBLE = "stumble"
    DIZZINESS = "dizziness"
    NECK_PAIN = "neck_pain"


@dataclass(frozen=True, slots=True)
class CoachLimits:
    """Limits a coach or physiotherapist sets for one athlete; None means no limit."""

    max_backward_minutes_per_week: int | None = None
    pain_threshold: int | None = None

    @property
    def empty(self) -> bool:
        return self.max_backward_minutes_per_week is None and self.pain_threshold is None

    def strictest(self, other: CoachLimits) -> CoachLimits:
        """Two coaches' limits combined: the athlete's plan honours the lower of each."""
        return CoachLimits(
            _lower(self.max_backward_minutes_per_week, other.max_backward_minutes_per_week),
            _lower(self.pain_threshold, other.pain_threshold),
        )

    def as_json(self) -> dict[str, int | None]:
        return {
            "max_backward_minutes_per_week": self.max_backward_minutes_per_week,
            "pain_threshold": self.pain_threshold,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> CoachLimits:
        data = data or {}
        return cls(data.get("max_backward_minutes_per_week"), data.get("pain_threshold"))


NO_LIMITS = CoachLimits()


def _lower(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    email: str
    password_hash: str
    created_at: dt.datetime
    # Bumped by a password change or reset; the web layer refuses sign-in cookies older
    # than this, so changing the password signs out every other browser.
    credentials_changed_at: dt.datetime
    # When the owner followed the verification link; None: not verified.
    email_verified_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ResetRecord:
    """A single-use mailed link that sets a password: a reset link (`password_hash`
    None: its page asks for a new password), or a sign-up's confirmation link, which
    carries the hash of the password typed at that sign-up and sets it when followed
    (`services.verification`)."""

    token_hash: str
    user_id: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    password_hash: str | None = None


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """The athlete's current plan: the inputs and the generated document, both JSON.

    `calendar_key` is the key of the free preview the plan was made from (None for a
    plan made without one, and for every plan older than the key).
    """

    id: str
    athlete_id: str
    version: int
    profile: JSONObject
    limits: CoachLimits
    document: JSONObject
    created_at: dt.datetime
    updated_at: dt.datetime
    calendar_key: str | None = None
    # When a newer plan replaced this one (it is then read only from the history).
    replaced_at: dt.datetime | None = None

    @property
    def plan_key(self) -> str:
        """What the plan's exports carry in calendar UIDs and watch-workout serials
        (`formats.ExportOptions.plan_key`): the free preview's key, so the events and
        workouts its downloads added are updated after sign-up, else the plan's id (the
        UIDs every plan had before the key existed, which existing calendars hold)."""
        return self.calendar_key or self.id


class VersionKind(StrEnum):
    """What made a plan version (`plan_versions.kind`)."""

    KEPT = "kept"  # the athlete's first plan, as kept from the preview or the wizard
    REPLACED = "replaced"  # a new plan started over a kept one (which stays in history)
    ADAPTED = "adapted"  # the rules applied to the athlete's logs, or a lifted pause
    LIMITS = "limits"  # rebuilt under a coach's new limits


@dataclass(frozen=True, slots=True)
class PlanVersionRecord:
    """One saved version of one plan, as it was: the history reads these, never the
    current plan row. `version` is the plan's save counter (`PlanRecord.version`)."""

    id: int
    athlete_id: str
    plan_id: str
    version: int
    kind: VersionKind
    profile: JSONObject
    limits: CoachLimits
    document: JSONObject
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PlanState:
    """What an athlete's plan page depends on in the database, read in one small query.

    Every write a plan page shows moves it: a plan replaced or rebuilt under new coach
    limits bumps `version`; a new log bumps `log_count`, a revised one `log_revisions`.
    """

    plan_id: str
    version: int
    log_count: int
    log_revisions: int
    last_log_change: dt.datetime | None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """The content of one revision of a session log, validated, in seconds."""

    status: LogStatus
    forward_seconds: int = 0
    backward_seconds: int = 0
    rpe: int | None = None
    pain_during: int | None = None
    pain_next_morning: int | None = None
    events: tuple[LogEvent, ...] = ()
    notes: str = ""


@dataclass(frozen=True, slots=True)
class LogRecord:
    """A session log with its latest revision."""

    id: str
    athlete_id: str
    plan_id: str | None
    session_id: str
    session_date: dt.date
    revision: int
    entry: LogEntry
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class LogRevisionRecord:
    revision: int
    entry: LogEntry
    recorded_at: dt.datetime
    recorded_by: str


class GrantStatus(StrEnum):
    """Where a coach invitation stands (`coach_grants.status`)."""

    INVITED = "invited"  # sent; gives no access yet
    ACTIVE = "active"  # accepted by the coach's verified account
    DECLINED = "declined"  # refused by the coach


@dataclass(frozen=True, slots=True)
class GrantRecord:
    """An athlete's invitation letting the coach with this email see their data."""

    id: str
    athlete_id: str
    coach_email: str
    created_at: dt.datetime
    limits: CoachLimits = field(default=NO_LIMITS)
    limits_set_at: dt.datetime | None = None
    # The coach's short note the athlete sees (None: never written), and when it was set.
    note: str | None = None
    note_at: dt.datetime | None = None
    status: GrantStatus = GrantStatus.ACTIVE
    responded_at: dt.datetime | None = None  # when the coach accepted or declined


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A signed-in browser (`user_sessions`); the token it carries is never stored."""

    id: str
    user_id: str
    user_agent: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ended_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """The free-plan wizard's answers under an opaque draft id (`wizard_drafts`)."""

    id: str
    answers: JSONObject
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """How the athlete's calendar shows sessions (the feed and the ICS downloads).

    The defaults, all None, are all-day events without reminders: what a calendar shows
    before the athlete chose anything. `timezone` is an IANA name; a `start_time` (a time
    of day in that zone) makes events timed; `reminder_minutes` adds an alarm that long
    before each event starts (for all-day events, before midnight).
    """

    timezone: str | None = None
    start_time: dt.time | None = None
    reminder_minutes: int | None = None
    updated_at: dt.datetime | None = None  # None: never saved

    @property
    def timed(self) -> bool:
        return self.start_time is not None

    def same_choice(self, other: CalendarSettings) -> bool:
        """The same three choices, whenever they were saved."""
        return (self.timezone, self.start_time, self.reminder_minutes) == (
            other.timezone, other.start_time, other.reminder_minutes)


ALL_DAY = CalendarSettings()


@dataclass(frozen=True, slots=True)
class FieldTestRecord:
    """What was measured on one test session: measure id -> value.

    Measure ids are `domain.field_tests.Measure` values ("sprint_10m_s", "sprint_20m_s",
    "cmj_cm", "easy_hr_bpm"); only the measures entered are present.
    """

    id: str
    athlete_id: str
    plan_id: str | None
    session_id: str
    session_date: dt.date
    values: Mapping[str, float]
    recorded_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
