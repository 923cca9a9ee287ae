"""The small interfaces the use cases need; storage and bootstrap implement them.

Tests implement them in memory (`tests/services/fakes.py`), never with mocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence
    from types import TracebackType

    from retrorun.domain.model import Plan
    from retrorun.domain.profile import Profile
    from retrorun.formats.ics import EventVersion
    from retrorun.services.activity_records import ActivityRepo, ImportJobRepo
    from retrorun.services.records import (
        CalendarSettings,
        CoachLimits,
        DraftRecord,
        FieldTestRecord,
        GrantRecord,
        GrantStatus,
        JSONObject,
        LogEntry,
        LogRecord,
        LogRevisionRecord,
        PlanRecord,
        PlanState,
        PlanVersionRecord,
        ResetRecord,
        SessionRecord,
        UserRecord,
        VersionKind,
    )


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenFactory(Protocol):
    def new_token(self) -> str:
        """An unguessable URL-safe secret (reset links, calendar feeds)."""
        ...


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, message: Email) -> None: ...

class Planner(Protocol):
    """The plan engine of the domain, behind a port so tests can run a small one."""

    def build(self, profile: Profile, limits: CoachLimits) -> Plan: ...

    def document(self, plan: Plan) -> dict[str, Any]:
        """The retrorun.plan/1 JSON document of a plan."""
        ...


class UserRepo(Protocol):
    def add(self, *, email: str, password_hash: str, at: dt.datetime) -> UserRecord: ...

    def get(self, user_id: str) -> UserRecord | None: ...

    def by_email(self, email: str) -> UserRecord | None: ...

    def set_password(self, user_id: str, password_hash: str, at: dt.datetime) -> None: ...

    def mark_verified(self, user_id: str, at: dt.datetime) -> None:
        """Record that the owner of the account's email followed its verification link."""
        ...

    def delete(self, user_id: str) -> None:
        """Delete the user and everything they own (plans, logs, grants, reset tokens,
        sessions)."""
        ...


class ResetRepo(Protocol):
    def add(self, reset: ResetRecord) -> None: ...

    def get(self, token_hash: str) -> ResetRecord | None: ...

    def mark_used(self, token_hash: str, at: dt.datetime) -> None: ...

    def invalidate_for_user(self, user_id: str, at: dt.datetime) -> None:
        """Mark every unused token of the user used (a password change voids them)."""
        ...


class SignInRepo(Protocol):
    """Failed sign-ins, counted per key (an email, or a client address)."""

    def add_failure(self, key: str, at: dt.datetime) -> None: ...

    def failures_since(self, key: str, since: dt.datetime) -> Sequence[dt.datetime]: ...

    def clear(self, key: str) -> None: ...


class PlanRepo(Protocol):
    def get(self, plan_id: str) -> PlanRecord | None: ...

    def for_athlete(self, athlete_id: str, *, with_document: bool = True) -> PlanRecord | None:
        """The athlete's current plan (never one it replaced); without the (large)
        document when with_document is False, in which case `document` is an empty
        mapping."""
        ...

    def save(
        self,
        *,
        athlete_id: str,
        profile: JSONObject,
        limits: CoachLimits,
        document: JSONObject,
        at: dt.datetime,
        calendar_key: str | None = None,
        kind: VersionKind | None = None,
        new_plan: bool = False,
    ) -> PlanRecord:
        """Save the athlete's plan and record the saved version in the history.

        No current plan: a new plan (version 1, "kept") that takes `calendar_key`. A
        current plan: its next version (same id, version + 1; "limits" when `limits`
        differ from the plan's, else "adapted"), or with `new_plan` a new plan with a new
        id (version 1, "replaced") that keeps the old plan's `plan_key` as its calendar
        key; the old plan is marked replaced and stays readable (`get`, `versions`), with
        the logs that point at it. `kind` overrides the kind recorded.
        """
        ...

    def versions(self, athlete_id: str) -> Sequence[PlanVersionRecord]:
        """Every saved version of every plan of the athlete, oldest first."""
        ...

    def version(self, plan_id: str, version: int) -> PlanVersionRecord | None:
        """One saved version of a plan (of any athlete: callers check access)."""
        ...

    def state(self, athlete_id: str) -> PlanState | None:
        """The plan's id and version and a summary of the athlete's logs, in one small
        read (see `PlanState`); None when the athlete has no plan."""
        ...


class LogRepo(Protocol):
    def add(
        self,
        *,
        athlete_id: str,
        plan_id: str | None,
        session_id: str,
        session_date: dt.date,
        entry: LogEntry,
        by: str,
        at: dt.datetime,
    ) -> LogRecord: ...

    def get(self, log_id: str) -> LogRecord | None: ...

    def find(self, athlete_id: str, session_id: str, session_date: dt.date) -> LogRecord | None:
        ...

    def revise(self, log_id: str, entry: LogEntry, *, by: str, at: dt.datetime) -> LogRecord:
        """Add a revision; earlier revisions stay readable through `revisions`."""
        ...

    def revisions(self, log_id: str) -> Sequence[LogRevisionRecord]:
        """All revisions, oldest first."""
        ...

    def for_athlete(
        self, athlete_id: str, *, between: tuple[dt.date, dt.date] | None = None
    ) -> Sequence[LogRecord]:
        """The athlete's logs (of sessions dated within `between`, inclusive, if given),
        by session date then creation."""
        ...


class GrantRepo(Protocol):
    def add(self, *, athlete_id: str, coach_email: str, at: dt.datetime,
            status: GrantStatus = ...) -> GrantRecord:
        """A new grant, 'active' unless `status` says otherwise."""
        ...

    def get(self, grant_id: str) -> GrantRecord | None: ...

    def find(self, athlete_id: str, coach_email: str) -> GrantRecord | None: ...

    def for_athlete(self, athlete_id: str) -> Sequence[GrantRecord]: ...

    def for_coach(self, coach_email: str, *,
                  status: GrantStatus | None = None) -> Sequence[GrantRecord]:
        """The grants naming this coach email (only those with `status`, if given)."""
        ...

    def set_status(self, grant_id: str, status: GrantStatus, at: dt.datetime) -> None:
        """The coach accepted or declined (or the grant went back to invited); `at` is
        recorded as `responded_at`."""
        ...

    def set_limits(self, grant_id: str, limits: CoachLimits, at: dt.datetime) -> None: ...

    def set_note(self, athlete_id: str, coach_email: str, note: str | None,
                 at: dt.datetime) -> None:
        """Set (or, with None, clear) the note of this coach's grant, which the athlete
        sees; `at` is when. No grant for that pair: nothing changes."""
        ...

    def delete(self, grant_id: str) -> None: ...

    def delete_for_coach(self, coach_email: str) -> None: ...


class FeedRepo(Protocol):
    """Calendar feed tokens (one per user, kept as their sha256 hex), the event versions
    the feed last served, and the user's calendar settings."""

    def has_token(self, user_id: str) -> bool: ...

    def user_for(self, token_hash: str) -> str | None: ...

    def set_token(self, user_id: str, token_hash: str, at: dt.datetime) -> None:
        """Give the user this token (by its hash), replacing any earlier one (which stops
        working)."""
        ...

    def event_versions(self, user_id: str) -> Mapping[str, EventVersion]:
        """session id -> the version the feed last served for it."""
        ...

    def save_event_versions(self, user_id: str, versions: Mapping[str, EventVersion]) -> None:
        """Insert or replace the versions of these sessions; others stay as they are."""
        ...

    def settings_for(self, user_id: str) -> CalendarSettings | None:
        """The user's saved calendar settings; None when they never saved any."""
        ...

    def save_settings(self, user_id: str, settings: CalendarSettings) -> None:
        """Insert or replace the user's calendar settings (`updated_at` must be set)."""
        ...


class FieldTestRepo(Protocol):
    """Field-test results, one row per athlete and test session (id and date)."""

    def find(self, athlete_id: str, session_id: str, session_date: dt.date
             ) -> FieldTestRecord | None: ...

    def save(self, *, athlete_id: str, plan_id: str | None, session_id: str,
             session_date: dt.date, values: Mapping[str, float], by: str,
             at: dt.datetime) -> FieldTestRecord:
        """Insert the session's results, or replace the values of the stored ones."""
        ...

    def delete(self, record_id: str) -> None: ...

    def for_athlete(self, athlete_id: str) -> Sequence[FieldTestRecord]:
        """The athlete's results, by session date."""
        ...


class SessionRepo(Protocol):
    """Signed-in browsers, found by the sha256 hex of the token their cookie carries."""

    def add(self, *, user_id: str, token_hash: str, user_agent: str,
            at: dt.datetime) -> SessionRecord: ...

    def by_token_hash(self, token_hash: str) -> SessionRecord | None:
        """The session, ended or not."""
        ...

    def touch(self, session_id: str, at: dt.datetime) -> None:
        """Set `last_seen_at`."""
        ...

    def end(self, user_id: str, session_id: str, at: dt.datetime) -> bool:
        """End one active session of this user; False when there is none by that id."""
        ...

    def end_all(self, user_id: str, at: dt.datetime, *, keep: str | None = None) -> int:
        """End every active session of the user but `keep`; how many were ended."""
        ...

    def active_for(self, user_id: str) -> Sequence[SessionRecord]:
        """The user's sessions not ended, most recently seen first."""
        ...

    def purge_ended(self, before: dt.datetime) -> None:
        """Forget sessions that ended before `before`."""
        ...


class DraftRepo(Protocol):
    """The free-plan wizard's answers by opaque draft id."""

    def get(self, draft_id: str) -> DraftRecord | None: ...

    def save(self, draft_id: str, answers: JSONObject, at: dt.datetime) -> None:
        """Insert or replace the draft's answers; `at` is its last change."""
        ...

    def delete(self, draft_id: str) -> None: ...

    def purge(self, before: dt.datetime) -> None:
        """Delete drafts last changed before `before`."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Use cases do `with uow: ...; uow.commit()`.

    Leaving the `with` block without `commit()` rolls back. Entering a unit of work
    that is already entered is allowed: then only the outermost block's commit writes,
    so a caller may group several use cases into one transaction.
    """

    # Read-only properties, so implementations may hold more specific repositories.
    @property
    def users(self) -> UserRepo: ...

    @property
    def resets(self) -> ResetRepo: ...

    @property
    def sign_ins(self) -> SignInRepo: ...

    @property
    def plans(self) -> PlanRepo: ...

    @property
    def logs(self) -> LogRepo: ...

    @property
    def grants(self) -> GrantRepo: ...

    @property
    def feeds(self) -> FeedRepo: ...

    @property
    def field_tests(self) -> FieldTestRepo: ...

    @property
    def activities(self) -> ActivityRepo: ...

    @property
    def import_jobs(self) -> ImportJobRepo: ...

    @property
    def sessions(self) -> SessionRepo: ...

    @property
    def drafts(self) -> DraftRepo: ...

    def read_only(self) -> Self:
        """Declare, before entering, that this unit of work only reads: the database may
        then skip taking its write lock (SQLite). Ignored when already entered."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
