"""The persistence shape: SQLAlchemy Core tables. No behaviour, no domain logic.

Constraint names come from the naming convention, so they are identical on SQLite and
PostgreSQL and migrations can address them on both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    text,
)

from retrorun.storage.types import JSONDocument, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

ID = 32  # uuid4().hex
EMAIL = 254
SESSION_ID = 100
CALENDAR_KEY = 32
PASSWORD_HASH = 255  # an Argon2 PHC string is about 100 characters

users = Table(
    "users", metadata,
    Column("id", String(ID), primary_key=True),
    Column("email", String(EMAIL), nullable=False, unique=True),
    Column("password_hash", String(PASSWORD_HASH), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("credentials_changed_at", UTCDateTime(), nullable=False),
    # When the owner followed the verification link sent at sign-up; NULL: not yet.
    Column("email_verified_at", UTCDateTime(), nullable=True),
)

# Signed-in browsers (services.records.SessionRecord). The cookie carries the token; the
# table keeps only its sha256, so a copy of the database signs nobody in. A session
# ends (ended_at set) at sign-out, password change or reset, or from the account page.
USER_AGENT = 300  # enough to name a browser and system; longer agents are cut [A]
user_sessions = Table(
    "user_sessions", metadata,
    Column("id", String(ID), primary_key=True),
    Column("user_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_agent", String(USER_AGENT), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
)

# The free-plan wizard's answers while the visitor goes through it (finding 7: they hold
# health answers, so they stay here and the cookie carries only the opaque id).
wizard_drafts = Table(
    "wizard_drafts", metadata,
    Column("id", String(64), primary_key=True),
    Column("answers", JSONDocument, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False, index=True),
)

password_resets = Table(
    "password_resets", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime(), nullable=True),
    # A sign-up's confirmation link: the password typed at that sign-up (Argon2 hash),
    # set when the link is followed. NULL for a reset link.
    Column("password_hash", String(PASSWORD_HASH), nullable=True),
)

sign_in_failures = Table(
    "sign_in_failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(320), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_sign_in_failures_key_at", "key", "at"),
)

# An athlete's plans: the current one (replaced_at NULL, at most one per athlete) and the
# plans it replaced, kept so their logs (which carry the plan id) stay readable with the
# plan they logged. Each save also writes the version into plan_versions.
plans = Table(
    "plans", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("version", Integer, nullable=False),
    Column("profile", JSONDocument, nullable=False),
    Column("limits", JSONDocument, nullable=False),
    Column("document", JSONDocument, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The free preview's calendar key, taken when the plan is created from it and kept
    # when the plan is replaced (services.records.PlanRecord.plan_key); NULL: the plan's
    # exports use its id, as every plan's did before the key existed.
    Column("calendar_key", String(CALENDAR_KEY), nullable=True),
    # When a newer plan replaced this one; NULL: the athlete's current plan.
    Column("replaced_at", UTCDateTime(), nullable=True),
    CheckConstraint("version >= 1", name="version_positive"),
    Index("uq_plans_current_athlete_id", "athlete_id", unique=True,
          sqlite_where=text("replaced_at IS NULL"),
          postgresql_where=text("replaced_at IS NULL")),
)

# Every version of every plan as it was saved (services.records.PlanVersionRecord): the
# history. `version` is the plan row's counter at that save; `kind` says what made it
# (PLAN_VERSION_KINDS).
PLAN_VERSION_KINDS = ("kept", "replaced", "adapted", "limits")
plan_versions = Table(
    "plan_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("plan_id", String(ID), ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("profile", JSONDocument, nullable=False),
    Column("limits", JSONDocument, nullable=False),
    Column("document", JSONDocument, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("plan_id", "version"),
    CheckConstraint("version >= 1", name="version_positive"),
)

_STATUS = "status IN ('done', 'partial', 'skipped')"
_SCALES = (
    "(rpe IS NULL OR rpe BETWEEN 0 AND 10) AND "
    "(pain_during IS NULL OR pain_during BETWEEN 0 AND 10) AND "
    "(pain_next_morning IS NULL OR pain_next_morning BETWEEN 0 AND 10)"
)
_MINUTES = "forward_seconds >= 0 AND backward_seconds >= 0"


def _entry_columns() -> list[Column[Any]]:
    """The content of a log entry: the same columns on a log and on each revision."""
    return [
        Column("status", String(10), nullable=False),
        Column("forward_seconds", Integer, nullable=False),
        Column("backward_seconds", Integer, nullable=False),
        Column("rpe", Integer, nullable=True),
        Column("pain_during", Integer, nullable=True),
        Column("pain_next_morning", Integer, nullable=True),
        Column("events", String(100), nullable=False),  # comma-separated LogEvent values
        Column("notes", Text, nullable=False),
    ]


session_logs = Table(
    "session_logs", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("plan_id", String(ID), ForeignKey("plans.id", ondelete="SET NULL"), nullable=True),
    Column("session_id", String(SESSION_ID), nullable=False),
    Column("session_date", Date, nullable=False),
    Column("revision", Integer, nullable=False),
    *_entry_columns(),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("athlete_id", "session_id", "session_date"),
    # The calendar reads an athlete's logs by date range.
    Index("ix_session_logs_athlete_id_session_date", "athlete_id", "session_date"),
    CheckConstraint(_STATUS, name="status"),
    CheckConstraint(_SCALES, name="scales"),
    CheckConstraint(_MINUTES, name="minutes"),
)

log_revisions = Table(
    "log_revisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("log_id", String(ID), ForeignKey("session_logs.id", ondelete="CASCADE"),
           nullable=False),
    Column("revision", Integer, nullable=False),
    *_entry_columns(),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Column("recorded_by", String(ID), nullable=False),
    UniqueConstraint("log_id", "revision"),
    CheckConstraint(_STATUS, name="status"),
    CheckConstraint(_SCALES, name="scales"),
    CheckConstraint(_MINUTES, name="minutes"),
)

# services.records.GrantStatus values.
GRANT_STATUSES = ("invited", "active", "declined")
coach_grants = Table(
    "coach_grants", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("coach_email", String(EMAIL), nullable=False, index=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("max_backward_minutes_per_week", Integer, nullable=True),
    Column("pain_threshold", Integer, nullable=True),
    Column("limits_set_at", UTCDateTime(), nullable=True),
    # The coach's short note the athlete sees (services.records.GrantRecord.note).
    Column("note", Text, nullable=True),
    Column("note_at", UTCDateTime(), nullable=True),
    # GRANT_STATUSES: an invitation gives access only once the coach accepted it.
    Column("status", String(10), nullable=False),
    Column("responded_at", UTCDateTime(), nullable=True),
    UniqueConstraint("athlete_id", "coach_email"),
    CheckConstraint(f"status IN {GRANT_STATUSES!r}", name="status"),
    CheckConstraint(
        "(max_backward_minutes_per_week IS NULL OR max_backward_minutes_per_week >= 1) AND "
        "(pain_threshold IS NULL OR pain_threshold BETWEEN 0 AND 10)",
        name="limits"),
)

# The calendar subscription feed. Only the token's sha256 is kept (as for reset tokens):
# the URL is shown once, when made or rotated. One row per user; rotating replaces the
# hash, so the old URL stops at once.
calendar_feeds = Table(
    "calendar_feeds", metadata,
    Column("user_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

# What the feed last served per session (formats.ics.EventVersion), so SEQUENCE goes up
# only for a session whose content changed, across plan regenerations.
calendar_events = Table(
    "calendar_events", metadata,
    Column("user_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           primary_key=True),
    Column("session_id", String(SESSION_ID), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("modified", UTCDateTime(), nullable=False),
    CheckConstraint("sequence >= 0", name="sequence_not_negative"),
)

# How the athlete's calendar shows sessions (services.records.CalendarSettings); no row
# means the defaults: all-day events, no reminders. A table of its own rather than
# columns on calendar_feeds: settings may be saved before any feed token exists, and
# rotating the token rewrites that row.
MAX_REMINDER_MINUTES = 1440
calendar_settings = Table(
    "calendar_settings", metadata,
    Column("user_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           primary_key=True),
    Column("timezone", String(64), nullable=True),  # IANA name
    Column("start_time", Time(), nullable=True),  # None: all-day events
    Column("reminder_minutes", Integer, nullable=True),  # None: no alarm
    Column("updated_at", UTCDateTime(), nullable=False),
    CheckConstraint(f"reminder_minutes IS NULL OR reminder_minutes BETWEEN 0 AND "
                    f"{MAX_REMINDER_MINUTES}", name="reminder_range"),
    CheckConstraint("start_time IS NULL OR timezone IS NOT NULL", name="timed_needs_timezone"),
)

# Field-test results (services.records.FieldTestRecord): one row per athlete and test
# session, a nullable column per measure, named as `domain.field_tests.Measure` values.
FIELD_TEST_MEASURES = ("sprint_10m_s", "sprint_20m_s", "cmj_cm", "easy_hr_bpm")
field_tests = Table(
    "field_tests", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("plan_id", String(ID), ForeignKey("plans.id", ondelete="SET NULL"), nullable=True),
    Column("session_id", String(SESSION_ID), nullable=False),
    Column("session_date", Date, nullable=False),
    *(Column(name, Float(), nullable=True) for name in FIELD_TEST_MEASURES),
    Column("recorded_by", String(ID), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("athlete_id", "session_id", "session_date"),
    CheckConstraint(" OR ".join(f"{name} IS NOT NULL" for name in FIELD_TEST_MEASURES),
                    name="some_result"),
    CheckConstraint(" AND ".join(f"({name} IS NULL OR {name} > 0)"
                                 for name in FIELD_TEST_MEASURES), name="positive"),
)

# Imported watch files (issue 12), one row per activity. Laps are a JSON list (each with
# its `backward` mark); the per-second samples are one columnar blob
# (formats.activities.encode_streams), not a row per second.
FILE_NAME = 300  # "zipname/member", base names only
SPORT = 40
activities = Table(
    "activities", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("file_name", String(FILE_NAME), nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("source_format", String(8), nullable=False),
    Column("sport", String(SPORT), nullable=False),
    Column("sub_sport", String(SPORT), nullable=True),
    Column("on_foot", Boolean(), nullable=True),
    Column("start_at", UTCDateTime(), nullable=False),
    Column("utc_offset_s", Integer, nullable=True),
    Column("elapsed_s", Float(), nullable=False),
    Column("moving_s", Float(), nullable=True),
    Column("distance_m", Float(), nullable=True),
    Column("records", Integer, nullable=False),
    Column("avg_heart_rate", Float(), nullable=True),
    Column("laps", JSONDocument, nullable=False),
    Column("streams", LargeBinary(), nullable=False),
    Column("warnings", JSONDocument, nullable=False),
    Column("device", String(120), nullable=True),
    Column("session_id", String(SESSION_ID), nullable=True),
    Column("session_date", Date, nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("athlete_id", "file_hash"),
    Index("ix_activities_athlete_start", "athlete_id", "start_at"),
    CheckConstraint("elapsed_s >= 0", name="elapsed_not_negative"),
)

# Import jobs (issue 12): what an upload asked for and how far it got, kept by us (the
# queue may drop a task whose worker dies); the uploaded files wait in `import_uploads`
# until their job has read them.
JOB_STATUSES = ("queued", "running", "done", "failed")
import_jobs = Table(
    "import_jobs", metadata,
    Column("id", String(ID), primary_key=True),
    Column("athlete_id", String(ID), ForeignKey("users.id", ondelete="CASCADE"),
           nullable=False),
    Column("status", String(10), nullable=False),
    Column("total_files", Integer, nullable=False),
    Column("files_done", Integer, nullable=False),
    Column("imported", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("refused", Integer, nullable=False),
    Column("outcomes", JSONDocument, nullable=False),
    Column("message", Text, nullable=False),
    Column("heartbeat_at", UTCDateTime(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Index("ix_import_jobs_athlete_created", "athlete_id", "created_at"),
    CheckConstraint(f"status IN {JOB_STATUSES!r}", name="status"),
)
import_uploads = Table(
    "import_uploads", metadata,
    Column("job_id", String(ID), ForeignKey("import_jobs.id", ondelete="CASCADE"),
           primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(FILE_NAME), nullable=False),
    Column("data", LargeBinary(), nullable=False),
    Column("done", Boolean(), nullable=False),
)
