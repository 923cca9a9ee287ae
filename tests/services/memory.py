"""An in-memory unit of work: the services' storage port without a database.

It keeps the same promises as the SQL one (one transaction per `with`, commit or
nothing, unique emails/logs/invitations, cascading deletes), so the service tests run
on it as a third backend and check that the port, not SQLAlchemy, is what they rely on.
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
import uuid
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Self

from retrorun.formats.ics import EventVersion
from retrorun.services.activity_records import ActivityRecord, ImportJobRecord, UploadRecord
from retrorun.services.errors import Conflict
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
from tests.services.memory_activities import Activities, ImportJobs
from tests.services.memory_repos import Drafts, FieldTests, Sessions

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from types import TracebackType


def _id() -> str:
    return uuid.uuid4().hex


@dataclass
class Store:
    users: dict[str, UserRecord] = field(default_factory=dict)
    resets: dict[str, ResetRecord] = field(default_factory=dict)
    failures: list[tuple[str, dt.datetime]] = field(default_factory=list)
    plans: dict[str, PlanRecord] = field(default_factory=dict)  # by athlete id
    logs: dict[str, LogRecord] = field(default_factory=dict)
    revisions: dict[str, list[LogRevisionRecord]] = field(default_factory=dict)
    grants: dict[str, GrantRecord] = field(default_factory=dict)
    feeds: dict[str, str] = field(default_factory=dict)  # user id -> token hash
    events: dict[str, dict[str, EventVersion]] = field(default_factory=dict)  # by user id
    calendar: dict[str, CalendarSettings] = field(default_factory=dict)  # by user id
    field_tests: dict[str, FieldTestRecord] = field(default_factory=dict)  # by record id
    replaced: dict[str, PlanRecord] = field(default_factory=dict)  # replaced plans by id
    versions: list[PlanVersionRecord] = field(default_factory=list)  # oldest first
    sessions: dict[str, SessionRecord] = field(default_factory=dict)  # by token hash
    drafts: dict[str, DraftRecord] = field(default_factory=dict)
    activities: dict[str, ActivityRecord] = field(default_factory=dict)
    jobs: dict[str, ImportJobRecord] = field(default_factory=dict)
    uploads: dict[tuple[str, int], UploadRecord] = field(default_factory=dict)

    def count(self, table: str) -> int:
        sizes = {"users": len(self.users), "password_resets": len(self.resets),
                 "sign_in_failures": len(self.failures),
                 "plans": len(self.plans) + len(self.replaced),
                 "session_logs": len(self.logs), "coach_grants": len(self.grants),
                 "log_revisions": sum(len(r) for r in self.revisions.values()),
                 "calendar_feeds": len(self.feeds),
                 "calendar_events": sum(len(e) for e in self.events.values()),
                 "calendar_settings": len(self.calendar),
                 "field_tests": len(self.field_tests),
                 "plan_versions": len(self.versions),
                 "user_sessions": len(self.sessions), "wizard_drafts": len(self.drafts),
                 "activities": len(self.activities), "import_jobs": len(self.jobs),
                 "import_uploads": len(self.uploads)}
        return sizes[table]


class MemoryDatabase:
    """Shared by every unit of work of a test; a lock serialises transactions."""

    def __init__(self) -> None:
        self.store = Store()
        self.lock = threading.Lock()

    def unit_of_work(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


class _Repo:
    def __init__(self, store: Store) -> None:
        self.s = store


class Users(_Repo):
    def add(self, *, email: str, password_hash: str, at: dt.datetime) -> UserRecord:
        if self.by_email(email) is not None:
            raise Conflict("email", "an account with this email already exists")
        user = UserRecord(_id(), email, password_hash, at, at)
        self.s.users[user.id] = user
        return user

    def get(self, user_id: str) -> UserRecord | None:
        return self.s.users.get(user_id)

    def by_email(self, email: str) -> UserRecord | None:
        return next((u for u in self.s.users.values() if u.email == email), None)

    def set_password(self, user_id: str, password_hash: str, at: dt.datetime) -> None:
        if user_id in self.s.users:
            self.s.users[user_id] = replace(self.s.users[user_id], password_hash=password_hash,
                                            credentials_changed_at=at)

    def mark_verified(self, user_id: str, at: dt.datetime) -> None:
        if user_id in self.s.users:
            self.s.users[user_id] = replace(self.s.users[user_id], email_verified_at=at)

    def delete(self, user_id: str) -> None:
        self.s.users.pop(user_id, None)
        self.s.resets = {k: r for k, r in self.s.resets.items() if r.user_id != user_id}
        self.s.plans.pop(user_id, None)
        self.s.replaced = {k: p for k, p in self.s.replaced.items() if p.athlete_id != user_id}
        self.s.versions = [v for v in self.s.versions if v.athlete_id != user_id]
        for log_id in [i for i, log in self.s.logs.items() if log.athlete_id == user_id]:
            del self.s.logs[log_id]
            del self.s.revisions[log_id]
        self.s.grants = {k: g for k, g in self.s.grants.items() if g.athlete_id != user_id}
        self.s.feeds.pop(user_id, None)
        self.s.events.pop(user_id, None)
        self.s.calendar.pop(user_id, None)
        self.s.field_tests = {k: r for k, r in self.s.field_tests.items()
                              if r.athlete_id != user_id}
        self.s.sessions = {k: r for k, r in self.s.sessions.items() if r.user_id != user_id}


class Resets(_Repo):
    def add(self, reset: ResetRecord) -> None:
        self.s.resets[reset.token_hash] = reset

    def get(self, token_hash: str) -> ResetRecord | None:
        return self.s.resets.get(token_hash)

    def mark_used(self, token_hash: str, at: dt.datetime) -> None:
        self.s.resets[token_hash] = replace(self.s.resets[token_hash], used_at=at)

    def invalidate_for_user(self, user_id: str, at: dt.datetime) -> None:
        for key, reset in self.s.resets.items():
            if reset.user_id == user_id and reset.used_at is None:
                self.s.resets[key] = replace(reset, used_at=at)


class SignIns(_Repo):
    def add_failure(self, key: str, at: dt.datetime) -> None:
        self.s.failures.append((key, at))

    def failures_since(self, key: str, since: dt.datetime) -> Sequence[dt.datetime]:
        self.s.failures = [(k, at) for k, at in self.s.failures if at >= since]
        return [at for k, at in self.s.failures if k == key]

    def clear(self, key: str) -> None:
        self.s.failures = [(k, at) for k, at in self.s.failures if k != key]


class Plans(_Repo):
    def get(self, plan_id: str) -> PlanRecord | None:
        return next((p for p in (*self.s.plans.values(), *self.s.replaced.values())
                     if p.id == plan_id), None)

    def for_athlete(self, athlete_id: str, *, with_document: bool = True) -> PlanRecord | None:
        plan = self.s.plans.get(athlete_id)
        if plan is None or with_document:
            return plan
        return replace(plan, document={})

    def save(self, *, athlete_id: str, profile: JSONObject, limits: CoachLimits,
             document: JSONObject, at: dt.datetime, calendar_key: str | None = None,
             kind: VersionKind | None = None, new_plan: bool = False) -> PlanRecord:
        old = self.s.plans.get(athlete_id)
        if old is not None and new_plan:
            self.s.replaced[old.id] = replace(old, replaced_at=at)
            calendar_key = old.plan_key
        same = old is not None and not new_plan
        plan = PlanRecord(
            id=old.id if old and same else _id(), athlete_id=athlete_id,
            version=old.version + 1 if old and same else 1,
            profile=copy.deepcopy(dict(profile)),
            limits=limits, document=copy.deepcopy(dict(document)),
            created_at=old.created_at if old and same else at, updated_at=at,
            calendar_key=old.calendar_key if old and same else calendar_key)
        self.s.plans[athlete_id] = plan
        if kind is None:
            if old is None:
                kind = VersionKind.KEPT
            elif new_plan:
                kind = VersionKind.REPLACED
            else:
                kind = VersionKind.LIMITS if limits != old.limits else VersionKind.ADAPTED
        self.s.versions.append(PlanVersionRecord(
            len(self.s.versions) + 1, athlete_id, plan.id, plan.version, kind,
            copy.deepcopy(dict(profile)), limits, copy.deepcopy(dict(document)), at))
        return plan

    def versions(self, athlete_id: str) -> Sequence[PlanVersionRecord]:
        return [v for v in self.s.versions if v.athlete_id == athlete_id]

    def version(self, plan_id: str, version: int) -> PlanVersionRecord | None:
        return next((v for v in self.s.versions
                     if (v.plan_id, v.version) == (plan_id, version)), None)

    def state(self, athlete_id: str) -> PlanState | None:
        plan = self.s.plans.get(athlete_id)
        if plan is None:
            return None
        logs = [log for log in self.s.logs.values() if log.athlete_id == athlete_id]
        return PlanState(plan_id=plan.id, version=plan.version, log_count=len(logs),
                         log_revisions=sum(log.revision for log in logs),
                         last_log_change=max((log.updated_at for log in logs), default=None))


class Logs(_Repo):
    def add(self, *, athlete_id: str, plan_id: str | None, session_id: str,
            session_date: dt.date, entry: LogEntry, by: str, at: dt.datetime) -> LogRecord:
        if self.find(athlete_id, session_id, session_date) is not None:
            raise Conflict("session_id", "this session is already logged; edit its log")
        log = LogRecord(_id(), athlete_id, plan_id, session_id, session_date, 1, entry, at, at)
        self.s.logs[log.id] = log
        self.s.revisions[log.id] = [LogRevisionRecord(1, entry, at, by)]
        return log

    def get(self, log_id: str) -> LogRecord | None:
        return self.s.logs.get(log_id)

    def find(self, athlete_id: str, session_id: str, session_date: dt.date) -> LogRecord | None:
        return next((log for log in self.s.logs.values()
                     if (log.athlete_id, log.session_id, log.session_date)
                     == (athlete_id, session_id, session_date)), None)

    def revise(self, log_id: str, entry: LogEntry, *, by: str, at: dt.datetime) -> LogRecord:
        log = self.s.logs[log_id]
        revised = replace(log, revision=log.revision + 1, entry=entry, updated_at=at)
        self.s.logs[log_id] = revised
        self.s.revisions[log_id].append(LogRevisionRecord(revised.revision, entry, at, by))
        return revised

    def revisions(self, log_id: str) -> Sequence[LogRevisionRecord]:
        return list(self.s.revisions.get(log_id, []))

    def for_athlete(
        self, athlete_id: str, *, between: tuple[dt.date, dt.date] | None = None
    ) -> Sequence[LogRecord]:
        first, last = between or (dt.date.min, dt.date.max)
        return sorted((log for log in self.s.logs.values() if log.athlete_id == athlete_id
                       and first <= log.session_date <= last),
                      key=lambda log: (log.session_date, log.created_at, log.id))


class Grants(_Repo):
    def add(self, *, athlete_id: str, coach_email: str, at: dt.datetime,
            status: GrantStatus = GrantStatus.ACTIVE) -> GrantRecord:
        if self.find(athlete_id, coach_email) is not None:
            raise Conflict("coach_email", "this coach is already invited")
        grant = GrantRecord(_id(), athlete_id, coach_email, at, status=status)
        self.s.grants[grant.id] = grant
        return grant

    def get(self, grant_id: str) -> GrantRecord | None:
        return self.s.grants.get(grant_id)

    def find(self, athlete_id: str, coach_email: str) -> GrantRecord | None:
        return next((g for g in self.s.grants.values()
                     if (g.athlete_id, g.coach_email) == (athlete_id, coach_email)), None)

    def for_athlete(self, athlete_id: str) -> Sequence[GrantRecord]:
        return self._sorted(g for g in self.s.grants.values() if g.athlete_id == athlete_id)

    def for_coach(self, coach_email: str, *,
                  status: GrantStatus | None = None) -> Sequence[GrantRecord]:
        return self._sorted(g for g in self.s.grants.values() if g.coach_email == coach_email
                            and status in (None, g.status))

    def set_status(self, grant_id: str, status: GrantStatus, at: dt.datetime) -> None:
        self.s.grants[grant_id] = replace(self.s.grants[grant_id], status=status,
                                          responded_at=at)

    def set_limits(self, grant_id: str, limits: CoachLimits, at: dt.datetime) -> None:
        self.s.grants[grant_id] = replace(self.s.grants[grant_id], limits=limits,
                                          limits_set_at=at)

    def set_note(self, athlete_id: str, coach_email: str, note: str | None,
                 at: dt.datetime) -> None:
        grant = self.find(athlete_id, coach_email)
        if grant is not None:
            self.s.grants[grant.id] = replace(grant, note=note, note_at=at)

    def delete(self, grant_id: str) -> None:
        self.s.grants.pop(grant_id, None)

    def delete_for_coach(self, coach_email: str) -> None:
        self.s.grants = {k: g for k, g in self.s.grants.items() if g.coach_email != coach_email}

    @staticmethod
    def _sorted(grants: Iterable[GrantRecord]) -> list[GrantRecord]:
        return sorted(grants, key=lambda g: (g.created_at, g.id))


class Feeds(_Repo):
    def has_token(self, user_id: str) -> bool:
        return user_id in self.s.feeds

    def user_for(self, token_hash: str) -> str | None:
        return next((u for u, t in self.s.feeds.items() if t == token_hash), None)

    def set_token(self, user_id: str, token_hash: str, at: dt.datetime) -> None:  # noqa: ARG002
        # No service reads the creation time back; the SQL table keeps it for support.
        self.s.feeds[user_id] = token_hash

    def event_versions(self, user_id: str) -> Mapping[str, EventVersion]:
        return dict(self.s.events.get(user_id, {}))

    def save_event_versions(self, user_id: str, versions: Mapping[str, EventVersion]) -> None:
        # A new dict, not an update in place: the snapshot of `_begin` shares the old one.
        self.s.events[user_id] = {**self.s.events.get(user_id, {}), **versions}

    def settings_for(self, user_id: str) -> CalendarSettings | None:
        return self.s.calendar.get(user_id)

    def save_settings(self, user_id: str, settings: CalendarSettings) -> None:
        if settings.updated_at is None:  # as the SQL column: NOT NULL
            raise ValueError("calendar settings are saved with the time they were made")
        self.s.calendar[user_id] = settings


class MemoryUnitOfWork:
    """Works on a copy of the store; commit publishes the copy."""

    users: Users
    resets: Resets
    sign_ins: SignIns
    plans: Plans
    logs: Logs
    grants: Grants
    feeds: Feeds
    field_tests: FieldTests
    sessions: Sessions
    drafts: Drafts
    activities: Activities
    import_jobs: ImportJobs

    def __init__(self, database: MemoryDatabase) -> None:
        self._db = database
        self._depth = 0
        self._work = Store()

    def read_only(self) -> Self:
        return self

    def __enter__(self) -> Self:
        if self._depth == 0:
            self._db.lock.acquire()
            self._begin()
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._db.lock.release()

    def commit(self) -> None:
        if self._depth == 1:
            self._db.store = self._work
            self._begin()

    def rollback(self) -> None:
        self._begin()

    def _begin(self) -> None:
        s = self._db.store
        # Records are frozen, so copying the containers is a full snapshot.
        self._work = Store(dict(s.users), dict(s.resets), list(s.failures), dict(s.plans),
                           dict(s.logs), {k: list(v) for k, v in s.revisions.items()},
                           dict(s.grants), dict(s.feeds), dict(s.events), dict(s.calendar),
                           dict(s.field_tests), dict(s.replaced), list(s.versions),
                           dict(s.sessions), dict(s.drafts), dict(s.activities),
                           dict(s.jobs), dict(s.uploads))
        w = self._work
        self.users, self.resets, self.sign_ins = Users(w), Resets(w), SignIns(w)
        self.plans, self.logs, self.grants = Plans(w), Logs(w), Grants(w)
        self.feeds = Feeds(w)
        self.field_tests = FieldTests(w)
        self.sessions, self.drafts = Sessions(w), Drafts(w)
        self.activities = Activities(w.activities)
        self.import_jobs = ImportJobs(w.jobs, w.uploads)
